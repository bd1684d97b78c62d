/// <reference types="node" />
import { open, readFile, rename, rm, mkdir, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError, VigilError } from '@vigil/core/errors';
import { assertOutboxEntry } from '@vigil/core/notify';
import type { Outbox, OutboxEntry, OutboxState } from '@vigil/core/notify';

/**
 * A durable outbox on the local file system, for a Node service:
 *
 * - every change is one JSON line appended to `outbox.jsonl` and flushed with `fsync` before the call resolves, so
 *   a notification the dispatcher accepted survives a crash or `kill -9`;
 * - on open the log is replayed; a torn last line (the process died mid-write) is dropped and cut off;
 * - when the log has grown well past the live state it is compacted: the live state is written to
 *   `outbox.jsonl.tmp`, flushed, and renamed over the log (atomic on POSIX), then the directory is flushed;
 * - a lock file (`outbox.lock`, holding the owner's pid) keeps a second process from delivering the same entries; a
 *   lock left by a dead process is taken over.
 */

export interface FileOutboxOptions {
  /** Directory for `outbox.jsonl` and `outbox.lock`; created when missing. */
  readonly directory: string;
  /** How long delivered ids are remembered (for de-duplication), ms. Default 7 days. */
  readonly retainDeliveredMs?: number;
  /** Compact when the log holds more than this many records and at least twice the compacted size. Default 10 000. */
  readonly compactAfterRecords?: number;
  /** Flush every write to disk. Default true; false only for tests that do not simulate crashes. */
  readonly fsync?: boolean;
  /** Clock for retention, epoch ms. Default `Date.now`. */
  readonly clock?: () => number;
}

type LogRecord =
  | { readonly op: 'add'; readonly entry: OutboxEntry }
  | { readonly op: 'reschedule'; readonly id: string; readonly attempts: number; readonly nextAttemptAt: number; readonly lastError: string }
  | { readonly op: 'delivered'; readonly id: string; readonly at: number }
  | { readonly op: 'dead'; readonly id: string; readonly at: number; readonly reason: string }
  | { readonly op: 'requeue'; readonly id: string; readonly at: number }
  /** Written by compaction: an id delivered at `at`, remembered for de-duplication (its payload is gone). */
  | { readonly op: 'known'; readonly id: string; readonly at: number };

interface Slot {
  /** Undefined for delivered entries: only the id and time are kept. */
  entry: OutboxEntry | undefined;
  state: OutboxState;
  doneAt: number;
}

const LOG = 'outbox.jsonl';
const LOCK = 'outbox.lock';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function takeLock(directory: string): Promise<string> {
  const path = join(directory, LOCK);
  for (let tries = 0; tries < 3; tries++) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx' });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      // Our own pid means this process already has the outbox open: two dispatchers on one outbox would race too.
      if (Number.isInteger(owner) && owner > 0 && (owner === process.pid || processAlive(owner))) {
        throw new VigilError('UNSUPPORTED', `the outbox in ${directory} is in use by process ${owner}; one process may own an outbox at a time`);
      }
      await rm(path, { force: true }); // stale lock from a process that died
    }
  }
  throw new VigilError('UNSUPPORTED', `could not lock the outbox in ${directory}`);
}

/**
 * Opens (or creates) a file-backed outbox in `options.directory` and replays its log.
 *
 * @example
 * import { openFileOutbox } from '@vigil/adapters/file-outbox';
 * import { createDispatcher, createHttpChannel } from '@vigil/core/notify';
 * const outbox = await openFileOutbox({ directory: '/var/lib/vigil/outbox' });
 * const dispatcher = createDispatcher({ channels: [createHttpChannel({ name: 'slack', url })], outbox });
 * dispatcher.start();
 * // on shutdown: await dispatcher.stop(); await outbox.close();
 */
export async function openFileOutbox(options: FileOutboxOptions): Promise<FileOutbox> {
  if (typeof options !== 'object' || options === null || typeof options.directory !== 'string' || options.directory === '') {
    throw new ValidationError('options.directory', 'a directory path', options?.directory);
  }
  const retain = options.retainDeliveredMs ?? 7 * 86_400_000;
  if (typeof retain !== 'number' || !(retain >= 0)) throw new ValidationError('options.retainDeliveredMs', 'a number >= 0', retain);
  const compactAfter = options.compactAfterRecords ?? 10_000;
  if (!Number.isInteger(compactAfter) || compactAfter < 1) throw new ValidationError('options.compactAfterRecords', 'an integer >= 1', compactAfter);
  await mkdir(options.directory, { recursive: true });
  const lockPath = await takeLock(options.directory);
  try {
    const outbox = new FileOutbox(options.directory, lockPath, retain, compactAfter, options.fsync ?? true, options.clock ?? (() => Date.now()));
    await outbox.load();
    return outbox;
  } catch (error) {
    await rm(lockPath, { force: true });
    throw error;
  }
}

/** The file-backed {@link Outbox}; create it with {@link openFileOutbox}. */
export class FileOutbox implements Outbox {
  private readonly slots = new Map<string, Slot>();
  private handle: FileHandle | undefined;
  private records = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Records dropped on open because the last line was torn by a crash. */
  tornRecordsDropped = 0;

  /** @internal use {@link openFileOutbox}. */
  constructor(
    readonly directory: string,
    private readonly lockPath: string,
    private readonly retainDeliveredMs: number,
    private readonly compactAfterRecords: number,
    private readonly fsync: boolean,
    private readonly clock: () => number,
  ) {}

  private get logPath(): string {
    return join(this.directory, LOG);
  }

  /** @internal Replays the log. */
  async load(): Promise<void> {
    await rm(`${this.logPath}.tmp`, { force: true }); // a compaction that died before its rename
    let text = '';
    try {
      text = await readFile(this.logPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    let good = 0; // length of the prefix made of whole, valid lines
    let start = 0;
    let lineNumber = 0;
    while (start < text.length) {
      const end = text.indexOf('\n', start);
      lineNumber++;
      if (end === -1) {
        // No newline: the process died while writing this record. It was never acknowledged to anyone.
        this.tornRecordsDropped++;
        break;
      }
      const line = text.slice(start, end);
      if (line.trim() !== '') {
        let record: LogRecord;
        try {
          record = JSON.parse(line) as LogRecord;
        } catch (cause) {
          throw new VigilError('INVALID_DATA', `${this.logPath} line ${lineNumber} is not valid JSON; the outbox log is damaged (move the file away to start empty)`, { path: `${LOG}:${lineNumber}`, cause });
        }
        this.apply(record, `${LOG}:${lineNumber}`);
        this.records++;
      }
      start = end + 1;
      good = start;
    }
    this.handle = await open(this.logPath, 'a+');
    if (good !== text.length) {
      // Cut the torn tail off so the next record starts on a fresh line.
      await this.handle.truncate(Buffer.byteLength(text.slice(0, good), 'utf8'));
      if (this.fsync) await this.handle.sync();
    }
    this.pruneDelivered(this.clock());
  }

  private apply(record: LogRecord, path: string): void {
    switch (record?.op) {
      case 'add':
        assertOutboxEntry(record.entry, `${path}.entry`);
        if (!this.slots.has(record.entry.id)) this.slots.set(record.entry.id, { entry: record.entry, state: 'pending', doneAt: 0 });
        return;
      case 'reschedule': {
        const slot = this.slots.get(record.id);
        if (slot?.entry !== undefined && slot.state === 'pending') slot.entry = { ...slot.entry, attempts: record.attempts, nextAttemptAt: record.nextAttemptAt, lastError: record.lastError };
        return;
      }
      case 'known':
        if (typeof record.id !== 'string' || typeof record.at !== 'number') throw new VigilError('INVALID_DATA', `${path}: a "known" record needs an id and a time`, { path });
        this.slots.set(record.id, { entry: undefined, state: 'delivered', doneAt: record.at });
        return;
      case 'delivered': {
        this.slots.set(record.id, { entry: undefined, state: 'delivered', doneAt: record.at });
        return;
      }
      case 'dead': {
        const slot = this.slots.get(record.id);
        if (slot?.entry !== undefined) {
          slot.state = 'dead';
          slot.doneAt = record.at;
          slot.entry = { ...slot.entry, lastError: record.reason };
        }
        return;
      }
      case 'requeue': {
        const slot = this.slots.get(record.id);
        if (slot?.entry !== undefined && slot.state === 'dead') {
          slot.state = 'pending';
          slot.entry = { ...slot.entry, nextAttemptAt: record.at };
        }
        return;
      }
      default:
        throw new VigilError('INVALID_DATA', `${path}: unknown outbox record ${JSON.stringify((record as { op?: unknown } | null)?.op)}`, { path });
    }
  }

  private pruneDelivered(now: number): void {
    for (const [id, slot] of this.slots) if (slot.state === 'delivered' && now - slot.doneAt > this.retainDeliveredMs) this.slots.delete(id);
  }

  /** Runs writes one at a time, in order. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async append(record: LogRecord): Promise<void> {
    if (this.closed || this.handle === undefined) throw new VigilError('UNSUPPORTED', `the outbox in ${this.directory} is closed`);
    await this.handle.appendFile(`${JSON.stringify(record)}\n`, 'utf8');
    if (this.fsync) await this.handle.datasync();
    this.records++;
  }

  /** Writes then applies: memory never runs ahead of the disk. */
  private write(record: LogRecord): Promise<void> {
    return this.serial(async () => {
      await this.append(record);
      this.apply(record, 'write');
      await this.maybeCompact();
    });
  }

  private async maybeCompact(): Promise<void> {
    if (this.records <= this.compactAfterRecords) return;
    // Compaction writes one line per known id plus one per dead entry: worth it once the log is twice that.
    let live = this.slots.size;
    for (const slot of this.slots.values()) if (slot.state === 'dead') live++;
    if (this.records >= 2 * live) await this.compactNow();
  }

  private async compactNow(): Promise<void> {
    this.pruneDelivered(this.clock());
    const lines: string[] = [];
    for (const [id, slot] of this.slots) {
      if (slot.state === 'delivered') {
        lines.push(JSON.stringify({ op: 'known', id, at: slot.doneAt }));
        continue;
      }
      if (slot.entry === undefined) continue;
      lines.push(JSON.stringify({ op: 'add', entry: slot.entry }));
      if (slot.state === 'dead') lines.push(JSON.stringify({ op: 'dead', id, at: slot.doneAt, reason: slot.entry.lastError ?? '' }));
    }
    const tmp = `${this.logPath}.tmp`;
    const out = await open(tmp, 'w');
    try {
      await out.writeFile(lines.length === 0 ? '' : `${lines.join('\n')}\n`, 'utf8');
      if (this.fsync) await out.sync();
    } finally {
      await out.close();
    }
    await this.handle?.close();
    this.handle = undefined;
    await rename(tmp, this.logPath);
    if (this.fsync) {
      // Make the rename itself durable.
      const dir = await open(this.directory, 'r');
      try {
        await dir.sync();
      } catch {
        // some file systems cannot fsync a directory
      } finally {
        await dir.close();
      }
    }
    this.handle = await open(this.logPath, 'a+');
    this.records = lines.length;
  }

  /** Rewrites the log as the live state now (it also happens on its own as the log grows). */
  compact(): Promise<void> {
    return this.serial(() => this.compactNow());
  }

  /** Records in the log file now (for tests and monitoring). */
  get recordCount(): number {
    return this.records;
  }

  add(entry: OutboxEntry): Promise<boolean> {
    assertOutboxEntry(entry);
    return this.serial(async () => {
      this.pruneDelivered(entry.createdAt);
      if (this.slots.has(entry.id)) return false;
      await this.append({ op: 'add', entry });
      this.apply({ op: 'add', entry }, 'write');
      await this.maybeCompact();
      return true;
    });
  }

  state(id: string): Promise<OutboxState | undefined> {
    return Promise.resolve(this.slots.get(id)?.state);
  }

  due(now: number, limit: number): Promise<OutboxEntry[]> {
    const due: OutboxEntry[] = [];
    for (const slot of this.slots.values()) if (slot.state === 'pending' && slot.entry !== undefined && slot.entry.nextAttemptAt <= now) due.push(slot.entry);
    due.sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt);
    return Promise.resolve(due.slice(0, limit));
  }

  nextAttemptAt(): Promise<number | undefined> {
    let next: number | undefined;
    for (const slot of this.slots.values()) if (slot.state === 'pending' && slot.entry !== undefined && (next === undefined || slot.entry.nextAttemptAt < next)) next = slot.entry.nextAttemptAt;
    return Promise.resolve(next);
  }

  reschedule(id: string, attempts: number, nextAttemptAt: number, lastError: string): Promise<void> {
    if (this.slots.get(id)?.state !== 'pending') return Promise.resolve();
    return this.write({ op: 'reschedule', id, attempts, nextAttemptAt, lastError });
  }

  markDelivered(id: string, at: number): Promise<void> {
    if (this.slots.get(id)?.state !== 'pending') return Promise.resolve();
    return this.write({ op: 'delivered', id, at });
  }

  markDead(id: string, at: number, reason: string): Promise<void> {
    if (this.slots.get(id)?.state !== 'pending') return Promise.resolve();
    return this.write({ op: 'dead', id, at, reason });
  }

  async requeue(id: string, at: number): Promise<boolean> {
    if (this.slots.get(id)?.state !== 'dead') return false;
    await this.write({ op: 'requeue', id, at });
    return true;
  }

  list(state: OutboxState = 'pending'): Promise<OutboxEntry[]> {
    const out: OutboxEntry[] = [];
    for (const [id, slot] of this.slots) {
      if (slot.state !== state) continue;
      out.push(slot.entry ?? { id, channel: '-', payload: null, createdAt: slot.doneAt, attempts: 0, nextAttemptAt: slot.doneAt });
    }
    return Promise.resolve(out.sort((a, b) => a.createdAt - b.createdAt));
  }

  /** Flushes pending writes, closes the file and releases the lock. */
  close(): Promise<void> {
    return this.serial(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.handle?.close();
      this.handle = undefined;
      await rm(this.lockPath, { force: true });
    });
  }
}

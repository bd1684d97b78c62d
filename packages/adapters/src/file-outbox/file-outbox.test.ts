import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { VigilError } from '@vigil/core/errors';
import { MemoryOutbox } from '@vigil/core/notify';
import type { OutboxEntry } from '@vigil/core/notify';
import { openFileOutbox } from './file-outbox';

vi.setConfig({ testTimeout: 120_000 });

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-outbox-'));
  dirs.push(dir);
  return dir;
}

const entry = (id: string, at = 1000): OutboxEntry => ({ id, channel: 'hook', payload: { body: `{"id":${JSON.stringify(id)}}` }, createdAt: at, attempts: 0, nextAttemptAt: at });

describe('FileOutbox', () => {
  it('survives close and reopen with every state intact', async () => {
    const directory = await tempDir();
    const a = await openFileOutbox({ directory });
    expect(await a.add(entry('p'))).toBe(true);
    expect(await a.add(entry('d'))).toBe(true);
    expect(await a.add(entry('x'))).toBe(true);
    expect(await a.add(entry('r'))).toBe(true);
    await a.reschedule('p', 2, 5000, 'HTTP 503');
    await a.markDelivered('d', 2000);
    await a.markDead('x', 2000, 'HTTP 400');
    await a.markDead('r', 2000, 'HTTP 400');
    await a.requeue('r', 3000);
    await a.close();
    const b = await openFileOutbox({ directory, clock: () => 2500 });
    expect(await b.state('p')).toBe('pending');
    expect(await b.state('d')).toBe('delivered');
    expect(await b.state('x')).toBe('dead');
    expect(await b.state('r')).toBe('pending');
    expect(await b.add(entry('d'))).toBe(false);
    expect((await b.list('pending')).map((e) => [e.id, e.attempts, e.nextAttemptAt, e.lastError])).toEqual([
      ['p', 2, 5000, 'HTTP 503'],
      ['r', 0, 3000, 'HTTP 400'],
    ]);
    expect(await b.nextAttemptAt()).toBe(3000);
    await b.close();
  });

  it('behaves like MemoryOutbox for any sequence of operations, across reopen and compaction (model test)', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), id: fc.integer({ min: 0, max: 6 }), at: fc.integer({ min: 0, max: 100 }) }),
      fc.record({ kind: fc.constant('reschedule' as const), id: fc.integer({ min: 0, max: 6 }), at: fc.integer({ min: 0, max: 100 }) }),
      fc.record({ kind: fc.constantFrom('delivered' as const, 'dead' as const, 'requeue' as const), id: fc.integer({ min: 0, max: 6 }), at: fc.integer({ min: 0, max: 100 }) }),
      fc.record({ kind: fc.constantFrom('reopen' as const, 'compact' as const), id: fc.constant(0), at: fc.constant(0) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const directory = await tempDir();
        const model = new MemoryOutbox();
        let file = await openFileOutbox({ directory, fsync: false, compactAfterRecords: 5, clock: () => 0 });
        for (const { kind, id, at } of ops) {
          const key = `k${id}`;
          if (kind === 'add') expect(await file.add(entry(key, at))).toBe(await model.add(entry(key, at)));
          else if (kind === 'reschedule') {
            await file.reschedule(key, at % 5, at, `e${at}`);
            await model.reschedule(key, at % 5, at, `e${at}`);
          } else if (kind === 'delivered') {
            await file.markDelivered(key, at);
            await model.markDelivered(key, at);
          } else if (kind === 'dead') {
            await file.markDead(key, at, `dead${at}`);
            await model.markDead(key, at, `dead${at}`);
          } else if (kind === 'requeue') expect(await file.requeue(key, at)).toBe(await model.requeue(key, at));
          else if (kind === 'compact') await file.compact();
          else {
            await file.close();
            file = await openFileOutbox({ directory, fsync: false, compactAfterRecords: 5, clock: () => 0 });
          }
        }
        for (let id = 0; id <= 6; id++) expect(await file.state(`k${id}`)).toBe(await model.state(`k${id}`));
        expect(await file.list('pending')).toEqual(await model.list('pending'));
        expect(await file.list('dead')).toEqual(await model.list('dead'));
        expect(await file.due(50, 100)).toEqual(await model.due(50, 100));
        await file.close();
      }),
      { numRuns: 40 },
    );
  });

  it('drops a torn last line (crash mid-write) and keeps appending on a fresh line', async () => {
    const directory = await tempDir();
    const a = await openFileOutbox({ directory });
    await a.add(entry('one'));
    await a.close();
    await appendFile(join(directory, 'outbox.jsonl'), '{"op":"add","entry":{"id":"tw');
    const b = await openFileOutbox({ directory });
    expect(b.tornRecordsDropped).toBe(1);
    expect(await b.state('one')).toBe('pending');
    await b.add(entry('two'));
    await b.close();
    const c = await openFileOutbox({ directory });
    expect((await c.list()).map((e) => e.id)).toEqual(['one', 'two']);
    await c.close();
  });

  it('refuses a damaged log with a typed error naming the line, and a second owner', async () => {
    const directory = await tempDir();
    await writeFile(join(directory, 'outbox.jsonl'), `${JSON.stringify({ op: 'add', entry: entry('a') })}\nnot json\n`);
    await expect(openFileOutbox({ directory })).rejects.toMatchObject({ code: 'INVALID_DATA', path: 'outbox.jsonl:2' });
    await rm(join(directory, 'outbox.jsonl'));
    const owner = await openFileOutbox({ directory });
    await expect(openFileOutbox({ directory })).rejects.toBeInstanceOf(VigilError);
    await owner.close();
    // A lock left by a dead process is taken over.
    await writeFile(join(directory, 'outbox.lock'), '999999999');
    const next = await openFileOutbox({ directory });
    await next.close();
  });

  it('compacts by rename: the log shrinks to the live state and stays readable', async () => {
    const directory = await tempDir();
    const a = await openFileOutbox({ directory, compactAfterRecords: 50, clock: () => 2000 });
    for (let i = 0; i < 100; i++) {
      await a.add(entry(`k${i}`));
      if (i % 10 !== 0) await a.markDelivered(`k${i}`, 2000);
      else for (let r = 1; r <= 5; r++) await a.reschedule(`k${i}`, r, 1000 + r, 'HTTP 503');
    }
    expect(a.recordCount).toBeLessThan(100 + 90 + 50); // compacted on its own on the way
    await a.compact();
    const lines = (await readFile(join(directory, 'outbox.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(100); // 10 pending entries + 90 delivered ids
    expect(lines.filter((l) => l.includes('"op":"known"'))).toHaveLength(90);
    await a.close();
    const b = await openFileOutbox({ directory, clock: () => 2000 });
    expect((await b.list()).map((e) => [e.id, e.attempts])).toEqual(Array.from({ length: 10 }, (_, i) => [`k${i * 10}`, 5]));
    expect(await b.add(entry('k1'))).toBe(false); // still known as delivered
    await b.close();
    const old = await openFileOutbox({ directory, clock: () => 2000 + 8 * 86_400_000 });
    expect(await old.add(entry('k1', 2000 + 8 * 86_400_000))).toBe(true); // forgotten after the retention window
    await old.close();
  });
});

describe('FileOutbox across a killed process', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const repoRoot = resolve(here, '../../../..');

  function runChild(directory: string, url: string, count: number, script = 'test-child.ts') {
    const args = script === 'test-child.ts' ? [directory, url, String(count)] : [directory, String(count)];
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, script), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
    return { child, exited, output: () => output };
  }

  it('SIGKILL in the middle of a delivery loses nothing and delivers each key exactly once', async () => {
    const directory = await tempDir();
    const COUNT = 8;
    const KILL_ON_REQUEST = 4;
    const answered = new Map<string, number>();
    const received: string[] = [];
    let onKillPoint: (() => void) | undefined;
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on('end', () => {
        const key = String(req.headers['idempotency-key']);
        received.push(key);
        if (received.length === KILL_ON_REQUEST) {
          onKillPoint?.(); // leave this request hanging: the child dies waiting for the answer
          return;
        }
        answered.set(key, (answered.get(key) ?? 0) + 1);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      const killPoint = new Promise<void>((r) => (onKillPoint = r));
      const first = runChild(directory, url, COUNT);
      await Promise.race([killPoint, first.exited.then(() => Promise.reject(new Error(`child exited early:\n${first.output()}`)))]);
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      expect(first.output()).toContain(`enqueued ${COUNT}`);
      expect(answered.size).toBe(KILL_ON_REQUEST - 1);

      const second = runChild(directory, url, COUNT);
      const result = await second.exited;
      expect(result.code, second.output()).toBe(0);
      expect(second.output()).toContain('enqueued 0'); // every key was already in the outbox
      // Every key answered 2xx exactly once: the delivered ones were not sent again, the interrupted one was.
      expect([...answered.keys()].sort()).toEqual(Array.from({ length: COUNT }, (_, i) => `key-${i}`).sort());
      for (const count of answered.values()) expect(count).toBe(1);
      expect(received.filter((k) => k === received[KILL_ON_REQUEST - 1])).toHaveLength(2); // the hung one, sent again
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('SIGKILL while enqueueing and compacting: every acknowledged enqueue survives', async () => {
    const directory = await tempDir();
    const child = runChild(directory, '', 100_000, 'test-child-enqueue.ts');
    await vi.waitFor(() => expect((child.output().match(/acked /g) ?? []).length).toBeGreaterThan(300), { timeout: 60_000, interval: 5 });
    child.child.kill('SIGKILL');
    expect((await child.exited).signal).toBe('SIGKILL');
    const lines = [...child.output().matchAll(/acked (key-\d+) (\d+)\n/g)];
    const acked = lines.map((m) => m[1] as string);
    // The log was compacted on the way (its record count fell at least once).
    const counts = lines.map((m) => Number(m[2]));
    expect(counts.some((c, i) => i > 0 && c < (counts[i - 1] as number))).toBe(true);
    const outbox = await openFileOutbox({ directory });
    const pending = new Set((await outbox.list('pending')).map((e) => e.id));
    for (const key of acked) expect(pending.has(key), key).toBe(true);
    for (const entry of await outbox.list('pending')) if (acked.includes(entry.id)) expect([entry.attempts, entry.lastError]).toEqual([2, 'second']);
    // Nothing that was not enqueued appears, and at most the one write in flight at the kill is beyond the acks.
    expect(pending.size - acked.length).toBeGreaterThanOrEqual(0);
    expect(pending.size - acked.length).toBeLessThanOrEqual(1);
    await outbox.close();
  });
});

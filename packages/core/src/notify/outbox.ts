import { ValidationError } from '../errors';

/** One notification waiting to be delivered (or already delivered / given up on). JSON-serialisable. */
export interface OutboxEntry {
  /** The idempotency key: one delivery per key, ever (within the retention window). */
  readonly id: string;
  /** Name of the channel that delivers it. */
  readonly channel: string;
  /** What the channel sends (JSON-serialisable: a body string, an e-mail, an SMS). */
  readonly payload: unknown;
  readonly createdAt: number;
  /** Attempts made so far. */
  readonly attempts: number;
  /** Earliest time of the next attempt, epoch ms. */
  readonly nextAttemptAt: number;
  readonly lastError?: string;
}

/** Where an entry stands: waiting, delivered, or given up on ("dead", kept so it can be inspected and requeued). */
export type OutboxState = 'pending' | 'delivered' | 'dead';

/**
 * Durable storage for notifications. The dispatcher writes an entry *before* its first attempt and marks it
 * delivered only after the receiver accepted it, so a crash or a channel outage never loses one. Implementations:
 * {@link MemoryOutbox} (core; survives outages, not restarts) and `FileOutbox` (`@vigil/adapters/file-outbox`,
 * survives restarts).
 */
export interface Outbox {
  /** Adds a pending entry. Returns false (and changes nothing) when the id is already known in any state. */
  add(entry: OutboxEntry): Promise<boolean>;
  /** The state of an id, or undefined when unknown (or forgotten after the retention window). */
  state(id: string): Promise<OutboxState | undefined>;
  /** Pending entries with `nextAttemptAt <= now`, earliest first, at most `limit`. */
  due(now: number, limit: number): Promise<OutboxEntry[]>;
  /** Earliest `nextAttemptAt` of the pending entries, or undefined when none is pending. */
  nextAttemptAt(): Promise<number | undefined>;
  /** Records a failed attempt and when to try next. */
  reschedule(id: string, attempts: number, nextAttemptAt: number, lastError: string): Promise<void>;
  /** Marks an entry delivered. Its id stays known for the retention window, so it is never delivered twice. */
  markDelivered(id: string, at: number): Promise<void>;
  /** Marks an entry dead (permanent failure or attempts exhausted); it is kept for inspection and requeue. */
  markDead(id: string, at: number, reason: string): Promise<void>;
  /** Puts a dead entry back to pending, due at `at`. Returns false when the id is not dead. */
  requeue(id: string, at: number): Promise<boolean>;
  /** Entries in the given state (pending by default), oldest first. */
  list(state?: OutboxState): Promise<OutboxEntry[]>;
}

export interface MemoryOutboxOptions {
  /** How long delivered ids are remembered for de-duplication, ms. Default 7 days. */
  readonly retainDeliveredMs?: number;
}

interface Slot {
  entry: OutboxEntry;
  state: OutboxState;
  doneAt: number;
}

/** Checks an entry's fields; throws ValidationError naming the field. */
export function assertOutboxEntry(entry: unknown, path = 'entry'): asserts entry is OutboxEntry {
  if (typeof entry !== 'object' || entry === null) throw new ValidationError(path, 'an outbox entry object', entry);
  const e = entry as Record<string, unknown>;
  if (typeof e.id !== 'string' || e.id === '' || e.id.length > 1024) throw new ValidationError(`${path}.id`, 'a non-empty string of at most 1024 characters', e.id);
  if (typeof e.channel !== 'string' || e.channel === '') throw new ValidationError(`${path}.channel`, 'a non-empty string', e.channel);
  for (const key of ['createdAt', 'nextAttemptAt', 'attempts'] as const) {
    if (typeof e[key] !== 'number' || !Number.isFinite(e[key]) || (e[key] as number) < 0) throw new ValidationError(`${path}.${key}`, 'a finite number >= 0', e[key]);
  }
}

/**
 * An in-memory {@link Outbox}: notifications survive channel outages (they wait and retry), but not a restart of the
 * process. Use `FileOutbox` from `@vigil/adapters/file-outbox` in a Node service.
 *
 * @example
 * const dispatcher = createDispatcher({ channels, outbox: new MemoryOutbox() });
 */
export class MemoryOutbox implements Outbox {
  private readonly slots = new Map<string, Slot>();
  private readonly retainDeliveredMs: number;

  constructor(options: MemoryOutboxOptions = {}) {
    const retain = options.retainDeliveredMs ?? 7 * 86_400_000;
    if (!(typeof retain === 'number' && retain >= 0)) throw new ValidationError('options.retainDeliveredMs', 'a number >= 0', retain);
    this.retainDeliveredMs = retain;
  }

  private prune(now: number): void {
    for (const [id, slot] of this.slots) if (slot.state === 'delivered' && now - slot.doneAt > this.retainDeliveredMs) this.slots.delete(id);
  }

  add(entry: OutboxEntry): Promise<boolean> {
    assertOutboxEntry(entry);
    this.prune(entry.createdAt);
    if (this.slots.has(entry.id)) return Promise.resolve(false);
    this.slots.set(entry.id, { entry: { ...entry }, state: 'pending', doneAt: 0 });
    return Promise.resolve(true);
  }

  state(id: string): Promise<OutboxState | undefined> {
    return Promise.resolve(this.slots.get(id)?.state);
  }

  due(now: number, limit: number): Promise<OutboxEntry[]> {
    const due: OutboxEntry[] = [];
    for (const slot of this.slots.values()) if (slot.state === 'pending' && slot.entry.nextAttemptAt <= now) due.push(slot.entry);
    due.sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt);
    return Promise.resolve(due.slice(0, limit));
  }

  nextAttemptAt(): Promise<number | undefined> {
    let next: number | undefined;
    for (const slot of this.slots.values()) if (slot.state === 'pending' && (next === undefined || slot.entry.nextAttemptAt < next)) next = slot.entry.nextAttemptAt;
    return Promise.resolve(next);
  }

  private pendingSlot(id: string): Slot | undefined {
    const slot = this.slots.get(id);
    return slot?.state === 'pending' ? slot : undefined;
  }

  reschedule(id: string, attempts: number, nextAttemptAt: number, lastError: string): Promise<void> {
    const slot = this.pendingSlot(id);
    if (slot !== undefined) slot.entry = { ...slot.entry, attempts, nextAttemptAt, lastError };
    return Promise.resolve();
  }

  markDelivered(id: string, at: number): Promise<void> {
    const slot = this.pendingSlot(id);
    if (slot !== undefined) {
      slot.state = 'delivered';
      slot.doneAt = at;
    }
    return Promise.resolve();
  }

  markDead(id: string, at: number, reason: string): Promise<void> {
    const slot = this.pendingSlot(id);
    if (slot !== undefined) {
      slot.state = 'dead';
      slot.doneAt = at;
      slot.entry = { ...slot.entry, lastError: reason };
    }
    return Promise.resolve();
  }

  requeue(id: string, at: number): Promise<boolean> {
    const slot = this.slots.get(id);
    if (slot?.state !== 'dead') return Promise.resolve(false);
    slot.state = 'pending';
    slot.entry = { ...slot.entry, nextAttemptAt: at };
    return Promise.resolve(true);
  }

  list(state: OutboxState = 'pending'): Promise<OutboxEntry[]> {
    const out: OutboxEntry[] = [];
    for (const slot of this.slots.values()) if (slot.state === state) out.push(slot.entry);
    return Promise.resolve(out.sort((a, b) => a.createdAt - b.createdAt));
  }
}

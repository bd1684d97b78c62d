import { ValidationError } from '../errors';
import type { DeliveryContext, NotificationChannel } from './channels';
import { DeliveryError } from './delivery-error';
import { MemoryOutbox } from './outbox';
import type { Outbox, OutboxEntry, OutboxState } from './outbox';
import { TokenBucket, fullJitterDelay } from './retry';

/** Timer functions, injectable so tests drive time. Defaults: `globalThis.setTimeout` / `clearTimeout`. */
export interface DispatcherTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RetryPolicy {
  /** First backoff ceiling, ms. Default 1000. */
  readonly baseDelayMs?: number;
  /** Largest backoff ceiling, ms. Default 300 000 (5 minutes). */
  readonly maxDelayMs?: number;
  /** Attempts before an entry is marked dead (kept in the outbox, requeueable). Default 20. */
  readonly maxAttempts?: number;
  /** Longest `Retry-After` honoured, ms (a longer one is clamped). Default 3 600 000. */
  readonly maxRetryAfterMs?: number;
}

export interface DispatcherOptions {
  readonly channels: readonly NotificationChannel[];
  /** Default: a new {@link MemoryOutbox}. */
  readonly outbox?: Outbox;
  /** Per-attempt timeout, ms, unless the channel sets its own. Default 10 000. */
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  /** Attempts in flight at once. Default 4. */
  readonly concurrency?: number;
  /** Entries kept in the in-memory delivery log. Default 1000. */
  readonly logLimit?: number;
  /** Epoch ms. Default `Date.now`. */
  readonly clock?: () => number;
  /** Uniform in [0, 1), for the backoff jitter. Default `Math.random`. */
  readonly random?: () => number;
  readonly timers?: DispatcherTimers;
  /** Called with every log entry as it happens. */
  readonly onEvent?: (event: DeliveryLogEntry) => void;
}

/** What happened to a notification: the delivery log. */
export interface DeliveryLogEntry {
  readonly at: number;
  readonly id: string;
  readonly channel: string;
  readonly event: 'enqueued' | 'duplicate' | 'delivered' | 'retry-scheduled' | 'dead';
  /** The attempt number, for attempt outcomes. */
  readonly attempt?: number;
  readonly status?: number;
  readonly error?: string;
  readonly nextAttemptAt?: number;
  readonly durationMs?: number;
}

export interface EnqueueRequest {
  readonly channel: string;
  /** One delivery per key: enqueueing the same key again is a no-op. Sent to receivers as `Idempotency-Key`. */
  readonly idempotencyKey: string;
  readonly payload: unknown;
}

export interface EnqueueResult {
  /** False when the key was already known (pending, delivered or dead): nothing new was queued. */
  readonly accepted: boolean;
  readonly state: OutboxState;
}

export interface Dispatcher {
  /** Writes the notification to the outbox (durably, for a durable outbox) and wakes the loop. */
  enqueue(request: EnqueueRequest): Promise<EnqueueResult>;
  /** One pass: attempts every due entry whose channel has a token. Resolves with the number of attempts made. */
  processDue(): Promise<number>;
  /**
   * Runs passes until nothing is pending (resolves true) or `timeoutMs` of the dispatcher's clock has passed
   * (resolves false). Sleeps on the injected timers between passes.
   */
  drain(options?: { readonly timeoutMs?: number }): Promise<boolean>;
  /** Starts the background loop. */
  start(): void;
  /**
   * Stops the loop, aborts attempts in flight (they stay pending and are retried later) and waits for them. A stopped
   * dispatcher does not start again: create a new one over the same outbox.
   */
  stop(): Promise<void>;
  /** Puts a dead entry back in the queue. */
  requeue(id: string): Promise<boolean>;
  /** The recent delivery log, oldest first. */
  log(): readonly DeliveryLogEntry[];
  readonly outbox: Outbox;
}

/** While a channel waits for tokens, other channels' entries are looked for at least this often, ms. */
const RATE_LIMIT_POLL_MS = 250;
/** Most due entries read from the outbox per pass. */
const PASS_BATCH = 10_000;

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

/**
 * Creates a dispatcher: notifications go to a durable outbox first, then to their channel, with per-attempt
 * timeouts (AbortSignal), retries with exponential backoff and full jitter (honouring `Retry-After`), one delivery
 * per idempotency key, per-channel token-bucket rate limits and a delivery log. A failing channel only delays its
 * own notifications; nothing is dropped: after `maxAttempts` an entry is marked dead and stays in the outbox.
 *
 * @example
 * const dispatcher = createDispatcher({ channels: [createHttpChannel({ name: 'slack', url })] });
 * dispatcher.start();
 * await dispatcher.enqueue({ channel: 'slack', idempotencyKey: `${group.groupKey}:${group.status}:${at}`, payload: { body: JSON.stringify(buildSlackMessage(group)) } });
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  if (typeof options !== 'object' || options === null || !Array.isArray(options.channels)) throw new ValidationError('options.channels', 'an array of channels', options?.channels);
  const channels = new Map<string, NotificationChannel>();
  const clock = options.clock ?? (() => Date.now());
  options.channels.forEach((channel, i) => {
    if (typeof channel?.name !== 'string' || channel.name === '' || typeof channel.deliver !== 'function') throw new ValidationError(`options.channels[${i}]`, 'a channel with a name and deliver()', channel);
    if (channels.has(channel.name)) throw new ValidationError(`options.channels[${i}].name`, 'a unique channel name', channel.name);
    if (channel.timeoutMs !== undefined && !(Number.isFinite(channel.timeoutMs) && channel.timeoutMs > 0)) throw new ValidationError(`options.channels[${i}].timeoutMs`, 'a number > 0', channel.timeoutMs);
    channels.set(channel.name, channel);
  });
  const buckets = new Map<string, TokenBucket>();
  options.channels.forEach((channel, i) => {
    if (channel.rateLimit === undefined) return;
    try {
      buckets.set(channel.name, new TokenBucket(channel.rateLimit, clock));
    } catch (error) {
      if (error instanceof ValidationError) throw new ValidationError(`options.channels[${i}].${error.path}`, error.expected, channel.rateLimit);
      throw error;
    }
  });
  const positive = (value: number | undefined, fallback: number, path: string, integer = false): number => {
    const v = value ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) throw new ValidationError(path, integer ? 'an integer >= 1' : 'a number > 0', v);
    return v;
  };
  const timeoutMs = positive(options.timeoutMs, 10_000, 'options.timeoutMs');
  const baseDelayMs = positive(options.retry?.baseDelayMs, 1000, 'options.retry.baseDelayMs');
  const maxDelayMs = positive(options.retry?.maxDelayMs, 300_000, 'options.retry.maxDelayMs');
  const maxAttempts = positive(options.retry?.maxAttempts, 20, 'options.retry.maxAttempts', true);
  const maxRetryAfterMs = positive(options.retry?.maxRetryAfterMs, 3_600_000, 'options.retry.maxRetryAfterMs');
  const concurrency = positive(options.concurrency, 4, 'options.concurrency', true);
  const logLimit = positive(options.logLimit, 1000, 'options.logLimit', true);
  const random = options.random ?? Math.random;
  const timers: DispatcherTimers = options.timers ?? {
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  const outbox = options.outbox ?? new MemoryOutbox();

  const entries: DeliveryLogEntry[] = [];
  const record = (event: DeliveryLogEntry) => {
    entries.push(event);
    if (entries.length > logLimit) entries.splice(0, entries.length - logLimit);
    options.onEvent?.(event);
  };

  const inFlight = new Map<string, Promise<void>>();
  const stopController = new AbortController();
  let running = false;
  let loopTimer: unknown;
  let passing: Promise<number> | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      timers.setTimeout(resolve, Math.max(0, ms));
    });

  /** One attempt of one entry. Never rejects. */
  const attempt = async (entry: OutboxEntry, channel: NotificationChannel): Promise<void> => {
    const number = entry.attempts + 1;
    const started = clock();
    const controller = new AbortController();
    const onStop = () => controller.abort(stopController.signal.reason);
    stopController.signal.addEventListener('abort', onStop, { once: true });
    const limit = channel.timeoutMs ?? timeoutMs;
    let timeoutHandle: unknown;
    // Race the channel against the timeout, so a transport that ignores its signal cannot hang the dispatcher.
    const timedOut = new Promise<never>((_, reject) => {
      timeoutHandle = timers.setTimeout(() => {
        controller.abort(new Error('timeout'));
        reject(new DeliveryError('SOURCE_TIMEOUT', `${channel.name}: no answer within ${limit} ms`, { retryable: true }));
      }, limit);
    });
    timedOut.catch(() => undefined);
    const context: DeliveryContext = { idempotencyKey: entry.id, attempt: number, signal: controller.signal, now: started };
    try {
      await Promise.race([channel.deliver(entry.payload, context), timedOut]);
      const at = clock();
      await outbox.markDelivered(entry.id, at);
      record({ at, id: entry.id, channel: channel.name, event: 'delivered', attempt: number, durationMs: at - started });
    } catch (error) {
      const at = clock();
      const stopped = stopController.signal.aborted;
      const failure = error instanceof DeliveryError ? error : undefined;
      const retryable = stopped || failure === undefined || failure.retryable;
      const status = failure?.status;
      const message = stopped ? 'dispatcher stopped during the attempt' : errorText(error);
      if (!retryable || number >= maxAttempts) {
        const reason = !retryable ? message : `gave up after ${number} attempts: ${message}`;
        await outbox.markDead(entry.id, at, reason);
        record({ at, id: entry.id, channel: channel.name, event: 'dead', attempt: number, error: reason, ...(status === undefined ? {} : { status }), durationMs: at - started });
        return;
      }
      const retryAfter = failure?.retryAfterMs;
      const delay = retryAfter !== undefined ? Math.min(retryAfter, maxRetryAfterMs) : fullJitterDelay(number, { baseDelayMs, maxDelayMs }, random);
      const nextAttemptAt = at + delay;
      // An attempt cut short by stop() does not count: the entry is simply pending for the next run.
      await outbox.reschedule(entry.id, stopped ? entry.attempts : number, stopped ? at : nextAttemptAt, message);
      record({ at, id: entry.id, channel: channel.name, event: 'retry-scheduled', attempt: number, error: message, nextAttemptAt: stopped ? at : nextAttemptAt, ...(status === undefined ? {} : { status }), durationMs: at - started });
    } finally {
      timers.clearTimeout(timeoutHandle);
      stopController.signal.removeEventListener('abort', onStop);
    }
  };

  /** Earliest time something may be attempted (a due entry whose channel was out of tokens counts too). */
  let rateLimitedUntil: number | undefined;

  const pass = async (): Promise<number> => {
    const now = clock();
    rateLimitedUntil = undefined;
    const due = await outbox.due(now, PASS_BATCH);
    let attempts = 0;
    const active = new Set<Promise<void>>();
    for (const entry of due) {
      if (stopController.signal.aborted) break;
      if (inFlight.has(entry.id)) continue;
      const channel = channels.get(entry.channel);
      if (channel === undefined) {
        const reason = `no channel named "${entry.channel}"`;
        await outbox.markDead(entry.id, now, reason);
        record({ at: now, id: entry.id, channel: entry.channel, event: 'dead', error: reason });
        continue;
      }
      const bucket = buckets.get(channel.name);
      if (bucket !== undefined && !bucket.take()) {
        const wake = clock() + bucket.waitMs();
        rateLimitedUntil = rateLimitedUntil === undefined ? wake : Math.min(rateLimitedUntil, wake);
        continue;
      }
      while (active.size >= concurrency) await Promise.race(active);
      const job = attempt(entry, channel).finally(() => {
        inFlight.delete(entry.id);
        active.delete(job);
      });
      inFlight.set(entry.id, job);
      active.add(job);
      attempts++;
    }
    await Promise.all(active);
    return attempts;
  };

  const processDue = (): Promise<number> => {
    // Passes never overlap: a second caller waits for the running pass, then runs its own.
    const previous = passing ?? Promise.resolve(0);
    const next = previous.catch(() => 0).then(pass);
    passing = next;
    void next.finally(() => {
      if (passing === next) passing = undefined;
    });
    return next;
  };

  /** Milliseconds until the next pass is useful, or undefined when nothing is pending. */
  const nextWakeIn = async (): Promise<number | undefined> => {
    const next = await outbox.nextAttemptAt();
    if (next === undefined) return undefined;
    const now = clock();
    if (rateLimitedUntil === undefined || next > now) return Math.max(0, next - now);
    // The earliest due entry waits for a token. Entries of other channels may fall due before that token arrives,
    // and the outbox only reports the earliest entry, so look again at least every RATE_LIMIT_POLL_MS.
    return Math.max(0, Math.min(rateLimitedUntil - now, RATE_LIMIT_POLL_MS));
  };

  const schedule = (ms: number) => {
    if (!running) return;
    if (loopTimer !== undefined) timers.clearTimeout(loopTimer);
    loopTimer = timers.setTimeout(() => {
      loopTimer = undefined;
      void tick();
    }, ms);
  };

  const tick = async () => {
    if (!running) return;
    try {
      await processDue();
    } catch {
      // An outbox failure (disk full, say): try again shortly rather than stop delivering.
      schedule(1000);
      return;
    }
    const wait = await nextWakeIn().catch(() => 1000);
    // Idle: poll now and then anyway, in case another process shares the outbox.
    schedule(Math.min(wait ?? 5000, 5000));
  };

  return {
    outbox,
    async enqueue(request) {
      if (typeof request !== 'object' || request === null) throw new ValidationError('request', 'an object { channel, idempotencyKey, payload }', request);
      if (typeof request.channel !== 'string' || !channels.has(request.channel)) throw new ValidationError('request.channel', `one of the channels (${[...channels.keys()].join(', ')})`, request.channel);
      if (typeof request.idempotencyKey !== 'string' || request.idempotencyKey === '' || request.idempotencyKey.length > 1024 || /[\r\n]/.test(request.idempotencyKey)) {
        throw new ValidationError('request.idempotencyKey', 'a non-empty single-line string of at most 1024 characters', request.idempotencyKey);
      }
      if (request.payload === undefined) throw new ValidationError('request.payload', 'a JSON-serialisable payload', request.payload);
      const now = clock();
      const accepted = await outbox.add({ id: request.idempotencyKey, channel: request.channel, payload: request.payload, createdAt: now, attempts: 0, nextAttemptAt: now });
      record({ at: now, id: request.idempotencyKey, channel: request.channel, event: accepted ? 'enqueued' : 'duplicate' });
      if (accepted) schedule(0);
      return { accepted, state: accepted ? 'pending' : ((await outbox.state(request.idempotencyKey)) ?? 'delivered') };
    },
    processDue,
    async drain(drainOptions = {}) {
      const limit = drainOptions.timeoutMs ?? Number.POSITIVE_INFINITY;
      const deadline = clock() + limit;
      for (;;) {
        await processDue();
        const wait = await nextWakeIn();
        if (wait === undefined && inFlight.size === 0) return true;
        const now = clock();
        if (now >= deadline) return false;
        await sleep(Math.min(wait ?? 0, deadline - now));
      }
    },
    start() {
      if (running || stopController.signal.aborted) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      if (loopTimer !== undefined) timers.clearTimeout(loopTimer);
      loopTimer = undefined;
      stopController.abort(new Error('dispatcher stopped'));
      await Promise.allSettled([...inFlight.values()]);
      await passing?.catch(() => 0);
    },
    requeue(id) {
      return outbox.requeue(id, clock()).then((ok) => {
        if (ok) schedule(0);
        return ok;
      });
    },
    log: () => entries.slice(),
  };
}

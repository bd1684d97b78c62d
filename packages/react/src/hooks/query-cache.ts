import { ValidationError } from '@vigil/core';

/** Where a query is: never run, first load, has data, or failed. */
export type QueryStatus = 'idle' | 'loading' | 'success' | 'error';

/** An immutable snapshot of one cache entry; a new object on every change. */
export interface QueryState<T> {
  readonly status: QueryStatus;
  /** The last successful data, kept through refetches and errors (stale-while-revalidate). */
  readonly data: T | undefined;
  /** The last error; cleared by the next success. */
  readonly error: unknown;
  /** Warnings of the last successful result (partial data, truncation, ...). */
  readonly warnings: readonly string[];
  /** A request is in flight (first load or background refresh). */
  readonly isFetching: boolean;
  /** When `data` arrived (cache clock, ms); 0 if never. */
  readonly updatedAt: number;
}

/** Loads one entry. Must honour the signal: the cache aborts it when nobody listens any more. */
export type QueryFetcher<T> = (signal: AbortSignal) => Promise<{ readonly data: T; readonly warnings?: readonly string[] }>;

export interface QueryCacheOptions {
  /** How long an entry nobody listens to is kept, in ms. Default 5 minutes; `Infinity` keeps everything. */
  readonly gcTimeMs?: number;
  /** The clock, for tests. Default `Date.now`. */
  readonly now?: () => number;
}

export interface FetchOptions {
  /** Data younger than this is fresh: no request. Default 0 (always revalidate). */
  readonly staleTimeMs?: number;
  /** Abort any request in flight and start a new one, even when fresh. */
  readonly force?: boolean;
}

type Listener = () => void;

interface Entry {
  state: QueryState<unknown>;
  readonly listeners: Set<Listener>;
  controller: AbortController | undefined;
  promise: Promise<QueryState<unknown>> | undefined;
  gcTimer: ReturnType<typeof setTimeout> | undefined;
  abortScheduled: boolean;
}

/** The state of a key nobody has fetched. Shared and frozen, so snapshots stay referentially stable. */
export const IDLE_STATE: QueryState<never> = Object.freeze({
  status: 'idle',
  data: undefined,
  error: undefined,
  warnings: Object.freeze([]) as readonly string[],
  isFetching: false,
  updatedAt: 0,
});

/**
 * A small framework-free query cache: entries keyed by string, each with an immutable state snapshot, listeners,
 * de-duplicated in-flight requests with one AbortController each, staleness, and garbage collection of entries
 * nobody listens to. When the last listener of an entry leaves while its request is in flight, the request is
 * aborted (after a microtask, so an immediate re-subscribe, as React StrictMode does, keeps it alive).
 *
 * The React hooks (`useSeries`, ...) bind to it with `useSyncExternalStore`; it is usable without React too.
 *
 * @example
 * const cache = new QueryCache();
 * const unsubscribe = cache.subscribe('cpu', () => render(cache.getState('cpu')));
 * await cache.fetch('cpu', (signal) => source.queryRange(request, { signal }), { staleTimeMs: 10_000 });
 * unsubscribe();
 */
export class QueryCache {
  private readonly entries = new Map<string, Entry>();
  private readonly gcTimeMs: number;
  private readonly now: () => number;

  constructor(options: QueryCacheOptions = {}) {
    const gcTimeMs = options.gcTimeMs ?? 5 * 60_000;
    if (typeof gcTimeMs !== 'number' || Number.isNaN(gcTimeMs) || gcTimeMs < 0) throw new ValidationError('options.gcTimeMs', 'a number of ms >= 0 (or Infinity)', gcTimeMs);
    this.gcTimeMs = gcTimeMs;
    this.now = options.now ?? Date.now;
  }

  /** Number of entries held. */
  get size(): number {
    return this.entries.size;
  }

  /** Whether an entry exists for the key. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The current snapshot of a key (`IDLE_STATE` when unknown). Does not create an entry. */
  getState<T>(key: string): QueryState<T> {
    return (this.entries.get(key)?.state ?? IDLE_STATE) as QueryState<T>;
  }

  /**
   * Listens to changes of one key. Returns the function that stops listening. When the last listener leaves, an
   * in-flight request is aborted and the entry is collected after `gcTimeMs`.
   */
  subscribe(key: string, listener: Listener): () => void {
    const entry = this.entry(key);
    entry.listeners.add(listener);
    this.cancelGc(entry);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      entry.listeners.delete(listener);
      if (entry.listeners.size === 0) this.onUnobserved(key, entry);
    };
  }

  /** True when the key has no data, or data older than `staleTimeMs`. */
  isStale(key: string, staleTimeMs = 0): boolean {
    const state = this.getState(key);
    if (state.status !== 'success' && state.data === undefined) return true;
    return this.now() - state.updatedAt >= staleTimeMs;
  }

  /**
   * Loads a key unless it is fresh. Concurrent calls share one request. Never rejects: resolves with the entry's
   * state once the request settles (an aborted request resolves with the state from before it started).
   */
  fetch<T>(key: string, fetcher: QueryFetcher<T>, options: FetchOptions = {}): Promise<QueryState<T>> {
    if (typeof fetcher !== 'function') throw new ValidationError('fetcher', 'a function (signal) => Promise<{ data, warnings }>', fetcher);
    const entry = this.entry(key);
    const force = options.force ?? false;
    if (entry.promise && !force) return entry.promise as Promise<QueryState<T>>;
    if (!force && !this.isStale(key, options.staleTimeMs ?? 0)) return Promise.resolve(entry.state as QueryState<T>);
    entry.controller?.abort();

    const controller = new AbortController();
    const before = entry.state;
    entry.controller = controller;
    this.cancelGc(entry);
    this.set(entry, { ...before, status: before.data === undefined && before.status !== 'error' ? 'loading' : before.status, isFetching: true });

    const current = () => entry.controller === controller;
    const promise: Promise<QueryState<unknown>> = (async () => {
      try {
        const result = await fetcher(controller.signal);
        if (current() && !controller.signal.aborted) {
          this.set(entry, { status: 'success', data: result.data, error: undefined, warnings: result.warnings ?? [], isFetching: false, updatedAt: this.now() });
        }
      } catch (error) {
        if (current()) {
          if (controller.signal.aborted) {
            // Cancelled, not failed: back to what we had.
            this.set(entry, { ...before, isFetching: false });
          } else {
            this.set(entry, { ...entry.state, status: 'error', error, isFetching: false });
          }
        }
      } finally {
        if (current()) {
          entry.controller = undefined;
          entry.promise = undefined;
          if (entry.listeners.size === 0) this.scheduleGc(key, entry);
        }
      }
      return entry.state;
    })();
    entry.promise = promise;
    return promise as Promise<QueryState<T>>;
  }

  /** Aborts the key's request in flight, if any. */
  cancel(key: string): void {
    this.entries.get(key)?.controller?.abort();
  }

  /** Marks matching entries stale (all when no predicate) so the next `fetch` reloads them; listeners are told. */
  invalidate(predicate: (key: string) => boolean = () => true): void {
    for (const [key, entry] of this.entries) {
      if (predicate(key) && entry.state.updatedAt !== 0) this.set(entry, { ...entry.state, updatedAt: 0 });
    }
  }

  /** Aborts everything and forgets every entry. */
  clear(): void {
    for (const entry of this.entries.values()) {
      entry.controller?.abort();
      this.cancelGc(entry);
    }
    this.entries.clear();
  }

  private entry(key: string): Entry {
    if (typeof key !== 'string') throw new ValidationError('key', 'a string', key);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { state: IDLE_STATE, listeners: new Set(), controller: undefined, promise: undefined, gcTimer: undefined, abortScheduled: false };
      this.entries.set(key, entry);
      this.scheduleGc(key, entry);
    }
    return entry;
  }

  private set(entry: Entry, state: QueryState<unknown>): void {
    entry.state = state;
    for (const listener of [...entry.listeners]) listener();
  }

  private onUnobserved(key: string, entry: Entry): void {
    if (entry.controller && !entry.abortScheduled) {
      entry.abortScheduled = true;
      queueMicrotask(() => {
        entry.abortScheduled = false;
        if (entry.listeners.size === 0) entry.controller?.abort();
      });
    }
    this.scheduleGc(key, entry);
  }

  private scheduleGc(key: string, entry: Entry): void {
    this.cancelGc(entry);
    if (this.gcTimeMs === Infinity) return;
    const timer = setTimeout(() => {
      if (entry.listeners.size === 0 && !entry.controller && this.entries.get(key) === entry) this.entries.delete(key);
    }, this.gcTimeMs);
    // Never keep a Node process (SSR, tests) alive for a cache timer.
    (timer as { unref?: () => void }).unref?.();
    entry.gcTimer = timer;
  }

  private cancelGc(entry: Entry): void {
    if (entry.gcTimer !== undefined) clearTimeout(entry.gcTimer);
    entry.gcTimer = undefined;
  }
}

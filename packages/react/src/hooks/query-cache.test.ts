import { afterEach, describe, expect, it, vi } from 'vitest';
import { QueryCache, IDLE_STATE } from './query-cache';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  vi.useRealTimers();
});

describe('QueryCache', () => {
  it('loads, notifies listeners and keeps immutable snapshots', async () => {
    const cache = new QueryCache();
    const seen: string[] = [];
    cache.subscribe('k', () => seen.push(cache.getState('k').status));
    const first = cache.getState('k');
    expect(first).toBe(IDLE_STATE);
    const state = await cache.fetch('k', async () => ({ data: 42, warnings: ['partial'] }));
    expect(state).toMatchObject({ status: 'success', data: 42, warnings: ['partial'], isFetching: false });
    expect(seen).toEqual(['loading', 'success']);
    expect(cache.getState('k')).toBe(cache.getState('k'));
  });

  it('de-duplicates concurrent requests for one key', async () => {
    const cache = new QueryCache();
    const fetcher = vi.fn(async () => ({ data: 'x' }));
    const a = cache.fetch('k', fetcher);
    const b = cache.fetch('k', fetcher);
    expect(a).toBe(b);
    await a;
    expect(fetcher).toHaveBeenCalledTimes(1);
  });

  it('fresh data is not refetched until staleTime passes', async () => {
    let now = 1000;
    const cache = new QueryCache({ now: () => now });
    const fetcher = vi.fn(async () => ({ data: now }));
    await cache.fetch('k', fetcher, { staleTimeMs: 500 });
    await cache.fetch('k', fetcher, { staleTimeMs: 500 });
    expect(fetcher).toHaveBeenCalledTimes(1);
    now = 1600;
    await cache.fetch('k', fetcher, { staleTimeMs: 500 });
    expect(fetcher).toHaveBeenCalledTimes(2);
    expect(cache.getState('k').data).toBe(1600);
  });

  it('stale-while-revalidate: old data stays while refreshing, and through an error', async () => {
    const cache = new QueryCache();
    await cache.fetch('k', async () => ({ data: 'old' }));
    const pending = deferred<{ data: string }>();
    const refresh = cache.fetch('k', () => pending.promise);
    expect(cache.getState('k')).toMatchObject({ status: 'success', data: 'old', isFetching: true });
    pending.reject(new Error('down'));
    await refresh;
    expect(cache.getState('k')).toMatchObject({ status: 'error', data: 'old', isFetching: false });
    expect((cache.getState('k').error as Error).message).toBe('down');
    await cache.fetch('k', async () => ({ data: 'new' }));
    expect(cache.getState('k')).toMatchObject({ status: 'success', data: 'new', error: undefined });
  });

  it('aborts the request when the last listener leaves, and restores the previous state', async () => {
    const cache = new QueryCache();
    let signal: AbortSignal | undefined;
    const unsubscribe = cache.subscribe('k', () => {});
    const done = cache.fetch('k', (s) => {
      signal = s;
      return new Promise((_, reject) => s.addEventListener('abort', () => reject(new Error('aborted'))));
    });
    expect(cache.getState('k').status).toBe('loading');
    unsubscribe();
    expect(signal?.aborted).toBe(false); // not yet: a re-subscribe in the same task would keep it
    await Promise.resolve();
    expect(signal?.aborted).toBe(true);
    const state = await done;
    expect(state).toMatchObject({ status: 'idle', isFetching: false, error: undefined });
  });

  it('does not abort when someone re-subscribes in the same task', async () => {
    const cache = new QueryCache();
    let signal: AbortSignal | undefined;
    const pending = deferred<{ data: number }>();
    const first = cache.subscribe('k', () => {});
    void cache.fetch('k', (s) => {
      signal = s;
      return pending.promise;
    });
    first();
    cache.subscribe('k', () => {});
    await tick();
    expect(signal?.aborted).toBe(false);
    pending.resolve({ data: 1 });
    await tick();
    expect(cache.getState('k').data).toBe(1);
  });

  it('force aborts the request in flight; a late answer of the old request is ignored', async () => {
    const cache = new QueryCache();
    const old = deferred<{ data: string }>();
    let oldSignal: AbortSignal | undefined;
    void cache.fetch('k', (s) => {
      oldSignal = s;
      return old.promise;
    });
    const fresh = cache.fetch('k', async () => ({ data: 'fresh' }), { force: true });
    expect(oldSignal?.aborted).toBe(true);
    await fresh;
    old.resolve({ data: 'stale' });
    await tick();
    expect(cache.getState('k').data).toBe('fresh');
  });

  it('collects entries nobody listens to after gcTime', async () => {
    vi.useFakeTimers();
    const cache = new QueryCache({ gcTimeMs: 1000 });
    const unsubscribe = cache.subscribe('k', () => {});
    await cache.fetch('k', async () => ({ data: 1 }));
    vi.advanceTimersByTime(5000);
    expect(cache.has('k')).toBe(true);
    unsubscribe();
    vi.advanceTimersByTime(999);
    expect(cache.has('k')).toBe(true);
    vi.advanceTimersByTime(1);
    expect(cache.has('k')).toBe(false);
    expect(cache.getState('k')).toBe(IDLE_STATE);
  });

  it('a listener arriving before collection keeps the entry', () => {
    vi.useFakeTimers();
    const cache = new QueryCache({ gcTimeMs: 1000 });
    cache.subscribe('k', () => {})();
    vi.advanceTimersByTime(500);
    cache.subscribe('k', () => {});
    vi.advanceTimersByTime(5000);
    expect(cache.has('k')).toBe(true);
  });

  it('invalidate marks entries stale and clear forgets them', async () => {
    const cache = new QueryCache();
    const fetcher = vi.fn(async () => ({ data: 1 }));
    await cache.fetch('a', fetcher, { staleTimeMs: 60_000 });
    await cache.fetch('b', fetcher, { staleTimeMs: 60_000 });
    cache.invalidate((key) => key === 'a');
    expect(cache.isStale('a', 60_000)).toBe(true);
    expect(cache.isStale('b', 60_000)).toBe(false);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('validates its inputs', () => {
    expect(() => new QueryCache({ gcTimeMs: -1 })).toThrow(/gcTimeMs/);
    expect(() => new QueryCache().fetch('k', 'nope' as never)).toThrow(/fetcher/);
  });
});

import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import { IDLE_STATE, type QueryCache, type QueryFetcher, type QueryState, type QueryStatus } from './query-cache';

export interface QueryHookOptions {
  /** Default true. When false, nothing is fetched (the last state still shows). */
  readonly enabled?: boolean | undefined;
  /** Data younger than this is not refetched on mount or key change. Default 0. */
  readonly staleTimeMs?: number | undefined;
  /** While a new key loads, keep showing the previous key's data (`isPreviousData: true`). */
  readonly keepPreviousData?: boolean | undefined;
}

/** What the data hooks return. */
export interface QueryResultState<T> {
  readonly status: QueryStatus;
  readonly data: T | undefined;
  readonly error: unknown;
  readonly warnings: readonly string[];
  /** A request is in flight (first load or a background refresh). */
  readonly isFetching: boolean;
  /** `data` belongs to the previous request (with `keepPreviousData`). */
  readonly isPreviousData: boolean;
  /** Refetches now, aborting any request in flight. */
  readonly refetch: () => Promise<void>;
}

const noop = () => {};
const noSubscription = () => noop;
const idleSnapshot = () => IDLE_STATE;

/**
 * Binds one cache key to a component: subscribes with useSyncExternalStore, fetches when the key is stale, and lets
 * the cache abort the request when the last component leaves. `key` null means "nothing to fetch"; `override`
 * replaces the state (for invalid input or unsupported capabilities).
 */
export function useCacheQuery<T>(
  cache: QueryCache,
  key: string | null,
  fetcher: QueryFetcher<T>,
  options: QueryHookOptions,
  override?: { readonly error: unknown },
): QueryResultState<T> {
  const { enabled = true, staleTimeMs = 0, keepPreviousData = false } = options;
  const subscribe = useCallback((listener: () => void) => (key === null ? noop : cache.subscribe(key, listener)), [cache, key]);
  const getSnapshot = useCallback(() => (key === null ? IDLE_STATE : cache.getState<T>(key)), [cache, key]);
  const state = useSyncExternalStore(key === null ? noSubscription : subscribe, key === null ? idleSnapshot : getSnapshot, key === null ? idleSnapshot : getSnapshot);

  const latestFetcher = useRef(fetcher);
  useEffect(() => {
    latestFetcher.current = fetcher;
  });

  useEffect(() => {
    if (key === null || !enabled) return;
    if (cache.isStale(key, staleTimeMs)) void cache.fetch(key, (signal) => latestFetcher.current(signal), { staleTimeMs });
  }, [cache, key, enabled, staleTimeMs]);

  const refetch = useCallback(async () => {
    if (key === null) return;
    await cache.fetch(key, (signal) => latestFetcher.current(signal), { force: true });
  }, [cache, key]);

  const previous = useRef<QueryState<T> | undefined>(undefined);
  useEffect(() => {
    if (state.data !== undefined) previous.current = state;
  }, [state]);

  if (override) {
    return { status: 'error', data: undefined, error: override.error, warnings: [], isFetching: false, isPreviousData: false, refetch };
  }
  const held = previous.current;
  if (keepPreviousData && state.data === undefined && state.status !== 'error' && held !== undefined) {
    return { status: 'success', data: held.data, error: undefined, warnings: held.warnings, isFetching: state.isFetching || (enabled && state.status !== 'success'), isPreviousData: true, refetch };
  }
  // Between the first render and the effect that starts the request, report the load that is about to begin.
  if (state.status === 'idle' && enabled && key !== null) {
    return { status: 'loading', data: undefined, error: undefined, warnings: state.warnings, isFetching: true, isPreviousData: false, refetch };
  }
  return { status: state.status, data: state.data, error: state.error, warnings: state.warnings, isFetching: state.isFetching, isPreviousData: false, refetch };
}

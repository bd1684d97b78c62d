import { useEffect, useState } from 'react';
import type { DataSource, MetricMetadata } from '@vigil/core';
import { useSourceContext, useQueryCache } from '../hooks/VigilSourceProvider';
import { useCacheQuery, type QueryResultState } from '../hooks/useQuery';
import type { QueryFetcher } from '../hooks/query-cache';

const NONE: never[] = [];

/**
 * The source's metric list (`listMetrics`), cached like the other hooks. A source without metadata gives an empty
 * list with status `success`, so a picker can fall back to a free query field.
 *
 * @example
 * const { data: metrics = [] } = useMetricCatalog();
 */
export function useMetricCatalog(source?: DataSource): QueryResultState<MetricMetadata[]> {
  const context = useSourceContext();
  const active = source ?? context?.source;
  const cache = useQueryCache();
  const supported = active !== undefined && typeof active.listMetrics === 'function';
  const key = supported ? JSON.stringify(['metrics', active.id]) : null;
  const fetcher: QueryFetcher<MetricMetadata[]> = async (signal) => {
    const list = (await active?.listMetrics?.({ signal })) ?? [];
    return { data: list, warnings: [] };
  };
  const state = useCacheQuery(cache, key, fetcher, { staleTimeMs: 5 * 60_000 });
  if (!supported) return { ...state, status: 'success', data: NONE, error: undefined, isFetching: false };
  return state;
}

/**
 * Values of one label (`labelValues`), restricted to series of `metric` when given; empty when the source has no
 * metadata or no label is chosen.
 *
 * @example
 * const { data: services = [] } = useLabelValues('service', 'http_requests_total');
 */
export function useLabelValues(label: string, metric: string | undefined, source?: DataSource): QueryResultState<string[]> {
  const context = useSourceContext();
  const active = source ?? context?.source;
  const cache = useQueryCache();
  const supported = active !== undefined && typeof active.labelValues === 'function' && label !== '';
  const match = metric === undefined || metric === '' ? undefined : [metric];
  const key = supported ? JSON.stringify(['label-values', active.id, label, match ?? null]) : null;
  const fetcher: QueryFetcher<string[]> = async (signal) => {
    const values = (await active?.labelValues?.(label, match ? { match } : {}, { signal })) ?? [];
    return { data: values, warnings: [] };
  };
  const state = useCacheQuery(cache, key, fetcher, { staleTimeMs: 5 * 60_000 });
  if (!supported) return { ...state, status: 'success', data: NONE, error: undefined, isFetching: false };
  return state;
}

/** `value`, updated only after it has stopped changing for `delayMs` (so typing a query does not query each key). */
export function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (Object.is(value, settled)) return undefined;
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, settled, delayMs]);
  return settled;
}

import { useMemo } from 'react';
import {
  SourceError,
  ValidationError,
  type DataSource,
  type EventQuery,
  type InstantQuery,
  type InstantSample,
  type RangeQuery,
  type Series,
  type SourceEvent,
} from '@vigil/core';
import { useSourceContext, useQueryCache } from './VigilSourceProvider';
import { useCacheQuery, type QueryHookOptions, type QueryResultState } from './useQuery';
import type { QueryFetcher } from './query-cache';

export interface SourceHookOptions extends QueryHookOptions {
  /** Query this source instead of the provider's. */
  readonly source?: DataSource | undefined;
}

/** `useSeries` result: `data` is the list of series. */
export type SeriesQueryState = QueryResultState<Series[]>;

function useSource(options: SourceHookOptions): DataSource | undefined {
  const context = useSourceContext();
  return options.source ?? context?.source;
}

function missingSource(): SourceError {
  return new SourceError('UNSUPPORTED', 'No data source: wrap the component in <VigilSourceProvider source={...}> or pass options.source');
}

function checkRange(range: unknown, path: string): ValidationError | undefined {
  if (range === null || typeof range !== 'object') return new ValidationError(path, 'a time range { start, end } in epoch ms', range);
  const { start, end } = range as { start: unknown; end: unknown };
  if (typeof start !== 'number' || !Number.isFinite(start)) return new ValidationError(`${path}.start`, 'a finite number (epoch ms)', start);
  if (typeof end !== 'number' || !Number.isFinite(end)) return new ValidationError(`${path}.end`, 'a finite number (epoch ms)', end);
  if (end < start) return new ValidationError(`${path}.end`, `a time at or after start (${start})`, end);
  return undefined;
}

function checkQuery(query: unknown, path: string): ValidationError | undefined {
  return typeof query === 'string' && query.trim() !== '' ? undefined : new ValidationError(path, 'a non-empty query string', query);
}

/**
 * Series over a time range from the data source, cached by (source id, query, range, step), de-duplicated across
 * components, stale-while-revalidate, and aborted when the last component using it unmounts. Invalid input or a
 * source without metrics gives `status: 'error'` (nothing is thrown into the host's tree).
 *
 * @example
 * const range = useLiveRange(60 * 60_000);
 * const { status, data, error } = useSeries({ query: 'sum(rate(http_requests_total[5m]))', range, stepMs: 60_000 });
 * return <TimeSeriesChart series={data ?? []} loading={status === 'loading'} error={error} />;
 */
export function useSeries(request: RangeQuery, options: SourceHookOptions = {}): SeriesQueryState {
  const source = useSource(options);
  const cache = useQueryCache();
  const { query, range, stepMs } = request ?? ({} as RangeQuery);
  const start = range?.start;
  const end = range?.end;
  const problem = useMemo(() => {
    if (!source) return missingSource();
    if (!source.capabilities.metrics) return new SourceError('UNSUPPORTED', `Source "${source.id}" has no metrics`);
    const rangeProblem = checkQuery(query, 'query') ?? checkRange({ start, end }, 'range');
    if (rangeProblem) return rangeProblem;
    if (typeof stepMs !== 'number' || !Number.isFinite(stepMs) || stepMs <= 0) return new ValidationError('stepMs', 'a number of ms > 0', stepMs);
    return undefined;
  }, [source, query, start, end, stepMs]);
  const key = problem || !source ? null : JSON.stringify(['range', source.id, query, start, end, stepMs]);
  const fetcher: QueryFetcher<Series[]> = (signal) => {
    if (!source) return Promise.reject(missingSource());
    return source.queryRange({ query, range: { start: start as number, end: end as number }, stepMs }, { signal });
  };
  return useCacheQuery(cache, key, fetcher, options, problem ? { error: problem } : undefined);
}

/**
 * One sample per series at one instant (a gauge, a KPI), with the same caching and cancellation as `useSeries`.
 *
 * @example
 * const { data } = useInstantQuery({ query: 'up', time: range.end });
 */
export function useInstantQuery(request: InstantQuery, options: SourceHookOptions = {}): QueryResultState<InstantSample[]> {
  const source = useSource(options);
  const cache = useQueryCache();
  const { query, time } = request ?? ({} as InstantQuery);
  const problem = useMemo(() => {
    if (!source) return missingSource();
    if (!source.capabilities.metrics) return new SourceError('UNSUPPORTED', `Source "${source.id}" has no metrics`);
    const queryProblem = checkQuery(query, 'query');
    if (queryProblem) return queryProblem;
    if (typeof time !== 'number' || !Number.isFinite(time)) return new ValidationError('time', 'a finite number (epoch ms)', time);
    return undefined;
  }, [source, query, time]);
  const key = problem || !source ? null : JSON.stringify(['instant', source.id, query, time]);
  const fetcher: QueryFetcher<InstantSample[]> = (signal) => (source ? source.queryInstant({ query, time }, { signal }) : Promise.reject(missingSource()));
  return useCacheQuery(cache, key, fetcher, options, problem ? { error: problem } : undefined);
}

/**
 * Events (deploys, incidents, alerts) in a range. A source without events gives `status: 'error'` with a
 * `SourceError` coded `UNSUPPORTED`, so a component can say so instead of breaking.
 *
 * @example
 * const { data: deploys = [] } = useEvents({ range, kinds: ['deploy'] });
 */
export function useEvents(request: EventQuery, options: SourceHookOptions = {}): QueryResultState<SourceEvent[]> {
  const source = useSource(options);
  const cache = useQueryCache();
  const { range, kinds, service } = request ?? ({} as EventQuery);
  const start = range?.start;
  const end = range?.end;
  const kindsKey = kinds ? [...kinds].sort().join(',') : '';
  const problem = useMemo(() => {
    if (!source) return missingSource();
    if (!source.capabilities.events || typeof source.queryEvents !== 'function') return new SourceError('UNSUPPORTED', `Source "${source.id}" has no events`);
    return checkRange({ start, end }, 'range');
  }, [source, start, end]);
  const key = problem || !source ? null : JSON.stringify(['events', source.id, start, end, kindsKey, service ?? '']);
  const fetcher: QueryFetcher<SourceEvent[]> = async (signal) => {
    if (!source?.queryEvents) throw missingSource();
    const events = await source.queryEvents(
      { range: { start: start as number, end: end as number }, ...(kinds ? { kinds } : {}), ...(service === undefined ? {} : { service }) },
      { signal },
    );
    return { data: events, warnings: [] };
  };
  return useCacheQuery(cache, key, fetcher, options, problem ? { error: problem } : undefined);
}

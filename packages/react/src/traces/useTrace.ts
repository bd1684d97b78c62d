import { useMemo } from 'react';
import { SourceError, ValidationError, type DataSource, type TraceSearch, type TraceSummaryRow } from '@vigil/core';
import { parseTrace, type ParseTraceOptions, type TraceModel } from '@vigil/core/traces';
import { useQueryCache, useSourceContext } from '../hooks/VigilSourceProvider';
import { useCacheQuery, type QueryHookOptions, type QueryResultState } from '../hooks/useQuery';
import type { QueryFetcher } from '../hooks/query-cache';

export interface TraceHookOptions extends QueryHookOptions {
  /** Query this source instead of the provider's. */
  readonly source?: DataSource | undefined;
  /** Passed to `parseTrace` (clock-skew adjustment, warning limit). Part of the cache key. */
  readonly parse?: ParseTraceOptions | undefined;
}

/** `useTrace` result: `data` is the parsed model; `unsupported` is true when the source cannot serve traces. */
export interface TraceQueryState extends QueryResultState<TraceModel> {
  readonly unsupported: boolean;
}

/** `useTraceSearch` result. */
export interface TraceSearchState extends QueryResultState<TraceSummaryRow[]> {
  readonly unsupported: boolean;
}

function useResolvedSource(options: TraceHookOptions): DataSource | undefined {
  const context = useSourceContext();
  return options.source ?? context?.source;
}

function sourceProblem(source: DataSource | undefined, method: 'getTrace' | 'searchTraces'): SourceError | undefined {
  if (!source) return new SourceError('UNSUPPORTED', 'No data source: wrap the component in <VigilSourceProvider source={...}> or pass options.source');
  if (!source.capabilities.traces || typeof source[method] !== 'function') return new SourceError('UNSUPPORTED', `Source "${source.id}" has no traces`);
  return undefined;
}

/**
 * One trace by id from the data source, parsed into the columnar model (`parseTrace`), cached by (source, id, parse
 * options), de-duplicated across components and aborted when the last user unmounts. The engine's repairs are in
 * `data.warnings`; `warnings` holds their messages too. A source without `capabilities.traces` gives
 * `status: 'error'` with a `SourceError` coded `UNSUPPORTED` and `unsupported: true`; an empty id is a
 * ValidationError. Nothing is thrown into the host's tree.
 *
 * @example
 * const { status, data, error } = useTrace(traceId);
 * return <TraceWaterfall trace={data} loading={status === 'loading'} error={error} />;
 */
export function useTrace(traceId: string | null | undefined, options: TraceHookOptions = {}): TraceQueryState {
  const source = useResolvedSource(options);
  const cache = useQueryCache();
  const adjust = options.parse?.adjustClockSkew === true;
  const maxWarnings = options.parse?.maxWarnings;
  const problem = useMemo(() => {
    const p = sourceProblem(source, 'getTrace');
    if (p) return p;
    if (traceId === null || traceId === undefined) return undefined;
    if (typeof traceId !== 'string' || traceId.trim() === '') return new ValidationError('traceId', 'a non-empty trace id', traceId);
    return undefined;
  }, [source, traceId]);
  const idle = traceId === null || traceId === undefined;
  const key = problem || !source || idle ? null : JSON.stringify(['trace', source.id, traceId, adjust, maxWarnings ?? null]);
  const fetcher: QueryFetcher<TraceModel> = async (signal) => {
    if (!source?.getTrace) throw sourceProblem(source, 'getTrace');
    const payload = await source.getTrace(traceId as string, { signal });
    const model = parseTrace(payload, { adjustClockSkew: adjust, ...(maxWarnings === undefined ? {} : { maxWarnings }) });
    return { data: model, warnings: model.warnings.map((w) => w.message) };
  };
  const state = useCacheQuery(cache, key, fetcher, options, problem ? { error: problem } : undefined);
  return { ...state, unsupported: problem instanceof SourceError && problem.code === 'UNSUPPORTED' };
}

/**
 * Trace summaries matching a search (`DataSource.searchTraces`), with the same caching and cancellation as
 * `useTrace`. `null` query: nothing is fetched. A source without traces gives `unsupported: true`.
 *
 * @example
 * const { data: rows = [] } = useTraceSearch({ range, service: 'checkout', status: 'error', limit: 50 });
 */
export function useTraceSearch(query: TraceSearch | null | undefined, options: Omit<TraceHookOptions, 'parse'> = {}): TraceSearchState {
  const source = useResolvedSource(options);
  const cache = useQueryCache();
  const queryKey = query === null || query === undefined ? null : JSON.stringify(query);
  const problem = useMemo(() => {
    const p = sourceProblem(source, 'searchTraces');
    if (p) return p;
    if (queryKey === null || !query) return undefined;
    const range = query.range as unknown;
    if (range === null || typeof range !== 'object') return new ValidationError('query.range', 'a time range { start, end } in epoch ms', range);
    const { start, end } = query.range;
    if (typeof start !== 'number' || !Number.isFinite(start)) return new ValidationError('query.range.start', 'a finite number (epoch ms)', start);
    if (typeof end !== 'number' || !Number.isFinite(end) || end < start) return new ValidationError('query.range.end', `a finite time at or after start (${start})`, end);
    return undefined;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- queryKey stands for query
  }, [source, queryKey]);
  const key = problem || !source || queryKey === null ? null : JSON.stringify(['trace-search', source.id, queryKey]);
  const fetcher: QueryFetcher<TraceSummaryRow[]> = async (signal) => {
    if (!source?.searchTraces || !query) throw sourceProblem(source, 'searchTraces');
    return { data: await source.searchTraces(query, { signal }), warnings: [] };
  };
  const state = useCacheQuery(cache, key, fetcher, options, problem ? { error: problem } : undefined);
  return { ...state, unsupported: problem instanceof SourceError && problem.code === 'UNSUPPORTED' };
}

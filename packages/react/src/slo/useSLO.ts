import { useMemo } from 'react';
import { ValidationError, type DataSource, type Series, type TimeRange } from '@vigil/core';
import { buildSelector, defineSLO, evaluateAlertHistory, evaluateSLO, eventsFromCounts, sloTimeline } from '@vigil/core/slo';
import type { AlertInterval, MetricQuery, SLIEvents, SLO, SLOInput, SLOStatus, SLOTimeline } from '@vigil/core/slo';
import { useSeries } from '../hooks/useSeries';
import { useLiveRange } from '../hooks/useLiveRange';
import type { QueryStatus } from '../hooks/query-cache';

/** Queries that each return one series of event counts per step (deltas), such as `sum(increase(x[1m]))`. */
export interface SLOQueries {
  readonly good?: string | undefined;
  readonly bad?: string | undefined;
  readonly total: string;
}

export interface UseSLOOptions {
  /**
   * The SLI's queries. Default: built from a ratio SLI's metric queries as `sum(increase(<selector>[<step>]))`.
   * Latency and availability SLIs need them.
   */
  readonly queries?: SLOQueries | undefined;
  /** Query and timeline step in ms. Default: the fetched span / 5,000, rounded up to whole minutes (at least 1 min). */
  readonly stepMs?: number | undefined;
  /** History shown by the timeline and alert history, before the evaluation time. Default: one SLO window. */
  readonly historyMs?: number | undefined;
  /** Fixed evaluation time. Default: now, following the source's live ticks. */
  readonly at?: number | undefined;
  /** Query this source instead of the provider's. */
  readonly source?: DataSource | undefined;
  /** Live tick interval when following now. Default 30 s. */
  readonly intervalMs?: number | undefined;
  /** Default true; false fetches nothing. */
  readonly enabled?: boolean | undefined;
}

export interface UseSLOResult {
  /** `loading` until the first answer, `error` when a query or the engine failed, else `success`. */
  readonly status: QueryStatus;
  readonly error: unknown;
  /** The validated definition (undefined when it is invalid: see `error`). */
  readonly slo: SLO | undefined;
  /** `evaluateSLO` at the evaluation time. */
  readonly sloStatus: SLOStatus | undefined;
  /** `sloTimeline` over the history range. */
  readonly timeline: SLOTimeline | undefined;
  /** `evaluateAlertHistory` over the history range. */
  readonly alerts: AlertInterval[] | undefined;
  readonly events: SLIEvents | undefined;
  /** The fetched range `(at - history - window, at]`. */
  readonly range: TimeRange;
  readonly stepMs: number;
  readonly isFetching: boolean;
  readonly refetch: () => Promise<void>;
}

const LONGEST_PERIOD_MS: Record<string, number> = { day: 25 * 3_600_000, week: 7 * 86_400_000 + 3_600_000, month: 31 * 86_400_000 + 3_600_000, quarter: 92 * 86_400_000 + 3_600_000, year: 366 * 86_400_000 + 3_600_000 };

/** The longest time one evaluation looks back: the window (a calendar period at its longest) or a tier's long window. */
export function lookbackMs(slo: SLO): number {
  const window = slo.window.kind === 'rolling' ? slo.window.durationMs : (LONGEST_PERIOD_MS[slo.window.unit] ?? 366 * 86_400_000);
  return Math.max(window, ...slo.alertTiers.map((t) => t.longWindowMs), slo.projectionWindowMs);
}

function isSLO(value: SLO | SLOInput): value is SLO {
  return typeof (value as SLO).errorBudget === 'number' && Array.isArray((value as SLO).alertTiers);
}

function selectorOf(query: MetricQuery): string {
  return 'promql' in query ? query.promql : buildSelector(query.metric, query.matchers);
}

/**
 * The default queries of a ratio SLI: `sum(increase(<selector>[<step>]))` for its good (or bad) and total metrics.
 *
 * @throws ValidationError when the SLI is not a ratio with metric queries.
 * @example
 * defaultSLOQueries(slo, 60_000); // { bad: 'sum(increase(http_requests_total{code="500"}[60s]))', total: ... }
 */
export function defaultSLOQueries(slo: SLO, stepMs: number): SLOQueries {
  const sli = slo.sli;
  const range = `[${Math.round(stepMs / 1000)}s]`;
  const wrap = (q: MetricQuery) => `sum(increase(${selectorOf(q)}${range}))`;
  if (sli.kind !== 'ratio' || sli.total === undefined || (sli.good === undefined && sli.bad === undefined)) {
    throw new ValidationError('options.queries', `queries { good or bad, total } (SLO "${slo.name}" has no ratio metric queries to build them from)`, undefined);
  }
  return sli.good !== undefined ? { good: wrap(sli.good), total: wrap(sli.total) } : { bad: wrap(sli.bad as MetricQuery), total: wrap(sli.total) };
}

/**
 * Events from delta series: `total` sets the grid; the good (or bad) series is read at the same timestamps, and a
 * missing or NaN count is 0 (a `sum()` over no error series returns nothing at all).
 */
export function eventsFromDeltaSeries(part: Series | undefined, total: Series | undefined, field: 'good' | 'bad'): SLIEvents {
  if (!total) return eventsFromCounts({ timestamps: new Float64Array(0), [field]: new Float64Array(0), total: new Float64Array(0) });
  const n = total.timestamps.length;
  const totals = new Float64Array(n);
  const parts = new Float64Array(n);
  const byTime = new Map<number, number>();
  if (part) for (let i = 0; i < part.timestamps.length; i++) byTime.set(part.timestamps[i] as number, part.values[i] as number);
  for (let i = 0; i < n; i++) {
    const t = Number.isFinite(total.values[i]) ? Math.max(0, total.values[i] as number) : 0;
    totals[i] = t;
    const p = byTime.get(total.timestamps[i] as number);
    parts[i] = p !== undefined && Number.isFinite(p) ? Math.max(0, Math.min(t, p)) : field === 'good' ? t : 0;
  }
  return eventsFromCounts({ timestamps: total.timestamps, [field]: parts, total: totals });
}

/**
 * Binds an SLO to the data source: queries the SLI's good (or bad) and total event counts with `useSeries` (cached,
 * cancelled on unmount, refreshed on live ticks while keeping the previous data), then runs `evaluateSLO`,
 * `sloTimeline` and `evaluateAlertHistory` on them (memoised). Feed the result straight into the SLO components.
 * Never throws: invalid definitions, failed queries and engine errors come back as `status: 'error'`.
 *
 * @example
 * const checkout = defineSLO({ name: 'checkout', target: 0.99, window: { duration: '1d' }, sli: { kind: 'ratio',
 *   bad: { metric: 'http_requests_total', matchers: [{ label: 'service', op: '=', value: 'checkout' }, { label: 'code', op: '=~', value: '5..' }] },
 *   total: { metric: 'http_requests_total', matchers: { service: 'checkout' } } } });
 * const result = useSLO(checkout, { stepMs: 60_000 });
 * <SLOStatusCard slo={result.slo} status={result.sloStatus} loading={result.status === 'loading'} error={result.error} />
 */
export function useSLO(definition: SLO | SLOInput, options: UseSLOOptions = {}): UseSLOResult {
  const { queries, historyMs: historyOption, at, source, intervalMs = 30_000, enabled = true } = options;
  const resolved = useMemo((): { slo: SLO; error?: undefined } | { slo?: undefined; error: unknown } => {
    try {
      return { slo: isSLO(definition) ? definition : defineSLO(definition) };
    } catch (error) {
      return { error };
    }
  }, [definition]);
  const slo = resolved.slo;
  const lookback = slo ? lookbackMs(slo) : 86_400_000;
  const historyMs = historyOption ?? (slo ? (slo.window.kind === 'rolling' ? slo.window.durationMs : lookback) : 86_400_000);
  const spanMs = lookback + historyMs;
  const stepMs = options.stepMs ?? Math.max(60_000, Math.ceil(spanMs / 5000 / 60_000) * 60_000);
  const live = useLiveRange(spanMs, { source, intervalMs, alignMs: stepMs, paused: at !== undefined || !enabled });
  const range = useMemo<TimeRange>(() => (at === undefined ? live : { start: at - spanMs, end: at }), [at, live, spanMs]);

  const built = useMemo((): { queries: SLOQueries; error?: undefined } | { queries?: undefined; error: unknown } => {
    if (queries) return { queries };
    if (!slo) return { error: resolved.error };
    try {
      return { queries: defaultSLOQueries(slo, stepMs) };
    } catch (error) {
      return { error };
    }
  }, [queries, slo, stepMs, resolved.error]);
  const field: 'good' | 'bad' = built.queries?.good !== undefined ? 'good' : 'bad';
  const partQuery = built.queries ? (built.queries.good ?? built.queries.bad ?? '') : '';
  const hookOptions = { source, enabled: enabled && built.queries !== undefined, keepPreviousData: true };
  const total = useSeries({ query: built.queries?.total ?? 'vector(0)', range, stepMs }, hookOptions);
  const part = useSeries({ query: partQuery || 'vector(0)', range, stepMs }, hookOptions);

  const computed = useMemo(() => {
    if (!slo || total.data === undefined || part.data === undefined) return undefined;
    try {
      const events = eventsFromDeltaSeries(part.data[0], total.data[0], field);
      const end = range.end;
      const history = { range: { start: end - historyMs, end }, stepMs };
      return {
        events,
        sloStatus: evaluateSLO(slo, events, { at: end }),
        timeline: sloTimeline(slo, events, history),
        alerts: evaluateAlertHistory(slo, events, history),
        error: undefined,
      };
    } catch (error) {
      return { error };
    }
  }, [slo, total.data, part.data, field, range.end, historyMs, stepMs]);

  const refetch = useMemo(() => async () => {
    await Promise.all([total.refetch(), part.refetch()]);
  }, [total, part]);

  const setupError = resolved.error ?? built.error;
  const queryError = total.status === 'error' ? total.error : part.status === 'error' ? part.error : undefined;
  const error = setupError ?? queryError ?? computed?.error;
  const status: QueryStatus = error !== undefined ? 'error' : computed ? 'success' : !enabled ? 'idle' : 'loading';
  return {
    status,
    error,
    slo,
    sloStatus: computed?.sloStatus,
    timeline: computed?.timeline,
    alerts: computed?.alerts,
    events: computed?.events,
    range,
    stepMs,
    isFetching: total.isFetching || part.isFetching,
    refetch,
  };
}

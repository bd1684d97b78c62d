import { VigilError } from '@vigil/core';
import { buildSelector, eventsFromCounts, evaluateSLO, prometheusRuleGroups } from '@vigil/core/slo';
import type { MetricQuery, SLIEvents, SLO, SLOStatus } from '@vigil/core/slo';
import { formatDayDuration, windowBounds } from '@vigil/core/windows';
import type { PrometheusSource } from '@vigil/adapters/prometheus';

/**
 * `vigil slo report`: the status of each SLO from a live Prometheus. For every window the engine needs (each alert
 * tier's long and short window, the projection window and the SLO window, or the elapsed part of a calendar period)
 * it asks Prometheus for the good (or bad) and total event counts with `increase()` at one instant, turns the nested
 * window sums into events and hands them to `evaluateSLO`, so the report applies exactly the engine's definitions
 * (attainment, budget, burn rates, exhaustion, status) to Prometheus' counts.
 *
 * Prometheus' `increase()` extrapolates each counter to the window edges; the good and total counters share their
 * sample times, so the factor cancels in every ratio (see docs/slo.md, "Verified against Prometheus").
 */

/** PromQL for the event counts of an SLO over `windowMs` ending at the query time. @internal */
export function windowCountQueries(slo: SLO, windowMs: number): { readonly part: 'good' | 'bad'; readonly partQuery: string; readonly totalQuery: string } {
  const w = formatDayDuration(windowMs);
  const selector = (query: MetricQuery | undefined): string => {
    if (query === undefined) throw new VigilError('UNSUPPORTED', `SLO "${slo.name}" has no metric query`, { path: 'sli' });
    return 'promql' in query ? query.promql.trim() : buildSelector(query.metric, query.matchers);
  };
  const sli = slo.sli;
  switch (sli.kind) {
    case 'ratio': {
      const total = `sum(increase(${selector(sli.total)}[${w}]))`;
      if (sli.bad !== undefined) return { part: 'bad', partQuery: `sum(increase(${selector(sli.bad)}[${w}]))`, totalQuery: total };
      return { part: 'good', partQuery: `sum(increase(${selector(sli.good)}[${w}]))`, totalQuery: total };
    }
    case 'latency': {
      const h = sli.histogram;
      if (h === undefined) throw new VigilError('UNSUPPORTED', `SLO "${slo.name}": a latency SLI needs sli.histogram to be read from Prometheus`, { path: 'sli.histogram' });
      const threshold = (h.unit ?? 'seconds') === 'seconds' ? sli.thresholdMs / 1000 : sli.thresholdMs;
      if ((h.type ?? 'classic') === 'native') {
        const rate = `sum(increase(${buildSelector(h.metric, h.matchers)}[${w}]))`;
        return { part: 'good', partQuery: `histogram_fraction(0, ${threshold}, ${rate}) * histogram_count(${rate})`, totalQuery: `histogram_count(${rate})` };
      }
      const bucket = buildSelector(`${h.metric}_bucket`, h.matchers, [{ label: 'le', op: '=', value: h.le ?? String(threshold) }]);
      return { part: 'good', partQuery: `sum(increase(${bucket}[${w}]))`, totalQuery: `sum(increase(${buildSelector(`${h.metric}_count`, h.matchers)}[${w}]))` };
    }
    case 'availability': {
      const probe = selector(sli.probe);
      return { part: 'good', partQuery: `sum(sum_over_time(${probe}[${w}]))`, totalQuery: `sum(count_over_time(${probe}[${w}]))` };
    }
  }
}

/** The windows the report needs, ascending and unique: tiers, projection and the budget window at `at`. */
export function reportWindows(slo: SLO, at: number): number[] {
  const set = new Set<number>([slo.projectionWindowMs]);
  for (const tier of slo.alertTiers) set.add(tier.longWindowMs).add(tier.shortWindowMs);
  // The budget window: the rolling length, or the elapsed part of the calendar period (whole seconds, for PromQL).
  const budget = slo.window.kind === 'rolling' ? slo.window.durationMs : Math.floor((at - windowBounds(slo.window, at).start) / 1000) * 1000;
  if (budget > 0) set.add(budget);
  return [...set].sort((a, b) => a - b);
}

/**
 * Events that reproduce nested window sums exactly: for windows W1 < W2 < ... ending at `at`, one event ends at
 * `at` holding the W1 sums, one at `at - W1` holding W2 - W1, and so on. Any window `(at - Wk, at]` then sums to
 * what Prometheus reported for Wk. Sums are made non-decreasing first (extrapolation can make a longer window's
 * count a hair smaller than a shorter one's), and good is kept within [0, total].
 * @internal
 */
export function eventsFromWindowSums(at: number, windows: readonly number[], good: readonly number[], total: readonly number[]): SLIEvents {
  const n = windows.length;
  const cumTotal: number[] = [];
  const cumGood: number[] = [];
  for (let k = 0; k < n; k++) {
    const t = Math.max(cumTotal[k - 1] ?? 0, Number.isFinite(total[k]) ? (total[k] as number) : 0);
    const g = Math.min(t, Math.max(cumGood[k - 1] ?? 0, Number.isFinite(good[k]) ? (good[k] as number) : 0));
    cumTotal.push(t);
    cumGood.push(g);
  }
  const timestamps: number[] = [];
  const goodCounts: number[] = [];
  const totalCounts: number[] = [];
  for (let k = n - 1; k >= 0; k--) {
    timestamps.push(at - (k === 0 ? 0 : (windows[k - 1] as number)));
    totalCounts.push((cumTotal[k] as number) - (k === 0 ? 0 : (cumTotal[k - 1] as number)));
    goodCounts.push((cumGood[k] as number) - (k === 0 ? 0 : (cumGood[k - 1] as number)));
  }
  return eventsFromCounts({ timestamps, good: goodCounts, total: totalCounts });
}

/** Runs `tasks` with at most `limit` in flight, keeping the order of results. */
async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** One SLO's report: the engine's status, and the windows it was computed from. */
export interface SLOReportRow {
  readonly slo: SLO;
  readonly status: SLOStatus;
  readonly windows: readonly number[];
}

/**
 * Evaluates each SLO against Prometheus at `at`.
 *
 * @throws VigilError('UNSUPPORTED') for definitions Prometheus cannot answer (Timeslices methods, raw latency
 *   samples, SLIs without queries); SourceError when Prometheus fails.
 * @example
 * const rows = await reportFromPrometheus(slos, createPrometheusSource({ url }), Date.now());
 */
export async function reportFromPrometheus(slos: readonly SLO[], prometheus: PrometheusSource, at: number, signal?: AbortSignal): Promise<SLOReportRow[]> {
  // The rule generator already knows which definitions PromQL can express, and says so clearly.
  for (const slo of slos) prometheusRuleGroups([slo], { recordingOnly: true });
  const plans = slos.map((slo) => {
    const windows = reportWindows(slo, at);
    return { slo, windows, queries: windows.map((w) => windowCountQueries(slo, w)) };
  });
  const requests = plans.flatMap((plan, p) => plan.queries.flatMap((q, w) => [{ p, w, which: 'part' as const, query: q.partQuery }, { p, w, which: 'total' as const, query: q.totalQuery }]));
  const values = await mapLimited(requests, 8, async (request) => {
    const { data } = await prometheus.queryInstant({ query: request.query, time: at }, signal === undefined ? undefined : { signal });
    // An empty result means no series (no traffic): 0 events.
    const value = data.reduce((sum, sample) => sum + (Number.isFinite(sample.value) ? sample.value : 0), 0);
    return value;
  });
  return plans.map((plan, p) => {
    const part: number[] = [];
    const total: number[] = [];
    requests.forEach((request, i) => {
      if (request.p !== p) return;
      (request.which === 'part' ? part : total)[request.w] = values[i] as number;
    });
    const good = plan.queries[0]?.part === 'bad' ? total.map((t, k) => t - (part[k] as number)) : part;
    const events = eventsFromWindowSums(at, plan.windows, good, total);
    const status = evaluateSLO(plan.slo, events, { at, burnRateWindows: plan.windows });
    return { slo: plan.slo, status, windows: plan.windows };
  });
}

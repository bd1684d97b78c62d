import { useEffect, useMemo, useState } from 'react';
import type { DataSource, Series, TimeRange } from '@vigil/core';
import { createAlertEvaluator, type Alert, type AlertHistoryEntry, type AlertInstance, type AlertRule, type Silence } from '@vigil/core/alerting';

/** What the tab shows: the evaluator's view after ticking through the range. */
export interface DemoAlertsState {
  readonly status: 'loading' | 'ready' | 'error';
  readonly error: unknown;
  /** Firing alerts at the last tick (silenced ones are left out by the engine). */
  readonly alerts: readonly Alert[];
  /** Fingerprints of alerts that fire but are muted by a silence. */
  readonly silencedInstances: readonly AlertInstance[];
  readonly history: readonly AlertHistoryEntry[];
  /** Rule id → its query's series (for the builder's preview of a saved rule). */
  readonly seriesByRule: Readonly<Record<string, readonly Series[]>>;
  /** Per-rule query failures. */
  readonly ruleErrors: Readonly<Record<string, string>>;
  readonly ticks: number;
  readonly evaluatedAt: number | undefined;
  /** Wall time of the evaluation, ms (fetching excluded). */
  readonly evaluationMs: number;
}

function lookbackOf(rule: AlertRule): number {
  const change = rule.condition.type === 'change' ? rule.condition.windowMs : 0;
  return (rule.reducer?.windowMs ?? 300_000) + change;
}

/** First index with timestamps[i] > t (binary search). */
function after(timestamps: Float64Array, t: number): number {
  let lo = 0;
  let hi = timestamps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((timestamps[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * What a service evaluating live at `t` would have fetched: each series cut to `(t - lookback - step, t]`. Views
 * (`subarray`), not copies, so a week of ticks stays cheap: each tick costs its window, not the whole range.
 */
function windowAt(data: Readonly<Record<string, { series: Series[] } | { error: unknown }>>, rules: readonly AlertRule[], t: number, stepMs: number): Record<string, { series: Series[] } | { error: unknown }> {
  const out: Record<string, { series: Series[] } | { error: unknown }> = {};
  for (const rule of rules) {
    const entry = data[rule.id];
    if (entry === undefined) continue;
    if (!('series' in entry)) {
      out[rule.id] = entry;
      continue;
    }
    const from = t - lookbackOf(rule) - stepMs;
    out[rule.id] = {
      series: entry.series.map((s) => {
        const lo = after(s.timestamps, from);
        const hi = after(s.timestamps, t);
        return { ...s, timestamps: s.timestamps.subarray(lo, hi), values: s.values.subarray(lo, hi) };
      }),
    };
  }
  return out;
}

/**
 * Fetches every rule's query over the range (plus its lookback) from the source, then runs the real evaluator
 * tick by tick (every `stepMs`) across the range with the silences, exactly as a service would have evaluated
 * live. Re-runs when the range moves (live mode), the rules or the silences change. Aborts stale fetches.
 */
export function useDemoAlerts(source: DataSource, rules: readonly AlertRule[], silences: readonly Silence[], range: TimeRange, stepMs: number): DemoAlertsState {
  const [fetched, setFetched] = useState<{ key: string; data: Record<string, { series: Series[] } | { error: unknown }> } | undefined>(undefined);
  const queryKey = JSON.stringify([rules.map((rule) => [rule.id, rule.query.expr, lookbackOf(rule)]), range.start, range.end, stepMs]);

  useEffect(() => {
    const controller = new AbortController();
    const run = async () => {
      const entries = await Promise.all(
        rules.map(async (rule) => {
          try {
            const result = await source.queryRange({ query: rule.query.expr, range: { start: range.start - lookbackOf(rule), end: range.end }, stepMs }, { signal: controller.signal });
            return [rule.id, { series: result.data }] as const;
          } catch (error) {
            return [rule.id, { error }] as const;
          }
        }),
      );
      if (!controller.signal.aborted) setFetched({ key: queryKey, data: Object.fromEntries(entries) });
    };
    void run();
    return () => controller.abort();
    // queryKey captures rules' queries, the range and the step.
  }, [source, queryKey]);

  return useMemo((): DemoAlertsState => {
    const empty = { alerts: [], silencedInstances: [], history: [], seriesByRule: {}, ruleErrors: {}, ticks: 0, evaluatedAt: undefined, evaluationMs: 0 };
    if (fetched === undefined) return { status: 'loading', error: undefined, ...empty };
    const data = fetched.data;
    try {
      const started = performance.now();
      const runnable = rules.map((rule) => ({ ...rule, query: { ...rule.query, stepMs } }));
      const evaluator = createAlertEvaluator({ rules: runnable, silences, grouping: { groupBy: ['alertname', 'service'] } });
      let alerts: Alert[] = [];
      let ticks = 0;
      const first = Math.ceil(range.start / stepMs) * stepMs;
      for (let t = first; t <= range.end; t += stepMs) {
        alerts = evaluator.evaluate(t, windowAt(data, runnable, t, stepMs)).alerts;
        ticks++;
      }
      const seriesByRule: Record<string, readonly Series[]> = {};
      const ruleErrors: Record<string, string> = {};
      for (const [id, entry] of Object.entries(data)) {
        if ('series' in entry) seriesByRule[id] = entry.series;
        else ruleErrors[id] = entry.error instanceof Error ? entry.error.message : String(entry.error);
      }
      const silencedInstances = evaluator.instances().filter((instance) => instance.state === 'firing' && instance.silencedBy.length > 0);
      return {
        status: 'ready',
        error: undefined,
        alerts: alerts.filter((alert) => alert.status === 'firing'),
        silencedInstances,
        history: evaluator.history(),
        seriesByRule,
        ruleErrors,
        ticks,
        evaluatedAt: range.end,
        evaluationMs: performance.now() - started,
      };
    } catch (error) {
      return { status: 'error', error, ...empty };
    }
  }, [fetched, rules, silences, range.start, range.end, stepMs]);
}

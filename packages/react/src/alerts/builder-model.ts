import type { MetricMetadata, SourceEvent } from '@vigil/core';
import { escapePromQLString } from '@vigil/core/promql';
import type { AlertRule, BacktestInterval, RuleProblem } from '@vigil/core/alerting';

/** A rule to start from when the builder gets none: a critical threshold on `up`. */
export const EMPTY_RULE: AlertRule = {
  id: 'new-rule',
  name: 'NewAlert',
  query: { expr: '', stepMs: 60_000 },
  reducer: { type: 'last', windowMs: 300_000 },
  condition: { type: 'threshold', operator: '>', critical: { value: 0 } },
  forMs: 300_000,
};

/**
 * The validator's problems keyed by the field path without the leading `rule.` (`condition.critical.value`), each
 * reworded for a person ("Expected a finite number, received undefined"). When one field has several problems
 * the first one wins.
 *
 * @example
 * problemsByField(validateRule(rule)).get('forMs') // "Expected a whole number of milliseconds ..."
 */
export function problemsByField(problems: readonly RuleProblem[], prefix = 'rule'): Map<string, string> {
  const out = new Map<string, string>();
  for (const problem of problems) {
    const path = problem.path === prefix ? '' : problem.path.startsWith(`${prefix}.`) ? problem.path.slice(prefix.length + 1) : problem.path;
    if (out.has(path)) continue;
    const text = problem.message.startsWith(`${problem.path}: `) ? problem.message.slice(problem.path.length + 2) : problem.message;
    out.set(path, text.charAt(0).toUpperCase() + text.slice(1));
  }
  return out;
}

/** The problem of a field, or of the nearest parent path that has one (a missing `condition.critical` reports on `condition`). */
export function problemFor(problems: ReadonlyMap<string, string>, path: string): string | undefined {
  return problems.get(path);
}

/**
 * A starting query for a metric, by its type: counters as a per-second rate summed over series, histograms as a
 * p95 from their buckets, gauges as they are. A label filter (`{label="value"}`, value escaped) narrows it.
 *
 * @example
 * queryForMetric({ name: 'http_requests_total', type: 'counter' }, { label: 'service', value: 'checkout' })
 * // 'sum(rate(http_requests_total{service="checkout"}[5m]))'
 */
export function queryForMetric(metric: Pick<MetricMetadata, 'name' | 'type'>, filter?: { readonly label: string; readonly value: string }): string {
  const selector = filter && filter.label !== '' && filter.value !== '' ? `{${filter.label}="${escapePromQLString(filter.value)}"}` : '';
  switch (metric.type) {
    case 'counter':
      return `sum(rate(${metric.name}${selector}[5m]))`;
    case 'histogram': {
      const bucketSelector = selector === '' ? '' : selector;
      return `histogram_quantile(0.95, sum by (le) (rate(${metric.name}_bucket${bucketSelector}[5m])))`;
    }
    default:
      return `${metric.name}${selector}`;
  }
}

/**
 * Backtest intervals as chart markers: each "would have fired" interval is an alert event with its start, its end
 * (or the end of the range while still firing) and its severity, titled with the labels that tell series apart.
 *
 * @example
 * <TimeSeriesChart events={backtestEvents(result.firing, rule, range.end)} ... />
 */
export function backtestEvents(intervals: readonly BacktestInterval[], rule: Pick<AlertRule, 'name'>, rangeEnd: number): SourceEvent[] {
  return intervals.map((interval, index) => {
    const distinct = Object.entries(interval.labels)
      .filter(([name]) => name !== 'alertname' && name !== 'severity')
      .map(([name, value]) => `${name}=${value}`)
      .join(', ');
    return {
      id: `backtest-${index}-${interval.fingerprint}-${interval.start}`,
      kind: 'alert',
      title: `${rule.name} would fire (${interval.severity})${distinct === '' ? '' : ` for ${distinct}`}`,
      time: interval.start,
      endTime: interval.end ?? rangeEnd,
      severity: interval.severity,
      labels: interval.labels,
    };
  });
}

/** Sets (or removes, with undefined) one key of an object without mutating it; `exactOptionalPropertyTypes`-safe. */
export function withField<T extends object, K extends keyof T>(object: T, key: K, value: T[K] | undefined): T {
  const copy = { ...object };
  if (value === undefined) delete copy[key];
  else copy[key] = value;
  return copy;
}

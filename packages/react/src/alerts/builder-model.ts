import type { MetricMetadata, Series, SourceEvent } from '@vigil/core';
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

// ---------------------------------------------------------------------------------------------------------------
// The preview's condition value: what the rule compares with its levels
// ---------------------------------------------------------------------------------------------------------------

/** Most series the preview charts (each with its raw samples beside it); the summary and the list cover all. */
export const MAX_CHARTED_SERIES = 3;

/** What the preview charts for a rule, in words, and the unit of it. */
export interface ConditionValueDescription {
  /**
   * What the rule compares with its levels, without the query: `avg over 5m`, `p95 over 15m`,
   * `change in % of rate per second over 5m`. For `absent` rules, the reduced value whose absence it looks for.
   */
  readonly measure: string;
  /** For change conditions, how long ago the comparison value is taken (`30m`); otherwise undefined. */
  readonly comparedWith: string | undefined;
  /** The reducer's window (`5m`). */
  readonly window: string;
  /** A short legend name for one series of it: `avg 5m`, `p95 15m`, `change %`, `fall %`. */
  readonly short: string;
  /** Its unit: `%` for change conditions, `samples` for `count`, `<unit>/s` for `rate`, else the query's unit. */
  readonly unit: string | undefined;
  /**
   * True when the condition value is on the scale of the raw samples (`last`, `avg`, `min`, `max` and percentiles of
   * a threshold or burn-rate condition), so both can share one axis; false for sums, counts, rates and changes.
   */
  readonly sameScaleAsRaw: boolean;
}

/**
 * Describes the value a rule compares with its levels (the condition value of `backtest(..., { includeValues })`),
 * for the preview's caption, legend and unit. `formatDuration` formats the windows (`5m`). Missing or invalid
 * fields fall back to the engine's defaults (reducer `last` over 5 minutes), as the engine does.
 *
 * @example
 * describeConditionValue({ reducer: { type: 'avg', windowMs: 300_000 }, condition: { type: 'threshold', operator: '>', critical: { value: 1 } } }, 'ms', formatElapsed)
 * // { measure: 'avg over 5m', comparedWith: undefined, window: '5m', short: 'avg 5m', unit: 'ms', sameScaleAsRaw: true }
 * describeConditionValue({ reducer: { type: 'rate' }, condition: { type: 'change', direction: 'up', windowMs: 1_800_000 } }, 'req', formatElapsed)
 * // { measure: 'change in % of rate per second over 5m', comparedWith: '30m', short: 'change %', unit: '%', ... }
 */
export function describeConditionValue(
  rule: { readonly reducer?: AlertRule['reducer'] | undefined; readonly condition?: AlertRule['condition'] | undefined },
  unit: string | undefined,
  formatDuration: (ms: number) => string,
): ConditionValueDescription {
  const type = rule.reducer?.type ?? 'last';
  const windowMs = rule.reducer?.windowMs;
  const windowText = formatDuration(typeof windowMs === 'number' && Number.isFinite(windowMs) && windowMs > 0 ? windowMs : 300_000);
  let reduced: string;
  let short: string;
  // No unit and an empty one are the same to the caption ("in ms"), the axis and the legend.
  let reducedUnit = unit === '' ? undefined : unit;
  switch (type) {
    case 'last':
      reduced = `last value (within ${windowText})`;
      short = 'last value';
      break;
    case 'count':
      reduced = `count of samples over ${windowText}`;
      short = `count ${windowText}`;
      reducedUnit = 'samples';
      break;
    case 'percentile': {
      const p = rule.reducer?.percentile;
      const name = typeof p === 'number' && Number.isFinite(p) ? `p${p}` : 'percentile';
      reduced = `${name} over ${windowText}`;
      short = `${name} ${windowText}`;
      break;
    }
    case 'rate':
      reduced = `rate per second over ${windowText}`;
      short = `rate ${windowText}`;
      reducedUnit = unit === undefined || unit === '' ? undefined : `${unit}/s`;
      break;
    default:
      reduced = `${type} over ${windowText}`;
      short = `${type} ${windowText}`;
  }
  const condition = rule.condition;
  if (condition?.type === 'change') {
    const down = condition.direction === 'down';
    const changeMs = condition.windowMs;
    return {
      measure: `${down ? 'fall' : 'change'} in % of ${reduced}`,
      comparedWith: formatDuration(typeof changeMs === 'number' && Number.isFinite(changeMs) && changeMs > 0 ? changeMs : 0),
      window: windowText,
      short: down ? 'fall %' : 'change %',
      unit: '%',
      sameScaleAsRaw: false,
    };
  }
  return { measure: reduced, comparedWith: undefined, window: windowText, short, unit: reducedUnit, sameScaleAsRaw: type === 'last' || type === 'avg' || type === 'min' || type === 'max' || type === 'percentile' };
}

/** Labels as PromQL writes them, `{service="checkout"}`, or '' when there are none. */
export function labelsText(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels).filter(([name]) => name !== '__name__');
  return entries.length === 0 ? '' : `{${entries.map(([name, value]) => `${name}="${value}"`).join(', ')}}`;
}

/** The lines the preview draws: condition series (named for the legend) and the raw samples beside each. */
export interface PreviewLines {
  /** The condition value of each charted series, named `avg 5m {service="checkout"}`. */
  readonly condition: Series[];
  /** The raw samples of the same series, in the same order, named `raw {service="checkout"}`. */
  readonly raw: Series[];
  /** How many series there were before the cap. */
  readonly total: number;
}

/**
 * Picks the series the preview charts, at most `max`: those that would have fired first (a firing interval carries
 * every label of the series), then the others, each group in input order, and names them for the legend. `values`
 * is `backtest(..., { includeValues: true }).values`: one per input series, in input order, so `raw[i]` (the input
 * series) pairs with `values[i]`.
 *
 * @example
 * const lines = previewLines(result.values ?? [], series, result.firing, 'avg 5m');
 * <TimeSeriesChart series={[...lines.condition, ...lines.raw]} />
 */
export function previewLines(values: readonly Series[], raw: readonly Series[], firing: readonly BacktestInterval[], short: string, max = MAX_CHARTED_SERIES): PreviewLines {
  const fired = (labels: Readonly<Record<string, string>>) => firing.some((interval) => Object.entries(labels).every(([name, value]) => interval.labels[name] === value));
  const order = values.map((_, i) => i);
  const firedFirst = [...order.filter((i) => fired((values[i] as Series).labels)), ...order.filter((i) => !fired((values[i] as Series).labels))];
  const chosen = firedFirst.slice(0, Math.max(0, max)).sort((a, b) => a - b);
  const condition: Series[] = [];
  const rawLines: Series[] = [];
  for (const i of chosen) {
    const value = values[i] as Series;
    const text = labelsText(value.labels);
    condition.push({ name: text === '' ? short : `${short} ${text}`, labels: value.labels, timestamps: value.timestamps, values: value.values });
    const sample = raw[i];
    if (sample !== undefined) rawLines.push({ name: text === '' ? 'raw samples' : `raw ${text}`, labels: value.labels, timestamps: sample.timestamps, values: sample.values });
  }
  return { condition, raw: rawLines, total: values.length };
}

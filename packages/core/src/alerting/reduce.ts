import { quantile } from '../percentile/exact';
import { rate } from '../series/rate';
import type { Series } from '../series/types';
import type { CompiledRule } from './validate';

/**
 * Reducers over one series: the window of tick `t` is `(t - windowMs, t]`, NaN samples are skipped, and "no data"
 * is NaN (never an output of the engine: the evaluator turns it into the rule's no-data behaviour).
 * The same kernel serves the tick-by-tick evaluator and the backtest, so both see bit-identical values.
 */

/** Index of the first timestamp > t (upper bound), by binary search in [lo, hi). */
export function upperBound(timestamps: Float64Array, t: number, lo = 0, hi = timestamps.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((timestamps[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The reduced value of `values[lo..hi)` (the samples of one window). `rate` and `percentile` are not handled here.
 * @internal
 */
export function reduceSlice(values: Float64Array, lo: number, hi: number, reducer: CompiledRule['reducer']): number {
  switch (reducer) {
    case 'last':
      for (let i = hi - 1; i >= lo; i--) {
        const v = values[i] as number;
        if (v === v) return v;
      }
      return NaN;
    case 'count': {
      let count = 0;
      for (let i = lo; i < hi; i++) if ((values[i] as number) === (values[i] as number)) count++;
      return count;
    }
    case 'sum':
    case 'avg': {
      let sum = 0;
      let count = 0;
      for (let i = lo; i < hi; i++) {
        const v = values[i] as number;
        if (v === v) {
          sum += v;
          count++;
        }
      }
      if (count === 0) return NaN;
      return reducer === 'sum' ? sum : sum / count;
    }
    case 'min': {
      let min = NaN;
      for (let i = lo; i < hi; i++) {
        const v = values[i] as number;
        if (v < min || min !== min) min = v;
      }
      return min;
    }
    case 'max': {
      let max = NaN;
      for (let i = lo; i < hi; i++) {
        const v = values[i] as number;
        if (v > max || max !== max) max = v;
      }
      return max;
    }
    default:
      return NaN;
  }
}

/**
 * The reducer's value of one series at each tick (ascending), NaN where the window has no data.
 * O(n + m) for the linear reducers (two moving pointers); percentile selects per window; rate is PromQL's.
 * @internal
 */
export function reduceAtTicks(series: Series, rule: CompiledRule, ticks: Float64Array): Float64Array {
  const out = new Float64Array(ticks.length);
  if (rule.reducer === 'rate') {
    if (series.timestamps.length === 0) return out.fill(NaN);
    return rate(series, { windowMs: rule.windowMs, at: ticks }).values;
  }
  const { timestamps, values } = series;
  const windowMs = rule.windowMs;
  let lo = 0;
  let hi = 0;
  const n = timestamps.length;
  for (let k = 0; k < ticks.length; k++) {
    const t = ticks[k] as number;
    while (hi < n && (timestamps[hi] as number) <= t) hi++;
    const from = t - windowMs;
    while (lo < hi && (timestamps[lo] as number) <= from) lo++;
    if (lo > hi) lo = hi;
    out[k] = rule.reducer === 'percentile' ? percentileOf(values, lo, hi, rule.quantile) : reduceSlice(values, lo, hi, rule.reducer);
  }
  return out;
}

/** The reducer's value of one series at one tick. @internal */
export function reduceAt(series: Series, rule: CompiledRule, t: number): number {
  if (rule.reducer === 'rate') {
    if (series.timestamps.length === 0) return NaN;
    return rate(series, { windowMs: rule.windowMs, at: [t] }).values[0] as number;
  }
  const hi = upperBound(series.timestamps, t);
  const lo = upperBound(series.timestamps, t - rule.windowMs, 0, hi);
  return rule.reducer === 'percentile' ? percentileOf(series.values, lo, hi, rule.quantile) : reduceSlice(series.values, lo, hi, rule.reducer);
}

function percentileOf(values: Float64Array, lo: number, hi: number, q: number): number {
  if (hi <= lo) return NaN;
  return quantile(values.subarray(lo, hi), q);
}

/**
 * The condition value from reduced values: the reduced value itself, or for `change` the signed percent change
 * against the value one change-window earlier (NaN when either is missing or the earlier value is 0).
 * @internal
 */
export function changePercent(now: number, before: number, sign: number): number {
  if (now !== now || before !== before || before === 0) return NaN;
  const pct = ((now - before) / Math.abs(before)) * 100 * sign;
  return Number.isFinite(pct) ? pct : NaN;
}

/** The condition value of one series at one tick (NaN = no data). @internal */
export function conditionValueAt(series: Series, rule: CompiledRule, t: number): number {
  const now = reduceAt(series, rule, t);
  if (rule.conditionType !== 'change') return now;
  return changePercent(now, reduceAt(series, rule, t - rule.changeWindowMs), rule.changeSign);
}

/** The condition value of one series at each tick (NaN = no data). @internal */
export function conditionValuesAtTicks(series: Series, rule: CompiledRule, ticks: Float64Array): Float64Array {
  const now = reduceAtTicks(series, rule, ticks);
  if (rule.conditionType !== 'change') return now;
  const earlier = new Float64Array(ticks.length);
  for (let k = 0; k < ticks.length; k++) earlier[k] = (ticks[k] as number) - rule.changeWindowMs;
  const before = reduceAtTicks(series, rule, earlier);
  for (let k = 0; k < ticks.length; k++) now[k] = changePercent(now[k] as number, before[k] as number, rule.changeSign);
  return now;
}

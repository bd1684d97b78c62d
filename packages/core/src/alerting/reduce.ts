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
  switch (rule.reducer) {
    case 'last':
      return lastAtTicks(series, rule.windowMs, ticks, out);
    case 'min':
    case 'max':
      return extremeAtTicks(series, rule.windowMs, ticks, out, rule.reducer === 'max');
    case 'percentile':
      return percentileAtTicks(series, rule.windowMs, ticks, out, rule.quantile);
    default:
      break;
  }
  const { timestamps, values } = series;
  const windowMs = rule.windowMs;
  const reducer = rule.reducer;
  let lo = 0;
  let hi = 0;
  const n = timestamps.length;
  for (let k = 0; k < ticks.length; k++) {
    const t = ticks[k] as number;
    while (hi < n && (timestamps[hi] as number) <= t) hi++;
    const from = t - windowMs;
    while (lo < hi && (timestamps[lo] as number) <= from) lo++;
    if (lo > hi) lo = hi;
    // Summed in sample order, exactly as reduceSlice does for one tick, so both paths agree to the last bit.
    out[k] = reduceSlice(values, lo, hi, reducer);
  }
  return out;
}

/** `last` at every tick in O(n + m): the newest non-NaN sample in the window. */
function lastAtTicks(series: Series, windowMs: number, ticks: Float64Array, out: Float64Array): Float64Array {
  const { timestamps, values } = series;
  const n = timestamps.length;
  let hi = 0;
  let lastIndex = -1;
  for (let k = 0; k < ticks.length; k++) {
    const t = ticks[k] as number;
    while (hi < n && (timestamps[hi] as number) <= t) {
      if ((values[hi] as number) === (values[hi] as number)) lastIndex = hi;
      hi++;
    }
    out[k] = lastIndex >= 0 && (timestamps[lastIndex] as number) > t - windowMs ? (values[lastIndex] as number) : NaN;
  }
  return out;
}

/** `min` / `max` at every tick in O(n + m) with a monotonic deque of sample indices (NaN skipped). */
function extremeAtTicks(series: Series, windowMs: number, ticks: Float64Array, out: Float64Array, max: boolean): Float64Array {
  const { timestamps, values } = series;
  const n = timestamps.length;
  const deque = new Int32Array(Math.max(1, n));
  let head = 0;
  let tail = 0;
  let hi = 0;
  for (let k = 0; k < ticks.length; k++) {
    const t = ticks[k] as number;
    while (hi < n && (timestamps[hi] as number) <= t) {
      const v = values[hi] as number;
      if (v === v) {
        if (max) while (tail > head && (values[deque[tail - 1] as number] as number) <= v) tail--;
        else while (tail > head && (values[deque[tail - 1] as number] as number) >= v) tail--;
        deque[tail++] = hi;
      }
      hi++;
    }
    const from = t - windowMs;
    while (tail > head && (timestamps[deque[head] as number] as number) <= from) head++;
    out[k] = tail > head ? (values[deque[head] as number] as number) : NaN;
  }
  return out;
}

/**
 * The R-7 quantile of the window at every tick, keeping the window's values sorted instead of copying and
 * selecting per tick. Same interpolation as `@vigil/core/percentile`'s `quantile`. Per tick, the samples that leave
 * the window and the samples that enter it are paired: one leaving value is replaced in place by one entering value
 * (find the old value by binary search, then slide it towards the new value's rank), which moves only the elements
 * between the two ranks; unpaired samples are plain deletes/inserts. Samples that enter and leave within the same
 * tick (a gap longer than the window) are never inserted. The sorted multiset is the same as with separate
 * inserts and deletes, so the values are identical.
 */
function percentileAtTicks(series: Series, windowMs: number, ticks: Float64Array, out: Float64Array, q: number): Float64Array {
  const { timestamps, values } = series;
  const n = timestamps.length;
  const sorted = new Float64Array(Math.max(1, n));
  let size = 0;
  let lo = 0;
  let hi = 0;
  for (let k = 0; k < ticks.length; k++) {
    const t = ticks[k] as number;
    let newHi = hi;
    while (newHi < n && (timestamps[newHi] as number) <= t) newHi++;
    const from = t - windowMs;
    let newLo = lo;
    while (newLo < newHi && (timestamps[newLo] as number) <= from) newLo++;
    // Leaving: samples that were in the window; entering: new samples still in it.
    let leave = lo;
    const leaveEnd = newLo < hi ? newLo : hi;
    let enter = hi > newLo ? hi : newLo;
    for (;;) {
      while (leave < leaveEnd && (values[leave] as number) !== (values[leave] as number)) leave++;
      while (enter < newHi && (values[enter] as number) !== (values[enter] as number)) enter++;
      if (leave < leaveEnd && enter < newHi) {
        const old = values[leave++] as number;
        const v = values[enter++] as number;
        let at = lowerBound(sorted, size, old);
        if (v > old) {
          while (at + 1 < size && (sorted[at + 1] as number) < v) {
            sorted[at] = sorted[at + 1] as number;
            at++;
          }
        } else {
          while (at > 0 && (sorted[at - 1] as number) > v) {
            sorted[at] = sorted[at - 1] as number;
            at--;
          }
        }
        sorted[at] = v;
      } else if (leave < leaveEnd) {
        const at = lowerBound(sorted, size, values[leave++] as number);
        // Manual shifts: windows are short, and copyWithin's call costs more than moving a few elements.
        for (let j = at + 1; j < size; j++) sorted[j - 1] = sorted[j] as number;
        size--;
      } else if (enter < newHi) {
        const v = values[enter++] as number;
        const at = lowerBound(sorted, size, v);
        for (let j = size; j > at; j--) sorted[j] = sorted[j - 1] as number;
        sorted[at] = v;
        size++;
      } else break;
    }
    lo = newLo;
    hi = newHi;
    if (size === 0) {
      out[k] = NaN;
      continue;
    }
    const h = (size - 1) * q;
    const lower = Math.floor(h);
    const upper = Math.min(lower + 1, size - 1);
    out[k] = interpolate(sorted[lower] as number, sorted[upper] as number, h - lower);
  }
  return out;
}

/** First index in sorted[0..size) whose value is >= v. */
function lowerBound(sorted: Float64Array, size: number, v: number): number {
  let a = 0;
  let b = size;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if ((sorted[mid] as number) < v) a = mid + 1;
    else b = mid;
  }
  return a;
}

/** Linear interpolation exactly as `@vigil/core/percentile` does it (bounded, limits for infinite ends). */
function interpolate(low: number, high: number, fraction: number): number {
  if (fraction === 0 || low === high) return low;
  if (low === -Infinity) return high === Infinity ? NaN : -Infinity;
  if (high === Infinity) return Infinity;
  let value = low + (high - low) * fraction;
  if (!Number.isFinite(value)) value = low * (1 - fraction) + high * fraction;
  return value < low ? low : value > high ? high : value;
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

/** Scratch for one window's non-NaN values (grown on demand; reused so a tick of many rules allocates nothing). */
let scratch = new Float64Array(256);

/**
 * The R-7 quantile of values[lo..hi) (NaN skipped), identical to `quantile(values.subarray(lo, hi), q)`: the two
 * order statistics around h = (n - 1) q are selected in a reused scratch buffer (iterative quickselect, then the
 * minimum of the part above), and interpolated exactly as `@vigil/core/percentile` does.
 */
function percentileOf(values: Float64Array, lo: number, hi: number, q: number): number {
  if (hi <= lo) return NaN;
  if (scratch.length < hi - lo) scratch = new Float64Array(hi - lo);
  const a = scratch;
  let n = 0;
  for (let i = lo; i < hi; i++) {
    const v = values[i] as number;
    if (v === v) a[n++] = v;
  }
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lower = Math.floor(h);
  const low = selectInPlace(a, n, lower);
  if (lower + 1 >= n) return low;
  // After selection everything right of `lower` is >= the lower order statistic: the next one is their minimum.
  let high = a[lower + 1] as number;
  for (let i = lower + 2; i < n; i++) if ((a[i] as number) < high) high = a[i] as number;
  return interpolate(low, high, h - lower);
}

/** Rearranges a[0..n) so that a[k] is the k-th smallest, smaller-or-equal left, greater-or-equal right. */
function selectInPlace(a: Float64Array, n: number, k: number): number {
  let left = 0;
  let right = n - 1;
  while (right > left) {
    // Median of three as pivot, then Hoare partition.
    const mid = (left + right) >>> 1;
    let x = a[left] as number;
    let y = a[mid] as number;
    const z = a[right] as number;
    if (x > y) {
      const t = x;
      x = y;
      y = t;
    }
    if (y > z) y = z;
    const pivot = x > y ? x : y;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k] as number;
  }
  return a[k] as number;
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

import { isStrictlyAscendingFinite } from '../series/create';
import { counterChangesAt, rateInWindow } from '../series/rate';
import type { Series } from '../series/types';
import { passes } from './state';
import type { ThresholdOperator } from './types';
import type { CompiledLevel, CompiledRule } from './validate';

/**
 * Reducers over one series: the window of tick `t` is `(t - windowMs, t]`, NaN samples are skipped, and "no data"
 * is NaN (never an output of the engine: the evaluator turns it into the rule's no-data behaviour).
 * The same kernel serves the tick-by-tick evaluator and the backtest, so both see bit-identical values.
 */

/** Slots of `scratchColumn`: the backtest's ticks and condition values, and the change condition's two columns. @internal */
export const SLOT_TICKS = 0;
/** @internal */
export const SLOT_VALUES = 1;
const SLOT_EARLIER_TICKS = 2;
const SLOT_EARLIER_VALUES = 3;
/** The sorted window of a percentile, or the deque of a min/max. */
const SLOT_WINDOW = 4;
/** Values a lazy backtest computed, shared by the levels of a rule. @internal */
export const SLOT_LAZY = 5;
/** The ticks of the segment a lazy backtest computes. @internal */
export const SLOT_SEGMENT_TICKS = 6;

/**
 * Columns reused across backtests, by slot (a backtest of 30 days of minutes needs three of 43,200 doubles; freshly
 * allocated, their first touch costs more page faults than the whole computation). Only columns of up to
 * `REUSED_COLUMN_MAX` entries are kept; longer ones are allocated per call. Valid until the next call for the slot.
 */
const reusedColumns: Float64Array[] = [];
/** @internal */
export const REUSED_COLUMN_MAX = 1 << 17;

/** A column of `n` entries (contents unspecified) for `slot`. @internal */
export function scratchColumn(slot: number, n: number): Float64Array {
  if (n > REUSED_COLUMN_MAX) return new Float64Array(n);
  let column = reusedColumns[slot];
  if (column === undefined || column.length < n) {
    column = new Float64Array(Math.min(REUSED_COLUMN_MAX, Math.max(n, 2 * (column?.length ?? 0))));
    reusedColumns[slot] = column;
  }
  return column.length === n ? column : column.subarray(0, n);
}

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
export function reduceAtTicks(series: Series, rule: CompiledRule, ticks: Float64Array, out: Float64Array = new Float64Array(ticks.length)): Float64Array {
  if (rule.reducer === 'rate') return counterChangesAt(series.timestamps, series.values, ticks, rule.windowMs, true, true, out);
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
  // Sample indices (exact in doubles), in a reused column.
  const deque = scratchColumn(SLOT_WINDOW, Math.max(1, n));
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
  const sorted = scratchColumn(SLOT_WINDOW, Math.max(1, n));
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
    const value = interpolate(sorted[lower] as number, sorted[upper] as number, h - lower);
    out[k] = value === 0 ? 0 : value;
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

/**
 * Checks the part of a timestamp column that a rule can read at a tick: from the newest sample back to the first one
 * at or before `earliest` (the start of the rule's lookback; windows are left-open, so that sample is never read).
 * Returns the index where the checked part starts (0 when every sample is newer), or -1 when a timestamp there is not
 * finite or not above the one before it. Older samples are neither read nor checked.
 *
 * `known` remembers, within one synchronous pass (one evaluator tick), a column already checked from some index on:
 * series of one query often share their timestamp column, and a part checked once is not checked again. @internal
 */
export function checkedTailStart(timestamps: Float64Array, earliest: number, known?: CheckedColumn): number {
  const n = timestamps.length;
  if (n === 0) return 0;
  // Fast path: the start by binary search, then one forward check from there. Whatever the input, the search stops
  // between neighbours a <= earliest < b; if the part from `a` on is sorted and finite, the backward scan below would
  // have stopped at `a` too. If not, the backward scan decides (the search may have stopped in an unsorted older part
  // the scan never reaches).
  const start = Math.max(0, upperBound(timestamps, earliest) - 1);
  if (known !== undefined && known.column === timestamps && known.from <= start) return start;
  const from = isStrictlyAscendingFinite(timestamps, start) ? start : checkedTailStartByScan(timestamps, earliest);
  if (known !== undefined && from >= 0) {
    known.from = known.column === timestamps ? Math.min(known.from, from) : from;
    known.column = timestamps;
  }
  return from;
}

/** A timestamp column known to be finite and strictly ascending from `from` to its end (see `checkedTailStart`). @internal */
export interface CheckedColumn {
  column: Float64Array | null;
  from: number;
}

/** `checkedTailStart` by its definition: back from the newest sample to the first one at or before `earliest`. */
function checkedTailStartByScan(timestamps: Float64Array, earliest: number): number {
  let next = Infinity;
  let i = timestamps.length - 1;
  for (; i >= 0; i--) {
    const t = timestamps[i] as number;
    // Fails for NaN, +Infinity and anything not below the sample after it.
    if (!(t < next)) return -1;
    next = t;
    if (t <= earliest) break;
  }
  return next === -Infinity ? -1 : i < 0 ? 0 : i;
}

/**
 * The reducer's value of one series at one tick. `from` is where the timestamps are known to be ascending (see
 * `checkedTailStart`); the window is found by binary search above it. @internal
 */
export function reduceAt(series: Series, rule: CompiledRule, t: number, from = 0): number {
  const hi = upperBound(series.timestamps, t, from);
  return reduceWindow(series, rule, upperBound(series.timestamps, t - rule.windowMs, from, hi), hi, t);
}

/** The reducer's value at tick `t` of the window's samples `[lo, hi)`, found by the caller. @internal */
export function reduceWindow(series: Series, rule: CompiledRule, lo: number, hi: number, t: number): number {
  const { timestamps, values } = series;
  switch (rule.reducer) {
    case 'rate':
      return rateInWindow(timestamps, values, lo, hi, t, rule.windowMs);
    case 'percentile':
      return percentileOf(values, lo, hi, rule.quantile);
    default:
      return reduceSlice(values, lo, hi, rule.reducer);
  }
}

/**
 * True when no level of a threshold rule on `avg`, `min`, `max` or a percentile can hold at tick `t`, because no
 * sample of the window passes the loosest level's threshold (`operator` and `threshold`: the levels' shared operator
 * and `loosestThreshold(levels)`): these values lie between the window's smallest and largest sample. One comparison
 * per sample, eight per step, stopping at the first passing one; cheaper than the value itself. An empty window (no
 * data) also answers true: the caller uses this only when no data does not alert and no alert exists. `==` and `!=`
 * are never decided here. @internal
 */
export function windowCannotPass(series: Series, windowMs: number, operator: ThresholdOperator, threshold: number, t: number, from: number): boolean {
  if (operator === '==' || operator === '!=') return false;
  const { timestamps, values } = series;
  const hi = upperBound(timestamps, t, from);
  const lo = upperBound(timestamps, t - windowMs, from, hi);
  return firstPassing(values, lo, hi, operator, threshold) >= hi;
}

/** The loosest threshold of levels that share an ordered operator: the lowest for `>` and `>=`, the highest otherwise. @internal */
export function loosestThreshold(levels: readonly CompiledLevel[]): number {
  const operator = (levels[0] as CompiledLevel).operator;
  let threshold = (levels[0] as CompiledLevel).value;
  for (const level of levels) if (operator === '>' || operator === '>=' ? level.value < threshold : level.value > threshold) threshold = level.value;
  return threshold;
}

/**
 * The first index in [from, to) whose value passes `threshold` under an ordered operator, or `to` (NaN never passes).
 * One loop per operator, so the comparison is not switched per sample, eight samples per step (about a tenth faster
 * than four in a 30-day backtest): where passing samples are rare most steps are eight comparisons. @internal
 */
export function firstPassing(values: Float64Array, from: number, to: number, operator: ThresholdOperator, threshold: number): number {
  let j = from;
  switch (operator) {
    case '>':
      for (; j + 7 < to; j += 8) if ((values[j] as number) > threshold || (values[j + 1] as number) > threshold || (values[j + 2] as number) > threshold || (values[j + 3] as number) > threshold || (values[j + 4] as number) > threshold || (values[j + 5] as number) > threshold || (values[j + 6] as number) > threshold || (values[j + 7] as number) > threshold) break;
      break;
    case '>=':
      for (; j + 7 < to; j += 8) if ((values[j] as number) >= threshold || (values[j + 1] as number) >= threshold || (values[j + 2] as number) >= threshold || (values[j + 3] as number) >= threshold || (values[j + 4] as number) >= threshold || (values[j + 5] as number) >= threshold || (values[j + 6] as number) >= threshold || (values[j + 7] as number) >= threshold) break;
      break;
    case '<':
      for (; j + 7 < to; j += 8) if ((values[j] as number) < threshold || (values[j + 1] as number) < threshold || (values[j + 2] as number) < threshold || (values[j + 3] as number) < threshold || (values[j + 4] as number) < threshold || (values[j + 5] as number) < threshold || (values[j + 6] as number) < threshold || (values[j + 7] as number) < threshold) break;
      break;
    case '<=':
      for (; j + 7 < to; j += 8) if ((values[j] as number) <= threshold || (values[j + 1] as number) <= threshold || (values[j + 2] as number) <= threshold || (values[j + 3] as number) <= threshold || (values[j + 4] as number) <= threshold || (values[j + 5] as number) <= threshold || (values[j + 6] as number) <= threshold || (values[j + 7] as number) <= threshold) break;
      break;
    default:
      // `==` and `!=`: one by one below.
      break;
  }
  // The step that stopped the loop, or the last few samples (or every sample, for `==` and `!=`): one by one.
  for (; j < to; j++) if (passes(values[j] as number, operator, threshold)) return j;
  return to;
}

/**
 * True when no level of a percentile threshold rule can hold at tick `t` on this series, decided without computing the
 * percentile: one counting pass per level instead of a selection (the value is only needed where a level holds, or
 * where an alert already exists, which the caller checks). False means "not proven", never "holds".
 *
 * With n non-NaN samples, h = (n - 1) q and `lower` = floor(h), the R-7 value lies between the order statistics
 * x(lower) and x(reach), where reach = lower + 1 unless h is whole or at the end. So `>` cannot hold when
 * x(reach) <= threshold, that is when at most n - 1 - reach samples are above it; `<` cannot hold when
 * x(lower) >= threshold, when at most `lower` samples are below it; `>=` and `<=` likewise. `==` and `!=`, and a
 * window without samples (no-data handling), are never decided here. @internal
 */
export function percentileCannotHold(series: Series, rule: CompiledRule, t: number, from: number): boolean {
  const { timestamps, values } = series;
  const hi = upperBound(timestamps, t, from);
  const lo = upperBound(timestamps, t - rule.windowMs, from, hi);
  const q = rule.quantile;
  for (const level of rule.levels) {
    const operator = level.operator;
    const threshold = level.value;
    let n = 0;
    let count = 0;
    switch (operator) {
      case '>':
        for (let i = lo; i < hi; i++) {
          const v = values[i] as number;
          if (v === v) {
            n++;
            if (v > threshold) count++;
          }
        }
        break;
      case '>=':
        for (let i = lo; i < hi; i++) {
          const v = values[i] as number;
          if (v === v) {
            n++;
            if (v >= threshold) count++;
          }
        }
        break;
      case '<':
        for (let i = lo; i < hi; i++) {
          const v = values[i] as number;
          if (v === v) {
            n++;
            if (v < threshold) count++;
          }
        }
        break;
      case '<=':
        for (let i = lo; i < hi; i++) {
          const v = values[i] as number;
          if (v === v) {
            n++;
            if (v <= threshold) count++;
          }
        }
        break;
      default:
        return false;
    }
    if (n === 0) return false;
    const h = (n - 1) * q;
    const lower = Math.floor(h);
    const reach = h === lower || lower + 1 >= n ? lower : lower + 1;
    const cannot = operator === '>' || operator === '>=' ? count <= n - 1 - reach : count <= lower;
    if (!cannot) return false;
  }
  return true;
}

/** Scratch for one window's non-NaN values (grown on demand; reused so a tick of many rules allocates nothing). */
let scratch = new Float64Array(256);

/**
 * Up to this many values are kept sorted by `percentileNearEnd`. Past it (a median of a long window, say)
 * quickselect is cheaper than keeping the sorted part.
 */
const NEAR_END_MAX = 32;
const nearEnd = new Float64Array(NEAR_END_MAX);

/**
 * The R-7 quantile of values[lo..hi) (NaN skipped), identical to `quantile(values.subarray(lo, hi), q)`, up to the
 * sign of a zero (always +0 here). The two order statistics around h = (n - 1) q are found in one of two ways:
 * - near an end of the window (p95 of an hour of 15-second samples needs only the 13 largest), by one pass that keeps
 *   the few largest or smallest values sorted, reading the window in place;
 * - otherwise, by iterative quickselect in a reused scratch buffer, then the minimum of the part above.
 * Both interpolate exactly as `@vigil/core/percentile` does.
 */
function percentileOf(values: Float64Array, lo: number, hi: number, q: number): number {
  const span = hi - lo;
  if (span <= 0) return NaN;
  // The near-end pass assumes no NaN (it gives up on the first one: n would be smaller, and h with it).
  const lowerIfFull = Math.floor((span - 1) * q);
  const largest = span - lowerIfFull;
  const smallest = lowerIfFull + 2;
  if (largest <= NEAR_END_MAX || smallest <= NEAR_END_MAX) {
    const value = largest <= smallest ? percentileNearEnd(values, lo, hi, q, largest, true) : percentileNearEnd(values, lo, hi, q, smallest, false);
    if (value === value) return value === 0 ? 0 : value;
  }
  if (scratch.length < span) scratch = new Float64Array(span);
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
  if (lower + 1 >= n) return low === 0 ? 0 : low;
  // After selection everything right of `lower` is >= the lower order statistic: the next one is their minimum.
  let high = a[lower + 1] as number;
  for (let i = lower + 2; i < n; i++) if ((a[i] as number) < high) high = a[i] as number;
  const value = interpolate(low, high, h - lower);
  return value === 0 ? 0 : value;
}

/**
 * The R-7 quantile of a window without NaN, keeping only its `keep` largest values (`top`) or `keep` smallest, sorted
 * ascending in `nearEnd`, in one pass. The lower order statistic is then the smallest kept (largest of the smallest
 * kept, one before the last) and the upper one its neighbour. NaN when the window holds a NaN: the caller falls back.
 */
function percentileNearEnd(values: Float64Array, lo: number, hi: number, q: number, keep: number, top: boolean): number {
  const kept = nearEnd;
  let size = 0;
  for (let i = lo; i < hi; i++) {
    const v = values[i] as number;
    if (v !== v) return NaN;
    if (size < keep) {
      let j = size++;
      while (j > 0 && (kept[j - 1] as number) > v) {
        kept[j] = kept[j - 1] as number;
        j--;
      }
      kept[j] = v;
    } else if (top) {
      if (!(v > (kept[0] as number))) continue;
      // Drop the smallest kept value and slide v into place.
      let j = 0;
      while (j + 1 < keep && (kept[j + 1] as number) < v) {
        kept[j] = kept[j + 1] as number;
        j++;
      }
      kept[j] = v;
    } else {
      if (!(v < (kept[keep - 1] as number))) continue;
      let j = keep - 1;
      while (j > 0 && (kept[j - 1] as number) > v) {
        kept[j] = kept[j - 1] as number;
        j--;
      }
      kept[j] = v;
    }
  }
  const h = (hi - lo - 1) * q;
  const lower = Math.floor(h);
  const at = top ? 0 : keep - 2;
  const low = kept[at] as number;
  if (lower + 1 >= hi - lo) return low;
  return interpolate(low, kept[at + 1] as number, h - lower);
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

/** The condition value of one series at one tick (NaN = no data); `from` as for `reduceAt`. @internal */
export function conditionValueAt(series: Series, rule: CompiledRule, t: number, from = 0): number {
  const now = reduceAt(series, rule, t, from);
  if (rule.conditionType !== 'change') return now;
  return changePercent(now, reduceAt(series, rule, t - rule.changeWindowMs, from), rule.changeSign);
}

/**
 * The condition value of one series at each tick (NaN = no data), written into `out` (a fresh column by default).
 * @internal
 */
export function conditionValuesAtTicks(series: Series, rule: CompiledRule, ticks: Float64Array, out: Float64Array = new Float64Array(ticks.length)): Float64Array {
  const now = reduceAtTicks(series, rule, ticks, out);
  if (rule.conditionType !== 'change') return now;
  const earlier = scratchColumn(SLOT_EARLIER_TICKS, ticks.length);
  for (let k = 0; k < ticks.length; k++) earlier[k] = (ticks[k] as number) - rule.changeWindowMs;
  const before = reduceAtTicks(series, rule, earlier, scratchColumn(SLOT_EARLIER_VALUES, ticks.length));
  for (let k = 0; k < ticks.length; k++) now[k] = changePercent(now[k] as number, before[k] as number, rule.changeSign);
  return now;
}

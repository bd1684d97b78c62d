import { ValidationError, assertNumericArray, assertPositiveNumber } from '../errors';
import { assertAscendingTimestamps, deriveSeries, validateSeries } from './create';
import type { Series } from './types';

/** Options of `rate`, `increase` and `instantRate`. */
export interface RateOptions {
  /** Window length in milliseconds, > 0. Each output point looks at the samples in `(t - windowMs, t]`. */
  readonly windowMs: number;
  /**
   * Evaluation times (epoch ms, ascending; repeats allowed). Defaults to the series' own timestamps. Use aligned
   * step times here to reproduce a Prometheus range query.
   */
  readonly at?: ArrayLike<number>;
  /**
   * Extrapolate to the window edges as Prometheus does (default `true`). With `false`, `increase` is the
   * reset-corrected difference between the last and first sample in the window, and `rate` is that divided by the
   * window in seconds.
   */
  readonly extrapolate?: boolean;
}

/**
 * When a window holds at most this many counter resets they are added one by one in sample order, exactly as
 * Prometheus does; beyond it a difference of prefix sums keeps the work bounded (the two differ only by rounding).
 */
const RESETS_SUMMED_IN_ORDER = 64;

/**
 * Per-second rate of a counter over a trailing window, evaluated at each time in `options.at` (default: the series'
 * timestamps). With the default `extrapolate: true` this reproduces Prometheus' `rate(metric[window])` exactly:
 * counter resets are corrected (a drop means the counter restarted from 0), the increase is extrapolated towards
 * the window edges (all the way when the first or last sample is within 1.1 average sample intervals of the edge,
 * otherwise half an interval) but never to below zero, and the result is divided by the window length in seconds.
 *
 * The window is `(t - windowMs, t]`, left-open as in Prometheus 3. NaN values are missing samples and are skipped.
 * A point whose window holds fewer than two samples is NaN: "no data", where Prometheus returns no sample.
 * Runs in O(n + m) for n samples and m evaluation times.
 *
 * @throws ValidationError for a malformed series, a non-positive window or unsorted `at`.
 * @example
 * // A counter scraped every 15 s, growing by 30 each scrape: 2 per second.
 * const requests = createSeries({ timestamps: [0, 15_000, 30_000, 45_000, 60_000], values: [0, 30, 60, 90, 120] });
 * rate(requests, { windowMs: 60_000, at: [60_000] }).values; // Float64Array [2]
 */
export function rate(series: Series, options: RateOptions): Series {
  return windowedCounter(series, options, true);
}

/**
 * Increase of a counter over a trailing window: Prometheus' `increase(metric[window])`, which is `rate` multiplied
 * by the window in seconds. Same windows, reset handling, extrapolation and NaN rules as `rate`. The result is
 * usually not a whole number because of the extrapolation; pass `extrapolate: false` for the raw observed increase.
 *
 * @example
 * // Prometheus' own test case: 0 1 2 3 2 3 4 every 5 minutes; the drop from 3 to 2 is a reset.
 * const s = createSeries({ timestamps: [0, 3e5, 6e5, 9e5, 12e5, 15e5, 18e5], values: [0, 1, 2, 3, 2, 3, 4] });
 * increase(s, { windowMs: 30 * 60_000, at: [18e5] }).values[0]; // 7
 * increase(s, { windowMs: 30 * 60_000, at: [18e5], extrapolate: false }).values[0]; // 6
 */
export function increase(series: Series, options: RateOptions): Series {
  return windowedCounter(series, options, false);
}

/**
 * Per-second rate between the last two samples in each window, like Prometheus' `irate()`. If the last sample is
 * lower than the one before (a counter reset), the rate is the last value divided by the interval. Fewer than two
 * samples in the window gives NaN. `extrapolate` is ignored.
 *
 * @example
 * const s = createSeries({ timestamps: [0, 10_000, 20_000], values: [0, 50, 60] });
 * instantRate(s, { windowMs: 60_000 }).values; // Float64Array [NaN, 5, 1]
 */
export function instantRate(series: Series, options: RateOptions): Series {
  const { timestamps, values, at } = prepare(series, options);
  const windowMs = options.windowMs;
  const out = new Float64Array(at.length);
  let hi = -1; // last sample index with t <= evaluation time
  for (let j = 0; j < at.length; j++) {
    const t = at[j] as number;
    while (hi + 1 < timestamps.length && (timestamps[hi + 1] as number) <= t) hi++;
    const previous = hi - 1;
    if (previous < 0 || (timestamps[previous] as number) <= t - windowMs) {
      out[j] = NaN;
      continue;
    }
    const last = values[hi] as number;
    const before = values[previous] as number;
    const seconds = ((timestamps[hi] as number) - (timestamps[previous] as number)) / 1000;
    out[j] = (last < before ? last : last - before) / seconds;
  }
  return deriveSeries(series, Float64Array.from(at), out);
}

interface Prepared {
  /** Timestamps of the non-NaN samples. */
  readonly timestamps: Float64Array;
  /** The non-NaN values. */
  readonly values: Float64Array;
  readonly at: ArrayLike<number>;
}

function prepare(series: Series, options: RateOptions): Prepared {
  validateSeries(series);
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an options object with windowMs', options);
  assertPositiveNumber(options.windowMs, 'options.windowMs');
  if (options.extrapolate !== undefined && typeof options.extrapolate !== 'boolean') {
    throw new ValidationError('options.extrapolate', 'a boolean', options.extrapolate);
  }
  let at: ArrayLike<number> = series.timestamps;
  if (options.at !== undefined) {
    assertNumericArray(options.at, 'options.at');
    assertAscendingTimestamps(options.at, 'options.at', false);
    at = options.at;
  }
  const { timestamps, values } = dropMissing(series.timestamps, series.values);
  return { timestamps, values, at };
}

/** The columns without their NaN samples; the same arrays when there are none. */
function dropMissing(timestamps: Float64Array, values: Float64Array): { timestamps: Float64Array; values: Float64Array } {
  let missing = 0;
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) missing++;
  if (missing === 0) return { timestamps, values };
  const keptTimestamps = new Float64Array(values.length - missing);
  const keptValues = new Float64Array(values.length - missing);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    keptTimestamps[k] = timestamps[i] as number;
    keptValues[k] = v;
    k++;
  }
  return { timestamps: keptTimestamps, values: keptValues };
}

function windowedCounter(series: Series, options: RateOptions, isRate: boolean): Series {
  const { timestamps, values, at } = prepare(series, options);
  const out = counterChangesAt(timestamps, values, at, options.windowMs, isRate, options.extrapolate ?? true, new Float64Array(at.length));
  return deriveSeries(series, Float64Array.from(at), out);
}

/**
 * `rate` / `increase` of checked columns (finite ascending timestamps; NaN values are missing samples) at each time of
 * `at` (ascending), written into `out`. No validation and no allocation beyond the reset index: the engines that
 * validate their input once (the alert backtest) call this directly, `rate` and `increase` wrap it. @internal
 */
export function counterChangesAt(
  allTimestamps: Float64Array,
  allValues: Float64Array,
  at: ArrayLike<number>,
  windowMs: number,
  isRate: boolean,
  extrapolate: boolean,
  out: Float64Array,
): Float64Array {
  const { timestamps, values } = dropMissing(allTimestamps, allValues);
  const windowSeconds = windowMs / 1000;
  const n = timestamps.length;

  // Counter resets: sample i is a reset when values[i] < values[i - 1]; the lost amount is values[i - 1].
  let resetCount = 0;
  for (let i = 1; i < n; i++) if ((values[i] as number) < (values[i - 1] as number)) resetCount++;
  const resetIndex = new Int32Array(resetCount);
  const resetPrefix = new Float64Array(resetCount + 1); // resetPrefix[r] = sum of the first r lost amounts
  for (let i = 1, r = 0; i < n; i++) {
    const before = values[i - 1] as number;
    if ((values[i] as number) < before) {
      resetIndex[r] = i;
      resetPrefix[r + 1] = (resetPrefix[r] as number) + before;
      r++;
    }
  }

  let lo = 0; // first sample index with t > evaluation time - window
  let hi = -1; // last sample index with t <= evaluation time
  let resetLo = 0; // first reset with index > lo
  let resetHi = 0; // first reset with index > hi
  for (let j = 0; j < at.length; j++) {
    const rangeEnd = at[j] as number;
    const rangeStart = rangeEnd - windowMs;
    while (hi + 1 < n && (timestamps[hi + 1] as number) <= rangeEnd) hi++;
    while (lo < n && (timestamps[lo] as number) <= rangeStart) lo++;
    if (hi - lo < 1) {
      out[j] = NaN;
      continue;
    }
    while (resetLo < resetCount && (resetIndex[resetLo] as number) <= lo) resetLo++;
    while (resetHi < resetCount && (resetIndex[resetHi] as number) <= hi) resetHi++;

    const firstValue = values[lo] as number;
    let result = (values[hi] as number) - firstValue;
    if (resetHi - resetLo <= RESETS_SUMMED_IN_ORDER) {
      for (let r = resetLo; r < resetHi; r++) result += values[(resetIndex[r] as number) - 1] as number;
    } else {
      result += (resetPrefix[resetHi] as number) - (resetPrefix[resetLo] as number);
    }

    if (!extrapolate) {
      out[j] = isRate ? result / windowSeconds : result;
      continue;
    }

    out[j] = extrapolatedCounterChange(result, firstValue, timestamps[lo] as number, timestamps[hi] as number, hi - lo, rangeStart, rangeEnd, isRate ? windowSeconds : 0);
  }
  return out;
}

/**
 * Prometheus' extrapolated `rate` of checked columns over the one window `(rangeEnd - windowMs, rangeEnd]`, whose
 * samples are `values[lo..hi)` (NaN skipped), bit-identical to `counterChangesAt` at that time. One pass over the
 * window: resets are added in sample order as they are met; past `RESETS_SUMMED_IN_ORDER` of them it switches to the
 * same difference of prefix sums `counterChangesAt` uses (a pass from the series start, for this rare case only).
 * @internal
 */
export function rateInWindow(timestamps: Float64Array, values: Float64Array, lo: number, hi: number, rangeEnd: number, windowMs: number): number {
  let first = lo;
  while (first < hi && (values[first] as number) !== (values[first] as number)) first++;
  let last = hi - 1;
  while (last > first && (values[last] as number) !== (values[last] as number)) last--;
  if (last <= first) return NaN;
  const firstValue = values[first] as number;
  const rangeStart = rangeEnd - windowMs;
  // The common case, a counter that only grows in the window (no NaN between): no resets to add, one tight check.
  if (isNonDecreasing(values, first, last)) {
    return extrapolatedCounterChange((values[last] as number) - firstValue, firstValue, timestamps[first] as number, timestamps[last] as number, last - first, rangeStart, rangeEnd, windowMs / 1000);
  }
  let result = (values[last] as number) - firstValue;
  let previous = firstValue;
  let samples = 1;
  let resets = 0;
  for (let i = first + 1; i <= last; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    samples++;
    if (v < previous) {
      if (++resets > RESETS_SUMMED_IN_ORDER) break;
      result += previous;
    }
    previous = v;
  }
  if (resets > RESETS_SUMMED_IN_ORDER) {
    samples = 0;
    for (let i = first; i <= last; i++) if ((values[i] as number) === (values[i] as number)) samples++;
    result = (values[last] as number) - firstValue + (resetPrefixUpTo(values, last) - resetPrefixUpTo(values, first));
  }
  return extrapolatedCounterChange(result, firstValue, timestamps[first] as number, timestamps[last] as number, samples - 1, rangeStart, rangeEnd, windowMs / 1000);
}

/** Whether values[from..to] never decrease (false on any NaN, which fails every comparison); four per step. */
function isNonDecreasing(values: Float64Array, from: number, to: number): boolean {
  let previous = values[from] as number;
  let i = from;
  for (; i + 4 <= to; i += 4) {
    const a = values[i + 1] as number;
    const b = values[i + 2] as number;
    const c = values[i + 3] as number;
    const d = values[i + 4] as number;
    if (!(a >= previous && b >= a && c >= b && d >= c)) return false;
    previous = d;
  }
  for (i++; i <= to; i++) {
    const v = values[i] as number;
    if (!(v >= previous)) return false;
    previous = v;
  }
  return true;
}

/** The lost amounts of the resets at or before index `end` (non-NaN samples only), summed in order from the start. */
function resetPrefixUpTo(values: Float64Array, end: number): number {
  let sum = 0;
  let previous = NaN;
  for (let i = 0; i <= end; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    if (v < previous) sum += previous;
    previous = v;
  }
  return sum;
}

/**
 * Prometheus' extrapolation of one window's counter change (`extrapolatedRate` in promql/functions.go), shared by
 * `rate`/`increase` here and by evaluators that summarise windows without materialising every sample.
 *
 * `change` is the reset-corrected difference between the last and first samples in the window; the result extends it
 * to the window's edges, by at most half an average interval past the samples where they stop short of an edge by more
 * than 1.1 intervals, and never back past the point where the counter would reach zero. With `windowSeconds > 0` the
 * result is per second (rate); with 0 it is the increase.
 *
 * @param intervals number of sample intervals in the window (samples - 1), >= 1.
 * @example
 * // 3 samples 15 s apart going 0 → 30 in the window (0, 60 s]. The counter was 0 at the first sample, so nothing is
 * // added before it (zero floor); 15 s are added after the last one (< 1.1 intervals): 30 × 45 / 30 = 45.
 * extrapolatedCounterChange(30, 0, 15_000, 45_000, 2, 0, 60_000, 0); // 45
 * extrapolatedCounterChange(30, 0, 15_000, 45_000, 2, 0, 60_000, 60); // 0.75 per second
 */
export function extrapolatedCounterChange(
  change: number,
  firstValue: number,
  firstTimestamp: number,
  lastTimestamp: number,
  intervals: number,
  rangeStart: number,
  rangeEnd: number,
  windowSeconds: number,
): number {
  let durationToStart = (firstTimestamp - rangeStart) / 1000;
  let durationToEnd = (rangeEnd - lastTimestamp) / 1000;
  const sampledInterval = (lastTimestamp - firstTimestamp) / 1000;
  const averageInterval = sampledInterval / intervals;
  const threshold = averageInterval * 1.1;
  if (durationToStart >= threshold) durationToStart = averageInterval / 2;
  // A counter cannot go below zero: do not extrapolate further back than where the slope would reach 0.
  if (change > 0 && firstValue >= 0) {
    const durationToZero = sampledInterval * (firstValue / change);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= threshold) durationToEnd = averageInterval / 2;
  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (windowSeconds > 0) factor /= windowSeconds;
  return change * factor;
}

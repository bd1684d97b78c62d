import { ValidationError, assertNumericArray } from '../errors';
import { assertTimeRange, deriveSeries } from './create';
import type { Series, TimeRange } from './types';

/**
 * Binary search: the index of the last timestamp `<= t`, or -1 when every timestamp is after `t` (or there are
 * none). The timestamps must be ascending; they are not re-checked, so this stays O(log n) for a chart's crosshair.
 *
 * @throws ValidationError when `timestamps` is not an array of numbers or `t` is NaN.
 * @example
 * findIndexAtOrBefore(new Float64Array([0, 10, 20]), 15); // 1
 * findIndexAtOrBefore(new Float64Array([0, 10, 20]), -5); // -1
 */
export function findIndexAtOrBefore(timestamps: ArrayLike<number>, t: number): number {
  if (!ArrayBuffer.isView(timestamps)) assertNumericArray(timestamps, 'timestamps');
  if (typeof t !== 'number' || Number.isNaN(t)) throw new ValidationError('t', 'a number', t);
  let lo = 0;
  let hi = timestamps.length; // answer + 1 lies in [lo, hi]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((timestamps[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * The part of a series inside the closed range `[range.start, range.end]`, sharing memory with the input
 * (`Float64Array.subarray`, no copy). Found by binary search, O(log n).
 *
 * @throws ValidationError for a malformed series or range.
 * @example
 * const visible = sliceByTime(series, { start: Date.now() - 3_600_000, end: Date.now() });
 */
export function sliceByTime(series: Series, range: TimeRange): Series {
  if (series === null || typeof series !== 'object') throw new ValidationError('series', 'a series object', series);
  if (!(series.timestamps instanceof Float64Array)) throw new ValidationError('series.timestamps', 'a Float64Array', series.timestamps);
  if (!(series.values instanceof Float64Array) || series.values.length !== series.timestamps.length) {
    throw new ValidationError('series.values', `a Float64Array of length ${series.timestamps.length}`, series.values);
  }
  assertTimeRange(range, 'range');
  const { timestamps, values } = series;
  const from = firstIndexAtOrAfter(timestamps, range.start);
  let to = findIndexAtOrBefore(timestamps, range.end) + 1;
  if (to < from) to = from;
  return deriveSeries(series, timestamps.subarray(from, to), values.subarray(from, to));
}

/** The last present sample of a series. */
export interface TimedValue {
  readonly timestamp: number;
  readonly value: number;
}

/**
 * The last non-NaN sample of a series with its timestamp, or `undefined` when the series is empty or all NaN.
 * Scans backwards, so it is O(1) for a series that ends with data.
 *
 * @throws ValidationError for a malformed series.
 * @example
 * lastValue(createSeries({ timestamps: [0, 1, 2], values: [5, 7, NaN] })); // { timestamp: 1, value: 7 }
 */
export function lastValue(series: Series): TimedValue | undefined {
  validateColumns(series);
  const { timestamps, values } = series;
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i] as number;
    if (!Number.isNaN(v)) return { timestamp: timestamps[i] as number, value: v };
  }
  return undefined;
}

/** Summary of a series' present (non-NaN) values. */
export interface SeriesStats {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** The last non-NaN value. */
  readonly last: number;
  /** How many non-NaN values there are. */
  readonly count: number;
}

/**
 * Min, max, mean, last and count of the non-NaN values, in one pass. For an empty or all-NaN series the result is
 * `{ min: NaN, max: NaN, mean: NaN, last: NaN, count: 0 }`: check `count` before showing the numbers. The mean uses
 * compensated (Neumaier) summation; a mix of +Infinity and -Infinity gives a NaN mean.
 *
 * @throws ValidationError for a malformed series.
 * @example
 * seriesStats(createSeries({ timestamps: [0, 1, 2], values: [2, NaN, 4] }));
 * // { min: 2, max: 4, mean: 3, last: 4, count: 2 }
 */
export function seriesStats(series: Series): SeriesStats {
  validateColumns(series);
  const values = series.values;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let compensation = 0;
  let last = NaN;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    count++;
    last = v;
    if (v < min) min = v;
    if (v > max) max = v;
    const next = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - next + v : v - next + sum;
    sum = next;
  }
  if (count === 0) return { min: NaN, max: NaN, mean: NaN, last: NaN, count: 0 };
  const total = Number.isFinite(sum) ? sum + compensation : sum;
  return { min, max, mean: total / count, last, count };
}

/** Cheap structural check for the summary helpers (no ascending scan: they do not depend on order). */
function validateColumns(series: Series): void {
  if (series === null || typeof series !== 'object') throw new ValidationError('series', 'a series object', series);
  if (!(series.timestamps instanceof Float64Array)) throw new ValidationError('series.timestamps', 'a Float64Array', series.timestamps);
  if (!(series.values instanceof Float64Array) || series.values.length !== series.timestamps.length) {
    throw new ValidationError('series.values', `a Float64Array of length ${series.timestamps.length}`, series.values);
  }
}

/** Index of the first timestamp `>= t` (the length when there is none). */
function firstIndexAtOrAfter(timestamps: Float64Array, t: number): number {
  let lo = 0;
  let hi = timestamps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((timestamps[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

import { ValidationError, assertFiniteNumber, assertInteger, assertNumericArray } from '../errors';
import { assertAscendingTimestamps } from './create';

/** Columns returned by the downsamplers. */
export interface DownsampledColumns {
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
}

export interface M4Options {
  /** Start of the visible range (epoch ms), inclusive. */
  readonly start: number;
  /** End of the visible range (epoch ms), inclusive, > start. */
  readonly end: number;
  /** Width of the plot in pixel columns, a whole number from 1 to 1,000,000. */
  readonly pixels: number;
}

/** The largest `pixels` (and LTTB `threshold`) the downsamplers accept. */
export const MAX_DOWNSAMPLE_COLUMNS = 1_000_000;

/**
 * M4 downsampling for line charts (Jugel et al., VLDB 2014): the visible range `[start, end]` is split into `pixels`
 * equal columns (a sample at time t falls in column `floor((t - start) * pixels / (end - start))`, the sample at `end`
 * in the last one) and, in each column, only the first, minimum, maximum and last sample are kept, in time order and
 * without repeats. A line drawn through the result covers exactly the same pixels as one drawn through every
 * sample, so spikes never disappear, with at most `4 * pixels` data points.
 *
 * Gaps survive: when NaN samples (missing data) lie between two kept samples, the first such NaN sample is kept
 * too, so the chart breaks the line exactly where the full data would. The output is therefore always a
 * subsequence of the input, at most `8 * pixels` long. Samples outside `[start, end]` are left out: pass one extra
 * sample on each side in the range if the line should run to the plot edges.
 *
 * One pass, O(n), no allocation per sample.
 *
 * @throws ValidationError for unequal or non-numeric columns, unsorted timestamps, `end <= start` or a bad
 *   `pixels`.
 * @example
 * const { timestamps, values } = downsampleM4(series.timestamps, series.values, {
 *   start: range.start, end: range.end, pixels: canvas.width,
 * });
 */
export function downsampleM4(timestamps: ArrayLike<number>, values: ArrayLike<number>, options: M4Options): DownsampledColumns {
  checkColumns(timestamps, values);
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an options object with start, end and pixels', options);
  assertFiniteNumber(options.start, 'options.start');
  assertFiniteNumber(options.end, 'options.end');
  if (!(options.end > options.start)) throw new ValidationError('options.end', `a time after start (${options.start})`, options.end);
  assertInteger(options.pixels, 'options.pixels', 1, MAX_DOWNSAMPLE_COLUMNS);
  const { start, end, pixels } = options;
  const n = timestamps.length;
  const span = end - start;

  const outTimestamps = new Float64Array(Math.min(n, 8 * pixels));
  const outValues = new Float64Array(outTimestamps.length);
  let written = 0;

  // The current column's four candidates, as sample indices (-1: none yet). For each we remember how many NaN
  // samples came before it (to know whether a gap separates two kept samples) and the first NaN sample after it.
  let column = -1;
  let firstIndex = -1;
  let minIndex = -1;
  let maxIndex = -1;
  let lastIndex = -1;
  let firstNaNsBefore = 0;
  let minNaNsBefore = 0;
  let maxNaNsBefore = 0;
  let lastNaNsBefore = 0;
  let firstNextNaN = -1;
  let minNextNaN = -1;
  let maxNextNaN = -1;
  let lastNextNaN = -1;
  // The last sample written, with the same bookkeeping. (NaN samples between two columns are seen while the earlier
  // column is still current, so its candidates already know their next NaN when they are written.)
  let emittedIndex = -1;
  let emittedNaNsBefore = 0;
  let emittedNextNaN = -1;
  let nanCount = 0;

  const emit = (index: number, nansBefore: number, nextNaN: number): void => {
    if (index === emittedIndex) return;
    if (emittedIndex >= 0 && nansBefore > emittedNaNsBefore) {
      // A gap lies between the previous kept sample and this one: keep its first NaN sample as the break.
      outTimestamps[written] = timestamps[emittedNextNaN] as number;
      outValues[written] = NaN;
      written++;
    }
    outTimestamps[written] = timestamps[index] as number;
    outValues[written] = values[index] as number;
    written++;
    emittedIndex = index;
    emittedNaNsBefore = nansBefore;
    emittedNextNaN = nextNaN;
  };

  const flush = (): void => {
    if (firstIndex < 0) return;
    // Emit the four candidates in index order; first <= min, max <= last always holds.
    emit(firstIndex, firstNaNsBefore, firstNextNaN);
    if (minIndex <= maxIndex) {
      emit(minIndex, minNaNsBefore, minNextNaN);
      emit(maxIndex, maxNaNsBefore, maxNextNaN);
    } else {
      emit(maxIndex, maxNaNsBefore, maxNextNaN);
      emit(minIndex, minNaNsBefore, minNextNaN);
    }
    emit(lastIndex, lastNaNsBefore, lastNextNaN);
  };

  let i = 0;
  while (i < n && (timestamps[i] as number) < start) i++;
  for (; i < n; i++) {
    const t = timestamps[i] as number;
    if (t > end) break;
    const v = values[i] as number;
    if (Number.isNaN(v)) {
      nanCount++;
      if (firstIndex >= 0) {
        if (firstNextNaN < 0) firstNextNaN = i;
        if (minNextNaN < 0) minNextNaN = i;
        if (maxNextNaN < 0) maxNextNaN = i;
        if (lastNextNaN < 0) lastNextNaN = i;
      }
      continue;
    }
    let c = Math.floor(((t - start) * pixels) / span);
    if (c >= pixels) c = pixels - 1;
    if (c !== column) {
      flush();
      column = c;
      firstIndex = minIndex = maxIndex = lastIndex = i;
      firstNaNsBefore = minNaNsBefore = maxNaNsBefore = lastNaNsBefore = nanCount;
      firstNextNaN = minNextNaN = maxNextNaN = lastNextNaN = -1;
      continue;
    }
    if (v < (values[minIndex] as number)) {
      minIndex = i;
      minNaNsBefore = nanCount;
      minNextNaN = -1;
    }
    if (v > (values[maxIndex] as number)) {
      maxIndex = i;
      maxNaNsBefore = nanCount;
      maxNextNaN = -1;
    }
    lastIndex = i;
    lastNaNsBefore = nanCount;
    lastNextNaN = -1;
  }
  flush();
  return { timestamps: outTimestamps.slice(0, written), values: outValues.slice(0, written) };
}

/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson, 2013): keeps the first and last sample and, from each of
 * `threshold - 2` equal-count buckets in between, the sample forming the largest triangle with the sample kept
 * before it and the average of the next bucket. It keeps the visual shape with exactly `threshold` points, but
 * unlike M4 it may drop a spike's extreme, so the charts use M4 and LTTB serves sparklines and exports.
 *
 * NaN samples are ignored (LTTB has no notion of gaps). When `threshold` is 0 or at least the number of non-NaN
 * samples, those samples are returned unchanged (copied). Otherwise `threshold` must be at least 3.
 * The output is a subsequence of the input; O(n), no allocation per sample.
 *
 * @throws ValidationError for unequal or non-numeric columns, unsorted timestamps, or a `threshold` of 1 or 2 (when
 *   downsampling is needed) or not a whole number.
 * @example
 * const { timestamps, values } = downsampleLTTB(series.timestamps, series.values, 200);
 */
export function downsampleLTTB(timestamps: ArrayLike<number>, values: ArrayLike<number>, threshold: number): DownsampledColumns {
  checkColumns(timestamps, values);
  assertInteger(threshold, 'threshold', 0, MAX_DOWNSAMPLE_COLUMNS);

  let ts: ArrayLike<number> = timestamps;
  let vs: ArrayLike<number> = values;
  let missing = 0;
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) missing++;
  if (missing > 0) {
    const keptTimestamps = new Float64Array(values.length - missing);
    const keptValues = new Float64Array(values.length - missing);
    for (let i = 0, k = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (Number.isNaN(v)) continue;
      keptTimestamps[k] = timestamps[i] as number;
      keptValues[k++] = v;
    }
    ts = keptTimestamps;
    vs = keptValues;
  }
  const n = ts.length;
  if (threshold === 0 || threshold >= n) return { timestamps: Float64Array.from(ts), values: Float64Array.from(vs) };
  if (threshold < 3) throw new ValidationError('threshold', 'a whole number >= 3 (or 0 for no downsampling)', threshold);

  const outTimestamps = new Float64Array(threshold);
  const outValues = new Float64Array(threshold);
  outTimestamps[0] = ts[0] as number;
  outValues[0] = vs[0] as number;
  const bucketSize = (n - 2) / (threshold - 2);
  let selected = 0;
  for (let b = 0; b < threshold - 2; b++) {
    const bucketStart = Math.floor(b * bucketSize) + 1;
    const bucketEnd = Math.floor((b + 1) * bucketSize) + 1; // exclusive
    // Average of the next bucket (the last sample alone for the final bucket).
    const nextStart = bucketEnd;
    const nextEnd = Math.min(Math.floor((b + 2) * bucketSize) + 1, n);
    let averageT = 0;
    let averageV = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      averageT += ts[j] as number;
      averageV += vs[j] as number;
    }
    const nextCount = nextEnd - nextStart;
    averageT /= nextCount;
    averageV /= nextCount;

    const anchorT = ts[selected] as number;
    const anchorV = vs[selected] as number;
    let bestArea = -1;
    let best = bucketStart;
    for (let j = bucketStart; j < bucketEnd; j++) {
      // Twice the triangle's area; the factor does not change which is largest.
      const area = Math.abs((anchorT - averageT) * ((vs[j] as number) - anchorV) - (anchorT - (ts[j] as number)) * (averageV - anchorV));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    outTimestamps[b + 1] = ts[best] as number;
    outValues[b + 1] = vs[best] as number;
    selected = best;
  }
  outTimestamps[threshold - 1] = ts[n - 1] as number;
  outValues[threshold - 1] = vs[n - 1] as number;
  return { timestamps: outTimestamps, values: outValues };
}

function checkColumns(timestamps: ArrayLike<number>, values: ArrayLike<number>): void {
  assertNumericArray(timestamps, 'timestamps');
  assertNumericArray(values, 'values');
  if (timestamps.length !== values.length) {
    throw new ValidationError('values', `an array of the same length as timestamps (${timestamps.length})`, values);
  }
  assertAscendingTimestamps(timestamps, 'timestamps');
}

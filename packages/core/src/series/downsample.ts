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

  const out: M4Output = {
    timestamps: new Float64Array(Math.min(n, 8 * pixels)),
    values: new Float64Array(Math.min(n, 8 * pixels)),
    written: 0,
    emittedIndex: -1,
    emittedNaNsBefore: 0,
    emittedNextNaN: -1,
  };

  // The current column's four candidates, as sample indices (-1: none yet). For each we remember how many NaN
  // samples came before it (to know whether a gap separates two kept samples) and the first NaN sample after it.
  // They are plain locals, not captured by any closure, so the hot loop stays in registers.
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
  let minValue = NaN;
  let maxValue = NaN;
  let nanCount = 0;

  let i = 0;
  while (i < n && (timestamps[i] as number) < start) i++;
  for (; i < n; i++) {
    const t = timestamps[i] as number;
    if (t > end) break;
    const v = values[i] as number;
    if (v !== v) {
      // NaN: a gap.
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
      if (firstIndex >= 0) {
        flushColumn(out, timestamps, values, firstIndex, firstNaNsBefore, firstNextNaN, minIndex, minNaNsBefore, minNextNaN, maxIndex, maxNaNsBefore, maxNextNaN, lastIndex, lastNaNsBefore, lastNextNaN);
      }
      column = c;
      firstIndex = minIndex = maxIndex = lastIndex = i;
      firstNaNsBefore = minNaNsBefore = maxNaNsBefore = lastNaNsBefore = nanCount;
      firstNextNaN = minNextNaN = maxNextNaN = lastNextNaN = -1;
      minValue = maxValue = v;
      continue;
    }
    if (v < minValue) {
      minValue = v;
      minIndex = i;
      minNaNsBefore = nanCount;
      minNextNaN = -1;
    }
    if (v > maxValue) {
      maxValue = v;
      maxIndex = i;
      maxNaNsBefore = nanCount;
      maxNextNaN = -1;
    }
    lastIndex = i;
    lastNaNsBefore = nanCount;
    lastNextNaN = -1;
  }
  if (firstIndex >= 0) {
    flushColumn(out, timestamps, values, firstIndex, firstNaNsBefore, firstNextNaN, minIndex, minNaNsBefore, minNextNaN, maxIndex, maxNaNsBefore, maxNextNaN, lastIndex, lastNaNsBefore, lastNextNaN);
  }
  const written = out.written;
  return { timestamps: out.timestamps.slice(0, written), values: out.values.slice(0, written) };
}

/** M4's output buffers and the bookkeeping of the last sample written. */
interface M4Output {
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
  written: number;
  emittedIndex: number;
  emittedNaNsBefore: number;
  emittedNextNaN: number;
}

/** Writes one column's candidates in index order (first <= min, max <= last always holds). */
function flushColumn(
  out: M4Output,
  timestamps: ArrayLike<number>,
  values: ArrayLike<number>,
  firstIndex: number,
  firstNaNsBefore: number,
  firstNextNaN: number,
  minIndex: number,
  minNaNsBefore: number,
  minNextNaN: number,
  maxIndex: number,
  maxNaNsBefore: number,
  maxNextNaN: number,
  lastIndex: number,
  lastNaNsBefore: number,
  lastNextNaN: number,
): void {
  emitSample(out, timestamps, values, firstIndex, firstNaNsBefore, firstNextNaN);
  if (minIndex <= maxIndex) {
    emitSample(out, timestamps, values, minIndex, minNaNsBefore, minNextNaN);
    emitSample(out, timestamps, values, maxIndex, maxNaNsBefore, maxNextNaN);
  } else {
    emitSample(out, timestamps, values, maxIndex, maxNaNsBefore, maxNextNaN);
    emitSample(out, timestamps, values, minIndex, minNaNsBefore, minNextNaN);
  }
  emitSample(out, timestamps, values, lastIndex, lastNaNsBefore, lastNextNaN);
}

/**
 * Writes one kept sample, preceded by the first NaN sample after the previous kept one when NaN samples separate
 * them. (NaN samples between two columns are seen while the earlier column is still current, so its candidates
 * already know their next NaN when they are written.)
 */
function emitSample(out: M4Output, timestamps: ArrayLike<number>, values: ArrayLike<number>, index: number, nansBefore: number, nextNaN: number): void {
  if (index === out.emittedIndex) return;
  if (out.emittedIndex >= 0 && nansBefore > out.emittedNaNsBefore) {
    out.timestamps[out.written] = timestamps[out.emittedNextNaN] as number;
    out.values[out.written] = NaN;
    out.written++;
  }
  out.timestamps[out.written] = timestamps[index] as number;
  out.values[out.written] = values[index] as number;
  out.written++;
  out.emittedIndex = index;
  out.emittedNaNsBefore = nansBefore;
  out.emittedNextNaN = nextNaN;
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

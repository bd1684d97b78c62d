import { ValidationError, assertPositiveNumber } from '../errors';
import { assertTimeRange, deriveSeries, validateSeries } from './create';
import type { Series, TimeRange } from './types';

/** How the samples of one bucket become one value. */
export type ResampleAggregate = 'mean' | 'sum' | 'min' | 'max' | 'last' | 'first' | 'count';

/** What an empty bucket (no non-NaN sample) holds: NaN, the previous bucket's value, or 0. */
export type ResampleFill = 'nan' | 'previous' | 'zero';

export interface ResampleOptions {
  /** Bucket width in milliseconds, > 0. Buckets are `[k * stepMs, (k + 1) * stepMs)` for whole k. */
  readonly stepMs: number;
  /** Samples outside this closed range are ignored; buckets cover it. Default: first to last timestamp. */
  readonly range?: TimeRange;
  /** Default `mean`. */
  readonly aggregate?: ResampleAggregate;
  /** Default `nan`. Ignored by `count`, whose empty buckets are 0. */
  readonly fill?: ResampleFill;
}

/** Resampling refuses to produce more points than this rather than exhausting memory. */
export const MAX_RESAMPLE_POINTS = 10_000_000;

const AGGREGATES: readonly ResampleAggregate[] = ['mean', 'sum', 'min', 'max', 'last', 'first', 'count'];
const FILLS: readonly ResampleFill[] = ['nan', 'previous', 'zero'];

/**
 * Puts a series on a regular grid. Buckets are aligned to multiples of `stepMs` since the epoch (as Prometheus and
 * Grafana align range-query steps), so two series resampled with the same step line up. Each output timestamp is
 * its bucket's start, `k * stepMs`; a bucket holds the samples with `k * stepMs <= t < (k + 1) * stepMs`.
 * NaN samples are ignored. The output covers every bucket from the one holding `range.start` to the one holding
 * `range.end`. Sums and means use compensated (Neumaier) summation.
 *
 * @throws ValidationError for a malformed series or options, or when the output would exceed
 *   `MAX_RESAMPLE_POINTS` buckets (path `options.stepMs`).
 * @example
 * const s = createSeries({ timestamps: [1_000, 20_000, 61_000], values: [1, 3, 10] });
 * const r = resample(s, { stepMs: 60_000, aggregate: 'mean' });
 * r.timestamps; // Float64Array [0, 60000]
 * r.values; // Float64Array [2, 10]
 */
export function resample(series: Series, options: ResampleOptions): Series {
  validateSeries(series);
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an options object with stepMs', options);
  assertPositiveNumber(options.stepMs, 'options.stepMs');
  const aggregate = options.aggregate ?? 'mean';
  if (!AGGREGATES.includes(aggregate)) throw new ValidationError('options.aggregate', `one of ${AGGREGATES.join(', ')}`, aggregate);
  const fill = options.fill ?? 'nan';
  if (!FILLS.includes(fill)) throw new ValidationError('options.fill', `one of ${FILLS.join(', ')}`, fill);
  const { timestamps, values } = series;
  const n = timestamps.length;
  const step = options.stepMs;

  let start: number;
  let end: number;
  if (options.range !== undefined) {
    assertTimeRange(options.range, 'options.range');
    start = options.range.start;
    end = options.range.end;
  } else {
    if (n === 0) return deriveSeries(series, new Float64Array(0), new Float64Array(0));
    start = timestamps[0] as number;
    end = timestamps[n - 1] as number;
  }

  const firstBucket = Math.floor(start / step);
  const lastBucket = Math.floor(end / step);
  const bucketCount = lastBucket - firstBucket + 1;
  if (!(bucketCount <= MAX_RESAMPLE_POINTS)) {
    throw new ValidationError('options.stepMs', `a step giving at most ${MAX_RESAMPLE_POINTS} buckets over the range`, step);
  }

  const outTimestamps = new Float64Array(bucketCount);
  const outValues = new Float64Array(bucketCount);
  for (let b = 0; b < bucketCount; b++) outTimestamps[b] = (firstBucket + b) * step;

  // Skip samples before the range.
  let i = 0;
  while (i < n && (timestamps[i] as number) < start) i++;

  let previous = NaN;
  for (let b = 0; b < bucketCount; b++) {
    const bucketEnd = (firstBucket + b + 1) * step;
    let count = 0;
    let sum = 0;
    let compensation = 0;
    let min = Infinity;
    let max = -Infinity;
    let first = NaN;
    let last = NaN;
    while (i < n) {
      const t = timestamps[i] as number;
      if (t >= bucketEnd || t > end) break;
      const v = values[i] as number;
      i++;
      if (Number.isNaN(v)) continue;
      if (count === 0) first = v;
      last = v;
      count++;
      if (v < min) min = v;
      if (v > max) max = v;
      // Neumaier compensated summation.
      const next = sum + v;
      compensation += Math.abs(sum) >= Math.abs(v) ? sum - next + v : v - next + sum;
      sum = next;
    }
    let value: number;
    if (aggregate === 'count') {
      value = count;
    } else if (count === 0) {
      value = fill === 'zero' ? 0 : fill === 'previous' ? previous : NaN;
    } else {
      switch (aggregate) {
        case 'mean':
          value = compensatedTotal(sum, compensation) / count;
          break;
        case 'sum':
          value = compensatedTotal(sum, compensation);
          break;
        case 'min':
          value = min;
          break;
        case 'max':
          value = max;
          break;
        case 'first':
          value = first;
          break;
        case 'last':
          value = last;
          break;
      }
    }
    outValues[b] = value;
    if (!Number.isNaN(value)) previous = value;
  }
  return deriveSeries(series, outTimestamps, outValues);
}

/** The compensated sum, or the plain one once it has overflowed to an infinity (the compensation is NaN then). */
function compensatedTotal(sum: number, compensation: number): number {
  return Number.isFinite(sum) ? sum + compensation : sum;
}

import { ValidationError, assertPositiveNumber } from '../errors';
import { deriveSeries, validateSeries } from './create';
import type { Series } from './types';

/** How the samples of one trailing window become one value. `stddev` is the population standard deviation. */
export type RollingAggregate = 'mean' | 'sum' | 'min' | 'max' | 'count' | 'stddev';

export interface RollingOptions {
  /** Window length in milliseconds, > 0. The point at time t aggregates the samples in `(t - windowMs, t]`. */
  readonly windowMs: number;
  readonly aggregate: RollingAggregate;
}

const AGGREGATES: readonly RollingAggregate[] = ['mean', 'sum', 'min', 'max', 'count', 'stddev'];

/**
 * Trailing time-window aggregate at every sample: the output has the input's timestamps, and the value at time t
 * aggregates the non-NaN samples in `(t - windowMs, t]` (the same left-open window as Prometheus' `*_over_time`
 * functions). A window with no non-NaN sample gives NaN (`count` gives 0). `stddev` is the population standard
 * deviation, like Prometheus' `stddev_over_time`.
 *
 * Runs in O(n): min and max use a monotonic deque, sum and mean a compensated (Neumaier) running sum, stddev a
 * running Welford mean and squared deviation with removal. Infinite values are counted separately so one infinity
 * makes sums and means infinite (NaN when both signs are present) and stddev NaN, rather than poisoning the rest of
 * the series. Precision note: after a value much larger than its neighbours leaves the window, the running stddev
 * carries a rounding error relative to that value's magnitude.
 *
 * @throws ValidationError for a malformed series, a non-positive window or an unknown aggregate.
 * @example
 * const s = createSeries({ timestamps: [0, 1_000, 2_000, 3_000], values: [4, 1, NaN, 7] });
 * rolling(s, { windowMs: 2_000, aggregate: 'max' }).values; // Float64Array [4, 4, 1, 7]
 */
export function rolling(series: Series, options: RollingOptions): Series {
  validateSeries(series);
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an options object with windowMs and aggregate', options);
  assertPositiveNumber(options.windowMs, 'options.windowMs');
  if (!AGGREGATES.includes(options.aggregate)) {
    throw new ValidationError('options.aggregate', `one of ${AGGREGATES.join(', ')}`, options.aggregate);
  }
  const { timestamps, values } = series;
  const out = new Float64Array(values.length);
  switch (options.aggregate) {
    case 'min':
    case 'max':
      rollingExtreme(timestamps, values, options.windowMs, options.aggregate === 'max', out);
      break;
    default:
      rollingMoments(timestamps, values, options.windowMs, options.aggregate, out);
  }
  return deriveSeries(series, Float64Array.from(timestamps), out);
}

function rollingExtreme(timestamps: Float64Array, values: Float64Array, windowMs: number, isMax: boolean, out: Float64Array): void {
  // Indices of candidate extremes, oldest first; their values are monotonic (decreasing for max).
  const deque = new Int32Array(values.length);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < values.length; i++) {
    const t = timestamps[i] as number;
    const v = values[i] as number;
    if (!Number.isNaN(v)) {
      while (tail > head) {
        const last = values[deque[tail - 1] as number] as number;
        if (isMax ? last <= v : last >= v) tail--;
        else break;
      }
      deque[tail++] = i;
    }
    const windowStart = t - windowMs;
    while (head < tail && (timestamps[deque[head] as number] as number) <= windowStart) head++;
    out[i] = head < tail ? (values[deque[head] as number] as number) : NaN;
  }
}

/** A removal whose share of the sum of squares is this many times what is left leaves too few exact digits. */
const CANCELLATION = 1024;

function rollingMoments(timestamps: Float64Array, values: Float64Array, windowMs: number, aggregate: 'mean' | 'sum' | 'count' | 'stddev', out: Float64Array): void {
  // The window state lives in plain locals updated inline (no closures), which keeps the loop fast on millions of
  // points. Adding and removing a sample are the same update with sign +1 or -1.
  let lo = 0;
  let count = 0; // non-NaN samples in the window
  let positiveInfinities = 0;
  let negativeInfinities = 0;
  let finiteCount = 0;
  let sum = 0; // Neumaier sum of the finite samples
  let compensation = 0;
  let mean = 0; // Welford, over the finite samples
  let squaredDeviations = 0;
  let cancelled = false;
  let recomputeBudget = 1024;

  for (let i = 0; i < values.length; i++) {
    const windowStart = (timestamps[i] as number) - windowMs;
    let index = i;
    let sign = 1;
    // First add sample i, then remove every sample that has left the window.
    for (;;) {
      const v = values[index] as number;
      if (v === v) {
        count += sign;
        if (v === Infinity) positiveInfinities += sign;
        else if (v === -Infinity) negativeInfinities += sign;
        else {
          finiteCount += sign;
          if (finiteCount === 0) {
            sum = compensation = mean = squaredDeviations = 0;
          } else {
            const signed = sign * v;
            const next = sum + signed;
            compensation += Math.abs(sum) >= Math.abs(signed) ? sum - next + signed : signed - next + sum;
            sum = next;
            const delta = v - mean;
            mean += (sign * delta) / finiteCount;
            const change = delta * (v - mean);
            squaredDeviations += sign * change;
            // Removing a far-off sample cancels most of the sum of squares: what is left is mostly rounding
            // (0.0078 instead of 0 for [0, 0] once 849821 has left). Recompute the window then, below.
            if (sign < 0 && Math.abs(change) > CANCELLATION * squaredDeviations) cancelled = true;
          }
        }
      }
      if ((timestamps[lo] as number) > windowStart) break;
      index = lo++;
      sign = -1;
    }

    if (cancelled && aggregate === 'stddev') {
      cancelled = false;
      // Two passes over the window's finite samples, within a budget of 8 samples read per output point (so a
      // series built to cancel at every step still runs in linear time; it keeps the running values past that).
      if (finiteCount <= 1) {
        mean = finiteCount === 1 ? sum + compensation : 0;
        squaredDeviations = 0;
      } else if (recomputeBudget >= 2 * (i + 1 - lo)) {
        recomputeBudget -= 2 * (i + 1 - lo);
        let total = 0;
        for (let j = lo; j <= i; j++) {
          const x = values[j] as number;
          if (Number.isFinite(x)) total += x;
        }
        mean = total / finiteCount;
        let squares = 0;
        let residual = 0;
        for (let j = lo; j <= i; j++) {
          const x = values[j] as number;
          if (!Number.isFinite(x)) continue;
          squares += (x - mean) * (x - mean);
          residual += x - mean;
        }
        squaredDeviations = squares - (residual * residual) / finiteCount;
      }
    }
    recomputeBudget += 8;

    if (aggregate === 'count') {
      out[i] = count;
      continue;
    }
    if (count === 0) {
      out[i] = NaN;
      continue;
    }
    if (aggregate === 'stddev') {
      out[i] = positiveInfinities + negativeInfinities > 0 ? NaN : Math.sqrt(Math.max(0, squaredDeviations) / finiteCount);
      continue;
    }
    let total: number;
    if (positiveInfinities > 0 && negativeInfinities > 0) total = NaN;
    else if (positiveInfinities > 0) total = Infinity;
    else if (negativeInfinities > 0) total = -Infinity;
    else total = sum + compensation;
    out[i] = aggregate === 'sum' ? total : total / count;
  }
}

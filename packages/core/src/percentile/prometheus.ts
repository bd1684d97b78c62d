import { ValidationError } from '../errors';

/**
 * One bucket of a Prometheus classic histogram, as exposed by `<name>_bucket{le="<upperBound>"}`: `count` is
 * CUMULATIVE (observations <= upperBound), and the last bucket has `upperBound: Infinity`.
 */
export interface HistogramBucket {
  readonly upperBound: number;
  readonly count: number;
}

/**
 * Relative deltas between successive cumulative counts below this are treated as floating-point noise and ignored,
 * in both directions, before the monotonicity fix (Prometheus' `smallDeltaTolerance`).
 */
const SMALL_DELTA_TOLERANCE = 1e-12;
const MIN_NORMAL = 2 ** -1022;

/** Prometheus' "almost equal" for counts: relative difference below epsilon, with care near zero. */
function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (a === b) return true;
  const absoluteSum = Math.abs(a) + Math.abs(b);
  const difference = Math.abs(a - b);
  if (a === 0 || b === 0 || absoluteSum < MIN_NORMAL) return difference < epsilon * MIN_NORMAL;
  return difference / Math.min(absoluteSum, Number.MAX_VALUE) < epsilon;
}

interface Columns {
  upperBounds: Float64Array;
  counts: Float64Array;
}

function validateBuckets(buckets: unknown, path = 'buckets'): asserts buckets is ReadonlyArray<HistogramBucket> {
  if (!Array.isArray(buckets)) throw new ValidationError(path, 'an array of { upperBound, count }', buckets);
  for (let i = 0; i < buckets.length; i++) {
    const bucket: unknown = buckets[i];
    if (bucket === null || typeof bucket !== 'object') throw new ValidationError(`${path}[${i}]`, 'an object { upperBound, count }', bucket);
    const { upperBound, count } = bucket as Record<string, unknown>;
    if (typeof upperBound !== 'number' || Number.isNaN(upperBound)) throw new ValidationError(`${path}[${i}].upperBound`, 'a number (±Infinity allowed, not NaN)', upperBound);
    if (typeof count !== 'number' || !(count >= 0) || count === Infinity) throw new ValidationError(`${path}[${i}].count`, 'a finite number >= 0', count);
  }
}

/** Reused columns for buckets that arrive sorted (the usual case): no allocation per call. */
let scratchUpperBounds = new Float64Array(32);
let scratchCounts = new Float64Array(32);
/** True while the scratch columns are in use (a getter on a bucket could call back in). */
let scratchBusy = false;

/**
 * The buckets as columns, sorted by upper bound, with equal upper bounds merged (their counts added), as Prometheus
 * does. Buckets already in strictly ascending order (what `_bucket` series sorted by `le` give) are copied into
 * reused scratch columns without sorting; `release` must be called once the columns are no longer read.
 */
function bucketColumns(buckets: ReadonlyArray<HistogramBucket>): Columns & { readonly scratch: boolean } {
  const n = buckets.length;
  if (!scratchBusy) {
    scratchBusy = true;
    if (scratchUpperBounds.length < n) {
      scratchUpperBounds = new Float64Array(2 * n);
      scratchCounts = new Float64Array(2 * n);
    }
    const upperBounds = scratchUpperBounds;
    const counts = scratchCounts;
    let ascending = true;
    for (let i = 0; i < n; i++) {
      const bucket = buckets[i]!;
      const upperBound = bucket.upperBound;
      if (i > 0 && !(upperBound > upperBounds[i - 1]!)) {
        ascending = false;
        break;
      }
      // -0 is stored as 0 (x + 0), as in `sortAndCoalesce`.
      upperBounds[i] = upperBound + 0;
      counts[i] = bucket.count;
    }
    if (ascending) return { upperBounds: upperBounds.subarray(0, n), counts: counts.subarray(0, n), scratch: true };
    scratchBusy = false;
  }
  const sorted = sortAndCoalesce(buckets);
  return { upperBounds: sorted.upperBounds, counts: sorted.counts, scratch: false };
}

function release(columns: { readonly scratch: boolean }): void {
  if (columns.scratch) scratchBusy = false;
}

/**
 * Sorted by upper bound, with equal upper bounds merged (their counts added), as Prometheus does. A bound of -0 is
 * stored as 0: -0 and 0 merge, and the merged bound must not depend on which came first.
 */
function sortAndCoalesce(buckets: ReadonlyArray<HistogramBucket>): Columns {
  const order = Array.from(buckets.keys()).sort((a, b) => buckets[a]!.upperBound - buckets[b]!.upperBound || a - b);
  const upperBounds = new Float64Array(order.length);
  const counts = new Float64Array(order.length);
  let n = 0;
  for (const index of order) {
    const { upperBound, count } = buckets[index]!;
    if (n > 0 && upperBounds[n - 1] === upperBound) {
      counts[n - 1]! += count;
    } else {
      upperBounds[n] = upperBound + 0;
      counts[n] = count;
      n++;
    }
  }
  return { upperBounds: upperBounds.subarray(0, n), counts: counts.subarray(0, n) };
}

/**
 * Prometheus' repair of cumulative counts: differences too small to be real are ignored (either direction), then any
 * remaining decrease is lifted to the last accepted count (the "envelope"), so that counts never go down.
 */
function ensureMonotonic(counts: Float64Array): void {
  let previous = counts[0]!;
  for (let i = 1; i < counts.length; i++) {
    const current = counts[i]!;
    if (current === previous) continue;
    if (almostEqual(previous, current, SMALL_DELTA_TOLERANCE) || current < previous) {
      counts[i] = previous;
      continue;
    }
    previous = current;
  }
}

/**
 * The q-quantile of a Prometheus classic histogram with the exact semantics of PromQL's `histogram_quantile`
 * (Prometheus' `BucketQuantile`). Buckets may arrive in any order; counts are cumulative.
 *
 * The value is interpolated linearly inside the bucket where rank q × total falls (the first bucket whose cumulative
 * count reaches the rank). The lowest bucket is taken to start at 0 when its upper bound is positive; when its upper
 * bound is <= 0 and the rank falls in it, that upper bound is returned. When the rank falls in the +Inf bucket, the
 * upper bound of the second-highest bucket is returned. Decreasing cumulative counts (scrapes that are not atomic,
 * remote write, float noise) are repaired as Prometheus does before reading.
 *
 * These results are part of the Prometheus contract and are returned, not thrown:
 * - q < 0 gives -Infinity; q > 1 gives +Infinity; q NaN gives NaN;
 * - NaN when the highest bucket is not +Inf, when there are fewer than 2 distinct upper bounds, or when the total
 *   count is 0; also NaN for q = 0 when the lowest bucket (with a positive upper bound) is empty (0/0, as Prometheus).
 *
 * Throws a ValidationError (path `q`, `buckets[i].upperBound`, `buckets[i].count`) when an argument has the wrong
 * type, an upper bound is NaN, or a count is negative or not finite.
 *
 * @example
 * histogramQuantile(0.5, [
 *   { upperBound: 0.1, count: 50 },
 *   { upperBound: 0.2, count: 70 },
 *   { upperBound: 1, count: 110 },
 *   { upperBound: Infinity, count: 120 },
 * ]); // 0.15
 */
export function histogramQuantile(q: number, buckets: ReadonlyArray<HistogramBucket>): number {
  if (typeof q !== 'number') throw new ValidationError('q', 'a number', q);
  validateBuckets(buckets);
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (buckets.length === 0) return NaN;
  const columns = bucketColumns(buckets);
  try {
    return quantileOfColumns(q, columns.upperBounds, columns.counts);
  } finally {
    release(columns);
  }
}

/** histogramQuantile over sorted, coalesced columns, q in [0, 1]; repairs `counts` in place. */
function quantileOfColumns(q: number, upperBounds: Float64Array, counts: Float64Array): number {
  const n = upperBounds.length;
  if (upperBounds[n - 1] !== Infinity) return NaN;
  ensureMonotonic(counts);
  if (n < 2) return NaN;
  const observations = counts[n - 1]!;
  if (observations === 0) return NaN;
  let rank = q * observations;

  // First bucket (among all but the +Inf one) whose cumulative count reaches the rank; n - 1 when none does.
  let low = 0;
  let high = n - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (counts[middle]! >= rank) high = middle;
    else low = middle + 1;
  }
  const b = low;
  if (b === n - 1) return upperBounds[n - 2]!;
  if (b === 0 && upperBounds[0]! <= 0) return upperBounds[0]!;
  let bucketStart = 0;
  const bucketEnd = upperBounds[b]!;
  let count = counts[b]!;
  if (b > 0) {
    bucketStart = upperBounds[b - 1]!;
    count -= counts[b - 1]!;
    rank -= counts[b - 1]!;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

/**
 * The share of observations between `lower` and `upper` in a Prometheus classic histogram, with the semantics of
 * PromQL's `histogram_fraction` on classic buckets (Prometheus' `BucketFraction`): whole buckets count fully, and the
 * bucket containing a bound contributes linearly. The lowest bucket starts at 0 when its upper bound is positive,
 * else at -Infinity (and then counts fully). Use `lower = -Infinity` for "at most upper" and `upper = Infinity` for
 * "above lower". This is the building block of latency SLIs ("share of requests faster than 300 ms").
 *
 * Returned, not thrown (the Prometheus contract): NaN when there are no buckets, the highest bucket is not +Inf, the
 * total count is 0, or a bound is NaN; 0 when lower >= upper.
 *
 * @example
 * const buckets = [
 *   { upperBound: 0, count: 0 }, { upperBound: 2, count: 10 }, { upperBound: 4, count: 20 },
 *   { upperBound: 6, count: 30 }, { upperBound: Infinity, count: 30 },
 * ];
 * histogramFraction(0, 3.5, buckets); // 0.5833… (17.5 of 30 observations)
 * histogramFraction(-Infinity, 0.3, [{ upperBound: 0.3, count: 95 }, { upperBound: Infinity, count: 100 }]); // 0.95
 */
export function histogramFraction(lower: number, upper: number, buckets: ReadonlyArray<HistogramBucket>): number {
  if (typeof lower !== 'number') throw new ValidationError('lower', 'a number', lower);
  if (typeof upper !== 'number') throw new ValidationError('upper', 'a number', upper);
  validateBuckets(buckets);
  if (buckets.length === 0) return NaN;
  const columns = bucketColumns(buckets);
  try {
    return fractionOfColumns(lower, upper, columns.upperBounds, columns.counts);
  } finally {
    release(columns);
  }
}

/** histogramFraction over sorted, coalesced columns. */
function fractionOfColumns(lower: number, upper: number, upperBounds: Float64Array, counts: Float64Array): number {
  const n = upperBounds.length;
  if (upperBounds[n - 1] !== Infinity) return NaN;
  const total = counts[n - 1]!;
  if (total === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;

  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  let bucketLower = upperBounds[0]! <= 0 ? -Infinity : 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) bucketLower = upperBounds[i - 1]!;
    const bucketUpper = upperBounds[i]!;
    const cumulative = counts[i]!;
    const rankAt = (v: number): number =>
      bucketLower === -Infinity ? cumulative : rank + ((cumulative - rank) * (v - bucketLower)) / (bucketUpper - bucketLower);
    if (!lowerSet && bucketLower >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && bucketLower >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && bucketLower < lower && bucketUpper > lower) {
      lowerRank = rankAt(lower);
      lowerSet = true;
    }
    if (!upperSet && bucketLower < upper && bucketUpper > upper) {
      upperRank = rankAt(upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank = cumulative;
  }
  if (!lowerSet || lowerRank > total) lowerRank = total;
  if (!upperSet || upperRank > total) upperRank = total;
  return (upperRank - lowerRank) / total;
}

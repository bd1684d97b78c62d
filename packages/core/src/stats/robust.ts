import { assertNumericArray, ValidationError } from '../errors';

/** Scale factor that makes the median absolute deviation a consistent estimator of a normal σ: 1 / Φ⁻¹(3/4). */
export const MAD_NORMAL_SCALE = 1.482602218505602;

function finiteCopy(values: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if ((values[i] as number) === (values[i] as number)) n++;
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v === v) out[j++] = v;
  }
  return out;
}

/** Median of a sorted Float64Array (NaN when empty). */
export function sortedMedian(sorted: Float64Array, from = 0, to = sorted.length): number {
  const n = to - from;
  if (n <= 0) return NaN;
  const mid = from + (n >> 1);
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The median of the non-NaN values (mean of the two middle values for an even count). NaN when there are none.
 *
 * @throws ValidationError when `values` is not an array of numbers.
 * @example
 * median([5, 1, NaN, 3]); // 3
 */
export function median(values: ArrayLike<number>): number {
  assertNumericArray(values, 'values');
  const a = finiteCopy(values).sort();
  return sortedMedian(a);
}

/**
 * Median absolute deviation from the median, of the non-NaN values. With `scaled: true` (the default) it is
 * multiplied by {@link MAD_NORMAL_SCALE} so that it estimates σ for normal data. NaN when there are no values.
 *
 * @throws ValidationError when `values` is not an array of numbers.
 * @example
 * medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9], { scaled: false }); // 1
 */
export function medianAbsoluteDeviation(values: ArrayLike<number>, options: { readonly scaled?: boolean } = {}): number {
  assertNumericArray(values, 'values');
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an options object', options);
  const a = finiteCopy(values).sort();
  if (a.length === 0) return NaN;
  const m = sortedMedian(a);
  const mad = sortedMadAround(a, 0, a.length, m);
  return options.scaled === false ? mad : mad * MAD_NORMAL_SCALE;
}

/**
 * The median of |x - center| over the sorted range `sorted[from..to)`, in O(log n): the deviations left of the
 * center, read right to left, and those right of it, read left to right, are two ascending runs, and the k-th
 * smallest of two sorted runs is found by bisection.
 */
export function sortedMadAround(sorted: Float64Array, from: number, to: number, center: number): number {
  const n = to - from;
  if (n <= 0) return NaN;
  // split: first index with value >= center
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < center) lo = mid + 1;
    else hi = mid;
  }
  const split = lo;
  const leftCount = split - from; // deviations center - sorted[split-1-i], ascending in i
  const rightCount = to - split; // deviations sorted[split+i] - center, ascending in i
  if (n % 2 === 1) return kthDeviation(sorted, split, leftCount, rightCount, center, n >> 1);
  return (kthDeviation(sorted, split, leftCount, rightCount, center, (n >> 1) - 1) + kthDeviation(sorted, split, leftCount, rightCount, center, n >> 1)) / 2;
}

/** The k-th smallest (0-based) of the two ascending runs of deviations described in {@link sortedMadAround}. */
function kthDeviation(sorted: Float64Array, split: number, leftCount: number, rightCount: number, center: number, k: number): number {
  // i = how many of the k smallest come from the left run; bisect on the predicate left[i] < right[k - i - 1].
  let lo = Math.max(0, k - rightCount);
  let hi = Math.min(k, leftCount);
  while (lo < hi) {
    const i = (lo + hi) >> 1;
    const j = k - i;
    const leftI = center - (sorted[split - 1 - i] as number);
    const rightBefore = (sorted[split + j - 1] as number) - center;
    if (leftI < rightBefore) lo = i + 1;
    else hi = i;
  }
  const j = k - lo;
  const leftNext = lo < leftCount ? center - (sorted[split - 1 - lo] as number) : Infinity;
  const rightNext = j < rightCount ? (sorted[split + j] as number) - center : Infinity;
  return leftNext < rightNext ? leftNext : rightNext;
}

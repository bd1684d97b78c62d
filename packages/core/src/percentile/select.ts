/**
 * In-place order-statistic selection on a Float64Array scratch buffer (internal to the percentile engine).
 *
 * After `selectIndex(a, k, left, right)`, `a[k]` holds the value a full ascending sort of `a[left..right]` would put
 * there, every element of `a[left..k-1]` is `<= a[k]` and every element of `a[k+1..right]` is `>= a[k]`.
 *
 * The pivot strategy is Floyd and Rivest's SELECT: on large ranges it first narrows the range around `k` by selecting
 * inside a sample of size about n^(2/3), which makes the expected work close to n comparisons. Floyd-Rivest assumes
 * random order; a deliberately crafted order can still make any pivot rule quadratic, so every call carries a work
 * budget (introselect-style): once the elements visited exceed a small multiple of the range size, the remaining
 * range is sorted with the native typed-array sort, which bounds the worst case at O(n log n).
 *
 * The input must not contain NaN (callers filter NaN out while copying into the scratch buffer).
 */

/** Counters a test can pass in to observe the work done (no timing involved). */
export interface SelectionStats {
  /** Elements visited by partitioning passes. */
  visited: number;
  /** How many times the work budget ran out and a range was sorted instead. */
  fallbacks: number;
}

/** Ranges at most this long are partitioned directly, without Floyd-Rivest sampling. */
const SAMPLING_THRESHOLD = 600;
/** Budget: this many visits per element of the range before falling back to a sort. */
const BUDGET_PER_ELEMENT = 8;

/** xorshift32 state for drawing sample positions (deterministic, so results and work are reproducible). */
let randomState = 0x9e3779b9;
function randomBelow(bound: number): number {
  randomState ^= randomState << 13;
  randomState ^= randomState >>> 17;
  randomState ^= randomState << 5;
  return (randomState >>> 0) % bound;
}

interface Budget {
  remaining: number;
  stats: SelectionStats | undefined;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

function sortRange(a: Float64Array, left: number, right: number, budget: Budget): void {
  a.subarray(left, right + 1).sort();
  if (budget.stats) budget.stats.fallbacks++;
}

function selectWithBudget(a: Float64Array, k: number, left: number, right: number, budget: Budget): void {
  while (right > left) {
    const size = right - left + 1;
    if (budget.remaining < size) {
      sortRange(a, left, right, budget);
      return;
    }
    if (size > SAMPLING_THRESHOLD) {
      // Narrow to a window of about size^(2/3) elements that very likely contains the k-th value, and select the
      // k-th value inside it first: that value is then an excellent pivot for the whole range. The nesting depth is
      // O(log log n) because each level works on size^(2/3) elements.
      const rankInRange = k - left + 1;
      const logSize = Math.log(size);
      const sampleSize = 0.5 * Math.exp((2 * logSize) / 3);
      const spread = 0.5 * Math.sqrt((logSize * sampleSize * (size - sampleSize)) / size) * (rankInRange < size / 2 ? -1 : 1);
      const sampleLeft = Math.max(left, Math.floor(k - (rankInRange * sampleSize) / size + spread));
      const sampleRight = Math.min(right, Math.floor(k + ((size - rankInRange) * sampleSize) / size + spread));
      // Floyd-Rivest assumes the window is a random sample; structured inputs (sorted runs, organ pipes) break
      // that, so first move randomly drawn elements of the range into the window (any permutation of a[left..right]
      // is allowed at this point).
      for (let p = sampleLeft; p <= sampleRight; p++) swap(a, p, left + randomBelow(size));
      selectWithBudget(a, k, sampleLeft, sampleRight, budget);
    }
    budget.remaining -= size;
    if (budget.stats) budget.stats.visited += size;

    // Hoare-style partition of a[left..right] around the pivot value now sitting at a[k].
    const pivot = a[k]!;
    let i = left;
    let j = right;
    swap(a, left, k);
    if (a[right]! > pivot) swap(a, left, right);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
    }
    if (a[left] === pivot) {
      swap(a, left, j);
    } else {
      j++;
      swap(a, j, right);
    }
    // a[j] is the pivot in its final place.
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

/**
 * Places the k-th smallest value of `a[left..right]` at index k (see the module comment for the exact contract).
 *
 * @example
 * const a = Float64Array.of(5, 1, 4, 2, 3);
 * selectIndex(a, 2); // a[2] === 3
 */
export function selectIndex(
  a: Float64Array,
  k: number,
  left = 0,
  right = a.length - 1,
  stats?: SelectionStats,
  budgetPerElement = BUDGET_PER_ELEMENT,
): void {
  const size = right - left + 1;
  selectWithBudget(a, k, left, right, { remaining: budgetPerElement * size + SAMPLING_THRESHOLD, stats });
}

/**
 * Places the value of every index in `sortedIndices` (ascending, distinct) where a full sort would put it.
 * Work is O(n log m) for m indices: the middle index is selected first, splitting both the array and the index list,
 * and each half is handled the same way (an explicit stack, no recursion on data).
 *
 * @example
 * const a = Float64Array.of(9, 3, 7, 1, 5);
 * selectIndices(a, Int32Array.of(0, 4)); // a[0] === 1, a[4] === 9
 */
export function selectIndices(a: Float64Array, sortedIndices: ArrayLike<number>, stats?: SelectionStats): void {
  const m = sortedIndices.length;
  if (m === 0 || a.length === 0) return;
  // Stack of [left, right, firstIndexPosition, lastIndexPosition] frames.
  const stack: number[] = [0, a.length - 1, 0, m - 1];
  while (stack.length > 0) {
    const last = stack.pop()!;
    const first = stack.pop()!;
    const right = stack.pop()!;
    const left = stack.pop()!;
    if (first > last || left > right) continue;
    const middle = (first + last) >>> 1;
    const k = sortedIndices[middle]!;
    selectIndex(a, k, left, right, stats);
    stack.push(left, k - 1, first, middle - 1);
    stack.push(k + 1, right, middle + 1, last);
  }
}

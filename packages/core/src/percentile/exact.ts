import { ValidationError } from '../errors';
import { selectIndices } from './select';

/**
 * How a quantile is read from n sorted values x[0] <= ... <= x[n-1].
 * - `'r7'` (default): linear interpolation at h = (n - 1) * q, i.e. x[⌊h⌋] + (h - ⌊h⌋) * (x[⌊h⌋ + 1] - x[⌊h⌋]).
 *   Hyndman and Fan's definition 7; the default of numpy, R, Excel's PERCENTILE.INC and d3-array.
 * - `'nearest-rank'`: the smallest value whose rank r (1-based) satisfies r / n >= q, i.e. x[⌈q * n⌉ - 1], and x[0]
 *   for q = 0. Always one of the observed values. q * n within a few ulps of an integer counts as that integer, so
 *   decimal probabilities behave as written (0.14 * 100 is 14.000000000000002 in binary floating point; the rank is 14).
 */
export type QuantileMethod = 'r7' | 'nearest-rank';

/** Options of {@link quantile} and {@link quantiles}. */
export interface QuantileOptions {
  /** Interpolation rule, `'r7'` by default. */
  readonly method?: QuantileMethod;
  /**
   * What to do with values that are not finite numbers.
   * - `'ignore'` (default): NaN values are skipped (n counts only the others). ±Infinity are kept: they are ordered
   *   values like any other (−Infinity first, +Infinity last).
   * - `'error'`: the first NaN or ±Infinity throws a ValidationError whose path is `values[i]`.
   */
  readonly nonFinite?: 'ignore' | 'error';
}

/** Above this many distinct order statistics, one full sort is cheaper than repeated selection. */
const SORT_WHEN_MORE_INDICES_THAN = 48;
/** Tiny inputs are simply sorted. */
const SORT_WHEN_FEWER_VALUES_THAN = 64;

interface Scratch {
  readonly sorted: Float64Array;
  /** Number of usable (non-NaN) values at the start of `sorted`. */
  readonly n: number;
}

function isNumericTypedArray(value: unknown): value is ArrayLike<number> {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

function readOptions(options: QuantileOptions | undefined): { method: QuantileMethod; rejectNonFinite: boolean } {
  if (options === undefined) return { method: 'r7', rejectNonFinite: false };
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an object or undefined', options);
  const method = options.method ?? 'r7';
  if (method !== 'r7' && method !== 'nearest-rank') throw new ValidationError('options.method', "'r7' or 'nearest-rank'", method);
  const nonFinite = options.nonFinite ?? 'ignore';
  if (nonFinite !== 'ignore' && nonFinite !== 'error') throw new ValidationError('options.nonFinite', "'ignore' or 'error'", nonFinite);
  return { method, rejectNonFinite: nonFinite === 'error' };
}

function assertProbability(q: unknown, path: string): asserts q is number {
  if (typeof q !== 'number' || !(q >= 0 && q <= 1)) throw new ValidationError(path, 'a number in [0, 1]', q);
}

/** Copies the usable values into a fresh Float64Array (never touching the caller's input). */
function copyValues(values: ArrayLike<number>, rejectNonFinite: boolean): Scratch {
  const typed = isNumericTypedArray(values);
  if (!typed && !Array.isArray(values)) {
    const isArrayLike = values !== null && typeof values === 'object' && typeof (values as ArrayLike<number>).length === 'number';
    if (!isArrayLike) throw new ValidationError('values', 'an array or typed array of numbers', values);
  }
  const length = values.length;
  const sorted = new Float64Array(length);
  let n = 0;
  if (typed) {
    for (let i = 0; i < length; i++) {
      const v = values[i]!;
      if (v - v === 0) sorted[n++] = v; // finite
      else if (rejectNonFinite) throw new ValidationError(`values[${i}]`, 'a finite number', v);
      else if (v === v) sorted[n++] = v; // ±Infinity
    }
  } else {
    for (let i = 0; i < length; i++) {
      const v = values[i];
      if (typeof v !== 'number') throw new ValidationError(`values[${i}]`, 'a number', v);
      if (v - v === 0) sorted[n++] = v;
      else if (rejectNonFinite) throw new ValidationError(`values[${i}]`, 'a finite number', v);
      else if (v === v) sorted[n++] = v;
    }
  }
  return { sorted, n };
}

/**
 * ⌈q * n⌉ for a probability written in decimal. Binary doubles cannot hold most decimals: 0.14 * 100 evaluates to
 * 14.000000000000002 and 0.4 is stored slightly above 0.4, so a plain ceiling would jump one rank too far. A product
 * within a few units in the last place of an integer is therefore taken as that integer.
 */
function decimalCeilProduct(q: number, n: number): number {
  const product = q * n;
  const nearest = Math.round(product);
  if (Math.abs(product - nearest) <= 4 * Number.EPSILON * Math.max(1, product)) return nearest;
  return Math.ceil(product);
}

/** Linear interpolation that never leaves [low, high] and follows the limits for infinite ends. */
function interpolate(low: number, high: number, fraction: number): number {
  if (fraction === 0 || low === high) return low;
  if (low === -Infinity) return high === Infinity ? NaN : -Infinity;
  if (high === Infinity) return Infinity;
  let value = low + (high - low) * fraction;
  if (!Number.isFinite(value)) value = low * (1 - fraction) + high * fraction; // high - low overflowed
  return value < low ? low : value > high ? high : value;
}

/** Positions of the order statistics a probability needs: [lowerIndex, upperIndex, fraction]. */
function positionOf(q: number, n: number, method: QuantileMethod): [number, number, number] {
  if (method === 'nearest-rank') {
    const index = Math.max(0, decimalCeilProduct(q, n) - 1);
    return [index, index, 0];
  }
  const h = (n - 1) * q;
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, n - 1);
  return [lower, upper, h - lower];
}

function computeQuantiles(scratch: Scratch, qs: ArrayLike<number>, method: QuantileMethod): Float64Array {
  const out = new Float64Array(qs.length);
  const { sorted, n } = scratch;
  if (n === 0) return out.fill(NaN);
  const data = n === sorted.length ? sorted : sorted.subarray(0, n);
  const positions: Array<[number, number, number]> = [];
  const needed = new Set<number>();
  for (let i = 0; i < qs.length; i++) {
    const position = positionOf(qs[i]!, n, method);
    positions.push(position);
    needed.add(position[0]);
    needed.add(position[1]);
  }
  if (n < SORT_WHEN_FEWER_VALUES_THAN || needed.size > SORT_WHEN_MORE_INDICES_THAN) {
    data.sort();
  } else {
    const indices = Int32Array.from(needed).sort();
    selectIndices(data, indices);
  }
  for (let i = 0; i < positions.length; i++) {
    const [lower, upper, fraction] = positions[i]!;
    out[i] = interpolate(data[lower]!, data[upper]!, fraction);
  }
  return out;
}

/**
 * The q-quantile of `values`, exactly (no sketch), without sorting everything: the one or two order statistics it
 * needs are found by selection (Floyd-Rivest with an O(n log n) guard) in a private copy. The input is never mutated.
 *
 * Rules:
 * - `q` must be a number in [0, 1], else ValidationError with path `q`.
 * - NaN values are ignored by default; ±Infinity are ordered values (see {@link QuantileOptions.nonFinite}).
 *   With `'r7'`, interpolating towards an infinite neighbour gives that infinity; the one undefined case, a
 *   fractional position strictly between −Infinity and +Infinity, gives NaN.
 * - When no usable value remains (empty input, or only NaN), the result is NaN.
 *
 * @example
 * quantile([1, 2, 3, 4], 0.5); // 2.5 (R-7, like numpy.quantile and d3.quantile)
 * quantile([1, 2, 3, 4], 0.5, { method: 'nearest-rank' }); // 2
 * quantile(Float64Array.of(3, NaN, 1), 1); // 3 (NaN ignored)
 */
export function quantile(values: ArrayLike<number>, q: number, options?: QuantileOptions): number {
  assertProbability(q, 'q');
  const { method, rejectNonFinite } = readOptions(options);
  return computeQuantiles(copyValues(values, rejectNonFinite), [q], method)[0]!;
}

/**
 * Several quantiles of the same values in one call, in the order of `qs`. Few probabilities use selection (work
 * O(n log m) for m order statistics); many use one sort of a private copy. Same rules as {@link quantile}; a bad
 * probability throws a ValidationError with path `qs[i]`.
 *
 * @example
 * quantiles([10, 20, 30, 40, 50], [0.5, 0.9, 0.99]); // Float64Array [30, 46, 49.6]
 */
export function quantiles(values: ArrayLike<number>, qs: readonly number[], options?: QuantileOptions): Float64Array {
  if (!Array.isArray(qs) && !isNumericTypedArray(qs)) throw new ValidationError('qs', 'an array of numbers in [0, 1]', qs);
  for (let i = 0; i < qs.length; i++) assertProbability(qs[i], `qs[${i}]`);
  const { method, rejectNonFinite } = readOptions(options);
  return computeQuantiles(copyValues(values, rejectNonFinite), qs, method);
}

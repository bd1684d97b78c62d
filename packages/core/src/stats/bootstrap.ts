import { ValidationError } from '../errors';
import { seededRandom } from './random';
import { assertConfidence } from './proportions';
import type { Interval } from './proportions';

/** Options of the bootstrap helpers. */
export interface BootstrapOptions {
  /** Number of resamples, default 2000. */
  readonly resamples?: number;
  /** Seed of the PRNG, default 1: the same inputs and seed give the same interval. */
  readonly seed?: number;
  /** Two-sided confidence of the percentile interval, default 0.95. */
  readonly confidence?: number;
}

function bootstrapSettings(options: BootstrapOptions): { resamples: number; seed: number; confidence: number } {
  const resamples = options.resamples ?? 2000;
  if (!Number.isInteger(resamples) || resamples < 10 || resamples > 1_000_000) throw new ValidationError('options.resamples', 'an integer in [10, 1000000]', resamples);
  const seed = options.seed ?? 1;
  if (!Number.isFinite(seed)) throw new ValidationError('options.seed', 'a finite number', seed);
  const confidence = options.confidence ?? 0.95;
  assertConfidence(confidence);
  return { resamples, seed, confidence };
}

/** A bootstrap estimate: the statistic on the data and its percentile interval. */
export interface BootstrapEstimate extends Interval {
  readonly estimate: number;
}

/**
 * Percentile interval of bootstrap replicates (sorted in place): the R-7 quantiles at (1 - confidence) / 2 and
 * (1 + confidence) / 2.
 *
 * @example
 * percentileInterval(Float64Array.from({ length: 101 }, (_, i) => i), 0.9); // { lower: 5, upper: 95 }
 */
export function percentileInterval(samples: Float64Array, confidence: number): Interval {
  samples.sort();
  const alpha = (1 - confidence) / 2;
  return { lower: sortedQuantile(samples, alpha), upper: sortedQuantile(samples, 1 - alpha) };
}

/**
 * A sample prepared for resampling quantiles without sorting each resample: the values sorted, and each original
 * position's rank in that order (ties broken by position). A resample drawn as original positions is summarised by
 * how many times each rank was drawn, and its order statistics are read off the running count: O(n) per resample
 * instead of O(n log n), and the same multiset, hence bit for bit the same quantile, as sorting the resample.
 */
interface RankedSample {
  readonly sorted: Float64Array;
  readonly rank: Int32Array;
  readonly counts: Int32Array;
}

function rankSample(values: ArrayLike<number>): RankedSample {
  const n = values.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Stable argsort; values are finite on every caller's path (NaN would sort last, as Float64Array#sort does).
  order.sort((x, y) => {
    const a = values[x]!;
    const b = values[y]!;
    return a < b ? -1 : a > b ? 1 : a === b ? x - y : a !== a ? (b !== b ? x - y : 1) : -1;
  });
  const sorted = new Float64Array(n);
  const rank = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const position = order[r]!;
    sorted[r] = values[position]!;
    rank[position] = r;
  }
  return { sorted, rank, counts: new Int32Array(n) };
}

/** mulberry32's state step, inlined in the resampling loops below (the same sequence as {@link seededRandom}). */
const MULBERRY_INCREMENT = 0x6d2b79f5;
const UINT32 = 4294967296;

/**
 * Draws one resample of `sample` into `sample.counts` (n positions with replacement, uniform) from the mulberry32
 * state `state`, and returns the state after the draws. The draws are those of `seededRandom` with that state.
 */
function drawResample(sample: RankedSample, state: number): number {
  const { rank, counts } = sample;
  const n = rank.length;
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    state = (state + MULBERRY_INCREMENT) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    counts[rank[Math.floor((((t ^ (t >>> 14)) >>> 0) / UINT32) * n)]!]!++;
  }
  return state;
}

/** The R-7 q-quantile of the resample held in `sample.counts`, read off the running count of ranks. */
function countedQuantile(sample: RankedSample, q: number): number {
  const { sorted, counts } = sample;
  const n = sorted.length;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  let low: number;
  let high: number;
  if (lo < n / 2) {
    // Walk up: the order statistic at 0-based position p is the first rank whose running count exceeds p.
    let seen = 0;
    let r = 0;
    while (seen + counts[r]! <= lo) seen += counts[r++]!;
    low = sorted[r]!;
    while (seen + counts[r]! <= hi) seen += counts[r++]!;
    high = sorted[r]!;
  } else {
    // Walk down from the top: position p is the (n - 1 - p)-th from the largest.
    let seen = 0;
    let r = n - 1;
    const fromTopHi = n - 1 - hi;
    const fromTopLo = n - 1 - lo;
    while (seen + counts[r]! <= fromTopHi) seen += counts[r--]!;
    high = sorted[r]!;
    while (seen + counts[r]! <= fromTopLo) seen += counts[r--]!;
    low = sorted[r]!;
  }
  return low + (h - lo) * (high - low);
}

/** Mean of one resample of `values` (n draws with replacement) from mulberry32 state `state`; the new state goes to `next[0]`. */
function resampledMean(values: Float64Array, state: number, next: Uint32Array): number {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    state = (state + MULBERRY_INCREMENT) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    s += values[Math.floor((((t ^ (t >>> 14)) >>> 0) / UINT32) * n)]!;
  }
  next[0] = state;
  return s / n;
}

function seedState(seed: number): number {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new ValidationError('seed', 'a finite number', seed);
  return seed >>> 0;
}

/**
 * Bootstrap replicates of one sample's statistic: `resamples` values of the mean (`statistic: 'mean'`) or of the
 * R-7 q-quantile (`statistic: q`) of resamples drawn with replacement by a seeded PRNG ({@link seededRandom}). Two
 * samples' replicates, divided element by element, are replicates of the ratio of their statistics (independent
 * resampling). Quantile replicates cost O(n) each (rank counting, no sort) and equal the sort-based ones exactly.
 *
 * @example
 * const p95 = bootstrapReplicates(latencies, 0.95, 1000, 7); // 1000 replicates of the p95
 * percentileInterval(p95, 0.9); // its 90% percentile interval
 */
export function bootstrapReplicates(values: ArrayLike<number>, statistic: 'mean' | number, resamples: number, seed: number): Float64Array {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') throw new ValidationError('values', 'an array of numbers', values);
  if (statistic !== 'mean' && !(typeof statistic === 'number' && statistic >= 0 && statistic <= 1)) throw new ValidationError('statistic', "'mean' or a probability in [0, 1]", statistic);
  if (!Number.isInteger(resamples) || resamples < 1 || resamples > 10_000_000) throw new ValidationError('resamples', 'an integer in [1, 10000000]', resamples);
  let state = seedState(seed);
  const n = values.length;
  const out = new Float64Array(resamples);
  if (n === 0) return out.fill(NaN);
  if (statistic === 'mean') {
    const copy = values instanceof Float64Array ? values : Float64Array.from(values);
    const next = new Uint32Array(1);
    for (let r = 0; r < resamples; r++) {
      out[r] = resampledMean(copy, state, next);
      state = next[0]!;
    }
    return out;
  }
  const sample = rankSample(values);
  for (let r = 0; r < resamples; r++) {
    state = drawResample(sample, state);
    out[r] = countedQuantile(sample, statistic);
  }
  return out;
}

/**
 * Percentile interval of numerator[r] / denominator[r] over paired bootstrap replicates.
 *
 * @example
 * replicateRatioInterval(bootstrapReplicates(b, 0.95, 1000, 1), bootstrapReplicates(a, 0.95, 1000, 2), 0.9);
 */
export function replicateRatioInterval(numerator: Float64Array, denominator: Float64Array, confidence: number): Interval {
  if (numerator.length !== denominator.length) throw new ValidationError('denominator', `replicates of the same length as the numerator (${numerator.length})`, denominator.length);
  const ratios = new Float64Array(numerator.length);
  for (let r = 0; r < ratios.length; r++) ratios[r] = numerator[r]! / denominator[r]!;
  return percentileInterval(ratios, confidence);
}

/**
 * R-7 quantile of an ascending array (as `d3.quantileSorted` and R's default type 7); NaN when empty.
 *
 * @example
 * sortedQuantile(Float64Array.of(1, 2, 3, 4), 0.5); // 2.5
 */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Two-sample bootstrap of the ratio quantile_q(b) / quantile_q(a) (for example p95 latency of a candidate model
 * over the current one), each sample resampled independently with a seeded PRNG.
 *
 * @example
 * bootstrapQuantileRatio(latencyA, latencyB, 0.95, { seed: 7 }); // { estimate: 1.08, lower: 0.97, upper: 1.21 }
 */
export function bootstrapQuantileRatio(a: ArrayLike<number>, b: ArrayLike<number>, q: number, options: BootstrapOptions = {}): BootstrapEstimate {
  const { resamples, seed, confidence } = bootstrapSettings(options);
  if (!(typeof q === 'number' && q >= 0 && q <= 1)) throw new ValidationError('q', 'a probability in [0, 1]', q);
  if (a.length === 0 || b.length === 0) return { estimate: NaN, lower: NaN, upper: NaN };
  let state = seedState(seed);
  const rankedA = rankSample(a);
  const rankedB = rankSample(b);
  const estimate = sortedQuantile(rankedB.sorted, q) / sortedQuantile(rankedA.sorted, q);
  const samples = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    state = drawResample(rankedA, state);
    const qa = countedQuantile(rankedA, q);
    state = drawResample(rankedB, state);
    samples[r] = countedQuantile(rankedB, q) / qa;
  }
  return { estimate, ...percentileInterval(samples, confidence) };
}

/**
 * Two-sample bootstrap of mean(b) / mean(a), each sample resampled independently with a seeded PRNG.
 *
 * @example
 * bootstrapMeanRatio(outputTokensA, outputTokensB, { seed: 3 }); // { estimate: 0.92, lower: 0.88, upper: 0.96 }
 */
export function bootstrapMeanRatio(a: ArrayLike<number>, b: ArrayLike<number>, options: BootstrapOptions = {}): BootstrapEstimate {
  const { resamples, seed, confidence } = bootstrapSettings(options);
  if (a.length === 0 || b.length === 0) return { estimate: NaN, lower: NaN, upper: NaN };
  const random = seededRandom(seed);
  const mean = (x: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i]!;
    return s / x.length;
  };
  const samples = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sa = 0;
    let sb = 0;
    for (let i = 0; i < a.length; i++) sa += a[Math.floor(random() * a.length)]!;
    for (let i = 0; i < b.length; i++) sb += b[Math.floor(random() * b.length)]!;
    samples[r] = sb / b.length / (sa / a.length);
  }
  return { estimate: mean(b) / mean(a), ...percentileInterval(samples, confidence) };
}

/**
 * Paired bootstrap of the mean difference mean(b[i] - a[i]) (for example the same prompts scored under two
 * models), resampling pairs with a seeded PRNG.
 *
 * @example
 * pairedBootstrapMeanDifference([0.8, 0.9, 0.7], [0.82, 0.88, 0.71], { seed: 3 }); // { estimate: 0.0033, lower: ..., upper: ... }
 */
export function pairedBootstrapMeanDifference(a: ArrayLike<number>, b: ArrayLike<number>, options: BootstrapOptions = {}): BootstrapEstimate {
  if (a.length !== b.length) throw new ValidationError('b', `an array of the same length as a (${a.length})`, b);
  const { resamples, seed, confidence } = bootstrapSettings(options);
  const n = a.length;
  if (n === 0) return { estimate: NaN, lower: NaN, upper: NaN };
  const differences = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = b[i]! - a[i]!;
    if (!Number.isFinite(d)) throw new ValidationError(`b[${i}]`, 'a finite number paired with a finite a[i]', b[i]);
    differences[i] = d;
    total += d;
  }
  const random = seededRandom(seed);
  const samples = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += differences[Math.floor(random() * n)]!;
    samples[r] = s / n;
  }
  return { estimate: total / n, ...percentileInterval(samples, confidence) };
}


import { ValidationError } from '../errors';
import { logGamma, normalCdf, normalQuantile } from '../stats';

/**
 * The statistics the cost engine needs beyond the shared `stats/` layer (whose normal distribution and log-gamma it
 * uses): the Student-t distribution, Wilson and Newcombe intervals, a seeded PRNG, bootstrap helpers and Holm's
 * step-down correction. They are general and could move down to `stats/` (see docs/cost.md).
 */

/** Regularised incomplete beta I_x(a, b) by Lentz's continued fraction. */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const tiny = 1e-300;
  let f = 1;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = Math.abs(d) < tiny ? tiny : d;
  d = 1 / d;
  f = d;
  for (let m = 1; m < 1000; m++) {
    let numerator = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 + numerator * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = 1 + numerator / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    f *= d * c;
    numerator = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + numerator * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = 1 + numerator / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return (front * f) / a;
}

/** Student-t cumulative distribution with `df` degrees of freedom (df = Infinity is the normal). */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t)) return NaN;
  if (df === Infinity || df > 1e7) return normalCdf(t);
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const x = df / (df + t * t);
  const tail = 0.5 * incompleteBeta(x, df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Inverse of {@link studentTCdf}, by bracketing and bisection refined with Newton-free secant steps. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new ValidationError('p', 'a probability in (0, 1)', p);
  if (!(df > 0)) throw new ValidationError('df', 'a number > 0', df);
  if (df === Infinity || df > 1e7) return normalQuantile(p);
  if (p === 0.5) return 0;
  let low = -1;
  let high = 1;
  while (studentTCdf(low, df) > p) low *= 2;
  while (studentTCdf(high, df) < p) high *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (low + high) / 2;
    if (studentTCdf(mid, df) < p) low = mid;
    else high = mid;
    if (high - low <= 1e-13 * Math.max(1, Math.abs(mid))) break;
  }
  return (low + high) / 2;
}

/** A two-sided interval. */
export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

function assertCounts(successes: number, trials: number, prefix: string): void {
  if (!Number.isInteger(trials) || trials < 0) throw new ValidationError(`${prefix}trials`, 'an integer >= 0', trials);
  if (!Number.isInteger(successes) || successes < 0 || successes > trials) throw new ValidationError(`${prefix}successes`, `an integer in [0, ${trials}]`, successes);
}

function assertConfidence(confidence: number): void {
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) throw new ValidationError('confidence', 'a number in (0, 1)', confidence);
}

/**
 * Wilson's score interval for a binomial proportion (no continuity correction), Newcombe's (1998) method 3.
 * With no trials the interval is [0, 1].
 *
 * @example
 * wilsonInterval(81, 263, 0.95); // { lower: 0.2553, upper: 0.3662 } (rounded; Newcombe 1998, table I)
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): Interval {
  assertCounts(successes, trials, '');
  assertConfidence(confidence);
  if (trials === 0) return { lower: 0, upper: 1 };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 2 * (trials + z2);
  const centre = 2 * trials * p + z2;
  const spread = z * Math.sqrt(z2 + 4 * trials * p * (1 - p));
  const lower = successes === 0 ? 0 : (centre - spread) / denominator;
  const upper = successes === trials ? 1 : (centre + spread) / denominator;
  return { lower: Math.max(0, lower), upper: Math.min(1, upper) };
}

/**
 * Newcombe's hybrid score interval for the difference of two independent proportions p1 - p2 (method 10 of
 * Newcombe 1998), built from the two Wilson intervals.
 *
 * @example
 * newcombeInterval(56, 70, 48, 80, 0.95); // { lower: 0.0524, upper: 0.3339 } (rounded; Newcombe 1998, table II)
 */
export function newcombeInterval(successes1: number, trials1: number, successes2: number, trials2: number, confidence = 0.95): Interval {
  assertCounts(successes1, trials1, 'group1.');
  assertCounts(successes2, trials2, 'group2.');
  assertConfidence(confidence);
  const p1 = trials1 === 0 ? 0 : successes1 / trials1;
  const p2 = trials2 === 0 ? 0 : successes2 / trials2;
  const w1 = wilsonInterval(successes1, trials1, confidence);
  const w2 = wilsonInterval(successes2, trials2, confidence);
  const difference = p1 - p2;
  const lower = difference - Math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2);
  const upper = difference + Math.sqrt((w1.upper - p1) ** 2 + (p2 - w2.lower) ** 2);
  return { lower: Math.max(-1, lower), upper: Math.min(1, upper) };
}

/**
 * One-sided p-value of the non-inferiority test "p1 - p2 > -margin" read off Newcombe's interval: the smallest α
 * for which the lower bound of the two-sided (1 - 2α) interval stays above -margin. Found by bisection (the bound
 * is monotone in the confidence level).
 */
export function newcombeNonInferiorityPValue(successes1: number, trials1: number, successes2: number, trials2: number, margin: number): number {
  if (typeof margin !== 'number' || !(margin >= 0 && margin < 1)) throw new ValidationError('margin', 'a number in [0, 1)', margin);
  if (trials1 === 0 || trials2 === 0) return 1;
  const lowerAt = (alpha: number) => newcombeInterval(successes1, trials1, successes2, trials2, 1 - 2 * alpha).lower;
  if (lowerAt(0.4999) <= -margin) return 0.5; // not even the point estimate clears the margin
  let low = 1e-12; // alpha at which the bound is still below -margin (or as small as we look)
  let high = 0.4999;
  if (lowerAt(low) > -margin) return low;
  for (let i = 0; i < 80; i++) {
    const mid = (low + high) / 2;
    if (lowerAt(mid) > -margin) high = mid;
    else low = mid;
  }
  return high;
}

/**
 * A small, fast, seeded PRNG (mulberry32) returning numbers in [0, 1). The same seed gives the same sequence on
 * every platform.
 *
 * @example
 * const random = seededRandom(42); random(); // 0.6011037519201636
 */
export function seededRandom(seed: number): () => number {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new ValidationError('seed', 'a finite number', seed);
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

export function percentileInterval(samples: Float64Array, confidence: number): Interval {
  samples.sort();
  const alpha = (1 - confidence) / 2;
  const at = (q: number) => {
    const h = (samples.length - 1) * q;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, samples.length - 1);
    return samples[lo]! + (h - lo) * (samples[hi]! - samples[lo]!);
  };
  return { lower: at(alpha), upper: at(1 - alpha) };
}

/**
 * Bootstrap replicates of one sample's statistic: `resamples` values of the mean (`statistic: 'mean'`) or of the
 * q-quantile (`statistic: q`) of resamples drawn with replacement by a seeded PRNG. Two samples' replicates,
 * divided element by element, are replicates of the ratio of their statistics (independent resampling).
 */
export function bootstrapReplicates(values: ArrayLike<number>, statistic: 'mean' | number, resamples: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const n = values.length;
  const out = new Float64Array(resamples);
  if (n === 0) return out.fill(NaN);
  const scratch = new Float64Array(n);
  for (let r = 0; r < resamples; r++) {
    if (statistic === 'mean') {
      let s = 0;
      for (let i = 0; i < n; i++) s += values[Math.floor(random() * n)]!;
      out[r] = s / n;
    } else {
      for (let i = 0; i < n; i++) scratch[i] = values[Math.floor(random() * n)]!;
      scratch.sort();
      out[r] = sortedQuantile(scratch, statistic);
    }
  }
  return out;
}

/** Percentile interval of numerator[r] / denominator[r] over paired bootstrap replicates. */
export function replicateRatioInterval(numerator: Float64Array, denominator: Float64Array, confidence: number): Interval {
  const ratios = new Float64Array(numerator.length);
  for (let r = 0; r < ratios.length; r++) ratios[r] = numerator[r]! / denominator[r]!;
  return percentileInterval(ratios, confidence);
}

/** R-7 quantile of a scratch array (sorted in place). */
export function sortedQuantile(scratch: Float64Array, q: number): number {
  const n = scratch.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return scratch[lo]! + (h - lo) * (scratch[hi]! - scratch[lo]!);
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
  if (a.length === 0 || b.length === 0) return { estimate: NaN, lower: NaN, upper: NaN };
  const random = seededRandom(seed);
  const scratchA = new Float64Array(a.length);
  const scratchB = new Float64Array(b.length);
  const samples = new Float64Array(resamples);
  const statistic = () => {
    scratchA.sort();
    scratchB.sort();
    return sortedQuantile(scratchB, q) / sortedQuantile(scratchA, q);
  };
  for (let i = 0; i < a.length; i++) scratchA[i] = a[i]!;
  for (let i = 0; i < b.length; i++) scratchB[i] = b[i]!;
  const estimate = statistic();
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < a.length; i++) scratchA[i] = a[Math.floor(random() * a.length)]!;
    for (let i = 0; i < b.length; i++) scratchB[i] = b[Math.floor(random() * b.length)]!;
    samples[r] = statistic();
  }
  return { estimate, ...percentileInterval(samples, confidence) };
}

/**
 * Two-sample bootstrap of mean(b) / mean(a).
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

/**
 * Holm's step-down adjustment of p-values (controls the family-wise error rate like Bonferroni, uniformly more
 * powerful). Returns adjusted p-values in the input order.
 *
 * @example
 * holmAdjust([0.01, 0.04, 0.03]); // [0.03, 0.06, 0.06]
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => {
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ValidationError(`pValues[${i}]`, 'a number in [0, 1]', p);
    return i;
  });
  order.sort((x, y) => pValues[x]! - pValues[y]! || x - y);
  const adjusted = new Array<number>(m);
  let running = 0;
  for (let rank = 0; rank < m; rank++) {
    const index = order[rank]!;
    running = Math.max(running, Math.min(1, (m - rank) * pValues[index]!));
    adjusted[index] = running;
  }
  return adjusted;
}

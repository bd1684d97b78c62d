import { ValidationError } from '../errors';

/**
 * The few statistics the cost engine needs: normal and Student-t distributions, Wilson and Newcombe intervals,
 * a seeded PRNG, bootstrap helpers, Holm's step-down correction and an ordinary least-squares trend with
 * prediction intervals. Kept here until the shared `stats/` layer lands; they belong there (see docs/cost.md).
 */

/** Standard normal cumulative distribution, |error| < 1e-14 (Cody-style erfc via a continued fraction / series). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Complementary error function, relative error about 1e-15 over the real line. */
function erfc(x: number): number {
  const z = Math.abs(x);
  let result: number;
  if (z < 2) {
    // erf by its Taylor series, then 1 - erf.
    let term = z;
    let sum = z;
    const z2 = z * z;
    for (let n = 1; n < 200; n++) {
      term *= -z2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    result = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // Continued fraction (Lentz) for erfc, converges fast for z >= 2.
    const tiny = 1e-300;
    let f = z;
    let c = z;
    let d = 0;
    for (let n = 1; n < 500; n++) {
      const a = n / 2;
      d = z + a * d;
      d = d === 0 ? tiny : d;
      c = z + a / c;
      c = c === 0 ? tiny : c;
      d = 1 / d;
      const delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) break;
    }
    result = Math.exp(-z * z) / (f * Math.sqrt(Math.PI));
  }
  return x >= 0 ? result : 2 - result;
}

/**
 * Inverse of the standard normal CDF (Wichura's AS 241, PPND16: about 1e-16 relative accuracy).
 *
 * @example
 * normalQuantile(0.975); // 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ValidationError('p', 'a probability in [0, 1]', p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2509.0809287301227 * r + 33430.57558358813) * r + 67265.7709270087) * r + 45921.95393154987) * r +
          13731.69376550946) * r + 1971.5909503065513) * r + 133.14166789178438) * r + 3.3871328727963665)) /
      (((((((5226.495278852546 * r + 28729.085735721943) * r + 39307.89580009271) * r + 21213.794301586597) * r +
        5394.196021424751) * r + 687.1870074920579) * r + 42.31333070160091) * r + 1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value =
      (((((((0.0007745450142783414 * r + 0.022723844989269184) * r + 0.2417807251774506) * r + 1.2704582524523684) * r +
        3.6478483247632045) * r + 5.769497221460691) * r + 4.630337846156546) * r + 1.4234371107496835) /
      (((((((1.0507500716444169e-09 * r + 0.0005475938084995345) * r + 0.015198666563616457) * r + 0.14810397642748008) * r +
        0.6897673349851) * r + 1.6763848301838038) * r + 2.053191626637759) * r + 1);
  } else {
    r -= 5;
    value =
      (((((((2.0103343992922881e-07 * r + 2.7115555687434876e-05) * r + 0.0012426609473880784) * r + 0.026532189526576124) * r +
        0.29656057182850487) * r + 1.7848265399172913) * r + 5.463784911164114) * r + 6.657904643501103) /
      (((((((2.0442631033899397e-15 * r + 1.421511758316446e-07) * r + 1.8463183175100548e-05) * r + 0.0007868691311456133) * r +
        0.014875361290850615) * r + 0.1369298809227358) * r + 0.599832206555888) * r + 1);
  }
  return q < 0 ? -value : value;
}

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9), about 1e-15 relative accuracy for x > 0.
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const y = x - 1;
  let a = c[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

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

function percentileInterval(samples: Float64Array, confidence: number): Interval {
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

/** An ordinary least-squares line y = intercept + slope * x, with what prediction intervals need. */
export interface LinearFit {
  readonly intercept: number;
  readonly slope: number;
  /** Residual standard deviation (n - 2 degrees of freedom); 0 when n <= 2. */
  readonly residualStandardDeviation: number;
  readonly n: number;
  readonly meanX: number;
  /** Σ (x - meanX)². */
  readonly sxx: number;
}

/** Least-squares fit of y on x. Needs at least one point; with one point (or all x equal) the slope is 0. */
export function fitLine(x: ArrayLike<number>, y: ArrayLike<number>): LinearFit {
  const n = x.length;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i]!;
    sy += y[i]!;
  }
  const meanX = sx / n;
  const meanY = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - meanX;
    sxx += dx * dx;
    sxy += dx * (y[i]! - meanY);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = meanY - slope * meanX;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const r = y[i]! - (intercept + slope * x[i]!);
    sse += r * r;
  }
  const residualStandardDeviation = n > 2 ? Math.sqrt(sse / (n - 2)) : 0;
  return { intercept, slope, residualStandardDeviation, n, meanX, sxx };
}

/**
 * Counter-based randomness: every number is a pure function of (seed, stream, index), computed by integer hashing.
 * There is no generator state, so any sample can be recomputed on its own, in any order, live or not.
 */

/** murmur3's 32-bit finaliser: a fast bijective mix with good avalanche. */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a of a string, then mixed: a stable 32-bit id for a series or a stream name. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** A 32-bit hash of (key, index). `key` already folds in the seed and the stream; `index` may exceed 2^32. */
export function hashAt(key: number, index: number): number {
  const low = index >>> 0;
  const high = Math.floor(index / 4294967296) >>> 0;
  return mix32(mix32(key ^ Math.imul(low, 0x9e3779b9)) + Math.imul(high ^ 0x7f4a7c15, 0x27d4eb2f) + low);
}

/** A uniform number in [0, 1) for (key, index). */
export function uniformAt(key: number, index: number): number {
  return hashAt(key, index) / 4294967296;
}

/**
 * A standard normal number for (key, index), by inverting the normal CDF at one hashed uniform (a rational
 * polynomial in the central 95 %, cheaper than Box-Muller's logarithm, square root and cosine).
 */
export function normalAt(key: number, index: number): number {
  return normalQuantile((hashAt(key, index) + 0.5) / 4294967296);
}

/** Derives a key for one stream (a purpose, such as "deploys" or one series) under a seed. */
export function streamKey(seed: number, stream: string | number): number {
  return mix32(mix32(seed ^ 0x3c6ef372) ^ (typeof stream === 'number' ? mix32(stream) : hashString(stream)));
}

/**
 * A count of events with the given mean, for (key, index): Poisson by inversion for small means, and a rounded
 * normal (clipped at zero) for large ones, where the two are indistinguishable at the scale of a scrape.
 */
export function poissonAt(key: number, index: number, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean < 30) {
    const u = uniformAt(key, index);
    let p = Math.exp(-mean);
    let cumulative = p;
    let k = 0;
    while (u > cumulative && k < 200) {
      k++;
      p *= mean / k;
      cumulative += p;
    }
    return k;
  }
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * normalAt(key, index)));
}

/**
 * A binomial count (n trials, probability p) for (key, index), always within [0, n]: exact (by inversion) when the
 * expected count of the rarer outcome is below 20, and a rounded normal approximation above, where the two are
 * indistinguishable at the scale of a scrape.
 */
export function binomialAt(key: number, index: number, n: number, p: number): number {
  if (n <= 0 || !(p > 0)) return 0;
  if (p >= 1) return n;
  const flip = p > 0.5;
  const q = flip ? 1 - p : p;
  const mean = n * q;
  if (mean < 20) {
    const u = uniformAt(key, index);
    let probability = Math.exp(n * Math.log1p(-q));
    let cumulative = probability;
    const ratio = q / (1 - q);
    let k = 0;
    while (u > cumulative && k < n) {
      probability *= (ratio * (n - k)) / (k + 1);
      k++;
      cumulative += probability;
    }
    return flip ? n - k : k;
  }
  const value = Math.round(mean + Math.sqrt(mean * (1 - q)) * normalAt(key, index));
  const clipped = value < 0 ? 0 : value > n ? n : value;
  return flip ? n - clipped : clipped;
}

/** The standard normal CDF (Abramowitz and Stegun 7.1.26 for erf, absolute error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** The standard normal quantile function (Acklam's rational approximation, relative error below 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) / (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
}

/** Scratch weights of the exact hypergeometric inversion (no allocation per draw). */
let hypergeometricWeights = new Float64Array(256);

/**
 * How many of `successes` marked items are among `draws` items taken without replacement from a population of
 * `successes + others`, for (key, index), when a marked item is `odds` times as likely to be taken as the others
 * (Fisher's noncentral hypergeometric distribution; `odds = 1` is the ordinary hypergeometric). This is the count of
 * marked items in a group when every item joins the group independently and the group's size is known. Always within
 * [max(0, draws - others), min(successes, draws)], so sequential draws over disjoint kinds of items can always be
 * completed. Exact by inversion when the spread is small (standard deviation below 3), a rounded normal with the
 * distribution's approximate mean and variance above.
 */
export function hypergeometricAt(key: number, index: number, successes: number, others: number, draws: number, odds = 1): number {
  const low = draws - others > 0 ? draws - others : 0;
  const high = successes < draws ? successes : draws;
  if (low >= high) return low;
  // Approximate mean (the root of mu (others - draws + mu) = odds (successes - mu) (draws - mu)) and variance.
  const b = others - draws + odds * (successes + draws);
  const product = odds * successes * draws;
  let mean = (2 * product) / (b + Math.sqrt(b * b + 4 * (1 - odds) * product));
  if (!(mean >= low)) mean = low;
  if (mean > high) mean = high;
  const inverse = 1 / mean + 1 / (successes - mean) + 1 / (draws - mean) + 1 / (others - draws + mean);
  const variance = Number.isFinite(inverse) && inverse > 0 ? 1 / inverse : 0;
  if (variance >= 9) {
    const value = Math.round(mean + Math.sqrt(variance) * normalAt(key, index));
    return value < low ? low : value > high ? high : value;
  }
  // Exact: relative probabilities around the mode, out to where they vanish, then inversion of one uniform.
  const from = Math.max(low, Math.floor(mean - 7 * Math.sqrt(variance) - 3));
  const to = Math.min(high, Math.ceil(mean + 7 * Math.sqrt(variance) + 3));
  if (to - from + 1 > hypergeometricWeights.length) hypergeometricWeights = new Float64Array(2 * (to - from + 1));
  const weights = hypergeometricWeights;
  const mode = Math.min(to, Math.max(from, Math.round(mean)));
  weights[mode - from] = 1;
  let total = 1;
  for (let k = mode; k < to; k++) {
    const next = (weights[k - from]! * odds * (successes - k) * (draws - k)) / ((k + 1) * (others - draws + k + 1));
    weights[k + 1 - from] = next;
    total += next;
  }
  for (let k = mode; k > from; k--) {
    const previous = (weights[k - from]! * k * (others - draws + k)) / (odds * (successes - k + 1) * (draws - k + 1));
    weights[k - 1 - from] = previous;
    total += previous;
  }
  let target = uniformAt(key, index) * total;
  for (let k = from; k < to; k++) {
    target -= weights[k - from]!;
    if (target < 0) return k;
  }
  return to;
}

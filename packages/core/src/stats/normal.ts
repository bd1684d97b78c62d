import { assertFiniteNumber, ValidationError } from '../errors';

/**
 * The standard normal distribution: cumulative distribution, upper tail and quantile, to about 1e-14 relative
 * accuracy over the whole range (the upper tail stays accurate far out, where `1 - normalCdf(z)` would round to 0).
 */

const SQRT_PI = Math.sqrt(Math.PI);

/**
 * The complementary error function erfc(x) = 1 - erf(x). For |x| < 2.5 a series with positive terms only
 * (erf(x) = 2/√π · e^{-x²} · Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1))), beyond that a continued fraction (modified Lentz),
 * so erfc(10) ≈ 2.09e-45 keeps its leading digits. NaN in gives NaN out.
 *
 * @example
 * erfc(0); // 1
 * erfc(1); // 0.157299207050285...
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) return 1 - erfSeries(x);
  if (x > 27.3) return 0; // below the smallest subnormal
  return erfcContinuedFraction(x);
}

/**
 * The error function erf(x).
 *
 * @example
 * erf(1); // 0.842700792949715...
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return -erf(-x);
  if (x < 2.5) return erfSeries(x);
  return 1 - erfc(x);
}

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return ((2 / SQRT_PI) * Math.exp(-x2) * sum);
}

function erfcContinuedFraction(x: number): number {
  // erfc(x) = e^{-x²}/√π · 1 / (x + (1/2) / (x + 1 / (x + (3/2) / (x + 2 / (x + ...)))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
}

/**
 * P(Z <= z) for a standard normal Z.
 *
 * @example
 * normalCdf(1.959963984540054); // 0.975
 */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * The upper tail P(Z > z) for a standard normal Z (the Q-function), accurate far into the tail.
 *
 * @example
 * normalSurvival(0); // 0.5
 * normalSurvival(10); // 7.61985302416047e-24
 */
export function normalSurvival(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

// Acklam's rational approximation (relative error < 1.15e-9), then one Halley step on the exact cdf.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239] as const;
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1] as const;
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;

/**
 * The standard normal quantile Φ⁻¹(p) for p in (0, 1); p = 0 gives -Infinity and p = 1 gives Infinity.
 *
 * @throws ValidationError when p is not a number in [0, 1].
 * @example
 * normalQuantile(0.975); // 1.959963984540054
 */
export function normalQuantile(p: number): number {
  assertFiniteNumber(p, 'p');
  if (p < 0 || p > 1) throw new ValidationError('p', 'a probability in [0, 1]', p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else if (p <= 1 - P_LOW) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  // Halley refinement against the accurate tail (use the smaller tail for precision).
  const e = x < 0 ? normalCdf(x) - p : 1 - p - normalSurvival(x);
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/**
 * Two-sided normal critical value for a central interval of probability `level`: `normalQuantile((1 + level) / 2)`.
 *
 * @example
 * normalCriticalValue(0.95); // 1.959963984540054
 */
export function normalCriticalValue(level: number): number {
  if (typeof level !== 'number' || !(level > 0 && level < 1)) throw new ValidationError('level', 'a probability in (0, 1)', level);
  return normalQuantile((1 + level) / 2);
}

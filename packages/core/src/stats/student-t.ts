import { ValidationError } from '../errors';
import { normalCdf, normalQuantile } from './normal';
import { logGamma } from './special';

/**
 * Regularised incomplete beta I_x(a, b) by Lentz's continued fraction.
 *
 * @example
 * regularizedIncompleteBeta(0.5, 2, 2); // 0.5
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedIncompleteBeta(1 - x, b, a);
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

/**
 * Student-t cumulative distribution with `df` degrees of freedom (df = Infinity is the normal).
 *
 * @example
 * studentTCdf(2.228, 10); // 0.975
 */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t)) return NaN;
  if (df === Infinity || df > 1e7) return normalCdf(t);
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  // tail = I_x(df/2, 1/2) / 2 with x = df / (df + t²). Near t = 0, x rounds towards 1 and 1 - x loses every digit,
  // so there the symmetric form 1 - I_y(1/2, df/2) with y = t² / (df + t²), computed directly, is used.
  const t2 = t * t;
  const x = df / (df + t2);
  const a = df / 2;
  const tail = x > (a + 1) / (a + 2.5) ? 0.5 * (1 - regularizedIncompleteBeta(t2 / (df + t2), 0.5, a)) : 0.5 * regularizedIncompleteBeta(x, a, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/**
 * Inverse of {@link studentTCdf}, by bracketing and bisection.
 *
 * @throws ValidationError when p is not in (0, 1) or df is not > 0.
 * @example
 * studentTQuantile(0.975, 5); // 2.5706
 */
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


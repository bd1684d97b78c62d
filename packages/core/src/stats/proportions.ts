import { ValidationError } from '../errors';
import { normalQuantile } from './normal';

/** A two-sided interval. */
export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

function assertCounts(successes: number, trials: number, prefix: string): void {
  if (!Number.isInteger(trials) || trials < 0) throw new ValidationError(`${prefix}trials`, 'an integer >= 0', trials);
  if (!Number.isInteger(successes) || successes < 0 || successes > trials) throw new ValidationError(`${prefix}successes`, `an integer in [0, ${trials}]`, successes);
}

export function assertConfidence(confidence: number): void {
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
 *
 * @example
 * newcombeNonInferiorityPValue(880, 1000, 890, 1000, 0.05); // ≈ 0.0004: 88% vs 89% is within a 5-point margin
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


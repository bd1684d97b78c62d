import { ValidationError } from '../errors';

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

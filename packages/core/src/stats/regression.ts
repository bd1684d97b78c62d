import { assertNumericArray, ValidationError } from '../errors';

/** An ordinary least-squares line `y = intercept + slope·x`. */
export interface LinearFit {
  readonly slope: number;
  readonly intercept: number;
  /** Number of (x, y) pairs used (pairs with a NaN are skipped). */
  readonly count: number;
  /** Coefficient of determination R² (1 for a perfect fit; NaN when y is constant). */
  readonly rSquared: number;
  /** Standard error of the slope (NaN with fewer than three points). */
  readonly slopeStandardError: number;
  /** Residual standard error √(SSE / (n - 2)) (NaN with fewer than three points). */
  readonly residualStandardError: number;
  /** Mean of the x values used: the fitted line passes through (meanX, meanY). */
  readonly meanX: number;
  readonly meanY: number;
}

/**
 * Ordinary least-squares regression of `y` on `x`, computed around the means (stable for epoch-millisecond x).
 * Pairs where either value is NaN are skipped.
 *
 * @throws ValidationError when the arrays differ in length, or fewer than two distinct x values remain.
 * @example
 * const fit = linearRegression([0, 1, 2, 3], [1, 3, 5, 7]);
 * fit.slope; // 2
 * fit.intercept; // 1
 */
export function linearRegression(x: ArrayLike<number>, y: ArrayLike<number>): LinearFit {
  assertNumericArray(x, 'x');
  assertNumericArray(y, 'y');
  if (x.length !== y.length) throw new ValidationError('y', `an array of the same length as x (${x.length})`, y);
  let n = 0;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    const yi = y[i] as number;
    if (xi !== xi || yi !== yi) continue;
    n++;
    meanX += (xi - meanX) / n;
    meanY += (yi - meanY) / n;
  }
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    const yi = y[i] as number;
    if (xi !== xi || yi !== yi) continue;
    const dx = xi - meanX;
    const dy = yi - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (n < 2 || sxx === 0) throw new ValidationError('x', 'at least two distinct x values with non-NaN y', x);
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  const sse = Math.max(0, syy - slope * sxy);
  const residualStandardError = n > 2 ? Math.sqrt(sse / (n - 2)) : NaN;
  return {
    slope,
    intercept,
    count: n,
    rSquared: syy > 0 ? 1 - sse / syy : NaN,
    slopeStandardError: n > 2 ? residualStandardError / Math.sqrt(sxx) : NaN,
    residualStandardError,
    meanX,
    meanY,
  };
}

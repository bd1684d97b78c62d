import { assertInteger, assertNumericArray, ValidationError } from '../errors';
import { selectIndices } from '../percentile/select';
import { normalCriticalValue } from './normal';

/** A robust straight line `y = anchorY + slope·(x - anchorX)` with a confidence interval on the slope. */
export interface TheilSenFit {
  /** Median of the pairwise slopes (y units per x unit: per millisecond when x is a timestamp). */
  readonly slope: number;
  /** Lower end of the slope's confidence interval (Sen's method). */
  readonly slopeLower: number;
  /** Upper end of the slope's confidence interval. */
  readonly slopeUpper: number;
  /** The line's value at x = 0: `anchorY - slope·anchorX`. */
  readonly intercept: number;
  /** The line passes through (anchorX, anchorY): anchorX is the median x, anchorY the median of y - slope·(x - anchorX). */
  readonly anchorX: number;
  readonly anchorY: number;
  /** Points used (after skipping NaN and thinning to `maxPoints`). */
  readonly count: number;
  /** Confidence level of [slopeLower, slopeUpper]. */
  readonly level: number;
}

export interface TheilSenOptions {
  /** Confidence level of the slope interval, in (0, 1). Default 0.95. */
  readonly level?: number;
  /**
   * The estimator looks at every pair of points, O(n²). Above this many points the input is thinned to evenly
   * spaced points first (every k-th), which keeps the estimate unbiased for a trend. Default 1,000 (about 500,000
   * pairs).
   */
  readonly maxPoints?: number;
}

/**
 * Theil–Sen robust trend: the median of the slopes between every pair of points with distinct x, and Sen's
 * distribution-free confidence interval for it (normal approximation of Kendall's S, ties in x ignored). Outliers
 * up to about 29% of the points do not move the slope. Pairs with NaN are skipped.
 *
 * @throws ValidationError when the arrays differ in length, when fewer than two distinct x remain, or for bad options.
 * @example
 * const fit = theilSen([0, 1, 2, 3, 4], [0, 2, 4, 100, 8]);
 * fit.slope; // 2 (the outlier at x = 3 does not move it)
 * fit.anchorY + fit.slope * (10 - fit.anchorX); // 20: the trend at x = 10
 */
export function theilSen(x: ArrayLike<number>, y: ArrayLike<number>, options: TheilSenOptions = {}): TheilSenFit {
  assertNumericArray(x, 'x');
  assertNumericArray(y, 'y');
  if (x.length !== y.length) throw new ValidationError('y', `an array of the same length as x (${x.length})`, y);
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an options object', options);
  const level = options.level ?? 0.95;
  const z = normalCriticalValue(level);
  const maxPoints = options.maxPoints ?? 1000;
  assertInteger(maxPoints, 'options.maxPoints', 2, 20_000);

  let valid = 0;
  for (let i = 0; i < x.length; i++) if ((x[i] as number) === (x[i] as number) && (y[i] as number) === (y[i] as number)) valid++;
  const stride = Math.max(1, Math.ceil(valid / maxPoints));
  const px = new Float64Array(Math.ceil(valid / stride));
  const py = new Float64Array(px.length);
  let n = 0;
  let seen = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    const yi = y[i] as number;
    if (xi !== xi || yi !== yi) continue;
    if (seen++ % stride === 0) {
      px[n] = xi;
      py[n] = yi;
      n++;
    }
  }
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const xi = px[i] as number;
    const yi = py[i] as number;
    for (let j = i + 1; j < n; j++) {
      const dx = (px[j] as number) - xi;
      if (dx === 0) continue;
      slopes[m++] = ((py[j] as number) - yi) / dx;
    }
  }
  if (m === 0) throw new ValidationError('x', 'at least two distinct x values with non-NaN y', x);
  const s = slopes.subarray(0, m);
  const varianceS = (n * (n - 1) * (2 * n + 5)) / 18;
  const c = z * Math.sqrt(varianceS);
  const lowerRank = Math.min(m, Math.max(1, Math.round((m - c) / 2)));
  const upperRank = Math.min(m, Math.max(1, Math.round((m + c) / 2) + 1));
  const mid = m >> 1;
  const ranks = m % 2 === 1 ? [lowerRank - 1, mid, upperRank - 1] : [lowerRank - 1, mid - 1, mid, upperRank - 1];
  const wanted = Array.from(new Set(ranks)).sort((a, b) => a - b);
  selectIndices(s, wanted);
  const slope = m % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;

  const xs = px.slice(0, n).sort();
  const anchorX = n % 2 === 1 ? (xs[n >> 1] as number) : ((xs[(n >> 1) - 1] as number) + (xs[n >> 1] as number)) / 2;
  const residual = new Float64Array(n);
  for (let i = 0; i < n; i++) residual[i] = (py[i] as number) - slope * ((px[i] as number) - anchorX);
  residual.sort();
  const anchorY = n % 2 === 1 ? (residual[n >> 1] as number) : ((residual[(n >> 1) - 1] as number) + (residual[n >> 1] as number)) / 2;
  return {
    slope,
    slopeLower: s[lowerRank - 1] as number,
    slopeUpper: s[upperRank - 1] as number,
    intercept: anchorY - slope * anchorX,
    anchorX,
    anchorY,
    count: n,
    level,
  };
}

import { assertFiniteNumber, ValidationError } from '../errors';
import { theilSen } from './theil-sen';
import type { TheilSenFit } from './theil-sen';

/** Which way the value must move to reach the threshold. */
export type CrossingDirection = 'rising' | 'falling';

export interface TimeUntilThresholdOptions {
  /** The moment to count from (epoch ms). Default: the last timestamp with a value. */
  readonly now?: number;
  /**
   * `rising`: the threshold is a ceiling (capacity, latency); `falling`: a floor (error budget, free disk).
   * Default: whichever side the trend is on now (below the threshold: rising).
   */
  readonly direction?: CrossingDirection;
  /** Confidence level of the interval, in (0, 1). Default 0.9. */
  readonly level?: number;
  /** Passed to Theil–Sen: points kept for the O(n²) slope estimate. Default 1,000. */
  readonly maxPoints?: number;
}

/** When a trend reaches a threshold. All times are epoch milliseconds; `null` means "not within any finite time". */
export interface ThresholdCrossing {
  /**
   * `crossing`: the trend reaches the threshold at `at`. `already-crossed`: the trend is past it at `now`.
   * `not-approaching`: the trend is flat or moves away (the interval may still allow a crossing: see `earliest`).
   */
  readonly status: 'crossing' | 'already-crossed' | 'not-approaching';
  readonly direction: CrossingDirection;
  readonly threshold: number;
  readonly now: number;
  /** Trend value at `now`. */
  readonly currentTrendValue: number;
  /** Estimated crossing time (null unless `crossing`; equal to `now` when already crossed). */
  readonly at: number | null;
  /** `at - now` in milliseconds. */
  readonly inMs: number | null;
  /** Earliest crossing consistent with the slope interval (null when even the steepest slope never gets there). */
  readonly earliest: number | null;
  /** Latest crossing consistent with the slope interval (null when the interval allows never crossing). */
  readonly latest: number | null;
  /** Confidence level of [earliest, latest]. */
  readonly level: number;
  /** The fitted trend (slope per millisecond). */
  readonly trend: TheilSenFit;
}

/**
 * When will a series reach a threshold, if its robust linear trend continues? Fits a Theil–Sen line to the
 * points (NaN skipped) and solves for the crossing; the interval comes from Sen's confidence interval on the slope
 * (lines through the same median point), so it widens as the trend gets noisier or flatter. It covers the
 * uncertainty of the trend, not seasonal swings around it: for seasonal data use the Holt-Winters version in
 * `@vigil/core/forecast`.
 *
 * Used for capacity planning ("disk full in 9 days") and error-budget exhaustion ("budget gone in 3 days").
 *
 * @throws ValidationError for a malformed series, a non-finite threshold, bad options or fewer than two points.
 * @example
 * const day = 86_400_000;
 * const disk = { timestamps: [0, day, 2 * day, 3 * day], values: [50, 55, 60, 65] };
 * const c = timeUntilThreshold(disk, 100);
 * c.status; // 'crossing'
 * c.at! / day; // 10: full on day 10
 */
export function timeUntilThreshold(
  series: { readonly timestamps: ArrayLike<number>; readonly values: ArrayLike<number> },
  threshold: number,
  options: TimeUntilThresholdOptions = {},
): ThresholdCrossing {
  if (series === null || typeof series !== 'object') throw new ValidationError('series', 'an object with timestamps and values', series);
  assertFiniteNumber(threshold, 'threshold');
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an options object', options);
  const level = options.level ?? 0.9;
  const trend = theilSen(series.timestamps, series.values, { level, ...(options.maxPoints !== undefined ? { maxPoints: options.maxPoints } : {}) });
  let now = options.now;
  if (now === undefined) {
    now = -Infinity;
    for (let i = 0; i < series.values.length; i++) {
      const v = series.values[i] as number;
      const t = series.timestamps[i] as number;
      if (v === v && t > now) now = t;
    }
  }
  assertFiniteNumber(now, 'options.now');
  const at = (slope: number): number => trend.anchorY + slope * (now - trend.anchorX);
  const currentTrendValue = at(trend.slope);
  const direction: CrossingDirection = options.direction ?? (currentTrendValue <= threshold ? 'rising' : 'falling');
  if (direction !== 'rising' && direction !== 'falling') throw new ValidationError('options.direction', "'rising' or 'falling'", direction);
  const sign = direction === 'rising' ? 1 : -1;

  /** Crossing time of the line with this slope, clamped to now; null if it never gets there after now. */
  const crossing = (slope: number): number | null => {
    const valueNow = at(slope);
    if (sign * (valueNow - threshold) >= 0) return now;
    if (sign * slope <= 0) return null;
    return trend.anchorX + (threshold - trend.anchorY) / slope;
  };
  const steep = direction === 'rising' ? trend.slopeUpper : trend.slopeLower;
  const shallow = direction === 'rising' ? trend.slopeLower : trend.slopeUpper;
  const earliest = crossing(steep);
  const latest = crossing(shallow);
  if (sign * (currentTrendValue - threshold) >= 0) {
    return { status: 'already-crossed', direction, threshold, now, currentTrendValue, at: now, inMs: 0, earliest: now, latest: now, level, trend };
  }
  const estimate = crossing(trend.slope);
  return {
    status: estimate === null ? 'not-approaching' : 'crossing',
    direction,
    threshold,
    now,
    currentTrendValue,
    at: estimate,
    inMs: estimate === null ? null : estimate - now,
    earliest,
    latest: estimate === null ? null : latest,
    level,
    trend,
  };
}

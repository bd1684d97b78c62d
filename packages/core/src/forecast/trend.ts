import { ValidationError } from '../errors';
import type { Series } from '../series/types';
import { theilSen } from '../stats/theil-sen';
import type { TheilSenFit, TheilSenOptions } from '../stats/theil-sen';

/** A Theil–Sen trend of a series with its rates in everyday units. */
export interface SeriesTrend extends TheilSenFit {
  /** Slope per hour and per day (value units). */
  readonly slopePerHour: number;
  readonly slopePerDay: number;
  /** Trend value at a timestamp. */
  readonly valueAt: (timestamp: number) => number;
}

/**
 * Robust trend of a series (Theil–Sen over timestamp and value; NaN values skipped): the slope per millisecond,
 * hour and day, with Sen's confidence interval on the slope.
 *
 * @throws ValidationError for a malformed series or fewer than two points.
 * @example
 * const t = theilSenTrend(heapBytes);
 * t.slopePerDay; // bytes per day
 * t.valueAt(Date.now() + 7 * 86_400_000); // in a week, if nothing changes
 */
export function theilSenTrend(series: Pick<Series, 'timestamps' | 'values'>, options: TheilSenOptions = {}): SeriesTrend {
  if (series === null || typeof series !== 'object') throw new ValidationError('series', 'an object with timestamps and values', series);
  const fit = theilSen(series.timestamps, series.values, options);
  return {
    ...fit,
    slopePerHour: fit.slope * 3_600_000,
    slopePerDay: fit.slope * 86_400_000,
    valueAt: (timestamp: number) => fit.anchorY + fit.slope * (timestamp - fit.anchorX),
  };
}

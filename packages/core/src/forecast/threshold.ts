import { ValidationError } from '../errors';
import type { Series } from '../series/types';
import { timeUntilThreshold as trendTimeUntilThreshold } from '../stats/threshold';
import type { CrossingDirection, ThresholdCrossing, TimeUntilThresholdOptions } from '../stats/threshold';
import { holtWintersForecast } from './holt-winters';
import type { HoltWintersForecastOptions } from './holt-winters';

export interface ForecastCrossingOptions extends TimeUntilThresholdOptions {
  /**
   * `trend` (default): robust Theil–Sen line, interval from the slope's confidence interval.
   * `holt-winters`: seasonal forecast, interval from its prediction interval, searched up to `maxHorizon` points.
   */
  readonly method?: 'trend' | 'holt-winters';
  /** Points the Holt-Winters search looks ahead. Default 10,000. */
  readonly maxHorizon?: number;
  /** Holt-Winters options (period, seasonality, damping). */
  readonly holtWinters?: Omit<HoltWintersForecastOptions, 'horizon' | 'level'>;
}

/** A threshold crossing found by either method; `method` says which. */
export type ForecastCrossing = (ThresholdCrossing & { readonly method: 'trend' }) | (Omit<ThresholdCrossing, 'trend'> & { readonly method: 'holt-winters' });

/**
 * "When will this series reach the threshold?" with an interval, for capacity planning and budget exhaustion.
 *
 * - `trend` (default): see `timeUntilThreshold` in `@vigil/core/stats` (Theil–Sen; the SLO and cost engines use
 *   that one directly).
 * - `holt-winters`: the first forecast step whose mean reaches the threshold is the estimate; the first step whose
 *   far interval bound (upper when rising, lower when falling) reaches it is `earliest`, and the first step whose
 *   near bound reaches it is `latest` (null when that does not happen within `maxHorizon`). Seasonal peaks count:
 *   a disk that fills a little more each night crosses on the night it first reaches the limit.
 *
 * @throws ValidationError for a malformed series, too few points or bad options.
 * @example
 * const c = forecastTimeUntilThreshold(diskUsedBytes, 0.9 * diskSizeBytes, { method: 'holt-winters' });
 * if (c.status === 'crossing') console.log(new Date(c.at!), new Date(c.earliest!), c.latest && new Date(c.latest));
 */
export function forecastTimeUntilThreshold(series: Pick<Series, 'timestamps' | 'values'>, threshold: number, options: ForecastCrossingOptions = {}): ForecastCrossing {
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an options object', options);
  const method = options.method ?? 'trend';
  if (method === 'trend') return { ...trendTimeUntilThreshold(series, threshold, options), method: 'trend' };
  if (method !== 'holt-winters') throw new ValidationError('options.method', "'trend' or 'holt-winters'", method);
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) throw new ValidationError('threshold', 'a finite number', threshold);
  const level = options.level ?? 0.9;
  const maxHorizon = options.maxHorizon ?? 10_000;
  const f = holtWintersForecast(series, { ...(options.holtWinters ?? {}), horizon: maxHorizon, level });
  let lastValue = NaN;
  let lastTime = NaN;
  for (let i = series.values.length - 1; i >= 0; i--) {
    if ((series.values[i] as number) === (series.values[i] as number)) {
      lastValue = series.values[i] as number;
      lastTime = series.timestamps[i] as number;
      break;
    }
  }
  const now = options.now ?? lastTime;
  const currentTrendValue = f.fitted.length > 0 ? lastValue : NaN;
  const direction: CrossingDirection = options.direction ?? (currentTrendValue <= threshold ? 'rising' : 'falling');
  if (direction !== 'rising' && direction !== 'falling') throw new ValidationError('options.direction', "'rising' or 'falling'", direction);
  const sign = direction === 'rising' ? 1 : -1;
  const reached = (v: number): boolean => sign * (v - threshold) >= 0;
  if (reached(currentTrendValue)) {
    return { method: 'holt-winters', status: 'already-crossed', direction, threshold, now, currentTrendValue, at: now, inMs: 0, earliest: now, latest: now, level };
  }
  const far = direction === 'rising' ? f.upper : f.lower;
  const near = direction === 'rising' ? f.lower : f.upper;
  const first = (column: Float64Array): number | null => {
    for (let h = 0; h < column.length; h++) if (reached(column[h] as number)) return f.timestamps[h] as number;
    return null;
  };
  const at = first(f.mean);
  const earliest = first(far);
  const latest = first(near);
  return {
    method: 'holt-winters',
    status: at === null ? 'not-approaching' : 'crossing',
    direction,
    threshold,
    now,
    currentTrendValue,
    at,
    inMs: at === null ? null : at - now,
    earliest,
    latest: at === null ? null : latest,
    level,
  };
}

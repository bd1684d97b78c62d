import type { Series, TimeRange } from '@vigil/core';
import { ValidationError } from '@vigil/core';
import type { AnomalyExplanation, DetectionResult } from '@vigil/core/anomaly';
import { forecastTimeUntilThreshold } from '@vigil/core/forecast';
import type { HoltWintersForecast } from '@vigil/core/forecast';
import { normalCriticalValue } from '@vigil/core/stats';

/** A detection result as chart series: the values, the expected line, the band edges and the likelihood strip. */
export interface DetectionSeries {
  readonly values: Series;
  readonly expected: Series;
  readonly lower: Series;
  readonly upper: Series;
  readonly likelihood: Series;
}

/**
 * Wraps the columns of a `DetectionResult` as chart series (no copy). Before the detector has an expectation the
 * expected value is NaN, which the chart draws as a gap.
 *
 * @example
 * const { values, expected, lower, upper, likelihood } = detectionSeries(detectAnomalies(latency), 'p99');
 */
export function detectionSeries(result: DetectionResult, name: string): DetectionSeries {
  const { timestamps } = result;
  const make = (suffix: string, values: Float64Array): Series => ({ name: suffix === '' ? name : suffix, labels: {}, timestamps, values });
  return {
    values: make('', result.values),
    expected: make('expected', result.expected),
    lower: make('band low', result.lower),
    upper: make('band high', result.upper),
    likelihood: make('anomaly likelihood', result.likelihoods),
  };
}

/** Checks the shape of a precomputed `DetectionResult` (equal column lengths, anomalies array). */
export function validateDetectionResult(result: unknown, path = 'result'): asserts result is DetectionResult {
  if (result === null || typeof result !== 'object') throw new ValidationError(path, 'a DetectionResult object', result);
  const r = result as Partial<DetectionResult>;
  if (!(r.timestamps instanceof Float64Array)) throw new ValidationError(`${path}.timestamps`, 'a Float64Array', r.timestamps);
  const n = r.timestamps.length;
  for (const key of ['values', 'scores', 'likelihoods', 'expected', 'lower', 'upper'] as const) {
    const column = r[key];
    if (!(column instanceof Float64Array) || column.length !== n) throw new ValidationError(`${path}.${key}`, `a Float64Array of length ${n}`, column);
  }
  if (!(r.flags instanceof Uint8Array) || r.flags.length !== n) throw new ValidationError(`${path}.flags`, `a Uint8Array of length ${n}`, r.flags);
  if (!Array.isArray(r.anomalies)) throw new ValidationError(`${path}.anomalies`, 'an array of explanations', r.anomalies);
}

/** A flag drawn on the chart: the strongest anomaly of a few pixels, and how many it stands for. */
export interface VisibleFlag {
  readonly anomaly: AnomalyExplanation;
  /** Position of `anomaly` in `result.anomalies`. */
  readonly index: number;
  /** Anomalies merged into this flag (1 when alone). */
  readonly count: number;
}

/**
 * The flags to draw in a time window: anomalies inside `range`, merged per `bucketPx` pixels of `plotWidth` (the
 * one with the highest likelihood stands for its bucket; ties keep the earliest), at most `maxFlags` (the most
 * likely kept). So a series with thousands of flags still draws a bounded number of markers. Returned in time order.
 *
 * @example
 * visibleFlags(result.anomalies, { start, end }, 800) // [{ anomaly, index, count }, ...]
 */
export function visibleFlags(anomalies: readonly AnomalyExplanation[], range: TimeRange, plotWidth: number, bucketPx = 6, maxFlags = 200): VisibleFlag[] {
  const span = range.end - range.start;
  if (!(span > 0) || !(plotWidth > 0)) return [];
  const buckets = Math.max(1, Math.floor(plotWidth / Math.max(1, bucketPx)));
  const best = new Map<number, { index: number; count: number }>();
  for (let i = 0; i < anomalies.length; i++) {
    const a = anomalies[i] as AnomalyExplanation;
    if (!(a.timestamp >= range.start && a.timestamp <= range.end)) continue;
    const bucket = Math.min(buckets - 1, Math.floor(((a.timestamp - range.start) / span) * buckets));
    const held = best.get(bucket);
    if (held === undefined) best.set(bucket, { index: i, count: 1 });
    else {
      const current = anomalies[held.index] as AnomalyExplanation;
      best.set(bucket, { index: a.likelihood > current.likelihood ? i : held.index, count: held.count + 1 });
    }
  }
  let flags = [...best.values()].map(({ index, count }) => ({ anomaly: anomalies[index] as AnomalyExplanation, index, count }));
  if (flags.length > maxFlags) {
    flags = flags
      .sort((a, b) => b.anomaly.likelihood - a.anomaly.likelihood || a.index - b.index)
      .slice(0, maxFlags);
  }
  return flags.sort((a, b) => a.index - b.index);
}

/**
 * A duration in words at a sensible grain: "45 s", "12 min", "5 h", "9 days".
 *
 * @example
 * formatDuration(9 * 86_400_000) // "9 days"
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'never';
  const abs = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  if (abs < 60_000) return `${sign}${Math.round(abs / 1000)} s`;
  if (abs < 3_600_000) return `${sign}${Math.round(abs / 60_000)} min`;
  if (abs < 2 * 86_400_000) {
    const hours = Math.round(abs / 3_600_000);
    return `${sign}${hours} h`;
  }
  const days = Math.round(abs / 86_400_000);
  return `${sign}${days} day${days === 1 ? '' : 's'}`;
}

/**
 * A range of durations sharing one unit where possible: "9–14 days", "5–20 h", "3 h – 2 days".
 *
 * @example
 * formatDurationRange(9 * 86_400_000, 14 * 86_400_000) // "9–14 days"
 */
export function formatDurationRange(fromMs: number, toMs: number): string {
  const a = formatDuration(fromMs);
  const b = formatDuration(toMs);
  if (a === b) return a;
  const unitOf = (text: string) => text.replace(/^-?[\d.]+\s*/, '').replace(/^day$/, 'days');
  if (unitOf(a) === unitOf(b) && unitOf(a) !== 'never') return `${a.replace(/\s*\D+$/, '')}–${b}`;
  return `${a} – ${b}`;
}

/** A prediction interval of a forecast at one level. */
export interface ForecastInterval {
  readonly level: number;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/**
 * Prediction intervals at other levels from one Holt-Winters forecast: the half-width scales with the normal
 * critical value, z(level) / z(forecast.level) (the forecast's own interval is ±z·σ_h around the mean).
 *
 * @throws ValidationError for a level outside (0, 1).
 * @example
 * const [i80, i95] = forecastIntervals(holtWintersForecast(disk, { horizon: 96 }), [0.8, 0.95]);
 */
export function forecastIntervals(forecast: Pick<HoltWintersForecast, 'mean' | 'lower' | 'upper' | 'level'>, levels: readonly number[]): ForecastInterval[] {
  const base = normalCriticalValue(forecast.level);
  return levels.map((level, i) => {
    if (typeof level !== 'number' || !(level > 0 && level < 1)) throw new ValidationError(`levels[${i}]`, 'a number in (0, 1)', level);
    const ratio = normalCriticalValue(level) / base;
    const n = forecast.mean.length;
    const lower = new Float64Array(n);
    const upper = new Float64Array(n);
    for (let h = 0; h < n; h++) {
      const m = forecast.mean[h] as number;
      lower[h] = m - (m - (forecast.lower[h] as number)) * ratio;
      upper[h] = m + ((forecast.upper[h] as number) - m) * ratio;
    }
    return { level, lower, upper };
  });
}

/** Where a forecast first reaches a threshold: the mean (`at`), and the interval's far and near edges. */
export interface ForecastThresholdCrossing {
  readonly direction: 'rising' | 'falling';
  /** First forecast time where the mean reaches the threshold, or null. */
  readonly at: number | null;
  /** First time the far interval edge (upper when rising) reaches it: the earliest plausible crossing. */
  readonly earliest: number | null;
  /** First time the near interval edge reaches it: the latest plausible crossing, null when not within the forecast. */
  readonly latest: number | null;
  /** The last observed value is already past the threshold. */
  readonly alreadyCrossed: boolean;
}

/**
 * First crossings of a threshold by a forecast's mean and interval edges (what a ForecastChart marks). `rising`
 * (default): the threshold is a ceiling; `falling`: a floor. `alreadyCrossed` when the last observed value is at
 * or past it.
 *
 * @example
 * forecastThresholdCrossing(f.timestamps, f.mean, interval80, 90, lastValue) // { at, earliest, latest, ... }
 */
export function forecastThresholdCrossing(
  timestamps: ArrayLike<number>,
  mean: ArrayLike<number>,
  interval: { readonly lower: ArrayLike<number>; readonly upper: ArrayLike<number> },
  threshold: number,
  lastValue: number,
  direction: 'rising' | 'falling' = 'rising',
): ForecastThresholdCrossing {
  const sign = direction === 'rising' ? 1 : -1;
  const reached = (v: number) => sign * (v - threshold) >= 0;
  const first = (column: ArrayLike<number>): number | null => {
    for (let h = 0; h < column.length; h++) if (reached(column[h] as number)) return timestamps[h] as number;
    return null;
  };
  const alreadyCrossed = Number.isFinite(lastValue) && reached(lastValue);
  return {
    direction,
    at: first(mean),
    earliest: first(direction === 'rising' ? interval.upper : interval.lower),
    latest: first(direction === 'rising' ? interval.lower : interval.upper),
    alreadyCrossed,
  };
}

/** Last finite value of a series and its time, or undefined. */
export function lastFinite(series: Pick<Series, 'timestamps' | 'values'>): { time: number; value: number } | undefined {
  for (let i = series.values.length - 1; i >= 0; i--) {
    const v = series.values[i] as number;
    if (Number.isFinite(v)) return { time: series.timestamps[i] as number, value: v };
  }
  return undefined;
}

/** Number of finite values in a series. */
export function countFinite(values: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i] as number)) n++;
  return n;
}

/** What a CapacityPlanner shows: one of five states, with the numbers behind it. */
export type CapacityPlan =
  | {
      readonly status: 'crossing';
      /** Estimated crossing (epoch ms), and the interval's earliest and latest (null: possibly never). */
      readonly at: number;
      readonly earliest: number;
      readonly latest: number | null;
      readonly now: number;
      readonly level: number;
      readonly currentValue: number;
    }
  | { readonly status: 'beyond-horizon'; readonly now: number; readonly level: number; readonly currentValue: number; readonly at: number | null }
  | { readonly status: 'already-over'; readonly now: number; readonly currentValue: number }
  | { readonly status: 'not-enough-data'; readonly have: number; readonly need: number }
  | { readonly status: 'error'; readonly error: unknown };

/** Options of {@link planCapacity}. */
export interface CapacityPlanOptions {
  /** How far ahead counts, in ms. Default 30 days. */
  readonly horizonMs?: number;
  /** Confidence level of the interval, in (0, 1). Default 0.8. */
  readonly level?: number;
  /** `trend` (Theil–Sen, default) or `holt-winters` (seasonal, for data with a daily cycle). */
  readonly method?: 'trend' | 'holt-winters';
  /** `rising` (default): the limit is a ceiling; `falling`: a floor (free space, budget left). */
  readonly direction?: 'rising' | 'falling';
  /** Finite points needed before forecasting. Default 10. */
  readonly minPoints?: number;
  /** Count from this moment (epoch ms). Default: the last point with a value. */
  readonly now?: number;
}

/**
 * When a resource reaches its limit, as a CapacityPlanner state: `crossing` (with the interval), `beyond-horizon`
 * (not within `horizonMs`, or not approaching at all), `already-over`, `not-enough-data` or `error` (bad input or
 * a failed fit; never throws). Uses `forecastTimeUntilThreshold` from `@vigil/core/forecast`.
 *
 * @example
 * planCapacity(diskUsedPercent, 90, { level: 0.8 }) // { status: 'crossing', at, earliest, latest, ... }
 */
export function planCapacity(
  series: Pick<Series, 'timestamps' | 'values'> | null | undefined,
  limit: number,
  options: CapacityPlanOptions = {},
): CapacityPlan {
  try {
    if (typeof limit !== 'number' || !Number.isFinite(limit)) throw new ValidationError('limit', 'a finite number', limit);
    const need = options.minPoints ?? 10;
    if (!Number.isInteger(need) || need < 2) throw new ValidationError('minPoints', 'an integer >= 2', need);
    const horizonMs = options.horizonMs ?? 30 * 86_400_000;
    if (!(horizonMs > 0) || !Number.isFinite(horizonMs)) throw new ValidationError('horizonMs', 'a finite number > 0', horizonMs);
    if (series === null || series === undefined) return { status: 'not-enough-data', have: 0, need };
    const have = countFinite(series.values);
    const last = lastFinite(series);
    if (have < need || last === undefined) return { status: 'not-enough-data', have, need };
    const direction = options.direction ?? 'rising';
    const level = options.level ?? 0.8;
    const result = forecastTimeUntilThreshold(series, limit, {
      direction,
      level,
      method: options.method ?? 'trend',
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.method === 'holt-winters' ? { maxHorizon: Math.min(10_000, Math.max(1, Math.ceil(horizonMs / medianStep(series.timestamps)) + 1)) } : {}),
    });
    const over = direction === 'rising' ? last.value >= limit : last.value <= limit;
    if (over || result.status === 'already-crossed') return { status: 'already-over', now: result.now, currentValue: last.value };
    if (result.status !== 'crossing' || result.at === null || result.at - result.now > horizonMs) {
      return { status: 'beyond-horizon', now: result.now, level: result.level, currentValue: last.value, at: result.at };
    }
    return { status: 'crossing', at: result.at, earliest: result.earliest ?? result.now, latest: result.latest, now: result.now, level: result.level, currentValue: last.value };
  } catch (error) {
    return { status: 'error', error };
  }
}

/** Median spacing of ascending timestamps (1 when fewer than two). */
export function medianStep(timestamps: ArrayLike<number>): number {
  const diffs: number[] = [];
  for (let i = 1; i < timestamps.length; i++) diffs.push((timestamps[i] as number) - (timestamps[i - 1] as number));
  diffs.sort((a, b) => a - b);
  const m = diffs[diffs.length >> 1];
  return m !== undefined && m > 0 ? m : 1;
}

import { ValidationError } from '../errors';
import { validateSeries } from '../series/create';
import type { Series } from '../series/types';
import { fitHoltWinters, holtWintersPredict } from '../stats/holt-winters';
import type { HoltWintersParameters, HoltWintersState, Seasonality } from '../stats/holt-winters';
import { normalCriticalValue } from '../stats/normal';
import { detectPeriod } from '../stats/periodicity';

export interface HoltWintersForecastOptions {
  /** Points to forecast after the last one, >= 1. */
  readonly horizon: number;
  /** Season length in points, or `auto` (autocorrelation), or 0 for none. Default `auto`. */
  readonly period?: number | 'auto';
  /** Default `auto`: the better fit of additive and multiplicative (positive data only), or none without a period. */
  readonly seasonality?: Seasonality | 'auto';
  /** Central probability of the prediction interval, in (0, 1). Default 0.95. */
  readonly level?: number;
  /** Trend damping φ in (0, 1]. Default 1 (linear trend). */
  readonly damping?: number;
  /** Spacing of the forecast timestamps in ms. Default: the median interval of the series. */
  readonly stepMs?: number;
  /** Largest period the autocorrelation search considers. Default: a third of the series. */
  readonly maxPeriod?: number;
}

/** A forecast: future timestamps with the point forecast and its prediction interval. */
export interface HoltWintersForecast {
  readonly timestamps: Float64Array;
  readonly mean: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly level: number;
  /** The fitted model: smoothing parameters, period (1 and seasonality `none` without a season). */
  readonly parameters: HoltWintersParameters;
  /** RMS of the one-step-ahead errors in the fit. */
  readonly residualStandardDeviation: number;
  /** One-step-ahead in-sample forecasts, aligned with the input. */
  readonly fitted: Float64Array;
  /** Model state after the last observation. */
  readonly state: HoltWintersState;
  readonly stepMs: number;
}

/**
 * Holt-Winters forecast with prediction intervals. The period is found by autocorrelation unless given, the
 * smoothing parameters by least squares on one-step-ahead errors (see `fitHoltWinters` in `@vigil/core/stats`),
 * and the interval at horizon h is ±z·σ·√(1 + Σc_j²) (Hyndman et al.'s class-1 variance; for multiplicative
 * seasonality σ is relative to the forecast, an approximation). NaN values are gaps; the series is treated as
 * evenly spaced (resample irregular data first).
 *
 * @throws ValidationError for a malformed series, too few points for the model, or bad options.
 * @example
 * const f = holtWintersForecast(requestsPerMinute, { horizon: 60 });
 * f.mean[59]; // the forecast an hour ahead
 * f.upper[59]; // its 95% upper bound
 */
export function holtWintersForecast(series: Pick<Series, 'timestamps' | 'values'>, options: HoltWintersForecastOptions): HoltWintersForecast {
  validateSeries({ labels: {}, ...series } as Series);
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an options object with horizon', options);
  const { horizon } = options;
  if (typeof horizon !== 'number' || !Number.isInteger(horizon) || horizon < 1 || horizon > 10_000_000) throw new ValidationError('options.horizon', 'an integer in [1, 10000000]', horizon);
  const level = options.level ?? 0.95;
  const z = normalCriticalValue(level);
  const { timestamps, values } = series;
  if (values.length < 3) throw new ValidationError('series.values', 'at least 3 points', values);
  let stepMs = options.stepMs;
  if (stepMs === undefined) {
    const diffs: number[] = [];
    for (let i = 1; i < timestamps.length; i++) diffs.push((timestamps[i] as number) - (timestamps[i - 1] as number));
    diffs.sort((a, b) => a - b);
    stepMs = diffs[diffs.length >> 1] ?? 0;
  }
  if (typeof stepMs !== 'number' || !Number.isFinite(stepMs) || stepMs < 0) throw new ValidationError('options.stepMs', 'a finite number >= 0', stepMs);

  const periodOption = options.period ?? 'auto';
  let period: number;
  if (periodOption === 'auto') {
    const maxPeriod = options.maxPeriod ?? Math.floor(values.length / 3);
    period = values.length >= 8 ? detectPeriod(values, { maxPeriod: Math.max(0, Math.min(maxPeriod, Math.floor(values.length / 3))) }).period : 0;
  } else {
    if (typeof periodOption !== 'number' || !Number.isInteger(periodOption) || periodOption < 0 || periodOption === 1) {
      throw new ValidationError('options.period', "'auto', 0 or an integer >= 2", periodOption);
    }
    period = periodOption;
  }
  const seasonalityOption = options.seasonality ?? 'auto';
  if (!['auto', 'additive', 'multiplicative', 'none'].includes(seasonalityOption)) {
    throw new ValidationError('options.seasonality', "'auto', 'additive', 'multiplicative' or 'none'", seasonalityOption);
  }
  let candidates: Seasonality[];
  if (period < 2 || seasonalityOption === 'none') candidates = ['none'];
  else if (seasonalityOption === 'auto') {
    let positive = true;
    for (const v of values) if (v <= 0) positive = false;
    candidates = positive ? ['additive', 'multiplicative'] : ['additive'];
  } else candidates = [seasonalityOption];
  if (candidates[0] !== 'none' && values.length < 2 * period) throw new ValidationError('series.values', `at least two seasons (${2 * period} points) for period ${period}`, values);

  let fit: ReturnType<typeof fitHoltWinters> | null = null;
  for (const seasonality of candidates) {
    const candidate = fitHoltWinters(values, { period: Math.max(2, period), seasonality, ...(options.damping !== undefined ? { damping: options.damping } : {}) });
    if (fit === null || candidate.residualStandardDeviation < fit.residualStandardDeviation) fit = candidate;
  }
  const model = fit as NonNullable<typeof fit>;
  const p = model.parameters;
  const mean = new Float64Array(horizon);
  const lower = new Float64Array(horizon);
  const upper = new Float64Array(horizon);
  const future = new Float64Array(horizon);
  const last = timestamps[timestamps.length - 1] as number;
  // Incremental variance factor: 1 + Σ_{j<h} c_j².
  let factor = 1;
  let phiSum = 0;
  let phiPower = 1;
  for (let h = 1; h <= horizon; h++) {
    if (h > 1) {
      const j = h - 1;
      phiPower *= p.damping;
      phiSum += phiPower;
      const c = p.alpha * (1 + p.beta * phiSum) + (p.seasonality !== 'none' && j % p.period === 0 ? p.gamma * (1 - p.alpha) : 0);
      factor += c * c;
    }
    const m = holtWintersPredict(model.state, p, h);
    const sd = p.seasonality === 'multiplicative' ? Math.abs(m) * model.relativeResidualStandardDeviation * Math.sqrt(factor) : model.residualStandardDeviation * Math.sqrt(factor);
    mean[h - 1] = m;
    lower[h - 1] = m - z * sd;
    upper[h - 1] = m + z * sd;
    future[h - 1] = last + h * stepMs;
  }
  return { timestamps: future, mean, lower, upper, level, parameters: p, residualStandardDeviation: model.residualStandardDeviation, fitted: model.fitted, state: model.state, stepMs };
}


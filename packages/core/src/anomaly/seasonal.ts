import { ValidationError } from '../errors';
import { fitHoltWinters, holtWintersPredict, holtWintersUpdate, validateHoltWintersParameters } from '../stats/holt-winters';
import type { HoltWintersParameters, HoltWintersState, Seasonality } from '../stats/holt-winters';
import { detectPeriod } from '../stats/periodicity';
import {
  asRecord,
  BaseDetector,
  formatNumber,
  integerOption,
  jsonArray,
  jsonNumber,
  numberOption,
  openSnapshot,
  optionsRecord,
  readFloatArray,
  readInteger,
  readNumber,
  readNumberOrNull,
  scaleFloor,
} from './base';
import { EwmaDetector } from './ewma';
import type { DetectorSnapshot } from './types';

export interface SeasonalOptions {
  /** Season length in points; omit to detect it by autocorrelation at the end of the warm-up. */
  readonly period?: number;
  /** Default `auto`: the better of additive and multiplicative on the warm-up data (multiplicative needs positive data). */
  readonly seasonality?: 'additive' | 'multiplicative' | 'auto';
  /** Longest period the autocorrelation search considers, in points. Default 200. */
  readonly maxPeriod?: number;
  /** Points buffered before the model is fitted. Default 3·maxPeriod (or 3·period), at least 50. */
  readonly warmup?: number;
  /** Flag when |value - forecast| / σ reaches this. Default 4. */
  readonly threshold?: number;
  /** Weight of each new error in the exponentially weighted error variance. Default 0.02. */
  readonly errorAlpha?: number;
  /** Errors beyond this many σ are clipped before they update the model (robust Holt-Winters). Default 3. */
  readonly huber?: number;
  /** Fixed smoothing parameters; by default they are fitted by least squares on the warm-up data. */
  readonly alpha?: number;
  readonly beta?: number;
  readonly gamma?: number;
  /** σ never drops below this (absolute units). Default 0. */
  readonly minStandardDeviation?: number;
}

const MAX_BRIDGED_STEPS = 100_000;

/**
 * Seasonal anomaly detector: a Holt-Winters model (additive or multiplicative seasonality, linear trend) forecasts
 * each point one step ahead, and the score is the forecast error in units of the exponentially weighted error σ.
 *
 * Warm-up: the first `warmup` points are buffered (an {@link EwmaDetector} scores them meanwhile); then the period
 * is detected by autocorrelation (unless given), the smoothing parameters are fitted by least squares, and the model
 * replays the buffer. Without a detectable period it becomes Holt's linear-trend model. Memory is bounded by the
 * warm-up buffer and one season.
 *
 * Robust updates: errors beyond `huber`·σ are clipped before they reach the model, so a spike does not bend the
 * forecast (a level shift is still absorbed, over a few points). Time gaps advance the model along its forecast
 * (one step per missing slot; the step is the mean non-gap interval of the warm-up), so the season stays aligned;
 * jitter within half a step is not a gap.
 *
 * @example
 * const d = new SeasonalDetector({ period: 24 });
 * for (let i = 0; i < 24 * 10; i++) d.update(i * 3_600_000, 100 + 20 * Math.sin((2 * Math.PI * i) / 24));
 * d.update(240 * 3_600_000, 160); // far above the seasonal forecast of about 100
 * d.explain().reason; // "value 160 is …σ above the seasonal forecast 100 (period 24, additive; band …)"
 */
export class SeasonalDetector extends BaseDetector {
  readonly kind = 'seasonal' as const;
  readonly threshold: number;
  readonly options: Readonly<Record<string, unknown>>;
  private readonly fixedPeriod: number | undefined;
  private readonly seasonalityOption: 'additive' | 'multiplicative' | 'auto';
  private readonly maxPeriod: number;
  private readonly warmup: number;
  private readonly errorAlpha: number;
  private readonly huber: number;
  private readonly minStandardDeviation: number;
  private fallback: EwmaDetector;
  private buffer: number[] = [];
  private bufferTimes: number[] = [];
  /** Present (non-NaN) values in the buffer. */
  private present = 0;
  /** Null until the warm-up ends. */
  private model: { parameters: HoltWintersParameters; state: HoltWintersState; variance: number; stepMs: number; previousTimestamp: number } | null = null;

  constructor(options: SeasonalOptions = {}) {
    super();
    const o = optionsRecord(options);
    this.options = { ...o };
    this.threshold = numberOption(o.threshold, 'options.threshold', 4, 0, 1e6, true);
    this.fixedPeriod = o.period === undefined ? undefined : integerOption(o.period, 'options.period', 0, 2, 100_000);
    const seasonality = o.seasonality ?? 'auto';
    if (seasonality !== 'additive' && seasonality !== 'multiplicative' && seasonality !== 'auto') {
      throw new ValidationError('options.seasonality', "'additive', 'multiplicative' or 'auto'", seasonality);
    }
    this.seasonalityOption = seasonality;
    this.maxPeriod = integerOption(o.maxPeriod, 'options.maxPeriod', 200, 2, 100_000);
    const longest = this.fixedPeriod ?? this.maxPeriod;
    this.warmup = integerOption(o.warmup, 'options.warmup', Math.max(50, 3 * longest), Math.max(10, 2 * (this.fixedPeriod ?? 2)), 1_000_000);
    this.errorAlpha = numberOption(o.errorAlpha, 'options.errorAlpha', 0.02, 0, 1, true);
    this.huber = numberOption(o.huber, 'options.huber', 3, 0, 1e6, true);
    this.minStandardDeviation = numberOption(o.minStandardDeviation, 'options.minStandardDeviation', 0, 0, 1e300);
    for (const key of ['alpha', 'beta', 'gamma'] as const) if (o[key] !== undefined) numberOption(o[key], `options.${key}`, 0, 0, 1);
    this.fallback = new EwmaDetector({ threshold: this.threshold, alpha: 0.05 });
  }

  /** The model in use after warm-up: period (0 when none was found), seasonality and smoothing parameters. */
  get parameters(): HoltWintersParameters | null {
    return this.model?.parameters ?? null;
  }

  protected observe(timestamp: number, value: number): void {
    const model = this.model;
    if (model === null) {
      this.fallback.update(timestamp, value);
      this.score = this.fallback.score;
      this.isAnomaly = this.fallback.isAnomaly;
      this.expected = this.fallback.expected;
      this.lower = this.fallback.lower;
      this.upper = this.fallback.upper;
      this.bufferPush(timestamp, value);
      this.present++;
      if (this.present >= this.warmup) this.fit();
      return;
    }
    this.bridge(timestamp);
    const forecast = holtWintersPredict(model.state, model.parameters, 1);
    const sigma = Math.max(Math.sqrt(model.variance), scaleFloor(forecast, this.minStandardDeviation));
    const error = value - forecast;
    this.expected = forecast;
    this.lower = forecast - this.threshold * sigma;
    this.upper = forecast + this.threshold * sigma;
    const z = Math.abs(error) / sigma;
    this.score = z;
    this.isAnomaly = z >= this.threshold;
    // Robust update: clip the error the model learns from, and the one the variance learns from.
    const limit = this.huber * sigma;
    const clipped = error > limit ? limit : error < -limit ? -limit : error;
    holtWintersUpdate(model.state, model.parameters, forecast + clipped);
    const varianceLimit = 2 * limit;
    const e2 = error > varianceLimit || error < -varianceLimit ? varianceLimit * varianceLimit : error * error;
    model.variance = (1 - this.errorAlpha) * model.variance + this.errorAlpha * e2;
    if (!Number.isFinite(model.state.level) || !Number.isFinite(model.state.trend) || !Number.isFinite(model.variance)) this.restartWarmup();
  }

  protected skip(timestamp: number): void {
    const model = this.model;
    if (model === null) {
      this.fallback.update(timestamp, NaN);
      this.bufferPush(timestamp, NaN);
      this.expected = this.fallback.expected;
      this.lower = this.fallback.lower;
      this.upper = this.fallback.upper;
      return;
    }
    this.bridge(timestamp);
    const forecast = holtWintersPredict(model.state, model.parameters, 1);
    const sigma = Math.max(Math.sqrt(model.variance), scaleFloor(forecast, this.minStandardDeviation));
    this.expected = forecast;
    this.lower = forecast - this.threshold * sigma;
    this.upper = forecast + this.threshold * sigma;
    holtWintersUpdate(model.state, model.parameters, NaN);
  }

  /**
   * Advances the model over missing steps. A nominal clock (last slot time + step) absorbs jitter: the number of
   * slots elapsed is round((t - lastSlot) / step), so irregular timestamps do not read as gaps, and the clock is
   * re-anchored when the data drifts more than one step away from it.
   */
  private bridge(timestamp: number): void {
    const model = this.model as NonNullable<SeasonalDetector['model']>;
    const step = model.stepMs;
    if (!(step > 0)) {
      model.previousTimestamp = timestamp;
      return;
    }
    const slots = Math.round((timestamp - model.previousTimestamp) / step);
    let missing = slots - 1;
    model.previousTimestamp += Math.max(slots, 1) * step;
    if (Math.abs(timestamp - model.previousTimestamp) > step) model.previousTimestamp = timestamp;
    if (missing <= 0) return;
    if (missing > MAX_BRIDGED_STEPS) {
      // A very long outage: keep the level, realign the season only.
      const period = model.state.season.length;
      model.state.position = (model.state.position + (missing % period)) % period;
      missing = 0;
    }
    for (let i = 0; i < missing; i++) holtWintersUpdate(model.state, model.parameters, NaN);
  }

  /** Warm-up buffer in arrival order, missing values included (as NaN) so the season stays aligned; bounded. */
  private bufferPush(timestamp: number, value: number): void {
    this.buffer.push(value);
    this.bufferTimes.push(timestamp);
    if (this.buffer.length > 4 * this.warmup) {
      const dropped = this.buffer.shift() as number;
      this.bufferTimes.shift();
      if (dropped === dropped) this.present--;
    }
  }

  private restartWarmup(): void {
    this.present = 0;
    this.model = null;
    this.buffer = [];
    this.bufferTimes = [];
    this.fallback.reset();
  }

  private fit(): void {
    const values = this.buffer;
    const detected = this.fixedPeriod ?? detectPeriod(values, { maxPeriod: Math.min(this.maxPeriod, Math.floor(values.length / 3)) }).period;
    // The autocorrelation peak of a noisy season can sit a point or two off; the lags around it compete on fit.
    const candidates = this.fixedPeriod !== undefined || detected < 2 ? [detected] : [detected - 2, detected - 1, detected, detected + 1, detected + 2].filter((p) => p >= 2 && 2 * p <= values.length);
    // Screen the candidates with one fixed, middling parameter set (one pass each), then fit the winner fully.
    let period = candidates[0] as number;
    if (candidates.length > 1) {
      let bestError = Infinity;
      for (const candidate of candidates) {
        const error = fitHoltWinters(values, { period: candidate, seasonality: 'additive', alpha: 0.2, beta: 0.01, gamma: 0.2 }).residualStandardDeviation;
        if (error < bestError) {
          bestError = error;
          period = candidate;
        }
      }
    }
    this.install(this.fitPeriod(values, period));
  }

  private fitPeriod(values: number[], period: number): ReturnType<typeof fitHoltWinters> {
    const seasonalities: Seasonality[] = [];
    let positive = true;
    for (const v of values) if (v <= 0) positive = false;
    if (period < 2) seasonalities.push('none');
    else if (this.seasonalityOption === 'auto') {
      seasonalities.push('additive');
      if (positive) seasonalities.push('multiplicative');
    } else if (this.seasonalityOption === 'multiplicative' && !positive) seasonalities.push('additive');
    else seasonalities.push(this.seasonalityOption);
    const o = this.options;
    let best: ReturnType<typeof fitHoltWinters> | null = null;
    for (const seasonality of seasonalities) {
      const fit = fitHoltWinters(values, {
        period: Math.max(period, 2),
        seasonality,
        ...(o.alpha !== undefined ? { alpha: o.alpha as number } : {}),
        ...(o.beta !== undefined ? { beta: o.beta as number } : {}),
        ...(o.gamma !== undefined ? { gamma: o.gamma as number } : {}),
      });
      if (best === null || fit.residualStandardDeviation < best.residualStandardDeviation) best = fit;
    }
    return best as NonNullable<typeof best>;
  }

  private install(chosen: ReturnType<typeof fitHoltWinters>): void {
    const diffs: number[] = [];
    for (let i = 1; i < this.bufferTimes.length; i++) diffs.push((this.bufferTimes[i] as number) - (this.bufferTimes[i - 1] as number));
    diffs.sort((a, b) => a - b);
    // The step: the mean of the intervals that are not gaps (below 1.5 × the median), so one-sided jitter
    // averages out and outages do not stretch it.
    const medianStep = diffs.length > 0 ? (diffs[diffs.length >> 1] as number) : 0;
    let sum = 0;
    let count = 0;
    for (const d of diffs) {
      if (d < 1.5 * medianStep) {
        sum += d;
        count++;
      }
    }
    const stepMs = count > 0 ? sum / count : medianStep;
    const sigma = chosen.residualStandardDeviation;
    this.model = {
      parameters: chosen.parameters,
      state: chosen.state,
      variance: sigma * sigma,
      stepMs,
      previousTimestamp: this.bufferTimes[this.bufferTimes.length - 1] as number,
    };
    this.buffer = [];
    this.bufferTimes = [];
    this.present = 0;
  }

  protected describe(): string {
    const model = this.model;
    if (model === null) return `warming up (${this.buffer.length} of ${this.warmup} points), scored by EWMA: ${this.fallback.explain().reason}`;
    const side = this.lastValue >= this.expected ? 'above' : 'below';
    const p = model.parameters;
    const what = p.seasonality === 'none' ? 'trend forecast' : 'seasonal forecast';
    const how = p.seasonality === 'none' ? 'no seasonality found' : `period ${p.period}, ${p.seasonality}`;
    return `value ${formatNumber(this.lastValue)} is ${formatNumber(this.score)}σ ${side} the ${what} ${formatNumber(this.expected)} (${how}; band ${formatNumber(this.lower)} – ${formatNumber(this.upper)})`;
  }

  reset(): void {
    this.resetBase();
    this.restartWarmup();
  }

  snapshot(): DetectorSnapshot {
    const model = this.model;
    return {
      kind: this.kind,
      version: 1,
      options: { ...this.options },
      state: {
        ...this.baseState(),
        fallback: this.fallback.snapshot(),
        buffer: jsonArray(this.buffer),
        bufferTimes: jsonArray(this.bufferTimes),
        model:
          model === null
            ? null
            : {
                parameters: { ...model.parameters },
                level: model.state.level,
                trend: model.state.trend,
                season: jsonArray(model.state.season),
                position: model.state.position,
                variance: model.variance,
                stepMs: model.stepMs,
                previousTimestamp: jsonNumber(model.previousTimestamp),
              },
      },
    };
  }

  /**
   * Rebuilds a detector from {@link SeasonalDetector.snapshot} output.
   *
   * @throws ValidationError when the snapshot is malformed.
   */
  static restore(snapshot: unknown): SeasonalDetector {
    const { options, state } = openSnapshot(snapshot, 'seasonal');
    const d = new SeasonalDetector(options as SeasonalOptions);
    const path = 'snapshot.state';
    d.restoreBase(state, path);
    d.fallback = EwmaDetector.restore(state.fallback);
    const rawBuffer = state.buffer;
    const rawTimes = state.bufferTimes;
    if (!Array.isArray(rawBuffer) || rawBuffer.length > 4 * d.warmup) throw new ValidationError(`${path}.buffer`, `an array of at most ${4 * d.warmup} numbers`, rawBuffer);
    if (!Array.isArray(rawTimes) || rawTimes.length !== rawBuffer.length) throw new ValidationError(`${path}.bufferTimes`, `an array of ${rawBuffer.length} numbers`, rawTimes);
    d.buffer = Array.from(readFloatArray(state, 'buffer', path, rawBuffer.length, true));
    d.bufferTimes = Array.from(readFloatArray(state, 'bufferTimes', path, rawTimes.length));
    d.present = d.buffer.reduce((n, v) => (v === v ? n + 1 : n), 0);
    if (d.present >= d.warmup) throw new ValidationError(`${path}.buffer`, `fewer than ${d.warmup} values (the warm-up ends there)`, rawBuffer);
    if (state.model === null) {
      d.model = null;
      return d;
    }
    const m = asRecord(state.model, `${path}.model`);
    const p = asRecord(m.parameters, `${path}.model.parameters`) as unknown as HoltWintersParameters;
    validateHoltWintersParameters(p, `${path}.model.parameters`);
    const seasonLength = p.seasonality === 'none' ? 1 : p.period;
    const season = readFloatArray(m, 'season', `${path}.model`, seasonLength);
    d.model = {
      parameters: { alpha: p.alpha, beta: p.beta, gamma: p.gamma, damping: p.damping, period: p.period, seasonality: p.seasonality },
      state: {
        level: readNumber(m, 'level', `${path}.model`),
        trend: readNumber(m, 'trend', `${path}.model`),
        season,
        position: readInteger(m, 'position', `${path}.model`, 0, seasonLength - 1),
      },
      variance: readNumber(m, 'variance', `${path}.model`),
      stepMs: readNumber(m, 'stepMs', `${path}.model`),
      previousTimestamp: readNumberOrNull(m, 'previousTimestamp', `${path}.model`, -Infinity),
    };
    if (d.model.variance < 0) throw new ValidationError(`${path}.model.variance`, 'a number >= 0', d.model.variance);
    return d;
  }
}

import { assertInteger, assertNumericArray, ValidationError } from '../errors';

/**
 * Holt-Winters exponential smoothing (level, trend and a seasonal profile), the shared numeric core of the
 * forecasting engine and of the seasonal anomaly detector. The smoothing parameters are the classical ones, each in
 * [0, 1]: `alpha` for the level, `beta` for the trend (applied to the change in level), `gamma` for the season, and
 * an optional trend `damping` φ in (0, 1].
 *
 * Additive: ŷ = ℓ + φb + s. Multiplicative: ŷ = (ℓ + φb)·s (only for positive data).
 */

/** How the seasonal profile combines with the level. `none` is Holt's linear trend method. */
export type Seasonality = 'additive' | 'multiplicative' | 'none';

export interface HoltWintersParameters {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  /** Trend damping φ in (0, 1]; 1 is an undamped linear trend. */
  readonly damping: number;
  /** Season length in points (ignored, and 1, when seasonality is `none`). */
  readonly period: number;
  readonly seasonality: Seasonality;
}

/** The mutable state of a Holt-Winters model. `season[position]` is the seasonal term of the next point. */
export interface HoltWintersState {
  level: number;
  trend: number;
  season: Float64Array;
  position: number;
}

const TINY = 1e-12;

/**
 * Validates a parameter set.
 *
 * @throws ValidationError naming the bad field.
 */
export function validateHoltWintersParameters(p: HoltWintersParameters, path = 'parameters'): void {
  if (p === null || typeof p !== 'object') throw new ValidationError(path, 'a Holt-Winters parameter object', p);
  for (const key of ['alpha', 'beta', 'gamma'] as const) {
    const v = p[key];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new ValidationError(`${path}.${key}`, 'a number in [0, 1]', v);
  }
  if (typeof p.damping !== 'number' || !(p.damping > 0 && p.damping <= 1)) throw new ValidationError(`${path}.damping`, 'a number in (0, 1]', p.damping);
  if (p.seasonality !== 'additive' && p.seasonality !== 'multiplicative' && p.seasonality !== 'none') {
    throw new ValidationError(`${path}.seasonality`, "'additive', 'multiplicative' or 'none'", p.seasonality);
  }
  if (p.seasonality !== 'none') assertInteger(p.period, `${path}.period`, 2, 1_000_000);
}

/**
 * Initial state from the start of a series: the level is the mean of the first season, the trend the change
 * between the means of the first two seasons per point (0 with fewer than two), and the seasonal profile the
 * average deviation (additive) or ratio (multiplicative) from each season's mean. NaN values are skipped.
 * Without seasonality, the level is the first value and the trend the mean step over the first ten values. The state
 * describes the moment before the first value, so feeding the series from its start gives a forecast for each point.
 *
 * @example
 * const s = initializeHoltWinters([1, 3, 1, 3, 2, 4, 2, 4], 2, 'additive');
 * s.season; // Float64Array [-1, 1]
 */
export function initializeHoltWinters(values: ArrayLike<number>, period: number, seasonality: Seasonality): HoltWintersState {
  const n = values.length;
  if (seasonality === 'none' || period < 2) {
    let first = NaN;
    let firstIndex = -1;
    let last = NaN;
    let lastIndex = -1;
    for (let i = 0; i < Math.min(n, 10); i++) {
      const v = values[i] as number;
      if (v !== v) continue;
      if (firstIndex < 0) {
        first = v;
        firstIndex = i;
      }
      last = v;
      lastIndex = i;
    }
    const trend = lastIndex > firstIndex ? (last - first) / (lastIndex - firstIndex) : 0;
    // The state describes time -1, one step before the first value.
    const level = first === first ? first - trend * (firstIndex + 1) : 0;
    return { level, trend, season: new Float64Array(1).fill(seasonality === 'multiplicative' ? 1 : 0), position: 0 };
  }
  const cycles = Math.max(1, Math.min(Math.floor(n / period), 2));
  const cycleMeans = new Float64Array(cycles);
  for (let c = 0; c < cycles; c++) {
    let sum = 0;
    let count = 0;
    for (let i = c * period; i < (c + 1) * period && i < n; i++) {
      const v = values[i] as number;
      if (v === v) {
        sum += v;
        count++;
      }
    }
    cycleMeans[c] = count > 0 ? sum / count : NaN;
  }
  const season = new Float64Array(period);
  const seasonCounts = new Float64Array(period);
  for (let c = 0; c < cycles; c++) {
    const mean = cycleMeans[c] as number;
    if (mean !== mean) continue;
    for (let j = 0; j < period; j++) {
      const v = values[c * period + j] as number;
      if (v !== v || c * period + j >= n) continue;
      if (seasonality === 'multiplicative') {
        if (Math.abs(mean) < TINY) continue;
        season[j] = (season[j] as number) + v / mean;
      } else season[j] = (season[j] as number) + (v - mean);
      seasonCounts[j] = (seasonCounts[j] as number) + 1;
    }
  }
  for (let j = 0; j < period; j++) {
    const count = seasonCounts[j] as number;
    season[j] = count > 0 ? (season[j] as number) / count : seasonality === 'multiplicative' ? 1 : 0;
  }
  const m0 = cycleMeans[0] as number;
  const m1 = cycles > 1 ? (cycleMeans[1] as number) : NaN;
  const level = m0 === m0 ? m0 : m1 === m1 ? m1 : 0;
  const trend = m0 === m0 && m1 === m1 ? (m1 - m0) / period : 0;
  // The season mean sits at the centre of the first season, (period - 1) / 2; the state describes time -1, the
  // point before the first value, so that the first forecast is for index 0.
  return { level: level - (trend * (period + 1)) / 2, trend, season, position: 0 };
}

/**
 * The h-step-ahead point forecast (h >= 1) from a state, without changing it.
 *
 * @example
 * const p = { alpha: 0.5, beta: 0.1, gamma: 0.1, damping: 1, period: 2, seasonality: 'additive' } as const;
 * holtWintersPredict({ level: 10, trend: 1, season: Float64Array.of(-1, 1), position: 0 }, p, 1); // 10
 */
export function holtWintersPredict(state: HoltWintersState, p: HoltWintersParameters, h: number): number {
  const phi = p.damping;
  let trendSum: number;
  if (phi === 1) trendSum = h;
  else trendSum = (phi * (1 - Math.pow(phi, h))) / (1 - phi);
  const base = state.level + trendSum * state.trend;
  if (p.seasonality === 'none') return base;
  const s = state.season[(state.position + h - 1) % state.season.length] as number;
  return p.seasonality === 'additive' ? base + s : base * s;
}

/**
 * Feeds one observation: returns the one-step forecast made before seeing it, and updates the state. A NaN
 * observation advances the state along its forecast without learning anything (a gap), and returns that forecast.
 *
 * @example
 * const p = { alpha: 0.5, beta: 0, gamma: 0, damping: 1, period: 1, seasonality: 'none' } as const;
 * const s = { level: 10, trend: 0, season: Float64Array.of(0), position: 0 };
 * holtWintersUpdate(s, p, 12); // 10 (the forecast); s.level is now 11
 */
export function holtWintersUpdate(state: HoltWintersState, p: HoltWintersParameters, value: number): number {
  const phi = p.damping;
  const level = state.level;
  const trend = state.trend;
  const seasonal = p.seasonality !== 'none';
  const pos = state.position;
  const s = seasonal ? (state.season[pos] as number) : 0;
  const base = level + phi * trend;
  const forecast = !seasonal ? base : p.seasonality === 'additive' ? base + s : base * s;
  if (value !== value) {
    state.level = base;
    state.trend = phi * trend;
  } else if (p.seasonality === 'multiplicative') {
    const deseasonalised = Math.abs(s) > TINY ? value / s : value;
    const newLevel = p.alpha * deseasonalised + (1 - p.alpha) * base;
    state.trend = p.beta * (newLevel - level) + (1 - p.beta) * phi * trend;
    state.level = newLevel;
    if (Math.abs(newLevel) > TINY) state.season[pos] = p.gamma * (value / newLevel) + (1 - p.gamma) * s;
  } else {
    const newLevel = p.alpha * (value - s) + (1 - p.alpha) * base;
    state.trend = p.beta * (newLevel - level) + (1 - p.beta) * phi * trend;
    state.level = newLevel;
    if (seasonal) state.season[pos] = p.gamma * (value - newLevel) + (1 - p.gamma) * s;
  }
  if (seasonal) state.position = pos + 1 === state.season.length ? 0 : pos + 1;
  return forecast;
}

/**
 * The factor by which the one-step error variance grows at horizon h, for the additive model in its
 * error-correction form (Hyndman et al., "Forecasting with Exponential Smoothing", class 1):
 * 1 + Σ_{j=1}^{h-1} c_j², with c_j = α(1 + β·(φ + … + φ^j)) + γ(1 - α)·[j mod m = 0].
 *
 * @example
 * const p = { alpha: 0.5, beta: 0, gamma: 0, damping: 1, period: 1, seasonality: 'none' } as const;
 * forecastVarianceFactor(p, 3); // 1 + 0.25 + 0.25 = 1.5
 */
export function forecastVarianceFactor(p: HoltWintersParameters, h: number): number {
  let factor = 1;
  let phiSum = 0;
  let phiPower = 1;
  const seasonal = p.seasonality !== 'none';
  for (let j = 1; j < h; j++) {
    phiPower *= p.damping;
    phiSum += phiPower;
    const c = p.alpha * (1 + p.beta * phiSum) + (seasonal && j % p.period === 0 ? p.gamma * (1 - p.alpha) : 0);
    factor += c * c;
  }
  return factor;
}

export interface FitHoltWintersOptions {
  /** Season length in points; ignored when seasonality is `none`. */
  readonly period: number;
  readonly seasonality: Seasonality;
  /** Fix any parameter instead of searching for it. */
  readonly alpha?: number;
  readonly beta?: number;
  readonly gamma?: number;
  /** Trend damping φ in (0, 1]. Default 1 (not searched). */
  readonly damping?: number;
}

/** A fitted model. */
export interface HoltWintersFit {
  readonly parameters: HoltWintersParameters;
  /** State after the last value: ready to forecast the next point. */
  readonly state: HoltWintersState;
  /** Root mean square of the one-step-ahead errors after the first season. */
  readonly residualStandardDeviation: number;
  /** Root mean square of the one-step errors relative to the forecast (used by multiplicative intervals). */
  readonly relativeResidualStandardDeviation: number;
  /** One-step-ahead forecasts for every input point (the first season echoes the initial state). */
  readonly fitted: Float64Array;
  /** Values that entered the error sums. */
  readonly count: number;
}

const ALPHAS = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];
const BETAS = [0, 0.01, 0.05, 0.15, 0.3];
const GAMMAS = [0.01, 0.05, 0.1, 0.2, 0.4, 0.6];

function sumSquaredErrors(values: ArrayLike<number>, p: HoltWintersParameters, skip: number, init: HoltWintersState, scratch: Float64Array): number {
  scratch.set(init.season);
  const state: HoltWintersState = { level: init.level, trend: init.trend, season: scratch, position: init.position };
  let sse = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const f = holtWintersUpdate(state, p, v);
    if (i >= skip && v === v) {
      const e = v - f;
      sse += e * e;
    }
  }
  return sse === sse ? sse : Infinity;
}

/**
 * Fits a Holt-Winters model by least squares on the one-step-ahead errors: a grid over (α, β, γ), then a
 * coordinate search around the best point. The initial state comes from {@link initializeHoltWinters}; errors
 * of the first season (two for seasonal models, when they fit) are not counted. NaN values are gaps.
 *
 * @throws ValidationError for a non-numeric input, too few values (two full seasons, or three values without
 *   seasonality), non-positive values with multiplicative seasonality, or bad options.
 * @example
 * const values = Array.from({ length: 96 }, (_, i) => 50 + 0.1 * i + 10 * Math.sin((2 * Math.PI * i) / 24));
 * const fit = fitHoltWinters(values, { period: 24, seasonality: 'additive' });
 * holtWintersPredict(fit.state, fit.parameters, 1); // close to 50 + 9.6 + 10 * sin(0)
 */
export function fitHoltWinters(values: ArrayLike<number>, options: FitHoltWintersOptions): HoltWintersFit {
  assertNumericArray(values, 'values');
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an options object with period and seasonality', options);
  const seasonality = options.seasonality;
  if (seasonality !== 'additive' && seasonality !== 'multiplicative' && seasonality !== 'none') {
    throw new ValidationError('options.seasonality', "'additive', 'multiplicative' or 'none'", seasonality);
  }
  const period = seasonality === 'none' ? 1 : options.period;
  if (seasonality !== 'none') assertInteger(period, 'options.period', 2, 1_000_000);
  const minimum = seasonality === 'none' ? 3 : 2 * period;
  let valid = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    if (!Number.isFinite(v)) throw new ValidationError(`values[${i}]`, 'a finite number or NaN', v);
    if (seasonality === 'multiplicative' && v <= 0) throw new ValidationError(`values[${i}]`, 'a positive number (multiplicative seasonality)', v);
    valid++;
  }
  if (values.length < minimum || valid < Math.min(minimum, 3)) {
    throw new ValidationError('values', `at least ${minimum} values (${seasonality === 'none' ? 'three points' : 'two full seasons'})`, values);
  }
  const damping = options.damping ?? 1;
  for (const key of ['alpha', 'beta', 'gamma'] as const) {
    const v = options[key];
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0 && v <= 1))) throw new ValidationError(`options.${key}`, 'a number in [0, 1]', v);
  }
  if (typeof damping !== 'number' || !(damping > 0 && damping <= 1)) throw new ValidationError('options.damping', 'a number in (0, 1]', damping);

  const init = initializeHoltWinters(values, period, seasonality);
  const skip = seasonality === 'none' ? 1 : Math.min(values.length - 1, values.length >= 3 * period ? 2 * period : period);
  const scratch = new Float64Array(init.season.length);
  const alphas = options.alpha !== undefined ? [options.alpha] : ALPHAS;
  const betas = options.beta !== undefined ? [options.beta] : BETAS;
  const gammas = seasonality === 'none' ? [0] : options.gamma !== undefined ? [options.gamma] : GAMMAS;
  let best = { alpha: alphas[0] as number, beta: betas[0] as number, gamma: gammas[0] as number };
  let bestSse = Infinity;
  const make = (alpha: number, beta: number, gamma: number): HoltWintersParameters => ({ alpha, beta, gamma, damping, period, seasonality });
  for (const alpha of alphas) {
    for (const beta of betas) {
      for (const gamma of gammas) {
        const sse = sumSquaredErrors(values, make(alpha, beta, gamma), skip, init, scratch);
        if (sse < bestSse) {
          bestSse = sse;
          best = { alpha, beta, gamma };
        }
      }
    }
  }
  // Coordinate search with shrinking steps on the parameters that are free.
  const free = (['alpha', 'beta', 'gamma'] as const).filter((k) => options[k] === undefined && !(k === 'gamma' && seasonality === 'none'));
  let step = 0.05;
  for (let round = 0; round < 4; round++) {
    let improved = true;
    let guard = 0;
    while (improved && guard++ < 20) {
      improved = false;
      for (const key of free) {
        for (const direction of [-1, 1]) {
          const candidate = { ...best, [key]: Math.min(1, Math.max(0, best[key] + direction * step)) };
          const sse = sumSquaredErrors(values, make(candidate.alpha, candidate.beta, candidate.gamma), skip, init, scratch);
          if (sse < bestSse - 1e-12 * Math.abs(bestSse)) {
            bestSse = sse;
            best = candidate;
            improved = true;
          }
        }
      }
    }
    step /= 3;
  }
  const parameters = make(best.alpha, best.beta, best.gamma);
  const state: HoltWintersState = { level: init.level, trend: init.trend, season: Float64Array.from(init.season), position: init.position };
  const fitted = new Float64Array(values.length);
  let sse = 0;
  let relativeSse = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const f = holtWintersUpdate(state, parameters, v);
    fitted[i] = f;
    if (i >= skip && v === v) {
      const e = v - f;
      sse += e * e;
      const rel = Math.abs(f) > TINY ? e / f : 0;
      relativeSse += rel * rel;
      count++;
    }
  }
  return {
    parameters,
    state,
    residualStandardDeviation: count > 0 ? Math.sqrt(sse / count) : 0,
    relativeResidualStandardDeviation: count > 0 ? Math.sqrt(relativeSse / count) : 0,
    fitted,
    count,
  };
}

import { assertInteger, assertNumericArray, ValidationError } from '../errors';

/**
 * Sample autocorrelation of `values` at lags 0..maxLag, after removing the least-squares line through the values
 * (so a trend does not read as correlation at every lag). Pairs with a NaN are skipped; each lag's sum is
 * normalised by the overall variance and the number of pairs seen, so gaps do not bias long lags towards 0.
 * A constant input gives 0 at every lag but lag 0 (which is 1).
 *
 * @throws ValidationError for a non-numeric input or a maxLag outside [0, length - 1].
 * @example
 * const wave = Array.from({ length: 48 }, (_, i) => Math.sin((2 * Math.PI * i) / 12));
 * autocorrelation(wave, 12)[12]; // close to 1
 */
export function autocorrelation(values: ArrayLike<number>, maxLag: number): Float64Array {
  assertNumericArray(values, 'values');
  assertInteger(maxLag, 'maxLag', 0, Math.max(0, values.length - 1));
  const n = values.length;
  const detrended = detrend(values);
  const out = new Float64Array(maxLag + 1);
  let variance = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = detrended[i] as number;
    if (v === v) {
      variance += v * v;
      count++;
    }
  }
  if (count === 0 || variance === 0) {
    out[0] = 1;
    return out;
  }
  variance /= count;
  out[0] = 1;
  for (let lag = 1; lag <= maxLag; lag++) {
    let sum = 0;
    let pairs = 0;
    for (let i = 0; i + lag < n; i++) {
      const a = detrended[i] as number;
      const b = detrended[i + lag] as number;
      if (a !== a || b !== b) continue;
      sum += a * b;
      pairs++;
    }
    // Scale like the usual biased estimator (sum / n), with n the count of usable points rather than all points.
    out[lag] = pairs > 0 ? ((sum / pairs) * (pairs / count)) / variance : 0;
  }
  return out;
}

function detrend(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  let count = 0;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    count++;
    meanX += (i - meanX) / count;
    meanY += (v - meanY) / count;
  }
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    sxx += (i - meanX) * (i - meanX);
    sxy += (i - meanX) * (v - meanY);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    out[i] = v === v ? v - meanY - slope * (i - meanX) : NaN;
  }
  return out;
}

/** How far a seasonal peak of the autocorrelation must rise above the lowest value before it. */
const PEAK_PROMINENCE = 0.2;

export interface DetectPeriodOptions {
  /** Smallest period considered, in points (>= 2). Default 2. */
  readonly minPeriod?: number;
  /** Largest period considered, in points. Default: a third of the length (at least two full cycles must fit). */
  readonly maxPeriod?: number;
  /** Autocorrelation the peak must reach to count as seasonality, in (0, 1). Default 0.3. */
  readonly minCorrelation?: number;
}

/** What {@link detectPeriod} found. */
export interface DetectedPeriod {
  /** The period in points, or 0 when no seasonality passed the test. */
  readonly period: number;
  /** Autocorrelation at that lag (0 when none was found). */
  readonly correlation: number;
}

/**
 * Finds the dominant period of a series from its autocorrelation: the lag of the highest local maximum of the
 * autocorrelation in [minPeriod, maxPeriod] that reaches `minCorrelation`. When a shorter lag's peak is within 10%
 * of the best one, the shorter lag wins (so a period of 24 is not reported as 48). Missing values (NaN) are allowed.
 *
 * @throws ValidationError for a non-numeric input or bad options.
 * @example
 * const daily = Array.from({ length: 24 * 7 }, (_, i) => 10 + 5 * Math.sin((2 * Math.PI * i) / 24));
 * detectPeriod(daily).period; // 24
 */
export function detectPeriod(values: ArrayLike<number>, options: DetectPeriodOptions = {}): DetectedPeriod {
  assertNumericArray(values, 'values');
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an options object', options);
  const minPeriod = options.minPeriod ?? 2;
  assertInteger(minPeriod, 'options.minPeriod', 2);
  const maxPeriod = options.maxPeriod ?? Math.floor(values.length / 3);
  assertInteger(maxPeriod, 'options.maxPeriod', 0);
  const minCorrelation = options.minCorrelation ?? 0.3;
  if (typeof minCorrelation !== 'number' || !(minCorrelation > 0 && minCorrelation < 1)) {
    throw new ValidationError('options.minCorrelation', 'a number in (0, 1)', minCorrelation);
  }
  const upper = Math.min(maxPeriod, Math.floor(values.length / 2));
  if (upper < minPeriod) return { period: 0, correlation: 0 };
  const acf = autocorrelation(values, Math.min(upper + 1, values.length - 1));
  let best = 0;
  let bestValue = -Infinity;
  const peaks: number[] = [];
  let trough = 1; // lowest autocorrelation seen at lags 1..lag
  for (let lag = 1; lag < minPeriod; lag++) trough = Math.min(trough, acf[lag] as number);
  for (let lag = minPeriod; lag <= upper; lag++) {
    const v = acf[lag] as number;
    trough = Math.min(trough, v);
    const before = acf[lag - 1] as number;
    const after = lag + 1 < acf.length ? (acf[lag + 1] as number) : -Infinity;
    // A seasonal peak rises clearly above the trough before it; slowly decaying correlation (trends, random walks,
    // smooth noise) has no such dip and no such peak.
    if (v >= before && v >= after && v >= minCorrelation && v - trough >= PEAK_PROMINENCE) {
      peaks.push(lag);
      if (v > bestValue) {
        bestValue = v;
        best = lag;
      }
    }
  }
  if (best === 0) return { period: 0, correlation: 0 };
  for (const lag of peaks) {
    if ((acf[lag] as number) >= 0.9 * bestValue) return { period: lag, correlation: acf[lag] as number };
  }
  return { period: best, correlation: bestValue };
}

import { ValidationError } from '../errors';
import type { Series, TimeRange } from '../series';
import { validateSeries } from '../series';
import type { PriceCatalogue } from './catalogue';
import type { ModelRef } from './model-switch';
import { priceUsageTable } from './pricing';
import type { PricedUsage } from './pricing';
import { detectPeriod, fitHoltWinters, holtWintersPredict, linearRegression, studentTCdf, studentTQuantile } from '../stats';
import type { DictionaryColumn, UsageTable } from './table';
import { canonicalProvider } from './usage';

const DAY = 86_400_000;

/** Options of {@link spendSeries}. */
export interface SpendSeriesOptions {
  /** Bucket width in milliseconds, default one day. */
  readonly interval?: number;
  /** Bucket alignment, default 0 (UTC midnight). */
  readonly origin?: number;
  /** Only rows whose mask is 1. */
  readonly mask?: Uint8Array;
}

/**
 * Spend per time bucket as a series (bucket starts, US dollars of priced records), with empty buckets between the
 * first and the last as 0. Unpriced records are left out: see `priced.unpriced`.
 *
 * @example
 * const daily = spendSeries(table, priced); // { labels: {}, timestamps: [day starts], values: [dollars] }
 */
export function spendSeries(table: UsageTable, priced: PricedUsage, options: SpendSeriesOptions = {}): Series {
  if (!(priced?.cost instanceof Float64Array) || priced.cost.length !== table.length) throw new ValidationError('priced', `the priced usage of this table (length ${table.length})`, priced);
  const interval = options.interval ?? DAY;
  if (!(typeof interval === 'number' && interval > 0 && Number.isFinite(interval))) throw new ValidationError('options.interval', 'milliseconds > 0', interval);
  const origin = options.origin ?? 0;
  if (!Number.isFinite(origin)) throw new ValidationError('options.origin', 'epoch milliseconds', origin);
  const mask = options.mask;
  if (mask !== undefined && (!(mask instanceof Uint8Array) || mask.length !== table.length)) throw new ValidationError('options.mask', `a Uint8Array of length ${table.length}`, mask);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < table.length; i++) {
    if (mask !== undefined && mask[i] === 0) continue;
    const b = Math.floor((table.timestamps[i]! - origin) / interval);
    if (b < min) min = b;
    if (b > max) max = b;
  }
  if (!(max >= min)) return { labels: {}, timestamps: new Float64Array(0), values: new Float64Array(0) };
  if (max - min + 1 > 10_000_000) throw new ValidationError('options.interval', 'an interval giving at most 10,000,000 buckets', interval);
  const values = new Float64Array(max - min + 1);
  for (let i = 0; i < table.length; i++) {
    if (mask !== undefined && mask[i] === 0) continue;
    const c = priced.cost[i]!;
    if (c === c) values[Math.floor((table.timestamps[i]! - origin) / interval) - min]! += c;
  }
  const timestamps = new Float64Array(values.length);
  for (let k = 0; k < values.length; k++) timestamps[k] = origin + (min + k) * interval;
  return { labels: {}, timestamps, values };
}

/** Options of {@link forecastBudget}. */
export interface BudgetOptions {
  /** The budget for the period, US dollars. */
  readonly budget: number;
  /** The budget period, e.g. the calendar month. Spend in the series inside it counts as spent. */
  readonly period: TimeRange;
  /** Two-sided level of the prediction intervals, default 0.9. */
  readonly confidence?: number;
  /**
   * Weekly seasonality. `'auto'` (default): modelled when the series holds at least three weeks and its detrended
   * autocorrelation has a weekly peak (`detectPeriod` in `@vigil/core/stats`); `'weekly'`: always (needs two weeks);
   * `'none'`: the linear trend only.
   */
  readonly seasonality?: 'auto' | 'weekly' | 'none';
}

/** A spend forecast over the rest of a budget period. */
export interface BudgetForecast {
  /** Future buckets (after the series' last) up to the end of the period. */
  readonly timestamps: Float64Array;
  /** Point forecast per bucket (clamped at 0). */
  readonly expected: Float64Array;
  /** Prediction interval per bucket (lower clamped at 0). */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Spend already in the period. */
  readonly spentSoFar: number;
  /** Spent so far plus the forecast to the period's end, with its prediction interval. */
  readonly projectedTotal: { readonly expected: number; readonly lower: number; readonly upper: number };
  readonly budget: number;
  /** Probability that the period's total exceeds the budget, under the trend model's t-distributed error. */
  readonly probabilityOverBudget: number;
  /** First forecast bucket whose cumulative expected spend passes the budget, if any. */
  readonly expectedExhaustion: number | undefined;
  /**
   * The model behind the numbers: a least-squares linear trend, or additive Holt-Winters with a weekly season
   * (level, trend and a day-of-week profile, fitted by `fitHoltWinters` in `@vigil/core/stats`).
   */
  readonly method: 'linear-trend' | 'holt-winters-weekly';
  /** Season length in buckets when the method is seasonal (7 for a daily series). */
  readonly seasonalPeriod?: number;
}

const WEEK = 7 * DAY;

/**
 * Forecasts spend to the end of a budget period from a regular spend series (such as {@link spendSeries}'s daily
 * one) and gives the probability that the period's total exceeds the budget.
 * - Without weekly seasonality: a least-squares linear trend with Student-t prediction intervals. The total's
 *   variance accounts for the noise of every future bucket and the shared uncertainty of the fitted trend.
 * - With it (`seasonality`, detected by default from three weeks of history): additive Holt-Winters with a season
 *   of one week. Future errors are the model's one-step innovations propagated through its error-correction form,
 *   so bucket j's variance is σ²(1 + Σ_{k<j} c_k²) and the total's is σ² Σ_j (1 + Σ_{k=1}^{h-j} c_k)², with
 *   c_k = α(1 + β(φ + … + φ^k)) + γ(1 − α)[k mod 7 = 0] (Hyndman et al., class 1), t-distributed with the
 *   fit's residual degrees of freedom.
 *
 * @throws ValidationError when the series has fewer than 3 points, is irregular, or the options are invalid.
 * @example
 * forecastBudget(spendSeries(table, priced), { budget: 5000, period: { start: Date.parse('2025-08-01'), end: Date.parse('2025-09-01') } });
 * // { projectedTotal: { expected: 4630, lower: 4410, upper: 4850 }, probabilityOverBudget: 0.004, ... }
 */
export function forecastBudget(series: Series, options: BudgetOptions): BudgetForecast {
  validateSeries(series);
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'budget options', options);
  if (typeof options.budget !== 'number' || !Number.isFinite(options.budget) || options.budget < 0) throw new ValidationError('options.budget', 'US dollars >= 0', options.budget);
  const period = options.period;
  if (period === null || typeof period !== 'object' || !(Number.isFinite(period.start) && Number.isFinite(period.end) && period.start < period.end)) throw new ValidationError('options.period', 'a time range with start < end', period);
  const confidence = options.confidence ?? 0.9;
  if (!(typeof confidence === 'number' && confidence > 0 && confidence < 1)) throw new ValidationError('options.confidence', 'a number in (0, 1)', confidence);
  const { timestamps, values } = series;
  const n = timestamps.length;
  if (n < 3) throw new ValidationError('series', 'at least 3 buckets of history', n);
  const step = timestamps[1]! - timestamps[0]!;
  for (let k = 1; k < n; k++) {
    if (Math.abs(timestamps[k]! - timestamps[k - 1]! - step) > 1e-6 * step) throw new ValidationError(`series.timestamps[${k}]`, `a regular step of ${step} ms`, timestamps[k]);
    if (!Number.isFinite(values[k]!)) throw new ValidationError(`series.values[${k}]`, 'a finite spend', values[k]);
  }
  if (!Number.isFinite(values[0]!)) throw new ValidationError('series.values[0]', 'a finite spend', values[0]);
  const seasonality = options.seasonality ?? 'auto';
  if (seasonality !== 'auto' && seasonality !== 'weekly' && seasonality !== 'none') throw new ValidationError('options.seasonality', "'auto', 'weekly' or 'none'", seasonality);
  const x = new Float64Array(n);
  for (let k = 0; k < n; k++) x[k] = k;
  const line = linearRegression(x, values);
  let spentSoFar = 0;
  for (let k = 0; k < n; k++) if (timestamps[k]! >= period.start && timestamps[k]! < period.end) spentSoFar += values[k]!;
  const future: number[] = [];
  for (let t = timestamps[n - 1]! + step; t < period.end; t += step) if (t >= period.start) future.push(t);
  const weekly = WEEK / step;
  const seasonalPeriod = Number.isInteger(weekly) && weekly >= 2 ? weekly : 0;
  if (seasonality === 'weekly') {
    if (seasonalPeriod === 0) throw new ValidationError('options.seasonality', `a series whose step divides a week (step ${step} ms)`, seasonality);
    if (n < 2 * seasonalPeriod) throw new ValidationError('series', `at least two weeks of history (${2 * seasonalPeriod} buckets) for weekly seasonality`, n);
  }
  let useSeasonal = seasonality === 'weekly';
  if (seasonality === 'auto' && seasonalPeriod > 0 && n >= 3 * seasonalPeriod) {
    // Detrend first: a trend alone makes every lag correlate and hides (or fakes) the weekly peak.
    const residuals = new Float64Array(n);
    for (let k = 0; k < n; k++) residuals[k] = values[k]! - (line.intercept + line.slope * k);
    useSeasonal = detectPeriod(residuals, { minPeriod: seasonalPeriod, maxPeriod: seasonalPeriod }).period === seasonalPeriod;
  }
  if (useSeasonal) return seasonalForecast(values, timestamps, future, seasonalPeriod, spentSoFar, options.budget, confidence);

  let sxx = 0;
  for (let k = 0; k < n; k++) sxx += (k - line.meanX) ** 2;
  const fit = { intercept: line.intercept, slope: line.slope, meanX: line.meanX, sxx, residualStandardDeviation: line.residualStandardError };
  const h = future.length;
  const df = n - 2;
  const s = fit.residualStandardDeviation;
  const tq = df > 0 ? studentTQuantile(1 - (1 - confidence) / 2, df) : Infinity;
  const forecastTimes = Float64Array.from(future);
  const expected = new Float64Array(h);
  const lower = new Float64Array(h);
  const upper = new Float64Array(h);
  let sumMean = 0;
  let sumDeviation = 0; // Σ (x_j - meanX) over future points
  const startIndex = h > 0 ? Math.round((future[0]! - timestamps[0]!) / step) : n;
  for (let j = 0; j < h; j++) {
    const xj = startIndex + j;
    const mean = fit.intercept + fit.slope * xj;
    const dx = xj - fit.meanX;
    const se = s * Math.sqrt(1 + 1 / n + (fit.sxx > 0 ? (dx * dx) / fit.sxx : 0));
    expected[j] = Math.max(0, mean);
    lower[j] = Math.max(0, mean - tq * se);
    upper[j] = Math.max(0, mean + tq * se);
    sumMean += mean;
    sumDeviation += dx;
  }
  // Var(Σ future y) = s² (h + h²/n + (Σ dx)² / Sxx)
  const totalSd = s * Math.sqrt(h + (h * h) / n + (fit.sxx > 0 ? (sumDeviation * sumDeviation) / fit.sxx : 0));
  const totalExpected = spentSoFar + Math.max(0, sumMean);
  const projectedTotal = {
    expected: totalExpected,
    lower: Math.max(spentSoFar, spentSoFar + sumMean - tq * totalSd),
    upper: Math.max(spentSoFar, spentSoFar + sumMean + tq * totalSd),
  };
  let probabilityOverBudget: number;
  if (spentSoFar > options.budget) probabilityOverBudget = 1;
  else if (h === 0 || totalSd === 0 || df <= 0) probabilityOverBudget = spentSoFar + sumMean > options.budget ? 1 : 0;
  else probabilityOverBudget = 1 - studentTCdf((options.budget - spentSoFar - sumMean) / totalSd, df);
  let cumulative = spentSoFar;
  let expectedExhaustion: number | undefined = spentSoFar > options.budget ? timestamps[n - 1] : undefined;
  for (let j = 0; j < h && expectedExhaustion === undefined; j++) {
    cumulative += expected[j]!;
    if (cumulative > options.budget) expectedExhaustion = future[j]!;
  }
  return { timestamps: forecastTimes, expected, lower, upper, spentSoFar, projectedTotal, budget: options.budget, probabilityOverBudget, expectedExhaustion, method: 'linear-trend' };
}

/** The additive weekly Holt-Winters branch of {@link forecastBudget}. */
function seasonalForecast(values: Float64Array, timestamps: Float64Array, future: readonly number[], seasonalPeriod: number, spentSoFar: number, budget: number, confidence: number): BudgetForecast {
  const n = values.length;
  const fit = fitHoltWinters(values, { period: seasonalPeriod, seasonality: 'additive' });
  const p = fit.parameters;
  const h = future.length;
  // Forecasts start one step after the last observation; buckets before the period start are not part of the total
  // but their innovations still propagate (a bucket's horizon is its index after the last observation).
  const step = timestamps[1]! - timestamps[0]!;
  const offset = h > 0 ? Math.round((future[0]! - timestamps[n - 1]!) / step) : 1;
  const last = offset + h - 1;
  // Innovation weights c_k and their prefix sums C(m) = c_1 + … + c_m, k = 1..last.
  const prefix = new Float64Array(last + 1);
  const weights = new Float64Array(last + 1);
  let phiSum = 0;
  let phiPower = 1;
  for (let k = 1; k <= last; k++) {
    phiPower *= p.damping;
    phiSum += phiPower;
    weights[k] = p.alpha * (1 + p.beta * phiSum) + (k % p.period === 0 ? p.gamma * (1 - p.alpha) : 0);
    prefix[k] = prefix[k - 1]! + weights[k]!;
  }
  // Residual degrees of freedom: the one-step errors counted, less the three smoothing parameters.
  const df = Math.max(1, fit.count - 3);
  const s = fit.residualStandardDeviation;
  const tq = studentTQuantile(1 - (1 - confidence) / 2, df);
  const expected = new Float64Array(h);
  const lower = new Float64Array(h);
  const upper = new Float64Array(h);
  let horizonFactor = 1; // 1 + Σ_{k < horizon} c_k²
  for (let k = 1; k < offset; k++) horizonFactor += weights[k]! ** 2;
  let sumMean = 0;
  for (let j = 0; j < h; j++) {
    const horizon = offset + j;
    if (j > 0) horizonFactor += weights[horizon - 1]! ** 2;
    const mean = holtWintersPredict(fit.state, p, horizon);
    const sd = s * Math.sqrt(horizonFactor);
    expected[j] = Math.max(0, mean);
    lower[j] = Math.max(0, mean - tq * sd);
    upper[j] = Math.max(0, mean + tq * sd);
    sumMean += mean;
  }
  // Var(Σ_j y_{n+j}) = σ² Σ_i a_i², where innovation i (horizon i) enters bucket j > i with weight c_{j-i} and its
  // own bucket with weight 1: a_i = [i ≥ offset] + Σ_{j = max(i+1, offset)}^{last} c_{j-i}, read off the prefix sums.
  let totalVariance = 0;
  for (let i = 1; i <= last; i++) {
    const a = i >= offset ? 1 + prefix[last - i]! : prefix[last - i]! - prefix[offset - 1 - i]!;
    totalVariance += a * a;
  }
  const totalSd = s * Math.sqrt(totalVariance);
  const projectedTotal = {
    expected: spentSoFar + Math.max(0, sumMean),
    lower: Math.max(spentSoFar, spentSoFar + sumMean - tq * totalSd),
    upper: Math.max(spentSoFar, spentSoFar + sumMean + tq * totalSd),
  };
  let probabilityOverBudget: number;
  if (spentSoFar > budget) probabilityOverBudget = 1;
  else if (h === 0 || totalSd === 0) probabilityOverBudget = spentSoFar + sumMean > budget ? 1 : 0;
  else probabilityOverBudget = 1 - studentTCdf((budget - spentSoFar - sumMean) / totalSd, df);
  let cumulative = spentSoFar;
  let expectedExhaustion: number | undefined = spentSoFar > budget ? timestamps[n - 1] : undefined;
  for (let j = 0; j < h && expectedExhaustion === undefined; j++) {
    cumulative += expected[j]!;
    if (cumulative > budget) expectedExhaustion = future[j]!;
  }
  return { timestamps: Float64Array.from(future), expected, lower, upper, spentSoFar, projectedTotal, budget, probabilityOverBudget, expectedExhaustion, method: 'holt-winters-weekly', seasonalPeriod };
}

/** Options of {@link decomposeSpendChange}. */
export interface DecomposeOptions {
  readonly before: TimeRange;
  readonly after: TimeRange;
  /** The mix dimension, default `model` (provider × model). */
  readonly by?: 'model' | 'feature' | 'provider';
}

/** The change in spend between two periods split into effects that add up to it exactly. */
export interface SpendChangeDecomposition {
  readonly before: number;
  readonly after: number;
  readonly change: number;
  /** More or fewer requests overall. */
  readonly volume: number;
  /** Requests moving between groups (models), including groups that appear or disappear. */
  readonly mix: number;
  /** More or fewer tokens per request within a group. */
  readonly tokensPerRequest: number;
  /** A different effective price per token within a group (price changes, cache hit rates, batch share). */
  readonly price: number;
  readonly groups: readonly { readonly key: string; readonly before: number; readonly after: number; readonly volume: number; readonly mix: number; readonly tokensPerRequest: number; readonly price: number }[];
}

function logMean(a: number, b: number): number {
  if (a === b) return a;
  return (a - b) / (Math.log(a) - Math.log(b));
}

/**
 * Decomposes the change in spend between two periods into volume, mix, tokens-per-request and price effects with
 * the additive log-mean Divisia index (LMDI-I): spend = Σ_g N · share_g · tokensPerRequest_g · pricePerToken_g, and
 * each effect is Σ_g L(S1_g, S0_g) · ln(factor1 / factor0), which adds up to the change exactly. A group present in
 * one period only contributes its whole change to mix. Only priced records count.
 *
 * @example
 * const d = decomposeSpendChange(table, priced, { before: julyRange, after: augustRange });
 * // d.volume + d.mix + d.tokensPerRequest + d.price === d.change (to rounding)
 */
export function decomposeSpendChange(table: UsageTable, priced: PricedUsage, options: DecomposeOptions): SpendChangeDecomposition {
  if (!(priced?.cost instanceof Float64Array) || priced.cost.length !== table.length) throw new ValidationError('priced', `the priced usage of this table (length ${table.length})`, priced);
  for (const name of ['before', 'after'] as const) {
    const r = options?.[name];
    if (r === null || typeof r !== 'object' || !(Number.isFinite(r.start) && Number.isFinite(r.end) && r.start <= r.end)) throw new ValidationError(`options.${name}`, 'a time range with start <= end', r);
  }
  const by = options.by ?? 'model';
  if (by !== 'model' && by !== 'feature' && by !== 'provider') throw new ValidationError('options.by', "'model', 'feature' or 'provider'", by);
  const modelCount = Math.max(1, table.model.values.length);
  const keyOf = (i: number): number => (by === 'model' ? table.provider.codes[i]! * modelCount + table.model.codes[i]! : by === 'feature' ? table.feature.codes[i]! + 1 : table.provider.codes[i]!);
  const nameOf = (key: number): string => {
    if (by === 'model') return `${table.provider.values[Math.floor(key / modelCount)]}/${table.model.values[key % modelCount]}`;
    if (by === 'feature') return key === 0 ? '(no feature)' : table.feature.values[key - 1]!;
    return table.provider.values[key]!;
  };
  interface Period { requests: number; tokens: number; spend: number }
  const periods = [new Map<number, Period>(), new Map<number, Period>()];
  const totals = [{ requests: 0, spend: 0 }, { requests: 0, spend: 0 }];
  for (let i = 0; i < table.length; i++) {
    const c = priced.cost[i]!;
    if (c !== c) continue;
    const t = table.timestamps[i]!;
    const which = t >= options.before.start && t < options.before.end ? 0 : t >= options.after.start && t < options.after.end ? 1 : -1;
    if (which < 0) continue;
    const key = keyOf(i);
    let p = periods[which]!.get(key);
    if (p === undefined) {
      p = { requests: 0, tokens: 0, spend: 0 };
      periods[which]!.set(key, p);
    }
    p.requests++;
    p.tokens += table.uncachedInputTokens[i]! + table.cacheReadTokens[i]! + table.cacheWrite5mTokens[i]! + table.cacheWrite1hTokens[i]! + table.outputTokens[i]! + table.reasoningTokens[i]!;
    p.spend += c;
    totals[which]!.requests++;
    totals[which]!.spend += c;
  }
  const [n0, n1] = [totals[0]!.requests, totals[1]!.requests];
  const keys = new Set([...periods[0]!.keys(), ...periods[1]!.keys()]);
  let volume = 0;
  let mix = 0;
  let tokens = 0;
  let price = 0;
  const groups: SpendChangeDecomposition['groups'][number][] = [];
  for (const key of keys) {
    const p0 = periods[0]!.get(key);
    const p1 = periods[1]!.get(key);
    const s0 = p0?.spend ?? 0;
    const s1 = p1?.spend ?? 0;
    const g = { key: nameOf(key), before: s0, after: s1, volume: 0, mix: 0, tokensPerRequest: 0, price: 0 };
    if (p0 && p1 && s0 > 0 && s1 > 0 && p0.tokens > 0 && p1.tokens > 0) {
      const L = logMean(s1, s0);
      g.volume = L * Math.log(n1 / n0);
      g.mix = L * Math.log(p1.requests / n1 / (p0.requests / n0));
      g.tokensPerRequest = L * Math.log(p1.tokens / p1.requests / (p0.tokens / p0.requests));
      g.price = L * Math.log(s1 / p1.tokens / (s0 / p0.tokens));
    } else if (p0 && p1) {
      g.price = s1 - s0; // free in one period (zero price): the change is a price effect
    } else {
      g.mix = s1 - s0;
    }
    volume += g.volume;
    mix += g.mix;
    tokens += g.tokensPerRequest;
    price += g.price;
    groups.push(g);
  }
  groups.sort((a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before));
  return { before: totals[0]!.spend, after: totals[1]!.spend, change: totals[1]!.spend - totals[0]!.spend, volume, mix, tokensPerRequest: tokens, price, groups };
}

/** Options of {@link detectSpendAnomalies}. */
export interface SpendAnomalyOptions {
  /** Buckets of trailing history each point is compared with, default 14. */
  readonly window?: number;
  /** Fewest history buckets before a point is judged, default 7. */
  readonly minimumHistory?: number;
  /** Modified z-score (Iglewicz and Hoaglin) above which a bucket is a spike, default 3.5. */
  readonly threshold?: number;
  /** Also report drops (`'both'`), default spikes only (`'up'`). */
  readonly direction?: 'up' | 'both';
}

/** A bucket whose spend is far from its trailing median. */
export interface SpendAnomaly {
  readonly timestamp: number;
  readonly spend: number;
  /** Trailing median. */
  readonly expected: number;
  /** Modified z-score: 0.6745 (x - median) / MAD (1.2533 × mean absolute deviation when the MAD is 0). */
  readonly score: number;
  readonly increase: number;
}

/**
 * Cost spikes: each bucket is compared with the median of the `window` buckets before it by a robust modified
 * z-score, so that one spike does not hide the next. A flat history (zero spread) makes any increase a spike.
 *
 * @example
 * detectSpendAnomalies(spendSeries(table, priced)); // [{ timestamp: day, spend: 912, expected: 301, score: 11.2, increase: 611 }]
 */
export function detectSpendAnomalies(series: Series, options: SpendAnomalyOptions = {}): SpendAnomaly[] {
  validateSeries(series);
  const window = options.window ?? 14;
  const minimumHistory = options.minimumHistory ?? 7;
  const threshold = options.threshold ?? 3.5;
  const direction = options.direction ?? 'up';
  if (!Number.isInteger(window) || window < 2) throw new ValidationError('options.window', 'an integer >= 2', window);
  if (!Number.isInteger(minimumHistory) || minimumHistory < 2 || minimumHistory > window) throw new ValidationError('options.minimumHistory', `an integer in [2, ${window}]`, minimumHistory);
  if (!(typeof threshold === 'number' && threshold > 0)) throw new ValidationError('options.threshold', 'a number > 0', threshold);
  if (direction !== 'up' && direction !== 'both') throw new ValidationError('options.direction', "'up' or 'both'", direction);
  const { timestamps, values } = series;
  const anomalies: SpendAnomaly[] = [];
  const scratch: number[] = [];
  for (let k = 0; k < values.length; k++) {
    scratch.length = 0;
    for (let j = Math.max(0, k - window); j < k; j++) if (Number.isFinite(values[j]!)) scratch.push(values[j]!);
    const x = values[k]!;
    if (scratch.length < minimumHistory || !Number.isFinite(x)) continue;
    scratch.sort((a, b) => a - b);
    const median = middle(scratch);
    const deviations = scratch.map((v) => Math.abs(v - median)).sort((a, b) => a - b);
    const mad = middle(deviations);
    let score: number;
    if (mad > 0) score = (0.6745 * (x - median)) / mad;
    else {
      const meanAbsolute = deviations.reduce((a, b) => a + b, 0) / deviations.length;
      score = meanAbsolute > 0 ? (x - median) / (1.2533 * meanAbsolute) : x === median ? 0 : x > median ? Infinity : -Infinity;
    }
    if (score > threshold || (direction === 'both' && score < -threshold)) anomalies.push({ timestamp: timestamps[k]!, spend: x, expected: median, score, increase: x - median });
  }
  return anomalies;
}

function middle(sorted: number[]): number {
  const m = (sorted.length - 1) / 2;
  return (sorted[Math.floor(m)]! + sorted[Math.ceil(m)]!) / 2;
}

/** A what-if scenario for {@link whatIf}. */
export interface WhatIfScenario {
  /** Which records the scenario changes (all when absent). */
  readonly where?: { readonly provider?: string; readonly model?: string; readonly feature?: string };
  /** Re-price them as if this model had served them. */
  readonly model?: ModelRef;
  /** Use the prices valid at this instant (a price version) instead of each record's date. */
  readonly priceAt?: number | string;
  /** `'all'`: every call at batch rates; `'none'`: none; default as recorded. */
  readonly batch?: 'all' | 'none' | 'recorded';
  /** Assume this share of each call's uncached input is read from the cache instead. */
  readonly cacheReadShare?: number;
}

/** Result of {@link whatIf}: the affected records' spend now and under the scenario. */
export interface WhatIfResult {
  readonly affectedRecords: number;
  /** Spend of the affected records that both pricings could price. */
  readonly baseline: number;
  readonly scenario: number;
  readonly change: number;
  /** Affected records the scenario could not price (unknown model or date): left out of both sums. */
  readonly unpricedRecords: number;
}

function matchColumn(column: DictionaryColumn, value: string | undefined, normalise: (s: string) => string = (s) => s): number | undefined {
  if (value === undefined) return undefined;
  const target = normalise(value);
  const code = column.values.findIndex((v) => v === target);
  return code < 0 ? -2 : code;
}

/**
 * Re-prices past usage under another model, another price version, or other cache and batch assumptions, and
 * compares with what it cost.
 *
 * @example
 * whatIf(table, priced, DEFAULT_PRICE_CATALOGUE, { where: { feature: 'search' }, model: { provider: 'openai', model: 'gpt-4.1-mini' } });
 * whatIf(table, priced, DEFAULT_PRICE_CATALOGUE, { cacheReadShare: 0.6 }); // what 60% cache hits would have saved
 */
export function whatIf(table: UsageTable, priced: PricedUsage, catalogue: PriceCatalogue, scenario: WhatIfScenario): WhatIfResult {
  if (!(priced?.cost instanceof Float64Array) || priced.cost.length !== table.length) throw new ValidationError('priced', `the priced usage of this table (length ${table.length})`, priced);
  if (scenario === null || typeof scenario !== 'object') throw new ValidationError('scenario', 'a what-if scenario', scenario);
  const share = scenario.cacheReadShare;
  if (share !== undefined && !(typeof share === 'number' && share >= 0 && share <= 1)) throw new ValidationError('scenario.cacheReadShare', 'a share in [0, 1]', share);
  let priceAt: number | undefined;
  if (scenario.priceAt !== undefined) {
    priceAt = typeof scenario.priceAt === 'number' ? scenario.priceAt : Date.parse(scenario.priceAt);
    if (!Number.isFinite(priceAt)) throw new ValidationError('scenario.priceAt', 'an ISO date or epoch milliseconds', scenario.priceAt);
  }
  const provider = matchColumn(table.provider, scenario.where?.provider, canonicalProvider);
  const model = matchColumn(table.model, scenario.where?.model);
  const feature = matchColumn(table.feature, scenario.where?.feature);
  const n = table.length;
  const mask = new Uint8Array(n);
  let affected = 0;
  for (let i = 0; i < n; i++) {
    if (provider !== undefined && table.provider.codes[i] !== provider) continue;
    if (model !== undefined && table.model.codes[i] !== model) continue;
    if (feature !== undefined && table.feature.codes[i] !== feature) continue;
    mask[i] = 1;
    affected++;
  }
  let source = table;
  if (share !== undefined && share > 0) {
    const uncached = new Float64Array(table.uncachedInputTokens);
    const cacheRead = new Float64Array(table.cacheReadTokens);
    for (let i = 0; i < n; i++) {
      if (!mask[i]) continue;
      const moved = uncached[i]! * share;
      uncached[i] = uncached[i]! - moved;
      cacheRead[i] = cacheRead[i]! + moved;
    }
    source = { ...table, uncachedInputTokens: uncached, cacheReadTokens: cacheRead };
  }
  const repriced = priceUsageTable(source, catalogue, {
    mask,
    ...(scenario.model !== undefined ? { model: scenario.model.model, provider: scenario.model.provider } : {}),
    ...(priceAt !== undefined ? { priceAt } : {}),
    ...(scenario.batch !== undefined ? { batch: scenario.batch } : {}),
  });
  let baseline = 0;
  let after = 0;
  let unpriced = 0;
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    const a = priced.cost[i]!;
    const b = repriced.cost[i]!;
    if (b !== b) {
      unpriced++;
      continue;
    }
    if (a !== a) continue;
    baseline += a;
    after += b;
  }
  return { affectedRecords: affected, baseline, scenario: after, change: after - baseline, unpricedRecords: unpriced };
}

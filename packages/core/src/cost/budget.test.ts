import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decomposeSpendChange, detectSpendAnomalies, forecastBudget, spendSeries, whatIf } from './budget';
import { createPriceCatalogue } from './catalogue';
import { priceUsageTable } from './pricing';
import { seededRandom } from './stats';
import { fitHoltWinters, holtWintersPredict, holtWintersUpdate, normalQuantile, studentTQuantile } from '../stats';
import { createUsageTable } from './table';
import type { UsageRecord } from './usage';

const DAY = 86_400_000;
const catalogue = createPriceCatalogue({
  entries: [
    { provider: 'openai', model: 'a', input: 1, output: 2, cacheRead: 0.1 },
    { provider: 'openai', model: 'b', input: 4, output: 8, cacheRead: 0.4, effectiveTo: '1970-01-20' },
    { provider: 'openai', model: 'b', input: 2, output: 4, cacheRead: 0.2, effectiveFrom: '1970-01-20' },
  ],
});
const series = (values: number[]) => ({ labels: {}, timestamps: Float64Array.from(values, (_, k) => k * DAY), values: Float64Array.from(values) });

describe('spendSeries', () => {
  it('sums priced spend per day with empty days as 0', () => {
    const table = createUsageTable([
      { timestamp: 0, provider: 'openai', model: 'a', inputTokens: 1_000_000, outputTokens: 0 },
      { timestamp: 2 * DAY + 5, provider: 'openai', model: 'a', inputTokens: 2_000_000, outputTokens: 0 },
      { timestamp: 2 * DAY + 6, provider: 'openai', model: 'zzz', inputTokens: 2_000_000, outputTokens: 0 },
    ]);
    const s = spendSeries(table, priceUsageTable(table, catalogue));
    expect(Array.from(s.timestamps)).toEqual([0, DAY, 2 * DAY]);
    expect(Array.from(s.values)).toEqual([1, 0, 2]);
  });
});

describe('forecastBudget', () => {
  it('is exact on a noiseless trend', () => {
    const f = forecastBudget(series([10, 12, 14, 16, 18]), { budget: 200, period: { start: 0, end: 10 * DAY } });
    expect(Array.from(f.expected)).toEqual([20, 22, 24, 26, 28]);
    expect(f.spentSoFar).toBe(70);
    expect(f.projectedTotal.expected).toBeCloseTo(190, 9);
    expect(f.projectedTotal.lower).toBeCloseTo(190, 9);
    expect(f.probabilityOverBudget).toBe(0);
    expect(forecastBudget(series([10, 12, 14, 16, 18]), { budget: 150, period: { start: 0, end: 10 * DAY } }).expectedExhaustion).toBe(8 * DAY);
  });
  it('prediction intervals of the total cover the truth at their nominal rate (simulation oracle)', () => {
    const random = seededRandom(2024);
    const gaussian = () => normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, random())));
    let covered = 0;
    let over = 0;
    let probabilitySum = 0;
    const runs = 600;
    for (let r = 0; r < runs; r++) {
      const days = 20;
      const truth = (k: number) => 100 + 2 * k + 15 * gaussian();
      const history = Array.from({ length: days }, (_, k) => truth(k));
      const f = forecastBudget(series(history), { budget: 3400, period: { start: 0, end: 30 * DAY }, confidence: 0.9 });
      let total = history.reduce((a, b) => a + b, 0);
      for (let k = days; k < 30; k++) total += truth(k);
      if (total >= f.projectedTotal.lower && total <= f.projectedTotal.upper) covered++;
      if (total > 3400) over++;
      probabilitySum += f.probabilityOverBudget;
    }
    // 90% nominal; binomial sd at n = 600 is 1.2 points
    expect(covered / runs).toBeGreaterThan(0.86);
    expect(covered / runs).toBeLessThan(0.94);
    // calibrated: the mean predicted probability matches the observed frequency
    expect(Math.abs(probabilitySum / runs - over / runs)).toBeLessThan(0.05);
  });
  it('validates', () => {
    expect(() => forecastBudget(series([1, 2]), { budget: 1, period: { start: 0, end: DAY } })).toThrow(/at least 3/);
    expect(() => forecastBudget(series([1, 2, 3]), { budget: -1, period: { start: 0, end: DAY } })).toThrow(/budget/);
  });
});

describe('forecastBudget with weekly seasonality', () => {
  // Weekday-heavy traffic: a known day-of-week profile (summing to 0) on a rising trend, plus Gaussian noise.
  const PATTERN = [40, 35, 30, 30, 25, -70, -90];
  const SIGMA = 15;
  const meanAt = (k: number) => 200 + 1.5 * k + PATTERN[k % 7]!;
  const simulate = (random: () => number, days: number) => {
    const gaussian = () => normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, random())));
    return Array.from({ length: days }, (_, k) => meanAt(k) + SIGMA * gaussian());
  };

  it('detects the week, forecasts the known pattern and covers the truth at the nominal rate (simulation oracle)', () => {
    const random = seededRandom(7);
    const runs = 300;
    const historyDays = 56;
    const endDay = 84;
    const budget = 84 * 200 + 1.5 * (83 * 84) / 2 + 60; // just above the expected total
    let seasonal = 0;
    let totalCovered = 0;
    let bucketCovered = 0;
    let buckets = 0;
    let over = 0;
    let probabilitySum = 0;
    let probabilityWhenOver = 0;
    let seasonalError = 0;
    let linearError = 0;
    for (let r = 0; r < runs; r++) {
      const all = simulate(random, endDay);
      const history = all.slice(0, historyDays);
      const f = forecastBudget(series(history), { budget, period: { start: 0, end: endDay * DAY }, confidence: 0.9 });
      const linear = forecastBudget(series(history), { budget, period: { start: 0, end: endDay * DAY }, confidence: 0.9, seasonality: 'none' });
      if (f.method === 'holt-winters-weekly') seasonal++;
      expect(f.timestamps.length).toBe(endDay - historyDays);
      for (let j = 0; j < f.timestamps.length; j++) {
        const truth = all[historyDays + j]!;
        if (truth >= f.lower[j]! && truth <= f.upper[j]!) bucketCovered++;
        buckets++;
        // point accuracy against the generating mean (the brute-force answer without noise)
        seasonalError += Math.abs(f.expected[j]! - meanAt(historyDays + j));
        linearError += Math.abs(linear.expected[j]! - meanAt(historyDays + j));
      }
      const total = all.reduce((a, b) => a + b, 0);
      if (total >= f.projectedTotal.lower && total <= f.projectedTotal.upper) totalCovered++;
      if (total > budget) {
        over++;
        probabilityWhenOver += f.probabilityOverBudget;
      }
      probabilitySum += f.probabilityOverBudget;
    }
    expect(seasonal / runs).toBeGreaterThan(0.97);
    // 90% nominal; binomial sd at 300 runs is 1.7 points. The fitted smoothing parameters pick up some noise and
    // widen the intervals a little (about 93% measured): conservative, never narrower than nominal by much.
    expect(totalCovered / runs).toBeGreaterThan(0.86);
    expect(totalCovered / runs).toBeLessThan(0.97);
    expect(bucketCovered / buckets).toBeGreaterThan(0.86);
    expect(bucketCovered / buckets).toBeLessThan(0.97);
    // The probability separates the runs that went over from those that did not; built on those conservative
    // intervals it leans towards 1/2 here (measured: mean 0.41 against an observed frequency of 0.27). Its
    // calibration is checked below on data the model describes.
    const meanWhenOver = probabilityWhenOver / over;
    const meanWhenUnder = (probabilitySum - probabilityWhenOver) / (runs - over);
    expect(meanWhenOver - meanWhenUnder).toBeGreaterThan(0.1);
    // the seasonal forecast tracks the weekly profile; the straight line cannot (its error is the profile's size)
    expect(seasonalError / buckets).toBeLessThan(SIGMA);
    expect(seasonalError / buckets).toBeLessThan(0.3 * (linearError / buckets));
  });

  it('is calibrated on series drawn from a weekly Holt-Winters process (coverage and probability over budget)', () => {
    // Truth: level, trend and a weekly profile that all drift with the innovations (α 0.3, β 0.1, γ 0.2).
    const parameters = { alpha: 0.3, beta: 0.1, gamma: 0.2, damping: 1, period: 7, seasonality: 'additive' } as const;
    const random = seededRandom(21);
    const gaussian = () => normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, random())));
    const runs = 300;
    let covered = 0;
    let over = 0;
    let probabilitySum = 0;
    let seasonal = 0;
    for (let r = 0; r < runs; r++) {
      const state = { level: 500, trend: 2, season: Float64Array.from(PATTERN), position: 0 };
      const all: number[] = [];
      for (let k = 0; k < 63; k++) {
        const y = holtWintersPredict(state, parameters, 1) + 10 * gaussian();
        holtWintersUpdate(state, parameters, y);
        all.push(y);
      }
      const history = all.slice(0, 49);
      // a budget near the middle of the outcomes: spent so far plus a naive continuation of the last week
      const lastWeek = history.slice(-7).reduce((a, b) => a + b, 0);
      const budget = history.reduce((a, b) => a + b, 0) + 2 * lastWeek + 14 * 14;
      const f = forecastBudget(series(history), { budget, period: { start: 0, end: 63 * DAY }, confidence: 0.9, seasonality: 'weekly' });
      if (f.method === 'holt-winters-weekly') seasonal++;
      const total = all.reduce((a, b) => a + b, 0);
      if (total >= f.projectedTotal.lower && total <= f.projectedTotal.upper) covered++;
      if (total > budget) over++;
      probabilitySum += f.probabilityOverBudget;
    }
    expect(seasonal).toBe(runs);
    // The probability over budget is calibrated (measured: mean 0.58 against an observed frequency of 0.61).
    expect(Math.abs(probabilitySum / runs - over / runs)).toBeLessThan(0.06);
    // The intervals are plug-in ones: they take the fitted α, β, γ as known, so on a truly drifting process the
    // 90% interval of the total covers about 73% (measured), a known limitation documented in docs/cost.md.
    expect(covered / runs).toBeGreaterThan(0.65);
    expect(covered / runs).toBeLessThan(0.92);
  });

  it('keeps the linear trend for series without a week (detection false positives are rare)', () => {
    const random = seededRandom(99);
    const gaussian = () => normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, random())));
    let seasonal = 0;
    const runs = 200;
    for (let r = 0; r < runs; r++) {
      const history = Array.from({ length: 42 }, (_, k) => 300 + 2 * k + 20 * gaussian());
      if (forecastBudget(series(history), { budget: 1e5, period: { start: 0, end: 60 * DAY } }).method !== 'linear-trend') seasonal++;
    }
    expect(seasonal / runs).toBeLessThan(0.05);
  });

  it("the total's variance equals the variance of simulated paths of the fitted model, also when the period starts later", () => {
    const history = simulate(seededRandom(3), 35);
    const start = 38 * DAY; // three buckets between the last observation and the period
    const f = forecastBudget(series(history), { budget: 1e6, period: { start, end: 52 * DAY }, confidence: 0.9, seasonality: 'weekly' });
    expect(f.method).toBe('holt-winters-weekly');
    expect(f.seasonalPeriod).toBe(7);
    expect(f.spentSoFar).toBe(0);
    const fit = fitHoltWinters(history, { period: 7, seasonality: 'additive' });
    const tq = studentTQuantile(0.95, fit.count - 3);
    const formulaSd = (f.projectedTotal.upper - f.projectedTotal.expected) / tq;
    // Monte Carlo through the model's own recursions: y = one-step forecast + σ·z, fed back into the state.
    const random = seededRandom(11);
    const gaussian = () => normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, random())));
    const paths = 20_000;
    let sum = 0;
    let sumSquares = 0;
    for (let r = 0; r < paths; r++) {
      const state = { ...fit.state, season: Float64Array.from(fit.state.season) };
      let total = 0;
      for (let k = 1; k <= 3 + 14; k++) {
        const y = holtWintersPredict(state, fit.parameters, 1) + fit.residualStandardDeviation * gaussian();
        holtWintersUpdate(state, fit.parameters, y);
        if (k > 3) total += y;
      }
      sum += total;
      sumSquares += total * total;
    }
    const mean = sum / paths;
    const simulatedSd = Math.sqrt(sumSquares / paths - mean * mean);
    expect(Math.abs(mean - f.projectedTotal.expected) / simulatedSd).toBeLessThan(0.05);
    expect(Math.abs(formulaSd / simulatedSd - 1)).toBeLessThan(0.03); // the sd's Monte Carlo error is ~0.5%
  });

  it('validates the seasonality option and the history it needs', () => {
    expect(() => forecastBudget(series(Array.from({ length: 10 }, () => 5)), { budget: 1, period: { start: 0, end: 20 * DAY }, seasonality: 'weekly' })).toThrow(/two weeks/);
    expect(() => forecastBudget(series([1, 2, 3]), { budget: 1, period: { start: 0, end: 5 * DAY }, seasonality: 'monthly' as 'weekly' })).toThrow(/options.seasonality/);
    const hourly = { labels: {}, timestamps: Float64Array.from({ length: 5 }, (_, k) => k * 5 * 3_600_000), values: Float64Array.of(1, 2, 3, 4, 5) };
    expect(() => forecastBudget(hourly, { budget: 1, period: { start: 0, end: 50 * 3_600_000 }, seasonality: 'weekly' })).toThrow(/divides a week/);
  });
});

describe('decomposeSpendChange', () => {
  const make = (timestamp: number, model: string, input: number): UsageRecord => ({ timestamp, provider: 'openai', model, inputTokens: input, outputTokens: 0 });
  const before = { start: 0, end: 10 * DAY };
  const after = { start: 20 * DAY, end: 30 * DAY };
  it('doubling the traffic is all volume', () => {
    const records = [make(DAY, 'a', 1000), make(DAY, 'a', 1000), make(21 * DAY, 'a', 1000), make(21 * DAY, 'a', 1000), make(22 * DAY, 'a', 1000), make(22 * DAY, 'a', 1000)];
    const table = createUsageTable(records);
    const d = decomposeSpendChange(table, priceUsageTable(table, catalogue), { before, after });
    expect(d.change).toBeCloseTo(0.002, 12);
    expect(d.volume).toBeCloseTo(0.002, 12);
    expect(d.mix).toBeCloseTo(0, 12);
    expect(d.price).toBeCloseTo(0, 12);
  });
  it("a price cut is all price: model b's price halves on 1970-01-20", () => {
    const table = createUsageTable([make(DAY, 'b', 1000), make(21 * DAY, 'b', 1000)]);
    const d = decomposeSpendChange(table, priceUsageTable(table, catalogue), { before, after });
    expect(d.price).toBeCloseTo(-0.002, 12);
    expect(d.volume + d.mix + d.tokensPerRequest).toBeCloseTo(0, 12);
  });
  it('effects always add up to the change (fast-check)', () => {
    const recordArb = fc.record({ day: fc.constantFrom(1, 2, 21, 25), model: fc.constantFrom('a', 'b', 'gone'), input: fc.integer({ min: 1, max: 5000 }) });
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 40 }), (rs) => {
        const table = createUsageTable(rs.map((r) => make(r.day * DAY, r.model, r.input)));
        const d = decomposeSpendChange(table, priceUsageTable(table, catalogue), { before, after });
        return Math.abs(d.volume + d.mix + d.tokensPerRequest + d.price - d.change) <= 1e-12 + 1e-9 * Math.abs(d.change) && [d.volume, d.mix, d.price, d.tokensPerRequest].every(Number.isFinite);
      }),
    );
  });
});

describe('detectSpendAnomalies', () => {
  it('flags a spike against the trailing median', () => {
    const values = [100, 104, 98, 101, 99, 103, 97, 100, 102, 300, 101, 99];
    const anomalies = detectSpendAnomalies(series(values));
    expect(anomalies.map((a) => a.timestamp)).toEqual([9 * DAY]);
    expect(anomalies[0]!.expected).toBe(100);
    expect(anomalies[0]!.increase).toBe(200);
  });
  it('flat history: any increase is a spike, no change is not', () => {
    const anomalies = detectSpendAnomalies(series([5, 5, 5, 5, 5, 5, 5, 5, 6]));
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]!.score).toBe(Infinity);
  });
});

describe('whatIf', () => {
  const records: UsageRecord[] = [
    { timestamp: DAY, provider: 'openai', model: 'a', inputTokens: 1_000_000, outputTokens: 500_000, feature: 'x' },
    { timestamp: DAY, provider: 'openai', model: 'a', inputTokens: 1_000_000, outputTokens: 0, feature: 'y' },
  ];
  const table = createUsageTable(records);
  const priced = priceUsageTable(table, catalogue);
  it('re-prices under another model at each record date and only where asked', () => {
    const r = whatIf(table, priced, catalogue, { where: { feature: 'x' }, model: { provider: 'openai', model: 'b' } });
    expect(r.affectedRecords).toBe(1);
    expect(r.baseline).toBeCloseTo(2, 12);
    expect(r.scenario).toBeCloseTo(8, 12); // $4 + 0.5 × $8 before 1970-01-20
    const later = whatIf(table, priced, catalogue, { where: { feature: 'x' }, model: { provider: 'openai', model: 'b' }, priceAt: '1970-02-01' });
    expect(later.scenario).toBeCloseTo(4, 12);
  });
  it('cache and batch assumptions', () => {
    const cached = whatIf(table, priced, catalogue, { cacheReadShare: 0.5 });
    // input: 2M × (0.5 × $1 + 0.5 × $0.1) = $1.10; output $1
    expect(cached.scenario).toBeCloseTo(2.1, 12);
    expect(cached.change).toBeCloseTo(-0.9, 12);
    const unknown = whatIf(table, priced, catalogue, { model: { provider: 'openai', model: 'nope' } });
    expect(unknown.unpricedRecords).toBe(2);
    expect(unknown.baseline).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decomposeSpendChange, detectSpendAnomalies, forecastBudget, spendSeries, whatIf } from './budget';
import { createPriceCatalogue } from './catalogue';
import { priceUsageTable } from './pricing';
import { seededRandom } from './stats';
import { normalQuantile } from '../stats';
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

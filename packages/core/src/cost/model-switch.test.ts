import { describe, expect, it } from 'vitest';
import { createPriceCatalogue } from './catalogue';
import { findModelSwitches } from './model-switch';
import { priceUsageTable } from './pricing';
import { seededRandom } from './stats';
import { createUsageTable } from './table';
import type { UsageRecord } from './usage';

const catalogue = createPriceCatalogue({
  entries: [
    { provider: 'openai', model: 'premium', input: 10, output: 30 },
    { provider: 'openai', model: 'budget', input: 1, output: 3 },
    { provider: 'openai', model: 'slow-budget', input: 1, output: 3 },
  ],
});
const DAY = 86_400_000;

/** Simulated traffic: premium everywhere, budget on a share of each feature (an A/B split). */
function traffic(seed: number, passRates: Record<string, Record<string, number>>, latencyScale: Record<string, number> = {}): UsageRecord[] {
  const random = seededRandom(seed);
  const records: UsageRecord[] = [];
  for (const [feature, byModel] of Object.entries(passRates)) {
    for (const [model, passRate] of Object.entries(byModel)) {
      const count = model === 'premium' ? 3000 : 1500;
      for (let k = 0; k < count; k++) {
        records.push({
          timestamp: random() * 30 * DAY,
          provider: 'openai',
          model,
          feature,
          inputTokens: 1000 + Math.floor(random() * 1000),
          outputTokens: 200 + Math.floor(random() * 100),
          latencyMs: (800 + random() * 400) * (latencyScale[model] ?? 1),
          quality: random() < passRate ? 1 : 0,
        });
      }
    }
  }
  return records;
}

describe('findModelSwitches', () => {
  const records = traffic(7, { summarise: { premium: 0.9, budget: 0.9 }, legal: { premium: 0.9, budget: 0.8 } });
  const table = createUsageTable(records);
  const priced = priceUsageTable(table, catalogue);
  const result = findModelSwitches(table, priced, { catalogue, qualityMargin: 0.03, seed: 11, resamples: 300 });

  it('recommends the switch where quality is equal and refuses the one where it is worse', () => {
    const summarise = result.evaluations.find((e) => e.feature === 'summarise' && e.from.model === 'premium' && e.to.model === 'budget')!;
    const legal = result.evaluations.find((e) => e.feature === 'legal' && e.from.model === 'premium' && e.to.model === 'budget')!;
    expect(summarise.recommended).toBe(true);
    expect(summarise.reasons).toEqual([]);
    expect(legal.recommended).toBe(false);
    expect(legal.reasons.join(' ')).toMatch(/quality may be worse/);
    expect(result.opportunities.map((o) => o.scope.feature)).toEqual(['summarise']);
    // Never recommends the expensive direction.
    expect(result.evaluations.filter((e) => e.to.model === 'premium').every((e) => !e.recommended)).toBe(true);
  });

  it('savings come from re-pricing the current traffic: 90% off list price at equal output length', () => {
    const summarise = result.evaluations.find((e) => e.feature === 'summarise' && e.to.model === 'budget')!;
    let spend = 0;
    records.forEach((r, i) => {
      if (r.feature === 'summarise' && r.model === 'premium') spend += priced.cost[i]!;
    });
    expect(summarise.spend.current).toBeCloseTo(spend, 9);
    // budget costs exactly a tenth per token; output lengths have the same distribution, so the ratio is ~1.
    expect(summarise.outputTokensRatio.lower).toBeLessThan(1.03);
    expect(summarise.outputTokensRatio.upper).toBeGreaterThan(0.97);
    expect(summarise.spend.repriced).toBeGreaterThan(spend * 0.095);
    expect(summarise.spend.repriced).toBeLessThan(spend * 0.105);
    const o = result.opportunities[0]!;
    expect(o.monthlySavings.low).toBeLessThanOrEqual(o.monthlySavings.expected);
    expect(o.monthlySavings.expected).toBeLessThanOrEqual(o.monthlySavings.high);
    // 30 days of data ≈ one month
    expect(o.monthlySavings.expected).toBeGreaterThan((spend - spend * 0.105) * 0.99);
  });

  it('is deterministic for a seed', () => {
    const again = findModelSwitches(table, priced, { catalogue, qualityMargin: 0.03, seed: 11, resamples: 300 });
    expect(again).toEqual(result);
  });

  it('refuses a slower model by the p95 latency bound', () => {
    const slow = traffic(3, { summarise: { premium: 0.9, 'slow-budget': 0.9 } }, { 'slow-budget': 1.6 });
    const t = createUsageTable(slow);
    const r = findModelSwitches(t, priceUsageTable(t, catalogue), { catalogue, qualityMargin: 0.03, seed: 1, resamples: 300 });
    const e = r.evaluations.find((x) => x.to.model === 'slow-budget')!;
    expect(e.recommended).toBe(false);
    expect(e.reasons.join(' ')).toMatch(/p95 latency/);
    expect(e.latencyP95Ratio.estimate).toBeGreaterThan(1.4);
  });

  it('refuses when samples are below the minimum', () => {
    const r = findModelSwitches(table, priced, { catalogue, qualityMargin: 0.03, minSamples: 5000, resamples: 50 });
    expect(r.opportunities).toEqual([]);
    expect(r.evaluations.every((e) => e.reasons.some((x) => /too few samples/.test(x)))).toBe(true);
  });

  it('corrects for multiple candidates: a borderline result that passes alone fails among many', () => {
    // Quality is borderline-non-inferior: pass alone at alpha 0.05, not after Holm over many tests.
    const random = seededRandom(99);
    const make = (feature: string, model: string, n: number, passes: number): UsageRecord[] =>
      Array.from({ length: n }, (_, k) => ({ timestamp: random() * DAY, provider: 'openai', model, feature, inputTokens: 1000, outputTokens: 100, latencyMs: 1000, quality: k < passes ? 1 : 0 }));
    const single = [...make('f0', 'premium', 400, 360), ...make('f0', 'budget', 400, 360)];
    const alone = createUsageTable(single);
    const aloneResult = findModelSwitches(alone, priceUsageTable(alone, catalogue), { catalogue, qualityMargin: 0.045, resamples: 50 });
    const aloneEval = aloneResult.evaluations.find((e) => e.to.model === 'budget')!;
    expect(aloneEval.quality.pValue).toBeLessThan(0.05);
    expect(aloneEval.recommended).toBe(true);
    const many: UsageRecord[] = [];
    for (let f = 0; f < 8; f++) many.push(...make(`f${f}`, 'premium', 400, 360), ...make(`f${f}`, 'budget', 400, 360));
    const family = createUsageTable(many);
    const familyResult = findModelSwitches(family, priceUsageTable(family, catalogue), { catalogue, qualityMargin: 0.045, resamples: 50 });
    const toBudget = familyResult.evaluations.filter((e) => e.to.model === 'budget');
    expect(toBudget).toHaveLength(8);
    expect(toBudget.every((e) => e.quality.pValue < 0.05 && e.quality.adjustedPValue >= 0.05)).toBe(true);
    expect(toBudget[0]!.quality.adjustedPValue).toBeCloseTo(Math.min(1, 8 * toBudget[0]!.quality.pValue), 12);
    expect(toBudget.every((e) => !e.recommended)).toBe(true);
  });
});

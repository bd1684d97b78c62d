import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '@vigil/core';
import { DEFAULT_PRICE_CATALOGUE, createUsageTable, detectSpendAnomalies, spendSeries, findBatchOpportunities, findCachingOpportunities, findModelSwitches, findWaste, priceUsageTable } from '@vigil/core/cost';
import { SIMULATED_LLM_SCENARIO, llmSpendSpikeHours, llmVolumeFactor, simulateLlmUsage } from './index';

const HOUR = 3_600_000;
// A Monday 00:00 UTC, so the two days are weekdays.
const START = Date.UTC(2026, 10, 16);
const END = START + 48 * HOUR;

describe('simulateLlmUsage', () => {
  const records = simulateLlmUsage({ start: START, end: END, seed: 7 });
  const table = createUsageTable(records);
  const priced = priceUsageTable(table, DEFAULT_PRICE_CATALOGUE);

  it('makes records in range, sorted, with valid token counts, in the engine shape', { timeout: 30_000 }, () => {
    expect(records.length).toBeGreaterThan(10_000);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      expect(r.timestamp).toBeGreaterThanOrEqual(START);
      expect(r.timestamp).toBeLessThan(END);
      if (i > 0) expect(r.timestamp).toBeGreaterThanOrEqual(records[i - 1]!.timestamp);
      expect(Number.isInteger(r.inputTokens) && r.inputTokens >= 0).toBe(true);
      expect(Number.isInteger(r.outputTokens) && r.outputTokens >= 0).toBe(true);
      // OpenAI's input includes cache reads; a record must never claim more cached than total input there.
      if (r.provider === 'openai') expect(r.cacheReadTokens ?? 0).toBeLessThanOrEqual(r.inputTokens);
      if (r.quality !== undefined) expect(r.quality >= 0 && r.quality <= 1).toBe(true);
    }
  });

  it('covers several providers, features, users, tags, streaming and eval traffic, failures, retries and duplicates', () => {
    const providers = new Set(records.map((r) => r.provider));
    expect([...providers].sort()).toEqual(['acme', 'anthropic', 'gcp.gemini', 'openai']);
    expect(new Set(records.map((r) => r.feature))).toEqual(new Set(SIMULATED_LLM_SCENARIO.features));
    expect(new Set(records.map((r) => r.user)).size).toBeGreaterThan(50);
    expect(records.some((r) => r.streaming === true)).toBe(true);
    expect(records.filter((r) => r.tags?.kind === 'eval' && r.streaming === false).length).toBeGreaterThan(1000);
    expect(records.some((r) => r.status === 'error')).toBe(true);
    expect(records.some((r) => r.attempt === 2)).toBe(true);
    expect(records.some((r) => (r.cacheReadTokens ?? 0) > 0 && r.provider === 'anthropic')).toBe(true);
    expect(records.some((r) => r.finishReason === 'length')).toBe(true);
    const hashes = new Map<string, number>();
    for (const r of records) if (r.requestHash !== undefined && r.status === 'ok') hashes.set(r.requestHash, (hashes.get(r.requestHash) ?? 0) + 1);
    expect([...hashes.values()].some((n) => n > 1)).toBe(true);
  });

  it('follows the diurnal curve: the peak hour has more calls than the night hour', () => {
    const perHour = new Map<number, number>();
    for (const r of records) if (r.tags?.kind !== 'eval') perHour.set(Math.floor((r.timestamp - START) / HOUR) % 24, (perHour.get(Math.floor((r.timestamp - START) / HOUR) % 24) ?? 0) + 1);
    expect(perHour.get(15)!).toBeGreaterThan(2.5 * perHour.get(3)!);
    expect(llmVolumeFactor(Date.UTC(2026, 10, 21, 15))).toBeLessThan(llmVolumeFactor(Date.UTC(2026, 10, 20, 15)));
  });

  it('reports the in-house model as unpriced, never $0', () => {
    expect(priced.unpriced.map((u) => u.model)).toEqual([SIMULATED_LLM_SCENARIO.unpriced.model]);
    const unpricedRows = records.filter((r) => r.model === SIMULATED_LLM_SCENARIO.unpriced.model).length;
    expect(priced.unpricedRecords).toBe(unpricedRows);
    expect(priced.totalCost).toBeGreaterThan(0);
  });

  it('has the designed quality: equal on classify, worse on summarise (brute-force pass rates)', () => {
    const rate = (feature: string, model: string) => {
      const rated = records.filter((r) => r.feature === feature && r.model === model && r.quality !== undefined);
      return rated.filter((r) => r.quality! >= 0.5).length / rated.length;
    };
    expect(Math.abs(rate('classify', 'gpt-4.1') - rate('classify', 'gpt-4.1-mini'))).toBeLessThan(0.015);
    expect(rate('summarise', 'gpt-4.1') - rate('summarise', 'gpt-4.1-mini')).toBeGreaterThan(0.08);
  });

  it('the engine recommends the equal-quality switch and refuses the worse one, with the reason', () => {
    const { opportunities, evaluations } = findModelSwitches(table, priced, { catalogue: DEFAULT_PRICE_CATALOGUE });
    const { equalQuality, worseQuality } = SIMULATED_LLM_SCENARIO;
    const find = (s: { readonly feature: string; readonly from: { readonly model: string }; readonly to: { readonly model: string } }) => evaluations.find((e) => e.feature === s.feature && e.from.model === s.from.model && e.to.model === s.to.model);
    const recommended = find(equalQuality);
    expect(recommended?.recommended, recommended?.reasons.join('; ')).toBe(true);
    expect(recommended!.monthlySavings.expected).toBeGreaterThan(0);
    expect(opportunities.some((o) => o.kind === 'model-switch' && o.scope.feature === 'classify')).toBe(true);
    const refused = find(worseQuality);
    expect(refused?.recommended).toBe(false);
    expect(refused!.reasons.join(' ')).toMatch(/quality may be worse/);
    expect(opportunities.some((o) => o.kind === 'model-switch' && o.scope.feature === 'summarise')).toBe(false);
  });

  it('makes the same decisions on a single day, for several seeds', () => {
    for (const seed of [1, 2, 3]) {
      const day = createUsageTable(simulateLlmUsage({ start: END - 24 * HOUR, end: END, seed }));
      const dayPriced = priceUsageTable(day, DEFAULT_PRICE_CATALOGUE);
      const { evaluations } = findModelSwitches(day, dayPriced, { catalogue: DEFAULT_PRICE_CATALOGUE });
      const decision = (feature: string) => evaluations.find((e) => e.feature === feature && e.from.model === 'gpt-4.1' && e.to.model === 'gpt-4.1-mini')?.recommended;
      expect([seed, decision('classify'), decision('summarise')]).toEqual([seed, true, false]);
    }
  }, 30_000);

  it('gives the caching, batch and waste detectors something to find', () => {
    expect(findCachingOpportunities(table, priced, { catalogue: DEFAULT_PRICE_CATALOGUE }).opportunities.length).toBeGreaterThan(0);
    expect(findBatchOpportunities(table, priced, { catalogue: DEFAULT_PRICE_CATALOGUE }).some((o) => o.scope.feature === 'eval-job' || JSON.stringify(o.scope).includes('eval'))).toBe(true);
    const waste = new Set(findWaste(table, priced).map((o) => o.kind));
    expect(waste.has('failed-calls')).toBe(true);
    expect(waste.has('duplicate-requests')).toBe(true);
  });

  it('puts a cost spike on even days that the spend anomaly detector finds, and no other', () => {
    const week = createUsageTable(simulateLlmUsage({ start: START, end: START + 7 * 24 * HOUR, seed: 7, evalJobSize: 0 }));
    const weekPriced = priceUsageTable(week, DEFAULT_PRICE_CATALOGUE);
    const designed = llmSpendSpikeHours(7, START, START + 7 * 24 * HOUR);
    expect(designed.length).toBeGreaterThanOrEqual(3);
    for (const t of designed) expect(Math.floor(t / (24 * HOUR)) % 2).toBe(0);
    const anomalies = detectSpendAnomalies(spendSeries(week, weekPriced, { interval: HOUR, origin: START }));
    // Every designed spike with enough history is found, at least twice its usual spend. (The detector, which has no
    // daily seasonality, also flags some morning ramps; the designed spikes are the largest of their day.)
    for (const t of designed.filter((x) => x >= START + 7 * HOUR)) {
      const hit = anomalies.find((a) => a.timestamp === t);
      expect(hit, new Date(t).toISOString()).toBeDefined();
      expect(hit!.spend).toBeGreaterThan(2 * hit!.expected);
      const sameDay = anomalies.filter((a) => Math.floor(a.timestamp / (24 * HOUR)) === Math.floor(t / (24 * HOUR)));
      expect(Math.max(...sameDay.map((a) => a.spend - a.expected))).toBe(hit!.spend - hit!.expected);
    }
    expect(() => llmSpendSpikeHours(1.5, START, END)).toThrow(ValidationError);
  }, 60_000);

  it('is deterministic, and an hour is the same whatever range asks for it', () => {
    const again = simulateLlmUsage({ start: START, end: END, seed: 7 });
    expect(again).toEqual(records);
    const hourStart = START + 30 * HOUR;
    const alone = simulateLlmUsage({ start: hourStart, end: hourStart + HOUR, seed: 7 });
    expect(alone).toEqual(records.filter((r) => r.timestamp >= hourStart && r.timestamp < hourStart + HOUR));
    const other = simulateLlmUsage({ start: hourStart, end: hourStart + HOUR, seed: 8 });
    expect(other).not.toEqual(alone);
  });

  it('rejects bad options with a ValidationError naming the field', () => {
    const bad: [unknown, string][] = [
      [null, 'options'],
      [{ start: Number.NaN, end: END }, 'options.start'],
      [{ start: START, end: START }, 'options.end'],
      [{ start: START, end: START + 40 * 24 * HOUR }, 'options.end'],
      [{ start: START, end: END, seed: 1.5 }, 'options.seed'],
      [{ start: START, end: END, peakRequestsPerHour: -1 }, 'options.peakRequestsPerHour'],
      [{ start: START, end: END, evalJobHours: [25] }, 'options.evalJobHours[0]'],
      [{ start: START, end: END, peakRequestsPerHour: 900_000 }, 'options.peakRequestsPerHour'],
    ];
    for (const [options, path] of bad) {
      try {
        simulateLlmUsage(options as never);
        expect.unreachable(`accepted ${JSON.stringify(options)}`);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).path).toBe(path);
      }
    }
  });

  it('never returns NaN or negative numbers for any seed and short range (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 0, max: 1e5 }), fc.integer({ min: 1, max: 3 * HOUR }), (seed, offsetMinutes, length) => {
        const start = START + offsetMinutes * 60_000;
        const out = simulateLlmUsage({ start, end: start + length, seed, peakRequestsPerHour: 200, evalJobSize: 50 });
        for (const r of out) {
          for (const v of [r.inputTokens, r.outputTokens, r.latencyMs ?? 0, r.cacheReadTokens ?? 0]) if (!(Number.isFinite(v) && v >= 0)) return false;
          if (r.timestamp < start || r.timestamp >= start + length) return false;
        }
        return true;
      }),
      { numRuns: 40 },
    );
  });
});

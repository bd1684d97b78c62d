import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPriceCatalogue, findPrice, withOverrides } from './catalogue';
import { DEFAULT_PRICE_CATALOGUE } from './default-catalogue';
import { priceUsage, priceUsageTable } from './pricing';
import { createUsageTable } from './table';
import type { UsageRecord } from './usage';

const AUG = Date.parse('2025-08-01T12:00:00Z');
const cost = (record: UsageRecord) => {
  const q = priceUsage(record, DEFAULT_PRICE_CATALOGUE);
  if (q.status !== 'priced') throw new Error(q.reason);
  return q.cost;
};

// Hand-computed invoices: tokens × list price per million (DEFAULT_CATALOGUE_AS_OF 2025-08-15).
describe('hand-computed invoices per provider convention', () => {
  it('OpenAI gpt-4o-mini with cached input: 2,000 × $0.15 + 8,000 × $0.075 + 500 × $0.60 = $0.0012', () => {
    expect(cost({ timestamp: AUG, provider: 'openai', model: 'gpt-4o-mini-2024-07-18', inputTokens: 10_000, cacheReadTokens: 8_000, outputTokens: 500 })).toBeCloseTo(0.0012, 12);
  });
  it('the same call through the batch API is half price', () => {
    expect(cost({ timestamp: AUG, provider: 'openai', model: 'gpt-4o-mini', inputTokens: 10_000, cacheReadTokens: 8_000, outputTokens: 500, batch: true })).toBeCloseTo(0.0006, 12);
  });
  it('Anthropic claude-sonnet-4 with 5m and 1h cache writes: $0.0825', () => {
    // 2,000 × 3 + 50,000 × 0.30 + 6,000 × 3.75 + 4,000 × 6 + 1,000 × 15 = 82,500 per million
    expect(cost({ timestamp: AUG, provider: 'anthropic', model: 'claude-sonnet-4-20250514', inputTokens: 2_000, cacheReadTokens: 50_000, cacheCreationTokens: 10_000, cacheWrite1hTokens: 4_000, outputTokens: 1_000 })).toBeCloseTo(0.0825, 12);
  });
  it('Anthropic long context (> 200k input) prices the whole request at the tier: $0.9585', () => {
    // 150,000 × 6 + 60,000 × 0.60 + 1,000 × 22.50
    expect(cost({ timestamp: AUG, provider: 'anthropic', model: 'claude-sonnet-4-20250514', inputTokens: 150_000, cacheReadTokens: 60_000, outputTokens: 1_000 })).toBeCloseTo(0.9585, 12);
    // exactly 200,000 stays at the base price
    expect(cost({ timestamp: AUG, provider: 'anthropic', model: 'claude-sonnet-4', inputTokens: 200_000, outputTokens: 0 })).toBeCloseTo(0.6, 12);
  });
  it('OpenTelemetry semconv counts for Anthropic (input includes cache) price the same as raw counts', () => {
    const semconv = cost({ timestamp: AUG, provider: 'anthropic', model: 'claude-sonnet-4', inputTokens: 62_000, cacheReadTokens: 50_000, cacheCreationTokens: 10_000, outputTokens: 1_000, convention: { inputIncludesCache: true, outputIncludesReasoning: true } });
    const raw = cost({ timestamp: AUG, provider: 'anthropic', model: 'claude-sonnet-4', inputTokens: 2_000, cacheReadTokens: 50_000, cacheCreationTokens: 10_000, outputTokens: 1_000 });
    expect(semconv).toBeCloseTo(0.0735, 12); // 6,000 + 15,000 + 37,500 + 15,000
    expect(raw).toBe(semconv);
  });
  it('Amazon Bedrock Claude (exclusive input): $0.04125', () => {
    // 1,500 × 3 + 20,000 × 0.30 + 5,000 × 3.75 + 800 × 15
    expect(cost({ timestamp: AUG, provider: 'aws.bedrock', model: 'us.anthropic.claude-sonnet-4-20250514-v1:0', inputTokens: 1_500, cacheReadTokens: 20_000, cacheCreationTokens: 5_000, outputTokens: 800 })).toBeCloseTo(0.04125, 12);
  });
  it('Gemini 2.5 Pro below and above 200k prompt tokens, thoughts billed as output', () => {
    // 60,000 × 1.25 + 40,000 × 0.31 + (1,000 + 500) × 10 = 102,400
    expect(cost({ timestamp: AUG, provider: 'gcp.gemini', model: 'gemini-2.5-pro', inputTokens: 100_000, cacheReadTokens: 40_000, outputTokens: 1_000, reasoningTokens: 500 })).toBeCloseTo(0.1024, 12);
    // 150,000 × 2.50 + 100,000 × 0.625 + (2,000 + 3,000) × 15 = 512,500
    expect(cost({ timestamp: AUG, provider: 'gemini', model: 'gemini-2.5-pro', inputTokens: 250_000, cacheReadTokens: 100_000, outputTokens: 2_000, reasoningTokens: 3_000 })).toBeCloseTo(0.5125, 12);
  });
  it('Azure OpenAI (deprecated az.ai.openai) gpt-4.1: $0.008592', () => {
    expect(cost({ timestamp: AUG, provider: 'az.ai.openai', model: 'gpt-4.1', inputTokens: 5_000, cacheReadTokens: 3_072, outputTokens: 400 })).toBeCloseTo(0.008592, 12);
  });
  it('o3 before and after the 2025-06-10 price cut (reasoning billed as output)', () => {
    const call = { provider: 'openai', model: 'o3', inputTokens: 1_000, outputTokens: 3_000, reasoningTokens: 2_500 };
    expect(cost({ ...call, timestamp: Date.parse('2025-06-09T23:59:59Z') })).toBeCloseTo(0.13, 12);
    expect(cost({ ...call, timestamp: Date.parse('2025-06-10T00:00:00Z') })).toBeCloseTo(0.026, 12);
  });
});

describe('unknown models are unpriced, never $0', () => {
  it('priceUsage says unpriced', () => {
    const q = priceUsage({ timestamp: AUG, provider: 'openai', model: 'ft:gpt-4o-mini:acme', inputTokens: 1, outputTokens: 1 }, DEFAULT_PRICE_CATALOGUE);
    expect(q.status).toBe('unpriced');
  });
  it('priceUsageTable leaves NaN, excludes from totals and lists the model', () => {
    const table = createUsageTable([
      { timestamp: AUG, provider: 'openai', model: 'gpt-4o', inputTokens: 1_000, outputTokens: 100 },
      { timestamp: AUG, provider: 'acme', model: 'acme-1', inputTokens: 5_000, outputTokens: 50 },
      { timestamp: AUG, provider: 'acme', model: 'acme-1', inputTokens: 5_000, outputTokens: 50 },
    ]);
    const priced = priceUsageTable(table, DEFAULT_PRICE_CATALOGUE);
    expect(priced.cost[1]).toBeNaN();
    expect(priced.unpricedRecords).toBe(2);
    expect(priced.pricedRecords).toBe(1);
    expect(priced.totalCost).toBeCloseTo(0.0035, 12);
    expect(priced.unpriced).toEqual([{ provider: 'acme', model: 'acme-1', records: 2, inputTokens: 10_000, outputTokens: 100 }]);
  });
  it('a price outside its dates does not price the record', () => {
    const catalogue = createPriceCatalogue({ entries: [{ model: 'm', input: 1, output: 1, effectiveFrom: '2025-01-01', effectiveTo: '2025-02-01' }] });
    expect(findPrice(catalogue, 'x', 'm', Date.parse('2025-01-15'))).toBeDefined();
    expect(findPrice(catalogue, 'x', 'm', Date.parse('2025-02-01'))).toBeUndefined();
  });
});

describe('catalogue precedence', () => {
  it('project overrides win; exact names beat patterns; longer patterns beat shorter', () => {
    const catalogue = createPriceCatalogue({
      entries: [
        { id: 'family', model: 'gpt-4o*', input: 1, output: 1 },
        { id: 'mini', model: 'gpt-4o-mini*', input: 2, output: 2 },
        { id: 'exact', model: 'gpt-4o-mini', input: 3, output: 3 },
        { id: 'provider-specific', provider: 'azure.ai.openai', model: 'gpt-4o*', input: 4, output: 4 },
      ],
      overrides: [{ id: 'contract', provider: 'openai', model: 'gpt-4o-mini-2024-07-18', input: 0.1, output: 0.1 }],
    });
    expect(findPrice(catalogue, 'openai', 'gpt-4o', 0)?.id).toBe('family');
    expect(findPrice(catalogue, 'openai', 'gpt-4o-mini', 0)?.id).toBe('exact');
    expect(findPrice(catalogue, 'openai', 'gpt-4o-mini-2024-12-01', 0)?.id).toBe('mini');
    expect(findPrice(catalogue, 'openai', 'gpt-4o-mini-2024-07-18', 0)?.id).toBe('contract');
    expect(findPrice(catalogue, 'azure.ai.openai', 'gpt-4o-mini-2024-07-18', 0)?.id).toBe('provider-specific');
    expect(findPrice(catalogue, 'openai', 'openrouter/gpt-4o', 0)?.id).toBe('family');
    const more = withOverrides(catalogue, [{ id: 'later', model: 'gpt-4o', input: 9, output: 9 }]);
    expect(findPrice(more, 'openai', 'gpt-4o', 0)?.id).toBe('later');
  });
  it('missing cache prices fall back to the input price and are counted', () => {
    const catalogue = createPriceCatalogue({ entries: [{ model: 'm', input: 2, output: 4 }] });
    const table = createUsageTable([{ timestamp: 0, provider: 'openai', model: 'm', inputTokens: 1_000_000, cacheReadTokens: 500_000, outputTokens: 0, batch: true }]);
    const priced = priceUsageTable(table, catalogue);
    expect(priced.totalCost).toBeCloseTo(2, 12);
    expect(priced.fallbacks).toEqual({ cacheReadAtInputPrice: 1, cacheWriteAtFallbackPrice: 0, batchAtFullPrice: 1 });
  });
  it('rejects bad entries with their path', () => {
    expect(() => createPriceCatalogue({ entries: [{ model: 'm', input: -1, output: 1 }] })).toThrow(/entries\[0\]\.input/);
    expect(() => createPriceCatalogue({ entries: [{ model: 'm', input: 1, output: 1, effectiveFrom: '2025-02-01', effectiveTo: '2025-01-01' }] })).toThrow(/effectiveTo/);
    expect(() => createPriceCatalogue({ entries: [{ model: 'm', input: 1, output: 1, tiers: [{ aboveInputTokens: -5, input: 1, output: 1 }] }] })).toThrow(/tiers\[0\]/);
  });
});

describe('pricing properties', () => {
  const recordArb = fc.record({
    timestamp: fc.integer({ min: Date.parse('2025-01-01'), max: Date.parse('2025-12-31') }),
    model: fc.constantFrom('gpt-4o', 'gpt-4o-mini', 'o3', 'claude-sonnet-4', 'claude-3-5-haiku', 'gemini-2.5-pro', 'gemini-2.5-flash', 'unknown-model'),
    fresh: fc.nat(300_000),
    read: fc.nat(100_000),
    write: fc.nat(50_000),
    output: fc.nat(20_000),
    reasoning: fc.nat(5_000),
    batch: fc.boolean(),
  });
  const providerOf = (model: string) => (model.startsWith('claude') ? 'anthropic' : model.startsWith('gemini') ? 'gcp.gemini' : 'openai');
  const toRecord = (r: { timestamp: number; model: string; fresh: number; read: number; write: number; output: number; reasoning: number; batch: boolean }): UsageRecord => {
    const provider = providerOf(r.model);
    const inclusive = provider !== 'anthropic';
    const reasoningIncluded = provider !== 'gcp.gemini';
    return {
      timestamp: r.timestamp,
      provider,
      model: r.model,
      inputTokens: inclusive ? r.fresh + r.read + r.write : r.fresh,
      cacheReadTokens: r.read,
      cacheCreationTokens: r.write,
      outputTokens: reasoningIncluded ? r.output + r.reasoning : r.output,
      reasoningTokens: r.reasoning,
      batch: r.batch,
    };
  };
  it('costs are non-negative, never NaN when priced, and additive across any split of the records', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 60 }), fc.nat(60), (raw, cut) => {
        const records = raw.map(toRecord);
        const all = priceUsageTable(createUsageTable(records), DEFAULT_PRICE_CATALOGUE);
        const k = Math.min(cut, records.length);
        const left = priceUsageTable(createUsageTable(records.slice(0, k)), DEFAULT_PRICE_CATALOGUE);
        const right = priceUsageTable(createUsageTable(records.slice(k)), DEFAULT_PRICE_CATALOGUE);
        for (let i = 0; i < records.length; i++) {
          const c = all.cost[i]!;
          if (all.priceIndex[i]! >= 0 ? !(c >= 0) : !Number.isNaN(c)) return false;
          if (records[i]!.model === 'unknown-model' && all.priceIndex[i] !== -1) return false;
        }
        return Number.isFinite(all.totalCost) && all.totalCost >= 0 && Math.abs(left.totalCost + right.totalCost - all.totalCost) <= 1e-9 * Math.max(1, all.totalCost) && left.unpricedRecords + right.unpricedRecords === all.unpricedRecords;
      }),
    );
  });
  it('the columnar path equals priceUsage record by record', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 40 }), (raw) => {
        const records = raw.map(toRecord);
        const priced = priceUsageTable(createUsageTable(records), DEFAULT_PRICE_CATALOGUE);
        return records.every((r, i) => {
          const q = priceUsage(r, DEFAULT_PRICE_CATALOGUE);
          return q.status === 'priced' ? Math.abs(q.cost - priced.cost[i]!) <= 1e-15 + 1e-12 * q.cost : Number.isNaN(priced.cost[i]!);
        });
      }),
    );
  });
});

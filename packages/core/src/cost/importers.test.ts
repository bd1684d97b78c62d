import { describe, expect, it } from 'vitest';
import { aggregateToCsv, aggregateUsage } from './aggregate';
import { createPriceCatalogue } from './catalogue';
import { DEFAULT_PRICE_CATALOGUE } from './default-catalogue';
import { findOpportunities } from './find';
import { importLiteLLMPrices, importModelsDevPrices } from './importers';
import { priceUsage, priceUsageTable } from './pricing';
import { createUsageTable } from './table';

const AUG = Date.parse('2025-08-01');

describe('LiteLLM importer', () => {
  const document = {
    sample_spec: { input_cost_per_token: 0, output_cost_per_token: 0 },
    'gpt-4o': { litellm_provider: 'openai', mode: 'chat', max_input_tokens: 128000, input_cost_per_token: 2.5e-6, output_cost_per_token: 1e-5, cache_read_input_token_cost: 1.25e-6, input_cost_per_token_batches: 1.25e-6, output_cost_per_token_batches: 5e-6 },
    'claude-sonnet-4-20250514': {
      litellm_provider: 'anthropic',
      input_cost_per_token: 3e-6,
      output_cost_per_token: 1.5e-5,
      cache_read_input_token_cost: 3e-7,
      cache_creation_input_token_cost: 3.75e-6,
      cache_creation_input_token_cost_above_1hr: 6e-6,
      input_cost_per_token_above_200k_tokens: 6e-6,
      output_cost_per_token_above_200k_tokens: 2.25e-5,
      cache_read_input_token_cost_above_200k_tokens: 6e-7,
    },
    'bedrock/us-east-1/anthropic.claude-3-5-haiku-20241022-v1:0': { litellm_provider: 'bedrock', input_cost_per_token: 8e-7, output_cost_per_token: 4e-6 },
    'dall-e-3': { litellm_provider: 'openai', mode: 'image_generation', output_cost_per_image: 0.04 },
  };
  const { entries, skipped } = importLiteLLMPrices(document);
  const catalogue = createPriceCatalogue({ name: 'litellm', entries });
  it('reads per-token prices as per-million, with cache, batch and tiers', () => {
    expect(entries).toHaveLength(3);
    expect(skipped.map((s) => s.key)).toEqual(['dall-e-3']);
    const gpt = entries.find((e) => e.model === 'gpt-4o')!;
    expect(gpt).toMatchObject({ provider: 'openai', input: 2.5, output: 10, cacheRead: 1.25, batch: { input: 1.25, output: 5 }, contextWindow: 128000 });
    const claude = entries.find((e) => e.model === 'claude-sonnet-4-20250514')!;
    expect(claude).toMatchObject({ cacheWrite5m: 3.75, cacheWrite1h: 6, tiers: [{ aboveInputTokens: 200_000, input: 6, output: 22.5, cacheRead: 0.6 }] });
    expect(entries.find((e) => e.provider === 'aws.bedrock')!.model).toBe('anthropic.claude-3-5-haiku-20241022-v1:0');
  });
  it('prices the same invoice as the default catalogue', () => {
    const record = { timestamp: AUG, provider: 'anthropic', model: 'claude-sonnet-4-20250514', inputTokens: 2_000, cacheReadTokens: 50_000, cacheCreationTokens: 10_000, cacheWrite1hTokens: 4_000, outputTokens: 1_000 };
    const a = priceUsage(record, catalogue);
    const b = priceUsage(record, DEFAULT_PRICE_CATALOGUE);
    expect(a.status === 'priced' && a.cost).toBeCloseTo(0.0825, 12);
    expect(b.status === 'priced' && b.cost).toBeCloseTo(0.0825, 12);
  });
  it('rejects a non-object document', () => {
    expect(() => importLiteLLMPrices([])).toThrow(/document/);
  });
});

describe('models.dev importer', () => {
  const document = {
    google: {
      id: 'google',
      models: {
        'gemini-2.5-pro': { id: 'gemini-2.5-pro', cost: { input: 1.25, output: 10, cache_read: 0.31, context_over_200k: { input: 2.5, output: 15, cache_read: 0.625 } }, limit: { context: 1048576, output: 65536 } },
        'gemini-embedding': { id: 'gemini-embedding' },
      },
    },
    openai: { id: 'openai', models: { 'gpt-5': { cost: { input: 1.25, output: 10, cache_read: 0.125, tiers: [{ tier: { type: 'context', size: 272000 }, input: 2.5, output: 20 }] }, limit: { context: 400000 } } } },
  };
  it('reads providers, costs per million and both tier shapes', () => {
    const { entries, skipped } = importModelsDevPrices(document);
    expect(skipped.map((s) => s.key)).toEqual(['google/gemini-embedding']);
    const gemini = entries.find((e) => e.model === 'gemini-2.5-pro')!;
    expect(gemini).toMatchObject({ provider: 'gcp.gemini', input: 1.25, cacheRead: 0.31, contextWindow: 1048576, tiers: [{ aboveInputTokens: 200_000, input: 2.5, output: 15, cacheRead: 0.625 }] });
    const gpt = entries.find((e) => e.model === 'gpt-5')!;
    expect(gpt.tiers).toEqual([{ aboveInputTokens: 272_000, input: 2.5, output: 20 }]);
    // Gemini invoice above 200k from the imported catalogue: 150,000 × 2.5 + 100,000 × 0.625 + 5,000 × 15
    const q = priceUsage({ timestamp: AUG, provider: 'gemini', model: 'gemini-2.5-pro', inputTokens: 250_000, cacheReadTokens: 100_000, outputTokens: 2_000, reasoningTokens: 3_000 }, createPriceCatalogue({ entries }));
    expect(q.status === 'priced' && q.cost).toBeCloseTo(0.5125, 12);
  });
});

describe('exports and the combined detector', () => {
  it('aggregate CSV neutralises formula injection in dimension values', () => {
    const table = createUsageTable([{ timestamp: AUG, provider: 'openai', model: 'gpt-4o', inputTokens: 10, outputTokens: 1, feature: '=cmd|" /C calc"!A0' }]);
    const csv = aggregateToCsv(aggregateUsage(table, priceUsageTable(table, DEFAULT_PRICE_CATALOGUE), { by: ['feature'], interval: 86_400_000 }));
    const [header, row] = csv.trim().split('\n');
    expect(header!.startsWith('feature,bucket_start,requests')).toBe(true);
    expect(row!.startsWith(`"'=cmd|`)).toBe(true);
    expect(row).toContain('2025-08-01T00:00:00.000Z');
  });
  it('findOpportunities merges every detector, largest saving first', () => {
    const records = Array.from({ length: 30 }, (_, k) => ({ timestamp: AUG + k * 1000, provider: 'openai', model: 'gpt-4o', inputTokens: 100_000, outputTokens: 1_000, status: k % 3 === 0 ? ('error' as const) : ('ok' as const), requestHash: `r${k % 10}` }));
    const table = createUsageTable(records);
    const found = findOpportunities(table, priceUsageTable(table, DEFAULT_PRICE_CATALOGUE), { catalogue: DEFAULT_PRICE_CATALOGUE });
    expect(found.map((o) => o.kind).sort()).toEqual(['duplicate-requests', 'failed-calls']);
    for (let k = 1; k < found.length; k++) expect(found[k - 1]!.monthlySavings.expected).toBeGreaterThanOrEqual(found[k]!.monthlySavings.expected);
  });
});

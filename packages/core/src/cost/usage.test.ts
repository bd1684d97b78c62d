import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalProvider, normalizeUsage, providerConvention, usageFromGenAiAttributes } from './usage';
import { createUsageTable, usageTableFromColumns } from './table';
import { ValidationError } from '../errors';

const sum = (t: ReturnType<typeof normalizeUsage>) => t.uncachedInputTokens + t.cacheReadTokens + t.cacheWrite5mTokens + t.cacheWrite1hTokens + t.outputTokens + t.reasoningTokens;

describe('provider conventions: nothing counted twice', () => {
  it('OpenAI: prompt_tokens includes cached_tokens, completion_tokens includes reasoning_tokens', () => {
    // usage: { prompt_tokens: 10000, prompt_tokens_details: { cached_tokens: 8000 }, completion_tokens: 900, completion_tokens_details: { reasoning_tokens: 600 } }
    const t = normalizeUsage({ provider: 'openai', inputTokens: 10_000, cacheReadTokens: 8_000, outputTokens: 900, reasoningTokens: 600 });
    expect(t).toEqual({ uncachedInputTokens: 2_000, cacheReadTokens: 8_000, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 300, reasoningTokens: 600 });
    expect(sum(t)).toBe(10_900); // = prompt_tokens + completion_tokens = total_tokens
  });
  it('Azure OpenAI (and the deprecated az.ai.openai) follows OpenAI', () => {
    expect(providerConvention('az.ai.openai')).toEqual(providerConvention('openai'));
    const t = normalizeUsage({ provider: 'azure.ai.openai', inputTokens: 5_000, cacheReadTokens: 3_072, outputTokens: 400 });
    expect(t.uncachedInputTokens).toBe(1_928);
  });
  it('Anthropic: input_tokens excludes cache_read_input_tokens and cache_creation_input_tokens', () => {
    // usage: { input_tokens: 2000, cache_read_input_tokens: 50000, cache_creation_input_tokens: 10000,
    //          cache_creation: { ephemeral_5m_input_tokens: 6000, ephemeral_1h_input_tokens: 4000 }, output_tokens: 1000 }
    const t = normalizeUsage({ provider: 'anthropic', inputTokens: 2_000, cacheReadTokens: 50_000, cacheCreationTokens: 10_000, cacheWrite1hTokens: 4_000, outputTokens: 1_000 });
    expect(t).toEqual({ uncachedInputTokens: 2_000, cacheReadTokens: 50_000, cacheWrite5mTokens: 6_000, cacheWrite1hTokens: 4_000, outputTokens: 1_000, reasoningTokens: 0 });
    expect(sum(t)).toBe(63_000); // input + cache read + cache creation + output
  });
  it('Anthropic counts read as if inclusive are rejected instead of going negative', () => {
    expect(() => normalizeUsage({ provider: 'anthropic', inputTokens: 2_000, cacheReadTokens: 50_000, outputTokens: 1, convention: { inputIncludesCache: true, outputIncludesReasoning: true } })).toThrow(ValidationError);
  });
  it('Bedrock Converse: inputTokens excludes cacheReadInputTokens and cacheWriteInputTokens', () => {
    // usage: { inputTokens: 1500, cacheReadInputTokens: 20000, cacheWriteInputTokens: 5000, outputTokens: 800, totalTokens: 27300 }
    const t = normalizeUsage({ provider: 'aws.bedrock', model: 'us.anthropic.claude-sonnet-4-20250514-v1:0', inputTokens: 1_500, cacheReadTokens: 20_000, cacheCreationTokens: 5_000, outputTokens: 800 });
    expect(t.uncachedInputTokens).toBe(1_500);
    expect(sum(t)).toBe(27_300); // Bedrock's totalTokens
  });
  it('Gemini: promptTokenCount includes cachedContentTokenCount; candidatesTokenCount excludes thoughtsTokenCount', () => {
    // usageMetadata: { promptTokenCount: 100000, cachedContentTokenCount: 40000, candidatesTokenCount: 1000, thoughtsTokenCount: 500, totalTokenCount: 101500 }
    const t = normalizeUsage({ provider: 'gcp.gemini', inputTokens: 100_000, cacheReadTokens: 40_000, outputTokens: 1_000, reasoningTokens: 500 });
    expect(t).toEqual({ uncachedInputTokens: 60_000, cacheReadTokens: 40_000, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 1_000, reasoningTokens: 500 });
    expect(sum(t)).toBe(101_500); // totalTokenCount
    expect(providerConvention('gemini')).toEqual(providerConvention('gcp.gemini'));
  });
  it('Claude on Vertex AI follows Anthropic, Gemini on Vertex AI follows Gemini', () => {
    expect(providerConvention('gcp.vertex_ai', 'claude-sonnet-4@20250514').inputIncludesCache).toBe(false);
    expect(providerConvention('vertex_ai', 'gemini-2.5-pro').outputIncludesReasoning).toBe(false);
  });
  it('every convention yields non-negative buckets whose sum is the billed total', () => {
    fc.assert(
      fc.property(fc.nat(1e6), fc.nat(1e6), fc.nat(1e6), fc.nat(1e6), fc.nat(1e6), fc.constantFrom('openai', 'anthropic', 'aws.bedrock', 'gcp.gemini'), (fresh, read, write, visible, reasoning, provider) => {
        const c = providerConvention(provider);
        const t = normalizeUsage({
          provider,
          inputTokens: c.inputIncludesCache ? fresh + read + write : fresh,
          cacheReadTokens: read,
          cacheCreationTokens: write,
          outputTokens: c.outputIncludesReasoning ? visible + reasoning : visible,
          reasoningTokens: reasoning,
        });
        return Object.values(t).every((v) => v >= 0) && sum(t) === fresh + read + write + visible + reasoning && t.uncachedInputTokens === fresh;
      }),
    );
  });
});

describe('OpenTelemetry GenAI attributes', () => {
  it('reads current names, semconv counts (cache included in input)', () => {
    const r = usageFromGenAiAttributes(
      {
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4',
        'gen_ai.response.model': 'claude-sonnet-4-20250514',
        'gen_ai.operation.name': 'chat',
        'gen_ai.usage.input_tokens': 62_000,
        'gen_ai.usage.cache_read.input_tokens': 50_000,
        'gen_ai.usage.cache_creation.input_tokens': 10_000,
        'gen_ai.usage.output_tokens': 1_000,
        'gen_ai.response.finish_reasons': ['end_turn'],
        'gen_ai.conversation.id': 'c1',
        'vigil.feature': 'support',
        'user.id': 'u7',
        team: 'growth',
      },
      { timestamp: 1000, latencyMs: 1200, tagAttributes: ['team'] },
    );
    expect(r).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-20250514', operation: 'chat', finishReason: 'end_turn', conversation: 'c1', feature: 'support', user: 'u7', tags: { team: 'growth' }, status: 'ok', latencyMs: 1200 });
    expect(normalizeUsage(r).uncachedInputTokens).toBe(2_000);
  });
  it('reads the deprecated gen_ai.system, prompt/completion token names and the old cache names', () => {
    const r = usageFromGenAiAttributes(
      {
        'gen_ai.system': 'az.ai.openai',
        'gen_ai.request.model': 'gpt-4.1',
        'gen_ai.usage.prompt_tokens': '5000',
        'gen_ai.usage.completion_tokens': 400,
        'gen_ai.usage.cache_read_input_tokens': 3_072,
        'error.type': 'timeout',
      },
      { timestamp: 0 },
    );
    expect(r.provider).toBe('azure.ai.openai');
    expect(r.status).toBe('error');
    expect(normalizeUsage(r).uncachedInputTokens).toBe(1_928);
  });
  it("counts: 'provider' keeps the provider's own convention (raw Anthropic counts)", () => {
    const r = usageFromGenAiAttributes(
      { 'gen_ai.system': 'anthropic', 'gen_ai.request.model': 'claude-3-5-haiku', 'gen_ai.usage.input_tokens': 2_000, 'gen_ai.usage.cache_read.input_tokens': 50_000, 'gen_ai.usage.output_tokens': 10 },
      { timestamp: 0, counts: 'provider' },
    );
    expect(normalizeUsage(r).uncachedInputTokens).toBe(2_000);
    // The same raw counts read as semconv are impossible (input < cache read) and rejected.
    const wrong = usageFromGenAiAttributes(
      { 'gen_ai.system': 'anthropic', 'gen_ai.request.model': 'claude-3-5-haiku', 'gen_ai.usage.input_tokens': 2_000, 'gen_ai.usage.cache_read.input_tokens': 50_000, 'gen_ai.usage.output_tokens': 10 },
      { timestamp: 0 },
    );
    expect(() => normalizeUsage(wrong)).toThrow(/inputIncludesCache/);
  });
  it('rejects spans without provider or model, or with bad counts', () => {
    expect(() => usageFromGenAiAttributes({ 'gen_ai.request.model': 'x' }, { timestamp: 0 })).toThrow(/gen_ai.provider.name/);
    expect(() => usageFromGenAiAttributes({ 'gen_ai.system': 'openai' }, { timestamp: 0 })).toThrow(/gen_ai.response.model/);
    expect(() => usageFromGenAiAttributes({ 'gen_ai.system': 'openai', 'gen_ai.request.model': 'x', 'gen_ai.usage.input_tokens': -1 }, { timestamp: 0 })).toThrow(/input_tokens/);
  });
  it('canonicalProvider maps deprecated gen_ai.system values', () => {
    expect(canonicalProvider('vertex_ai')).toBe('gcp.vertex_ai');
    expect(canonicalProvider(' OpenAI ')).toBe('openai');
    expect(canonicalProvider('cohere')).toBe('cohere');
  });
});

describe('usage table', () => {
  it('stores normalised columns and dictionaries', () => {
    const table = createUsageTable([
      { timestamp: 1, provider: 'openai', model: 'gpt-4o', inputTokens: 100, cacheReadTokens: 40, outputTokens: 5, feature: 'a', tags: { team: 'x' }, latencyMs: 10 },
      { timestamp: 2, provider: 'anthropic', model: 'claude-3-5-haiku', inputTokens: 100, cacheReadTokens: 40, outputTokens: 5, status: 'error', streaming: true },
    ]);
    expect(Array.from(table.uncachedInputTokens)).toEqual([60, 100]);
    expect(table.model.values).toEqual(['gpt-4o', 'claude-3-5-haiku']);
    expect(Array.from(table.feature.codes)).toEqual([0, -1]);
    expect(Array.from(table.tags.get('team')!.codes)).toEqual([0, -1]);
    expect(Array.from(table.ok)).toEqual([1, 0]);
    expect(Array.from(table.streaming)).toEqual([2, 1]);
    expect(table.latencyMs[1]).toBeNaN();
  });
  it('names the bad record and field', () => {
    expect(() => createUsageTable([{ timestamp: 1, provider: 'openai', model: 'm', inputTokens: 1, outputTokens: 1 }, { timestamp: 1, provider: 'openai', model: 'm', inputTokens: 1, outputTokens: 1, quality: 2 }])).toThrow(/records\[1\]\.quality/);
    expect(() => createUsageTable([{ timestamp: NaN, provider: 'openai', model: 'm', inputTokens: 1, outputTokens: 1 }])).toThrow(/records\[0\]\.timestamp/);
  });
  it('validates host columns', () => {
    const base = {
      timestamps: Float64Array.of(0, 1),
      provider: { codes: Int32Array.of(0, 0), values: ['OpenAI'] },
      model: { codes: Int32Array.of(0, 1), values: ['a', 'b'] },
      uncachedInputTokens: Float64Array.of(1, 2),
      outputTokens: Float64Array.of(1, 2),
    };
    const table = usageTableFromColumns(base);
    expect(table.provider.values).toEqual(['openai']);
    expect(table.latencyMs[0]).toBeNaN();
    expect(() => usageTableFromColumns({ ...base, model: { codes: Int32Array.of(0, 2), values: ['a', 'b'] } })).toThrow(/columns.model.codes\[1\]/);
    expect(() => usageTableFromColumns({ ...base, outputTokens: Float64Array.of(1, -2) })).toThrow(/columns.outputTokens\[1\]/);
  });
});

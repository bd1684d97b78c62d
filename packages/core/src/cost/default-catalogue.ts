import { createPriceCatalogue } from './catalogue';
import type { ModelPrice, PriceCatalogue } from './catalogue';

/**
 * The date the default prices were read from the providers' public pricing pages. Prices change: hosts should
 * supply their own catalogue (or import LiteLLM's or models.dev's) and treat this one as a dated example.
 */
export const DEFAULT_CATALOGUE_AS_OF = '2025-08-15';

const OPENAI = 'https://platform.openai.com/docs/pricing';
const ANTHROPIC = 'https://docs.anthropic.com/en/docs/about-claude/pricing';
const GEMINI = 'https://ai.google.dev/gemini-api/docs/pricing';
const BEDROCK = 'https://aws.amazon.com/bedrock/pricing/';

/** OpenAI's own API and Azure OpenAI global deployments list the same per-token prices. */
const OPENAI_PROVIDERS = ['openai', 'azure.ai.openai'];

function openai(model: string, input: number, cacheRead: number, output: number, extra: Partial<ModelPrice> = {}): ModelPrice {
  return {
    provider: OPENAI_PROVIDERS,
    model: [model, `${model}-20??-??-??`],
    input,
    cacheRead,
    // OpenAI charges nothing extra to write its automatic prompt cache.
    cacheWrite5m: input,
    cacheWrite1h: input,
    output,
    batchDiscount: 0.5,
    source: OPENAI,
    ...extra,
  };
}

/** Anthropic: cache reads 0.1×, 5-minute writes 1.25×, 1-hour writes 2× the input price; batch half price. */
function anthropic(model: string | readonly string[], input: number, output: number, extra: Partial<ModelPrice> = {}): ModelPrice {
  return {
    provider: 'anthropic',
    model,
    input,
    output,
    cacheRead: round(input * 0.1),
    cacheWrite5m: round(input * 1.25),
    cacheWrite1h: round(input * 2),
    batchDiscount: 0.5,
    contextWindow: 200_000,
    source: ANTHROPIC,
    ...extra,
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Gemini: implicit cache hits at the listed cached price; writing costs nothing extra (explicit-cache storage per hour is not modelled). */
function gemini(model: string, input: number, cacheRead: number, output: number, extra: Partial<ModelPrice> = {}): ModelPrice {
  return {
    provider: ['gcp.gemini', 'gcp.vertex_ai'],
    model: [model, `${model}-*`],
    input,
    cacheRead,
    cacheWrite5m: input,
    cacheWrite1h: input,
    output,
    batchDiscount: 0.5,
    contextWindow: 1_048_576,
    source: GEMINI,
    ...extra,
  };
}

/** Claude on Amazon Bedrock: on-demand list prices equal Anthropic's; only 5-minute caching was offered at this date. */
function bedrock(model: readonly string[], input: number, output: number): ModelPrice {
  return {
    provider: 'aws.bedrock',
    model,
    input,
    output,
    cacheRead: round(input * 0.1),
    cacheWrite5m: round(input * 1.25),
    batchDiscount: 0.5,
    contextWindow: 200_000,
    source: BEDROCK,
  };
}

const SONNET_LONG_CONTEXT = [{ aboveInputTokens: 200_000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite5m: 7.5, cacheWrite1h: 12 }];

/**
 * The default catalogue's entries (US dollars per million tokens, standard tier, as of {@link DEFAULT_CATALOGUE_AS_OF}).
 * Sources: OpenAI, Anthropic and Google pricing pages and Amazon Bedrock's on-demand prices for Claude in
 * us-east-1 (see each entry's `source`). o3 shows a dated price change (cut on 2025-06-10).
 */
export const DEFAULT_PRICE_ENTRIES: readonly ModelPrice[] = Object.freeze([
  openai('gpt-5', 1.25, 0.125, 10, { effectiveFrom: '2025-08-07', contextWindow: 400_000 }),
  openai('gpt-5-mini', 0.25, 0.025, 2, { effectiveFrom: '2025-08-07', contextWindow: 400_000 }),
  openai('gpt-5-nano', 0.05, 0.005, 0.4, { effectiveFrom: '2025-08-07', contextWindow: 400_000 }),
  openai('gpt-4.1', 2, 0.5, 8, { contextWindow: 1_047_576 }),
  openai('gpt-4.1-mini', 0.4, 0.1, 1.6, { contextWindow: 1_047_576 }),
  openai('gpt-4.1-nano', 0.1, 0.025, 0.4, { contextWindow: 1_047_576 }),
  openai('gpt-4o', 2.5, 1.25, 10, { contextWindow: 128_000 }),
  openai('gpt-4o-mini', 0.15, 0.075, 0.6, { contextWindow: 128_000 }),
  openai('o3', 10, 2.5, 40, { effectiveTo: '2025-06-10', contextWindow: 200_000, id: 'openai:o3@before-2025-06-10' }),
  openai('o3', 2, 0.5, 8, { effectiveFrom: '2025-06-10', contextWindow: 200_000, id: 'openai:o3@2025-06-10' }),
  openai('o4-mini', 1.1, 0.275, 4.4, { contextWindow: 200_000 }),
  anthropic(['claude-opus-4-1*', 'claude-opus-4-1'], 15, 75),
  anthropic(['claude-opus-4-2025*', 'claude-opus-4-0', 'claude-opus-4'], 15, 75),
  // The > 200k-token prices apply with the 1M-token context window (beta at this date).
  anthropic(['claude-sonnet-4*'], 3, 15, { tiers: SONNET_LONG_CONTEXT }),
  anthropic(['claude-3-7-sonnet*'], 3, 15),
  anthropic(['claude-3-5-sonnet*'], 3, 15),
  anthropic(['claude-3-5-haiku*'], 0.8, 4),
  anthropic(['claude-3-haiku*'], 0.25, 1.25, { cacheRead: 0.03, cacheWrite5m: 0.3, cacheWrite1h: 0.5 }),
  // Claude on Amazon Bedrock, model ids such as us.anthropic.claude-sonnet-4-20250514-v1:0.
  bedrock(['*anthropic.claude-sonnet-4*'], 3, 15),
  bedrock(['*anthropic.claude-3-7-sonnet*', '*anthropic.claude-3-5-sonnet*'], 3, 15),
  bedrock(['*anthropic.claude-3-5-haiku*'], 0.8, 4),
  bedrock(['*anthropic.claude-opus-4*'], 15, 75),
  gemini('gemini-2.5-pro', 1.25, 0.31, 10, { tiers: [{ aboveInputTokens: 200_000, input: 2.5, cacheRead: 0.625, cacheWrite5m: 2.5, cacheWrite1h: 2.5, output: 15 }] }),
  gemini('gemini-2.5-flash', 0.3, 0.075, 2.5),
  gemini('gemini-2.5-flash-lite', 0.1, 0.025, 0.4),
  gemini('gemini-2.0-flash', 0.1, 0.025, 0.4),
].map((entry) => Object.freeze(entry)));

/**
 * A small dated catalogue of list prices (see {@link DEFAULT_CATALOGUE_AS_OF} and docs/cost.md for the sources).
 * Good for demos and tests; production hosts should pass their own or an imported one.
 *
 * @example
 * priceUsageTable(table, DEFAULT_PRICE_CATALOGUE).totalCost;
 */
export const DEFAULT_PRICE_CATALOGUE: PriceCatalogue = createPriceCatalogue({ name: 'vigil-default', asOf: DEFAULT_CATALOGUE_AS_OF, entries: DEFAULT_PRICE_ENTRIES });

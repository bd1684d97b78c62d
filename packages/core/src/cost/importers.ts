import { ValidationError } from '../errors';
import type { ModelPrice, PriceTier } from './catalogue';
import { canonicalProvider } from './usage';

/** Result of an importer: the entries it could read and what it skipped, with why. */
export interface ImportedPrices {
  readonly entries: ModelPrice[];
  readonly skipped: { readonly key: string; readonly reason: string }[];
}

function finiteNonNegative(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

const MILLION = 1_000_000;

/** Per-token dollars to per-million dollars, rounded to 1e-9 to drop binary noise (2.5e-6 × 1e6 = 2.4999999999999996). */
function perMillion(perToken: number): number {
  return Math.round(perToken * MILLION * 1e9) / 1e9;
}

/** LiteLLM `litellm_provider` values to `gen_ai.provider.name`. */
function litellmProvider(name: string): string {
  const lower = name.toLowerCase();
  if (lower.startsWith('vertex_ai')) return 'gcp.vertex_ai';
  if (lower.startsWith('bedrock')) return 'aws.bedrock';
  if (lower === 'azure' || lower === 'azure_text') return 'azure.ai.openai';
  if (lower === 'azure_ai') return 'azure.ai.inference';
  if (lower === 'text-completion-openai') return 'openai';
  return canonicalProvider(lower);
}

/**
 * Reads LiteLLM's `model_prices_and_context_window.json` (an object keyed by model name whose values carry
 * `input_cost_per_token`, `output_cost_per_token`, `cache_read_input_token_cost`,
 * `cache_creation_input_token_cost`, `cache_creation_input_token_cost_above_1hr`, `output_cost_per_reasoning_token`,
 * `input_cost_per_token_batches`/`output_cost_per_token_batches`, `*_above_<N>k_tokens` tiers, `max_input_tokens`
 * and `litellm_provider`). Per-token dollars become per-million dollars. A row without both an input and an output
 * price is skipped (a half-priced model would under-report), as is `sample_spec`.
 *
 * @example
 * const { entries, skipped } = importLiteLLMPrices(JSON.parse(text));
 * const catalogue = createPriceCatalogue({ name: 'litellm', asOf: '2025-08-15', entries });
 */
export function importLiteLLMPrices(document: unknown): ImportedPrices {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) throw new ValidationError('document', "an object keyed by model name (LiteLLM's model_prices_and_context_window.json)", document, 'INVALID_DATA');
  const entries: ModelPrice[] = [];
  const skipped: { key: string; reason: string }[] = [];
  const seen = new Set<string>();
  for (const [key, raw] of Object.entries(document as Record<string, unknown>)) {
    if (key === 'sample_spec') continue;
    if (raw === null || typeof raw !== 'object') {
      skipped.push({ key, reason: 'not an object' });
      continue;
    }
    const row = raw as Record<string, unknown>;
    const input = row.input_cost_per_token;
    const output = row.output_cost_per_token;
    if (!finiteNonNegative(input) || !finiteNonNegative(output)) {
      skipped.push({ key, reason: 'no per-token input and output price' });
      continue;
    }
    const provider = typeof row.litellm_provider === 'string' ? litellmProvider(row.litellm_provider) : undefined;
    // Keys may carry a provider or region path ("bedrock/us-east-1/anthropic.claude-..."): match the last segment.
    const model = key.includes('/') ? key.slice(key.lastIndexOf('/') + 1) : key;
    const identity = `${provider ?? '*'}:${model.toLowerCase()}`;
    if (seen.has(identity)) {
      skipped.push({ key, reason: `duplicate of an earlier row for ${identity} (regional or alias row)` });
      continue;
    }
    seen.add(identity);
    const optional = (name: string) => (finiteNonNegative(row[name]) ? perMillion(row[name] as number) : undefined);
    const tiers: PriceTier[] = [];
    for (const name of Object.keys(row)) {
      const match = /^input_cost_per_token_above_(\d+)k_tokens$/.exec(name);
      if (!match || !finiteNonNegative(row[name])) continue;
      const suffix = `_above_${match[1]}k_tokens`;
      const tierOutput = optional(`output_cost_per_token${suffix}`);
      const tier: PriceTier = {
        aboveInputTokens: Number(match[1]) * 1000,
        input: perMillion(row[name] as number),
        output: tierOutput ?? perMillion(output),
        ...definedPrices({
          cacheRead: optional(`cache_read_input_token_cost${suffix}`),
          cacheWrite5m: optional(`cache_creation_input_token_cost${suffix}`),
          reasoning: optional(`output_cost_per_reasoning_token${suffix}`),
        }),
      };
      tiers.push(tier);
    }
    const batchInput = optional('input_cost_per_token_batches');
    const batchOutput = optional('output_cost_per_token_batches');
    const maxInput = row.max_input_tokens;
    const entry: ModelPrice = {
      id: `litellm:${key}`,
      model,
      input: perMillion(input),
      output: perMillion(output),
      source: `LiteLLM model_prices_and_context_window.json "${key}"`,
      ...(provider !== undefined ? { provider } : {}),
      ...definedPrices({
        cacheRead: optional('cache_read_input_token_cost'),
        cacheWrite5m: optional('cache_creation_input_token_cost'),
        cacheWrite1h: optional('cache_creation_input_token_cost_above_1hr'),
        reasoning: optional('output_cost_per_reasoning_token'),
      }),
      ...(batchInput !== undefined && batchOutput !== undefined ? { batch: { input: batchInput, output: batchOutput } } : {}),
      ...(tiers.length > 0 ? { tiers } : {}),
      ...(typeof maxInput === 'number' && maxInput > 0 ? { contextWindow: maxInput } : {}),
    };
    entries.push(entry);
  }
  return { entries, skipped };
}

function definedPrices(prices: { cacheRead?: number | undefined; cacheWrite5m?: number | undefined; cacheWrite1h?: number | undefined; reasoning?: number | undefined }): Partial<ModelPrice> {
  const out: { cacheRead?: number; cacheWrite5m?: number; cacheWrite1h?: number; reasoning?: number } = {};
  if (prices.cacheRead !== undefined) out.cacheRead = prices.cacheRead;
  if (prices.cacheWrite5m !== undefined) out.cacheWrite5m = prices.cacheWrite5m;
  if (prices.cacheWrite1h !== undefined) out.cacheWrite1h = prices.cacheWrite1h;
  if (prices.reasoning !== undefined) out.reasoning = prices.reasoning;
  return out;
}

/** models.dev provider ids to `gen_ai.provider.name`. */
function modelsDevProvider(id: string): string {
  const lower = id.toLowerCase();
  if (lower === 'google') return 'gcp.gemini';
  if (lower.startsWith('google-vertex')) return 'gcp.vertex_ai';
  if (lower === 'amazon-bedrock') return 'aws.bedrock';
  if (lower === 'azure') return 'azure.ai.openai';
  if (lower === 'mistral') return 'mistral_ai';
  if (lower === 'xai') return 'x_ai';
  return canonicalProvider(lower);
}

function modelsDevRates(cost: Record<string, unknown>): Partial<ModelPrice> {
  const read = (name: string) => (finiteNonNegative(cost[name]) ? (cost[name] as number) : undefined);
  return definedPrices({ cacheRead: read('cache_read'), cacheWrite5m: read('cache_write'), reasoning: read('reasoning') });
}

/**
 * Reads models.dev's `api.json` (providers keyed by id, each with `models` keyed by id, each with `cost` in dollars
 * per million tokens: `input`, `output`, `cache_read`, `cache_write`, `reasoning`, and context tiers either as
 * `tiers: [{ tier: { type: 'context', size }, input, output, ... }]` or the older `context_over_200k`) and
 * `limit.context`. Models without an input and an output cost are skipped.
 *
 * @example
 * const { entries } = importModelsDevPrices(await (await fetch('https://models.dev/api.json')).json());
 */
export function importModelsDevPrices(document: unknown): ImportedPrices {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) throw new ValidationError('document', "an object keyed by provider id (models.dev's api.json)", document, 'INVALID_DATA');
  const entries: ModelPrice[] = [];
  const skipped: { key: string; reason: string }[] = [];
  for (const [providerId, rawProvider] of Object.entries(document as Record<string, unknown>)) {
    const models = rawProvider !== null && typeof rawProvider === 'object' ? (rawProvider as Record<string, unknown>).models : undefined;
    if (models === null || typeof models !== 'object') {
      skipped.push({ key: providerId, reason: 'provider without a models object' });
      continue;
    }
    const provider = modelsDevProvider(providerId);
    for (const [modelId, rawModel] of Object.entries(models as Record<string, unknown>)) {
      const key = `${providerId}/${modelId}`;
      const model = rawModel !== null && typeof rawModel === 'object' ? (rawModel as Record<string, unknown>) : undefined;
      const cost = model?.cost;
      if (cost === null || typeof cost !== 'object') {
        skipped.push({ key, reason: 'no cost' });
        continue;
      }
      const c = cost as Record<string, unknown>;
      if (!finiteNonNegative(c.input) || !finiteNonNegative(c.output)) {
        skipped.push({ key, reason: 'no input and output cost' });
        continue;
      }
      const tiers: PriceTier[] = [];
      if (Array.isArray(c.tiers)) {
        for (const rawTier of c.tiers as unknown[]) {
          const t = rawTier as Record<string, unknown> | null;
          const spec = t?.tier as Record<string, unknown> | undefined;
          if (t && spec && spec.type === 'context' && finiteNonNegative(spec.size) && finiteNonNegative(t.input) && finiteNonNegative(t.output)) {
            tiers.push({ aboveInputTokens: spec.size, input: t.input, output: t.output, ...modelsDevRates(t) });
          }
        }
      } else if (c.context_over_200k !== null && typeof c.context_over_200k === 'object') {
        const t = c.context_over_200k as Record<string, unknown>;
        if (finiteNonNegative(t.input) && finiteNonNegative(t.output)) tiers.push({ aboveInputTokens: 200_000, input: t.input, output: t.output, ...modelsDevRates(t) });
      }
      const limit = model?.limit as Record<string, unknown> | undefined;
      const context = limit?.context;
      entries.push({
        id: `models.dev:${key}`,
        provider,
        model: modelId.includes('/') ? modelId.slice(modelId.lastIndexOf('/') + 1) : modelId,
        input: c.input,
        output: c.output,
        source: `models.dev api.json ${key}`,
        ...modelsDevRates(c),
        ...(tiers.length > 0 ? { tiers } : {}),
        ...(typeof context === 'number' && context > 0 ? { contextWindow: context } : {}),
      });
    }
  }
  return { entries, skipped };
}

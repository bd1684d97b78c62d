import { ValidationError } from '../errors';

/**
 * Usage records: one LLM call each, named after the OpenTelemetry GenAI semantic conventions, and the
 * normalisation of the providers' token conventions into disjoint buckets that can be priced without counting
 * anything twice.
 */

/** Outcome of a call. */
export type UsageStatus = 'ok' | 'error';

/**
 * One LLM call as a host reports it. Token counts are as the provider (or the instrumentation) reported them;
 * {@link normalizeUsage} turns them into disjoint buckets according to {@link TokenConvention}.
 */
export interface UsageRecord {
  /** Start of the call, epoch milliseconds. */
  readonly timestamp: number;
  /** `gen_ai.provider.name` (or the deprecated `gen_ai.system`), e.g. `openai`, `anthropic`, `aws.bedrock`. */
  readonly provider: string;
  /** `gen_ai.response.model`, else `gen_ai.request.model`: the model that was billed. */
  readonly model: string;
  /** `gen_ai.operation.name`, e.g. `chat`, `embeddings`. */
  readonly operation?: string;
  /** `gen_ai.usage.input_tokens` as reported (see {@link TokenConvention} for what it includes). */
  readonly inputTokens: number;
  /** `gen_ai.usage.output_tokens` as reported. */
  readonly outputTokens: number;
  /** `gen_ai.usage.cache_read.input_tokens`: input served from the provider's prompt cache. */
  readonly cacheReadTokens?: number;
  /**
   * `gen_ai.usage.cache_creation.input_tokens`: input written to the cache. Counted as 5-minute writes unless
   * split by `cacheWrite1hTokens`.
   */
  readonly cacheCreationTokens?: number;
  /** Of the cache-creation tokens, how many were written with a 1-hour TTL (Anthropic `ephemeral_1h_input_tokens`). */
  readonly cacheWrite1hTokens?: number;
  /** `gen_ai.usage.reasoning.output_tokens`: thinking tokens (billed as output). */
  readonly reasoningTokens?: number;
  /** Wall-clock latency of the call in milliseconds. */
  readonly latencyMs?: number;
  /** `ok` unless the call failed (an `error.type` was recorded). Default `ok`. */
  readonly status?: UsageStatus;
  /** The end user (or tenant) the call was made for. */
  readonly user?: string;
  /** The product feature that made the call. */
  readonly feature?: string;
  /** Any other dimensions (team, environment, job kind...). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Whether the call went through the provider's batch API (priced at batch rates). */
  readonly batch?: boolean;
  /** Whether the response was streamed to someone waiting on it. */
  readonly streaming?: boolean;
  /** A quality score in [0, 1] from feedback or evaluation (1 = good). */
  readonly quality?: number;
  /** Context window of the model in tokens, when the host knows it (else the catalogue's). */
  readonly contextWindow?: number;
  /** Hash of the stable prompt prefix (system prompt, tools, documents), supplied by the host. */
  readonly prefixHash?: string;
  /** Length of that prefix in tokens. */
  readonly prefixTokens?: number;
  /** Hash of the whole request, supplied by the host, to find duplicates and retries. */
  readonly requestHash?: string;
  /** 1 for a first attempt, 2 for the first retry, and so on. */
  readonly attempt?: number;
  /** `gen_ai.response.finish_reasons[0]`, e.g. `stop`, `length`, `max_tokens`. */
  readonly finishReason?: string;
  /** `gen_ai.conversation.id`: the conversation or session the call belongs to. */
  readonly conversation?: string;
  /**
   * Overrides the provider's token convention for this record (for instrumentations that already normalised
   * input to include cached tokens, as the semantic conventions ask).
   */
  readonly convention?: TokenConvention;
}

/**
 * What a reported token count includes.
 * - `inputIncludesCache`: whether `inputTokens` already counts cache reads and cache writes (OpenAI, Azure
 *   OpenAI, Gemini, and OpenTelemetry instrumentations that follow the semantic conventions) or not (Anthropic's
 *   Messages API, Bedrock's Converse API).
 * - `outputIncludesReasoning`: whether `outputTokens` already counts reasoning tokens (OpenAI, Anthropic, Bedrock,
 *   the semantic conventions) or not (Gemini's `candidatesTokenCount` leaves out `thoughtsTokenCount`).
 */
export interface TokenConvention {
  readonly inputIncludesCache: boolean;
  readonly outputIncludesReasoning: boolean;
}

/** Disjoint, billable token buckets of one call. Their sum is every token billed, each once. */
export interface NormalizedTokens {
  /** Input billed at the plain input rate. */
  readonly uncachedInputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWrite5mTokens: number;
  readonly cacheWrite1hTokens: number;
  /** Output excluding reasoning tokens. */
  readonly outputTokens: number;
  readonly reasoningTokens: number;
}

/** The convention of OpenTelemetry GenAI instrumentations that follow the spec (cache and reasoning included). */
export const SEMCONV_CONVENTION: TokenConvention = Object.freeze({ inputIncludesCache: true, outputIncludesReasoning: true });
const INCLUSIVE: TokenConvention = SEMCONV_CONVENTION;
const ANTHROPIC_STYLE: TokenConvention = Object.freeze({ inputIncludesCache: false, outputIncludesReasoning: true });
const GEMINI_STYLE: TokenConvention = Object.freeze({ inputIncludesCache: true, outputIncludesReasoning: false });

/** Deprecated `gen_ai.system` values and common spellings, mapped to `gen_ai.provider.name` values. */
const PROVIDER_ALIASES: Readonly<Record<string, string>> = {
  'az.ai.openai': 'azure.ai.openai',
  'az.ai.inference': 'azure.ai.inference',
  azure: 'azure.ai.openai',
  azure_openai: 'azure.ai.openai',
  'azure-openai': 'azure.ai.openai',
  gemini: 'gcp.gemini',
  google: 'gcp.gemini',
  google_genai: 'gcp.gemini',
  vertex_ai: 'gcp.vertex_ai',
  vertexai: 'gcp.vertex_ai',
  'vertex-ai': 'gcp.vertex_ai',
  bedrock: 'aws.bedrock',
  'amazon-bedrock': 'aws.bedrock',
  mistral: 'mistral_ai',
  mistralai: 'mistral_ai',
  xai: 'x_ai',
  'x-ai': 'x_ai',
  watsonx: 'ibm.watsonx.ai',
};

/**
 * The `gen_ai.provider.name` value for a provider name, including the deprecated `gen_ai.system` spellings
 * (`az.ai.openai` → `azure.ai.openai`, `gemini` → `gcp.gemini`, `vertex_ai` → `gcp.vertex_ai`). Lower-cases and
 * trims; unknown names pass through.
 *
 * @example
 * canonicalProvider('az.ai.openai'); // 'azure.ai.openai'
 */
export function canonicalProvider(name: string): string {
  const key = name.trim().toLowerCase();
  return PROVIDER_ALIASES[key] ?? key;
}

/**
 * The token convention a provider's native API reports in:
 * - `anthropic`, `aws.bedrock`, and Claude models served through `gcp.vertex_ai`: input excludes cache reads and
 *   cache writes (Anthropic: total input = input_tokens + cache_read_input_tokens + cache_creation_input_tokens;
 *   Bedrock Converse reports cacheReadInputTokens and cacheWriteInputTokens beside inputTokens);
 * - `gcp.gemini`, `gcp.vertex_ai`, `gcp.gen_ai`: promptTokenCount includes cachedContentTokenCount, while
 *   candidatesTokenCount excludes thoughtsTokenCount;
 * - everything else (`openai`, `azure.ai.openai`, ...): prompt_tokens includes cached_tokens and completion_tokens
 *   includes reasoning_tokens, which is also what the semantic conventions ask for.
 *
 * @example
 * providerConvention('anthropic', 'claude-sonnet-4'); // { inputIncludesCache: false, outputIncludesReasoning: true }
 */
export function providerConvention(provider: string, model = ''): TokenConvention {
  const name = canonicalProvider(provider);
  if (name === 'anthropic' || name === 'aws.bedrock') return ANTHROPIC_STYLE;
  if (name === 'gcp.vertex_ai' || name === 'gcp.gemini' || name === 'gcp.gen_ai') {
    return /claude/i.test(model) ? ANTHROPIC_STYLE : GEMINI_STYLE;
  }
  return INCLUSIVE;
}

function tokenCount(value: unknown, path: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ValidationError(path, 'a finite token count >= 0', value);
  return value;
}

/**
 * Splits a record's reported tokens into disjoint billable buckets under its provider's convention (or the
 * record's own `convention`), so that cached tokens are never counted twice and reasoning tokens are never lost.
 *
 * @throws ValidationError when counts are negative or not finite, or when an inclusive convention reports fewer
 *   input tokens than cached ones (the usual sign of a provider-native count labelled as the inclusive one), or
 *   more 1-hour cache writes than cache writes, or more reasoning than output tokens under an inclusive output.
 * @example
 * normalizeUsage({ provider: 'openai', inputTokens: 1000, cacheReadTokens: 800, outputTokens: 50 });
 * // { uncachedInputTokens: 200, cacheReadTokens: 800, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 50, reasoningTokens: 0 }
 * normalizeUsage({ provider: 'anthropic', inputTokens: 200, cacheReadTokens: 800, outputTokens: 50 });
 * // the same buckets: Anthropic's input_tokens already excludes the 800 cached tokens
 */
export function normalizeUsage(
  record: Pick<UsageRecord, 'provider' | 'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheCreationTokens' | 'cacheWrite1hTokens' | 'reasoningTokens' | 'convention'> & { readonly model?: string },
  path = 'record',
): NormalizedTokens {
  const input = tokenCount(record.inputTokens, `${path}.inputTokens`);
  const output = tokenCount(record.outputTokens, `${path}.outputTokens`);
  const cacheRead = tokenCount(record.cacheReadTokens, `${path}.cacheReadTokens`);
  const cacheCreation = tokenCount(record.cacheCreationTokens, `${path}.cacheCreationTokens`);
  const write1h = tokenCount(record.cacheWrite1hTokens, `${path}.cacheWrite1hTokens`);
  const reasoning = tokenCount(record.reasoningTokens, `${path}.reasoningTokens`);
  if (write1h > cacheCreation) throw new ValidationError(`${path}.cacheWrite1hTokens`, `at most cacheCreationTokens (${cacheCreation})`, write1h);
  const convention = record.convention ?? providerConvention(record.provider, record.model);
  let uncached = input;
  if (convention.inputIncludesCache) {
    uncached = input - cacheRead - cacheCreation;
    if (uncached < 0) {
      throw new ValidationError(
        `${path}.inputTokens`,
        `at least cacheReadTokens + cacheCreationTokens (${cacheRead + cacheCreation}) because ${record.provider} input counts include cached tokens; set convention.inputIncludesCache = false if these counts exclude them`,
        input,
        'INVALID_DATA',
      );
    }
  }
  let visibleOutput = output;
  if (convention.outputIncludesReasoning) {
    visibleOutput = output - reasoning;
    if (visibleOutput < 0) {
      throw new ValidationError(`${path}.outputTokens`, `at least reasoningTokens (${reasoning}) because ${record.provider} output counts include reasoning`, output, 'INVALID_DATA');
    }
  }
  return {
    uncachedInputTokens: uncached,
    cacheReadTokens: cacheRead,
    cacheWrite5mTokens: cacheCreation - write1h,
    cacheWrite1hTokens: write1h,
    outputTokens: visibleOutput,
    reasoningTokens: reasoning,
  };
}

/** Attribute names read by {@link usageFromGenAiAttributes}, current first, then deprecated ones. */
const ATTRIBUTES = {
  provider: ['gen_ai.provider.name', 'gen_ai.system'],
  model: ['gen_ai.response.model', 'gen_ai.request.model'],
  operation: ['gen_ai.operation.name'],
  input: ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'],
  output: ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens'],
  cacheRead: ['gen_ai.usage.cache_read.input_tokens', 'gen_ai.usage.cache_read_input_tokens'],
  cacheCreation: ['gen_ai.usage.cache_creation.input_tokens', 'gen_ai.usage.cache_creation_input_tokens'],
  reasoning: ['gen_ai.usage.reasoning.output_tokens'],
  conversation: ['gen_ai.conversation.id'],
  finishReasons: ['gen_ai.response.finish_reasons'],
  error: ['error.type'],
} as const;

/** Attribute values as OpenTelemetry SDKs hand them over. */
export type GenAiAttributeValue = string | number | boolean | bigint | readonly string[] | readonly number[] | null | undefined;

/** Options of {@link usageFromGenAiAttributes}. */
export interface GenAiAttributeOptions {
  /**
   * What the instrumentation's token counts include. `'semconv'` (default): the semantic conventions, where
   * cache-read and cache-creation tokens SHOULD be included in `gen_ai.usage.input_tokens` and reasoning tokens in
   * `gen_ai.usage.output_tokens`, whatever the provider. `'provider'`: the instrumentation copied the provider's
   * native counts (older instrumentations of Anthropic do), so the provider's convention applies.
   */
  readonly counts?: 'semconv' | 'provider';
  /** Span start time in epoch milliseconds. */
  readonly timestamp: number;
  /** Span duration in milliseconds. */
  readonly latencyMs?: number;
  /** Attribute that names the feature, default `vigil.feature`. */
  readonly featureAttribute?: string;
  /** Attribute that names the user, default `user.id` (then `enduser.id`). */
  readonly userAttribute?: string;
  /** Further attributes to copy into `tags`. */
  readonly tagAttributes?: readonly string[];
}

function firstAttribute(attributes: Readonly<Record<string, GenAiAttributeValue>>, names: readonly string[]): GenAiAttributeValue {
  for (const name of names) {
    const value = attributes[name];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

function attributeNumber(value: GenAiAttributeValue, path: string): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'bigint' ? Number(value) : typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) throw new ValidationError(path, 'a token count >= 0', value, 'INVALID_DATA');
  return number;
}

/**
 * A usage record from a span's (or log record's) GenAI attributes. Reads `gen_ai.provider.name` and falls back to
 * the deprecated `gen_ai.system`; reads the model from `gen_ai.response.model`, else `gen_ai.request.model`; reads
 * the deprecated `gen_ai.usage.prompt_tokens`/`completion_tokens` when the current names are absent.
 *
 * @throws ValidationError (INVALID_DATA) when the provider, model or a token count is missing or malformed.
 * @example
 * usageFromGenAiAttributes({
 *   'gen_ai.system': 'anthropic', 'gen_ai.request.model': 'claude-sonnet-4',
 *   'gen_ai.usage.input_tokens': 1200, 'gen_ai.usage.cache_read.input_tokens': 1000, 'gen_ai.usage.output_tokens': 80,
 * }, { timestamp: Date.now(), latencyMs: 900 });
 */
export function usageFromGenAiAttributes(attributes: Readonly<Record<string, GenAiAttributeValue>>, options: GenAiAttributeOptions): UsageRecord {
  if (attributes === null || typeof attributes !== 'object') throw new ValidationError('attributes', 'an object of span attributes', attributes);
  if (!Number.isFinite(options?.timestamp)) throw new ValidationError('options.timestamp', 'epoch milliseconds', options?.timestamp);
  const provider = firstAttribute(attributes, ATTRIBUTES.provider);
  if (typeof provider !== 'string' || provider === '') throw new ValidationError('attributes["gen_ai.provider.name"]', 'a provider name (or gen_ai.system)', provider, 'INVALID_DATA');
  const model = firstAttribute(attributes, ATTRIBUTES.model);
  if (typeof model !== 'string' || model === '') throw new ValidationError('attributes["gen_ai.response.model"]', 'a model name (or gen_ai.request.model)', model, 'INVALID_DATA');
  const read = (names: readonly string[]) => attributeNumber(firstAttribute(attributes, names), `attributes["${names[0]}"]`);
  const operation = firstAttribute(attributes, ATTRIBUTES.operation);
  const conversation = firstAttribute(attributes, ATTRIBUTES.conversation);
  const finish = firstAttribute(attributes, ATTRIBUTES.finishReasons);
  const error = firstAttribute(attributes, ATTRIBUTES.error);
  const feature = attributes[options.featureAttribute ?? 'vigil.feature'];
  const user = options.userAttribute ? attributes[options.userAttribute] : (attributes['user.id'] ?? attributes['enduser.id']);
  const tags: Record<string, string> = {};
  for (const name of options.tagAttributes ?? []) {
    const value = attributes[name];
    if (value !== undefined && value !== null) tags[name] = String(value);
  }
  const counts = options.counts ?? 'semconv';
  if (counts !== 'semconv' && counts !== 'provider') throw new ValidationError('options.counts', "'semconv' or 'provider'", counts);
  const cacheRead = read(ATTRIBUTES.cacheRead);
  const cacheCreation = read(ATTRIBUTES.cacheCreation);
  const reasoning = read(ATTRIBUTES.reasoning);
  const record: UsageRecord = {
    timestamp: options.timestamp,
    provider: canonicalProvider(provider),
    model,
    inputTokens: read(ATTRIBUTES.input) ?? 0,
    outputTokens: read(ATTRIBUTES.output) ?? 0,
    status: error !== undefined && error !== '' ? 'error' : 'ok',
    ...(typeof operation === 'string' ? { operation } : {}),
    ...(cacheRead !== undefined ? { cacheReadTokens: cacheRead } : {}),
    ...(cacheCreation !== undefined ? { cacheCreationTokens: cacheCreation } : {}),
    ...(reasoning !== undefined ? { reasoningTokens: reasoning } : {}),
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    ...(typeof conversation === 'string' ? { conversation } : {}),
    ...(Array.isArray(finish) && typeof finish[0] === 'string' ? { finishReason: finish[0] } : typeof finish === 'string' ? { finishReason: finish } : {}),
    ...(typeof feature === 'string' ? { feature } : {}),
    ...(typeof user === 'string' ? { user } : {}),
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
    ...(counts === 'semconv' ? { convention: SEMCONV_CONVENTION } : {}),
  };
  return record;
}

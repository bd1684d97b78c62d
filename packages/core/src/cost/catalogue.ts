import { ValidationError } from '../errors';
import { canonicalProvider } from './usage';

/** Prices in US dollars per million tokens of each kind. */
export interface TokenPrices {
  /** Plain (uncached) input. */
  readonly input: number;
  /** Visible output. */
  readonly output: number;
  /** Input read from the prompt cache. Missing: charged at `input` (and counted as a fallback). */
  readonly cacheRead?: number;
  /** Input written to the cache with a 5-minute TTL. Missing: charged at `input` (counted as a fallback). */
  readonly cacheWrite5m?: number;
  /** Input written to the cache with a 1-hour TTL. Missing: `cacheWrite5m`, then `input` (counted). */
  readonly cacheWrite1h?: number;
  /** Reasoning (thinking) output. Missing: `output`, which is how every major provider bills it. */
  readonly reasoning?: number;
}

/**
 * Prices that replace the base prices for a whole request whose total input exceeds `aboveInputTokens` (Anthropic's
 * long-context and Gemini 2.5 Pro's > 200k prices work this way). A cache price the tier leaves out is the base
 * cache price scaled by tier.input / base.input.
 */
export interface PriceTier extends TokenPrices {
  readonly aboveInputTokens: number;
}

/** One model's prices over one period. */
export interface ModelPrice extends TokenPrices {
  /** Stable id for evidence and exports; default `${provider ?? '*'}:${model}@${effectiveFrom ?? ''}`. */
  readonly id?: string;
  /**
   * Model name(s) to match, case-insensitive. `*` matches any run of characters and `?` one character:
   * `claude-sonnet-4*`, `gpt-4o-20??-??-??`. A record's model also matches on its part after the last `/`.
   */
  readonly model: string | readonly string[];
  /** Provider(s) (`gen_ai.provider.name`) this price applies to; absent: any provider. */
  readonly provider?: string | readonly string[];
  /** Explicit batch-API prices for input and output (cache prices scale with the input ratio). */
  readonly batch?: { readonly input: number; readonly output: number };
  /** Batch-API discount as a fraction (0.5 = half price) when `batch` is not given. */
  readonly batchDiscount?: number;
  readonly tiers?: readonly PriceTier[];
  /** First instant the price applies (ISO date or epoch ms), inclusive. */
  readonly effectiveFrom?: string | number;
  /** First instant the price no longer applies, exclusive. */
  readonly effectiveTo?: string | number;
  /** Context window in tokens (for context utilisation). */
  readonly contextWindow?: number;
  /** Where the figures come from. */
  readonly source?: string;
}

/** What a host hands to {@link createPriceCatalogue}. */
export interface PriceCatalogueInput {
  readonly name?: string;
  /** The date the prices were read, ISO `YYYY-MM-DD`. */
  readonly asOf?: string;
  readonly entries: readonly ModelPrice[];
  /** Project overrides (negotiated rates, fine-tunes): they win over every entry that also matches. */
  readonly overrides?: readonly ModelPrice[];
}

/** A validated price entry with its compiled matchers. */
export interface CompiledPrice {
  readonly id: string;
  readonly entry: ModelPrice;
  /** 0 for project overrides, 1 for catalogue entries. */
  readonly layer: 0 | 1;
  readonly providers: readonly string[] | undefined;
  readonly patterns: readonly RegExp[];
  /** Literal characters of the most specific pattern, and whether any pattern is exact (no wildcard). */
  readonly specificity: number;
  readonly exact: boolean;
  readonly from: number;
  readonly to: number;
  readonly order: number;
  /** Tiers sorted by threshold, ascending. */
  readonly tiers: readonly PriceTier[];
}

/** A compiled, validated price catalogue. */
export interface PriceCatalogue {
  readonly name: string;
  readonly asOf: string | undefined;
  readonly entries: readonly CompiledPrice[];
}

function parseInstant(value: string | number | undefined, path: string, fallback: number): number {
  if (value === undefined) return fallback;
  const t = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(t)) throw new ValidationError(path, 'an ISO date or epoch milliseconds', value);
  return t;
}

function checkPrice(value: unknown, path: string, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ValidationError(path, 'a price >= 0 in USD per million tokens', value);
}

function checkTokenPrices(prices: TokenPrices, path: string): void {
  checkPrice(prices.input, `${path}.input`, true);
  checkPrice(prices.output, `${path}.output`, true);
  checkPrice(prices.cacheRead, `${path}.cacheRead`, false);
  checkPrice(prices.cacheWrite5m, `${path}.cacheWrite5m`, false);
  checkPrice(prices.cacheWrite1h, `${path}.cacheWrite1h`, false);
  checkPrice(prices.reasoning, `${path}.reasoning`, false);
}

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern.toLowerCase()) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function compile(entry: ModelPrice, path: string, layer: 0 | 1, order: number): CompiledPrice {
  if (entry === null || typeof entry !== 'object') throw new ValidationError(path, 'a model price object', entry);
  const models = typeof entry.model === 'string' ? [entry.model] : entry.model;
  if (!Array.isArray(models) || models.length === 0) throw new ValidationError(`${path}.model`, 'a model name or pattern, or a non-empty array of them', entry.model);
  models.forEach((m, i) => {
    if (typeof m !== 'string' || m.trim() === '') throw new ValidationError(`${path}.model[${i}]`, 'a non-empty string', m);
  });
  let providers: string[] | undefined;
  if (entry.provider !== undefined) {
    const list = typeof entry.provider === 'string' ? [entry.provider] : entry.provider;
    if (!Array.isArray(list) || list.some((p) => typeof p !== 'string' || p === '')) throw new ValidationError(`${path}.provider`, 'a provider name or an array of them', entry.provider);
    providers = list.map(canonicalProvider);
  }
  checkTokenPrices(entry, path);
  if (entry.batch !== undefined) {
    checkPrice(entry.batch?.input, `${path}.batch.input`, true);
    checkPrice(entry.batch?.output, `${path}.batch.output`, true);
  }
  if (entry.batchDiscount !== undefined && !(typeof entry.batchDiscount === 'number' && entry.batchDiscount >= 0 && entry.batchDiscount < 1)) {
    throw new ValidationError(`${path}.batchDiscount`, 'a fraction in [0, 1)', entry.batchDiscount);
  }
  const tiers = [...(entry.tiers ?? [])];
  tiers.forEach((tier, i) => {
    if (tier === null || typeof tier !== 'object') throw new ValidationError(`${path}.tiers[${i}]`, 'a price tier object', tier);
    if (typeof tier.aboveInputTokens !== 'number' || !(tier.aboveInputTokens >= 0) || !Number.isFinite(tier.aboveInputTokens)) {
      throw new ValidationError(`${path}.tiers[${i}].aboveInputTokens`, 'a token count >= 0', tier.aboveInputTokens);
    }
    checkTokenPrices(tier, `${path}.tiers[${i}]`);
  });
  tiers.sort((a, b) => a.aboveInputTokens - b.aboveInputTokens);
  const from = parseInstant(entry.effectiveFrom, `${path}.effectiveFrom`, -Infinity);
  const to = parseInstant(entry.effectiveTo, `${path}.effectiveTo`, Infinity);
  if (!(from < to)) throw new ValidationError(`${path}.effectiveTo`, `an instant after effectiveFrom (${String(entry.effectiveFrom)})`, entry.effectiveTo);
  if (entry.contextWindow !== undefined && !(typeof entry.contextWindow === 'number' && entry.contextWindow > 0)) {
    throw new ValidationError(`${path}.contextWindow`, 'a token count > 0', entry.contextWindow);
  }
  let specificity = 0;
  let exact = false;
  for (const m of models) {
    const literal = m.replace(/[*?]/g, '').length;
    specificity = Math.max(specificity, literal);
    if (!/[*?]/.test(m)) exact = true;
  }
  const id = entry.id ?? `${providers ? providers.join('|') : '*'}:${models.join('|')}${entry.effectiveFrom !== undefined ? `@${String(entry.effectiveFrom)}` : ''}`;
  return { id, entry, layer, providers, patterns: models.map(globToRegExp), specificity, exact, from, to, order, tiers };
}

/**
 * Validates and compiles a price catalogue. Entries are matched by provider and model-name pattern and by date;
 * when several match, project overrides win, then entries naming the provider, then exact names over patterns,
 * then the pattern with more literal characters, then the later `effectiveFrom`, then the earlier entry.
 *
 * @throws ValidationError naming the entry and field (`entries[3].cacheRead`).
 * @example
 * const catalogue = createPriceCatalogue({
 *   asOf: '2025-08-15',
 *   entries: [{ provider: 'openai', model: 'gpt-4o-mini*', input: 0.15, cacheRead: 0.075, output: 0.6 }],
 *   overrides: [{ provider: 'openai', model: 'gpt-4o-mini*', input: 0.12, cacheRead: 0.06, output: 0.5, source: 'our contract' }],
 * });
 */
export function createPriceCatalogue(input: PriceCatalogueInput): PriceCatalogue {
  if (input === null || typeof input !== 'object') throw new ValidationError('catalogue', 'a catalogue object { entries }', input);
  if (!Array.isArray(input.entries)) throw new ValidationError('catalogue.entries', 'an array of model prices', input.entries);
  if (input.overrides !== undefined && !Array.isArray(input.overrides)) throw new ValidationError('catalogue.overrides', 'an array of model prices', input.overrides);
  if (input.asOf !== undefined && (typeof input.asOf !== 'string' || !Number.isFinite(Date.parse(input.asOf)))) throw new ValidationError('catalogue.asOf', 'an ISO date', input.asOf);
  const entries: CompiledPrice[] = [];
  let order = 0;
  (input.overrides ?? []).forEach((entry, i) => entries.push(compile(entry, `catalogue.overrides[${i}]`, 0, order++)));
  input.entries.forEach((entry, i) => entries.push(compile(entry, `catalogue.entries[${i}]`, 1, order++)));
  return { name: input.name ?? 'catalogue', asOf: input.asOf, entries };
}

/**
 * A catalogue with more overrides on top (for example the default catalogue plus a project's negotiated rates).
 *
 * @example
 * const ours = withOverrides(DEFAULT_PRICE_CATALOGUE, [{ provider: 'anthropic', model: 'claude-sonnet-4*', input: 2.4, output: 12 }]);
 */
export function withOverrides(catalogue: PriceCatalogue, overrides: readonly ModelPrice[]): PriceCatalogue {
  if (!Array.isArray(overrides)) throw new ValidationError('overrides', 'an array of model prices', overrides);
  const compiled = overrides.map((entry, i) => compile(entry, `overrides[${i}]`, 0, i));
  const shifted = catalogue.entries.map((e) => ({ ...e, order: e.order + compiled.length }));
  return { name: catalogue.name, asOf: catalogue.asOf, entries: [...compiled, ...shifted] };
}

function precedence(a: CompiledPrice, b: CompiledPrice): number {
  return (
    a.layer - b.layer ||
    (a.providers ? 0 : 1) - (b.providers ? 0 : 1) ||
    (a.exact ? 0 : 1) - (b.exact ? 0 : 1) ||
    b.specificity - a.specificity ||
    b.from - a.from ||
    a.order - b.order
  );
}

function matchesModel(entry: CompiledPrice, names: readonly string[]): boolean {
  for (const pattern of entry.patterns) for (const name of names) if (pattern.test(name)) return true;
  return false;
}

function candidateNames(model: string): string[] {
  const lower = model.trim().toLowerCase();
  const slash = lower.lastIndexOf('/');
  return slash >= 0 && slash < lower.length - 1 ? [lower, lower.slice(slash + 1)] : [lower];
}

/**
 * Every entry that could price a provider's model at some time, best first (see {@link createPriceCatalogue} for
 * the order). The first one whose period contains a record's timestamp prices it.
 */
export function priceCandidates(catalogue: PriceCatalogue, provider: string, model: string): CompiledPrice[] {
  const providerName = canonicalProvider(provider);
  const names = candidateNames(model);
  const found = catalogue.entries.filter((e) => (e.providers === undefined || e.providers.includes(providerName)) && matchesModel(e, names));
  return found.sort(precedence);
}

/**
 * The price entry for a provider's model at an instant, or undefined when the catalogue has none (the model is then
 * unpriced: never $0).
 *
 * @example
 * findPrice(DEFAULT_PRICE_CATALOGUE, 'openai', 'o3', Date.parse('2025-05-01'))?.entry.input; // 10 (before the June 2025 cut)
 */
export function findPrice(catalogue: PriceCatalogue, provider: string, model: string, timestamp: number): CompiledPrice | undefined {
  if (typeof provider !== 'string') throw new ValidationError('provider', 'a string', provider);
  if (typeof model !== 'string') throw new ValidationError('model', 'a string', model);
  if (!Number.isFinite(timestamp)) throw new ValidationError('timestamp', 'epoch milliseconds', timestamp);
  for (const candidate of priceCandidates(catalogue, provider, model)) if (timestamp >= candidate.from && timestamp < candidate.to) return candidate;
  return undefined;
}

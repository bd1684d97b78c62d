import { ValidationError } from '../errors';
import { findPrice, priceCandidates } from './catalogue';
import type { CompiledPrice, PriceCatalogue, TokenPrices } from './catalogue';
import { canonicalProvider, normalizeUsage } from './usage';
import type { NormalizedTokens, UsageRecord } from './usage';
import type { UsageTable } from './table';

/** Cost of one call split by token kind, in US dollars. */
export interface CostBreakdown {
  readonly input: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  readonly output: number;
  readonly reasoning: number;
  readonly total: number;
}

/** How many priced records fell back to a coarser price because the entry left a price out. */
export interface PriceFallbacks {
  /** Cache reads charged at the input price (no cacheRead price). */
  readonly cacheReadAtInputPrice: number;
  /** Cache writes charged at the input (or 5-minute) price. */
  readonly cacheWriteAtFallbackPrice: number;
  /** Batch calls charged at full price (no batch price or discount). */
  readonly batchAtFullPrice: number;
}

/** The price of one record. */
export type PriceQuote =
  | { readonly status: 'priced'; readonly cost: number; readonly breakdown: CostBreakdown; readonly priceId: string; readonly tier: number | undefined }
  | { readonly status: 'unpriced'; readonly reason: string };

/** Effective per-million prices after tier and batch selection, as multipliers applied to token buckets. */
interface Rates {
  input: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  output: number;
  reasoning: number;
  tier: number | undefined;
  cacheReadFallback: boolean;
  cacheWrite5mFallback: boolean;
  cacheWrite1hFallback: boolean;
  batchFallback: boolean;
}

function tierFor(price: CompiledPrice, totalInput: number): { prices: TokenPrices; tier: number | undefined } {
  let chosen: TokenPrices = price.entry;
  let tier: number | undefined;
  for (const t of price.tiers) {
    if (totalInput > t.aboveInputTokens) {
      chosen = t;
      tier = t.aboveInputTokens;
    }
  }
  return { prices: chosen, tier };
}

/** Resolves every rate of a record. `scratch` is reused to avoid allocation on hot paths. */
function ratesFor(price: CompiledPrice, totalInput: number, batch: boolean, scratch: Rates): Rates {
  const base = price.entry;
  const { prices, tier } = tierFor(price, totalInput);
  const scale = tier === undefined || base.input === 0 ? 1 : prices.input / base.input;
  const cacheRead = prices.cacheRead ?? (base.cacheRead !== undefined ? base.cacheRead * scale : undefined);
  const write5m = prices.cacheWrite5m ?? (base.cacheWrite5m !== undefined ? base.cacheWrite5m * scale : undefined);
  const write1h = prices.cacheWrite1h ?? (base.cacheWrite1h !== undefined ? base.cacheWrite1h * scale : undefined);
  scratch.input = prices.input;
  scratch.output = prices.output;
  scratch.reasoning = prices.reasoning ?? (base.reasoning !== undefined ? base.reasoning * scale : prices.output);
  scratch.cacheRead = cacheRead ?? prices.input;
  scratch.cacheReadFallback = cacheRead === undefined;
  scratch.cacheWrite5m = write5m ?? prices.input;
  scratch.cacheWrite1h = write1h ?? write5m ?? prices.input;
  scratch.cacheWrite5mFallback = write5m === undefined;
  scratch.cacheWrite1hFallback = write1h === undefined;
  scratch.tier = tier;
  scratch.batchFallback = false;
  if (batch) {
    let inputMultiplier = 1;
    let outputMultiplier = 1;
    if (base.batch !== undefined) {
      inputMultiplier = base.input > 0 ? base.batch.input / base.input : 1;
      outputMultiplier = base.output > 0 ? base.batch.output / base.output : 1;
    } else if (base.batchDiscount !== undefined) {
      inputMultiplier = outputMultiplier = 1 - base.batchDiscount;
    } else {
      scratch.batchFallback = true;
    }
    scratch.input *= inputMultiplier;
    scratch.cacheRead *= inputMultiplier;
    scratch.cacheWrite5m *= inputMultiplier;
    scratch.cacheWrite1h *= inputMultiplier;
    scratch.output *= outputMultiplier;
    scratch.reasoning *= outputMultiplier;
  }
  return scratch;
}

function newRates(): Rates {
  return { input: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 0, reasoning: 0, tier: undefined, cacheReadFallback: false, cacheWrite5mFallback: false, cacheWrite1hFallback: false, batchFallback: false };
}

const PER_MILLION = 1e-6;

/**
 * Prices one usage record with a catalogue: normalises its tokens ({@link normalizeUsage}), picks the price entry
 * valid at its timestamp, the context tier its total input falls in, and batch rates for batch calls. An unknown
 * model is `unpriced`, never $0.
 *
 * @example
 * priceUsage({ timestamp: Date.parse('2025-08-01'), provider: 'anthropic', model: 'claude-sonnet-4-20250514',
 *   inputTokens: 200, cacheReadTokens: 10_000, cacheCreationTokens: 0, outputTokens: 500 }, DEFAULT_PRICE_CATALOGUE);
 * // { status: 'priced', cost: 0.0111, ... }: 200 × $3 + 10,000 × $0.30 + 500 × $15 per million
 */
export function priceUsage(record: UsageRecord, catalogue: PriceCatalogue): PriceQuote {
  if (record === null || typeof record !== 'object') throw new ValidationError('record', 'a usage record', record);
  if (!Number.isFinite(record.timestamp)) throw new ValidationError('record.timestamp', 'epoch milliseconds', record.timestamp);
  if (typeof record.provider !== 'string' || typeof record.model !== 'string') throw new ValidationError('record.model', 'provider and model names', record.model);
  const tokens = normalizeUsage(record);
  const price = findPrice(catalogue, record.provider, record.model, record.timestamp);
  if (price === undefined) {
    return { status: 'unpriced', reason: `no price for ${canonicalProvider(record.provider)} ${record.model} at ${new Date(record.timestamp).toISOString()} in catalogue ${catalogue.name}` };
  }
  return quoteTokens(price, tokens, record.batch === true);
}

/** Prices normalised tokens with a given entry (used by what-if re-pricing). */
export function quoteTokens(price: CompiledPrice, tokens: NormalizedTokens, batch: boolean): PriceQuote {
  const totalInput = tokens.uncachedInputTokens + tokens.cacheReadTokens + tokens.cacheWrite5mTokens + tokens.cacheWrite1hTokens;
  const r = ratesFor(price, totalInput, batch, newRates());
  const input = tokens.uncachedInputTokens * r.input * PER_MILLION;
  const cacheRead = tokens.cacheReadTokens * r.cacheRead * PER_MILLION;
  const cacheWrite = (tokens.cacheWrite5mTokens * r.cacheWrite5m + tokens.cacheWrite1hTokens * r.cacheWrite1h) * PER_MILLION;
  const output = tokens.outputTokens * r.output * PER_MILLION;
  const reasoning = tokens.reasoningTokens * r.reasoning * PER_MILLION;
  const total = input + cacheRead + cacheWrite + output + reasoning;
  return { status: 'priced', cost: total, breakdown: { input, cacheRead, cacheWrite, output, reasoning, total }, priceId: price.id, tier: r.tier };
}

/** A provider's model that the catalogue could not price, with how much usage it had. */
export interface UnpricedModel {
  readonly provider: string;
  readonly model: string;
  readonly records: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** Costs of every record of a usage table. */
export interface PricedUsage {
  /** US dollars per record; NaN for an unpriced record (never 0). */
  readonly cost: Float64Array;
  /** The input part of `cost` (plain, cache read and cache write); NaN when unpriced. */
  readonly inputCost: Float64Array;
  /** The output part of `cost` (visible and reasoning); NaN when unpriced. */
  readonly outputCost: Float64Array;
  /** Index into `catalogue.entries` of the price used, -1 when unpriced. */
  readonly priceIndex: Int32Array;
  readonly pricedRecords: number;
  readonly unpricedRecords: number;
  /** Sum of `cost` over priced records. */
  readonly totalCost: number;
  /** What could not be priced, most records first. */
  readonly unpriced: readonly UnpricedModel[];
  readonly fallbacks: PriceFallbacks;
  readonly catalogue: PriceCatalogue;
}

/** Options of {@link priceUsageTable}. */
export interface PriceTableOptions {
  /** Price every record under this model instead of its own (what-if). */
  readonly model?: string;
  /** ... and this provider. */
  readonly provider?: string;
  /** Look prices up at this instant instead of each record's timestamp (a price version). */
  readonly priceAt?: number;
  /** `'recorded'` (default) uses each record's batch flag; `'all'` prices every call at batch rates; `'none'` at standard rates. */
  readonly batch?: 'recorded' | 'all' | 'none';
  /** Only these rows (1 = include); others get NaN cost and are not counted. */
  readonly mask?: Uint8Array;
}

/**
 * Prices every record of a usage table. Price lookups are resolved once per distinct provider × model and then per
 * record only by date, so pricing a million records costs a few passes over typed arrays.
 *
 * @example
 * const priced = priceUsageTable(table, DEFAULT_PRICE_CATALOGUE);
 * priced.totalCost; // dollars over the priced records
 * priced.unpriced; // [{ provider: 'openai', model: 'my-finetune', records: 120, ... }]: never counted as $0
 */
export function priceUsageTable(table: UsageTable, catalogue: PriceCatalogue, options: PriceTableOptions = {}): PricedUsage {
  if (table === null || typeof table !== 'object' || !(table.timestamps instanceof Float64Array)) throw new ValidationError('table', 'a usage table', table);
  if (catalogue === null || typeof catalogue !== 'object' || !Array.isArray(catalogue.entries)) throw new ValidationError('catalogue', 'a compiled price catalogue (createPriceCatalogue)', catalogue);
  const batchMode = options.batch ?? 'recorded';
  if (batchMode !== 'recorded' && batchMode !== 'all' && batchMode !== 'none') throw new ValidationError('options.batch', "'recorded', 'all' or 'none'", batchMode);
  if (options.priceAt !== undefined && !Number.isFinite(options.priceAt)) throw new ValidationError('options.priceAt', 'epoch milliseconds', options.priceAt);
  if (options.mask !== undefined && (!(options.mask instanceof Uint8Array) || options.mask.length !== table.length)) throw new ValidationError('options.mask', `a Uint8Array of length ${table.length}`, options.mask);
  if ((options.model === undefined) !== (options.provider === undefined)) {
    throw new ValidationError(options.model === undefined ? 'options.model' : 'options.provider', 'both options.model and options.provider, or neither', options.model === undefined ? options.model : options.provider);
  }
  const n = table.length;
  const cost = new Float64Array(n);
  const inputCost = new Float64Array(n);
  const outputCost = new Float64Array(n);
  const priceIndex = new Int32Array(n).fill(-1);
  const indexOf = new Map<CompiledPrice, number>();
  catalogue.entries.forEach((e, i) => indexOf.set(e, i));
  const providers = table.provider.values;
  const models = table.model.values;
  const modelCount = Math.max(1, models.length);
  const pairCandidates: (CompiledPrice[] | undefined)[] = new Array(providers.length * modelCount);
  const overrideCandidates = options.model !== undefined ? priceCandidates(catalogue, options.provider ?? '', options.model) : undefined;
  const unpricedByPair = new Map<number, { records: number; input: number; output: number }>();
  const rates = newRates();
  let priced = 0;
  let total = 0;
  let cacheReadFallbacks = 0;
  let cacheWriteFallbacks = 0;
  let batchFallbacks = 0;
  const { timestamps, uncachedInputTokens, cacheReadTokens, cacheWrite5mTokens, cacheWrite1hTokens, outputTokens, reasoningTokens, batch } = table;
  const providerCodes = table.provider.codes;
  const modelCodes = table.model.codes;
  const mask = options.mask;
  for (let i = 0; i < n; i++) {
    if (mask !== undefined && mask[i] === 0) {
      cost[i] = inputCost[i] = outputCost[i] = NaN;
      continue;
    }
    const pair = providerCodes[i]! * modelCount + modelCodes[i]!;
    let candidates = overrideCandidates;
    if (candidates === undefined) {
      candidates = pairCandidates[pair];
      if (candidates === undefined) {
        candidates = priceCandidates(catalogue, providers[providerCodes[i]!]!, models[modelCodes[i]!]!);
        pairCandidates[pair] = candidates;
      }
    }
    const at = options.priceAt ?? timestamps[i]!;
    let price: CompiledPrice | undefined;
    for (let c = 0; c < candidates.length; c++) {
      const candidate = candidates[c]!;
      if (at >= candidate.from && at < candidate.to) {
        price = candidate;
        break;
      }
    }
    const uncached = uncachedInputTokens[i]!;
    const read = cacheReadTokens[i]!;
    const w5 = cacheWrite5mTokens[i]!;
    const w1 = cacheWrite1hTokens[i]!;
    const out = outputTokens[i]!;
    const reasoning = reasoningTokens[i]!;
    if (price === undefined) {
      cost[i] = inputCost[i] = outputCost[i] = NaN;
      let u = unpricedByPair.get(pair);
      if (u === undefined) {
        u = { records: 0, input: 0, output: 0 };
        unpricedByPair.set(pair, u);
      }
      u.records++;
      u.input += uncached + read + w5 + w1;
      u.output += out + reasoning;
      continue;
    }
    const isBatch = batchMode === 'all' || (batchMode === 'recorded' && batch[i] === 1);
    const r = ratesFor(price, uncached + read + w5 + w1, isBatch, rates);
    const inCost = (uncached * r.input + read * r.cacheRead + w5 * r.cacheWrite5m + w1 * r.cacheWrite1h) * PER_MILLION;
    const outCost = (out * r.output + reasoning * r.reasoning) * PER_MILLION;
    inputCost[i] = inCost;
    outputCost[i] = outCost;
    cost[i] = inCost + outCost;
    priceIndex[i] = indexOf.get(price)!;
    priced++;
    total += inCost + outCost;
    if (read > 0 && r.cacheReadFallback) cacheReadFallbacks++;
    if ((w5 > 0 && r.cacheWrite5mFallback) || (w1 > 0 && r.cacheWrite1hFallback)) cacheWriteFallbacks++;
    if (isBatch && r.batchFallback) batchFallbacks++;
  }
  const unpriced: UnpricedModel[] = [];
  for (const [pair, u] of unpricedByPair) {
    const providerCode = Math.floor(pair / modelCount);
    const modelCode = pair % modelCount;
    unpriced.push({
      provider: options.provider !== undefined ? canonicalProvider(options.provider) : providers[providerCode]!,
      model: options.model ?? models[modelCode]!,
      records: u.records,
      inputTokens: u.input,
      outputTokens: u.output,
    });
  }
  unpriced.sort((a, b) => b.records - a.records || a.model.localeCompare(b.model));
  const counted = mask === undefined ? n : mask.reduce((s, v) => s + (v ? 1 : 0), 0);
  return {
    cost,
    inputCost,
    outputCost,
    priceIndex,
    pricedRecords: priced,
    unpricedRecords: counted - priced,
    totalCost: total,
    unpriced,
    fallbacks: { cacheReadAtInputPrice: cacheReadFallbacks, cacheWriteAtFallbackPrice: cacheWriteFallbacks, batchAtFullPrice: batchFallbacks },
    catalogue,
  };
}

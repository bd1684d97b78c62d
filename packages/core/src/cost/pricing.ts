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

/** Index of the tier a total input falls in: 0 for the base prices, k for `price.tiers[k - 1]` (the last one passed). */
function tierIndexFor(price: CompiledPrice, totalInput: number): number {
  let tier = 0;
  const tiers = price.tiers;
  for (let t = 0; t < tiers.length; t++) if (totalInput > tiers[t]!.aboveInputTokens) tier = t + 1;
  return tier;
}

/** Resolves every rate of a record. `scratch` is reused to avoid allocation on hot paths. */
function ratesFor(price: CompiledPrice, totalInput: number, batch: boolean, scratch: Rates): Rates {
  return ratesForTier(price, tierIndexFor(price, totalInput), batch, scratch);
}

/** The rates of one tier (see {@link tierIndexFor}), with batch discounts applied when `batch`. */
function ratesForTier(price: CompiledPrice, tierIndex: number, batch: boolean, scratch: Rates): Rates {
  const base = price.entry;
  const prices: TokenPrices = tierIndex === 0 ? base : price.tiers[tierIndex - 1]!;
  const tier = tierIndex === 0 ? undefined : price.tiers[tierIndex - 1]!.aboveInputTokens;
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
  const priceIndex = new Int32Array(n);
  const { priced, total, fallbacks, unpricedByPair, modelCount } = priceColumnsInto(table, catalogue, options, cost, inputCost, outputCost, priceIndex);
  const providers = table.provider.values;
  const models = table.model.values;
  const mask = options.mask;
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
    fallbacks,
    catalogue,
  };
}

/** Rates of one catalogue entry × tier × batch flag, resolved once (a Float64Array of the six per-token rates). */
const RATE_FIELDS = 6;

/** What {@link priceColumnsInto} counted. */
interface PricingTotals {
  readonly priced: number;
  readonly total: number;
  readonly fallbacks: PriceFallbacks;
  /** provider code × modelCount + model code → unpriced usage. */
  readonly unpricedByPair: Map<number, { records: number; input: number; output: number }>;
  readonly modelCount: number;
}

/**
 * The pricing loop behind {@link priceUsageTable}, writing into caller-owned columns (so re-pricing the same table
 * under several models reuses them). Per record it costs a date check over the pair's few candidates, a tier test
 * and six multiply-adds: rates are resolved once per entry × tier × batch flag and cached, candidates once per
 * provider × model, and nothing is allocated per record. Options are assumed validated.
 */
export function priceColumnsInto(table: UsageTable, catalogue: PriceCatalogue, options: PriceTableOptions, cost: Float64Array, inputCost: Float64Array, outputCost: Float64Array, priceIndex: Int32Array): PricingTotals {
  const n = table.length;
  const batchMode = options.batch ?? 'recorded';
  const entries = catalogue.entries;
  const indexOf = new Map<CompiledPrice, number>();
  let maxTiers = 0;
  entries.forEach((e, i) => {
    indexOf.set(e, i);
    if (e.tiers.length > maxTiers) maxTiers = e.tiers.length;
  });
  const tierSlots = maxTiers + 1;
  // rates[((entry × tierSlots) + tier) × 2 + batch] → offset into rateValues (-1 until resolved).
  const rateSlot = new Int32Array(entries.length * tierSlots * 2).fill(-1);
  const rateValues: number[] = [];
  const rateFlags: number[] = []; // bit 0 cache-read fallback, 1 write-5m fallback, 2 write-1h fallback, 3 batch fallback
  const scratch = newRates();
  const resolve = (entry: number, tier: number, isBatch: boolean): number => {
    const key = ((entry * tierSlots + tier) * 2) + (isBatch ? 1 : 0);
    let at = rateSlot[key]!;
    if (at < 0) {
      const price = entries[entry]!;
      const r = ratesForTier(price, tier, isBatch, scratch);
      at = rateValues.length;
      rateValues.push(r.input, r.cacheRead, r.cacheWrite5m, r.cacheWrite1h, r.output, r.reasoning);
      rateFlags.push((r.cacheReadFallback ? 1 : 0) | (r.cacheWrite5mFallback ? 2 : 0) | (r.cacheWrite1hFallback ? 4 : 0) | (r.batchFallback ? 8 : 0));
      rateSlot[key] = at;
    }
    return at;
  };
  const providers = table.provider.values;
  const models = table.model.values;
  const modelCount = Math.max(1, models.length);
  const pairCandidates: (Int32Array | undefined)[] = new Array(providers.length * modelCount);
  const overrideCandidates = options.model !== undefined ? Int32Array.from(priceCandidates(catalogue, options.provider ?? '', options.model), (c) => indexOf.get(c)!) : undefined;
  const unpricedByPair = new Map<number, { records: number; input: number; output: number }>();
  let priced = 0;
  let total = 0;
  let cacheReadFallbacks = 0;
  let cacheWriteFallbacks = 0;
  let batchFallbacks = 0;
  const { timestamps, uncachedInputTokens, cacheReadTokens, cacheWrite5mTokens, cacheWrite1hTokens, outputTokens, reasoningTokens, batch } = table;
  const providerCodes = table.provider.codes;
  const modelCodes = table.model.codes;
  const mask = options.mask;
  const priceAt = options.priceAt;
  const entryFrom = Float64Array.from(entries, (e) => e.from);
  const entryTo = Float64Array.from(entries, (e) => e.to);
  for (let i = 0; i < n; i++) {
    if (mask !== undefined && mask[i] === 0) {
      cost[i] = inputCost[i] = outputCost[i] = NaN;
      priceIndex[i] = -1;
      continue;
    }
    const pair = providerCodes[i]! * modelCount + modelCodes[i]!;
    let candidates: Int32Array | undefined = overrideCandidates;
    if (candidates === undefined) {
      candidates = pairCandidates[pair];
      if (candidates === undefined) {
        candidates = Int32Array.from(priceCandidates(catalogue, providers[providerCodes[i]!]!, models[modelCodes[i]!]!), (c) => indexOf.get(c)!);
        pairCandidates[pair] = candidates;
      }
    }
    const at = priceAt ?? timestamps[i]!;
    let entry = -1;
    for (let c = 0; c < candidates.length; c++) {
      const e = candidates[c]!;
      if (at >= entryFrom[e]! && at < entryTo[e]!) {
        entry = e;
        break;
      }
    }
    const uncached = uncachedInputTokens[i]!;
    const read = cacheReadTokens[i]!;
    const w5 = cacheWrite5mTokens[i]!;
    const w1 = cacheWrite1hTokens[i]!;
    const out = outputTokens[i]!;
    const reasoning = reasoningTokens[i]!;
    if (entry < 0) {
      cost[i] = inputCost[i] = outputCost[i] = NaN;
      priceIndex[i] = -1;
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
    const totalInput = uncached + read + w5 + w1;
    const tier = tierIndexFor(entries[entry]!, totalInput);
    const isBatch = batchMode === 'all' || (batchMode === 'recorded' && batch[i] === 1);
    const r = resolve(entry, tier, isBatch);
    const inCost = (uncached * rateValues[r]! + read * rateValues[r + 1]! + w5 * rateValues[r + 2]! + w1 * rateValues[r + 3]!) * PER_MILLION;
    const outCost = (out * rateValues[r + 4]! + reasoning * rateValues[r + 5]!) * PER_MILLION;
    inputCost[i] = inCost;
    outputCost[i] = outCost;
    cost[i] = inCost + outCost;
    priceIndex[i] = entry;
    priced++;
    total += inCost + outCost;
    const flags = rateFlags[r / RATE_FIELDS]!;
    if (flags !== 0) {
      if (read > 0 && flags & 1) cacheReadFallbacks++;
      if ((w5 > 0 && flags & 2) || (w1 > 0 && flags & 4)) cacheWriteFallbacks++;
      if (isBatch && flags & 8) batchFallbacks++;
    }
  }
  return {
    priced,
    total,
    fallbacks: { cacheReadAtInputPrice: cacheReadFallbacks, cacheWriteAtFallbackPrice: cacheWriteFallbacks, batchAtFullPrice: batchFallbacks },
    unpricedByPair,
    modelCount,
  };
}

import { ValidationError } from '../errors';
import { findPrice } from './catalogue';
import type { PriceCatalogue } from './catalogue';
import { monthlyFactor, savingsRange } from './opportunity';
import type { Opportunity, OpportunityEvidence } from './opportunity';
import { priceUsageTable } from './pricing';
import type { PricedUsage } from './pricing';
import { wilsonInterval } from '../stats';
import type { UsageTable } from './table';

const MINUTE = 60_000;
const HOUR = 3_600_000;

function checkInputs(table: UsageTable, priced: PricedUsage): void {
  if (table === null || typeof table !== 'object' || !(table.timestamps instanceof Float64Array)) throw new ValidationError('table', 'a usage table', table);
  if (!(priced?.cost instanceof Float64Array) || priced.cost.length !== table.length) throw new ValidationError('priced', `the priced usage of this table (length ${table.length})`, priced);
}

function positive(value: number | undefined, fallback: number, path: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ValidationError(path, 'a number > 0', v);
  return v;
}

/** The time order of each timestamps column seen, kept while the column lives (tables are immutable). */
const timeOrders = /* @__PURE__ */ new WeakMap<Float64Array, Int32Array>();

/**
 * Row indices sorted by (timestamp, index). Already-sorted columns cost one check; whole-millisecond timestamps
 * spanning less than 2^32 ms (~50 days) are radix-sorted in two stable 16-bit passes; anything else falls back to a
 * comparison sort.
 */
function timeOrder(timestamps: Float64Array): Int32Array {
  const cached = timeOrders.get(timestamps);
  if (cached !== undefined) return cached;
  const n = timestamps.length;
  const order = new Int32Array(n);
  let sorted = true;
  let integral = true;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = timestamps[i]!;
    order[i] = i;
    if (i > 0 && t < timestamps[i - 1]!) sorted = false;
    if (t !== Math.floor(t)) integral = false;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  if (!sorted) {
    if (integral && max - min < 4294967296) {
      const keys = new Uint32Array(n);
      for (let i = 0; i < n; i++) keys[i] = (timestamps[i]! - min) >>> 0;
      const buffer = new Int32Array(n);
      const counts = new Int32Array(65537);
      for (let i = 0; i < n; i++) counts[(keys[i]! & 0xffff) + 1]!++;
      for (let b = 0; b < 65536; b++) counts[b + 1]! += counts[b]!;
      for (let i = 0; i < n; i++) buffer[counts[keys[i]! & 0xffff]!++] = i;
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[(keys[i]! >>> 16) + 1]!++;
      for (let b = 0; b < 65536; b++) counts[b + 1]! += counts[b]!;
      for (let k = 0; k < n; k++) {
        const i = buffer[k]!;
        order[counts[keys[i]! >>> 16]!++] = i;
      }
    } else {
      order.sort((a, b) => timestamps[a]! - timestamps[b]! || a - b);
    }
  }
  timeOrders.set(timestamps, order);
  return order;
}

/**
 * Row indices grouped by a key per row (key < 0 = skip), each group in timestamp order, as views into one Int32Array
 * (a counting sort over the table's time order: no per-row arrays, no per-group sort). Groups with fewer than
 * `minimumSize` rows are left out. Map order is the order of each key's first row, as before.
 */
function groupRowsByTime(table: UsageTable, keyOf: (i: number) => number, minimumSize = 1): Map<number, Int32Array> {
  const n = table.length;
  const groupOf = new Int32Array(n);
  const groupKeys: number[] = [];
  let maxKey = -1;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const key = keyOf(i);
    keys[i] = key;
    if (key > maxKey) maxKey = key;
  }
  const sizes: number[] = [];
  if (maxKey < Math.max(65536, 8 * n)) {
    const dense = new Int32Array(maxKey + 1).fill(-1);
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      if (key < 0) {
        groupOf[i] = -1;
        continue;
      }
      let g = dense[key]!;
      if (g < 0) {
        g = groupKeys.length;
        dense[key] = g;
        groupKeys.push(key);
        sizes.push(0);
      }
      groupOf[i] = g;
      sizes[g]!++;
    }
  } else {
    const sparse = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      if (key < 0) {
        groupOf[i] = -1;
        continue;
      }
      let g = sparse.get(key);
      if (g === undefined) {
        g = groupKeys.length;
        sparse.set(key, g);
        groupKeys.push(key);
        sizes.push(0);
      }
      groupOf[i] = g;
      sizes[g]!++;
    }
  }
  const groups = groupKeys.length;
  const offsets = new Int32Array(groups + 1);
  for (let g = 0; g < groups; g++) offsets[g + 1] = offsets[g]! + sizes[g]!;
  const rows = new Int32Array(offsets[groups]!);
  const cursor = offsets.slice(0, groups);
  const order = timeOrder(table.timestamps);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const g = groupOf[i]!;
    if (g >= 0) rows[cursor[g]!++] = i;
  }
  const result = new Map<number, Int32Array>();
  for (let g = 0; g < groups; g++) if (sizes[g]! >= minimumSize) result.set(groupKeys[g]!, rows.subarray(offsets[g]!, offsets[g + 1]!));
  return result;
}

/** Options of {@link findCachingOpportunities}. */
export interface CachingOptions {
  readonly catalogue: PriceCatalogue;
  /** Shortest prefix worth caching, in tokens. Default 1024 (OpenAI's and Anthropic's minimum for most models). */
  readonly minimumPrefixTokens?: number;
  readonly windowDays?: number;
}

/** What caching one provider's model's repeated prefixes would do. */
export interface CachingAnalysis {
  readonly provider: string;
  readonly model: string;
  readonly prefixes: number;
  readonly requests: number;
  /** Share of requests that would hit a cache with each TTL (a hit when the same prefix was sent within the TTL; hits refresh the TTL). */
  readonly hitRate5m: number;
  readonly hitRate1h: number;
  /** Read and write prices as multiples of the input price. */
  readonly readRatio: number;
  readonly write5mRatio: number;
  readonly write1hRatio: number;
  /** Hit rate above which caching pays for its writes: (write - 1) / (write - read). */
  readonly breakEvenHitRate5m: number;
  readonly breakEvenHitRate1h: number;
  /** Requests per hour on one prefix at which Poisson arrivals reach the break-even hit rate: -ln(1 - h*) / TTL. */
  readonly breakEvenRequestsPerHour5m: number;
  readonly breakEvenRequestsPerHour1h: number;
  /** Observed requests per hour per prefix (mean). */
  readonly requestsPerHourPerPrefix: number;
  readonly bestTtl: '5m' | '1h';
  readonly monthlySavings: Opportunity['monthlySavings'];
}

/**
 * Prompt-caching advisor. From the prefix hashes and prefix lengths the host records, groups requests by provider,
 * model and prefix, and replays their arrival times against a 5-minute and a 1-hour cache (a request hits when the
 * same prefix was sent within the TTL; a hit refreshes it, as Anthropic's cache does). Savings re-price the prefix
 * tokens: hits at the cache-read price, misses at the cache-write price, instead of the input price. Only requests
 * that did not already read from the cache are counted. The range comes from the Wilson interval of the hit rate.
 *
 * @example
 * const { opportunities, analyses } = findCachingOpportunities(table, priced, { catalogue: DEFAULT_PRICE_CATALOGUE });
 * analyses[0].breakEvenRequestsPerHour5m; // e.g. 2.9 requests per hour per prefix for Claude's 1.25× writes
 */
export function findCachingOpportunities(table: UsageTable, priced: PricedUsage, options: CachingOptions): { opportunities: Opportunity[]; analyses: CachingAnalysis[] } {
  checkInputs(table, priced);
  if (options?.catalogue === undefined) throw new ValidationError('options.catalogue', 'a price catalogue', options?.catalogue);
  const minimum = positive(options.minimumPrefixTokens, 1024, 'options.minimumPrefixTokens');
  const perMonth = monthlyFactor(table.timestamps, undefined, options.windowDays);
  const modelCount = Math.max(1, table.model.values.length);
  const prefixCount = Math.max(1, table.prefixHash.values.length);
  const pairOf = (i: number) => table.provider.codes[i]! * modelCount + table.model.codes[i]!;
  const groups = groupRowsByTime(table, (i) => {
    const prefix = table.prefixHash.codes[i]!;
    const tokens = table.prefixTokens[i]!;
    if (prefix < 0 || !(tokens >= minimum) || table.cacheReadTokens[i]! > 0 || priced.priceIndex[i]! < 0) return -1;
    return pairOf(i) * prefixCount + prefix;
  });
  interface PairStats {
    prefixes: number;
    requests: number;
    hits5: number;
    hits1h: number;
    tokens: number;
    hitTokens5: number;
    hitTokens1h: number;
    firstSeen: number;
    lastSeen: number;
    spanHours: number;
  }
  const byPair = new Map<number, PairStats>();
  for (const [key, rows] of groups) {
    const pair = Math.floor(key / prefixCount);
    let s = byPair.get(pair);
    if (s === undefined) {
      s = { prefixes: 0, requests: 0, hits5: 0, hits1h: 0, tokens: 0, hitTokens5: 0, hitTokens1h: 0, firstSeen: Infinity, lastSeen: -Infinity, spanHours: 0 };
      byPair.set(pair, s);
    }
    s.prefixes++;
    let previous = -Infinity;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k]!;
      const t = table.timestamps[i]!;
      const tokens = table.prefixTokens[i]!;
      s.requests++;
      s.tokens += tokens;
      const gap = t - previous;
      if (gap <= 5 * MINUTE) {
        s.hits5++;
        s.hitTokens5 += tokens;
      }
      if (gap <= HOUR) {
        s.hits1h++;
        s.hitTokens1h += tokens;
      }
      previous = t;
    }
    const first = table.timestamps[rows[0]!]!;
    const last = table.timestamps[rows[rows.length - 1]!]!;
    s.firstSeen = Math.min(s.firstSeen, first);
    s.lastSeen = Math.max(s.lastSeen, last);
    s.spanHours += Math.max(1, (last - first) / HOUR);
  }
  const analyses: CachingAnalysis[] = [];
  const opportunities: Opportunity[] = [];
  for (const [pair, s] of byPair) {
    const provider = table.provider.values[Math.floor(pair / modelCount)]!;
    const model = table.model.values[pair % modelCount]!;
    const price = findPrice(options.catalogue, provider, model, s.lastSeen);
    if (price === undefined || !(price.entry.input > 0)) continue;
    const input = price.entry.input;
    const read = (price.entry.cacheRead ?? input) / input;
    const write5 = (price.entry.cacheWrite5m ?? input) / input;
    const write1h = (price.entry.cacheWrite1h ?? price.entry.cacheWrite5m ?? input) / input;
    const breakEven = (write: number) => (write <= 1 ? 0 : write - read > 0 ? (write - 1) / (write - read) : 1);
    const perHour = (h: number, ttlHours: number) => (h <= 0 ? 0 : h >= 1 ? Infinity : -Math.log(1 - h) / ttlHours);
    const be5 = breakEven(write5);
    const be1h = breakEven(write1h);
    // Saving per token-weighted hit fraction h: baseline 1 (input) vs h·read + (1 - h)·write, in input-price units.
    const dollars = (tokens: number) => (tokens * input) / 1e6;
    const savingFor = (hitTokens: number, write: number) => dollars(hitTokens * (1 - read) - (s.tokens - hitTokens) * (write - 1));
    const saving5 = savingFor(s.hitTokens5, write5);
    const saving1h = savingFor(s.hitTokens1h, write1h);
    const best: '5m' | '1h' = saving1h > saving5 ? '1h' : '5m';
    const hits = best === '1h' ? s.hits1h : s.hits5;
    const write = best === '1h' ? write1h : write5;
    const meanTokens = s.tokens / s.requests;
    const w = wilsonInterval(hits, s.requests, 0.95);
    const savingAt = (h: number) => dollars(meanTokens * s.requests * (h * (1 - read) - (1 - h) * (write - 1)));
    const expected = Math.max(saving5, saving1h) * perMonth;
    const range = savingsRange(savingAt(w.lower) * perMonth, expected, savingAt(w.upper) * perMonth);
    const analysis: CachingAnalysis = {
      provider,
      model,
      prefixes: s.prefixes,
      requests: s.requests,
      hitRate5m: s.hits5 / s.requests,
      hitRate1h: s.hits1h / s.requests,
      readRatio: read,
      write5mRatio: write5,
      write1hRatio: write1h,
      breakEvenHitRate5m: be5,
      breakEvenHitRate1h: be1h,
      breakEvenRequestsPerHour5m: perHour(be5, 5 / 60),
      breakEvenRequestsPerHour1h: perHour(be1h, 1),
      requestsPerHourPerPrefix: s.requests / s.spanHours,
      bestTtl: best,
      monthlySavings: range,
    };
    analyses.push(analysis);
    if (range.expected <= 0) continue;
    const evidence: OpportunityEvidence[] = [
      { label: 'Requests with a repeated prefix, not yet cached', value: s.requests, unit: 'requests', detail: `${s.prefixes} distinct prefixes, ${Math.round(meanTokens)} tokens each on average` },
      { label: 'Expected hit rate, 5-minute cache', value: round(analysis.hitRate5m * 100, 1), unit: '%' },
      { label: 'Expected hit rate, 1-hour cache', value: round(analysis.hitRate1h * 100, 1), unit: '%' },
      { label: 'Cache read / write price', value: `${round(read, 3)}× / ${round(write, 3)}× input`, detail: price.id },
      { label: `Break-even hit rate (${best})`, value: round((best === '1h' ? be1h : be5) * 100, 1), unit: '%' },
      { label: `Break-even request rate per prefix (${best})`, value: round(best === '1h' ? analysis.breakEvenRequestsPerHour1h : analysis.breakEvenRequestsPerHour5m, 2), unit: 'per hour', detail: `observed ${round(analysis.requestsPerHourPerPrefix, 2)} per hour` },
    ];
    opportunities.push({
      id: `prompt-caching:${provider}/${model}`,
      kind: 'prompt-caching',
      title: `Cache repeated prompt prefixes on ${model} (${best} TTL)`,
      scope: { provider, model },
      monthlySavings: range,
      confidence: s.requests >= 1000 && w.upper - w.lower < 0.05 ? 'high' : s.requests >= 100 ? 'medium' : 'low',
      effort: 'low',
      evidence,
    });
  }
  opportunities.sort((a, b) => b.monthlySavings.expected - a.monthlySavings.expected);
  analyses.sort((a, b) => b.monthlySavings.expected - a.monthlySavings.expected);
  return { opportunities, analyses };
}

/** Options of {@link findBatchOpportunities}. */
export interface BatchOptions {
  readonly catalogue: PriceCatalogue;
  /** Tags marking traffic that no one waits on. Default `{ kind: ['job', 'eval', 'batch', 'backfill'] }`. */
  readonly offlineTags?: Readonly<Record<string, readonly string[]>>;
  /** Features the host declares as offline. */
  readonly offlineFeatures?: readonly string[];
  /** A feature counts as bursty when at least this share of its calls follow the previous one within `burstGapMs`. Default 0.5. */
  readonly burstShare?: number;
  /** Default 1000 ms. */
  readonly burstGapMs?: number;
  readonly windowDays?: number;
}

/**
 * Batch eligibility: calls that no one waits on (not streamed, and tagged as jobs or evaluations, or in a declared
 * offline feature) and, as a weaker signal, calls of bursty features that were not streamed. Savings re-price that
 * traffic at the catalogue's batch rates. The low end counts declared traffic only, the high end adds the bursty
 * traffic, the expected value adds half of it.
 *
 * @example
 * findBatchOpportunities(table, priced, { catalogue, offlineTags: { kind: ['nightly-eval'] } });
 */
export function findBatchOpportunities(table: UsageTable, priced: PricedUsage, options: BatchOptions): Opportunity[] {
  checkInputs(table, priced);
  if (options?.catalogue === undefined) throw new ValidationError('options.catalogue', 'a price catalogue', options?.catalogue);
  const burstShare = positive(options.burstShare, 0.5, 'options.burstShare');
  const burstGap = positive(options.burstGapMs, 1000, 'options.burstGapMs');
  const perMonth = monthlyFactor(table.timestamps, undefined, options.windowDays);
  const offlineTags = options.offlineTags ?? { kind: ['job', 'eval', 'batch', 'backfill'] };
  const tagTests: { codes: Int32Array; accepted: Set<number> }[] = [];
  for (const [key, values] of Object.entries(offlineTags)) {
    const column = table.tags.get(key);
    if (column === undefined) continue;
    const accepted = new Set<number>();
    column.values.forEach((v, code) => {
      if (values.includes(v)) accepted.add(code);
    });
    tagTests.push({ codes: column.codes, accepted });
  }
  const offlineFeatureCodes = new Set<number>();
  table.feature.values.forEach((v, code) => {
    if (options.offlineFeatures?.includes(v)) offlineFeatureCodes.add(code);
  });
  // Burstiness per feature.
  const byFeature = groupRowsByTime(table, (i) => table.feature.codes[i]!);
  const bursty = new Set<number>();
  for (const [feature, rows] of byFeature) {
    let close = 0;
    for (let k = 1; k < rows.length; k++) if (table.timestamps[rows[k]!]! - table.timestamps[rows[k - 1]!]! <= burstGap) close++;
    if (rows.length > 1 && close / (rows.length - 1) >= burstShare) bursty.add(feature);
  }
  const n = table.length;
  const declared = new Uint8Array(n);
  const inferred = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (table.batch[i] === 1 || table.streaming[i] === 1 || table.ok[i] === 0 || priced.priceIndex[i]! < 0) continue;
    let isDeclared = offlineFeatureCodes.has(table.feature.codes[i]!);
    for (const test of tagTests) if (test.accepted.has(test.codes[i]!)) isDeclared = true;
    if (isDeclared) declared[i] = 1;
    else if (table.streaming[i] === 0 && bursty.has(table.feature.codes[i]!)) inferred[i] = 1;
  }
  const batchPriced = priceUsageTable(table, options.catalogue, { batch: 'all' });
  const modelCount = Math.max(1, table.model.values.length);
  interface Group { declared: number; inferred: number; declaredCalls: number; inferredCalls: number; spend: number }
  const groups = new Map<number, Group>();
  for (let i = 0; i < n; i++) {
    if (!declared[i] && !inferred[i]) continue;
    const saving = priced.cost[i]! - batchPriced.cost[i]!;
    if (!(saving > 0)) continue;
    const key = (table.feature.codes[i]! + 1) * table.provider.values.length * modelCount + table.provider.codes[i]! * modelCount + table.model.codes[i]!;
    let g = groups.get(key);
    if (g === undefined) {
      g = { declared: 0, inferred: 0, declaredCalls: 0, inferredCalls: 0, spend: 0 };
      groups.set(key, g);
    }
    g.spend += priced.cost[i]!;
    if (declared[i]) {
      g.declared += saving;
      g.declaredCalls++;
    } else {
      g.inferred += saving;
      g.inferredCalls++;
    }
  }
  const providerCount = table.provider.values.length;
  const opportunities: Opportunity[] = [];
  for (const [key, g] of groups) {
    const featureCode = Math.floor(key / (providerCount * modelCount)) - 1;
    const rest = key % (providerCount * modelCount);
    const provider = table.provider.values[Math.floor(rest / modelCount)]!;
    const model = table.model.values[rest % modelCount]!;
    const feature = featureCode >= 0 ? table.feature.values[featureCode]! : '(no feature)';
    const range = savingsRange(g.declared * perMonth, (g.declared + g.inferred / 2) * perMonth, (g.declared + g.inferred) * perMonth);
    if (range.high <= 0) continue;
    opportunities.push({
      id: `batch:${feature}:${provider}/${model}`,
      kind: 'batch',
      title: `Send ${feature} traffic on ${model} through the batch API`,
      scope: { feature, provider, model },
      monthlySavings: range,
      confidence: g.declaredCalls >= g.inferredCalls ? 'high' : 'low',
      effort: 'medium',
      evidence: [
        { label: 'Calls tagged or declared offline, not streamed', value: g.declaredCalls, unit: 'requests' },
        { label: 'Calls of a bursty feature, not streamed', value: g.inferredCalls, unit: 'requests', detail: `≥ ${burstShare * 100}% of calls within ${burstGap} ms of the previous` },
        { label: 'Their spend in the window', value: round(g.spend, 4), unit: 'USD' },
        { label: 'Batch re-priced saving in the window', value: round(g.declared + g.inferred, 4), unit: 'USD' },
      ],
    });
  }
  opportunities.sort((a, b) => b.monthlySavings.expected - a.monthlySavings.expected);
  return opportunities;
}

/** Options of {@link findWaste}. */
export interface WasteOptions {
  /** Two calls with the same request hash and model within this window are duplicates. Default 1 hour. */
  readonly duplicateWindowMs?: number;
  /** Duplicates within this window would be served by a response cache for sure (the low end). Default 5 minutes. */
  readonly duplicateCertainMs?: number;
  /** An output longer than this multiple of its feature × model median is a runaway. Default 5. */
  readonly runawayFactor?: number;
  /** Finish reasons that mean the output hit its limit. Default length, max_tokens, max_output_tokens. */
  readonly truncationReasons?: readonly string[];
  /** A conversation needs this many calls to be judged for growing context. Default 6. */
  readonly minimumTurns?: number;
  /** Input growth from first to last call that counts as growing. Default 3 (×). */
  readonly growthFactor?: number;
  readonly windowDays?: number;
}

/**
 * Waste: spend that bought nothing.
 * - Failed calls: priced calls that errored (low: those retried with the same request hash, high: all).
 * - Duplicate requests: the same request hash on the same model within `duplicateWindowMs` of a successful call
 *   (low: within `duplicateCertainMs`).
 * - Runaway outputs: output tokens beyond twice the feature × model median on calls more than `runawayFactor` times
 *   the median or truncated by their limit (low: truncated ones only).
 * - Growing contexts: conversations whose input grows `growthFactor`× or more; the input above 2× (high) or 4× (low)
 *   the first call's input, re-priced at the call's input cost per token.
 *
 * @example
 * findWaste(table, priced).map((o) => [o.kind, o.monthlySavings.expected]);
 */
export function findWaste(table: UsageTable, priced: PricedUsage, options: WasteOptions = {}): Opportunity[] {
  checkInputs(table, priced);
  const duplicateWindow = positive(options.duplicateWindowMs, HOUR, 'options.duplicateWindowMs');
  const duplicateCertain = positive(options.duplicateCertainMs, 5 * MINUTE, 'options.duplicateCertainMs');
  const runawayFactor = positive(options.runawayFactor, 5, 'options.runawayFactor');
  const minimumTurns = positive(options.minimumTurns, 6, 'options.minimumTurns');
  const growthFactor = positive(options.growthFactor, 3, 'options.growthFactor');
  const truncation = new Set((options.truncationReasons ?? ['length', 'max_tokens', 'max_output_tokens']).map((r) => r.toLowerCase()));
  const perMonth = monthlyFactor(table.timestamps, undefined, options.windowDays);
  const n = table.length;
  const { cost, inputCost, outputCost } = priced;
  const opportunities: Opportunity[] = [];
  const modelCount = Math.max(1, table.model.values.length);
  const pairOf = (i: number) => table.provider.codes[i]! * modelCount + table.model.codes[i]!;

  // Failed calls, and whether the same request was sent again afterwards.
  const requestCount = Math.max(1, table.requestHash.values.length);
  // A request seen once is neither retried nor a duplicate: only groups of two or more matter.
  const byRequest = groupRowsByTime(table, (i) => (table.requestHash.codes[i]! < 0 ? -1 : pairOf(i) * requestCount + table.requestHash.codes[i]!), 2);
  const retried = new Uint8Array(n);
  const duplicate = new Uint8Array(n); // 1 = within the window, 2 = within the certain window
  for (const rows of byRequest.values()) {
    let lastSuccess = -Infinity;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k]!;
      if (k + 1 < rows.length && table.ok[i] === 0) retried[i] = 1;
      const gap = table.timestamps[i]! - lastSuccess;
      if (gap <= duplicateWindow) duplicate[i] = gap <= duplicateCertain ? 2 : 1;
      if (table.ok[i] === 1) lastSuccess = table.timestamps[i]!;
    }
  }
  let failedCost = 0;
  let failedCalls = 0;
  let retriedCost = 0;
  let retriedCalls = 0;
  let duplicateCost = 0;
  let duplicateCertainCost = 0;
  let duplicateCalls = 0;
  let pricedCalls = 0;
  for (let i = 0; i < n; i++) {
    const c = cost[i]!;
    if (c !== c) continue;
    pricedCalls++;
    if (table.ok[i] === 0) {
      failedCost += c;
      failedCalls++;
      if (retried[i]) {
        retriedCost += c;
        retriedCalls++;
      }
    }
    if (duplicate[i]) {
      duplicateCost += c;
      duplicateCalls++;
      if (duplicate[i] === 2) duplicateCertainCost += c;
    }
  }
  if (failedCost > 0) {
    opportunities.push({
      id: 'waste:failed-calls',
      kind: 'failed-calls',
      title: 'Stop paying for failed calls',
      scope: {},
      monthlySavings: savingsRange(retriedCost * perMonth, ((retriedCost + failedCost) / 2) * perMonth, failedCost * perMonth),
      confidence: failedCalls >= 100 ? 'medium' : 'low',
      effort: 'medium',
      evidence: [
        { label: 'Failed priced calls', value: failedCalls, unit: 'requests', detail: `${round((failedCalls / Math.max(1, pricedCalls)) * 100, 2)}% of priced calls` },
        { label: 'Of which retried with the same request', value: retriedCalls, unit: 'requests' },
        { label: 'Spend on failed calls in the window', value: round(failedCost, 4), unit: 'USD' },
      ],
    });
  }
  if (duplicateCost > 0) {
    opportunities.push({
      id: 'waste:duplicate-requests',
      kind: 'duplicate-requests',
      title: 'Serve repeated identical requests from a response cache',
      scope: {},
      monthlySavings: savingsRange(duplicateCertainCost * perMonth, ((duplicateCertainCost + duplicateCost) / 2) * perMonth, duplicateCost * perMonth),
      confidence: duplicateCalls >= 100 ? 'high' : 'medium',
      effort: 'low',
      evidence: [
        { label: 'Duplicate calls', value: duplicateCalls, unit: 'requests', detail: `same request hash and model within ${Math.round(duplicateWindow / MINUTE)} min of a successful call` },
        { label: 'Spend on duplicates in the window', value: round(duplicateCost, 4), unit: 'USD' },
        { label: `Of which within ${Math.round(duplicateCertain / MINUTE)} min`, value: round(duplicateCertainCost, 4), unit: 'USD' },
      ],
    });
  }

  // Runaway outputs, against the feature × model median.
  const featureCount = table.feature.values.length + 1;
  const byFeatureModel = groupRowsByTime(table, (i) => (table.feature.codes[i]! + 1) + featureCount * pairOf(i), 5);
  let runawayCost = 0;
  let truncatedCost = 0;
  let runawayCalls = 0;
  let excessTokens = 0;
  // Whether each finish-reason code means the output hit its limit (resolved once per code, not per row).
  const truncatedCode = Uint8Array.from(table.finishReason.values, (reason) => (truncation.has(reason.toLowerCase()) ? 1 : 0));
  const finishCodes = table.finishReason.codes;
  const { outputTokens, reasoningTokens } = table;
  for (const rows of byFeatureModel.values()) {
    if (rows.length < 5) continue;
    const outputs = new Float64Array(rows.length);
    for (let k = 0; k < rows.length; k++) outputs[k] = outputTokens[rows[k]!]! + reasoningTokens[rows[k]!]!;
    outputs.sort();
    const median = outputs[Math.floor((outputs.length - 1) / 2)]! / 2 + outputs[Math.ceil((outputs.length - 1) / 2)]! / 2;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k]!;
      const out = outputTokens[i]! + reasoningTokens[i]!;
      const code = finishCodes[i]!;
      const truncated = code >= 0 && truncatedCode[code] === 1;
      if (!(truncated || out > runawayFactor * median) || out <= 2 * median || outputCost[i]! !== outputCost[i]!) continue;
      const excess = out - 2 * median;
      const excessCost = (outputCost[i]! * excess) / out;
      runawayCost += excessCost;
      runawayCalls++;
      excessTokens += excess;
      if (truncated) truncatedCost += excessCost;
    }
  }
  if (runawayCost > 0) {
    opportunities.push({
      id: 'waste:runaway-outputs',
      kind: 'runaway-outputs',
      title: 'Cap runaway outputs (max tokens, stop sequences)',
      scope: {},
      monthlySavings: savingsRange(truncatedCost * perMonth, ((truncatedCost + runawayCost) / 2) * perMonth, runawayCost * perMonth),
      confidence: runawayCalls >= 50 ? 'medium' : 'low',
      effort: 'low',
      evidence: [
        { label: 'Runaway calls', value: runawayCalls, unit: 'requests', detail: `output above ${runawayFactor}× its feature and model median, or truncated by its limit` },
        { label: 'Output tokens beyond twice the median', value: Math.round(excessTokens), unit: 'tokens' },
        { label: 'Their cost in the window', value: round(runawayCost, 4), unit: 'USD' },
      ],
    });
  }

  // Growing contexts per conversation.
  const inputOf = (i: number) => table.uncachedInputTokens[i]! + table.cacheReadTokens[i]! + table.cacheWrite5mTokens[i]! + table.cacheWrite1hTokens[i]!;
  const byConversation = groupRowsByTime(table, (i) => table.conversation.codes[i]!, Math.max(1, Math.ceil(minimumTurns)));
  let growthHigh = 0;
  let growthLow = 0;
  let growingConversations = 0;
  for (const rows of byConversation.values()) {
    if (rows.length < minimumTurns) continue;
    const first = inputOf(rows[0]!);
    const last = inputOf(rows[rows.length - 1]!);
    if (!(first > 0) || last < growthFactor * first) continue;
    let rising = 0;
    for (let k = 1; k < rows.length; k++) if (inputOf(rows[k]!) >= inputOf(rows[k - 1]!)) rising++;
    if (rising / (rows.length - 1) < 0.8) continue;
    growingConversations++;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k]!;
      const input = inputOf(i);
      const ic = inputCost[i]!;
      if (ic !== ic || input <= 0) continue;
      growthHigh += (ic * Math.max(0, input - 2 * first)) / input;
      growthLow += (ic * Math.max(0, input - 4 * first)) / input;
    }
  }
  if (growthHigh > 0) {
    opportunities.push({
      id: 'waste:growing-contexts',
      kind: 'growing-contexts',
      title: 'Summarise or trim conversation history that keeps growing',
      scope: {},
      monthlySavings: savingsRange(growthLow * perMonth, ((growthLow + growthHigh) / 2) * perMonth, growthHigh * perMonth),
      confidence: growingConversations >= 20 ? 'medium' : 'low',
      effort: 'medium',
      evidence: [
        { label: 'Conversations whose input grows', value: growingConversations, unit: 'conversations', detail: `≥ ${growthFactor}× from first to last call, rising on ≥ 80% of turns` },
        { label: 'Input spend above 2× the first call', value: round(growthHigh, 4), unit: 'USD' },
        { label: 'Input spend above 4× the first call', value: round(growthLow, 4), unit: 'USD' },
      ],
    });
  }
  opportunities.sort((a, b) => b.monthlySavings.expected - a.monthlySavings.expected);
  return opportunities;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

import { ValidationError } from '../errors';
import { quantiles as exactQuantiles } from '../percentile';
import type { CsvValue, TimeRange } from '../series';
import { toCsv } from '../series';
import type { PricedUsage } from './pricing';
import type { DictionaryColumn, UsageTable } from './table';

/** A dimension to group by: a built-in column or any tag (`tag:team`). */
export type UsageDimension = 'provider' | 'model' | 'feature' | 'user' | 'operation' | `tag:${string}`;

/** Options of {@link aggregateUsage}. */
export interface AggregateOptions {
  /** Dimensions to group by, in order; `[]` gives one group. */
  readonly by: readonly UsageDimension[];
  /** Time bucket width in milliseconds (e.g. 86_400_000 for UTC days); absent: no time grouping. */
  readonly interval?: number;
  /** Bucket alignment in epoch milliseconds, default 0 (UTC midnight for whole days). */
  readonly origin?: number;
  /** Only records with range.start <= timestamp < range.end. */
  readonly range?: TimeRange;
  /** Only rows whose mask is 1. */
  readonly mask?: Uint8Array;
  /** Latency quantiles, default [0.5, 0.95, 0.99]. */
  readonly quantiles?: readonly number[];
}

/**
 * Metrics of one group. Ratios whose denominator is zero, and latency or quality without samples, are NaN (and
 * documented as such): never a made-up 0.
 */
export interface UsageAggregateRow {
  /** Dimension name → value; `null` where records had no value. */
  readonly key: Readonly<Record<string, string | null>>;
  /** Start of the time bucket (when `interval` was given). */
  readonly bucketStart: number | undefined;
  readonly requests: number;
  readonly successes: number;
  readonly failures: number;
  /** successes / requests. */
  readonly successRate: number;
  readonly pricedRequests: number;
  /** Requests whose model had no price: their spend is unknown, not zero. */
  readonly unpricedRequests: number;
  /** US dollars over priced requests. */
  readonly spend: number;
  /** Every input token (uncached, cache read, cache write). */
  readonly inputTokens: number;
  readonly uncachedInputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  /** Visible output plus reasoning. */
  readonly outputTokens: number;
  readonly reasoningTokens: number;
  /** Spend per 1,000 tokens (input + output) of priced requests. */
  readonly costPer1kTokens: number;
  /** Spend (failed calls included) per successful priced request. */
  readonly costPerSuccessfulRequest: number;
  /** Latency quantiles in milliseconds, in the order of `quantiles` (default p50, p95, p99). */
  readonly latencyQuantiles: readonly number[];
  readonly latencyP50: number;
  readonly latencyP95: number;
  readonly latencyP99: number;
  /** Output tokens per input token. */
  readonly tokenEfficiency: number;
  /** Mean of input tokens / context window over requests whose context window is known. */
  readonly contextUtilisation: number;
  /** Share of input tokens served from the cache. */
  readonly cacheHitRate: number;
  /** Mean quality score in [0, 1] over requests with feedback. */
  readonly quality: number;
  readonly qualitySamples: number;
}

/** Result of {@link aggregateUsage}: one row per non-empty group (sorted by bucket, then spend descending), plus the total. */
export interface UsageAggregate {
  readonly dimensions: readonly UsageDimension[];
  readonly interval: number | undefined;
  readonly rows: readonly UsageAggregateRow[];
  readonly total: UsageAggregateRow;
}

function dimensionColumn(table: UsageTable, dimension: UsageDimension, path: string): DictionaryColumn {
  switch (dimension) {
    case 'provider':
    case 'model':
    case 'feature':
    case 'user':
    case 'operation':
      return table[dimension];
    default: {
      if (typeof dimension !== 'string' || !dimension.startsWith('tag:') || dimension.length <= 4) {
        throw new ValidationError(path, "'provider', 'model', 'feature', 'user', 'operation' or 'tag:<key>'", dimension);
      }
      return table.tags.get(dimension.slice(4)) ?? { codes: new Int32Array(table.length).fill(-1), values: [] };
    }
  }
}

/** Per-group accumulators, one typed array per metric. */
class Accumulators {
  readonly requests: Float64Array;
  readonly successes: Float64Array;
  readonly priced: Float64Array;
  readonly pricedSuccesses: Float64Array;
  readonly spend: Float64Array;
  readonly uncached: Float64Array;
  readonly cacheRead: Float64Array;
  readonly cacheWrite: Float64Array;
  readonly output: Float64Array;
  readonly reasoning: Float64Array;
  readonly pricedTokens: Float64Array;
  readonly utilisationSum: Float64Array;
  readonly utilisationCount: Float64Array;
  readonly qualitySum: Float64Array;
  readonly qualityCount: Float64Array;
  readonly latencyCount: Int32Array;
  constructor(groups: number) {
    this.requests = new Float64Array(groups);
    this.successes = new Float64Array(groups);
    this.priced = new Float64Array(groups);
    this.pricedSuccesses = new Float64Array(groups);
    this.spend = new Float64Array(groups);
    this.uncached = new Float64Array(groups);
    this.cacheRead = new Float64Array(groups);
    this.cacheWrite = new Float64Array(groups);
    this.output = new Float64Array(groups);
    this.reasoning = new Float64Array(groups);
    this.pricedTokens = new Float64Array(groups);
    this.utilisationSum = new Float64Array(groups);
    this.utilisationCount = new Float64Array(groups);
    this.qualitySum = new Float64Array(groups);
    this.qualityCount = new Float64Array(groups);
    this.latencyCount = new Int32Array(groups);
  }
}

const DEFAULT_QUANTILES = [0.5, 0.95, 0.99];

/**
 * Aggregates priced usage by any dimensions and, optionally, time buckets, in a few passes over the columns:
 * records are mapped to group ids, metrics are summed into per-group typed arrays, and latencies are gathered per
 * group (a counting sort) for exact quantiles through the percentile engine.
 *
 * @example
 * const byModelFeatureDay = aggregateUsage(table, priced, { by: ['model', 'feature'], interval: 86_400_000 });
 * byModelFeatureDay.rows[0]; // { key: { model: 'gpt-4o', feature: 'search' }, bucketStart, spend, latencyP95, ... }
 */
export function aggregateUsage(table: UsageTable, priced: PricedUsage, options: AggregateOptions): UsageAggregate {
  if (table === null || typeof table !== 'object' || !(table.timestamps instanceof Float64Array)) throw new ValidationError('table', 'a usage table', table);
  if (priced === null || typeof priced !== 'object' || !(priced.cost instanceof Float64Array) || priced.cost.length !== table.length) {
    throw new ValidationError('priced', `the priced usage of this table (cost of length ${table.length})`, priced);
  }
  if (options === null || typeof options !== 'object' || !Array.isArray(options.by)) throw new ValidationError('options.by', 'an array of dimensions', options?.by);
  const interval = options.interval;
  if (interval !== undefined && !(typeof interval === 'number' && Number.isFinite(interval) && interval > 0)) throw new ValidationError('options.interval', 'a duration in milliseconds > 0', interval);
  const origin = options.origin ?? 0;
  if (!Number.isFinite(origin)) throw new ValidationError('options.origin', 'epoch milliseconds', origin);
  const qs = options.quantiles ?? DEFAULT_QUANTILES;
  if (!Array.isArray(qs)) throw new ValidationError('options.quantiles', 'an array of probabilities', qs);
  qs.forEach((q, i) => {
    if (typeof q !== 'number' || !(q >= 0 && q <= 1)) throw new ValidationError(`options.quantiles[${i}]`, 'a number in [0, 1]', q);
  });
  const range = options.range;
  if (range !== undefined && !(Number.isFinite(range.start) && Number.isFinite(range.end) && range.start <= range.end)) throw new ValidationError('options.range', 'a time range with start <= end', range);
  const mask = options.mask;
  if (mask !== undefined && (!(mask instanceof Uint8Array) || mask.length !== table.length)) throw new ValidationError('options.mask', `a Uint8Array of length ${table.length}`, mask);

  const n = table.length;
  const dimensions = options.by;
  const columns = dimensions.map((d, i) => dimensionColumn(table, d, `options.by[${i}]`));
  const timestamps = table.timestamps;

  // Rows that take part, and the bucket range.
  let minBucket = Infinity;
  let maxBucket = -Infinity;
  const include = new Uint8Array(n);
  const bucketOf = interval !== undefined ? new Float64Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    if (mask !== undefined && mask[i] === 0) continue;
    const t = timestamps[i]!;
    if (range !== undefined && !(t >= range.start && t < range.end)) continue;
    include[i] = 1;
    if (bucketOf !== undefined) {
      const b = Math.floor((t - origin) / interval!);
      bucketOf[i] = b;
      if (b < minBucket) minBucket = b;
      if (b > maxBucket) maxBucket = b;
    }
  }
  const bucketCount = interval !== undefined && maxBucket >= minBucket ? maxBucket - minBucket + 1 : 1;

  // Mixed-radix composite key: code + 1 per dimension (0 = missing), bucket last.
  const radices = columns.map((c) => c.values.length + 1);
  let space = bucketCount;
  for (const r of radices) space *= r;
  if (space > Number.MAX_SAFE_INTEGER) throw new ValidationError('options.by', 'dimensions whose combined cardinality (times the buckets) stays below 2^53', space);
  const dense = space <= 4_000_000;
  const denseIndex = dense ? new Int32Array(space).fill(-1) : undefined;
  const sparseIndex = dense ? undefined : new Map<number, number>();
  const groupOf = new Int32Array(n).fill(-1);
  const groupKeys: number[] = [];
  const dimensionCount = columns.length;
  const codeArrays = columns.map((c) => c.codes);
  for (let i = 0; i < n; i++) {
    if (include[i] === 0) continue;
    let key = 0;
    for (let d = 0; d < dimensionCount; d++) key = key * radices[d]! + (codeArrays[d]![i]! + 1);
    if (bucketOf !== undefined) key = key * bucketCount + (bucketOf[i]! - minBucket);
    let group: number;
    if (denseIndex !== undefined) {
      group = denseIndex[key]!;
      if (group < 0) {
        group = groupKeys.length;
        denseIndex[key] = group;
        groupKeys.push(key);
      }
    } else {
      const found = sparseIndex!.get(key);
      if (found === undefined) {
        group = groupKeys.length;
        sparseIndex!.set(key, group);
        groupKeys.push(key);
      } else group = found;
    }
    groupOf[i] = group;
  }

  const groups = groupKeys.length;
  const acc = new Accumulators(groups + 1); // the last slot is the total
  const total = groups;
  const contextByPrice = priced.catalogue.entries.map((e) => e.entry.contextWindow ?? NaN);
  const { cost, priceIndex } = priced;
  const { uncachedInputTokens, cacheReadTokens, cacheWrite5mTokens, cacheWrite1hTokens, outputTokens, reasoningTokens, ok, quality, latencyMs, contextWindow } = table;
  for (let i = 0; i < n; i++) {
    const g = groupOf[i]!;
    if (g < 0) continue;
    const success = ok[i]!;
    const input = uncachedInputTokens[i]! + cacheReadTokens[i]! + cacheWrite5mTokens[i]! + cacheWrite1hTokens[i]!;
    const out = outputTokens[i]! + reasoningTokens[i]!;
    const c = cost[i]!;
    const isPriced = c === c ? 1 : 0;
    let window = contextWindow[i]!;
    if (window !== window && priceIndex[i]! >= 0) window = contextByPrice[priceIndex[i]!]!;
    const q = quality[i]!;
    const latency = latencyMs[i]!;
    const slot = g;
    acc.requests[slot]! += 1;
    acc.successes[slot]! += success;
    acc.uncached[slot]! += uncachedInputTokens[i]!;
    acc.cacheRead[slot]! += cacheReadTokens[i]!;
    acc.cacheWrite[slot]! += cacheWrite5mTokens[i]! + cacheWrite1hTokens[i]!;
    acc.output[slot]! += out;
    acc.reasoning[slot]! += reasoningTokens[i]!;
    if (isPriced) {
      acc.priced[slot]! += 1;
      acc.pricedSuccesses[slot]! += success;
      acc.spend[slot]! += c;
      acc.pricedTokens[slot]! += input + out;
    }
    if (window === window) {
      acc.utilisationSum[slot]! += input / window;
      acc.utilisationCount[slot]! += 1;
    }
    if (q === q) {
      acc.qualitySum[slot]! += q;
      acc.qualityCount[slot]! += 1;
    }
    if (latency === latency) acc.latencyCount[slot]! += 1;
  }
  // The total is the sum of the groups.
  for (const column of [acc.requests, acc.successes, acc.priced, acc.pricedSuccesses, acc.spend, acc.uncached, acc.cacheRead, acc.cacheWrite, acc.output, acc.reasoning, acc.pricedTokens, acc.utilisationSum, acc.utilisationCount, acc.qualitySum, acc.qualityCount]) {
    let sum = 0;
    for (let g = 0; g < groups; g++) sum += column[g]!;
    column[total] = sum;
  }
  for (let g = 0; g < groups; g++) acc.latencyCount[total]! += acc.latencyCount[g]!;

  // Latencies gathered per group (counting sort), then exact quantiles per group.
  const offsets = new Int32Array(groups + 1);
  for (let g = 0; g < groups; g++) offsets[g + 1] = offsets[g]! + acc.latencyCount[g]!;
  const gathered = new Float64Array(offsets[groups]!);
  const cursor = offsets.slice(0, groups);
  for (let i = 0; i < n; i++) {
    const g = groupOf[i]!;
    const latency = latencyMs[i]!;
    if (g >= 0 && latency === latency) gathered[cursor[g]!++] = latency;
  }

  const rowFor = (slot: number, key: Record<string, string | null>, bucketStart: number | undefined, latencies: Float64Array): UsageAggregateRow => {
    const latencyQuantiles = latencies.length > 0 ? Array.from(exactQuantiles(latencies, qs)) : qs.map(() => NaN);
    const input = acc.uncached[slot]! + acc.cacheRead[slot]! + acc.cacheWrite[slot]!;
    const requests = acc.requests[slot]!;
    const p = (q: number) => {
      const at = qs.indexOf(q);
      return at >= 0 ? latencyQuantiles[at]! : latencies.length > 0 ? exactQuantiles(latencies, [q])[0]! : NaN;
    };
    return {
      key,
      bucketStart,
      requests,
      successes: acc.successes[slot]!,
      failures: requests - acc.successes[slot]!,
      successRate: requests > 0 ? acc.successes[slot]! / requests : NaN,
      pricedRequests: acc.priced[slot]!,
      unpricedRequests: requests - acc.priced[slot]!,
      spend: acc.spend[slot]!,
      inputTokens: input,
      uncachedInputTokens: acc.uncached[slot]!,
      cacheReadTokens: acc.cacheRead[slot]!,
      cacheWriteTokens: acc.cacheWrite[slot]!,
      outputTokens: acc.output[slot]!,
      reasoningTokens: acc.reasoning[slot]!,
      costPer1kTokens: acc.pricedTokens[slot]! > 0 ? (acc.spend[slot]! / acc.pricedTokens[slot]!) * 1000 : NaN,
      costPerSuccessfulRequest: acc.pricedSuccesses[slot]! > 0 ? acc.spend[slot]! / acc.pricedSuccesses[slot]! : NaN,
      latencyQuantiles,
      latencyP50: p(0.5),
      latencyP95: p(0.95),
      latencyP99: p(0.99),
      tokenEfficiency: input > 0 ? acc.output[slot]! / input : NaN,
      contextUtilisation: acc.utilisationCount[slot]! > 0 ? acc.utilisationSum[slot]! / acc.utilisationCount[slot]! : NaN,
      cacheHitRate: input > 0 ? acc.cacheRead[slot]! / input : NaN,
      quality: acc.qualityCount[slot]! > 0 ? acc.qualitySum[slot]! / acc.qualityCount[slot]! : NaN,
      qualitySamples: acc.qualityCount[slot]!,
    };
  };

  const rows: UsageAggregateRow[] = [];
  for (let g = 0; g < groups; g++) {
    let composite = groupKeys[g]!;
    let bucketStart: number | undefined;
    if (interval !== undefined) {
      bucketStart = origin + (minBucket + (composite % bucketCount)) * interval;
      composite = Math.floor(composite / bucketCount);
    }
    const key: Record<string, string | null> = {};
    for (let d = dimensionCount - 1; d >= 0; d--) {
      const code = (composite % radices[d]!) - 1;
      composite = Math.floor(composite / radices[d]!);
      key[dimensions[d]!] = code < 0 ? null : columns[d]!.values[code]!;
    }
    const ordered: Record<string, string | null> = {};
    for (const d of dimensions) ordered[d] = key[d]!;
    rows.push(rowFor(g, ordered, bucketStart, gathered.subarray(offsets[g]!, offsets[g + 1]!)));
  }
  rows.sort((a, b) => (a.bucketStart ?? 0) - (b.bucketStart ?? 0) || b.spend - a.spend || b.requests - a.requests || JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));
  return { dimensions, interval, rows, total: rowFor(total, {}, undefined, gathered) };
}

/**
 * Aggregate rows as CSV: the dimension columns, the bucket start (ISO) when bucketed, then every metric. Formula
 * injection in dimension values (a model or feature named `=HYPERLINK(...)`) is neutralised by `toCsv`.
 *
 * @example
 * const csv = aggregateToCsv(aggregateUsage(table, priced, { by: ['model', 'feature'] }));
 */
export function aggregateToCsv(aggregate: UsageAggregate): string {
  if (aggregate === null || typeof aggregate !== 'object' || !Array.isArray(aggregate.rows)) throw new ValidationError('aggregate', 'the result of aggregateUsage', aggregate);
  const metrics = ['requests', 'successes', 'failures', 'successRate', 'pricedRequests', 'unpricedRequests', 'spend', 'inputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'outputTokens', 'reasoningTokens', 'costPer1kTokens', 'costPerSuccessfulRequest', 'latencyP50', 'latencyP95', 'latencyP99', 'tokenEfficiency', 'contextUtilisation', 'cacheHitRate', 'quality', 'qualitySamples'] as const;
  const header: CsvValue[] = [...aggregate.dimensions, ...(aggregate.interval !== undefined ? ['bucket_start'] : []), ...metrics];
  const rows: CsvValue[][] = [header];
  for (const row of aggregate.rows) {
    rows.push([
      ...aggregate.dimensions.map((d) => row.key[d] ?? null),
      ...(aggregate.interval !== undefined ? [row.bucketStart === undefined ? null : new Date(row.bucketStart).toISOString()] : []),
      ...metrics.map((m) => (Number.isFinite(row[m]) ? row[m] : null)),
    ]);
  }
  return toCsv(rows);
}

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

/**
 * Per-group accumulators, interleaved: group g's metrics are `acc[g * STRIDE + field]`, so one record touches one or
 * two cache lines instead of one line per metric array.
 */
const REQUESTS = 0;
const SUCCESSES = 1;
const PRICED = 2;
const PRICED_SUCCESSES = 3;
const SPEND = 4;
const UNCACHED = 5;
const CACHE_READ = 6;
const CACHE_WRITE = 7;
const OUTPUT = 8;
const REASONING = 9;
const PRICED_TOKENS = 10;
const UTILISATION_SUM = 11;
const UTILISATION_COUNT = 12;
const QUALITY_SUM = 13;
const QUALITY_COUNT = 14;
const LATENCY_COUNT = 15;
const STRIDE = 16;
/** Largest composite key space indexed by a dense array (Int32Array of this many entries at most). */
const DENSE_LIMIT = 1 << 22;

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
  const rangeStart = range !== undefined ? range.start : -Infinity;
  const rangeEnd = range !== undefined ? range.end : Infinity;

  // Pass 1 (timestamps only): the bucket range of the rows that take part.
  let minBucket = 0;
  let bucketCount = 1;
  if (interval !== undefined) {
    let lowest = Infinity;
    let highest = -Infinity;
    for (let i = 0; i < n; i++) {
      if (mask !== undefined && mask[i] === 0) continue;
      const t = timestamps[i]!;
      if (!(t >= rangeStart && t < rangeEnd)) continue;
      if (t < lowest) lowest = t;
      if (t > highest) highest = t;
    }
    if (highest >= lowest) {
      minBucket = Math.floor((lowest - origin) / interval);
      bucketCount = Math.floor((highest - origin) / interval) - minBucket + 1;
    }
  }

  // Mixed-radix composite key: code + 1 per dimension (0 = missing), bucket last. Small key spaces index a dense
  // array; large ones a Map (only on first sight of a key per row: the Map is consulted per row, not per metric).
  const radices = columns.map((c) => c.values.length + 1);
  let space = bucketCount;
  for (const r of radices) space *= r;
  if (space > Number.MAX_SAFE_INTEGER) throw new ValidationError('options.by', 'dimensions whose combined cardinality (times the buckets) stays below 2^53', space);
  const denseIndex = space <= DENSE_LIMIT ? new Int32Array(space).fill(-1) : undefined;
  const sparseIndex = denseIndex === undefined ? new Map<number, number>() : undefined;
  const groupOf = new Int32Array(n);
  const groupKeys: number[] = [];
  // Pass 2: a group id per row. Pass 3: every metric summed into its group's accumulator block. Pass 4: latencies
  // gathered per group (a counting sort on the group ids). Each is a small function of its own, so the optimising
  // compiler sees each loop with its own type feedback and keeps the code across calls.
  assignGroups(timestamps, mask, rangeStart, rangeEnd, columns.map((c) => c.codes), Int32Array.from(radices), interval ?? 0, origin, minBucket, bucketCount, denseIndex, sparseIndex, groupOf, groupKeys);
  const groups = groupKeys.length;
  const total = groups; // the last block is the total: the sum of the groups
  const acc = new Float64Array((groups + 1) * STRIDE);
  accumulate(groupOf, acc, table, priced, Float64Array.from(priced.catalogue.entries, (e) => e.entry.contextWindow ?? NaN));
  for (let g = 0; g < groups; g++) for (let f = 0; f < STRIDE; f++) acc[total * STRIDE + f]! += acc[g * STRIDE + f]!;
  const offsets = new Int32Array(groups + 1);
  for (let g = 0; g < groups; g++) offsets[g + 1] = offsets[g]! + acc[g * STRIDE + LATENCY_COUNT]!;
  const gathered = gatherByGroup(groupOf, table.latencyMs, offsets);

  const rowFor = (slot: number, key: Record<string, string | null>, bucketStart: number | undefined, latencies: Float64Array): UsageAggregateRow => {
    const latencyQuantiles = latencies.length > 0 ? Array.from(exactQuantiles(latencies, qs)) : qs.map(() => NaN);
    const input = acc[slot * STRIDE + UNCACHED]! + acc[slot * STRIDE + CACHE_READ]! + acc[slot * STRIDE + CACHE_WRITE]!;
    const requests = acc[slot * STRIDE + REQUESTS]!;
    const p = (q: number) => {
      const at = qs.indexOf(q);
      return at >= 0 ? latencyQuantiles[at]! : latencies.length > 0 ? exactQuantiles(latencies, [q])[0]! : NaN;
    };
    return {
      key,
      bucketStart,
      requests,
      successes: acc[slot * STRIDE + SUCCESSES]!,
      failures: requests - acc[slot * STRIDE + SUCCESSES]!,
      successRate: requests > 0 ? acc[slot * STRIDE + SUCCESSES]! / requests : NaN,
      pricedRequests: acc[slot * STRIDE + PRICED]!,
      unpricedRequests: requests - acc[slot * STRIDE + PRICED]!,
      spend: acc[slot * STRIDE + SPEND]!,
      inputTokens: input,
      uncachedInputTokens: acc[slot * STRIDE + UNCACHED]!,
      cacheReadTokens: acc[slot * STRIDE + CACHE_READ]!,
      cacheWriteTokens: acc[slot * STRIDE + CACHE_WRITE]!,
      outputTokens: acc[slot * STRIDE + OUTPUT]!,
      reasoningTokens: acc[slot * STRIDE + REASONING]!,
      costPer1kTokens: acc[slot * STRIDE + PRICED_TOKENS]! > 0 ? (acc[slot * STRIDE + SPEND]! / acc[slot * STRIDE + PRICED_TOKENS]!) * 1000 : NaN,
      costPerSuccessfulRequest: acc[slot * STRIDE + PRICED_SUCCESSES]! > 0 ? acc[slot * STRIDE + SPEND]! / acc[slot * STRIDE + PRICED_SUCCESSES]! : NaN,
      latencyQuantiles,
      latencyP50: p(0.5),
      latencyP95: p(0.95),
      latencyP99: p(0.99),
      tokenEfficiency: input > 0 ? acc[slot * STRIDE + OUTPUT]! / input : NaN,
      contextUtilisation: acc[slot * STRIDE + UTILISATION_COUNT]! > 0 ? acc[slot * STRIDE + UTILISATION_SUM]! / acc[slot * STRIDE + UTILISATION_COUNT]! : NaN,
      cacheHitRate: input > 0 ? acc[slot * STRIDE + CACHE_READ]! / input : NaN,
      quality: acc[slot * STRIDE + QUALITY_COUNT]! > 0 ? acc[slot * STRIDE + QUALITY_SUM]! / acc[slot * STRIDE + QUALITY_COUNT]! : NaN,
      qualitySamples: acc[slot * STRIDE + QUALITY_COUNT]!,
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
    for (let d = columns.length - 1; d >= 0; d--) {
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

/**
 * Group id of every row (-1 for rows outside the mask or range): the mixed-radix key of its dimension codes and
 * bucket, numbered in order of first appearance through a dense array or, for large key spaces, a Map.
 */
function assignGroups(
  timestamps: Float64Array,
  mask: Uint8Array | undefined,
  rangeStart: number,
  rangeEnd: number,
  codeArrays: readonly Int32Array[],
  radices: Int32Array,
  interval: number,
  origin: number,
  minBucket: number,
  bucketCount: number,
  denseIndex: Int32Array | undefined,
  sparseIndex: Map<number, number> | undefined,
  groupOf: Int32Array,
  groupKeys: number[],
): void {
  const n = timestamps.length;
  const dimensionCount = codeArrays.length;
  const codes0 = dimensionCount > 0 ? codeArrays[0]! : undefined;
  const codes1 = dimensionCount > 1 ? codeArrays[1]! : undefined;
  const radix1 = dimensionCount > 1 ? radices[1]! : 1;
  for (let i = 0; i < n; i++) {
    const t = timestamps[i]!;
    if ((mask !== undefined && mask[i] === 0) || !(t >= rangeStart && t < rangeEnd)) {
      groupOf[i] = -1;
      continue;
    }
    let key: number;
    if (dimensionCount === 2) key = (codes0![i]! + 1) * radix1 + codes1![i]! + 1;
    else if (dimensionCount === 1) key = codes0![i]! + 1;
    else {
      key = 0;
      for (let d = 0; d < dimensionCount; d++) key = key * radices[d]! + (codeArrays[d]![i]! + 1);
    }
    if (interval > 0) key = key * bucketCount + (Math.floor((t - origin) / interval) - minBucket);
    let g: number;
    if (denseIndex !== undefined) {
      g = denseIndex[key]!;
      if (g < 0) {
        g = groupKeys.length;
        denseIndex[key] = g;
        groupKeys.push(key);
      }
    } else {
      const found = sparseIndex!.get(key);
      if (found === undefined) {
        g = groupKeys.length;
        sparseIndex!.set(key, g);
        groupKeys.push(key);
      } else g = found;
    }
    groupOf[i] = g;
  }
}

/** Sums every metric of each row into its group's block of `acc` (stride {@link STRIDE}); rows with group -1 are skipped. */
function accumulate(groupOf: Int32Array, acc: Float64Array, table: UsageTable, priced: PricedUsage, contextByPrice: Float64Array): void {
  const { cost, priceIndex } = priced;
  const { uncachedInputTokens, cacheReadTokens, cacheWrite5mTokens, cacheWrite1hTokens, outputTokens, reasoningTokens, ok, quality, latencyMs, contextWindow } = table;
  const n = groupOf.length;
  for (let i = 0; i < n; i++) {
    const g = groupOf[i]!;
    if (g < 0) continue;
    const at = g * STRIDE;
    const success = ok[i]!;
    const uncached = uncachedInputTokens[i]!;
    const read = cacheReadTokens[i]!;
    const write = cacheWrite5mTokens[i]! + cacheWrite1hTokens[i]!;
    const reasoning = reasoningTokens[i]!;
    const input = uncached + read + write;
    const out = outputTokens[i]! + reasoning;
    acc[at + REQUESTS]! += 1;
    acc[at + SUCCESSES]! += success;
    acc[at + UNCACHED]! += uncached;
    acc[at + CACHE_READ]! += read;
    acc[at + CACHE_WRITE]! += write;
    acc[at + OUTPUT]! += out;
    acc[at + REASONING]! += reasoning;
    const c = cost[i]!;
    if (c === c) {
      acc[at + PRICED]! += 1;
      acc[at + PRICED_SUCCESSES]! += success;
      acc[at + SPEND]! += c;
      acc[at + PRICED_TOKENS]! += input + out;
    }
    let window = contextWindow[i]!;
    if (window !== window) {
      const p = priceIndex[i]!;
      if (p >= 0) window = contextByPrice[p]!;
    }
    if (window === window) {
      acc[at + UTILISATION_SUM]! += input / window;
      acc[at + UTILISATION_COUNT]! += 1;
    }
    const q = quality[i]!;
    if (q === q) {
      acc[at + QUALITY_SUM]! += q;
      acc[at + QUALITY_COUNT]! += 1;
    }
    const latency = latencyMs[i]!;
    if (latency === latency) acc[at + LATENCY_COUNT]! += 1;
  }
}

/** The non-NaN values of `column` laid out group after group (`offsets[g]..offsets[g + 1]`), in row order. */
function gatherByGroup(groupOf: Int32Array, column: Float64Array, offsets: Int32Array): Float64Array {
  const groups = offsets.length - 1;
  const gathered = new Float64Array(offsets[groups]!);
  const cursor = offsets.slice(0, groups);
  const n = groupOf.length;
  for (let i = 0; i < n; i++) {
    const g = groupOf[i]!;
    const v = column[i]!;
    if (g >= 0 && v === v) gathered[cursor[g]!++] = v;
  }
  return gathered;
}

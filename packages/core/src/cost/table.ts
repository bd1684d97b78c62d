import { ValidationError } from '../errors';
import { canonicalProvider, normalizeUsage } from './usage';
import type { UsageRecord } from './usage';

/** A string column as codes into a dictionary: `values[codes[i]]`, code -1 when the record has no value. */
export interface DictionaryColumn {
  readonly codes: Int32Array;
  readonly values: readonly string[];
}

/**
 * Usage records in columnar form: one typed array per field, strings as dictionary codes. A million records are a
 * few dozen typed arrays, not a million objects. Token columns hold the normalised, disjoint buckets of
 * {@link normalizeUsage}.
 */
export interface UsageTable {
  readonly length: number;
  /** Epoch milliseconds. */
  readonly timestamps: Float64Array;
  readonly provider: DictionaryColumn;
  readonly model: DictionaryColumn;
  readonly operation: DictionaryColumn;
  readonly feature: DictionaryColumn;
  readonly user: DictionaryColumn;
  readonly conversation: DictionaryColumn;
  readonly finishReason: DictionaryColumn;
  readonly prefixHash: DictionaryColumn;
  readonly requestHash: DictionaryColumn;
  /** One dictionary column per tag key. */
  readonly tags: ReadonlyMap<string, DictionaryColumn>;
  readonly uncachedInputTokens: Float64Array;
  readonly cacheReadTokens: Float64Array;
  readonly cacheWrite5mTokens: Float64Array;
  readonly cacheWrite1hTokens: Float64Array;
  readonly outputTokens: Float64Array;
  readonly reasoningTokens: Float64Array;
  /** Milliseconds, NaN when unknown. */
  readonly latencyMs: Float64Array;
  /** 1 for a successful call, 0 for a failed one. */
  readonly ok: Uint8Array;
  /** 1 when the call used the batch API. */
  readonly batch: Uint8Array;
  /** 1 streamed, 0 not streamed, 2 unknown. */
  readonly streaming: Uint8Array;
  /** Quality in [0, 1], NaN when unknown. */
  readonly quality: Float64Array;
  /** Context window in tokens, NaN when unknown. */
  readonly contextWindow: Float64Array;
  /** Prefix length in tokens, NaN when unknown. */
  readonly prefixTokens: Float64Array;
  /** Attempt number (1 = first try), 0 when unknown. */
  readonly attempt: Int32Array;
}

/** Builds dictionary columns incrementally. */
class DictionaryBuilder {
  readonly codes: Int32Array;
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  constructor(length: number) {
    this.codes = new Int32Array(length).fill(-1);
  }
  set(i: number, value: string | undefined): void {
    if (value === undefined) return;
    let code = this.index.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.index.set(value, code);
    }
    this.codes[i] = code;
  }
  build(): DictionaryColumn {
    return { codes: this.codes, values: this.values };
  }
}

function optionalString(value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ValidationError(path, 'a string or undefined', value);
  return value;
}

function optionalNumber(value: unknown, path: string, min: number, max = Infinity): number {
  if (value === undefined) return NaN;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) throw new ValidationError(path, `a finite number in [${min}, ${max}] or undefined`, value);
  return value;
}

/**
 * Validates usage records, normalises their tokens ({@link normalizeUsage}) and stores them column by column.
 *
 * @throws ValidationError naming the record and field (`records[12].inputTokens`) on the first bad value.
 * @example
 * const table = createUsageTable([
 *   { timestamp: Date.parse('2025-08-01T10:00:00Z'), provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1200, cacheReadTokens: 1024, outputTokens: 90, latencyMs: 850, feature: 'search' },
 * ]);
 * table.uncachedInputTokens[0]; // 176
 */
export function createUsageTable(records: readonly UsageRecord[]): UsageTable {
  if (!Array.isArray(records)) throw new ValidationError('records', 'an array of usage records', records);
  const n = records.length;
  const timestamps = new Float64Array(n);
  const provider = new DictionaryBuilder(n);
  const model = new DictionaryBuilder(n);
  const operation = new DictionaryBuilder(n);
  const feature = new DictionaryBuilder(n);
  const user = new DictionaryBuilder(n);
  const conversation = new DictionaryBuilder(n);
  const finishReason = new DictionaryBuilder(n);
  const prefixHash = new DictionaryBuilder(n);
  const requestHash = new DictionaryBuilder(n);
  const tags = new Map<string, DictionaryBuilder>();
  const uncached = new Float64Array(n);
  const cacheRead = new Float64Array(n);
  const write5m = new Float64Array(n);
  const write1h = new Float64Array(n);
  const output = new Float64Array(n);
  const reasoning = new Float64Array(n);
  const latency = new Float64Array(n);
  const ok = new Uint8Array(n);
  const batch = new Uint8Array(n);
  const streaming = new Uint8Array(n);
  const quality = new Float64Array(n);
  const contextWindow = new Float64Array(n);
  const prefixTokens = new Float64Array(n);
  const attempt = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = records[i];
    const path = `records[${i}]`;
    if (r === null || typeof r !== 'object') throw new ValidationError(path, 'a usage record object', r);
    if (typeof r.timestamp !== 'number' || !Number.isFinite(r.timestamp)) throw new ValidationError(`${path}.timestamp`, 'epoch milliseconds', r.timestamp);
    if (typeof r.provider !== 'string' || r.provider === '') throw new ValidationError(`${path}.provider`, 'a non-empty provider name', r.provider);
    if (typeof r.model !== 'string' || r.model === '') throw new ValidationError(`${path}.model`, 'a non-empty model name', r.model);
    const tokens = normalizeUsage(r, path);
    timestamps[i] = r.timestamp;
    provider.set(i, canonicalProvider(r.provider));
    model.set(i, r.model);
    operation.set(i, optionalString(r.operation, `${path}.operation`));
    feature.set(i, optionalString(r.feature, `${path}.feature`));
    user.set(i, optionalString(r.user, `${path}.user`));
    conversation.set(i, optionalString(r.conversation, `${path}.conversation`));
    finishReason.set(i, optionalString(r.finishReason, `${path}.finishReason`));
    prefixHash.set(i, optionalString(r.prefixHash, `${path}.prefixHash`));
    requestHash.set(i, optionalString(r.requestHash, `${path}.requestHash`));
    if (r.tags !== undefined) {
      if (r.tags === null || typeof r.tags !== 'object') throw new ValidationError(`${path}.tags`, 'an object of string values', r.tags);
      for (const key of Object.keys(r.tags)) {
        const value = r.tags[key];
        if (typeof value !== 'string') throw new ValidationError(`${path}.tags.${key}`, 'a string', value);
        let column = tags.get(key);
        if (column === undefined) {
          column = new DictionaryBuilder(n);
          tags.set(key, column);
        }
        column.set(i, value);
      }
    }
    uncached[i] = tokens.uncachedInputTokens;
    cacheRead[i] = tokens.cacheReadTokens;
    write5m[i] = tokens.cacheWrite5mTokens;
    write1h[i] = tokens.cacheWrite1hTokens;
    output[i] = tokens.outputTokens;
    reasoning[i] = tokens.reasoningTokens;
    latency[i] = optionalNumber(r.latencyMs, `${path}.latencyMs`, 0);
    const status = r.status ?? 'ok';
    if (status !== 'ok' && status !== 'error') throw new ValidationError(`${path}.status`, "'ok' or 'error'", status);
    ok[i] = status === 'ok' ? 1 : 0;
    if (r.batch !== undefined && typeof r.batch !== 'boolean') throw new ValidationError(`${path}.batch`, 'a boolean', r.batch);
    batch[i] = r.batch ? 1 : 0;
    if (r.streaming !== undefined && typeof r.streaming !== 'boolean') throw new ValidationError(`${path}.streaming`, 'a boolean', r.streaming);
    streaming[i] = r.streaming === undefined ? 2 : r.streaming ? 1 : 0;
    quality[i] = optionalNumber(r.quality, `${path}.quality`, 0, 1);
    contextWindow[i] = optionalNumber(r.contextWindow, `${path}.contextWindow`, 1);
    prefixTokens[i] = optionalNumber(r.prefixTokens, `${path}.prefixTokens`, 0);
    if (r.attempt !== undefined && (!Number.isInteger(r.attempt) || r.attempt < 1)) throw new ValidationError(`${path}.attempt`, 'an integer >= 1', r.attempt);
    attempt[i] = r.attempt ?? 0;
  }
  const tagColumns = new Map<string, DictionaryColumn>();
  for (const [key, builder] of tags) tagColumns.set(key, builder.build());
  return {
    length: n,
    timestamps,
    provider: provider.build(),
    model: model.build(),
    operation: operation.build(),
    feature: feature.build(),
    user: user.build(),
    conversation: conversation.build(),
    finishReason: finishReason.build(),
    prefixHash: prefixHash.build(),
    requestHash: requestHash.build(),
    tags: tagColumns,
    uncachedInputTokens: uncached,
    cacheReadTokens: cacheRead,
    cacheWrite5mTokens: write5m,
    cacheWrite1hTokens: write1h,
    outputTokens: output,
    reasoningTokens: reasoning,
    latencyMs: latency,
    ok,
    batch,
    streaming,
    quality,
    contextWindow,
    prefixTokens,
    attempt,
  };
}

/** Columns a host already holds; everything but the required ones may be omitted. Tokens are already normalised. */
export interface UsageColumnsInput {
  readonly timestamps: Float64Array;
  readonly provider: DictionaryColumn;
  readonly model: DictionaryColumn;
  readonly uncachedInputTokens: Float64Array;
  readonly outputTokens: Float64Array;
  readonly operation?: DictionaryColumn;
  readonly feature?: DictionaryColumn;
  readonly user?: DictionaryColumn;
  readonly conversation?: DictionaryColumn;
  readonly finishReason?: DictionaryColumn;
  readonly prefixHash?: DictionaryColumn;
  readonly requestHash?: DictionaryColumn;
  readonly tags?: ReadonlyMap<string, DictionaryColumn>;
  readonly cacheReadTokens?: Float64Array;
  readonly cacheWrite5mTokens?: Float64Array;
  readonly cacheWrite1hTokens?: Float64Array;
  readonly reasoningTokens?: Float64Array;
  readonly latencyMs?: Float64Array;
  readonly ok?: Uint8Array;
  readonly batch?: Uint8Array;
  readonly streaming?: Uint8Array;
  readonly quality?: Float64Array;
  readonly contextWindow?: Float64Array;
  readonly prefixTokens?: Float64Array;
  readonly attempt?: Int32Array;
}

function checkDictionary(column: DictionaryColumn | undefined, n: number, path: string, required: boolean): DictionaryColumn {
  if (column === undefined) {
    if (required) throw new ValidationError(path, 'a dictionary column { codes, values }', column);
    return { codes: new Int32Array(n).fill(-1), values: [] };
  }
  if (!(column.codes instanceof Int32Array) || column.codes.length !== n) throw new ValidationError(`${path}.codes`, `an Int32Array of length ${n}`, column.codes);
  if (!Array.isArray(column.values)) throw new ValidationError(`${path}.values`, 'an array of strings', column.values);
  const size = column.values.length;
  const codes = column.codes;
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    if (c < -1 || c >= size || (required && c === -1)) throw new ValidationError(`${path}.codes[${i}]`, required ? `a code in [0, ${size})` : `a code in [-1, ${size})`, c);
  }
  return column;
}

function checkNumbers(column: Float64Array | undefined, n: number, path: string, fill: number, allowNaN: boolean): Float64Array {
  if (column === undefined) return new Float64Array(n).fill(fill);
  if (!(column instanceof Float64Array) || column.length !== n) throw new ValidationError(path, `a Float64Array of length ${n}`, column);
  for (let i = 0; i < n; i++) {
    const v = column[i]!;
    if (!(v >= 0 && v < Infinity) && !(allowNaN && v !== v)) throw new ValidationError(`${path}[${i}]`, allowNaN ? 'a finite number >= 0 or NaN' : 'a finite number >= 0', v);
  }
  return column;
}

function checkBytes(column: Uint8Array | undefined, n: number, path: string, fill: number, max: number): Uint8Array {
  if (column === undefined) return new Uint8Array(n).fill(fill);
  if (!(column instanceof Uint8Array) || column.length !== n) throw new ValidationError(path, `a Uint8Array of length ${n}`, column);
  for (let i = 0; i < n; i++) if (column[i]! > max) throw new ValidationError(`${path}[${i}]`, `0..${max}`, column[i]);
  return column;
}

/**
 * A usage table from columns the host already has (tokens already normalised into disjoint buckets). Validates
 * every column's type, length and range; the arrays are used as they are, not copied.
 *
 * @example
 * usageTableFromColumns({
 *   timestamps: Float64Array.of(0, 1000),
 *   provider: { codes: Int32Array.of(0, 0), values: ['openai'] },
 *   model: { codes: Int32Array.of(0, 1), values: ['gpt-4o', 'gpt-4o-mini'] },
 *   uncachedInputTokens: Float64Array.of(1000, 2000),
 *   outputTokens: Float64Array.of(100, 300),
 * });
 */
export function usageTableFromColumns(columns: UsageColumnsInput): UsageTable {
  if (columns === null || typeof columns !== 'object') throw new ValidationError('columns', 'an object of columns', columns);
  if (!(columns.timestamps instanceof Float64Array)) throw new ValidationError('columns.timestamps', 'a Float64Array', columns.timestamps);
  const n = columns.timestamps.length;
  for (let i = 0; i < n; i++) if (!Number.isFinite(columns.timestamps[i])) throw new ValidationError(`columns.timestamps[${i}]`, 'epoch milliseconds', columns.timestamps[i]);
  const providerColumn = checkDictionary(columns.provider, n, 'columns.provider', true);
  const tags = new Map<string, DictionaryColumn>();
  for (const [key, column] of columns.tags ?? []) tags.set(key, checkDictionary(column, n, `columns.tags.${key}`, false));
  const attempt = columns.attempt ?? new Int32Array(n);
  if (!(attempt instanceof Int32Array) || attempt.length !== n) throw new ValidationError('columns.attempt', `an Int32Array of length ${n}`, attempt);
  return {
    length: n,
    timestamps: columns.timestamps,
    provider: { codes: providerColumn.codes, values: providerColumn.values.map(canonicalProvider) },
    model: checkDictionary(columns.model, n, 'columns.model', true),
    operation: checkDictionary(columns.operation, n, 'columns.operation', false),
    feature: checkDictionary(columns.feature, n, 'columns.feature', false),
    user: checkDictionary(columns.user, n, 'columns.user', false),
    conversation: checkDictionary(columns.conversation, n, 'columns.conversation', false),
    finishReason: checkDictionary(columns.finishReason, n, 'columns.finishReason', false),
    prefixHash: checkDictionary(columns.prefixHash, n, 'columns.prefixHash', false),
    requestHash: checkDictionary(columns.requestHash, n, 'columns.requestHash', false),
    tags,
    uncachedInputTokens: checkNumbers(columns.uncachedInputTokens, n, 'columns.uncachedInputTokens', 0, false),
    cacheReadTokens: checkNumbers(columns.cacheReadTokens, n, 'columns.cacheReadTokens', 0, false),
    cacheWrite5mTokens: checkNumbers(columns.cacheWrite5mTokens, n, 'columns.cacheWrite5mTokens', 0, false),
    cacheWrite1hTokens: checkNumbers(columns.cacheWrite1hTokens, n, 'columns.cacheWrite1hTokens', 0, false),
    outputTokens: checkNumbers(columns.outputTokens, n, 'columns.outputTokens', 0, false),
    reasoningTokens: checkNumbers(columns.reasoningTokens, n, 'columns.reasoningTokens', 0, false),
    latencyMs: checkNumbers(columns.latencyMs, n, 'columns.latencyMs', NaN, true),
    ok: checkBytes(columns.ok, n, 'columns.ok', 1, 1),
    batch: checkBytes(columns.batch, n, 'columns.batch', 0, 1),
    streaming: checkBytes(columns.streaming, n, 'columns.streaming', 2, 2),
    quality: checkNumbers(columns.quality, n, 'columns.quality', NaN, true),
    contextWindow: checkNumbers(columns.contextWindow, n, 'columns.contextWindow', NaN, true),
    prefixTokens: checkNumbers(columns.prefixTokens, n, 'columns.prefixTokens', NaN, true),
    attempt,
  };
}

/** Total input tokens of record i (every input bucket). */
export function totalInputTokensAt(table: UsageTable, i: number): number {
  return table.uncachedInputTokens[i]! + table.cacheReadTokens[i]! + table.cacheWrite5mTokens[i]! + table.cacheWrite1hTokens[i]!;
}

/** Total output tokens of record i (visible output + reasoning). */
export function totalOutputTokensAt(table: UsageTable, i: number): number {
  return table.outputTokens[i]! + table.reasoningTokens[i]!;
}

/** The value of a dictionary column at row i, or undefined. */
export function dictionaryValue(column: DictionaryColumn, i: number): string | undefined {
  const code = column.codes[i]!;
  return code < 0 ? undefined : column.values[code];
}

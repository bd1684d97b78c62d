import { SourceError, ValidationError } from '@vigil/core/errors';
import type { NativeHistogram, NativeHistogramSpan } from '@vigil/core/percentile';
import type { InstantSample, Labels, Series } from '@vigil/core/source';

/**
 * Parsers for the `data` of Prometheus API responses. Every byte is untrusted: each field is checked, a bad one is a
 * `SourceError('SOURCE_ERROR')` whose `cause` is a `ValidationError` with code `INVALID_DATA` and the JSON path of
 * the field. Work is linear in the size of the body, which the HTTP layer caps.
 */

/** A run of consecutive native histogram buckets (core's `NativeHistogramSpan`). */
export type BucketSpan = NativeHistogramSpan;

/**
 * A native (exponential, sparse) histogram sample, rebuilt from the bucket boundaries Prometheus' JSON API sends:
 * core's `NativeHistogram` with absolute counts (`positiveCounts`/`negativeCounts`, floats, since `rate()` of a
 * histogram has fractional counts), ready for `nativeHistogramQuantile` from `@vigil/core/percentile`. Bucket `i` of
 * schema `s` covers `(2^((i-1)·2^-s), 2^(i·2^-s)]` on the positive side and the mirror on the negative side.
 */
export interface NativeHistogramSample extends NativeHistogram {
  readonly positiveSpans: readonly BucketSpan[];
  readonly positiveCounts: readonly number[];
  readonly negativeSpans: readonly BucketSpan[];
  readonly negativeCounts: readonly number[];
}

/**
 * A series from a Prometheus range query. When the series holds native histogram samples, `histograms[i]` is the
 * histogram at `timestamps[i]` and `values[i]` is NaN there; float samples have `histograms[i] === undefined`.
 */
export interface PrometheusSeries extends Series {
  readonly histograms?: ReadonlyArray<NativeHistogramSample | undefined>;
}

/** An instant sample that may carry a native histogram (then `value` is NaN). */
export interface PrometheusInstantSample extends InstantSample {
  readonly histogram?: NativeHistogramSample;
}

export interface Parsed<T> {
  readonly data: T;
  readonly warnings: string[];
}

function invalid(path: string, expected: string, received: unknown, what: string): SourceError {
  const cause = new ValidationError(path, expected, received, 'INVALID_DATA');
  return new SourceError('SOURCE_ERROR', `Prometheus ${what} returned an invalid response: ${cause.message}`, { cause, retryable: false });
}

const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses a sample value as Prometheus writes it: a decimal string, "NaN", "+Inf" or "-Inf". */
export function parseSampleValue(value: unknown, path: string, what: string): number {
  if (typeof value === 'string') {
    if (value === 'NaN') return NaN;
    if (value === '+Inf' || value === 'Inf') return Infinity;
    if (value === '-Inf') return -Infinity;
    if (value.length <= 64 && FLOAT.test(value)) return Number(value);
  }
  throw invalid(path, 'a sample value string such as "1.5", "NaN", "+Inf" or "-Inf"', value, what);
}

/** Seconds (JSON number) to epoch ms, rounded to the millisecond Prometheus stores. */
function parseTimestamp(value: unknown, path: string, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(path, 'a timestamp in seconds', value, what);
  return Math.round(value * 1000);
}

function asArray(value: unknown, path: string, what: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(path, 'an array', value, what);
  return value;
}

function asObject(value: unknown, path: string, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(path, 'an object', value, what);
  return value as Record<string, unknown>;
}

/** The series' labels without `__name__`, and the name. `Object.fromEntries` keeps a `__proto__` label a label. */
function parseMetric(value: unknown, path: string, what: string): { name: string | undefined; labels: Labels } {
  const metric = value === undefined ? {} : asObject(value, path, what);
  const entries: [string, string][] = [];
  let name: string | undefined;
  for (const key of Object.keys(metric)) {
    const labelValue = metric[key];
    if (typeof labelValue !== 'string') throw invalid(`${path}.${key}`, 'a string label value', labelValue, what);
    if (key === '__name__') name = labelValue;
    else entries.push([key, labelValue]);
  }
  return { name, labels: Object.fromEntries(entries) as Labels };
}

function resultOf(data: unknown, what: string): { resultType: string; result: unknown } {
  const record = asObject(data, 'data', what);
  const { resultType, result } = record;
  if (resultType !== 'matrix' && resultType !== 'vector' && resultType !== 'scalar' && resultType !== 'string') {
    throw invalid('data.resultType', '"matrix", "vector", "scalar" or "string"', resultType, what);
  }
  return { resultType, result };
}

/** One `[seconds, "value"]` pair. */
function parsePair(value: unknown, path: string, what: string): [number, unknown] {
  if (!Array.isArray(value) || value.length !== 2) throw invalid(path, 'a [timestamp, value] pair', value, what);
  return [parseTimestamp(value[0], `${path}[0]`, what), value[1]];
}

/**
 * Parses the `data` of a `query_range` response (a matrix) into columnar series. Each series' points must be in
 * ascending time order, as Prometheus sends them.
 */
export function parseMatrix(data: unknown, what = 'query_range'): Parsed<PrometheusSeries[]> {
  const { resultType, result } = resultOf(data, what);
  if (resultType !== 'matrix') throw invalid('data.resultType', '"matrix" for a range query', resultType, what);
  const rows = asArray(result, 'data.result', what);
  const warnings: string[] = [];
  const out: PrometheusSeries[] = [];
  for (let s = 0; s < rows.length; s++) {
    const path = `data.result[${s}]`;
    const row = asObject(rows[s], path, what);
    const { name, labels } = parseMetric(row.metric, `${path}.metric`, what);
    const floats = row.values === undefined || row.values === null ? [] : asArray(row.values, `${path}.values`, what);
    const histogramRows = row.histograms === undefined || row.histograms === null ? [] : asArray(row.histograms, `${path}.histograms`, what);

    const floatTimes = new Float64Array(floats.length);
    const floatValues = new Float64Array(floats.length);
    for (let i = 0; i < floats.length; i++) {
      const [t, v] = parsePair(floats[i], `${path}.values[${i}]`, what);
      if (i > 0 && t <= (floatTimes[i - 1] as number)) throw invalid(`${path}.values[${i}][0]`, 'timestamps in ascending order', t / 1000, what);
      floatTimes[i] = t;
      floatValues[i] = parseSampleValue(v, `${path}.values[${i}][1]`, what);
    }
    const base = name === undefined ? { labels } : { name, labels };
    if (histogramRows.length === 0) {
      out.push({ ...base, timestamps: floatTimes, values: floatValues });
      continue;
    }

    // Merge float and histogram points by time (a series may switch between the two).
    const histTimes = new Float64Array(histogramRows.length);
    const histograms: (NativeHistogramSample | undefined)[] = [];
    let unmapped = 0;
    for (let i = 0; i < histogramRows.length; i++) {
      const [t, h] = parsePair(histogramRows[i], `${path}.histograms[${i}]`, what);
      if (i > 0 && t <= (histTimes[i - 1] as number)) throw invalid(`${path}.histograms[${i}][0]`, 'timestamps in ascending order', t / 1000, what);
      histTimes[i] = t;
      const parsed = parseNativeHistogram(h, `${path}.histograms[${i}][1]`, what);
      if (parsed === undefined) unmapped++;
      histograms.push(parsed);
    }
    if (unmapped > 0) warnings.push(`${unmapped} native histogram sample(s) of ${describeSeries(name, labels)} have a bucket layout that is not exponential; they are left out`);
    const total = floats.length + histogramRows.length;
    const timestamps = new Float64Array(total);
    const values = new Float64Array(total);
    const merged: (NativeHistogramSample | undefined)[] = new Array<NativeHistogramSample | undefined>(total);
    let f = 0;
    let h = 0;
    for (let k = 0; k < total; k++) {
      const takeFloat = h >= histTimes.length || (f < floatTimes.length && (floatTimes[f] as number) < (histTimes[h] as number));
      if (takeFloat) {
        timestamps[k] = floatTimes[f] as number;
        values[k] = floatValues[f] as number;
        merged[k] = undefined;
        f++;
      } else {
        if (f < floatTimes.length && floatTimes[f] === histTimes[h]) throw invalid(`${path}`, 'at most one sample per timestamp', histTimes[h], what);
        timestamps[k] = histTimes[h] as number;
        values[k] = NaN;
        merged[k] = histograms[h];
        h++;
      }
    }
    out.push({ ...base, timestamps, values, histograms: merged });
  }
  return { data: out, warnings };
}

/**
 * Parses the `data` of an instant `query` response. A vector gives one sample per series; a scalar gives one sample
 * with no labels; a string gives one sample whose `labels.value` is the string and whose `value` is NaN (with a
 * warning); a matrix (a range selector such as `up[5m]` evaluated at an instant) gives every raw point of every
 * series, in series then time order.
 */
export function parseInstant(data: unknown, what = 'query'): Parsed<PrometheusInstantSample[]> {
  const { resultType, result } = resultOf(data, what);
  const warnings: string[] = [];
  if (resultType === 'scalar' || resultType === 'string') {
    const [timestamp, raw] = parsePair(result, 'data.result', what);
    if (resultType === 'scalar') return { data: [{ labels: {}, timestamp, value: parseSampleValue(raw, 'data.result[1]', what) }], warnings };
    if (typeof raw !== 'string') throw invalid('data.result[1]', 'a string', raw, what);
    warnings.push('the query returned a string, not a number: it is in labels.value and the sample value is NaN');
    return { data: [{ labels: { value: raw }, timestamp, value: NaN }], warnings };
  }
  if (resultType === 'matrix') {
    const matrix = parseMatrix(data, what);
    const samples: PrometheusInstantSample[] = [];
    for (const series of matrix.data) {
      for (let i = 0; i < series.timestamps.length; i++) {
        const histogram = series.histograms?.[i];
        samples.push({
          ...(series.name === undefined ? {} : { name: series.name }),
          labels: series.labels,
          timestamp: series.timestamps[i] as number,
          value: series.values[i] as number,
          ...(histogram === undefined ? {} : { histogram }),
        });
      }
    }
    return { data: samples, warnings: matrix.warnings };
  }
  const rows = asArray(result, 'data.result', what);
  const samples: PrometheusInstantSample[] = [];
  let unmapped = 0;
  for (let s = 0; s < rows.length; s++) {
    const path = `data.result[${s}]`;
    const row = asObject(rows[s], path, what);
    const { name, labels } = parseMetric(row.metric, `${path}.metric`, what);
    const named = name === undefined ? {} : { name };
    if (row.histogram !== undefined && row.histogram !== null) {
      const [timestamp, h] = parsePair(row.histogram, `${path}.histogram`, what);
      const histogram = parseNativeHistogram(h, `${path}.histogram[1]`, what);
      if (histogram === undefined) unmapped++;
      samples.push({ ...named, labels, timestamp, value: NaN, ...(histogram === undefined ? {} : { histogram }) });
      continue;
    }
    const [timestamp, raw] = parsePair(row.value, `${path}.value`, what);
    samples.push({ ...named, labels, timestamp, value: parseSampleValue(raw, `${path}.value[1]`, what) });
  }
  if (unmapped > 0) warnings.push(`${unmapped} native histogram sample(s) have a bucket layout that is not exponential; their value is NaN`);
  return { data: samples, warnings };
}

function describeSeries(name: string | undefined, labels: Labels): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${name ?? ''}{${pairs.join(',')}}`.slice(0, 200);
}

/** Relative tolerance when matching bucket boundaries to powers of two (the JSON has ~17 significant digits). */
const BOUNDARY_TOLERANCE = 1e-9;

/**
 * Rebuilds a native histogram from the JSON API form `{ count, sum, buckets: [[rule, lower, upper, count], ...] }`.
 * Returns undefined when the boundaries are not those of one exponential schema (then the caller warns); throws
 * for malformed fields.
 */
export function parseNativeHistogram(value: unknown, path: string, what: string): NativeHistogramSample | undefined {
  const record = asObject(value, path, what);
  const count = parseSampleValue(record.count, `${path}.count`, what);
  const sum = parseSampleValue(record.sum, `${path}.sum`, what);
  const buckets = record.buckets === undefined || record.buckets === null ? [] : asArray(record.buckets, `${path}.buckets`, what);

  interface Bucket {
    readonly rule: number;
    readonly lower: number;
    readonly upper: number;
    readonly count: number;
  }
  const parsed: Bucket[] = [];
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i];
    const bp = `${path}.buckets[${i}]`;
    if (!Array.isArray(b) || b.length !== 4) throw invalid(bp, 'a [boundaryRule, lower, upper, count] array', b, what);
    const rule = b[0];
    if (rule !== 0 && rule !== 1 && rule !== 2 && rule !== 3) throw invalid(`${bp}[0]`, 'a boundary rule 0, 1, 2 or 3', rule, what);
    const lower = parseSampleValue(b[1], `${bp}[1]`, what);
    const upper = parseSampleValue(b[2], `${bp}[2]`, what);
    const bucketCount = parseSampleValue(b[3], `${bp}[3]`, what);
    if (!(lower <= upper)) throw invalid(`${bp}`, 'lower <= upper', [lower, upper], what);
    parsed.push({ rule, lower, upper, count: bucketCount });
  }

  // The zero bucket is the one closed on both sides around 0. Prometheus leaves it out when it is empty.
  let zeroThreshold = 0;
  let zeroCount = 0;
  let hasZeroBucket = false;
  for (const b of parsed) {
    if (b.rule === 3 && b.lower === -b.upper) {
      zeroThreshold = b.upper;
      zeroCount = b.count;
      hasZeroBucket = true;
    }
  }
  const isZero = (b: Bucket) => b.rule === 3 && b.lower === -b.upper;
  // Buckets next to the zero bucket are clipped to its threshold (not a power of two), so the schema comes from
  // the ratio of a bucket away from zero.
  let schema: number | undefined;
  for (const b of parsed) {
    if (isZero(b) || (b.lower > 0 && b.lower === zeroThreshold) || (b.upper < 0 && b.upper === -zeroThreshold)) continue;
    const ratio = b.lower > 0 ? b.upper / b.lower : b.upper < 0 ? b.lower / b.upper : NaN;
    const s = -Math.log2(Math.log2(ratio));
    const rounded = Math.round(s) + 0; // + 0 turns -0 into 0
    if (!Number.isFinite(s) || Math.abs(s - rounded) > 1e-6 || rounded < -4 || rounded > 8) continue;
    schema = rounded;
    break;
  }
  const nonZero = parsed.filter((b) => !isZero(b));
  if (schema === undefined && nonZero.length > 0) return undefined; // only clipped buckets: the schema is ambiguous
  const resolvedSchema = schema ?? 0;
  const scale = 2 ** resolvedSchema;
  const positive: [number, number][] = [];
  const negative: [number, number][] = [];
  const close = (a: number, b: number) => Math.abs(a - b) <= BOUNDARY_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
  /** Whether `inner` is the bucket's bound clipped to the zero threshold (learning the threshold if no zero bucket was sent). */
  const clipped = (inner: number, gridInner: number, outer: number): boolean => {
    if (!(inner > gridInner && inner < outer)) return false;
    if (hasZeroBucket || zeroThreshold !== 0) return close(inner, zeroThreshold);
    zeroThreshold = inner;
    return true;
  };
  for (const b of nonZero) {
    if (b.lower > 0) {
      const index = Math.round(Math.log2(b.upper) * scale);
      const gridLower = 2 ** ((index - 1) / scale);
      if (!close(b.upper, 2 ** (index / scale)) || !(close(b.lower, gridLower) || clipped(b.lower, gridLower, b.upper))) return undefined;
      positive.push([index, b.count]);
    } else if (b.upper < 0) {
      const index = Math.round(Math.log2(-b.lower) * scale);
      const gridUpper = 2 ** ((index - 1) / scale);
      if (!close(-b.lower, 2 ** (index / scale)) || !(close(-b.upper, gridUpper) || clipped(-b.upper, gridUpper, -b.lower))) return undefined;
      negative.push([index, b.count]);
    } else {
      return undefined; // a bucket straddling zero that is not the zero bucket
    }
  }
  const positiveLayout = toSpans(positive);
  const negativeLayout = toSpans(negative);
  if (positiveLayout === undefined || negativeLayout === undefined) return undefined;
  return {
    schema: resolvedSchema,
    zeroThreshold,
    zeroCount,
    count,
    sum,
    positiveSpans: positiveLayout.spans,
    positiveCounts: positiveLayout.counts,
    negativeSpans: negativeLayout.spans,
    negativeCounts: negativeLayout.counts,
  };
}

/** Index/count pairs (any order) to spans; undefined on a repeated index. */
function toSpans(buckets: [number, number][]): { spans: BucketSpan[]; counts: number[] } | undefined {
  buckets.sort((a, b) => a[0] - b[0]);
  const spans: BucketSpan[] = [];
  const counts: number[] = [];
  let previous: number | undefined;
  let current: { offset: number; length: number } | undefined;
  for (const [index, bucketCount] of buckets) {
    if (previous !== undefined && index === previous) return undefined;
    if (current !== undefined && previous !== undefined && index === previous + 1) current.length++;
    else {
      if (current !== undefined) spans.push(current);
      current = { offset: previous === undefined ? index : index - previous - 1, length: 1 };
    }
    counts.push(bucketCount);
    previous = index;
  }
  if (current !== undefined) spans.push(current);
  return { spans, counts };
}

/** Parses a list of strings (`labels`, `label/<name>/values`). */
export function parseStringList(data: unknown, what: string): string[] {
  const list = asArray(data, 'data', what);
  for (let i = 0; i < list.length; i++) if (typeof list[i] !== 'string') throw invalid(`data[${i}]`, 'a string', list[i], what);
  return list as string[];
}

/** Parses the `series` response: a list of label sets (with `__name__`). */
export function parseLabelSets(data: unknown, what: string): Labels[] {
  const list = asArray(data, 'data', what);
  const out: Labels[] = [];
  for (let i = 0; i < list.length; i++) {
    const record = asObject(list[i], `data[${i}]`, what);
    const entries: [string, string][] = [];
    for (const key of Object.keys(record)) {
      const v = record[key];
      if (typeof v !== 'string') throw invalid(`data[${i}].${key}`, 'a string label value', v, what);
      entries.push([key, v]);
    }
    out.push(Object.fromEntries(entries) as Labels);
  }
  return out;
}

export { invalid as invalidResponse };

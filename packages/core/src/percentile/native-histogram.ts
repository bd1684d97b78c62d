import { ValidationError } from '../errors';

/** A run of consecutive buckets: `offset` is the gap (in bucket indexes) before it; for the first span, the start index. */
export interface NativeHistogramSpan {
  readonly offset: number;
  readonly length: number;
}

/**
 * A Prometheus native (sparse, exponential) histogram, as carried by the protobuf exposition format and remote write.
 *
 * With `schema` s in -4..8, base = 2^(2^-s) and positive bucket i covers (base^(i-1), base^i]; negative bucket i
 * mirrors it: [-base^i, -base^(i-1)). Observations with |v| <= zeroThreshold fall in the zero bucket. Bucket counts
 * are given per side either delta-encoded like the protobuf (`positiveDeltas`: first absolute, then differences from
 * the previous bucket) or absolute (`positiveCounts`, like a float histogram): exactly one of them when the spans hold
 * any bucket. `count` includes NaN observations, which land in no bucket (their presence makes `sum` NaN).
 */
export interface NativeHistogram {
  readonly schema: number;
  readonly zeroThreshold: number;
  readonly zeroCount: number;
  readonly count: number;
  readonly sum: number;
  readonly positiveSpans: readonly NativeHistogramSpan[];
  readonly positiveDeltas?: readonly number[];
  readonly positiveCounts?: readonly number[];
  readonly negativeSpans: readonly NativeHistogramSpan[];
  readonly negativeDeltas?: readonly number[];
  readonly negativeCounts?: readonly number[];
}

/** One explicit bucket of a native histogram (counts are per bucket, not cumulative). */
export interface NativeHistogramBucket {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly lowerInclusive: boolean;
  readonly upperInclusive: boolean;
}

interface MutableBucket {
  lower: number;
  upper: number;
  count: number;
  lowerInclusive: boolean;
  upperInclusive: boolean;
}

interface DecodedSide {
  readonly indexes: number[];
  readonly counts: number[];
}

interface Decoded {
  /** Ascending by value: negative buckets (most negative first), zero bucket when zeroCount > 0, positive buckets. */
  readonly buckets: MutableBucket[];
  readonly negativeBucketCount: number;
  readonly positiveBucketCount: number;
}

/** 2^exponent for any integer exponent, exact wherever the result is representable. */
function scaleByPowerOfTwo(x: number, exponent: number): number {
  if (exponent > 1023) return x * 2 ** 1023 * 2 ** (exponent - 1023);
  if (exponent < -1022) return x * 2 ** -1022 * 2 ** (exponent + 1022);
  return x * 2 ** exponent;
}

/**
 * Upper bound of bucket `index` for a standard schema: base^index with base = 2^(2^-schema), computed as a fraction in
 * [0.5, 1) times a power of two. The last bucket before the one for ±Inf observations ends at Number.MAX_VALUE.
 *
 * @example
 * nativeBucketUpperBound(3, 0); // 8
 * nativeBucketUpperBound(1, 1); // √2 ≈ 1.4142
 */
export function nativeBucketUpperBound(index: number, schema: number): number {
  if (schema < 0) {
    const exponent = index * 2 ** -schema;
    if (exponent === 1024) return Number.MAX_VALUE;
    return scaleByPowerOfTwo(1, exponent);
  }
  const perOctave = 2 ** schema;
  const fractionIndex = ((index % perOctave) + perOctave) % perOctave;
  const exponent = Math.floor(index / perOctave) + 1;
  const fraction = 2 ** (fractionIndex / perOctave) / 2;
  if (fraction === 0.5 && exponent === 1025) return Number.MAX_VALUE;
  return scaleByPowerOfTwo(fraction, exponent);
}

function isSafeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function decodeSide(
  spans: unknown,
  deltas: unknown,
  absolute: unknown,
  side: 'positive' | 'negative',
  path: string,
): DecodedSide {
  const spansPath = `${path}.${side}Spans`;
  if (!Array.isArray(spans)) throw new ValidationError(spansPath, 'an array of { offset, length }', spans);
  const indexes: number[] = [];
  let index = 0;
  for (let s = 0; s < spans.length; s++) {
    const span: unknown = spans[s];
    if (span === null || typeof span !== 'object') throw new ValidationError(`${spansPath}[${s}]`, 'an object { offset, length }', span);
    const { offset, length } = span as Record<string, unknown>;
    if (!isSafeInteger(offset) || (s > 0 && offset < 0)) {
      throw new ValidationError(`${spansPath}[${s}].offset`, s === 0 ? 'an integer' : 'an integer >= 0', offset);
    }
    if (!isSafeInteger(length) || length < 0 || length > 1_000_000) throw new ValidationError(`${spansPath}[${s}].length`, 'an integer in [0, 1000000]', length);
    index += offset;
    for (let i = 0; i < length; i++) indexes.push(index++);
  }
  const deltasPath = `${path}.${side}Deltas`;
  const countsPath = `${path}.${side}Counts`;
  if (deltas !== undefined && absolute !== undefined) {
    throw new ValidationError(countsPath, `to be absent when ${side}Deltas is given (one encoding per side)`, absolute);
  }
  const counts: number[] = [];
  if (deltas !== undefined) {
    if (!Array.isArray(deltas) || deltas.length !== indexes.length) {
      throw new ValidationError(deltasPath, `an array of ${indexes.length} integers (one per bucket of the spans)`, deltas);
    }
    let running = 0;
    for (let i = 0; i < deltas.length; i++) {
      const delta: unknown = deltas[i];
      if (!isSafeInteger(delta)) throw new ValidationError(`${deltasPath}[${i}]`, 'an integer', delta);
      running += delta;
      if (running < 0) throw new ValidationError(`${deltasPath}[${i}]`, 'a delta that keeps the bucket count >= 0', delta, 'INVALID_DATA');
      counts.push(running);
    }
  } else if (absolute !== undefined) {
    if (!Array.isArray(absolute) || absolute.length !== indexes.length) {
      throw new ValidationError(countsPath, `an array of ${indexes.length} counts (one per bucket of the spans)`, absolute);
    }
    for (let i = 0; i < absolute.length; i++) {
      const count: unknown = absolute[i];
      if (typeof count !== 'number' || !(count >= 0) || count === Infinity) throw new ValidationError(`${countsPath}[${i}]`, 'a finite number >= 0', count);
      counts.push(count);
    }
  } else if (indexes.length > 0) {
    throw new ValidationError(deltasPath, `${side}Deltas or ${side}Counts for the ${indexes.length} buckets of the spans`, undefined);
  }
  return { indexes, counts };
}

function decode(h: NativeHistogram, path: string): Decoded {
  if (h === null || typeof h !== 'object') throw new ValidationError(path, 'a native histogram object', h);
  const { schema, zeroThreshold, zeroCount, count, sum } = h;
  if (!isSafeInteger(schema) || schema < -4 || schema > 8) throw new ValidationError(`${path}.schema`, 'an integer in [-4, 8] (exponential schemas)', schema);
  if (typeof zeroThreshold !== 'number' || !(zeroThreshold >= 0) || zeroThreshold === Infinity) {
    throw new ValidationError(`${path}.zeroThreshold`, 'a finite number >= 0', zeroThreshold);
  }
  if (typeof zeroCount !== 'number' || !(zeroCount >= 0) || zeroCount === Infinity) throw new ValidationError(`${path}.zeroCount`, 'a finite number >= 0', zeroCount);
  if (typeof count !== 'number' || !(count >= 0) || count === Infinity) throw new ValidationError(`${path}.count`, 'a finite number >= 0', count);
  if (typeof sum !== 'number') throw new ValidationError(`${path}.sum`, 'a number (NaN when NaN was observed)', sum);
  const negative = decodeSide(h.negativeSpans, h.negativeDeltas, h.negativeCounts, 'negative', path);
  const positive = decodeSide(h.positiveSpans, h.positiveDeltas, h.positiveCounts, 'positive', path);

  const buckets: MutableBucket[] = [];
  for (let i = negative.indexes.length - 1; i >= 0; i--) {
    const index = negative.indexes[i]!;
    let upper = -nativeBucketUpperBound(index - 1, schema);
    if (upper < 0 && upper > -zeroThreshold) upper = -zeroThreshold;
    buckets.push({ lower: -nativeBucketUpperBound(index, schema), upper, count: negative.counts[i]!, lowerInclusive: true, upperInclusive: false });
  }
  if (zeroCount > 0) buckets.push({ lower: -zeroThreshold, upper: zeroThreshold, count: zeroCount, lowerInclusive: true, upperInclusive: true });
  for (let i = 0; i < positive.indexes.length; i++) {
    const index = positive.indexes[i]!;
    let lower = nativeBucketUpperBound(index - 1, schema);
    if (lower > 0 && lower < zeroThreshold) lower = zeroThreshold;
    buckets.push({ lower, upper: nativeBucketUpperBound(index, schema), count: positive.counts[i]!, lowerInclusive: false, upperInclusive: true });
  }
  return { buckets, negativeBucketCount: negative.indexes.length, positiveBucketCount: positive.indexes.length };
}

/**
 * Expands a native histogram into explicit buckets, ascending by value: negative buckets (most negative first), the
 * zero bucket [-zeroThreshold, zeroThreshold] when zeroCount > 0, then positive buckets. Buckets the spans hold with a
 * count of 0 are kept. Bounds are clipped to the zero threshold where a bucket overlaps it, as Prometheus does.
 * Counts are per bucket (not cumulative). Throws a ValidationError naming the bad field (`h.positiveSpans[1].offset`).
 *
 * @example
 * nativeHistogramBuckets({
 *   schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 7, sum: 9,
 *   positiveSpans: [{ offset: 0, length: 2 }], positiveDeltas: [3, -1], negativeSpans: [],
 * });
 * // [ { lower: -0.001, upper: 0.001, count: 2, … }, { lower: 0.5, upper: 1, count: 3, … }, { lower: 1, upper: 2, count: 2, … } ]
 */
export function nativeHistogramBuckets(h: NativeHistogram): NativeHistogramBucket[] {
  return decode(h, 'h').buckets;
}

/**
 * The q-quantile of a native histogram with the semantics of PromQL's `histogram_quantile` on native histograms
 * (Prometheus' `HistogramQuantile`, standard exponential schemas).
 *
 * The rank q × count is located by walking the non-empty buckets (from the top, with rank (1 - q) × count, when
 * q >= 0.5 and no NaN was observed, for precision). Inside the bucket the value is interpolated exponentially: the
 * observations are assumed to fill a finer histogram of the same kind evenly, so halfway through (1, 2] is √2. In the
 * zero bucket the interpolation is linear, and the zero bucket is taken to start at 0 when the histogram has only
 * positive buckets (to end at 0 when it has only negative ones). When NaN observations (sum NaN) keep the rank out
 * of reach, the upper bound of the last bucket is returned.
 *
 * Returned, not thrown (the Prometheus contract): q < 0 gives -Infinity, q > 1 gives +Infinity, and NaN when q is NaN
 * or count is 0. Malformed histograms throw a ValidationError whose path names the field.
 *
 * @example
 * const h = {
 *   schema: 0, zeroThreshold: 0, zeroCount: 0, count: 4, sum: 6,
 *   positiveSpans: [{ offset: 1, length: 2 }], positiveDeltas: [2, 0], negativeSpans: [],
 * }; // two observations in (1, 2], two in (2, 4]
 * nativeHistogramQuantile(0.25, h); // √2 ≈ 1.414 (halfway through (1, 2], exponentially)
 * nativeHistogramQuantile(0.5, h); // 2
 */
export function nativeHistogramQuantile(q: number, h: NativeHistogram): number {
  if (typeof q !== 'number') throw new ValidationError('q', 'a number', q);
  const { buckets, negativeBucketCount, positiveBucketCount } = decode(h, 'h');
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (h.count === 0 || Number.isNaN(q)) return NaN;

  const forward = Number.isNaN(h.sum) || q < 0.5;
  let rank = forward ? q * h.count : (1 - q) * h.count;
  let bucket: MutableBucket = { lower: 0, upper: 0, count: 0, lowerInclusive: false, upperInclusive: false };
  let cumulative = 0;
  for (let step = 0; step < buckets.length; step++) {
    bucket = buckets[forward ? step : buckets.length - 1 - step]!;
    if (bucket.count === 0) continue;
    cumulative += bucket.count;
    if (cumulative >= rank) break;
  }
  let { lower, upper } = bucket;
  if (lower < 0 && upper > 0) {
    if (negativeBucketCount === 0 && positiveBucketCount > 0) lower = 0;
    else if (positiveBucketCount === 0 && negativeBucketCount > 0) upper = 0;
  }
  if (cumulative > h.count) cumulative = h.count;
  if (cumulative < rank) return upper;
  if (forward) rank -= cumulative - bucket.count;
  else rank = cumulative - rank;
  const fraction = rank / bucket.count;
  if (lower <= 0 && upper >= 0) return lower + (upper - lower) * fraction;
  const logLower = Math.log2(Math.abs(lower));
  const logUpper = Math.log2(Math.abs(upper));
  if (lower > 0) return 2 ** (logLower + (logUpper - logLower) * fraction);
  return -(2 ** (logUpper + (logLower - logUpper) * (1 - fraction)));
}

/**
 * The share of observations between `lower` and `upper` in a native histogram (PromQL's `histogram_fraction`):
 * whole buckets count fully; a bucket containing a bound contributes in proportion, exponentially like
 * {@link nativeHistogramQuantile} (linearly in the zero bucket), so that it inverts the quantile.
 *
 * Returned, not thrown (the Prometheus contract): NaN when count is 0 or a bound is NaN; 0 when lower >= upper.
 *
 * @example
 * nativeHistogramFraction(-Infinity, 2, {
 *   schema: 0, zeroThreshold: 0, zeroCount: 0, count: 4, sum: 6,
 *   positiveSpans: [{ offset: 1, length: 2 }], positiveDeltas: [2, 0], negativeSpans: [],
 * }); // 0.5
 */
export function nativeHistogramFraction(lower: number, upper: number, h: NativeHistogram): number {
  if (typeof lower !== 'number') throw new ValidationError('lower', 'a number', lower);
  if (typeof upper !== 'number') throw new ValidationError('upper', 'a number', upper);
  const { buckets, negativeBucketCount, positiveBucketCount } = decode(h, 'h');
  if (h.count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;

  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  let position = 0;
  for (; position < buckets.length; position++) {
    const b = buckets[position]!;
    let bucketLower = b.lower;
    let bucketUpper = b.upper;
    let zeroBucket = false;
    if (bucketLower <= 0 && bucketUpper >= 0) {
      zeroBucket = true;
      if (negativeBucketCount === 0 && positiveBucketCount > 0) bucketLower = 0;
      else if (positiveBucketCount === 0 && negativeBucketCount > 0) bucketUpper = 0;
    }
    const rankAt = (v: number): number => {
      if (zeroBucket) return rank + (b.count * (v - bucketLower)) / (bucketUpper - bucketLower);
      const logLower = Math.log2(Math.abs(bucketLower));
      const logUpper = Math.log2(Math.abs(bucketUpper));
      const logV = Math.log2(Math.abs(v));
      const fraction = v > 0 ? (logV - logLower) / (logUpper - logLower) : 1 - (logV - logUpper) / (logLower - logUpper);
      return rank + b.count * fraction;
    };
    if (!lowerSet && bucketLower >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && bucketLower >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && bucketLower < lower && bucketUpper > lower) {
      lowerRank = rankAt(lower);
      lowerSet = true;
    }
    if (!upperSet && bucketLower < upper && bucketUpper > upper) {
      upperRank = rankAt(upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank += b.count;
  }
  // With NaN observations (sum NaN), ranks are capped at what the buckets hold; the denominator stays h.count.
  let inBuckets = h.count;
  if (Number.isNaN(h.sum)) {
    inBuckets = 0;
    for (const b of buckets) inBuckets += b.count;
  }
  if (!lowerSet || lowerRank > inBuckets) lowerRank = inBuckets;
  if (!upperSet || upperRank > inBuckets) upperRank = inBuckets;
  return (upperRank - lowerRank) / h.count;
}

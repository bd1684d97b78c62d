import { ValidationError, assertPositiveNumber } from '../errors';
import type { Series } from '../series/types';

/**
 * The one input shape of the SLO engine: good and total event counts per interval, in columns.
 *
 * `good[i]` and `total[i]` are the events that happened in the interval that ENDS at `timestamps[i]` (epoch ms,
 * strictly ascending); the interval starts at the previous timestamp. Counts are finite and >= 0, and
 * `good[i] <= total[i]`. Every SLI kind is turned into this shape by one of the `eventsFrom*` functions.
 */
export interface SLIEvents {
  readonly timestamps: Float64Array;
  readonly good: Float64Array;
  readonly total: Float64Array;
}

/** Whether counts are per-interval deltas or cumulative counters (Prometheus `_total` series). */
export type CountKind = 'delta' | 'cumulative';

/** What `eventsFromCounts` accepts: exactly one of `good` and `bad`, and `total`. */
export interface CountsInput {
  readonly timestamps: ArrayLike<number>;
  readonly good?: ArrayLike<number>;
  readonly bad?: ArrayLike<number>;
  readonly total: ArrayLike<number>;
  /** `delta` (default): counts per interval. `cumulative`: counters; see `counterDeltas` for resets and gaps. */
  readonly kind?: CountKind;
}

function assertArray(value: unknown, path: string, length?: number): asserts value is ArrayLike<number> {
  const ok = Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
  if (!ok) throw new ValidationError(path, 'an array or typed array of numbers', value);
  const len = (value as ArrayLike<number>).length;
  if (length !== undefined && len !== length) throw new ValidationError(path, `an array of length ${length} (as timestamps)`, value);
}

function assertTimestamps(timestamps: ArrayLike<number>, path: string): void {
  let previous = -Infinity;
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i] as number;
    if (typeof t !== 'number' || !Number.isFinite(t) || t <= previous) {
      throw new ValidationError(`${path}[${i}]`, `a finite timestamp greater than the previous one (${previous})`, t);
    }
    previous = t;
  }
}

/**
 * Turns a cumulative counter into per-interval increases, the way Prometheus reads counters:
 * - the first sample has no previous one, so its increase is 0 (it only sets the baseline);
 * - a drop means the counter restarted from 0, so the increase is the new value itself;
 * - NaN (a missing sample) gives 0 and the next sample is compared with the last one present.
 *
 * @throws ValidationError when a value is negative or infinite.
 * @example
 * counterDeltas([10, 15, 15, 3, 8]); // Float64Array [0, 5, 0, 3, 5]
 */
export function counterDeltas(values: ArrayLike<number>, path = 'values'): Float64Array {
  const out = new Float64Array(values.length);
  let previous = NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ValidationError(`${path}[${i}]`, 'a finite counter value >= 0 (or NaN for a missing sample)', v);
    if (!Number.isNaN(previous)) out[i] = v >= previous ? v - previous : v;
    previous = v;
  }
  return out;
}

function deltas(values: ArrayLike<number>, kind: CountKind, path: string): Float64Array {
  if (kind === 'cumulative') return counterDeltas(values, path);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ValidationError(`${path}[${i}]`, 'a finite count >= 0 (or NaN for a missing interval)', v);
    out[i] = v;
  }
  return out;
}

/**
 * Builds `SLIEvents` from plain columns of good (or bad) and total counts. With `bad`, good = total - bad.
 * Where an interval reports more good (or bad) than total events, as happens when two counters are scraped a moment
 * apart, good is clamped to [0, total].
 *
 * @throws ValidationError naming the bad field (`good[3]`, `timestamps[0]`, ...).
 * @example
 * const events = eventsFromCounts({ timestamps: [60_000, 120_000], good: [99, 100], total: [100, 100] });
 * events.good; // Float64Array [99, 100]
 * eventsFromCounts({ timestamps: [0, 60_000], bad: [0, 2], total: [0, 50], kind: 'cumulative' }).good; // [0, 48]
 */
export function eventsFromCounts(input: CountsInput): SLIEvents {
  if (input === null || typeof input !== 'object') throw new ValidationError('input', 'an object { timestamps, good or bad, total }', input);
  assertArray(input.timestamps, 'timestamps');
  const n = input.timestamps.length;
  assertTimestamps(input.timestamps, 'timestamps');
  const kind = input.kind ?? 'delta';
  if (kind !== 'delta' && kind !== 'cumulative') throw new ValidationError('kind', '"delta" or "cumulative"', kind);
  if ((input.good === undefined) === (input.bad === undefined)) throw new ValidationError('good', 'exactly one of good and bad', input.good === undefined ? undefined : 'both');
  assertArray(input.total, 'total', n);
  const total = deltas(input.total, kind, 'total');
  const field = input.good === undefined ? 'bad' : 'good';
  const source = (input.good ?? input.bad) as ArrayLike<number>;
  assertArray(source, field, n);
  const part = deltas(source, kind, field);
  const good = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = total[i] as number;
    const value = field === 'good' ? (part[i] as number) : t - (part[i] as number);
    good[i] = value < 0 ? 0 : value > t ? t : value;
  }
  return { timestamps: Float64Array.from(input.timestamps), good, total };
}

/**
 * The value of `series` at each time in `at`, holding the last sample at or before it (NaN before the first
 * sample). Used to align counters sampled at different times; a counter is a step function, so this is exact.
 * @internal
 */
export function sampleAt(series: Series, at: Float64Array): Float64Array {
  const out = new Float64Array(at.length);
  let j = -1;
  let last = NaN;
  for (let i = 0; i < at.length; i++) {
    const t = at[i] as number;
    while (j + 1 < series.timestamps.length && (series.timestamps[j + 1] as number) <= t) {
      j++;
      const v = series.values[j] as number;
      if (!Number.isNaN(v)) last = v;
    }
    out[i] = last;
  }
  return out;
}

function unionTimestamps(list: readonly Series[]): Float64Array {
  const all: number[] = [];
  for (const s of list) for (let i = 0; i < s.timestamps.length; i++) all.push(s.timestamps[i] as number);
  all.sort((a, b) => a - b);
  const out: number[] = [];
  for (const t of all) if (out.length === 0 || out[out.length - 1] !== t) out.push(t);
  return Float64Array.from(out);
}

function checkSeries(series: unknown, path: string): asserts series is Series {
  if (series === null || typeof series !== 'object') throw new ValidationError(path, 'a Series { labels, timestamps, values }', series);
  const s = series as Series;
  if (!(s.timestamps instanceof Float64Array)) throw new ValidationError(`${path}.timestamps`, 'a Float64Array', s.timestamps);
  if (!(s.values instanceof Float64Array) || s.values.length !== s.timestamps.length) throw new ValidationError(`${path}.values`, `a Float64Array of length ${s.timestamps.length}`, s.values);
  assertTimestamps(s.timestamps, `${path}.timestamps`);
}

/** What `eventsFromSeries` accepts. */
export interface SeriesCountsInput {
  readonly good?: Series;
  readonly bad?: Series;
  readonly total: Series;
  /** `cumulative` (default, as Prometheus counters) or `delta` (counts per interval, such as `increase()` output). */
  readonly kind?: CountKind;
}

/**
 * Builds `SLIEvents` from two `Series`: good (or bad) and total. Cumulative counters (the default) may be sampled at
 * different times: both are read at the union of their timestamps, holding the last value, so each interval's
 * increase is exact. Delta series must share their timestamps.
 *
 * @throws ValidationError naming the bad field.
 * @example
 * const events = eventsFromSeries({ good: goodCounter, total: totalCounter }); // Prometheus _total counters
 */
export function eventsFromSeries(input: SeriesCountsInput): SLIEvents {
  if (input === null || typeof input !== 'object') throw new ValidationError('input', 'an object { good or bad, total }', input);
  const kind = input.kind ?? 'cumulative';
  checkSeries(input.total, 'total');
  const field = input.good === undefined ? 'bad' : 'good';
  if ((input.good === undefined) === (input.bad === undefined)) throw new ValidationError('good', 'exactly one of good and bad', input.good === undefined ? undefined : 'both');
  const part = (input.good ?? input.bad) as Series;
  checkSeries(part, field);
  if (kind === 'delta') {
    const a = input.total.timestamps;
    const b = part.timestamps;
    let same = a.length === b.length;
    for (let i = 0; same && i < a.length; i++) same = a[i] === b[i];
    if (!same) throw new ValidationError(`${field}.timestamps`, 'the same timestamps as total (delta series must be aligned)', b);
    return eventsFromCounts({ timestamps: a, [field]: part.values, total: input.total.values, kind });
  }
  const at = unionTimestamps([input.total, part]);
  return eventsFromCounts({ timestamps: at, [field]: sampleAt(part, at), total: sampleAt(input.total, at), kind });
}

/** Options shared by the functions that bucket individual observations into intervals. */
export interface BucketOptions {
  /** Interval length in ms (> 0). Interval k is `(k * stepMs, (k + 1) * stepMs]`, aligned to the epoch. */
  readonly stepMs: number;
}

function bucketObservations(
  timestamps: ArrayLike<number>,
  values: ArrayLike<number>,
  isGood: (value: number) => boolean,
  options: BucketOptions,
  path: string,
): SLIEvents {
  assertArray(timestamps, `${path}.timestamps`);
  assertArray(values, `${path}.values`, timestamps.length);
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an object { stepMs }', options);
  assertPositiveNumber(options.stepMs, 'options.stepMs');
  const step = options.stepMs;
  // Interval end for each observation, then a counting pass; observations may come in any order.
  const ends: number[] = [];
  const good: number[] = [];
  const total: number[] = [];
  const index = new Map<number, number>();
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i] as number;
    const v = values[i] as number;
    if (typeof t !== 'number' || !Number.isFinite(t)) throw new ValidationError(`${path}.timestamps[${i}]`, 'a finite timestamp', t);
    if (Number.isNaN(v)) continue;
    const end = Math.ceil(t / step) * step;
    let k = index.get(end);
    if (k === undefined) {
      k = ends.length;
      index.set(end, k);
      ends.push(end);
      good.push(0);
      total.push(0);
    }
    total[k] = (total[k] as number) + 1;
    if (isGood(v)) good[k] = (good[k] as number) + 1;
  }
  const order = ends.map((_, i) => i).sort((a, b) => (ends[a] as number) - (ends[b] as number));
  return {
    timestamps: Float64Array.from(order, (i) => ends[i] as number),
    good: Float64Array.from(order, (i) => good[i] as number),
    total: Float64Array.from(order, (i) => total[i] as number),
  };
}

/**
 * Latency SLI from raw samples: one observation per request (`values` in milliseconds, in any order; NaN is
 * skipped). A request is good when its latency is <= `thresholdMs`. Observations are counted per `stepMs` interval.
 *
 * @throws ValidationError naming the bad field.
 * @example
 * eventsFromLatencySamples({ timestamps: [1, 2, 61_000], values: [120, 480, 90] }, { thresholdMs: 300, stepMs: 60_000 });
 * // timestamps [60_000, 120_000], good [1, 1], total [2, 1]
 */
export function eventsFromLatencySamples(samples: { readonly timestamps: ArrayLike<number>; readonly values: ArrayLike<number> }, options: BucketOptions & { readonly thresholdMs: number }): SLIEvents {
  if (samples === null || typeof samples !== 'object') throw new ValidationError('samples', 'an object { timestamps, values }', samples);
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an object { thresholdMs, stepMs }', options);
  if (typeof options.thresholdMs !== 'number' || !Number.isFinite(options.thresholdMs)) throw new ValidationError('options.thresholdMs', 'a finite number of milliseconds', options.thresholdMs);
  const threshold = options.thresholdMs;
  return bucketObservations(samples.timestamps, samples.values, (v) => v <= threshold, options, 'samples');
}

/**
 * Availability from probe results: one sample per probe, success when the value is > 0 (as Prometheus'
 * `probe_success`, 1 or 0). Probes are counted per `stepMs` interval; NaN is skipped.
 *
 * @example
 * eventsFromProbes({ timestamps: [10_000, 40_000, 70_000], values: [1, 0, 1] }, { stepMs: 60_000 });
 * // timestamps [60_000, 120_000], good [1, 1], total [2, 1]
 */
export function eventsFromProbes(probes: { readonly timestamps: ArrayLike<number>; readonly values: ArrayLike<number> }, options: BucketOptions): SLIEvents {
  if (probes === null || typeof probes !== 'object') throw new ValidationError('probes', 'an object { timestamps, values }', probes);
  return bucketObservations(probes.timestamps, probes.values, (v) => v > 0, options, 'probes');
}

/** One classic histogram bucket series: the cumulative count of observations <= `le`. */
export interface ClassicBucket {
  /** Upper bound, in the histogram's unit; `Infinity` for the `+Inf` bucket. */
  readonly le: number;
  readonly series: Series;
}

/**
 * Latency SLI from a classic (Prometheus `_bucket`) histogram: per interval, good is the increase of the bucket at
 * the threshold, total the increase of the `+Inf` bucket (or of `count` when given). When the threshold lies between
 * two bucket bounds the good count is interpolated linearly between them, as PromQL's `histogram_quantile` assumes;
 * rule generation requires the threshold to be a bucket bound.
 *
 * @param options.threshold - Threshold in the histogram's unit (Prometheus histograms are usually in seconds).
 * @param options.kind - `cumulative` (default, counters) or `delta`.
 * @throws ValidationError for missing buckets, misaligned series or a threshold outside the buckets.
 * @example
 * eventsFromClassicHistogram({ buckets: [{ le: 0.1, series: b01 }, { le: 0.3, series: b03 }, { le: Infinity, series: bInf }] }, { threshold: 0.3 });
 */
export function eventsFromClassicHistogram(
  input: { readonly buckets: readonly ClassicBucket[]; readonly count?: Series },
  options: { readonly threshold: number; readonly kind?: CountKind },
): SLIEvents {
  if (input === null || typeof input !== 'object' || !Array.isArray(input.buckets) || input.buckets.length === 0) {
    throw new ValidationError('buckets', 'a non-empty array of { le, series }', input?.buckets);
  }
  if (options === null || typeof options !== 'object' || typeof options.threshold !== 'number' || !(options.threshold >= 0) || !Number.isFinite(options.threshold)) {
    throw new ValidationError('options.threshold', 'a finite threshold >= 0 in the histogram unit', options?.threshold);
  }
  const kind = options.kind ?? 'cumulative';
  const buckets = [...input.buckets].sort((a, b) => a.le - b.le);
  buckets.forEach((b, i) => {
    if (typeof b?.le !== 'number' || Number.isNaN(b.le)) throw new ValidationError(`buckets[${i}].le`, 'a number or Infinity', b?.le);
    checkSeries(b.series, `buckets[${i}].series`);
  });
  const totalSeries = input.count ?? buckets[buckets.length - 1]?.series;
  if (input.count === undefined && buckets[buckets.length - 1]?.le !== Infinity) throw new ValidationError('buckets', 'a +Inf bucket (le: Infinity) or a count series', 'none');
  if (input.count !== undefined) checkSeries(input.count, 'count');
  const threshold = options.threshold;
  const upperIndex = buckets.findIndex((b) => b.le >= threshold);
  if (upperIndex < 0) throw new ValidationError('options.threshold', `a threshold at most the largest bucket bound (${buckets[buckets.length - 1]?.le})`, threshold);
  const upper = buckets[upperIndex] as ClassicBucket;
  const all = [totalSeries as Series, ...buckets.map((b) => b.series)];
  const at = kind === 'cumulative' ? unionTimestamps(all) : (totalSeries as Series).timestamps;
  const read = (s: Series, path: string): Float64Array => {
    if (kind === 'cumulative') return counterDeltas(sampleAt(s, at), path);
    if (s.timestamps.length !== at.length || s.timestamps.some((t, i) => t !== at[i])) throw new ValidationError(`${path}.timestamps`, 'the same timestamps as the total series', s.timestamps);
    return deltas(s.values, 'delta', path);
  };
  const total = read(totalSeries as Series, 'count');
  let good = read(upper.series, `buckets[${upperIndex}].series`);
  if (upper.le !== threshold) {
    const lowerBound = upperIndex > 0 ? (buckets[upperIndex - 1] as ClassicBucket).le : 0;
    if (upper.le === Infinity) throw new ValidationError('options.threshold', `a threshold at most the largest finite bucket bound (${lowerBound})`, threshold);
    const lowerCounts = upperIndex > 0 ? read((buckets[upperIndex - 1] as ClassicBucket).series, `buckets[${upperIndex - 1}].series`) : new Float64Array(at.length);
    const share = (threshold - lowerBound) / (upper.le - lowerBound);
    const interpolated = new Float64Array(at.length);
    for (let i = 0; i < at.length; i++) interpolated[i] = (lowerCounts[i] as number) + share * ((good[i] as number) - (lowerCounts[i] as number));
    good = interpolated;
  }
  const clamped = new Float64Array(at.length);
  for (let i = 0; i < at.length; i++) {
    const t = total[i] as number;
    const g = good[i] as number;
    clamped[i] = g < 0 ? 0 : g > t ? t : g;
  }
  return { timestamps: Float64Array.from(at), good: clamped, total };
}

/** A native (sparse) histogram sample as the Prometheus HTTP API returns it, counts cumulative over time. */
export interface NativeHistogramSample {
  readonly count: number;
  /** Buckets with their bounds and observation counts; bounds in the histogram's unit. */
  readonly buckets: readonly { readonly lower: number; readonly upper: number; readonly count: number }[];
}

/**
 * The number of observations <= `threshold` in one native histogram sample: whole buckets below the threshold plus
 * a linear share of the bucket that straddles it (the interpolation PromQL's `histogram_fraction` used when
 * Prometheus 2.x introduced it).
 * @internal
 */
export function nativeCountBelow(histogram: NativeHistogramSample, threshold: number): number {
  let below = 0;
  for (const b of histogram.buckets) {
    if (b.upper <= threshold) below += b.count;
    else if (b.lower < threshold && Number.isFinite(b.lower) && Number.isFinite(b.upper)) below += (b.count * (threshold - b.lower)) / (b.upper - b.lower);
  }
  return below;
}

/**
 * Latency SLI from native histograms: a time-ordered list of cumulative histogram samples. Per interval, good is the
 * increase of the count at or below `threshold` and total the increase of `count`; a drop in `count` is a counter
 * reset, as in Prometheus.
 *
 * @throws ValidationError naming the bad field.
 * @example
 * eventsFromNativeHistograms({ timestamps: [0, 60_000], histograms: [h0, h1] }, { threshold: 0.3 });
 */
export function eventsFromNativeHistograms(
  input: { readonly timestamps: ArrayLike<number>; readonly histograms: readonly NativeHistogramSample[] },
  options: { readonly threshold: number },
): SLIEvents {
  if (input === null || typeof input !== 'object') throw new ValidationError('input', 'an object { timestamps, histograms }', input);
  assertArray(input.timestamps, 'timestamps');
  assertTimestamps(input.timestamps, 'timestamps');
  if (!Array.isArray(input.histograms) || input.histograms.length !== input.timestamps.length) {
    throw new ValidationError('histograms', `an array of ${input.timestamps.length} histograms (one per timestamp)`, input.histograms);
  }
  if (options === null || typeof options !== 'object' || typeof options.threshold !== 'number' || !Number.isFinite(options.threshold)) {
    throw new ValidationError('options.threshold', 'a finite threshold in the histogram unit', options?.threshold);
  }
  const n = input.timestamps.length;
  const counts = new Float64Array(n);
  const below = new Float64Array(n);
  input.histograms.forEach((h, i) => {
    if (h === null || typeof h !== 'object' || typeof h.count !== 'number' || !Number.isFinite(h.count) || h.count < 0) {
      throw new ValidationError(`histograms[${i}].count`, 'a finite count >= 0', h?.count);
    }
    if (!Array.isArray(h.buckets)) throw new ValidationError(`histograms[${i}].buckets`, 'an array of { lower, upper, count }', h.buckets);
    counts[i] = h.count;
    below[i] = Math.min(h.count, nativeCountBelow(h, options.threshold));
  });
  const total = new Float64Array(n);
  const good = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const reset = (counts[i] as number) < (counts[i - 1] as number);
    const t = reset ? (counts[i] as number) : (counts[i] as number) - (counts[i - 1] as number);
    const g = reset ? (below[i] as number) : (below[i] as number) - (below[i - 1] as number);
    total[i] = t;
    good[i] = g < 0 ? 0 : g > t ? t : g;
  }
  return { timestamps: Float64Array.from(input.timestamps), good, total };
}

/**
 * Validates `SLIEvents` (columns, ascending timestamps, 0 <= good <= total) and returns them unchanged.
 *
 * @throws ValidationError naming the bad field, such as `events.good[4]`.
 * @example
 * validateEvents(events, 'events');
 */
export function validateEvents(events: SLIEvents, path = 'events'): SLIEvents {
  if (events === null || typeof events !== 'object') throw new ValidationError(path, 'SLIEvents { timestamps, good, total }', events);
  for (const key of ['timestamps', 'good', 'total'] as const) {
    if (!(events[key] instanceof Float64Array)) throw new ValidationError(`${path}.${key}`, 'a Float64Array', events[key]);
  }
  const n = events.timestamps.length;
  if (events.good.length !== n) throw new ValidationError(`${path}.good`, `a Float64Array of length ${n}`, events.good);
  if (events.total.length !== n) throw new ValidationError(`${path}.total`, `a Float64Array of length ${n}`, events.total);
  const { timestamps, good, total } = events;
  let previous = -Infinity;
  // One pass over the three columns; the error branch re-checks to name the exact problem.
  for (let i = 0; i < n; i++) {
    const ts = timestamps[i] as number;
    const t = total[i] as number;
    const g = good[i] as number;
    if (ts > previous && ts < Infinity && t >= 0 && t < Infinity && g >= 0 && g <= t) {
      previous = ts;
      continue;
    }
    if (!(ts > previous) || !Number.isFinite(ts)) throw new ValidationError(`${path}.timestamps[${i}]`, `a finite timestamp greater than the previous one (${previous})`, ts);
    if (!(t >= 0) || !Number.isFinite(t)) throw new ValidationError(`${path}.total[${i}]`, 'a finite count >= 0', t);
    throw new ValidationError(`${path}.good[${i}]`, `a count in [0, total] (total is ${t})`, g);
  }
  return events;
}

import { SourceError, ValidationError, assertFiniteNumber, assertPositiveNumber } from '@vigil/core';
import type { Labels } from '@vigil/core';
import { histogramQuantile } from '@vigil/core/percentile';
import { extrapolatedCounterChange, increase, instantRate, rate } from '@vigil/core/series';
import type { Aggregate, Binary, Call, Expr, LabelMatcher, MatrixSelector, VectorSelector } from './ast';
import type { SelectRequest, SeriesStorage, StoredSeries } from './storage';

/** How far back an instant selector looks for the latest sample, as in Prometheus. */
export const LOOKBACK_MS = 5 * 60_000;
/** Most evaluation steps per query, as in Prometheus (11,000 points per series). */
export const MAX_STEPS = 11_000;
/** Most raw samples one query may load (Prometheus' default is 50 million; this evaluator runs in a browser). */
export const DEFAULT_MAX_SAMPLES = 5_000_000;

export interface EvaluationRequest {
  /** First evaluation time, epoch ms. Evaluation times are `start, start + stepMs, ...` up to `end`. */
  readonly start: number;
  readonly end: number;
  readonly stepMs: number;
}

export interface EvaluationOptions {
  /** Most raw samples the query may load (default `DEFAULT_MAX_SAMPLES`). */
  readonly maxSamples?: number;
}

/** One output series: labels (with `__name__` when the expression kept it) and one value per step, NaN = absent. */
export interface EvaluatedSeries {
  readonly labels: Labels;
  readonly values: Float64Array;
}

export type EvaluationResult =
  | { readonly type: 'scalar'; readonly timestamps: Float64Array; readonly values: Float64Array }
  | { readonly type: 'vector'; readonly timestamps: Float64Array; readonly series: readonly EvaluatedSeries[] };

/**
 * What `rate` and `increase` need from the samples of one counter in each window `(T - windowMs, T]`, one entry per
 * evaluation time `T = start, start + stepMs, ... <= end` of the `SelectRequest`: how many samples the window holds,
 * its first and last sample, and the sum of the values just before each drop (a counter reset) inside it, in time
 * order. Entries of windows with fewer than two samples are ignored.
 */
export interface CounterWindowSeries {
  readonly labels: Labels;
  readonly counts: Float64Array;
  readonly firstTimestamps: Float64Array;
  readonly firstValues: Float64Array;
  readonly lastTimestamps: Float64Array;
  readonly lastValues: Float64Array;
  readonly resetCorrections: Float64Array;
}

/**
 * A storage that can summarise counter windows itself (the simulated source, which computes any sample on its own),
 * so `rate(x[w])` and `increase(x[w])` need not load every sample of every window. The result must equal what
 * `select` would give: the evaluator computes the same Prometheus extrapolation from it.
 */
export interface CounterWindowStorage extends SeriesStorage {
  /** The windows of every series matching all the matchers, or undefined to decline (the evaluator then uses `select`). */
  selectCounterWindows(matchers: readonly LabelMatcher[], request: SelectRequest): readonly CounterWindowSeries[] | undefined;
}

type Scalar = { readonly kind: 'scalar'; readonly values: Float64Array };
type Vector = { readonly kind: 'vector'; readonly series: EvaluatedSeries[] };
type Value = Scalar | Vector;

interface Context {
  readonly storage: SeriesStorage;
  readonly times: Float64Array;
  readonly start: number;
  readonly end: number;
  readonly stepMs: number;
  readonly maxSamples: number;
  samples: number;
}

/**
 * Evaluates a parsed PromQL expression at every step of a range, over any `SeriesStorage`, column by column (one
 * Float64Array per series, no object per point). Semantics follow Prometheus: instant selectors take the latest sample
 * within the 5-minute lookback; `rate`/`increase`/`irate` come from `@vigil/core/series` and `histogram_quantile`
 * from `@vigil/core/percentile`; functions and arithmetic drop the metric name; vector-vector operators match one to
 * one on all labels but the name, or `on(...)`/`ignoring(...)`. One deliberate difference: a NaN value is treated
 * as "no sample" (the `Series` model cannot tell them apart), so `sum` skips it rather than returning NaN.
 *
 * Throws `SourceError('BAD_QUERY')` for too many steps or samples and for label-set collisions, and
 * `ValidationError` for a malformed request.
 *
 * @example
 * const storage = createMemoryStorage([{ labels: { __name__: 'up', job: 'api' }, timestamps: [0], values: [1] }]);
 * const result = evaluate(parsePromQL('up == 1'), storage, { start: 0, end: 60_000, stepMs: 30_000 });
 * result.type === 'vector' && result.series[0].values; // Float64Array [1, 1, 1]
 */
export function evaluate(expr: Expr, storage: SeriesStorage, request: EvaluationRequest, options: EvaluationOptions = {}): EvaluationResult {
  assertFiniteNumber(request?.start, 'request.start');
  assertFiniteNumber(request.end, 'request.end');
  assertPositiveNumber(request.stepMs, 'request.stepMs');
  if (request.end < request.start) throw new ValidationError('request.end', `a time >= start (${request.start})`, request.end);
  const maxSamples = options.maxSamples ?? DEFAULT_MAX_SAMPLES;
  assertPositiveNumber(maxSamples, 'options.maxSamples');
  const steps = Math.floor((request.end - request.start) / request.stepMs) + 1;
  if (steps > MAX_STEPS) {
    throw new SourceError('BAD_QUERY', `the query would return ${steps} points per series; the limit is ${MAX_STEPS}: use a larger step or a shorter range`, { path: 'stepMs' });
  }
  const times = new Float64Array(steps);
  for (let i = 0; i < steps; i++) times[i] = request.start + i * request.stepMs;
  const context: Context = { storage, times, start: request.start, end: request.start + (steps - 1) * request.stepMs, stepMs: request.stepMs, maxSamples, samples: 0 };
  const value = evaluateNode(expr, context);
  if (value.kind === 'scalar') return { type: 'scalar', timestamps: times, values: value.values };
  const series = value.series.filter((s) => hasAnyValue(s.values));
  assertUniqueLabelSets(series, 'the result');
  series.sort((a, b) => compareStrings(signature(a.labels), signature(b.labels)));
  return { type: 'vector', timestamps: times, series };
}

function evaluateNode(expr: Expr, context: Context): Value {
  switch (expr.type) {
    case 'NumberLiteral':
      return { kind: 'scalar', values: new Float64Array(context.times.length).fill(expr.value) };
    case 'StringLiteral':
      throw new SourceError('BAD_QUERY', 'strings cannot be evaluated here');
    case 'Paren':
      return evaluateNode(expr.expr, context);
    case 'Unary': {
      const operand = evaluateNode(expr.expr, context);
      if (expr.op === '+') return operand;
      if (operand.kind === 'scalar') return { kind: 'scalar', values: operand.values.map((v) => -v) };
      return { kind: 'vector', series: operand.series.map((s) => ({ labels: withoutName(s.labels), values: s.values.map((v) => -v) })) };
    }
    case 'VectorSelector':
      return { kind: 'vector', series: selectInstant(expr, context) };
    case 'MatrixSelector':
      throw new SourceError('BAD_QUERY', 'a range vector can only be used as a function argument');
    case 'Call':
      return evaluateCall(expr, context);
    case 'Aggregate':
      return evaluateAggregate(expr, context);
    case 'Binary':
      return evaluateBinary(expr, context);
  }
}

// ---- selectors --------------------------------------------------------------------------------------------------

function selectRequest(selector: VectorSelector, windowMs: number, context: Context): SelectRequest {
  return {
    start: context.start - selector.offsetMs,
    end: context.end - selector.offsetMs,
    stepMs: context.stepMs,
    windowMs,
    maxSamples: context.maxSamples - context.samples,
  };
}

function countSamples(context: Context, samples: number): void {
  context.samples += samples;
  if (context.samples > context.maxSamples) {
    throw new SourceError('BAD_QUERY', `the query would load more than ${context.maxSamples} samples: use a shorter range, a larger step or a more selective query`);
  }
}

function load(selector: VectorSelector, windowMs: number, context: Context): readonly StoredSeries[] {
  const series = context.storage.select(selector.matchers, selectRequest(selector, windowMs, context));
  let samples = 0;
  for (const s of series) samples += s.timestamps.length;
  countSamples(context, samples);
  return series;
}

/** Counter windows from a storage that can summarise them, or undefined (load the samples instead). */
function loadCounterWindows(selector: VectorSelector, windowMs: number, context: Context): readonly CounterWindowSeries[] | undefined {
  const storage = context.storage as Partial<CounterWindowStorage>;
  if (typeof storage.selectCounterWindows !== 'function') return undefined;
  const windows = storage.selectCounterWindows(selector.matchers, selectRequest(selector, windowMs, context));
  // A summary holds one entry per step, whatever the window: that is what it costs in memory.
  if (windows !== undefined) countSamples(context, windows.length * context.times.length);
  return windows;
}

/**
 * Prometheus' extrapolated `rate`/`increase` from window summaries: the same arithmetic, in the same order, as
 * `rate` and `increase` of `@vigil/core/series` over the samples (resets added in time order).
 */
function extrapolatedFromWindows(w: CounterWindowSeries, at: Float64Array, windowMs: number, isRate: boolean): Float64Array {
  const out = new Float64Array(at.length);
  const windowSeconds = windowMs / 1000;
  for (let j = 0; j < at.length; j++) {
    const samples = w.counts[j] as number;
    if (!(samples >= 2)) {
      out[j] = NaN;
      continue;
    }
    const rangeEnd = at[j] as number;
    const rangeStart = rangeEnd - windowMs;
    const firstValue = w.firstValues[j] as number;
    let result = (w.lastValues[j] as number) - firstValue;
    const correction = w.resetCorrections[j] as number;
    if (correction !== 0) result += correction;
    out[j] = extrapolatedCounterChange(result, firstValue, w.firstTimestamps[j] as number, w.lastTimestamps[j] as number, samples - 1, rangeStart, rangeEnd, isRate ? windowSeconds : 0);
  }
  return out;
}

/** The latest sample within the lookback window at each step. */
function selectInstant(selector: VectorSelector, context: Context): EvaluatedSeries[] {
  const stored = load(selector, LOOKBACK_MS, context);
  const { times } = context;
  const offset = selector.offsetMs;
  return stored.map((s) => {
    const out = new Float64Array(times.length);
    const ts = s.timestamps;
    let hi = -1;
    for (let j = 0; j < times.length; j++) {
      const t = (times[j] as number) - offset;
      while (hi + 1 < ts.length && (ts[hi + 1] as number) <= t) hi++;
      // Skip back over NaN samples (treated as absent) but not out of the window.
      let k = hi;
      while (k >= 0 && Number.isNaN(s.values[k] as number) && (ts[k] as number) > t - LOOKBACK_MS) k--;
      out[j] = k >= 0 && (ts[k] as number) > t - LOOKBACK_MS ? (s.values[k] as number) : NaN;
    }
    return { labels: s.labels, values: out };
  });
}

function shiftedTimes(context: Context, offset: number): Float64Array {
  return offset === 0 ? context.times : context.times.map((t) => t - offset);
}

function evaluateRangeFunction(func: Call['func'], matrix: MatrixSelector, context: Context): EvaluatedSeries[] {
  const at = shiftedTimes(context, matrix.selector.offsetMs);
  const windowMs = matrix.rangeMs;
  if (func === 'rate' || func === 'increase') {
    const windows = loadCounterWindows(matrix.selector, windowMs, context);
    if (windows !== undefined) return windows.map((w) => ({ labels: withoutName(w.labels), values: extrapolatedFromWindows(w, at, windowMs, func === 'rate') }));
  }
  const stored = load(matrix.selector, matrix.rangeMs, context);
  return stored.map((s) => {
    const series = { labels: s.labels, timestamps: s.timestamps, values: s.values };
    let values: Float64Array;
    switch (func) {
      case 'rate':
        values = rate(series, { windowMs, at }).values;
        break;
      case 'increase':
        values = increase(series, { windowMs, at }).values;
        break;
      case 'irate':
        values = instantRate(series, { windowMs, at }).values;
        break;
      default:
        values = overTime(func, s, at, windowMs);
    }
    return { labels: withoutName(s.labels), values };
  });
}

/** `*_over_time`: a reduction of the samples in `(t - window, t]` for each evaluation time, with a running window. */
function overTime(func: Call['func'], s: StoredSeries, at: Float64Array, windowMs: number): Float64Array {
  const out = new Float64Array(at.length);
  const ts = s.timestamps;
  const vs = s.values;
  let lo = 0;
  let hi = -1;
  for (let j = 0; j < at.length; j++) {
    const t = at[j] as number;
    while (hi + 1 < ts.length && (ts[hi + 1] as number) <= t) hi++;
    while (lo < ts.length && (ts[lo] as number) <= t - windowMs) lo++;
    let count = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let k = lo; k <= hi; k++) {
      const v = vs[k] as number;
      if (Number.isNaN(v)) continue;
      count++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (count === 0) out[j] = NaN;
    else if (func === 'count_over_time') out[j] = count;
    else if (func === 'sum_over_time') out[j] = sum;
    else if (func === 'avg_over_time') out[j] = sum / count;
    else if (func === 'min_over_time') out[j] = min;
    else out[j] = max;
  }
  return out;
}

// ---- functions --------------------------------------------------------------------------------------------------

const MATH: Partial<Record<Call['func'], (v: number) => number>> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  sqrt: Math.sqrt,
  exp: Math.exp,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
};

function evaluateCall(call: Call, context: Context): Value {
  const { func, args } = call;
  switch (func) {
    case 'rate':
    case 'increase':
    case 'irate':
    case 'avg_over_time':
    case 'min_over_time':
    case 'max_over_time':
    case 'sum_over_time':
    case 'count_over_time':
      return { kind: 'vector', series: evaluateRangeFunction(func, args[0] as MatrixSelector, context) };
    case 'histogram_quantile':
      return { kind: 'vector', series: evaluateHistogramQuantile(scalarArg(args[0]!, context), vectorArg(args[1]!, context)) };
    case 'clamp':
    case 'clamp_min':
    case 'clamp_max': {
      const vector = vectorArg(args[0]!, context);
      const low = func === 'clamp_max' ? undefined : scalarArg(args[1]!, context);
      const high = func === 'clamp_min' ? undefined : scalarArg(args[func === 'clamp' ? 2 : 1]!, context);
      return {
        kind: 'vector',
        series: vector.map((s) => ({
          labels: withoutName(s.labels),
          values: s.values.map((v, j) => {
            const lo = low === undefined ? -Infinity : (low[j] as number);
            const hiValue = high === undefined ? Infinity : (high[j] as number);
            // Prometheus: clamp with min > max returns no sample.
            if (lo > hiValue) return NaN;
            return Math.max(lo, Math.min(hiValue, v));
          }),
        })),
      };
    }
    case 'time':
      return { kind: 'scalar', values: context.times.map((t) => t / 1000) };
    case 'vector':
      return { kind: 'vector', series: [{ labels: {}, values: scalarArg(args[0]!, context).slice() }] };
    case 'scalar': {
      const vector = vectorArg(args[0]!, context);
      const out = new Float64Array(context.times.length);
      for (let j = 0; j < out.length; j++) {
        let found = 0;
        let value = NaN;
        for (const s of vector) {
          const v = s.values[j] as number;
          if (!Number.isNaN(v)) {
            found++;
            value = v;
          }
        }
        out[j] = found === 1 ? value : NaN;
      }
      return { kind: 'scalar', values: out };
    }
    default: {
      const fn = MATH[func];
      if (fn === undefined) throw new SourceError('BAD_QUERY', `function ${func} is not supported`);
      return { kind: 'vector', series: vectorArg(args[0]!, context).map((s) => ({ labels: withoutName(s.labels), values: s.values.map(fn) })) };
    }
  }
}

function scalarArg(expr: Expr, context: Context): Float64Array {
  const value = evaluateNode(expr, context);
  if (value.kind !== 'scalar') throw new SourceError('BAD_QUERY', 'expected a scalar argument');
  return value.values;
}

function vectorArg(expr: Expr, context: Context): EvaluatedSeries[] {
  const value = evaluateNode(expr, context);
  if (value.kind !== 'vector') throw new SourceError('BAD_QUERY', 'expected an instant vector argument');
  return value.series;
}

function evaluateHistogramQuantile(q: Float64Array, vector: readonly EvaluatedSeries[]): EvaluatedSeries[] {
  // Group the bucket series by their labels without `le` and the metric name.
  const groups = new Map<string, { labels: Labels; buckets: Array<{ upperBound: number; values: Float64Array }> }>();
  for (const s of vector) {
    const le = s.labels.le;
    if (le === undefined) continue;
    const upperBound = parseBound(le);
    if (Number.isNaN(upperBound)) continue;
    const labels = withoutLabels(s.labels, ['le', '__name__']);
    const key = signature(labels);
    let group = groups.get(key);
    if (group === undefined) {
      group = { labels, buckets: [] };
      groups.set(key, group);
    }
    group.buckets.push({ upperBound, values: s.values });
  }
  const out: EvaluatedSeries[] = [];
  for (const group of groups.values()) {
    group.buckets.sort((a, b) => a.upperBound - b.upperBound);
    // One reusable bucket list per group: no allocation per point.
    const scratch = group.buckets.map((b) => ({ upperBound: b.upperBound, count: 0 }));
    const present: Array<{ upperBound: number; count: number }> = [];
    const values = new Float64Array(q.length);
    for (let j = 0; j < q.length; j++) {
      present.length = 0;
      let valid = true;
      for (let b = 0; b < group.buckets.length; b++) {
        const count = group.buckets[b]!.values[j] as number;
        if (Number.isNaN(count)) continue;
        // Bucket counts are rates or counts: a negative or infinite one (from arithmetic on them) has no quantile.
        if (!(count >= 0 && count < Infinity)) valid = false;
        const entry = scratch[b]!;
        entry.count = count;
        present.push(entry);
      }
      values[j] = present.length === 0 || !valid ? NaN : histogramQuantile(q[j] as number, present);
    }
    out.push({ labels: group.labels, values });
  }
  return out;
}

function parseBound(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '+Inf' || trimmed === 'Inf' || trimmed === '+inf' || trimmed === 'inf') return Infinity;
  if (trimmed === '') return NaN;
  return Number(trimmed);
}

// ---- aggregation ------------------------------------------------------------------------------------------------

function evaluateAggregate(aggregate: Aggregate, context: Context): Value {
  const input = vectorArg(aggregate.expr, context);
  const steps = context.times.length;
  const groups = new Map<string, { labels: Labels; sum: Float64Array; count: Float64Array; extreme: Float64Array }>();
  const grouping = aggregate.grouping;
  for (const s of input) {
    const labels =
      grouping === undefined ? {} : grouping.mode === 'by' ? pickLabels(s.labels, grouping.labels) : withoutLabels(s.labels, [...grouping.labels, '__name__']);
    const key = signature(labels);
    let group = groups.get(key);
    if (group === undefined) {
      group = {
        labels,
        sum: new Float64Array(steps),
        count: new Float64Array(steps),
        extreme: new Float64Array(steps).fill(aggregate.op === 'min' ? Infinity : -Infinity),
      };
      groups.set(key, group);
    }
    const { sum, count, extreme } = group;
    const values = s.values;
    // One tight loop per operator; NaN (no sample) is skipped by the comparisons below.
    if (aggregate.op === 'min') {
      for (let j = 0; j < steps; j++) {
        const v = values[j] as number;
        if (v === v) {
          count[j] = (count[j] as number) + 1;
          if (v < (extreme[j] as number)) extreme[j] = v;
        }
      }
    } else if (aggregate.op === 'max') {
      for (let j = 0; j < steps; j++) {
        const v = values[j] as number;
        if (v === v) {
          count[j] = (count[j] as number) + 1;
          if (v > (extreme[j] as number)) extreme[j] = v;
        }
      }
    } else {
      for (let j = 0; j < steps; j++) {
        const v = values[j] as number;
        if (v === v) {
          sum[j] = (sum[j] as number) + v;
          count[j] = (count[j] as number) + 1;
        }
      }
    }
  }
  const series: EvaluatedSeries[] = [];
  for (const group of groups.values()) {
    const values = new Float64Array(steps);
    for (let j = 0; j < steps; j++) {
      const n = group.count[j] as number;
      if (n === 0) values[j] = NaN;
      else if (aggregate.op === 'sum') values[j] = group.sum[j] as number;
      else if (aggregate.op === 'avg') values[j] = (group.sum[j] as number) / n;
      else if (aggregate.op === 'count') values[j] = n;
      else values[j] = group.extreme[j] as number;
    }
    series.push({ labels: group.labels, values });
  }
  return { kind: 'vector', series };
}

// ---- binary operators -------------------------------------------------------------------------------------------

const ARITHMETIC: Readonly<Record<string, (a: number, b: number) => number>> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
  '^': (a, b) => a ** b,
};
const COMPARISON: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '>': (a, b) => a > b,
  '<': (a, b) => a < b,
  '>=': (a, b) => a >= b,
  '<=': (a, b) => a <= b,
};

/** Applies `op` to one pair; `keep` is the value a filtering comparison keeps. NaN means no sample. */
function apply(op: Binary['op'], returnBool: boolean, a: number, b: number, keep: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  const arithmetic = ARITHMETIC[op];
  if (arithmetic !== undefined) return arithmetic(a, b);
  const result = COMPARISON[op]!(a, b);
  if (returnBool) return result ? 1 : 0;
  return result ? keep : NaN;
}

function evaluateBinary(binary: Binary, context: Context): Value {
  const lhs = evaluateNode(binary.lhs, context);
  const rhs = evaluateNode(binary.rhs, context);
  const { op, returnBool } = binary;
  const isComparison = COMPARISON[op] !== undefined;
  const dropName = !isComparison || returnBool;
  const steps = context.times.length;

  if (lhs.kind === 'scalar' && rhs.kind === 'scalar') {
    const values = new Float64Array(steps);
    for (let j = 0; j < steps; j++) values[j] = apply(op, true, lhs.values[j] as number, rhs.values[j] as number, 0);
    return { kind: 'scalar', values };
  }
  if (lhs.kind === 'vector' && rhs.kind === 'scalar') {
    return {
      kind: 'vector',
      series: lhs.series.map((s) => {
        const values = new Float64Array(steps);
        for (let j = 0; j < steps; j++) values[j] = apply(op, returnBool, s.values[j] as number, rhs.values[j] as number, s.values[j] as number);
        return { labels: dropName ? withoutName(s.labels) : s.labels, values };
      }),
    };
  }
  if (lhs.kind === 'scalar' && rhs.kind === 'vector') {
    return {
      kind: 'vector',
      series: rhs.series.map((s) => {
        const values = new Float64Array(steps);
        for (let j = 0; j < steps; j++) values[j] = apply(op, returnBool, lhs.values[j] as number, s.values[j] as number, s.values[j] as number);
        return { labels: dropName ? withoutName(s.labels) : s.labels, values };
      }),
    };
  }
  return { kind: 'vector', series: vectorBinary(binary, (lhs as Vector).series, (rhs as Vector).series, dropName, steps) };
}

function matchingLabels(binary: Binary, labels: Labels): Labels {
  const matching = binary.matching;
  if (matching === undefined) return withoutName(labels);
  return matching.mode === 'on' ? pickLabels(labels, matching.labels) : withoutLabels(labels, [...matching.labels, '__name__']);
}

/** One-to-one matching. Several series on one side with the same matching labels are merged when they never overlap. */
function vectorBinary(binary: Binary, lhs: readonly EvaluatedSeries[], rhs: readonly EvaluatedSeries[], dropName: boolean, steps: number): EvaluatedSeries[] {
  const side = (series: readonly EvaluatedSeries[], which: string) => {
    const map = new Map<string, EvaluatedSeries>();
    for (const s of series) {
      const key = signature(matchingLabels(binary, s.labels));
      const existing = map.get(key);
      if (existing === undefined) {
        map.set(key, s);
        continue;
      }
      const merged = existing.values.slice();
      for (let j = 0; j < steps; j++) {
        const v = s.values[j] as number;
        if (Number.isNaN(v)) continue;
        if (!Number.isNaN(merged[j] as number)) {
          throw new SourceError('BAD_QUERY', `many-to-many matching is not allowed: several series on the ${which} side match the labels ${key || '{}'}; use on(...)/ignoring(...) or aggregate first`);
        }
        merged[j] = v;
      }
      map.set(key, { labels: existing.labels, values: merged });
    }
    return map;
  };
  const left = side(lhs, 'left');
  const right = side(rhs, 'right');
  const out: EvaluatedSeries[] = [];
  for (const [key, l] of left) {
    const r = right.get(key);
    if (r === undefined) continue;
    const values = new Float64Array(steps);
    for (let j = 0; j < steps; j++) values[j] = apply(binary.op, binary.returnBool, l.values[j] as number, r.values[j] as number, l.values[j] as number);
    let labels = dropName ? withoutName(l.labels) : l.labels;
    if (binary.matching !== undefined) {
      labels = binary.matching.mode === 'on' ? pickLabels(labels, binary.matching.labels) : withoutLabels(labels, binary.matching.labels);
    }
    out.push({ labels, values });
  }
  return out;
}

// ---- labels -----------------------------------------------------------------------------------------------------

function withoutName(labels: Labels): Labels {
  if (!('__name__' in labels)) return labels;
  const { __name__: _dropped, ...rest } = labels;
  return rest;
}

function withoutLabels(labels: Labels, drop: readonly string[]): Labels {
  const out: Record<string, string> = {};
  for (const name in labels) if (!drop.includes(name)) out[name] = labels[name]!;
  return out;
}

function pickLabels(labels: Labels, keep: readonly string[]): Labels {
  const out: Record<string, string> = {};
  for (const name of keep) {
    const value = labels[name];
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}

/** A canonical string for a label set: sorted names, unambiguous separators. */
export function signature(labels: Labels): string {
  const names = Object.keys(labels).filter((n) => labels[n] !== '').sort(compareStrings);
  let out = '';
  for (const name of names) out += `${name}\u0000${labels[name]}\u0001`;
  return out;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function hasAnyValue(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i] as number)) return true;
  return false;
}

function assertUniqueLabelSets(series: readonly EvaluatedSeries[], what: string): void {
  const seen = new Set<string>();
  for (const s of series) {
    const key = signature(s.labels);
    if (seen.has(key)) throw new SourceError('BAD_QUERY', `${what} holds several series with the same labels ${JSON.stringify(s.labels)}; aggregate them or keep the metric name`);
    seen.add(key);
  }
}

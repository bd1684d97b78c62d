import { ValidationError, assertNumericArray } from '../errors';
import type { Labels, Series, TimeRange } from './types';

/** What `createSeries` accepts: plain arrays or typed arrays, copied into Float64Arrays. */
export interface SeriesInput {
  readonly name?: string;
  readonly labels?: Labels;
  /** Epoch milliseconds, finite and strictly ascending. */
  readonly timestamps: ArrayLike<number>;
  /** One value per timestamp; NaN marks a missing sample. Infinities are allowed. */
  readonly values: ArrayLike<number>;
}

/**
 * Builds a `Series` from plain or typed arrays, validating it and copying the data into fresh Float64Arrays (the
 * caller's arrays are never kept). Timestamps must be finite and strictly ascending; values may be NaN, which means
 * "no sample here".
 *
 * @throws ValidationError with a path such as `timestamps[3]` or `values` when the input is malformed.
 * @example
 * const cpu = createSeries({
 *   name: 'cpu',
 *   labels: { host: 'a' },
 *   timestamps: [0, 15_000, 30_000],
 *   values: [0.2, NaN, 0.4],
 * });
 * cpu.values instanceof Float64Array; // true
 */
export function createSeries(input: SeriesInput): Series {
  if (input === null || typeof input !== 'object') throw new ValidationError('series', 'an object with timestamps and values', input);
  assertNumericArray(input.timestamps, 'timestamps');
  assertNumericArray(input.values, 'values');
  if (input.name !== undefined && typeof input.name !== 'string') throw new ValidationError('name', 'a string', input.name);
  const labels = validateLabels(input.labels ?? {}, 'labels');
  const timestamps = Float64Array.from(input.timestamps);
  const values = Float64Array.from(input.values);
  checkColumns(timestamps, values, '');
  const series: { name?: string; labels: Labels; timestamps: Float64Array; values: Float64Array } = {
    labels: { ...labels },
    timestamps,
    values,
  };
  if (input.name !== undefined) series.name = input.name;
  return series;
}

/**
 * Checks that a value is a well-formed `Series`: Float64Array columns of equal length, finite strictly ascending
 * timestamps, string labels and an optional string name. Returns the series unchanged so it can be used inline.
 *
 * @param path - Prefix for error paths, such as `query.series[2]`.
 * @throws ValidationError naming the bad field, such as `series.timestamps[3]`.
 * @example
 * validateSeries(fromSomewhere, 'panel.series[0]'); // throws `panel.series[0].timestamps[3]: expected ...`
 */
export function validateSeries(series: Series, path = 'series'): Series {
  validateSeriesSpacing(series, path);
  return series;
}

/**
 * `validateSeries`, returning what `assertAscendingTimestamps` finds of the spacing of the timestamps in the same pass:
 * the first gap when no later gap is smaller (a regular grid, with or without missed scrapes), else 0. @internal
 */
export function validateSeriesSpacing(series: Series, path: string): number {
  if (series === null || typeof series !== 'object') throw new ValidationError(path, 'a series object', series);
  if (!(series.timestamps instanceof Float64Array)) throw new ValidationError(`${path}.timestamps`, 'a Float64Array', series.timestamps);
  if (!(series.values instanceof Float64Array)) throw new ValidationError(`${path}.values`, 'a Float64Array', series.values);
  if (series.name !== undefined && typeof series.name !== 'string') throw new ValidationError(`${path}.name`, 'a string', series.name);
  validateLabels(series.labels, `${path}.labels`);
  return checkColumns(series.timestamps, series.values, `${path}.`);
}

function validateLabels(labels: unknown, path: string): Labels {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) throw new ValidationError(path, 'an object of string label values', labels);
  for (const [key, value] of Object.entries(labels)) {
    if (typeof value !== 'string') throw new ValidationError(`${path}.${key}`, 'a string', value);
  }
  return labels as Labels;
}

function checkColumns(timestamps: Float64Array, values: Float64Array, prefix: string): number {
  if (timestamps.length !== values.length) {
    throw new ValidationError(`${prefix}values`, `an array of the same length as timestamps (${timestamps.length})`, values);
  }
  return assertAscendingTimestamps(timestamps, `${prefix}timestamps`);
}

/**
 * Throws unless every element is finite and strictly greater than the one before (at least the one before when not
 * `strict`). Shared by the series functions that take bare timestamp columns.
 *
 * Returns, for a strict Float64Array column, the first gap (`timestamps[1] - timestamps[0]`) when no later gap is
 * smaller, else 0 (and 0 for fewer than two timestamps or a column checked one by one): a lower bound on every gap,
 * found in the same pass, for callers that bound slopes between samples (the backtest's `rate` skip). Gaps are
 * compared as computed, so the bound holds to a relative 2^-52.
 * @internal
 */
export function assertAscendingTimestamps(timestamps: ArrayLike<number>, path: string, strict = true): number {
  // Fast path for the common case, a well-formed Float64Array: several neighbours per step, monomorphic, about 4× the
  // speed of the loop below, which runs only to name the first bad element. The part spaced at least the first gap
  // apart is ascending; the rest, if any, is checked from there.
  if (strict && timestamps instanceof Float64Array) {
    const spaced = spacedPrefix(timestamps);
    if (spaced === timestamps.length) return spaced > 1 ? (timestamps[1] as number) - (timestamps[0] as number) : 0;
    if (isStrictlyAscendingFinite(timestamps, spaced > 0 ? spaced - 1 : 0)) return 0;
  }
  let previous = -Infinity;
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i] as number;
    if (!Number.isFinite(t)) throw new ValidationError(`${path}[${i}]`, 'a finite epoch-millisecond timestamp', t);
    if (strict ? t <= previous : t < previous) {
      throw new ValidationError(`${path}[${i}]`, `a timestamp ${strict ? 'greater than' : 'at least'} the previous one (${previous})`, t);
    }
    previous = t;
  }
  return 0;
}

/**
 * How many leading timestamps are finite and at least the first gap (`timestamps[1] - timestamps[0]`, which must be
 * positive) above the one before: the index of the first that is not, or the length. Such timestamps are strictly
 * ascending. Eight neighbours per step (a tenth faster than four), about the cost of the plain ascending check.
 * Returns 0 for an empty column.
 */
function spacedPrefix(timestamps: Float64Array): number {
  const n = timestamps.length;
  if (n === 0) return 0;
  let previous = timestamps[0] as number;
  if (!(previous > -Infinity && previous < Infinity)) return 0;
  if (n === 1) return 1;
  const gap = (timestamps[1] as number) - previous;
  if (!(gap > 0)) return 1;
  let i = 0;
  for (; i + 8 < n; i += 8) {
    const a = timestamps[i + 1] as number;
    const b = timestamps[i + 2] as number;
    const c = timestamps[i + 3] as number;
    const d = timestamps[i + 4] as number;
    const e = timestamps[i + 5] as number;
    const f = timestamps[i + 6] as number;
    const g = timestamps[i + 7] as number;
    const h = timestamps[i + 8] as number;
    if (!(a - previous >= gap && b - a >= gap && c - b >= gap && d - c >= gap && e - d >= gap && f - e >= gap && g - f >= gap && h - g >= gap)) break;
    previous = h;
  }
  for (i++; i < n; i++) {
    const t = timestamps[i] as number;
    if (!(t - previous >= gap)) return i;
    previous = t;
  }
  // +Infinity passes the gap check only as the last timestamp.
  return previous < Infinity ? n : n - 1;
}

/**
 * Whether every element from `from` on is finite and above the one before (false for NaN, ±Infinity or any step not
 * upwards). Four neighbours per step: a third faster than one by one. @internal
 */
export function isStrictlyAscendingFinite(timestamps: Float64Array, from = 0): boolean {
  const n = timestamps.length;
  if (n <= from) return true;
  let previous = timestamps[from] as number;
  if (!(previous > -Infinity)) return false;
  let i = from;
  for (; i + 4 < n; i += 4) {
    const a = timestamps[i + 1] as number;
    const b = timestamps[i + 2] as number;
    const c = timestamps[i + 3] as number;
    const d = timestamps[i + 4] as number;
    if (!(a > previous && b > a && c > b && d > c)) return false;
    previous = d;
  }
  for (i++; i < n; i++) {
    const t = timestamps[i] as number;
    if (!(t > previous)) return false;
    previous = t;
  }
  return previous < Infinity;
}

/**
 * Throws unless `range` is `{ start, end }` with finite `start <= end`.
 * @internal
 */
export function assertTimeRange(range: TimeRange, path: string): void {
  if (range === null || typeof range !== 'object') throw new ValidationError(path, 'a time range { start, end }', range);
  if (typeof range.start !== 'number' || !Number.isFinite(range.start)) throw new ValidationError(`${path}.start`, 'a finite epoch-millisecond time', range.start);
  if (typeof range.end !== 'number' || !Number.isFinite(range.end)) throw new ValidationError(`${path}.end`, 'a finite epoch-millisecond time', range.end);
  if (range.end < range.start) throw new ValidationError(`${path}.end`, `a time at or after start (${range.start})`, range.end);
}

/** Copies name and labels from `source` onto a new series with the given columns. @internal */
export function deriveSeries(source: Series, timestamps: Float64Array, values: Float64Array): Series {
  return source.name === undefined
    ? { labels: source.labels, timestamps, values }
    : { name: source.name, labels: source.labels, timestamps, values };
}

import { ValidationError } from '@vigil/core';
import type { Series, TimeRange } from '@vigil/core';
import { downsampleM4, findIndexAtOrBefore } from '@vigil/core/series';

/** One series (or band edge) cut to the visible range and downsampled for drawing. */
export interface DrawnColumn {
  readonly timestamps: ArrayLike<number>;
  readonly values: ArrayLike<number>;
  /** Raw samples in the visible range (before downsampling). */
  readonly pointsInRange: number;
  /** Finite min, max and last value in the visible range (NaN when none); exact, M4 keeps extremes and ends. */
  readonly min: number;
  readonly max: number;
  readonly last: number;
}

/**
 * The key a series goes by in the legend and in `hiddenSeries`: its name, else its labels as `{a="b"}`, else
 * `series N` (1-based).
 *
 * @example
 * seriesKey({ name: 'p99', labels: {}, timestamps, values }, 0) // "p99"
 * seriesKey({ labels: { service: 'api' }, timestamps, values }, 2) // '{service="api"}'
 */
export function seriesKey(series: Series, index: number): string {
  if (series.name !== undefined && series.name !== '') return series.name;
  const entries = Object.entries(series.labels ?? {});
  if (entries.length > 0) return `{${entries.map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
  return `series ${index + 1}`;
}

/** Keys for every series, made unique by suffixing ` (2)`, ` (3)` on repeats. */
export function uniqueSeriesKeys(series: readonly Series[]): string[] {
  const seen = new Map<string, number>();
  return series.map((s, i) => {
    const key = seriesKey(s, i);
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    return count === 1 ? key : `${key} (${count})`;
  });
}

/**
 * Checks the shape of a series prop (cheap: lengths and types, not every timestamp).
 * Throws a ValidationError naming the bad field.
 */
export function validateChartSeries(series: unknown, path: string): asserts series is Series {
  if (typeof series !== 'object' || series === null) throw new ValidationError(path, 'a Series object', series);
  const { timestamps, values } = series as Partial<Series>;
  if (!(timestamps instanceof Float64Array)) throw new ValidationError(`${path}.timestamps`, 'a Float64Array', timestamps);
  if (!(values instanceof Float64Array)) throw new ValidationError(`${path}.values`, 'a Float64Array', values);
  if (values.length !== timestamps.length) throw new ValidationError(`${path}.values`, `length ${timestamps.length} (as timestamps)`, values);
}

/**
 * The time extent of the data: first to last timestamp over every series (null when all are empty). O(1) per
 * series, since timestamps ascend.
 *
 * @example
 * dataExtent([a, b]) // { start: min(a[0], b[0]), end: max(a[last], b[last]) }
 */
export function dataExtent(series: readonly Series[]): TimeRange | null {
  let start = Infinity;
  let end = -Infinity;
  for (const s of series) {
    const n = s.timestamps.length;
    if (n === 0) continue;
    start = Math.min(start, s.timestamps[0] as number);
    end = Math.max(end, s.timestamps[n - 1] as number);
  }
  return start <= end ? { start, end } : null;
}

function finiteStats(values: ArrayLike<number>): { min: number; max: number; last: number } {
  let min = Infinity;
  let max = -Infinity;
  let last = Number.NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v === v && v !== Infinity && v !== -Infinity) {
      if (v < min) min = v;
      if (v > max) max = v;
      last = v;
    }
  }
  return min <= max ? { min, max, last } : { min: Number.NaN, max: Number.NaN, last: Number.NaN };
}

/**
 * Cuts a series to `range` by binary search (keeping one sample either side so the line reaches the edges) and,
 * when there are more than 4 samples per pixel column, downsamples with M4 to at most 4 per column. Extremes, gaps
 * (NaN) and the first and last samples survive, so min/max/last of the result equal those of the raw slice.
 *
 * @example
 * const drawn = sliceAndDownsample(series, { start, end }, 800);
 * drawn.pointsInRange; // e.g. 1,000,000
 * drawn.timestamps.length; // <= 3,200 (+2 edge samples)
 */
export function sliceAndDownsample(series: Series, range: TimeRange, pixels: number): DrawnColumn {
  const { timestamps, values } = series;
  const n = timestamps.length;
  const before = findIndexAtOrBefore(timestamps, range.start);
  const from = Math.max(0, before);
  const lastIn = findIndexAtOrBefore(timestamps, range.end);
  const to = Math.min(n, lastIn + 2);
  const ts = timestamps.subarray(from, Math.max(from, to));
  const vs = values.subarray(from, Math.max(from, to));
  const firstIn = before >= 0 && (timestamps[before] as number) < range.start ? before + 1 : Math.max(0, before);
  const pointsInRange = Math.max(0, lastIn - firstIn + 1);
  const columns = Math.max(1, Math.round(pixels));
  if (ts.length <= columns * 4) {
    return { timestamps: ts, values: vs, pointsInRange, ...finiteStats(inRangeValues(ts, vs, range)) };
  }
  // M4 leaves out samples outside [start, end]: run it on the samples inside, then put back the edge samples.
  const inside = timestamps.subarray(firstIn, Math.max(firstIn, lastIn + 1));
  const reduced = downsampleM4(inside, values.subarray(firstIn, firstIn + inside.length), { start: range.start, end: range.end, pixels: columns });
  const stats = finiteStats(reduced.values);
  const head = firstIn > from ? 1 : 0;
  const tail = to > lastIn + 1 ? 1 : 0;
  if (head + tail === 0) return { timestamps: reduced.timestamps, values: reduced.values, pointsInRange, ...stats };
  const length = reduced.timestamps.length + head + tail;
  const outT = new Float64Array(length);
  const outV = new Float64Array(length);
  if (head === 1) {
    outT[0] = timestamps[from] as number;
    outV[0] = values[from] as number;
  }
  outT.set(reduced.timestamps, head);
  outV.set(reduced.values, head);
  if (tail === 1) {
    outT[length - 1] = timestamps[lastIn + 1] as number;
    outV[length - 1] = values[lastIn + 1] as number;
  }
  return { timestamps: outT, values: outV, pointsInRange, ...stats };
}

/** The values whose timestamps fall inside `range` (a subarray view when possible). */
function inRangeValues(ts: ArrayLike<number>, vs: ArrayLike<number>, range: TimeRange): ArrayLike<number> {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi && (ts[lo] as number) < range.start) lo++;
  while (hi > lo && (ts[hi - 1] as number) > range.end) hi--;
  return vs instanceof Float64Array ? vs.subarray(lo, hi) : Array.prototype.slice.call(vs, lo, hi);
}

const cache = /* @__PURE__ */ new WeakMap<Series, { start: number; end: number; pixels: number; column: DrawnColumn }>();

/**
 * `sliceAndDownsample`, memoised per series object: the last (range, pixels) result is kept, so a crosshair move,
 * a legend toggle of another series or a theme change never downsamples again.
 */
export function sliceAndDownsampleCached(series: Series, range: TimeRange, pixels: number): DrawnColumn {
  const hit = cache.get(series);
  if (hit !== undefined && hit.start === range.start && hit.end === range.end && hit.pixels === pixels) return hit.column;
  const column = sliceAndDownsample(series, range, pixels);
  cache.set(series, { start: range.start, end: range.end, pixels, column });
  return column;
}

/**
 * The y-domain to draw: the finite min/max of the visible data and thresholds, including zero when everything is
 * non-negative, padded when flat. Falls back to [0, 1] with no data.
 *
 * @example
 * autoYDomain([{ min: 5, max: 20 }], []) // [0, 20]
 * autoYDomain([{ min: -3, max: 2 }], [10]) // [-3, 10]
 */
export function autoYDomain(columns: readonly { min: number; max: number }[], extraValues: readonly number[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const c of columns) {
    if (c.min === c.min) min = Math.min(min, c.min);
    if (c.max === c.max) max = Math.max(max, c.max);
  }
  for (const v of extraValues) {
    if (Number.isFinite(v)) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  if (!(min <= max)) return [0, 1];
  if (min >= 0) min = 0;
  if (min === max) {
    const pad = max === 0 ? 1 : Math.abs(max) * 0.1;
    return [min - (min === 0 ? 0 : pad), max + pad];
  }
  return [min, max];
}

/**
 * The sample of `series` nearest to `time` (ties go to the earlier one), or -1 for an empty series.
 *
 * @example
 * nearestIndex(Float64Array.of(0, 10, 20), 14) // 1
 */
export function nearestIndex(timestamps: Float64Array, time: number): number {
  const n = timestamps.length;
  if (n === 0) return -1;
  const i = findIndexAtOrBefore(timestamps, time);
  if (i < 0) return 0;
  if (i >= n - 1) return n - 1;
  return time - (timestamps[i] as number) <= (timestamps[i + 1] as number) - time ? i : i + 1;
}

import { histogramQuantile } from '@vigil/core/percentile';
import type { HistogramBucket } from '@vigil/core/percentile';
import type { Series } from '@vigil/core';

function withName(series: Omit<Series, 'name'>, name: string | undefined): Series {
  return name === undefined ? series : { ...series, name };
}

/** A copy of `series` with every value multiplied by `factor` (seconds to ms, ratio to percent). */
export function scaleSeries(series: Series, factor: number, name?: string): Series {
  const values = new Float64Array(series.values.length);
  for (let index = 0; index < values.length; index++) values[index] = series.values[index]! * factor;
  return withName({ labels: series.labels, timestamps: series.timestamps, values }, name ?? series.name);
}

/** `1 - value` at every point (error ratio to availability). */
export function complement(series: Series, name?: string): Series {
  const values = new Float64Array(series.values.length);
  for (let index = 0; index < values.length; index++) values[index] = 1 - series.values[index]!;
  return withName({ labels: series.labels, timestamps: series.timestamps, values }, name);
}

/** Values of `series` on `timestamps` (NaN where it has no sample). */
function valuesOn(series: Series, timestamps: Float64Array): Float64Array {
  const out = new Float64Array(timestamps.length).fill(Number.NaN);
  if (series.timestamps.length === timestamps.length && series.timestamps.every((time, index) => time === timestamps[index])) {
    out.set(series.values);
    return out;
  }
  const position = new Map<number, number>();
  timestamps.forEach((time, index) => position.set(time, index));
  for (let index = 0; index < series.timestamps.length; index++) {
    const at = position.get(series.timestamps[index]!);
    if (at !== undefined) out[at] = series.values[index]!;
  }
  return out;
}

/** The union of the series' timestamps, ascending. */
function unionTimestamps(series: readonly Series[]): Float64Array {
  if (series.length === 1) return series[0]!.timestamps;
  const all = new Set<number>();
  for (const entry of series) for (const time of entry.timestamps) all.add(time);
  return Float64Array.from([...all].sort((a, b) => a - b));
}

/** Pointwise sum over series (missing samples skipped; NaN where no series has a sample). */
export function sumSeries(series: readonly Series[], name?: string): Series | undefined {
  if (series.length === 0) return undefined;
  const timestamps = unionTimestamps(series);
  const values = new Float64Array(timestamps.length).fill(Number.NaN);
  for (const entry of series) {
    const aligned = valuesOn(entry, timestamps);
    for (let index = 0; index < values.length; index++) {
      const value = aligned[index]!;
      if (Number.isNaN(value)) continue;
      values[index] = Number.isNaN(values[index]!) ? value : values[index]! + value;
    }
  }
  return withName({ labels: {}, timestamps, values }, name);
}

/** Pointwise `numerator / denominator` on the denominator's timestamps; NaN where the denominator is 0 or missing. */
export function divideSeries(numerator: Series | undefined, denominator: Series, name?: string): Series {
  const top = numerator === undefined ? new Float64Array(denominator.timestamps.length) : valuesOn(numerator, denominator.timestamps);
  const values = new Float64Array(denominator.values.length);
  for (let index = 0; index < values.length; index++) {
    const below = denominator.values[index]!;
    // A missing numerator over a real denominator is zero errors, not a gap.
    const above = Number.isNaN(top[index]!) ? 0 : top[index]!;
    values[index] = below > 0 ? above / below : Number.NaN;
  }
  return withName({ labels: denominator.labels, timestamps: denominator.timestamps, values }, name);
}

/** Divides series by series with the same `service` label (error ratio per service), named by service. */
export function ratioByService(numerators: readonly Series[], denominators: readonly Series[]): Series[] {
  const bySevice = new Map(numerators.map((entry) => [entry.labels['service'], entry]));
  return nameByService(denominators.map((denominator) => divideSeries(bySevice.get(denominator.labels['service']), denominator)));
}

/**
 * Quantile series from cumulative histogram bucket series (one per `le` label), with Prometheus
 * `histogram_quantile` semantics from `@vigil/core/percentile`.
 */
export function quantileSeries(buckets: readonly Series[], q: number, name: string): Series | undefined {
  const bounded = buckets
    .map((series) => ({ series, upperBound: series.labels['le'] === '+Inf' ? Number.POSITIVE_INFINITY : Number(series.labels['le']) }))
    .filter((entry) => !Number.isNaN(entry.upperBound))
    .sort((a, b) => a.upperBound - b.upperBound);
  if (bounded.length === 0) return undefined;
  const timestamps = unionTimestamps(bounded.map((entry) => entry.series));
  const columns = bounded.map((entry) => valuesOn(entry.series, timestamps));
  const values = new Float64Array(timestamps.length);
  const scratch: HistogramBucket[] = bounded.map((entry) => ({ upperBound: entry.upperBound, count: 0 }));
  for (let index = 0; index < timestamps.length; index++) {
    let complete = true;
    for (let bucket = 0; bucket < bounded.length; bucket++) {
      const count = columns[bucket]![index]!;
      if (Number.isNaN(count)) complete = false;
      scratch[bucket] = { upperBound: bounded[bucket]!.upperBound, count };
    }
    values[index] = complete ? histogramQuantile(q, scratch) : Number.NaN;
  }
  return { name, labels: {}, timestamps, values };
}

/** The last finite value, or undefined when there is none. */
export function lastValue(series: Series | undefined): number | undefined {
  if (series === undefined) return undefined;
  for (let index = series.values.length - 1; index >= 0; index--) {
    const value = series.values[index]!;
    if (Number.isFinite(value)) return value;
  }
  return undefined;
}

/** The last timestamp, or undefined for an empty series. */
export function lastTimestamp(series: Series | undefined): number | undefined {
  if (series === undefined || series.timestamps.length === 0) return undefined;
  return series.timestamps[series.timestamps.length - 1];
}

/** Σ numerator / Σ denominator over the points where the denominator is finite (a window-weighted ratio). */
export function ratioOfSums(numerator: Series | undefined, denominator: Series | undefined): number | undefined {
  if (denominator === undefined) return undefined;
  const top = numerator === undefined ? new Float64Array(denominator.timestamps.length) : valuesOn(numerator, denominator.timestamps);
  let above = 0;
  let below = 0;
  for (let index = 0; index < denominator.values.length; index++) {
    const bottom = denominator.values[index]!;
    if (!Number.isFinite(bottom)) continue;
    below += bottom;
    if (Number.isFinite(top[index]!)) above += top[index]!;
  }
  return below > 0 ? above / below : undefined;
}

/** Names each series after its service label (the chart legend shows the name), sorted by name. */
export function nameByService(series: readonly Series[]): Series[] {
  return series.map((entry) => ({ ...entry, name: entry.labels['service'] ?? entry.name ?? 'unknown' })).sort((a, b) => a.name.localeCompare(b.name));
}

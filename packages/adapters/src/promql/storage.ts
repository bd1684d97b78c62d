import { ValidationError } from '@vigil/core';
import type { Labels } from '@vigil/core';
import type { LabelMatcher } from './ast';
import { compileMatchers } from './matchers';

/** One stored series: labels (including `__name__`) and its raw samples, ascending in time. */
export interface StoredSeries {
  readonly labels: Labels;
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
}

/**
 * What the evaluator asks a storage for. At each evaluation time `T` in `start, start + stepMs, ... <= end` it needs
 * the samples with `T - windowMs < t <= T` (offsets are already applied). A storage may return exactly those, or any
 * superset within `(start - windowMs, end]`, ascending in time.
 */
export interface SelectRequest {
  readonly start: number;
  readonly end: number;
  readonly stepMs: number;
  readonly windowMs: number;
  /** Most samples the whole query may load; a storage may fail early with `BAD_QUERY` when it would exceed this. */
  readonly maxSamples: number;
}

/**
 * Where the evaluator reads raw samples from. The simulated source implements it; tests implement it over a small
 * hand-made dataset (`createMemoryStorage`), and the same interface lets a test load one dataset into a real
 * Prometheus and compare answers.
 */
export interface SeriesStorage {
  /** Every series matching all the matchers, with the samples the request needs. */
  select(matchers: readonly LabelMatcher[], request: SelectRequest): readonly StoredSeries[];
}

/** A series for `createMemoryStorage`: plain or typed arrays. */
export interface MemorySeriesInput {
  /** Labels including `__name__`. */
  readonly labels: Labels;
  readonly timestamps: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

/**
 * An in-memory `SeriesStorage` over a fixed list of series, for tests and small embedded datasets.
 *
 * @example
 * const storage = createMemoryStorage([
 *   { labels: { __name__: 'requests_total', job: 'api' }, timestamps: [0, 15_000], values: [0, 30] },
 * ]);
 * evaluate(parsePromQL('rate(requests_total[1m])'), storage, { start: 15_000, end: 15_000, stepMs: 1000 });
 */
export function createMemoryStorage(series: readonly MemorySeriesInput[]): SeriesStorage {
  if (!Array.isArray(series)) throw new ValidationError('series', 'an array of series', series);
  const stored: StoredSeries[] = series.map((input, i) => {
    if (input === null || typeof input !== 'object' || input.labels === null || typeof input.labels !== 'object') throw new ValidationError(`series[${i}]`, 'a series with labels', input);
    if (typeof input.labels.__name__ !== 'string') throw new ValidationError(`series[${i}].labels.__name__`, 'a metric name', input.labels.__name__);
    const timestamps = Float64Array.from(input.timestamps);
    const values = Float64Array.from(input.values);
    if (timestamps.length !== values.length) throw new ValidationError(`series[${i}].values`, `${timestamps.length} values`, values);
    for (let j = 1; j < timestamps.length; j++) {
      if (!((timestamps[j] as number) > (timestamps[j - 1] as number))) throw new ValidationError(`series[${i}].timestamps[${j}]`, 'strictly ascending timestamps', timestamps[j]);
    }
    return { labels: { ...input.labels }, timestamps, values };
  });
  return {
    select(matchers) {
      const matches = compileMatchers(matchers);
      return stored.filter((s) => matches(s.labels));
    },
  };
}

/** Label names to label values, as Prometheus and OpenTelemetry have them. */
export type Labels = Readonly<Record<string, string>>;

/**
 * A time series in columnar form: `timestamps[i]` (epoch milliseconds, ascending) goes with `values[i]`.
 * A missing sample is NaN in `values`. Both arrays have the same length.
 */
export interface Series {
  /** Display name; when absent, components derive one from the labels. */
  readonly name?: string;
  readonly labels: Labels;
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
}

/** A closed time range in epoch milliseconds, `start <= end`. */
export interface TimeRange {
  readonly start: number;
  readonly end: number;
}

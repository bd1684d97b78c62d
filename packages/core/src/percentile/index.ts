/**
 * Percentiles: exact quantiles, the DDSketch relative-error sketch, and Prometheus histogram quantiles
 * (classic `histogram_quantile` / `histogram_fraction` and native exponential histograms).
 */
export { quantile, quantiles } from './exact';
export type { QuantileMethod, QuantileOptions } from './exact';
export { histogramQuantile, histogramFraction } from './prometheus';
export type { HistogramBucket } from './prometheus';
export { nativeHistogramQuantile, nativeHistogramFraction, nativeHistogramBuckets, nativeBucketUpperBound } from './native-histogram';
export type { NativeHistogram, NativeHistogramSpan, NativeHistogramBucket } from './native-histogram';
export { DDSketch } from './ddsketch';
export type { DDSketchOptions, DDSketchJSON } from './ddsketch';

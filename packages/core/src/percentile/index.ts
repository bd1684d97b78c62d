/**
 * Percentiles: exact quantiles, the DDSketch relative-error sketch, and Prometheus histogram quantiles
 * (classic `histogram_quantile` / `histogram_fraction` and native exponential histograms).
 */
export { quantile, quantiles } from './exact';
export type { QuantileMethod, QuantileOptions } from './exact';

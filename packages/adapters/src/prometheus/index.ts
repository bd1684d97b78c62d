export { createPrometheusSource, alignRange } from './source';
export type { PrometheusSource, PrometheusMatch, PrometheusLabelQuery, PrometheusSeriesQuery } from './source';
export type { PrometheusSourceOptions } from './options';
export type { PrometheusSeries, PrometheusInstantSample, NativeHistogramSample, BucketSpan } from './parse';
export { parseMatrix, parseInstant, parseNativeHistogram, parseSampleValue } from './parse';
export { formatSeriesMatcher, isLabelName, isMetricName } from './selector';
export type { SeriesMatcher } from './selector';

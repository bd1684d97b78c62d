/**
 * Forecasting: Holt-Winters with prediction intervals, robust Theil–Sen trends, and "time until threshold" with
 * an interval (capacity planning, error-budget exhaustion). The numeric core lives in `@vigil/core/stats`, which
 * the SLO and cost engines import directly.
 */
export { holtWintersForecast } from './holt-winters';
export type { HoltWintersForecast, HoltWintersForecastOptions } from './holt-winters';
export { forecastTimeUntilThreshold } from './threshold';
export type { ForecastCrossing, ForecastCrossingOptions } from './threshold';
export { theilSenTrend } from './trend';
export type { SeriesTrend } from './trend';
export { theilSen, timeUntilThreshold, fitHoltWinters, holtWintersPredict, detectPeriod } from '../stats';
export type { TheilSenFit, ThresholdCrossing, TimeUntilThresholdOptions, CrossingDirection, HoltWintersParameters, Seasonality } from '../stats';

/**
 * Shared numeric building blocks for the engines (anomaly detection, forecasting, SLO and cost projections):
 * normal and Student-t distributions, binomial intervals (Wilson, Newcombe), a seeded PRNG, bootstraps, Holm's
 * correction, online and robust statistics, regression, Theil–Sen trend with time until a threshold,
 * autocorrelation and period detection, and the Holt-Winters recursions.
 */
export { erf, erfc, normalCdf, normalSurvival, normalQuantile, normalCriticalValue } from './normal';
export { RunningStats, exponentialMovingUpdate } from './online';
export type { RunningStatsJSON } from './online';
export { median, medianAbsoluteDeviation, sortedMedian, sortedMadAround, MAD_NORMAL_SCALE } from './robust';
export { linearRegression } from './regression';
export type { LinearFit } from './regression';
export { theilSen } from './theil-sen';
export type { TheilSenFit, TheilSenOptions } from './theil-sen';
export { timeUntilThreshold } from './threshold';
export type { ThresholdCrossing, TimeUntilThresholdOptions, CrossingDirection } from './threshold';
export { autocorrelation, detectPeriod } from './periodicity';
export type { DetectPeriodOptions, DetectedPeriod } from './periodicity';
export {
  initializeHoltWinters,
  holtWintersPredict,
  holtWintersUpdate,
  forecastVarianceFactor,
  fitHoltWinters,
  validateHoltWintersParameters,
} from './holt-winters';
export type { Seasonality, HoltWintersParameters, HoltWintersState, HoltWintersFit, FitHoltWintersOptions } from './holt-winters';
export { logGamma } from './special';
export { regularizedIncompleteBeta, studentTCdf, studentTQuantile } from './student-t';
export { wilsonInterval, newcombeInterval, newcombeNonInferiorityPValue } from './proportions';
export type { Interval } from './proportions';
export { seededRandom } from './random';
export {
  bootstrapReplicates,
  bootstrapQuantileRatio,
  bootstrapMeanRatio,
  pairedBootstrapMeanDifference,
  percentileInterval,
  replicateRatioInterval,
  sortedQuantile,
} from './bootstrap';
export type { BootstrapEstimate, BootstrapOptions } from './bootstrap';
export { holmAdjust } from './multiple-testing';

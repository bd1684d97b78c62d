/**
 * Anomaly detection: streaming detectors that see one point at a time (rolling z-score, robust z-score, EWMA,
 * seasonal Holt-Winters, CUSUM, Bayesian online change points, and an ensemble likelihood), each able to explain
 * its flags and to be persisted with `snapshot()` and restored; plus batch runs over columnar series.
 */
export type { DetectorKind, AnomalyDirection, AnomalyExplanation, StreamingDetector, DetectorSnapshot } from './types';
export { RollingZScoreDetector } from './zscore';
export type { RollingZScoreOptions } from './zscore';
export { RobustZScoreDetector } from './robust';
export type { RobustZScoreOptions } from './robust';
export { EwmaDetector } from './ewma';
export type { EwmaOptions } from './ewma';
export { SeasonalDetector } from './seasonal';
export type { SeasonalOptions } from './seasonal';
export { CusumDetector } from './cusum';
export type { CusumOptions } from './cusum';
export { BocpdDetector } from './bocpd';
export type { BocpdOptions } from './bocpd';
export { EnsembleDetector } from './ensemble';
export type { EnsembleOptions } from './ensemble';
export { createDetector, restoreDetector, runDetector, detectAnomalies } from './batch';
export type { DetectorOptionsByKind, DetectionResult, DetectAnomaliesOptions } from './batch';

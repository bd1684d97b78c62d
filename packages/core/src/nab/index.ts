/**
 * Judging anomaly detectors: the Numenta Anomaly Benchmark scoring method and a seeded generator of labelled
 * series. Independent of the detectors themselves: it scores any array of numbers.
 */
export {
  NAB_PROFILES,
  NAB_PROBATION_FRACTION,
  NAB_WINDOW_FRACTION,
  probationaryLength,
  scaledSigmoid,
  nabWindows,
  nabRowScores,
  nabThresholdSweep,
  nabScore,
} from './scoring';
export type { NabProfile, NabProfileName, NabWindow, NabFile, NabRows, NabThresholdScore, NabProfileResult } from './scoring';
export { generateLabelledCorpus, SeededRandom } from './corpus';
export type { LabelledSeries, LabelledCorpusOptions, AnomalyKind, BasePattern, Nuisance } from './corpus';

/**
 * The statistics the cost engine uses. They are general, so they live in the shared `stats/` layer (Student-t,
 * Wilson and Newcombe intervals, the seeded PRNG, bootstrap helpers, Holm's correction); this module re-exports
 * them so `@vigil/core/cost` keeps exporting the same names.
 */
export { studentTCdf, studentTQuantile } from '../stats/student-t';
export { newcombeInterval, newcombeNonInferiorityPValue, wilsonInterval } from '../stats/proportions';
export type { Interval } from '../stats/proportions';
export { seededRandom } from '../stats/random';
export { bootstrapMeanRatio, bootstrapQuantileRatio, bootstrapReplicates, pairedBootstrapMeanDifference, percentileInterval, replicateRatioInterval, sortedQuantile } from '../stats/bootstrap';
export type { BootstrapEstimate, BootstrapOptions } from '../stats/bootstrap';
export { holmAdjust } from '../stats/multiple-testing';

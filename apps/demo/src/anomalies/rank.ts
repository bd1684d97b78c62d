import type { AnomalyDirection, AnomalyExplanation, DetectionResult } from '@vigil/core/anomaly';

/** What changed on one metric: its strongest episode of flags. */
export interface Finding {
  readonly key: string;
  /** Flags in the whole window. */
  readonly flagCount: number;
  /** Highest likelihood in the strongest episode. */
  readonly peakLikelihood: number;
  /** First flag of the strongest episode: when the change started. */
  readonly startedAt: number;
  /** The flag with the highest likelihood, and its position in `result.anomalies`. */
  readonly peak: AnomalyExplanation;
  readonly peakIndex: number;
  /** (value - expected) / |expected| at the peak; NaN when nothing was expected. */
  readonly relativeChange: number;
  readonly direction: AnomalyDirection;
}

/** Median spacing of a series' timestamps. */
function medianStep(timestamps: Float64Array): number {
  const diffs: number[] = [];
  for (let i = 1; i < timestamps.length; i++) diffs.push((timestamps[i] as number) - (timestamps[i - 1] as number));
  diffs.sort((a, b) => a - b);
  return diffs[diffs.length >> 1] ?? 1;
}

/**
 * The strongest episode of a detection: flags closer than `gapSteps` steps belong to one episode; the episode with
 * the highest likelihood wins (the later one on ties, since recent changes matter more). Null without flags.
 */
export function strongestEpisode(key: string, result: DetectionResult, gapSteps = 6): Finding | null {
  const { anomalies } = result;
  if (anomalies.length === 0) return null;
  const gap = gapSteps * medianStep(result.timestamps);
  let best: { start: number; peak: number } | null = null;
  let start = 0;
  let peak = 0;
  for (let i = 0; i < anomalies.length; i++) {
    const a = anomalies[i] as AnomalyExplanation;
    if (i > 0 && a.timestamp - (anomalies[i - 1] as AnomalyExplanation).timestamp > gap) {
      start = i;
      peak = i;
    }
    if (a.likelihood >= (anomalies[peak] as AnomalyExplanation).likelihood) peak = i;
    if (best === null || (anomalies[peak] as AnomalyExplanation).likelihood >= (anomalies[best.peak] as AnomalyExplanation).likelihood) best = { start, peak };
  }
  const chosen = best as { start: number; peak: number };
  const p = anomalies[chosen.peak] as AnomalyExplanation;
  const relativeChange = Number.isFinite(p.expected) && p.expected !== 0 ? (p.value - p.expected) / Math.abs(p.expected) : Number.NaN;
  return { key, flagCount: anomalies.length, peakLikelihood: p.likelihood, startedAt: (anomalies[chosen.start] as AnomalyExplanation).timestamp, peak: p, peakIndex: chosen.peak, relativeChange, direction: p.direction };
}

/** Findings ranked by peak likelihood, then by the size of the change. */
export function rankFindings(results: ReadonlyMap<string, DetectionResult>): Finding[] {
  const findings: Finding[] = [];
  for (const [key, result] of results) {
    const finding = strongestEpisode(key, result);
    if (finding !== null) findings.push(finding);
  }
  const size = (f: Finding) => (Number.isFinite(f.relativeChange) ? Math.abs(f.relativeChange) : 0);
  return findings.sort((a, b) => b.peakLikelihood - a.peakLikelihood || size(b) - size(a) || a.key.localeCompare(b.key));
}

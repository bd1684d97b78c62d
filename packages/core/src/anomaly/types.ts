/** The detectors this engine ships, as they appear in explanations and snapshots. */
export type DetectorKind = 'zscore' | 'robust-zscore' | 'ewma' | 'seasonal' | 'cusum' | 'bocpd' | 'ensemble' | 'windowed-gaussian';

/** Which way a flagged point departs from what was expected. */
export type AnomalyDirection = 'above' | 'below' | 'change';

/**
 * Why a point was (or was not) flagged, in the detector's own terms. Every flag carries one, so a chart can show
 * the expected value and band, and a notification can say "p95 latency 870 ms, expected 240 ms (band 180–300 ms),
 * 6.1σ above, robust z-score".
 */
export interface AnomalyExplanation {
  readonly detector: DetectorKind;
  /** Epoch milliseconds of the point. */
  readonly timestamp: number;
  /** Position of the point in the detector's stream (0-based count of updates, missing points included). */
  readonly index: number;
  readonly value: number;
  /** What the detector expected at this point (NaN only before the detector has seen any value). */
  readonly expected: number;
  /** The band of normal values; a point outside it is flagged (for change detectors: the values that would not tip the alarm now). */
  readonly lower: number;
  readonly upper: number;
  /** Detector-specific score: standard deviations for z-score, EWMA and seasonal; cumulative σ for CUSUM; probability for BOCPD and the ensemble. */
  readonly score: number;
  /** The score mapped to [0, 1]: how unusual the point is (0 normal, 1 certainly anomalous). */
  readonly likelihood: number;
  /** The score at or above which the detector flags. */
  readonly threshold: number;
  readonly isAnomaly: boolean;
  readonly direction: AnomalyDirection;
  /** A sentence a person can read. */
  readonly reason: string;
  /** For the ensemble: the members' own explanations of this point. */
  readonly contributors?: readonly AnomalyExplanation[];
}

/**
 * A detector that sees one point at a time, keeps bounded memory, and can be persisted.
 *
 * `update` returns the point's score and leaves the details in the read-only fields, so a hot loop allocates
 * nothing; `explain()` builds the explanation object for the last point on demand.
 */
export interface StreamingDetector {
  readonly kind: DetectorKind;
  /**
   * Feeds one point and returns its score (finite, >= 0; 0 for a missing value or during warm-up).
   * A NaN or infinite value counts as missing. Timestamps must not decrease.
   *
   * @throws ValidationError for a non-finite or decreasing timestamp.
   */
  update(timestamp: number, value: number): number;
  /** Score of the last point. */
  readonly score: number;
  /** Expected value at the last point. */
  readonly expected: number;
  readonly lower: number;
  readonly upper: number;
  /** Whether the last point was flagged. */
  readonly isAnomaly: boolean;
  /** The last point's score mapped to [0, 1]. */
  readonly likelihood: number;
  /** Points seen, missing ones included. */
  readonly count: number;
  /** The explanation of the last point. */
  explain(): AnomalyExplanation;
  /** A JSON-safe copy of the whole state; `restoreDetector` rebuilds an equivalent detector. */
  snapshot(): DetectorSnapshot;
  /** Forgets everything seen (options are kept). */
  reset(): void;
}

/** The JSON-safe persisted form of any detector. */
export interface DetectorSnapshot {
  readonly kind: DetectorKind;
  readonly version: 1;
  readonly options: Readonly<Record<string, unknown>>;
  readonly state: Readonly<Record<string, unknown>>;
}

import { ValidationError } from '../errors';
import { validateSeries } from '../series/create';
import type { Series } from '../series/types';
import { asRecord } from './base';
import { BocpdDetector } from './bocpd';
import type { BocpdOptions } from './bocpd';
import { CusumDetector } from './cusum';
import type { CusumOptions } from './cusum';
import { EnsembleDetector } from './ensemble';
import type { EnsembleOptions } from './ensemble';
import { EwmaDetector } from './ewma';
import type { EwmaOptions } from './ewma';
import { RobustZScoreDetector } from './robust';
import type { RobustZScoreOptions } from './robust';
import { SeasonalDetector } from './seasonal';
import type { SeasonalOptions } from './seasonal';
import type { AnomalyExplanation, DetectorKind, StreamingDetector } from './types';
import { RollingZScoreDetector } from './zscore';
import type { RollingZScoreOptions } from './zscore';

/** The options each detector kind accepts. */
export interface DetectorOptionsByKind {
  zscore: RollingZScoreOptions;
  'robust-zscore': RobustZScoreOptions;
  ewma: EwmaOptions;
  seasonal: SeasonalOptions;
  cusum: CusumOptions;
  bocpd: BocpdOptions;
  ensemble: EnsembleOptions;
}

const KINDS = ['zscore', 'robust-zscore', 'ewma', 'seasonal', 'cusum', 'bocpd', 'ensemble'] as const;

/**
 * Makes a streaming detector by name.
 *
 * @throws ValidationError for an unknown kind or bad options.
 * @example
 * const d = createDetector('robust-zscore', { window: 60 });
 */
export function createDetector<K extends keyof DetectorOptionsByKind>(kind: K, options?: DetectorOptionsByKind[K]): StreamingDetector {
  switch (kind) {
    case 'zscore':
      return new RollingZScoreDetector(options as RollingZScoreOptions);
    case 'robust-zscore':
      return new RobustZScoreDetector(options as RobustZScoreOptions);
    case 'ewma':
      return new EwmaDetector(options as EwmaOptions);
    case 'seasonal':
      return new SeasonalDetector(options as SeasonalOptions);
    case 'cusum':
      return new CusumDetector(options as CusumOptions);
    case 'bocpd':
      return new BocpdDetector(options as BocpdOptions);
    case 'ensemble':
      return new EnsembleDetector(options as EnsembleOptions);
    default:
      throw new ValidationError('kind', `one of ${KINDS.join(', ')}`, kind);
  }
}

/**
 * Rebuilds any detector from its `snapshot()` (for instance after `JSON.parse`), checking every field.
 *
 * @throws ValidationError when the snapshot is malformed or of an unknown kind.
 * @example
 * const saved = JSON.stringify(detector.snapshot());
 * const again = restoreDetector(JSON.parse(saved)); // continues exactly where `detector` was
 */
export function restoreDetector(snapshot: unknown): StreamingDetector {
  const kind = asRecord(snapshot, 'snapshot').kind;
  switch (kind) {
    case 'zscore':
      return RollingZScoreDetector.restore(snapshot);
    case 'robust-zscore':
      return RobustZScoreDetector.restore(snapshot);
    case 'ewma':
      return EwmaDetector.restore(snapshot);
    case 'seasonal':
      return SeasonalDetector.restore(snapshot);
    case 'cusum':
      return CusumDetector.restore(snapshot);
    case 'bocpd':
      return BocpdDetector.restore(snapshot);
    case 'ensemble':
      return EnsembleDetector.restore(snapshot);
    default:
      throw new ValidationError('snapshot.kind', `one of ${KINDS.join(', ')}`, kind);
  }
}

/** Columnar output of a batch run: one entry per input point. */
export interface DetectionResult {
  readonly detector: DetectorKind;
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
  /** Detector scores (>= 0, finite; 0 for missing points and during warm-up). */
  readonly scores: Float64Array;
  /** Scores mapped to [0, 1]. */
  readonly likelihoods: Float64Array;
  readonly expected: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** 1 where the point was flagged. */
  readonly flags: Uint8Array;
  /** The explanation of every flagged point, in time order. */
  readonly anomalies: AnomalyExplanation[];
}

/**
 * Feeds a whole series through a streaming detector (which keeps its state afterwards, so live points can follow)
 * and collects the scores, bands and flags as columns.
 *
 * @throws ValidationError for a malformed series or timestamps before the detector's last point.
 * @example
 * const result = runDetector(new SeasonalDetector(), series);
 * result.anomalies.map((a) => a.reason);
 */
export function runDetector(detector: StreamingDetector, series: Pick<Series, 'timestamps' | 'values'>): DetectionResult {
  if (detector === null || typeof detector !== 'object' || typeof detector.update !== 'function') {
    throw new ValidationError('detector', 'a streaming detector', detector);
  }
  validateSeries({ labels: {}, ...series } as Series);
  const { timestamps, values } = series;
  const n = values.length;
  const scores = new Float64Array(n);
  const likelihoods = new Float64Array(n);
  const expected = new Float64Array(n);
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  const flags = new Uint8Array(n);
  const anomalies: AnomalyExplanation[] = [];
  for (let i = 0; i < n; i++) {
    scores[i] = detector.update(timestamps[i] as number, values[i] as number);
    likelihoods[i] = detector.likelihood;
    expected[i] = detector.expected;
    lower[i] = detector.lower;
    upper[i] = detector.upper;
    if (detector.isAnomaly) {
      flags[i] = 1;
      anomalies.push(detector.explain());
    }
  }
  return { detector: detector.kind, timestamps: Float64Array.from(timestamps), values: Float64Array.from(values), scores, likelihoods, expected, lower, upper, flags, anomalies };
}

/** Options of {@link detectAnomalies}: which detector, and its options. */
export type DetectAnomaliesOptions = {
  [K in keyof DetectorOptionsByKind]: { readonly detector: K; readonly options?: DetectorOptionsByKind[K] };
}[keyof DetectorOptionsByKind];

/**
 * Batch anomaly detection over a columnar series with a fresh detector (the ensemble unless told otherwise).
 *
 * @throws ValidationError for a malformed series, an unknown detector or bad options.
 * @example
 * const { anomalies } = detectAnomalies(latencySeries);
 * anomalies[0]?.reason; // "anomalous: likelihood 1 …; strongest signal from the seasonal forecast: value 870 is 9.2σ above …"
 */
export function detectAnomalies(series: Pick<Series, 'timestamps' | 'values'>, options: DetectAnomaliesOptions = { detector: 'ensemble' }): DetectionResult {
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an object with a detector kind', options);
  const detector = createDetector(options.detector, options.options as never);
  return runDetector(detector, series);
}

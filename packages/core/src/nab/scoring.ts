import { assertInteger, assertNumericArray, ValidationError } from '../errors';

/**
 * The Numenta Anomaly Benchmark (NAB) scoring method, independent of any detector: anomaly windows, the
 * scaled-sigmoid row score, the three application profiles, the probationary period, the threshold sweep over
 * every distinct score, and the normalisation against the null and perfect detectors. It follows NAB v1.1's
 * `sweeper.py`, `optimizer` and `runner.normalize` (facts carried over, code written anew).
 *
 * Rows are addressed by index; a window is an inclusive `[start, end]` pair of row indices.
 */

/** Weights of one application profile. */
export interface NabProfile {
  readonly tpWeight: number;
  readonly fpWeight: number;
  readonly fnWeight: number;
}

/** NAB's published application profiles (config/profiles.json). */
export const NAB_PROFILES = {
  standard: { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 },
  reward_low_FP_rate: { tpWeight: 1, fpWeight: 0.22, fnWeight: 1 },
  reward_low_FN_rate: { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 },
} as const satisfies Record<string, NabProfile>;

export type NabProfileName = keyof typeof NAB_PROFILES;

/** Inclusive row-index window `[start, end]`. */
export type NabWindow = readonly [start: number, end: number];

/** One scored data file: the detector's score for every row and the labelled windows. */
export interface NabFile {
  readonly name?: string;
  /** One finite score per row; higher means more anomalous. Only their order matters to the sweep. */
  readonly scores: ArrayLike<number>;
  /** Labelled anomaly windows, ascending and non-overlapping. */
  readonly windows: readonly NabWindow[];
}

/** NAB's probationary fraction. */
export const NAB_PROBATION_FRACTION = 0.15;
/** NAB's window size as a fraction of the file, shared among its anomalies. */
export const NAB_WINDOW_FRACTION = 0.1;

/**
 * Rows at the start of a file that are not scored: the first 15% of the rows, at most 750
 * (`min(floor(0.15·n), 0.15·5000)`).
 *
 * @example
 * probationaryLength(1000); // 150
 * probationaryLength(20_000); // 750
 */
export function probationaryLength(rows: number, fraction = NAB_PROBATION_FRACTION): number {
  assertInteger(rows, 'rows', 0);
  return Math.min(Math.floor(fraction * rows), fraction * 5000);
}

/**
 * NAB's scaled sigmoid of a relative position: 2/(1 + e^{5x}) - 1, and -1 from x = 3 on. -1 is the left edge of
 * a window (0.9866), 0 its right edge (0), positive positions are after it (down to -1).
 *
 * @example
 * scaledSigmoid(-1); // 0.9866142981514305
 * scaledSigmoid(0); // 0
 */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition >= 3) return -1;
  return 2 / (1 + Math.exp(5 * relativePosition)) - 1;
}

/**
 * NAB's anomaly windows for a file: each labelled anomaly gets a window of `floor(0.1·rows / anomalies)` rows
 * centred on it (clipped to the file); windows that start inside the probationary period are dropped and
 * overlapping windows are merged.
 *
 * @throws ValidationError for indices outside the file or not ascending.
 * @example
 * nabWindows(1000, [500]); // [[450, 550]]
 */
export function nabWindows(rows: number, anomalyIndices: readonly number[]): NabWindow[] {
  assertInteger(rows, 'rows', 1);
  if (!Array.isArray(anomalyIndices)) throw new ValidationError('anomalyIndices', 'an array of row indices', anomalyIndices);
  anomalyIndices.forEach((a, i) => {
    assertInteger(a, `anomalyIndices[${i}]`, 0, rows - 1);
    if (i > 0 && a <= (anomalyIndices[i - 1] as number)) throw new ValidationError(`anomalyIndices[${i}]`, 'indices in ascending order', a);
  });
  if (anomalyIndices.length === 0) return [];
  const length = Math.floor((NAB_WINDOW_FRACTION * rows) / anomalyIndices.length);
  const half = Math.floor(length / 2);
  const probation = probationaryLength(rows);
  const windows: [number, number][] = [];
  for (const a of anomalyIndices) {
    const start = Math.max(a - half, 0);
    const end = Math.min(a + half, rows - 1);
    if (start < probation) continue;
    const last = windows[windows.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else windows.push([start, end]);
  }
  return windows;
}

/** Per-row scoring inputs of one file: the row's weighted score if it were a detection, and its window. */
export interface NabRows {
  /** Weighted score each row contributes when detected (TP inside a window, FP outside). */
  readonly sweepScores: Float64Array;
  /** Window number within the file, -1 outside every window, -2 inside the probationary period. */
  readonly windowIds: Int32Array;
}

const MAX_TP = scaledSigmoid(-1);

function validateFile(file: NabFile, path: string): void {
  if (file === null || typeof file !== 'object') throw new ValidationError(path, 'an object with scores and windows', file);
  assertNumericArray(file.scores, `${path}.scores`);
  for (let i = 0; i < file.scores.length; i++) {
    if (!Number.isFinite(file.scores[i] as number)) throw new ValidationError(`${path}.scores[${i}]`, 'a finite number', file.scores[i]);
  }
  if (!Array.isArray(file.windows)) throw new ValidationError(`${path}.windows`, 'an array of [start, end] row windows', file.windows);
  let previousEnd = -1;
  file.windows.forEach((w, i) => {
    if (!Array.isArray(w) || w.length !== 2) throw new ValidationError(`${path}.windows[${i}]`, 'a [start, end] pair', w);
    assertInteger(w[0], `${path}.windows[${i}][0]`, 0, file.scores.length - 1);
    assertInteger(w[1], `${path}.windows[${i}][1]`, w[0], file.scores.length - 1);
    if (w[0] <= previousEnd) throw new ValidationError(`${path}.windows[${i}]`, 'windows in ascending order without overlap', w);
    previousEnd = w[1];
  });
}

function validateProfile(profile: NabProfile, path: string): void {
  if (profile === null || typeof profile !== 'object') throw new ValidationError(path, 'a profile with tpWeight, fpWeight and fnWeight', profile);
  for (const key of ['tpWeight', 'fpWeight', 'fnWeight'] as const) {
    const v = profile[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ValidationError(`${path}.${key}`, 'a finite number >= 0', v);
  }
}

/**
 * The weighted score each row of a file would contribute if detected (NAB's `calcSweepScore`): inside a window,
 * `tpWeight · S(-(end - i + 1) / width) / S(-1)`; outside, `fpWeight · S(|i - previousEnd| / (previousWidth - 1))`
 * after a window and `-fpWeight` before the first one, where S is {@link scaledSigmoid}.
 *
 * @throws ValidationError for a malformed file or profile.
 * @example
 * const rows = nabRowScores({ scores: new Float64Array(20), windows: [[10, 13]] }, NAB_PROFILES.standard);
 * rows.sweepScores[10]; // 1: the first row of the window earns the full TP weight
 */
export function nabRowScores(file: NabFile, profile: NabProfile): NabRows {
  validateFile(file, 'file');
  validateProfile(profile, 'profile');
  return rowScores(file, profile);
}

function rowScores(file: NabFile, profile: NabProfile): NabRows {
  const n = file.scores.length;
  const sweepScores = new Float64Array(n);
  const windowIds = new Int32Array(n);
  const probation = probationaryLength(n);
  let w = 0;
  let previousEnd = -1;
  let previousWidth = 0;
  for (let i = 0; i < n; i++) {
    const window = file.windows[w];
    if (window && i >= window[0] && i <= window[1]) {
      const width = window[1] - window[0] + 1;
      const position = -(window[1] - i + 1) / width;
      sweepScores[i] = (scaledSigmoid(position) * profile.tpWeight) / MAX_TP;
      windowIds[i] = w;
      if (i === window[1]) {
        previousEnd = i;
        previousWidth = width;
        w++;
      }
    } else {
      const position = previousEnd < 0 ? 3 : Math.abs(previousEnd - i) / (previousWidth - 1);
      sweepScores[i] = scaledSigmoid(position === position ? position : 3) * profile.fpWeight;
      windowIds[i] = -1;
    }
    if (i < probation) windowIds[i] = -2;
  }
  return { sweepScores, windowIds };
}

/** The corpus score at one threshold: every row whose score is >= threshold is a detection. */
export interface NabThresholdScore {
  readonly threshold: number;
  /** Raw (unnormalised) NAB score. */
  readonly score: number;
  /** Rows (not windows) by outcome, as NAB counts them. */
  readonly tp: number;
  readonly tn: number;
  readonly fp: number;
  readonly fn: number;
}

/**
 * The raw NAB score of a corpus at every threshold (NAB's `calcScoreByThreshold`): starting above every score
 * (all windows missed: `-fnWeight` each), the threshold steps down through every distinct score. A window
 * counts its best (earliest) detection, every false positive counts its own weighted score. Rows in the
 * probationary period are ignored, and so are windows that lie entirely inside it.
 *
 * Returned in descending threshold order; the first entry has threshold `+Infinity` (nothing detected).
 *
 * @throws ValidationError for a malformed file or profile.
 * @example
 * const file = { scores: Float64Array.from({ length: 20 }, (_, i) => (i === 11 ? 1 : 0)), windows: [[10, 13]] as const };
 * nabThresholdSweep([file], NAB_PROFILES.standard)[1]; // threshold 1, score S(-0.75)/S(-1) ≈ 0.9551
 */
export function nabThresholdSweep(files: readonly NabFile[], profile: NabProfile): NabThresholdScore[] {
  if (!Array.isArray(files)) throw new ValidationError('files', 'an array of NAB files', files);
  files.forEach((f, i) => validateFile(f, `files[${i}]`));
  validateProfile(profile, 'profile');
  return sweep(files, profile);
}

function sweep(files: readonly NabFile[], profile: NabProfile): NabThresholdScore[] {
  let total = 0;
  for (const f of files) total += f.scores.length;
  const scores = new Float64Array(total);
  const sweepScores = new Float64Array(total);
  const windowOf = new Int32Array(total); // global window id, -1 outside, -2 probation
  let offset = 0;
  let windowOffset = 0;
  for (const f of files) {
    const rows = rowScores(f, profile);
    const n = f.scores.length;
    for (let i = 0; i < n; i++) {
      scores[offset + i] = f.scores[i] as number;
      sweepScores[offset + i] = rows.sweepScores[i] as number;
      const id = rows.windowIds[i] as number;
      windowOf[offset + i] = id >= 0 ? id + windowOffset : id;
    }
    offset += n;
    windowOffset += f.windows.length;
  }
  // Window parts start at -fnWeight for every window with at least one scorable row.
  const parts = new Float64Array(windowOffset);
  const scorable = new Uint8Array(windowOffset);
  let order = 0;
  for (let i = 0; i < total; i++) if ((windowOf[i] as number) !== -2) order++;
  const rowsInOrder = new Uint32Array(order);
  let k = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < total; i++) {
    const id = windowOf[i] as number;
    if (id === -2) continue;
    rowsInOrder[k++] = i;
    if (id >= 0) {
      scorable[id] = 1;
      fn++;
    } else tn++;
  }
  let score = 0;
  for (let id = 0; id < windowOffset; id++) {
    if (scorable[id]) {
      parts[id] = -profile.fnWeight;
      score -= profile.fnWeight;
    }
  }
  rowsInOrder.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  const out: NabThresholdScore[] = [];
  let tp = 0;
  let fp = 0;
  let threshold = Infinity;
  for (let j = 0; j < rowsInOrder.length; j++) {
    const i = rowsInOrder[j] as number;
    const s = scores[i] as number;
    if (s !== threshold) {
      out.push({ threshold, score, tp, tn, fp, fn });
      threshold = s;
    }
    const id = windowOf[i] as number;
    if (id >= 0) {
      tp++;
      fn--;
      const contribution = sweepScores[i] as number;
      const part = parts[id] as number;
      if (contribution > part) {
        score += contribution - part;
        parts[id] = contribution;
      }
    } else {
      fp++;
      tn--;
      score += sweepScores[i] as number;
    }
  }
  out.push({ threshold, score, tp, tn, fp, fn });
  return out;
}

/** A detector's NAB result for one profile. */
export interface NabProfileResult {
  /** The corpus-wide threshold that maximised the raw score (NAB's optimiser). */
  readonly threshold: number;
  readonly rawScore: number;
  /** 100·(raw - null)/(perfect - null): 0 is the null detector, 100 a perfect one. */
  readonly normalizedScore: number;
  /** Raw score of the null detector (a constant score, optimised the same way). */
  readonly nullScore: number;
  /** Raw score of the perfect detector (fires on the first scorable row of every window). */
  readonly perfectScore: number;
  readonly tp: number;
  readonly tn: number;
  readonly fp: number;
  readonly fn: number;
  /** Windows with at least one detection at the chosen threshold, and all scorable windows. */
  readonly windowsDetected: number;
  readonly windows: number;
}

function best(sweepResult: NabThresholdScore[]): NabThresholdScore {
  let top = sweepResult[0] as NabThresholdScore;
  for (const s of sweepResult) if (s.score > top.score) top = s;
  return top;
}

/**
 * Scores a detector on a labelled corpus the NAB way, for each profile: sweep every threshold over the whole
 * corpus, keep the best, and normalise against the null detector (constant score) and the perfect detector
 * (a detection on the first scorable row of every window). `profiles` defaults to {@link NAB_PROFILES}.
 *
 * @throws ValidationError for malformed files or profiles, or a corpus without any scorable window.
 * @example
 * const files = [{ scores: detectorScores, windows: nabWindows(detectorScores.length, [1200]) }];
 * nabScore(files).standard.normalizedScore; // e.g. 71.4
 */
export function nabScore<P extends Record<string, NabProfile> = typeof NAB_PROFILES>(
  files: readonly NabFile[],
  profiles: P = NAB_PROFILES as unknown as P,
): { [K in keyof P]: NabProfileResult } {
  if (!Array.isArray(files)) throw new ValidationError('files', 'an array of NAB files', files);
  files.forEach((f, i) => validateFile(f, `files[${i}]`));
  if (profiles === null || typeof profiles !== 'object') throw new ValidationError('profiles', 'an object of named profiles', profiles);
  const nullFiles = files.map((f) => ({ scores: new Float64Array(f.scores.length).fill(0.5), windows: f.windows }));
  const perfectFiles = files.map((f) => {
    const probation = probationaryLength(f.scores.length);
    const scores = new Float64Array(f.scores.length);
    for (const [start, end] of f.windows) {
      const first = Math.max(start, probation);
      if (first <= end) scores[first] = 1;
    }
    return { scores, windows: f.windows };
  });
  const result: Record<string, NabProfileResult> = {};
  for (const name of Object.keys(profiles)) {
    const profile = profiles[name] as NabProfile;
    validateProfile(profile, `profiles.${name}`);
    const chosen = best(sweep(files, profile));
    const nullScore = best(sweep(nullFiles, profile)).score;
    const perfectScore = best(sweep(perfectFiles, profile)).score;
    if (!(perfectScore > nullScore)) throw new ValidationError('files', 'a corpus with at least one window outside the probationary period', files);
    const windowsDetected = countDetectedWindows(files, chosen.threshold);
    let windows = 0;
    for (const f of files) {
      const probation = probationaryLength(f.scores.length);
      for (const w of f.windows) if (w[1] >= probation) windows++;
    }
    result[name] = {
      threshold: chosen.threshold,
      rawScore: chosen.score,
      normalizedScore: (100 * (chosen.score - nullScore)) / (perfectScore - nullScore),
      nullScore,
      perfectScore,
      tp: chosen.tp,
      tn: chosen.tn,
      fp: chosen.fp,
      fn: chosen.fn,
      windowsDetected,
      windows,
    };
  }
  return result as { [K in keyof P]: NabProfileResult };
}

function countDetectedWindows(files: readonly NabFile[], threshold: number): number {
  let detected = 0;
  for (const f of files) {
    const probation = probationaryLength(f.scores.length);
    for (const [start, end] of f.windows) {
      for (let i = Math.max(start, probation); i <= end; i++) {
        if ((f.scores[i] as number) >= threshold) {
          detected++;
          break;
        }
      }
    }
  }
  return detected;
}

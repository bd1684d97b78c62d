import { assertInteger, ValidationError } from '../errors';
import { nabWindows } from './scoring';
import type { NabWindow } from './scoring';

/** What was injected into a labelled series. */
export type AnomalyKind =
  | 'spike'
  | 'dip'
  | 'level-shift'
  | 'trend-change'
  | 'variance-change'
  | 'seasonality-break'
  | 'frequency-change';

/** The shape of a series before anomalies: flat noise, seasonal (additive or multiplicative), trending, AR(1) or counts. */
export type BasePattern = 'flat' | 'seasonal' | 'seasonal-multiplicative' | 'trend' | 'autoregressive' | 'counts';

/** Things that happen to real data and are not anomalies. */
export type Nuisance = 'missing-data' | 'heavy-noise' | 'slow-drift' | 'irregular-timestamps' | 'gaps';

/** One generated file: the series, where each anomaly starts, and NAB windows around them. */
export interface LabelledSeries {
  readonly name: string;
  readonly base: BasePattern;
  readonly nuisances: readonly Nuisance[];
  readonly anomalies: readonly { readonly kind: AnomalyKind; readonly index: number }[];
  /** Epoch milliseconds, ascending (irregular or with gaps for some files). */
  readonly timestamps: Float64Array;
  /** Values; NaN marks a missing sample. */
  readonly values: Float64Array;
  /** NAB windows around the anomaly onsets (see `nabWindows`). */
  readonly windows: NabWindow[];
  /** Nominal sampling interval in milliseconds. */
  readonly stepMs: number;
  /** Season length in points (0 when the base pattern is not seasonal). */
  readonly period: number;
}

export interface LabelledCorpusOptions {
  /** Seed of the pseudo-random generator: the same seed gives the same corpus, on any machine. Default 1. */
  readonly seed?: number;
  /** Rows per file. Default 4,000 (probationary period 600 rows). */
  readonly length?: number;
  /** How many files of each scenario. Default 1. */
  readonly repeats?: number;
}

/** Deterministic pseudo-random numbers (mulberry32) with normal and Student-t draws. */
export class SeededRandom {
  private state: number;
  private spare = NaN;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [low, high). */
  between(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Integer in [low, high]. */
  integer(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    if (this.spare === this.spare) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Student-t with ν degrees of freedom (heavy tails for small ν). */
  studentT(degreesOfFreedom: number): number {
    let chi = 0;
    for (let i = 0; i < degreesOfFreedom; i++) {
      const z = this.normal();
      chi += z * z;
    }
    return this.normal() / Math.sqrt(chi / degreesOfFreedom);
  }

  /** Poisson(λ) by inversion (λ up to a few hundred). */
  poisson(lambda: number): number {
    if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }
}

interface Scenario {
  readonly base: BasePattern;
  readonly anomalies: readonly AnomalyKind[];
  readonly nuisances: readonly Nuisance[];
}

const SEASONAL_STEPS = [
  { period: 24, stepMs: 3_600_000 },
  { period: 48, stepMs: 1_800_000 },
  { period: 144, stepMs: 600_000 },
] as const;

/** The scenarios of one corpus repeat: every anomaly kind on several bases, and anomaly-free nuisance files. */
const SCENARIOS: readonly Scenario[] = [
  { base: 'flat', anomalies: ['spike', 'dip'], nuisances: [] },
  { base: 'seasonal', anomalies: ['spike'], nuisances: ['missing-data'] },
  { base: 'autoregressive', anomalies: ['spike', 'spike'], nuisances: [] },
  { base: 'counts', anomalies: ['spike'], nuisances: [] },
  { base: 'seasonal-multiplicative', anomalies: ['dip', 'spike'], nuisances: [] },
  { base: 'flat', anomalies: ['level-shift'], nuisances: ['irregular-timestamps'] },
  { base: 'seasonal', anomalies: ['level-shift'], nuisances: [] },
  { base: 'trend', anomalies: ['level-shift'], nuisances: ['gaps'] },
  { base: 'autoregressive', anomalies: ['level-shift'], nuisances: [] },
  { base: 'trend', anomalies: ['trend-change'], nuisances: [] },
  { base: 'seasonal', anomalies: ['trend-change'], nuisances: [] },
  { base: 'flat', anomalies: ['variance-change'], nuisances: [] },
  { base: 'seasonal', anomalies: ['variance-change'], nuisances: ['slow-drift'] },
  { base: 'seasonal', anomalies: ['seasonality-break'], nuisances: [] },
  { base: 'seasonal-multiplicative', anomalies: ['seasonality-break'], nuisances: [] },
  { base: 'seasonal', anomalies: ['frequency-change'], nuisances: [] },
  { base: 'counts', anomalies: ['level-shift', 'spike'], nuisances: ['missing-data'] },
  { base: 'seasonal', anomalies: ['spike', 'level-shift'], nuisances: ['gaps', 'irregular-timestamps'] },
  { base: 'flat', anomalies: ['spike'], nuisances: ['heavy-noise'] },
  { base: 'seasonal', anomalies: ['dip'], nuisances: ['heavy-noise'] },
  // No anomalies at all: every detection is a false positive.
  { base: 'flat', anomalies: [], nuisances: ['heavy-noise'] },
  { base: 'seasonal', anomalies: [], nuisances: ['slow-drift', 'missing-data'] },
  { base: 'trend', anomalies: [], nuisances: ['slow-drift'] },
  { base: 'autoregressive', anomalies: [], nuisances: ['irregular-timestamps', 'gaps'] },
  { base: 'counts', anomalies: [], nuisances: [] },
];

/**
 * A seeded corpus of labelled series for judging anomaly detectors with the NAB method. Each file has a base
 * pattern (flat noise, additive or multiplicative daily seasonality, trend, AR(1), low counts), zero to two
 * injected anomalies (spikes, dips, level shifts, trend changes, variance changes, seasonality breaks, frequency
 * changes) and nuisances that must not be flagged (missing data, heavy-tailed noise, slow drifts, irregular
 * timestamps, gaps). Anomalies start after the probationary period and half a window, and at least a window
 * apart; the labels are their onsets, turned into NAB windows.
 *
 * Deterministic: the same options give bit-identical files on every machine.
 *
 * @throws ValidationError for bad options.
 * @example
 * const corpus = generateLabelledCorpus({ seed: 7 });
 * corpus.length; // 25 files
 * corpus[0].windows; // [[start, end], ...] row indices
 */
export function generateLabelledCorpus(options: LabelledCorpusOptions = {}): LabelledSeries[] {
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an options object', options);
  const seed = options.seed ?? 1;
  assertInteger(seed, 'options.seed', 0, 2 ** 32 - 1);
  const length = options.length ?? 4000;
  assertInteger(length, 'options.length', 1000, 1_000_000);
  const repeats = options.repeats ?? 1;
  assertInteger(repeats, 'options.repeats', 1, 100);
  const random = new SeededRandom(seed);
  const out: LabelledSeries[] = [];
  for (let r = 0; r < repeats; r++) {
    SCENARIOS.forEach((scenario, i) => out.push(generateFile(random, scenario, length, `${String(r * SCENARIOS.length + i).padStart(3, '0')}-${scenario.base}-${scenario.anomalies.join('+') || 'none'}`)));
  }
  return out;
}

function generateFile(random: SeededRandom, scenario: Scenario, n: number, name: string): LabelledSeries {
  const seasonal = scenario.base === 'seasonal' || scenario.base === 'seasonal-multiplicative';
  const timing = seasonal ? random.pick(SEASONAL_STEPS) : { period: 0, stepMs: random.pick([60_000, 300_000, 600_000]) };
  const period = timing.period;
  const stepMs = timing.stepMs;
  const heavy = scenario.nuisances.includes('heavy-noise');

  // Anomaly onsets: after probation + half a window, a window apart, and a window before the end.
  const count = scenario.anomalies.length;
  const windowLength = count > 0 ? Math.floor((0.1 * n) / count) : 0;
  const earliest = Math.min(Math.floor(0.15 * n), 750) + Math.ceil(windowLength / 2) + 10;
  const latest = n - windowLength;
  const onsets: number[] = [];
  if (count > 0) {
    const span = (latest - earliest) / count;
    for (let k = 0; k < count; k++) {
      const lo = Math.floor(earliest + k * span + (k > 0 ? windowLength : 0));
      const hi = Math.floor(earliest + (k + 1) * span) - 1;
      onsets.push(random.integer(lo, Math.max(lo, hi)));
    }
  }

  // Base parameters.
  const level = random.between(20, 500);
  const noise = level * random.between(0.01, 0.05) * (heavy ? 1.5 : 1);
  const amplitude = seasonal ? random.between(4, 10) * noise : 0;
  const harmonic = random.between(0, 0.4);
  const phase = random.between(0, 2 * Math.PI);
  const trendPerStep = scenario.base === 'trend' ? (random.between(0.5, 2) * level) / n : 0;
  const drift = scenario.nuisances.includes('slow-drift') ? (random.pick([-1, 1]) * random.between(0.1, 0.3) * level) / n : 0;
  const arPhi = random.between(0.85, 0.97);
  const countsLambda = random.between(2, 12);

  const values = new Float64Array(n);
  let ar = 0;
  let currentPeriod = period;
  let seasonPhase = phase;
  let levelOffset = 0;
  let slopeExtra = 0;
  let noiseFactor = 1;
  let seasonFactor = 1;
  const nextKinds = onsets.map((index, k) => ({ index, kind: scenario.anomalies[k] as AnomalyKind }));
  let spikeUntil = -1;
  let spikeSize = 0;
  for (let i = 0; i < n; i++) {
    for (const a of nextKinds) {
      if (a.index !== i) continue;
      const sign = a.kind === 'dip' ? -1 : random.pick([-1, 1]);
      switch (a.kind) {
        case 'spike':
        case 'dip':
          spikeUntil = i + random.integer(0, 2);
          spikeSize = (a.kind === 'dip' ? -1 : 1) * random.between(4, 9) * noise * (heavy ? 2 : 1);
          break;
        case 'level-shift':
          levelOffset += sign * random.between(2.5, 6) * noise;
          break;
        case 'trend-change':
          slopeExtra += sign * (random.between(4, 10) * noise) / Math.max(50, windowLength / 2);
          break;
        case 'variance-change':
          noiseFactor *= random.between(3, 6);
          break;
        case 'seasonality-break':
          seasonFactor = random.pick([0, -1]);
          break;
        case 'frequency-change':
          if (currentPeriod > 0) {
            // keep the phase continuous while the period halves
            seasonPhase += (2 * Math.PI * i) / currentPeriod - (2 * Math.PI * i) / (currentPeriod / 2);
            currentPeriod = currentPeriod / 2;
          }
          break;
      }
    }
    let noiseDraw = heavy ? random.studentT(3) : random.normal();
    noiseDraw *= noise * noiseFactor;
    let base: number;
    const trend = trendPerStep * i + drift * i;
    const slope = slopeExtra * (i - (nextKinds.find((a) => a.kind === 'trend-change')?.index ?? i));
    if (seasonal && currentPeriod > 0) {
      const angle = (2 * Math.PI * i) / currentPeriod + seasonPhase;
      const shape = Math.sin(angle) + harmonic * Math.sin(2 * angle + 1);
      if (scenario.base === 'seasonal-multiplicative') {
        const lvl = level + trend + levelOffset + slope;
        base = lvl * (1 + (seasonFactor * amplitude * shape) / level);
      } else base = level + trend + levelOffset + slope + seasonFactor * amplitude * shape;
      base += noiseDraw;
    } else if (scenario.base === 'autoregressive') {
      ar = arPhi * ar + noiseDraw * Math.sqrt(1 - arPhi * arPhi) * 2;
      base = level + trend + levelOffset + slope + ar;
    } else if (scenario.base === 'counts') {
      const lambda = Math.max(0.1, countsLambda * noiseFactor + (levelOffset / noise) * Math.sqrt(countsLambda) * 0.8 + slope / noise);
      base = random.poisson(lambda);
    } else {
      base = level + trend + levelOffset + slope + noiseDraw;
    }
    if (i <= spikeUntil) base += scenario.base === 'counts' ? Math.abs(spikeSize / noise) * Math.sqrt(countsLambda) : spikeSize;
    values[i] = base;
  }
  if (scenario.base === 'counts') for (let i = 0; i < n; i++) values[i] = Math.max(0, Math.round(values[i] as number));

  // Nuisances that are not anomalies.
  if (scenario.nuisances.includes('missing-data')) {
    const runs = random.integer(3, 8);
    for (let r = 0; r < runs; r++) {
      const start = random.integer(0, n - 30);
      const len = random.integer(1, 20);
      for (let i = start; i < start + len; i++) if (!onsets.includes(i)) values[i] = NaN;
    }
  }
  const timestamps = new Float64Array(n);
  const start = Date.UTC(2024, 0, 1);
  const irregular = scenario.nuisances.includes('irregular-timestamps');
  const gaps = scenario.nuisances.includes('gaps');
  let t = start;
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      t += stepMs;
      if (gaps && random.next() < 0.004) t += stepMs * random.integer(2, 12);
    }
    timestamps[i] = irregular ? t + Math.round(random.between(-0.3, 0.3) * stepMs) : t;
  }
  if (irregular) for (let i = 1; i < n; i++) if ((timestamps[i] as number) <= (timestamps[i - 1] as number)) timestamps[i] = (timestamps[i - 1] as number) + 1;
  return {
    name,
    base: scenario.base,
    nuisances: scenario.nuisances,
    anomalies: nextKinds,
    timestamps,
    values,
    windows: nabWindows(n, onsets),
    stepMs,
    period,
  };
}

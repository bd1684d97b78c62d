import { ValidationError } from '../errors';
import { logGamma } from '../stats/special';
import { BaseDetector, formatNumber, integerOption, jsonArray, numberOption, openSnapshot, optionsRecord, readFloatArray, readInteger, readNumber } from './base';
import type { DetectorSnapshot } from './types';

export interface BocpdOptions {
  /** Expected run length between change points, in points (the hazard is 1/this). Default 250. */
  readonly expectedRunLength?: number;
  /** Longest run length tracked; longer runs merge into the last slot (bounded memory and time). Default 200. */
  readonly maxRunLength?: number;
  /** Run lengths at most this count as "a change just happened". Default 5. */
  readonly recentRun?: number;
  /** Flag when P(run length <= recentRun) reaches this. Default 0.5. */
  readonly threshold?: number;
  /** Points used to set the prior (mean and variance of the data). Default 20. */
  readonly minPoints?: number;
}

const LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
/** Prior shape α0 and pseudo-count κ0 of the Normal-Gamma model; the prior β is the warm-up variance. */
const ALPHA0 = 1;
const KAPPA0 = 1;


/**
 * Bayesian online change-point detection (Adams & MacKay, 2007) with a Normal-Gamma model: for each possible run
 * length r (points since the last change) it keeps the posterior of the current segment's mean and variance, and
 * updates the run-length distribution with each value's Student-t predictive probability and a constant hazard.
 *
 * The score is the posterior probability that a change happened within the last `recentRun` points; it is a
 * probability in [0, 1] and also the likelihood. The expected value and band are the mean and ±3 standard
 * deviations of the predictive mixture. Memory and time per point are O(maxRunLength); the Student-t constants
 * of every run length are tabulated once.
 *
 * @example
 * const d = new BocpdDetector();
 * for (let i = 0; i < 200; i++) d.update(i, i < 100 ? 0 + Math.sin(i) * 0.1 : 5 + Math.sin(i) * 0.1);
 * // d.isAnomaly was true a few points after index 100
 */
export class BocpdDetector extends BaseDetector {
  readonly kind = 'bocpd' as const;
  readonly threshold: number;
  readonly expectedRunLength: number;
  readonly maxRunLength: number;
  readonly recentRun: number;
  readonly minPoints: number;
  private readonly hazard: number;
  /** Student-t log normalising constants per run length (they depend only on the run length). */
  private readonly logConstant: Float64Array;
  // Per run length r: probability and posterior parameters (mean, precision scale κ, β); α = α0 + r/2.
  private probability: Float64Array;
  private mu: Float64Array;
  private kappa: Float64Array;
  private beta: Float64Array;
  private nextProbability: Float64Array;
  private nextMu: Float64Array;
  private nextKappa: Float64Array;
  private nextBeta: Float64Array;
  private logPredictive: Float64Array;
  private runs = 0; // slots in use
  private warm: number[] = [];
  private priorMean = 0;
  private priorBeta = 1;

  constructor(options: BocpdOptions = {}) {
    super();
    const o = optionsRecord(options);
    this.expectedRunLength = numberOption(o.expectedRunLength, 'options.expectedRunLength', 250, 1, 1e9);
    this.maxRunLength = integerOption(o.maxRunLength, 'options.maxRunLength', 200, 2, 10_000);
    this.recentRun = integerOption(o.recentRun, 'options.recentRun', 5, 0, this.maxRunLength - 1);
    this.threshold = numberOption(o.threshold, 'options.threshold', 0.5, 0, 1, true);
    this.minPoints = integerOption(o.minPoints, 'options.minPoints', 20, 2, 100_000);
    this.hazard = 1 / this.expectedRunLength;
    const R = this.maxRunLength;
    this.logConstant = new Float64Array(R);
    for (let r = 0; r < R; r++) {
      const nu = 2 * (ALPHA0 + r / 2);
      this.logConstant[r] = logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu) - LOG_SQRT_PI;
    }
    this.probability = new Float64Array(R);
    this.mu = new Float64Array(R);
    this.kappa = new Float64Array(R);
    this.beta = new Float64Array(R);
    this.nextProbability = new Float64Array(R);
    this.nextMu = new Float64Array(R);
    this.nextKappa = new Float64Array(R);
    this.nextBeta = new Float64Array(R);
    this.logPredictive = new Float64Array(R);
  }

  override get likelihood(): number {
    return this.score > 1 ? 1 : this.score;
  }

  private setPredictiveBand(): void {
    if (this.runs === 0) {
      this.expected = this.warm.length > 0 ? this.priorMean : NaN;
      this.lower = this.upper = this.expected;
      return;
    }
    let mean = 0;
    let second = 0;
    for (let r = 0; r < this.runs; r++) {
      const p = this.probability[r] as number;
      const alpha = ALPHA0 + r / 2;
      const m = this.mu[r] as number;
      const k = this.kappa[r] as number;
      // Student-t variance: scale² · ν/(ν - 2); with ν = 2α this is β(κ + 1)/(κ(α - 1)) for α > 1.
      const variance = alpha > 1 ? ((this.beta[r] as number) * (k + 1)) / (k * (alpha - 1)) : ((this.beta[r] as number) * (k + 1)) / (k * alpha) * 3;
      mean += p * m;
      second += p * (variance + m * m);
    }
    const sd = Math.sqrt(Math.max(0, second - mean * mean));
    this.expected = mean;
    this.lower = mean - 3 * sd;
    this.upper = mean + 3 * sd;
  }

  protected observe(_timestamp: number, value: number): void {
    if (this.runs === 0) {
      this.warm.push(value);
      this.score = 0;
      this.isAnomaly = false;
      let mean = 0;
      for (const v of this.warm) mean += v;
      mean /= this.warm.length;
      let ss = 0;
      for (const v of this.warm) ss += (v - mean) * (v - mean);
      this.priorMean = mean;
      this.expected = mean;
      this.lower = this.upper = mean;
      if (this.warm.length >= this.minPoints) {
        const variance = ss / this.warm.length;
        this.priorBeta = Math.max(variance, 1e-12 * Math.max(1, mean * mean), 1e-300);
        this.probability[0] = 1;
        this.mu[0] = mean;
        this.kappa[0] = KAPPA0;
        this.beta[0] = this.priorBeta;
        this.runs = 1;
        this.warm = [];
        this.setPredictiveBand();
      }
      return;
    }
    this.setPredictiveBand();
    const R = this.maxRunLength;
    const runs = this.runs;
    // Log predictive probability of the value under each run length's Student-t.
    let maxLog = -Infinity;
    for (let r = 0; r < runs; r++) {
      const alpha = ALPHA0 + r / 2;
      const k = this.kappa[r] as number;
      const scale2 = ((this.beta[r] as number) * (k + 1)) / (alpha * k);
      const d = value - (this.mu[r] as number);
      const nu = 2 * alpha;
      const lp = (this.logConstant[r] as number) - 0.5 * Math.log(scale2) - ((nu + 1) / 2) * Math.log1p((d * d) / (nu * scale2));
      this.logPredictive[r] = lp;
      if (lp > maxLog) maxLog = lp;
    }
    // Growth and change-point masses (scaled by e^{-maxLog} to avoid underflow).
    const newRuns = Math.min(runs + 1, R);
    const np = this.nextProbability;
    np.fill(0, 0, newRuns);
    let changeMass = 0;
    for (let r = 0; r < runs; r++) {
      const joint = (this.probability[r] as number) * Math.exp((this.logPredictive[r] as number) - maxLog);
      changeMass += joint * this.hazard;
      const target = r + 1 < R ? r + 1 : R - 1;
      np[target] = (np[target] as number) + joint * (1 - this.hazard);
    }
    np[0] = changeMass;
    let total = 0;
    for (let r = 0; r < newRuns; r++) total += np[r] as number;
    if (!(total > 0) || !Number.isFinite(total)) {
      // Every run length found the value impossible (numerically): treat it as a certain change.
      np.fill(0, 0, newRuns);
      np[0] = 1;
      total = 1;
    }
    for (let r = 0; r < newRuns; r++) np[r] = (np[r] as number) / total;
    // Posterior parameters: slot 0 restarts from the prior, slot r+1 updates slot r with the value.
    this.nextMu[0] = this.priorMean;
    this.nextKappa[0] = KAPPA0;
    this.nextBeta[0] = this.priorBeta;
    for (let r = 0; r < runs; r++) {
      const target = r + 1;
      if (target >= R) continue; // the oldest run merges into slot R-1, which keeps the statistics of run R-2
      const k = this.kappa[r] as number;
      const m = this.mu[r] as number;
      const d = value - m;
      this.nextMu[target] = (k * m + value) / (k + 1);
      this.nextKappa[target] = k + 1;
      this.nextBeta[target] = (this.beta[r] as number) + (k * d * d) / (2 * (k + 1));
    }
    // Swap buffers.
    [this.probability, this.nextProbability] = [this.nextProbability, this.probability];
    [this.mu, this.nextMu] = [this.nextMu, this.mu];
    [this.kappa, this.nextKappa] = [this.nextKappa, this.kappa];
    [this.beta, this.nextBeta] = [this.nextBeta, this.beta];
    this.runs = newRuns;
    let recent = 0;
    const upto = Math.min(this.recentRun, newRuns - 1);
    for (let r = 0; r <= upto; r++) recent += this.probability[r] as number;
    // P(r = 0) equals the hazard whatever the data; remove that floor so a quiet series scores near 0.
    const floor = this.hazard * (upto + 1);
    // Until some run could be longer than recentRun, all the mass is "recent" by construction: not evidence.
    const score = newRuns <= this.recentRun + 1 || recent <= floor ? 0 : (recent - floor) / (1 - floor);
    this.score = score > 1 ? 1 : score;
    this.isAnomaly = this.score >= this.threshold;
  }

  protected skip(): void {
    this.setPredictiveBand();
  }

  protected describe(): string {
    if (this.runs === 0) return `setting the prior: ${this.warm.length} of ${this.minPoints} points`;
    let mode = 0;
    for (let r = 1; r < this.runs; r++) if ((this.probability[r] as number) > (this.probability[mode] as number)) mode = r;
    const verdict = this.isAnomaly ? 'a change point' : 'no change point';
    return `${verdict}: P(change within the last ${this.recentRun + 1} points) = ${formatNumber(this.score)} (threshold ${formatNumber(this.threshold)}); most likely run length ${mode}${mode === this.maxRunLength - 1 ? '+' : ''}; predictive mean ${formatNumber(this.expected)}`;
  }

  protected override direction(): 'above' | 'below' | 'change' {
    return this.isAnomaly ? 'change' : super.direction();
  }

  reset(): void {
    this.resetBase();
    this.runs = 0;
    this.warm = [];
    this.priorMean = 0;
    this.priorBeta = 1;
    this.probability.fill(0);
  }

  snapshot(): DetectorSnapshot {
    const n = this.runs;
    return {
      kind: this.kind,
      version: 1,
      options: { expectedRunLength: this.expectedRunLength, maxRunLength: this.maxRunLength, recentRun: this.recentRun, threshold: this.threshold, minPoints: this.minPoints },
      state: {
        ...this.baseState(),
        runs: n,
        warm: jsonArray(this.warm),
        priorMean: this.priorMean,
        priorBeta: this.priorBeta,
        probability: jsonArray(this.probability.subarray(0, n)),
        mu: jsonArray(this.mu.subarray(0, n)),
        kappa: jsonArray(this.kappa.subarray(0, n)),
        beta: jsonArray(this.beta.subarray(0, n)),
      },
    };
  }

  /**
   * Rebuilds a detector from {@link BocpdDetector.snapshot} output.
   *
   * @throws ValidationError when the snapshot is malformed.
   */
  static restore(snapshot: unknown): BocpdDetector {
    const { options, state } = openSnapshot(snapshot, 'bocpd');
    const d = new BocpdDetector(options as BocpdOptions);
    const path = 'snapshot.state';
    d.restoreBase(state, path);
    const n = readInteger(state, 'runs', path, 0, d.maxRunLength);
    const warm = state.warm;
    if (!Array.isArray(warm) || warm.length >= d.minPoints || (n > 0 && warm.length > 0)) {
      throw new ValidationError(`${path}.warm`, n > 0 ? 'an empty array (the prior is set)' : `an array of fewer than ${d.minPoints} numbers`, warm);
    }
    d.warm = Array.from(readFloatArray(state, 'warm', path, warm.length));
    d.priorMean = readNumber(state, 'priorMean', path);
    d.priorBeta = readNumber(state, 'priorBeta', path);
    if (!(d.priorBeta > 0)) throw new ValidationError(`${path}.priorBeta`, 'a number > 0', d.priorBeta);
    d.probability.set(readFloatArray(state, 'probability', path, n));
    d.mu.set(readFloatArray(state, 'mu', path, n));
    const kappa = readFloatArray(state, 'kappa', path, n);
    const beta = readFloatArray(state, 'beta', path, n);
    for (let r = 0; r < n; r++) {
      if (!((kappa[r] as number) > 0)) throw new ValidationError(`${path}.kappa[${r}]`, 'a number > 0', kappa[r]);
      if (!((beta[r] as number) > 0)) throw new ValidationError(`${path}.beta[${r}]`, 'a number > 0', beta[r]);
    }
    d.kappa.set(kappa);
    d.beta.set(beta);
    d.runs = n;
    return d;
  }
}

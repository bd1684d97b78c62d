import { ValidationError } from '../errors';
import { asRecord, BaseDetector, formatNumber, numberOption, openSnapshot, optionsRecord, readInteger, readNumber } from './base';
import { CusumDetector } from './cusum';
import type { CusumOptions } from './cusum';
import { SeasonalDetector } from './seasonal';
import type { SeasonalOptions } from './seasonal';
import type { AnomalyExplanation, DetectorSnapshot } from './types';

export interface EnsembleOptions {
  /** Options of the seasonal (Holt-Winters) member, whose forecast is the ensemble's expected value. */
  readonly seasonal?: SeasonalOptions;
  /** Options of the CUSUM member, which watches the seasonal member's standardised errors (defaults here: drift 1, minPoints 10, baselineAlpha 0.02). */
  readonly cusum?: CusumOptions;
  /** The variance member flags when the recent RMS of standardised errors reaches this. Default 2.5. */
  readonly varianceThreshold?: number;
  /** Weight of each point in the variance member's recent RMS. Default 0.1. */
  readonly varianceAlpha?: number;
  /**
   * Flag when the likelihood reaches this. Default 0.5: the combined severity exceeds its usual level on this series
   * by a quarter of a member's threshold, about where the NAB standard profile's best threshold falls on the
   * tuning corpus.
   */
  readonly threshold?: number;
  /** Weight of each point in the long-run level of the combined severity. Default 0.005 (about 200 points). */
  readonly historyAlpha?: number;
  /**
   * Repeat suppression, in points: the combined severity is reduced by the largest severity already seen, decayed
   * with this time constant, so a level shift or a burst gives one high score at its start rather than many.
   * 0 turns it off. Default 400.
   */
  readonly suppression?: number;
  /**
   * Step size of the streaming 99th-percentile estimate of the seasonal member's score, used to calibrate
   * heavy-tailed series (0 turns the calibration off). Default 0.1.
   */
  readonly tailRate?: number;
}

/** The excess severity at which the likelihood is 0.5. */
const LIKELIHOOD_SCALE = 0.25;

/** 99th percentile of |Z| for a standard normal Z. */
const NORMAL_Q99 = 2.5758293035489;

const MEMBER_NAMES = ['seasonal forecast', 'CUSUM on forecast errors', 'error variance'] as const;

/**
 * Ensemble detector: one model of normal and three ways of being surprised by it, turned into a single anomaly
 * likelihood in [0, 1].
 *
 * - Seasonal: a robust Holt-Winters forecast (period found by autocorrelation); a point far outside its band is
 *   a spike or dip.
 * - CUSUM over the seasonal member's standardised errors: small errors that keep the same sign are a level shift
 *   or a trend change.
 * - Error variance: the recent RMS of standardised errors (EW, weight `varianceAlpha`); a rise means the noise
 *   changed (variance change, seasonality break, frequency change).
 *
 * Each member's score divided by its threshold is its severity (1 = that member would flag); the largest is the
 * combined severity s. The seasonal severity is first calibrated to the series' tails: it is scaled by 2.58 / q99,
 * where q99 is a streaming estimate of the member's 99th-percentile score (2.58 for normal noise, more for heavy
 * tails). Normalisation: s is measured above its own long-run level on this series (EW mean, so a
 * series that is always a little surprising raises its own bar), repeats of a recent larger surprise are
 * suppressed (see `suppression`), and the result r ≥ 0 becomes the likelihood r / (0.25 + r), which is monotone,
 * never saturates in floating point, and is 0.5 when the combined severity is a quarter of a member's threshold
 * above its usual level.
 *
 * @example
 * const d = new EnsembleDetector();
 * for (const [t, v] of points) if (d.update(t, v) >= d.threshold) notify(d.explain());
 */
export class EnsembleDetector extends BaseDetector {
  readonly kind = 'ensemble' as const;
  readonly threshold: number;
  readonly historyAlpha: number;
  readonly suppression: number;
  readonly varianceThreshold: number;
  readonly varianceAlpha: number;
  private seasonal: SeasonalDetector;
  private cusum: CusumDetector;
  private readonly memberOptions: { seasonal: SeasonalOptions; cusum: CusumOptions };
  private meanSquaredError = 1;
  /** Streaming estimate of the seasonal member's 99th-percentile score (stochastic approximation). */
  private tailQuantile = NORMAL_Q99;
  private readonly tailRate: number;
  private historyMean = 0;
  private historyCount = 0;
  private recentPeak = 0;
  /** Severities of the last point: seasonal, CUSUM, variance. */
  private severities = [0, 0, 0];
  private leader = 0;

  constructor(options: EnsembleOptions = {}) {
    super();
    const o = optionsRecord(options);
    this.threshold = numberOption(o.threshold, 'options.threshold', 0.5, 0, 1, true);
    this.historyAlpha = numberOption(o.historyAlpha, 'options.historyAlpha', 0.005, 0, 1, true);
    this.suppression = numberOption(o.suppression, 'options.suppression', 400, 0, 1e9);
    this.varianceThreshold = numberOption(o.varianceThreshold, 'options.varianceThreshold', 2.5, 1, 1e6, true);
    this.varianceAlpha = numberOption(o.varianceAlpha, 'options.varianceAlpha', 0.1, 0, 1, true);
    this.tailRate = numberOption(o.tailRate, 'options.tailRate', 0.1, 0, 10);
    const member = (key: string): Record<string, unknown> => (o[key] === undefined ? {} : asRecord(o[key], `options.${key}`));
    this.memberOptions = { seasonal: member('seasonal'), cusum: { minPoints: 10, baselineAlpha: 0.02, drift: 1, ...member('cusum') } };
    this.seasonal = new SeasonalDetector(this.memberOptions.seasonal);
    this.cusum = new CusumDetector(this.memberOptions.cusum);
  }

  override get likelihood(): number {
    return this.score;
  }

  protected observe(timestamp: number, value: number): void {
    const seasonal = this.seasonal;
    const raw = seasonal.update(timestamp, value);
    // Tail calibration: on a heavy-tailed series the seasonal member's 99th-percentile error is above the normal
    // 2.58σ; its severity is scaled down by the same factor so thresholds mean the same on every series.
    const a = (raw / seasonal.threshold) * (NORMAL_Q99 / this.tailQuantile);
    if (raw > 0) this.tailQuantile = Math.max(NORMAL_Q99 / 2, this.tailQuantile + this.tailRate * ((raw > this.tailQuantile ? 1 : 0) - 0.01));
    // The seasonal member's standardised error (its band is expected ± threshold·σ).
    const sigma = (seasonal.upper - seasonal.expected) / seasonal.threshold;
    const z = sigma > 0 ? (value - seasonal.expected) / sigma : 0;
    const c = this.cusum.update(timestamp, z) / this.cusum.threshold;
    const zc = z > 6 ? 6 : z < -6 ? -6 : z; // one outlier should not dominate the variance member
    this.meanSquaredError += this.varianceAlpha * (zc * zc - this.meanSquaredError);
    const v = Math.sqrt(this.meanSquaredError) / this.varianceThreshold;
    const severities = this.severities;
    severities[0] = a;
    severities[1] = c;
    severities[2] = v;
    let combined = a;
    let leader = 0;
    if (c > combined) {
      combined = c;
      leader = 1;
    }
    if (v > combined) {
      combined = v;
      leader = 2;
    }
    this.leader = leader;
    this.copyBand();
    // Normalise against this series' own long-run level of surprise.
    const warm = this.historyCount >= 10;
    let r = warm ? combined - this.historyMean : 0;
    if (this.suppression > 0) {
      const peak = this.recentPeak;
      this.recentPeak = Math.max(peak * Math.exp(-1 / this.suppression), r);
      r -= peak;
    }
    if (!(r > 0)) r = 0;
    const capped = warm && combined > this.historyMean + 1 ? this.historyMean + 1 : combined;
    this.historyCount++;
    const w = this.historyCount * this.historyAlpha < 1 ? 1 / this.historyCount : this.historyAlpha;
    this.historyMean += w * (capped - this.historyMean);
    const likelihood = r / (LIKELIHOOD_SCALE + r);
    this.score = likelihood;
    this.isAnomaly = likelihood >= this.threshold;
  }

  /** Expected value and band come from the seasonal member: it is the ensemble's model of normal. */
  private copyBand(): void {
    this.expected = this.seasonal.expected;
    this.lower = this.seasonal.lower;
    this.upper = this.seasonal.upper;
  }

  protected skip(timestamp: number): void {
    this.seasonal.update(timestamp, NaN);
    this.cusum.update(timestamp, NaN);
    this.severities[0] = this.severities[1] = this.severities[2] = 0;
    this.leader = 0;
    this.copyBand();
    if (this.suppression > 0) this.recentPeak *= Math.exp(-1 / this.suppression);
  }

  protected describe(): string {
    const verdict = this.isAnomaly ? 'anomalous' : 'normal';
    const s = this.severities;
    const detail =
      this.leader === 0
        ? this.seasonal.explain().reason
        : this.leader === 1
          ? this.cusum.explain().reason.replace('baseline', 'mean forecast error (σ units)')
          : `the recent RMS forecast error is ${formatNumber(Math.sqrt(this.meanSquaredError))}σ (threshold ${formatNumber(this.varianceThreshold)}σ)`;
    return `${verdict}: likelihood ${formatNumber(this.score)} (threshold ${formatNumber(this.threshold)}); strongest signal from the ${MEMBER_NAMES[this.leader]} at ${formatNumber(s[this.leader] as number)}× its threshold: ${detail}`;
  }

  override explain(): AnomalyExplanation {
    const base = super.explain();
    return { ...base, contributors: [this.seasonal.explain(), this.cusum.explain()] };
  }

  reset(): void {
    this.resetBase();
    this.seasonal.reset();
    this.cusum.reset();
    this.meanSquaredError = 1;
    this.tailQuantile = NORMAL_Q99;
    this.historyMean = 0;
    this.historyCount = 0;
    this.recentPeak = 0;
    this.severities = [0, 0, 0];
    this.leader = 0;
  }

  snapshot(): DetectorSnapshot {
    return {
      kind: this.kind,
      version: 1,
      options: {
        threshold: this.threshold,
        historyAlpha: this.historyAlpha,
        suppression: this.suppression,
        varianceThreshold: this.varianceThreshold,
        varianceAlpha: this.varianceAlpha,
        tailRate: this.tailRate,
        ...this.memberOptions,
      },
      state: {
        ...this.baseState(),
        seasonal: this.seasonal.snapshot(),
        cusum: this.cusum.snapshot(),
        meanSquaredError: this.meanSquaredError,
        tailQuantile: this.tailQuantile,
        historyMean: this.historyMean,
        historyCount: this.historyCount,
        recentPeak: this.recentPeak,
        severities: [...this.severities],
        leader: this.leader,
      },
    };
  }

  /**
   * Rebuilds a detector from {@link EnsembleDetector.snapshot} output.
   *
   * @throws ValidationError when the snapshot is malformed.
   */
  static restore(snapshot: unknown): EnsembleDetector {
    const { options, state } = openSnapshot(snapshot, 'ensemble');
    const d = new EnsembleDetector(options as EnsembleOptions);
    const path = 'snapshot.state';
    d.restoreBase(state, path);
    d.seasonal = SeasonalDetector.restore(state.seasonal);
    d.cusum = CusumDetector.restore(state.cusum);
    d.meanSquaredError = readNumber(state, 'meanSquaredError', path);
    d.tailQuantile = readNumber(state, 'tailQuantile', path);
    if (!(d.tailQuantile > 0)) throw new ValidationError(`${path}.tailQuantile`, 'a number > 0', d.tailQuantile);
    d.historyMean = readNumber(state, 'historyMean', path);
    d.historyCount = readInteger(state, 'historyCount', path, 0);
    d.recentPeak = readNumber(state, 'recentPeak', path);
    if (d.meanSquaredError < 0 || d.recentPeak < 0) throw new ValidationError(`${path}.meanSquaredError`, 'non-negative meanSquaredError and recentPeak', d.meanSquaredError);
    const sev = state.severities;
    if (!Array.isArray(sev) || sev.length !== 3 || !sev.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new ValidationError(`${path}.severities`, 'an array of 3 finite numbers', sev);
    }
    d.severities = sev.slice() as number[];
    d.leader = readInteger(state, 'leader', path, 0, 2);
    return d;
  }
}

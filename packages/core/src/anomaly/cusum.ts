import { BaseDetector, formatNumber, integerOption, numberOption, openSnapshot, optionsRecord, readInteger, readNumber, scaleFloor } from './base';
import type { DetectorSnapshot } from './types';

export interface CusumOptions {
  /** Alarm when either cumulative sum reaches this many σ. Default 5. */
  readonly threshold?: number;
  /** Allowance k: deviations smaller than this many σ do not accumulate. Default 0.5 (tuned to a 1σ shift). */
  readonly drift?: number;
  /** Weight of each point in the baseline's exponentially weighted mean and variance. Default 0.01. */
  readonly baselineAlpha?: number;
  /** Points used to learn the baseline before accumulating (and again after each alarm). Default 30. */
  readonly minPoints?: number;
  /** Standardised deviations are clipped to ±this before they accumulate, so one spike cannot raise an alarm alone. Default 4. */
  readonly clip?: number;
  /** σ never drops below this (absolute units). Default 0. */
  readonly minStandardDeviation?: number;
}

/**
 * Two-sided CUSUM change detector (Page, 1954) for sustained shifts in level. Each value is standardised against a
 * slowly moving baseline (EW mean and variance), and two sums collect the evidence: S⁺ = max(0, S⁺ + z - k) and
 * S⁻ = max(0, S⁻ - z - k). The score is the larger sum; the alarm fires when it reaches `threshold`. After an
 * alarm both sums restart and the baseline is relearnt from the new regime, so one shift gives one alarm.
 *
 * The band is exact: the values that would not tip either sum over the threshold at this point.
 *
 * @example
 * const d = new CusumDetector();
 * for (let i = 0; i < 100; i++) d.update(i, 10 + (i % 3) * 0.1);
 * let alarms = 0;
 * for (let i = 100; i < 130; i++) { d.update(i, 11); if (d.isAnomaly) alarms++; }
 * alarms; // 1
 */
export class CusumDetector extends BaseDetector {
  readonly kind = 'cusum' as const;
  readonly threshold: number;
  readonly drift: number;
  readonly baselineAlpha: number;
  readonly minPoints: number;
  readonly clip: number;
  readonly minStandardDeviation: number;
  private seen = 0;
  private mean = 0;
  private variance = 0;
  private upperSum = 0;
  private lowerSum = 0;
  /** +1 or -1 when the last point raised an alarm upwards or downwards, else 0. */
  private alarmSide = 0;

  constructor(options: CusumOptions = {}) {
    super();
    const o = optionsRecord(options);
    this.threshold = numberOption(o.threshold, 'options.threshold', 5, 0, 1e6, true);
    this.drift = numberOption(o.drift, 'options.drift', 0.5, 0, 1e6);
    this.baselineAlpha = numberOption(o.baselineAlpha, 'options.baselineAlpha', 0.01, 0, 1, true);
    this.minPoints = integerOption(o.minPoints, 'options.minPoints', 30, 2, 1_000_000);
    this.clip = numberOption(o.clip, 'options.clip', 4, 0, 1e6, true);
    this.minStandardDeviation = numberOption(o.minStandardDeviation, 'options.minStandardDeviation', 0, 0, 1e300);
  }

  protected observe(_timestamp: number, value: number): void {
    const sigma = Math.max(Math.sqrt(this.variance), scaleFloor(this.mean, this.minStandardDeviation));
    const expected = this.seen > 0 ? this.mean : value;
    this.expected = expected;
    // Values inside (lower, upper) keep both sums under the threshold at this point.
    this.upper = expected + sigma * Math.min(this.clip, this.threshold + this.drift - this.upperSum);
    this.lower = expected - sigma * Math.min(this.clip, this.threshold + this.drift - this.lowerSum);
    const warm = this.seen >= this.minPoints;
    if (warm) {
      let z = (value - expected) / sigma;
      z = z > this.clip ? this.clip : z < -this.clip ? -this.clip : z;
      this.upperSum = Math.max(0, this.upperSum + z - this.drift);
      this.lowerSum = Math.max(0, this.lowerSum - z - this.drift);
      const s = Math.max(this.upperSum, this.lowerSum);
      this.score = s;
      this.isAnomaly = s >= this.threshold;
    } else {
      this.score = 0;
      this.isAnomaly = false;
    }
    if (this.isAnomaly) {
      // Relearn the baseline from the new regime, starting with this value.
      this.seen = 1;
      this.mean = value;
      // The scale (variance) is kept: the regime changed level, not necessarily noise.
      this.upperSum = 0;
      this.lowerSum = 0;
      this.alarmSide = value >= expected ? 1 : -1;
      return;
    }
    this.alarmSide = 0;
    this.seen++;
    const w = this.seen * this.baselineAlpha < 1 ? 1 / this.seen : this.baselineAlpha;
    const d = value - this.mean;
    const increment = w * d;
    this.mean += increment;
    this.variance = (1 - w) * (this.variance + d * increment);
  }

  protected skip(): void {
    const sigma = Math.max(Math.sqrt(this.variance), scaleFloor(this.mean, this.minStandardDeviation));
    this.expected = this.seen > 0 ? this.mean : NaN;
    this.upper = this.expected + sigma * Math.min(this.clip, this.threshold + this.drift - this.upperSum);
    this.lower = this.expected - sigma * Math.min(this.clip, this.threshold + this.drift - this.lowerSum);
  }

  protected describe(): string {
    if (this.score === 0 && this.seen < this.minPoints && !this.isAnomaly) return `learning the baseline: ${this.seen} of ${this.minPoints} points`;
    if (this.isAnomaly) {
      return `sustained shift ${this.alarmSide > 0 ? 'upwards' : 'downwards'}: the cumulative deviation from the baseline ${formatNumber(this.expected)} reached ${formatNumber(this.score)}σ (threshold ${formatNumber(this.threshold)}); baseline relearnt from here`;
    }
    return `cumulative deviation ${formatNumber(this.score)}σ of ${formatNumber(this.threshold)} from the baseline ${formatNumber(this.expected)} (band ${formatNumber(this.lower)} – ${formatNumber(this.upper)})`;
  }

  protected override direction(): 'above' | 'below' | 'change' {
    return this.isAnomaly ? 'change' : super.direction();
  }

  reset(): void {
    this.resetBase();
    this.seen = 0;
    this.mean = 0;
    this.variance = 0;
    this.upperSum = 0;
    this.lowerSum = 0;
    this.alarmSide = 0;
  }

  snapshot(): DetectorSnapshot {
    return {
      kind: this.kind,
      version: 1,
      options: { threshold: this.threshold, drift: this.drift, baselineAlpha: this.baselineAlpha, minPoints: this.minPoints, clip: this.clip, minStandardDeviation: this.minStandardDeviation },
      state: { ...this.baseState(), seen: this.seen, mean: this.mean, variance: this.variance, upperSum: this.upperSum, lowerSum: this.lowerSum, alarmSide: this.alarmSide },
    };
  }

  /**
   * Rebuilds a detector from {@link CusumDetector.snapshot} output.
   *
   * @throws ValidationError when the snapshot is malformed.
   */
  static restore(snapshot: unknown): CusumDetector {
    const { options, state } = openSnapshot(snapshot, 'cusum');
    const d = new CusumDetector(options as CusumOptions);
    const path = 'snapshot.state';
    d.restoreBase(state, path);
    d.seen = readInteger(state, 'seen', path, 0);
    d.mean = readNumber(state, 'mean', path);
    d.variance = Math.max(0, readNumber(state, 'variance', path));
    d.upperSum = Math.max(0, readNumber(state, 'upperSum', path));
    d.lowerSum = Math.max(0, readNumber(state, 'lowerSum', path));
    d.alarmSide = readInteger(state, 'alarmSide', path, -1, 1);
    return d;
  }
}

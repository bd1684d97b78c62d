import { BaseDetector, formatNumber, integerOption, numberOption, openSnapshot, optionsRecord, readInteger, readNumber, scaleFloor } from './base';
import type { DetectorSnapshot } from './types';

export interface EwmaOptions {
  /** Weight of the newest point in the exponentially weighted mean and variance, in (0, 1). Default 0.05. */
  readonly alpha?: number;
  /** Flag when |value - mean| / σ reaches this. Default 4. */
  readonly threshold?: number;
  /** Points needed before anything is scored. Default 20. */
  readonly minPoints?: number;
  /** σ never drops below this (absolute units). Default 0. */
  readonly minStandardDeviation?: number;
}

/**
 * Exponentially weighted moving average with exponentially weighted variance: the expected value is the EWMA of
 * the past, σ the square root of the EW variance, and the score |value - EWMA| / σ. O(1) time and memory.
 * Until 1/alpha points have been seen the weight is 1/n (a plain running mean), so the start is not biased
 * towards the first value.
 *
 * @example
 * const d = new EwmaDetector({ alpha: 0.1 });
 * for (let i = 0; i < 100; i++) d.update(i, 5 + (i % 2));
 * d.update(100, 20) > 4; // true
 */
export class EwmaDetector extends BaseDetector {
  readonly kind = 'ewma' as const;
  readonly alpha: number;
  readonly threshold: number;
  readonly minPoints: number;
  readonly minStandardDeviation: number;
  private seen = 0;
  private mean = 0;
  private variance = 0;

  constructor(options: EwmaOptions = {}) {
    super();
    const o = optionsRecord(options);
    this.alpha = numberOption(o.alpha, 'options.alpha', 0.05, 0, 1, true);
    this.threshold = numberOption(o.threshold, 'options.threshold', 4, 0, 1e6, true);
    this.minPoints = integerOption(o.minPoints, 'options.minPoints', 20, 1, 1_000_000);
    this.minStandardDeviation = numberOption(o.minStandardDeviation, 'options.minStandardDeviation', 0, 0, 1e300);
  }

  protected observe(_timestamp: number, value: number): void {
    const sigma = Math.max(Math.sqrt(this.variance), scaleFloor(this.mean, this.minStandardDeviation));
    const expected = this.seen > 0 ? this.mean : value;
    this.expected = expected;
    this.lower = expected - this.threshold * sigma;
    this.upper = expected + this.threshold * sigma;
    const d = value - expected;
    if (this.seen >= this.minPoints) {
      const z = Math.abs(d) / sigma;
      this.score = z;
      this.isAnomaly = z >= this.threshold;
    } else {
      this.score = 0;
      this.isAnomaly = false;
    }
    this.seen++;
    const w = this.seen * this.alpha < 1 ? 1 / this.seen : this.alpha;
    const increment = w * d;
    this.mean = expected + increment;
    this.variance = (1 - w) * (this.variance + d * increment);
  }

  protected skip(): void {
    const sigma = Math.max(Math.sqrt(this.variance), scaleFloor(this.mean, this.minStandardDeviation));
    this.expected = this.seen > 0 ? this.mean : NaN;
    this.lower = this.expected - this.threshold * sigma;
    this.upper = this.expected + this.threshold * sigma;
  }

  protected describe(): string {
    if (this.seen <= this.minPoints && this.score === 0) return `warming up: ${this.seen} of ${this.minPoints} points seen`;
    const side = this.lastValue >= this.expected ? 'above' : 'below';
    return `value ${formatNumber(this.lastValue)} is ${formatNumber(this.score)}σ ${side} the moving average ${formatNumber(this.expected)} (band ${formatNumber(this.lower)} – ${formatNumber(this.upper)})`;
  }

  reset(): void {
    this.resetBase();
    this.seen = 0;
    this.mean = 0;
    this.variance = 0;
  }

  snapshot(): DetectorSnapshot {
    return {
      kind: this.kind,
      version: 1,
      options: { alpha: this.alpha, threshold: this.threshold, minPoints: this.minPoints, minStandardDeviation: this.minStandardDeviation },
      state: { ...this.baseState(), seen: this.seen, mean: this.mean, variance: this.variance },
    };
  }

  /**
   * Rebuilds a detector from {@link EwmaDetector.snapshot} output.
   *
   * @throws ValidationError when the snapshot is malformed.
   */
  static restore(snapshot: unknown): EwmaDetector {
    const { options, state } = openSnapshot(snapshot, 'ewma');
    const d = new EwmaDetector(options as EwmaOptions);
    d.restoreBase(state, 'snapshot.state');
    d.seen = readInteger(state, 'seen', 'snapshot.state', 0);
    d.mean = readNumber(state, 'mean', 'snapshot.state');
    d.variance = readNumber(state, 'variance', 'snapshot.state');
    if (d.variance < 0) d.variance = 0;
    return d;
  }
}

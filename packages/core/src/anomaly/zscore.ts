import { BaseDetector, formatNumber, integerOption, jsonArray, numberOption, openSnapshot, optionsRecord, readFloatArray, readInteger, readNumber, scaleFloor } from './base';
import type { DetectorSnapshot } from './types';

export interface RollingZScoreOptions {
  /** Points in the trailing window that define "normal". Default 100. */
  readonly window?: number;
  /** Flag when |value - mean| / σ reaches this. Default 4. */
  readonly threshold?: number;
  /** Points needed before anything is scored. Default 20 (at most `window`). */
  readonly minPoints?: number;
  /** σ never drops below this (absolute units), so a constant series still scores a change. Default 0. */
  readonly minStandardDeviation?: number;
}

/**
 * Rolling z-score: how many standard deviations the new value lies from the mean of the previous `window` values.
 * O(1) per point (running Welford mean and squared deviations with removal, recomputed exactly once per window
 * to shed rounding drift), memory O(window). The point is scored against the window before it joins it.
 *
 * @example
 * const d = new RollingZScoreDetector({ window: 50, threshold: 3 });
 * for (let i = 0; i < 100; i++) d.update(i * 60_000, 10 + Math.sin(i));
 * d.update(100 * 60_000, 40); // a large score
 * d.explain().reason; // "value 40 is 42.1σ above the rolling mean 10 (band 7.9 – 12.1)"
 */
export class RollingZScoreDetector extends BaseDetector {
  readonly kind = 'zscore' as const;
  readonly window: number;
  readonly threshold: number;
  readonly minPoints: number;
  readonly minStandardDeviation: number;
  private ring: Float64Array;
  private head = 0;
  private filled = 0;
  private mean = 0;
  private squaredDeviations = 0;
  private sinceRecompute = 0;

  constructor(options: RollingZScoreOptions = {}) {
    super();
    const o = optionsRecord(options);
    this.window = integerOption(o.window, 'options.window', 100, 2, 1_000_000);
    this.threshold = numberOption(o.threshold, 'options.threshold', 4, 0, 1e6, true);
    this.minPoints = Math.min(this.window, integerOption(o.minPoints, 'options.minPoints', 20, 2, 1_000_000));
    this.minStandardDeviation = numberOption(o.minStandardDeviation, 'options.minStandardDeviation', 0, 0, 1e300);
    this.ring = new Float64Array(this.window);
  }

  protected observe(_timestamp: number, value: number): void {
    const sigma = this.sigma();
    this.expected = this.filled > 0 ? this.mean : value;
    this.lower = this.expected - this.threshold * sigma;
    this.upper = this.expected + this.threshold * sigma;
    if (this.filled >= this.minPoints) {
      const z = Math.abs(value - this.mean) / sigma;
      this.score = z;
      this.isAnomaly = z >= this.threshold;
    } else {
      this.score = 0;
      this.isAnomaly = false;
    }
    this.push(value);
  }

  protected skip(): void {
    const sigma = this.sigma();
    this.expected = this.filled > 0 ? this.mean : NaN;
    this.lower = this.expected - this.threshold * sigma;
    this.upper = this.expected + this.threshold * sigma;
  }

  private sigma(): number {
    const variance = this.filled > 0 ? this.squaredDeviations / this.filled : 0;
    return Math.max(Math.sqrt(variance), scaleFloor(this.mean, this.minStandardDeviation));
  }

  private push(value: number): void {
    if (this.filled === this.window) {
      const old = this.ring[this.head] as number;
      // remove old
      const delta = old - this.mean;
      const n = this.filled - 1;
      this.mean -= delta / n;
      this.squaredDeviations -= delta * (old - this.mean);
      this.filled = n;
    }
    this.ring[this.head] = value;
    this.head = this.head + 1 === this.window ? 0 : this.head + 1;
    const n = this.filled + 1;
    const delta = value - this.mean;
    this.mean += delta / n;
    this.squaredDeviations += delta * (value - this.mean);
    this.filled = n;
    if (this.squaredDeviations < 0) this.squaredDeviations = 0;
    if (++this.sinceRecompute >= this.window) this.recompute();
  }

  /** Exact mean and squared deviations of the window (two passes), to shed the drift of add/remove updates. */
  private recompute(): void {
    this.sinceRecompute = 0;
    const n = this.filled;
    const start = (this.head - n + this.window) % this.window;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.ring[(start + i) % this.window] as number;
    const mean = sum / n;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const d = (this.ring[(start + i) % this.window] as number) - mean;
      ss += d * d;
    }
    this.mean = mean;
    this.squaredDeviations = ss;
  }

  protected describe(): string {
    if (this.filled < this.minPoints && !this.isAnomaly && this.score === 0) return `warming up: ${this.filled} of ${this.minPoints} points seen`;
    const side = this.lastValue >= this.expected ? 'above' : 'below';
    return `value ${formatNumber(this.lastValue)} is ${formatNumber(this.score)}σ ${side} the rolling mean ${formatNumber(this.expected)} (band ${formatNumber(this.lower)} – ${formatNumber(this.upper)})`;
  }

  reset(): void {
    this.resetBase();
    this.ring.fill(0);
    this.head = 0;
    this.filled = 0;
    this.mean = 0;
    this.squaredDeviations = 0;
    this.sinceRecompute = 0;
  }

  snapshot(): DetectorSnapshot {
    return {
      kind: this.kind,
      version: 1,
      options: { window: this.window, threshold: this.threshold, minPoints: this.minPoints, minStandardDeviation: this.minStandardDeviation },
      state: {
        ...this.baseState(),
        ring: jsonArray(this.ring),
        head: this.head,
        filled: this.filled,
        mean: this.mean,
        squaredDeviations: this.squaredDeviations,
        sinceRecompute: this.sinceRecompute,
      },
    };
  }

  /**
   * Rebuilds a detector from {@link RollingZScoreDetector.snapshot} output.
   *
   * @throws ValidationError when the snapshot is malformed.
   */
  static restore(snapshot: unknown): RollingZScoreDetector {
    const { options, state } = openSnapshot(snapshot, 'zscore');
    const d = new RollingZScoreDetector(options as RollingZScoreOptions);
    d.restoreBase(state, 'snapshot.state');
    d.ring = readFloatArray(state, 'ring', 'snapshot.state', d.window);
    d.head = readInteger(state, 'head', 'snapshot.state', 0, d.window - 1);
    d.filled = readInteger(state, 'filled', 'snapshot.state', 0, d.window);
    d.mean = readNumber(state, 'mean', 'snapshot.state');
    d.squaredDeviations = readNumber(state, 'squaredDeviations', 'snapshot.state');
    d.sinceRecompute = readInteger(state, 'sinceRecompute', 'snapshot.state', 0, d.window);
    return d;
  }
}


import { MAD_NORMAL_SCALE, sortedMadAround, sortedMedian } from '../stats/robust';
import { BaseDetector, formatNumber, integerOption, jsonArray, numberOption, openSnapshot, optionsRecord, readFloatArray, scaleFloor } from './base';
import type { DetectorSnapshot } from './types';
import { ValidationError } from '../errors';

export interface RobustZScoreOptions {
  /** Points in the trailing window. Default 100. */
  readonly window?: number;
  /** Flag when |value - median| / (1.4826·MAD) reaches this. Default 4. */
  readonly threshold?: number;
  /** Points needed before anything is scored. Default 20 (at most `window`). */
  readonly minPoints?: number;
  /** The robust σ never drops below this (absolute units). Default 0. */
  readonly minStandardDeviation?: number;
}

/**
 * Robust z-score: the distance of the new value from the median of the previous `window` values, in units of
 * the scaled median absolute deviation (1.4826·MAD estimates σ for normal data). Unlike the mean and standard
 * deviation, median and MAD ignore the outliers already in the window, so one spike does not hide the next.
 * When more than half the window is identical (MAD = 0, common for counts), the mean absolute deviation from the
 * median (scaled by √(π/2)) stands in for it.
 *
 * The window is kept sorted (binary search and a block move per point: O(window) memory moves, no allocation);
 * the median is read directly and the MAD found in O(log window) from the two sorted runs of deviations.
 *
 * @example
 * const d = new RobustZScoreDetector({ window: 60 });
 * for (let i = 0; i < 60; i++) d.update(i, i % 5 === 0 ? 100 : 10); // spikes do not move the median
 * d.update(60, 10); // 0
 */
export class RobustZScoreDetector extends BaseDetector {
  readonly kind = 'robust-zscore' as const;
  readonly window: number;
  readonly threshold: number;
  readonly minPoints: number;
  readonly minStandardDeviation: number;
  private ring: Float64Array;
  private sorted: Float64Array;
  private head = 0;
  private filled = 0;

  constructor(options: RobustZScoreOptions = {}) {
    super();
    const o = optionsRecord(options);
    this.window = integerOption(o.window, 'options.window', 100, 3, 100_000);
    this.threshold = numberOption(o.threshold, 'options.threshold', 4, 0, 1e6, true);
    this.minPoints = Math.min(this.window, integerOption(o.minPoints, 'options.minPoints', 20, 3, 100_000));
    this.minStandardDeviation = numberOption(o.minStandardDeviation, 'options.minStandardDeviation', 0, 0, 1e300);
    this.ring = new Float64Array(this.window);
    this.sorted = new Float64Array(this.window);
  }

  /** Robust σ of the current window around `center`. */
  private scale(center: number): number {
    const n = this.filled;
    let s = sortedMadAround(this.sorted, 0, n, center) * MAD_NORMAL_SCALE;
    if (!(s > 0) && n > 0) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += Math.abs((this.sorted[i] as number) - center);
      s = (sum / n) * 1.2533141373155001; // √(π/2): mean absolute deviation → σ for normal data
    }
    return Math.max(s, scaleFloor(center, this.minStandardDeviation));
  }

  protected observe(_timestamp: number, value: number): void {
    const n = this.filled;
    const center = n > 0 ? sortedMedian(this.sorted, 0, n) : value;
    const sigma = n > 0 ? this.scale(center) : scaleFloor(value, this.minStandardDeviation);
    this.expected = center;
    this.lower = center - this.threshold * sigma;
    this.upper = center + this.threshold * sigma;
    if (n >= this.minPoints) {
      const z = Math.abs(value - center) / sigma;
      this.score = z;
      this.isAnomaly = z >= this.threshold;
    } else {
      this.score = 0;
      this.isAnomaly = false;
    }
    this.push(value);
  }

  protected skip(): void {
    const n = this.filled;
    if (n === 0) {
      this.expected = this.lower = this.upper = NaN;
      return;
    }
    const center = sortedMedian(this.sorted, 0, n);
    const sigma = this.scale(center);
    this.expected = center;
    this.lower = center - this.threshold * sigma;
    this.upper = center + this.threshold * sigma;
  }

  private push(value: number): void {
    const sorted = this.sorted;
    let n = this.filled;
    if (n === this.window) {
      const old = this.ring[this.head] as number;
      const at = lowerBound(sorted, n, old);
      sorted.copyWithin(at, at + 1, n);
      n--;
    }
    const at = lowerBound(sorted, n, value);
    sorted.copyWithin(at + 1, at, n);
    sorted[at] = value;
    this.filled = n + 1;
    this.ring[this.head] = value;
    this.head = this.head + 1 === this.window ? 0 : this.head + 1;
  }

  protected describe(): string {
    if (this.filled <= this.minPoints && this.score === 0 && this.count < this.minPoints) return `warming up: ${this.filled} of ${this.minPoints} points seen`;
    const side = this.lastValue >= this.expected ? 'above' : 'below';
    return `value ${formatNumber(this.lastValue)} is ${formatNumber(this.score)} robust σ ${side} the rolling median ${formatNumber(this.expected)} (band ${formatNumber(this.lower)} – ${formatNumber(this.upper)})`;
  }

  reset(): void {
    this.resetBase();
    this.ring.fill(0);
    this.sorted.fill(0);
    this.head = 0;
    this.filled = 0;
  }

  snapshot(): DetectorSnapshot {
    // The sorted copy is derived state: only the ring (in arrival order) is stored.
    const n = this.filled;
    const values: number[] = [];
    const start = (this.head - n + this.window) % this.window;
    for (let i = 0; i < n; i++) values.push(this.ring[(start + i) % this.window] as number);
    return {
      kind: this.kind,
      version: 1,
      options: { window: this.window, threshold: this.threshold, minPoints: this.minPoints, minStandardDeviation: this.minStandardDeviation },
      state: { ...this.baseState(), values: jsonArray(values) },
    };
  }

  /**
   * Rebuilds a detector from {@link RobustZScoreDetector.snapshot} output.
   *
   * @throws ValidationError when the snapshot is malformed.
   */
  static restore(snapshot: unknown): RobustZScoreDetector {
    const { options, state } = openSnapshot(snapshot, 'robust-zscore');
    const d = new RobustZScoreDetector(options as RobustZScoreOptions);
    d.restoreBase(state, 'snapshot.state');
    const raw = state.values;
    if (!Array.isArray(raw) || raw.length > d.window) throw new ValidationError('snapshot.state.values', `an array of at most ${d.window} numbers`, raw);
    const values = readFloatArray(state, 'values', 'snapshot.state', raw.length);
    for (const v of values) d.push(v);
    return d;
  }
}

/** First index in sorted[0..n) whose value is >= v. */
function lowerBound(sorted: Float64Array, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

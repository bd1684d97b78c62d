import { assertFiniteNumber, ValidationError } from '../errors';

/** The JSON-safe state of a {@link RunningStats}. */
export interface RunningStatsJSON {
  readonly count: number;
  readonly mean: number;
  readonly sumSquaredDeviations: number;
}

/**
 * Online mean and variance (Welford's algorithm): numerically stable, O(1) memory, mergeable.
 * NaN values are ignored.
 *
 * @example
 * const s = new RunningStats();
 * for (const v of [2, 4, 4, 4, 5, 5, 7, 9]) s.add(v);
 * s.mean; // 5
 * s.populationVariance; // 4
 */
export class RunningStats {
  count = 0;
  mean = 0;
  /** Σ (x - mean)², often called M2. */
  sumSquaredDeviations = 0;

  /** Adds one value (NaN is skipped). */
  add(value: number): void {
    if (value !== value) return;
    this.count++;
    const delta = value - this.mean;
    this.mean += delta / this.count;
    this.sumSquaredDeviations += delta * (value - this.mean);
  }

  /** Removes a value that was added before (for sliding windows). Removing from an empty accumulator is a no-op. */
  remove(value: number): void {
    if (value !== value || this.count === 0) return;
    if (this.count === 1) {
      this.reset();
      return;
    }
    const delta = value - this.mean;
    this.count--;
    this.mean -= delta / this.count;
    this.sumSquaredDeviations -= delta * (value - this.mean);
    if (this.sumSquaredDeviations < 0) this.sumSquaredDeviations = 0;
  }

  /** Folds another accumulator into this one (Chan et al.'s parallel update). */
  merge(other: RunningStats): void {
    if (other.count === 0) return;
    if (this.count === 0) {
      this.count = other.count;
      this.mean = other.mean;
      this.sumSquaredDeviations = other.sumSquaredDeviations;
      return;
    }
    const count = this.count + other.count;
    const delta = other.mean - this.mean;
    this.mean += (delta * other.count) / count;
    this.sumSquaredDeviations += other.sumSquaredDeviations + (delta * delta * this.count * other.count) / count;
    this.count = count;
  }

  reset(): void {
    this.count = 0;
    this.mean = 0;
    this.sumSquaredDeviations = 0;
  }

  /** Σ(x - mean)² / n; 0 when empty. */
  get populationVariance(): number {
    return this.count > 0 ? this.sumSquaredDeviations / this.count : 0;
  }

  /** Σ(x - mean)² / (n - 1); 0 when fewer than two values. */
  get sampleVariance(): number {
    return this.count > 1 ? this.sumSquaredDeviations / (this.count - 1) : 0;
  }

  get populationStandardDeviation(): number {
    return Math.sqrt(this.populationVariance);
  }

  get sampleStandardDeviation(): number {
    return Math.sqrt(this.sampleVariance);
  }

  toJSON(): RunningStatsJSON {
    return { count: this.count, mean: this.mean, sumSquaredDeviations: this.sumSquaredDeviations };
  }

  /**
   * Rebuilds an accumulator from {@link RunningStats.toJSON} output.
   *
   * @throws ValidationError when a field is missing or out of range.
   */
  static fromJSON(json: unknown, path = 'json'): RunningStats {
    if (json === null || typeof json !== 'object') throw new ValidationError(path, 'a RunningStats snapshot object', json);
    const j = json as Record<string, unknown>;
    const count = j.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) throw new ValidationError(`${path}.count`, 'an integer >= 0', count);
    assertFiniteNumber(j.mean, `${path}.mean`);
    assertFiniteNumber(j.sumSquaredDeviations, `${path}.sumSquaredDeviations`);
    if (j.sumSquaredDeviations < 0) throw new ValidationError(`${path}.sumSquaredDeviations`, 'a number >= 0', j.sumSquaredDeviations);
    const s = new RunningStats();
    s.count = count;
    s.mean = j.mean;
    s.sumSquaredDeviations = j.sumSquaredDeviations;
    return s;
  }
}

/**
 * One step of an exponentially weighted mean and variance (West/Finch incremental form): with weight `alpha` on the
 * new value, `mean' = mean + alpha·d` and `variance' = (1 - alpha)·(variance + alpha·d²)` where `d = value - mean`.
 * Writes the new mean and variance into `out[0]` and `out[1]` (no allocation on hot paths).
 *
 * @example
 * const out = new Float64Array(2);
 * exponentialMovingUpdate(10, 0, 0.5, 12, out); // out = [11, 1]
 */
export function exponentialMovingUpdate(mean: number, variance: number, alpha: number, value: number, out: Float64Array): void {
  const d = value - mean;
  const increment = alpha * d;
  out[0] = mean + increment;
  out[1] = (1 - alpha) * (variance + d * increment);
}

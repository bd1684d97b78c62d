import { describeValue, ValidationError } from '../errors';
import { erf } from '../stats/normal';
import type { AnomalyDirection, AnomalyExplanation, DetectorKind, DetectorSnapshot } from './types';

/** Values beyond this magnitude are clamped before any arithmetic, so squares and sums cannot overflow. */
export const MAX_MAGNITUDE = 1e150;

/** Clamps a finite value into ±MAX_MAGNITUDE (non-finite values are handled as missing by the callers). */
export function clampMagnitude(value: number): number {
  return value > MAX_MAGNITUDE ? MAX_MAGNITUDE : value < -MAX_MAGNITUDE ? -MAX_MAGNITUDE : value;
}

/** The smallest standard deviation a detector divides by, relative to the level (keeps constant series finite). */
export function scaleFloor(level: number, absoluteFloor: number): number {
  const relative = 1e-9 * Math.abs(level);
  return Math.max(absoluteFloor, relative, 1e-12);
}

/** A σ-distance mapped to [0, 1] as the probability that a normal deviate is less extreme: erf(z/√2). */
export function sigmaLikelihood(score: number): number {
  if (!(score > 0)) return 0;
  const p = erf(score / Math.SQRT2);
  return p > 1 ? 1 : p;
}

/** Formats a number for reasons: three significant digits, no exponent for everyday magnitudes. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(2);
  return Number(v.toPrecision(3)).toString();
}

/**
 * Shared plumbing of the streaming detectors: timestamp checks, missing values, the last point's details and
 * the explanation. Subclasses implement `observe` (a present value) and `skip` (a missing one).
 */
export abstract class BaseDetector {
  abstract readonly kind: DetectorKind;
  /** The flagging threshold on `score`. */
  abstract readonly threshold: number;

  count = 0;
  score = 0;
  expected = NaN;
  lower = NaN;
  upper = NaN;
  isAnomaly = false;
  protected lastTimestamp = -Infinity;
  protected lastValue = NaN;

  /** Handles a present, clamped value; sets score, expected, lower, upper, isAnomaly. */
  protected abstract observe(timestamp: number, value: number): void;
  /** Handles a missing value; sets expected, lower, upper (score 0, not flagged). */
  protected abstract skip(timestamp: number): void;
  /** Why the last point scored what it did. */
  protected abstract describe(): string;
  abstract snapshot(): DetectorSnapshot;
  abstract reset(): void;

  update(timestamp: number, value: number): number {
    if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) throw new ValidationError('timestamp', 'a finite epoch-millisecond number', timestamp);
    if (timestamp < this.lastTimestamp) {
      throw new ValidationError('timestamp', `a timestamp >= the previous one (${this.lastTimestamp})`, timestamp);
    }
    this.lastTimestamp = timestamp;
    this.lastValue = value;
    if (typeof value !== 'number' || value !== value || value === Infinity || value === -Infinity) {
      this.score = 0;
      this.isAnomaly = false;
      this.skip(timestamp);
    } else {
      this.observe(timestamp, clampMagnitude(value));
      if (!(this.score >= 0)) this.score = 0; // never NaN out, whatever happened inside
    }
    this.count++;
    return this.score;
  }

  get likelihood(): number {
    return sigmaLikelihood(this.score);
  }

  protected direction(): AnomalyDirection {
    const v = this.lastValue;
    return v > this.upper ? 'above' : v < this.lower ? 'below' : v > this.expected ? 'above' : 'below';
  }

  explain(): AnomalyExplanation {
    return {
      detector: this.kind,
      timestamp: this.lastTimestamp,
      index: this.count - 1,
      value: typeof this.lastValue === 'number' ? this.lastValue : NaN,
      expected: this.expected,
      lower: this.lower,
      upper: this.upper,
      score: this.score,
      likelihood: this.likelihood,
      threshold: this.threshold,
      isAnomaly: this.isAnomaly,
      direction: this.direction(),
      reason: this.lastValue === this.lastValue && Number.isFinite(this.lastValue) ? this.describe() : 'missing value: not scored',
    };
  }

  /** Clears the fields this base class owns (subclasses clear their own in `reset`). */
  protected resetBase(): void {
    this.count = 0;
    this.score = 0;
    this.expected = NaN;
    this.lower = NaN;
    this.upper = NaN;
    this.isAnomaly = false;
    this.lastTimestamp = -Infinity;
    this.lastValue = NaN;
  }

  protected baseState(): Record<string, unknown> {
    return {
      count: this.count,
      score: this.score,
      expected: jsonNumber(this.expected),
      lower: jsonNumber(this.lower),
      upper: jsonNumber(this.upper),
      isAnomaly: this.isAnomaly,
      lastTimestamp: jsonNumber(this.lastTimestamp),
      lastValue: jsonNumber(this.lastValue),
    };
  }

  protected restoreBase(state: Record<string, unknown>, path: string): void {
    this.count = readInteger(state, 'count', path, 0);
    this.score = readNumber(state, 'score', path);
    this.expected = readNumberOrNull(state, 'expected', path);
    this.lower = readNumberOrNull(state, 'lower', path);
    this.upper = readNumberOrNull(state, 'upper', path);
    this.isAnomaly = readBoolean(state, 'isAnomaly', path);
    this.lastTimestamp = readNumberOrNull(state, 'lastTimestamp', path, -Infinity);
    this.lastValue = readNumberOrNull(state, 'lastValue', path);
  }
}

// ---- JSON helpers: snapshots hold only JSON values; NaN and ±Infinity become null or strings. ----

/** NaN → null, ±Infinity → "Infinity"/"-Infinity"; finite numbers unchanged. */
export function jsonNumber(v: number): number | string | null {
  if (v !== v) return null;
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

export function jsonArray(a: Float64Array | readonly number[]): (number | string | null)[] {
  return Array.from(a, jsonNumber);
}

export function asRecord(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError(path, 'an object', value);
  return value as Record<string, unknown>;
}

function decodeNumber(raw: unknown, fallback: number): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (raw === null) return fallback;
  if (raw === 'Infinity') return Infinity;
  if (raw === '-Infinity') return -Infinity;
  return undefined;
}

export function readNumber(o: Record<string, unknown>, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValidationError(`${path}.${key}`, 'a finite number', v);
  return v;
}

export function readNumberOrNull(o: Record<string, unknown>, key: string, path: string, fallback = NaN): number {
  const v = decodeNumber(o[key], fallback);
  if (v === undefined) throw new ValidationError(`${path}.${key}`, 'a number, null, "Infinity" or "-Infinity"', o[key]);
  return v;
}

export function readInteger(o: Record<string, unknown>, key: string, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new ValidationError(`${path}.${key}`, `an integer in [${min}, ${max}]`, v);
  return v;
}

export function readBoolean(o: Record<string, unknown>, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw new ValidationError(`${path}.${key}`, 'a boolean', v);
  return v;
}

/** Reads an array of numbers (null allowed as NaN) of an exact length into a Float64Array. */
export function readFloatArray(o: Record<string, unknown>, key: string, path: string, length: number, allowNull = false): Float64Array {
  const v = o[key];
  if (!Array.isArray(v) || v.length !== length) throw new ValidationError(`${path}.${key}`, `an array of ${length} numbers`, v);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const d = decodeNumber(v[i], NaN);
    if (d === undefined || (!allowNull && v[i] === null)) throw new ValidationError(`${path}.${key}[${i}]`, allowNull ? 'a number or null' : 'a number', v[i]);
    out[i] = d;
  }
  return out;
}

/** Checks the envelope of a snapshot and returns its options and state records. */
export function openSnapshot(snapshot: unknown, kind: DetectorKind, path = 'snapshot'): { options: Record<string, unknown>; state: Record<string, unknown> } {
  const s = asRecord(snapshot, path);
  if (s.kind !== kind) throw new ValidationError(`${path}.kind`, `'${kind}'`, s.kind);
  if (s.version !== 1) throw new ValidationError(`${path}.version`, '1', s.version);
  return { options: asRecord(s.options, `${path}.options`), state: asRecord(s.state, `${path}.state`) };
}

/** Validates a positive integer option. */
export function integerOption(value: unknown, path: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new ValidationError(path, `an integer in [${min}, ${max}]`, value);
  return value;
}

/** Validates a numeric option in an open or closed range. */
export function numberOption(value: unknown, path: string, fallback: number, min: number, max: number, minExclusive = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value > max || (minExclusive ? value <= min : value < min)) {
    throw new ValidationError(path, `a number in ${minExclusive ? '(' : '['}${min}, ${max}]`, value);
  }
  return value;
}

export function optionsRecord(options: unknown): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new ValidationError('options', 'an options object', options);
  return options as Record<string, unknown>;
}

export { describeValue };

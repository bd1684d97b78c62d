import { ValidationError } from '@vigil/core';

/** Health of a service, a metric or any entity. */
export type HealthState = 'ok' | 'warning' | 'critical' | 'unknown';

export const HEALTH_STATES: readonly HealthState[] = ['ok', 'warning', 'critical', 'unknown'];

/** Words shown beside the status icon (never colour alone). */
export const HEALTH_LABELS: Readonly<Record<HealthState, string>> = {
  ok: 'Healthy',
  warning: 'Warning',
  critical: 'Critical',
  unknown: 'Unknown',
};

/** Severity order, worst last: ok < unknown < warning < critical. */
const severity: Readonly<Record<HealthState, number>> = { ok: 0, unknown: 1, warning: 2, critical: 3 };

/**
 * Compares two states by severity (ok < unknown < warning < critical), for sorting worst first.
 *
 * @example
 * items.sort((a, b) => compareHealth(b.status, a.status)) // worst first
 */
export function compareHealth(a: HealthState, b: HealthState): number {
  return severity[a] - severity[b];
}

/** True when `value` is one of the four states. */
export function isHealthState(value: unknown): value is HealthState {
  return value === 'ok' || value === 'warning' || value === 'critical' || value === 'unknown';
}

export interface Thresholds {
  /** At or beyond this value the status is `warning`. */
  readonly warning?: number;
  /** At or beyond this value the status is `critical`. */
  readonly critical?: number;
  /** `above` (default): higher values are worse, as for latency. `below`: lower values are worse, as for availability. */
  readonly direction?: 'above' | 'below';
}

/**
 * The status of a value against thresholds. A value at a threshold counts as crossing it. A missing or non-finite
 * value is `unknown`; a value that crosses neither threshold is `ok`.
 *
 * @throws ValidationError when a threshold is not a finite number, the direction is unknown, or `warning` lies
 *   beyond `critical`.
 * @example
 * statusFromThresholds(420, { warning: 300, critical: 500 })                     // 'warning'
 * statusFromThresholds(99.2, { warning: 99.5, critical: 99, direction: 'below' }) // 'warning'
 */
export function statusFromThresholds(value: number | null | undefined, thresholds: Thresholds): HealthState {
  if (thresholds === null || typeof thresholds !== 'object') throw new ValidationError('thresholds', 'an object with warning and/or critical', thresholds);
  const { warning, critical, direction = 'above' } = thresholds;
  if (direction !== 'above' && direction !== 'below') throw new ValidationError('thresholds.direction', '"above" or "below"', direction);
  if (warning !== undefined && (typeof warning !== 'number' || !Number.isFinite(warning))) {
    throw new ValidationError('thresholds.warning', 'a finite number', warning);
  }
  if (critical !== undefined && (typeof critical !== 'number' || !Number.isFinite(critical))) {
    throw new ValidationError('thresholds.critical', 'a finite number', critical);
  }
  const worse = (a: number, b: number) => (direction === 'above' ? a >= b : a <= b);
  if (warning !== undefined && critical !== undefined && worse(warning, critical) && warning !== critical) {
    throw new ValidationError('thresholds.warning', `a value before critical (${critical}) for direction "${direction}"`, warning);
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'unknown';
  if (critical !== undefined && worse(value, critical)) return 'critical';
  if (warning !== undefined && worse(value, warning)) return 'warning';
  return 'ok';
}

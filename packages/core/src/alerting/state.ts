import type { ActiveReason, AlertState, ThresholdOperator } from './types';
import type { CompiledLevel } from './validate';

/** The mutable state of one alert instance. @internal */
export interface InstanceCore {
  state: AlertState;
  activeAt: number | null;
  firedAt: number | null;
  resolvedAt: number | null;
  keepFiringSince: number | null;
  cooldownUntil: number | null;
  reason: ActiveReason | null;
}

/** Timing parameters of the state machine. @internal */
export interface Timing {
  readonly forMs: number;
  readonly keepFiringForMs: number;
  readonly cooldownMs: number;
}

/** Whether `value` passes `threshold` under `operator`. @internal */
export function passes(value: number, operator: ThresholdOperator, threshold: number): boolean {
  switch (operator) {
    case '>':
      return value > threshold;
    case '<':
      return value < threshold;
    case '>=':
      return value >= threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

/**
 * Whether a level is active for a (non-NaN) value. Hysteresis: a firing instance is held by the recovery threshold,
 * every other state must pass the trigger threshold. @internal
 */
export function levelActive(level: CompiledLevel, value: number, firing: boolean): boolean {
  return passes(value, level.operator, firing ? level.recovery : level.value);
}

/**
 * One tick of the state machine (inactive → pending → firing → resolved), with Prometheus' timing rules:
 * - active and inactive/resolved: pending from `now` (`activeAt`), firing at once when `forMs` is 0; a resolved
 *   instance in its cooldown stays inactive;
 * - active and pending: firing once `now - activeAt >= forMs`;
 * - not active and pending: inactive; not active and firing: keeps firing while `now - keepFiringSince <
 *   keepFiringForMs` (the first inactive tick sets `keepFiringSince`), then resolved at `now`;
 * - resolved lasts one tick, then inactive.
 * `active === null` (keep-last) changes nothing. Returns the previous state. @internal
 */
export function step(instance: InstanceCore, now: number, active: boolean | null, reason: ActiveReason | null, timing: Timing): AlertState {
  const previous = instance.state;
  if (active === null) return previous;
  switch (previous) {
    case 'inactive':
    case 'resolved':
      if (active && (instance.cooldownUntil === null || now >= instance.cooldownUntil)) {
        instance.activeAt = now;
        instance.resolvedAt = null;
        instance.keepFiringSince = null;
        instance.reason = reason;
        if (timing.forMs === 0) {
          instance.state = 'firing';
          instance.firedAt = now;
        } else {
          instance.state = 'pending';
          instance.firedAt = null;
        }
      } else if (previous === 'resolved') {
        instance.state = 'inactive';
      }
      break;
    case 'pending':
      if (active) {
        instance.reason = reason;
        if (now - (instance.activeAt as number) >= timing.forMs) {
          instance.state = 'firing';
          instance.firedAt = now;
        }
      } else {
        instance.state = 'inactive';
        instance.activeAt = null;
        instance.reason = null;
      }
      break;
    case 'firing':
      if (active) {
        instance.keepFiringSince = null;
        instance.reason = reason;
      } else {
        if (timing.keepFiringForMs > 0) {
          if (instance.keepFiringSince === null) instance.keepFiringSince = now;
          if (now - instance.keepFiringSince < timing.keepFiringForMs) break;
        }
        instance.state = 'resolved';
        instance.resolvedAt = now;
        instance.reason = null;
        instance.keepFiringSince = null;
        instance.cooldownUntil = timing.cooldownMs > 0 ? now + timing.cooldownMs : null;
      }
      break;
  }
  return previous;
}

/** A fresh inactive instance. @internal */
export function inactiveCore(): InstanceCore {
  return { state: 'inactive', activeAt: null, firedAt: null, resolvedAt: null, keepFiringSince: null, cooldownUntil: null, reason: null };
}

import { ValidationError } from '../errors';
import type { Alert, AlertGroup } from './types';

/** Largest number of alerts one group may carry into a payload builder (a guard against runaway input). */
export const MAX_ALERTS_PER_GROUP = 10_000;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function assertStringRecord(value: unknown, path: string): asserts value is Record<string, string> {
  if (!isPlainObject(value)) throw new ValidationError(path, 'an object of string values', value);
  for (const key of Object.keys(value)) {
    if (typeof value[key] !== 'string') throw new ValidationError(`${path}.${key}`, 'a string', value[key]);
  }
}

function assertTime(value: unknown, path: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ValidationError(path, 'epoch milliseconds (a finite number >= 0)', value);
}

function assertStatus(value: unknown, path: string): asserts value is 'firing' | 'resolved' {
  if (value !== 'firing' && value !== 'resolved') throw new ValidationError(path, '"firing" or "resolved"', value);
}

/**
 * Checks that `value` is an {@link Alert}; throws a ValidationError naming the bad field otherwise.
 *
 * @example
 * assertAlert({ fingerprint: 'a1', status: 'firing', labels: { alertname: 'HighErrorRate' }, annotations: {}, startsAt: 0 });
 */
export function assertAlert(value: unknown, path = 'alert'): asserts value is Alert {
  if (!isPlainObject(value)) throw new ValidationError(path, 'an alert object', value);
  if (typeof value.fingerprint !== 'string' || value.fingerprint === '') throw new ValidationError(`${path}.fingerprint`, 'a non-empty string', value.fingerprint);
  assertStatus(value.status, `${path}.status`);
  assertStringRecord(value.labels, `${path}.labels`);
  assertStringRecord(value.annotations, `${path}.annotations`);
  assertTime(value.startsAt, `${path}.startsAt`);
  if (value.endsAt !== undefined) assertTime(value.endsAt, `${path}.endsAt`);
  if (value.generatorURL !== undefined && typeof value.generatorURL !== 'string') throw new ValidationError(`${path}.generatorURL`, 'a string', value.generatorURL);
}

/**
 * Checks that `value` is an {@link AlertGroup} with 1 to {@link MAX_ALERTS_PER_GROUP} valid alerts; throws a
 * ValidationError naming the bad field (`group.alerts[3].labels.severity`) otherwise.
 *
 * @example
 * assertAlertGroup(group); // throws ValidationError('group.alerts', ...) on an empty group
 */
export function assertAlertGroup(value: unknown, path = 'group'): asserts value is AlertGroup {
  if (!isPlainObject(value)) throw new ValidationError(path, 'an alert group object', value);
  if (typeof value.groupKey !== 'string' || value.groupKey === '') throw new ValidationError(`${path}.groupKey`, 'a non-empty string', value.groupKey);
  if (typeof value.receiver !== 'string') throw new ValidationError(`${path}.receiver`, 'a string', value.receiver);
  assertStatus(value.status, `${path}.status`);
  assertStringRecord(value.groupLabels, `${path}.groupLabels`);
  assertStringRecord(value.commonLabels, `${path}.commonLabels`);
  assertStringRecord(value.commonAnnotations, `${path}.commonAnnotations`);
  const alerts = value.alerts;
  if (!Array.isArray(alerts) || alerts.length === 0 || alerts.length > MAX_ALERTS_PER_GROUP) {
    throw new ValidationError(`${path}.alerts`, `an array of 1 to ${MAX_ALERTS_PER_GROUP} alerts`, alerts);
  }
  for (let i = 0; i < alerts.length; i++) assertAlert(alerts[i], `${path}.alerts[${i}]`);
}

/** Throws unless `value` is a non-empty string; returns it. */
export function requireString(value: unknown, path: string, maxLength = 65_536): string {
  if (typeof value !== 'string' || value === '' || value.length > maxLength) throw new ValidationError(path, `a non-empty string of at most ${maxLength} characters`, value);
  return value;
}

/** Throws unless `value` is an integer in [min, max]; returns it. */
export function requireInteger(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new ValidationError(path, `an integer in [${min}, ${max}]`, value);
  return value;
}

/** Throws unless `value` is a finite number in [min, max]; returns it. */
export function requireNumber(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) throw new ValidationError(path, `a number in [${min}, ${max}]`, value);
  return value;
}

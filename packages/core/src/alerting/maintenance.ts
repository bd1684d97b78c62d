import { ValidationError, assertInteger } from '../errors';
import { assertTimeZone, fromWallTime, toWallTime } from '../windows/zone';
import { compileMatchers } from './labels';
import type { MaintenanceWindow } from './types';

const DAY_MS = 86_400_000;
const START_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** A maintenance window compiled once. @internal */
export interface CompiledMaintenanceWindow {
  readonly id: string;
  readonly window: MaintenanceWindow;
  readonly matches: (labels: Readonly<Record<string, string>>) => boolean;
  isOpen(time: number): boolean;
}

/**
 * Validates and compiles a recurring maintenance window.
 * @throws ValidationError naming the field (`maintenanceWindows[0].recurrence.start`).
 * @internal
 */
export function compileMaintenanceWindow(window: MaintenanceWindow, path = 'maintenanceWindow'): CompiledMaintenanceWindow {
  if (window === null || typeof window !== 'object') throw new ValidationError(path, 'a maintenance window object', window);
  if (typeof window.id !== 'string' || window.id === '' || window.id.length > 256) throw new ValidationError(`${path}.id`, 'a non-empty id of at most 256 characters', window.id);
  const matches = compileMatchers(window.matchers, `${path}.matchers`);
  const timeZone = assertTimeZone(window.timeZone ?? 'UTC', `${path}.timeZone`);
  const recurrence = window.recurrence;
  if (recurrence === null || typeof recurrence !== 'object') throw new ValidationError(`${path}.recurrence`, "a recurrence { type: 'daily' | 'weekly', start, durationMs }", recurrence);
  if (recurrence.type !== 'daily' && recurrence.type !== 'weekly') throw new ValidationError(`${path}.recurrence.type`, "'daily' or 'weekly'", (recurrence as { type: unknown }).type);
  const match = typeof recurrence.start === 'string' ? START_PATTERN.exec(recurrence.start) : null;
  if (match === null) throw new ValidationError(`${path}.recurrence.start`, 'a wall-clock time HH:MM (24-hour)', recurrence.start);
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const maxDuration = recurrence.type === 'daily' ? DAY_MS : 7 * DAY_MS;
  assertInteger(recurrence.durationMs, `${path}.recurrence.durationMs`, 1, maxDuration);
  let days: Set<number> | null = null;
  if (recurrence.type === 'weekly') {
    if (!Array.isArray(recurrence.days) || recurrence.days.length === 0) throw new ValidationError(`${path}.recurrence.days`, 'a non-empty array of weekdays 0 (Sunday) .. 6', recurrence.days);
    recurrence.days.forEach((d, i) => assertInteger(d, `${path}.recurrence.days[${i}]`, 0, 6));
    days = new Set(recurrence.days);
  }
  const range = window.activeRange;
  if (range !== undefined) {
    if (range === null || typeof range !== 'object' || !Number.isFinite(range.start) || !Number.isFinite(range.end) || range.end < range.start) {
      throw new ValidationError(`${path}.activeRange`, 'a time range { start, end } with start <= end', range);
    }
  }
  const durationMs = recurrence.durationMs;
  const lookbackDays = Math.ceil(durationMs / DAY_MS) + 1;
  return {
    id: window.id,
    window,
    matches,
    isOpen(time: number): boolean {
      if (range !== undefined && (time < range.start || time > range.end)) return false;
      const wall = toWallTime(time, timeZone);
      for (let back = 0; back <= lookbackDays; back++) {
        const start = fromWallTime({ year: wall.year, month: wall.month, day: wall.day - back, hour, minute, second: 0, millisecond: 0 }, timeZone);
        if (start > time) continue;
        if (time >= start + durationMs) continue;
        if (days !== null) {
          const civil = new Date(0);
          civil.setUTCFullYear(wall.year, wall.month - 1, wall.day - back);
          if (!days.has(civil.getUTCDay())) continue;
        }
        return true;
      }
      return false;
    },
  };
}

/**
 * Whether a recurring maintenance window is open at `time` (epoch ms). Wall-clock times are read in the window's
 * time zone, so a daily 02:00 window stays at 02:00 local time across daylight-saving changes (on a day when 02:00
 * does not exist it opens when the clocks jump).
 *
 * @throws ValidationError for a malformed window.
 * @example
 * isMaintenanceWindowOpen({ id: 'nightly', matchers: [], timeZone: 'Europe/Berlin', recurrence: { type: 'daily', start: '02:00', durationMs: 3_600_000 } }, Date.UTC(2026, 0, 5, 1, 30));
 * // true (02:30 in Berlin)
 */
export function isMaintenanceWindowOpen(window: MaintenanceWindow, time: number): boolean {
  if (typeof time !== 'number' || !Number.isFinite(time)) throw new ValidationError('time', 'a finite epoch-millisecond time', time);
  return compileMaintenanceWindow(window).isOpen(time);
}

import { ValidationError } from '../errors';
import { parseDuration } from '../series/duration';
import { CALENDAR_UNITS, NOMINAL_UNIT_MS, calendarPeriod, type CalendarUnit, type Period } from './calendar';
import { assertTimeZone } from './zone';

/** A window that ends at the evaluation time and has a fixed length. */
export interface RollingWindow {
  readonly kind: 'rolling';
  readonly durationMs: number;
}

/** A calendar period (this week, this month, this quarter) in a time zone. */
export interface CalendarWindow {
  readonly kind: 'calendar';
  readonly unit: CalendarUnit;
  readonly timeZone: string;
  /** 0 = Sunday .. 6 = Saturday; used by `week`. */
  readonly weekStartsOn: number;
}

export type TimeWindow = RollingWindow | CalendarWindow;

/** What `normalizeWindow` accepts. Durations are milliseconds or strings such as `"28d"`, `"1h30m"`. */
export type TimeWindowInput =
  | { readonly kind?: 'rolling'; readonly duration: number | string }
  | { readonly kind: 'calendar'; readonly unit: CalendarUnit; readonly timeZone?: string; readonly weekStartsOn?: number };

const OPENSLO_CALENDAR: Readonly<Record<string, CalendarUnit>> = { d: 'day', w: 'week', M: 'month', Q: 'quarter', Y: 'year' };

/**
 * Parses a duration in milliseconds (a number) or text. Text is a Prometheus duration (`5m`, `1h30m`, `28d`; see
 * `parseDuration`) and must be > 0.
 *
 * @throws ValidationError naming `path`.
 * @example
 * parseWindowDuration('28d'); // 2_419_200_000
 */
export function parseWindowDuration(value: unknown, path = 'duration'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0 || !Number.isInteger(value)) throw new ValidationError(path, 'a whole number of milliseconds > 0', value);
    return value;
  }
  if (typeof value !== 'string') throw new ValidationError(path, 'a duration such as "5m", "1h" or "28d", or milliseconds', value);
  const ms = parseDuration(value, path);
  if (ms <= 0) throw new ValidationError(path, 'a duration > 0', value);
  return ms;
}

/**
 * Parses an OpenSLO duration shorthand: a whole number and one unit of `m h d w M Q Y`. Calendar units (`M`, `Q`,
 * `Y`, and `d`/`w` for calendar windows) come back as a unit and count; the others as milliseconds.
 *
 * @example
 * parseOpenSLODuration('28d'); // { ms: 2_419_200_000, calendarUnit: 'day', count: 28 }
 * parseOpenSLODuration('1M'); // { ms: null, calendarUnit: 'month', count: 1 }
 */
export function parseOpenSLODuration(value: unknown, path = 'duration'): { ms: number | null; calendarUnit: CalendarUnit | null; count: number } {
  const match = typeof value === 'string' ? /^([1-9][0-9]*)([smhdwMQY])$/.exec(value) : null;
  if (match === null) throw new ValidationError(path, 'an OpenSLO duration such as "5m", "1h", "28d", "1w", "1M" or "1Q"', value);
  const count = Number(match[1]);
  const unit = match[2] as string;
  const calendarUnit = OPENSLO_CALENDAR[unit] ?? null;
  const unitMs: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
  const size = unitMs[unit];
  return { ms: size === undefined ? null : count * size, calendarUnit, count };
}

/**
 * Validates a window description and returns its normal form.
 *
 * @throws ValidationError naming the bad field under `path`.
 * @example
 * normalizeWindow({ duration: '30d' }); // { kind: 'rolling', durationMs: 2_592_000_000 }
 * normalizeWindow({ kind: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' });
 */
export function normalizeWindow(input: unknown, path = 'window'): TimeWindow {
  if (input === null || typeof input !== 'object') throw new ValidationError(path, 'a window { duration } or { kind: "calendar", unit, timeZone }', input);
  const window = input as Record<string, unknown>;
  const kind = window.kind ?? 'rolling';
  if (kind === 'rolling') return { kind: 'rolling', durationMs: parseWindowDuration(window.duration, `${path}.duration`) };
  if (kind === 'calendar') {
    if (!CALENDAR_UNITS.includes(window.unit as CalendarUnit)) throw new ValidationError(`${path}.unit`, `one of ${CALENDAR_UNITS.join(', ')}`, window.unit);
    const timeZone = assertTimeZone(window.timeZone ?? 'UTC', `${path}.timeZone`);
    const weekStartsOn = window.weekStartsOn ?? 1;
    if (typeof weekStartsOn !== 'number' || !Number.isInteger(weekStartsOn) || weekStartsOn < 0 || weekStartsOn > 6) {
      throw new ValidationError(`${path}.weekStartsOn`, 'an integer 0 (Sunday) .. 6 (Saturday)', weekStartsOn);
    }
    return { kind: 'calendar', unit: window.unit as CalendarUnit, timeZone, weekStartsOn };
  }
  throw new ValidationError(`${path}.kind`, '"rolling" or "calendar"', kind);
}

/**
 * The span a window covers when evaluated at `at`: for a rolling window `(at - duration, at]`; for a calendar window
 * the period containing `at` (`start` is the period start, `end` the period end, and `at` lies within).
 * Samples belong to a window when `start < t <= min(at, end)`: left-open, right-closed, as Prometheus range selectors.
 *
 * @example
 * windowBounds({ kind: 'rolling', durationMs: 3_600_000 }, 7_200_000); // { start: 3_600_000, end: 7_200_000 }
 */
export function windowBounds(window: TimeWindow, at: number): Period {
  if (window.kind === 'rolling') return { start: at - window.durationMs, end: at };
  const period = calendarPeriod(at, window.unit, { timeZone: window.timeZone, weekStartsOn: window.weekStartsOn });
  // A timestamp exactly on a boundary closes the previous period (right-closed windows).
  return period.start === at ? calendarPeriod(at - 1, window.unit, { timeZone: window.timeZone, weekStartsOn: window.weekStartsOn }) : period;
}

/**
 * A single representative length: the duration of a rolling window, or the nominal length of a calendar unit
 * (week 7d, month 30d, quarter 90d, year 365d). Used to scale burn-rate factors.
 *
 * @example
 * nominalWindowMs({ kind: 'calendar', unit: 'month', timeZone: 'UTC', weekStartsOn: 1 }); // 2_592_000_000
 */
export function nominalWindowMs(window: TimeWindow): number {
  return window.kind === 'rolling' ? window.durationMs : NOMINAL_UNIT_MS[window.unit];
}

/**
 * A short label for a window: `30d`, `1h30m`, `calendar month (Europe/Berlin)`.
 *
 * @example
 * describeWindow({ kind: 'rolling', durationMs: 2_419_200_000 }); // "28d"
 */
export function describeWindow(window: TimeWindow): string {
  return window.kind === 'rolling' ? formatDayDuration(window.durationMs) : `calendar ${window.unit} (${window.timeZone})`;
}

/**
 * Formats whole milliseconds as a Prometheus duration using days as the largest unit (`28d`, `1h30m`, `5m`,
 * `1500ms` → `1s500ms`), which `parseDuration` reads back. Weeks and years are never used, so SLO windows keep
 * their familiar names.
 *
 * @throws ValidationError unless `ms` is a whole number >= 0.
 * @example
 * formatDayDuration(2_592_000_000); // "30d"
 * formatDayDuration(5_400_000); // "1h30m"
 */
export function formatDayDuration(ms: number): string {
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0) throw new ValidationError('ms', 'a whole number of milliseconds >= 0', ms);
  if (ms === 0) return '0s';
  let rest = ms;
  let text = '';
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    if (rest >= size) {
      const count = Math.floor(rest / size);
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return text;
}

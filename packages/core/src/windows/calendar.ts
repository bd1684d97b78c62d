import { ValidationError, assertInteger } from '../errors';
import { assertTimeZone, fromWallTime, toWallTime } from './zone';

/** Calendar units a window or a report can be aligned to. */
export type CalendarUnit = 'day' | 'week' | 'month' | 'quarter' | 'year';

export const CALENDAR_UNITS: readonly CalendarUnit[] = ['day', 'week', 'month', 'quarter', 'year'];

/** Where calendar periods start. */
export interface CalendarOptions {
  /** IANA time zone; default `UTC`. */
  readonly timeZone?: string;
  /** First day of the week, 0 = Sunday .. 6 = Saturday; default 1 (Monday, as ISO 8601). */
  readonly weekStartsOn?: number;
}

/** A half-open interval `[start, end)` of epoch milliseconds. */
export interface Period {
  readonly start: number;
  readonly end: number;
}

/** Nominal length of each unit in ms, used where a single number is needed (burn-rate factors). */
export const NOMINAL_UNIT_MS: Readonly<Record<CalendarUnit, number>> = {
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
  quarter: 90 * 86_400_000,
  year: 365 * 86_400_000,
};

function options(opts: CalendarOptions, path: string): { timeZone: string; weekStartsOn: number } {
  const timeZone = assertTimeZone(opts.timeZone ?? 'UTC', `${path}.timeZone`);
  const weekStartsOn = opts.weekStartsOn ?? 1;
  assertInteger(weekStartsOn, `${path}.weekStartsOn`, 0, 6);
  return { timeZone, weekStartsOn };
}

function assertUnit(unit: unknown, path: string): asserts unit is CalendarUnit {
  if (!CALENDAR_UNITS.includes(unit as CalendarUnit)) throw new ValidationError(path, `one of ${CALENDAR_UNITS.join(', ')}`, unit);
}

/** Day of week (0 = Sunday) of a civil date, independent of any zone. */
function dayOfWeek(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCDay();
}

function midnight(year: number, month: number, day: number, timeZone: string): number {
  return fromWallTime({ year, month, day, hour: 0, minute: 0, second: 0, millisecond: 0 }, timeZone);
}

/**
 * The calendar period of `unit` that contains `epochMs`, as `[start, end)` in local midnights of `timeZone`.
 * Periods are DST-correct: a day in which clocks go forward lasts 23 hours, a month containing that day one hour
 * less than its nominal length.
 *
 * @throws ValidationError for an unknown unit, time zone or week start.
 * @example
 * calendarPeriod(Date.UTC(2024, 2, 15), 'month', { timeZone: 'Europe/Berlin' });
 * // { start: Date.UTC(2024, 1, 29, 23), end: Date.UTC(2024, 2, 31, 22) }: 1 March 00:00 CET to 1 April 00:00 CEST
 */
export function calendarPeriod(epochMs: number, unit: CalendarUnit, opts: CalendarOptions = {}): Period {
  if (typeof epochMs !== 'number' || !Number.isFinite(epochMs)) throw new ValidationError('epochMs', 'a finite epoch-millisecond time', epochMs);
  assertUnit(unit, 'unit');
  const { timeZone, weekStartsOn } = options(opts, 'options');
  const wall = toWallTime(epochMs, timeZone);
  const year = wall.year;
  let month = wall.month;
  let day = wall.day;
  switch (unit) {
    case 'day':
      break;
    case 'week':
      day -= (dayOfWeek(year, month, day) - weekStartsOn + 7) % 7;
      break;
    case 'month':
      day = 1;
      break;
    case 'quarter':
      month = month - ((month - 1) % 3);
      day = 1;
      break;
    case 'year':
      month = 1;
      day = 1;
      break;
  }
  const start = midnight(year, month, day, timeZone);
  // Defensive: a period must contain epochMs even if a zone rule moved midnight oddly.
  if (start > epochMs) return calendarPeriod(start - 1, unit, opts);
  const end = advance(year, month, day, unit, 1, timeZone);
  return { start, end: end <= start ? start + 1 : end };
}

function advance(year: number, month: number, day: number, unit: CalendarUnit, count: number, timeZone: string): number {
  switch (unit) {
    case 'day':
      return midnight(year, month, day + count, timeZone);
    case 'week':
      return midnight(year, month, day + 7 * count, timeZone);
    case 'month':
      return midnight(year, month + count, 1, timeZone);
    case 'quarter':
      return midnight(year, month + 3 * count, 1, timeZone);
    case 'year':
      return midnight(year + count, 1, 1, timeZone);
  }
}

/**
 * The calendar periods of `unit` that overlap `[start, end)`, in order, each `[start, end)`. They partition time:
 * each period's end is the next one's start. The first period may begin before `start` and the last end after
 * `end`. At most `maxPeriods` (default 100 000) are returned.
 *
 * @throws ValidationError for a bad range, unit, zone, or when more than `maxPeriods` periods overlap the range.
 * @example
 * calendarPeriods({ start: Date.UTC(2024, 0, 1), end: Date.UTC(2024, 6, 1) }, 'quarter').length; // 2
 */
export function calendarPeriods(range: { readonly start: number; readonly end: number }, unit: CalendarUnit, opts: CalendarOptions & { readonly maxPeriods?: number } = {}): Period[] {
  if (range === null || typeof range !== 'object') throw new ValidationError('range', 'a time range { start, end }', range);
  if (!Number.isFinite(range.start)) throw new ValidationError('range.start', 'a finite epoch-millisecond time', range.start);
  if (!Number.isFinite(range.end) || range.end < range.start) throw new ValidationError('range.end', `a finite time at or after start (${range.start})`, range.end);
  const maxPeriods = opts.maxPeriods ?? 100_000;
  const periods: Period[] = [];
  let period = calendarPeriod(range.start, unit, opts);
  periods.push(period);
  while (period.end < range.end) {
    if (periods.length >= maxPeriods) throw new ValidationError('range', `a range covering at most ${maxPeriods} ${unit} periods`, range);
    period = calendarPeriod(period.end, unit, opts);
    periods.push(period);
  }
  return periods;
}

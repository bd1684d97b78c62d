import { ValidationError } from '../errors';

/**
 * Wall-clock arithmetic in IANA time zones with nothing but `Intl.DateTimeFormat`. Offsets are read from the
 * platform's time-zone database, so daylight-saving changes and zones with 30- or 45-minute offsets are handled
 * the same way as every other instant.
 */

/** A wall-clock date and time in some zone. `month` is 1..12. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string, path: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch (cause) {
      throw Object.assign(new ValidationError(path, 'an IANA time zone such as "Europe/Berlin" or "UTC"', timeZone), { cause });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Checks that `timeZone` is a time zone the platform knows, and returns it.
 *
 * @throws ValidationError naming `path` otherwise.
 * @example
 * assertTimeZone('Asia/Kolkata'); // "Asia/Kolkata"
 * assertTimeZone('Mars/Olympus'); // throws "timeZone: expected an IANA time zone ..."
 */
export function assertTimeZone(timeZone: unknown, path = 'timeZone'): string {
  if (typeof timeZone !== 'string' || timeZone === '') throw new ValidationError(path, 'an IANA time zone such as "Europe/Berlin" or "UTC"', timeZone);
  formatterFor(timeZone, path);
  return timeZone;
}

/**
 * The wall-clock time at instant `epochMs` in `timeZone`.
 *
 * @example
 * toWallTime(Date.UTC(2024, 2, 31, 1, 0), 'Europe/Berlin'); // { year: 2024, month: 3, day: 31, hour: 3, ... } (CEST)
 */
export function toWallTime(epochMs: number, timeZone: string): WallTime {
  const formatter = formatterFor(timeZone, 'timeZone');
  const whole = Math.floor(epochMs / 1000) * 1000;
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const part of formatter.formatToParts(whole)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value);
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
      case 'era':
        bc = part.value === 'BC' || part.value === 'B';
        break;
      default:
        break;
    }
  }
  if (bc) year = 1 - year;
  return { year, month, day, hour: hour === 24 ? 0 : hour, minute, second, millisecond: epochMs - whole };
}

/**
 * The zone's offset from UTC at `epochMs`, in milliseconds (positive east of Greenwich: +3_600_000 for CET).
 *
 * @example
 * zoneOffsetMs(Date.UTC(2024, 0, 15), 'Asia/Kolkata'); // 19_800_000 (+05:30)
 */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const wall = toWallTime(epochMs, timeZone);
  return wallAsUtc(wall) - epochMs;
}

function wallAsUtc(wall: WallTime): number {
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, wall.millisecond);
  return date.getTime();
}

const DAY_MS = 86_400_000;

/**
 * The instant at which the wall clock in `timeZone` shows `wall`. Fields may overflow (`day: 32` rolls into the next
 * month), as with `Date.UTC`.
 *
 * - When the wall time happens twice (clocks going back), the first instant is returned.
 * - When it does not happen at all (clocks going forward), the instant the clocks jump is returned: the first
 *   instant whose wall time is later than the one asked for. So the start of a day is always a real instant.
 *
 * @example
 * // Clocks in Berlin jump from 02:00 to 03:00 on 2024-03-31; 02:30 does not exist.
 * fromWallTime({ year: 2024, month: 3, day: 31, hour: 2, minute: 30, second: 0, millisecond: 0 }, 'Europe/Berlin');
 * // Date.UTC(2024, 2, 31, 1, 0): the jump, 03:00 CEST
 */
export function fromWallTime(wall: WallTime, timeZone: string): number {
  const local = wallAsUtc(wall);
  const offsetBefore = zoneOffsetMs(local - DAY_MS, timeZone);
  const offsetAfter = zoneOffsetMs(local + DAY_MS, timeZone);
  const early = local - Math.max(offsetBefore, offsetAfter);
  const late = local - Math.min(offsetBefore, offsetAfter);
  const earlyOk = zoneOffsetMs(early, timeZone) === local - early;
  const lateOk = zoneOffsetMs(late, timeZone) === local - late;
  if (earlyOk) return early;
  if (lateOk) return late;
  // A gap: find the transition between `early` (still before the jump) and `late` (after it) by bisection.
  let lo = Math.min(early, late);
  let hi = Math.max(early, late);
  const offsetLo = zoneOffsetMs(lo, timeZone);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zoneOffsetMs(mid, timeZone) === offsetLo) lo = mid;
    else hi = mid;
  }
  return hi;
}

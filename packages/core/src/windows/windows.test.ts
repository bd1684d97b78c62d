import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { calendarPeriod, calendarPeriods, type CalendarUnit } from './calendar';
import { formatDayDuration, normalizeWindow, parseOpenSLODuration, parseWindowDuration, windowBounds } from './window';
import { fromWallTime, toWallTime, zoneOffsetMs } from './zone';
import { ValidationError } from '../errors';

const H = 3_600_000;
const D = 24 * H;
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Adelaide', 'Australia/Lord_Howe', 'America/St_Johns', 'America/Santiago'];
const UNITS: CalendarUnit[] = ['day', 'week', 'month', 'quarter', 'year'];

describe('zone arithmetic', () => {
  it('reads offsets, including 30-minute ones and DST', () => {
    expect(zoneOffsetMs(Date.UTC(2024, 0, 15), 'Asia/Kolkata')).toBe(5.5 * H);
    expect(zoneOffsetMs(Date.UTC(2024, 0, 15), 'Europe/Berlin')).toBe(H);
    expect(zoneOffsetMs(Date.UTC(2024, 6, 15), 'Europe/Berlin')).toBe(2 * H);
    expect(zoneOffsetMs(Date.UTC(2024, 6, 15), 'Australia/Adelaide')).toBe(9.5 * H);
    expect(zoneOffsetMs(Date.UTC(2024, 0, 15), 'Australia/Adelaide')).toBe(10.5 * H);
    // Lord Howe moves its clocks by only 30 minutes.
    expect(zoneOffsetMs(Date.UTC(2024, 0, 15), 'Australia/Lord_Howe')).toBe(11 * H);
    expect(zoneOffsetMs(Date.UTC(2024, 6, 15), 'Australia/Lord_Howe')).toBe(10.5 * H);
  });

  it('resolves skipped wall times to the jump and repeated ones to the first instant', () => {
    const gap = fromWallTime({ year: 2024, month: 3, day: 31, hour: 2, minute: 30, second: 0, millisecond: 0 }, 'Europe/Berlin');
    expect(gap).toBe(Date.UTC(2024, 2, 31, 1));
    const overlap = fromWallTime({ year: 2024, month: 11, day: 3, hour: 1, minute: 30, second: 0, millisecond: 0 }, 'America/New_York');
    expect(overlap).toBe(Date.UTC(2024, 10, 3, 5, 30)); // 01:30 EDT, not 01:30 EST
    // Santiago skips midnight when DST starts (2024-09-08 00:00 -> 01:00).
    const skippedMidnight = fromWallTime({ year: 2024, month: 9, day: 8, hour: 0, minute: 0, second: 0, millisecond: 0 }, 'America/Santiago');
    expect(toWallTime(skippedMidnight, 'America/Santiago')).toMatchObject({ year: 2024, month: 9, day: 8, hour: 1, minute: 0 });
    expect(toWallTime(skippedMidnight - 1, 'America/Santiago')).toMatchObject({ month: 9, day: 7, hour: 23 });
  });

  it('round-trips every instant that is not in an overlap (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }), fc.constantFrom(...ZONES), (t, zone) => {
        const wall = toWallTime(t, zone);
        const back = fromWallTime(wall, zone);
        // In an overlap the first of the two instants comes back, which is up to the size of the jump earlier.
        expect(toWallTime(back, zone)).toEqual(wall);
        expect(back).toBeLessThanOrEqual(t);
        expect(t - back).toBeLessThanOrEqual(H);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects unknown zones with a ValidationError', () => {
    expect(() => calendarPeriod(0, 'day', { timeZone: 'Mars/Olympus' })).toThrow(ValidationError);
    expect(() => calendarPeriod(0, 'day', { timeZone: 'Mars/Olympus' })).toThrow(/options.timeZone: expected an IANA time zone/);
  });
});

describe('calendar periods', () => {
  it('has DST-correct month boundaries in Europe/Berlin', () => {
    const march = calendarPeriod(Date.UTC(2024, 2, 15), 'month', { timeZone: 'Europe/Berlin' });
    expect(march).toEqual({ start: Date.UTC(2024, 1, 29, 23), end: Date.UTC(2024, 2, 31, 22) });
    expect(march.end - march.start).toBe(31 * D - H);
    const october = calendarPeriod(Date.UTC(2024, 9, 15), 'month', { timeZone: 'Europe/Berlin' });
    expect(october.end - october.start).toBe(31 * D + H);
  });

  it('has 23- and 25-hour days in America/New_York', () => {
    expect(calendarPeriod(Date.UTC(2024, 2, 10, 12), 'day', { timeZone: 'America/New_York' })).toEqual({ start: Date.UTC(2024, 2, 10, 5), end: Date.UTC(2024, 2, 11, 4) });
    const fallBack = calendarPeriod(Date.UTC(2024, 10, 3, 12), 'day', { timeZone: 'America/New_York' });
    expect(fallBack.end - fallBack.start).toBe(25 * H);
  });

  it('starts weeks on Monday by default and on the chosen day otherwise', () => {
    // 2024-03-31 is a Sunday, the day Berlin switches to summer time.
    const week = calendarPeriod(Date.UTC(2024, 2, 31, 12), 'week', { timeZone: 'Europe/Berlin' });
    expect(week).toEqual({ start: Date.UTC(2024, 2, 24, 23), end: Date.UTC(2024, 3, 1, 0) - 2 * H });
    expect(week.end - week.start).toBe(7 * D - H);
    const sundayWeek = calendarPeriod(Date.UTC(2024, 2, 31, 12), 'week', { timeZone: 'Europe/Berlin', weekStartsOn: 0 });
    expect(sundayWeek.start).toBe(Date.UTC(2024, 2, 30, 23));
  });

  it('aligns quarters in a 30-minute-offset zone', () => {
    const q = calendarPeriod(Date.UTC(2024, 4, 20), 'quarter', { timeZone: 'Asia/Kolkata' });
    expect(q).toEqual({ start: Date.UTC(2024, 2, 31, 18, 30), end: Date.UTC(2024, 5, 30, 18, 30) });
    // Adelaide: the April-June quarter contains the end of daylight saving time (+10:30 -> +09:30).
    const adelaide = calendarPeriod(Date.UTC(2024, 4, 20), 'quarter', { timeZone: 'Australia/Adelaide' });
    expect(adelaide).toEqual({ start: Date.UTC(2024, 2, 31, 13, 30), end: Date.UTC(2024, 5, 30, 14, 30) });
  });

  it('partitions time with no gaps or overlaps, each period starting at a local day start (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.integer({ min: 1, max: 100 * D }),
        fc.constantFrom(...ZONES),
        fc.constantFrom(...UNITS),
        (start, length, zone, unit) => {
          const periods = calendarPeriods({ start, end: start + length }, unit, { timeZone: zone });
          expect(periods[0]!.start).toBeLessThanOrEqual(start);
          expect(periods.at(-1)!.end).toBeGreaterThanOrEqual(start + length);
          for (let i = 0; i < periods.length; i++) {
            const p = periods[i]!;
            expect(p.end).toBeGreaterThan(p.start);
            if (i > 0) expect(p.start).toBe(periods[i - 1]!.end);
            const first = toWallTime(p.start, zone);
            const before = toWallTime(p.start - 1, zone);
            // The instant before a period start is on an earlier local date.
            expect(Date.UTC(before.year, before.month - 1, before.day)).toBeLessThan(Date.UTC(first.year, first.month - 1, first.day));
            if (unit === 'month' || unit === 'quarter' || unit === 'year') expect(first.day).toBe(1);
            if (unit === 'quarter') expect((first.month - 1) % 3).toBe(0);
            if (unit === 'year') expect(first.month).toBe(1);
            if (unit === 'week') expect(new Date(Date.UTC(first.year, first.month - 1, first.day)).getUTCDay()).toBe(1);
            // The same period comes back for any instant inside it.
            expect(calendarPeriod(p.end - 1, unit, { timeZone: zone })).toEqual(p);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('windows', () => {
  it('parses durations', () => {
    expect(parseWindowDuration('28d')).toBe(28 * D);
    expect(parseWindowDuration(60_000)).toBe(60_000);
    expect(() => parseWindowDuration('0', 'spec.window')).toThrow(/spec.window/);
    expect(() => parseWindowDuration(-5)).toThrow(ValidationError);
    expect(parseOpenSLODuration('1M')).toEqual({ ms: null, calendarUnit: 'month', count: 1 });
    expect(parseOpenSLODuration('5m')).toEqual({ ms: 300_000, calendarUnit: null, count: 5 });
    expect(() => parseOpenSLODuration('1.5h')).toThrow(ValidationError);
    expect(formatDayDuration(30 * D)).toBe('30d');
    expect(formatDayDuration(90 * 60_000)).toBe('1h30m');
  });

  it('normalises and bounds windows (right-closed at calendar boundaries)', () => {
    expect(normalizeWindow({ duration: '30d' })).toEqual({ kind: 'rolling', durationMs: 30 * D });
    const month = normalizeWindow({ kind: 'calendar', unit: 'month' });
    expect(windowBounds(month, Date.UTC(2024, 1, 1))).toEqual({ start: Date.UTC(2024, 0, 1), end: Date.UTC(2024, 1, 1) });
    expect(windowBounds(month, Date.UTC(2024, 1, 1) + 1)).toEqual({ start: Date.UTC(2024, 1, 1), end: Date.UTC(2024, 2, 1) });
    expect(() => normalizeWindow({ kind: 'calendar', unit: 'fortnight' }, 'spec.window')).toThrow(/spec.window.unit/);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defineSLO } from './define';
import { eventsFromCounts, type SLIEvents } from './events';
import { burnRate, evaluateSLO, formatBudgetTime, type SLOStatus } from './evaluate';
import { complianceReport, evaluateAlertHistory, sloTimeline } from './history';
import { calendarPeriod } from '../windows';
import type { SLOInput } from './types';

const M = 60_000;
const H = 60 * M;
const D = 24 * H;

/** Brute force over per-interval counts: sum good and total with timestamps in (from, to]. */
function bruteSum(events: SLIEvents, from: number, to: number, skip: (t: number) => boolean = () => false): { good: number; total: number } {
  let good = 0;
  let total = 0;
  for (let i = 0; i < events.timestamps.length; i++) {
    const t = events.timestamps[i]!;
    if (t > from && t <= to && !skip(t)) {
      good += events.good[i]!;
      total += events.total[i]!;
    }
  }
  return { good, total };
}

function everyNumberFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (value === null || typeof value !== 'object') return true;
  return Object.values(value).every(everyNumberFinite);
}

const eventsArb = (maxLength = 200) =>
  fc
    .array(fc.tuple(fc.integer({ min: 1, max: 10 * M }), fc.nat({ max: 1000 }), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength })
    .map((rows) => {
      let t = 1_700_000_000_000;
      const timestamps: number[] = [];
      const good: number[] = [];
      const total: number[] = [];
      for (const [gap, n, share] of rows) {
        t += gap;
        timestamps.push(t);
        total.push(n);
        good.push(Math.round(n * share));
      }
      return eventsFromCounts({ timestamps, good, total });
    });

const base: SLOInput = { name: 'api', sli: { kind: 'ratio' }, target: 0.99, window: { duration: '1d' } };

describe('evaluateSLO against brute force', () => {
  it('counts, attainment, burn rates and budget identities (property)', () => {
    fc.assert(
      fc.property(eventsArb(), fc.integer({ min: 0, max: 3 * D }), fc.constantFrom(0.9, 0.99, 0.999, 0.99999), fc.integer({ min: M, max: 2 * D }), (events, offset, target, windowMs) => {
        const slo = defineSLO({ ...base, target, window: { duration: windowMs } });
        const at = 1_700_000_000_000 + offset;
        const status = evaluateSLO(slo, events, { at, burnRateWindows: [5 * M, H, windowMs] });
        const oracle = bruteSum(events, at - windowMs, at);
        expect(status.total).toBe(oracle.total);
        expect(status.good).toBe(oracle.good);
        expect(status.attainment).toBe(oracle.total > 0 ? oracle.good / oracle.total : null);
        for (const b of status.burnRates) {
          const o = bruteSum(events, at - b.windowMs, at);
          const expected = o.total > 0 ? (o.total - o.good) / o.total / (1 - target) : 0;
          expect(b.burnRate).toBeCloseTo(expected, 9);
        }
        // Rolling window: the whole budget's consumed share is the burn rate over the window.
        expect(status.errorBudget.ratio.consumed).toBeCloseTo(status.burnRates[2]!.burnRate, 9);
        for (const amount of [status.errorBudget.ratio, status.errorBudget.events, status.errorBudget.timeMs]) {
          expect(amount.remaining + amount.consumed).toBeCloseTo(amount.total, 6);
        }
        expect(status.errorBudget.timeMs.total).toBeCloseTo((1 - target) * windowMs, 6);
        expect(everyNumberFinite(status)).toBe(true);
        expect(status.status === 'breached').toBe(status.errorBudget.ratio.remaining < 0);
      }),
      { numRuns: 200 },
    );
  });

  it('gives documented, finite results with no traffic', () => {
    const slo = defineSLO(base);
    for (const events of [eventsFromCounts({ timestamps: [], good: [], total: [] }), eventsFromCounts({ timestamps: [M, 2 * M], good: [0, 0], total: [0, 0] })]) {
      const s = evaluateSLO(slo, events, { at: 3 * M });
      expect(s.attainment).toBeNull();
      expect(s.attainmentReason).toBe('no-data');
      expect(s.errorBudget.ratio).toEqual({ total: 1, consumed: 0, remaining: 1 });
      expect(s.errorBudget.events).toEqual({ total: 0, consumed: 0, remaining: 0 });
      expect(s.burnRates.every((b) => b.burnRate === 0)).toBe(true);
      expect(s.exhaustion).toMatchObject({ state: 'not-burning', at: null });
      expect(s.status).toBe('healthy');
      expect(everyNumberFinite(s)).toBe(true);
    }
  });

  it('excludes maintenance windows from the budget entirely (oracle: the same data without those events)', () => {
    fc.assert(
      fc.property(eventsArb(), fc.integer({ min: 0, max: 20 * H }), fc.integer({ min: 0, max: 6 * H }), (events, startOffset, length) => {
        const start = 1_700_000_000_000 + startOffset;
        const m = { start, end: start + length };
        const at = 1_700_000_000_000 + D;
        const slo = defineSLO({ ...base, maintenance: [m] });
        const status = evaluateSLO(slo, events, { at });
        const oracle = bruteSum(events, at - D, at, (t) => t > m.start && t <= m.end);
        expect(status.total).toBe(oracle.total);
        expect(status.good).toBe(oracle.good);
        const excluded = Math.max(0, Math.min(m.end, at) - Math.max(m.start, at - D));
        expect(status.excludedMs).toBe(excluded);
        expect(status.windowLengthMs).toBe(D - excluded);
      }),
      { numRuns: 100 },
    );
  });

  it('projects exhaustion linearly: a steady burn rate of 1 runs out exactly at the calendar period end (property, across DST)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'),
        fc.constantFrom('week' as const, 'month' as const),
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2025, 11, 1) }),
        fc.double({ min: 0.02, max: 0.98, noNaN: true }),
        (timeZone, unit, anchor, progress) => {
          const slo = defineSLO({ ...base, target: 0.99, window: { kind: 'calendar', unit, timeZone }, projectionWindow: '1h' });
          const period = calendarPeriod(anchor, unit, { timeZone });
          // 100 events per minute from the period start, exactly 1 bad: error ratio 1% = burn rate 1.
          const at = period.start + Math.max(2 * H, Math.floor(((period.end - period.start) * progress) / M) * M);
          const n = Math.round((at - period.start) / M);
          const timestamps = Float64Array.from({ length: n }, (_, i) => period.start + (i + 1) * M);
          const events = { timestamps, good: new Float64Array(n).fill(99), total: new Float64Array(n).fill(100) };
          const s = evaluateSLO(slo, events, { at });
          expect(s.window).toEqual(period);
          expect(s.exhaustion.state).toBe('projected');
          expect(s.exhaustion.burnRate).toBeCloseTo(1, 9);
          expect(s.exhaustion.at!).toBeCloseTo(period.end, -1); // within 10 ms of the period end
          expect(s.errorBudget.ratio.consumed).toBeCloseTo((at - period.start) / (period.end - period.start), 9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reports budget time for people and statuses with documented thresholds', () => {
    expect(formatBudgetTime(3 * H + 12 * M)).toBe('3h 12m');
    expect(formatBudgetTime(2 * D + 4 * H + 5 * M)).toBe('2d 4h');
    expect(formatBudgetTime(-(H + 5 * M))).toBe('-1h 5m');
    expect(formatBudgetTime(45_000)).toBe('45s');
    const slo = defineSLO({ ...base, target: 0.99 });
    const statusWith = (bad: number): SLOStatus => evaluateSLO(slo, eventsFromCounts({ timestamps: [D], bad: [bad], total: [1000] }), { at: D });
    // Half the budget used; at the recent burn (0.5) the rest lasts 1 day, beyond the 1/10-window horizon.
    expect(statusWith(5).status).toBe('healthy');
    expect(statusWith(8).status).toBe('at-risk'); // 20% left
    expect(statusWith(10).status).toBe('at-risk'); // exactly used up
    expect(statusWith(11).status).toBe('breached');
    expect(statusWith(11).statusReason).toMatch(/overspent/);
  });

  it('burnRate matches the workbook: 14.4 over 1 hour is 2% of a 30-day budget', () => {
    const slo = defineSLO({ ...base, target: 0.999, window: { duration: '30d' } });
    // 30 days of 10,000 requests an hour; the last hour has 144 failures (1.44% = 14.4 x 0.1%).
    const timestamps = Array.from({ length: 720 }, (_, i) => (i + 1) * H);
    const events = eventsFromCounts({ timestamps, bad: timestamps.map((_, i) => (i === 719 ? 144 : 0)), total: timestamps.map(() => 10_000) });
    const b = burnRate(slo, events, H, 720 * H);
    expect(b.burnRate).toBeCloseTo(14.4, 9);
    const s = evaluateSLO(slo, events, { at: 720 * H });
    expect(s.errorBudget.ratio.consumed).toBeCloseTo(0.02, 9);
    expect(s.errorBudget.timeMs.consumed).toBeCloseTo(0.02 * 0.001 * 30 * D, 3);
  });
});

describe('Timeslices and RatioTimeslices', () => {
  it('counts good slices and averages slice ratios (oracle: slicing by hand)', () => {
    fc.assert(
      fc.property(eventsArb(150), fc.constantFrom(M, 5 * M, 15 * M), fc.constantFrom<'ignore' | 'good' | 'bad'>('ignore', 'good', 'bad'), (events, slice, noData) => {
        const at = 1_700_000_000_000 + D;
        const ts = defineSLO({ ...base, budgetingMethod: 'Timeslices', timeslice: { duration: slice, target: 0.9 }, noDataSlices: noData });
        const rts = defineSLO({ ...base, budgetingMethod: 'RatioTimeslices', timeslice: { duration: slice }, noDataSlices: noData });
        let goodSlices = 0;
        let slices = 0;
        let ratioSum = 0;
        const n = events.timestamps.length;
        if (n > 0) {
          const first = Math.ceil(events.timestamps[0]! / slice) * slice;
          const last = Math.ceil(events.timestamps[n - 1]! / slice) * slice;
          for (let end = first; end <= last; end += slice) {
            if (!(end > at - D && end <= at)) continue;
            const s = bruteSum(events, end - slice, end);
            if (s.total > 0) {
              slices++;
              if (s.good / s.total >= 0.9) goodSlices++;
              ratioSum += s.good / s.total;
            } else if (noData !== 'ignore') {
              slices++;
              if (noData === 'good') {
                goodSlices++;
                ratioSum += 1;
              }
            }
          }
        }
        const a = evaluateSLO(ts, events, { at });
        expect(a.total).toBe(slices);
        expect(a.good).toBe(goodSlices);
        const b = evaluateSLO(rts, events, { at });
        expect(b.total).toBe(slices);
        expect(b.good).toBeCloseTo(ratioSum, 9);
        expect(everyNumberFinite(a) && everyNumberFinite(b)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('multi-window multi-burn-rate alerting', () => {
  /** Per-second events: 100 requests a second, with `errorRatio` of them failing inside [from, to). */
  function outage(seconds: number, from: number, to: number, errorRatio: number): SLIEvents {
    const timestamps = new Float64Array(seconds);
    const good = new Float64Array(seconds);
    const total = new Float64Array(seconds).fill(100);
    for (let i = 0; i < seconds; i++) {
      const t = (i + 1) * 1000;
      timestamps[i] = t;
      good[i] = t > from && t <= to ? 100 * (1 - errorRatio) : 100;
    }
    return { timestamps, good, total };
  }

  it('detects a full outage after (1 - SLO) / error ratio x window x factor: 0.864 min for the 14.4 tier (SRE Workbook)', () => {
    const slo = defineSLO({ name: 'api', sli: { kind: 'ratio' }, target: 0.999 });
    // Seven clean hours (so the 6h window is full), then a full outage.
    const from = 7 * 3600_000;
    const events = outage(8 * 3600, from, 8 * 3600_000, 1);
    const intervals = evaluateAlertHistory(slo, events, { range: { start: from, end: 8 * 3600_000 }, stepMs: 1000 });
    const page = intervals.find((i) => i.tier === 'page-1h')!;
    // Workbook: detection = 0.001 / 1 x 60 min x 14.4 = 0.864 min = 51.84 s, so the first 1-second evaluation after it.
    expect(page.start - from).toBe(52_000);
    expect(page.end).toBeNull();
    const sixHour = intervals.find((i) => i.tier === 'page-6h')!;
    // 0.001 x 360 min x 6 = 2.16 min = 129.6 s.
    expect(sixHour.start - from).toBe(130_000);
    // At 52 s the 5m window holds 52 s of outage: burn 52 / 300 x 1000; the 1h window 52 / 3600 x 1000.
    expect(page.burnRateAtStart.short).toBeCloseTo((52 / 300) * 1000, 6);
    expect(page.burnRateAtStart.long).toBeCloseTo((52 / 3600) * 1000, 6);
    // Only 7 h of traffic sit in the 30-day window, so 5,200 failures already overspend it: exhausted at the start.
    expect(page.budgetRemainingAtStart).toBeCloseTo(1 - 5200 / ((7 * 3600 + 52) * 100 * 0.001), 9);
    expect(page.exhaustionAt).toBe(page.start);
  });

  it('resolves when the short window recovers, and honours `for`', () => {
    const slo = defineSLO({
      name: 'api',
      sli: { kind: 'ratio' },
      target: 0.999,
      alerting: { tiers: [{ severity: 'page', burnRate: 14.4, longWindow: '1h', shortWindow: '5m', for: '2m' }] },
    });
    // A 10-minute outage at 50% errors from t = 1h.
    const events = outage(4 * 3600, 3600_000, 3600_000 + 600_000, 0.5);
    const [interval, ...rest] = evaluateAlertHistory(slo, events, { range: { start: 0, end: 4 * 3600_000 }, stepMs: 1000 });
    expect(rest).toEqual([]);
    // Condition: 1h ratio > 0.0144 after 0.0144 x 3600 / 0.5 = 103.68 s, so pending from 104 s, firing 2 min later.
    expect(interval!.pendingSince - 3600_000).toBe(104_000);
    expect(interval!.start - 3600_000).toBe(224_000);
    // It resolves once the 5m window holds at most 0.0144 x 300 / 0.5 = 8.64 s of the outage: 600 + 300 - 8 s.
    expect(interval!.end! - 3600_000).toBe(892_000);
    expect(interval!.maxBurnRate.short).toBeCloseTo(500, 6);
  });

  it('never fires on a burn rate at or below the threshold (property: firing iff both ratios exceed it)', () => {
    fc.assert(
      fc.property(eventsArb(80), (events) => {
        const slo = defineSLO({ ...base, alerting: { tiers: [{ severity: 'page', burnRate: 2, longWindow: '1h', shortWindow: '5m' }] } });
        const start = 1_700_000_000_000;
        const intervals = evaluateAlertHistory(slo, events, { range: { start, end: start + 2 * D }, stepMs: 5 * M });
        const firing = (t: number) => intervals.some((i) => t >= i.start && (i.end === null || t < i.end));
        for (let t = Math.ceil(start / (5 * M)) * 5 * M; t <= start + 2 * D; t += 5 * M) {
          const l = bruteSum(events, t - H, t);
          const s = bruteSum(events, t - 5 * M, t);
          const ratio = (x: { good: number; total: number }) => (x.total > 0 ? (x.total - x.good) / x.total : 0);
          const threshold = 2 * (1 - 0.99);
          expect(firing(t)).toBe(ratio(l) > threshold && ratio(s) > threshold);
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('timeline and compliance', () => {
  it('timeline values are finite everywhere, including before any data', () => {
    const slo = defineSLO({ ...base, window: { kind: 'calendar', unit: 'week', timeZone: 'America/New_York' } });
    const events = eventsFromCounts({ timestamps: [10 * D, 10 * D + M], good: [0, 5], total: [0, 10] });
    // 1970-01-11 is a Sunday; the New York week runs until Monday 05:00 UTC.
    const t = sloTimeline(slo, events, { range: { start: 9 * D, end: 11 * D }, stepMs: H });
    expect(t.timestamps.length).toBe(49);
    for (const column of [t.attainment, t.budgetRemaining, t.budgetRemainingMs, t.burnRate]) expect([...column].every(Number.isFinite)).toBe(true);
    expect(t.hasData[0]).toBe(0);
    expect(t.hasData.at(-1)).toBe(1);
  });

  it('monthly compliance across DST matches brute force per period', () => {
    fc.assert(
      fc.property(eventsArb(300), (raw) => {
        // Stretch the events over about three months.
        const events = { ...raw, timestamps: raw.timestamps.map((t, i) => Date.UTC(2024, 1, 1) + i * 7 * H + (t % H)) };
        const slo = defineSLO({ ...base, target: 0.95 });
        const report = complianceReport(slo, events, { unit: 'month', timeZone: 'Europe/Berlin', range: { start: Date.UTC(2024, 1, 1), end: Date.UTC(2024, 4, 1) } });
        expect(report.periods.length).toBeGreaterThanOrEqual(3);
        for (const p of report.periods) {
          const o = bruteSum(events, p.start, p.end);
          expect(p.total).toBe(o.total);
          expect(p.good).toBe(o.good);
          expect(p.met).toBe(o.total > 0 ? o.good / o.total >= 0.95 : null);
          expect(p.budgetConsumed + p.budgetRemaining).toBeCloseTo(1, 12);
        }
      }),
      { numRuns: 40 },
    );
  });
});

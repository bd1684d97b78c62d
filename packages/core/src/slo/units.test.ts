import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '../errors';
import { defineSLO } from './define';
import { evaluateSLO } from './evaluate';
import { validateEvents, type SLIEvents } from './events';
import { validateAndSumWindows } from './units';

const MINUTE = 60_000;

/** Brute force: good and total of the events with timestamps in (from, to]. */
function bruteSum(events: SLIEvents, from: number, to: number): { good: number; total: number } {
  let good = 0;
  let total = 0;
  for (let i = 0; i < events.timestamps.length; i++) {
    const t = events.timestamps[i] as number;
    if (t > from && t <= to) {
      good += events.good[i] as number;
      total += events.total[i] as number;
    }
  }
  return { good, total };
}

const eventsArbitrary = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 })), { maxLength: 400 })
  .map((rows): SLIEvents => {
    let t = 1_700_000_000_000;
    const timestamps: number[] = [];
    const good: number[] = [];
    const total: number[] = [];
    for (const [gap, a, b] of rows) {
      t += gap * MINUTE;
      timestamps.push(t);
      total.push(Math.max(a, b));
      good.push(Math.min(a, b));
    }
    return { timestamps: Float64Array.from(timestamps), good: Float64Array.from(good), total: Float64Array.from(total) };
  });

describe('evaluateSLO at one instant (the fused validate-and-sum pass)', () => {
  const slo = defineSLO({ name: 'api', sli: { kind: 'ratio' }, target: 0.999, window: { duration: '1d' } });
  const calendar = defineSLO({ name: 'cal', sli: { kind: 'ratio' }, target: 0.99, window: { kind: 'calendar', unit: 'day', timeZone: 'Europe/Berlin' } });

  it('sums every window exactly as brute force does, at any evaluation time', () => {
    fc.assert(
      fc.property(eventsArbitrary, fc.integer({ min: -60, max: 400 * 30 + 60 }), fc.array(fc.integer({ min: 1, max: 3000 }), { maxLength: 6 }), fc.boolean(), (events, offsetMinutes, windowMinutes, useCalendar) => {
        const which = useCalendar ? calendar : slo;
        const at = 1_700_000_000_000 + offsetMinutes * MINUTE + 17;
        const windows = windowMinutes.map((m) => m * MINUTE);
        const status = evaluateSLO(which, events, { at, burnRateWindows: windows });
        const budget = bruteSum(events, status.window.start, at);
        expect([status.good, status.total]).toEqual([budget.good, budget.total]);
        status.burnRates.forEach((b, k) => {
          const expected = bruteSum(events, at - (windows[k] as number), at);
          expect([b.good, b.total]).toEqual([expected.good, expected.total]);
        });
        // The general path (taken when there is maintenance, here a window that excludes nothing) agrees exactly.
        const general = evaluateSLO(which, events, { at, burnRateWindows: windows, maintenance: [{ start: 0, end: 1 }] });
        expect(status).toEqual(general);
      }),
      { numRuns: 300 },
    );
  });

  it('throws exactly what validateEvents throws for invalid events, wherever the bad value is', () => {
    fc.assert(
      fc.property(
        eventsArbitrary.filter((e) => e.timestamps.length > 0),
        fc.nat(),
        fc.constantFrom('timestamp-nan', 'timestamp-back', 'timestamp-neg-inf', 'good-above', 'good-negative', 'total-inf', 'total-nan'),
        fc.integer({ min: -100, max: 20_000 }),
        (events, pick, kind, offsetMinutes) => {
          const i = pick % events.timestamps.length;
          const bad = { timestamps: events.timestamps.slice(), good: events.good.slice(), total: events.total.slice() };
          if (kind === 'timestamp-nan') bad.timestamps[i] = NaN;
          else if (kind === 'timestamp-back') bad.timestamps[i] = i > 0 ? (bad.timestamps[i - 1] as number) : -Infinity;
          else if (kind === 'timestamp-neg-inf') bad.timestamps[0] = -Infinity;
          else if (kind === 'good-above') bad.good[i] = (bad.total[i] as number) + 1;
          else if (kind === 'good-negative') bad.good[i] = -1;
          else if (kind === 'total-inf') bad.total[i] = Infinity;
          else bad.total[i] = NaN;
          const expected = (() => {
            try {
              validateEvents(bad, 'events');
            } catch (error) {
              return error as ValidationError;
            }
            return null;
          })();
          const at = 1_700_000_000_000 + offsetMinutes * MINUTE;
          const actual = (() => {
            try {
              validateAndSumWindows(bad, at, [at - 5 * MINUTE, at - 600 * MINUTE]);
            } catch (error) {
              return error as ValidationError;
            }
            return null;
          })();
          expect(expected).toBeInstanceOf(ValidationError);
          expect(actual).toBeInstanceOf(ValidationError);
          expect(actual!.path).toBe(expected!.path);
          expect(actual!.message).toBe(expected!.message);
          expect(() => evaluateSLO(slo, bad, { at })).toThrow(expected!.message);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects malformed columns like validateEvents', () => {
    expect(() => validateAndSumWindows({ timestamps: [1], good: [1], total: [1] } as unknown as SLIEvents, 0, [])).toThrow(/events.timestamps: expected a Float64Array/);
    expect(() => validateAndSumWindows({ timestamps: new Float64Array(2), good: new Float64Array(1), total: new Float64Array(2) }, 0, [])).toThrow(/events.good/);
    expect(validateAndSumWindows({ timestamps: new Float64Array(0), good: new Float64Array(0), total: new Float64Array(0) }, 0, [-1])).toEqual({ good: new Float64Array(1), total: new Float64Array(1) });
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  counterDeltas,
  eventsFromClassicHistogram,
  eventsFromCounts,
  eventsFromLatencySamples,
  eventsFromNativeHistograms,
  eventsFromProbes,
  eventsFromSeries,
  validateEvents,
} from './events';
import { ValidationError } from '../errors';
import type { Series } from '../series/types';

const series = (timestamps: number[], values: number[]): Series => ({ labels: {}, timestamps: Float64Array.from(timestamps), values: Float64Array.from(values) });

describe('SLI events', () => {
  it('reads counters with resets and gaps as Prometheus does', () => {
    expect([...counterDeltas([10, 15, 15, 3, 8])]).toEqual([0, 5, 0, 3, 5]);
    expect([...counterDeltas([1, NaN, 4, 2])]).toEqual([0, 0, 3, 2]);
    expect(() => counterDeltas([1, -1])).toThrow(/values\[1\]/);
  });

  it('turns bad counts into good ones and clamps scrape skew', () => {
    const e = eventsFromCounts({ timestamps: [1, 2, 3], bad: [1, 0, 5], total: [10, 0, 4] });
    expect([...e.good]).toEqual([9, 0, 0]);
    expect([...e.total]).toEqual([10, 0, 4]);
    expect(() => eventsFromCounts({ timestamps: [1, 1], good: [1, 1], total: [1, 1] })).toThrow(/timestamps\[1\]/);
    expect(() => eventsFromCounts({ timestamps: [1], total: [1] })).toThrow(ValidationError);
  });

  it('aligns counters sampled at different times (property: total increase is preserved)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 50 }), { minLength: 2, maxLength: 30 }), fc.array(fc.nat({ max: 50 }), { minLength: 2, maxLength: 30 }), (incTotal, incGood) => {
        // Total scraped every 15 s from 0, good every 20 s from 5 s, both monotone; good <= total not required here.
        const tt = incTotal.map((_, i) => i * 15_000);
        const tv = incTotal.reduce<number[]>((acc, x) => [...acc, (acc.at(-1) ?? 0) + x], []);
        const gt = incGood.map((_, i) => 5_000 + i * 20_000);
        const gv = incGood.reduce<number[]>((acc, x) => [...acc, (acc.at(-1) ?? 0) + x], []);
        const e = eventsFromSeries({ good: series(gt, gv), total: series(tt, tv) });
        const totalSum = e.total.reduce((a, b) => a + b, 0);
        expect(totalSum).toBe(tv.at(-1)! - tv[0]!);
        // Every interval is a union timestamp, ascending.
        for (let i = 1; i < e.timestamps.length; i++) expect(e.timestamps[i]!).toBeGreaterThan(e.timestamps[i - 1]!);
        validateEvents(e);
      }),
      { numRuns: 100 },
    );
  });

  it('buckets raw latency samples and probes into intervals', () => {
    const e = eventsFromLatencySamples({ timestamps: [61_000, 1, 2], values: [90, 120, 480] }, { thresholdMs: 300, stepMs: 60_000 });
    expect([...e.timestamps]).toEqual([60_000, 120_000]);
    expect([...e.good]).toEqual([1, 1]);
    expect([...e.total]).toEqual([2, 1]);
    const p = eventsFromProbes({ timestamps: [10_000, 40_000, 70_000, 80_000], values: [1, 0, 1, NaN] }, { stepMs: 60_000 });
    expect([...p.good]).toEqual([1, 1]);
    expect([...p.total]).toEqual([2, 1]);
  });

  it('reads the good count from classic histogram buckets, equal to counting raw samples (oracle)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { maxLength: 20 }), { minLength: 2, maxLength: 10 }), (perInterval) => {
        const bounds = [0.05, 0.1, 0.3, 1, Infinity];
        const cumulative = bounds.map(() => [] as number[]);
        const running = bounds.map(() => 0);
        perInterval.forEach((obs) => {
          for (const v of obs) bounds.forEach((b, k) => (running[k]! += v <= b ? 1 : 0));
          bounds.forEach((_, k) => cumulative[k]!.push(running[k]!));
        });
        const ts = perInterval.map((_, i) => (i + 1) * 60_000);
        const e = eventsFromClassicHistogram({ buckets: bounds.map((le, k) => ({ le, series: series(ts, cumulative[k]!) })) }, { threshold: 0.3 });
        // The first sample only sets the baseline; later intervals count observations exactly.
        for (let i = 1; i < perInterval.length; i++) {
          expect(e.total[i]).toBe(perInterval[i]!.length);
          expect(e.good[i]).toBe(perInterval[i]!.filter((v) => v <= 0.3).length);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('interpolates a threshold between bucket bounds linearly', () => {
    const ts = [0, 60_000];
    const e = eventsFromClassicHistogram(
      { buckets: [{ le: 0.1, series: series(ts, [0, 10]) }, { le: 0.5, series: series(ts, [0, 30]) }, { le: Infinity, series: series(ts, [0, 40]) }] },
      { threshold: 0.2 },
    );
    expect(e.good[1]).toBeCloseTo(10 + (20 * 0.1) / 0.4, 12);
    expect(() => eventsFromClassicHistogram({ buckets: [{ le: 0.1, series: series(ts, [0, 1]) }, { le: Infinity, series: series(ts, [0, 1]) }] }, { threshold: 0.2 })).toThrow(/largest finite bucket/);
  });

  it('reads native histograms with counter resets', () => {
    const h = (count: number, below: number) => ({ count, buckets: [{ lower: 0, upper: 0.25, count: below }, { lower: 0.25, upper: 1, count: count - below }] });
    const e = eventsFromNativeHistograms({ timestamps: [0, 1, 2, 3], histograms: [h(10, 8), h(30, 20), h(5, 5), h(9, 6)] }, { threshold: 0.25 });
    expect([...e.total]).toEqual([0, 20, 5, 4]);
    expect([...e.good]).toEqual([0, 12, 5, 1]);
    const half = eventsFromNativeHistograms({ timestamps: [0, 1], histograms: [h(0, 0), h(10, 0)] }, { threshold: 0.625 });
    expect(half.good[1]).toBeCloseTo(5, 12); // halfway through the (0.25, 1] bucket
  });
});

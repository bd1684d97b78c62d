import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '../errors';
import { createSeries } from './create';
import { counterChangesAt, extrapolatedCounterChange, increase, instantRate, rate, rateInWindow } from './rate';
import type { Series } from './types';

const MINUTE = 60_000;

/** Prometheus' test notation `load <step>` with `a+bxn`: n+1 samples a, a+b, ... every step from t=0. */
function load(stepMs: number, ...segments: [start: number, delta: number, times: number][]): Series {
  const values: number[] = [];
  for (const [start, delta, times] of segments) for (let k = 0; k <= times; k++) values.push(start + delta * k);
  return createSeries({ timestamps: values.map((_, i) => i * stepMs), values });
}

function loadValues(stepMs: number, values: number[]): Series {
  return createSeries({ timestamps: values.map((_, i) => i * stepMs), values });
}

const at = (series: Series, fn: typeof rate, windowMs: number, time: number): number => fn(series, { windowMs, at: [time] }).values[0] as number;

describe('rate and increase reproduce Prometheus 3 (promql/promqltest/testdata/functions.test)', () => {
  it('increase over 50m and 100m, including the zero cut-off of left extrapolation', () => {
    const foo = load(5 * MINUTE, [0, 10, 10]);
    const bar = load(5 * MINUTE, [0, 18, 5], [0, 18, 5]);
    const dings = load(5 * MINUTE, [10, 10, 10]);
    const bumms = load(5 * MINUTE, [1, 10, 10]);
    expect(at(foo, increase, 50 * MINUTE, 50 * MINUTE)).toBeCloseTo(100, 10);
    expect(at(bar, increase, 50 * MINUTE, 50 * MINUTE)).toBeCloseTo(160, 10);
    expect(at(dings, increase, 50 * MINUTE, 50 * MINUTE)).toBeCloseTo(100, 10);
    expect(at(bumms, increase, 50 * MINUTE, 50 * MINUTE)).toBeCloseTo(100, 10);
    expect(at(foo, increase, 100 * MINUTE, 50 * MINUTE)).toBeCloseTo(100, 10);
    expect(at(bar, increase, 100 * MINUTE, 50 * MINUTE)).toBeCloseTo(162, 10);
    expect(at(dings, increase, 100 * MINUTE, 50 * MINUTE)).toBeCloseTo(105, 10);
    expect(at(bumms, increase, 100 * MINUTE, 50 * MINUTE)).toBeCloseTo(101, 10);
  });

  it('treats a drop as a counter reset to zero', () => {
    const s = loadValues(5 * MINUTE, [0, 1, 2, 3, 2, 3, 4]);
    expect(at(s, increase, 30 * MINUTE, 30 * MINUTE)).toBeCloseTo(7, 10);
  });

  it('rate with a reset in the middle and at the end of the range', () => {
    const middle = load(5 * MINUTE, [0, 27, 4], [0, 27, 5]);
    expect(at(middle, rate, 50 * MINUTE, 50 * MINUTE)).toBeCloseTo(0.08, 12);
    const end = createSeries({
      timestamps: Array.from({ length: 12 }, (_, i) => i * 5 * MINUTE),
      values: [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 0, 10],
    });
    // [5m] at 50m holds only the sample at 50m: Prometheus returns nothing, we return NaN.
    expect(at(end, rate, 5 * MINUTE, 50 * MINUTE)).toBeNaN();
    expect(at(end, rate, 6 * MINUTE, 50 * MINUTE)).toBe(0);
  });

  it('rate is per second, also with an offset (evaluated 5m earlier)', () => {
    expect(at(load(5 * MINUTE, [0, 80, 10]), rate, 50 * MINUTE, 50 * MINUTE)).toBeCloseTo(0.26666666666666666, 15);
    expect(at(load(5 * MINUTE, [0, 10, 10]), rate, 10 * MINUTE, 45 * MINUTE)).toBeCloseTo(0.03333333333333333, 15);
    expect(at(load(5 * MINUTE, [0, 20, 10]), rate, 10 * MINUTE, 45 * MINUTE)).toBeCloseTo(0.06666666666666667, 15);
  });

  it('zero cut-off of left extrapolation applies until half a sample interval', () => {
    const starts = [0, 60, 120, 180, 240, 300];
    const expectedAt10m = [0.5, 0.55, 0.6, 0.6, 0.6, 0.6];
    starts.forEach((start, k) => {
      const s = load(4 * MINUTE, [start, 240, 10]);
      expect(at(s, rate, 20 * MINUTE, 10 * MINUTE)).toBeCloseTo(expectedAt10m[k] as number, 12);
      expect(at(s, rate, 20 * MINUTE, 50 * MINUTE)).toBeCloseTo(0.6, 12);
    });
  });

  it('instantRate matches irate, counter reset included', () => {
    const foo = load(5 * MINUTE, [0, 10, 10]);
    const bar = load(5 * MINUTE, [0, 10, 5], [0, 10, 5]);
    expect(at(foo, instantRate, 50 * MINUTE, 50 * MINUTE)).toBeCloseTo(1 / 30, 15);
    expect(at(bar, instantRate, 50 * MINUTE, 50 * MINUTE)).toBeCloseTo(1 / 30, 15);
    expect(at(foo, instantRate, 50 * MINUTE, 30 * MINUTE)).toBeCloseTo(1 / 30, 15);
    expect(at(bar, instantRate, 50 * MINUTE, 30 * MINUTE)).toBe(0);
  });
});

describe('rate details', () => {
  it('evaluates at the series timestamps by default and keeps name and labels', () => {
    const s = createSeries({ name: 'req', labels: { job: 'api' }, timestamps: [0, 10_000, 20_000, 30_000], values: [0, 10, 20, 30] });
    const r = rate(s, { windowMs: 30_000 });
    expect(Array.from(r.timestamps)).toEqual([0, 10_000, 20_000, 30_000]);
    expect(r.name).toBe('req');
    expect(r.labels).toEqual({ job: 'api' });
    expect(r.values[0]).toBeNaN();
    // Two samples 10 s apart, first at 0 which is 20 s after the window start (>= 1.1 * 10 s): extrapolate 5 s back;
    // the zero point is exactly at the first sample, so no extrapolation backwards; 0 s to the end.
    expect(r.values[1]).toBeCloseTo(10 / 30, 12);
    expect(r.values[3]).toBeCloseTo(1, 12);
  });

  it('without extrapolation, increase is the reset-corrected observed increase and rate is it per window second', () => {
    const s = loadValues(10_000, [5, 8, 2, 4, NaN, 9]);
    const inc = increase(s, { windowMs: 60_000, at: [50_000], extrapolate: false });
    // 8-5 + (reset: 2 counted from 0) 2 + 4-2 + 9-4 = 3 + 2 + 2 + 5 = 12
    expect(inc.values[0]).toBe(12);
    expect(rate(s, { windowMs: 60_000, at: [50_000], extrapolate: false }).values[0]).toBe(12 / 60);
  });

  it('skips NaN samples (missing data) rather than treating them as values', () => {
    const withGap = createSeries({ timestamps: [0, 10_000, 20_000, 30_000], values: [0, NaN, 20, 30] });
    const withoutGap = createSeries({ timestamps: [0, 20_000, 30_000], values: [0, 20, 30] });
    expect(Array.from(increase(withGap, { windowMs: 40_000, at: [30_000] }).values)).toEqual(
      Array.from(increase(withoutGap, { windowMs: 40_000, at: [30_000] }).values),
    );
  });

  it('a window with fewer than two samples is NaN, and an empty series gives all NaN', () => {
    const s = createSeries({ timestamps: [0, 60_000], values: [1, 2] });
    expect(Array.from(rate(s, { windowMs: 30_000 }).values)).toEqual([NaN, NaN]);
    const empty = createSeries({ timestamps: [], values: [] });
    expect(Array.from(rate(empty, { windowMs: 30_000, at: [0, 1] }).values)).toEqual([NaN, NaN]);
  });

  it('rejects bad options with paths', () => {
    const s = createSeries({ timestamps: [0], values: [1] });
    expect(() => rate(s, { windowMs: 0 })).toThrow(ValidationError);
    expect(() => rate(s, { windowMs: 0 })).toThrow(/options\.windowMs/);
    expect(() => rate(s, { windowMs: 1, at: [5, 4] })).toThrow(/options\.at\[1\]/);
    expect(() => rate(s, { windowMs: 1, at: [NaN] })).toThrow(/options\.at\[0\]/);
    const bad = { labels: {}, timestamps: new Float64Array([2, 1]), values: new Float64Array([1, 1]) };
    expect(() => rate(bad, { windowMs: 1 })).toThrow(/series\.timestamps\[1\]/);
  });

  it('handles windows with more resets than are summed one by one (prefix-sum path)', () => {
    // A sawtooth with a reset every other sample: 500 resets in the window.
    const n = 1001;
    const values = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 7 : 3));
    const s = createSeries({ timestamps: values.map((_, i) => i * 1000), values });
    const raw = increase(s, { windowMs: 2_000_000, at: [(n - 1) * 1000], extrapolate: false }).values[0];
    // 500 rises from 3 to 7 count 4 each; 500 drops from 7 to 3 are resets that count 3 each (from 0 to 3).
    expect(raw).toBe(oracle(s, 2_000_000, [(n - 1) * 1000], false, false)[0]);
    expect(raw).toBe(500 * 4 + 500 * 3);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Oracle: a plain, per-point re-implementation over arrays of objects, O(n*m), written from the Prometheus docs.
interface Sample {
  t: number;
  v: number;
}

function oracle(series: Series, windowMs: number, times: number[], isRate: boolean, extrapolate: boolean): number[] {
  const samples: Sample[] = [];
  series.timestamps.forEach((t, i) => {
    const v = series.values[i] as number;
    if (!Number.isNaN(v)) samples.push({ t, v });
  });
  return times.map((end) => {
    const start = end - windowMs;
    const inWindow = samples.filter((s) => s.t > start && s.t <= end);
    if (inWindow.length < 2) return NaN;
    const first = inWindow[0] as Sample;
    const last = inWindow[inWindow.length - 1] as Sample;
    let delta = last.v - first.v;
    for (let k = 1; k < inWindow.length; k++) {
      const prev = inWindow[k - 1] as Sample;
      if ((inWindow[k] as Sample).v < prev.v) delta += prev.v;
    }
    if (!extrapolate) return isRate ? delta / (windowMs / 1000) : delta;
    const covered = (last.t - first.t) / 1000;
    const gap = covered / (inWindow.length - 1);
    let before = (first.t - start) / 1000;
    let after = (end - last.t) / 1000;
    if (!(before < gap * 1.1)) before = gap / 2;
    if (delta > 0 && first.v >= 0) before = Math.min(before, (covered * first.v) / delta);
    if (!(after < gap * 1.1)) after = gap / 2;
    const extrapolated = (delta * (covered + before + after)) / covered;
    return isRate ? extrapolated / (windowMs / 1000) : extrapolated;
  });
}

const windowArbitrary = fc.oneof(fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 1, max: 200 }).map((s) => s * 1000));

const counterArbitrary = fc
  .array(
    fc.record({
      // Whole seconds half of the time, so that samples land exactly on window edges.
      gap: fc.oneof(fc.integer({ min: 1, max: 30_000 }), fc.integer({ min: 1, max: 30 }).map((s) => s * 1000)),
      step: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant(-1)),
      missing: fc.boolean(),
    }),
    { maxLength: 60 },
  )
  .map((rows) => {
    const timestamps: number[] = [];
    const values: number[] = [];
    let t = 1_700_000_000_000;
    let v = 0;
    for (const row of rows) {
      t += row.gap;
      // -1 means a reset: the counter restarts from a small value.
      v = row.step < 0 ? v % 7 : v + row.step;
      timestamps.push(t);
      values.push(row.missing && timestamps.length % 3 === 0 ? NaN : v);
    }
    return createSeries({ timestamps, values });
  });

function close(actual: ArrayLike<number>, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    const a = actual[i] as number;
    if (Number.isNaN(e)) expect(a).toBeNaN();
    else expect(Math.abs(a - e)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e)));
  });
}

describe('rate and increase against the brute-force oracle', () => {
  it('at the series timestamps and at arbitrary evaluation times, with and without extrapolation', () => {
    fc.assert(
      fc.property(
        counterArbitrary,
        windowArbitrary,
        fc.array(fc.oneof(fc.integer({ min: -50_000, max: 1_500_000 }), fc.integer({ min: 0, max: 1500 }).map((s) => s * 1000)), { maxLength: 30 }),
        fc.boolean(),
        (series, windowMs, offsets, extrapolate) => {
          const base = 1_700_000_000_000;
          const times = offsets.map((o) => base + o).sort((a, b) => a - b);
          close(rate(series, { windowMs, extrapolate }).values, oracle(series, windowMs, Array.from(series.timestamps), true, extrapolate));
          close(increase(series, { windowMs, extrapolate }).values, oracle(series, windowMs, Array.from(series.timestamps), false, extrapolate));
          close(rate(series, { windowMs, at: times, extrapolate }).values, oracle(series, windowMs, times, true, extrapolate));
          close(increase(series, { windowMs, at: times, extrapolate }).values, oracle(series, windowMs, times, false, extrapolate));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('increase is rate times the window in seconds', () => {
    fc.assert(
      fc.property(counterArbitrary, windowArbitrary, (series, windowMs) => {
        const r = rate(series, { windowMs }).values;
        const inc = increase(series, { windowMs }).values;
        r.forEach((value, i) => {
          if (Number.isNaN(value)) expect(inc[i]).toBeNaN();
          else expect(inc[i]).toBeCloseTo((value * windowMs) / 1000, 6);
        });
      }),
    );
  });

  it('a non-negative counter never has a negative increase, resets included', () => {
    fc.assert(
      fc.property(counterArbitrary, windowArbitrary, (series, windowMs) => {
        for (const v of increase(series, { windowMs }).values) if (!Number.isNaN(v)) expect(v).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe('extrapolatedCounterChange', () => {
  it('applies the zero floor at the start and extends to the end by less than 1.1 intervals', () => {
    expect(extrapolatedCounterChange(30, 0, 15_000, 45_000, 2, 0, 60_000, 0)).toBe(45);
    expect(extrapolatedCounterChange(30, 0, 15_000, 45_000, 2, 0, 60_000, 60)).toBe(0.75);
  });
  it('extends by half an interval where the samples stop short of an edge by 1.1 intervals or more', () => {
    // Samples at 20 s and 30 s (one 10 s interval) in (0, 60 s]: both gaps exceed 11 s, so each end gets 5 s.
    expect(extrapolatedCounterChange(10, 100, 20_000, 30_000, 1, 0, 60_000, 0)).toBe(20);
  });
});

describe('rateInWindow (the one-window kernel the alert evaluator uses)', () => {
  const upper = (ts: Float64Array, t: number): number => {
    let i = 0;
    while (i < ts.length && (ts[i] as number) <= t) i++;
    return i;
  };
  const oneWindow = (series: Series, windowMs: number, t: number): number =>
    rateInWindow(series.timestamps, series.values, upper(series.timestamps, t - windowMs), upper(series.timestamps, t), t, windowMs);

  it('is bit-identical to rate() at the same time, NaN samples and resets included', () => {
    fc.assert(
      fc.property(counterArbitrary, windowArbitrary, fc.integer({ min: -50_000, max: 1_500_000 }), (series, windowMs, offset) => {
        const t = 1_700_000_000_000 + offset;
        expect(Object.is(oneWindow(series, windowMs, t), rate(series, { windowMs, at: [t] }).values[0])).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('switches to the same prefix sums as rate() past 64 resets in a window, and agrees around the switch', () => {
    // Sawtooths with 60 to 70 resets (NaN holes included), values chosen so that summation order changes the bits.
    for (let resets = 60; resets <= 70; resets++) {
      const values: number[] = [];
      for (let i = 0; i < 2 * resets + 1; i++) values.push(i % 2 === 0 ? 0.1 * (i + 3) + 1e6 / 3 : 0.7 + i * 1e-3);
      values.splice(5, 0, NaN);
      const series = createSeries({ timestamps: values.map((_, i) => i * 1000), values });
      const t = (values.length - 1) * 1000;
      for (const windowMs of [t + 1000, t - 20_000, 30_000]) {
        expect(Object.is(oneWindow(series, windowMs, t), rate(series, { windowMs, at: [t] }).values[0])).toBe(true);
      }
    }
  });

  it('counterChangesAt writes the same values rate() returns, into the given column', () => {
    const series = load(15_000, [0, 10, 20], [5, 3, 20]);
    const times = Float64Array.from({ length: 12 }, (_, k) => k * 50_000);
    const out = new Float64Array(12);
    expect(counterChangesAt(series.timestamps, series.values, times, 120_000, true, true, out)).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(rate(series, { windowMs: 120_000, at: times }).values));
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '../errors';
import { createSeries } from './create';
import { findIndexAtOrBefore, lastValue, seriesStats, sliceByTime } from './lookup';

const sortedUnique = fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { maxLength: 50 }).map((a) => a.sort((x, y) => x - y));

describe('findIndexAtOrBefore', () => {
  it('finds the last index at or before t', () => {
    const ts = new Float64Array([0, 10, 20]);
    expect(findIndexAtOrBefore(ts, -5)).toBe(-1);
    expect(findIndexAtOrBefore(ts, 0)).toBe(0);
    expect(findIndexAtOrBefore(ts, 15)).toBe(1);
    expect(findIndexAtOrBefore(ts, 20)).toBe(2);
    expect(findIndexAtOrBefore(ts, Infinity)).toBe(2);
    expect(findIndexAtOrBefore(new Float64Array(0), 1)).toBe(-1);
    expect(() => findIndexAtOrBefore(ts, NaN)).toThrow(ValidationError);
  });

  it('agrees with a linear scan', () => {
    fc.assert(
      fc.property(sortedUnique, fc.integer({ min: -1100, max: 1100 }), (ts, t) => {
        let expected = -1;
        ts.forEach((x, i) => {
          if (x <= t) expected = i;
        });
        expect(findIndexAtOrBefore(Float64Array.from(ts), t)).toBe(expected);
      }),
    );
  });
});

describe('sliceByTime', () => {
  it('returns a zero-copy view of the closed range', () => {
    const s = createSeries({ name: 'x', timestamps: [0, 10, 20, 30], values: [1, 2, 3, 4] });
    const part = sliceByTime(s, { start: 10, end: 20 });
    expect(Array.from(part.timestamps)).toEqual([10, 20]);
    expect(part.values.buffer).toBe(s.values.buffer);
    expect(part.name).toBe('x');
    expect(sliceByTime(s, { start: 31, end: 40 }).timestamps.length).toBe(0);
    expect(() => sliceByTime(s, { start: 5, end: 1 })).toThrow(/range\.end/);
  });

  it('keeps exactly the samples inside the range', () => {
    fc.assert(
      fc.property(sortedUnique, fc.integer({ min: -1100, max: 1100 }), fc.integer({ min: 0, max: 500 }), (ts, start, width) => {
        const s = createSeries({ timestamps: ts, values: ts.map((t) => t * 2) });
        const part = sliceByTime(s, { start, end: start + width });
        expect(Array.from(part.timestamps)).toEqual(ts.filter((t) => t >= start && t <= start + width));
        expect(Array.from(part.values)).toEqual(Array.from(part.timestamps, (t) => t * 2));
      }),
    );
  });
});

describe('lastValue and seriesStats', () => {
  it('lastValue skips trailing NaN and is undefined without data', () => {
    expect(lastValue(createSeries({ timestamps: [0, 1, 2], values: [5, 7, NaN] }))).toEqual({ timestamp: 1, value: 7 });
    expect(lastValue(createSeries({ timestamps: [0], values: [NaN] }))).toBeUndefined();
    expect(lastValue(createSeries({ timestamps: [], values: [] }))).toBeUndefined();
  });

  it('seriesStats ignores NaN and has a documented all-NaN result', () => {
    expect(seriesStats(createSeries({ timestamps: [0, 1, 2], values: [2, NaN, 4] }))).toEqual({ min: 2, max: 4, mean: 3, last: 4, count: 2 });
    expect(seriesStats(createSeries({ timestamps: [0, 1], values: [NaN, NaN] }))).toEqual({ min: NaN, max: NaN, mean: NaN, last: NaN, count: 0 });
    expect(seriesStats(createSeries({ timestamps: [0, 1], values: [Infinity, 1] })).mean).toBe(Infinity);
    // Compensated summation keeps the small values next to a large one.
    expect(seriesStats(createSeries({ timestamps: [0, 1, 2, 3], values: [1e16, 1, 1, -1e16] })).mean).toBe(0.5);
    expect(() => seriesStats({ labels: {}, timestamps: new Float64Array(2), values: new Float64Array(1) })).toThrow(/series\.values/);
  });

  it('seriesStats agrees with a direct computation', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.constant(NaN)), { maxLength: 40 }), (values) => {
        const stats = seriesStats(createSeries({ timestamps: values.map((_, i) => i), values }));
        const present = values.filter((v) => !Number.isNaN(v));
        expect(stats.count).toBe(present.length);
        if (present.length === 0) return;
        expect(stats.min).toBe(Math.min(...present));
        expect(stats.max).toBe(Math.max(...present));
        expect(stats.last).toBe(present[present.length - 1]);
        expect(stats.mean).toBeCloseTo(present.reduce((a, b) => a + b, 0) / present.length, 6);
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Series } from '@vigil/core';
import { ValidationError } from '@vigil/core';
import { autoYDomain, dataExtent, nearestIndex, seriesKey, sliceAndDownsample, sliceAndDownsampleCached, uniqueSeriesKeys, validateChartSeries } from './prepare';

const make = (ts: number[], vs: number[], name?: string): Series => ({ ...(name === undefined ? {} : { name }), labels: {}, timestamps: Float64Array.from(ts), values: Float64Array.from(vs) });

/** Brute force: min, max, last finite value and count of samples inside [start, end]. */
function oracle(s: Series, start: number, end: number) {
  let min = Infinity;
  let max = -Infinity;
  let last = Number.NaN;
  let count = 0;
  for (let i = 0; i < s.timestamps.length; i++) {
    const t = s.timestamps[i] as number;
    if (t < start || t > end) continue;
    count++;
    const v = s.values[i] as number;
    if (Number.isFinite(v)) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      last = v;
    }
  }
  return count === 0 || min > max ? { count, min: Number.NaN, max: Number.NaN, last: Number.NaN } : { count, min, max, last };
}

describe('series keys', () => {
  it('uses the name, then the labels, then the position', () => {
    expect(seriesKey(make([], [], 'p99'), 0)).toBe('p99');
    expect(seriesKey({ labels: { service: 'api', code: '500' }, timestamps: new Float64Array(), values: new Float64Array() }, 0)).toBe('{service="api", code="500"}');
    expect(seriesKey(make([], []), 2)).toBe('series 3');
  });

  it('makes repeated keys unique', () => {
    expect(uniqueSeriesKeys([make([], [], 'a'), make([], [], 'a'), make([], [], 'b')])).toEqual(['a', 'a (2)', 'b']);
  });
});

describe('validateChartSeries', () => {
  it('names the bad field', () => {
    expect(() => validateChartSeries({ labels: {}, timestamps: [1, 2], values: new Float64Array(2) }, 'series[1]')).toThrow('series[1].timestamps');
    expect(() => validateChartSeries(make([1, 2], [1]), 'series[0]')).toThrow(ValidationError);
  });
});

describe('dataExtent', () => {
  it('spans the first to the last timestamp of all series, ignoring empty ones', () => {
    expect(dataExtent([make([5, 9], [1, 1]), make([], []), make([2, 7], [1, 1])])).toEqual({ start: 2, end: 9 });
    expect(dataExtent([make([], [])])).toBeNull();
  });
});

describe('sliceAndDownsample', () => {
  it('keeps one sample on either side so the line reaches the plot edges', () => {
    const s = make([0, 10, 20, 30, 40], [0, 1, 2, 3, 4]);
    const drawn = sliceAndDownsample(s, { start: 15, end: 25 }, 100);
    expect(Array.from(drawn.timestamps)).toEqual([10, 20, 30]);
    expect(drawn.pointsInRange).toBe(1);
    expect([drawn.min, drawn.max, drawn.last]).toEqual([2, 2, 2]);
  });

  it('agrees with brute force on count, min, max and last, and bounds the output (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(Number.NaN)), { minLength: 0, maxLength: 3000 }),
        fc.integer({ min: 1, max: 50 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, pixels, a, b) => {
          const n = values.length;
          const s = make(
            values.map((_, i) => i * 10),
            values,
          );
          const lo = Math.min(a, b) * n * 10;
          const hi = Math.max(a, b) * n * 10 + 1;
          const drawn = sliceAndDownsample(s, { start: lo, end: hi }, pixels);
          const expected = oracle(s, lo, hi);
          expect(drawn.pointsInRange).toBe(expected.count);
          expect(drawn.min).toBe(expected.min);
          expect(drawn.max).toBe(expected.max);
          expect(drawn.last).toBe(expected.last);
          expect(drawn.timestamps.length).toBeLessThanOrEqual(Math.max(4 * pixels + 2, 8 * pixels + 2));
          for (let i = 1; i < drawn.timestamps.length; i++) expect(drawn.timestamps[i]).toBeGreaterThan(drawn.timestamps[i - 1] as number);
        },
      ),
    );
  });

  it('keeps a NaN gap as a break in the downsampled line', () => {
    const n = 10_000;
    const ts = Array.from({ length: n }, (_, i) => i);
    const vs = ts.map((i) => (i >= 4000 && i < 6000 ? Number.NaN : Math.sin(i)));
    const drawn = sliceAndDownsample(make(ts, vs), { start: 0, end: n - 1 }, 100);
    expect(drawn.timestamps.length).toBeLessThan(1000);
    expect(Array.from(drawn.values).some(Number.isNaN)).toBe(true);
  });

  it('memoises per series, range and width', () => {
    const s = make(Array.from({ length: 5000 }, (_, i) => i), Array.from({ length: 5000 }, (_, i) => i % 7));
    const first = sliceAndDownsampleCached(s, { start: 0, end: 4999 }, 100);
    expect(sliceAndDownsampleCached(s, { start: 0, end: 4999 }, 100)).toBe(first);
    expect(sliceAndDownsampleCached(s, { start: 0, end: 4999 }, 101)).not.toBe(first);
  });
});

describe('autoYDomain', () => {
  it('includes zero for non-negative data', () => expect(autoYDomain([{ min: 5, max: 20 }], [])).toEqual([0, 20]));
  it('spans negative data and thresholds', () => expect(autoYDomain([{ min: -3, max: 2 }], [10])).toEqual([-3, 10]));
  it('pads a flat line', () => expect(autoYDomain([{ min: -5, max: -5 }], [])).toEqual([-5.5, -4.5]));
  it('falls back to [0, 1] without data', () => expect(autoYDomain([{ min: Number.NaN, max: Number.NaN }], [])).toEqual([0, 1]));
});

describe('nearestIndex', () => {
  const ts = Float64Array.of(0, 10, 20);
  it('picks the nearer neighbour, ties to the earlier', () => {
    expect(nearestIndex(ts, 14)).toBe(1);
    expect(nearestIndex(ts, 15)).toBe(1);
    expect(nearestIndex(ts, 16)).toBe(2);
  });
  it('clamps outside the data', () => {
    expect(nearestIndex(ts, -5)).toBe(0);
    expect(nearestIndex(ts, 99)).toBe(2);
    expect(nearestIndex(new Float64Array(), 1)).toBe(-1);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '../errors';
import { createSeries } from './create';
import { resample } from './resample';
import type { ResampleAggregate, ResampleFill } from './resample';

describe('resample', () => {
  it('aligns buckets to multiples of the step and stamps them with the bucket start', () => {
    const s = createSeries({ timestamps: [1_000, 20_000, 61_000, 185_000], values: [1, 3, 10, NaN] });
    const r = resample(s, { stepMs: 60_000 });
    expect(Array.from(r.timestamps)).toEqual([0, 60_000, 120_000, 180_000]);
    expect(Array.from(r.values)).toEqual([2, 10, NaN, NaN]);
    expect(Array.from(resample(s, { stepMs: 60_000, fill: 'previous' }).values)).toEqual([2, 10, 10, 10]);
    expect(Array.from(resample(s, { stepMs: 60_000, fill: 'zero' }).values)).toEqual([2, 10, 0, 0]);
    expect(Array.from(resample(s, { stepMs: 60_000, aggregate: 'count' }).values)).toEqual([2, 1, 0, 0]);
    expect(Array.from(resample(s, { stepMs: 60_000, aggregate: 'first' }).values)).toEqual([1, 10, NaN, NaN]);
  });

  it('only counts samples inside the range, and covers the whole range', () => {
    const s = createSeries({ timestamps: [0, 10, 20, 30, 40], values: [1, 2, 3, 4, 5] });
    const r = resample(s, { stepMs: 20, range: { start: 10, end: 30 }, aggregate: 'sum' });
    expect(Array.from(r.timestamps)).toEqual([0, 20]);
    expect(Array.from(r.values)).toEqual([2, 7]);
    const wide = resample(s, { stepMs: 20, range: { start: -40, end: 100 }, aggregate: 'max' });
    expect(Array.from(wide.timestamps)).toEqual([-40, -20, 0, 20, 40, 60, 80, 100]);
    expect(Array.from(wide.values)).toEqual([NaN, NaN, 2, 4, 5, NaN, NaN, NaN]);
  });

  it('handles negative times and an empty series', () => {
    const s = createSeries({ timestamps: [-25, -5], values: [1, 2] });
    expect(Array.from(resample(s, { stepMs: 10 }).timestamps)).toEqual([-30, -20, -10]);
    const empty = createSeries({ timestamps: [], values: [] });
    expect(resample(empty, { stepMs: 10 }).timestamps.length).toBe(0);
  });

  it('refuses absurd output sizes instead of freezing', () => {
    const s = createSeries({ timestamps: [0, 1e12], values: [1, 2] });
    expect(() => resample(s, { stepMs: 1 })).toThrow(ValidationError);
    expect(() => resample(s, { stepMs: 1 })).toThrow(/^options\.stepMs/);
    expect(() => resample(s, { stepMs: 0 })).toThrow(/options\.stepMs/);
    expect(() => resample(s, { stepMs: 10, aggregate: 'median' as never })).toThrow(/options\.aggregate/);
    expect(() => resample(s, { stepMs: 10, fill: 'linear' as never })).toThrow(/options\.fill/);
    expect(() => resample(s, { stepMs: 10, range: { start: 1, end: NaN } })).toThrow(/options\.range\.end/);
  });

  it('keeps the sum exact next to large values (compensated summation)', () => {
    const s = createSeries({ timestamps: [0, 1, 2, 3], values: [1e16, 1, 1, -1e16] });
    expect(resample(s, { stepMs: 10, aggregate: 'sum' }).values[0]).toBe(2);
  });

  it('agrees with a bucket-by-bucket oracle', () => {
    const aggregates: ResampleAggregate[] = ['mean', 'sum', 'min', 'max', 'last', 'first', 'count'];
    const fills: ResampleFill[] = ['nan', 'previous', 'zero'];
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -500, max: 500 }), { maxLength: 40 }),
        fc.array(fc.oneof(fc.integer({ min: -100, max: 100 }), fc.constant(NaN)), { minLength: 40, maxLength: 40 }),
        fc.integer({ min: 1, max: 120 }),
        fc.option(fc.tuple(fc.integer({ min: -600, max: 600 }), fc.integer({ min: 0, max: 600 })), { nil: undefined }),
        fc.constantFrom(...aggregates),
        fc.constantFrom(...fills),
        (times, rawValues, stepMs, rangeParts, aggregate, fill) => {
          const timestamps = times.sort((a, b) => a - b);
          const values = timestamps.map((_, i) => rawValues[i] as number);
          const series = createSeries({ timestamps, values });
          const range = rangeParts === undefined ? undefined : { start: rangeParts[0], end: rangeParts[0] + rangeParts[1] };
          const result = range === undefined ? resample(series, { stepMs, aggregate, fill }) : resample(series, { stepMs, aggregate, fill, range });

          const start = range?.start ?? timestamps[0];
          const end = range?.end ?? timestamps[timestamps.length - 1];
          if (start === undefined || end === undefined) {
            expect(result.timestamps.length).toBe(0);
            return;
          }
          const expectedTimes: number[] = [];
          for (let b = Math.floor(start / stepMs) * stepMs; b <= end; b += stepMs) expectedTimes.push(b);
          expect(Array.from(result.timestamps)).toEqual(expectedTimes);
          let previous = NaN;
          expectedTimes.forEach((b, k) => {
            const inBucket = timestamps
              .map((t, i) => ({ t, v: values[i] as number }))
              .filter(({ t, v }) => t >= b && t < b + stepMs && t >= start && t <= end && !Number.isNaN(v))
              .map(({ v }) => v);
            let expected: number;
            if (aggregate === 'count') expected = inBucket.length;
            else if (inBucket.length === 0) expected = fill === 'zero' ? 0 : fill === 'previous' ? previous : NaN;
            else {
              const sum = inBucket.reduce((a, c) => a + c, 0);
              expected = {
                mean: sum / inBucket.length,
                sum,
                min: Math.min(...inBucket),
                max: Math.max(...inBucket),
                first: inBucket[0] as number,
                last: inBucket[inBucket.length - 1] as number,
              }[aggregate];
            }
            if (!Number.isNaN(expected)) previous = expected;
            const actual = result.values[k] as number;
            if (Number.isNaN(expected)) expect(actual).toBeNaN();
            else expect(actual).toBeCloseTo(expected, 9);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

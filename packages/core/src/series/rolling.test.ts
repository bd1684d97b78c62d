import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '../errors';
import { createSeries } from './create';
import { rolling } from './rolling';
import type { RollingAggregate } from './rolling';

describe('rolling', () => {
  it('aggregates the trailing window (t - windowMs, t] and skips NaN', () => {
    const s = createSeries({ name: 'x', timestamps: [0, 1_000, 2_000, 3_000], values: [4, 1, NaN, 7] });
    expect(Array.from(rolling(s, { windowMs: 2_000, aggregate: 'max' }).values)).toEqual([4, 4, 1, 7]);
    expect(Array.from(rolling(s, { windowMs: 2_000, aggregate: 'min' }).values)).toEqual([4, 1, 1, 7]);
    expect(Array.from(rolling(s, { windowMs: 2_000, aggregate: 'sum' }).values)).toEqual([4, 5, 1, 7]);
    expect(Array.from(rolling(s, { windowMs: 2_000, aggregate: 'count' }).values)).toEqual([1, 2, 1, 1]);
    expect(Array.from(rolling(s, { windowMs: 2_000, aggregate: 'mean' }).values)).toEqual([4, 2.5, 1, 7]);
    expect(Array.from(rolling(s, { windowMs: 2_000, aggregate: 'stddev' }).values)).toEqual([0, 1.5, 0, 0]);
    expect(rolling(s, { windowMs: 1, aggregate: 'sum' }).name).toBe('x');
  });

  it('gives NaN for a window without data (0 for count)', () => {
    const s = createSeries({ timestamps: [0, 10], values: [NaN, NaN] });
    expect(Array.from(rolling(s, { windowMs: 5, aggregate: 'mean' }).values)).toEqual([NaN, NaN]);
    expect(Array.from(rolling(s, { windowMs: 5, aggregate: 'max' }).values)).toEqual([NaN, NaN]);
    expect(Array.from(rolling(s, { windowMs: 5, aggregate: 'count' }).values)).toEqual([0, 0]);
  });

  it('keeps infinities contained to the windows that hold them', () => {
    const s = createSeries({ timestamps: [0, 1, 2, 3], values: [1, Infinity, 2, 3] });
    expect(Array.from(rolling(s, { windowMs: 2, aggregate: 'sum' }).values)).toEqual([1, Infinity, Infinity, 5]);
    expect(Array.from(rolling(s, { windowMs: 2, aggregate: 'stddev' }).values)).toEqual([0, NaN, NaN, 0.5]);
    const both = createSeries({ timestamps: [0, 1], values: [Infinity, -Infinity] });
    expect(rolling(both, { windowMs: 5, aggregate: 'mean' }).values[1]).toBeNaN();
  });

  it('validates its options', () => {
    const s = createSeries({ timestamps: [0], values: [1] });
    expect(() => rolling(s, { windowMs: -1, aggregate: 'sum' })).toThrow(/options\.windowMs/);
    expect(() => rolling(s, { windowMs: 1, aggregate: 'median' as never })).toThrow(ValidationError);
  });

  it('removing a far-off sample leaves an exact standard deviation (cases the property below found)', () => {
    const s = createSeries({ timestamps: [1, 2, 3], values: [-7.275957614183426e-12, 262143.99988739108, 5] });
    expect(Array.from(rolling(s, { windowMs: 1, aggregate: 'stddev' }).values)).toEqual([0, 0, 0]);
    expect(Array.from(rolling(s, { windowMs: 1, aggregate: 'mean' }).values)).toEqual([-7.275957614183426e-12, 262143.99988739108, 5]);
    // Two equal samples left once a far-off one has gone: 0, not the rounding of removing 849821 (0.0078).
    const left = createSeries({ timestamps: [1, 2, 6], values: [849821.3411729928, 0, 0] });
    expect(Array.from(rolling(left, { windowMs: 5, aggregate: 'stddev' }).values)).toEqual([0, 849821.3411729928 / 2, 0]);
  });

  it('agrees with a per-point oracle', () => {
    const aggregates: RollingAggregate[] = ['mean', 'sum', 'min', 'max', 'count', 'stddev'];
    fc.assert(
      fc.property(
        fc.array(fc.record({ gap: fc.integer({ min: 1, max: 50 }), v: fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(NaN)) }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 400 }),
        fc.constantFrom(...aggregates),
        (rows, windowMs, aggregate) => {
          let t = 0;
          const points = rows.map((r) => ({ t: (t += r.gap), v: r.v }));
          const series = createSeries({ timestamps: points.map((p) => p.t), values: points.map((p) => p.v) });
          const actual = rolling(series, { windowMs, aggregate }).values;
          points.forEach((p, i) => {
            const inWindow = points.filter((q) => q.t > p.t - windowMs && q.t <= p.t && !Number.isNaN(q.v)).map((q) => q.v);
            let expected: number;
            if (aggregate === 'count') expected = inWindow.length;
            else if (inWindow.length === 0) expected = NaN;
            else {
              const mean = inWindow.reduce((a, b) => a + b, 0) / inWindow.length;
              expected = {
                sum: inWindow.reduce((a, b) => a + b, 0),
                mean,
                min: Math.min(...inWindow),
                max: Math.max(...inWindow),
                stddev: Math.sqrt(inWindow.reduce((a, b) => a + (b - mean) ** 2, 0) / inWindow.length),
              }[aggregate];
            }
            const a = actual[i] as number;
            if (Number.isNaN(expected)) expect(a).toBeNaN();
            else expect(Math.abs(a - expected)).toBeLessThanOrEqual(1e-6);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

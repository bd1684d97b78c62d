import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '../errors';
import { assertAscendingTimestamps, createSeries, validateSeries } from './create';

describe('createSeries', () => {
  it('copies plain arrays into fresh Float64Arrays and keeps name and labels', () => {
    const timestamps = [0, 1000, 2000];
    const values = [1, NaN, 3];
    const s = createSeries({ name: 'cpu', labels: { host: 'a' }, timestamps, values });
    expect(s.timestamps).toBeInstanceOf(Float64Array);
    expect(s.values).toBeInstanceOf(Float64Array);
    expect(Array.from(s.values)).toEqual([1, NaN, 3]);
    expect(s.name).toBe('cpu');
    expect(s.labels).toEqual({ host: 'a' });
    timestamps[0] = 99;
    expect(s.timestamps[0]).toBe(0);
  });

  it('copies typed arrays too, so the caller can reuse them', () => {
    const values = new Float64Array([1, 2]);
    const s = createSeries({ timestamps: new Float64Array([0, 1]), values });
    values[0] = 9;
    expect(s.values[0]).toBe(1);
    expect('name' in s).toBe(false);
    expect(s.labels).toEqual({});
  });

  it('names the bad element', () => {
    expect(() => createSeries({ timestamps: [0, 1, 2, 2], values: [0, 0, 0, 0] })).toThrow(/^timestamps\[3\]: expected a timestamp greater than the previous one/);
    expect(() => createSeries({ timestamps: [0, NaN], values: [0, 0] })).toThrow(/timestamps\[1\]/);
    expect(() => createSeries({ timestamps: [0, Infinity], values: [0, 0] })).toThrow(/timestamps\[1\]/);
    expect(() => createSeries({ timestamps: [0, 1], values: [0] })).toThrow(/^values: expected an array of the same length as timestamps \(2\)/);
    expect(() => createSeries({ timestamps: [0], values: ['1' as unknown as number] })).toThrow(/values\[0\]/);
    expect(() => createSeries({ timestamps: [0], values: [1], labels: { a: 1 as unknown as string } })).toThrow(/labels\.a/);
    expect(() => createSeries(null as never)).toThrow(ValidationError);
  });

  it('accepts infinities as values', () => {
    expect(createSeries({ timestamps: [0], values: [Infinity] }).values[0]).toBe(Infinity);
  });
});

describe('validateSeries', () => {
  it('returns a valid series unchanged and prefixes paths', () => {
    const s = createSeries({ timestamps: [1, 2], values: [1, 2] });
    expect(validateSeries(s)).toBe(s);
    const bad = { labels: {}, timestamps: new Float64Array([1, 0]), values: new Float64Array(2) };
    expect(() => validateSeries(bad, 'panel.series[2]')).toThrow(/^panel\.series\[2\]\.timestamps\[1\]/);
    expect(() => validateSeries({ labels: {}, timestamps: [1] as unknown as Float64Array, values: new Float64Array(1) })).toThrow(/series\.timestamps: expected a Float64Array/);
    expect(() => validateSeries({ labels: {}, timestamps: new Float64Array(1), values: new Float64Array(2) })).toThrow(/series\.values/);
  });
});

describe('assertAscendingTimestamps', () => {
  /** The definition, one element at a time: the index of the first bad timestamp, or -1. */
  const firstBad = (t: number[]): number => t.findIndex((x, i) => !Number.isFinite(x) || (i > 0 && !(x > (t[i - 1] as number))));
  const columns = fc
    .record({
      t0: fc.oneof(fc.integer({ min: -1e6, max: 2e12 }), fc.double({ min: -1e6, max: 2e12, noNaN: true })),
      step: fc.oneof(fc.integer({ min: 1, max: 60_000 }), fc.double({ min: 0.001, max: 100, noNaN: true })),
      n: fc.integer({ min: 0, max: 40 }),
      edits: fc.array(fc.record({ at: fc.nat(), to: fc.oneof(fc.constantFrom(NaN, Infinity, -Infinity, 0, 0.5, -1, 1), fc.double({ noNaN: false })) }), { maxLength: 3 }),
    })
    .map(({ t0, step, n, edits }) => {
      const t = Array.from({ length: n }, (_, i) => t0 + i * step);
      // An edit moves one timestamp: to a special value, or by a small offset from where it was.
      for (const { at, to } of edits) if (n > 0) t[at % n] = Number.isFinite(to) && Math.abs(to) <= 1 ? (t[at % n] as number) + to : to;
      return t;
    });
  /** The documented gap bound: the first gap when no later gap (as computed) is smaller, else 0. */
  const gapBound = (t: number[]): number => {
    if (t.length < 2) return 0;
    const first = (t[1] as number) - (t[0] as number);
    return t.every((x, i) => i === 0 || x - (t[i - 1] as number) >= first) ? first : 0;
  };
  it('throws at the first bad timestamp, as the one-by-one definition says, and returns the gap bound', () => {
    fc.assert(
      fc.property(columns, (t) => {
        const bad = firstBad(t);
        const run = (): number => assertAscendingTimestamps(Float64Array.from(t), 'ts');
        if (bad >= 0) expect(run).toThrow(new RegExp(`^ts\\[${bad}\\]`));
        else expect(run()).toBe(gapBound(t));
      }),
      { numRuns: 3000 },
    );
  });
  it('returns the step of a grid, with or without missed scrapes, and 0 when a later gap is smaller', () => {
    const grid = Array.from({ length: 1000 }, (_, i) => 1_700_000_000_000 + i * 15_000);
    expect(assertAscendingTimestamps(Float64Array.from(grid), 'ts')).toBe(15_000);
    expect(assertAscendingTimestamps(Float64Array.from(grid.filter((_, i) => i % 7 !== 3)), 'ts')).toBe(15_000);
    const jittered = grid.map((t, i) => (i === 997 ? t - 1 : t));
    expect(assertAscendingTimestamps(Float64Array.from(jittered), 'ts')).toBe(0);
    expect(assertAscendingTimestamps([0, 1, 2], 'ts')).toBe(0);
    expect(assertAscendingTimestamps(Float64Array.from([5]), 'ts')).toBe(0);
  });
});

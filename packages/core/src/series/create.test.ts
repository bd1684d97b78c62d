import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { createSeries, validateSeries } from './create';

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

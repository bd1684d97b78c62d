import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '@vigil/core';
import { formatNumber, formatValue, formatValueParts, NO_DATA_TEXT, percentChange } from './format';

describe('formatValue', () => {
  it('shows — for missing and non-finite values', () => {
    for (const v of [null, undefined, Number.NaN, Infinity, -Infinity]) {
      expect(formatValue(v, 'ms')).toBe(NO_DATA_TEXT);
      expect(formatValueParts(v, 'bytes').noData).toBe(true);
    }
    expect(formatValueParts(0, 'ms').noData).toBe(false);
  });

  it('durations from ns to days', () => {
    expect(formatValue(0, 'ms')).toBe('0 ms');
    expect(formatValue(0.0005, 'ms')).toBe('500 ns');
    expect(formatValue(0.85, 'ms')).toBe('850 µs');
    expect(formatValue(12.345, 'ms')).toBe('12.3 ms');
    expect(formatValue(1530, 'ms')).toBe('1.53 s');
    expect(formatValue(90_000, 'ms')).toBe('1.5 min');
    expect(formatValue(2 * 3_600_000, 'ms')).toBe('2 h');
    expect(formatValue(3 * 86_400_000, 'ms')).toBe('3 d');
    expect(formatValue(-1530, 'ms')).toBe('-1.53 s');
    expect(formatValue(0.00085, 's')).toBe('850 µs');
    expect(formatValue(42, 's')).toBe('42 s');
  });

  it('moves to the next unit when rounding reaches it', () => {
    expect(formatValue(999.7, 'ms')).toBe('1 s');
    expect(formatValue(59_990, 'ms')).toBe('1 min');
    expect(formatValue(999_700, 'count')).toBe('1M');
    expect(formatValue(1023.9 * 1024, 'bytes')).toBe('1 MiB');
  });

  it('percent and ratio', () => {
    expect(formatValue(99.95, 'percent')).toBe('99.95%');
    expect(formatValue(0.99953, 'ratio')).toBe('99.95%');
    expect(formatValue(0.5, 'ratio')).toBe('50%');
    expect(formatValue(0.001234, 'percent')).toBe('0.001234%');
    expect(formatValueParts(12, 'percent')).toMatchObject({ number: '12', unit: '%', separator: '' });
  });

  it('bytes with IEC prefixes', () => {
    expect(formatValue(512, 'bytes')).toBe('512 B');
    expect(formatValue(1536, 'bytes')).toBe('1.5 KiB');
    expect(formatValue(1_572_864, 'bytes')).toBe('1.5 MiB');
    expect(formatValue(5 * 1024 ** 4, 'bytes')).toBe('5 TiB');
  });

  it('counts, rates and custom units with SI prefixes', () => {
    expect(formatValue(12_345, 'rps')).toBe('12.3k req/s');
    expect(formatValue(12_345_678, 'count')).toBe('12.3M');
    expect(formatValue(0.25, 'count')).toBe('0.25');
    expect(formatValue(3.2e9, 'widgets')).toBe('3.2G widgets');
    expect(formatValue(1234)).toBe('1.23k');
    expect(formatValue(2.5e21, 'count')).toBe('2,500E');
    expect(formatValue(2.5e25, 'count')).toBe('2.5e7E');
    expect(formatValueParts(12_345, 'rps')).toMatchObject({ number: '12.3', unit: 'k req/s', separator: '' });
    expect(formatValue(12, 'rps')).toBe('12 req/s');
    expect(formatValue(1.7e308, 's')).toBe('1.7e308 s');
  });

  it('precision, sign and locale', () => {
    expect(formatValue(1234.5678, 'ms', { precision: 5 })).toBe('1.2346 s');
    expect(formatValue(12, 'percent', { signed: true })).toBe('+12%');
    expect(formatValue(-12, 'percent', { signed: true })).toBe('-12%');
    expect(formatValue(0, 'percent', { signed: true })).toBe('0%');
    expect(formatValue(1.5, 'ms', { locale: 'de-DE' })).toBe('1,5 ms');
  });

  it('rejects a bad precision or unit', () => {
    expect(() => formatValue(1, 'ms', { precision: 0 })).toThrow(ValidationError);
    expect(() => formatValue(1, 'ms', { precision: 2.5 })).toThrow(ValidationError);
    expect(() => formatValue(1, 42 as unknown as string)).toThrow(ValidationError);
  });

  it('never prints NaN, Infinity or undefined, for any number and unit', () => {
    const units = fc.oneof(
      fc.constantFrom('ms', 's', 'percent', 'ratio', 'bytes', 'rps', 'count', '', undefined),
      fc.stringMatching(/^[a-z/]{1,6}$/),
    );
    fc.assert(
      fc.property(fc.double(), units, fc.integer({ min: 1, max: 15 }), fc.boolean(), (value, unit, precision, signed) => {
        const text = formatValue(value, unit, { precision, signed });
        expect(text.length).toBeGreaterThan(0);
        expect(text).not.toMatch(/NaN|Infinity|undefined/);
        if (!Number.isFinite(value)) expect(text).toBe(NO_DATA_TEXT);
      }),
      { numRuns: 3000 },
    );
  });

  it('the printed number, times its unit, is within rounding of the value', () => {
    const factors: Record<string, number> = { ns: 1e-6, 'µs': 1e-3, ms: 1, s: 1e3, min: 6e4, h: 3.6e6, d: 8.64e7 };
    fc.assert(
      fc.property(fc.double({ min: 1e-5, max: 1e12, noNaN: true }), (value) => {
        const { number, unit } = formatValueParts(value, 'ms', { precision: 6 });
        if (number.includes('e')) return;
        const shown = Number(number.replace(/,/g, '')) * (factors[unit] ?? Number.NaN);
        expect(Math.abs(shown - value) / value).toBeLessThan(1e-5);
      }),
    );
  });
});

describe('formatNumber', () => {
  it('uses exponent notation outside [1e-4, 1e6)', () => {
    expect(formatNumber(2e-7)).toBe('2e-7');
    expect(formatNumber(1.234e9)).toBe('1.23e9');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(123_456)).toBe('123,000');
  });
});

describe('percentChange', () => {
  it('is relative to |previous| and undefined where undefined', () => {
    expect(percentChange(110, 100)).toBeCloseTo(10);
    expect(percentChange(90, -100)).toBeCloseTo(190);
    expect(percentChange(0, 0)).toBe(0);
    expect(percentChange(5, 0)).toBeUndefined();
    expect(percentChange(Number.NaN, 1)).toBeUndefined();
    expect(percentChange(1, null)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '../errors';
import { formatDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it('parses Prometheus durations to milliseconds', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('1w')).toBe(604_800_000);
    expect(parseDuration('1y')).toBe(365 * 86_400_000);
    expect(parseDuration('1500ms')).toBe(1500);
    expect(parseDuration('1m30s250ms')).toBe(90_250);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('0s')).toBe(0);
    expect(parseDuration('2y1w3d4h5m6s7ms')).toBe(2 * 365 * 86_400_000 + 7 * 86_400_000 + 3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000 + 6000 + 7);
  });

  it('rejects what Prometheus rejects, naming the path', () => {
    for (const bad of ['', '5', '1.5h', '-5m', '5 m', '30m1h', '1h1h', 'ms', '5M', '1d 2h', 'abc', ' 5m']) {
      expect(() => parseDuration(bad, 'objectives[0].window'), bad).toThrow(ValidationError);
    }
    expect(() => parseDuration('1.5h', 'objectives[0].window')).toThrow(/^objectives\[0\]\.window: expected a duration/);
    expect(() => parseDuration(5 as unknown as string)).toThrow(/^duration:/);
    expect(() => parseDuration('99999999999999y')).toThrow(/at most/);
  });
});

describe('formatDuration', () => {
  it('formats largest units first and leaves out zero parts', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(300_000)).toBe('5m');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(604_800_000)).toBe('1w');
    expect(formatDuration(8 * 86_400_000)).toBe('1w1d');
    expect(formatDuration(1500)).toBe('1s500ms');
    expect(formatDuration(-90_000)).toBe('-1m30s');
    expect(formatDuration(0.4)).toBe('0s');
    expect(() => formatDuration(NaN)).toThrow(ValidationError);
  });

  it('round-trips with parseDuration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
  });
});

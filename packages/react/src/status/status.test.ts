import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '@vigil/core';
import { compareHealth, statusFromThresholds, type HealthState } from './status';

describe('statusFromThresholds', () => {
  it('above: higher is worse, the threshold itself counts', () => {
    const t = { warning: 300, critical: 500 };
    expect(statusFromThresholds(299.9, t)).toBe('ok');
    expect(statusFromThresholds(300, t)).toBe('warning');
    expect(statusFromThresholds(499, t)).toBe('warning');
    expect(statusFromThresholds(500, t)).toBe('critical');
  });
  it('below: lower is worse', () => {
    const t = { warning: 99.5, critical: 99, direction: 'below' as const };
    expect(statusFromThresholds(99.9, t)).toBe('ok');
    expect(statusFromThresholds(99.2, t)).toBe('warning');
    expect(statusFromThresholds(98, t)).toBe('critical');
  });
  it('one threshold only, and missing values', () => {
    expect(statusFromThresholds(10, { critical: 5 })).toBe('critical');
    expect(statusFromThresholds(10, { warning: 50 })).toBe('ok');
    expect(statusFromThresholds(Number.NaN, { warning: 1 })).toBe('unknown');
    expect(statusFromThresholds(null, { warning: 1 })).toBe('unknown');
  });
  it('rejects bad thresholds with the field path', () => {
    expect(() => statusFromThresholds(1, { warning: Number.NaN })).toThrow(/thresholds.warning/);
    expect(() => statusFromThresholds(1, { warning: 10, critical: 5 })).toThrow(ValidationError);
    expect(() => statusFromThresholds(1, { warning: 5, critical: 10, direction: 'below' })).toThrow(ValidationError);
    expect(() => statusFromThresholds(1, { direction: 'sideways' as 'above' })).toThrow(/direction/);
  });
  it('agrees with a brute-force definition', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.boolean(), (v, a, b, above) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        const thresholds = above ? { warning: lo, critical: hi } : { warning: hi, critical: lo, direction: 'below' as const };
        const expected: HealthState = above ? (v >= hi ? 'critical' : v >= lo ? 'warning' : 'ok') : v <= lo ? 'critical' : v <= hi ? 'warning' : 'ok';
        expect(statusFromThresholds(v, thresholds)).toBe(expected);
      }),
    );
  });
});

describe('compareHealth', () => {
  it('orders ok < unknown < warning < critical', () => {
    const sorted = (['critical', 'ok', 'warning', 'unknown'] as HealthState[]).sort(compareHealth);
    expect(sorted).toEqual(['ok', 'unknown', 'warning', 'critical']);
  });
});

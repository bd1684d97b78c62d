import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chartKeyAction, keyboardStep, zoomAround } from './keyboard';

describe('chartKeyAction', () => {
  it('maps the documented keys', () => {
    expect(chartKeyAction('ArrowLeft', false)).toEqual({ kind: 'move', steps: -1 });
    expect(chartKeyAction('ArrowRight', true)).toEqual({ kind: 'move', steps: 10 });
    expect(chartKeyAction('Home', false)).toEqual({ kind: 'home' });
    expect(chartKeyAction('End', false)).toEqual({ kind: 'end' });
    expect(chartKeyAction('+', false)).toEqual({ kind: 'zoom', factor: 0.5 });
    expect(chartKeyAction('-', false)).toEqual({ kind: 'zoom', factor: 2 });
    expect(chartKeyAction('Escape', false)).toEqual({ kind: 'reset' });
    expect(chartKeyAction('a', false)).toEqual({ kind: 'none' });
  });
});

describe('keyboardStep', () => {
  it('is one sample interval when samples are sparse', () => {
    expect(keyboardStep(Float64Array.of(0, 1000, 2000), 0, { start: 0, end: 2000 })).toBe(1000);
  });
  it('is 1% of the span when samples are denser', () => {
    const ts = Float64Array.from({ length: 10_000 }, (_, i) => i);
    expect(keyboardStep(ts, 50, { start: 0, end: 9999 })).toBeCloseTo(99.99);
  });
});

describe('zoomAround', () => {
  it('zooms in around the centre', () => expect(zoomAround({ start: 0, end: 100 }, 50, 0.5)).toEqual({ start: 25, end: 75 }));
  it('keeps the cursor at the same relative position', () => expect(zoomAround({ start: 0, end: 100 }, 20, 0.5)).toEqual({ start: 10, end: 60 }));
  it('stops zooming out at the limits', () => expect(zoomAround({ start: 20, end: 80 }, 50, 4, { start: 0, end: 100 })).toEqual({ start: 0, end: 100 }));

  it('keeps the centre fixed and scales the span (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 10, max: 1e9 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0.5, 2), (start, span, where, factor) => {
        const domain = { start, end: start + span };
        const center = start + where * span;
        const out = zoomAround(domain, center, factor);
        expect(out.end - out.start).toBeCloseTo(span * factor, 3);
        const before = (center - domain.start) / span;
        const after = (center - out.start) / (out.end - out.start);
        expect(after).toBeCloseTo(before, 6);
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '../errors';
import { downsampleLTTB, downsampleM4 } from './downsample';

interface Point {
  t: number;
  v: number;
}

/** Maps each output point to an input index, in order; throws if the output is not a subsequence of the input. */
function subsequenceIndices(input: Point[], ts: Float64Array, vs: Float64Array): number[] {
  const indices: number[] = [];
  let j = 0;
  for (let k = 0; k < ts.length; k++) {
    const t = ts[k] as number;
    const v = vs[k] as number;
    while (j < input.length && !((input[j] as Point).t === t && Object.is((input[j] as Point).v, v))) j++;
    if (j === input.length) throw new Error(`output point ${k} (${t}, ${v}) is not a later input point`);
    indices.push(j++);
  }
  return indices;
}

const seriesArbitrary = fc
  .array(
    fc.record({
      gap: fc.integer({ min: 1, max: 40 }),
      v: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: -1000, max: 1000 }) }, { weight: 1, arbitrary: fc.constant(NaN) }),
    }),
    { maxLength: 300 },
  )
  .map((rows) => {
    let t = 0;
    return rows.map((r) => ({ t: (t += r.gap), v: r.v }));
  });

describe('downsampleM4', () => {
  it('keeps first, min, max and last of each column in time order', () => {
    // One column: first 5, min -3, max 9, last 2, in index order max(1) < min(3).
    const out = downsampleM4([0, 1, 2, 3, 4], [5, 9, 4, -3, 2], { start: 0, end: 10, pixels: 1 });
    expect(Array.from(out.timestamps)).toEqual([0, 1, 3, 4]);
    expect(Array.from(out.values)).toEqual([5, 9, -3, 2]);
  });

  it('keeps a NaN sample between kept samples so the line breaks', () => {
    // One column: first = min = 1 at t=0, max = last = 4 at t=5; the first NaN (t=2) lies between them.
    const out = downsampleM4([0, 1, 2, 3, 4, 5], [1, 2, NaN, NaN, 3, 4], { start: 0, end: 6, pixels: 1 });
    expect(Array.from(out.timestamps)).toEqual([0, 2, 5]);
    expect(Array.from(out.values)).toEqual([1, NaN, 4]);
    // Across columns too, and only one marker for a run of NaN.
    const wide = downsampleM4([0, 1, 2, 3, 4, 5], [1, 2, NaN, NaN, 3, 4], { start: 0, end: 6, pixels: 6 });
    expect(Array.from(wide.timestamps)).toEqual([0, 1, 2, 4, 5]);
    expect(Array.from(wide.values)).toEqual([1, 2, NaN, 3, 4]);
  });

  it('leaves out samples outside [start, end] and puts end in the last column', () => {
    const out = downsampleM4([-1, 0, 5, 10, 11], [100, 1, 2, 3, 100], { start: 0, end: 10, pixels: 2 });
    expect(Array.from(out.values)).toEqual([1, 2, 3]);
  });

  it('validates its inputs', () => {
    expect(() => downsampleM4([0, 1], [1], { start: 0, end: 1, pixels: 1 })).toThrow(/^values/);
    expect(() => downsampleM4([1, 0], [1, 1], { start: 0, end: 1, pixels: 1 })).toThrow(/timestamps\[1\]/);
    expect(() => downsampleM4([0], [1], { start: 1, end: 1, pixels: 1 })).toThrow(/options\.end/);
    expect(() => downsampleM4([0], [1], { start: 0, end: 1, pixels: 0 })).toThrow(/options\.pixels/);
    expect(() => downsampleM4([0], [1], { start: 0, end: 1, pixels: 1.5 })).toThrow(ValidationError);
  });

  it('is pixel-exact: per column, output min and max equal input min and max; a subsequence; gaps preserved', () => {
    fc.assert(
      fc.property(seriesArbitrary, fc.integer({ min: 1, max: 60 }), fc.integer({ min: -50, max: 200 }), fc.integer({ min: 1, max: 12_000 }), (input, pixels, start, width) => {
        const end = start + width;
        const out = downsampleM4(
          input.map((p) => p.t),
          input.map((p) => p.v),
          { start, end, pixels },
        );
        const indices = subsequenceIndices(input, out.timestamps, out.values);
        const column = (t: number) => Math.min(pixels - 1, Math.floor(((t - start) * pixels) / (end - start)));
        const inRange = input.filter((p) => p.t >= start && p.t <= end);
        const present = inRange.filter((p) => !Number.isNaN(p.v));
        const kept = indices.map((i) => input[i] as Point);
        const keptPresent = kept.filter((p) => !Number.isNaN(p.v));

        expect(keptPresent.length).toBeLessThanOrEqual(4 * pixels);
        for (let c = 0; c < pixels; c++) {
          const inColumn = present.filter((p) => column(p.t) === c);
          const outColumn = keptPresent.filter((p) => column(p.t) === c);
          if (inColumn.length === 0) {
            expect(outColumn.length).toBe(0);
            continue;
          }
          expect(Math.min(...outColumn.map((p) => p.v))).toBe(Math.min(...inColumn.map((p) => p.v)));
          expect(Math.max(...outColumn.map((p) => p.v))).toBe(Math.max(...inColumn.map((p) => p.v)));
          expect(outColumn[0]).toBe(inColumn[0]);
          expect(outColumn[outColumn.length - 1]).toBe(inColumn[inColumn.length - 1]);
        }
        // First and last present samples are kept; the output neither starts nor ends with a gap marker.
        if (present.length > 0) {
          expect(kept[0]).toBe(present[0]);
          expect(kept[kept.length - 1]).toBe(present[present.length - 1]);
        } else {
          expect(kept.length).toBe(0);
        }
        // Between two consecutive kept samples there is a NaN marker exactly when the input has a NaN between them.
        let previousPresent = -1;
        for (let k = 0; k < indices.length; k++) {
          const i = indices[k] as number;
          if (Number.isNaN((input[i] as Point).v)) {
            expect(k).toBeGreaterThan(0);
            expect(Number.isNaN((input[indices[k - 1] as number] as Point).v)).toBe(false);
            continue;
          }
          if (previousPresent >= 0) {
            const inputGap = input.slice(previousPresent + 1, i).some((p) => Number.isNaN(p.v));
            const outputGap = Number.isNaN((input[indices[k - 1] as number] as Point).v);
            expect(outputGap).toBe(inputGap);
          }
          previousPresent = i;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('reduces a million points to at most 4 per pixel column and keeps every column extreme', () => {
    const n = 1_000_000;
    const timestamps = new Float64Array(n);
    const values = new Float64Array(n);
    let seed = 12345;
    for (let i = 0; i < n; i++) {
      timestamps[i] = i * 10;
      seed = (seed * 1103515245 + 12345) % 2147483648;
      values[i] = seed / 2147483648 + (i === 777_777 ? 1000 : 0);
    }
    const pixels = 1000;
    const out = downsampleM4(timestamps, values, { start: 0, end: (n - 1) * 10, pixels });
    expect(out.values.length).toBeLessThanOrEqual(4 * pixels);
    expect(Math.max(...out.values)).toBe(values[777_777]);
    expect(out.timestamps[0]).toBe(0);
    expect(out.timestamps[out.timestamps.length - 1]).toBe((n - 1) * 10);
  });
});

/** LTTB as described in Steinarsson's thesis, over point objects. */
function lttbOracle(points: Point[], threshold: number): Point[] {
  if (threshold === 0 || threshold >= points.length) return points;
  const every = (points.length - 2) / (threshold - 2);
  const sampled = [points[0] as Point];
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    const rangeStart = Math.floor(i * every) + 1;
    const rangeEnd = Math.floor((i + 1) * every) + 1;
    const next = points.slice(rangeEnd, Math.min(Math.floor((i + 2) * every) + 1, points.length));
    const avgT = next.reduce((s, p) => s + p.t, 0) / next.length;
    const avgV = next.reduce((s, p) => s + p.v, 0) / next.length;
    const pa = points[a] as Point;
    let best = rangeStart;
    let bestArea = -1;
    for (let j = rangeStart; j < rangeEnd; j++) {
      const p = points[j] as Point;
      const area = Math.abs((pa.t - avgT) * (p.v - pa.v) - (pa.t - p.t) * (avgV - pa.v)) / 2;
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    sampled.push(points[best] as Point);
    a = best;
  }
  sampled.push(points[points.length - 1] as Point);
  return sampled;
}

describe('downsampleLTTB', () => {
  it('returns the (present) input unchanged when no reduction is needed', () => {
    const out = downsampleLTTB([0, 1, 2], [1, NaN, 3], 10);
    expect(Array.from(out.timestamps)).toEqual([0, 2]);
    expect(Array.from(downsampleLTTB([0, 1], [5, 6], 0).values)).toEqual([5, 6]);
  });

  it('picks the peak of a spike', () => {
    const values = [0, 0, 0, 0, 10, 0, 0, 0, 0, 0];
    const out = downsampleLTTB(values.map((_, i) => i), values, 3);
    expect(Array.from(out.values)).toEqual([0, 10, 0]);
  });

  it('validates the threshold', () => {
    expect(() => downsampleLTTB([0, 1, 2, 3], [0, 1, 2, 3], 2)).toThrow(/^threshold/);
    expect(() => downsampleLTTB([0, 1, 2, 3], [0, 1, 2, 3], -1)).toThrow(ValidationError);
  });

  it('keeps first and last, has exactly threshold points, is a subsequence, and matches the reference algorithm', () => {
    fc.assert(
      fc.property(seriesArbitrary, fc.integer({ min: 3, max: 100 }), (input, threshold) => {
        const out = downsampleLTTB(
          input.map((p) => p.t),
          input.map((p) => p.v),
          threshold,
        );
        const present = input.filter((p) => !Number.isNaN(p.v));
        expect(out.values.length).toBe(Math.min(threshold, present.length));
        subsequenceIndices(present, out.timestamps, out.values);
        if (present.length > 0) {
          expect(out.timestamps[0]).toBe((present[0] as Point).t);
          expect(out.timestamps[out.timestamps.length - 1]).toBe((present[present.length - 1] as Point).t);
        }
        const expected = lttbOracle(present, threshold);
        expect(Array.from(out.timestamps)).toEqual(expected.map((p) => p.t));
      }),
      { numRuns: 300 },
    );
  });

  it('reduces a million points', () => {
    const n = 1_000_000;
    const timestamps = Float64Array.from({ length: n }, (_, i) => i);
    const values = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 1000));
    const out = downsampleLTTB(timestamps, values, 2000);
    expect(out.values.length).toBe(2000);
    expect(out.timestamps[1999]).toBe(n - 1);
  });
});

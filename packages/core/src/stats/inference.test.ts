import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bootstrapQuantileRatio,
  bootstrapReplicates,
  holmAdjust,
  newcombeInterval,
  newcombeNonInferiorityPValue,
  pairedBootstrapMeanDifference,
  seededRandom,
  studentTCdf,
  studentTQuantile,
  wilsonInterval,
} from '.';
import { normalCdf as sharedNormalCdf } from './normal';

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

describe('Student t distribution', () => {
  it('t quantiles match the printed table (df 1, 5, 30)', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 4);
    expect(studentTQuantile(0.975, 5)).toBeCloseTo(2.5706, 4);
    expect(studentTQuantile(0.95, 30)).toBeCloseTo(1.6973, 4);
    expect(studentTCdf(2.228, 10)).toBeCloseTo(0.975, 4);
  });
  it('keeps its digits near t = 0 (a found counterexample: t = -8.4e-8, df = 64)', () => {
    const t = -8.429369702178807e-8;
    // Near 0 the density is Γ((ν+1)/2) / (√(νπ) Γ(ν/2)) ≈ 0.39738 for ν = 64, so F(t) ≈ 0.5 + t · 0.39738.
    expect(Math.abs(studentTCdf(t, 64) - (0.5 + t * 0.397384))).toBeLessThan(1e-12);
    expect(Math.abs(studentTCdf(studentTQuantile(studentTCdf(t, 64), 64), 64) - studentTCdf(t, 64))).toBeLessThan(1e-12);
  });
  it('approaches the normal for large df', () => {
    expect(studentTCdf(1.5, 1e6)).toBeCloseTo(sharedNormalCdf(1.5), 6);
    fc.assert(fc.property(fc.double({ min: -8, max: 8, noNaN: true }), fc.integer({ min: 1, max: 200 }), (t, df) => Math.abs(studentTCdf(studentTQuantile(studentTCdf(t, df), df), df) - studentTCdf(t, df)) < 1e-9 || studentTCdf(t, df) < 1e-12 || studentTCdf(t, df) > 1 - 1e-12));
  });
});

describe('Wilson interval (Newcombe 1998a, table I, method 3)', () => {
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i', (x, n, lower, upper) => {
    const w = wilsonInterval(x, n, 0.95);
    expect(round4(w.lower)).toBe(lower);
    expect(round4(w.upper)).toBe(upper);
  });
  it('rejects impossible counts', () => {
    expect(() => wilsonInterval(5, 4)).toThrow(/successes/);
    expect(() => wilsonInterval(1, 2, 1)).toThrow(/confidence/);
  });
});

describe('Newcombe hybrid score interval (Newcombe 1998b, table II, method 10)', () => {
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
  ])('%i/%i - %i/%i', (x1, n1, x2, n2, lower, upper) => {
    const d = newcombeInterval(x1, n1, x2, n2, 0.95);
    expect(round4(d.lower)).toBe(lower);
    expect(round4(d.upper)).toBe(upper);
  });
  it('non-inferiority p-value agrees with the interval it is read from', () => {
    const p = newcombeNonInferiorityPValue(450, 500, 455, 500, 0.05);
    // At 1 - 2p the lower bound sits on -margin.
    expect(newcombeInterval(450, 500, 455, 500, 1 - 2 * p).lower).toBeCloseTo(-0.05, 6);
    expect(p).toBeGreaterThan(0.01);
    expect(p).toBeLessThan(0.05);
    expect(newcombeNonInferiorityPValue(300, 500, 455, 500, 0.05)).toBe(0.5);
  });
});

describe('seeded resampling', () => {
  it('seededRandom is reproducible and in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(xs.reduce((s, x) => s + x, 0) / 1000).toBeCloseTo(0.5, 1);
  });
  it('bootstrap intervals are identical for the same seed and differ for another', () => {
    const random = seededRandom(5);
    const a = Array.from({ length: 300 }, () => 100 + 50 * random());
    const b = Array.from({ length: 300 }, () => 110 + 60 * random());
    const one = bootstrapQuantileRatio(a, b, 0.95, { seed: 9, resamples: 500 });
    const two = bootstrapQuantileRatio(a, b, 0.95, { seed: 9, resamples: 500 });
    const other = bootstrapQuantileRatio(a, b, 0.95, { seed: 10, resamples: 500 });
    expect(one).toEqual(two);
    expect(other.lower).not.toBe(one.lower);
    expect(one.lower).toBeLessThanOrEqual(one.estimate);
    expect(one.upper).toBeGreaterThanOrEqual(one.estimate);
    // uniform(100,150) vs uniform(110,170): true p95 ratio = 167/147.5
    expect(one.lower).toBeLessThan(167 / 147.5);
    expect(one.upper).toBeGreaterThan(167 / 147.5);
  });
  it('paired bootstrap of a constant difference is that constant', () => {
    const r = pairedBootstrapMeanDifference([1, 2, 3, 4], [1.5, 2.5, 3.5, 4.5], { seed: 1, resamples: 100 });
    expect(r.estimate).toBeCloseTo(0.5, 12);
    expect(r.lower).toBeCloseTo(0.5, 12);
    expect(r.upper).toBeCloseTo(0.5, 12);
  });
});

describe('Holm', () => {
  it('matches the hand-computed step-down', () => {
    expect(holmAdjust([0.01, 0.04, 0.03])).toEqual([0.03, 0.06, 0.06]);
    expect(holmAdjust([0.5])).toEqual([0.5]);
    expect(holmAdjust([])).toEqual([]);
  });
  it('is never below the raw p-value nor above Bonferroni', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 20 }), (ps) => {
        const adjusted = holmAdjust(ps);
        return adjusted.every((a, i) => a >= ps[i]! - 1e-15 && a <= Math.min(1, ps.length * ps[i]!) + 1e-15);
      }),
    );
  });
});

describe('quantile bootstrap by rank counting', () => {
  /** The textbook implementation: draw n values with replacement, sort, take the R-7 quantile. */
  function sortingReplicates(values: readonly number[], q: number, resamples: number, seed: number): Float64Array {
    const random = seededRandom(seed);
    const n = values.length;
    const out = new Float64Array(resamples);
    const scratch = new Float64Array(n);
    for (let r = 0; r < resamples; r++) {
      for (let i = 0; i < n; i++) scratch[i] = values[Math.floor(random() * n)]!;
      scratch.sort();
      const h = (n - 1) * q;
      const lo = Math.floor(h);
      const hi = Math.min(lo + 1, n - 1);
      out[r] = scratch[lo]! + (h - lo) * (scratch[hi]! - scratch[lo]!);
    }
    return out;
  }
  it('gives exactly the replicates of sorting each resample (ties, duplicates, every q)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (values, q, seed) => {
          const expected = sortingReplicates(values, q, 25, seed);
          const actual = bootstrapReplicates(values, q, 25, seed);
          return actual.every((v, r) => Object.is(v, expected[r]) || v === expected[r]);
        },
      ),
      { numRuns: 300 },
    );
  });
  it('two-sample quantile ratio equals the sort-based computation with the same draws', () => {
    const random = seededRandom(11);
    const a = Array.from({ length: 300 }, () => Math.round(random() * 1000));
    const b = Array.from({ length: 200 }, () => random() * 1300);
    const draw = seededRandom(5);
    const sortedQ = (x: Float64Array, q: number) => {
      x.sort();
      const h = (x.length - 1) * q;
      const lo = Math.floor(h);
      return x[lo]! + (h - lo) * (x[Math.min(lo + 1, x.length - 1)]! - x[lo]!);
    };
    const ratios = new Float64Array(200);
    for (let r = 0; r < 200; r++) {
      const ra = Float64Array.from(a, () => a[Math.floor(draw() * a.length)]!);
      const rb = Float64Array.from(b, () => b[Math.floor(draw() * b.length)]!);
      ratios[r] = sortedQ(rb, 0.95) / sortedQ(ra, 0.95);
    }
    ratios.sort();
    const got = bootstrapQuantileRatio(a, b, 0.95, { resamples: 200, seed: 5, confidence: 0.9 });
    expect(got.lower).toBe(sortedQ(ratios, 0.05));
    expect(got.upper).toBe(sortedQ(ratios, 0.95));
  });
  it('rejects a statistic outside [0, 1]', () => {
    expect(() => bootstrapReplicates([1, 2], 1.5, 10, 1)).toThrow(/statistic/);
  });
});

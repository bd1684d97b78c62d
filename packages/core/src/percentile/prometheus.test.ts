import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '../errors';
import { histogramFraction, histogramQuantile, type HistogramBucket } from './prometheus';

const buckets = (pairs: Array<[number, number]>): HistogramBucket[] => pairs.map(([upperBound, count]) => ({ upperBound, count }));

function expectClose(actual: number, expected: number, relative = 1e-12): void {
  if (Number.isNaN(expected)) return void expect(actual).toBeNaN();
  if (!Number.isFinite(expected)) return void expect(actual).toBe(expected);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1e-300, Math.abs(expected)));
}

// Hand cases from Prometheus' promql/promqltest/testdata/histograms.test (the series values at 50m and 7m).
const positive = buckets([[0.1, 50], [0.2, 70], [1, 110], [Infinity, 120]]);
const negative = buckets([[-0.2, 10], [-0.1, 20], [0.3, 20], [Infinity, 30]]);
const middles = buckets([[0, 0], [2, 1], [4, 2], [6, 3], [Infinity, 3]]); // testhistogram2 at 7m
const positive3 = buckets([[0, 0], [0.1, 50], [0.2, 70], [1, 110], [Infinity, 110]]);
const negative3 = buckets([[-0.25, 0], [-0.2, 10], [-0.1, 20], [0.3, 20], [Infinity, 20]]);
const testhistogram2At50m = buckets([[0, 0], [2, 10], [4, 20], [6, 30], [Infinity, 30]]);

describe('histogramQuantile: Prometheus test expectations', () => {
  it('testhistogram (lowest bucket above and below zero)', () => {
    const cases: Array<[number, number, number]> = [
      [0, 0, -0.2],
      [1, 1, 0.3],
      [0.2, 0.048, -0.2],
      [0.5, 0.15, -0.15],
      [0.8, 0.72, 0.3],
    ];
    for (const [q, pos, neg] of cases) {
      expectClose(histogramQuantile(q, positive), pos);
      expectClose(histogramQuantile(q, negative), neg);
    }
  });

  it('testhistogram3 (no observation in the +Inf bucket)', () => {
    const cases: Array<[number, number, number]> = [
      [0, 0, -0.25],
      [0.25, 0.055, -0.225],
      [0.5, 0.125, -0.2],
      [0.75, 0.45, -0.15],
      [1, 1, -0.1],
    ];
    for (const [q, pos, neg] of cases) {
      expectClose(histogramQuantile(q, positive3), pos);
      expectClose(histogramQuantile(q, negative3), neg);
    }
  });

  it('testhistogram2: quantiles exactly in the middle of buckets', () => {
    expectClose(histogramQuantile(1 / 6, middles), 1);
    expectClose(histogramQuantile(0.5, middles), 3);
    expectClose(histogramQuantile(5 / 6, middles), 5);
  });

  it('aggregated request_duration_seconds (sum by le of rates)', () => {
    // Per-bucket sums over job1/ins1, job1/ins2, job2/ins1, job2/ins2 at 50m (the common rate factor cancels).
    const all = buckets([[0.1, 1 + 2 + 3 + 4], [0.2, 3 + 5 + 4 + 7], [Infinity, 4 + 6 + 6 + 9]]);
    expectClose(histogramQuantile(0.3, all), 0.075);
    expectClose(histogramQuantile(0.5, all), 0.1277777777777778, 1e-15);
    const job2 = buckets([[0.1, 3 + 4], [0.2, 4 + 7], [Infinity, 6 + 9]]);
    expectClose(histogramQuantile(0.3, job2), 0.0642857142857143, 1e-14);
    expectClose(histogramQuantile(0.5, job2), 0.1125);
  });

  it('special values: q out of range, NaN q', () => {
    expect(histogramQuantile(-0.1, positive)).toBe(-Infinity);
    expect(histogramQuantile(1.01, positive)).toBe(Infinity);
    expect(histogramQuantile(NaN, positive)).toBeNaN();
  });

  it('documented NaN results', () => {
    expect(histogramQuantile(0.5, buckets([[1, 3], [2, 5]]))).toBeNaN(); // highest bucket not +Inf
    expect(histogramQuantile(0.5, buckets([[Infinity, 5]]))).toBeNaN(); // fewer than 2 buckets
    expect(histogramQuantile(0.5, buckets([[Infinity, 5], [Infinity, 7]]))).toBeNaN(); // coalesced to one bucket
    expect(histogramQuantile(0.5, buckets([[1, 0], [Infinity, 0]]))).toBeNaN(); // no observations
    expect(histogramQuantile(0.5, [])).toBeNaN();
    expect(histogramQuantile(0, buckets([[1, 0], [2, 4], [Infinity, 4]]))).toBeNaN(); // 0/0 in an empty lowest bucket
  });

  it('accepts buckets in any order and merges duplicate upper bounds', () => {
    const shuffled = [positive[2]!, positive[0]!, positive[3]!, positive[1]!];
    expectClose(histogramQuantile(0.5, shuffled), 0.15);
    const split = buckets([[0.1, 25], [0.2, 70], [0.1, 25], [1, 110], [Infinity, 120]]);
    expectClose(histogramQuantile(0.5, split), 0.15);
  });

  it('returns the second-highest upper bound when the rank falls in the +Inf bucket', () => {
    expect(histogramQuantile(0.99, positive)).toBe(1);
    expect(histogramQuantile(1, buckets([[0.5, 1], [Infinity, 2]]))).toBe(0.5);
  });

  it('repairs non-monotonic cumulative counts (envelope) and ignores float noise', () => {
    // 10, 8, 12: the 8 is lifted to 10. Rank 6 lands in the first bucket: 0 + 0.1 × 6/10.
    const broken = buckets([[0.1, 10], [0.2, 8], [0.3, 12], [Infinity, 12]]);
    expectClose(histogramQuantile(0.5, broken), 0.06);
    // Rank 11 is in (0.2, 0.3] after the repair: counts 10, 10, 12 → 0.2 + 0.1 × 1/2.
    expectClose(histogramQuantile(11 / 12, broken), 0.25);
    // A relative wobble of 1e-14 is noise: the second bucket is treated as empty (no interpolation inside it).
    const noisy = buckets([[1, 100], [2, 100 * (1 + 1e-14)], [3, 200], [Infinity, 200]]);
    expectClose(histogramQuantile(0.5, noisy), 1);
    expectClose(histogramQuantile(0.75, noisy), 2.5);
  });

  it('validates its arguments with typed errors', () => {
    expect(() => histogramQuantile('0.5' as unknown as number, positive)).toThrow(ValidationError);
    expect(() => histogramQuantile(0.5, {} as unknown as HistogramBucket[])).toThrow(/buckets/);
    expect(() => histogramQuantile(0.5, buckets([[NaN, 1], [Infinity, 2]]))).toThrow(/buckets\[0\]\.upperBound/);
    expect(() => histogramQuantile(0.5, buckets([[1, -1], [Infinity, 2]]))).toThrow(/buckets\[0\]\.count/);
    expect(() => histogramQuantile(0.5, [null as unknown as HistogramBucket])).toThrow(/buckets\[0\]/);
  });
});

describe('histogramFraction: Prometheus test expectations', () => {
  it('testhistogram2 and testhistogram3', () => {
    expectClose(histogramFraction(0, 4, testhistogram2At50m), 0.6666666666666666, 1e-15);
    expectClose(histogramFraction(0, 6, testhistogram2At50m), 1);
    expectClose(histogramFraction(0, 3.5, testhistogram2At50m), 0.5833333333333334, 1e-15);
    expectClose(histogramFraction(0, 0.2, positive3), 0.6363636363636364, 1e-15);
    expectClose(histogramFraction(0, 0.2, negative3), 0);
  });

  it('documented special results', () => {
    expect(histogramFraction(0, 1, [])).toBeNaN();
    expect(histogramFraction(0, 1, buckets([[1, 1], [2, 2]]))).toBeNaN();
    expect(histogramFraction(0, 1, buckets([[1, 0], [Infinity, 0]]))).toBeNaN();
    expect(histogramFraction(NaN, 1, positive)).toBeNaN();
    expect(histogramFraction(0, NaN, positive)).toBeNaN();
    expect(histogramFraction(1, 1, positive)).toBe(0);
    expect(histogramFraction(2, 1, positive)).toBe(0);
    expect(histogramFraction(-Infinity, Infinity, positive)).toBe(1);
  });

  it('is the inverse of histogramQuantile inside finite buckets', () => {
    for (const q of [0.05, 0.2, 0.41, 0.5, 0.77, 0.9]) {
      expectClose(histogramFraction(-Infinity, histogramQuantile(q, positive), positive), q, 1e-12);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Brute-force oracle: observations → cumulative buckets → the piecewise-linear CDF through (lowest start, 0) and
// (upperBound_i, cumulative_i), inverted by scanning segments. This is the interpolation model Prometheus documents,
// written independently of the implementation (no binary search, no early exits shared with it).

function bucketize(samples: readonly number[], bounds: readonly number[]): HistogramBucket[] {
  const all = [...bounds, Infinity];
  return all.map((upperBound) => ({ upperBound, count: samples.filter((s) => s <= upperBound).length }));
}

function oracleQuantile(q: number, list: readonly HistogramBucket[]): number {
  const sorted = [...list].sort((a, b) => a.upperBound - b.upperBound);
  const total = sorted[sorted.length - 1]!.count;
  const rank = q * total;
  const finite = sorted.slice(0, -1);
  if (rank > finite[finite.length - 1]!.count) return finite[finite.length - 1]!.upperBound; // rank in +Inf bucket
  if (finite[0]!.upperBound <= 0 && rank <= finite[0]!.count) return finite[0]!.upperBound;
  let previousBound = 0;
  let previousCount = 0;
  for (const { upperBound, count } of finite) {
    if (count >= rank && count > previousCount) {
      return previousBound + ((rank - previousCount) / (count - previousCount)) * (upperBound - previousBound);
    }
    if (count >= rank && count === previousCount && rank === count) return previousBound;
    previousBound = upperBound;
    previousCount = count;
  }
  return NaN;
}

function nearestRankSample(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

describe('histogramQuantile against a brute-force oracle', () => {
  const boundsArbitrary = fc
    .uniqueArray(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 12 })
    .map((values) => values.sort((a, b) => a - b).map((v) => v / 40));
  const samplesArbitrary = fc.array(fc.integer({ min: 0, max: 500 }).map((v) => v / 40), { minLength: 1, maxLength: 300 });

  it('matches the CDF-inversion oracle and lands in the bucket of the true quantile', () => {
    fc.assert(
      fc.property(boundsArbitrary, samplesArbitrary, fc.double({ min: 0.001, max: 1, noNaN: true }), (bounds, samples, q) => {
        const list = bucketize(samples, bounds);
        const estimate = histogramQuantile(q, list);
        expectClose(estimate, oracleQuantile(q, list), 1e-9);
        // The true (nearest-rank) sample quantile lies in some bucket; the estimate lies in the same bucket, or at
        // the second-highest bound when that bucket is the +Inf one.
        const truth = nearestRankSample(samples, q);
        const all = [0, ...bounds, Infinity];
        const containing = all.findIndex((bound, i) => i > 0 && truth <= bound && (truth > all[i - 1]! || i === 1));
        const low = all[containing - 1]!;
        const high = all[containing]!;
        if (high === Infinity) expect(estimate).toBe(bounds[bounds.length - 1]);
        else {
          expect(estimate).toBeGreaterThanOrEqual(low - 1e-12);
          expect(estimate).toBeLessThanOrEqual(high + 1e-12);
        }
      }),
      { numRuns: 600 },
    );
  });

  it('is monotone in q and invariant under bucket order', () => {
    fc.assert(
      fc.property(boundsArbitrary, samplesArbitrary, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 20 }), (bounds, samples, qs) => {
        const list = bucketize(samples, bounds);
        const reversed = [...list].reverse();
        const sortedQs = [...qs].sort((a, b) => a - b);
        let previous = -Infinity;
        for (const q of sortedQs) {
          const value = histogramQuantile(q, list);
          if (Number.isNaN(value)) continue; // q = 0 with an empty lowest bucket (documented)
          expect(value).toBeGreaterThanOrEqual(previous);
          expect(histogramQuantile(q, reversed)).toBe(value);
          previous = value;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('histogramFraction matches the share of samples at whole bucket bounds', () => {
    fc.assert(
      fc.property(boundsArbitrary, samplesArbitrary, fc.nat(), fc.nat(), (bounds, samples, i, j) => {
        const list = bucketize(samples, bounds);
        const a = bounds[i % bounds.length]!;
        const b = bounds[j % bounds.length]!;
        const [lower, upper] = a <= b ? [a, b] : [b, a];
        const expected = lower === upper ? 0 : samples.filter((s) => s > lower && s <= upper).length / samples.length;
        expectClose(histogramFraction(lower, upper, list), expected, 1e-12);
        expectClose(histogramFraction(-Infinity, upper, list), samples.filter((s) => s <= upper).length / samples.length, 1e-12);
      }),
      { numRuns: 400 },
    );
  });
});

describe('sorted buckets (the no-sort fast path)', () => {
  /** The slow path on purpose: the same buckets, reversed, with each split into two halves of one upper bound. */
  const scrambled = (list: HistogramBucket[]) =>
    list
      .flatMap((b) => [
        { upperBound: b.upperBound, count: b.count / 2 },
        { upperBound: b.upperBound, count: b.count - b.count / 2 },
      ])
      .reverse();

  it('gives what the sort-and-merge path gives, for quantiles and fractions (property)', () => {
    const histogram = fc
      .uniqueArray(fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 30 })
      .chain((bounds) => {
        const sorted = [...bounds].sort((a, b) => a - b);
        return fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: sorted.length + 1, maxLength: sorted.length + 1 }).map((counts) => {
          // Not always monotone: the repair must happen in both paths.
          return [...sorted, Infinity].map((upperBound, i) => ({ upperBound, count: counts[i]! * (i % 7 === 3 ? 0.5 : 1) + i }));
        });
      });
    fc.assert(
      fc.property(histogram, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: -1e3, max: 1e3, noNaN: true }), (list, q, bound) => {
        expect(histogramQuantile(q, list)).toBe(histogramQuantile(q, scrambled(list)));
        expect(histogramFraction(-Infinity, bound, list)).toBe(histogramFraction(-Infinity, bound, scrambled(list)));
      }),
      { numRuns: 500 },
    );
  });

  it('merges bounds -0 and 0 into a bound 0, whichever comes first (a seed of the property above found -0 against 0)', () => {
    const list = [
      { upperBound: -0, count: 0 },
      { upperBound: 0, count: 1 },
      { upperBound: Infinity, count: 2 },
    ];
    for (const buckets of [list, scrambled(list), [list[1]!, list[0]!, list[2]!], [list[0]!, list[2]!]]) {
      expect(Object.is(histogramQuantile(0, buckets), 0)).toBe(true);
    }
  });

  it('leaves no state behind between calls, and survives a getter that calls back in', () => {
    const many = buckets([...Array.from({ length: 100 }, (_, i): [number, number] => [i + 1, i]), [Infinity, 100]]);
    expect(histogramQuantile(0.5, many)).toBeCloseTo(51, 9);
    expect(histogramQuantile(0.5, positive)).toBeCloseTo(0.15, 12);
    const reentrant = positive.map((b, i) =>
      i === 2
        ? {
            upperBound: b.upperBound,
            get count() {
              // Another histogram read from inside this one's buckets.
              expect(histogramQuantile(0.5, many)).toBeCloseTo(51, 9);
              return b.count;
            },
          }
        : b,
    );
    expect(histogramQuantile(0.5, reentrant)).toBeCloseTo(0.15, 12);
    expect(histogramFraction(-Infinity, 0.15, reentrant)).toBeCloseTo(60 / 120, 12);
  });
});

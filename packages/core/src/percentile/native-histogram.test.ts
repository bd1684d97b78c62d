import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '../errors';
import {
  nativeBucketUpperBound,
  nativeHistogramBuckets,
  nativeHistogramFraction,
  nativeHistogramQuantile,
  type NativeHistogram,
} from './native-histogram';

function expectClose(actual: number, expected: number, relative = 1e-12): void {
  if (Number.isNaN(expected)) return void expect(actual).toBeNaN();
  if (!Number.isFinite(expected) || expected === 0) return void expect(actual).toBe(expected);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.abs(expected));
}

/**
 * Builds a histogram the way promqltest's `{{schema:s buckets:[…] n_buckets:[…] offset:o}}` notation does: one span
 * per side starting at `offset`, absolute counts.
 */
function promqltest(options: {
  schema: number;
  count: number;
  sum: number;
  zeroCount?: number;
  zeroThreshold?: number;
  buckets?: number[];
  negativeBuckets?: number[];
  offset?: number;
  negativeOffset?: number;
}): NativeHistogram {
  const positive = options.buckets ?? [];
  const negative = options.negativeBuckets ?? [];
  return {
    schema: options.schema,
    count: options.count,
    sum: options.sum,
    zeroCount: options.zeroCount ?? 0,
    zeroThreshold: options.zeroThreshold ?? 0,
    positiveSpans: positive.length ? [{ offset: options.offset ?? 0, length: positive.length }] : [],
    positiveCounts: positive,
    negativeSpans: negative.length ? [{ offset: options.negativeOffset ?? 0, length: negative.length }] : [],
    negativeCounts: negative,
  };
}

// Expectations from Prometheus' promql/promqltest/testdata/native_histograms.test.
describe('nativeHistogramQuantile: Prometheus test expectations', () => {
  it('single_histogram, negative_histogram, balanced_histogram, single_zero_histogram', () => {
    const single = promqltest({ schema: 0, sum: 5, count: 4, buckets: [1, 2, 1] });
    expectClose(nativeHistogramQuantile(0.5, single), 1.414213562373095, 1e-15);
    const negative = promqltest({ schema: 0, sum: -5, count: 4, negativeBuckets: [1, 2, 1] });
    expectClose(nativeHistogramQuantile(0.5, negative), -1.414213562373095, 1e-15);
    const balanced = promqltest({ schema: 0, sum: 0, count: 8, buckets: [1, 2, 1], negativeBuckets: [1, 2, 1] });
    expectClose(nativeHistogramQuantile(0.5, balanced), 0.5);
    const zeroOnly = promqltest({ schema: 0, sum: 0.25, count: 1, zeroCount: 1, zeroThreshold: 0.5 });
    expect(nativeHistogramQuantile(0.5, zeroOnly)).toBe(0);
  });

  it('histogram_quantile_1: positive buckets and a zero bucket', () => {
    const h = promqltest({ schema: 0, count: 12, sum: 100, zeroCount: 2, zeroThreshold: 0.001, buckets: [2, 3, 0, 1, 4] });
    expect(nativeHistogramQuantile(1.001, h)).toBe(Infinity);
    expect(nativeHistogramQuantile(-1, h)).toBe(-Infinity);
    expectClose(nativeHistogramQuantile(1, h), 16);
    expectClose(nativeHistogramQuantile(0.99, h), 15.67072476139083);
    expectClose(nativeHistogramQuantile(0.9, h), 12.99603834169977);
    expectClose(nativeHistogramQuantile(0.6, h), 4.594793419988138);
    expectClose(nativeHistogramQuantile(0.5, h), 1.5874010519681994);
    expectClose(nativeHistogramQuantile(0.1, h), 0.0006);
    expect(nativeHistogramQuantile(0, h)).toBe(0);
  });

  it('histogram_quantile_2: negative buckets and a zero bucket', () => {
    const h = promqltest({ schema: 0, count: 12, sum: 100, zeroCount: 2, zeroThreshold: 0.001, negativeBuckets: [2, 3, 0, 1, 4] });
    expect(nativeHistogramQuantile(1, h)).toBe(0);
    expectClose(nativeHistogramQuantile(0.99, h), -0.00006);
    expectClose(nativeHistogramQuantile(0.9, h), -0.0006);
    expectClose(nativeHistogramQuantile(0.5, h), -1.5874010519681996);
    expectClose(nativeHistogramQuantile(0.1, h), -12.996038341699768);
    expectClose(nativeHistogramQuantile(0, h), -16);
  });

  it('histogram_quantile_3: both signs and a zero bucket', () => {
    const h = promqltest({ schema: 0, count: 24, sum: 100, zeroCount: 4, zeroThreshold: 0.001, buckets: [2, 3, 0, 1, 4], negativeBuckets: [2, 3, 0, 1, 4] });
    const cases: Array<[number, number]> = [
      [1, 16],
      [0.99, 15.34822590920423],
      [0.9, 10.556063286183155],
      [0.7, 1.2030250360821164],
      [0.55, 0.0006],
      [0.5, 0],
      [0.45, -0.0006],
      [0.3, -1.2030250360821169],
      [0.1, -10.556063286183155],
      [0.01, -15.34822590920423],
      [0, -16],
    ];
    for (const [q, expected] of cases) expectClose(nativeHistogramQuantile(q, h), expected, 1e-14);
  });

  it('var_res_histogram: the interpolation does not depend on the schema', () => {
    const at = (schema: number, buckets: number[], negative = false) =>
      promqltest({ schema, sum: 4, count: 5, ...(negative ? { negativeBuckets: buckets } : { buckets }) });
    expectClose(nativeHistogramQuantile(0.5, at(-1, [0, 5])), 2);
    expectClose(nativeHistogramQuantile(0.5, at(0, [0, 5])), 1.4142135623730951);
    expectClose(nativeHistogramQuantile(0.5, at(1, [0, 5])), 1.189207, 1e-6);
    expectClose(nativeHistogramQuantile(0.5, at(-1, [0, 0, 5])), 8);
    expectClose(nativeHistogramQuantile(0.5, at(0, [0, 0, 5])), 2.82842712474619, 1e-14);
    expectClose(nativeHistogramQuantile(0.5, at(1, [0, 0, 5])), 1.6817928305074292);
    expectClose(nativeHistogramQuantile(0.5, at(-1, [0, 5], true)), -2);
    expectClose(nativeHistogramQuantile(0.5, at(0, [0, 0, 5], true)), -2.82842712474619, 1e-14);
    expectClose(nativeHistogramQuantile(0.5, at(1, [0, 0, 5], true)), -1.6817928305074292);
  });

  it('returns NaN for an empty histogram or a NaN q', () => {
    expect(nativeHistogramQuantile(0.5, promqltest({ schema: 0, sum: 0, count: 0 }))).toBeNaN();
    expect(nativeHistogramQuantile(NaN, promqltest({ schema: 0, sum: 5, count: 4, buckets: [1, 2, 1] }))).toBeNaN();
  });

  it('with NaN observations, returns the top bucket bound when the rank is out of reach', () => {
    // Three observations in (1, 2], one NaN: count 4, sum NaN. The forward walk is used for every q.
    const h = promqltest({ schema: 0, sum: NaN, count: 4, buckets: [0, 3], offset: 0 });
    expect(nativeHistogramQuantile(0.9, h)).toBe(2);
    expectClose(nativeHistogramQuantile(0.375, h), Math.SQRT2);
  });
});

describe('nativeHistogramFraction: Prometheus test expectations', () => {
  const positive = promqltest({ schema: 0, count: 12, sum: 100, zeroCount: 2, zeroThreshold: 0.001, buckets: [2, 3, 0, 1, 4] });
  const negative = promqltest({ schema: 0, count: 12, sum: 100, zeroCount: 2, zeroThreshold: 0.001, negativeBuckets: [2, 3, 0, 1, 4] });
  const both = promqltest({ schema: 0, count: 24, sum: 100, zeroCount: 4, zeroThreshold: 0.001, buckets: [2, 3, 0, 1, 4], negativeBuckets: [2, 3, 0, 1, 4] });

  it('histogram_fraction_2 (positive and zero buckets)', () => {
    const cases: Array<[number, number, number]> = [
      [0, Infinity, 1],
      [-Infinity, 0, 0],
      [-0.001, 0, 0],
      [0, 0.001, 0.16666666666666666],
      [0.001, Infinity, 0.8333333333333334],
      [0, 0.0005, 0.08333333333333333],
      [1, 2, 0.25],
      [0, 1.5, 0.4795739585136224],
      [1.5, 2, 0.10375937481971091],
      [1, 8, 0.3333333333333333],
      [0, 6, 0.6320802083934297],
      [1, 6, 0.29874687506009634],
      [1.5, 6, 0.15250624987980724],
      [-6, -1.5, 0],
      [42, 3.1415, 0],
      [-Infinity, Infinity, 1],
    ];
    for (const [lower, upper, expected] of cases) expectClose(nativeHistogramFraction(lower, upper, positive), expected, 1e-14);
    expect(nativeHistogramFraction(3.1415, NaN, positive)).toBeNaN();
    expectClose(nativeHistogramQuantile(0.08333333333333333, positive), 0.0005);
    expectClose(nativeHistogramQuantile(0.6320802083934297, positive), 6, 1e-14);
  });

  it('histogram_fraction_3 (negative and zero buckets)', () => {
    const cases: Array<[number, number, number]> = [
      [0, Infinity, 0],
      [-Infinity, 0, 1],
      [-0.001, 0, 0.16666666666666666],
      [-0.0005, 0, 0.08333333333333333],
      [-Infinity, -0.0005, 0.9166666666666666],
      [-Infinity, -0.001, 0.8333333333333334],
      [-2, -1, 0.25],
      [-2, -1.5, 0.10375937481971091],
      [-8, -1, 0.3333333333333333],
      [-Infinity, -6, 0.36791979160657035],
      [-6, -1, 0.29874687506009634],
      [-6, -1.5, 0.15250624987980724],
    ];
    for (const [lower, upper, expected] of cases) expectClose(nativeHistogramFraction(lower, upper, negative), expected, 1e-14);
    expectClose(nativeHistogramQuantile(0.9166666666666666, negative), -0.0005, 1e-12);
    expectClose(nativeHistogramQuantile(0.36791979160657035, negative), -6, 1e-14);
  });

  it('histogram_fraction_4 (both signs)', () => {
    const cases: Array<[number, number, number]> = [
      [0, Infinity, 0.5],
      [-0.0005, 0.0005, 0.08333333333333333],
      [-Infinity, 0.0005, 0.5416666666666666],
      [0.001, Infinity, 0.4166666666666667],
      [1.5, 2, 0.051879687409855414],
      [1, 6, 0.14937343753004825],
      [-2, -1.5, 0.051879687409855456],
      [-6, -1.5, 0.07625312493990362],
    ];
    for (const [lower, upper, expected] of cases) expectClose(nativeHistogramFraction(lower, upper, both), expected, 1e-13);
    expectClose(nativeHistogramQuantile(0.5416666666666666, both), 0.0005, 1e-12);
    expectClose(nativeHistogramQuantile(0.4583333333333333, both), -0.0005, 1e-12);
  });

  it('single_histogram, single_zero_histogram, empty', () => {
    const single = promqltest({ schema: 0, sum: 5, count: 4, buckets: [1, 2, 1] });
    expect(nativeHistogramFraction(1, 2, single)).toBe(0.5);
    expect(nativeHistogramFraction(0, 8, single)).toBe(1);
    const zeroOnly = promqltest({ schema: 0, sum: 0.25, count: 1, zeroCount: 1, zeroThreshold: 0.5 });
    expect(nativeHistogramFraction(-0.5, 0.5, zeroOnly)).toBe(1);
    expect(nativeHistogramFraction(0, 8, promqltest({ schema: 0, sum: 0, count: 0 }))).toBeNaN();
  });
});

describe('native histogram decoding and bucket bounds', () => {
  it('decodes delta-encoded spans like the protobuf, with gaps between spans', () => {
    const h: NativeHistogram = {
      schema: 0,
      zeroThreshold: 0.001,
      zeroCount: 2,
      count: 12,
      sum: 40,
      positiveSpans: [
        { offset: 0, length: 2 },
        { offset: 2, length: 1 },
      ],
      positiveDeltas: [3, -1, 2], // counts 3, 2, 4 at indexes 0, 1, 4
      negativeSpans: [{ offset: 1, length: 1 }],
      negativeDeltas: [1], // count 1 at index 1: [-2, -1)
    };
    const expanded = nativeHistogramBuckets(h);
    expect(expanded.map((b) => [b.lower, b.upper, b.count])).toEqual([
      [-2, -1, 1],
      [-0.001, 0.001, 2],
      [0.5, 1, 3],
      [1, 2, 2],
      [8, 16, 4],
    ]);
    expect(expanded[0]).toMatchObject({ lowerInclusive: true, upperInclusive: false });
    expect(expanded[2]).toMatchObject({ lowerInclusive: false, upperInclusive: true });
    const { positiveDeltas: _unused, ...withoutDeltas } = h;
    expect(nativeHistogramBuckets({ ...withoutDeltas, positiveCounts: [3, 2, 4] })).toEqual(expanded);
  });

  it('clips bucket bounds to the zero threshold', () => {
    const h = promqltest({ schema: 0, count: 2, sum: 1, zeroThreshold: 0.7, buckets: [1, 1], offset: 0 });
    expect(nativeHistogramBuckets(h)[0]).toMatchObject({ lower: 0.7, upper: 1 });
  });

  it('computes bounds base^i for every schema, nested across schemas, MAX_VALUE before the ±Inf bucket', () => {
    for (let schema = -4; schema <= 8; schema++) {
      for (const index of [-300, -17, -1, 0, 1, 2, 5, 63, 255, 1000]) {
        const bound = nativeBucketUpperBound(index, schema);
        const expected = Math.pow(2, index * 2 ** -schema);
        if (Number.isFinite(expected) && expected > 1e-300) expectClose(bound, expected, 4e-16);
        if (schema > -4) expect(nativeBucketUpperBound(index, schema - 1)).toBe(nativeBucketUpperBound(index * 2, schema));
      }
    }
    expect(nativeBucketUpperBound(1024, 0)).toBe(Number.MAX_VALUE);
    expect(nativeBucketUpperBound(256, -2)).toBe(Number.MAX_VALUE);
    expect(nativeBucketUpperBound(1025, 0)).toBe(Infinity);
    expect(nativeBucketUpperBound(1023, 0)).toBe(2 ** 1023);
  });

  it('names the bad field in validation errors', () => {
    const base = promqltest({ schema: 0, sum: 5, count: 4, buckets: [1, 2, 1] });
    const bad = (patch: object, path: RegExp) => expect(() => nativeHistogramQuantile(0.5, { ...base, ...patch } as NativeHistogram)).toThrow(path);
    bad({ schema: 9 }, /h\.schema/);
    bad({ schema: -53 }, /h\.schema/);
    bad({ zeroThreshold: -1 }, /h\.zeroThreshold/);
    bad({ count: NaN }, /h\.count/);
    bad({ positiveSpans: [{ offset: 0, length: 2 }, { offset: -1, length: 1 }] }, /h\.positiveSpans\[1\]\.offset/);
    bad({ positiveCounts: [1, 2] }, /h\.positiveCounts/);
    bad({ positiveDeltas: [1, 1, 1] }, /h\.positiveCounts/);
    bad({ positiveCounts: undefined, positiveDeltas: [1, -5, 0] }, /h\.positiveDeltas\[1\]/);
    bad({ negativeSpans: [{ offset: 0, length: 1 }] }, /h\.negativeCounts/);
    bad({ negativeSpans: [{ offset: 0, length: 1 }], negativeCounts: undefined }, /h\.negativeDeltas/);
    expect(() => nativeHistogramQuantile('1' as unknown as number, base)).toThrow(ValidationError);
  });
});

// Oracle: observations → native buckets by the definition (v in (base^(i-1), base^i]), then the quantile must lie in
// the bucket that holds the true sample quantile, and fraction(-Inf, quantile(q)) must give back q.
describe('nativeHistogramQuantile against observations', () => {
  function observe(samples: readonly number[], schema: number, zeroThreshold: number): NativeHistogram {
    const base = 2 ** (2 ** -schema);
    const positive = new Map<number, number>();
    const negative = new Map<number, number>();
    let zeroCount = 0;
    for (const v of samples) {
      if (Math.abs(v) <= zeroThreshold) {
        zeroCount++;
        continue;
      }
      let index = Math.ceil(Math.log(Math.abs(v)) / Math.log(base));
      while (Math.pow(base, index) < Math.abs(v)) index++; // guard the float log against off-by-one
      while (Math.pow(base, index - 1) >= Math.abs(v)) index--;
      const side = v > 0 ? positive : negative;
      side.set(index, (side.get(index) ?? 0) + 1);
    }
    const encode = (side: Map<number, number>) => {
      const indexes = [...side.keys()].sort((a, b) => a - b);
      return {
        spans: indexes.map((index, i) => ({ offset: i === 0 ? index : index - indexes[i - 1]! - 1, length: 1 })),
        counts: indexes.map((index) => side.get(index)!),
      };
    };
    const p = encode(positive);
    const n = encode(negative);
    return {
      schema,
      zeroThreshold,
      zeroCount,
      count: samples.length,
      sum: samples.reduce((a, b) => a + b, 0),
      positiveSpans: p.spans,
      positiveCounts: p.counts,
      negativeSpans: n.spans,
      negativeCounts: n.counts,
    };
  }

  it('lands in the bucket of the true quantile and inverts through nativeHistogramFraction', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -2, max: 5 }),
        fc.array(fc.double({ min: 0.01, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (schema, samples, q) => {
          const h = observe(samples, schema, 0);
          const estimate = nativeHistogramQuantile(q, h);
          const sorted = [...samples].sort((a, b) => a - b);
          const truth = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
          const base = 2 ** (2 ** -schema);
          // The bucket of the true value (or a neighbouring bound when q·n sits exactly on a bucket edge).
          const containing = nativeHistogramBuckets(h).find((b) => truth > b.lower && truth <= b.upper)!;
          expect(estimate).toBeGreaterThanOrEqual(containing.lower / base - 1e-9);
          expect(estimate).toBeLessThanOrEqual(containing.upper * (1 + 1e-12));
          expectClose(nativeHistogramFraction(-Infinity, estimate, h), q, 1e-9);
        },
      ),
      { numRuns: 400 },
    );
  });
});

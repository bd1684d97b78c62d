import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError, VigilError } from '../errors';
import { DDSketch } from './ddsketch';

/** The paper's definition: the value of rank ⌊q·(n − 1)⌋ (0-based) in the sorted input. */
function exactLowerQuantile(sorted: Float64Array, q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

const NO_COLLAPSE = 1 << 20;
const PROBABILITIES = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

/** Checks |estimate − exact| <= α·|exact| for every probability (values below 2^-1022 in magnitude count as 0). */
function expectWithinGuarantee(sketch: DDSketch, values: ArrayLike<number>, alpha: number, qs = PROBABILITIES): void {
  const sorted = Float64Array.from(values).sort();
  for (const q of qs) {
    const exact = exactLowerQuantile(sorted, q);
    const estimate = sketch.quantile(q);
    if (Math.abs(exact) <= 2 ** -1022) {
      // Counted in the zero bucket: the estimate is 0 (or the exact min/max when clamped to them).
      if (!(Math.abs(estimate) <= 2 ** -1022)) throw new Error(`q=${q}: estimate ${estimate} for a value in the zero bucket`);
      continue;
    }
    const reference = exact;
    const error = Math.abs(estimate - reference);
    if (!(error <= alpha * Math.abs(reference))) {
      throw new Error(`q=${q}: estimate ${estimate} vs exact ${exact}: relative error ${error / Math.abs(reference)} > ${alpha}`);
    }
  }
}

function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 0.5) / 2 ** 32;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
}

const distributions: Record<string, (random: () => number) => number> = {
  uniform: (r) => r() * 1000,
  lognormal: (r) => Math.exp(gaussian(r) * 1.5),
  exponential: (r) => -Math.log(r()) * 20,
  pareto: (r) => 1 / Math.pow(r(), 1 / 1.2), // heavy tail, α = 1.2
  mixedSign: (r) => gaussian(r) * 100,
  withZeros: (r) => (r() < 0.3 ? 0 : Math.exp(gaussian(r))),
  tinyAndHuge: (r) => Math.exp((r() - 0.5) * 200),
  constant: () => 42.5,
};

describe('DDSketch accuracy guarantee (against exact quantiles)', () => {
  for (const [name, draw] of Object.entries(distributions)) {
    for (const alpha of [0.01, 0.05, 0.001]) {
      it(`${name}, α = ${alpha}: every estimate is within α of the exact value (add and addAll)`, () => {
        const random = seeded(name.length * 7919 + alpha * 1e6);
        const values = Float64Array.from({ length: 20_000 }, () => draw(random));
        // Enough buckets that nothing collapses (2048 buckets at α = 0.1 % only span a factor of 60).
        const bulk = new DDSketch({ relativeAccuracy: alpha, maxBuckets: NO_COLLAPSE });
        bulk.addAll(values);
        expectWithinGuarantee(bulk, values, alpha);
        const single = new DDSketch({ relativeAccuracy: alpha, maxBuckets: NO_COLLAPSE });
        for (const v of values) single.add(v);
        expect(Array.from(single.quantiles(PROBABILITIES))).toEqual(Array.from(bulk.quantiles(PROBABILITIES)));
        expect(bulk.count).toBe(values.length);
        expect(bulk.min).toBe(Math.min(...values));
        expect(bulk.max).toBe(Math.max(...values));
      });
    }
  }

  it('holds for arbitrary small inputs of any sign (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -1e300, max: 1e300, noNaN: true }), fc.integer({ min: -5, max: 5 }), fc.constant(0)), { minLength: 1, maxLength: 200 }),
        fc.constantFrom(0.01, 0.02, 0.1),
        (values, alpha) => {
          const sketch = new DDSketch({ relativeAccuracy: alpha, maxBuckets: NO_COLLAPSE });
          sketch.addAll(values);
          expectWithinGuarantee(sketch, values, alpha);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('is exact at the ends (min and max) and for a single value', () => {
    const sketch = new DDSketch();
    sketch.add(3.14159);
    expect(sketch.quantile(0)).toBe(3.14159);
    expect(sketch.quantile(0.5)).toBe(3.14159);
    expect(sketch.quantile(1)).toBe(3.14159);
  });

  it('handles weights: add(v, count) equals count separate adds', () => {
    const weighted = new DDSketch();
    const repeated = new DDSketch();
    const random = seeded(5);
    for (let i = 0; i < 200; i++) {
      const v = Math.exp(gaussian(random));
      const count = 1 + Math.floor(random() * 5);
      weighted.add(v, count);
      for (let c = 0; c < count; c++) repeated.add(v);
    }
    expect(weighted.count).toBe(repeated.count);
    expect(Array.from(weighted.quantiles(PROBABILITIES))).toEqual(Array.from(repeated.quantiles(PROBABILITIES)));
  });
});

describe('DDSketch collapsing (bounded memory)', () => {
  it('keeps the upper quantiles within α when the lowest buckets collapse', () => {
    const random = seeded(11);
    // 1e-12 … 1e12 spans far more than 64 buckets at α = 1 %.
    const values = Float64Array.from({ length: 20_000 }, () => Math.exp((random() - 0.5) * 2 * Math.log(1e12)));
    const sketch = new DDSketch({ relativeAccuracy: 0.01, maxBuckets: 64 });
    sketch.addAll(values);
    const sorted = Float64Array.from(values).sort();
    // A bucket spans between 0.96 and 1 of log γ (the cubic mapping is not perfectly even), so the 63 buckets below
    // the top one span at least γ^60: everything above max / γ^60 keeps the guarantee.
    const guaranteedAbove = sketch.max / Math.pow((1 + 0.01) / (1 - 0.01), 60);
    let checked = 0;
    for (let q = 0; q <= 1; q += 0.0005) {
      const exact = exactLowerQuantile(sorted, q);
      if (exact <= guaranteedAbove) continue;
      checked++;
      expect(Math.abs(sketch.quantile(q) - exact)).toBeLessThanOrEqual(0.01 * exact);
    }
    expect(checked).toBeGreaterThan(20);
    // Low quantiles lost their guarantee: they are over-estimated (pushed up to the collapsed edge bucket).
    expect(sketch.quantile(0.01)).toBeGreaterThan(exactLowerQuantile(sorted, 0.01) * 1.01);
    expect(sketch.count).toBe(values.length);
  });

  it('collapses the most negative values (the low end) for negative data', () => {
    const random = seeded(12);
    const values = Float64Array.from({ length: 5000 }, () => -Math.exp((random() - 0.5) * 40));
    const sketch = new DDSketch({ maxBuckets: 50 });
    sketch.addAll(values);
    const sorted = Float64Array.from(values).sort();
    // The highest values (closest to 0) keep the guarantee.
    for (const q of [0.99, 0.999, 1]) {
      const exact = exactLowerQuantile(sorted, q);
      expect(Math.abs(sketch.quantile(q) - exact)).toBeLessThanOrEqual(0.01 * Math.abs(exact));
    }
  });

  it('never holds more than maxBuckets buckets per sign', () => {
    const sketch = new DDSketch({ maxBuckets: 100 });
    sketch.addAll(Float64Array.from({ length: 10_000 }, (_, i) => Math.exp(i / 20) * (i % 2 ? 1 : -1)));
    const json = sketch.toJSON();
    expect(json.positive.keys.length).toBeLessThanOrEqual(100);
    expect(json.negative.keys.length).toBeLessThanOrEqual(100);
    expect(json.positive.keys[json.positive.keys.length - 1]! - json.positive.keys[0]!).toBeLessThan(100);
  });
});

describe('DDSketch merge', () => {
  it('merge(a, b) answers exactly like a sketch of the concatenation (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e300, max: 1e300, noNaN: true }), { maxLength: 300 }),
        fc.array(fc.double({ min: -1e300, max: 1e300, noNaN: true }), { maxLength: 300 }),
        (left, right) => {
          const a = new DDSketch({ maxBuckets: NO_COLLAPSE });
          a.addAll(left);
          const b = new DDSketch({ maxBuckets: NO_COLLAPSE });
          b.addAll(right);
          const both = new DDSketch({ maxBuckets: NO_COLLAPSE });
          both.addAll([...left, ...right]);
          a.merge(b);
          expect(a.count).toBe(both.count);
          expect(Array.from(a.quantiles(PROBABILITIES))).toEqual(Array.from(both.quantiles(PROBABILITIES)));
          expect(a.toJSON().positive).toEqual(both.toJSON().positive);
          expect(a.toJSON().negative).toEqual(both.toJSON().negative);
        },
      ),
      { numRuns: 300 },
    );
    // Keys of doubles up to 1e±300 span tens of thousands of buckets: each run walks them a few times, which takes
    // seconds on a busy machine.
  }, 30_000);

  it('keeps the upper quantiles within α when merging sketches that collapse', () => {
    const random = seeded(21);
    const parts = Array.from({ length: 10 }, () => Float64Array.from({ length: 2000 }, () => Math.exp((random() - 0.5) * 60)));
    const merged = new DDSketch({ maxBuckets: 200 });
    for (const part of parts) {
      const sketch = new DDSketch({ maxBuckets: 200 });
      sketch.addAll(part);
      merged.merge(sketch);
    }
    const all = Float64Array.from(parts.flatMap((p) => Array.from(p)));
    expect(merged.count).toBe(all.length);
    // 200 buckets span at least γ^190 below the max: the quantiles up there keep the guarantee.
    const sorted = Float64Array.from(all).sort();
    const floor = merged.max / Math.pow(1.01 / 0.99, 190);
    const upper = [0.995, 0.998, 0.999, 0.9995, 1].filter((q) => exactLowerQuantile(sorted, q) > floor);
    expect(upper.length).toBeGreaterThan(2);
    expectWithinGuarantee(merged, all, 0.01, upper);
  });

  it('merges into itself, and merges empty sketches', () => {
    const sketch = new DDSketch();
    sketch.addAll([1, 2, 3, -4]);
    sketch.merge(sketch);
    expect(sketch.count).toBe(8);
    expect(sketch.sum).toBe(4);
    const empty = new DDSketch();
    empty.merge(new DDSketch());
    expect(empty.isEmpty).toBe(true);
    empty.merge(sketch);
    expect(empty.quantile(0.5)).toBe(sketch.quantile(0.5));
  });

  it('refuses a different relativeAccuracy', () => {
    const a = new DDSketch({ relativeAccuracy: 0.01 });
    const b = new DDSketch({ relativeAccuracy: 0.02 });
    expect(() => a.merge(b)).toThrow(ValidationError);
    try {
      a.merge(b);
    } catch (e) {
      expect((e as ValidationError).path).toBe('other.relativeAccuracy');
    }
    expect(() => a.merge({} as DDSketch)).toThrow(/other/);
  });
});

describe('DDSketch serialisation', () => {
  const random = seeded(77);
  const sample = Float64Array.from({ length: 5000 }, () => (random() < 0.1 ? 0 : gaussian(random) * Math.exp(gaussian(random) * 3)));

  it('round-trips losslessly through bytes, JSON and snapshot', () => {
    const sketch = new DDSketch({ relativeAccuracy: 0.02, maxBuckets: 500 });
    sketch.addAll(sample);
    const fromBytes = DDSketch.fromBytes(sketch.toBytes());
    const fromJson = DDSketch.fromJSON(JSON.parse(JSON.stringify(sketch)));
    const restored = DDSketch.restore(sketch.snapshot());
    for (const copy of [fromBytes, fromJson, restored, sketch.clone()]) {
      expect(copy.count).toBe(sketch.count);
      expect(copy.sum).toBe(sketch.sum);
      expect(copy.min).toBe(sketch.min);
      expect(copy.max).toBe(sketch.max);
      expect(copy.relativeAccuracy).toBe(0.02);
      expect(copy.maxBuckets).toBe(500);
      expect(Array.from(copy.quantiles(PROBABILITIES))).toEqual(Array.from(sketch.quantiles(PROBABILITIES)));
      expect(copy.toBytes()).toEqual(sketch.toBytes());
    }
  });

  it('round-trips arbitrary sketches (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 100 }), (values) => {
        const sketch = new DDSketch();
        sketch.addAll(values);
        const copy = DDSketch.fromBytes(sketch.toBytes());
        expect(copy.toJSON()).toEqual(sketch.toJSON());
        expect(DDSketch.fromJSON(JSON.parse(JSON.stringify(sketch))).toJSON()).toEqual(sketch.toJSON());
      }),
      { numRuns: 200 },
    );
  });

  it('is compact: a few bytes per non-empty bucket', () => {
    const sketch = new DDSketch();
    sketch.addAll(sample);
    const buckets = sketch.toJSON().positive.keys.length + sketch.toJSON().negative.keys.length;
    expect(sketch.toBytes().length).toBeLessThan(45 + buckets * 4);
  });

  it('rejects malformed bytes with INVALID_DATA errors', () => {
    const good = new DDSketch();
    good.addAll([1, 2, 3]);
    const bytes = good.toBytes();
    const expectInvalid = (data: Uint8Array, path?: RegExp) => {
      let error: unknown;
      try {
        DDSketch.fromBytes(data);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(VigilError);
      expect((error as VigilError).code).toBe('INVALID_DATA');
      if (path) expect((error as VigilError).path).toMatch(path);
    };
    expectInvalid(new Uint8Array(0), /bytes\[0\]/);
    expectInvalid(Uint8Array.of(1, 2, 3, 4), /bytes\[0\]/);
    const wrongVersion = bytes.slice();
    wrongVersion[3] = 9;
    expectInvalid(wrongVersion, /bytes\[3\]/);
    expectInvalid(bytes.slice(0, bytes.length - 1));
    expectInvalid(Uint8Array.from([...bytes, 0]));
    const badAccuracy = bytes.slice();
    new DataView(badAccuracy.buffer).setFloat64(4, 7, true);
    expectInvalid(badAccuracy);
    expect(() => DDSketch.fromBytes('abc' as unknown as Uint8Array)).toThrow(ValidationError);
  });

  it('rejects malformed JSON with the field path', () => {
    const good = new DDSketch();
    good.addAll([1, 2, 3]);
    const json = good.toJSON();
    expect(() => DDSketch.fromJSON({ ...json, count: 4 })).toThrow(/json\.count/);
    expect(() => DDSketch.fromJSON({ ...json, positive: { keys: [3, 1], counts: [1, 1] } })).toThrow(/json\.positive\.keys\[1\]/);
    expect(() => DDSketch.fromJSON({ ...json, positive: { keys: [1], counts: [0] } })).toThrow(/json\.positive\.counts\[0\]/);
    expect(() => DDSketch.fromJSON({ ...json, format: 'other' as 'vigil.ddsketch' })).toThrow(/json\.format/);
  });

  it('keeps an overflowing sum through JSON', () => {
    const sketch = new DDSketch();
    sketch.addAll([1.5e308, 1.5e308]);
    expect(sketch.sum).toBe(Infinity);
    expect(DDSketch.fromJSON(JSON.parse(JSON.stringify(sketch))).sum).toBe(Infinity);
  });
});

describe('DDSketch addAll fast path (chunked, validated per chunk)', () => {
  const mixed = (random: () => number) => (random() < 0.1 ? 0 : (random() < 0.3 ? -1 : 1) * Math.exp(gaussian(random) * 2));

  it('matches value-by-value add() exactly across chunk boundaries, signs, zeros and offset views (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9000 }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 1, max: 1 << 30 }),
        fc.constantFrom(40, 300, 2048),
        (length, viewOffset, seed, maxBuckets) => {
          const random = seeded(seed);
          const backing = Float64Array.from({ length: length + viewOffset }, () => mixed(random));
          const values = backing.subarray(viewOffset);
          const bulk = new DDSketch({ maxBuckets });
          bulk.add(1.5); // a store that already holds something
          bulk.addAll(values);
          const single = new DDSketch({ maxBuckets });
          single.add(1.5);
          for (const v of values) single.add(v);
          // toJSON holds the buckets of both signs, the zero count, the count, min, max and the sum (compared exactly:
          // addAll sums value by value, like add()).
          expect(bulk.toJSON()).toEqual(single.toJSON());
        },
      ),
      { numRuns: 60 },
    );
  });

  it('stores the key of magnitudes just below 1 as 0, never -0, by add() as by addAll() (found by the property above)', () => {
    for (const value of [0.9999, -0.9999, 0.995, -0.995]) {
      const single = new DDSketch({ maxBuckets: 40 });
      single.add(value);
      const bulk = new DDSketch({ maxBuckets: 40 });
      bulk.addAll(Float64Array.of(value));
      expect(single.toJSON()).toEqual(bulk.toJSON());
      const keys = [...single.toJSON().positive.keys, ...single.toJSON().negative.keys];
      expect(keys.every((key) => !Object.is(key, -0))).toBe(true);
    }
  });

  it('matches add() when keys outgrow maxBuckets within one call (collapsing mid-chunk)', () => {
    const random = seeded(99);
    const values = Float64Array.from({ length: 20_000 }, (_, i) => Math.exp((random() - 0.5) * 40 + i / 400));
    const bulk = new DDSketch({ maxBuckets: 64 });
    bulk.addAll(values);
    const single = new DDSketch({ maxBuckets: 64 });
    for (const v of values) single.add(v);
    expect(bulk.toJSON()).toEqual(single.toJSON());
  });

  it('rejects NaN or ±Infinity in a late chunk of a large input and leaves the sketch unchanged (saved-state path)', () => {
    const random = seeded(4);
    const sketch = new DDSketch();
    sketch.addAll(Float64Array.from({ length: 1000 }, () => mixed(random)));
    const before = sketch.toJSON();
    for (const [index, bad] of [
      [70_000, NaN],
      [99_999, Infinity],
      [64, -Infinity],
      [3, NaN],
    ] as const) {
      const values = Float64Array.from({ length: 100_000 }, () => mixed(random));
      values[index] = bad;
      let error: unknown;
      try {
        sketch.addAll(values);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).path).toBe(`values[${index}]`);
      expect(sketch.toJSON()).toEqual(before);
    }
    // Still usable, and still equal to a sketch that never saw the rejected inputs.
    sketch.add(2);
    expect(sketch.count).toBe(1001);
  });

  it('rejects a non-finite value before adding anything when the stores are large next to the input (up-front path)', () => {
    const sketch = new DDSketch({ maxBuckets: NO_COLLAPSE });
    // Keys spanning a wide range make the stores' count arrays large, so saving them would cost more than checking.
    sketch.addAll(Float64Array.from({ length: 4000 }, (_, i) => Math.exp(i / 5 - 400) * (i % 2 ? 1 : -1)));
    const before = sketch.toJSON();
    const values = Float64Array.from({ length: 3000 }, (_, i) => i + 1);
    values[2999] = NaN;
    expect(() => sketch.addAll(values)).toThrow(/values\[2999\]/);
    expect(sketch.toJSON()).toEqual(before);
  });

  it('accepts finite values whose sum overflows, and still finds a NaN after the overflow', () => {
    const huge = new Float64Array(5000).fill(1.5e308);
    const sketch = new DDSketch();
    sketch.addAll(huge);
    expect(sketch.sum).toBe(Infinity);
    expect(sketch.count).toBe(5000);
    expect(sketch.quantile(0.5)).toBeCloseTo(1.5e308, -300);
    const withNaN = huge.slice();
    withNaN[4000] = NaN;
    const before = sketch.toJSON();
    expect(() => sketch.addAll(withNaN)).toThrow(/values\[4000\]/);
    expect(sketch.toJSON()).toEqual(before);
    const fresh = new DDSketch();
    expect(() => fresh.addAll(withNaN)).toThrow(/values\[4000\]/);
    expect(fresh.isEmpty).toBe(true);
  });
});

describe('DDSketch validation and empty state', () => {
  it('rejects NaN and ±Infinity without changing the sketch', () => {
    const sketch = new DDSketch();
    sketch.addAll([1, 2]);
    expect(() => sketch.add(NaN)).toThrow(/value/);
    expect(() => sketch.add(Infinity)).toThrow(ValidationError);
    expect(() => sketch.addAll(Float64Array.of(1, 2, NaN))).toThrow(/values\[2\]/);
    expect(() => sketch.addAll([1, -Infinity])).toThrow(/values\[1\]/);
    expect(() => sketch.addAll([1, '2' as unknown as number])).toThrow(/values\[1\]/);
    expect(() => sketch.add(1, 0)).toThrow(/count/);
    expect(() => sketch.add(1, 1.5)).toThrow(/count/);
    expect(sketch.count).toBe(2);
  });

  it('validates options and q', () => {
    expect(() => new DDSketch({ relativeAccuracy: 0 })).toThrow(/options\.relativeAccuracy/);
    expect(() => new DDSketch({ relativeAccuracy: 1 })).toThrow(/options\.relativeAccuracy/);
    expect(() => new DDSketch({ maxBuckets: 0 })).toThrow(/options\.maxBuckets/);
    expect(() => new DDSketch({ maxBuckets: 1.5 })).toThrow(/options\.maxBuckets/);
    const sketch = new DDSketch();
    expect(() => sketch.quantile(1.5)).toThrow(/q/);
    expect(() => sketch.quantiles([0.5, NaN])).toThrow(/qs\[1\]/);
  });

  it('documents NaN for an empty sketch', () => {
    const sketch = new DDSketch();
    expect(sketch.isEmpty).toBe(true);
    expect(sketch.quantile(0.5)).toBeNaN();
    expect(sketch.min).toBeNaN();
    expect(sketch.max).toBeNaN();
    expect(sketch.sum).toBe(0);
    expect(DDSketch.fromBytes(sketch.toBytes()).isEmpty).toBe(true);
    expect(DDSketch.fromJSON(JSON.parse(JSON.stringify(sketch))).isEmpty).toBe(true);
  });

  it('accepts chunks that straddle the internal chunk size and mixed-sign chunks', () => {
    const random = seeded(3);
    const values = Array.from({ length: 2000 }, (_, i) => (i > 700 && i < 900 ? -random() * 10 : random() * 10));
    const bulk = new DDSketch();
    bulk.addAll(values);
    bulk.addAll(Float64Array.from(values).subarray(3, 1500));
    const single = new DDSketch();
    for (const v of values) single.add(v);
    for (const v of values.slice(3, 1500)) single.add(v);
    expect(bulk.toJSON()).toEqual(single.toJSON());
  });
});

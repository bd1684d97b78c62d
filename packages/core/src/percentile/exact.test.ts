import { describe, expect, it, beforeAll } from 'vitest';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ValidationError } from '../errors';
import { quantile, quantiles } from './exact';

// d3-array is used ONLY as an oracle here. It is installed for @vigil/react (through d3-scale), so it is resolved
// from there rather than declared by core, which has zero dependencies.
type D3Quantile = (values: Iterable<number>, p: number) => number | undefined;
let d3Quantile: D3Quantile;
beforeAll(async () => {
  const d3ScalePackage = fileURLToPath(new URL('../../../react/node_modules/d3-scale/package.json', import.meta.url));
  const requireFromD3Scale = createRequire(realpathSync(d3ScalePackage));
  const d3 = (await import(pathToFileURL(requireFromD3Scale.resolve('d3-array')).href)) as { quantile: D3Quantile };
  d3Quantile = d3.quantile;
});

/** Brute-force oracle: full sort with a comparator, then the textbook formulas. */
function bruteR7(values: readonly number[], q: number): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (h - lower);
}

/** Nearest rank for a decimal probability numerator/denominator, in integer arithmetic: x[⌈num·n/den⌉ - 1]. */
function bruteNearestRankDecimal(values: readonly number[], numerator: number, denominator: number): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((numerator * sorted.length) / denominator); // exact: small integers
  const exactRank = Number((BigInt(numerator) * BigInt(sorted.length) + BigInt(denominator) - 1n) / BigInt(denominator));
  expect(rank).toBe(exactRank);
  return sorted[Math.max(0, exactRank - 1)]!;
}

function closeTo(actual: number, expected: number): void {
  if (Number.isNaN(expected)) return void expect(actual).toBeNaN();
  if (!Number.isFinite(expected)) return void expect(actual).toBe(expected);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
}

describe('quantile: published examples', () => {
  it("matches numpy.quantile's documented example (a = [[10, 7, 4], [3, 2, 1]])", () => {
    expect(quantile([10, 7, 4, 3, 2, 1], 0.5)).toBe(3.5);
    expect(quantile([10, 3], 0.5)).toBe(6.5);
    expect(quantile([7, 2], 0.5)).toBe(4.5);
    expect(quantile([4, 1], 0.5)).toBe(2.5);
    expect(quantile([10, 7, 4], 0.5)).toBe(7);
    expect(quantile([3, 2, 1], 0.5)).toBe(2);
  });

  it("matches d3-array's documented quantile results for [0, 10, 30]", () => {
    const numbers = [0, 10, 30];
    expect(quantile(numbers, 0)).toBe(0);
    expect(quantile(numbers, 0.5)).toBe(10);
    expect(quantile(numbers, 1)).toBe(30);
    expect(quantile(numbers, 0.25)).toBe(5);
    expect(quantile(numbers, 0.75)).toBe(20);
    expect(quantile(numbers, 0.1)).toBe(2);
  });

  it('matches the nearest-rank worked examples (Wikipedia, "Percentile")', () => {
    const first = [15, 20, 35, 40, 50];
    const nr = { method: 'nearest-rank' } as const;
    expect(quantile(first, 0.05, nr)).toBe(15);
    expect(quantile(first, 0.3, nr)).toBe(20);
    expect(quantile(first, 0.4, nr)).toBe(20);
    expect(quantile(first, 0.5, nr)).toBe(35);
    expect(quantile(first, 1, nr)).toBe(50);
    const second = [3, 6, 7, 8, 8, 10, 13, 15, 16, 20];
    expect(quantile(second, 0.25, nr)).toBe(7);
    expect(quantile(second, 0.5, nr)).toBe(8);
    expect(quantile(second, 0.75, nr)).toBe(15);
    expect(quantile(second, 1, nr)).toBe(20);
  });

  it('reads decimal probabilities as written: 0.14 × 100 is rank 14, not 15', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(0.14 * 100).toBeGreaterThan(14); // the binary floating-point trap
    expect(quantile(values, 0.14, { method: 'nearest-rank' })).toBe(14);
    expect(quantile(values, 0.141, { method: 'nearest-rank' })).toBe(15);
    expect(quantile(values, 0.4, { method: 'nearest-rank' })).toBe(40); // 0.4 is stored slightly above 0.4
    expect(quantile(values, 0, { method: 'nearest-rank' })).toBe(1);
  });
});

describe('quantile: NaN, Infinity and empty input', () => {
  it('ignores NaN by default', () => {
    expect(quantile([NaN, 1, NaN, 3], 0.5)).toBe(2);
    expect(quantile(Float64Array.of(NaN, 5), 0)).toBe(5);
  });

  it('returns NaN for empty input or only NaN', () => {
    expect(quantile([], 0.5)).toBeNaN();
    expect(quantile([NaN, NaN], 0.5)).toBeNaN();
    expect(quantiles(new Float64Array(0), [0, 1])).toEqual(Float64Array.of(NaN, NaN));
  });

  it('orders ±Infinity as values and follows the limits when interpolating', () => {
    expect(quantile([-Infinity, 1, 2, Infinity], 0)).toBe(-Infinity);
    expect(quantile([-Infinity, 1, 2, Infinity], 1)).toBe(Infinity);
    expect(quantile([1, 2, Infinity], 0.75)).toBe(Infinity); // between 2 and +Inf
    expect(quantile([-Infinity, 1, 2], 0.25)).toBe(-Infinity); // between -Inf and 1
    expect(quantile([1, Infinity], 0)).toBe(1); // exact position, no interpolation
    expect(quantile([-Infinity, Infinity], 0.5)).toBeNaN(); // the one documented undefined case
    expect(quantile([Infinity, Infinity, 1], 0.9)).toBe(Infinity);
  });

  it("throws on NaN and ±Infinity with nonFinite: 'error', naming the index", () => {
    const error = (() => {
      try {
        quantile([1, 2, Infinity], 0.5, { nonFinite: 'error' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).path).toBe('values[2]');
    expect(() => quantile(Float64Array.of(1, NaN), 0.5, { nonFinite: 'error' })).toThrow(/values\[1\]/);
  });
});

describe('quantile: validation', () => {
  it.each([-0.01, 1.01, NaN, Infinity, '0.5', undefined])('rejects q = %s with path q', (q) => {
    expect(() => quantile([1, 2], q as number)).toThrow(ValidationError);
    try {
      quantile([1, 2], q as number);
    } catch (e) {
      expect((e as ValidationError).path).toBe('q');
      expect((e as ValidationError).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('names the bad entry of qs', () => {
    try {
      quantiles([1, 2], [0.5, 2]);
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).path).toBe('qs[1]');
    }
  });

  it('rejects non-numeric values and bad options', () => {
    expect(() => quantile([1, '2' as unknown as number], 0.5)).toThrow(/values\[1\]/);
    expect(() => quantile('12' as unknown as number[], 0.5)).toThrow(ValidationError);
    expect(() => quantile(new BigInt64Array(2) as unknown as number[], 0.5)).toThrow(ValidationError);
    expect(() => quantile([1], 0.5, { method: 'r6' as 'r7' })).toThrow(/options.method/);
    expect(() => quantile([1], 0.5, { nonFinite: 'skip' as 'ignore' })).toThrow(/options.nonFinite/);
  });

  it('never mutates the input', () => {
    const input = Float64Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5000);
    const before = Float64Array.from(input);
    quantiles(input, [0.1, 0.5, 0.99]);
    quantiles(input, Array.from({ length: 100 }, (_, i) => i / 99));
    expect(input).toEqual(before);
  });
});

const finiteArray = fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }), { minLength: 1, maxLength: 400 });
const probability = fc.double({ min: 0, max: 1, noNaN: true });

describe('quantile: properties', () => {
  it('equals the brute-force oracle (R-7 and nearest-rank), with NaN sprinkled in', () => {
    const values = fc.array(fc.oneof(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), fc.constant(NaN)), { maxLength: 300 });
    const decimal = fc.tuple(fc.integer({ min: 1, max: 10_000 }), fc.nat()).map(([denominator, k]) => [k % (denominator + 1), denominator] as const);
    fc.assert(
      fc.property(values, decimal, (list, [numerator, denominator]) => {
        const q = numerator / denominator;
        closeTo(quantile(list, q), bruteR7(list, q));
        expect(quantile(list, q, { method: 'nearest-rank' })).toBe(bruteNearestRankDecimal(list, numerator, denominator));
      }),
      { numRuns: 800 },
    );
  });

  it('agrees with d3.quantile on finite data', () => {
    fc.assert(
      fc.property(finiteArray, probability, (values, q) => {
        closeTo(quantile(values, q), d3Quantile(values, q)!);
      }),
      { numRuns: 500 },
    );
  });

  it('is monotone in q and stays within [min, max]', () => {
    fc.assert(
      fc.property(finiteArray, fc.array(probability, { minLength: 2, maxLength: 60 }), (values, qs) => {
        const sortedQs = [...qs].sort((a, b) => a - b);
        const min = Math.min(...values);
        const max = Math.max(...values);
        for (const method of ['r7', 'nearest-rank'] as const) {
          const result = quantiles(values, sortedQs, { method });
          for (let i = 0; i < result.length; i++) {
            expect(result[i]).toBeGreaterThanOrEqual(min);
            expect(result[i]).toBeLessThanOrEqual(max);
            if (i > 0) expect(result[i]).toBeGreaterThanOrEqual(result[i - 1]!);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is invariant under permutation of the input', () => {
    fc.assert(
      fc.property(
        finiteArray.chain((values) => fc.tuple(fc.constant(values), fc.shuffledSubarray(values, { minLength: values.length, maxLength: values.length }))),
        probability,
        ([values, shuffled], q) => {
          expect(quantile(shuffled, q)).toBe(quantile(values, q));
          expect(quantile(shuffled, q, { method: 'nearest-rank' })).toBe(quantile(values, q, { method: 'nearest-rank' }));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same answers through selection (few qs) and through one sort (many qs)', () => {
    let seed = 99;
    const values = Float64Array.from({ length: 20_000 }, () => {
      seed = (seed * 69069 + 1) >>> 0;
      return Math.exp((seed / 2 ** 32) * 10);
    });
    const many = Array.from({ length: 101 }, (_, i) => i / 100);
    const viaSort = quantiles(values, many);
    for (let i = 0; i < many.length; i += 3) {
      expect(quantile(values, many[i]!)).toBe(viaSort[i]);
      expect(quantiles(values, [many[i]!, 0.5])[0]).toBe(viaSort[i]);
    }
  });
});

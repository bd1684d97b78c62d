import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { selectIndex, selectIndices, type SelectionStats } from './select';

function sortedCopy(a: Float64Array): Float64Array {
  return Float64Array.from(a).sort();
}

function assertPartitioned(a: Float64Array, k: number): void {
  const pivot = a[k]!;
  for (let i = 0; i < k; i++) if (!(a[i]! <= pivot)) throw new Error(`a[${i}]=${a[i]} > a[${k}]=${pivot}`);
  for (let i = k + 1; i < a.length; i++) if (!(a[i]! >= pivot)) throw new Error(`a[${i}]=${a[i]} < a[${k}]=${pivot}`);
}

const n = 20_000;
const patterns: Record<string, () => Float64Array> = {
  ascending: () => Float64Array.from({ length: n }, (_, i) => i),
  descending: () => Float64Array.from({ length: n }, (_, i) => n - i),
  allEqual: () => new Float64Array(n).fill(7),
  twoValues: () => Float64Array.from({ length: n }, (_, i) => i % 2),
  organPipe: () => Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? i : n - i)),
  sawtooth: () => Float64Array.from({ length: n }, (_, i) => i % 97),
  pushedFront: () => Float64Array.from({ length: n }, (_, i) => (i === 0 ? n : i)),
  random: () => {
    let seed = 12345;
    return Float64Array.from({ length: n }, () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    });
  },
};

describe('selectIndex', () => {
  for (const [name, make] of Object.entries(patterns)) {
    it(`places the k-th value and partitions around it (${name})`, () => {
      for (const k of [0, 1, 17, n >> 2, n >> 1, n - 2, n - 1]) {
        const a = make();
        const expected = sortedCopy(a);
        const stats: SelectionStats = { visited: 0, fallbacks: 0 };
        selectIndex(a, k, 0, a.length - 1, stats);
        expect(a[k]).toBe(expected[k]);
        assertPartitioned(a, k);
        // Linear work on these inputs: selection, not a disguised sort.
        expect(stats.visited).toBeLessThanOrEqual(4 * n);
        expect(stats.fallbacks).toBe(0);
        // Still a permutation of the input.
        const after = sortedCopy(a);
        let mismatches = 0;
        for (let i = 0; i < after.length; i++) if (after[i] !== expected[i]) mismatches++;
        expect(mismatches).toBe(0);
      }
    });
  }

  it('falls back to a sort when the work budget runs out, and the answer stays right', () => {
    const a = patterns.random!();
    const expected = sortedCopy(a);
    const stats: SelectionStats = { visited: 0, fallbacks: 0 };
    selectIndex(a, 1234, 0, a.length - 1, stats, 1);
    expect(stats.fallbacks).toBeGreaterThan(0);
    expect(a[1234]).toBe(expected[1234]);
    assertPartitioned(a, 1234);
  });

  it('agrees with a full sort on arbitrary arrays (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 2000 }),
        fc.nat(),
        (values, seed) => {
          const a = Float64Array.from(values);
          const k = seed % a.length;
          const expected = sortedCopy(a);
          selectIndex(a, k);
          expect(Object.is(a[k], expected[k]) || a[k] === expected[k]).toBe(true);
          assertPartitioned(a, k);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('selectIndices', () => {
  it('places every requested order statistic (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 3000 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
        (values, picks) => {
          const a = Float64Array.from(values);
          const indices = Int32Array.from(new Set(picks.map((p) => p % a.length))).sort();
          const expected = sortedCopy(a);
          selectIndices(a, indices);
          for (const k of indices) expect(a[k]).toBe(expected[k]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does O(n log m) work for m indices on a large input', () => {
    const a = patterns.random!();
    const stats: SelectionStats = { visited: 0, fallbacks: 0 };
    const indices = Int32Array.of(100, n >> 1, n - 100, n - 10, n - 1);
    const expected = sortedCopy(a);
    selectIndices(a, indices, stats);
    for (const k of indices) expect(a[k]).toBe(expected[k]);
    expect(stats.visited).toBeLessThanOrEqual(Math.ceil(Math.log2(indices.length + 1)) * 3 * n);
  });
});

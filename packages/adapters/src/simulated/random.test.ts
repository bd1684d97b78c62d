import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { binomialAt, hashAt, hypergeometricAt, normalAt, normalCdf, normalQuantile, poissonAt, streamKey, uniformAt } from './random';

const N = 200_000;

function moments(draw: (i: number) => number): { mean: number; variance: number } {
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < N; i++) {
    const x = draw(i);
    sum += x;
    squares += x * x;
  }
  const mean = sum / N;
  return { mean, variance: squares / N - mean * mean };
}

describe('counter-based randomness', () => {
  it('is a pure function of (key, index), and keys separate streams', () => {
    const key = streamKey(1, 'a');
    expect(hashAt(key, 12345)).toBe(hashAt(streamKey(1, 'a'), 12345));
    expect(hashAt(key, 12345)).not.toBe(hashAt(streamKey(2, 'a'), 12345));
    expect(hashAt(key, 12345)).not.toBe(hashAt(streamKey(1, 'b'), 12345));
    // Indices beyond 2^32 are distinct too.
    expect(hashAt(key, 5)).not.toBe(hashAt(key, 5 + 2 ** 32));
  });

  it('draws uniforms with the right moments and no visible correlation between neighbours', () => {
    const key = streamKey(3, 'u');
    const { mean, variance } = moments((i) => uniformAt(key, i));
    // Standard errors: 1/sqrt(12 N) for the mean.
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 / Math.sqrt(12 * N));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
    let lag = 0;
    for (let i = 0; i < N; i++) lag += (uniformAt(key, i) - 0.5) * (uniformAt(key, i + 1) - 0.5);
    expect(Math.abs(lag / N / (1 / 12))).toBeLessThan(0.02);
  });

  it('draws normals, Poisson and binomial counts with their theoretical mean and variance', () => {
    const key = streamKey(4, 'd');
    const normal = moments((i) => normalAt(key, i));
    expect(Math.abs(normal.mean)).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(normal.variance - 1)).toBeLessThan(0.02);
    for (const mean of [0.3, 4, 29, 31, 500]) {
      const poisson = moments((i) => poissonAt(key, i, mean));
      expect(Math.abs(poisson.mean - mean)).toBeLessThan(5 * Math.sqrt(mean / N) + 0.01);
      expect(Math.abs(poisson.variance / mean - 1)).toBeLessThan(0.05);
    }
    for (const [n, p] of [
      [10, 0.3],
      [1000, 0.02],
      [1000, 0.5],
      [1000, 0.99],
    ] as const) {
      const binomial = moments((i) => binomialAt(key, i, n, p));
      expect(Math.abs(binomial.mean - n * p)).toBeLessThan(5 * Math.sqrt((n * p * (1 - p)) / N) + 0.01);
      expect(Math.abs(binomial.variance / (n * p * (1 - p)) - 1)).toBeLessThan(0.1);
      for (let i = 0; i < 1000; i++) {
        const x = binomialAt(key, i, n, p);
        expect(x >= 0 && x <= n && Number.isInteger(x)).toBe(true);
      }
    }
  });

  it('has a normal CDF and quantile function that invert each other and match published values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 6);
    expect(normalQuantile(0.99)).toBeCloseTo(2.326347874040841, 7);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167814, 7);
    for (const p of [0.0001, 0.02, 0.3, 0.5, 0.8, 0.975, 0.9999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
  });

  /** Mean and variance of Fisher's noncentral hypergeometric distribution, by summing its probabilities. */
  function exactHypergeometric(successes: number, others: number, draws: number, odds: number): { mean: number; variance: number } {
    const low = Math.max(0, draws - others);
    const high = Math.min(successes, draws);
    // log C(n, k) by sums of logs: small arguments only.
    const logChoose = (n: number, k: number) => {
      let sum = 0;
      for (let i = 0; i < k; i++) sum += Math.log(n - i) - Math.log(i + 1);
      return sum;
    };
    const logs: number[] = [];
    for (let k = low; k <= high; k++) logs.push(logChoose(successes, k) + logChoose(others, draws - k) + k * Math.log(odds));
    const top = Math.max(...logs);
    const weights = logs.map((l) => Math.exp(l - top));
    const total = weights.reduce((a, b) => a + b, 0);
    let mean = 0;
    let squares = 0;
    weights.forEach((w, i) => {
      mean += ((low + i) * w) / total;
      squares += ((low + i) ** 2 * w) / total;
    });
    return { mean, variance: squares - mean * mean };
  }

  it('draws hypergeometric counts (central and noncentral) with the exact mean and variance', () => {
    const key = streamKey(5, 'h');
    for (const [successes, others, draws, odds] of [
      [5, 3, 4, 1],
      [40, 200, 30, 1],
      [12, 30, 25, 3],
      [12, 30, 25, 0.2],
      // Just above the exact branch's limit (variance about 10.5): the rounded normal.
      [100, 100, 60, 1],
      [3000, 5000, 4000, 1],
      [3000, 5000, 4000, 1.5],
    ] as const) {
      const exact = exactHypergeometric(successes, others, draws, odds);
      const drawn = moments((i) => hypergeometricAt(key, i, successes, others, draws, odds));
      const label = `${successes} ${others} ${draws} ${odds}`;
      expect(Math.abs(drawn.mean - exact.mean), label).toBeLessThan(5 * Math.sqrt(exact.variance / N) + 0.002 * exact.mean);
      expect(Math.abs(drawn.variance / exact.variance - 1), label).toBeLessThan(0.05);
    }
  });

  it('keeps hypergeometric counts whole and feasible, so sequential splits always complete (property)', () => {
    fc.assert(
      fc.property(fc.nat(1e6), fc.nat(1e6), fc.nat(1e6), fc.nat(1000), fc.double({ min: 1e-6, max: 1e6, noNaN: true }), (successes, others, drawn, index, odds) => {
        const draws = drawn % (successes + others + 1);
        const x = hypergeometricAt(streamKey(1, 'f'), index, successes, others, draws, odds);
        expect(Number.isInteger(x)).toBe(true);
        expect(x).toBeGreaterThanOrEqual(Math.max(0, draws - others));
        expect(x).toBeLessThanOrEqual(Math.min(successes, draws));
      }),
      { numRuns: 2000 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  autocorrelation,
  detectPeriod,
  erf,
  erfc,
  fitHoltWinters,
  forecastVarianceFactor,
  holtWintersPredict,
  holtWintersUpdate,
  initializeHoltWinters,
  linearRegression,
  logGamma,
  median,
  medianAbsoluteDeviation,
  normalCdf,
  normalCriticalValue,
  normalQuantile,
  normalSurvival,
  RunningStats,
  sortedMadAround,
  theilSen,
  timeUntilThreshold,
} from './index';
import { ValidationError } from '../errors';

describe('normal distribution (published values)', () => {
  it('quantiles match tables to 1e-12', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489, 12);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232306167813, 12);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalCriticalValue(0.95)).toBeCloseTo(1.959963984540054, 12);
  });
  it('cdf, tail and erf match tables', () => {
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 14);
    expect(normalCdf(-1.959963984540054)).toBeCloseTo(0.025, 14);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 14);
    expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 14);
    expect(erfc(3) / 2.209049699858544e-5).toBeCloseTo(1, 12);
    expect(normalSurvival(10) / 7.61985302416047e-24).toBeCloseTo(1, 10);
    expect(normalSurvival(37)).toBeGreaterThan(0); // about 5.7e-300, still representable
  });
  it('quantile inverts the cdf everywhere', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1 - 1e-12, noNaN: true }), (p) => {
        const x = normalQuantile(p);
        const back = x < 0 ? normalCdf(x) : 1 - normalSurvival(x);
        expect(Math.abs(back - p) / Math.min(p, 1 - p)).toBeLessThan(1e-9);
      }),
    );
  });
  it('rejects probabilities outside [0, 1]', () => {
    expect(() => normalQuantile(1.5)).toThrow(ValidationError);
    expect(() => normalQuantile(NaN)).toThrow(ValidationError);
    expect(() => normalCriticalValue(1)).toThrow(ValidationError);
  });
  it('logGamma matches factorials', () => {
    for (let n = 1; n < 20; n++) {
      let f = 1;
      for (let k = 2; k < n; k++) f *= k;
      expect(logGamma(n)).toBeCloseTo(Math.log(f), 10);
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });
});

describe('online and robust statistics', () => {
  it('RunningStats equals two-pass mean and variance, with removal and merge', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 60 }), fc.nat(), (xs, cut) => {
        const k = cut % xs.length;
        const a = new RunningStats();
        const b = new RunningStats();
        xs.slice(0, k).forEach((x) => a.add(x));
        xs.slice(k).forEach((x) => b.add(x));
        a.merge(b);
        const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
        const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
        expect(a.mean).toBeCloseTo(mean, 6);
        expect(a.populationVariance).toBeCloseTo(variance, Math.max(0, 6 - Math.log10(1 + variance)));
        const c = RunningStats.fromJSON(JSON.parse(JSON.stringify(a)));
        c.remove(xs[0] as number);
        const rest = xs.slice(1);
        const m2 = rest.reduce((s, x) => s + x, 0) / rest.length;
        expect(c.mean).toBeCloseTo(m2, 4);
      }),
    );
  });
  it('median and MAD equal sorting by hand, MAD in O(log n) equals brute force', () => {
    expect(median([5, 1, NaN, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9], { scaled: false })).toBe(1);
    expect(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9])).toBeCloseTo(1.482602218505602, 14);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: -25, max: 25 }), (xs, center) => {
        const sorted = Float64Array.from(xs).sort();
        const devs = xs.map((x) => Math.abs(x - center)).sort((p, q) => p - q);
        const n = devs.length;
        const expected = n % 2 ? (devs[n >> 1] as number) : ((devs[n / 2 - 1] as number) + (devs[n / 2] as number)) / 2;
        expect(sortedMadAround(sorted, 0, n, center)).toBe(expected);
      }),
    );
  });
});

describe('regression and Theil–Sen', () => {
  it('least squares recovers an exact line', () => {
    const fit = linearRegression([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(fit.slope).toBeCloseTo(2, 14);
    expect(fit.intercept).toBeCloseTo(1, 14);
    expect(fit.rSquared).toBeCloseTo(1, 14);
    expect(() => linearRegression([1, 1], [2, 3])).toThrow(ValidationError);
  });
  it('Theil–Sen slope is the median of pairwise slopes (brute-force oracle)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: -100, max: 100 })), { minLength: 2, maxLength: 25 }), (pairs) => {
        const x = pairs.map((p) => p[0]);
        const y = pairs.map((p) => p[1]);
        const slopes: number[] = [];
        for (let i = 0; i < x.length; i++) for (let j = i + 1; j < x.length; j++) if (x[j] !== x[i]) slopes.push(((y[j] as number) - (y[i] as number)) / ((x[j] as number) - (x[i] as number)));
        if (slopes.length === 0) {
          expect(() => theilSen(x, y)).toThrow(ValidationError);
          return;
        }
        slopes.sort((a, b) => a - b);
        const m = slopes.length;
        const med = m % 2 ? (slopes[m >> 1] as number) : ((slopes[m / 2 - 1] as number) + (slopes[m / 2] as number)) / 2;
        const fit = theilSen(x, y);
        expect(fit.slope).toBeCloseTo(med, 10);
        expect(fit.slopeLower).toBeLessThanOrEqual(fit.slope);
        expect(fit.slopeUpper).toBeGreaterThanOrEqual(fit.slope);
      }),
    );
  });
  it('ignores outliers and NaN', () => {
    const fit = theilSen([0, 1, 2, 3, 4, 5], [0, 2, 4, 100, 8, NaN]);
    expect(fit.slope).toBe(2);
    expect(fit.anchorY + fit.slope * (10 - fit.anchorX)).toBe(20);
  });
  it('the slope interval covers the true slope about as often as promised', () => {
    let covered = 0;
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let trial = 0; trial < 200; trial++) {
      const x = Array.from({ length: 40 }, (_, i) => i);
      const y = x.map((xi) => 0.5 * xi + (random() + random() + random() - 1.5) * 4);
      const fit = theilSen(x, y, { level: 0.9 });
      if (fit.slopeLower <= 0.5 && 0.5 <= fit.slopeUpper) covered++;
    }
    expect(covered / 200).toBeGreaterThan(0.8);
    expect(covered / 200).toBeLessThan(0.99);
  });
});

describe('time until threshold (trend)', () => {
  const day = 86_400_000;
  it('solves the line exactly when the data is a line', () => {
    const c = timeUntilThreshold({ timestamps: [0, day, 2 * day, 3 * day], values: [50, 55, 60, 65] }, 100);
    expect(c.status).toBe('crossing');
    expect(c.at).toBeCloseTo(10 * day, 3);
    expect(c.inMs).toBeCloseTo(7 * day, 3);
    expect(c.earliest).toBeCloseTo(10 * day, 3);
    expect(c.latest).toBeCloseTo(10 * day, 3);
  });
  it('a falling budget crosses zero; noisy data gives earliest <= at <= latest', () => {
    const t = Array.from({ length: 30 }, (_, i) => i * day);
    const v = t.map((_, i) => 100 - 2 * i + (i % 3) - 1);
    const c = timeUntilThreshold({ timestamps: t, values: v }, 0, { direction: 'falling' });
    expect(c.status).toBe('crossing');
    expect(c.at! / day).toBeCloseTo(50, 0);
    expect(c.earliest!).toBeLessThanOrEqual(c.at!);
    expect(c.latest!).toBeGreaterThanOrEqual(c.at!);
  });
  it('reports flat, receding and already-crossed trends', () => {
    const t = [0, day, 2 * day];
    expect(timeUntilThreshold({ timestamps: t, values: [5, 5, 5] }, 10).status).toBe('not-approaching');
    expect(timeUntilThreshold({ timestamps: t, values: [5, 4, 3] }, 10, { direction: 'rising' }).status).toBe('not-approaching');
    const c = timeUntilThreshold({ timestamps: t, values: [11, 12, 13] }, 10, { direction: 'rising' });
    expect(c.status).toBe('already-crossed');
    expect(c.inMs).toBe(0);
    expect(() => timeUntilThreshold({ timestamps: t, values: [1, 2, 3] }, NaN)).toThrow(ValidationError);
  });
});

describe('period detection', () => {
  it('finds the period of noisy seasonal data and none in a random walk', () => {
    let s = 3;
    const random = () => ((s = (s * 16807) % 2147483647) / 2147483647);
    for (const period of [7, 24, 48]) {
      const v = Array.from({ length: period * 8 }, (_, i) => 10 + 5 * Math.sin((2 * Math.PI * i) / period) + random());
      expect(detectPeriod(v).period).toBe(period);
    }
    let x = 0;
    const walk = Array.from({ length: 1000 }, () => (x += random() - 0.5));
    expect(detectPeriod(walk).period).toBe(0);
    expect(detectPeriod(new Array(100).fill(4)).period).toBe(0);
  });
  it('autocorrelation at lag 0 is 1 and handles NaN', () => {
    const acf = autocorrelation([1, 2, NaN, 4, 5, 6, 2, 1], 3);
    expect(acf[0]).toBe(1);
    for (const a of acf) expect(Number.isFinite(a)).toBe(true);
  });
});

describe('Holt-Winters core', () => {
  it('initial season is the average deviation from each cycle mean', () => {
    const s = initializeHoltWinters([1, 3, 1, 3, 2, 4, 2, 4], 2, 'additive');
    expect(Array.from(s.season)).toEqual([-1, 1]);
  });
  it('one update follows the classical recurrences (hand-computed)', () => {
    const p = { alpha: 0.5, beta: 0.5, gamma: 0.5, damping: 1, period: 2, seasonality: 'additive' } as const;
    const state = { level: 10, trend: 1, season: Float64Array.of(-1, 1), position: 0 };
    const forecast = holtWintersUpdate(state, p, 12);
    expect(forecast).toBe(10); // 10 + 1 - 1
    // level = 0.5·(12 - (-1)) + 0.5·(11) = 12; trend = 0.5·(12 - 10) + 0.5·1 = 1.5; season = 0.5·(12 - 12) + 0.5·(-1) = -0.5
    expect(state.level).toBe(12);
    expect(state.trend).toBe(1.5);
    expect(state.season[0]).toBe(-0.5);
    expect(state.position).toBe(1);
    expect(holtWintersPredict(state, p, 1)).toBe(14.5); // 12 + 1.5 + 1
    expect(holtWintersPredict(state, p, 2)).toBe(14.5); // 12 + 2·1.5 + (-0.5)
  });
  it('variance factor: 1 + Σ c_j² (hand-computed)', () => {
    const simple = { alpha: 0.5, beta: 0, gamma: 0, damping: 1, period: 1, seasonality: 'none' } as const;
    expect(forecastVarianceFactor(simple, 1)).toBe(1);
    expect(forecastVarianceFactor(simple, 3)).toBe(1.5);
    const seasonal = { alpha: 0.2, beta: 0.5, gamma: 0.5, damping: 1, period: 2, seasonality: 'additive' } as const;
    // c1 = 0.2(1 + 0.5) = 0.3; c2 = 0.2(1 + 1) + 0.5·0.8 = 0.8
    expect(forecastVarianceFactor(seasonal, 3)).toBeCloseTo(1 + 0.09 + 0.64, 14);
  });
  it('fits an exact seasonal line and forecasts it', () => {
    const f = (i: number) => 50 + 0.1 * i + 10 * Math.sin((2 * Math.PI * i) / 24);
    const values = Array.from({ length: 24 * 6 }, (_, i) => f(i));
    const fit = fitHoltWinters(values, { period: 24, seasonality: 'additive' });
    for (const h of [1, 12, 24, 48]) expect(holtWintersPredict(fit.state, fit.parameters, h)).toBeCloseTo(f(values.length - 1 + h), 1);
    expect(fit.residualStandardDeviation).toBeLessThan(0.2);
  });
  it('multiplicative fits a growing seasonal amplitude better than additive', () => {
    const values = Array.from({ length: 24 * 8 }, (_, i) => (100 + i) * (1 + 0.3 * Math.sin((2 * Math.PI * i) / 24)));
    const m = fitHoltWinters(values, { period: 24, seasonality: 'multiplicative' });
    const a = fitHoltWinters(values, { period: 24, seasonality: 'additive' });
    expect(m.residualStandardDeviation).toBeLessThan(a.residualStandardDeviation);
  });
  it('validates its input', () => {
    expect(() => fitHoltWinters([1, 2, 3], { period: 24, seasonality: 'additive' })).toThrow(ValidationError);
    expect(() => fitHoltWinters([1, -2, 3, 4], { period: 2, seasonality: 'multiplicative' })).toThrow(ValidationError);
    expect(() => fitHoltWinters([1, 2, 3, 4], { period: 2, seasonality: 'additive', alpha: 2 })).toThrow(ValidationError);
  });
});

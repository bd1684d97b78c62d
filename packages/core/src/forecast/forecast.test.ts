import { describe, expect, it } from 'vitest';
import { forecastTimeUntilThreshold, holtWintersForecast, theilSenTrend } from './index';
import { ValidationError } from '../errors';
import { normalCriticalValue } from '../stats';

const hour = 3_600_000;
const day = 24 * hour;

function series(n: number, f: (i: number) => number, stepMs = hour) {
  return { timestamps: Float64Array.from({ length: n }, (_, i) => i * stepMs), values: Float64Array.from({ length: n }, (_, i) => f(i)) };
}

describe('holtWintersForecast', () => {
  it('continues an exact seasonal trend, with future timestamps on the series step', () => {
    const f = (i: number) => 200 + 0.5 * i + 30 * Math.sin((2 * Math.PI * i) / 24);
    const s = series(24 * 8, f);
    const r = holtWintersForecast(s, { horizon: 48 });
    expect(r.parameters.period).toBe(24);
    expect(r.parameters.seasonality).not.toBe('none');
    for (const h of [1, 24, 48]) expect(r.mean[h - 1]).toBeCloseTo(f(24 * 8 - 1 + h), 0);
    expect(r.timestamps[0]).toBe(24 * 8 * hour);
    expect(r.timestamps[47]).toBe((24 * 8 + 47) * hour);
  });
  it('interval half-width is z·σ·√(1 + Σc_j²) and widens with the horizon', () => {
    let seed = 5;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5);
    const s = series(300, (i) => 50 + 0.1 * i + random() * 4);
    const r = holtWintersForecast(s, { horizon: 10, period: 0, level: 0.9 });
    const p = r.parameters;
    const z = normalCriticalValue(0.9);
    let factor = 1;
    for (let h = 1; h <= 10; h++) {
      if (h > 1) factor += (p.alpha * (1 + p.beta * (h - 1))) ** 2;
      const half = (r.upper[h - 1]! - r.lower[h - 1]!) / 2;
      expect(half).toBeCloseTo(z * r.residualStandardDeviation * Math.sqrt(factor), 9);
      expect(r.mean[h - 1]).toBeCloseTo((r.upper[h - 1]! + r.lower[h - 1]!) / 2, 9);
    }
    expect(r.upper[9]! - r.lower[9]!).toBeGreaterThan(r.upper[0]! - r.lower[0]!);
  });
  it('95% intervals cover held-out noisy data about 95% of the time', () => {
    let seed = 11;
    const gauss = () => {
      const u = (seed = (seed * 16807) % 2147483647) / 2147483647;
      const v = (seed = (seed * 16807) % 2147483647) / 2147483647;
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    };
    let inside = 0;
    let total = 0;
    for (let trial = 0; trial < 40; trial++) {
      const all = Array.from({ length: 24 * 10 + 1 }, (_, i) => 100 + 20 * Math.sin((2 * Math.PI * i) / 24) + 3 * gauss());
      const s = { timestamps: Float64Array.from(all.slice(0, -1), (_, i) => i * hour), values: Float64Array.from(all.slice(0, -1)) };
      const r = holtWintersForecast(s, { horizon: 1, period: 24, seasonality: 'additive' });
      const next = all[all.length - 1]!;
      total++;
      if (next >= r.lower[0]! && next <= r.upper[0]!) inside++;
    }
    expect(inside / total).toBeGreaterThan(0.8);
  });
  it('validates', () => {
    const s = series(50, (i) => i);
    expect(() => holtWintersForecast(s, { horizon: 0 })).toThrow(ValidationError);
    expect(() => holtWintersForecast(s, { horizon: 5, period: 40 })).toThrow(ValidationError);
    expect(() => holtWintersForecast(s, { horizon: 5, period: 1 })).toThrow(ValidationError);
    expect(() => holtWintersForecast({ timestamps: [0, 1] as unknown as Float64Array, values: new Float64Array(2) }, { horizon: 1 })).toThrow(ValidationError);
  });
});

describe('theilSenTrend and time until threshold', () => {
  it('reports rates per hour and per day', () => {
    const t = theilSenTrend(series(48, (i) => 10 + 2 * i));
    expect(t.slopePerHour).toBeCloseTo(2, 12);
    expect(t.slopePerDay).toBeCloseTo(48, 10);
    expect(t.valueAt(100 * hour)).toBeCloseTo(210, 8);
  });
  it('trend method: disk filling 5 units a day reaches 100 on day 10', () => {
    const s = { timestamps: Float64Array.of(0, day, 2 * day, 3 * day), values: Float64Array.of(50, 55, 60, 65) };
    const c = forecastTimeUntilThreshold(s, 100);
    expect(c.method).toBe('trend');
    expect(c.status).toBe('crossing');
    expect(c.at! / day).toBeCloseTo(10, 9);
  });
  it('holt-winters method: a growing daily cycle crosses at its first peak above the limit', () => {
    const f = (i: number) => 50 + 0.2 * i + 10 * Math.sin((2 * Math.PI * i) / 24);
    const s = series(24 * 6, f);
    const c = forecastTimeUntilThreshold(s, 100, { method: 'holt-winters', level: 0.9 });
    expect(c.method).toBe('holt-winters');
    expect(c.status).toBe('crossing');
    // Brute force on the true curve: first hour after the data where f reaches 100.
    let truth = 24 * 6;
    while (f(truth) < 100) truth++;
    expect(Math.abs(c.at! / hour - truth)).toBeLessThanOrEqual(2);
    expect(c.earliest!).toBeLessThanOrEqual(c.at!);
    expect(c.latest === null || c.latest >= c.at!).toBe(true);
  });
  it('holt-winters method: receding series does not cross, one already past has crossed', () => {
    const down = series(100, (i) => 100 - 0.5 * i);
    expect(forecastTimeUntilThreshold(down, 200, { method: 'holt-winters', direction: 'rising', maxHorizon: 200 }).status).toBe('not-approaching');
    expect(forecastTimeUntilThreshold(down, 10, { method: 'holt-winters', direction: 'rising' }).status).toBe('already-crossed');
    expect(() => forecastTimeUntilThreshold(down, 10, { method: 'magic' as 'trend' })).toThrow(ValidationError);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BocpdDetector,
  createDetector,
  CusumDetector,
  detectAnomalies,
  EnsembleDetector,
  EwmaDetector,
  restoreDetector,
  RobustZScoreDetector,
  RollingZScoreDetector,
  runDetector,
  SeasonalDetector,
} from './index';
import type { StreamingDetector } from './index';
import { ValidationError } from '../errors';
import { logGamma } from '../stats/special';

/** Small settings so that property tests reach every phase (warm-up, fitted model) on short inputs. */
const factories: Record<string, () => StreamingDetector> = {
  zscore: () => new RollingZScoreDetector({ window: 12, minPoints: 4 }),
  'robust-zscore': () => new RobustZScoreDetector({ window: 12, minPoints: 4 }),
  ewma: () => new EwmaDetector({ alpha: 0.2, minPoints: 3 }),
  seasonal: () => new SeasonalDetector({ maxPeriod: 6, warmup: 20 }),
  cusum: () => new CusumDetector({ minPoints: 4 }),
  bocpd: () => new BocpdDetector({ maxRunLength: 15, minPoints: 4 }),
  ensemble: () => new EnsembleDetector({ seasonal: { maxPeriod: 6, warmup: 20 } }),
};

const valueArb = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
  { weight: 2, arbitrary: fc.constantFrom(0, 1, 5, 5, 5, -3) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 1e308, -1e308, 5e-324) },
  { weight: 1, arbitrary: fc.double() },
);
const pointsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), valueArb), { minLength: 0, maxLength: 90 });

function feed(d: StreamingDetector, points: readonly (readonly [number, number])[], start = 0): { scores: number[]; t: number } {
  let t = start;
  const scores: number[] = [];
  for (const [dt, v] of points) {
    t += dt * 1000;
    scores.push(d.update(t, v));
  }
  return { scores, t };
}

describe.each(Object.keys(factories))('%s detector: properties', (kind) => {
  const make = factories[kind] as () => StreamingDetector;
  it('never scores NaN, keeps the likelihood in [0, 1], and explains every point', () => {
    fc.assert(
      fc.property(pointsArb, (points) => {
        const d = make();
        let t = 0;
        for (const [dt, v] of points) {
          t += dt * 1000;
          const s = d.update(t, v);
          expect(Number.isFinite(s) && s >= 0).toBe(true);
          expect(d.likelihood >= 0 && d.likelihood <= 1).toBe(true);
          const e = d.explain();
          expect(e.detector).toBe(kind);
          expect(e.score).toBe(s);
          expect(typeof e.reason).toBe('string');
        }
        expect(d.count).toBe(points.length);
      }),
      { numRuns: 120 },
    );
  });
  it('snapshot → JSON → restore → continue equals continuing', () => {
    fc.assert(
      fc.property(pointsArb, pointsArb, (before, after) => {
        const a = make();
        const { t } = feed(a, before);
        const b = restoreDetector(JSON.parse(JSON.stringify(a.snapshot())));
        expect(b.kind).toBe(kind);
        const ra = feed(a, after, t).scores;
        const rb = feed(b, after, t).scores;
        expect(rb).toEqual(ra);
        expect(JSON.stringify(b.snapshot())).toBe(JSON.stringify(a.snapshot()));
      }),
      { numRuns: 80 },
    );
  });
  it('reset forgets everything', () => {
    const a = make();
    const fresh = make();
    feed(a, [[1, 3], [1, 4], [1, 100]]);
    a.reset();
    expect(JSON.stringify(a.snapshot())).toBe(JSON.stringify(fresh.snapshot()));
  });
  it('rejects decreasing or non-finite timestamps, and malformed snapshots', () => {
    const d = make();
    d.update(1000, 1);
    expect(() => d.update(999, 1)).toThrow(ValidationError);
    expect(() => d.update(NaN, 1)).toThrow(ValidationError);
    const snap = JSON.parse(JSON.stringify(d.snapshot())) as Record<string, unknown>;
    expect(() => restoreDetector({ ...snap, version: 2 })).toThrow(ValidationError);
    expect(() => restoreDetector({ ...snap, state: { ...(snap.state as object), count: -1 } })).toThrow(ValidationError);
    expect(() => restoreDetector({ ...snap, kind: 'nope' })).toThrow(ValidationError);
    expect(() => restoreDetector(null)).toThrow(ValidationError);
  });
});

describe('oracles', () => {
  const series = Array.from({ length: 300 }, (_, i) => 10 + Math.sin(i / 3) * 2 + ((i * 7919) % 13) / 5 + (i === 200 ? 30 : 0));

  it('rolling z-score equals the brute-force mean and σ of the previous window', () => {
    const d = new RollingZScoreDetector({ window: 25, minPoints: 25 });
    series.forEach((v, i) => {
      const s = d.update(i, v);
      if (i < 25) return expect(s).toBe(0);
      const w = series.slice(i - 25, i);
      const mean = w.reduce((a, b) => a + b, 0) / 25;
      const sd = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / 25);
      expect(s).toBeCloseTo(Math.abs(v - mean) / sd, 9);
      expect(d.expected).toBeCloseTo(mean, 10);
    });
  });

  it('robust z-score equals the brute-force median and scaled MAD of the previous window', () => {
    const d = new RobustZScoreDetector({ window: 31, minPoints: 31 });
    const med = (a: number[]) => {
      const s = [...a].sort((x, y) => x - y);
      const n = s.length;
      return n % 2 ? (s[n >> 1] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
    };
    series.forEach((v, i) => {
      const s = d.update(i, v);
      if (i < 31) return;
      const w = series.slice(i - 31, i);
      const m = med(w);
      const mad = med(w.map((x) => Math.abs(x - m))) * 1.482602218505602;
      expect(d.expected).toBe(m);
      expect(s).toBeCloseTo(Math.abs(v - m) / mad, 9);
    });
  });

  it('EWMA follows its recurrence (1/n weights until 1/alpha points)', () => {
    const alpha = 0.1;
    const d = new EwmaDetector({ alpha, minPoints: 1 });
    let mean = 0;
    let variance = 0;
    series.forEach((v, i) => {
      const s = d.update(i, v);
      if (i >= 2) expect(s).toBeCloseTo(Math.abs(v - mean) / Math.sqrt(variance), 9);
      const n = i + 1;
      const w = n * alpha < 1 ? 1 / n : alpha;
      const diff = v - (i === 0 ? v : mean);
      if (i === 0) mean = v;
      else {
        mean += w * diff;
        variance = (1 - w) * (variance + w * diff * diff);
      }
    });
  });

  it('CUSUM accumulates standardised deviations minus the allowance (hand-computed)', () => {
    // Alternating 9/11 gives mean 10 and σ 1 for the baseline; then 11.5 repeatedly: z = 1.5 (baseline mean moves slowly).
    const d = new CusumDetector({ minPoints: 40, drift: 0.5, threshold: 5, baselineAlpha: 1e-9 });
    for (let i = 0; i < 40; i++) d.update(i, i % 2 ? 11 : 9);
    // After 40 points with weight 1/n the baseline is the exact mean 10 and population variance 1.
    const scores = [40, 41, 42, 43, 44].map((t) => d.update(t, 11.5));
    // S⁺ after k points: the baseline keeps learning with weight 1/n, so each step is z_k - 0.5 with z_k just under 1.5.
    expect(scores[0]).toBeCloseTo(1, 6);
    expect(scores[1]!).toBeGreaterThan(1.9);
    expect(scores[1]!).toBeLessThan(2);
    expect(d.isAnomaly).toBe(false);
    let flagged = -1;
    for (let t = 45; t < 60 && flagged < 0; t++) {
      d.update(t, 11.5);
      if (d.isAnomaly) flagged = t;
    }
    expect(flagged).toBeGreaterThan(44);
    expect(d.explain().direction).toBe('change');
    expect(d.explain().reason).toMatch(/sustained shift upwards/);
  });

  it('BOCPD run-length posterior equals a brute-force (untruncated) Adams–MacKay recursion', () => {
    const values = Array.from({ length: 60 }, (_, i) => (i < 35 ? 0 : 4) + Math.sin(i * 1.7) * 0.5);
    const hazard = 1 / 50;
    const d = new BocpdDetector({ expectedRunLength: 50, maxRunLength: 100, minPoints: 5, recentRun: 3 });
    // Reference: explicit lists, Student-t density written out, no truncation.
    let probs: number[] = [];
    let params: { mu: number; kappa: number; alpha: number; beta: number }[] = [];
    let prior = { mu: 0, kappa: 1, alpha: 1, beta: 1 };
    values.forEach((x, i) => {
      const s = d.update(i, x);
      if (i < 4) return;
      if (i === 4) {
        const w = values.slice(0, 5);
        const m = w.reduce((a, b) => a + b, 0) / 5;
        prior = { mu: m, kappa: 1, alpha: 1, beta: w.reduce((a, b) => a + (b - m) ** 2, 0) / 5 };
        probs = [1];
        params = [prior];
        return;
      }
      const pred = params.map((p) => {
        const nu = 2 * p.alpha;
        const scale2 = (p.beta * (p.kappa + 1)) / (p.alpha * p.kappa);
        const t = (x - p.mu) ** 2 / (nu * scale2);
        return Math.exp(logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI * scale2) - ((nu + 1) / 2) * Math.log(1 + t));
      });
      const growth = probs.map((p, r) => p * (pred[r] as number) * (1 - hazard));
      const change = probs.reduce((a, p, r) => a + p * (pred[r] as number) * hazard, 0);
      const next = [change, ...growth];
      const total = next.reduce((a, b) => a + b, 0);
      probs = next.map((p) => p / total);
      params = [prior, ...params.map((p) => ({ mu: (p.kappa * p.mu + x) / (p.kappa + 1), kappa: p.kappa + 1, alpha: p.alpha + 0.5, beta: p.beta + (p.kappa * (x - p.mu) ** 2) / (2 * (p.kappa + 1)) }))];
      const recent = probs.slice(0, 4).reduce((a, b) => a + b, 0);
      const floor = hazard * 4;
      const expected = probs.length <= 4 || recent <= floor ? 0 : Math.min(1, (recent - floor) / (1 - floor));
      expect(s).toBeCloseTo(expected, 9);
      if (i === 59) expect(probs.slice(0, 26).reduce((a, b) => a + b, 0)).toBeGreaterThan(0.9); // the change at 35 was found
    });
  });
});

describe('behaviour on real-world shapes', () => {
  it('flags a spike and explains it with the expected value and band', () => {
    const d = new RobustZScoreDetector({ window: 50 });
    for (let i = 0; i < 100; i++) d.update(i * 60_000, 100 + (i % 5));
    d.update(100 * 60_000, 180);
    const e = d.explain();
    expect(e.isAnomaly).toBe(true);
    expect(e.direction).toBe('above');
    expect(e.expected).toBe(102);
    expect(e.value).toBeGreaterThan(e.upper);
    expect(e.reason).toMatch(/robust σ above the rolling median 102/);
  });

  it('constant series: nothing flagged, any change flagged, no NaN', () => {
    for (const kind of ['zscore', 'robust-zscore', 'ewma', 'seasonal', 'cusum', 'bocpd', 'ensemble'] as const) {
      const d = createDetector(kind, kind === 'seasonal' ? { warmup: 50 } : undefined);
      let flagged = 0;
      for (let i = 0; i < 200; i++) if ((d.update(i, 5), d.isAnomaly)) flagged++;
      expect(flagged, kind).toBe(0);
      let changed = false;
      for (let i = 200; i < 220; i++) if ((d.update(i, 6), d.isAnomaly)) changed = true;
      expect(changed, kind).toBe(true);
      expect(Number.isFinite(d.score)).toBe(true);
    }
  });

  it('seasonal: detects the period, ignores the daily swing, flags a small dip at the trough', () => {
    const hour = 3_600_000;
    const d = new SeasonalDetector();
    const f = (i: number) => 100 + 40 * Math.sin((2 * Math.PI * i) / 24) + ((i * 7919) % 11) / 5;
    let flaggedNormal = 0;
    for (let i = 0; i < 24 * 40; i++) if ((d.update(i * hour, f(i)), d.isAnomaly)) flaggedNormal++;
    expect(d.parameters?.period).toBe(24);
    expect(flaggedNormal).toBe(0);
    // A value that is ordinary for the day's peak but far too high at this hour.
    const i = 24 * 40 + 18; // trough of the sine
    for (let k = 24 * 40; k < i; k++) d.update(k * hour, f(k));
    d.update(i * hour, f(i - 12));
    expect(d.isAnomaly).toBe(true);
    expect(d.explain().reason).toMatch(/seasonal forecast .*period 24/);
  });

  it('seasonal: a gap keeps the season aligned, jittered timestamps are not gaps', () => {
    const hour = 3_600_000;
    const f = (i: number) => 100 + 40 * Math.sin((2 * Math.PI * i) / 24);
    const d = new SeasonalDetector({ period: 24 });
    for (let i = 0; i < 24 * 10; i++) d.update(i * hour + ((i * 37) % 11) * 60_000 - 5 * 60_000, f(i));
    // Ten hours of outage, then the pattern resumes on time.
    let worst = 0;
    for (let i = 24 * 10 + 10; i < 24 * 12; i++) worst = Math.max(worst, d.update(i * hour, f(i)));
    expect(worst).toBeLessThan(d.threshold);
  });

  it('a series that starts in the middle of an anomaly: the return to normal is flagged once learnt', () => {
    const d = new EnsembleDetector({ seasonal: { warmup: 60 } });
    const values = Array.from({ length: 400 }, (_, i) => (i < 250 ? 50 : 10) + ((i * 7919) % 7) / 10);
    const r = runDetector(d, { timestamps: Float64Array.from(values, (_, i) => i * 1000), values: Float64Array.from(values) });
    expect(r.anomalies.length).toBeGreaterThan(0);
    expect(r.anomalies[0]!.index).toBeGreaterThanOrEqual(250);
    expect(r.anomalies[0]!.index).toBeLessThan(260);
  });

  it('missing values are skipped, not scored', () => {
    const d = new EwmaDetector();
    for (let i = 0; i < 50; i++) d.update(i, 10 + (i % 3));
    expect(d.update(50, NaN)).toBe(0);
    expect(d.isAnomaly).toBe(false);
    expect(d.explain().reason).toBe('missing value: not scored');
    expect(d.update(51, Infinity)).toBe(0);
  });
});

describe('batch API', () => {
  it('runDetector returns the same scores as streaming, with flags and explanations', () => {
    const values = Float64Array.from({ length: 300 }, (_, i) => 10 + Math.sin(i) + (i === 250 ? 20 : 0));
    const timestamps = Float64Array.from(values, (_, i) => i * 1000);
    const r = runDetector(new RollingZScoreDetector(), { timestamps, values });
    const d = new RollingZScoreDetector();
    const expected = Array.from(values, (v, i) => d.update(timestamps[i]!, v));
    expect(Array.from(r.scores)).toEqual(expected);
    expect(r.flags[250]).toBe(1);
    expect(r.anomalies.map((a) => a.index)).toContain(250);
    expect(r.anomalies.every((a) => a.isAnomaly)).toBe(true);
    expect(r.expected.length).toBe(300);
  });
  it('detectAnomalies defaults to the ensemble and validates', () => {
    const values = Float64Array.from({ length: 800 }, (_, i) => 10 + Math.sin(i / 4) + (i === 700 ? 15 : 0));
    const timestamps = Float64Array.from(values, (_, i) => i * 1000);
    const r = detectAnomalies({ timestamps, values });
    expect(r.detector).toBe('ensemble');
    expect(r.anomalies.some((a) => a.index === 700)).toBe(true);
    expect(r.anomalies[0]!.contributors?.length).toBe(2);
    expect(() => detectAnomalies({ timestamps, values: new Float64Array(3) })).toThrow(ValidationError);
    expect(() => createDetector('nope' as 'ewma')).toThrow(ValidationError);
    expect(() => new RollingZScoreDetector({ window: 1 })).toThrow(ValidationError);
    expect(() => new SeasonalDetector({ seasonality: 'cubic' as 'additive' })).toThrow(ValidationError);
  });
});

import { describe, expect, it } from 'vitest';
import type { Series } from '@vigil/core';
import { parsePromQL } from '../promql/parser';
import { LATENCY_BUCKETS } from './model';
import { normalCdf, normalQuantile } from './random';
import { createSimulatedSource, type SimulatedSource } from './source';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Wednesday 2024-05-15 00:00 UTC. */
const WEDNESDAY = Date.UTC(2024, 4, 15);
const NOW = WEDNESDAY + 5 * DAY; // Monday: everything before is in the past.

function source(seed = 1): SimulatedSource {
  return createSimulatedSource({ seed, now: () => NOW });
}

async function range(s: SimulatedSource, query: string, start: number, end: number, stepMs = 60_000): Promise<Series[]> {
  return (await s.queryRange({ query, range: { start, end }, stepMs })).data;
}

/** An hour of a service with no incident and no deploy warm-up, starting on the hour. */
function quietHour(s: SimulatedSource, service: string, from: number): number {
  for (let start = from; start < from + 7 * DAY; start += HOUR) {
    const { deploys, incidents } = s.schedule({ start: start - 30 * 60_000, end: start + HOUR });
    if (deploys.some((d) => s.services[d.service]!.name === service)) continue;
    if (incidents.some((i) => s.services[i.service]!.name === service)) continue;
    return start;
  }
  throw new Error('no quiet hour');
}

describe('determinism', { timeout: 60_000 }, () => {
  const queries = [
    'sum by (service) (rate(http_requests_total[5m]))',
    'histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m])))',
    'process_resident_memory_bytes',
    'rate(process_cpu_seconds_total[5m])',
  ];

  it('gives identical arrays for the same seed and different ones for another seed', async () => {
    const start = WEDNESDAY + 10 * HOUR;
    for (const query of queries) {
      const a = await range(source(7), query, start, start + 2 * HOUR);
      const b = await range(source(7), query, start, start + 2 * HOUR);
      const c = await range(source(8), query, start, start + 2 * HOUR);
      expect(a.length).toBeGreaterThan(0);
      expect(b).toEqual(a);
      expect(c.map((s) => Array.from(s.values))).not.toEqual(a.map((s) => Array.from(s.values)));
    }
  });

  it('returns the same samples for a sub-range as the slice of a larger range, whatever was queried before', async () => {
    const big = source(3);
    const start = WEDNESDAY + 2 * HOUR;
    const step = 30_000;
    // Warm the cache of one source with an unrelated range first; the other starts cold mid-lifetime.
    await range(big, 'sum(rate(http_requests_total[5m]))', WEDNESDAY - 2 * DAY, WEDNESDAY - DAY, 600_000);
    for (const query of [...queries, 'http_requests_total{service="checkout", code="200"}']) {
      const whole = await range(big, query, start, start + 12 * HOUR, step);
      const part = await range(source(3), query, start + 5 * HOUR + 7 * step, start + 8 * HOUR, step);
      expect(part.length).toBe(whole.length);
      for (let i = 0; i < part.length; i++) {
        const w = whole[i]!;
        const p = part[i]!;
        expect(p.labels).toEqual(w.labels);
        const offset = w.timestamps.indexOf(p.timestamps[0]!);
        expect(offset).toBeGreaterThan(0);
        expect(Array.from(p.values)).toEqual(Array.from(w.values.subarray(offset, offset + p.values.length)));
      }
    }
  });
});

describe('sparse windows', { timeout: 60_000 }, () => {
  it('gives the same values at a large step (only the samples around each step are loaded) as at a small one', async () => {
    const s = source(9);
    const other = source(9);
    const start = WEDNESDAY + 3 * HOUR;
    for (const query of ['sum by (service) (rate(http_requests_total[5m]))', 'process_resident_memory_bytes', 'max_over_time(up[10m])']) {
      const coarse = await range(s, query, start, start + 12 * HOUR, HOUR);
      // 2 minutes is shorter than every window here, so this one loads every scrape.
      const fine = await range(other, query, start, start + 12 * HOUR, 120_000);
      expect(coarse.length).toBe(fine.length);
      coarse.forEach((c, i) => {
        const f = fine[i]!;
        const picked = Array.from(c.timestamps, (t) => f.values[f.timestamps.indexOf(t)]);
        expect(Array.from(c.values)).toEqual(picked);
      });
    }
  });
});

describe('consistency of the raw data', { timeout: 60_000 }, () => {
  const s = source(11);
  const start = WEDNESDAY;
  const end = WEDNESDAY + DAY;
  /** Every raw scrape of the matching series in the day. */
  const raw = (query: string) => {
    const expr = parsePromQL(query);
    if (expr.type !== 'VectorSelector') throw new Error('selector expected');
    return s.storage.select(expr.matchers, { start, end, stepMs: 15_000, windowMs: 15_000, maxSamples: 1e8 });
  };

  it('restarts every counter exactly at the deploys', () => {
    for (const service of s.services) {
      const deploys = s.schedule({ start, end }).deploys.filter((d) => d.service === service.index);
      expect(deploys.length).toBeGreaterThanOrEqual(Math.floor(service.deploysPerDay));
      for (const series of raw(`{service="${service.name}", __name__=~"http_requests_total|process_cpu_seconds_total|http_request_duration_seconds_count"}`)) {
        if (series.labels.code !== undefined && series.labels.code !== '200') continue;
        const drops: number[] = [];
        for (let i = 1; i < series.values.length; i++) if (series.values[i]! < series.values[i - 1]!) drops.push(series.timestamps[i]!);
        // Each drop is the first scrape at or after a deploy, and each deploy (after the first scrape) causes one.
        const expected = deploys.filter((d) => d.time > start).map((d) => Math.ceil(d.time / 15_000) * 15_000);
        expect(drops).toEqual(expected);
      }
    }
  });

  it('keeps histogram buckets cumulative and equal to _count and to the request counter', () => {
    for (const service of s.services) {
      const buckets = raw(`http_request_duration_seconds_bucket{service="${service.name}"}`).sort((a, b) => Number(a.labels.le === '+Inf' ? Infinity : a.labels.le) - Number(b.labels.le === '+Inf' ? Infinity : b.labels.le));
      expect(buckets.map((b) => b.labels.le)).toEqual([...LATENCY_BUCKETS.map(String), '+Inf']);
      const [count] = raw(`http_request_duration_seconds_count{service="${service.name}"}`);
      const requests = raw(`http_requests_total{service="${service.name}"}`);
      const problems: string[] = [];
      for (let i = 0; i < count!.values.length; i++) {
        for (let b = 1; b < buckets.length; b++) if (buckets[b]!.values[i]! < buckets[b - 1]!.values[i]!) problems.push(`bucket ${b} at ${i}`);
        if (buckets[buckets.length - 1]!.values[i] !== count!.values[i]) problems.push(`+Inf != count at ${i}`);
        if (requests.reduce((sum, r) => sum + r.values[i]!, 0) !== count!.values[i]) problems.push(`requests != count at ${i}`);
      }
      expect(problems.slice(0, 5)).toEqual([]);
      // Both ends of the day are included.
      expect(count!.values.length).toBe(DAY / 15_000 + 1);
    }
  });
});

describe('statistical realism', { timeout: 60_000 }, () => {
  const s = source(5);

  /** histogram_quantile of the analytic lognormal bucket counts: the value the model should produce. */
  function interpolatedQuantile(q: number, mu: number, sigma: number): number {
    const bounds = [0, ...LATENCY_BUCKETS];
    const cdf = bounds.map((b) => (b === 0 ? 0 : normalCdf((Math.log(b) - mu) / sigma)));
    for (let i = 1; i < bounds.length; i++) {
      if (cdf[i]! >= q) return bounds[i - 1]! + ((bounds[i]! - bounds[i - 1]!) * (q - cdf[i - 1]!)) / (cdf[i]! - cdf[i - 1]!);
    }
    return bounds[bounds.length - 1]!;
  }

  it('reproduces the lognormal latency percentiles through histogram_quantile over a quiet hour', async () => {
    for (const name of ['frontend', 'checkout', 'auth']) {
      const service = s.services.find((x) => x.name === name)!;
      const start = quietHour(s, name, WEDNESDAY + 2 * HOUR);
      for (const q of [0.5, 0.95, 0.99]) {
        const [series] = await range(s, `histogram_quantile(${q}, sum by (le) (increase(http_request_duration_seconds_bucket{service="${name}"}[1h])))`, start + HOUR, start + HOUR);
        const observed = series!.values[0]!;
        const expected = interpolatedQuantile(q, service.mu, service.sigma);
        // Tens of thousands of requests an hour: sampling noise is far below 3 %.
        expect(Math.abs(observed - expected) / expected).toBeLessThan(0.03);
        // And the analytic lognormal quantile is within the bucket the interpolation works in.
        const analytic = Math.exp(service.mu + normalQuantile(q) * service.sigma);
        const upper = LATENCY_BUCKETS.find((b) => b >= analytic)!;
        const lower = [...LATENCY_BUCKETS].reverse().find((b) => b < analytic) ?? 0;
        expect(observed).toBeGreaterThanOrEqual(lower * 0.97);
        expect(observed).toBeLessThanOrEqual(upper * 1.03);
      }
    }
    // The spec's p50/p99 are what the model uses.
    const frontend = s.services.find((x) => x.name === 'frontend')!;
    expect(Math.exp(frontend.mu) * 1000).toBeCloseTo(40, 6);
    expect(Math.exp(frontend.mu + normalQuantile(0.99) * frontend.sigma) * 1000).toBeCloseTo(450, 3);
  });

  it('keeps the base error ratio outside incidents and raises it during incidents', async () => {
    const { incidents } = s.schedule({ start: WEDNESDAY, end: WEDNESDAY + 4 * DAY });
    expect(incidents.length).toBeGreaterThan(3);
    for (const incident of incidents.slice(0, 6)) {
      const service = s.services[incident.service]!;
      const middle = Math.floor((incident.start + incident.end) / 2 / 60_000) * 60_000;
      const ratioQuery = `sum(rate(http_requests_total{service="${service.name}", code=~"5.."}[2m])) / sum(rate(http_requests_total{service="${service.name}"}[2m]))`;
      const [during] = await range(s, ratioQuery, middle, middle);
      expect(during!.values[0]!).toBeGreaterThan(Math.max(0.02, 4 * service.errorRatio));
    }
    for (const name of ['frontend', 'search']) {
      const service = s.services.find((x) => x.name === name)!;
      const start = quietHour(s, name, WEDNESDAY + HOUR);
      const [quiet] = await range(s, `sum(increase(http_requests_total{service="${name}", code=~"5.."}[1h])) / sum(increase(http_requests_total{service="${name}"}[1h]))`, start + HOUR, start + HOUR);
      const [total] = await range(s, `sum(increase(http_requests_total{service="${name}"}[1h]))`, start + HOUR, start + HOUR);
      const n = total!.values[0]!;
      // Binomial noise: five standard deviations around the base ratio.
      const sd = Math.sqrt((service.errorRatio * (1 - service.errorRatio)) / n);
      expect(Math.abs(quiet!.values[0]! - service.errorRatio)).toBeLessThan(5 * sd + 1e-4);
    }
  });

  it('follows the diurnal curve and the weekend dip', async () => {
    const frontend = s.services.find((x) => x.name === 'frontend')!;
    const hourly = async (at: number) => (await range(s, 'sum(increase(http_requests_total{service="frontend"}[1h]))', at, at))[0]!.values[0]!;
    // Hours centred on the peak and the trough of a Wednesday; quiet hours are not needed for a 20 % tolerance.
    const peak = await hourly(WEDNESDAY + (frontend.peakHourUtc + 0.5) * HOUR);
    const trough = await hourly(WEDNESDAY + (frontend.peakHourUtc - 12 + 0.5) * HOUR);
    const expected = (1 + frontend.diurnalAmplitude) / (1 - frontend.diurnalAmplitude);
    expect(peak / trough).toBeGreaterThan(expected * 0.8);
    expect(peak / trough).toBeLessThan(expected * 1.2);
    // Average rate over a day is about baseRps on a weekday, weekendFactor of it on Saturday (2024-05-18).
    const daily = async (at: number) => (await range(s, 'sum(increase(http_requests_total{service="frontend"}[1d]))', at, at, 60_000))[0]!.values[0]! / 86_400;
    const weekday = await daily(WEDNESDAY + DAY);
    const saturday = await daily(WEDNESDAY + 4 * DAY);
    expect(weekday / frontend.baseRps).toBeGreaterThan(0.9);
    expect(weekday / frontend.baseRps).toBeLessThan(1.1);
    expect(saturday / weekday).toBeGreaterThan(frontend.weekendFactor * 0.9);
    expect(saturday / weekday).toBeLessThan(frontend.weekendFactor * 1.1 + 0.05);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluate } from '../promql/evaluate';
import { parsePromQL } from '../promql/parser';
import type { SeriesStorage, StoredSeries } from '../promql/storage';
import { BLOCK_SCRAPES, LATENCY_BUCKETS, expectedRps, fillExpectedRps, modelKeys } from './model';
import { normalCdf } from './random';
import { createSimulatedSource, type SimulatedSource } from './source';
import { MAX_SCRAPE_CELLS } from './storage';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Wednesday 2024-05-15 00:00 UTC. */
const WEDNESDAY = Date.UTC(2024, 4, 15);
const NOW = WEDNESDAY + 5 * DAY;

function source(seed = 1): SimulatedSource {
  return createSimulatedSource({ seed, now: () => NOW });
}

function selector(query: string) {
  const expr = parsePromQL(query);
  if (expr.type !== 'VectorSelector') throw new Error('selector expected');
  return expr.matchers;
}

/** Every scrape of the matching series in [start, end]. */
function everyScrape(s: SimulatedSource, query: string, start: number, end: number): StoredSeries[] {
  return s.storage.select(selector(query), { start, end, stepMs: 15_000, windowMs: 15_000, maxSamples: 1e8 });
}

describe('rate and increase from counter windows', () => {
  it('equal the same evaluation over every sample, for any window, step, offset and range (property)', { timeout: 120_000 }, () => {
    const s = source(13);
    // The same storage without its window summaries: the evaluator loads the samples and runs core's rate().
    const samplesOnly = (at: number): SeriesStorage => {
      const view = s.storage.at(at);
      return { select: (matchers, request) => view.select(matchers, request) };
    };
    const integerCounters = ['http_requests_total{service="checkout"}', 'http_request_duration_seconds_bucket{service="auth"}', 'http_request_duration_seconds_count'];
    const realCounters = ['http_request_duration_seconds_sum{service=~"search|payments"}', 'process_cpu_seconds_total'];
    fc.assert(
      fc.property(
        fc.constantFrom(...integerCounters, ...realCounters),
        fc.constantFrom('rate', 'increase'),
        fc.constantFrom('20s', '1m', '5m', '7m30s', '1h', '6h', '1d'),
        fc.constantFrom('', ' offset 10m'),
        fc.integer({ min: 0, max: 3 * 24 * 60 }),
        fc.constantFrom(7_000, 15_000, 60_000, 600_000, HOUR),
        fc.integer({ min: 1, max: 30 }),
        (series, func, window, offset, startMinute, stepMs, steps) => {
          const query = parsePromQL(`${func}(${series}[${window}]${offset})`);
          const start = WEDNESDAY + startMinute * MINUTE;
          const request = { start, end: start + (steps - 1) * stepMs, stepMs };
          // Sometimes the clock stops inside the range: windows after it are cut or empty.
          const now = Math.min(NOW, start + ((startMinute % 5) + 1) * stepMs * steps * 0.3);
          const fast = evaluate(query, s.storage.at(now), request);
          const slow = evaluate(query, samplesOnly(now), request);
          if (fast.type !== 'vector' || slow.type !== 'vector') throw new Error('vectors expected');
          expect(fast.series.map((x) => x.labels)).toEqual(slow.series.map((x) => x.labels));
          fast.series.forEach((x, i) => {
            const y = slow.series[i]!.values;
            if (integerCounters.includes(series)) expect(x.values).toEqual(y);
            else x.values.forEach((v, j) => (Number.isNaN(y[j]!) ? expect(v).toBeNaN() : expect(Math.abs(v - y[j]!)).toBeLessThanOrEqual(1e-12 * Math.abs(y[j]!))));
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('are not used for gauges, which come from the samples', async () => {
    const s = source(2);
    const window = s.storage.at(NOW).selectCounterWindows(selector('{service="auth"}'), { start: NOW - HOUR, end: NOW, stepMs: MINUTE, windowMs: 5 * MINUTE, maxSamples: 1e6 });
    expect(window).toBeUndefined();
    const { data } = await s.queryRange({ query: 'rate(process_resident_memory_bytes{service="auth"}[5m])', range: { start: NOW - HOUR, end: NOW }, stepMs: MINUTE });
    expect(data).toHaveLength(1);
  });
});

describe('hierarchical generation', () => {
  it('computes a block of expected rates like expectedRps, scrape by scrape, across midnights and weekends (property)', () => {
    const s = source(3);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: s.services.length - 1 }), fc.integer({ min: 0, max: 14 * 24 * 16 }), fc.constantFrom(1000, 15_000, 60_000, 225_000), (index, quarter, scrapeMs) => {
        const service = s.services[index]!;
        const key = modelKeys(3, service).noise;
        const k0 = Math.floor((WEDNESDAY + quarter * 15 * MINUTE) / scrapeMs) - 17;
        const out = new Float64Array(BLOCK_SCRAPES);
        fillExpectedRps(service, key, k0, scrapeMs, out);
        out.forEach((v, i) => {
          const expected = expectedRps(service, key, (k0 + i) * scrapeMs);
          expect(Math.abs(v - expected)).toBeLessThanOrEqual(1e-12 * expected);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('gives every scrape the same value whichever other scrapes are computed with it (property)', { timeout: 60_000 }, () => {
    const start = WEDNESDAY + 9 * HOUR;
    const dense = everyScrape(source(4), '{service=~"checkout|frontend"}', start - HOUR, start + 8 * HOUR);
    const byLabels = new Map(dense.map((x) => [JSON.stringify(x.labels), x]));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 * 60 }), fc.integer({ min: 16, max: 240 }), fc.integer({ min: 1, max: 15 }), (minute, stepMinutes, windowScrapes) => {
        // A fresh source and a sparse request: only the scrapes around each step are computed.
        const sparse = source(4).storage.select(selector('{service=~"checkout|frontend"}'), {
          start: start + minute * MINUTE,
          end: start + 8 * HOUR,
          stepMs: stepMinutes * MINUTE,
          windowMs: windowScrapes * 15_000,
          maxSamples: 1e8,
        });
        expect(sparse.length).toBe(dense.length);
        for (const x of sparse) {
          const whole = byLabels.get(JSON.stringify(x.labels))!;
          x.timestamps.forEach((t, i) => expect(x.values[i]).toBe(whole.values[whole.timestamps.indexOf(t)]));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('only lets counters drop at restarts, _sum and every bucket included, across block boundaries', () => {
    const s = source(6);
    const start = WEDNESDAY - DAY;
    const end = WEDNESDAY + DAY;
    for (const service of s.services) {
      const restarts = new Set(s.schedule({ start, end }).deploys.filter((d) => d.service === service.index).map((d) => Math.ceil(d.time / 15_000) * 15_000));
      const counters = everyScrape(s, `{service="${service.name}", __name__!~"up|process_resident_memory_bytes"}`, start, end);
      expect(counters.length).toBe(service.routes.length * 4 + LATENCY_BUCKETS.length + 4);
      const problems: string[] = [];
      for (const x of counters) {
        for (let i = 1; i < x.values.length; i++) {
          if (x.values[i]! < x.values[i - 1]! && !restarts.has(x.timestamps[i]!)) problems.push(`${JSON.stringify(x.labels)} at ${x.timestamps[i]}`);
        }
      }
      expect(problems.slice(0, 3)).toEqual([]);
      // Blocks are aligned on the scrape grid: two days cross many block boundaries.
      expect((end - start) / 15_000 / BLOCK_SCRAPES).toBeGreaterThan(40);
    }
  });

  it('draws per-scrape request and bucket counts with Poisson dispersion (variance = mean)', () => {
    const s = source(8);
    const checkout = s.services.find((x) => x.name === 'checkout')!;
    // Quiet hours: no deploy within 30 minutes before, no incident.
    const hours: number[] = [];
    for (let start = WEDNESDAY; hours.length < 6 && start < WEDNESDAY + 4 * DAY; start += HOUR) {
      const { deploys, incidents } = s.schedule({ start: start - 30 * MINUTE, end: start + HOUR });
      if (deploys.some((d) => d.service === checkout.index) || incidents.some((i) => i.service === checkout.index)) continue;
      hours.push(start);
    }
    expect(hours).toHaveLength(6);
    // A bucket with a few requests per scrape: (1 s, 2.5 s].
    const upper = LATENCY_BUCKETS.indexOf(2.5);
    const share = normalCdf((Math.log(2.5) - checkout.mu) / checkout.sigma) - normalCdf((Math.log(1) - checkout.mu) / checkout.sigma);
    expect(share * checkout.baseRps * 15).toBeGreaterThan(0.5);
    const columns = {
      '404s of one route': (hour: number) => everyScrape(s, 'http_requests_total{service="checkout", route="/checkout/:id", code="404"}', hour, hour + HOUR)[0]!.values,
      'requests in (1 s, 2.5 s]': (hour: number) => {
        const buckets = everyScrape(s, 'http_request_duration_seconds_bucket{service="checkout", le=~"1|2.5"}', hour, hour + HOUR);
        const high = buckets.find((b) => b.labels.le === String(LATENCY_BUCKETS[upper]))!.values;
        const low = buckets.find((b) => b.labels.le === '1')!.values;
        return high.map((v, i) => v - low[i]!);
      },
    };
    for (const [name, read] of Object.entries(columns)) {
      let squares = 0;
      let means = 0;
      let n = 0;
      for (const hour of hours) {
        const values = read(hour);
        const increments = Array.from(values.subarray(1), (v, i) => v - values[i]!);
        const mean = increments.reduce((a, b) => a + b, 0) / increments.length;
        for (const x of increments) squares += (x - mean) ** 2;
        means += mean * increments.length;
        n += increments.length;
      }
      // About 1,400 increments: the dispersion index has a standard error near 0.04 (more for tiny means).
      const dispersion = squares / means;
      expect(means / n, name).toBeGreaterThan(0.5);
      expect(dispersion, name).toBeGreaterThan(0.8);
      expect(dispersion, name).toBeLessThan(1.2);
    }
  });
});

describe('guard rails', () => {
  it('answers the previous week of the whole fleet, and refuses spans beyond MAX_SCRAPE_CELLS', async () => {
    const s = source(1);
    const stepMs = HOUR;
    const { data } = await s.queryRange({ query: 'sum by (le) (rate(http_request_duration_seconds_bucket[1h]))', range: { start: NOW - 14 * DAY, end: NOW - 7 * DAY }, stepMs });
    expect(data).toHaveLength(LATENCY_BUCKETS.length + 1);
    expect(data[0]!.values.every((v) => v >= 0)).toBe(true);
    const days = Math.ceil(MAX_SCRAPE_CELLS / (s.services.length * 5760)) + 1;
    await expect(s.queryRange({ query: 'sum(rate(http_requests_total[5m]))', range: { start: NOW - days * DAY, end: NOW }, stepMs: DAY })).rejects.toThrow(/service scrapes/);
  });
});

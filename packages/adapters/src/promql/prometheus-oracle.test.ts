import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Labels } from '@vigil/core';
import { prometheusAvailability, startPrometheus, type RunningPrometheus } from '../../test/prometheus/harness';
import { createSimulatedSource } from '../simulated/source';
import { evaluate } from './evaluate';
import { parsePromQL } from './parser';
import { createMemoryStorage, type StoredSeries } from './storage';

/**
 * Differential test: one hour of simulated data is loaded into a real Prometheus (the Debian package, through the
 * harness in test/prometheus), and every query of the subset is evaluated by both. Evaluation times sit 7 s off the
 * 15 s scrape grid, so that no sample is exactly on a window edge, where Prometheus 2 (closed windows) and 3
 * (left-open windows, which Vigil follows) differ.
 */

const availability = prometheusAvailability();
const HOUR = 3_600_000;
const origin = Math.floor((Date.now() - 5 * HOUR) / HOUR) * HOUR;
const dataEnd = origin + HOUR;
const evaluation = { start: origin + 12 * 60_000 + 7_000, end: origin + 58 * 60_000 + 7_000, stepMs: 60_000 };

const QUERIES = [
  'sum by (service) (rate(http_requests_total[5m]))',
  'sum by (service) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m]))',
  'histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m])))',
  'histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket{service="checkout"}[5m])))',
  'increase(process_cpu_seconds_total[10m])',
  'irate(http_requests_total{service="auth", code="200"}[1m])',
  'max_over_time(process_resident_memory_bytes[10m]) / 1e6',
  'avg without (route, method) (rate(http_requests_total{code!="404"}[5m]))',
  'count by (service) (http_requests_total)',
  'process_resident_memory_bytes offset 5m',
  'sum by (service, route) (rate(http_requests_total{code="500"}[5m])) / on (service, route) sum by (service, route) (rate(http_requests_total[5m]))',
  'rate(http_requests_total{code="503"}[5m]) * ignoring (code) rate(http_requests_total{code="200"}[5m]) > 0.5',
  'up == bool 1',
  '-min(rate(http_requests_total{service="payments"}[2m])) + 2 ^ 3',
  'clamp(sum by (service) (rate(http_request_duration_seconds_sum[5m])), 0.5, 20)',
  'sum_over_time(up[3m]) - count_over_time(up[3m])',
];

/** The simulated data of two services over the hour, as the evaluator and Prometheus will both see it. */
function dataset(): StoredSeries[] {
  const source = createSimulatedSource({ seed: 21, now: () => dataEnd });
  const expr = parsePromQL('{service=~"checkout|auth|payments"}');
  if (expr.type !== 'VectorSelector') throw new Error('selector expected');
  return source.storage.select(expr.matchers, { start: origin, end: dataEnd, stepMs: 15_000, windowMs: 1, maxSamples: 1e8 });
}

function toOpenMetrics(series: readonly StoredSeries[]): string {
  const families = new Map<string, StoredSeries[]>();
  for (const s of series) {
    const name = s.labels.__name__!;
    families.set(name, [...(families.get(name) ?? []), s]);
  }
  const lines: string[] = [];
  for (const [name, members] of families) {
    lines.push(`# TYPE ${name} unknown`);
    for (const s of members) {
      const labels = Object.entries(s.labels)
        .filter(([key]) => key !== '__name__')
        .map(([key, value]) => `${key}="${value}"`)
        .join(',');
      for (let i = 0; i < s.timestamps.length; i++) lines.push(`${name}{${labels}} ${s.values[i]} ${s.timestamps[i]! / 1000}`);
    }
  }
  return lines.join('\n');
}

function key(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe.skipIf(!availability.available)('the evaluator agrees with a real Prometheus', { timeout: 120_000 }, () => {
  let prometheus: RunningPrometheus | undefined;
  const series = dataset();
  const storage = createMemoryStorage(series);

  beforeAll(async () => {
    prometheus = await startPrometheus({ openMetrics: toOpenMetrics(series) });
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
  });

  it.each(QUERIES)('%s', async (query) => {
    const params = new URLSearchParams({
      query,
      start: String(evaluation.start / 1000),
      end: String(evaluation.end / 1000),
      step: String(evaluation.stepMs / 1000),
    });
    const response = await fetch(`${prometheus!.url}/api/v1/query_range?${params}`);
    const body = (await response.json()) as { status: string; data: { resultType: string; result: Array<{ metric: Labels; values: Array<[number, string]> }> } };
    expect(body.status).toBe('success');
    const expected = new Map<string, Map<number, number>>();
    for (const row of body.data.result) {
      expected.set(key(row.metric), new Map(row.values.map(([t, v]) => [Math.round(t * 1000), Number(v)])));
    }

    const result = evaluate(parsePromQL(query), storage, evaluation);
    if (result.type !== 'vector') throw new Error('vector expected');
    const actual = new Map<string, Map<number, number>>();
    for (const s of result.series) {
      const points = new Map<number, number>();
      s.values.forEach((v, i) => {
        if (!Number.isNaN(v)) points.set(result.timestamps[i]!, v);
      });
      actual.set(key(s.labels), points);
    }

    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    expect(actual.size).toBeGreaterThan(0);
    for (const [labels, points] of expected) {
      const mine = actual.get(labels)!;
      expect([...mine.keys()]).toEqual([...points.keys()]);
      for (const [t, v] of points) {
        const m = mine.get(t)!;
        expect(Math.abs(m - v), `${labels} at ${t}: ${m} vs ${v}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)));
      }
    }
  });
});

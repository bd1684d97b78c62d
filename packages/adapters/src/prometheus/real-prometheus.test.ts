import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '@vigil/core/errors';
import { createSeries, rate } from '@vigil/core/series';
import type { Series } from '@vigil/core/series';
import { histogramQuantile } from '@vigil/core/percentile';
import { buildFixture } from '../../test/prometheus/fixtures';
import type { RawSeries } from '../../test/prometheus/fixtures';
import { freePort, prometheusAvailability, startPrometheus } from '../../test/prometheus/harness';
import type { RunningPrometheus } from '../../test/prometheus/harness';
import { createPrometheusSource } from './source';
import type { PrometheusSource } from './source';

/**
 * The adapter against a real Prometheus seeded with known data (see test/prometheus/harness.ts). Expectations are
 * computed in TypeScript from the raw samples, never read back from Prometheus.
 */

const availability = prometheusAvailability();
if (!availability.available && process.env.CI) {
  describe('real Prometheus', () => {
    it('is installed (required when CI is set)', () => {
      throw new Error(availability.reason);
    });
  });
}

const HOUR = 3_600_000;
const STEP = 60_000;
const WINDOW = 300_000;
/** Data starts on a whole hour five hours ago: old enough to be history, young enough for default block ranges. */
const origin = Math.floor((Date.now() - 5 * HOUR) / HOUR) * HOUR;
const fixture = buildFixture(origin);
/** Evaluation range: whole minutes, far enough from both ends of the data that every window is full. */
const range = { start: origin + 10 * 60_000, end: origin + 58 * 60_000 };
const expectedTimes = Array.from({ length: 49 }, (_, i) => range.start + i * STEP);

const RECORDED = 'job:vigil_http_requests:rate5m';
const rules = `groups:
  - name: vigil-test
    interval: 1m
    rules:
      - record: ${RECORDED}
        expr: sum by (job) (rate(vigil_http_requests_total[5m]))
`;

function raw(name: string, labels: Record<string, string>): RawSeries {
  const found = fixture.series.find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels));
  if (found === undefined) throw new Error(`no fixture series ${name}${JSON.stringify(labels)}`);
  return found;
}

const asSeries = (s: RawSeries): Series => createSeries({ timestamps: s.timestamps, values: s.values, labels: s.labels });
const rateAt = (s: RawSeries, at: readonly number[]) => rate(asSeries(s), { windowMs: WINDOW, at });

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, relative = 1e-9) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    expect(Number.isFinite(e), `expected[${i}] is finite`).toBe(true);
    expect(Math.abs(a - e), `point ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(relative * Math.max(Math.abs(e), 1e-12));
  }
}

describe.skipIf(!availability.available)('Prometheus adapter against a real Prometheus', () => {
  let server: RunningPrometheus;
  let prometheus: PrometheusSource;

  beforeAll(async () => {
    server = await startPrometheus({ openMetrics: fixture.openMetrics, rules, backfillRules: { start: range.start - STEP, end: range.end, evalIntervalMs: STEP }, scrapeSelf: true });
    prometheus = createPrometheusSource({ url: server.url, timeoutMs: 10_000 });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('query_range of rate() equals rate() computed from the raw samples with Prometheus’ extrapolation', async () => {
    const { data, warnings } = await prometheus.queryRange({ query: 'rate(vigil_http_requests_total{job="api"}[5m])', range, stepMs: STEP });
    expect(warnings).toEqual([]);
    expect(data.map((s) => s.labels.code).sort()).toEqual(['200', '500']);
    for (const series of data) {
      expect(series.name).toBeUndefined(); // rate() drops the metric name
      expect([...series.timestamps]).toEqual(expectedTimes);
      const source = raw('vigil_http_requests_total', { job: 'api', code: series.labels.code as string });
      expectClose(series.values, rateAt(source, expectedTimes).values);
    }
    // The 200 series restarts at minute 30: windows across the reset must still match (checked above) and stay positive.
    const ok = data.find((s) => s.labels.code === '200');
    expect(Math.min(...(ok?.values ?? []))).toBeGreaterThan(0);
  });

  it('histogram_quantile over rate() of the buckets equals histogramQuantile on the same bucket rates', async () => {
    const { data } = await prometheus.queryRange({ query: 'histogram_quantile(0.9, rate(vigil_request_duration_seconds_bucket[5m]))', range, stepMs: STEP });
    expect(data).toHaveLength(1);
    const bounds = [...fixture.bucketBounds, Infinity];
    const bucketRates = bounds.map((bound) => rateAt(raw('vigil_request_duration_seconds_bucket', { le: bound === Infinity ? '+Inf' : String(bound) }), expectedTimes).values);
    const expected = expectedTimes.map((_, i) => histogramQuantile(0.9, bounds.map((upperBound, b) => ({ upperBound, count: bucketRates[b]?.[i] as number }))));
    expect([...(data[0]?.timestamps ?? [])]).toEqual(expectedTimes);
    expectClose(data[0]?.values ?? [], expected);
  });

  it('an instant query returns the latest raw sample within the lookback, and nothing after it', async () => {
    const gauge = raw('vigil_queue_depth', { queue: 'orders' });
    const time = origin + 20 * 60_000 + 30_000;
    const index = gauge.timestamps.filter((t) => t <= time).length - 1;
    const { data } = await prometheus.queryInstant({ query: 'vigil_queue_depth', time });
    expect(data).toEqual([{ name: 'vigil_queue_depth', labels: { queue: 'orders' }, timestamp: time, value: gauge.values[index] }]);
    const late = await prometheus.queryInstant({ query: 'vigil_queue_depth', time: fixture.lastSample + 6 * 60_000 });
    expect(late.data).toEqual([]);
    const scalar = await prometheus.queryInstant({ query: 'scalar(vigil_queue_depth) * 2', time });
    expect(scalar.data).toEqual([{ labels: {}, timestamp: time, value: 2 * (gauge.values[index] as number) }]);
  });

  it('lists label names, label values and series, with escaped label values in the selectors it builds', async () => {
    const requests = { metric: 'vigil_http_requests_total' };
    const dataRange = { start: origin, end: fixture.lastSample };
    expect(await prometheus.labelNames({ match: [requests], range: dataRange })).toEqual(['__name__', 'code', 'job', 'path']);
    expect(await prometheus.labelValues('job', { match: [requests] })).toEqual(['api', 'web']);
    expect(await prometheus.labelValues('path', { match: [requests] })).toEqual([fixture.awkwardPath]);
    // The awkward value (quote, backslash, newline) only matches if the adapter escaped it exactly right.
    expect(await prometheus.labelValues('job', { match: [{ ...requests, labels: { path: fixture.awkwardPath } }] })).toEqual(['web']);
    const series = await prometheus.series({ match: [{ ...requests, labels: { job: 'api' } }], range: dataRange });
    expect(series.map((s) => s.code).sort()).toEqual(['200', '500']);
    expect(series.every((s) => s.__name__ === 'vigil_http_requests_total' && s.job === 'api')).toBe(true);
    expect(await prometheus.series({ match: [{ ...requests, labels: { path: `${fixture.awkwardPath}x` } }] })).toEqual([]);
  });

  it('lists metrics: metadata for scraped ones, type unknown for backfilled ones', async () => {
    let metrics = await prometheus.listMetrics();
    // Prometheus applies new scrape targets at most every 5 s, so the first self-scrape lands about 5 s after
    // start-up; wait for it (bounded).
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !metrics.some((m) => m.name === 'prometheus_build_info')) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      metrics = await prometheus.listMetrics();
    }
    expect(metrics.find((m) => m.name === 'prometheus_build_info')?.type).toBe('gauge');
    expect(metrics.find((m) => m.name === 'vigil_queue_depth')).toEqual({ name: 'vigil_queue_depth', type: 'unknown' });
    expect(metrics.find((m) => m.name === 'vigil_request_duration_seconds_bucket')?.type).toBe('unknown');
    const names = metrics.map((m) => m.name);
    expect(names).toEqual([...names].sort());
  }, 45_000);

  it('recording rules backfilled over the history equal the same sum computed in TypeScript', async () => {
    // promtool evaluates a rule group at Prometheus' per-group phase (a hash of the group), not on whole minutes:
    // read the raw recorded samples (a range selector at an instant) and compute the expectation at their times.
    const { data } = await prometheus.queryInstant({ query: `${RECORDED}{job="api"}[50m]`, time: range.end });
    expect(data.length).toBeGreaterThanOrEqual(45);
    expect(data.every((sample) => sample.name === RECORDED && sample.labels.job === 'api')).toBe(true);
    const times = data.map((sample) => sample.timestamp);
    for (let i = 1; i < times.length; i++) expect((times[i] as number) - (times[i - 1] as number)).toBe(STEP);
    const ok = rateAt(raw('vigil_http_requests_total', { job: 'api', code: '200' }), times).values;
    const errors = rateAt(raw('vigil_http_requests_total', { job: 'api', code: '500' }), times).values;
    expectClose(
      data.map((sample) => sample.value),
      times.map((_, i) => (ok[i] as number) + (errors[i] as number)),
    );
  });

  it('reports a syntax error as BAD_QUERY with Prometheus’ position, and an execution error as BAD_QUERY', async () => {
    const syntax: unknown = await prometheus.queryInstant({ query: 'rate(vigil_http_requests_total[5m]', time: range.end }).catch((e: unknown) => e);
    expect(syntax).toBeInstanceOf(SourceError);
    expect((syntax as SourceError).code).toBe('BAD_QUERY');
    expect((syntax as SourceError).message).toMatch(/1:\d+: parse error/);
    const execution: unknown = await prometheus
      .queryInstant({ query: 'vigil_http_requests_total / on(job) vigil_http_requests_total', time: range.end })
      .catch((e: unknown) => e);
    expect((execution as SourceError).code).toBe('BAD_QUERY');
    expect((execution as SourceError).status).toBe(422);
  });

  it('reports a port nobody listens on as SOURCE_UNREACHABLE', async () => {
    const port = await freePort();
    const nowhere = createPrometheusSource({ url: `http://127.0.0.1:${port}`, retries: 1, retryDelayMs: 1 });
    const error: unknown = await nowhere.queryInstant({ query: 'up', time: Date.now() }).catch((e: unknown) => e);
    expect((error as SourceError).code).toBe('SOURCE_UNREACHABLE');
  });
});

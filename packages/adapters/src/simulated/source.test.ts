import { afterEach, describe, expect, it, vi } from 'vitest';
import { SourceError, ValidationError } from '@vigil/core';
import type { LiveUpdate, SourceError as SourceErrorType } from '@vigil/core';
import { PromQLError } from '../promql/lexer';
import { createSimulatedSource } from './source';

const HOUR = 3_600_000;
const NOW = Date.UTC(2024, 4, 15, 12, 0, 0);

async function rejection(promise: Promise<unknown>): Promise<SourceErrorType> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError);
    return error as SourceErrorType;
  }
  throw new Error('expected a rejection');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createSimulatedSource', () => {
  it('declares its capabilities and a seed-dependent id', () => {
    const source = createSimulatedSource({ seed: 4, now: () => NOW });
    expect(source.capabilities).toEqual({ metrics: true, traces: true, events: true, live: true, queryLanguage: 'promql', metadata: true });
    expect(source.id).toBe('simulated-4');
    expect(createSimulatedSource({ services: [{ name: 'x', baseRps: 1, latencyP50Ms: 1, latencyP99Ms: 2, errorRatio: 0, routes: [{ route: '/', method: 'GET', weight: 1 }] }] }).id).not.toBe('simulated-1');
  });

  it.each([
    [{ seed: 1.5 }, 'options.seed'],
    [{ tickMs: 0 }, 'options.tickMs'],
    [{ scrapeIntervalMs: 7000 }, 'options.scrapeIntervalMs'],
    [{ latencyMs: -1 }, 'options.latencyMs'],
    [{ services: [] }, 'options.services'],
    [{ services: [{ name: 'a', baseRps: 1, latencyP50Ms: 10, latencyP99Ms: 5, errorRatio: 0, routes: [{ route: '/', method: 'GET', weight: 1 }] }] }, 'options.services[0].latencyP99Ms'],
    [{ services: [{ name: 'a', baseRps: 1, latencyP50Ms: 10, latencyP99Ms: 50, errorRatio: 0, routes: [{ route: '/', method: 'GET', weight: -1 }] }] }, 'options.services[0].routes[0].weight'],
    [{ incidents: { scripted: [{ service: 'nope', start: 0, durationMs: 1000 }] } }, 'options.incidents.scripted[0].service'],
    [{ failWith: { nope: true } }, 'options.failWith'],
  ])('rejects bad options with a path (%j)', (options, path) => {
    expect(() => createSimulatedSource(options as never)).toThrow(ValidationError);
    expect(() => createSimulatedSource(options as never)).toThrow(expect.objectContaining({ path }));
  });
});

describe('queries', () => {
  const source = createSimulatedSource({ now: () => NOW });

  it('aligns range evaluation times down to multiples of the step', async () => {
    const { data } = await source.queryRange({ query: 'sum by (service) (rate(http_requests_total[5m]))', range: { start: NOW - HOUR + 7_000, end: NOW - 1 }, stepMs: 30_000 });
    expect(data.map((s) => s.labels.service)).toEqual(['auth', 'checkout', 'frontend', 'inventory', 'payments', 'search']);
    for (const series of data) {
      expect(series.timestamps[0]).toBe(NOW - HOUR);
      expect(series.timestamps[series.timestamps.length - 1]).toBe(NOW - 30_000);
      expect(series.timestamps.every((t) => t % 30_000 === 0)).toBe(true);
      expect(series.values.every((v) => v > 0)).toBe(true);
      expect(series.name).toBeUndefined();
    }
  });

  it('answers an instant query like the last step of a range query', async () => {
    const query = 'histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket{service="checkout"}[5m])))';
    const instant = await source.queryInstant({ query, time: NOW - 60_000 });
    const ranged = await source.queryRange({ query, range: { start: NOW - 10 * 60_000, end: NOW - 60_000 }, stepMs: 60_000 });
    expect(instant.data).toHaveLength(1);
    expect(instant.data[0]).toEqual({ labels: { service: 'checkout' }, timestamp: NOW - 60_000, value: ranged.data[0]!.values.at(-1) });
    const scalar = await source.queryInstant({ query: '1 + 1', time: NOW });
    expect(scalar.data).toEqual([{ labels: {}, timestamp: NOW, value: 2 }]);
    const named = await source.queryInstant({ query: 'up{service="auth"}', time: NOW });
    expect(named.data).toEqual([{ name: 'up', labels: { service: 'auth' }, timestamp: NOW, value: 1 }]);
  });

  it('has no data after now', async () => {
    const { data } = await source.queryRange({ query: 'up{service="auth"}', range: { start: NOW - 60_000, end: NOW + 10 * 60_000 }, stepMs: 60_000 });
    const values = Array.from(data[0]!.values);
    // The last scrape (at now) stays visible during the left-open 5-minute lookback, then the series ends.
    expect(values.slice(0, 6)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(values).toHaveLength(12);
    expect(values.slice(6).every(Number.isNaN)).toBe(true);
  });

  it('reads the clock once per query, so every selector of a query sees the same data', async () => {
    let clock = NOW;
    const ticking = createSimulatedSource({ now: () => (clock += 60_000) });
    const query = 'count_over_time(up{service="auth"}[1h]) - count_over_time(up{service="auth"}[1h])';
    const { data } = await ticking.queryInstant({ query, time: NOW + HOUR / 2 });
    expect(data).toEqual([{ labels: { service: 'auth' }, timestamp: NOW + HOUR / 2, value: 0 }]);
  });

  it('fails with BAD_QUERY for malformed queries and requests, with a position or a path', async () => {
    const range = { start: NOW - HOUR, end: NOW };
    const syntax = await rejection(source.queryRange({ query: 'sum(rate(x[5m])', range, stepMs: 60_000 }));
    expect(syntax).toBeInstanceOf(PromQLError);
    expect(syntax.code).toBe('BAD_QUERY');
    expect((syntax as PromQLError).position).toBe(15);
    expect((await rejection(source.queryRange({ query: 'up', range: { start: NOW, end: NOW - 1 }, stepMs: 60_000 }))).path).toBe('range.end');
    expect((await rejection(source.queryRange({ query: 'up', range: { start: Number.NaN, end: NOW }, stepMs: 60_000 }))).path).toBe('range.start');
    expect((await rejection(source.queryRange({ query: 'up', range, stepMs: 0 }))).path).toBe('stepMs');
    expect((await rejection(source.queryInstant({ query: 'up', time: Infinity }))).path).toBe('time');
    const tooMany = await rejection(source.queryRange({ query: 'up', range: { start: NOW - 12 * HOUR, end: NOW }, stepMs: 1000 }));
    expect(tooMany.code).toBe('BAD_QUERY');
    expect(tooMany.message).toMatch(/43201 points per series; the limit is 11000/);
    const tooLong = await rejection(source.queryRange({ query: 'sum(rate(http_requests_total[5m]))', range: { start: NOW - 60 * 24 * HOUR, end: NOW }, stepMs: 24 * HOUR }));
    expect(tooLong.message).toMatch(/scrapes/);
  });

  it('lists metrics, label names and label values, optionally for matching series', async () => {
    const metrics = await source.listMetrics();
    expect(metrics.map((m) => m.name)).toEqual(['http_requests_total', 'http_request_duration_seconds', 'up', 'process_cpu_seconds_total', 'process_resident_memory_bytes']);
    expect(await source.labelNames()).toEqual(['__name__', 'code', 'le', 'method', 'route', 'service']);
    expect(await source.labelNames({ match: ['up'] })).toEqual(['__name__', 'service']);
    expect(await source.labelValues('code')).toEqual(['200', '404', '500', '503']);
    expect(await source.labelValues('route', { match: ['http_requests_total{service="checkout"}'] })).toEqual(['/checkout', '/checkout/:id']);
    expect((await source.labelValues('__name__')).length).toBe(7);
    expect((await rejection(source.labelValues('x', { match: ['rate(up[5m])'] }))).path).toBe('match[0]');
  });
});

describe('events', () => {
  const source = createSimulatedSource({ now: () => NOW, incidents: { scripted: [{ service: 'checkout', start: NOW - 2 * HOUR, durationMs: 20 * 60_000, errorRatio: 0.4 }] } });

  it('returns deploys and incidents in time order, filtered by kind and service', async () => {
    const events = await source.queryEvents({ range: { start: NOW - 24 * HOUR, end: NOW } });
    expect(events.length).toBeGreaterThan(10);
    expect(events.map((e) => e.time)).toEqual([...events.map((e) => e.time)].sort((a, b) => a - b));
    const deploys = events.filter((e) => e.kind === 'deploy');
    const total = source.services.reduce((sum, s) => sum + s.deploysPerDay, 0);
    expect(deploys.length).toBeGreaterThanOrEqual(total - source.services.length);
    expect(deploys.length).toBeLessThanOrEqual(total + source.services.length);
    for (const e of events) {
      expect(e.time).toBeLessThanOrEqual(NOW);
      expect(e.service).toBeTruthy();
      if (e.kind === 'incident') {
        expect(['warning', 'critical']).toContain(e.severity);
        if (e.endTime !== undefined) expect(e.endTime).toBeGreaterThan(e.time);
      }
    }
    const scripted = events.find((e) => e.id === 'incident:scripted:0');
    expect(scripted).toMatchObject({ kind: 'incident', service: 'checkout', severity: 'critical', time: NOW - 2 * HOUR, endTime: NOW - 2 * HOUR + 20 * 60_000 });
    const onlyCheckout = await source.queryEvents({ range: { start: NOW - 24 * HOUR, end: NOW }, kinds: ['incident'], service: 'checkout' });
    expect(onlyCheckout.every((e) => e.kind === 'incident' && e.service === 'checkout')).toBe(true);
    expect(onlyCheckout.some((e) => e.id === 'incident:scripted:0')).toBe(true);
  });

  it('shows the scripted incident in the error ratio, and an ongoing incident has no end yet', async () => {
    const ratio = 'sum(rate(http_requests_total{service="checkout", code=~"5.."}[1m])) / sum(rate(http_requests_total{service="checkout"}[1m]))';
    const during = await source.queryInstant({ query: ratio, time: NOW - 2 * HOUR + 10 * 60_000 });
    expect(during.data[0]!.value).toBeGreaterThan(0.3);
    const ongoing = createSimulatedSource({ now: () => NOW, incidents: { random: false, scripted: [{ service: 'auth', start: NOW - 60_000, durationMs: HOUR }] } });
    const [incident] = await ongoing.queryEvents({ range: { start: NOW - HOUR, end: NOW }, kinds: ['incident'] });
    expect(incident).toMatchObject({ id: 'incident:scripted:0' });
    expect(incident!.endTime).toBeUndefined();
  });
});

describe('abort, latency and simulated failures', () => {
  const request = { query: 'up', range: { start: NOW - HOUR, end: NOW }, stepMs: 60_000 };

  it('rejects with ABORTED when the signal has fired, before or during the artificial latency', async () => {
    vi.useFakeTimers();
    const source = createSimulatedSource({ now: () => NOW, latencyMs: 1000 });
    const aborted = AbortSignal.abort('gone');
    const before = await rejection(source.queryRange(request, { signal: aborted }));
    expect(before.code).toBe('ABORTED');
    expect(before.cause).toBe('gone');

    const controller = new AbortController();
    const pending = source.queryRange(request, { signal: controller.signal });
    const caught = rejection(pending);
    await vi.advanceTimersByTimeAsync(500);
    controller.abort();
    expect((await caught).code).toBe('ABORTED');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('answers only after latencyMs', async () => {
    vi.useFakeTimers();
    const source = createSimulatedSource({ now: () => NOW, latencyMs: 1000 });
    let done = false;
    const pending = source.queryRange(request).then((result) => {
      done = true;
      return result;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).data).toHaveLength(6);
  });

  it('fails every call, or the calls a predicate picks, with the given code', async () => {
    const down = createSimulatedSource({ now: () => NOW, failWith: { code: 'SOURCE_UNREACHABLE' } });
    const error = await rejection(down.queryRange(request));
    expect(error.code).toBe('SOURCE_UNREACHABLE');
    expect(error.retryable).toBe(true);
    expect((await rejection(down.queryEvents({ range: request.range }))).code).toBe('SOURCE_UNREACHABLE');

    const picky = createSimulatedSource({ now: () => NOW, failWith: (call) => call.query?.includes('checkout') && { code: 'UNAUTHORIZED', status: 403, message: 'no access to checkout' } });
    expect((await picky.queryRange(request)).data).toHaveLength(6);
    const denied = await rejection(picky.queryRange({ ...request, query: 'up{service="checkout"}' }));
    expect(denied).toMatchObject({ code: 'UNAUTHORIZED', status: 403, message: 'no access to checkout' });
  });
});

describe('subscribe', () => {
  it('ticks every tickMs, announces deploys and incidents as they happen, and stops on unsubscribe', { timeout: 30_000 }, async () => {
    const start = NOW;
    vi.useFakeTimers({ now: start });
    const source = createSimulatedSource({ tickMs: 5000 });
    const updates: LiveUpdate[] = [];
    const unsubscribe = source.subscribe((update) => updates.push(update));
    await vi.advanceTimersByTimeAsync(15_000);
    expect(updates.filter((u) => u.kind === 'tick').map((u) => (u.kind === 'tick' ? u.time : 0))).toEqual([start + 5000, start + 10_000, start + 15_000]);

    // Run for a day: every deploy in that day is announced once, in order, before the tick that follows it.
    await vi.advanceTimersByTimeAsync(24 * HOUR - 15_000);
    unsubscribe();
    const announced = updates.flatMap((u) => (u.kind === 'event' && u.event.kind === 'deploy' ? [u.event.id] : []));
    const expected = (await source.queryEvents({ range: { start: start + 1, end: start + 24 * HOUR }, kinds: ['deploy'] })).map((e) => e.id);
    expect(announced).toEqual(expected);
    const incidentUpdates = updates.filter((u) => u.kind === 'event' && u.event.kind === 'incident');
    expect(incidentUpdates.length).toBeGreaterThan(0);
    const count = updates.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(updates.length).toBe(count);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('honours the signal and intervalMs, and reports simulated failures through onError', async () => {
    vi.useFakeTimers({ now: NOW });
    const source = createSimulatedSource();
    const controller = new AbortController();
    const ticks: number[] = [];
    source.subscribe((u) => u.kind === 'tick' && ticks.push(u.time), { signal: controller.signal, intervalMs: 1000 });
    await vi.advanceTimersByTimeAsync(3000);
    controller.abort();
    await vi.advanceTimersByTimeAsync(3000);
    expect(ticks).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(0);

    const failing = createSimulatedSource({ failWith: { code: 'SOURCE_TIMEOUT' } });
    const onError = vi.fn();
    failing.subscribe(() => {}, { onError });
    await vi.advanceTimersByTimeAsync(10);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![0]).toMatchObject({ code: 'SOURCE_TIMEOUT' });
    expect(vi.getTimerCount()).toBe(0);

    const thrower = vi.fn(() => {
      throw new Error('listener bug');
    });
    const listenerError = vi.fn();
    source.subscribe(thrower, { onError: listenerError });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(thrower).toHaveBeenCalledTimes(1);
    expect(listenerError).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SourceError, ValidationError, VigilError } from '@vigil/core/errors';
import { failure, startFakePrometheus, success } from '../../test/prometheus/fake-server';
import type { FakePrometheus } from '../../test/prometheus/fake-server';
import { parseRetryAfter } from './http';
import { createPrometheusSource } from './source';
import type { PrometheusSourceOptions } from './options';

let server: FakePrometheus;
beforeAll(async () => {
  server = await startFakePrometheus();
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  server.requests.length = 0;
  server.reply(success([]));
});

const source = (options: Partial<PrometheusSourceOptions> = {}) => createPrometheusSource({ url: server.url, retryDelayMs: 1, ...options });
const instant = { query: 'up', time: 1_700_000_000_000 };
const matrix = (result: unknown) => success({ resultType: 'matrix', result });

async function rejection(promise: Promise<unknown>): Promise<SourceError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe('Prometheus adapter HTTP: errors', () => {
  it('maps bad_data to BAD_QUERY with Prometheus’ own message, without retrying', async () => {
    server.reply(failure(400, 'bad_data', '1:5: parse error: unexpected end of input'));
    const error = await rejection(source().queryInstant({ query: 'rate(', time: 0 }));
    expect(error.code).toBe('BAD_QUERY');
    expect(error.message).toBe('1:5: parse error: unexpected end of input');
    expect(error.status).toBe(400);
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it('maps 422 execution errors and plain 400/422 bodies to BAD_QUERY', async () => {
    server.reply(failure(422, 'execution', 'many-to-many matching not allowed'), { status: 400, raw: 'nope' }, { status: 422, raw: '<html>' });
    expect((await rejection(source().queryInstant(instant))).code).toBe('BAD_QUERY');
    const plain = await rejection(source().queryInstant(instant));
    expect(plain.code).toBe('BAD_QUERY');
    expect(plain.message).toContain('nope');
    expect((await rejection(source().queryInstant(instant))).code).toBe('BAD_QUERY');
    expect(server.requests).toHaveLength(3);
  });

  it('maps Prometheus timeout and canceled to SOURCE_TIMEOUT and does not repeat a query that timed out', async () => {
    server.reply(failure(503, 'timeout', 'query timed out in expression evaluation'), failure(503, 'canceled', 'query was canceled'));
    expect((await rejection(source().queryInstant(instant))).code).toBe('SOURCE_TIMEOUT');
    expect((await rejection(source().queryInstant(instant))).code).toBe('SOURCE_TIMEOUT');
    expect(server.requests).toHaveLength(2);
  });

  it('maps 401 and 403 to UNAUTHORIZED without retrying', async () => {
    server.reply({ status: 401, raw: 'Unauthorized' }, failure(403, 'forbidden', 'no'));
    expect((await rejection(source().queryInstant(instant))).code).toBe('UNAUTHORIZED');
    expect((await rejection(source().queryInstant(instant))).code).toBe('UNAUTHORIZED');
    expect(server.requests).toHaveLength(2);
  });

  it('reports a 500 as a retryable SOURCE_ERROR but does not repeat it (only 429/502/503/504 and network errors are)', async () => {
    server.reply(failure(500, 'internal', 'storage is on fire'), success({ resultType: 'vector', result: [] }));
    const error = await rejection(source().queryInstant(instant));
    expect(error.code).toBe('SOURCE_ERROR');
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(500);
    expect(error.message).toContain('storage is on fire');
    expect(server.requests).toHaveLength(1);
  });

  it('retries a 503 from a proxy and succeeds on the next attempt', async () => {
    server.reply({ status: 503, raw: '<html>upstream unavailable</html>' }, success({ resultType: 'scalar', result: [1, '2'] }));
    const result = await source().queryInstant(instant);
    expect(result.data).toEqual([{ labels: {}, timestamp: 1000, value: 2 }]);
    expect(server.requests).toHaveLength(2);
  });

  it('makes exactly 1 + retries attempts on 502/503/504, then fails with the last error', async () => {
    server.reply({ status: 502, raw: 'bad gateway' });
    const error = await rejection(source().queryInstant(instant));
    expect(error.code).toBe('SOURCE_ERROR');
    expect(error.status).toBe(502);
    expect(server.requests).toHaveLength(3);

    server.requests.length = 0;
    server.reply({ status: 504, raw: 'gateway timeout' });
    await rejection(source({ retries: 5 }).queryInstant(instant));
    expect(server.requests).toHaveLength(6);

    server.requests.length = 0;
    await rejection(source({ retries: 0 }).queryInstant(instant));
    expect(server.requests).toHaveLength(1);
  });

  it('honours Retry-After instead of its own backoff, and gives up at once when the wait would pass the deadline', async () => {
    // The backoff alone (>= 30 s) would exceed the 5 s deadline, so a retry can only happen because Retry-After: 0 was honoured.
    server.reply(failure(429, 'unavailable', 'slow down', { 'Retry-After': '0' }), success({ resultType: 'vector', result: [] }));
    await source({ retryDelayMs: 60_000, timeoutMs: 5_000 }).queryInstant(instant);
    expect(server.requests).toHaveLength(2);

    server.requests.length = 0;
    server.reply(failure(429, 'unavailable', 'slow down', { 'Retry-After': '3600' }), success({ resultType: 'vector', result: [] }));
    const error = await rejection(source({ timeoutMs: 5_000 }).queryInstant(instant));
    expect(error.code).toBe('SOURCE_ERROR');
    expect(error.status).toBe(429);
    expect(server.requests).toHaveLength(1);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const parsed = parseRetryAfter(inTenSeconds) as number;
    expect(parsed).toBeGreaterThan(8000);
    expect(parsed).toBeLessThanOrEqual(10_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT')).toBe(0);
  });

  it('maps a dropped connection to SOURCE_UNREACHABLE after retrying it', async () => {
    server.reply({ destroy: true });
    const error = await rejection(source().queryInstant(instant));
    expect(error.code).toBe('SOURCE_UNREACHABLE');
    expect(error.retryable).toBe(true);
    expect(server.requests).toHaveLength(3);
  });

  it('maps a refused connection to SOURCE_UNREACHABLE', async () => {
    const closed = await startFakePrometheus();
    const url = closed.url;
    await closed.close();
    const error = await rejection(createPrometheusSource({ url, retries: 1, retryDelayMs: 1 }).queryInstant(instant));
    expect(error.code).toBe('SOURCE_UNREACHABLE');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('times out a server that never answers with SOURCE_TIMEOUT, and tells Prometheus the timeout', async () => {
    server.reply({ hang: true });
    const error = await rejection(source({ timeoutMs: 200 }).queryInstant(instant));
    expect(error.code).toBe('SOURCE_TIMEOUT');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.params.get('timeout')).toBe('1s');
  });

  it('aborts mid-flight with ABORTED and never retries an abort', async () => {
    server.reply({ hang: true });
    const controller = new AbortController();
    const pending = source().queryInstant(instant, { signal: controller.signal });
    await server.waitForRequests(1);
    controller.abort(new Error('user left the page'));
    const error = await rejection(pending);
    expect(error.code).toBe('ABORTED');
    expect(error.retryable).toBe(false);
    expect((error.cause as Error).message).toBe('user left the page');
    expect(server.requests).toHaveLength(1);
  });

  it('aborts during the backoff wait between retries', async () => {
    server.reply({ status: 503, raw: 'busy' });
    const controller = new AbortController();
    const pending = source({ retryDelayMs: 10_000 }).queryInstant(instant, { signal: controller.signal });
    await server.waitForRequests(1);
    setTimeout(() => controller.abort(), 20);
    expect((await rejection(pending)).code).toBe('ABORTED');
    expect(server.requests).toHaveLength(1);
  });

  it('does not send anything when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await rejection(source().queryInstant(instant, { signal: controller.signal }))).code).toBe('ABORTED');
    expect(server.requests).toHaveLength(0);
  });

  it('cuts off a huge body at maxResponseBytes, streamed or declared', async () => {
    server.reply({ huge: 8 * 1024 * 1024 });
    const streamed = await rejection(source({ maxResponseBytes: 1024 * 1024 }).queryInstant(instant));
    expect(streamed.code).toBe('SOURCE_ERROR');
    expect((streamed.cause as VigilError).code).toBe('INVALID_DATA');
    expect(streamed.message).toContain('maxResponseBytes');
    server.reply({ huge: 2 * 1024 * 1024, contentLength: 2 * 1024 * 1024 });
    const declared = await rejection(source({ maxResponseBytes: 1024 * 1024 }).queryInstant(instant));
    expect((declared.cause as VigilError).code).toBe('INVALID_DATA');
    expect(server.requests).toHaveLength(2);
  });

  it('reports a body that is not JSON, or not a Prometheus envelope, as SOURCE_ERROR with an INVALID_DATA cause', async () => {
    server.reply({ status: 200, raw: '{"status":"success","data":' }, { status: 200, body: [1, 2] }, { status: 200, body: { status: 'ok' } }, { status: 200, body: { status: 'success' } });
    for (let i = 0; i < 4; i++) {
      const error = await rejection(source().queryInstant(instant));
      expect(error.code).toBe('SOURCE_ERROR');
      expect(error.cause).toBeInstanceOf(VigilError);
      expect((error.cause as VigilError).code).toBe('INVALID_DATA');
    }
    expect(server.requests).toHaveLength(4);
  });

  it('rejects malformed results with the JSON path of the bad field', async () => {
    const cases: [unknown, string][] = [
      [[{ metric: {}, values: [[1, 'abc']] }], 'data.result[0].values[0][1]'],
      [[{ metric: {}, values: [[2, '1'], [1, '1']] }], 'data.result[0].values[1][0]'],
      [[{ metric: { job: 5 }, values: [] }], 'data.result[0].metric.job'],
      [[{ metric: {}, values: [[1]] }], 'data.result[0].values[0]'],
      [[{ metric: {}, values: [['1', '1']] }], 'data.result[0].values[0][0]'],
      [{ not: 'an array' }, 'data.result'],
    ];
    for (const [result, path] of cases) {
      server.reply(matrix(result));
      const error = await rejection(source().queryRange({ query: 'up', range: { start: 0, end: 60_000 }, stepMs: 15_000 }));
      expect(error.code).toBe('SOURCE_ERROR');
      expect(error.cause).toBeInstanceOf(ValidationError);
      expect((error.cause as ValidationError).path).toBe(path);
    }
  });

  it('sends the configured headers', async () => {
    server.reply(success({ resultType: 'vector', result: [] }));
    await source({ headers: { Authorization: 'Bearer t0ken', 'X-Scope-OrgID': 'team-a' } }).queryInstant(instant);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer t0ken');
    expect(server.requests[0]?.headers['x-scope-orgid']).toBe('team-a');
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '@vigil/core/errors';
import { nativeHistogramBuckets, nativeHistogramQuantile } from '@vigil/core/percentile';
import type { NativeHistogram } from '@vigil/core/percentile';
import { startFakePrometheus, success } from '../../test/prometheus/fake-server';
import type { FakePrometheus } from '../../test/prometheus/fake-server';
import { alignRange, createPrometheusSource } from './source';
import { parseInstant, parseMatrix, parseNativeHistogram } from './parse';
import { escapeLabelValue } from '../promql/format';
import { formatSeriesMatcher } from './selector';

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
  vi.useRealTimers();
});

const source = () => createPrometheusSource({ url: `${server.url}/`, retryDelayMs: 1 });

describe('createPrometheusSource: options', () => {
  it('validates options with the path of the bad field', () => {
    const cases: [unknown, string][] = [
      [null, 'options'],
      [{}, 'options.url'],
      [{ url: 'localhost:9090' }, 'options.url'],
      [{ url: 'ftp://x' }, 'options.url'],
      [{ url: 'http://x/?q=1' }, 'options.url'],
      [{ url: 'http://x', retries: -1 }, 'options.retries'],
      [{ url: 'http://x', retries: 1.5 }, 'options.retries'],
      [{ url: 'http://x', timeoutMs: 0 }, 'options.timeoutMs'],
      [{ url: 'http://x', maxResponseBytes: 10 }, 'options.maxResponseBytes'],
      [{ url: 'http://x', headers: { 'X-A': 'a\r\nInjected: 1' } }, 'options.headers.X-A'],
      [{ url: 'http://x', headers: { 'bad name': 'x' } }, 'options.headers'],
      [{ url: 'http://x', method: 'PUT' }, 'options.method'],
      [{ url: 'http://x', fetch: 'no' }, 'options.fetch'],
      [{ url: 'http://x', id: '' }, 'options.id'],
    ];
    for (const [options, path] of cases) {
      let thrown: unknown;
      try {
        createPrometheusSource(options as never);
      } catch (e) {
        thrown = e;
      }
      expect(thrown, JSON.stringify(options)).toBeInstanceOf(ValidationError);
      expect((thrown as ValidationError).path).toBe(path);
    }
  });

  it('declares its capabilities and a stable id', () => {
    const s = createPrometheusSource({ url: 'http://example.test:9090/prom/' });
    expect(s.id).toBe('prometheus:http://example.test:9090/prom');
    expect(s.capabilities).toEqual({ metrics: true, traces: false, events: false, live: true, metadata: true, queryLanguage: 'promql' });
  });

  it('validates requests before sending anything', async () => {
    const s = source();
    await expect(s.queryRange({ query: '', range: { start: 0, end: 1 }, stepMs: 1000 })).rejects.toMatchObject({ path: 'request.query' });
    await expect(s.queryRange({ query: 'up', range: { start: 2, end: 1 }, stepMs: 1000 })).rejects.toMatchObject({ path: 'request.range.end' });
    await expect(s.queryRange({ query: 'up', range: { start: 0, end: 1 }, stepMs: 0 })).rejects.toMatchObject({ path: 'request.stepMs' });
    await expect(s.queryInstant({ query: 'up', time: NaN })).rejects.toMatchObject({ path: 'request.time' });
    await expect(s.series({ match: [] })).rejects.toMatchObject({ path: 'request.match' });
    await expect(s.labelValues('job', { match: [{ labels: { 'not-a-label': 'x' } }] })).rejects.toMatchObject({ path: 'request.match[0].labels' });
    await expect(s.labelValues('')).rejects.toMatchObject({ path: 'label' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('createPrometheusSource: requests and results', () => {
  it('aligns range queries to the step and sends them as a form POST', async () => {
    server.reply(
      success({
        resultType: 'matrix',
        result: [
          { metric: { __name__: 'up', job: 'api' }, values: [[1_700_000_040, '1'], [1_700_000_100, 'NaN'], [1_700_000_160, '+Inf'], [1_700_000_220, '-Inf']] },
          { metric: { job: 'db' }, values: [[1_700_000_040.5, '1e3']] },
        ],
      }),
    );
    const result = await source().queryRange({ query: 'up{job=~"api|db"}', range: { start: 1_700_000_065_123, end: 1_700_000_255_000 }, stepMs: 60_000 });
    const request = server.requests[0];
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/api/v1/query_range');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.params.get('query')).toBe('up{job=~"api|db"}');
    expect(request?.params.get('start')).toBe('1700000040');
    expect(request?.params.get('end')).toBe('1700000220');
    expect(request?.params.get('step')).toBe('60');
    const [api, db] = result.data;
    expect(api?.name).toBe('up');
    expect(api?.labels).toEqual({ job: 'api' });
    expect([...(api?.timestamps ?? [])]).toEqual([1_700_000_040_000, 1_700_000_100_000, 1_700_000_160_000, 1_700_000_220_000]);
    expect([...(api?.values ?? [])]).toEqual([1, NaN, Infinity, -Infinity]);
    expect(api?.values).toBeInstanceOf(Float64Array);
    expect(db?.name).toBeUndefined();
    expect([...(db?.timestamps ?? [])]).toEqual([1_700_000_040_500]);
    expect([...(db?.values ?? [])]).toEqual([1000]);
  });

  it('uses GET with a query string when asked to', async () => {
    server.reply(success({ resultType: 'vector', result: [] }));
    await createPrometheusSource({ url: server.url, method: 'GET' }).queryInstant({ query: 'sum(up) by (job)', time: 1_700_000_000_250 });
    expect(server.requests[0]?.method).toBe('GET');
    expect(server.requests[0]?.params.get('query')).toBe('sum(up) by (job)');
    expect(server.requests[0]?.params.get('time')).toBe('1700000000.25');
  });

  it('forwards warnings and infos from the API', async () => {
    server.reply(success({ resultType: 'vector', result: [] }, { warnings: ['partial response: store x down'], infos: ['metric might not be a counter'] }));
    const result = await source().queryInstant({ query: 'up', time: 0 });
    expect(result.warnings).toEqual(['partial response: store x down', 'metric might not be a counter']);
  });

  it('parses vector, scalar, string and matrix instant results', () => {
    expect(parseInstant({ resultType: 'vector', result: [{ metric: { __name__: 'up', job: 'a' }, value: [10, '1'] }] }).data).toEqual([
      { name: 'up', labels: { job: 'a' }, timestamp: 10_000, value: 1 },
    ]);
    expect(parseInstant({ resultType: 'scalar', result: [10, '-Inf'] }).data).toEqual([{ labels: {}, timestamp: 10_000, value: -Infinity }]);
    const text = parseInstant({ resultType: 'string', result: [10, 'hello'] });
    expect(text.data).toEqual([{ labels: { value: 'hello' }, timestamp: 10_000, value: NaN }]);
    expect(text.warnings).toHaveLength(1);
    expect(parseInstant({ resultType: 'matrix', result: [{ metric: { a: 'b' }, values: [[1, '1'], [2, '2']] }] }).data).toEqual([
      { labels: { a: 'b' }, timestamp: 1000, value: 1 },
      { labels: { a: 'b' }, timestamp: 2000, value: 2 },
    ]);
  });

  it('keeps a label called __proto__ as a plain label', () => {
    const [sample] = parseInstant({ resultType: 'vector', result: [JSON.parse('{"metric":{"__proto__":"x","job":"a"},"value":[1,"1"]}')] }).data;
    expect(Object.getPrototypeOf(sample?.labels)).toBe(Object.prototype);
    expect(Object.keys(sample?.labels ?? {})).toEqual(['__proto__', 'job']);
  });

  it('escapes label values in selectors it builds and URL-encodes the label name', async () => {
    server.reply(success(['a', 'b']));
    const hostile = 'x"} or vector(1) # \\ \n';
    const values = await source().labelValues('job', { match: [{ metric: 'up', labels: { path: hostile, env: 'prod' } }, 'raw{selector="1"}'], range: { start: 1000, end: 2000 } });
    expect(values).toEqual(['a', 'b']);
    const request = server.requests[0];
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/api/v1/label/job/values');
    expect(request?.params.getAll('match[]')).toEqual(['up{env="prod",path="x\\"} or vector(1) # \\\\ \\n"}', 'raw{selector="1"}']);
    expect(request?.params.get('start')).toBe('1');
    expect(request?.params.get('end')).toBe('2');

    await source().labelValues('a/b?c');
    expect(server.requests[1]?.path).toBe('/api/v1/label/a%2Fb%3Fc/values');
  });

  it('escapes so that the value round-trips through a PromQL string (property)', () => {
    // Oracle: a decoder for the body of a Go/PromQL double-quoted string. It refuses a bare quote or newline (which
    // would end or break the string) and unknown escapes, so the escaped text must decode back to the original.
    const unquote = (body: string): string => {
      let out = '';
      for (let i = 0; i < body.length; i++) {
        const c = body[i] as string;
        if (c === '"' || c === '\n') throw new Error(`bare ${JSON.stringify(c)} at ${i}`);
        if (c !== '\\') {
          out += c;
          continue;
        }
        const e = body[++i];
        const simple: Record<string, string> = { '\\': '\\', '"': '"', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) out += simple[e];
        else if (e === 'x' && /^[0-9a-f]{2}$/.test(body.slice(i + 1, i + 3))) {
          out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
          i += 2;
        } else throw new Error(`bad escape at ${i}`);
      }
      return out;
    };
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: fc.constantFrom('\\', '"', '\n', '\r', '\t', '\x00', '\x1b', '\x7f', 'x', '4', '{', '}', ',', '=', 'a', 'é', '😀'), maxLength: 32 }),
          fc.string({ unit: 'binary', maxLength: 32 }),
        ),
        (value) => unquote(escapeLabelValue(value)) === value,
      ),
    );
    expect(formatSeriesMatcher({ metric: 'http_requests_total', labels: { b: '2', a: '1' } }, 'm')).toBe('http_requests_total{a="1",b="2"}');
    expect(() => formatSeriesMatcher({}, 'm')).toThrow(ValidationError);
    expect(() => formatSeriesMatcher({ metric: 'bad metric' }, 'm')).toThrow(ValidationError);
  }, 30_000);

  it('looks up series with POSTed match[] and a range', async () => {
    server.reply(success([{ __name__: 'up', job: 'api' }]));
    expect(await source().series({ match: [{ metric: 'up' }], range: { start: 0, end: 60_000 } })).toEqual([{ __name__: 'up', job: 'api' }]);
    expect(server.requests[0]?.path).toBe('/api/v1/series');
    expect(server.requests[0]?.method).toBe('POST');
    expect(server.requests[0]?.params.getAll('match[]')).toEqual(['up{}']);
    expect(server.requests[0]?.params.get('end')).toBe('60');
  });

  it('lists metrics from metadata plus metric names, sorted', async () => {
    server.route(
      '/api/v1/metadata',
      success({ up: [{ type: 'gauge', help: 'Target is up.', unit: '' }], http_requests_total: [{ type: 'counter', help: 'Requests.', unit: '' }], odd: [{ type: 'stateset', help: '' }] }),
    );
    server.route('/api/v1/label/__name__/values', success(['backfilled_metric', 'up', 'http_requests_total']));
    const metrics = await source().listMetrics();
    expect(metrics).toEqual([
      { name: 'backfilled_metric', type: 'unknown' },
      { name: 'http_requests_total', type: 'counter', help: 'Requests.' },
      { name: 'odd', type: 'unknown' },
      { name: 'up', type: 'gauge', help: 'Target is up.' },
    ]);
    expect(server.requests.map((r) => r.path).sort()).toEqual(['/api/v1/label/__name__/values', '/api/v1/metadata']);
  });
});

describe('alignRange', () => {
  it('rounds both ends down to a multiple of the step (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2e12 }), fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 86_400_000 }), (start, length, step) => {
        const aligned = alignRange({ start, end: start + length }, step);
        expect(aligned.start % step).toBe(0);
        expect(aligned.end % step).toBe(0);
        expect(aligned.start).toBeLessThanOrEqual(start);
        expect(start - aligned.start).toBeLessThan(step);
        expect(aligned.end).toBeLessThanOrEqual(start + length);
        expect(start + length - aligned.end).toBeLessThan(step);
      }),
    );
  });
});

describe('native histograms', () => {
  it('rebuilds schema, spans and counts from the JSON bucket boundaries', () => {
    // Schema 0: bucket i is (2^(i-1), 2^i]. Buckets 1, 2 and 4 positive; bucket 1 negative; zero bucket ±0.001.
    const h = parseNativeHistogram(
      {
        count: '12',
        sum: '20.5',
        buckets: [
          [1, '-2', '-1', '1'],
          [3, '-0.001', '0.001', '2'],
          [0, '1', '2', '3'],
          [0, '2', '4', '1'],
          [0, '8', '16', '5'],
        ],
      },
      'h',
      'test',
    );
    expect(h).toEqual({
      schema: 0,
      zeroThreshold: 0.001,
      zeroCount: 2,
      count: 12,
      sum: 20.5,
      positiveSpans: [
        { offset: 1, length: 2 },
        { offset: 1, length: 1 },
      ],
      positiveCounts: [3, 1, 5],
      negativeSpans: [{ offset: 1, length: 1 }],
      negativeCounts: [1],
    });
  });

  it('round-trips core’s bucket expansion: JSON buckets → parse → the same buckets and quantiles (property)', () => {
    // Oracle: core's nativeHistogramBuckets expands a histogram into explicit bounds, which we render the way
    // Prometheus' JSON API does (boundary rule, bounds and count as strings; empty buckets left out).
    const side = fc.array(fc.record({ gap: fc.integer({ min: 0, max: 3 }), counts: fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 4 }) }), { maxLength: 3 });
    const toSpans = (start: number, runs: { gap: number; counts: number[] }[]) => ({
      spans: runs.map((run, i) => ({ offset: i === 0 ? start + run.gap : run.gap, length: run.counts.length })),
      counts: runs.flatMap((run) => run.counts),
    });
    const histogram = fc
      .record({
        schema: fc.integer({ min: -4, max: 8 }),
        zeroThreshold: fc.constantFrom(0, 2 ** -128, 0.001, 0.3),
        zeroCount: fc.integer({ min: 0, max: 5 }),
        positiveStart: fc.integer({ min: -20, max: 20 }),
        negativeStart: fc.integer({ min: -20, max: 20 }),
        positive: side,
        negative: side,
      })
      .map(({ schema, zeroThreshold, zeroCount, positiveStart, negativeStart, positive, negative }): NativeHistogram => {
        const p = toSpans(positiveStart, positive);
        const n = toSpans(negativeStart, negative);
        const count = zeroCount + p.counts.reduce((a, b) => a + b, 0) + n.counts.reduce((a, b) => a + b, 0);
        return { schema, zeroThreshold, zeroCount, count, sum: 1.5, positiveSpans: p.spans, positiveCounts: p.counts, negativeSpans: n.spans, negativeCounts: n.counts };
      });
    const rule = (lowerInclusive: boolean, upperInclusive: boolean) => (lowerInclusive ? (upperInclusive ? 3 : 1) : upperInclusive ? 0 : 2);
    fc.assert(
      fc.property(histogram, (h) => {
        const expected = nativeHistogramBuckets(h).filter((b) => b.count > 0);
        // Buckets wholly inside the zero bucket do not exist in Prometheus (observations land in the zero bucket).
        fc.pre(expected.every((b) => b.lower >= b.upper || !(b.upper <= h.zeroThreshold && b.lower >= -h.zeroThreshold) || (b.lowerInclusive && b.upperInclusive)));
        fc.pre(expected.every((b) => b.lower < b.upper || (b.lower === 0 && b.upper === 0)));
        // When every bucket is clipped to the zero threshold the schema cannot be told (tested separately below).
        const clipped = (b: (typeof expected)[number]) => h.zeroThreshold > 0 && (b.lower === h.zeroThreshold || b.upper === -h.zeroThreshold);
        const isZeroBucket = (b: (typeof expected)[number]) => b.lowerInclusive && b.upperInclusive;
        const sided = expected.filter((b) => !isZeroBucket(b));
        fc.pre(sided.length === 0 || sided.some((b) => !clipped(b)));
        const json = { count: String(h.count), sum: String(h.sum), buckets: expected.map((b) => [rule(b.lowerInclusive, b.upperInclusive), String(b.lower), String(b.upper), String(b.count)]) };
        const parsed = parseNativeHistogram(json, 'h', 'test');
        expect(parsed).toBeDefined();
        expect(nativeHistogramBuckets(parsed as NativeHistogram).filter((b) => b.count > 0)).toEqual(expected);
        // Empty buckets (which the API leaves out) can change where the zero bucket is taken to start: compare
        // quantiles only when every bucket was sent.
        const allSent = [...(h.positiveCounts ?? []), ...(h.negativeCounts ?? [])].every((c) => c > 0);
        if (h.count > 0 && allSent) {
          for (const q of [0.1, 0.5, 0.9]) expect(nativeHistogramQuantile(q, parsed as NativeHistogram)).toBe(nativeHistogramQuantile(q, h));
        }
      }),
      { numRuns: 300 },
    );
  }, 30_000);

  it('recognises finer schemas and refuses non-exponential layouts', () => {
    const b = (i: number) => String(2 ** (i / 8));
    const h = parseNativeHistogram({ count: '3', sum: '3', buckets: [[0, b(-3), b(-2), '1'], [0, b(-2), b(-1), '2']] }, 'h', 'test');
    expect(h?.schema).toBe(3);
    expect(h?.positiveSpans).toEqual([{ offset: -2, length: 2 }]);
    expect(parseNativeHistogram({ count: '3', sum: '3', buckets: [[0, '0.1', '0.25', '3']] }, 'h', 'test')).toBeUndefined();
    // A lone bucket clipped to the zero threshold fits several schemas: refused rather than guessed.
    expect(parseNativeHistogram({ count: '1', sum: '1', buckets: [[0, '0.3', String(2 ** (-13 / 8)), '1']] }, 'h', 'test')).toBeUndefined();
    // With a second bucket the schema is known and the clipped bound is the zero threshold.
    const withNeighbour = parseNativeHistogram({ count: '2', sum: '1', buckets: [[0, '0.3', String(2 ** (-13 / 8)), '1'], [0, String(2 ** (-13 / 8)), String(2 ** (-12 / 8)), '1']] }, 'h', 'test');
    expect(withNeighbour?.schema).toBe(3);
    expect(withNeighbour?.zeroThreshold).toBe(0.3);
    expect(withNeighbour?.positiveSpans).toEqual([{ offset: -13, length: 2 }]);
  });

  it('merges histogram and float points of a matrix by time and warns about unmappable ones', () => {
    const parsed = parseMatrix({
      resultType: 'matrix',
      result: [
        {
          metric: { __name__: 'latency' },
          values: [[2, '5']],
          histograms: [
            [1, { count: '1', sum: '1', buckets: [[0, '0.5', '1', '1']] }],
            [3, { count: '1', sum: '1', buckets: [[0, '0.1', '0.25', '1']] }],
          ],
        },
      ],
    });
    const [series] = parsed.data;
    expect([...(series?.timestamps ?? [])]).toEqual([1000, 2000, 3000]);
    expect([...(series?.values ?? [])]).toEqual([NaN, 5, NaN]);
    expect(series?.histograms?.[0]?.positiveSpans).toEqual([{ offset: 0, length: 1 }]);
    expect(series?.histograms?.[1]).toBeUndefined();
    expect(series?.histograms?.[2]).toBeUndefined();
    expect(parsed.warnings).toHaveLength(1);
  });
});

describe('subscribe', () => {
  it('ticks every interval, stops on unsubscribe or abort, and leaves no timer behind', () => {
    vi.useFakeTimers();
    const s = source();
    const ticks: number[] = [];
    const unsubscribe = s.subscribe((u) => u.kind === 'tick' && ticks.push(u.time), { intervalMs: 5000 });
    vi.advanceTimersByTime(15_000);
    expect(ticks).toHaveLength(3);
    unsubscribe();
    vi.advanceTimersByTime(15_000);
    expect(ticks).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(0);

    const controller = new AbortController();
    let count = 0;
    s.subscribe(() => count++, { signal: controller.signal });
    vi.advanceTimersByTime(15_000); // default 15 s
    expect(count).toBe(1);
    controller.abort();
    expect(vi.getTimerCount()).toBe(0);

    const errors: unknown[] = [];
    s.subscribe(
      () => {
        throw new Error('listener bug');
      },
      { intervalMs: 10, onError: (e) => errors.push(e) },
    );
    vi.advanceTimersByTime(5000);
    expect(errors).toHaveLength(1); // raised to 1 s, failed once, subscription ended
    expect(vi.getTimerCount()).toBe(0);
  });
});

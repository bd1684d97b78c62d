import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseOtlpTrace } from './otlp';
import { parseZipkinTrace } from './zipkin';
import { selfTimes } from './critical-path';
import { operationStats, serviceGraph, serviceStats } from './stats';
import { compareTraces, repeatedSiblings } from './patterns';
import { findSpans, searchTraces, summarizeTrace } from './search';
import { formatAttributeValue } from './attributes';
import { formatDurationNs } from './format';
import { spanIdOf, spanIndexOf } from './model';
import { quantile } from '../percentile';
import { BASE, hexId, otlpDocument } from './__fixtures__/build';
import type { SpanSpec } from './__fixtures__/build';
import { SpanKind } from './types';

// frontend GET /cart [0, 1000]
//   cart   load        [10, 900]   (server)
//     db   SELECT x 5  sequential, 100 each, from 20
//     db   SELECT (error) [600, 700]
//   cache  get         [920, 990]  (error)
const shop: SpanSpec[] = [
  { id: 1, start: 0, end: 1000, service: 'frontend', name: 'GET /cart', kind: SpanKind.SERVER, attributes: { 'http.route': '/cart' } },
  { id: 2, parent: 1, start: 10, end: 900, service: 'cart', name: 'load', kind: SpanKind.SERVER, attributes: { 'user.id': '42' } },
  ...[0, 1, 2, 3, 4].map((k) => ({ id: 10 + k, parent: 2, start: 20 + 110 * k, end: 120 + 110 * k, service: 'db', name: 'SELECT' })),
  { id: 20, parent: 2, start: 600, end: 700, service: 'db', name: 'SELECT', error: true },
  { id: 3, parent: 1, start: 920, end: 990, service: 'cache', name: 'get', error: true },
  { id: 4, parent: 1, start: 905, end: 915, service: 'frontend', name: 'call payments', kind: SpanKind.CLIENT, attributes: { 'peer.service': 'payments' } },
];

describe('statistics', () => {
  const m = parseOtlpTrace(otlpDocument(shop));

  it('per service and per operation, with R-7 percentiles', () => {
    const services = serviceStats(m);
    const db = services.find((s) => s.service === 'db')!;
    expect(db.spanCount).toBe(6);
    expect(db.errorCount).toBe(1);
    expect(db.totalDurationNs).toBe(600);
    expect(db.p50Ns).toBe(100);
    const byName = Object.fromEntries(services.map((s) => [s.service, s.selfTimeNs]));
    // cart: 890 minus the union of its children (5 x 100 + 100, no overlaps... [20,120],[130,230],...,[460,560],[600,700])
    expect(byName.cart).toBe(890 - 600);
    expect(byName.frontend).toBe(1000 - 890 - 70 - 10 + 10);
    const ops = operationStats(m);
    expect(ops.map((o) => `${o.service}/${o.operation}`).sort()).toEqual(['cache/get', 'cart/load', 'db/SELECT', 'frontend/GET /cart', 'frontend/call payments']);
    expect(() => serviceStats({} as never)).toThrow(/model/);
  });

  it('stays consistent with the columns on random traces', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ parentPick: fc.nat(100), start: fc.nat(100), length: fc.nat(50), service: fc.constantFrom('a', 'b', 'c'), name: fc.constantFrom('x', 'y'), error: fc.boolean() }), { minLength: 1, maxLength: 25 }),
        (rows) => {
          const specs = rows.map((r, i): SpanSpec => ({ id: i + 1, parent: i === 0 ? -1 : (r.parentPick % i) + 1, start: r.start, end: r.start + r.length, service: r.service, name: r.name, error: r.error }));
          const model = parseOtlpTrace(otlpDocument(specs));
          const self = selfTimes(model);
          const stats = serviceStats(model, { selfTimes: self });
          expect(stats.reduce((a, s) => a + s.spanCount, 0)).toBe(specs.length);
          expect(stats.reduce((a, s) => a + s.errorCount, 0)).toBe(specs.filter((s) => s.error).length);
          expect(stats.reduce((a, s) => a + s.totalDurationNs, 0)).toBe(specs.reduce((a, s) => a + s.end - s.start, 0));
          expect(stats.reduce((a, s) => a + s.selfTimeNs, 0)).toBe(self.reduce((a, b) => a + b, 0));
          for (const s of operationStats(model)) {
            const durations = specs.filter((x) => (x.service ?? 'svc') === s.service && x.name === s.operation).map((x) => x.end - x.start);
            expect(s.spanCount).toBe(durations.length);
            expect(s.p95Ns).toBeCloseTo(quantile(durations, 0.95), 9);
            expect(s.maxNs).toBe(Math.max(...durations));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('service graph', () => {
  it('has call, error and latency edges, and infers remote peers', () => {
    const m = parseOtlpTrace(otlpDocument(shop));
    const g = serviceGraph(m);
    const edge = (from: string, to: string) => g.edges.find((e) => e.from === from && e.to === to);
    expect(edge('cart', 'db')).toMatchObject({ callCount: 6, errorCount: 1, totalDurationNs: 600, p50Ns: 100, maxNs: 100 });
    expect(edge('frontend', 'cart')).toMatchObject({ callCount: 1, errorCount: 0 });
    expect(edge('frontend', 'cache')).toMatchObject({ callCount: 1, errorCount: 1 });
    expect(edge('frontend', 'payments')).toMatchObject({ callCount: 1, totalDurationNs: 10 });
    expect(g.nodes.find((n) => n.service === 'payments')).toMatchObject({ inferred: true, spanCount: 0 });
    expect(serviceGraph(m, { inferPeers: false }).nodes.some((n) => n.service === 'payments')).toBe(false);
    expect(g.edges.some((e) => e.from === e.to)).toBe(false);
  });

  it('reads Zipkin remote endpoints as peers', () => {
    const m = parseZipkinTrace([{ traceId: 'a', id: '1', name: 'q', kind: 'CLIENT', timestamp: 1, duration: 5, localEndpoint: { serviceName: 'api' }, remoteEndpoint: { serviceName: 'mysql' } }]);
    expect(serviceGraph(m).edges).toMatchObject([{ from: 'api', to: 'mysql', callCount: 1 }]);
  });
});

describe('repeated siblings (N+1)', () => {
  it('groups same-name siblings, with count, total and wall time', () => {
    const m = parseOtlpTrace(otlpDocument(shop));
    const groups = repeatedSiblings(m);
    expect(groups).toHaveLength(1);
    const g = groups[0]!;
    expect(g).toMatchObject({ service: 'db', operation: 'SELECT', count: 6, totalDurationNs: 600, wallTimeNs: 600, sequential: true });
    expect(spanIdOf(m, g.parent)).toBe(hexId(2));
    expect(repeatedSiblings(m, { minCount: 7 })).toHaveLength(0);
    expect(() => repeatedSiblings(m, { minCount: 1 })).toThrow(/minCount/);
  });

  it('tells parallel fan-out from a sequential loop', () => {
    const specs: SpanSpec[] = [{ id: 1, start: 0, end: 100 }, ...[2, 3, 4].map((id) => ({ id, parent: 1, start: 10, end: 60, name: 'fetch' }))];
    const [g] = repeatedSiblings(parseOtlpTrace(otlpDocument(specs)), { minCount: 3 });
    expect(g).toMatchObject({ count: 3, totalDurationNs: 150, wallTimeNs: 50, sequential: false });
  });
});

describe('comparison', () => {
  it('reports per-operation deltas, added and removed operations', () => {
    const a = parseOtlpTrace(otlpDocument(shop));
    const slower = shop.filter((s) => s.id !== 3).map((s) => (s.id === 1 ? { ...s, end: 1500 } : s));
    slower.push({ id: 30, parent: 1, start: 1000, end: 1400, service: 'search', name: 'query' });
    const b = parseOtlpTrace(otlpDocument(slower));
    const diff = compareTraces(a, b);
    expect(diff.durationDeltaNs).toBe(500);
    const row = (op: string) => diff.operations.find((o) => o.operation === op)!;
    expect(row('query')).toMatchObject({ change: 'added', countA: 0, countB: 1, totalDurationDeltaNs: 400, selfTimeDeltaNs: 400 });
    expect(row('get')).toMatchObject({ change: 'removed', countDelta: -1, totalDurationDeltaNs: -70 });
    expect(row('SELECT')).toMatchObject({ change: 'same', selfTimeDeltaNs: 0 });
    expect(row('GET /cart')).toMatchObject({ change: 'changed', totalDurationDeltaNs: 500, selfTimeDeltaNs: 500 - 400 + 70 });
    expect(diff.operations[0]!.operation).toBe('query');
  });
});

describe('search', () => {
  const m = parseOtlpTrace(otlpDocument(shop));
  const other = parseOtlpTrace(otlpDocument([{ id: 1, start: 0, end: 50, service: 'frontend', name: 'GET /' }]));

  it('finds spans in display order by text, service, status, duration and attributes', () => {
    const ids = (xs: Int32Array) => [...xs].map((i) => parseInt(spanIdOf(m, i), 16));
    expect(ids(findSpans(m, { text: 'select' }))).toEqual([10, 11, 12, 13, 14, 20]);
    expect(ids(findSpans(m, { service: 'db', status: 'error' }))).toEqual([20]);
    expect(ids(findSpans(m, { minDurationMs: 0.0008 }))).toEqual([1, 2]);
    expect(ids(findSpans(m, { attributes: { 'user.id': '42' } }))).toEqual([2]);
    expect(ids(findSpans(m, { attributes: { 'service.name': 'cache' } }))).toEqual([3]);
    expect(ids(findSpans(m, { text: '42', searchAttributes: true }))).toEqual([2]);
    expect(ids(findSpans(m, { text: hexId(13) }))).toEqual([13]);
    expect(ids(findSpans(m, { service: 'nope' }))).toEqual([]);
    expect(ids(findSpans(m, { text: 'select', limit: 2 }))).toEqual([10, 11]);
    expect(() => findSpans(m, { status: 'bad' as never })).toThrow(/query.status/);
    expect(() => findSpans(m, { minDurationMs: -1 })).toThrow(/minDurationMs/);
  });

  it('searches sets of models and summary rows', () => {
    const summary = summarizeTrace(m);
    expect(summary).toMatchObject({ rootService: 'frontend', rootOperation: 'GET /cart', spanCount: 10, errorCount: 2, durationMs: 0.001 });
    expect([...summary.services].sort()).toEqual(['cache', 'cart', 'db', 'frontend']);
    expect(summary.start).toBe(Number(BASE / 1000n) / 1000);
    const items = [m, other, summary, summarizeTrace(other)];
    expect(searchTraces(items, { service: 'db' })).toEqual([0, 2]);
    expect(searchTraces(items, { status: 'error' })).toEqual([0, 2]);
    expect(searchTraces(items, { status: 'ok' })).toEqual([3]); // rows: no errors; models: need a span with status ok
    expect(searchTraces(items, { service: 'db', status: 'error', attributes: {} })).toEqual([0, 2]);
    expect(searchTraces(items, { attributes: { 'http.route': '/cart' } })).toEqual([0, 2, 3]);
    expect(searchTraces(items, { maxDurationMs: 0.0005 })).toEqual([1, 3]);
    expect(searchTraces(items, { operation: 'GET /' })).toEqual([1, 3]);
    expect(searchTraces(items, { range: { start: 0, end: 1 } })).toEqual([]);
    expect(searchTraces(items, { limit: 1 })).toEqual([0]);
    expect(() => searchTraces([42] as never, {})).toThrow(/items\[0\]/);
  });
});

describe('formatting', () => {
  it('formats attribute values and durations', () => {
    expect(formatAttributeValue([1, 'a', true, null, 2n, new Uint8Array([255, 1])])).toBe('[1, "a", true, null, 2, 0xff01]');
    expect(formatAttributeValue({ k: ['x'] })).toBe('{"k": ["x"]}');
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(formatAttributeValue(deep as never).length).toBe(200_003);
    expect([812, 4_200, 13_500_000, 2_310_000_000, 245e9, 7_500e9].map(formatDurationNs)).toEqual(['812ns', '4.2µs', '13.5ms', '2.31s', '4m 05s', '2h 05m']);
    // Whole nanoseconds keep their trailing zeros (a past bug trimmed 100ns to 1ns and 0 to 'ns').
    for (let ns = 0; ns < 1000; ns++) expect(formatDurationNs(ns)).toBe(`${ns}ns`);
    expect([10_000, 100_000_000, 10e9].map(formatDurationNs)).toEqual(['10µs', '100ms', '10s']);
    expect(spanIndexOf(parseOtlpTrace(otlpDocument(shop)), 'zz')).toBe(-1);
  });
});

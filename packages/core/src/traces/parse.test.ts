import { describe, expect, it } from 'vitest';
import { detectTraceFormat, parseTrace } from './parse';
import { parseOtlpTrace } from './otlp';
import { parseJaegerTrace } from './jaeger';
import { parseZipkinTrace } from './zipkin';
import { spanDetails, spanIdOf, spanIndexOf } from './model';
import { SpanFlag, SpanKind, StatusCode } from './types';
import { ValidationError } from '../errors';
import type { TraceModel } from './types';

const TRACE = '5B8EFFF798038103D269B633813FC60C';
const codes = (m: TraceModel): string[] => m.warnings.map((w) => w.code);

function otlpSpan(extra: Record<string, unknown>): Record<string, unknown> {
  return { traceId: TRACE, spanId: 'EEE19B7EC3C1B174', name: 'op', kind: 'SPAN_KIND_SERVER', startTimeUnixNano: '1544712660000000000', endTimeUnixNano: '1544712661000000000', ...extra };
}

describe('OTLP/JSON', () => {
  it('reads hex ids in either case, exact int64 string times and enum names', () => {
    const m = parseOtlpTrace({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'cart' } }] },
          scopeSpans: [
            {
              scope: { name: 'lib', version: '1.2' },
              spans: [
                otlpSpan({ startTimeUnixNano: '1544712660123456789', endTimeUnixNano: '1544712660987654321', status: { code: 'STATUS_CODE_ERROR', message: 'bad' } }),
                otlpSpan({ spanId: '0102030405060708', parentSpanId: 'eee19b7ec3c1b174', kind: 3, status: { code: 1 }, startTimeUnixNano: 1544712660200000000 }),
              ],
            },
          ],
        },
      ],
    });
    expect(m.warnings).toEqual([]);
    expect(m.traceIds).toEqual([TRACE.toLowerCase()]);
    expect(spanIdOf(m, 0)).toBe('eee19b7ec3c1b174');
    expect(m.startNs[0]).toBe(1544712660123456789n);
    expect(m.endNs[0]).toBe(1544712660987654321n);
    expect(m.durationNs[0]).toBe(864197532);
    // a JSON number beyond 2^53 is read as the exact value of that double
    expect(m.startNs[1]).toBe(BigInt(1544712660200000000));
    expect([m.kind[0], m.kind[1]]).toEqual([SpanKind.SERVER, SpanKind.CLIENT]);
    expect([m.status[0], m.status[1]]).toEqual([StatusCode.ERROR, StatusCode.OK]);
    expect(m.parent[1]).toBe(0);
    expect(m.services).toEqual(['cart']);
    const d = spanDetails(m, 0);
    expect(d.statusMessage).toBe('bad');
    expect(d.scope).toEqual({ name: 'lib', version: '1.2' });
    expect(d.resource).toEqual([{ key: 'service.name', value: 'cart' }]);
  });

  it('reads base64 ids (the protobuf JSON mapping)', () => {
    // 0x5b8efff798038103d269b633813fc60c and 0xeee19b7ec3c1b174 in base64
    const m = parseOtlpTrace({ resourceSpans: [{ scopeSpans: [{ spans: [otlpSpan({ traceId: 'W47/95gDgQPSabYzgT/GDA==', spanId: '7uGbfsPBsXQ=' })] }] }] });
    expect(m.warnings).toEqual([]);
    expect(m.traceIds[0]).toBe(TRACE.toLowerCase());
    expect(spanIdOf(m, 0)).toBe('eee19b7ec3c1b174');
    expect(m.services).toEqual(['unknown_service']);
  });

  it('accepts Tempo batches, the Jaeger api_v3 result wrapper, legacy instrumentationLibrarySpans and arrays of documents', () => {
    const rs = { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'a' } }] }, instrumentationLibrarySpans: [{ instrumentationLibrary: { name: 'old' }, spans: [otlpSpan({})] }] };
    for (const body of [{ batches: [rs] }, { result: { resourceSpans: [rs] } }, [{ result: { resourceSpans: [rs] } }], { resourceSpans: [rs] }]) {
      const m = parseOtlpTrace(body);
      expect(m.spanCount).toBe(1);
      expect(m.services).toEqual(['a']);
      expect(spanDetails(m, 0).scope?.name).toBe('old');
      expect(detectTraceFormat(body)).toBe('otlp-json');
    }
  });

  it('decodes every AnyValue type, exactly', () => {
    const attributes = [
      { key: 's', value: { stringValue: 'x' } },
      { key: 'b', value: { boolValue: true } },
      { key: 'i', value: { intValue: '-9223372036854775808' } },
      { key: 'small', value: { intValue: 42 } },
      { key: 'd', value: { doubleValue: 1.5 } },
      { key: 'nan', value: { doubleValue: 'NaN' } },
      { key: 'bytes', value: { bytesValue: 'AQID' } },
      { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }, { arrayValue: {} }] } } },
      { key: 'map', value: { kvlistValue: { values: [{ key: '__proto__', value: { boolValue: false } }, { key: 'k', value: { doubleValue: 2 } }] } } },
      { key: 'empty', value: {} },
    ];
    const m = parseOtlpTrace({ resourceSpans: [{ scopeSpans: [{ spans: [otlpSpan({ attributes })] }] }] });
    const d = spanDetails(m, 0);
    const byKey = Object.fromEntries(d.attributes.map((a) => [a.key, a.value]));
    expect(byKey.s).toBe('x');
    expect(byKey.b).toBe(true);
    expect(byKey.i).toBe(-9223372036854775808n);
    expect(byKey.small).toBe(42);
    expect(byKey.d).toBe(1.5);
    expect(byKey.nan).toBeNaN();
    expect(byKey.bytes).toEqual(new Uint8Array([1, 2, 3]));
    expect(byKey.arr).toEqual(['a', 1, []]);
    const map = byKey.map as Record<string, unknown>;
    expect(Object.keys(map)).toEqual(['__proto__', 'k']);
    expect(map['__proto__']).toBe(false);
    expect(byKey.empty).toBeNull();
    expect(d.problems).toEqual([]);
  });

  it('cuts hostile attribute nesting instead of overflowing the stack', () => {
    let value: Record<string, unknown> = { stringValue: 'leaf' };
    for (let i = 0; i < 100_000; i++) value = { arrayValue: { values: [value] } };
    const m = parseOtlpTrace({ resourceSpans: [{ scopeSpans: [{ spans: [otlpSpan({ attributes: [{ key: 'deep', value }] })] }] }] });
    const d = spanDetails(m, 0);
    expect(d.problems.some((p) => p.includes('nested deeper'))).toBe(true);
  });

  it('reads events, links and trace state', () => {
    const m = parseOtlpTrace({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                otlpSpan({
                  traceState: 'k=v',
                  events: [{ timeUnixNano: '1544712660500000001', name: 'exception', attributes: [{ key: 'exception.message', value: { stringValue: 'oops' } }] }],
                  links: [{ traceId: TRACE, spanId: '00f067aa0ba902b7', attributes: [{ key: 'why', value: { stringValue: 'batch' } }], traceState: 'a=b' }],
                }),
              ],
            },
          ],
        },
      ],
    });
    const d = spanDetails(m, 0);
    expect(d.traceState).toBe('k=v');
    expect(d.events).toEqual([{ name: 'exception', timeNs: 1544712660500000001n, attributes: [{ key: 'exception.message', value: 'oops' }] }]);
    expect(d.links).toEqual([{ traceId: TRACE.toLowerCase(), spanId: '00f067aa0ba902b7', attributes: [{ key: 'why', value: 'batch' }], traceState: 'a=b' }]);
  });

  it('repairs bad spans with warnings that name their path, and throws only on an unusable document', () => {
    const m = parseOtlpTrace({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                otlpSpan({}),
                42,
                otlpSpan({ spanId: 'zz', startTimeUnixNano: 'NaN', kind: 'SPAN_KIND_BOGUS' }),
                otlpSpan({ spanId: '1111111111111111', traceId: 7, endTimeUnixNano: '-5', status: { code: 9 } }),
                otlpSpan({ spanId: '2222222222222222', startTimeUnixNano: '99999999999999999999999' }),
              ],
            },
          ],
        },
      ],
    });
    expect(m.spanCount).toBe(4);
    expect(codes(m)).toEqual(expect.arrayContaining(['INVALID_SPAN', 'INVALID_SPAN_ID', 'INVALID_FIELD', 'INVALID_TRACE_ID', 'MISSING_START', 'MISSING_END']));
    expect(m.warnings.find((w) => w.code === 'INVALID_SPAN')?.path).toBe('resourceSpans[0].scopeSpans[0].spans[1]');
    expect(m.warnings.find((w) => w.code === 'INVALID_FIELD' && w.path?.endsWith('startTimeUnixNano'))?.path).toBe('resourceSpans[0].scopeSpans[0].spans[2].startTimeUnixNano');
    // the made-up id is flagged; the bad trace id takes the document's
    const synthetic = Array.from({ length: m.spanCount }, (_, i) => i).find((i) => (m.flags[i]! & SpanFlag.SYNTHETIC_ID) !== 0)!;
    expect(synthetic).toBeDefined();
    expect(m.traceIds).toEqual([TRACE.toLowerCase()]);
    for (const body of [null, 'x', 42, {}, { spans: [] }]) expect(() => parseOtlpTrace(body)).toThrow(ValidationError);
    expect(() => parseOtlpTrace({ resourceSpans: 'nope' })).toThrow(/resourceSpans/);
    expect(parseOtlpTrace({ resourceSpans: [] }).warnings.map((w) => w.code)).toEqual(['EMPTY_TRACE']);
  });

  it('caps the warnings kept but counts them all', () => {
    const spans = Array.from({ length: 50 }, (_, i) => otlpSpan({ spanId: (i + 1).toString(16).padStart(16, '0'), parentSpanId: 'ffffffffffffff00' }));
    const m = parseOtlpTrace({ resourceSpans: [{ scopeSpans: [{ spans }] }] }, { maxWarnings: 10 });
    expect(m.warnings.length).toBe(11);
    expect(m.warnings[10]!.code).toBe('WARNINGS_TRUNCATED');
    expect(m.warningCounts.ORPHAN_SPAN).toBe(50);
    expect(() => parseOtlpTrace({ resourceSpans: [] }, { maxWarnings: -1 })).toThrow(/maxWarnings/);
  });
});

describe('Jaeger JSON', () => {
  const jaeger = {
    data: [
      {
        traceID: '00000000000000000a1b2c3d4e5f6071',
        spans: [
          { traceID: 'a1b2c3d4e5f6071', spanID: '1', operationName: 'GET /', references: [], startTime: 1700000000000001, duration: 1000, tags: [{ key: 'span.kind', type: 'string', value: 'server' }], processID: 'p1', logs: [{ timestamp: 1700000000000500, fields: [{ key: 'event', type: 'string', value: 'retry' }] }] },
          { traceID: 'a1b2c3d4e5f6071', spanID: '2', operationName: 'SELECT', references: [{ refType: 'CHILD_OF', traceID: 'a1b2c3d4e5f6071', spanID: '1' }], startTime: 1700000000000100, duration: 500, tags: [{ key: 'error', type: 'bool', value: true }, { key: 'rows', type: 'int64', value: 3 }], processID: 'p2' },
          { traceID: 'a1b2c3d4e5f6071', spanID: '3', operationName: 'publish', references: [{ refType: 'FOLLOWS_FROM', traceID: 'a1b2c3d4e5f6071', spanID: '1' }, { refType: 'FOLLOWS_FROM', traceID: 'ffff', spanID: '9' }], startTime: 1700000000002000, duration: 10, processID: 'p1' },
        ],
        processes: { p1: { serviceName: 'web', tags: [{ key: 'host', type: 'string', value: 'h1' }] }, p2: { serviceName: 'db', tags: [] } },
      },
    ],
  };

  it('reads processes, references, microseconds and tags', () => {
    const m = parseTrace({ format: 'jaeger-json', body: jaeger });
    expect(m.warnings).toEqual([]);
    expect(detectTraceFormat(jaeger)).toBe('jaeger-json');
    expect(m.traceIds).toEqual(['00000000000000000a1b2c3d4e5f6071']);
    expect(m.startNs[0]).toBe(1700000000000001000n);
    expect(m.durationNs[1]).toBe(500_000);
    expect(m.parent[1]).toBe(0);
    expect(m.parent[2]).toBe(0);
    expect(m.flags[2]! & SpanFlag.FOLLOWS_FROM).toBe(SpanFlag.FOLLOWS_FROM);
    expect(m.services).toEqual(['web', 'db']);
    expect(m.kind[0]).toBe(SpanKind.SERVER);
    expect(m.status[1]).toBe(StatusCode.ERROR);
    const d = spanDetails(m, 2);
    expect(d.links).toEqual([{ traceId: '0000000000000000000000000000ffff', spanId: '0000000000000009', attributes: [], referenceType: 'FOLLOWS_FROM' }]);
    expect(spanDetails(m, 0).events).toEqual([{ name: 'retry', timeNs: 1700000000000500000n, attributes: [{ key: 'event', value: 'retry' }] }]);
    expect(spanDetails(m, 0).resource).toEqual([{ key: 'service.name', value: 'web' }, { key: 'host', value: 'h1' }]);
    expect(spanDetails(m, 1).attributes).toEqual([{ key: 'error', value: true }, { key: 'rows', value: 3 }]);
  });

  it('repairs bad spans and throws on an unusable document', () => {
    const m = parseJaegerTrace({ data: [{ traceID: 'ab', spans: [null, { spanID: 'x!', startTime: 'soon', processID: 'nope' }], processes: {} }] });
    expect(m.spanCount).toBe(1);
    expect(codes(m)).toEqual(expect.arrayContaining(['INVALID_SPAN', 'INVALID_SPAN_ID', 'INVALID_FIELD', 'MISSING_START', 'MISSING_END']));
    expect(() => parseJaegerTrace({ data: 5 })).toThrow(ValidationError);
    expect(() => parseJaegerTrace([1, 2])).toThrow(ValidationError);
  });
});

describe('Zipkin v2 JSON', () => {
  const zipkin = [
    { traceId: '86154a4ba6e91385', id: '86154a4ba6e91385', name: 'get /', kind: 'SERVER', timestamp: 1700000000000000, duration: 20000, localEndpoint: { serviceName: 'frontend' } },
    { traceId: '86154a4ba6e91385', parentId: '86154a4ba6e91385', id: '4d1e00c0db9010db', name: 'get /api', kind: 'CLIENT', timestamp: 1700000000001000, duration: 15000, localEndpoint: { serviceName: 'frontend' }, remoteEndpoint: { serviceName: 'backend' } },
    { traceId: '86154a4ba6e91385', parentId: '86154a4ba6e91385', id: '4d1e00c0db9010db', name: 'get /api', kind: 'SERVER', shared: true, timestamp: 1700000000002000, duration: 12000, localEndpoint: { serviceName: 'backend' }, tags: { error: 'timeout' } },
    { traceId: '86154a4ba6e91385', parentId: '4d1e00c0db9010db', id: '00000000000000aa', name: 'query', timestamp: 1700000000003000, duration: 5000, localEndpoint: { serviceName: 'backend' } },
    { traceId: '86154a4ba6e91385', parentId: '86154a4ba6e91385', id: '00000000000000bb', name: 'no timing', localEndpoint: { serviceName: 'frontend' }, annotations: [{ timestamp: 1700000000004000, value: 'ws' }, { timestamp: 1700000000006000, value: 'wr' }] },
  ];

  it('pairs shared server spans with their client, reads annotations as bounds', () => {
    const m = parseTrace({ format: 'zipkin-v2-json', body: zipkin });
    expect(detectTraceFormat(zipkin)).toBe('zipkin-v2-json');
    expect(m.warnings).toEqual([]);
    expect(m.traceIds).toEqual(['000000000000000086154a4ba6e91385']);
    expect(m.parent[2]).toBe(1); // server half under the client half
    expect(m.flags[2]! & SpanFlag.SHARED).toBe(SpanFlag.SHARED);
    expect(m.parent[3]).toBe(2); // children of the shared id hang under the server half
    expect(spanIndexOf(m, '4d1e00c0db9010db')).toBe(1);
    expect(m.status[2]).toBe(StatusCode.ERROR);
    expect(spanDetails(m, 2).statusMessage).toBe('timeout');
    expect(m.startNs[4]).toBe(1700000000004000000n);
    expect(m.durationNs[4]).toBe(2_000_000);
    expect(spanDetails(m, 1).attributes).toEqual([{ key: 'remoteEndpoint.serviceName', value: 'backend' }]);
  });

  it('pairs them in either order, and reads an array of traces', () => {
    const m = parseZipkinTrace([[zipkin[0], zipkin[2], zipkin[1], zipkin[3]]]);
    expect(m.warnings).toEqual([]);
    expect(m.parent[1]).toBe(2);
    expect(m.parent[3]).toBe(1);
  });

  it('gives zero duration with a warning when nothing bounds a span', () => {
    const m = parseZipkinTrace([{ traceId: '1', id: '2', timestamp: 1700000000000000 }]);
    expect(codes(m)).toEqual(['MISSING_END']);
    expect(m.durationNs[0]).toBe(0);
    expect(() => parseZipkinTrace({})).toThrow(ValidationError);
  });
});

describe('parseTrace and detectTraceFormat', () => {
  it('validates the payload', () => {
    expect(() => parseTrace({ format: 'x', body: [] } as never)).toThrow(/payload.format/);
    expect(() => parseTrace(null as never)).toThrow(ValidationError);
    expect(detectTraceFormat(42)).toBeUndefined();
    expect(detectTraceFormat({ hello: 1 })).toBeUndefined();
    expect(detectTraceFormat([])).toBeUndefined();
  });
});

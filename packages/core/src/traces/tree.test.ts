import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseOtlpTrace } from './otlp';
import { parseJaegerTrace } from './jaeger';
import { detectTraceFormat, parseTrace } from './parse';
import { criticalPath, selfTimes } from './critical-path';
import { flattenForDisplay, subtreeSizes } from './flatten';
import { spanDetails, spanIdOf, spanIndexOf } from './model';
import { readNanos, timeRegister, writeEpochNanos } from './time';
import { BASE, TRACE_ID, hexId, otlpDocument } from './__fixtures__/build';
import { SpanFlag } from './types';
import type { TraceModel } from './types';
import { VigilError } from '../errors';

const codes = (m: TraceModel): string[] => m.warnings.map((w) => w.code);
const rawSpan = (id: number, parent: number | undefined, start: number, end: number, extra: Record<string, unknown> = {}) => ({
  traceId: TRACE_ID,
  spanId: hexId(id),
  ...(parent === undefined ? {} : { parentSpanId: hexId(parent) }),
  name: `op${id}`,
  startTimeUnixNano: String(BASE + BigInt(start)),
  endTimeUnixNano: String(BASE + BigInt(end)),
  ...extra,
});
const doc = (spans: unknown[]) => ({ resourceSpans: [{ scopeSpans: [{ spans }] }] });

/** Every span exactly once, parents before children. */
function expectCompleteTree(m: TraceModel): void {
  const rows = flattenForDisplay(m);
  expect(rows.length).toBe(m.spanCount);
  const seen = new Uint8Array(m.spanCount);
  for (const v of rows) {
    expect(seen[v]).toBe(0);
    if (m.parent[v]! >= 0) expect(seen[m.parent[v]!]).toBe(1);
    seen[v] = 1;
  }
}

describe('tree repair', () => {
  it('turns orphans into flagged roots', () => {
    const m = parseOtlpTrace(doc([rawSpan(1, undefined, 0, 10), rawSpan(2, 99, 1, 2)]));
    expect([...m.roots]).toEqual([0, 1]);
    expect(m.flags[1]! & SpanFlag.ORPHAN).toBe(SpanFlag.ORPHAN);
    expect(m.warnings).toEqual([{ code: 'ORPHAN_SPAN', spanId: hexId(2), message: `parent ${hexId(99)} is not in the trace; shown as a root`, path: 'resourceSpans[0].scopeSpans[0].spans[1]' }]);
  });

  it('breaks cycles at their earliest span, including self-parents', () => {
    // 1 -> 2 -> 3 -> 1 (a three-cycle), 4 -> 4, 5 under 3
    const m = parseOtlpTrace(doc([rawSpan(2, 1, 5, 9), rawSpan(3, 2, 6, 8), rawSpan(1, 3, 0, 10), rawSpan(4, 4, 0, 1), rawSpan(5, 3, 7, 8)]));
    expect(codes(m).sort()).toEqual(['CYCLE_BROKEN', 'CYCLE_BROKEN']);
    const one = spanIndexOf(m, hexId(1));
    expect(m.parent[one]).toBe(-1);
    expect(m.flags[one]! & SpanFlag.CYCLE_BROKEN).toBe(SpanFlag.CYCLE_BROKEN);
    expect(m.parent[spanIndexOf(m, hexId(4))]).toBe(-1);
    expect(m.depth[spanIndexOf(m, hexId(5))]).toBe(3);
    expectCompleteTree(m);
  });

  it('drops exact duplicates and flags conflicting ones', () => {
    const m = parseOtlpTrace(doc([rawSpan(1, undefined, 0, 10), rawSpan(2, 1, 1, 5), rawSpan(2, 1, 1, 5), rawSpan(2, 1, 2, 6), rawSpan(3, 2, 3, 4)]));
    expect(m.spanCount).toBe(4);
    expect(codes(m)).toEqual(['DUPLICATE_SPAN_DROPPED', 'DUPLICATE_SPAN_ID']);
    expect(m.flags[2]! & SpanFlag.DUPLICATE_ID).toBe(SpanFlag.DUPLICATE_ID);
    expect(m.parent[3]).toBe(1); // the child resolves to the first span with the id
    expectCompleteTree(m);
  });

  it('repairs negative durations and missing times', () => {
    const m = parseOtlpTrace(
      doc([
        rawSpan(1, undefined, 100, 200),
        rawSpan(2, 1, 150, 120), // ends before it starts
        { ...rawSpan(3, 1, 0, 180), startTimeUnixNano: undefined }, // no start: takes its end
        { ...rawSpan(4, 1, 0, 0), startTimeUnixNano: undefined, endTimeUnixNano: undefined }, // nothing: parent's start
        { ...rawSpan(5, undefined, 0, 0), startTimeUnixNano: undefined, endTimeUnixNano: undefined }, // nothing, root: trace start
      ]),
    );
    expect(codes(m).sort()).toEqual(['MISSING_END', 'MISSING_END', 'MISSING_START', 'MISSING_START', 'MISSING_START', 'NEGATIVE_DURATION'].sort());
    expect(m.durationNs[1]).toBe(0);
    expect(m.startNs[2]).toBe(BASE + 180n);
    expect(m.startNs[3]).toBe(BASE + 100n);
    expect(m.startNs[4]).toBe(BASE + 100n);
    expect(m.flags[1]! & SpanFlag.NEGATIVE_DURATION).toBe(SpanFlag.NEGATIVE_DURATION);
    for (let i = 0; i < m.spanCount; i++) expect(m.durationNs[i]!).toBeGreaterThanOrEqual(0);
  });

  it('keeps span links as links: a link back to a descendant makes no cycle', () => {
    const m = parseOtlpTrace(doc([rawSpan(1, undefined, 0, 10, { links: [{ traceId: TRACE_ID, spanId: hexId(2) }] }), rawSpan(2, 1, 1, 9, { links: [{ traceId: TRACE_ID, spanId: hexId(1) }] })]));
    expect(m.warnings).toEqual([]);
    expect([...m.parent]).toEqual([-1, 0]);
    expect(spanDetails(m, 0).links.map((l) => l.spanId)).toEqual([hexId(2)]);
  });

  it('handles a 100,000-deep chain without recursion', () => {
    const n = 100_000;
    const spans = [];
    for (let i = 1; i <= n; i++) spans.push(rawSpan(i, i === 1 ? undefined : i - 1, i, 3 * n - i));
    const m = parseOtlpTrace(doc(spans));
    expect(m.warnings).toEqual([]);
    expect(m.maxDepth).toBe(n - 1);
    const path = criticalPath(m);
    expect(path.segmentCount).toBe(2 * n - 1);
    expect(path.totalNs).toBe(m.durationNs[0]);
    expect(flattenForDisplay(m).length).toBe(n);
    expect(flattenForDisplay(m, { collapsed: new Set([1]) }).length).toBe(2);
    expect(subtreeSizes(m)[0]).toBe(n);
    const self = selfTimes(m);
    expect(self[n - 1]).toBe(m.durationNs[n - 1]);
    expect(self[0]).toBe(2);
  });

  it('survives a 100,000-span cycle and a 100,000-deep Jaeger chain', () => {
    const n = 100_000;
    const spans = [];
    for (let i = 1; i <= n; i++) spans.push(rawSpan(i, i === 1 ? n : i - 1, i, 2 * n));
    const m = parseOtlpTrace(doc(spans));
    expect(codes(m)).toEqual(['CYCLE_BROKEN']);
    expect(m.roots.length).toBe(1);
    expect(criticalPath(m).totalNs).toBe(m.durationNs[m.roots[0]!]);
    const jaeger = { data: [{ traceID: 'ab', processes: { p: { serviceName: 's' } }, spans: Array.from({ length: n }, (_, i) => ({ traceID: 'ab', spanID: (i + 1).toString(16), processID: 'p', operationName: 'x', startTime: 1e15 + i, duration: 2 * n - 2 * i, references: i === 0 ? [] : [{ refType: 'CHILD_OF', traceID: 'ab', spanID: i.toString(16) }] })) }] };
    const j = parseJaegerTrace(jaeger);
    expect(j.maxDepth).toBe(n - 1);
  });
});

describe('clock skew adjustment (optional)', () => {
  // client in "web" [100, 200]; its server span in "api" was recorded by a clock 1000 ns ahead: [1120, 1180]
  const spans = [
    { id: 1, start: 100, end: 200, service: 'web' },
    { id: 2, parent: 1, start: 1120, end: 1180, service: 'api' },
    { id: 3, parent: 2, start: 1130, end: 1140, service: 'api' },
    { id: 4, parent: 1, start: 150, end: 160, service: 'web' },
  ];
  it('is off by default', () => {
    const m = parseOtlpTrace(otlpDocument(spans));
    expect(m.warnings).toEqual([]);
    expect(m.startOffsetNs[spanIndexOf(m, hexId(2))]).toBe(1020);
  });
  it('centres a server span inside its client and moves its subtree with it', () => {
    const m = parseOtlpTrace(otlpDocument(spans), { adjustClockSkew: true });
    const two = spanIndexOf(m, hexId(2));
    const three = spanIndexOf(m, hexId(3));
    expect(codes(m)).toEqual(['CLOCK_SKEW_ADJUSTED']);
    // parent 100 long, child 60 long: child starts 20 after the parent
    expect(m.startOffsetNs[two]).toBe(20);
    expect(m.endOffsetNs[two]).toBe(80);
    expect(m.startOffsetNs[three]).toBe(30);
    expect(m.flags[two]! & SpanFlag.CLOCK_SKEW_ADJUSTED).toBe(SpanFlag.CLOCK_SKEW_ADJUSTED);
    // same-service children are never moved; exact epoch columns keep what was received
    expect(m.startOffsetNs[spanIndexOf(m, hexId(4))]).toBe(50);
    expect(m.startNs[two]).toBe(BASE + 1120n);
    expect(() => parseOtlpTrace(otlpDocument(spans), { adjustClockSkew: 'yes' as never })).toThrow(/adjustClockSkew/);
  });
});

describe('flattenForDisplay', () => {
  const treeArbitrary = fc
    .array(fc.record({ parentPick: fc.nat(1000), rootChance: fc.nat(6), start: fc.nat(50), length: fc.nat(30), collapse: fc.nat(4), match: fc.nat(3) }), { minLength: 1, maxLength: 40 })
    .map((rows) => rows.map((r, i) => ({ ...r, id: i + 1, parent: i === 0 || r.rootChance === 0 ? -1 : (r.parentPick % i) + 1 })));

  it('shows every span once without options; hides exactly the subtrees it should', () => {
    fc.assert(
      fc.property(treeArbitrary, (rows) => {
        const m = parseOtlpTrace(otlpDocument(rows.map((r) => ({ id: r.id, parent: r.parent, start: r.start, end: r.start + r.length }))));
        expectCompleteTree(m);
        const spec = (i: number) => rows[parseInt(spanIdOf(m, i), 16) - 1]!;
        const collapsed = new Set<number>();
        for (let i = 0; i < m.spanCount; i++) if (spec(i).collapse === 0) collapsed.add(i);
        const matches = (i: number) => spec(i).match === 0;
        const visible = flattenForDisplay(m, { collapsed, filter: matches });
        // oracle: visible iff no proper ancestor collapsed, and the span or a descendant matches
        const expected: number[] = [];
        const descendantMatches = (v: number): boolean => {
          const stack = [v];
          while (stack.length) {
            const x = stack.pop()!;
            if (matches(x)) return true;
            for (let k = m.childOffsets[x]!; k < m.childOffsets[x + 1]!; k++) stack.push(m.children[k]!);
          }
          return false;
        };
        for (const v of m.preorder) {
          let hidden = false;
          for (let p = m.parent[v]!; p >= 0; p = m.parent[p]!) if (collapsed.has(p)) hidden = true;
          if (!hidden && descendantMatches(v)) expected.push(v);
        }
        expect([...visible]).toEqual(expected);
        const mask = new Uint8Array(m.spanCount);
        for (let i = 0; i < m.spanCount; i++) mask[i] = matches(i) ? 1 : 0;
        expect([...flattenForDisplay(m, { collapsed, filter: mask })]).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('validates its options', () => {
    const m = parseOtlpTrace(otlpDocument([{ id: 1, start: 0, end: 1 }]));
    expect(() => flattenForDisplay(m, { collapsed: [1] as never })).toThrow(/collapsed/);
    expect(() => flattenForDisplay(m, { filter: new Uint8Array(5) })).toThrow(/filter/);
    expect(() => flattenForDisplay({} as never)).toThrow(/model/);
  });
});

describe('exact nanoseconds', () => {
  it('writes any int64 nanosecond value exactly without BigInt arithmetic', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 9223372036854775807n }), (value) => {
        expect(readNanos(value.toString())).toBe(true);
        const column = new BigInt64Array(2);
        writeEpochNanos(new Uint32Array(column.buffer), 1, timeRegister.seconds, timeRegister.nanos);
        expect(column[1]).toBe(value);
      }),
      { numRuns: 2000 },
    );
    expect(readNanos('9223372036854775808')).toBe(false);
    expect(readNanos('-1')).toBe(false);
    expect(readNanos('12a')).toBe(false);
    expect(readNanos(1.5)).toBe(false);
    expect(readNanos({ low: 1, high: 1 })).toBe(true);
    expect(timeRegister.seconds * 1e9 + timeRegister.nanos).toBe(2 ** 32 + 1);
  });
});

describe('malformed documents never throw anything but a VigilError', () => {
  const junk = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.constant('NaN'),
    fc.constant('99999999999999999999999999'),
    fc.constant(''),
    fc.constant(-1),
    fc.constant(Number.NaN),
    fc.constant(1e308),
    fc.constant({}),
    fc.constant([]),
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constantFrom('0000000000000001', '00000000000000000000000000000001', 'AAAAAAAAAAE=', '0000000000000002', 'SPAN_KIND_CLIENT', 'STATUS_CODE_ERROR', '__proto__', 'constructor'),
  );
  const field = (names: string[]) => fc.dictionary(fc.constantFrom(...names), fc.oneof(junk, fc.array(junk, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), junk, { maxKeys: 3 })), { maxKeys: names.length });
  const otlpSpanJunk = field(['traceId', 'spanId', 'parentSpanId', 'name', 'kind', 'startTimeUnixNano', 'endTimeUnixNano', 'attributes', 'events', 'links', 'status']);
  const otlpJunk = fc.oneof(
    junk,
    fc.record({ resourceSpans: fc.oneof(junk, fc.array(fc.oneof(junk, fc.record({ resource: fc.oneof(junk, fc.record({ attributes: fc.oneof(junk, fc.array(junk)) })), scopeSpans: fc.oneof(junk, fc.array(fc.oneof(junk, fc.record({ spans: fc.oneof(junk, fc.array(fc.oneof(junk, otlpSpanJunk), { maxLength: 8 })) })))) })), { maxLength: 3 })) }),
  );
  const jaegerJunk = fc.record({ data: fc.oneof(junk, fc.array(fc.record({ traceID: junk, processes: fc.oneof(junk, fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(junk, fc.record({ serviceName: junk })))), spans: fc.oneof(junk, fc.array(fc.oneof(junk, field(['traceID', 'spanID', 'parentSpanID', 'operationName', 'references', 'startTime', 'duration', 'tags', 'logs', 'processID'])), { maxLength: 8 })) }), { maxLength: 2 })) });
  const zipkinJunk = fc.oneof(junk, fc.array(fc.oneof(junk, field(['traceId', 'id', 'parentId', 'name', 'kind', 'timestamp', 'duration', 'localEndpoint', 'remoteEndpoint', 'annotations', 'tags', 'shared'])), { maxLength: 10 }));

  it('parses or rejects with a VigilError; the model is always a complete tree; details decode', () => {
    fc.assert(
      fc.property(fc.oneof(otlpJunk.map((body) => ['otlp-json', body] as const), jaegerJunk.map((body) => ['jaeger-json', body] as const), zipkinJunk.map((body) => ['zipkin-v2-json', body] as const)), fc.boolean(), ([format, body], skew) => {
        let m: TraceModel;
        try {
          m = parseTrace({ format, body }, { adjustClockSkew: skew });
        } catch (error) {
          expect(error).toBeInstanceOf(VigilError);
          return;
        }
        detectTraceFormat(body);
        expectCompleteTree(m);
        const path = criticalPath(m);
        expect(path.totalNs).toBeLessThanOrEqual(m.traceDurationNs);
        const self = selfTimes(m);
        for (let i = 0; i < m.spanCount; i++) {
          expect(m.durationNs[i]!).toBeGreaterThanOrEqual(0);
          expect(self[i]!).toBeGreaterThanOrEqual(0);
          expect(m.endNs[i]! >= m.startNs[i]!).toBe(true);
          spanDetails(m, i);
        }
      }),
      { numRuns: 400 },
    );
  });
});

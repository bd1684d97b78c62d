/**
 * Oracle: the real OpenTelemetry JS SDK. Spans are created with `@opentelemetry/sdk-trace-base` (in-memory
 * exporter), serialised to OTLP/JSON by `@opentelemetry/otlp-transformer`'s JSON serializer (what the OTLP/HTTP JSON
 * exporter sends), parsed by Vigil, and every field is compared with the SDK's own ReadableSpan.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { context, trace, SpanKind as ApiSpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Attributes, HrTime, Link } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { parseTrace } from './parse';
import { spanDetails, spanIndexOf } from './model';
import { criticalPath, selfTimes } from './critical-path';
import { serviceStats } from './stats';
import { SPAN_KIND_NAMES, STATUS_NAMES } from './types';
import type { AttributeValue, SpanAttribute, TraceModel } from './types';

const nanos = (t: HrTime): bigint => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

function setup(service: string) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'deployment.environment': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return { exporter, provider, tracer: provider.getTracer('vigil-oracle', '1.2.3') };
}

/** What the SDK's exporter would POST, parsed as JSON (ids hex, times decimal strings). */
function toOtlpJson(spans: ReadableSpan[]): unknown {
  const bytes = JsonTraceSerializer.serializeRequest(spans);
  if (bytes === undefined) throw new Error('serializer returned nothing');
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** The SDK's attribute map as Vigil's attribute list. */
function expectedAttributes(attributes: Attributes): SpanAttribute[] {
  return Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([key, value]) => ({ key, value: (Array.isArray(value) ? [...value] : value) as AttributeValue }));
}

function expectRoundTrip(model: TraceModel, spans: ReadableSpan[], service: string): void {
  expect(model.spanCount).toBe(spans.length);
  expect(model.warnings).toEqual([]);
  for (const span of spans) {
    const ctx = span.spanContext();
    const i = spanIndexOf(model, ctx.spanId);
    expect(i).toBeGreaterThanOrEqual(0);
    const d = spanDetails(model, i);
    expect(d.traceId).toBe(ctx.traceId);
    expect(d.spanId).toBe(ctx.spanId);
    expect(d.parentSpanId).toBe(span.parentSpanContext?.spanId ?? '');
    expect(d.name).toBe(span.name);
    expect(d.service).toBe(service);
    expect(d.kind).toBe(SPAN_KIND_NAMES[span.kind + 1]);
    expect(d.status).toBe(STATUS_NAMES[span.status.code]);
    expect(d.statusMessage).toBe(span.status.message ?? '');
    expect(d.startNs).toBe(nanos(span.startTime));
    expect(d.endNs).toBe(nanos(span.endTime));
    expect(model.startNs[i]).toBe(nanos(span.startTime));
    expect(model.durationNs[i]).toBe(Number(nanos(span.endTime) - nanos(span.startTime)));
    expect(d.attributes).toEqual(expectedAttributes(span.attributes));
    expect(d.resource).toEqual(expectedAttributes(span.resource.attributes));
    expect(d.scope).toEqual({ name: span.instrumentationScope.name, version: span.instrumentationScope.version ?? '' });
    expect(d.events).toEqual(span.events.map((e) => ({ name: e.name, timeNs: nanos(e.time), attributes: expectedAttributes(e.attributes ?? {}) })));
    expect(d.links).toEqual(
      span.links.map((l) => ({
        traceId: l.context.traceId,
        spanId: l.context.spanId,
        attributes: expectedAttributes(l.attributes ?? {}),
        ...(l.context.traceState ? { traceState: l.context.traceState.serialize() } : {}),
      })),
    );
    const parent = span.parentSpanContext?.spanId;
    expect(model.parent[i]).toBe(parent === undefined ? -1 : spanIndexOf(model, parent));
  }
  expect(detailProblems(model)).toEqual([]);
}

function detailProblems(model: TraceModel): string[] {
  const out: string[] = [];
  for (let i = 0; i < model.spanCount; i++) out.push(...spanDetails(model, i).problems);
  return out;
}

describe('round trip through the OpenTelemetry JS SDK and its OTLP/JSON serializer', () => {
  it('keeps ids, exact nanosecond times, attributes, events, links, status and kind', async () => {
    const { exporter, provider, tracer } = setup('checkout');
    const t0: HrTime = [1_700_000_000, 123_456_789];
    const at = (deltaNs: number): HrTime => {
      const total = t0[1] + deltaNs;
      return [t0[0] + Math.floor(total / 1e9), total % 1e9];
    };
    const root = tracer.startSpan('POST /checkout', { kind: ApiSpanKind.SERVER, startTime: t0, attributes: { 'http.method': 'POST', 'http.status_code': 500, ratio: 0.25, cached: false, tags: ['a', 'b'], sizes: [1, 2, 3] } });
    const rootCtx = trace.setSpan(context.active(), root);
    const other = tracer.startSpan('background', { startTime: at(1) }, rootCtx);
    other.end(at(2));
    const link: Link = { context: other.spanContext(), attributes: { reason: 'batched' } };
    const child = tracer.startSpan('SELECT orders', { kind: ApiSpanKind.CLIENT, startTime: at(1_001), links: [link], attributes: { 'db.system': 'postgresql' } }, rootCtx);
    child.addEvent('retry', { attempt: 2 }, at(5_007));
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'deadlock detected' });
    child.end(at(900_003));
    const grandchild = tracer.startSpan('decode', { startTime: at(200_000) }, trace.setSpan(rootCtx, child));
    grandchild.end(at(300_001));
    root.setStatus({ code: SpanStatusCode.OK });
    root.end(at(1_000_000_011));
    await provider.forceFlush();
    const spans = exporter.getFinishedSpans();
    expect(spans.length).toBe(4);
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
    const body = toOtlpJson(spans);
    const model = parseTrace({ format: 'otlp-json', body });
    expectRoundTrip(model, spans, 'checkout');
    // sub-microsecond digits survive (a JS number of epoch ns would lose them)
    expect(model.startNs[spanIndexOf(model, root.spanContext().spanId)]).toBe(1_700_000_000_123_456_789n);
    // and the analyses agree with the SDK's own numbers
    const rootIndex = spanIndexOf(model, root.spanContext().spanId);
    expect(criticalPath(model, { root: rootIndex }).totalNs).toBe(1_000_000_011);
    const self = selfTimes(model);
    expect(self[spanIndexOf(model, child.spanContext().spanId)]).toBe(900_003 - 1_001 - (300_001 - 200_000));
    expect(serviceStats(model)[0]!.spanCount).toBe(4);
    await provider.shutdown();
  });

  it('round-trips random SDK traces', async () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9._]{0,11}$/);
    const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: -1e9, max: 1e9 }), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x)), fc.boolean());
    const attrValue = fc.oneof(scalar, fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), fc.array(fc.integer(), { maxLength: 3 }));
    const spanArb = fc.record({
      parentPick: fc.nat(1000),
      name: fc.string({ minLength: 1, maxLength: 16 }),
      kind: fc.integer({ min: 0, max: 4 }),
      startNs: fc.integer({ min: 0, max: 5e9 }),
      lengthNs: fc.integer({ min: 0, max: 5e9 }),
      attributes: fc.dictionary(key, attrValue, { maxKeys: 4 }),
      event: fc.option(fc.record({ name: fc.string({ maxLength: 8 }), offset: fc.nat(1000), attributes: fc.dictionary(key, scalar, { maxKeys: 2 }) }), { nil: undefined }),
      status: fc.constantFrom(SpanStatusCode.UNSET, SpanStatusCode.OK, SpanStatusCode.ERROR),
      message: fc.string({ maxLength: 10 }),
      linkPick: fc.option(fc.nat(1000), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(spanArb, { minLength: 1, maxLength: 12 }), fc.constantFrom('api', 'svc-β', ''), async (rows, service) => {
        const { exporter, provider, tracer } = setup(service);
        const created: ReturnType<typeof tracer.startSpan>[] = [];
        const base = 1_600_000_000;
        const hr = (ns: number): HrTime => [base + Math.floor(ns / 1e9), ns % 1e9];
        rows.forEach((r, i) => {
          const parent = i === 0 ? undefined : created[r.parentPick % i];
          const ctx = parent === undefined ? context.active() : trace.setSpan(context.active(), parent);
          const links: Link[] = r.linkPick !== undefined && i > 0 ? [{ context: created[r.linkPick % i]!.spanContext() }] : [];
          const span = tracer.startSpan(r.name, { kind: r.kind, startTime: hr(r.startNs), attributes: r.attributes, links }, ctx);
          if (r.event) span.addEvent(r.event.name, r.event.attributes, hr(r.startNs + r.event.offset));
          if (r.status !== SpanStatusCode.UNSET) span.setStatus(r.status === SpanStatusCode.ERROR ? { code: r.status, message: r.message } : { code: r.status });
          created.push(span);
        });
        rows.forEach((r, i) => created[i]!.end(hr(r.startNs + r.lengthNs)));
        await provider.forceFlush();
        const spans = exporter.getFinishedSpans();
        const model = parseTrace({ format: 'otlp-json', body: toOtlpJson(spans) });
        expectRoundTrip(model, spans, service === '' ? '' : service);
        await provider.shutdown();
      }),
      { numRuns: 60 },
    );
  });
});

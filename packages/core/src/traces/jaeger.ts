import { ValidationError } from '../errors';
import { decodeJaegerTags } from './attributes';
import { baseDetails, beginSpan, found, isObject, readParseOptions } from './common';
import { idRegister, idToHex, normaliseTraceId, readSpanId } from './ids';
import { SpanTableBuilder, finishModel, stagedId } from './model';
import { addToRegister, readMicros, timeRegister, toBigIntNanos } from './time';
import { SpanFlag, SpanKind, StatusCode } from './types';
import type { ParseTraceOptions, SpanAttribute, SpanEvent, SpanLink, TraceModel } from './types';

const JAEGER_KINDS: Record<string, number> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
  internal: SpanKind.INTERNAL,
};

interface JaegerContext {
  readonly processes: Record<string, unknown> | undefined;
}

/** The trace objects of a Jaeger JSON document: `{ data: [...] }`, one trace, or an array of traces. */
function collectTraces(body: unknown): Array<{ trace: Record<string, unknown>; path: string }> | undefined {
  if (isObject(body) && 'data' in body) {
    const data = body.data;
    if (Array.isArray(data)) return data.flatMap((t, i) => (isObject(t) ? [{ trace: t, path: `data[${i}]` }] : []));
    if (isObject(data) && Array.isArray(data.spans)) return [{ trace: data, path: 'data' }];
    if (data === null) return [];
    throw new ValidationError('data', 'an array of Jaeger traces', data, 'INVALID_DATA');
  }
  if (isObject(body) && Array.isArray(body.spans)) return [{ trace: body, path: '' }];
  if (Array.isArray(body) && body.every((t) => isObject(t) && Array.isArray(t.spans))) return body.map((t, i) => ({ trace: t as Record<string, unknown>, path: `[${i}]` }));
  return undefined;
}

/** Tags that carry kind and status in Jaeger (OpenTracing and OpenTelemetry conventions). */
function scanTags(tags: unknown, st: { kind: number; status: number }): void {
  if (!Array.isArray(tags)) return;
  for (let t = 0; t < tags.length; t++) {
    const tag = tags[t] as { key?: unknown; value?: unknown } | null;
    if (tag === null || typeof tag !== 'object') continue;
    const key = tag.key;
    if (key === 'error') {
      if (tag.value === true || tag.value === 'true') st.status = StatusCode.ERROR;
    } else if (key === 'span.kind') {
      const kind = typeof tag.value === 'string' ? JAEGER_KINDS[tag.value.toLowerCase()] : undefined;
      if (kind !== undefined) st.kind = kind;
    } else if (key === 'otel.status_code') {
      const v = typeof tag.value === 'string' ? tag.value.toUpperCase() : '';
      if (v === 'ERROR') st.status = StatusCode.ERROR;
      else if (v === 'OK' && st.status !== StatusCode.ERROR) st.status = StatusCode.OK;
    }
  }
}

/**
 * Parses Jaeger JSON (the query API's `{ data: [trace] }`, one trace `{ traceID, spans, processes }`, or an array of
 * traces) into a TraceModel. Times are microseconds. The parent is the first CHILD_OF reference in the same trace,
 * else the first FOLLOWS_FROM (flagged), else the legacy `parentSpanID`; every other reference is kept as a link.
 * Kind and status come from the `span.kind`, `error` and `otel.status_code` tags.
 *
 * @example
 * const model = parseJaegerTrace(await (await fetch(`/api/traces/${id}`)).json());
 */
export function parseJaegerTrace(body: unknown, options?: ParseTraceOptions): TraceModel {
  const { adjustClockSkew, warnings } = readParseOptions(options);
  const traces = collectTraces(body);
  if (traces === undefined) throw new ValidationError('body', 'Jaeger JSON: { data: [{ traceID, spans, processes }] }', body, 'INVALID_DATA');
  let expected = 0;
  for (const { trace } of traces) expected += Array.isArray(trace.spans) ? trace.spans.length : 0;
  const b = new SpanTableBuilder(expected, warnings);
  const contexts: JaegerContext[] = [];
  /** Per span: the index of the reference used as parent (−1 none). */
  const parentReference: number[] = [];

  for (const { trace, path } of traces) {
    const prefix = path === '' ? '' : `${path}.`;
    const processes = isObject(trace.processes) ? trace.processes : undefined;
    if (trace.processes !== undefined && processes === undefined) warnings.add('INVALID_FIELD', undefined, `processes: expected an object, received ${found(trace.processes)}`, `${prefix}processes`);
    contexts.push({ processes });
    const context = b.addContext(`${prefix}spans`);
    const serviceByProcess = new Map<string, number>();
    const spans = trace.spans;
    if (!Array.isArray(spans)) {
      warnings.add('INVALID_CONTAINER', undefined, `expected an array of spans, received ${found(spans)}; skipped`, `${prefix}spans`);
      continue;
    }
    const traceLevelId = normaliseTraceId(trace.traceID, false);
    for (let k = 0; k < spans.length; k++) {
      const entry = spans[k];
      const spanPath = `${prefix}spans[${k}]`;
      const st = beginSpan(b, warnings, entry, k, context, spanPath, 'spanID', false);
      if (st === undefined) continue;
      const span = entry as Record<string, unknown>;

      let traceId = normaliseTraceId(span.traceID, false);
      if (traceId === undefined || traceId === '') traceId = traceLevelId;
      if (traceId === undefined || traceId === '') {
        warnings.add('INVALID_TRACE_ID', stagedId(st), `traceID ${found(span.traceID)} unusable; the document's trace id is used`, `${spanPath}.traceID`);
        st.traceIndex = -1;
      } else st.traceIndex = b.traceIds.intern(traceId);

      // parent: first CHILD_OF in this trace, else first FOLLOWS_FROM, else parentSpanID
      let chosen = -1;
      let chosenFollows = false;
      const refs = span.references;
      if (Array.isArray(refs)) {
        for (let r = 0; r < refs.length; r++) {
          const ref = refs[r] as { refType?: unknown; traceID?: unknown; spanID?: unknown } | null;
          if (!isObject(ref)) {
            warnings.add('INVALID_FIELD', stagedId(st), `reference: expected an object, received ${found(ref)}`, `${spanPath}.references[${r}]`);
            continue;
          }
          const refTrace = normaliseTraceId(ref.traceID, false);
          if (refTrace !== undefined && refTrace !== '' && traceId !== undefined && refTrace !== traceId) continue; // another trace: a link
          const type = typeof ref.refType === 'string' ? ref.refType.toUpperCase() : 'CHILD_OF';
          if (type === 'CHILD_OF' && (chosen < 0 || chosenFollows)) {
            if (readSpanId(ref.spanID, false) === 1) {
              chosen = r;
              chosenFollows = false;
            }
          } else if (type === 'FOLLOWS_FROM' && chosen < 0) {
            if (readSpanId(ref.spanID, false) === 1) {
              chosen = r;
              chosenFollows = true;
            }
          }
        }
      } else if (refs !== undefined && refs !== null) {
        warnings.add('INVALID_FIELD', stagedId(st), `references: expected an array, received ${found(refs)}`, `${spanPath}.references`);
      }
      if (chosen >= 0) {
        readSpanId((refs as Array<{ spanID: unknown }>)[chosen]!.spanID, false);
        st.parentState = 1;
        st.parentHigh = idRegister.high;
        st.parentLow = idRegister.low;
        if (chosenFollows) st.flags |= SpanFlag.FOLLOWS_FROM;
      } else if (span.parentSpanID !== undefined) {
        const p = readSpanId(span.parentSpanID, false);
        if (p === 1) {
          st.parentState = 1;
          st.parentHigh = idRegister.high;
          st.parentLow = idRegister.low;
        } else if (p === -1) warnings.add('INVALID_PARENT_ID', stagedId(st), `parentSpanID invalid (${found(span.parentSpanID)}); shown as a root`, `${spanPath}.parentSpanID`);
      }

      const name = span.operationName;
      st.operation = b.operations.intern(typeof name === 'string' ? name : '');
      if (typeof name !== 'string' && name !== undefined) warnings.add('INVALID_FIELD', stagedId(st), `operationName: expected a string, received ${found(name)}`, `${spanPath}.operationName`);

      // service from the process table (or an inline process)
      let service: number | undefined;
      const pid = span.processID;
      if (typeof pid === 'string') service = serviceByProcess.get(pid);
      if (service === undefined) {
        const process = typeof pid === 'string' && processes !== undefined && Object.prototype.hasOwnProperty.call(processes, pid) ? processes[pid] : span.process;
        const serviceName = isObject(process) && typeof process.serviceName === 'string' ? process.serviceName : undefined;
        if (serviceName === undefined) warnings.add('INVALID_FIELD', stagedId(st), `no process with a serviceName for processID ${found(pid)}; service "unknown"`, `${spanPath}.processID`);
        service = b.services.intern(serviceName ?? 'unknown');
        if (typeof pid === 'string' && serviceName !== undefined) serviceByProcess.set(pid, service);
      }
      st.service = service;

      if (readMicros(span.startTime)) {
        st.hasStart = true;
        st.startSeconds = timeRegister.seconds;
        st.startNanos = timeRegister.nanos;
        if (readMicros(span.duration)) {
          const ds = timeRegister.seconds;
          const dn = timeRegister.nanos;
          timeRegister.seconds = st.startSeconds;
          timeRegister.nanos = st.startNanos;
          if (addToRegister(ds, dn)) {
            st.hasEnd = true;
            st.endSeconds = timeRegister.seconds;
            st.endNanos = timeRegister.nanos;
          }
        } else if (span.duration !== undefined) {
          warnings.add('INVALID_FIELD', stagedId(st), `duration: expected microseconds >= 0, received ${found(span.duration)}`, `${spanPath}.duration`);
        }
      } else if (span.startTime !== undefined) {
        warnings.add('INVALID_FIELD', stagedId(st), `startTime: expected epoch microseconds, received ${found(span.startTime)}`, `${spanPath}.startTime`);
      }
      scanTags(span.tags, st);
      parentReference[b.n] = chosen;
      b.commit();
    }
  }

  const raws = b.raw;
  const contextOf = b.context;
  return finishModel(b, {
    format: 'jaeger-json',
    adjustClockSkew,
    decoder: (model, index) => {
      const span = raws[index] as Record<string, unknown>;
      const ctx = contexts[contextOf[index]!];
      const problems: string[] = [];
      const attributes = decodeJaegerTags(span.tags, 'tags', problems);
      const pid = span.processID;
      const process = typeof pid === 'string' && ctx?.processes !== undefined && Object.prototype.hasOwnProperty.call(ctx.processes, pid) ? ctx.processes[pid] : span.process;
      const resource: SpanAttribute[] = [];
      if (isObject(process)) {
        if (typeof process.serviceName === 'string') resource.push({ key: 'service.name', value: process.serviceName });
        resource.push(...decodeJaegerTags(process.tags, 'process.tags', problems));
      }
      const events: SpanEvent[] = [];
      if (Array.isArray(span.logs)) {
        for (let e = 0; e < span.logs.length; e++) {
          const log = span.logs[e] as unknown;
          if (!isObject(log)) {
            problems.push(`logs[${e}]: expected an object`);
            continue;
          }
          const fields = decodeJaegerTags(log.fields, `logs[${e}].fields`, problems);
          const named = fields.find((f) => f.key === 'event') ?? fields.find((f) => f.key === 'message');
          const timeNs = readMicros(log.timestamp) ? toBigIntNanos(timeRegister.seconds, timeRegister.nanos) : undefined;
          if (timeNs === undefined) problems.push(`logs[${e}].timestamp: expected epoch microseconds`);
          events.push({ name: typeof named?.value === 'string' ? named.value : 'log', timeNs, attributes: fields });
        }
      }
      const links: SpanLink[] = [];
      const refs = span.references;
      if (Array.isArray(refs)) {
        for (let r = 0; r < refs.length; r++) {
          if (r === parentReference[index]) continue;
          const ref = refs[r] as unknown;
          if (!isObject(ref)) continue;
          const spanState = readSpanId(ref.spanID, false);
          const type = typeof ref.refType === 'string' && ref.refType.toUpperCase() === 'FOLLOWS_FROM' ? 'FOLLOWS_FROM' : 'CHILD_OF';
          links.push({
            traceId: normaliseTraceId(ref.traceID, false) ?? '',
            spanId: spanState === 1 ? idToHex(idRegister.high, idRegister.low) : '',
            attributes: [],
            referenceType: type,
          });
        }
      }
      const description = attributes.find((a) => a.key === 'otel.status_description')?.value;
      return baseDetails(model, index, { attributes, resource, events, links, statusMessage: typeof description === 'string' ? description : '', problems });
    },
  });
}

import { ValidationError } from '../errors';
import { decodeStringMap } from './attributes';
import { baseDetails, beginSpan, found, isObject, readParseOptions } from './common';
import { idRegister, normaliseTraceId, readSpanId } from './ids';
import { SpanTableBuilder, finishModel, stagedId } from './model';
import { addToRegister, readMicros, timeRegister, toBigIntNanos } from './time';
import { SpanKind, StatusCode } from './types';
import type { ParseTraceOptions, SpanAttribute, SpanEvent, TraceModel } from './types';

const ZIPKIN_KINDS: Record<string, number> = {
  CLIENT: SpanKind.CLIENT,
  SERVER: SpanKind.SERVER,
  PRODUCER: SpanKind.PRODUCER,
  CONSUMER: SpanKind.CONSUMER,
};

function endpointAttributes(endpoint: unknown, prefix: string): SpanAttribute[] {
  if (!isObject(endpoint)) return [];
  const out: SpanAttribute[] = [];
  for (const key of ['serviceName', 'ipv4', 'ipv6', 'port'] as const) {
    const v = endpoint[key];
    if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) out.push({ key: `${prefix}${key}`, value: v });
  }
  return out;
}

/**
 * Parses Zipkin v2 JSON (an array of spans, or an array of traces as `/api/v2/traces` returns) into a TraceModel.
 * Times are microseconds. A `shared` server span that reuses its client's id becomes the client's child and takes
 * over the id for its own children. A missing `timestamp` falls back to the earliest annotation, a missing
 * `duration` to the latest annotation (else zero, with a warning). `tags.error` marks an error.
 *
 * @example
 * const model = parseZipkinTrace(await (await fetch(`/api/v2/trace/${id}`)).json());
 */
export function parseZipkinTrace(body: unknown, options?: ParseTraceOptions): TraceModel {
  const { adjustClockSkew, warnings } = readParseOptions(options);
  if (!Array.isArray(body)) throw new ValidationError('body', 'Zipkin v2 JSON: an array of spans', body, 'INVALID_DATA');
  const lists: Array<{ spans: unknown[]; path: string }> = [];
  if (body.length > 0 && body.every((x) => Array.isArray(x))) body.forEach((spans: unknown[], i) => lists.push({ spans, path: `[${i}]` }));
  else lists.push({ spans: body, path: '' });
  let expected = 0;
  for (const l of lists) expected += l.spans.length;
  const b = new SpanTableBuilder(expected, warnings);

  for (const { spans, path } of lists) {
    const context = b.addContext(path);
    for (let k = 0; k < spans.length; k++) {
      const entry = spans[k];
      const spanPath = `${path}[${k}]`;
      const st = beginSpan(b, warnings, entry, k, context, spanPath, 'id', false);
      if (st === undefined) continue;
      const span = entry as Record<string, unknown>;

      const traceId = normaliseTraceId(span.traceId, false);
      if (traceId === undefined || traceId === '') {
        warnings.add('INVALID_TRACE_ID', stagedId(st), `traceId ${found(span.traceId)} unusable; the document's trace id is used`, `${spanPath}.traceId`);
        st.traceIndex = -1;
      } else st.traceIndex = b.traceIds.intern(traceId);

      const parentState = readSpanId(span.parentId, false);
      if (parentState === 1) {
        st.parentState = 1;
        st.parentHigh = idRegister.high;
        st.parentLow = idRegister.low;
      } else if (parentState === -1) warnings.add('INVALID_PARENT_ID', stagedId(st), `parentId invalid (${found(span.parentId)}); shown as a root`, `${spanPath}.parentId`);

      st.operation = b.operations.intern(typeof span.name === 'string' ? span.name : '');
      const local = span.localEndpoint;
      const serviceName = isObject(local) && typeof local.serviceName === 'string' && local.serviceName !== '' ? local.serviceName : 'unknown';
      st.service = b.services.intern(serviceName);
      if (span.kind !== undefined) {
        const kind = typeof span.kind === 'string' ? ZIPKIN_KINDS[span.kind.toUpperCase()] : undefined;
        if (kind === undefined) warnings.add('INVALID_FIELD', stagedId(st), `kind: expected CLIENT, SERVER, PRODUCER or CONSUMER, received ${found(span.kind)}`, `${spanPath}.kind`);
        else st.kind = kind;
      }
      st.shared = span.shared === true;
      if (isObject(span.tags) && Object.prototype.hasOwnProperty.call(span.tags, 'error')) st.status = StatusCode.ERROR;

      // annotations bound the span when timestamp or duration are missing
      let firstAnnotation = Infinity;
      let lastAnnotation = -Infinity;
      if (Array.isArray(span.annotations)) {
        for (const a of span.annotations) {
          const t = isObject(a) ? a.timestamp : undefined;
          if (typeof t === 'number' && Number.isFinite(t) && t >= 0) {
            if (t < firstAnnotation) firstAnnotation = t;
            if (t > lastAnnotation) lastAnnotation = t;
          }
        }
      }
      let startMicros: number | undefined;
      if (readMicros(span.timestamp)) {
        startMicros = typeof span.timestamp === 'number' ? span.timestamp : Number(span.timestamp);
      } else {
        if (span.timestamp !== undefined) warnings.add('INVALID_FIELD', stagedId(st), `timestamp: expected epoch microseconds, received ${found(span.timestamp)}`, `${spanPath}.timestamp`);
        if (firstAnnotation !== Infinity) startMicros = firstAnnotation;
      }
      if (startMicros !== undefined && readMicros(startMicros)) {
        st.hasStart = true;
        st.startSeconds = timeRegister.seconds;
        st.startNanos = timeRegister.nanos;
        let durationOk = readMicros(span.duration);
        if (!durationOk) {
          if (span.duration !== undefined) warnings.add('INVALID_FIELD', stagedId(st), `duration: expected microseconds >= 0, received ${found(span.duration)}`, `${spanPath}.duration`);
          if (lastAnnotation > startMicros) durationOk = readMicros(lastAnnotation - startMicros);
        }
        if (durationOk) {
          const ds = timeRegister.seconds;
          const dn = timeRegister.nanos;
          timeRegister.seconds = st.startSeconds;
          timeRegister.nanos = st.startNanos;
          if (addToRegister(ds, dn)) {
            st.hasEnd = true;
            st.endSeconds = timeRegister.seconds;
            st.endNanos = timeRegister.nanos;
          }
        }
      }
      b.commit();
    }
  }

  const raws = b.raw;
  return finishModel(b, {
    format: 'zipkin-v2-json',
    adjustClockSkew,
    decoder: (model, index) => {
      const span = raws[index] as Record<string, unknown>;
      const problems: string[] = [];
      const attributes = [...decodeStringMap(span.tags, 'tags', problems), ...endpointAttributes(span.remoteEndpoint, 'remoteEndpoint.')];
      const resource = endpointAttributes(span.localEndpoint, 'localEndpoint.');
      const events: SpanEvent[] = [];
      if (Array.isArray(span.annotations)) {
        for (let e = 0; e < span.annotations.length; e++) {
          const a = span.annotations[e] as unknown;
          if (!isObject(a)) {
            problems.push(`annotations[${e}]: expected an object`);
            continue;
          }
          const timeNs = readMicros(a.timestamp) ? toBigIntNanos(timeRegister.seconds, timeRegister.nanos) : undefined;
          if (timeNs === undefined) problems.push(`annotations[${e}].timestamp: expected epoch microseconds`);
          events.push({ name: typeof a.value === 'string' ? a.value : '', timeNs, attributes: [] });
        }
      }
      const error = isObject(span.tags) ? span.tags.error : undefined;
      return baseDetails(model, index, { attributes, resource, events, links: [], statusMessage: typeof error === 'string' ? error : '', problems });
    },
  });
}

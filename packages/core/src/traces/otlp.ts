import { ValidationError } from '../errors';
import { decodeOtlpAttributes, findOtlpStringAttribute } from './attributes';
import { baseDetails, beginSpan, found, isObject, readParseOptions } from './common';
import { idRegister, idToHex, normaliseTraceId, readSpanId } from './ids';
import { SpanTableBuilder, finishModel, stagedId } from './model';
import { readNanos, timeRegister, toBigIntNanos } from './time';
import type { ParseTraceOptions, SpanEvent, SpanLink, TraceModel } from './types';

const KIND_NAMES: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
  CONSUMER: 5,
};
const STATUS_CODE_NAMES: Record<string, number> = {
  STATUS_CODE_UNSET: 0,
  UNSET: 0,
  STATUS_CODE_OK: 1,
  OK: 1,
  STATUS_CODE_ERROR: 2,
  ERROR: 2,
};

/** Reads an OTLP enum given as an integer, a numeric string or a name (any case). −1 when unusable. */
export function readEnum(value: unknown, names: Record<string, number>, max: number): number {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= max ? value : -1;
  if (typeof value === 'string') {
    const named = names[value.toUpperCase()];
    if (named !== undefined && Object.prototype.hasOwnProperty.call(names, value.toUpperCase())) return named;
    if (/^\d+$/.test(value)) return readEnum(Number(value), names, max);
  }
  return -1;
}

export const readSpanKind = (value: unknown): number => readEnum(value, KIND_NAMES, 5);
export const readStatusCode = (value: unknown): number => readEnum(value, STATUS_CODE_NAMES, 2);

const fieldPath = (scopePath: string, k: number, field: string): string => `${scopePath}.spans[${k}].${field}`;

interface OtlpContext {
  readonly resource: Record<string, unknown> | undefined;
  readonly scope: Record<string, unknown> | undefined;
  readonly resourcePath: string;
}

/** Finds the `resourceSpans` arrays of a document: plain, Tempo `batches`, Jaeger api_v3 `result`, or an array of those. */
function collectResourceSpans(body: unknown, path: string, out: Array<{ list: unknown[]; path: string }>, warn: (message: string, path: string) => void): boolean {
  // iterative over wrappers: arrays of documents and `result` wrappers (bounded: each step goes one level down)
  const queue: Array<{ value: unknown; path: string }> = [{ value: body, path }];
  let recognised = false;
  let steps = 0;
  while (queue.length > 0) {
    const { value, path: p } = queue.shift()!;
    if (++steps > 100_000) break;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) queue.push({ value: value[i], path: `${p}[${i}]` });
      continue;
    }
    if (!isObject(value)) {
      if (p !== path) warn(`expected an OTLP document, received ${found(value)}; skipped`, p);
      continue;
    }
    const prefix = p === '' ? '' : `${p}.`;
    let matched = false;
    for (const key of ['resourceSpans', 'batches'] as const) {
      if (!(key in value)) continue;
      matched = true;
      const list = value[key];
      if (Array.isArray(list)) {
        out.push({ list, path: `${prefix}${key}` });
        recognised = true;
      } else if (list !== null && list !== undefined) {
        throw new ValidationError(`${prefix}${key}`, 'an array of ResourceSpans', list, 'INVALID_DATA');
      } else recognised = true;
    }
    if (!matched && 'result' in value) {
      queue.push({ value: value.result, path: `${prefix}result` });
      continue;
    }
    if (!matched && p !== path) warn('expected resourceSpans, batches or result; skipped', p);
  }
  return recognised;
}

/**
 * Parses an OTLP/JSON trace (an `ExportTraceServiceRequest`, a Tempo response with `batches`, a Jaeger api_v3
 * `{ result: { resourceSpans } }`, or an array of those) into a columnar TraceModel. Ids may be hex (either case)
 * or base64; times int64 nanoseconds as decimal strings (kept exact) or numbers; enums integers or names. Bad spans
 * are repaired or dropped with a warning naming their path; only a document with no recognisable container throws
 * (ValidationError with code INVALID_DATA).
 *
 * @example
 * const model = parseOtlpTrace(await (await fetch(`/api/traces/${id}`)).json());
 * model.spanCount; model.services; model.warnings;
 */
export function parseOtlpTrace(body: unknown, options?: ParseTraceOptions): TraceModel {
  const { adjustClockSkew, warnings } = readParseOptions(options);
  const containers: Array<{ list: unknown[]; path: string }> = [];
  const recognised = collectResourceSpans(body, '', containers, (message, path) => warnings.add('INVALID_CONTAINER', undefined, message, path));
  if (!recognised) {
    throw new ValidationError('body', 'an OTLP/JSON trace: { resourceSpans }, { batches } or { result: { resourceSpans } }', body, 'INVALID_DATA');
  }

  // count spans first, to size the columns once
  let expected = 0;
  for (const { list } of containers) {
    for (const rs of list) {
      if (!isObject(rs)) continue;
      const scopes = rs.scopeSpans ?? rs.instrumentationLibrarySpans;
      if (!Array.isArray(scopes)) continue;
      for (const ss of scopes) if (isObject(ss) && Array.isArray(ss.spans)) expected += ss.spans.length;
    }
  }

  const b = new SpanTableBuilder(expected, warnings);
  const contexts: OtlpContext[] = [];
  // consecutive spans nearly always share the trace id: normalise it once
  let lastRawTraceId: unknown;
  let lastTraceId: string | undefined = '';
  let lastTraceIndex = -1;

  for (const { list, path: listPath } of containers) {
    for (let r = 0; r < list.length; r++) {
      const rs = list[r];
      const rsPath = `${listPath}[${r}]`;
      if (!isObject(rs)) {
        warnings.add('INVALID_CONTAINER', undefined, `expected a ResourceSpans object, received ${found(rs)}; skipped`, rsPath);
        continue;
      }
      const resource = isObject(rs.resource) ? rs.resource : undefined;
      const serviceName = findOtlpStringAttribute(resource?.attributes, 'service.name') ?? 'unknown_service';
      const service = b.services.intern(serviceName);
      const scopeKey = 'scopeSpans' in rs ? 'scopeSpans' : 'instrumentationLibrarySpans';
      const scopes = rs[scopeKey];
      if (scopes === undefined || scopes === null) continue;
      if (!Array.isArray(scopes)) {
        warnings.add('INVALID_CONTAINER', undefined, `expected an array, received ${found(scopes)}; skipped`, `${rsPath}.${scopeKey}`);
        continue;
      }
      for (let s = 0; s < scopes.length; s++) {
        const ss = scopes[s];
        const ssPath = `${rsPath}.${scopeKey}[${s}]`;
        if (!isObject(ss)) {
          warnings.add('INVALID_CONTAINER', undefined, `expected a ScopeSpans object, received ${found(ss)}; skipped`, ssPath);
          continue;
        }
        const spans = ss.spans;
        if (spans === undefined || spans === null) continue;
        if (!Array.isArray(spans)) {
          warnings.add('INVALID_CONTAINER', undefined, `expected an array of spans, received ${found(spans)}; skipped`, `${ssPath}.spans`);
          continue;
        }
        const scopeValue = ss.scope ?? ss.instrumentationLibrary;
        contexts.push({ resource, scope: isObject(scopeValue) ? scopeValue : undefined, resourcePath: `${rsPath}.resource` });
        const context = b.addContext(`${ssPath}.spans`);
        for (let k = 0; k < spans.length; k++) {
          const entry = spans[k];
          const st = beginSpan(b, warnings, entry, k, context, `${ssPath}.spans[${k}]`, 'spanId', true);
          if (st === undefined) continue;
          const span = entry as Record<string, unknown>;
          st.service = service;

          const rawTraceId = span.traceId;
          const traceId: string | undefined = rawTraceId === lastRawTraceId && lastRawTraceId !== undefined ? lastTraceId : normaliseTraceId(rawTraceId, true);
          if (traceId !== lastTraceId || rawTraceId !== lastRawTraceId) {
            lastRawTraceId = rawTraceId;
            lastTraceId = traceId;
            lastTraceIndex = traceId === undefined || traceId === '' ? -1 : b.traceIds.intern(traceId);
          }
          if (traceId === undefined || traceId === '') {
            warnings.add('INVALID_TRACE_ID', stagedId(st), `trace id ${traceId === '' ? 'missing or zero' : `invalid (${found(span.traceId)})`}; the document's trace id is used`, fieldPath(ssPath, k, 'traceId'));
            st.traceIndex = -1;
          } else st.traceIndex = lastTraceIndex;

          const parentState = readSpanId(span.parentSpanId, true);
          if (parentState === 1) {
            st.parentState = 1;
            st.parentHigh = idRegister.high;
            st.parentLow = idRegister.low;
          } else if (parentState === -1) {
            warnings.add('INVALID_PARENT_ID', stagedId(st), `parent id invalid (${found(span.parentSpanId)}); shown as a root`, fieldPath(ssPath, k, 'parentSpanId'));
          }

          const name = span.name;
          if (typeof name === 'string') st.operation = b.operations.intern(name);
          else {
            st.operation = b.operations.intern('');
            if (name !== undefined) warnings.add('INVALID_FIELD', stagedId(st), `name: expected a string, received ${found(name)}`, fieldPath(ssPath, k, 'name'));
          }

          if (span.kind !== undefined) {
            const kind = readSpanKind(span.kind);
            if (kind < 0) warnings.add('INVALID_FIELD', stagedId(st), `kind: expected 0-5 or a SPAN_KIND_* name, received ${found(span.kind)}`, fieldPath(ssPath, k, 'kind'));
            else st.kind = kind;
          }

          if (readNanos(span.startTimeUnixNano)) {
            st.hasStart = true;
            st.startSeconds = timeRegister.seconds;
            st.startNanos = timeRegister.nanos;
          } else if (span.startTimeUnixNano !== undefined) {
            warnings.add('INVALID_FIELD', stagedId(st), `startTimeUnixNano: expected int64 nanoseconds, received ${found(span.startTimeUnixNano)}`, fieldPath(ssPath, k, 'startTimeUnixNano'));
          }
          if (readNanos(span.endTimeUnixNano)) {
            st.hasEnd = true;
            st.endSeconds = timeRegister.seconds;
            st.endNanos = timeRegister.nanos;
          } else if (span.endTimeUnixNano !== undefined) {
            warnings.add('INVALID_FIELD', stagedId(st), `endTimeUnixNano: expected int64 nanoseconds, received ${found(span.endTimeUnixNano)}`, fieldPath(ssPath, k, 'endTimeUnixNano'));
          }

          const status = span.status;
          if (isObject(status)) {
            if (status.code !== undefined) {
              const code = readStatusCode(status.code);
              if (code < 0) warnings.add('INVALID_FIELD', stagedId(st), `status.code: expected 0-2 or a STATUS_CODE_* name, received ${found(status.code)}`, fieldPath(ssPath, k, 'status.code'));
              else st.status = code;
            }
          } else if (status !== undefined && status !== null) {
            warnings.add('INVALID_FIELD', stagedId(st), `status: expected an object, received ${found(status)}`, fieldPath(ssPath, k, 'status'));
          }
          b.commit();
        }
      }
    }
  }

  const raws = b.raw;
  const contextOf = b.context;
  return finishModel(b, {
    format: 'otlp-json',
    adjustClockSkew,
    decoder: (model, index) => {
      const span = raws[index] as Record<string, unknown>;
      const ctx = contexts[contextOf[index]!];
      const problems: string[] = [];
      const attributes = decodeOtlpAttributes(span.attributes, 'attributes', problems);
      const resource = decodeOtlpAttributes(ctx?.resource?.attributes, 'resource.attributes', problems);
      const events: SpanEvent[] = [];
      if (Array.isArray(span.events)) {
        for (let e = 0; e < span.events.length; e++) {
          const event = span.events[e] as unknown;
          if (!isObject(event)) {
            problems.push(`events[${e}]: expected an object`);
            continue;
          }
          const timeNs = readNanos(event.timeUnixNano) ? toBigIntNanos(timeRegister.seconds, timeRegister.nanos) : undefined;
          if (timeNs === undefined) problems.push(`events[${e}].timeUnixNano: expected int64 nanoseconds`);
          events.push({ name: typeof event.name === 'string' ? event.name : '', timeNs, attributes: decodeOtlpAttributes(event.attributes, `events[${e}].attributes`, problems) });
        }
      } else if (span.events !== undefined) problems.push('events: expected an array');
      const links: SpanLink[] = [];
      if (Array.isArray(span.links)) {
        for (let l = 0; l < span.links.length; l++) {
          const link = span.links[l] as unknown;
          if (!isObject(link)) {
            problems.push(`links[${l}]: expected an object`);
            continue;
          }
          const traceId = normaliseTraceId(link.traceId, true) ?? '';
          const idState = readSpanId(link.spanId, true);
          if (traceId === '' || idState !== 1) problems.push(`links[${l}]: invalid trace or span id`);
          const item: SpanLink = {
            traceId,
            spanId: idState === 1 ? idToHex(idRegister.high, idRegister.low) : '',
            attributes: decodeOtlpAttributes(link.attributes, `links[${l}].attributes`, problems),
            ...(typeof link.traceState === 'string' ? { traceState: link.traceState } : {}),
          };
          links.push(item);
        }
      } else if (span.links !== undefined) problems.push('links: expected an array');
      const status = isObject(span.status) ? span.status : undefined;
      const scope = ctx?.scope;
      return baseDetails(model, index, {
        attributes,
        resource,
        events,
        links,
        statusMessage: typeof status?.message === 'string' ? status.message : '',
        problems,
        ...(scope === undefined ? {} : { scope: { name: typeof scope.name === 'string' ? scope.name : '', version: typeof scope.version === 'string' ? scope.version : '' } }),
        ...(typeof span.traceState === 'string' && span.traceState !== '' ? { traceState: span.traceState } : {}),
      });
    },
  });
}

import { ValidationError } from '../errors';
import type { TracePayload } from '../source';
import { isObject } from './common';
import { parseJaegerTrace } from './jaeger';
import { parseOtlpTrace } from './otlp';
import type { ParseTraceOptions, TraceFormat, TraceModel } from './types';
import { parseZipkinTrace } from './zipkin';

/**
 * Parses a trace as a data source returned it (`{ format, body }`) into the columnar model, dispatching on `format`.
 * Throws a ValidationError (`payload.format`, or INVALID_DATA on `body`) only when the whole document is unusable;
 * individual bad spans are repaired or dropped and reported in `model.warnings`.
 *
 * @example
 * const model = parseTrace(await source.getTrace(traceId));
 * model.spanCount; // 1234
 * criticalPath(model).segmentCount;
 */
export function parseTrace(payload: TracePayload, options?: ParseTraceOptions): TraceModel {
  if (!isObject(payload)) throw new ValidationError('payload', 'a TracePayload { format, body }', payload);
  switch (payload.format) {
    case 'otlp-json':
      return parseOtlpTrace(payload.body, options);
    case 'jaeger-json':
      return parseJaegerTrace(payload.body, options);
    case 'zipkin-v2-json':
      return parseZipkinTrace(payload.body, options);
    default:
      throw new ValidationError('payload.format', "'otlp-json', 'jaeger-json' or 'zipkin-v2-json'", (payload as { format?: unknown }).format);
  }
}

/**
 * Guesses the wire format of a parsed JSON trace document from its shape, or undefined when it looks like none.
 * OTLP: `resourceSpans`, `batches` or `result`. Jaeger: `data` of traces with `spans`, or `{ spans, processes }`.
 * Zipkin v2: an array of spans with `traceId` and `id` (or an array of such arrays).
 *
 * @example
 * const format = detectTraceFormat(body); // 'otlp-json'
 * if (format) parseTrace({ format, body });
 */
export function detectTraceFormat(body: unknown): TraceFormat | undefined {
  let value = body;
  if (Array.isArray(value)) {
    const first = value.find((x) => x !== null && x !== undefined);
    if (Array.isArray(first)) {
      const span = first.find((x) => isObject(x));
      return isObject(span) && ('traceId' in span || 'id' in span) ? 'zipkin-v2-json' : undefined;
    }
    if (!isObject(first)) return undefined;
    if ('traceId' in first && 'id' in first) return 'zipkin-v2-json';
    if ('spans' in first && ('processes' in first || 'traceID' in first)) return 'jaeger-json';
    value = first;
  }
  if (!isObject(value)) return undefined;
  if ('resourceSpans' in value || 'batches' in value) return 'otlp-json';
  if ('result' in value && isObject(value.result) && 'resourceSpans' in value.result) return 'otlp-json';
  if ('data' in value && Array.isArray(value.data)) {
    const first = value.data.find((x) => isObject(x));
    return first === undefined || (isObject(first) && 'spans' in first) ? 'jaeger-json' : undefined;
  }
  if ('spans' in value && ('processes' in value || 'traceID' in value)) return 'jaeger-json';
  return undefined;
}

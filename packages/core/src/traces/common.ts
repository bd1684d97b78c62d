import { describeValue } from '../errors';
import { idRegister, readSpanId } from './ids';
import { parentSpanIdOf, spanIdOf } from './model';
import type { SpanTableBuilder, StagedSpan } from './model';
import { SPAN_KIND_NAMES, STATUS_NAMES } from './types';
import type { ParseTraceOptions, SpanAttribute, SpanDetails, SpanEvent, SpanLink, TraceModel } from './types';
import { WarningCollector } from './warnings';
import { ValidationError } from '../errors';

/** The details every format shares, read from the model's columns. */
export function baseDetails(
  model: TraceModel,
  index: number,
  parts: {
    attributes: SpanAttribute[];
    resource: SpanAttribute[];
    events: SpanEvent[];
    links: SpanLink[];
    statusMessage: string;
    problems: string[];
    scope?: { name: string; version: string };
    traceState?: string;
  },
): SpanDetails {
  const startNs = model.startNs[index]!;
  const endNs = model.endNs[index]!;
  const details: SpanDetails = {
    index,
    traceId: model.traceIds[model.traceIndex[index]!] ?? '',
    spanId: spanIdOf(model, index),
    parentSpanId: parentSpanIdOf(model, index),
    name: model.operations[model.operation[index]!] ?? '',
    service: model.services[model.service[index]!] ?? '',
    kind: SPAN_KIND_NAMES[model.kind[index]!] ?? 'unspecified',
    status: STATUS_NAMES[model.status[index]!] ?? 'unset',
    statusMessage: parts.statusMessage,
    startNs,
    endNs,
    durationNs: endNs - startNs,
    attributes: parts.attributes,
    resource: parts.resource,
    events: parts.events,
    links: parts.links,
    problems: parts.problems,
    ...(parts.scope === undefined ? {} : { scope: parts.scope }),
    ...(parts.traceState === undefined ? {} : { traceState: parts.traceState }),
  };
  return details;
}

/** Validates parser options. */
export function readParseOptions(options: ParseTraceOptions | undefined): { adjustClockSkew: boolean; maxWarnings: number; warnings: WarningCollector } {
  if (options !== undefined && (options === null || typeof options !== 'object')) throw new ValidationError('options', 'an object or undefined', options);
  const adjustClockSkew = options?.adjustClockSkew ?? false;
  if (typeof adjustClockSkew !== 'boolean') throw new ValidationError('options.adjustClockSkew', 'a boolean', adjustClockSkew);
  const maxWarnings = options?.maxWarnings ?? 1000;
  if (typeof maxWarnings !== 'number' || !Number.isInteger(maxWarnings) || maxWarnings < 0) {
    throw new ValidationError('options.maxWarnings', 'an integer >= 0', maxWarnings);
  }
  return { adjustClockSkew, maxWarnings, warnings: new WarningCollector(maxWarnings) };
}

/** Short description of a bad value for warning messages. */
export function found(value: unknown): string {
  return describeValue(value);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Starts the staged span of a document's entry, the same way in every format: an entry that is not an object is
 * dropped with a warning (the result is `undefined`); otherwise its span id is read from `entry[idKey]` (hex, or
 * base64 too when `base64`), with a warning when it is missing or invalid (the builder then makes a unique one up).
 */
export function beginSpan(
  b: SpanTableBuilder,
  warnings: WarningCollector,
  entry: unknown,
  position: number,
  context: number,
  entryPath: string,
  idKey: string,
  base64: boolean,
): StagedSpan | undefined {
  if (!isObject(entry)) {
    warnings.add('INVALID_SPAN', undefined, `expected a span object, received ${found(entry)}; dropped`, entryPath);
    return undefined;
  }
  const st = b.begin();
  st.context = context;
  st.position = position;
  st.raw = entry;
  const rawId = entry[idKey];
  const idState = readSpanId(rawId, base64);
  st.idState = idState;
  st.idHigh = idRegister.high;
  st.idLow = idRegister.low;
  if (idState !== 1) warnings.add('INVALID_SPAN_ID', undefined, `${idKey} ${idState === 0 ? 'missing or zero' : `invalid (${found(rawId)})`}; a unique id was made up`, `${entryPath}.${idKey}`);
  return st;
}

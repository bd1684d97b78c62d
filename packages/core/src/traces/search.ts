import { ValidationError } from '../errors';
import type { TimeRange, TraceSummaryRow } from '../source';
import { formatAttributeValue } from './attributes';
import { assertModel } from './critical-path';
import { spanDetails, spanIdOf } from './model';
import { STATUS_NAMES, StatusCode } from './types';
import type { SpanAttribute, TraceModel } from './types';

/** What to look for. Span criteria (service, operation, attributes, status) must hold on one and the same span. */
export interface TraceQuery {
  readonly service?: string;
  readonly operation?: string;
  /** Attribute (or resource attribute) key → value as text (`formatAttributeValue`). */
  readonly attributes?: Readonly<Record<string, string>>;
  readonly status?: 'ok' | 'error' | 'unset';
  /** Bounds on the trace's duration (for `searchTraces`) or the span's (for `findSpans`), ms. */
  readonly minDurationMs?: number;
  readonly maxDurationMs?: number;
  /** Traces starting in [start, end) (epoch ms); `searchTraces` only. */
  readonly range?: TimeRange;
  /** At most this many results. */
  readonly limit?: number;
  /** Case-insensitive text in the span name, service or id (and attribute values with `searchAttributes`); `findSpans` only. */
  readonly text?: string;
  /** Let `text` also match attribute keys and values (decodes every span's details: slower). */
  readonly searchAttributes?: boolean;
}

function readQuery(query: unknown): TraceQuery {
  if (query === null || typeof query !== 'object') throw new ValidationError('query', 'an object', query);
  const q = query as TraceQuery;
  for (const key of ['service', 'operation', 'text'] as const) {
    if (q[key] !== undefined && typeof q[key] !== 'string') throw new ValidationError(`query.${key}`, 'a string', q[key]);
  }
  if (q.status !== undefined && !STATUS_NAMES.includes(q.status)) throw new ValidationError('query.status', "'ok', 'error' or 'unset'", q.status);
  for (const key of ['minDurationMs', 'maxDurationMs'] as const) {
    const v = q[key];
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0))) throw new ValidationError(`query.${key}`, 'a number >= 0', v);
  }
  if (q.limit !== undefined && (typeof q.limit !== 'number' || !Number.isInteger(q.limit) || q.limit < 0)) throw new ValidationError('query.limit', 'an integer >= 0', q.limit);
  if (q.attributes !== undefined) {
    if (q.attributes === null || typeof q.attributes !== 'object') throw new ValidationError('query.attributes', 'an object of strings', q.attributes);
    for (const [k, v] of Object.entries(q.attributes)) if (typeof v !== 'string') throw new ValidationError(`query.attributes.${k}`, 'a string', v);
  }
  if (q.range !== undefined && (q.range === null || typeof q.range !== 'object' || !(q.range.start <= q.range.end))) throw new ValidationError('query.range', 'a TimeRange { start, end } with start <= end', q.range);
  return q;
}

function attributesMatch(list: readonly SpanAttribute[], resource: readonly SpanAttribute[], wanted: Readonly<Record<string, string>>): boolean {
  for (const key of Object.keys(wanted)) {
    const hit = list.find((a) => a.key === key) ?? resource.find((a) => a.key === key);
    if (hit === undefined || formatAttributeValue(hit.value) !== wanted[key]) return false;
  }
  return true;
}

/** Span-level criteria (service, operation, status, attributes, span duration when `withDuration`). */
function spanMatcher(model: TraceModel, q: TraceQuery, withDuration: boolean): (i: number) => boolean {
  const service = q.service === undefined ? -2 : model.services.indexOf(q.service);
  const operation = q.operation === undefined ? -2 : model.operations.indexOf(q.operation);
  const status = q.status === undefined ? -1 : STATUS_NAMES.indexOf(q.status);
  const attributes = q.attributes !== undefined && Object.keys(q.attributes).length > 0 ? q.attributes : undefined;
  const min = withDuration && q.minDurationMs !== undefined ? q.minDurationMs * 1e6 : -Infinity;
  const max = withDuration && q.maxDurationMs !== undefined ? q.maxDurationMs * 1e6 : Infinity;
  const text = q.text === undefined || q.text === '' ? undefined : q.text.toLowerCase();
  const serviceText = text === undefined ? undefined : model.services.map((s) => s.toLowerCase().includes(text));
  const operationText = text === undefined ? undefined : model.operations.map((s) => s.toLowerCase().includes(text));
  return (i) => {
    if (service === -1 || operation === -1) return false;
    if (service >= 0 && model.service[i] !== service) return false;
    if (operation >= 0 && model.operation[i] !== operation) return false;
    if (status >= 0 && model.status[i] !== status) return false;
    const d = model.durationNs[i]!;
    if (d < min || d > max) return false;
    if (text !== undefined) {
      let hit = serviceText![model.service[i]!]! || operationText![model.operation[i]!]! || spanIdOf(model, i).includes(text);
      if (!hit && q.searchAttributes === true) {
        const details = spanDetails(model, i);
        hit = [...details.attributes, ...details.resource].some((a) => a.key.toLowerCase().includes(text) || formatAttributeValue(a.value).toLowerCase().includes(text));
      }
      if (!hit) return false;
    }
    if (attributes !== undefined) {
      const details = spanDetails(model, i);
      if (!attributesMatch(details.attributes, details.resource, attributes)) return false;
    }
    return true;
  };
}

/**
 * Spans of one trace matching a query, in display (pre)order: for a waterfall's search with next/previous and for
 * filters. Durations bound the span.
 *
 * @example
 * findSpans(model, { text: 'checkout' });
 * findSpans(model, { service: 'db', status: 'error', minDurationMs: 100 });
 */
export function findSpans(model: TraceModel, query: TraceQuery): Int32Array {
  assertModel(model);
  const q = readQuery(query);
  const match = spanMatcher(model, q, true);
  const limit = q.limit ?? Infinity;
  const out: number[] = [];
  for (let k = 0; k < model.preorder.length && out.length < limit; k++) {
    const v = model.preorder[k]!;
    if (match(v)) out.push(v);
  }
  return Int32Array.from(out);
}

/**
 * The summary row of a parsed trace (as `DataSource.searchTraces` returns them): root service and operation of
 * the longest root, start (epoch ms), duration (ms), span and error counts, services.
 *
 * @example
 * summarizeTrace(model); // { traceId, rootService: 'frontend', durationMs: 412.5, spanCount: 1203, ... }
 */
export function summarizeTrace(model: TraceModel): TraceSummaryRow {
  assertModel(model);
  let root = -1;
  for (let k = 0; k < model.roots.length; k++) {
    const r = model.roots[k]!;
    if (root < 0 || model.durationNs[r]! > model.durationNs[root]!) root = r;
  }
  let errorCount = 0;
  let minStart = Infinity;
  for (let i = 0; i < model.spanCount; i++) {
    if (model.status[i] === StatusCode.ERROR) errorCount++;
    if (model.startOffsetNs[i]! < minStart) minStart = model.startOffsetNs[i]!;
  }
  const used = new Uint8Array(model.services.length);
  for (let i = 0; i < model.spanCount; i++) used[model.service[i]!] = 1;
  return {
    traceId: root >= 0 ? model.traceIds[model.traceIndex[root]!]! : (model.traceIds[0] ?? ''),
    rootService: root >= 0 ? model.services[model.service[root]!]! : '',
    rootOperation: root >= 0 ? model.operations[model.operation[root]!]! : '',
    start: Number(model.originNs / 1000n) / 1000 + (model.spanCount > 0 ? minStart / 1e6 : 0),
    durationMs: model.traceDurationNs / 1e6,
    spanCount: model.spanCount,
    errorCount,
    services: model.services.filter((_, s) => used[s] === 1),
  };
}

function isModel(x: unknown): x is TraceModel {
  return x !== null && typeof x === 'object' && (x as TraceModel).startOffsetNs instanceof Float64Array;
}

/**
 * Searches a set of traces — parsed models or summary rows — and returns the indices of those that match, in input
 * order. On a model, span criteria (service, operation, attributes, status) must hold on one span; duration and
 * range apply to the trace. A summary row carries no attributes and only its root operation: for rows, `operation`
 * matches the root operation, `status: 'error'` means errorCount > 0 (`'ok'`/`'unset'`: none), and `attributes`
 * are not checked (the source applied them when it searched).
 *
 * @example
 * const hits = searchTraces(models, { service: 'checkout', status: 'error', minDurationMs: 500 });
 */
export function searchTraces(items: ReadonlyArray<TraceModel | TraceSummaryRow>, query: TraceQuery): number[] {
  if (!Array.isArray(items)) throw new ValidationError('items', 'an array of TraceModel or TraceSummaryRow', items);
  const q = readQuery(query);
  const limit = q.limit ?? Infinity;
  const out: number[] = [];
  for (let t = 0; t < items.length && out.length < limit; t++) {
    const item = items[t];
    if (isModel(item)) {
      const summary = summarizeTrace(item);
      if (!traceLevelMatch(summary, q)) continue;
      const needSpan = q.service !== undefined || q.operation !== undefined || q.status !== undefined || (q.attributes !== undefined && Object.keys(q.attributes).length > 0);
      if (needSpan) {
        const { text: _text, ...spanQuery } = q;
        const match = spanMatcher(item, spanQuery, false);
        let found = false;
        for (let i = 0; i < item.spanCount && !found; i++) found = match(i);
        if (!found) continue;
      }
      out.push(t);
    } else if (item !== null && typeof item === 'object' && typeof (item as TraceSummaryRow).traceId === 'string') {
      const row = item as TraceSummaryRow;
      if (!traceLevelMatch(row, q)) continue;
      if (q.service !== undefined && !(Array.isArray(row.services) && row.services.includes(q.service)) && row.rootService !== q.service) continue;
      if (q.operation !== undefined && row.rootOperation !== q.operation) continue;
      if (q.status === 'error' && !(row.errorCount > 0)) continue;
      if ((q.status === 'ok' || q.status === 'unset') && row.errorCount > 0) continue;
      out.push(t);
    } else {
      throw new ValidationError(`items[${t}]`, 'a TraceModel or a TraceSummaryRow', item);
    }
  }
  return out;
}

function traceLevelMatch(row: TraceSummaryRow, q: TraceQuery): boolean {
  if (q.minDurationMs !== undefined && !(row.durationMs >= q.minDurationMs)) return false;
  if (q.maxDurationMs !== undefined && !(row.durationMs <= q.maxDurationMs)) return false;
  if (q.range !== undefined && !(row.start >= q.range.start && row.start < q.range.end)) return false;
  return true;
}

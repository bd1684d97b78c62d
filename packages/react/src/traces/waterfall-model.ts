import { ValidationError } from '@vigil/core';
import { StatusCode, findSpans, flattenForDisplay, formatDurationNs, subtreeSizes, type CriticalPath, type TraceModel } from '@vigil/core/traces';
import { SERIES_COLOR_COUNT } from '../theme/palette';

/*
 * The waterfall's logic as pure functions over the columnar model, so that jsdom tests can check them against brute
 * force and the component stays a thin view. Nothing here recurses over span depth.
 */

/** What the waterfall's filter bar holds. Empty/undefined fields do not filter. */
export interface TraceFilters {
  /** Show only spans of these services (with their ancestors for context). Empty or undefined: all services. */
  readonly services?: readonly string[] | undefined;
  /** Show only spans at least this long, ms. */
  readonly minDurationMs?: number | undefined;
  /** Show only spans with status error. */
  readonly errorsOnly?: boolean | undefined;
  /** Show only spans on the critical path. */
  readonly criticalPathOnly?: boolean | undefined;
}

/** True when the filters hide nothing. */
export function filtersAreEmpty(filters: TraceFilters | undefined): boolean {
  if (!filters) return true;
  return (
    (filters.services === undefined || filters.services.length === 0) &&
    !(typeof filters.minDurationMs === 'number' && filters.minDurationMs > 0) &&
    filters.errorsOnly !== true &&
    filters.criticalPathOnly !== true
  );
}

/**
 * The mask of spans that match the filters (1 = match), or undefined when the filters hide nothing. Unknown services
 * match nothing; a negative or non-finite minimum duration is a ValidationError.
 *
 * @example
 * const mask = filterMask(model, { errorsOnly: true }, path);
 * flattenForDisplay(model, mask ? { filter: mask } : {});
 */
export function filterMask(model: TraceModel, filters: TraceFilters | undefined, path: CriticalPath | undefined): Uint8Array | undefined {
  const minDurationMs = filters?.minDurationMs;
  if (minDurationMs !== undefined && (typeof minDurationMs !== 'number' || !Number.isFinite(minDurationMs) || minDurationMs < 0)) {
    throw new ValidationError('filters.minDurationMs', 'a finite number of ms >= 0', minDurationMs);
  }
  if (filtersAreEmpty(filters) || !filters) return undefined;
  const { services, errorsOnly, criticalPathOnly } = filters;
  const n = model.spanCount;
  let wantedService: Uint8Array | undefined;
  if (services !== undefined && services.length > 0) {
    wantedService = new Uint8Array(model.services.length);
    for (const name of services) {
      const s = model.services.indexOf(name);
      if (s >= 0) wantedService[s] = 1;
    }
  }
  const minNs = minDurationMs !== undefined && minDurationMs > 0 ? minDurationMs * 1e6 : -Infinity;
  const onPath = criticalPathOnly === true ? path?.onPath : undefined;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (wantedService !== undefined && wantedService[model.service[i]!] !== 1) continue;
    if (model.durationNs[i]! < minNs) continue;
    if (errorsOnly === true && model.status[i] !== StatusCode.ERROR) continue;
    if (criticalPathOnly === true && (onPath === undefined || onPath[i] !== 1)) continue;
    mask[i] = 1;
  }
  return mask;
}

/**
 * The visible rows (span indices in display order) for a collapsed set and filters. A thin, validated wrapper of
 * core's `flattenForDisplay`.
 *
 * @example
 * visibleRows(model, new Set(), { errorsOnly: true }, path, sizes);
 */
export function visibleRows(model: TraceModel, collapsed: ReadonlySet<number>, filters: TraceFilters | undefined, path: CriticalPath | undefined, sizes?: Int32Array): Int32Array {
  const mask = filterMask(model, filters, path);
  return flattenForDisplay(model, { collapsed, ...(mask ? { filter: mask } : {}), subtreeSizes: sizes ?? subtreeSizes(model) });
}

/** Row position of every span in `rows` (−1 when not shown). */
export function rowIndexOf(spanCount: number, rows: Int32Array): Int32Array {
  const index = new Int32Array(spanCount).fill(-1);
  for (let r = 0; r < rows.length; r++) index[rows[r]!] = r;
  return index;
}

/** Ancestors of a span, nearest first. Iterative; bounded by the span count so a corrupt parent column cannot loop. */
export function ancestorsOf(model: TraceModel, span: number): number[] {
  const out: number[] = [];
  let p = model.parent[span] ?? -1;
  while (p >= 0 && out.length < model.spanCount) {
    out.push(p);
    p = model.parent[p]!;
  }
  return out;
}

/** A copy of `collapsed` without the ancestors of `span`, so the span becomes visible (same set when nothing changes). */
export function revealSpan(model: TraceModel, collapsed: ReadonlySet<number>, span: number): ReadonlySet<number> {
  if (collapsed.size === 0) return collapsed;
  let next: Set<number> | undefined;
  for (const a of ancestorsOf(model, span)) {
    if (collapsed.has(a)) {
      next ??= new Set(collapsed);
      next.delete(a);
    }
  }
  return next ?? collapsed;
}

/** Every span with children: the collapsed set of "collapse all". */
export function allParents(model: TraceModel): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < model.spanCount; i++) if (model.childOffsets[i + 1]! > model.childOffsets[i]!) out.add(i);
  return out;
}

/** Whether span i has children. */
export function hasChildren(model: TraceModel, span: number): boolean {
  return model.childOffsets[span + 1]! > model.childOffsets[span]!;
}

/** Position (0-based) of every span among its siblings, and each span's sibling count (for aria-posinset/setsize). */
export function siblingPositions(model: TraceModel): { readonly position: Int32Array; readonly size: Int32Array } {
  const n = model.spanCount;
  const position = new Int32Array(n);
  const size = new Int32Array(n);
  for (let k = 0; k < model.roots.length; k++) {
    position[model.roots[k]!] = k;
    size[model.roots[k]!] = model.roots.length;
  }
  for (let v = 0; v < n; v++) {
    const from = model.childOffsets[v]!;
    const to = model.childOffsets[v + 1]!;
    for (let k = from; k < to; k++) {
      position[model.children[k]!] = k - from;
      size[model.children[k]!] = to - from;
    }
  }
  return { position, size };
}

/** Default indentation cap, in levels. Deeper rows are indented relative to the shallowest row on screen. */
export const MAX_INDENT_LEVELS = 24;

/**
 * Indentation for deep trees: when the trace is deeper than `cap`, rows are indented relative to the shallowest row
 * in the rendered window (`baseDepth`), and never more than `cap` levels, so a 100k-deep chain still shows a
 * readable staircase; the absolute depth is printed as a badge when indentation is relative or capped.
 *
 * @example
 * indentation(5000, 4990, 24); // { level: 10, relative: true }
 */
export function indentation(depth: number, baseDepth: number, cap = MAX_INDENT_LEVELS): { readonly level: number; readonly relative: boolean } {
  const relative = baseDepth > 0 || depth - baseDepth > cap;
  return { level: Math.max(0, Math.min(cap, depth - baseDepth)), relative };
}

/**
 * The base depth for a rendered window of rows: 0 when the whole trace fits under the cap. Otherwise it is sticky:
 * `previous` is kept while the window's shallowest row is at or below it and its deepest row fits under the cap (so
 * scrolling a wide tree does not re-indent every row), and moves to one above the shallowest row when it must (or
 * when the shallowest row is more than half the cap below it, in a deep chain).
 *
 * @example
 * windowBaseDepth(model, rows, 2000, 2030, 24, 0); // 1999 in a 100k-deep chain
 */
export function windowBaseDepth(model: TraceModel, rows: Int32Array, from: number, to: number, cap = MAX_INDENT_LEVELS, previous = 0): number {
  if (model.maxDepth <= cap) return 0;
  let min = Infinity;
  let max = -Infinity;
  for (let r = Math.max(0, from); r < Math.min(rows.length, to); r++) {
    const d = model.depth[rows[r]!]!;
    if (d < min) min = d;
    if (d > max) max = d;
  }
  if (!Number.isFinite(min)) return 0;
  if (previous >= 0 && min >= previous && (max - previous <= cap || min - previous <= cap / 2)) return previous;
  return Math.max(0, min - 1);
}

/** Search hits in display (pre)order, and a mask for highlighting. Empty text: no hits. */
export interface SearchHits {
  readonly spans: Int32Array;
  readonly mask: Uint8Array;
}

/**
 * Spans whose name, service or id contains the text (case-insensitive), via core's `findSpans`.
 *
 * @example
 * searchSpans(model, 'checkout').spans.length;
 */
export function searchSpans(model: TraceModel, text: string): SearchHits {
  const mask = new Uint8Array(model.spanCount);
  const trimmed = text.trim();
  if (trimmed === '') return { spans: new Int32Array(0), mask };
  const spans = findSpans(model, { text: trimmed });
  for (let k = 0; k < spans.length; k++) mask[spans[k]!] = 1;
  return { spans, mask };
}

/**
 * The hit to go to from the current one (`step` +1 next, −1 previous), wrapping around; -1 when there are none.
 * With no current hit, next goes to the first hit at or after `fromOrder` in preorder and previous to the last before it.
 *
 * @example
 * nextHit(3, 2, 1); // 0 (wraps)
 */
export function nextHit(hitCount: number, current: number, step: 1 | -1): number {
  if (hitCount <= 0) return -1;
  if (current < 0 || current >= hitCount) return step === 1 ? 0 : hitCount - 1;
  return (current + step + hitCount) % hitCount;
}

/** Splits `text` around case-insensitive occurrences of `query`, for <mark>ing matches as text (never HTML). */
export function splitMatches(text: string, query: string): Array<{ readonly text: string; readonly match: boolean }> {
  const q = query.trim().toLowerCase();
  if (q === '') return [{ text, match: false }];
  const lower = text.toLowerCase();
  const parts: Array<{ text: string; match: boolean }> = [];
  let at = 0;
  for (;;) {
    const hit = lower.indexOf(q, at);
    if (hit < 0) break;
    if (hit > at) parts.push({ text: text.slice(at, hit), match: false });
    parts.push({ text: text.slice(hit, hit + q.length), match: true });
    at = hit + q.length;
  }
  if (at < text.length || parts.length === 0) parts.push({ text: text.slice(at), match: false });
  return parts;
}

/** What a key does in the tree grid. */
export type WaterfallKeyAction =
  | { readonly type: 'move'; readonly row: number }
  | { readonly type: 'expand'; readonly span: number }
  | { readonly type: 'collapse'; readonly span: number }
  | { readonly type: 'open'; readonly span: number }
  | { readonly type: 'none' };

/**
 * The tree-grid keyboard contract as a pure function: ArrowUp/ArrowDown move one row, Home/End to the ends,
 * PageUp/PageDown by `pageSize`; ArrowRight expands a collapsed row or moves to its first child; ArrowLeft collapses
 * an expanded row or moves to its parent; Enter and Space open the details.
 *
 * @example
 * waterfallKeyAction('ArrowDown', { rows, row: 0, model, collapsed, pageSize: 20 }); // { type: 'move', row: 1 }
 */
export function waterfallKeyAction(
  key: string,
  state: { readonly rows: Int32Array; readonly row: number; readonly model: TraceModel; readonly collapsed: ReadonlySet<number>; readonly pageSize: number; readonly rowOf: Int32Array },
): WaterfallKeyAction {
  const { rows, model, collapsed, pageSize, rowOf } = state;
  const count = rows.length;
  if (count === 0) return { type: 'none' };
  const row = Math.max(0, Math.min(count - 1, state.row));
  const span = rows[row]!;
  const clampMove = (r: number): WaterfallKeyAction => ({ type: 'move', row: Math.max(0, Math.min(count - 1, r)) });
  switch (key) {
    case 'ArrowDown':
      return clampMove(row + 1);
    case 'ArrowUp':
      return clampMove(row - 1);
    case 'Home':
      return clampMove(0);
    case 'End':
      return clampMove(count - 1);
    case 'PageDown':
      return clampMove(row + Math.max(1, pageSize));
    case 'PageUp':
      return clampMove(row - Math.max(1, pageSize));
    case 'ArrowRight': {
      if (!hasChildren(model, span)) return { type: 'none' };
      if (collapsed.has(span)) return { type: 'expand', span };
      const next = rows[row + 1];
      return next !== undefined && model.parent[next] === span ? { type: 'move', row: row + 1 } : { type: 'none' };
    }
    case 'ArrowLeft': {
      if (hasChildren(model, span) && !collapsed.has(span)) return { type: 'collapse', span };
      const p = model.parent[span]!;
      if (p >= 0 && rowOf[p]! >= 0) return { type: 'move', row: rowOf[p]! };
      return { type: 'none' };
    }
    case 'Enter':
    case ' ':
      return { type: 'open', span };
    default:
      return { type: 'none' };
  }
}

/** The service's colour slot (0 … 7), by its index in `model.services`. */
export function serviceColorSlot(serviceIndex: number): number {
  return ((serviceIndex % SERIES_COLOR_COUNT) + SERIES_COLOR_COUNT) % SERIES_COLOR_COUNT;
}

/** `var(--vigil-series-N)` for a service index. */
export function serviceColor(serviceIndex: number): string {
  return `var(--vigil-series-${serviceColorSlot(serviceIndex) + 1})`;
}

/** A visible time window, ns offsets from the trace origin. */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

/** Clamps a window to [0, total] with a minimum width (1 ns, or the whole trace when it has no duration). */
export function clampWindow(window: TimeWindow, totalNs: number): TimeWindow {
  const total = totalNs > 0 ? totalNs : 1;
  let start = Number.isFinite(window.start) ? window.start : 0;
  let end = Number.isFinite(window.end) ? window.end : total;
  if (end < start) [start, end] = [end, start];
  start = Math.max(0, Math.min(total, start));
  end = Math.max(0, Math.min(total, end));
  if (end - start < 1) {
    end = Math.min(total, start + 1);
    start = Math.max(0, end - 1);
  }
  return { start, end };
}

/** `formatDurationNs`, with zero written as a bare `0` (an axis origin reads better without a unit). */
export function formatDuration(ns: number): string {
  return ns === 0 ? '0' : formatDurationNs(ns);
}

/** Evenly spaced tick positions (ns) with labels, for the time axis. */
export function timeTicks(window: TimeWindow, count = 5): Array<{ readonly at: number; readonly label: string }> {
  const span = window.end - window.start;
  const out: Array<{ at: number; label: string }> = [];
  if (!(span > 0) || count < 1) return out;
  for (let k = 0; k <= count; k++) {
    const at = window.start + (span * k) / count;
    out.push({ at, label: formatDuration(at) });
  }
  return out;
}

/** Per span, the critical-path segments it owns, in CSR form: segments of span v are `segmentOrder[offsets[v] … offsets[v+1])`. */
export function segmentsBySpan(path: CriticalPath, spanCount: number): { readonly offsets: Int32Array; readonly segmentOrder: Int32Array } {
  const offsets = new Int32Array(spanCount + 1);
  for (let s = 0; s < path.segmentCount; s++) offsets[path.segmentSpan[s]! + 1]!++;
  for (let v = 0; v < spanCount; v++) offsets[v + 1] = offsets[v + 1]! + offsets[v]!;
  const cursor = offsets.slice(0, spanCount);
  const segmentOrder = new Int32Array(path.segmentCount);
  for (let s = 0; s < path.segmentCount; s++) {
    const v = path.segmentSpan[s]!;
    segmentOrder[cursor[v]!++] = s;
  }
  return { offsets, segmentOrder };
}

/**
 * The minimap's shape: for each of min(`height`, rows) lines, the earliest start and latest end (ns offsets) of the
 * rows that land on that line, and whether any of them is an error. O(rows).
 */
export function minimapLines(model: TraceModel, rows: Int32Array, height: number): { readonly start: Float64Array; readonly end: Float64Array; readonly error: Uint8Array } {
  const h = Math.max(1, Math.min(rows.length, Math.floor(height)));
  const start = new Float64Array(h).fill(Infinity);
  const end = new Float64Array(h).fill(-Infinity);
  const error = new Uint8Array(h);
  const n = rows.length;
  if (n === 0) return { start, end, error };
  for (let r = 0; r < n; r++) {
    const v = rows[r]!;
    const line = Math.min(h - 1, Math.floor((r * h) / n));
    const s = model.startOffsetNs[v]!;
    const e = model.endOffsetNs[v]!;
    if (s < start[line]!) start[line] = s;
    if (e > end[line]!) end[line] = e;
    if (model.status[v] === StatusCode.ERROR) error[line] = 1;
  }
  return { start, end, error };
}

import { ValidationError } from '../errors';
import { hashId, idToHex } from './ids';
import { writeEpochNanos } from './time';
import { SpanFlag } from './types';
import type { SpanDetails, SpanDetailsDecoder, TraceFormat, TraceModel } from './types';
import type { WarningCollector } from './warnings';
import { StringTable } from './warnings';

/** `parentRef` values besides an explicit span index. */
const NO_PARENT = -1;
const PARENT_BY_ID = -2;

/** The span being staged by a parser; `commit()` appends it to the columns. Reused: no allocation per span. */
export interface StagedSpan {
  traceIndex: number;
  /** 1: id in idHigh/idLow; 0 or −1: absent or invalid (a unique id is made up). */
  idState: number;
  idHigh: number;
  idLow: number;
  /** 1: parent id in parentHigh/parentLow; 0: root. */
  parentState: number;
  parentHigh: number;
  parentLow: number;
  hasStart: boolean;
  startSeconds: number;
  startNanos: number;
  hasEnd: boolean;
  endSeconds: number;
  endNanos: number;
  service: number;
  operation: number;
  kind: number;
  status: number;
  flags: number;
  /** Zipkin `shared`: pairs with a span of the same id as its server half. */
  shared: boolean;
  /** The raw span object, kept for `spanDetails`. */
  raw: unknown;
  /** Index of the parser's context (resource/scope, process, ...) the span belongs to. */
  context: number;
  /** Index of the span in its document array (for warning paths). */
  position: number;
}

/** Lowercase hex id of the staged span, for warnings (undefined when it has none yet). */
export function stagedId(st: StagedSpan): string | undefined {
  return st.idState === 1 ? idToHex(st.idHigh, st.idLow) : undefined;
}

function grow<T extends Int32Array | Uint32Array | Float64Array | Uint8Array | Uint16Array>(array: T, capacity: number): T {
  const next = new (array.constructor as new (n: number) => T)(capacity);
  next.set(array);
  return next;
}

/**
 * Growable typed-array columns plus an incremental id table. Parsers fill `staged` and call `commit()`.
 * Duplicate ids are resolved at insertion: exact duplicates (same id, times, name and service) are dropped, other
 * duplicates are kept and flagged, Zipkin `shared` spans are paired with their client half.
 */
export class SpanTableBuilder {
  n = 0;
  private capacity: number;
  traceIndex: Int32Array;
  idHigh: Uint32Array;
  idLow: Uint32Array;
  parentHigh: Uint32Array;
  parentLow: Uint32Array;
  parentRef: Int32Array;
  startSeconds: Float64Array;
  startNanos: Int32Array;
  endSeconds: Float64Array;
  endNanos: Int32Array;
  /** bit 0: has start, bit 1: has end, bit 2: declared shared. */
  timeState: Uint8Array;
  service: Int32Array;
  operation: Int32Array;
  kind: Uint8Array;
  status: Uint8Array;
  flags: Uint16Array;
  context: Int32Array;
  position: Int32Array;
  readonly raw: unknown[] = [];
  /** Index + 1 per slot, 0 when empty. */
  table: Int32Array;
  private tableMask: number;
  private synthetic = 0;
  /** Some span had no usable trace id (`traceIndex` -1); `finishModel` gives those the document's. */
  private unresolvedTraceIds = false;

  readonly traceIds = new StringTable();
  readonly services = new StringTable();
  readonly operations = new StringTable();
  /** Path prefixes of the parser's contexts, such as `resourceSpans[0].scopeSpans[2].spans`. */
  readonly contextPaths: string[] = [];
  readonly warnings: WarningCollector;

  /** Gives spans without a usable trace id the document's first one (or all zeros when there is none). */
  resolveMissingTraceIds(): void {
    if (!this.unresolvedTraceIds) return;
    const fallback = this.traceIds.values.length > 0 ? 0 : this.traceIds.intern('0'.repeat(32));
    for (let i = 0; i < this.n; i++) if (this.traceIndex[i]! < 0) this.traceIndex[i] = fallback;
    this.unresolvedTraceIds = false;
  }

  readonly staged: StagedSpan = {
    traceIndex: 0,
    idState: 0,
    idHigh: 0,
    idLow: 0,
    parentState: 0,
    parentHigh: 0,
    parentLow: 0,
    hasStart: false,
    startSeconds: 0,
    startNanos: 0,
    hasEnd: false,
    endSeconds: 0,
    endNanos: 0,
    service: 0,
    operation: 0,
    kind: 0,
    status: 0,
    flags: 0,
    shared: false,
    raw: undefined,
    context: 0,
    position: 0,
  };

  constructor(expectedSpans: number, warnings: WarningCollector) {
    const c = Math.max(16, expectedSpans | 0);
    this.capacity = c;
    this.traceIndex = new Int32Array(c);
    this.idHigh = new Uint32Array(c);
    this.idLow = new Uint32Array(c);
    this.parentHigh = new Uint32Array(c);
    this.parentLow = new Uint32Array(c);
    this.parentRef = new Int32Array(c);
    this.startSeconds = new Float64Array(c);
    this.startNanos = new Int32Array(c);
    this.endSeconds = new Float64Array(c);
    this.endNanos = new Int32Array(c);
    this.timeState = new Uint8Array(c);
    this.service = new Int32Array(c);
    this.operation = new Int32Array(c);
    this.kind = new Uint8Array(c);
    this.status = new Uint8Array(c);
    this.flags = new Uint16Array(c);
    this.context = new Int32Array(c);
    this.position = new Int32Array(c);
    let size = 64;
    while (size < c * 2) size *= 2;
    this.table = new Int32Array(size);
    this.tableMask = size - 1;
    this.warnings = warnings;
  }

  /** Registers a context path prefix; returns its index. */
  addContext(path: string): number {
    this.contextPaths.push(path);
    return this.contextPaths.length - 1;
  }

  /** The document path of span i. */
  pathOf(i: number): string {
    return `${this.contextPaths[this.context[i]!] ?? ''}[${this.position[i]!}]`;
  }

  /** Resets the staged span to defaults (call before filling it). */
  begin(): StagedSpan {
    const s = this.staged;
    s.traceIndex = 0;
    s.idState = 0;
    s.idHigh = 0;
    s.idLow = 0;
    s.parentState = 0;
    s.parentHigh = 0;
    s.parentLow = 0;
    s.hasStart = false;
    s.hasEnd = false;
    s.startSeconds = 0;
    s.startNanos = 0;
    s.endSeconds = 0;
    s.endNanos = 0;
    s.service = 0;
    s.operation = 0;
    s.kind = 0;
    s.status = 0;
    s.flags = 0;
    s.shared = false;
    s.raw = undefined;
    s.context = 0;
    s.position = 0;
    return s;
  }

  /** Index of the span holding this id, or −1. */
  find(high: number, low: number): number {
    const mask = this.tableMask;
    let slot = hashId(high, low) & mask;
    for (;;) {
      const entry = this.table[slot]!;
      if (entry === 0) return -1;
      const j = entry - 1;
      if (this.idHigh[j] === high && this.idLow[j] === low) return j;
      slot = (slot + 1) & mask;
    }
  }

  private findSlot(high: number, low: number): number {
    const mask = this.tableMask;
    let slot = hashId(high, low) & mask;
    for (;;) {
      const entry = this.table[slot]!;
      if (entry === 0) return slot;
      const j = entry - 1;
      if (this.idHigh[j] === high && this.idLow[j] === low) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private insertCount = 0;

  private rehash(size: number): void {
    const old = this.table;
    this.table = new Int32Array(size);
    this.tableMask = size - 1;
    for (let k = 0; k < old.length; k++) {
      const entry = old[k]!;
      if (entry === 0) continue;
      this.table[this.findSlot(this.idHigh[entry - 1]!, this.idLow[entry - 1]!)] = entry;
    }
  }

  private ensureCapacity(): void {
    if (this.n < this.capacity) return;
    const c = this.capacity * 2;
    this.capacity = c;
    this.traceIndex = grow(this.traceIndex, c);
    this.idHigh = grow(this.idHigh, c);
    this.idLow = grow(this.idLow, c);
    this.parentHigh = grow(this.parentHigh, c);
    this.parentLow = grow(this.parentLow, c);
    this.parentRef = grow(this.parentRef, c);
    this.startSeconds = grow(this.startSeconds, c);
    this.startNanos = grow(this.startNanos, c);
    this.endSeconds = grow(this.endSeconds, c);
    this.endNanos = grow(this.endNanos, c);
    this.timeState = grow(this.timeState, c);
    this.service = grow(this.service, c);
    this.operation = grow(this.operation, c);
    this.kind = grow(this.kind, c);
    this.status = grow(this.status, c);
    this.flags = grow(this.flags, c);
    this.context = grow(this.context, c);
    this.position = grow(this.position, c);
  }

  /** Appends the staged span. Returns its index, or −1 when it was an exact duplicate and was dropped. */
  commit(): number {
    const s = this.staged;
    this.ensureCapacity();
    const i = this.n;
    let flags = s.flags;
    let high = s.idHigh;
    let low = s.idLow;
    if (s.idState !== 1) {
      // a made-up id nobody can refer to: high word all ones, counting down from the top
      do {
        high = 0xffffffff;
        low = (0xffffffff - this.synthetic++) >>> 0;
      } while (this.find(high, low) >= 0);
      flags |= SpanFlag.SYNTHETIC_ID;
    }
    this.idHigh[i] = high;
    this.idLow[i] = low;
    this.traceIndex[i] = s.traceIndex;
    if (s.traceIndex < 0) this.unresolvedTraceIds = true;
    this.parentHigh[i] = s.parentState === 1 ? s.parentHigh : 0;
    this.parentLow[i] = s.parentState === 1 ? s.parentLow : 0;
    this.parentRef[i] = s.parentState === 1 ? PARENT_BY_ID : NO_PARENT;
    this.startSeconds[i] = s.startSeconds;
    this.startNanos[i] = s.startNanos;
    this.endSeconds[i] = s.endSeconds;
    this.endNanos[i] = s.endNanos;
    this.timeState[i] = (s.hasStart ? 1 : 0) | (s.hasEnd ? 2 : 0) | (s.shared ? 4 : 0);
    this.service[i] = s.service;
    this.operation[i] = s.operation;
    this.kind[i] = s.kind;
    this.status[i] = s.status;
    this.context[i] = s.context;
    this.position[i] = s.position;

    if ((this.insertCount + 1) * 2 > this.table.length) this.rehash(this.table.length * 2);
    const slot = this.findSlot(high, low);
    const entry = this.table[slot]!;
    if (entry === 0) {
      this.flags[i] = flags;
      this.raw[i] = s.raw;
      this.n++;
      this.insertCount++;
      this.table[slot] = i + 1;
      return i;
    }
    const existing = entry - 1;
    const existingShared = (this.timeState[existing]! & 4) !== 0;
    if (s.shared && !existingShared) {
      // the server half of a Zipkin shared span: child of the client half; it takes over the id for children
      this.parentRef[i] = existing;
      flags |= SpanFlag.SHARED;
      this.flags[i] = flags;
      this.raw[i] = s.raw;
      this.n++;
      this.table[this.findSlot(high, low)] = i + 1;
      return i;
    }
    if (!s.shared && existingShared && this.parentRef[existing] === PARENT_BY_ID && (this.flags[existing]! & SpanFlag.SHARED) === 0) {
      // the client half arrives after its shared server half
      this.parentRef[existing] = i;
      this.flags[existing] = this.flags[existing]! | SpanFlag.SHARED;
      this.flags[i] = flags;
      this.raw[i] = s.raw;
      this.n++;
      return i;
    }
    const id = idToHex(high, low);
    if (
      this.startSeconds[existing] === s.startSeconds &&
      this.startNanos[existing] === s.startNanos &&
      this.endSeconds[existing] === s.endSeconds &&
      this.endNanos[existing] === s.endNanos &&
      this.operation[existing] === s.operation &&
      this.service[existing] === s.service &&
      ((this.timeState[existing]! ^ this.timeState[i]!) & 3) === 0
    ) {
      this.warnings.add('DUPLICATE_SPAN_DROPPED', id, `span ${id} appears twice with the same name, service and times; the copy was dropped`, this.pathOf(i));
      return -1;
    }
    flags |= SpanFlag.DUPLICATE_ID;
    this.flags[i] = flags;
    this.raw[i] = s.raw;
    this.n++;
    this.warnings.add('DUPLICATE_SPAN_ID', id, `span id ${id} is used by more than one span; children resolve to the first`, this.pathOf(i));
    return i;
  }
}

export interface FinishOptions {
  readonly format: TraceFormat;
  readonly adjustClockSkew: boolean;
  /** Builds the per-span details decoder (it receives the builder's raw spans and contexts). */
  readonly decoder: SpanDetailsDecoder;
}

/**
 * Turns the builder's columns into a TraceModel: resolves parents (orphans become roots), breaks cycles, repairs
 * missing and negative times, optionally adjusts clock skew, sorts children by start and computes the preorder and
 * depths. Every traversal is iterative.
 */
export function finishModel(b: SpanTableBuilder, options: FinishOptions): TraceModel {
  b.resolveMissingTraceIds();
  const n = b.n;
  const w = b.warnings;
  const idHigh = b.idHigh.subarray(0, n);
  const idLow = b.idLow.subarray(0, n);
  const flags = b.flags.subarray(0, n);
  const timeState = b.timeState;
  const startSeconds = b.startSeconds;
  const startNanos = b.startNanos;
  const endSeconds = b.endSeconds;
  const endNanos = b.endNanos;

  if (b.traceIds.values.length > 1) {
    w.add('MULTIPLE_TRACE_IDS', undefined, `the document holds ${b.traceIds.values.length} trace ids; parents are resolved by span id across all of them`);
  }
  if (n === 0) w.add('EMPTY_TRACE', undefined, 'the document holds no usable span');

  // 1. parents
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const ref = b.parentRef[i]!;
    if (ref !== PARENT_BY_ID) {
      parent[i] = ref;
      continue;
    }
    const j = b.find(b.parentHigh[i]!, b.parentLow[i]!);
    if (j < 0) {
      parent[i] = -1;
      flags[i] = flags[i]! | SpanFlag.ORPHAN;
      if (w.keeping) {
        const pid = idToHex(b.parentHigh[i]!, b.parentLow[i]!);
        w.add('ORPHAN_SPAN', idToHex(idHigh[i]!, idLow[i]!), `parent ${pid} is not in the trace; shown as a root`, b.pathOf(i));
      } else w.add('ORPHAN_SPAN', undefined, '');
    } else if (j === i) {
      parent[i] = -1;
      flags[i] = flags[i]! | SpanFlag.CYCLE_BROKEN;
      w.add('CYCLE_BROKEN', idToHex(idHigh[i]!, idLow[i]!), 'the span is its own parent; shown as a root', b.pathOf(i));
    } else {
      parent[i] = j;
    }
  }

  // 2. cycles: walk up from every span; a walk that meets itself found a cycle, cut at its earliest-starting member
  {
    const mark = new Int32Array(n);
    const done = new Uint8Array(n);
    const stack = new Int32Array(n);
    for (let s = 0; s < n; s++) {
      if (done[s]) continue;
      const stamp = s + 1;
      let top = 0;
      let v = s;
      while (v >= 0 && done[v] === 0 && mark[v] !== stamp) {
        mark[v] = stamp;
        stack[top++] = v;
        v = parent[v]!;
      }
      if (v >= 0 && done[v] === 0 && mark[v] === stamp) {
        let p = top - 1;
        while (stack[p] !== v) p--;
        let cut = v;
        for (let k = p; k < top; k++) {
          const m = stack[k]!;
          if (earlier(m, cut)) cut = m;
        }
        parent[cut] = -1;
        flags[cut] = flags[cut]! | SpanFlag.CYCLE_BROKEN;
        w.add('CYCLE_BROKEN', idToHex(idHigh[cut]!, idLow[cut]!), `parent links form a cycle of ${top - p} spans; cut above this span, shown as a root`, b.pathOf(cut));
      }
      for (let k = 0; k < top; k++) done[stack[k]!] = 1;
    }
  }
  function earlier(a: number, c: number): boolean {
    const sa = (timeState[a]! & 1) !== 0;
    const sc = (timeState[c]! & 1) !== 0;
    if (sa !== sc) return sa;
    if (sa) {
      if (startSeconds[a] !== startSeconds[c]) return startSeconds[a]! < startSeconds[c]!;
      if (startNanos[a] !== startNanos[c]) return startNanos[a]! < startNanos[c]!;
    }
    return a < c;
  }

  // 3. children in CSR form, roots
  const childOffsets = new Int32Array(n + 1);
  let rootCount = 0;
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p < 0) rootCount++;
    else childOffsets[p + 1]!++;
  }
  for (let i = 0; i < n; i++) childOffsets[i + 1]! += childOffsets[i]!;
  const children = new Int32Array(n - rootCount);
  const roots = new Int32Array(rootCount);
  {
    const fill = childOffsets.slice(0, n);
    let r = 0;
    for (let i = 0; i < n; i++) {
      const p = parent[i]!;
      if (p < 0) roots[r++] = i;
      else children[fill[p]!++] = i;
    }
  }

  // 4. times: origin, repairs in breadth-first order (parents first), offsets
  let originSeconds = Infinity;
  let originNanos = 0;
  for (let i = 0; i < n; i++) {
    const st = timeState[i]!;
    let sec: number;
    let ns: number;
    if (st & 1) {
      sec = startSeconds[i]!;
      ns = startNanos[i]!;
    } else if (st & 2) {
      sec = endSeconds[i]!;
      ns = endNanos[i]!;
    } else continue;
    if (sec < originSeconds || (sec === originSeconds && ns < originNanos)) {
      originSeconds = sec;
      originNanos = ns;
    }
  }
  if (originSeconds === Infinity) {
    originSeconds = 0;
    originNanos = 0;
  }
  const startOffsetNs = new Float64Array(n);
  const endOffsetNs = new Float64Array(n);
  const order = new Int32Array(n); // breadth-first
  {
    let head = 0;
    let tail = 0;
    for (let r = 0; r < rootCount; r++) order[tail++] = roots[r]!;
    while (head < tail) {
      const v = order[head++]!;
      for (let k = childOffsets[v]!; k < childOffsets[v + 1]!; k++) order[tail++] = children[k]!;
    }
  }
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const st = timeState[i]!;
    if ((st & 1) === 0) {
      let how: string;
      if (st & 2) {
        startSeconds[i] = endSeconds[i]!;
        startNanos[i] = endNanos[i]!;
        how = 'set to its end (zero duration)';
      } else if (parent[i]! >= 0) {
        startSeconds[i] = startSeconds[parent[i]!]!;
        startNanos[i] = startNanos[parent[i]!]!;
        how = "set to its parent's start";
      } else {
        startSeconds[i] = originSeconds;
        startNanos[i] = originNanos;
        how = 'set to the trace start';
      }
      flags[i] = flags[i]! | SpanFlag.MISSING_START;
      if (w.keeping) w.add('MISSING_START', idToHex(idHigh[i]!, idLow[i]!), `start time missing or invalid; ${how}`, b.pathOf(i));
      else w.add('MISSING_START', undefined, '');
    }
    if ((st & 2) === 0) {
      endSeconds[i] = startSeconds[i]!;
      endNanos[i] = startNanos[i]!;
      flags[i] = flags[i]! | SpanFlag.MISSING_END;
      if (w.keeping) w.add('MISSING_END', idToHex(idHigh[i]!, idLow[i]!), 'end time or duration missing or invalid; given zero duration', b.pathOf(i));
      else w.add('MISSING_END', undefined, '');
    } else if (endSeconds[i]! < startSeconds[i]! || (endSeconds[i] === startSeconds[i] && endNanos[i]! < startNanos[i]!)) {
      endSeconds[i] = startSeconds[i]!;
      endNanos[i] = startNanos[i]!;
      flags[i] = flags[i]! | SpanFlag.NEGATIVE_DURATION;
      if (w.keeping) w.add('NEGATIVE_DURATION', idToHex(idHigh[i]!, idLow[i]!), 'ends before it starts; end set to start', b.pathOf(i));
      else w.add('NEGATIVE_DURATION', undefined, '');
    }
    startOffsetNs[i] = (startSeconds[i]! - originSeconds) * 1e9 + (startNanos[i]! - originNanos);
    endOffsetNs[i] = (endSeconds[i]! - originSeconds) * 1e9 + (endNanos[i]! - originNanos);
  }
  const startNs = new BigInt64Array(n);
  const endNs = new BigInt64Array(n);
  {
    const sw = new Uint32Array(startNs.buffer);
    const ew = new Uint32Array(endNs.buffer);
    for (let i = 0; i < n; i++) {
      writeEpochNanos(sw, i, startSeconds[i]!, startNanos[i]!);
      writeEpochNanos(ew, i, endSeconds[i]!, endNanos[i]!);
    }
  }

  // 5. clock skew (optional): parents first, a child across a service boundary that leaves its parent is moved in
  if (options.adjustClockSkew) {
    const shift = new Float64Array(n);
    const service = b.service;
    for (let k = 0; k < n; k++) {
      const v = order[k]!;
      const p = parent[v]!;
      if (p < 0) continue;
      let delta = shift[p]!;
      let cs = startOffsetNs[v]! + delta;
      let ce = endOffsetNs[v]! + delta;
      if (service[v] !== service[p]) {
        const ps = startOffsetNs[p]!;
        const pe = endOffsetNs[p]!;
        if (cs < ps || ce > pe) {
          const length = ce - cs;
          const parentLength = pe - ps;
          const target = length <= parentLength ? ps + Math.floor((parentLength - length) / 2) : ps;
          const move = target - cs;
          delta += move;
          cs += move;
          ce += move;
          flags[v] = flags[v]! | SpanFlag.CLOCK_SKEW_ADJUSTED;
          if (w.keeping) {
            w.add('CLOCK_SKEW_ADJUSTED', idToHex(idHigh[v]!, idLow[v]!), `moved ${move >= 0 ? 'later' : 'earlier'} by ${Math.abs(move)} ns (with its subtree) to sit inside its parent`, b.pathOf(v));
          } else w.add('CLOCK_SKEW_ADJUSTED', undefined, '');
        }
      }
      shift[v] = delta;
      startOffsetNs[v] = cs;
      endOffsetNs[v] = ce;
    }
  }
  const durationNs = new Float64Array(n);
  let minStart = Infinity;
  let maxEnd = -Infinity;
  for (let i = 0; i < n; i++) {
    durationNs[i] = endOffsetNs[i]! - startOffsetNs[i]!;
    if (startOffsetNs[i]! < minStart) minStart = startOffsetNs[i]!;
    if (endOffsetNs[i]! > maxEnd) maxEnd = endOffsetNs[i]!;
  }

  // 6. siblings and roots by start time (stable by index)
  const byStart = (x: number, y: number): number => startOffsetNs[x]! - startOffsetNs[y]! || x - y;
  for (let v = 0; v < n; v++) {
    const from = childOffsets[v]!;
    const to = childOffsets[v + 1]!;
    if (to - from > 1) sortSlice(children, from, to, startOffsetNs, byStart);
  }
  if (rootCount > 1) sortSlice(roots, 0, rootCount, startOffsetNs, byStart);

  // 7. preorder and depth, with an explicit stack
  const preorder = new Int32Array(n);
  const depth = new Int32Array(n);
  let maxDepth = 0;
  {
    const stack = new Int32Array(n);
    let top = 0;
    for (let r = rootCount - 1; r >= 0; r--) stack[top++] = roots[r]!;
    let o = 0;
    while (top > 0) {
      const v = stack[--top]!;
      preorder[o++] = v;
      const d = depth[v]! + 1;
      for (let k = childOffsets[v + 1]! - 1; k >= childOffsets[v]!; k--) {
        const c = children[k]!;
        depth[c] = d;
        if (d > maxDepth) maxDepth = d;
        stack[top++] = c;
      }
    }
  }

  return {
    format: options.format,
    spanCount: n,
    traceIds: b.traceIds.values,
    traceIndex: b.traceIndex.subarray(0, n),
    spanIdHigh: idHigh,
    spanIdLow: idLow,
    parentIdHigh: b.parentHigh.subarray(0, n),
    parentIdLow: b.parentLow.subarray(0, n),
    startNs,
    endNs,
    originNs: BigInt(originSeconds) * 1_000_000_000n + BigInt(originNanos),
    startOffsetNs,
    endOffsetNs,
    durationNs,
    parent,
    depth,
    childOffsets,
    children,
    roots,
    preorder,
    maxDepth,
    service: b.service.subarray(0, n),
    services: b.services.values,
    operation: b.operation.subarray(0, n),
    operations: b.operations.values,
    kind: b.kind.subarray(0, n),
    status: b.status.subarray(0, n),
    flags,
    traceDurationNs: n === 0 ? 0 : maxEnd - minStart,
    warnings: w.warnings,
    warningCounts: w.counts,
    idTable: b.table,
    decodeDetails: options.decoder,
  };
}

/** Sorts a[from, to) by key ascending (ties by index); insertion sort for short runs, already-sorted runs skipped. */
function sortSlice(a: Int32Array, from: number, to: number, key: Float64Array, compare: (x: number, y: number) => number): void {
  let sorted = true;
  for (let k = from + 1; k < to; k++) {
    if (compare(a[k - 1]!, a[k]!) > 0) {
      sorted = false;
      break;
    }
  }
  if (sorted) return;
  if (to - from <= 24) {
    for (let k = from + 1; k < to; k++) {
      const x = a[k]!;
      const kx = key[x]!;
      let j = k - 1;
      while (j >= from && (key[a[j]!]! > kx || (key[a[j]!] === kx && a[j]! > x))) {
        a[j + 1] = a[j]!;
        j--;
      }
      a[j + 1] = x;
    }
    return;
  }
  a.subarray(from, to).sort(compare);
}

/** Lowercase hex id (16 digits) of span i. */
export function spanIdOf(model: TraceModel, index: number): string {
  return idToHex(model.spanIdHigh[index]!, model.spanIdLow[index]!);
}

/** Lowercase hex parent id (16 digits) of span i as sent, or '' when it had none. */
export function parentSpanIdOf(model: TraceModel, index: number): string {
  const h = model.parentIdHigh[index]!;
  const l = model.parentIdLow[index]!;
  return h === 0 && l === 0 ? '' : idToHex(h, l);
}

/**
 * Index of the span with this id (hex, any case, 1 to 16 digits), or −1. With duplicate ids, the first span.
 *
 * @example
 * const i = spanIndexOf(model, 'A1B2C3D4E5F60718'); // same as the lowercase id
 */
export function spanIndexOf(model: TraceModel, spanId: string): number {
  if (typeof spanId !== 'string' || spanId.length === 0 || spanId.length > 16) return -1;
  let high = 0;
  let low = 0;
  for (let i = 0; i < spanId.length; i++) {
    const c = spanId.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) return -1;
    high = ((high << 4) | (low >>> 28)) >>> 0;
    low = ((low << 4) | d) >>> 0;
  }
  const table = model.idTable;
  const mask = table.length - 1;
  let slot = hashId(high, low) & mask;
  for (;;) {
    const entry = table[slot]!;
    if (entry === 0) return -1;
    const j = entry - 1;
    if (model.spanIdHigh[j] === high && model.spanIdLow[j] === low) {
      // a shared server half takes over the id in the table; report the first span with this id
      let first = j;
      if ((model.flags[j]! & SpanFlag.SHARED) !== 0 && model.parent[j]! >= 0 && model.spanIdHigh[model.parent[j]!] === high && model.spanIdLow[model.parent[j]!] === low) first = model.parent[j]!;
      return first;
    }
    slot = (slot + 1) & mask;
  }
}

/**
 * Attributes, resource, events, links and status message of span i, decoded from the parsed document on demand.
 * Values are data, never markup: render them as text. Throws a ValidationError for an index out of range.
 *
 * @example
 * const details = spanDetails(model, model.roots[0]);
 * details.attributes.find((a) => a.key === 'http.route')?.value;
 */
export function spanDetails(model: TraceModel, index: number): SpanDetails {
  if (!Number.isInteger(index) || index < 0 || index >= model.spanCount) {
    throw new ValidationError('index', `a span index in [0, ${model.spanCount})`, index);
  }
  return model.decodeDetails(model, index);
}


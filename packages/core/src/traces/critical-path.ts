import { ValidationError } from '../errors';
import type { TraceModel } from './types';

function assertModel(model: unknown): asserts model is TraceModel {
  if (model === null || typeof model !== 'object' || !((model as TraceModel).startOffsetNs instanceof Float64Array) || typeof (model as TraceModel).spanCount !== 'number') {
    throw new ValidationError('model', 'a TraceModel (from parseTrace)', model);
  }
}
export { assertModel };

/**
 * Self time of every span: its duration minus the union of its children's intervals clipped to the span. Children
 * running in parallel are counted once; the part of a child outside its parent does not count. Always ≥ 0, and
 * self + union of clipped children = duration. O(n), one pass over the sorted children.
 *
 * @example
 * // parent [0, 10], children [1, 4] and [3, 6]: union [1, 6] = 5, self = 5
 * const self = selfTimes(model); self[model.roots[0]];
 */
export function selfTimes(model: TraceModel): Float64Array {
  assertModel(model);
  const n = model.spanCount;
  const { startOffsetNs: start, endOffsetNs: end, childOffsets, children } = model;
  const self = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    const s = start[v]!;
    const e = end[v]!;
    let union = 0;
    let runStart = 0;
    let runEnd = -Infinity;
    for (let k = childOffsets[v]!; k < childOffsets[v + 1]!; k++) {
      const c = children[k]!;
      const cs = start[c]! > s ? start[c]! : s;
      const ce = end[c]! < e ? end[c]! : e;
      if (ce <= cs) continue;
      if (cs > runEnd) {
        if (runEnd > runStart) union += runEnd - runStart;
        runStart = cs;
        runEnd = ce;
      } else if (ce > runEnd) runEnd = ce;
    }
    if (runEnd > runStart) union += runEnd - runStart;
    self[v] = e - s - union;
  }
  return self;
}

/** The critical path of one root: chronological segments, each owned by one span. */
export interface CriticalPath {
  /** The root span the path was computed for (−1 for an empty trace). */
  readonly root: number;
  readonly segmentCount: number;
  /** Owner span of each segment, in time order. */
  readonly segmentSpan: Int32Array;
  readonly segmentStartOffsetNs: Float64Array;
  readonly segmentEndOffsetNs: Float64Array;
  /** Per span: time it owns on the path, ns (0 when off the path). */
  readonly criticalTimeNs: Float64Array;
  /** Per span: 1 when it owns a segment or has a descendant that does (the chain from the root), else 0. */
  readonly onPath: Uint8Array;
  /** Sum of segment lengths; equals the root's duration. */
  readonly totalNs: number;
}

export interface CriticalPathOptions {
  /** Root span index to start from; by default the longest root (earliest on ties). */
  readonly root?: number;
}

/**
 * The critical path: the chain of work that determined when the root finished. Walking back from the root's end,
 * each span hands the time to the child that finished last before the current point (children clipped to the
 * span: a child outliving or preceding its parent counts only inside it), descends into it, then continues before
 * that child's start; time no child covers belongs to the span itself. Back-to-back children are both on the path;
 * of overlapping children, the one that finished last wins (on equal ends, the longer). The segments partition the
 * root's interval exactly. Iterative (an explicit stack), O(n log k) for fan-out k.
 *
 * @example
 * // root A [0, 10] with children B [1, 4] and C [5, 9]:
 * // segments A [0,1] B [1,4] A [4,5] C [5,9] A [9,10]
 * const path = criticalPath(model);
 * for (let s = 0; s < path.segmentCount; s++) path.segmentSpan[s];
 */
export function criticalPath(model: TraceModel, options?: CriticalPathOptions): CriticalPath {
  assertModel(model);
  const n = model.spanCount;
  const { startOffsetNs: start, endOffsetNs: end, durationNs, childOffsets, children, roots, parent } = model;
  let root = -1;
  if (options?.root !== undefined) {
    const r = options.root;
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r >= n) throw new ValidationError('options.root', `a span index in [0, ${n})`, r);
    root = r;
  } else {
    for (let k = 0; k < roots.length; k++) {
      const r = roots[k]!;
      if (root < 0 || durationNs[r]! > durationNs[root]!) root = r;
    }
  }
  const criticalTimeNs = new Float64Array(n);
  const onPath = new Uint8Array(n);
  if (root < 0) {
    return { root, segmentCount: 0, segmentSpan: new Int32Array(0), segmentStartOffsetNs: new Float64Array(0), segmentEndOffsetNs: new Float64Array(0), criticalTimeNs, onPath, totalNs: 0 };
  }

  // children of the subtree by end (latest first), then start (earliest first), then index
  const byEnd = children.slice();
  const compare = (x: number, y: number): number => end[y]! - end[x]! || start[x]! - start[y]! || x - y;
  {
    const stack = [root];
    while (stack.length > 0) {
      const v = stack.pop()!;
      const from = childOffsets[v]!;
      const to = childOffsets[v + 1]!;
      if (to - from > 1) byEnd.subarray(from, to).sort(compare);
      for (let k = from; k < to; k++) stack.push(children[k]!);
    }
  }

  const depth = model.maxDepth + 2;
  const frameSpan = new Int32Array(depth);
  const frameLow = new Float64Array(depth);
  const frameHigh = new Float64Array(depth);
  const frameBarrier = new Float64Array(depth);
  const framePointer = new Int32Array(depth);
  // segments come out latest first; collected in growable arrays then reversed
  let capacity = 64;
  let segSpan = new Int32Array(capacity);
  let segStart = new Float64Array(capacity);
  let segEnd = new Float64Array(capacity);
  let count = 0;
  const emit = (v: number, from: number, to: number): void => {
    if (count === capacity) {
      capacity *= 2;
      const a = new Int32Array(capacity);
      a.set(segSpan);
      segSpan = a;
      const b = new Float64Array(capacity);
      b.set(segStart);
      segStart = b;
      const c = new Float64Array(capacity);
      c.set(segEnd);
      segEnd = c;
    }
    segSpan[count] = v;
    segStart[count] = from;
    segEnd[count] = to;
    count++;
    criticalTimeNs[v] = criticalTimeNs[v]! + (to - from);
  };

  let top = 0;
  frameSpan[0] = root;
  frameLow[0] = start[root]!;
  frameHigh[0] = end[root]!;
  frameBarrier[0] = end[root]!;
  framePointer[0] = childOffsets[root]!;
  top = 1;
  while (top > 0) {
    const f = top - 1;
    const v = frameSpan[f]!;
    const low = frameLow[f]!;
    const high = frameHigh[f]!;
    const barrier = frameBarrier[f]!;
    const last = childOffsets[v + 1]!;
    let j = framePointer[f]!;
    let chosen = -1;
    let chosenStart = 0;
    let chosenEnd = 0;
    while (j < last) {
      const c = byEnd[j]!;
      const cs = start[c]! > low ? start[c]! : low;
      const ce = end[c]! < high ? end[c]! : high;
      if (ce <= cs || ce > barrier) {
        j++;
        continue;
      }
      // first eligible: the latest clipped end; among equal clipped ends take the earliest clipped start
      chosen = c;
      chosenStart = cs;
      chosenEnd = ce;
      j++;
      while (j < last) {
        const d = byEnd[j]!;
        const de = end[d]! < high ? end[d]! : high;
        if (de !== ce) break;
        const ds = start[d]! > low ? start[d]! : low;
        if (ds < de && ds < chosenStart) {
          chosen = d;
          chosenStart = ds;
        }
        j++;
      }
      break;
    }
    if (chosen >= 0) {
      if (barrier > chosenEnd) emit(v, chosenEnd, barrier);
      frameBarrier[f] = chosenStart;
      framePointer[f] = j;
      frameSpan[top] = chosen;
      frameLow[top] = chosenStart;
      frameHigh[top] = chosenEnd;
      frameBarrier[top] = chosenEnd;
      framePointer[top] = childOffsets[chosen]!;
      top++;
    } else {
      if (barrier > low) emit(v, low, barrier);
      top--;
    }
  }

  const segmentSpan = new Int32Array(count);
  const segmentStartOffsetNs = new Float64Array(count);
  const segmentEndOffsetNs = new Float64Array(count);
  let totalNs = 0;
  for (let s = 0; s < count; s++) {
    const from = count - 1 - s;
    segmentSpan[s] = segSpan[from]!;
    segmentStartOffsetNs[s] = segStart[from]!;
    segmentEndOffsetNs[s] = segEnd[from]!;
    totalNs += segEnd[from]! - segStart[from]!;
  }
  onPath[root] = 1;
  for (let s = 0; s < count; s++) {
    let v = segmentSpan[s]!;
    while (v >= 0 && onPath[v] === 0) {
      onPath[v] = 1;
      v = parent[v]!;
    }
  }
  return { root, segmentCount: count, segmentSpan, segmentStartOffsetNs, segmentEndOffsetNs, criticalTimeNs, onPath, totalNs };
}

/** One span that owns much time on the critical path. */
export interface Bottleneck {
  readonly span: number;
  readonly service: string;
  readonly operation: string;
  /** Time the span owns on the critical path (its self time on the path), ns. */
  readonly criticalTimeNs: number;
  /** criticalTimeNs / the path's total (0 … 1). */
  readonly share: number;
}

/**
 * The largest self-time contributors on the critical path, largest first: where shaving time shortens the trace.
 *
 * @example
 * bottlenecks(model, { limit: 5 }).map((b) => `${b.service} ${b.operation} ${(b.share * 100).toFixed(1)}%`);
 */
export function bottlenecks(model: TraceModel, options?: { readonly limit?: number; readonly path?: CriticalPath }): Bottleneck[] {
  assertModel(model);
  const limit = options?.limit ?? 10;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) throw new ValidationError('options.limit', 'an integer >= 0', limit);
  const path = options?.path ?? criticalPath(model);
  const spans: number[] = [];
  for (let i = 0; i < path.criticalTimeNs.length; i++) if (path.criticalTimeNs[i]! > 0) spans.push(i);
  spans.sort((a, b) => path.criticalTimeNs[b]! - path.criticalTimeNs[a]! || a - b);
  return spans.slice(0, limit).map((span) => ({
    span,
    service: model.services[model.service[span]!] ?? '',
    operation: model.operations[model.operation[span]!] ?? '',
    criticalTimeNs: path.criticalTimeNs[span]!,
    share: path.totalNs > 0 ? path.criticalTimeNs[span]! / path.totalNs : 0,
  }));
}

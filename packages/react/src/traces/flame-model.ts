import type { TraceModel } from '@vigil/core/traces';

/*
 * Flame-graph helpers: spans grouped by depth (CSR), hit testing and keyboard moves, all iterative.
 */

/** Spans grouped by depth: the spans at depth d are `spans[offsets[d] … offsets[d + 1])`, in preorder. */
export interface DepthIndex {
  readonly offsets: Int32Array;
  readonly spans: Int32Array;
}

/**
 * Groups spans by depth in O(n), keeping preorder inside each depth (so siblings stay by start time).
 *
 * @example
 * const index = depthIndex(model); index.spans.subarray(index.offsets[2], index.offsets[3]); // spans at depth 2
 */
export function depthIndex(model: TraceModel): DepthIndex {
  const levels = model.maxDepth + 1;
  const offsets = new Int32Array(levels + 1);
  for (let i = 0; i < model.spanCount; i++) offsets[model.depth[i]! + 1]!++;
  for (let d = 0; d < levels; d++) offsets[d + 1] = offsets[d + 1]! + offsets[d]!;
  const cursor = offsets.slice(0, levels);
  const spans = new Int32Array(model.spanCount);
  for (let k = 0; k < model.preorder.length; k++) {
    const v = model.preorder[k]!;
    spans[cursor[model.depth[v]!]!++] = v;
  }
  return { offsets, spans };
}

/**
 * The span drawn under a point: at `depth`, the span whose [start, end] holds `timeNs` (the latest-starting one when
 * several overlap), widened by `toleranceNs` so thin frames can be hit. −1 when none.
 */
export function spanAt(model: TraceModel, index: DepthIndex, depth: number, timeNs: number, toleranceNs = 0): number {
  if (!(depth >= 0) || depth > model.maxDepth) return -1;
  let best = -1;
  for (let k = index.offsets[depth]!; k < index.offsets[depth + 1]!; k++) {
    const v = index.spans[k]!;
    if (model.startOffsetNs[v]! - toleranceNs <= timeNs && timeNs <= model.endOffsetNs[v]! + toleranceNs) {
      if (best < 0 || model.startOffsetNs[v]! >= model.startOffsetNs[best]!) best = v;
    }
  }
  return best;
}

/** Flame-graph keyboard: Up to the parent, Down to the first child, Left/Right to the previous/next sibling, Home to the root. */
export function flameKeyTarget(model: TraceModel, span: number, key: string): number {
  if (model.spanCount === 0) return -1;
  if (span < 0 || span >= model.spanCount) return model.roots[0] ?? -1;
  const parent = model.parent[span]!;
  switch (key) {
    case 'ArrowUp':
      return parent >= 0 ? parent : span;
    case 'ArrowDown':
      return model.childOffsets[span + 1]! > model.childOffsets[span]! ? model.children[model.childOffsets[span]!]! : span;
    case 'ArrowLeft':
    case 'ArrowRight': {
      const list = parent >= 0 ? model.children.subarray(model.childOffsets[parent]!, model.childOffsets[parent + 1]!) : model.roots;
      const at = list.indexOf(span);
      const next = at + (key === 'ArrowRight' ? 1 : -1);
      return next >= 0 && next < list.length ? list[next]! : span;
    }
    case 'Home':
      return model.roots[0] ?? span;
    default:
      return span;
  }
}

import { ValidationError } from '../errors';
import { assertModel } from './critical-path';
import type { TraceModel } from './types';

/**
 * Size of every span's subtree (itself included). With `model.preorder`, the subtree of span v occupies the
 * `subtreeSizes[v]` preorder slots starting at v's own slot. O(n), iterative.
 *
 * @example
 * const sizes = subtreeSizes(model); sizes[model.roots[0]]; // spans under the first root, root included
 */
export function subtreeSizes(model: TraceModel): Int32Array {
  assertModel(model);
  const size = new Int32Array(model.spanCount).fill(1);
  const { preorder, parent } = model;
  for (let k = preorder.length - 1; k >= 0; k--) {
    const v = preorder[k]!;
    const p = parent[v]!;
    if (p >= 0) size[p] = size[p]! + size[v]!;
  }
  return size;
}

export interface FlattenOptions {
  /** Spans whose children are hidden. */
  readonly collapsed?: ReadonlySet<number>;
  /**
   * Which spans match: a predicate or a mask (non-zero = match). Matching spans are shown with all their ancestors
   * (for context); subtrees with no match are hidden. Omit to show everything.
   */
  readonly filter?: ((span: number) => boolean) | Uint8Array;
  /** Precomputed `subtreeSizes(model)`, to save a pass when flattening often. */
  readonly subtreeSizes?: Int32Array;
}

/**
 * The visible rows of a waterfall: span indices in depth-first preorder (roots and siblings by start time), skipping
 * the descendants of collapsed spans and, with a filter, the subtrees holding no match. Iterative and O(n): a
 * linear scan of `model.preorder` that jumps over hidden subtrees. Virtualise over the result.
 *
 * @example
 * const rows = flattenForDisplay(model, { collapsed: new Set([rootIndex]) }); // the roots only
 * const errors = flattenForDisplay(model, { filter: (i) => model.status[i] === StatusCode.ERROR });
 */
export function flattenForDisplay(model: TraceModel, options: FlattenOptions = {}): Int32Array {
  assertModel(model);
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an object', options);
  const { collapsed, filter } = options;
  if (collapsed !== undefined && !(collapsed instanceof Set)) throw new ValidationError('options.collapsed', 'a Set of span indices', collapsed);
  if (filter !== undefined && typeof filter !== 'function' && !(filter instanceof Uint8Array && filter.length === model.spanCount)) {
    throw new ValidationError('options.filter', `a predicate or a Uint8Array of length ${model.spanCount}`, filter);
  }
  const n = model.spanCount;
  const { preorder, parent } = model;
  const size = options.subtreeSizes ?? subtreeSizes(model);
  let keep: Uint8Array | undefined;
  if (filter !== undefined) {
    keep = new Uint8Array(n);
    if (typeof filter === 'function') {
      for (let i = 0; i < n; i++) if (filter(i)) keep[i] = 1;
    } else {
      for (let i = 0; i < n; i++) if (filter[i] !== 0) keep[i] = 1;
    }
    // ancestors of a match are shown too (children come after parents in preorder, so walk it backwards)
    for (let k = n - 1; k >= 0; k--) {
      const v = preorder[k]!;
      if (keep[v] === 1 && parent[v]! >= 0) keep[parent[v]!] = 1;
    }
  }
  const rows = new Int32Array(n);
  let count = 0;
  let k = 0;
  const hasCollapsed = collapsed !== undefined && collapsed.size > 0;
  while (k < n) {
    const v = preorder[k]!;
    if (keep !== undefined && keep[v] === 0) {
      k += size[v]!;
      continue;
    }
    rows[count++] = v;
    k += hasCollapsed && collapsed.has(v) ? size[v]! : 1;
  }
  return rows.slice(0, count);
}

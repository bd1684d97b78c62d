import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseOtlpTrace } from './otlp';
import { bottlenecks, criticalPath, selfTimes } from './critical-path';
import { spanIndexOf, spanIdOf } from './model';
import { BASE, hexId, otlpDocument } from './__fixtures__/build';
import type { SpanSpec } from './__fixtures__/build';
import type { TraceModel } from './types';

const model = (spans: SpanSpec[]): TraceModel => parseOtlpTrace(otlpDocument(spans));

/** Segments as [span number, from, to], span numbers being the spec ids. */
function segments(m: TraceModel, root?: number): Array<[number, number, number]> {
  const p = criticalPath(m, root === undefined ? undefined : { root });
  const out: Array<[number, number, number]> = [];
  const shift = Number(m.originNs - BASE); // offsets are from the earliest start; specs from BASE
  for (let s = 0; s < p.segmentCount; s++) out.push([parseInt(spanIdOf(m, p.segmentSpan[s]!), 16), p.segmentStartOffsetNs[s]! + shift, p.segmentEndOffsetNs[s]! + shift]);
  return out;
}

/** Self time by spec id. */
function selfById(m: TraceModel): Record<number, number> {
  const self = selfTimes(m);
  const out: Record<number, number> = {};
  for (let i = 0; i < m.spanCount; i++) out[parseInt(spanIdOf(m, i), 16)] = self[i]!;
  return out;
}

describe('critical path: golden cases', () => {
  it('back-to-back children are both on the path', () => {
    // A |==========|   0..10
    // B |=====|        0..5
    // C       |=====|  5..10
    const m = model([{ id: 1, start: 0, end: 10 }, { id: 2, parent: 1, start: 0, end: 5 }, { id: 3, parent: 1, start: 5, end: 10 }]);
    expect(segments(m)).toEqual([[2, 0, 5], [3, 5, 10]]);
    expect(selfById(m)).toEqual({ 1: 0, 2: 5, 3: 5 });
  });

  it('of overlapping children, the last to finish wins, and the other drops out', () => {
    // A |==========|  0..10
    // B  |======|     1..7
    // C    |======|   3..9
    // path: A 0..3, C 3..9, A 9..10 (B ends at 7, after C started: it was not waited for)
    const m = model([{ id: 1, start: 0, end: 10 }, { id: 2, parent: 1, start: 1, end: 7 }, { id: 3, parent: 1, start: 3, end: 9 }]);
    expect(segments(m)).toEqual([[1, 0, 3], [3, 3, 9], [1, 9, 10]]);
    // self time: 10 minus the union [1, 9] = 2 (not 10 - 6 - 6)
    expect(selfById(m)[1]).toBe(2);
  });

  it('clips a child that outlives its parent', () => {
    // A |==========|        0..10
    // B      |==========|   5..15 -> counts as 5..10
    const m = model([{ id: 1, start: 0, end: 10 }, { id: 2, parent: 1, start: 5, end: 15 }]);
    expect(segments(m)).toEqual([[1, 0, 5], [2, 5, 10]]);
    expect(selfById(m)).toEqual({ 1: 5, 2: 10 });
  });

  it('clips a child that starts before its parent', () => {
    //      A |==========|  10..20
    // B |=======|           5..12 -> counts as 10..12
    const m = model([{ id: 1, start: 10, end: 20 }, { id: 2, parent: 1, start: 5, end: 12 }]);
    expect(segments(m)).toEqual([[2, 10, 12], [1, 12, 20]]);
    expect(selfById(m)[1]).toBe(8);
  });

  it('ignores a child entirely outside its parent (async follow-up work)', () => {
    // A |==========|          0..10
    // B              |===|   12..15
    const m = model([{ id: 1, start: 0, end: 10 }, { id: 2, parent: 1, start: 12, end: 15 }]);
    expect(segments(m)).toEqual([[1, 0, 10]]);
    expect(selfById(m)[1]).toBe(10);
  });

  it('descends through nested spans and comes back', () => {
    // A |====================================================================================================| 0..100
    // B           |==================================================|                                       10..60
    // C                     |==============================|                                                  20..50
    // D                               |==========|                                                            30..40
    // E                                                                       |====================|         70..90
    const m = model([
      { id: 1, start: 0, end: 100 },
      { id: 2, parent: 1, start: 10, end: 60 },
      { id: 3, parent: 2, start: 20, end: 50 },
      { id: 4, parent: 3, start: 30, end: 40 },
      { id: 5, parent: 1, start: 70, end: 90 },
    ]);
    expect(segments(m)).toEqual([[1, 0, 10], [2, 10, 20], [3, 20, 30], [4, 30, 40], [3, 40, 50], [2, 50, 60], [1, 60, 70], [5, 70, 90], [1, 90, 100]]);
    const path = criticalPath(m);
    expect(path.totalNs).toBe(100);
    expect([...path.onPath]).toEqual([1, 1, 1, 1, 1]);
  });

  it('on equal ends takes the longer child', () => {
    // A |==========|  0..10
    // B   |======|    2..8
    // C     |====|    4..8
    const m = model([{ id: 1, start: 0, end: 10 }, { id: 2, parent: 1, start: 2, end: 8 }, { id: 3, parent: 1, start: 4, end: 8 }]);
    expect(segments(m)).toEqual([[1, 0, 2], [2, 2, 8], [1, 8, 10]]);
    expect(criticalPath(m).onPath[spanIndexOf(m, hexId(3))]).toBe(0);
  });

  it('skips zero-length children and starts from the longest root', () => {
    const m = model([{ id: 1, start: 0, end: 10 }, { id: 2, parent: 1, start: 5, end: 5 }, { id: 9, start: 0, end: 50 }]);
    expect(segments(m)).toEqual([[9, 0, 50]]);
    expect(segments(m, spanIndexOf(m, hexId(1)))).toEqual([[1, 0, 10]]);
    expect(() => criticalPath(m, { root: 7 })).toThrow(/options.root/);
  });

  it('names the bottlenecks: largest self time on the path first', () => {
    const m = model([
      { id: 1, start: 0, end: 100, service: 'front' },
      { id: 2, parent: 1, start: 10, end: 90, service: 'db', name: 'query' },
      { id: 3, parent: 2, start: 20, end: 30, service: 'db', name: 'lock' },
    ]);
    const top = bottlenecks(m, { limit: 2 });
    expect(top.map((b) => [b.service, b.operation, b.criticalTimeNs])).toEqual([['db', 'query', 70], ['front', 'op1', 20]]);
    expect(top[0]!.share).toBeCloseTo(0.7, 12);
  });

  it('handles an empty trace', () => {
    const m = parseOtlpTrace({ resourceSpans: [] });
    expect(criticalPath(m).segmentCount).toBe(0);
    expect(selfTimes(m).length).toBe(0);
  });
});

// ---- independent oracles (recursion is fine here: small trees) ----

interface Node {
  readonly id: number;
  readonly start: number;
  readonly end: number;
  readonly children: Node[];
}

function buildNodes(specs: SpanSpec[]): { roots: Node[]; byId: Map<number, Node> } {
  const byId = new Map<number, Node>();
  for (const s of specs) byId.set(s.id, { id: s.id, start: s.start, end: s.end, children: [] });
  const roots: Node[] = [];
  for (const s of specs) {
    const node = byId.get(s.id)!;
    if (s.parent !== undefined && s.parent >= 0 && byId.has(s.parent)) byId.get(s.parent)!.children.push(node);
    else roots.push(node);
  }
  return { roots, byId };
}

/** Critical path by its definition, recursively, with plain arrays: [id, from, to] in time order. */
function oraclePath(node: Node, low: number, high: number): Array<[number, number, number]> {
  const kids = node.children
    .map((c) => ({ c, s: Math.max(c.start, low), e: Math.min(c.end, high) }))
    .filter((k) => k.e > k.s);
  const reversed: Array<[number, number, number]> = [];
  let barrier = high;
  for (;;) {
    const eligible = kids.filter((k) => k.e <= barrier);
    if (eligible.length === 0) {
      if (barrier > low) reversed.push([node.id, low, barrier]);
      break;
    }
    // latest clipped end; then earliest clipped start; then latest raw end, earliest raw start
    eligible.sort((a, b) => b.e - a.e || a.s - b.s || b.c.end - a.c.end || a.c.start - b.c.start);
    const best = eligible[0]!;
    if (barrier > best.e) reversed.push([node.id, best.e, barrier]);
    const inner = oraclePath(best.c, best.s, best.e);
    for (let i = inner.length - 1; i >= 0; i--) reversed.push(inner[i]!);
    barrier = best.s;
  }
  return reversed.reverse();
}

/** Self time on the integer grid: instants of the span covered by no (clipped) child. */
function oracleSelf(node: Node): number {
  let self = 0;
  for (let t = node.start; t < node.end; t++) {
    if (!node.children.some((c) => c.start <= t && t < c.end)) self++;
  }
  return self;
}

/** Random trees: span i's parent is an earlier span (or none), times on a small integer grid. */
const treeArbitrary = fc
  .array(fc.record({ parentPick: fc.nat(1000), rootChance: fc.nat(9), start: fc.nat(60), length: fc.nat(40) }), { minLength: 1, maxLength: 30 })
  .map((rows) =>
    rows.map((r, i): SpanSpec => ({
      id: i + 1,
      parent: i === 0 || r.rootChance === 0 ? -1 : (r.parentPick % i) + 1,
      start: r.start,
      end: r.start + r.length,
    })),
  );

describe('critical path and self time: properties against the oracles', () => {
  it('agrees with the recursive oracle and partitions the root exactly', () => {
    fc.assert(
      fc.property(treeArbitrary, (specs) => {
        const m = model(specs);
        const path = criticalPath(m);
        const root = path.root;
        const rootId = parseInt(spanIdOf(m, root), 16);
        const { byId } = buildNodes(specs);
        const rootNode = byId.get(rootId)!;
        // the longest root
        for (let k = 0; k < m.roots.length; k++) expect(m.durationNs[m.roots[k]!]!).toBeLessThanOrEqual(m.durationNs[root]!);
        const expected = oraclePath(rootNode, rootNode.start, rootNode.end);
        expect(segments(m, root)).toEqual(expected);
        // contiguous, non-overlapping, summing to the root's duration (<= the trace's)
        let cursor = m.startOffsetNs[root]!;
        for (let s = 0; s < path.segmentCount; s++) {
          expect(path.segmentStartOffsetNs[s]).toBe(cursor);
          expect(path.segmentEndOffsetNs[s]!).toBeGreaterThan(cursor);
          cursor = path.segmentEndOffsetNs[s]!;
        }
        if (path.segmentCount > 0) expect(cursor).toBe(m.endOffsetNs[root]);
        expect(path.totalNs).toBe(m.durationNs[root]);
        expect(path.totalNs).toBeLessThanOrEqual(m.traceDurationNs);
        // a chain from the root: every owner's ancestors are on the path, up to this root
        for (let s = 0; s < path.segmentCount; s++) {
          let v = path.segmentSpan[s]!;
          while (m.parent[v]! >= 0) {
            expect(path.onPath[m.parent[v]!]).toBe(1);
            v = m.parent[v]!;
          }
          expect(v).toBe(root);
        }
        // per-span critical time adds up
        expect(path.criticalTimeNs.reduce((a, b) => a + b, 0)).toBe(path.totalNs);
      }),
      { numRuns: 300 },
    );
  });

  it('self time is duration minus the union of clipped children, never negative', () => {
    fc.assert(
      fc.property(treeArbitrary, (specs) => {
        const m = model(specs);
        const self = selfTimes(m);
        const { byId } = buildNodes(specs);
        for (let i = 0; i < m.spanCount; i++) {
          const node = byId.get(parseInt(spanIdOf(m, i), 16))!;
          expect(self[i]).toBe(oracleSelf(node));
          expect(self[i]!).toBeGreaterThanOrEqual(0);
          // self + union of clipped children = duration, with the union measured independently on the grid
          let covered = 0;
          for (let t = node.start; t < node.end; t++) if (node.children.some((c) => c.start <= t && t < c.end)) covered++;
          expect(self[i]! + covered).toBe(m.durationNs[i]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order spans arrive in', () => {
    fc.assert(
      fc.property(treeArbitrary, fc.infiniteStream(fc.nat()), (specs, randoms) => {
        const shuffled = [...specs];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = randoms.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const a = model(specs);
        const b = model(shuffled);
        expect(selfById(b)).toEqual(selfById(a));
        expect(criticalPath(b).totalNs).toBe(criticalPath(a).totalNs);
      }),
      { numRuns: 150 },
    );
  });
});

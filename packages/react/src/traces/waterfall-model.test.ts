import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '@vigil/core';
import { StatusCode, criticalPath, flattenForDisplay, parseTrace, type TraceModel } from '@vigil/core/traces';
import {
  allParents,
  ancestorsOf,
  clampWindow,
  filterMask,
  indentation,
  minimapLines,
  nextHit,
  revealSpan,
  rowIndexOf,
  searchSpans,
  segmentsBySpan,
  siblingPositions,
  splitMatches,
  waterfallKeyAction,
  windowBaseDepth,
  formatDuration,
} from './waterfall-model';
import { generateTraceDocument, malformedDocument } from './story-data';

const model = parseTrace({ format: 'otlp-json', body: generateTraceDocument({ spanCount: 2_000, seed: 5, errorRate: 0.05 }) });
const path = criticalPath(model);

/** Brute force: the spans shown by a filter are the matches and their ancestors, walked parent by parent. */
function bruteForceShown(m: TraceModel, match: (i: number) => boolean): Set<number> {
  const shown = new Set<number>();
  for (let i = 0; i < m.spanCount; i++) {
    if (!match(i)) continue;
    let v = i;
    while (v >= 0 && !shown.has(v)) {
      shown.add(v);
      v = m.parent[v]!;
    }
  }
  return shown;
}

const serviceOf = (i: number) => model.services[model.service[i]!]!;

describe('filterMask', () => {
  it('is undefined when nothing filters', () => {
    expect(filterMask(model, {}, path)).toBeUndefined();
    expect(filterMask(model, { services: [], minDurationMs: 0, errorsOnly: false }, path)).toBeUndefined();
  });

  it('combines service, duration, errors and critical path like a brute-force predicate', () => {
    fc.assert(
      fc.property(
        fc.subarray(model.services as string[]),
        fc.option(fc.double({ min: 0, max: 500, noNaN: true }), { nil: undefined }),
        fc.boolean(),
        fc.boolean(),
        (services, minDurationMs, errorsOnly, criticalPathOnly) => {
          const filters = { services, minDurationMs, errorsOnly, criticalPathOnly };
          const mask = filterMask(model, filters, path);
          const predicate = (i: number) =>
            (services.length === 0 || services.includes(serviceOf(i))) &&
            (minDurationMs === undefined || model.durationNs[i]! >= minDurationMs * 1e6) &&
            (!errorsOnly || model.status[i] === StatusCode.ERROR) &&
            (!criticalPathOnly || path.onPath[i] === 1);
          if (mask === undefined) {
            for (let i = 0; i < model.spanCount; i++) expect(predicate(i)).toBe(true);
            return;
          }
          for (let i = 0; i < model.spanCount; i++) expect(mask[i] === 1).toBe(predicate(i));
          // and the rows shown are exactly the matches with their ancestors, in preorder
          const rows = flattenForDisplay(model, { filter: mask });
          expect(new Set(rows)).toEqual(bruteForceShown(model, predicate));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('rejects a negative minimum duration with a ValidationError naming the field', () => {
    expect(() => filterMask(model, { minDurationMs: -1 }, path)).toThrow(ValidationError);
    expect(() => filterMask(model, { minDurationMs: Number.NaN }, path)).toThrow(/filters\.minDurationMs/);
  });

  it('matches nothing for an unknown service', () => {
    const mask = filterMask(model, { services: ['no-such-service'] }, path)!;
    expect(mask.every((x) => x === 0)).toBe(true);
  });
});

describe('tree helpers', () => {
  it('rowIndexOf inverts the rows', () => {
    const rows = flattenForDisplay(model, { collapsed: new Set([model.roots[0]!]) });
    const index = rowIndexOf(model.spanCount, rows);
    for (let i = 0; i < model.spanCount; i++) expect(index[i]).toBe(rows.indexOf(i));
  });

  it('ancestorsOf walks to the root, nearest first', () => {
    for (const span of [0, 17, 999, 1999]) {
      const chain = ancestorsOf(model, span);
      expect(chain.length).toBe(model.depth[span]);
      let v = span;
      for (const a of chain) {
        expect(a).toBe(model.parent[v]);
        v = a;
      }
    }
  });

  it('revealSpan uncollapses exactly the ancestors, making the span visible', () => {
    const collapsed = allParents(model);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: model.spanCount - 1 }), (span) => {
        const next = revealSpan(model, collapsed, span);
        expect(flattenForDisplay(model, { collapsed: next as Set<number> }).includes(span)).toBe(true);
        const ancestors = new Set(ancestorsOf(model, span));
        for (const c of collapsed) expect(next.has(c)).toBe(!ancestors.has(c));
      }),
      { numRuns: 50 },
    );
  });

  it('siblingPositions agrees with a search in the children lists', () => {
    const { position, size } = siblingPositions(model);
    for (let i = 0; i < model.spanCount; i += 7) {
      const p = model.parent[i]!;
      const siblings = p < 0 ? [...model.roots] : [...model.children.subarray(model.childOffsets[p]!, model.childOffsets[p + 1]!)];
      expect(position[i]).toBe(siblings.indexOf(i));
      expect(size[i]).toBe(siblings.length);
    }
  });

  it('segmentsBySpan lists every critical segment under its owner', () => {
    const { offsets, segmentOrder } = segmentsBySpan(path, model.spanCount);
    let total = 0;
    for (let v = 0; v < model.spanCount; v++) {
      for (let k = offsets[v]!; k < offsets[v + 1]!; k++) {
        expect(path.segmentSpan[segmentOrder[k]!]).toBe(v);
        total++;
      }
    }
    expect(total).toBe(path.segmentCount);
  });
});

describe('indentation', () => {
  it('is absolute for shallow traces and capped, relative for deep ones', () => {
    expect(indentation(3, 0)).toEqual({ level: 3, relative: false });
    expect(indentation(30, 0, 24)).toEqual({ level: 24, relative: true });
    expect(indentation(5000, 4990, 24)).toEqual({ level: 10, relative: true });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 64 }), (depth, base, cap) => {
        const { level } = indentation(depth, Math.min(base, depth), cap);
        expect(level).toBeGreaterThanOrEqual(0);
        expect(level).toBeLessThanOrEqual(cap);
      }),
    );
  });

  it('windowBaseDepth is 0 when the tree fits under the cap, else one above the shallowest row in the window', () => {
    const rows = flattenForDisplay(model);
    if (model.maxDepth <= 24) expect(windowBaseDepth(model, rows, 0, 50)).toBe(0);
    const deep = parseTrace({ format: 'otlp-json', body: generateTraceDocument({ spanCount: 3000, seed: 1, shape: 'chain' }) });
    const deepRows = flattenForDisplay(deep);
    expect(windowBaseDepth(deep, deepRows, 2000, 2030)).toBe(1999);
    // sticky: a small scroll keeps the base; a base below the window's top moves up; far below moves down
    expect(windowBaseDepth(deep, deepRows, 2005, 2035, 24, 1999)).toBe(1999);
    expect(windowBaseDepth(deep, deepRows, 1990, 2020, 24, 1999)).toBe(1989);
    expect(windowBaseDepth(deep, deepRows, 2100, 2130, 24, 1999)).toBe(2099);
    // every row in the window is at or below the base, and the shallowest within half the cap
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2900 }), fc.integer({ min: 0, max: 3000 }), (from, previous) => {
        const base = windowBaseDepth(deep, deepRows, from, from + 30, 24, previous);
        expect(base).toBeLessThanOrEqual(deep.depth[deepRows[from]!]!);
        expect(deep.depth[deepRows[from]!]! - base).toBeLessThanOrEqual(24);
      }),
    );
  });
});

describe('search', () => {
  it('finds the spans a brute-force scan finds, in display order', () => {
    for (const text of ['charge', 'REDIS', 'get', 'zzz-none', '  ']) {
      const hits = searchSpans(model, text);
      const q = text.trim().toLowerCase();
      const expected = q === '' ? [] : [...flattenForDisplay(model)].filter((i) => serviceOf(i).toLowerCase().includes(q) || model.operations[model.operation[i]!]!.toLowerCase().includes(q) || idHex(i).includes(q));
      expect([...hits.spans]).toEqual(expected);
      for (let i = 0; i < model.spanCount; i++) expect(hits.mask[i] === 1).toBe(expected.includes(i));
    }
  });

  it('nextHit wraps both ways and starts at the ends', () => {
    expect(nextHit(0, -1, 1)).toBe(-1);
    expect(nextHit(3, -1, 1)).toBe(0);
    expect(nextHit(3, -1, -1)).toBe(2);
    expect(nextHit(3, 2, 1)).toBe(0);
    expect(nextHit(3, 0, -1)).toBe(2);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 99 }), (count, at) => {
        const current = at % count;
        expect(nextHit(count, nextHit(count, current, 1), -1)).toBe(current);
      }),
    );
  });

  it('splitMatches keeps the text and marks each case-insensitive occurrence', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1, maxLength: 3 }), (text, query) => {
        const parts = splitMatches(text, query);
        expect(parts.map((p) => p.text).join('')).toBe(text);
        for (const p of parts) if (p.match) expect(p.text.toLowerCase()).toBe(query.trim().toLowerCase());
      }),
    );
    expect(splitMatches('<b>Checkout</b>', 'check')).toEqual([
      { text: '<b>', match: false },
      { text: 'Check', match: true },
      { text: 'out</b>', match: false },
    ]);
  });
});

function idHex(i: number): string {
  return model.spanIdHigh[i]!.toString(16).padStart(8, '0') + model.spanIdLow[i]!.toString(16).padStart(8, '0');
}

describe('waterfallKeyAction (tree-grid keyboard)', () => {
  const rows = flattenForDisplay(model);
  const rowOf = rowIndexOf(model.spanCount, rows);
  const state = (row: number, collapsed: ReadonlySet<number> = new Set()) => ({ rows, row, model, collapsed, pageSize: 10, rowOf });

  it('moves and clamps', () => {
    expect(waterfallKeyAction('ArrowDown', state(0))).toEqual({ type: 'move', row: 1 });
    expect(waterfallKeyAction('ArrowUp', state(0))).toEqual({ type: 'move', row: 0 });
    expect(waterfallKeyAction('End', state(0))).toEqual({ type: 'move', row: rows.length - 1 });
    expect(waterfallKeyAction('Home', state(50))).toEqual({ type: 'move', row: 0 });
    expect(waterfallKeyAction('PageDown', state(rows.length - 3))).toEqual({ type: 'move', row: rows.length - 1 });
    expect(waterfallKeyAction('PageUp', state(25))).toEqual({ type: 'move', row: 15 });
    expect(waterfallKeyAction('x', state(3))).toEqual({ type: 'none' });
  });

  it('right expands a collapsed parent, then moves to its first child; left collapses, then goes to the parent', () => {
    const root = rows[0]!;
    expect(waterfallKeyAction('ArrowRight', state(0, new Set([root])))).toEqual({ type: 'expand', span: root });
    expect(waterfallKeyAction('ArrowRight', state(0))).toEqual({ type: 'move', row: 1 });
    expect(waterfallKeyAction('ArrowLeft', state(0))).toEqual({ type: 'collapse', span: root });
    // a leaf: left goes to its parent's row, right does nothing
    const leafRow = rows.findIndex((v) => model.childOffsets[v + 1] === model.childOffsets[v] && model.parent[v]! >= 0);
    const leaf = rows[leafRow]!;
    expect(waterfallKeyAction('ArrowLeft', state(leafRow))).toEqual({ type: 'move', row: rowOf[model.parent[leaf]!] });
    expect(waterfallKeyAction('ArrowRight', state(leafRow))).toEqual({ type: 'none' });
    expect(waterfallKeyAction('Enter', state(leafRow))).toEqual({ type: 'open', span: leaf });
  });

  it('never returns a row out of range', () => {
    fc.assert(
      fc.property(fc.constantFrom('ArrowDown', 'ArrowUp', 'Home', 'End', 'PageUp', 'PageDown', 'ArrowLeft', 'ArrowRight', 'Enter'), fc.integer({ min: -5, max: rows.length + 5 }), (key, row) => {
        const action = waterfallKeyAction(key, state(row));
        if (action.type === 'move') {
          expect(action.row).toBeGreaterThanOrEqual(0);
          expect(action.row).toBeLessThan(rows.length);
        }
      }),
    );
    expect(waterfallKeyAction('ArrowDown', { ...state(0), rows: new Int32Array(0) })).toEqual({ type: 'none' });
  });
});

describe('time window and minimap', () => {
  it('clampWindow keeps windows inside the trace and at least 1 ns wide', () => {
    fc.assert(
      fc.property(fc.double(), fc.double(), fc.double({ min: 0, max: 1e12, noNaN: true }), (a, b, total) => {
        const w = clampWindow({ start: a, end: b }, total);
        const t = total > 0 ? total : 1;
        expect(w.start).toBeGreaterThanOrEqual(0);
        expect(w.end).toBeLessThanOrEqual(t);
        expect(w.end - w.start).toBeGreaterThan(0);
      }),
    );
  });

  it('minimapLines hulls the rows of each line', () => {
    const rows = flattenForDisplay(model);
    const lines = minimapLines(model, rows, 40);
    expect(lines.start.length).toBe(40);
    for (let y = 0; y < 40; y++) {
      let s = Infinity;
      let e = -Infinity;
      let error = 0;
      for (let r = 0; r < rows.length; r++) {
        if (Math.floor((r * 40) / rows.length) !== y) continue;
        s = Math.min(s, model.startOffsetNs[rows[r]!]!);
        e = Math.max(e, model.endOffsetNs[rows[r]!]!);
        if (model.status[rows[r]!] === StatusCode.ERROR) error = 1;
      }
      expect(lines.start[y]).toBe(s);
      expect(lines.end[y]).toBe(e);
      expect(lines.error[y]).toBe(error);
    }
    // fewer rows than pixels: one line per row
    expect(minimapLines(model, rows.subarray(0, 5), 40).start.length).toBe(5);
  });

  it('formatDuration writes zero as 0', () => {
    expect(formatDuration(0)).toBe('0');
    expect(formatDuration(13_500_000)).toBe('13.5ms');
  });
});

describe('malformed input', () => {
  it('the malformed story trace parses with warnings and every span shows once', () => {
    const bad = parseTrace({ format: 'otlp-json', body: malformedDocument() });
    expect(bad.warnings.length).toBeGreaterThanOrEqual(5);
    const rows = flattenForDisplay(bad);
    expect(new Set(rows).size).toBe(bad.spanCount);
  });
});

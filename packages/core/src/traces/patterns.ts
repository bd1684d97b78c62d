import { ValidationError } from '../errors';
import { assertModel, selfTimes } from './critical-path';
import type { TraceModel } from './types';

/** A run of sibling spans with the same service and name under one parent: the N+1 shape. */
export interface RepeatedSiblings {
  readonly parent: number;
  readonly service: string;
  readonly operation: string;
  readonly count: number;
  /** The sibling spans, by start time. */
  readonly spans: Int32Array;
  /** Sum of their durations, ns. */
  readonly totalDurationNs: number;
  /** Union of their intervals, ns: the wall-clock time they took together. */
  readonly wallTimeNs: number;
  /** True when no two of them overlap (one after another: the classic N+1 loop). */
  readonly sequential: boolean;
}

/**
 * Finds groups of at least `minCount` (default 5) siblings sharing service and span name, largest total time
 * first: the N+1 query pattern and its cousins. Sequential groups (no overlap) are the ones batching would fix.
 *
 * @example
 * repeatedSiblings(model).filter((g) => g.sequential).map((g) => `${g.count}x ${g.operation}`);
 */
export function repeatedSiblings(model: TraceModel, options?: { readonly minCount?: number }): RepeatedSiblings[] {
  assertModel(model);
  const minCount = options?.minCount ?? 5;
  if (typeof minCount !== 'number' || !Number.isInteger(minCount) || minCount < 2) throw new ValidationError('options.minCount', 'an integer >= 2', minCount);
  const { childOffsets, children, service, operation, startOffsetNs: start, endOffsetNs: end, durationNs } = model;
  const opCount = model.operations.length;
  const out: RepeatedSiblings[] = [];
  const groups = new Map<number, number[]>();
  for (let v = 0; v < model.spanCount; v++) {
    const from = childOffsets[v]!;
    const to = childOffsets[v + 1]!;
    if (to - from < minCount) continue;
    groups.clear();
    for (let k = from; k < to; k++) {
      const c = children[k]!;
      const key = service[c]! * opCount + operation[c]!;
      let list = groups.get(key);
      if (list === undefined) groups.set(key, (list = []));
      list.push(c);
    }
    for (const list of groups.values()) {
      if (list.length < minCount) continue;
      // children are sorted by start already
      let total = 0;
      let wall = 0;
      let runStart = 0;
      let runEnd = -Infinity;
      let sequential = true;
      for (const c of list) {
        total += durationNs[c]!;
        if (start[c]! < runEnd) sequential = false;
        if (start[c]! > runEnd) {
          if (runEnd > runStart) wall += runEnd - runStart;
          runStart = start[c]!;
          runEnd = end[c]!;
        } else if (end[c]! > runEnd) runEnd = end[c]!;
      }
      if (runEnd > runStart) wall += runEnd - runStart;
      const first = list[0]!;
      out.push({
        parent: v,
        service: model.services[service[first]!]!,
        operation: model.operations[operation[first]!]!,
        count: list.length,
        spans: Int32Array.from(list),
        totalDurationNs: total,
        wallTimeNs: wall,
        sequential,
      });
    }
  }
  return out.sort((a, b) => b.totalDurationNs - a.totalDurationNs || a.parent - b.parent);
}

/** One operation (service + name) compared across two traces. */
export interface OperationDelta {
  readonly service: string;
  readonly operation: string;
  readonly countA: number;
  readonly countB: number;
  readonly totalDurationNsA: number;
  readonly totalDurationNsB: number;
  readonly selfTimeNsA: number;
  readonly selfTimeNsB: number;
  /** B − A, ns. */
  readonly totalDurationDeltaNs: number;
  readonly selfTimeDeltaNs: number;
  readonly countDelta: number;
  readonly change: 'added' | 'removed' | 'changed' | 'same';
}

export interface TraceComparison {
  readonly durationNsA: number;
  readonly durationNsB: number;
  /** B − A trace duration, ns. */
  readonly durationDeltaNs: number;
  readonly spanCountA: number;
  readonly spanCountB: number;
  /** Per operation, largest absolute self-time change first. */
  readonly operations: OperationDelta[];
}

function perOperation(model: TraceModel): Map<string, { service: string; operation: string; count: number; total: number; self: number }> {
  const self = selfTimes(model);
  const map = new Map<string, { service: string; operation: string; count: number; total: number; self: number }>();
  for (let i = 0; i < model.spanCount; i++) {
    const service = model.services[model.service[i]!]!;
    const operation = model.operations[model.operation[i]!]!;
    const key = `${service}\u0000${operation}`;
    let row = map.get(key);
    if (row === undefined) map.set(key, (row = { service, operation, count: 0, total: 0, self: 0 }));
    row.count++;
    row.total += model.durationNs[i]!;
    row.self += self[i]!;
  }
  return map;
}

/**
 * Compares two traces (say a slow and a fast run of the same request) per operation: counts, total and self time
 * and their deltas (B − A), sorted by the largest absolute self-time change.
 *
 * @example
 * const diff = compareTraces(fast, slow);
 * diff.operations[0]; // { service: 'db', operation: 'SELECT', countDelta: 40, selfTimeDeltaNs: 3.2e8, change: 'changed' }
 */
export function compareTraces(a: TraceModel, b: TraceModel): TraceComparison {
  assertModel(a);
  assertModel(b);
  const ma = perOperation(a);
  const mb = perOperation(b);
  const keys = new Set([...ma.keys(), ...mb.keys()]);
  const operations: OperationDelta[] = [];
  for (const key of keys) {
    const x = ma.get(key);
    const y = mb.get(key);
    const row = (x ?? y)!;
    const countA = x?.count ?? 0;
    const countB = y?.count ?? 0;
    const totalA = x?.total ?? 0;
    const totalB = y?.total ?? 0;
    const selfA = x?.self ?? 0;
    const selfB = y?.self ?? 0;
    operations.push({
      service: row.service,
      operation: row.operation,
      countA,
      countB,
      totalDurationNsA: totalA,
      totalDurationNsB: totalB,
      selfTimeNsA: selfA,
      selfTimeNsB: selfB,
      totalDurationDeltaNs: totalB - totalA,
      selfTimeDeltaNs: selfB - selfA,
      countDelta: countB - countA,
      change: x === undefined ? 'added' : y === undefined ? 'removed' : countA === countB && totalA === totalB && selfA === selfB ? 'same' : 'changed',
    });
  }
  operations.sort(
    (p, q) => Math.abs(q.selfTimeDeltaNs) - Math.abs(p.selfTimeDeltaNs) || Math.abs(q.totalDurationDeltaNs) - Math.abs(p.totalDurationDeltaNs) || p.service.localeCompare(q.service) || p.operation.localeCompare(q.operation),
  );
  return { durationNsA: a.traceDurationNs, durationNsB: b.traceDurationNs, durationDeltaNs: b.traceDurationNs - a.traceDurationNs, spanCountA: a.spanCount, spanCountB: b.spanCount, operations };
}

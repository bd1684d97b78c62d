import { ValidationError } from '@vigil/core';
import type { UsageAggregateRow } from '@vigil/core/cost';
import { formatDuration } from './format';

/*
 * Pure helpers of the cost components: Pareto front, heat-map levels, the attribution hierarchy. No React here,
 * so they are unit-tested on their own.
 */

/** One point of {@link paretoFront}: lower `cost` is better; `better` says which way `performance` is better. */
export interface ParetoInput {
  readonly cost: number;
  readonly performance: number;
}

/**
 * Indices of the points on the Pareto front: no other point is at least as good on both axes and strictly better
 * on one. Cost is minimised; performance is minimised (`'lower'`, e.g. latency) or maximised (`'higher'`, e.g.
 * quality). Points with a non-finite coordinate are never on the front. O(n log n): sort by cost, sweep.
 *
 * @example
 * paretoFront([{ cost: 1, performance: 900 }, { cost: 2, performance: 400 }, { cost: 3, performance: 500 }], 'lower'); // [0, 1]
 */
export function paretoFront(points: readonly ParetoInput[], better: 'lower' | 'higher'): number[] {
  if (!Array.isArray(points)) throw new ValidationError('points', 'an array of { cost, performance }', points);
  if (better !== 'lower' && better !== 'higher') throw new ValidationError('better', "'lower' or 'higher'", better);
  const sign = better === 'lower' ? 1 : -1;
  const order: number[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (p !== undefined && Number.isFinite(p.cost) && Number.isFinite(p.performance)) order.push(i);
  }
  // By cost, then by performance (best first), so that among equal costs only the best can be on the front.
  order.sort((a, b) => points[a]!.cost - points[b]!.cost || sign * (points[a]!.performance - points[b]!.performance));
  const front: number[] = [];
  let best = Infinity;
  let lastCost = NaN;
  let lastPerf = NaN;
  for (const i of order) {
    const p = points[i]!;
    const perf = sign * p.performance;
    if (perf < best) {
      front.push(i);
      best = perf;
      lastCost = p.cost;
      lastPerf = perf;
    } else if (perf === lastPerf && p.cost === lastCost) {
      // An exact duplicate of a front point is not dominated either.
      front.push(i);
    }
  }
  return front.sort((a, b) => a - b);
}

/** How a metric column reads: which direction is better (for the heat map), or neutral. */
export type MetricDirection = 'lower' | 'higher' | 'neutral';

/**
 * The heat level of `value` within [min, max]: 0 best … 1 worst, by the column's direction; undefined for a
 * neutral column, a non-finite value or a column whose values are all equal.
 *
 * @example
 * heatLevel(5, 0, 10, 'lower'); // 0.5
 */
export function heatLevel(value: number, min: number, max: number, direction: MetricDirection): number | undefined {
  if (direction === 'neutral' || !Number.isFinite(value) || !Number.isFinite(min) || !Number.isFinite(max) || max <= min) return undefined;
  const t = Math.max(0, Math.min(1, (value - min) / (max - min)));
  return direction === 'lower' ? t : 1 - t;
}

/** A node of the spend attribution tree (provider → model → feature, or any levels). */
export interface AttributionNode {
  readonly id: string;
  readonly name: string;
  /** Level name, e.g. `provider`; `root` for the root. */
  readonly level: string;
  /** Spend of priced requests under this node, US dollars. */
  spend: number;
  requests: number;
  unpricedRequests: number;
  readonly children: AttributionNode[];
}

/**
 * Builds the attribution hierarchy from aggregate rows grouped by at least the given levels (for example
 * `aggregateUsage(table, priced, { by: ['provider', 'model', 'feature'] }).rows`). Iterative, no recursion. A
 * missing level value is grouped as `(none)`. Above `maxChildren` children, the smallest are merged into one
 * "N others" leaf.
 *
 * @example
 * const root = attributionTree(aggregate.rows, ['provider', 'model', 'feature']);
 */
export function attributionTree(rows: readonly UsageAggregateRow[], levels: readonly string[], maxChildren = Infinity): AttributionNode {
  if (!(maxChildren >= 2)) throw new ValidationError('maxChildren', 'a number >= 2', maxChildren);
  if (!Array.isArray(rows)) throw new ValidationError('rows', 'an array of aggregate rows', rows);
  if (!Array.isArray(levels) || levels.length === 0) throw new ValidationError('levels', 'a non-empty array of dimension names', levels);
  const root: AttributionNode = { id: 'root', name: 'All spend', level: 'root', spend: 0, requests: 0, unpricedRequests: 0, children: [] };
  const index = new Map<string, AttributionNode>();
  rows.forEach((row, r) => {
    if (row === null || typeof row !== 'object' || row.key === null || typeof row.key !== 'object') throw new ValidationError(`rows[${r}]`, 'an aggregate row with a key', row);
    const spend = Number.isFinite(row.spend) ? row.spend : 0;
    let node = root;
    let id = 'root';
    node.spend += spend;
    node.requests += row.requests;
    node.unpricedRequests += row.unpricedRequests;
    for (const level of levels) {
      const name = row.key[level] ?? '(none)';
      id = `${id}\u0000${name}`;
      let child = index.get(id);
      if (child === undefined) {
        child = { id, name, level, spend: 0, requests: 0, unpricedRequests: 0, children: [] };
        index.set(id, child);
        node.children.push(child);
      }
      child.spend += spend;
      child.requests += row.requests;
      child.unpricedRequests += row.unpricedRequests;
      node = child;
    }
  });
  // Largest first at every level (an explicit stack: no recursion over depth).
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    node.children.sort((a, b) => b.spend - a.spend || a.name.localeCompare(b.name));
    if (node.children.length > maxChildren) {
      // The long tail becomes one leaf, so a huge level stays readable and the drawing stays small.
      const tail = node.children.splice(maxChildren - 1);
      const other: AttributionNode = { id: `${node.id}\u0000(others)`, name: `${tail.length} others`, level: tail[0]!.level, spend: 0, requests: 0, unpricedRequests: 0, children: [] };
      for (const t of tail) {
        other.spend += t.spend;
        other.requests += t.requests;
        other.unpricedRequests += t.unpricedRequests;
      }
      node.children.push(other);
    }
    stack.push(...node.children);
  }
  return root;
}

/** Summary sentence of a point for screen readers, e.g. "gpt-4.1: $0.0012 per request, p95 740 ms". */
export function describePerformance(value: number, metric: 'latency' | 'quality'): string {
  if (!Number.isFinite(value)) return 'no data';
  return metric === 'latency' ? `p95 ${formatDuration(value)}` : `quality ${(value * 100).toFixed(1)}%`;
}

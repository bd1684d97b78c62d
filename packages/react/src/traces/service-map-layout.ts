import { forceCollide, forceLink, forceSimulation, forceX, forceY, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3-force';
import type { ServiceGraph } from '@vigil/core/traces';
import { seededRandom } from '@vigil/core/stats';

/** A placed service. */
export interface PlacedNode {
  readonly service: string;
  readonly x: number;
  readonly y: number;
  /** Column: the shortest call distance from a service with no callers. */
  readonly layer: number;
}

export interface ServiceMapLayout {
  readonly nodes: readonly PlacedNode[];
  readonly width: number;
  readonly height: number;
}

interface SimNode extends SimulationNodeDatum {
  readonly service: string;
  readonly layer: number;
  readonly targetX: number;
}

/**
 * Column of every service: breadth-first distance from the services nobody calls (callers left, callees right).
 * Services only in cycles start from the alphabetically first one. Iterative.
 */
export function serviceLayers(graph: ServiceGraph): Map<string, number> {
  const names = graph.nodes.map((n) => n.service);
  const incoming = new Map<string, number>(names.map((n) => [n, 0]));
  const out = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const e of graph.edges) {
    if (e.from === e.to) continue;
    if (!out.has(e.from)) out.set(e.from, []);
    out.get(e.from)!.push(e.to);
    incoming.set(e.to, (incoming.get(e.to) ?? 0) + 1);
    if (!incoming.has(e.from)) incoming.set(e.from, 0);
  }
  const layer = new Map<string, number>();
  const all = [...incoming.keys()].sort();
  const queue: string[] = all.filter((n) => incoming.get(n) === 0);
  for (const n of queue) layer.set(n, 0);
  for (;;) {
    for (let head = 0; head < queue.length; head++) {
      const n = queue[head]!;
      for (const m of out.get(n) ?? []) {
        if (layer.has(m)) continue;
        layer.set(m, layer.get(n)! + 1);
        queue.push(m);
      }
    }
    const left = all.find((n) => !layer.has(n));
    if (left === undefined) break;
    layer.set(left, 0);
    queue.length = 0;
    queue.push(left);
  }
  return layer;
}

/**
 * Deterministic layered layout: services in columns by call distance, then d3-force (a seeded random source and a
 * fixed 300 ticks) spreads each column vertically, pulls linked services together and keeps boxes apart. The same
 * graph always gives the same picture.
 *
 * @example
 * const { nodes, width, height } = layoutServiceMap(serviceGraph(model), { columnWidth: 200, rowHeight: 64 });
 */
export function layoutServiceMap(graph: ServiceGraph, options: { readonly columnWidth?: number; readonly rowHeight?: number; readonly nodeWidth?: number; readonly nodeHeight?: number } = {}): ServiceMapLayout {
  const columnWidth = options.columnWidth ?? 210;
  const rowHeight = options.rowHeight ?? 70;
  const nodeWidth = options.nodeWidth ?? 150;
  const nodeHeight = options.nodeHeight ?? 46;
  const layers = serviceLayers(graph);
  const perLayer = new Map<number, string[]>();
  for (const n of [...graph.nodes].sort((a, b) => a.service.localeCompare(b.service))) {
    const l = layers.get(n.service) ?? 0;
    if (!perLayer.has(l)) perLayer.set(l, []);
    perLayer.get(l)!.push(n.service);
  }
  const tallest = Math.max(1, ...[...perLayer.values()].map((list) => list.length));
  const height = tallest * rowHeight + 20;
  const simNodes: SimNode[] = [];
  for (const [l, list] of perLayer) {
    list.forEach((service, k) => {
      const targetX = 10 + nodeWidth / 2 + l * columnWidth;
      simNodes.push({ service, layer: l, targetX, x: targetX, y: ((k + 0.5) / list.length) * (height - 20) + 10 });
    });
  }
  const byName = new Map(simNodes.map((n) => [n.service, n]));
  const links: Array<SimulationLinkDatum<SimNode>> = graph.edges
    .filter((e) => e.from !== e.to && byName.has(e.from) && byName.has(e.to))
    .map((e) => ({ source: byName.get(e.from)!, target: byName.get(e.to)! }));
  const simulation = forceSimulation<SimNode>(simNodes)
    .randomSource(seededRandom(42))
    .force('x', forceX<SimNode>((n) => n.targetX).strength(1))
    .force('y', forceY<SimNode>(height / 2).strength(0.02))
    .force('link', forceLink<SimNode, SimulationLinkDatum<SimNode>>(links).strength(0.05).distance(columnWidth))
    .force('collide', forceCollide<SimNode>(nodeHeight * 0.75).strength(0.9))
    .stop();
  for (let t = 0; t < 300; t++) {
    simulation.tick();
    for (const n of simNodes) n.x = n.targetX; // columns stay columns
  }
  let minY = Infinity;
  let maxY = -Infinity;
  for (const n of simNodes) {
    minY = Math.min(minY, n.y ?? 0);
    maxY = Math.max(maxY, n.y ?? 0);
  }
  const shift = Number.isFinite(minY) ? 10 + nodeHeight / 2 - minY : 0;
  const layers2 = Math.max(0, ...simNodes.map((n) => n.layer));
  return {
    nodes: simNodes.map((n) => ({ service: n.service, x: n.x ?? 0, y: (n.y ?? 0) + shift, layer: n.layer })),
    width: 20 + nodeWidth + layers2 * columnWidth,
    height: Number.isFinite(maxY) ? maxY - minY + nodeHeight + 20 : nodeHeight + 20,
  };
}

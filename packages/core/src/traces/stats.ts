import { quantiles } from '../percentile';
import { SpanKind, StatusCode } from './types';
import type { TraceModel } from './types';
import { assertModel, selfTimes } from './critical-path';
import { spanDetails } from './model';

/** Duration statistics of a group of spans, in nanoseconds. Percentiles are R-7 (`@vigil/core/percentile`). */
export interface DurationStats {
  readonly spanCount: number;
  readonly errorCount: number;
  readonly totalDurationNs: number;
  readonly selfTimeNs: number;
  readonly p50Ns: number;
  readonly p95Ns: number;
  readonly p99Ns: number;
  readonly maxNs: number;
}

export interface ServiceStats extends DurationStats {
  readonly service: string;
}

export interface OperationStats extends DurationStats {
  readonly service: string;
  readonly operation: string;
}

/** Groups spans by an integer key (< keyCount) and computes the stats of each non-empty group. */
function groupStats(model: TraceModel, keyOf: (i: number) => number, keyCount: number, self: Float64Array): Array<{ key: number; stats: DurationStats }> {
  const n = model.spanCount;
  const offsets = new Int32Array(keyCount + 1);
  for (let i = 0; i < n; i++) offsets[keyOf(i) + 1]!++;
  for (let k = 0; k < keyCount; k++) offsets[k + 1]! += offsets[k]!;
  const fill = offsets.slice(0, keyCount);
  const durations = new Float64Array(n);
  const errors = new Int32Array(keyCount);
  const selfSum = new Float64Array(keyCount);
  for (let i = 0; i < n; i++) {
    const k = keyOf(i);
    durations[fill[k]!++] = model.durationNs[i]!;
    if (model.status[i] === StatusCode.ERROR) errors[k]!++;
    selfSum[k] = selfSum[k]! + self[i]!;
  }
  const out: Array<{ key: number; stats: DurationStats }> = [];
  for (let k = 0; k < keyCount; k++) {
    const from = offsets[k]!;
    const to = offsets[k + 1]!;
    if (to === from) continue;
    const slice = durations.subarray(from, to);
    let total = 0;
    let max = -Infinity;
    for (let i = 0; i < slice.length; i++) {
      total += slice[i]!;
      if (slice[i]! > max) max = slice[i]!;
    }
    const q = quantiles(slice, [0.5, 0.95, 0.99]);
    out.push({
      key: k,
      stats: { spanCount: to - from, errorCount: errors[k]!, totalDurationNs: total, selfTimeNs: selfSum[k]!, p50Ns: q[0]!, p95Ns: q[1]!, p99Ns: q[2]!, maxNs: max },
    });
  }
  return out;
}

/**
 * Per-service statistics: span count, errors, total and self time, p50/p95/p99 and max duration. Sorted by self
 * time, largest first.
 *
 * @example
 * serviceStats(model)[0]; // { service: 'checkout', spanCount: 120, selfTimeNs: 4.1e8, p95Ns: ..., ... }
 */
export function serviceStats(model: TraceModel, options?: { readonly selfTimes?: Float64Array }): ServiceStats[] {
  assertModel(model);
  const self = options?.selfTimes ?? selfTimes(model);
  const service = model.service;
  return groupStats(model, (i) => service[i]!, model.services.length, self)
    .map(({ key, stats }) => ({ service: model.services[key]!, ...stats }))
    .sort((a, b) => b.selfTimeNs - a.selfTimeNs || a.service.localeCompare(b.service));
}

/**
 * Per-operation (service + span name) statistics, sorted by self time, largest first.
 *
 * @example
 * operationStats(model).filter((s) => s.errorCount > 0);
 */
export function operationStats(model: TraceModel, options?: { readonly selfTimes?: Float64Array }): OperationStats[] {
  assertModel(model);
  const self = options?.selfTimes ?? selfTimes(model);
  // dense key over the (service, operation) pairs present
  const pairKey = new Map<number, number>();
  const pairs: Array<[number, number]> = [];
  const keys = new Int32Array(model.spanCount);
  const opCount = model.operations.length;
  for (let i = 0; i < model.spanCount; i++) {
    const raw = model.service[i]! * opCount + model.operation[i]!;
    let k = pairKey.get(raw);
    if (k === undefined) {
      k = pairs.length;
      pairs.push([model.service[i]!, model.operation[i]!]);
      pairKey.set(raw, k);
    }
    keys[i] = k;
  }
  return groupStats(model, (i) => keys[i]!, pairs.length, self)
    .map(({ key, stats }) => ({ service: model.services[pairs[key]![0]]!, operation: model.operations[pairs[key]![1]]!, ...stats }))
    .sort((a, b) => b.selfTimeNs - a.selfTimeNs || a.service.localeCompare(b.service) || a.operation.localeCompare(b.operation));
}

/** A service in the dependency graph. */
export interface ServiceNode {
  readonly service: string;
  readonly spanCount: number;
  readonly errorCount: number;
  readonly selfTimeNs: number;
  /** True for a service seen only as a remote peer (`peer.service`, Zipkin remoteEndpoint), with no spans. */
  readonly inferred: boolean;
}

/** Calls from one service to another: a parent span in `from` with a child span in `to`. */
export interface ServiceEdge {
  readonly from: string;
  readonly to: string;
  readonly callCount: number;
  /** Calls whose callee span (or, for inferred peers, the client span) has status error. */
  readonly errorCount: number;
  /** Callee span durations (client span for inferred peers), ns. */
  readonly totalDurationNs: number;
  readonly p50Ns: number;
  readonly p95Ns: number;
  readonly p99Ns: number;
  readonly maxNs: number;
}

export interface ServiceGraph {
  readonly nodes: ServiceNode[];
  readonly edges: ServiceEdge[];
}

const PEER_KEYS = ['peer.service', 'remoteEndpoint.serviceName', 'server.address', 'net.peer.name', 'db.system'];

/**
 * The service dependency graph: a node per service, an edge per (caller, callee) pair where a span's child runs in
 * another service, with call and error counts and latency percentiles of the callee spans. Client and producer
 * spans with no child in another service add an edge to their remote peer (`peer.service`, Zipkin
 * `remoteEndpoint.serviceName`, `server.address`, `net.peer.name` or `db.system`) when `inferPeers` is on (default).
 *
 * @example
 * const { nodes, edges } = serviceGraph(model);
 * edges.find((e) => e.from === 'frontend' && e.to === 'checkout')?.errorCount;
 */
export function serviceGraph(model: TraceModel, options?: { readonly inferPeers?: boolean; readonly selfTimes?: Float64Array }): ServiceGraph {
  assertModel(model);
  const inferPeers = options?.inferPeers ?? true;
  const self = options?.selfTimes ?? selfTimes(model);
  const n = model.spanCount;
  const names: string[] = [...model.services];
  const nameIndex = new Map<string, number>(names.map((s, i) => [s, i]));
  const edgeIndex = new Map<string, number>();
  const edgeEnds: Array<[number, number]> = [];
  const edgeDurations: number[][] = [];
  const edgeErrors: number[] = [];
  const addEdge = (from: number, to: number, duration: number, error: boolean): void => {
    const key = `${from}>${to}`;
    let e = edgeIndex.get(key);
    if (e === undefined) {
      e = edgeEnds.length;
      edgeIndex.set(key, e);
      edgeEnds.push([from, to]);
      edgeDurations.push([]);
      edgeErrors.push(0);
    }
    edgeDurations[e]!.push(duration);
    if (error) edgeErrors[e]!++;
  };
  const crossChild = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = model.parent[i]!;
    if (p < 0 || model.service[p] === model.service[i]) continue;
    crossChild[p] = 1;
    addEdge(model.service[p]!, model.service[i]!, model.durationNs[i]!, model.status[i] === StatusCode.ERROR);
  }
  if (inferPeers) {
    for (let i = 0; i < n; i++) {
      const kind = model.kind[i];
      if ((kind !== SpanKind.CLIENT && kind !== SpanKind.PRODUCER) || crossChild[i]) continue;
      const details = spanDetails(model, i);
      let peer: string | undefined;
      for (const key of PEER_KEYS) {
        const v = details.attributes.find((a) => a.key === key)?.value;
        if (typeof v === 'string' && v !== '') {
          peer = v;
          break;
        }
      }
      if (peer === undefined || peer === names[model.service[i]!]) continue;
      let to = nameIndex.get(peer);
      if (to === undefined) {
        to = names.length;
        names.push(peer);
        nameIndex.set(peer, to);
      }
      addEdge(model.service[i]!, to, model.durationNs[i]!, model.status[i] === StatusCode.ERROR);
    }
  }
  const spanCount = new Int32Array(names.length);
  const errorCount = new Int32Array(names.length);
  const selfTime = new Float64Array(names.length);
  for (let i = 0; i < n; i++) {
    const s = model.service[i]!;
    spanCount[s]!++;
    if (model.status[i] === StatusCode.ERROR) errorCount[s]!++;
    selfTime[s] = selfTime[s]! + self[i]!;
  }
  const nodes: ServiceNode[] = names.map((service, s) => ({ service, spanCount: spanCount[s]!, errorCount: errorCount[s]!, selfTimeNs: selfTime[s]!, inferred: s >= model.services.length }));
  const edges: ServiceEdge[] = edgeEnds.map(([from, to], e) => {
    const d = edgeDurations[e]!;
    const q = quantiles(d, [0.5, 0.95, 0.99]);
    let total = 0;
    let max = -Infinity;
    for (const x of d) {
      total += x;
      if (x > max) max = x;
    }
    return { from: names[from]!, to: names[to]!, callCount: d.length, errorCount: edgeErrors[e]!, totalDurationNs: total, p50Ns: q[0]!, p95Ns: q[1]!, p99Ns: q[2]!, maxNs: max };
  });
  edges.sort((a, b) => b.callCount - a.callCount || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  return { nodes, edges };
}

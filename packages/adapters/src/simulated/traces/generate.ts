import { SourceError, describeValue } from '@vigil/core';
import type { TracePayload, TraceSearch, TraceSummaryRow } from '@vigil/core';
import { expectedRps, incidentStrength, modelKeys } from '../model';
import { hashAt, hashString, mix32, normalAt, poissonAt, streamKey, uniformAt } from '../random';
import { DAY_MS, type Incident, type ResolvedService, type Schedule } from '../scenario';
import { DEFAULT_LANGUAGES, leafSpanName, resolvePlans, type ResolvedPlans, type ResolvedStep } from './plan';

/** Share of each service's requests that is traced (one in 2,000): the fleet's default traffic gives ~2,000 traces an hour. */
export const TRACE_SAMPLE_RATIO = 1 / 2000;
/** Traces are drawn per service in slots of this many ms (a Poisson count per slot). */
export const TRACE_SLOT_MS = 10_000;
/** Longest range `searchTraces` accepts. */
export const MAX_TRACE_SEARCH_RANGE_MS = 7 * DAY_MS;
/** Most results `searchTraces` returns; the default limit is 20. */
export const MAX_TRACE_SEARCH_LIMIT = 5000;
/** Share of traces with an instrumentation oddity (a lost span, a skewed clock), so the engine's warnings show. */
export const TRACE_ODDITY_RATIO = 0.01;
/** Share of successful traces where one downstream call timed out once and was retried. */
export const TRACE_RETRY_RATIO = 0.03;

// The deploy warm-up of the metrics model (model.ts): latency starts 60 % higher and decays over a minute.
const WARMUP_EXTRA_LATENCY = 0.6;
const WARMUP_DECAY_MS = 60_000;
const WARMUP_SPAN_MS = 6 * WARMUP_DECAY_MS;
const SHARE_OF_500 = 0.7;
const MAX_PER_SLOT = 255;
const ID_MAGIC = 0x5e;

const KIND_INTERNAL = 1;
const KIND_SERVER = 2;
const KIND_CLIENT = 3;
const KIND_PRODUCER = 4;
const STATUS_UNSET = 0;
const STATUS_ERROR = 2;

/** How a service behaves at one instant, exactly as the metrics model has it. */
export interface ServiceConditions {
  /** Ratio of 5xx responses. */
  readonly errorRatio: number;
  /** Factor on the median latency (incidents, deploy warm-up). */
  readonly latencyFactor: number;
}

interface SlotContext {
  readonly incidents: readonly Incident[];
  /** Deploy times, ascending; the first is at or before the start of the slot (or scan range). */
  readonly deploys: readonly number[];
}

/** What is decided about a trace before its spans are laid out: enough to filter on duration and status. */
export interface TraceHeader {
  readonly traceId: string;
  readonly service: number;
  readonly route: number;
  readonly slot: number;
  readonly index: number;
  /** Epoch ms of the root span's start (whole ms) and the extra nanoseconds. */
  readonly startMs: number;
  readonly startExtraNs: number;
  /** Root span (= trace) duration, whole ns. */
  readonly durationNs: number;
  readonly statusCode: number;
  /** The request failed with a 5xx. */
  readonly failed: boolean;
  /** A downstream call timed out once and was retried (an error span in a successful trace). */
  readonly retried: boolean;
  /** 0 none, 1 a lost span (orphan), 2 a skewed clock. */
  readonly oddity: 0 | 1 | 2;
  /** Key of this trace's random stream. */
  readonly key: number;
}

type AttributeScalar = string | number | boolean;
type Attribute = readonly [key: string, value: AttributeScalar];

interface SimEvent {
  readonly offsetNs: number;
  readonly name: string;
  readonly attributes: readonly Attribute[];
}

interface SimSpan {
  readonly spanId: string;
  readonly parent: number;
  readonly service: number;
  readonly name: string;
  readonly kind: number;
  readonly scope: string;
  start: number;
  end: number;
  readonly attributes: Attribute[];
  readonly events: SimEvent[];
  readonly links: { readonly traceId: string; readonly spanId: string; readonly attributes: readonly Attribute[] }[];
  status: number;
  statusMessage: string;
  dropped: boolean;
}

/** A generated trace: its header and spans (offsets in ns from the root's start). */
export interface SimulatedTrace {
  readonly header: TraceHeader;
  readonly spans: readonly SimSpan[];
}

const hex8 = (x: number): string => (x >>> 0).toString(16).padStart(8, '0');
const HEX32 = /^[0-9a-fA-F]{32}$/;

/**
 * The trace half of the simulated source: traces drawn from the same services, routes, schedule (deploys,
 * incidents) and latency and error model as the metrics, as pure functions of the seed. Nothing is stored: a trace id
 * encodes (service, time slot, index in the slot, route) under a keyed check, and `getTrace` regenerates the trace.
 */
export class TraceSimulator {
  readonly plans: ResolvedPlans;
  private readonly idKey: number;
  private readonly countKeys: readonly number[];
  private readonly noiseKeys: readonly number[];
  private readonly traceKey: number;
  private readonly slotContexts = new Map<number, SlotContext>();
  private rangeContext: { readonly from: number; readonly to: number; readonly services: readonly SlotContext[] } | undefined;

  constructor(
    seed: number,
    sourceId: string,
    readonly services: readonly ResolvedService[],
    readonly schedule: Schedule,
  ) {
    this.plans = resolvePlans(services);
    this.idKey = streamKey(seed, `traces:${sourceId}`);
    this.traceKey = streamKey(seed, 'traces:spans');
    this.countKeys = services.map((s) => streamKey(seed, `traces:count:${s.name}`));
    this.noiseKeys = services.map((s) => modelKeys(seed, s).noise);
  }

  /** The error ratio and latency factor of a service at time t, as the metrics model computes them. */
  conditionsAt(service: number, t: number): ServiceConditions {
    const spec = this.services[service]!;
    const range = this.rangeContext;
    const context = range !== undefined && t >= range.from && t < range.to ? range.services[service]! : this.slotContext(service, Math.floor(t / TRACE_SLOT_MS));
    // the last deploy at or before t (deploys[0] always is)
    const deploys = context.deploys;
    let lo = 0;
    let hi = deploys.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (deploys[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    const lastDeploy = deploys[lo]!;
    const sinceDeploy = t - lastDeploy;
    let errorRatio = spec.errorRatio;
    let latencyFactor = sinceDeploy < WARMUP_SPAN_MS ? 1 + WARMUP_EXTRA_LATENCY * Math.exp(-sinceDeploy / WARMUP_DECAY_MS) : 1;
    for (const incident of context.incidents) {
      const strength = incidentStrength(incident, t);
      if (strength <= 0) continue;
      errorRatio = Math.max(errorRatio, spec.errorRatio + (incident.errorRatio - spec.errorRatio) * strength);
      latencyFactor *= 1 + (incident.latencyFactor - 1) * strength;
    }
    return { errorRatio: Math.min(errorRatio, 1 - spec.notFoundRatio), latencyFactor };
  }

  /** The incidents and deploy times that matter in one slot of a service (the last deploy before it first). */
  private slotContext(service: number, slot: number): SlotContext {
    const key = slot * 64 + service;
    let context = this.slotContexts.get(key);
    if (context !== undefined) return context;
    const start = slot * TRACE_SLOT_MS;
    const end = start + TRACE_SLOT_MS;
    const deploys = [this.schedule.lastDeployAtOrBefore(service, start).time];
    for (const deploy of this.schedule.deploys(service, start + 1, end)) deploys.push(deploy.time);
    context = { incidents: this.schedule.incidents(service, start, end), deploys };
    if (this.slotContexts.size > 20_000) this.slotContexts.clear();
    this.slotContexts.set(key, context);
    return context;
  }

  /** How many traces of a service start in a slot. */
  countInSlot(service: number, slot: number): number {
    const mid = slot * TRACE_SLOT_MS + TRACE_SLOT_MS / 2;
    const mean = expectedRps(this.services[service]!, this.noiseKeys[service]!, mid) * (TRACE_SLOT_MS / 1000) * TRACE_SAMPLE_RATIO;
    return Math.min(MAX_PER_SLOT, poissonAt(this.countKeys[service]!, slot, mean));
  }

  /** The header of trace `index` of a service's slot (the caller checks index < countInSlot). */
  header(service: number, slot: number, index: number): TraceHeader {
    const spec = this.services[service]!;
    const key = mix32(this.traceKey ^ Math.imul(service + 1, 0x9e3779b1) ^ hashAt(this.traceKey, slot * 256 + index));
    const startMs = slot * TRACE_SLOT_MS + Math.floor(uniformAt(key, 0) * TRACE_SLOT_MS);
    const startExtraNs = Math.floor(uniformAt(key, 1) * 1e6);
    // route by its share of the traffic
    let u = uniformAt(key, 2);
    let route = spec.routes.length - 1;
    for (let r = 0; r < spec.routes.length; r++) {
      u -= spec.routes[r]!.share;
      if (u < 0) {
        route = r;
        break;
      }
    }
    const { errorRatio, latencyFactor } = this.conditionsAt(service, startMs);
    const codeDraw = uniformAt(key, 3);
    const failed = codeDraw < errorRatio;
    const statusCode = failed ? (uniformAt(key, 4) < SHARE_OF_500 ? 500 : 503) : codeDraw < errorRatio + spec.notFoundRatio ? 404 : 200;
    // ln(seconds) ~ N(mu + ln(factor), sigma²), as the latency histogram
    const seconds = Math.exp(spec.mu + Math.log(latencyFactor) + spec.sigma * normalAt(key, 5));
    const durationNs = Math.max(20_000, Math.round(seconds * 1e9));
    const retried = !failed && uniformAt(key, 6) < TRACE_RETRY_RATIO && this.plans.steps[service]![route]!.length > 0;
    const oddityDraw = uniformAt(key, 7);
    const oddity: 0 | 1 | 2 = oddityDraw < TRACE_ODDITY_RATIO / 2 ? 1 : oddityDraw < TRACE_ODDITY_RATIO ? 2 : 0;
    return { traceId: this.encodeId(service, route, slot, index), service, route, slot, index, startMs, startExtraNs, durationNs, statusCode, failed, retried, oddity, key };
  }

  private encodeId(service: number, route: number, slot: number, index: number): string {
    const w1 = slot >>> 0;
    const w2 = ((service << 24) | (route << 16) | (index << 8) | ID_MAGIC) >>> 0;
    const check = mix32(hashAt(this.idKey ^ w2, w1));
    const stream = this.idKey ^ check;
    return hex8(check) + hex8(w1 ^ hashAt(stream, 1)) + hex8(w2 ^ hashAt(stream, 2)) + hex8(hashAt(stream, 3));
  }

  /** The header of a trace id, or undefined when this source never made that id (or its trace ends after `now`). */
  decodeId(traceId: string, now: number): TraceHeader | undefined {
    if (!HEX32.test(traceId)) return undefined;
    const id = traceId.toLowerCase();
    const check = parseInt(id.slice(0, 8), 16) >>> 0;
    const stream = this.idKey ^ check;
    if (parseInt(id.slice(24, 32), 16) >>> 0 !== hashAt(stream, 3)) return undefined;
    const w1 = (parseInt(id.slice(8, 16), 16) ^ hashAt(stream, 1)) >>> 0;
    const w2 = (parseInt(id.slice(16, 24), 16) ^ hashAt(stream, 2)) >>> 0;
    if (mix32(hashAt(this.idKey ^ w2, w1)) !== check || (w2 & 0xff) !== ID_MAGIC) return undefined;
    const service = w2 >>> 24;
    const route = (w2 >>> 16) & 0xff;
    const index = (w2 >>> 8) & 0xff;
    if (service >= this.services.length || index >= this.countInSlot(service, w1)) return undefined;
    const header = this.header(service, w1, index);
    if (header.route !== route || header.startMs + header.durationNs / 1e6 > now) return undefined;
    return header;
  }

  /** Headers of the finished traces starting in [from, to) (epoch ms, from >= 0), newest slot first, calling `visit` per slot. */
  scan(from: number, to: number, now: number, visit: (headers: TraceHeader[]) => boolean): void {
    const end = Math.min(to, now);
    if (!(end > from)) return;
    const first = Math.floor(from / TRACE_SLOT_MS);
    const lastSlot = Math.floor((end - 1) / TRACE_SLOT_MS);
    const rangeFrom = first * TRACE_SLOT_MS;
    const rangeTo = (lastSlot + 1) * TRACE_SLOT_MS;
    this.rangeContext = {
      from: rangeFrom,
      to: rangeTo,
      services: this.services.map((_, s) => ({
        incidents: this.schedule.incidents(s, rangeFrom, rangeTo),
        deploys: [this.schedule.lastDeployAtOrBefore(s, rangeFrom).time, ...this.schedule.deploys(s, rangeFrom + 1, rangeTo).map((d) => d.time)],
      })),
    };
    try {
      this.scanSlots(first, lastSlot, from, end, now, visit);
    } finally {
      this.rangeContext = undefined;
    }
  }

  private scanSlots(first: number, lastSlot: number, from: number, end: number, now: number, visit: (headers: TraceHeader[]) => boolean): void {
    for (let slot = lastSlot; slot >= first; slot--) {
      const headers: TraceHeader[] = [];
      for (let s = 0; s < this.services.length; s++) {
        const count = this.countInSlot(s, slot);
        for (let i = 0; i < count; i++) {
          const h = this.header(s, slot, i);
          if (h.startMs >= from && h.startMs < end && h.startMs + h.durationNs / 1e6 <= now) headers.push(h);
        }
      }
      if (!visit(headers)) return;
    }
  }

  /** Lays out every span of a trace. */
  generate(header: TraceHeader): SimulatedTrace {
    return new TraceBuilder(this, header).build();
  }

  /** The OTLP/JSON payload of a generated trace (lost spans left out). */
  toPayload(trace: SimulatedTrace): TracePayload {
    return { format: 'otlp-json', body: toOtlp(this, trace) };
  }

  /** The summary row of a generated trace, as `summarizeTrace` would compute it from the payload. */
  summarize(trace: SimulatedTrace): TraceSummaryRow {
    const { header, spans } = trace;
    const root = spans[0]!;
    let spanCount = 0;
    let errorCount = 0;
    const seen: string[] = [];
    for (const span of spans) {
      if (span.dropped) continue;
      spanCount++;
      if (span.status === STATUS_ERROR) errorCount++;
      const name = this.services[span.service]!.name;
      if (!seen.includes(name)) seen.push(name);
    }
    return {
      traceId: header.traceId,
      rootService: this.services[root.service]!.name,
      rootOperation: root.name,
      start: header.startMs + header.startExtraNs / 1e6,
      durationMs: header.durationNs / 1e6,
      spanCount,
      errorCount,
      services: seen,
    };
  }

  /** Whether some span of the trace meets every span criterion of the search at once. */
  spanMatches(trace: SimulatedTrace, search: TraceSearch): boolean {
    const wanted = search.attributes === undefined ? [] : Object.entries(search.attributes);
    const statusCode = search.status === undefined ? -1 : search.status === 'error' ? STATUS_ERROR : search.status === 'ok' ? 1 : STATUS_UNSET;
    for (const span of trace.spans) {
      if (span.dropped) continue;
      const service = this.services[span.service]!.name;
      if (search.service !== undefined && service !== search.service) continue;
      if (search.operation !== undefined && span.name !== search.operation) continue;
      if (statusCode >= 0 && span.status !== statusCode) continue;
      if (wanted.length > 0) {
        const resource = resourceAttributes(this, span.service, trace.header);
        let all = true;
        for (const [key, value] of wanted) {
          const hit = span.attributes.find((a) => a[0] === key) ?? resource.find((a) => a[0] === key);
          if (hit === undefined || String(hit[1]) !== value) {
            all = false;
            break;
          }
        }
        if (!all) continue;
      }
      return true;
    }
    return false;
  }
}

/** Resource attributes of a service's process at the trace's time (version from the last deploy). */
function resourceAttributes(sim: TraceSimulator, service: number, header: TraceHeader): Attribute[] {
  const spec = sim.services[service]!;
  const deploy = sim.schedule.lastDeployAtOrBefore(service, header.startMs);
  const version = deploy.version.slice(deploy.version.lastIndexOf('@') + 1);
  const pod = `${spec.name}-${(hashString(deploy.version) >>> 8).toString(36).slice(0, 5)}-${'abc'[(header.key >>> (service % 24)) % 3]}`;
  return [
    ['service.name', spec.name],
    ['service.namespace', 'shop'],
    ['service.version', version],
    ['service.instance.id', pod],
    ['host.name', pod],
    ['k8s.namespace.name', 'shop'],
    ['k8s.pod.name', pod],
    ['deployment.environment.name', 'production'],
    ['cloud.region', 'eu-west-1'],
    ['telemetry.sdk.name', 'opentelemetry'],
    ['telemetry.sdk.language', DEFAULT_LANGUAGES[spec.name] ?? 'nodejs'],
  ];
}

interface Work {
  /** The server span whose children are laid out. */
  readonly span: number;
  readonly service: number;
  readonly route: number;
  /** This node must fail (a 5xx chain runs through it). */
  readonly failing: boolean;
  readonly statusCode: number;
  /** Retry one of this node's calls (the root of a retried trace). */
  readonly retry: boolean;
}

interface Instance {
  readonly step: ResolvedStep;
  /** Length in ms before scaling (the bottleneck gets the spare time added). */
  weight: number;
  readonly n: number;
}

class TraceBuilder {
  private readonly spans: SimSpan[] = [];
  private draw = 16;

  constructor(
    private readonly sim: TraceSimulator,
    private readonly header: TraceHeader,
  ) {}

  private u(): number {
    return uniformAt(this.header.key, this.draw++);
  }

  private normal(): number {
    return normalAt(this.header.key, this.draw++);
  }

  private newSpanId(): string {
    const i = this.spans.length;
    const high = hashAt(this.header.key ^ 0x51ed270b, i) | 0x01000000;
    return hex8(high) + hex8(hashAt(this.header.key ^ 0x2f9be6cc, i));
  }

  private add(span: Omit<SimSpan, 'spanId' | 'events' | 'links' | 'status' | 'statusMessage' | 'dropped'> & Partial<Pick<SimSpan, 'status' | 'statusMessage'>>): number {
    this.spans.push({ spanId: this.newSpanId(), events: [], links: [], status: STATUS_UNSET, statusMessage: '', dropped: false, ...span });
    return this.spans.length - 1;
  }

  build(): SimulatedTrace {
    const { sim, header } = this;
    const spec = sim.services[header.service]!;
    const route = spec.routes[header.route]!;
    const root = this.add({
      parent: -1,
      service: header.service,
      name: `${route.method} ${route.route}`,
      kind: KIND_SERVER,
      scope: '@opentelemetry/instrumentation-http',
      start: 0,
      end: header.durationNs,
      attributes: serverAttributes(route.method, route.route, fillPath(route.route, 1000 + Math.floor(this.u() * 90_000)), header.statusCode, true),
    });
    if (header.statusCode === 404) this.spans[root]!.attributes.push(['error.type', '404']);
    const queue: Work[] = [{ span: root, service: header.service, route: header.route, failing: header.failed, statusCode: header.statusCode, retry: header.retried }];
    // Breadth-first over the (bounded) plan graph: each server span's steps are laid out inside it.
    for (let q = 0; q < queue.length; q++) this.layOut(queue[q]!, queue);
    if (sim.services[header.service]!.name === 'checkout' && route.method === 'POST') {
      // the order continues the cart session's trace: a link, never a parent
      this.spans[root]!.links.push({
        traceId: hex8(hashAt(header.key, 90)) + hex8(hashAt(header.key, 91)) + hex8(hashAt(header.key, 92)) + hex8(hashAt(header.key, 93)),
        spanId: hex8(hashAt(header.key, 94) | 1) + hex8(hashAt(header.key, 95)),
        attributes: [['link.reason', 'cart session']],
      });
    }
    if (header.oddity === 1) this.loseSpan();
    else if (header.oddity === 2) this.skewClock();
    return { header, spans: this.spans };
  }

  private layOut(work: Work, queue: Work[]): void {
    const { sim } = this;
    const parent = this.spans[work.span]!;
    const steps = sim.plans.steps[work.service]![work.route]!;
    // 1. instances, grouped in stages that run one after another
    const stages: Instance[][] = [];
    for (const step of steps) {
      if (step.probability !== undefined && this.u() >= step.probability) continue;
      const repeat = 'repeat' in step && step.repeat !== undefined ? step.repeat : undefined;
      const copies = repeat === undefined ? 1 : repeat[0] + Math.floor(this.u() * (repeat[1] - repeat[0] + 1));
      const fanOut = 'fanOut' in step && step.fanOut === true;
      const typical = step.kind === 'call' ? Math.exp(sim.services[step.serviceIndex]!.mu) * 1000 * sim.conditionsAt(step.serviceIndex, this.header.startMs).latencyFactor : step.typicalMs;
      for (let c = 0; c < copies; c++) {
        const instance: Instance = { step, weight: typical * Math.exp(0.35 * this.normal()), n: Math.floor(this.u() * 90_000) + 1000 };
        const joins = (c === 0 && step.concurrent === true) || (c > 0 && fanOut);
        if (joins && stages.length > 0) stages[stages.length - 1]!.push(instance);
        else stages.push([instance]);
      }
    }
    if (stages.length === 0) {
      if (work.failing) this.fail(work.span, work.statusCode, true);
      return;
    }
    // 2. the failing instance (5xx chain) and the retried one
    let failing: Instance | undefined;
    if (work.failing) {
      const all = stages.flat();
      // the cause is most likely where errors are most likely: weight calls by their callee's current error ratio
      const weights = all.map((x) => (x.step.kind === 'call' ? 1 + 200 * sim.conditionsAt(x.step.serviceIndex, this.header.startMs).errorRatio : x.step.kind === 'internal' ? 0.3 : 1));
      let pick = this.u() * weights.reduce((a, b) => a + b, 0);
      failing = all[all.length - 1];
      for (let i = 0; i < all.length; i++) {
        pick -= weights[i]!;
        if (pick < 0) {
          failing = all[i];
          break;
        }
      }
      // a fifth of the failures start in the service itself
      if (this.u() < 0.2) failing = undefined;
    }
    let retried: Instance | undefined;
    if (work.retry) {
      const candidates = stages.flat().filter((x) => x.step.kind === 'call' || x.step.kind === 'rpc' || x.step.kind === 'db');
      retried = candidates[Math.floor(this.u() * candidates.length)];
    }
    // 3. timing: children are squeezed when they would not fit; when there is time to spare, a slow request is slow
    // somewhere, so most of it goes to one call (the bottleneck, its subtree grows in turn) and the rest is self time
    const duration = parent.end - parent.start;
    const stagesLength = () => stages.reduce((sum, stage) => sum + Math.max(...stage.map((x) => x.weight)), 0) * 1e6;
    let natural = stagesLength();
    const selfShare = 0.1 + 0.15 * this.u();
    const available = duration * (1 - selfShare);
    if (natural < available) {
      const all = stages.flat();
      let pick = this.u() * all.reduce((sum, x) => sum + x.weight, 0);
      let bottleneck = all[all.length - 1]!;
      for (const x of all) {
        pick -= x.weight;
        if (pick < 0) {
          bottleneck = x;
          break;
        }
      }
      bottleneck.weight += ((available - natural) * (0.6 + 0.35 * this.u())) / 1e6;
      natural = stagesLength();
    }
    const scale = natural > available ? available / natural : 1;
    const gap = (duration - natural * scale) / (stages.length + 1);
    let cursor = parent.start + gap * (0.5 + 0.5 * this.u());
    for (const stage of stages) {
      const stageLength = Math.max(...stage.map((x) => x.weight)) * 1e6 * scale;
      for (const instance of stage) {
        const length = instance.weight * 1e6 * scale;
        const offset = stage.length > 1 ? (stageLength - length) * 0.3 * this.u() : 0;
        const start = Math.ceil(cursor + offset);
        const end = Math.max(start + 1000, Math.floor(cursor + offset + length));
        this.emit(work, instance, Math.min(start, parent.end - 1000), Math.min(end, parent.end), instance === failing, instance === retried, queue);
      }
      cursor += stageLength + gap;
    }
    if (work.failing && failing === undefined) this.fail(work.span, work.statusCode, true);
    else if (work.failing) this.fail(work.span, work.statusCode, false);
  }

  /** Emits one instance's span(s) in [start, end] under the work's server span. */
  private emit(work: Work, instance: Instance, start: number, end: number, failing: boolean, retried: boolean, queue: Work[]): void {
    const { sim } = this;
    let from = start;
    if (retried) {
      // the first attempt timed out after 40 % of the time; the second succeeded
      const cut = Math.floor(start + (end - start) * 0.4);
      const attempt = this.leaf(work, instance, from, cut, 1);
      const span = this.spans[attempt]!;
      span.status = STATUS_ERROR;
      span.statusMessage = 'deadline exceeded';
      span.events.push({ offsetNs: cut, name: 'exception', attributes: [['exception.type', 'TimeoutError'], ['exception.message', `no answer within ${Math.round((cut - from) / 1e6)} ms; retrying`], ['exception.escaped', false]] });
      span.attributes.push(['error.type', 'timeout']);
      from = Math.min(end - 1000, cut + 200_000);
    }
    const step = instance.step;
    const span = this.leaf(work, instance, from, end, retried ? 2 : 0);
    if (step.kind === 'call') {
      const network = Math.min((end - from) * 0.08, 300_000 + (end - from) * 0.01);
      const callee = sim.services[step.serviceIndex]!;
      const route = callee.routes[step.routeIndex]!;
      const statusCode = failing ? (this.u() < SHARE_OF_500 ? 500 : 503) : 200;
      const server = this.add({
        parent: span,
        service: step.serviceIndex,
        name: `${route.method} ${route.route}`,
        kind: KIND_SERVER,
        scope: '@opentelemetry/instrumentation-http',
        start: Math.ceil(from + network),
        end: Math.max(Math.ceil(from + network) + 1000, Math.floor(end - network)),
        attributes: serverAttributes(route.method, route.route, fillPath(step.path, instance.n), statusCode, false),
      });
      const client = this.spans[span]!;
      client.attributes.push(['http.response.status_code', statusCode]);
      if (failing) {
        client.status = STATUS_ERROR;
        client.statusMessage = `${statusCode} from ${callee.name}`;
        client.attributes.push(['error.type', String(statusCode)]);
      }
      queue.push({ span: server, service: step.serviceIndex, route: step.routeIndex, failing, statusCode, retry: false });
    } else if (failing) {
      this.fail(span, 500, true);
    }
  }

  /** The caller-side span of an instance. attempt: 0 single, 1 first of two, 2 the retry. */
  private leaf(work: Work, instance: Instance, start: number, end: number, attempt: number): number {
    const step = instance.step;
    const base = { parent: work.span, service: work.service, name: leafSpanName(step), start, end };
    let id: number;
    switch (step.kind) {
      case 'call': {
        const callee = this.sim.services[step.serviceIndex]!;
        const path = fillPath(step.path, instance.n);
        id = this.add({
          ...base,
          kind: KIND_CLIENT,
          scope: '@opentelemetry/instrumentation-undici',
          attributes: [
            ['http.request.method', step.method],
            ['url.full', `http://${callee.name}.shop.svc.cluster.local:8080${path}`],
            ['server.address', `${callee.name}.shop.svc.cluster.local`],
            ['server.port', 8080],
            ['network.protocol.version', '1.1'],
          ],
        });
        break;
      }
      case 'db': {
        const redis = step.system === 'redis';
        id = this.add({
          ...base,
          kind: KIND_CLIENT,
          scope: redis ? '@opentelemetry/instrumentation-ioredis' : step.system === 'postgresql' ? '@opentelemetry/instrumentation-pg' : '@opentelemetry/instrumentation-elasticsearch',
          attributes: [
            ['db.system', step.system],
            ['db.name', step.database],
            ['db.operation', step.operation],
            ['db.statement', step.statement.replace('{n}', String(instance.n))],
            ['server.address', redis ? 'redis.shop.svc.cluster.local' : step.system === 'postgresql' ? 'postgres.shop.svc.cluster.local' : 'elasticsearch.shop.svc.cluster.local'],
            ['server.port', redis ? 6379 : step.system === 'postgresql' ? 5432 : 9200],
          ],
        });
        if (redis && step.operation === 'GET' && this.u() < 0.3) this.spans[id]!.events.push({ offsetNs: end, name: 'cache miss', attributes: [['cache.key', step.statement.slice(4).replace('{n}', String(instance.n))]] });
        break;
      }
      case 'rpc':
        id = this.add({
          ...base,
          kind: KIND_CLIENT,
          scope: '@opentelemetry/instrumentation-grpc',
          attributes: [
            ['rpc.system', 'grpc'],
            ['rpc.service', step.rpcService],
            ['rpc.method', step.rpcMethod],
            ['rpc.grpc.status_code', 0],
            ['server.address', step.host],
            ['server.port', 443],
          ],
        });
        break;
      case 'internal':
        id = this.add({ ...base, kind: KIND_INTERNAL, scope: 'app', attributes: [['code.function', step.name.replace(/\s+/g, '_')]] });
        break;
      case 'produce':
        id = this.add({
          ...base,
          kind: KIND_PRODUCER,
          scope: '@opentelemetry/instrumentation-kafkajs',
          attributes: [
            ['messaging.system', 'kafka'],
            ['messaging.destination.name', step.topic],
            ['messaging.operation.type', 'publish'],
            ['messaging.kafka.message.key', `order-${instance.n}`],
          ],
        });
        break;
    }
    if (attempt > 0 && step.kind === 'call') this.spans[id]!.attributes.push(['http.request.resend_count', attempt - 1]);
    return id;
  }

  /** Marks a span failed; `cause` adds the exception event where the failure started. */
  private fail(index: number, statusCode: number, cause: boolean): void {
    const span = this.spans[index]!;
    const service = this.sim.services[span.service]!.name;
    span.status = STATUS_ERROR;
    if (span.kind === KIND_SERVER) {
      span.statusMessage = cause ? `${statusCode} Internal error in ${service}` : `${statusCode} after a downstream failure`;
      if (!span.attributes.some((a) => a[0] === 'error.type')) span.attributes.push(['error.type', String(statusCode)]);
    } else {
      span.statusMessage = span.attributes.some((a) => a[0] === 'rpc.system') ? 'UNAVAILABLE: upstream connect error' : 'connection reset by peer';
      const rpc = span.attributes.findIndex((a) => a[0] === 'rpc.grpc.status_code');
      if (rpc >= 0) span.attributes[rpc] = ['rpc.grpc.status_code', 14];
      span.attributes.push(['error.type', rpc >= 0 ? 'UNAVAILABLE' : 'ECONNRESET']);
    }
    if (!cause) return;
    const kinds = span.kind === KIND_SERVER ? ['NullPointerException', 'IllegalStateException', 'TimeoutError'] : ['ConnectionResetError', 'QueryCanceledError', 'UnavailableError'];
    const type = kinds[Math.floor(this.u() * kinds.length)]!;
    span.events.push({
      offsetNs: Math.max(span.start, span.end - 1000),
      name: 'exception',
      attributes: [
        ['exception.type', type],
        ['exception.message', `${type} in ${span.name}`],
        ['exception.stacktrace', `${type}: ${span.name}\n    at handle (${service}/handler:${40 + Math.floor(this.u() * 200)})\n    at process (${service}/server:88)`],
        ['exception.escaped', true],
      ],
    });
  }

  /** A lost client span: its server child keeps pointing at it (an orphan for the engine). */
  private loseSpan(): void {
    const candidates: number[] = [];
    for (let i = 1; i < this.spans.length; i++) {
      const span = this.spans[i]!;
      if (span.kind === KIND_SERVER && span.parent > 0) candidates.push(span.parent);
    }
    const pick = candidates[Math.floor(this.u() * candidates.length)];
    if (pick !== undefined) this.spans[pick]!.dropped = true;
  }

  /** A downstream host's clock off by a few ms: its server span and subtree shift, staying inside the root. */
  private skewClock(): void {
    const candidates: number[] = [];
    for (let i = 1; i < this.spans.length; i++) if (this.spans[i]!.kind === KIND_SERVER) candidates.push(i);
    const pick = candidates[Math.floor(this.u() * candidates.length)];
    if (pick === undefined) return;
    const inSubtree = new Uint8Array(this.spans.length);
    inSubtree[pick] = 1;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = pick; i < this.spans.length; i++) {
      const span = this.spans[i]!;
      if (i > pick && (span.parent < 0 || inSubtree[span.parent] !== 1)) continue;
      inSubtree[i] = 1;
      lo = Math.min(lo, span.start);
      hi = Math.max(hi, span.end);
    }
    const parent = this.spans[this.spans[pick]!.parent]!;
    const size = Math.max(2e6, (parent.end - parent.start) * 0.6);
    let shift = Math.round((this.u() < 0.5 ? -1 : 1) * size * (0.5 + this.u()));
    // stay inside the root, leave the parent
    const root = this.spans[0]!;
    shift = Math.max(root.start - lo, Math.min(root.end - hi, shift));
    for (let i = pick; i < this.spans.length; i++) {
      if (inSubtree[i] !== 1) continue;
      const span = this.spans[i]!;
      span.start += shift;
      span.end += shift;
      for (let e = 0; e < span.events.length; e++) {
        const event = span.events[e]!;
        span.events[e] = { ...event, offsetNs: event.offsetNs + shift };
      }
    }
  }
}

function fillPath(path: string, n: number): string {
  return path.replace('{n}', String(Math.floor(n))).replace(':id', String(Math.floor(n))).replace(':sku', `SKU-${Math.floor(n)}`);
}

function serverAttributes(method: string, route: string, path: string, statusCode: number, edge: boolean): Attribute[] {
  const attributes: Attribute[] = [
    ['http.request.method', method],
    ['http.route', route],
    ['url.path', path.split('?')[0]!],
    ['url.scheme', edge ? 'https' : 'http'],
    ['http.response.status_code', statusCode],
    ['network.protocol.version', edge ? '2' : '1.1'],
  ];
  if (edge) attributes.push(['user_agent.original', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36'], ['client.address', '203.0.113.24']);
  return attributes;
}

function otlpValue(value: AttributeScalar): Record<string, unknown> {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

const otlpAttributes = (list: readonly Attribute[]) => list.map(([key, value]) => ({ key, value: otlpValue(value) }));

/** Epoch ns (decimal string, exact) of an offset from the trace's start. */
function epochNanos(header: TraceHeader, offsetNs: number): string {
  const total = BigInt(header.startMs) * 1_000_000n + BigInt(header.startExtraNs) + BigInt(Math.round(offsetNs));
  return total.toString();
}

function toOtlp(sim: TraceSimulator, trace: SimulatedTrace): unknown {
  const { header, spans } = trace;
  // one ResourceSpans per service, one ScopeSpans per instrumentation scope, in order of first appearance
  const resources = new Map<number, Map<string, unknown[]>>();
  for (const span of spans) {
    if (span.dropped) continue;
    let scopes = resources.get(span.service);
    if (scopes === undefined) resources.set(span.service, (scopes = new Map()));
    let list = scopes.get(span.scope);
    if (list === undefined) scopes.set(span.scope, (list = []));
    list.push({
      traceId: header.traceId,
      spanId: span.spanId,
      ...(span.parent >= 0 ? { parentSpanId: spans[span.parent]!.spanId } : {}),
      name: span.name,
      kind: span.kind,
      startTimeUnixNano: epochNanos(header, span.start),
      endTimeUnixNano: epochNanos(header, span.end),
      attributes: otlpAttributes(span.attributes),
      events: span.events.map((e) => ({ timeUnixNano: epochNanos(header, e.offsetNs), name: e.name, attributes: otlpAttributes(e.attributes) })),
      links: span.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: otlpAttributes(l.attributes) })),
      status: span.status === STATUS_ERROR ? { code: STATUS_ERROR, message: span.statusMessage } : {},
    });
  }
  return {
    resourceSpans: [...resources].map(([service, scopes]) => ({
      resource: { attributes: otlpAttributes(resourceAttributes(sim, service, header)) },
      scopeSpans: [...scopes].map(([name, list]) => ({ scope: { name, version: '0.57.0' }, spans: list })),
    })),
  };
}

/** Throws BAD_QUERY for a search the simulated source cannot run, naming the field. */
export function assertTraceSearch(request: unknown): asserts request is TraceSearch {
  const bad = (path: string, message: string): never => {
    throw new SourceError('BAD_QUERY', `${path}: ${message}`, { path });
  };
  if (request === null || typeof request !== 'object' || Array.isArray(request)) bad('request', 'expected { range, service?, operation?, attributes?, minDurationMs?, maxDurationMs?, status?, limit? }');
  const r = request as Record<string, unknown>;
  const range = r.range as Record<string, unknown> | null | undefined;
  if (range === null || typeof range !== 'object') bad('range', 'expected { start, end } in epoch ms');
  const { start, end } = range as { start: unknown; end: unknown };
  if (typeof start !== 'number' || !Number.isFinite(start) || start < 0) bad('range.start', `expected finite epoch ms >= 0, received ${describeValue(start)}`);
  if (typeof end !== 'number' || !Number.isFinite(end) || end < (start as number)) bad('range.end', `expected epoch ms >= start (${describeValue(start)}), received ${describeValue(end)}`);
  if ((end as number) - (start as number) > MAX_TRACE_SEARCH_RANGE_MS) bad('range', `spans more than ${MAX_TRACE_SEARCH_RANGE_MS / DAY_MS} days`);
  for (const key of ['service', 'operation'] as const) {
    if (r[key] !== undefined && (typeof r[key] !== 'string' || r[key] === '')) bad(key, `expected a non-empty string, received ${typeof r[key] === 'string' ? 'an empty string' : describeValue(r[key])}`);
  }
  if (r.attributes !== undefined) {
    if (r.attributes === null || typeof r.attributes !== 'object' || Array.isArray(r.attributes)) bad('attributes', 'expected an object of attribute key → value text');
    for (const [key, value] of Object.entries(r.attributes as object)) if (typeof value !== 'string') bad(`attributes.${key}`, `expected a string, received ${typeof value}`);
  }
  for (const key of ['minDurationMs', 'maxDurationMs'] as const) {
    const v = r[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) bad(key, `expected a finite number >= 0, received ${describeValue(v)}`);
  }
  if (r.status !== undefined && r.status !== 'ok' && r.status !== 'error' && r.status !== 'unset') bad('status', `expected 'ok', 'error' or 'unset', received ${describeValue(r.status)}`);
  if (r.limit !== undefined && (typeof r.limit !== 'number' || !Number.isInteger(r.limit) || r.limit < 1 || r.limit > MAX_TRACE_SEARCH_LIMIT)) {
    bad('limit', `expected an integer in [1, ${MAX_TRACE_SEARCH_LIMIT}], received ${describeValue(r.limit)}`);
  }
}

/**
 * Runs a validated search: newest traces first, header filters (duration, error status, which services and span names
 * the route can reach) before laying out spans, span criteria on one span as `@vigil/core/traces` does.
 */
export function runTraceSearch(sim: TraceSimulator, search: TraceSearch, now: number): TraceSummaryRow[] {
  const limit = search.limit ?? 20;
  const out: TraceSummaryRow[] = [];
  // no span is ever 'ok': instrumentations leave successful spans unset
  if (search.status === 'ok') return out;
  const min = search.minDurationMs === undefined ? -Infinity : search.minDurationMs * 1e6;
  const max = search.maxDurationMs === undefined ? Infinity : search.maxDurationMs * 1e6;
  if (search.service !== undefined && !sim.services.some((s) => s.name === search.service)) return out;
  const needSpans = search.service !== undefined || search.operation !== undefined || search.status !== undefined || (search.attributes !== undefined && Object.keys(search.attributes).length > 0);
  sim.scan(search.range.start, search.range.end, now, (headers) => {
    headers.sort((a, b) => b.startMs - a.startMs || b.startExtraNs - a.startExtraNs || (a.traceId < b.traceId ? -1 : 1));
    for (const h of headers) {
      if (h.durationNs < min || h.durationNs > max) continue;
      if (search.status === 'error' && !h.failed && !h.retried) continue;
      if (search.service !== undefined && !sim.plans.reachableServices[h.service]![h.route]!.has(search.service)) continue;
      if (search.operation !== undefined && !sim.plans.reachableOperations[h.service]![h.route]!.has(search.operation)) continue;
      const trace = sim.generate(h);
      if (needSpans && !sim.spanMatches(trace, search)) continue;
      out.push(sim.summarize(trace));
      if (out.length >= limit) return false;
    }
    return true;
  });
  return out;
}

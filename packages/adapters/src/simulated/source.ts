import { SourceError, ValidationError, abortError, describeValue } from '@vigil/core';
import type {
  DataSource,
  EventQuery,
  InstantQuery,
  InstantSample,
  LabelQuery,
  LiveListener,
  MetricMetadata,
  QueryOptions,
  QueryResult,
  RangeQuery,
  Series,
  SourceEvent,
  SubscribeOptions,
  TimeRange,
  TracePayload,
  TraceSearch,
  TraceSummaryRow,
  Unsubscribe,
} from '@vigil/core';
import type { Expr, LabelMatcher } from '../promql/ast';
import { evaluate, type EvaluationResult } from '../promql/evaluate';
import { compileMatchers } from '../promql/matchers';
import { parsePromQL } from '../promql/parser';
import { METRICS } from './model';
import { hashString } from './random';
import {
  DAY_MS,
  Schedule,
  resolveScriptedIncidents,
  resolveServices,
  defaultServices,
  type Deploy,
  type Incident,
  type ResolvedService,
  type SimulatedCall,
  type SimulatedFailure,
  type SimulatedSourceOptions,
} from './scenario';
import { SimulatedStorage } from './storage';
import { TraceSimulator, assertTraceSearch, runTraceSearch } from './traces/generate';

/** Longest range `queryEvents` accepts. */
export const MAX_EVENT_RANGE_MS = 400 * DAY_MS;
/** Shortest live tick interval. */
export const MIN_TICK_MS = 100;

/** The simulated source: a `DataSource` plus what tests and stories need to inspect the model. */
export interface SimulatedSource extends DataSource {
  readonly seed: number;
  readonly scrapeIntervalMs: number;
  /** The services, with defaults filled in and their lognormal latency parameters (`mu`, `sigma` of ln(seconds)). */
  readonly services: readonly ResolvedService[];
  /** The evaluator's view of the simulated data: a `SeriesStorage` for `evaluate`. */
  readonly storage: SimulatedStorage;
  listMetrics(options?: QueryOptions): Promise<MetricMetadata[]>;
  labelNames(request?: LabelQuery, options?: QueryOptions): Promise<string[]>;
  labelValues(label: string, request?: LabelQuery, options?: QueryOptions): Promise<string[]>;
  queryEvents(request: EventQuery, options?: QueryOptions): Promise<SourceEvent[]>;
  subscribe(listener: LiveListener, options?: SubscribeOptions): Unsubscribe;
  /**
   * One trace by id, as OTLP/JSON. Ids encode (seed, service, time, route), so the trace is regenerated, not stored.
   * Fails with SourceError NOT_FOUND for an id this source did not make (or a trace not finished at `now()`), and
   * BAD_QUERY for a value that is not a 32-digit hex trace id.
   */
  getTrace(traceId: string, options?: QueryOptions): Promise<TracePayload>;
  /** Summaries of the finished traces matching a search, newest first (default limit 20). */
  searchTraces(request: TraceSearch, options?: QueryOptions): Promise<TraceSummaryRow[]>;
  /** The trace generator behind `getTrace` and `searchTraces` (headers, layout), for tests and stories. */
  readonly traces: TraceSimulator;
  /** Deploys and incidents in a range, with their model parameters (error ratio, latency factor). */
  schedule(range: TimeRange): { readonly deploys: readonly Deploy[]; readonly incidents: readonly Incident[] };
}

/**
 * Creates the seeded simulated data source: realistic, deterministic telemetry for a fleet of services (diurnal
 * traffic, lognormal latency in a classic histogram, error bursts, deploys that restart the counters), queried with
 * a PromQL subset, with events and live ticks. Every sample is a pure function of (seed, series, scrape time), so
 * two sources with the same seed agree, and any range gives the same samples live or not. Data exists up to
 * `options.now()`.
 *
 * @throws ValidationError with the path of a bad option, such as `options.services[1].latencyP99Ms`.
 * @example
 * const source = createSimulatedSource({ seed: 7 });
 * const { data } = await source.queryRange({
 *   query: 'sum by (service) (rate(http_requests_total[5m]))',
 *   range: { start: Date.now() - 6 * 3_600_000, end: Date.now() },
 *   stepMs: 30_000,
 * });
 * data.map((s) => s.labels.service); // ['auth', 'checkout', 'frontend', 'inventory', 'payments', 'search']
 */
export function createSimulatedSource(options: SimulatedSourceOptions = {}): SimulatedSource {
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an options object', options);
  const seed = options.seed ?? 1;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || Math.abs(seed) > 2 ** 31) throw new ValidationError('options.seed', 'an integer in [-2^31, 2^31]', seed);
  const services = resolveServices(options.services ?? defaultServices);
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new ValidationError('options.now', 'a function returning epoch ms', now);
  const tickMs = options.tickMs ?? 5000;
  if (typeof tickMs !== 'number' || !Number.isFinite(tickMs) || tickMs < MIN_TICK_MS) throw new ValidationError('options.tickMs', `a number >= ${MIN_TICK_MS}`, tickMs);
  const scrapeIntervalMs = options.scrapeIntervalMs ?? 15_000;
  if (typeof scrapeIntervalMs !== 'number' || !Number.isInteger(scrapeIntervalMs) || scrapeIntervalMs < 1000 || scrapeIntervalMs > 300_000 || DAY_MS % scrapeIntervalMs !== 0) {
    throw new ValidationError('options.scrapeIntervalMs', 'a whole number of ms in [1000, 300000] that divides 24 h', scrapeIntervalMs);
  }
  const latencyMs = options.latencyMs ?? 0;
  if (typeof latencyMs !== 'number' || !Number.isFinite(latencyMs) || latencyMs < 0 || latencyMs > 600_000) throw new ValidationError('options.latencyMs', 'a number in [0, 600000]', latencyMs);
  const incidents = options.incidents ?? {};
  if (incidents === null || typeof incidents !== 'object') throw new ValidationError('options.incidents', 'an object { random?, scripted? }', incidents);
  if (incidents.random !== undefined && typeof incidents.random !== 'boolean') throw new ValidationError('options.incidents.random', 'a boolean', incidents.random);
  const scripted = resolveScriptedIncidents(incidents.scripted, services);
  const failWith = options.failWith;
  if (failWith !== undefined && typeof failWith !== 'function' && (failWith === null || typeof failWith !== 'object' || typeof failWith.code !== 'string')) {
    throw new ValidationError('options.failWith', 'a failure { code } or a function of the call', failWith);
  }
  const customServices = options.services !== undefined;
  const id = options.id ?? `simulated-${seed}${customServices ? `-${hashString(JSON.stringify(options.services)).toString(36)}` : ''}`;
  if (typeof id !== 'string' || id.length === 0) throw new ValidationError('options.id', 'a non-empty string', id);

  const schedule = new Schedule(seed, services, incidents.random ?? true, scripted);
  const storage = new SimulatedStorage(seed, services, schedule, scrapeIntervalMs, now);
  const traces = new TraceSimulator(seed, id, services, schedule);

  /** Runs the common prologue of every call: abort check, artificial latency, simulated failure. */
  async function begin(call: SimulatedCall, signal: AbortSignal | undefined): Promise<void> {
    if (signal !== undefined && !(signal instanceof AbortSignal)) throw new SourceError('BAD_QUERY', 'options.signal must be an AbortSignal', { path: 'options.signal' });
    if (signal?.aborted) throw abortError(signal, call.method);
    if (latencyMs > 0) await delay(latencyMs, signal, call.method);
    const failure = failureFor(call);
    if (failure !== undefined) throw failure;
  }

  function failureFor(call: SimulatedCall): SourceError | undefined {
    if (failWith === undefined) return undefined;
    const spec: SimulatedFailure | undefined | null | false = typeof failWith === 'function' ? failWith(call) : failWith;
    if (!spec) return undefined;
    const message = spec.message ?? `simulated ${spec.code} in ${call.method}`;
    return new SourceError(spec.code, message, {
      ...(spec.status === undefined ? {} : { status: spec.status }),
      ...(spec.retryable === undefined ? {} : { retryable: spec.retryable }),
    });
  }

  function parse(query: unknown, path: string): Expr {
    if (typeof query !== 'string') throw new SourceError('BAD_QUERY', `${path}: expected a PromQL string, received ${typeof query}`, { path });
    return parsePromQL(query);
  }

  function run(expr: Expr, start: number, end: number, stepMs: number): EvaluationResult {
    try {
      // One clock reading per query: the numerator and denominator of a ratio end at the same scrape.
      return evaluate(expr, storage.at(now()), { start, end, stepMs });
    } catch (error) {
      if (error instanceof ValidationError) throw new SourceError('BAD_QUERY', error.message, { path: error.path, cause: error });
      throw error;
    }
  }

  const source: SimulatedSource = {
    id,
    seed,
    scrapeIntervalMs,
    services,
    storage,
    traces,
    capabilities: { metrics: true, traces: true, events: true, live: true, queryLanguage: 'promql', metadata: true },

    schedule(range) {
      assertRange(range, 'range', Infinity);
      const deploys: Deploy[] = [];
      const found: Incident[] = [];
      for (const service of services) {
        deploys.push(...schedule.deploys(service.index, range.start, range.end));
        found.push(...schedule.incidents(service.index, range.start, range.end));
      }
      deploys.sort((a, b) => a.time - b.time || a.service - b.service);
      found.sort((a, b) => a.start - b.start || a.service - b.service);
      return { deploys, incidents: found };
    },

    async queryRange(request: RangeQuery, queryOptions: QueryOptions = {}): Promise<QueryResult<Series[]>> {
      const signal = queryOptions?.signal;
      await begin({ method: 'queryRange', query: request?.query }, signal);
      if (request === null || typeof request !== 'object') throw new SourceError('BAD_QUERY', 'request: expected { query, range, stepMs }', { path: 'request' });
      const expr = parse(request.query, 'query');
      assertRange(request.range, 'range', Infinity);
      const stepMs = request.stepMs;
      if (typeof stepMs !== 'number' || !Number.isFinite(stepMs) || stepMs <= 0) throw new SourceError('BAD_QUERY', `stepMs: expected a number > 0, received ${String(stepMs)}`, { path: 'stepMs' });
      // Evaluation times are multiples of the step: the first is the range start aligned down.
      const start = Math.floor(request.range.start / stepMs) * stepMs;
      const result = run(expr, start, request.range.end, stepMs);
      if (signal?.aborted) throw abortError(signal, 'queryRange');
      return { data: toSeries(result), warnings: [] };
    },

    async queryInstant(request: InstantQuery, queryOptions: QueryOptions = {}): Promise<QueryResult<InstantSample[]>> {
      const signal = queryOptions?.signal;
      await begin({ method: 'queryInstant', query: request?.query }, signal);
      if (request === null || typeof request !== 'object') throw new SourceError('BAD_QUERY', 'request: expected { query, time }', { path: 'request' });
      const expr = parse(request.query, 'query');
      if (typeof request.time !== 'number' || !Number.isFinite(request.time)) throw new SourceError('BAD_QUERY', `time: expected finite epoch ms, received ${String(request.time)}`, { path: 'time' });
      const result = run(expr, request.time, request.time, 1000);
      if (signal?.aborted) throw abortError(signal, 'queryInstant');
      const time = request.time;
      if (result.type === 'scalar') return { data: [{ labels: {}, timestamp: time, value: result.values[0] as number }], warnings: [] };
      const data: InstantSample[] = result.series.map((s) => {
        const { __name__: name, ...labels } = s.labels;
        return name === undefined ? { labels, timestamp: time, value: s.values[0] as number } : { name, labels, timestamp: time, value: s.values[0] as number };
      });
      return { data, warnings: [] };
    },

    async listMetrics(queryOptions: QueryOptions = {}): Promise<MetricMetadata[]> {
      await begin({ method: 'listMetrics' }, queryOptions?.signal);
      return METRICS.map((m) => ({ ...m }));
    },

    async labelNames(request: LabelQuery = {}, queryOptions: QueryOptions = {}): Promise<string[]> {
      await begin({ method: 'labelNames' }, queryOptions?.signal);
      const names = new Set<string>();
      for (const series of matchingSeries(request)) for (const name of Object.keys(series.labels)) names.add(name);
      return [...names].sort();
    },

    async labelValues(label: string, request: LabelQuery = {}, queryOptions: QueryOptions = {}): Promise<string[]> {
      await begin({ method: 'labelValues' }, queryOptions?.signal);
      if (typeof label !== 'string' || label.length === 0) throw new SourceError('BAD_QUERY', `label: expected a label name, received ${String(label)}`, { path: 'label' });
      const values = new Set<string>();
      for (const series of matchingSeries(request)) {
        const value = series.labels[label];
        if (value !== undefined) values.add(value);
      }
      return [...values].sort();
    },

    async queryEvents(request: EventQuery, queryOptions: QueryOptions = {}): Promise<SourceEvent[]> {
      const signal = queryOptions?.signal;
      await begin({ method: 'queryEvents' }, signal);
      if (request === null || typeof request !== 'object') throw new SourceError('BAD_QUERY', 'request: expected { range }', { path: 'request' });
      assertRange(request.range, 'range', MAX_EVENT_RANGE_MS);
      if (request.kinds !== undefined && !Array.isArray(request.kinds)) throw new SourceError('BAD_QUERY', 'kinds: expected an array of event kinds', { path: 'kinds' });
      if (request.service !== undefined && typeof request.service !== 'string') throw new SourceError('BAD_QUERY', 'service: expected a string', { path: 'service' });
      const current = now();
      const end = Math.min(request.range.end, current);
      if (end < request.range.start) return [];
      const wantDeploys = request.kinds === undefined || request.kinds.includes('deploy');
      const wantIncidents = request.kinds === undefined || request.kinds.includes('incident');
      const out: SourceEvent[] = [];
      for (const service of services) {
        if (request.service !== undefined && request.service !== service.name) continue;
        if (wantDeploys) for (const deploy of schedule.deploys(service.index, request.range.start, end)) out.push(deployEvent(deploy, service));
        if (wantIncidents) {
          for (const incident of schedule.incidents(service.index, request.range.start, end)) {
            if (incident.start <= current) out.push(incidentEvent(incident, service, current));
          }
        }
      }
      out.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1));
      return out;
    },

    async getTrace(traceId: string, queryOptions: QueryOptions = {}): Promise<TracePayload> {
      const signal = queryOptions?.signal;
      await begin({ method: 'getTrace' }, signal);
      if (typeof traceId !== 'string' || !/^[0-9a-fA-F]{32}$/.test(traceId)) {
        throw new SourceError('BAD_QUERY', `traceId: expected 32 hex digits, received ${typeof traceId === 'string' ? JSON.stringify(traceId.slice(0, 80)) : describeValue(traceId)}`, { path: 'traceId' });
      }
      const header = traces.decodeId(traceId, now());
      if (header === undefined) throw new SourceError('NOT_FOUND', `trace ${traceId.toLowerCase()} not found`, { path: 'traceId' });
      const payload = traces.toPayload(traces.generate(header));
      if (signal?.aborted) throw abortError(signal, 'getTrace');
      return payload;
    },

    async searchTraces(request: TraceSearch, queryOptions: QueryOptions = {}): Promise<TraceSummaryRow[]> {
      const signal = queryOptions?.signal;
      await begin({ method: 'searchTraces' }, signal);
      assertTraceSearch(request);
      const rows = runTraceSearch(traces, request, now());
      if (signal?.aborted) throw abortError(signal, 'searchTraces');
      return rows;
    },

    subscribe(listener: LiveListener, subscribeOptions: SubscribeOptions = {}): Unsubscribe {
      if (typeof listener !== 'function') throw new ValidationError('listener', 'a function', listener);
      const { signal, onError } = subscribeOptions ?? {};
      const intervalMs = subscribeOptions?.intervalMs ?? tickMs;
      if (typeof intervalMs !== 'number' || !Number.isFinite(intervalMs) || intervalMs < MIN_TICK_MS) throw new ValidationError('options.intervalMs', `a number >= ${MIN_TICK_MS}`, intervalMs);
      let timer: ReturnType<typeof setInterval> | undefined = undefined;
      let closed = false;
      const stop = () => {
        if (closed) return;
        closed = true;
        if (timer !== undefined) clearInterval(timer);
        signal?.removeEventListener('abort', stop);
      };
      if (signal?.aborted) {
        closed = true;
        return stop;
      }
      signal?.addEventListener('abort', stop, { once: true });
      const fail = (error: unknown) => {
        stop();
        if (onError !== undefined) onError(error);
        else console.error('vigil simulated source: live feed failed', error);
      };
      const failure = failureFor({ method: 'subscribe' });
      if (failure !== undefined) {
        // Report asynchronously, as a real feed would.
        queueMicrotask(() => {
          if (!closed) fail(failure);
        });
        return stop;
      }
      let last = now();
      timer = setInterval(() => {
        if (closed) return;
        try {
          const time = now();
          for (const event of eventsBetween(last, time)) {
            if (closed) return;
            listener({ kind: 'event', event });
          }
          last = time;
          if (!closed) listener({ kind: 'tick', time });
        } catch (error) {
          fail(error);
        }
      }, intervalMs);
      return stop;
    },
  };

  /** Deploys and incident starts (and incident ends, as an update with `endTime`) in (from, to]. */
  function eventsBetween(from: number, to: number): SourceEvent[] {
    if (!(to > from)) return [];
    const out: SourceEvent[] = [];
    for (const service of services) {
      for (const deploy of schedule.deploys(service.index, from + 1, to)) out.push(deployEvent(deploy, service));
      for (const incident of schedule.incidents(service.index, from, to)) {
        if (incident.start > from && incident.start <= to) out.push(incidentEvent(incident, service, to));
        else if (incident.end > from && incident.end <= to) out.push(incidentEvent(incident, service, to));
      }
    }
    out.sort((a, b) => (a.endTime ?? a.time) - (b.endTime ?? b.time) || (a.id < b.id ? -1 : 1));
    return out;
  }

  function matchingSeries(request: LabelQuery | undefined) {
    if (request === null || typeof request !== 'object') throw new SourceError('BAD_QUERY', 'request: expected { match?, range? }', { path: 'request' });
    if (request.match === undefined || request.match.length === 0) return storage.catalog;
    if (!Array.isArray(request.match)) throw new SourceError('BAD_QUERY', 'match: expected an array of series selectors', { path: 'match' });
    const predicates = request.match.map((selector, i) => {
      const expr = parse(selector, `match[${i}]`);
      if (expr.type !== 'VectorSelector') throw new SourceError('BAD_QUERY', `match[${i}]: expected a series selector such as up{service="api"}`, { path: `match[${i}]` });
      return compileMatchers(expr.matchers as readonly LabelMatcher[]);
    });
    return storage.catalog.filter((s) => predicates.some((matches) => matches(s.labels)));
  }

  return source;
}

function deployEvent(deploy: Deploy, service: ResolvedService): SourceEvent {
  return {
    id: deploy.id,
    kind: 'deploy',
    title: `Deploy ${deploy.version}`,
    time: deploy.time,
    service: service.name,
    severity: 'info',
    labels: { service: service.name, version: deploy.version },
  };
}

function incidentEvent(incident: Incident, service: ResolvedService, now: number): SourceEvent {
  const base = {
    id: incident.id,
    kind: 'incident' as const,
    title: incident.title,
    time: incident.start,
    service: service.name,
    severity: incident.severity,
    labels: { service: service.name },
  };
  // An incident still going on has no end yet.
  return incident.end <= now ? { ...base, endTime: incident.end } : base;
}

function assertRange(range: TimeRange, path: string, maxSpan: number): void {
  if (range === null || typeof range !== 'object') throw new SourceError('BAD_QUERY', `${path}: expected { start, end } in epoch ms`, { path });
  if (typeof range.start !== 'number' || !Number.isFinite(range.start)) throw new SourceError('BAD_QUERY', `${path}.start: expected finite epoch ms, received ${String(range.start)}`, { path: `${path}.start` });
  if (typeof range.end !== 'number' || !Number.isFinite(range.end)) throw new SourceError('BAD_QUERY', `${path}.end: expected finite epoch ms, received ${String(range.end)}`, { path: `${path}.end` });
  if (range.end < range.start) throw new SourceError('BAD_QUERY', `${path}.end: expected a time >= start (${range.start}), received ${range.end}`, { path: `${path}.end` });
  if (range.end - range.start > maxSpan) throw new SourceError('BAD_QUERY', `${path}: spans more than ${maxSpan / DAY_MS} days`, { path });
}

function toSeries(result: EvaluationResult): Series[] {
  if (result.type === 'scalar') return [{ labels: {}, timestamps: result.timestamps, values: result.values }];
  return result.series.map((s) => {
    const { __name__: name, ...labels } = s.labels;
    // Each series gets its own timestamps array, so a caller changing one cannot change another.
    const timestamps = result.timestamps.slice();
    return name === undefined ? { labels, timestamps, values: s.values } : { name, labels, timestamps, values: s.values };
  });
}

/** Waits `ms`, rejecting with ABORTED (and clearing the timer) as soon as the signal fires. */
function delay(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal, what));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

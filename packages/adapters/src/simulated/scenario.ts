import { ValidationError } from '@vigil/core';
import type { SourceErrorCode } from '@vigil/core';
import { normalQuantile, poissonAt, streamKey, uniformAt } from './random';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** One route of a simulated service. */
export interface SimulatedRouteSpec {
  readonly route: string;
  readonly method: string;
  /** Share of the service's traffic, relative to the other routes' weights. */
  readonly weight: number;
}

/** The traffic, latency and error profile of one simulated service. */
export interface SimulatedServiceSpec {
  /** The `service` label value. */
  readonly name: string;
  /** Mean requests per second over a week (the diurnal curve swings around it). */
  readonly baseRps: number;
  /** Relative swing of the 24 h traffic curve, in [0, 0.95): peak/trough = (1 + a) / (1 - a). Default 0.5. */
  readonly diurnalAmplitude?: number;
  /** UTC hour of the daily traffic peak, in [0, 24). Default 15. */
  readonly peakHourUtc?: number;
  /** Traffic factor on Saturdays and Sundays (UTC), in (0, 1]. Default 0.7. */
  readonly weekendFactor?: number;
  /** Median request latency in ms (the lognormal's exp(mu)). */
  readonly latencyP50Ms: number;
  /** 99th-percentile request latency in ms; with the median this fixes the lognormal's sigma. */
  readonly latencyP99Ms: number;
  /** Base ratio of 5xx responses, in [0, 0.5). */
  readonly errorRatio: number;
  /** Base ratio of 404 responses, in [0, 0.5). Default 0.01. */
  readonly notFoundRatio?: number;
  readonly routes: readonly SimulatedRouteSpec[];
  /** Deploys per day, in [1, 96]: one at a seeded moment in each slot of 24 h / deploysPerDay. Default 3. */
  readonly deploysPerDay?: number;
  /** Mean random incidents per day, in [0, 24]. Default 0.5. */
  readonly incidentsPerDay?: number;
  /** Probability that a deploy causes an incident a few minutes later, in [0, 1]. Default 0.1. */
  readonly badDeployProbability?: number;
  /** Resident memory after warm-up, in MB. Default 512. */
  readonly memoryMb?: number;
  /** CPU seconds per request. Default 0.002. */
  readonly cpuSecondsPerRequest?: number;
}

/** An incident placed at a fixed time, for stories and tests. */
export interface ScriptedIncident {
  readonly service: string;
  /** Epoch ms. */
  readonly start: number;
  readonly durationMs: number;
  /** Ratio of 5xx responses during the incident, in (0, 1]. Default 0.2. */
  readonly errorRatio?: number;
  /** Factor on latency during the incident, >= 1. Default 3. */
  readonly latencyFactor?: number;
  readonly severity?: 'warning' | 'critical';
  readonly title?: string;
}

export interface SimulatedIncidentOptions {
  /** Seeded random incidents (at each service's `incidentsPerDay`) and bad deploys. Default true. */
  readonly random?: boolean;
  /** Incidents at fixed times, in addition. */
  readonly scripted?: readonly ScriptedIncident[];
}

/** A failure to simulate: every call (or those the predicate picks) rejects with a SourceError of this code. */
export interface SimulatedFailure {
  readonly code: SourceErrorCode;
  readonly message?: string;
  readonly status?: number;
  readonly retryable?: boolean;
}

/** What a `failWith` predicate is told about a call. */
export interface SimulatedCall {
  readonly method: 'queryRange' | 'queryInstant' | 'listMetrics' | 'labelNames' | 'labelValues' | 'queryEvents' | 'subscribe' | 'getTrace' | 'searchTraces';
  /** The query text, for `queryRange` and `queryInstant`. */
  readonly query?: string;
}

export interface SimulatedSourceOptions {
  /** Seed of every random choice. Same seed, same data. Default 1. */
  readonly seed?: number;
  /** The services to simulate. Default `defaultServices`. */
  readonly services?: readonly SimulatedServiceSpec[];
  /** The clock: data exists up to `now()`. Default `Date.now`. */
  readonly now?: () => number;
  /** Interval of live ticks for `subscribe`, in ms. Default 5000. */
  readonly tickMs?: number;
  /** Interval between simulated scrapes, in ms (a divisor of 24 h). Default 15000. */
  readonly scrapeIntervalMs?: number;
  readonly incidents?: SimulatedIncidentOptions;
  /** Artificial delay before each answer, in ms, for loading-state stories. Default 0. */
  readonly latencyMs?: number;
  /** Make calls fail, for error-state stories: a failure for every call, or a predicate per call. */
  readonly failWith?: SimulatedFailure | ((call: SimulatedCall) => SimulatedFailure | undefined | null | false);
  /** The source's `id`. Default `simulated-<seed>`. */
  readonly id?: string;
}

/** A realistic default fleet: six services with different traffic, latency and error profiles. */
export const defaultServices: readonly SimulatedServiceSpec[] = Object.freeze([
  {
    name: 'frontend',
    baseRps: 420,
    diurnalAmplitude: 0.55,
    peakHourUtc: 16,
    latencyP50Ms: 40,
    latencyP99Ms: 450,
    errorRatio: 0.002,
    routes: [
      { route: '/', method: 'GET', weight: 5 },
      { route: '/product/:id', method: 'GET', weight: 3 },
      { route: '/cart', method: 'GET', weight: 1 },
      { route: '/cart', method: 'POST', weight: 0.6 },
    ],
    deploysPerDay: 4,
    incidentsPerDay: 0.4,
    memoryMb: 380,
  },
  {
    name: 'checkout',
    baseRps: 45,
    diurnalAmplitude: 0.6,
    peakHourUtc: 18,
    latencyP50Ms: 120,
    latencyP99Ms: 900,
    errorRatio: 0.005,
    routes: [
      { route: '/checkout', method: 'POST', weight: 3 },
      { route: '/checkout/:id', method: 'GET', weight: 2 },
    ],
    deploysPerDay: 3,
    incidentsPerDay: 0.6,
    memoryMb: 620,
  },
  {
    name: 'payments',
    baseRps: 30,
    diurnalAmplitude: 0.6,
    peakHourUtc: 18,
    latencyP50Ms: 180,
    latencyP99Ms: 1200,
    errorRatio: 0.008,
    routes: [
      { route: '/charge', method: 'POST', weight: 4 },
      { route: '/refund', method: 'POST', weight: 0.3 },
    ],
    deploysPerDay: 2,
    incidentsPerDay: 0.5,
    memoryMb: 540,
  },
  {
    name: 'search',
    baseRps: 260,
    diurnalAmplitude: 0.5,
    peakHourUtc: 15,
    latencyP50Ms: 65,
    latencyP99Ms: 600,
    errorRatio: 0.003,
    routes: [
      { route: '/search', method: 'GET', weight: 6 },
      { route: '/suggest', method: 'GET', weight: 4 },
    ],
    deploysPerDay: 3,
    incidentsPerDay: 0.4,
    memoryMb: 1800,
  },
  {
    name: 'inventory',
    baseRps: 140,
    diurnalAmplitude: 0.45,
    peakHourUtc: 14,
    latencyP50Ms: 25,
    latencyP99Ms: 220,
    errorRatio: 0.002,
    routes: [
      { route: '/stock/:sku', method: 'GET', weight: 5 },
      { route: '/reserve', method: 'POST', weight: 1 },
    ],
    deploysPerDay: 2,
    incidentsPerDay: 0.3,
    memoryMb: 450,
  },
  {
    name: 'auth',
    baseRps: 300,
    diurnalAmplitude: 0.5,
    peakHourUtc: 9,
    latencyP50Ms: 12,
    latencyP99Ms: 90,
    errorRatio: 0.001,
    routes: [
      { route: '/token', method: 'POST', weight: 4 },
      { route: '/session', method: 'GET', weight: 6 },
    ],
    deploysPerDay: 1,
    incidentsPerDay: 0.2,
    memoryMb: 260,
  },
] satisfies SimulatedServiceSpec[]);

/** A service with every default filled in and its lognormal parameters derived. */
export interface ResolvedService {
  readonly index: number;
  readonly name: string;
  readonly baseRps: number;
  readonly diurnalAmplitude: number;
  readonly peakHourUtc: number;
  readonly weekendFactor: number;
  /** Lognormal of the latency in seconds: ln(latency) ~ N(mu, sigma²). */
  readonly mu: number;
  readonly sigma: number;
  readonly errorRatio: number;
  readonly notFoundRatio: number;
  readonly routes: readonly { readonly route: string; readonly method: string; readonly share: number }[];
  readonly deploysPerDay: number;
  readonly incidentsPerDay: number;
  readonly badDeployProbability: number;
  readonly memoryBytes: number;
  readonly cpuSecondsPerRequest: number;
}

/** z such that Φ(z) = 0.99. */
export const Z99 = normalQuantile(0.99);

function check(condition: boolean, path: string, expected: string, value: unknown): void {
  if (!condition) throw new ValidationError(path, expected, value);
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const LABEL_VALUE_OK = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 128;

/** Validates the service specs and fills in defaults. Throws `ValidationError` with paths such as `options.services[1].baseRps`. */
export function resolveServices(services: readonly SimulatedServiceSpec[], path = 'options.services'): ResolvedService[] {
  check(Array.isArray(services) && services.length > 0 && services.length <= 50, path, 'an array of 1 to 50 service specs', services);
  const names = new Set<string>();
  return services.map((spec, index) => {
    const at = `${path}[${index}]`;
    check(spec !== null && typeof spec === 'object', at, 'a service spec object', spec);
    check(LABEL_VALUE_OK(spec.name), `${at}.name`, 'a non-empty name of at most 128 characters', spec.name);
    check(!names.has(spec.name), `${at}.name`, 'a name not used by another service', spec.name);
    names.add(spec.name);
    check(isNumber(spec.baseRps) && spec.baseRps > 0 && spec.baseRps <= 1e6, `${at}.baseRps`, 'a number in (0, 1e6]', spec.baseRps);
    const diurnalAmplitude = spec.diurnalAmplitude ?? 0.5;
    check(isNumber(diurnalAmplitude) && diurnalAmplitude >= 0 && diurnalAmplitude < 0.95, `${at}.diurnalAmplitude`, 'a number in [0, 0.95)', diurnalAmplitude);
    const peakHourUtc = spec.peakHourUtc ?? 15;
    check(isNumber(peakHourUtc) && peakHourUtc >= 0 && peakHourUtc < 24, `${at}.peakHourUtc`, 'a number in [0, 24)', peakHourUtc);
    const weekendFactor = spec.weekendFactor ?? 0.7;
    check(isNumber(weekendFactor) && weekendFactor > 0 && weekendFactor <= 1, `${at}.weekendFactor`, 'a number in (0, 1]', weekendFactor);
    check(isNumber(spec.latencyP50Ms) && spec.latencyP50Ms > 0 && spec.latencyP50Ms <= 60_000, `${at}.latencyP50Ms`, 'a number in (0, 60000]', spec.latencyP50Ms);
    check(isNumber(spec.latencyP99Ms) && spec.latencyP99Ms > spec.latencyP50Ms && spec.latencyP99Ms <= 600_000, `${at}.latencyP99Ms`, `a number greater than latencyP50Ms (${spec.latencyP50Ms}) and at most 600000`, spec.latencyP99Ms);
    check(isNumber(spec.errorRatio) && spec.errorRatio >= 0 && spec.errorRatio < 0.5, `${at}.errorRatio`, 'a number in [0, 0.5)', spec.errorRatio);
    const notFoundRatio = spec.notFoundRatio ?? 0.01;
    check(isNumber(notFoundRatio) && notFoundRatio >= 0 && notFoundRatio < 0.5, `${at}.notFoundRatio`, 'a number in [0, 0.5)', notFoundRatio);
    check(Array.isArray(spec.routes) && spec.routes.length > 0 && spec.routes.length <= 20, `${at}.routes`, 'an array of 1 to 20 routes', spec.routes);
    let totalWeight = 0;
    const seen = new Set<string>();
    spec.routes.forEach((route, r) => {
      const rat = `${at}.routes[${r}]`;
      check(route !== null && typeof route === 'object', rat, 'a route object', route);
      check(LABEL_VALUE_OK(route.route), `${rat}.route`, 'a non-empty route of at most 128 characters', route.route);
      check(LABEL_VALUE_OK(route.method), `${rat}.method`, 'a non-empty method', route.method);
      check(isNumber(route.weight) && route.weight > 0, `${rat}.weight`, 'a number > 0', route.weight);
      check(!seen.has(`${route.method} ${route.route}`), rat, 'a method and route not listed twice', route);
      seen.add(`${route.method} ${route.route}`);
      totalWeight += route.weight;
    });
    const deploysPerDay = spec.deploysPerDay ?? 3;
    check(isNumber(deploysPerDay) && deploysPerDay >= 1 && deploysPerDay <= 96, `${at}.deploysPerDay`, 'a number in [1, 96]', deploysPerDay);
    const incidentsPerDay = spec.incidentsPerDay ?? 0.5;
    check(isNumber(incidentsPerDay) && incidentsPerDay >= 0 && incidentsPerDay <= 24, `${at}.incidentsPerDay`, 'a number in [0, 24]', incidentsPerDay);
    const badDeployProbability = spec.badDeployProbability ?? 0.1;
    check(isNumber(badDeployProbability) && badDeployProbability >= 0 && badDeployProbability <= 1, `${at}.badDeployProbability`, 'a number in [0, 1]', badDeployProbability);
    const memoryMb = spec.memoryMb ?? 512;
    check(isNumber(memoryMb) && memoryMb > 0 && memoryMb <= 1e6, `${at}.memoryMb`, 'a number in (0, 1e6]', memoryMb);
    const cpuSecondsPerRequest = spec.cpuSecondsPerRequest ?? 0.002;
    check(isNumber(cpuSecondsPerRequest) && cpuSecondsPerRequest >= 0 && cpuSecondsPerRequest <= 10, `${at}.cpuSecondsPerRequest`, 'a number in [0, 10]', cpuSecondsPerRequest);
    const mu = Math.log(spec.latencyP50Ms / 1000);
    const sigma = Math.log(spec.latencyP99Ms / spec.latencyP50Ms) / Z99;
    return {
      index,
      name: spec.name,
      baseRps: spec.baseRps,
      diurnalAmplitude,
      peakHourUtc,
      weekendFactor,
      mu,
      sigma,
      errorRatio: spec.errorRatio,
      notFoundRatio,
      routes: spec.routes.map((r) => ({ route: r.route, method: r.method, share: r.weight / totalWeight })),
      deploysPerDay,
      incidentsPerDay,
      badDeployProbability,
      memoryBytes: memoryMb * 1024 * 1024,
      cpuSecondsPerRequest,
    };
  });
}

// ---- schedules --------------------------------------------------------------------------------------------------

export interface Deploy {
  readonly id: string;
  readonly service: number;
  /** The deploy slot (numbered from the epoch); slot s + 1 holds the next deploy. */
  readonly slot: number;
  readonly time: number;
  readonly version: string;
}

export interface Incident {
  readonly id: string;
  readonly service: number;
  readonly start: number;
  readonly end: number;
  /** 5xx ratio at full strength. */
  readonly errorRatio: number;
  /** Latency factor at full strength. */
  readonly latencyFactor: number;
  readonly severity: 'warning' | 'critical';
  readonly title: string;
}

/** Longest random incident, so that looking one day back finds every incident overlapping a time. */
const MAX_RANDOM_INCIDENT_MS = 45 * MINUTE_MS;

/**
 * Deploys and incidents, as pure functions of the seed and the time: a deploy per service in each slot of
 * 24 h / deploysPerDay, random incidents per service per UTC day, and bad deploys followed by an incident.
 */
export class Schedule {
  private readonly deployKey: number;
  private readonly incidentKey: number;
  private readonly incidentCache = new Map<string, readonly Incident[]>();

  constructor(
    seed: number,
    private readonly services: readonly ResolvedService[],
    private readonly randomIncidents: boolean,
    private readonly scripted: readonly Incident[],
  ) {
    this.deployKey = streamKey(seed, 'deploys');
    this.incidentKey = streamKey(seed, 'incidents');
  }

  slotMs(service: number): number {
    return DAY_MS / this.services[service]!.deploysPerDay;
  }

  /** The deploy of a service in slot `slot` (slots are numbered from the epoch). */
  deployInSlot(service: number, slot: number): Deploy {
    const slotMs = this.slotMs(service);
    const key = this.deployKey ^ Math.imul(service + 1, 0x9e3779b1);
    const offset = 0.1 + 0.8 * uniformAt(key, slot);
    const time = Math.round((slot * slotMs + offset * slotMs) / 1000) * 1000;
    const build = (Math.floor(uniformAt(key ^ 0x2545f491, slot) * 0xfffff) + 0x100000).toString(16);
    const name = this.services[service]!.name;
    return { id: `deploy:${name}:${slot}`, service, slot, time, version: `${name}@${build}` };
  }

  /** Deploys of a service with `from <= time <= to`, in time order. */
  deploys(service: number, from: number, to: number): Deploy[] {
    const slotMs = this.slotMs(service);
    const out: Deploy[] = [];
    for (let slot = Math.floor(from / slotMs) - 1; slot * slotMs <= to; slot++) {
      const deploy = this.deployInSlot(service, slot);
      if (deploy.time >= from && deploy.time <= to) out.push(deploy);
    }
    return out;
  }

  /** The last deploy of a service at or before `time`. Deploys are at most two slots apart. */
  lastDeployAtOrBefore(service: number, time: number): Deploy {
    const slot = Math.floor(time / this.slotMs(service));
    const current = this.deployInSlot(service, slot);
    return current.time <= time ? current : this.deployInSlot(service, slot - 1);
  }

  /** Incidents of a service that overlap `[from, to]`, in start order. */
  incidents(service: number, from: number, to: number): Incident[] {
    const out: Incident[] = [];
    if (this.randomIncidents) {
      for (let day = Math.floor((from - MAX_RANDOM_INCIDENT_MS - 10 * MINUTE_MS) / DAY_MS); day * DAY_MS <= to; day++) {
        for (const incident of this.incidentsOfDay(service, day)) if (incident.start <= to && incident.end >= from) out.push(incident);
      }
    }
    for (const incident of this.scripted) if (incident.service === service && incident.start <= to && incident.end >= from) out.push(incident);
    out.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
    return out;
  }

  /** Random incidents starting on one UTC day, plus incidents caused by that day's bad deploys. */
  private incidentsOfDay(service: number, day: number): readonly Incident[] {
    const cacheKey = `${service}:${day}`;
    const cached = this.incidentCache.get(cacheKey);
    if (cached !== undefined) return cached;
    const spec = this.services[service]!;
    const key = this.incidentKey ^ Math.imul(service + 1, 0x85ebca77);
    const out: Incident[] = [];
    const count = poissonAt(key, day, spec.incidentsPerDay);
    for (let i = 0; i < count; i++) {
      const index = day * 64 + i;
      const start = day * DAY_MS + Math.floor(uniformAt(key ^ 0x1b873593, index) * (DAY_MS / 1000)) * 1000;
      out.push(this.makeIncident(service, `incident:${spec.name}:${day}:${i}`, start, uniformAt(key ^ 0xcc9e2d51, index), uniformAt(key ^ 0xe6546b64, index)));
    }
    for (const deploy of this.deploys(service, day * DAY_MS, (day + 1) * DAY_MS - 1)) {
      const slot = deploy.slot;
      if (uniformAt(key ^ 0x68e31da4, slot) >= spec.badDeployProbability) continue;
      const delay = (1 + Math.floor(uniformAt(key ^ 0xb5297a4d, slot) * 4)) * MINUTE_MS;
      const incident = this.makeIncident(service, `incident:${spec.name}:deploy:${slot}`, deploy.time + delay, uniformAt(key ^ 0x1b56c4e9, slot), uniformAt(key ^ 0x7fb5d329, slot));
      out.push({ ...incident, title: `${incident.title} after deploy ${deploy.version}` });
    }
    if (this.incidentCache.size > 4096) this.incidentCache.clear();
    this.incidentCache.set(cacheKey, out);
    return out;
  }

  private makeIncident(service: number, id: string, start: number, strength: number, length: number): Incident {
    const name = this.services[service]!.name;
    const durationMs = Math.round((4 + 36 * length * length) * 60) * 1000;
    const errorRatio = 0.03 + 0.3 * strength;
    const severity = errorRatio >= 0.12 ? 'critical' : 'warning';
    return { id, service, start, end: start + durationMs, errorRatio, latencyFactor: 1.5 + 3 * strength, severity, title: `Elevated 5xx errors and latency on ${name}` };
  }
}

/** Validates scripted incidents and turns them into schedule entries. */
export function resolveScriptedIncidents(scripted: readonly ScriptedIncident[] | undefined, services: readonly ResolvedService[], path = 'options.incidents.scripted'): Incident[] {
  if (scripted === undefined) return [];
  check(Array.isArray(scripted) && scripted.length <= 1000, path, 'an array of at most 1000 incidents', scripted);
  return scripted.map((spec, i) => {
    const at = `${path}[${i}]`;
    check(spec !== null && typeof spec === 'object', at, 'an incident object', spec);
    const service = services.findIndex((s) => s.name === spec.service);
    check(service >= 0, `${at}.service`, `one of the services (${services.map((s) => s.name).join(', ')})`, spec.service);
    check(isNumber(spec.start), `${at}.start`, 'a finite epoch-ms time', spec.start);
    check(isNumber(spec.durationMs) && spec.durationMs > 0 && spec.durationMs <= DAY_MS, `${at}.durationMs`, 'a duration in (0, 86400000]', spec.durationMs);
    const errorRatio = spec.errorRatio ?? 0.2;
    check(isNumber(errorRatio) && errorRatio > 0 && errorRatio <= 1, `${at}.errorRatio`, 'a number in (0, 1]', errorRatio);
    const latencyFactor = spec.latencyFactor ?? 3;
    check(isNumber(latencyFactor) && latencyFactor >= 1 && latencyFactor <= 1000, `${at}.latencyFactor`, 'a number in [1, 1000]', latencyFactor);
    const severity = spec.severity ?? (errorRatio >= 0.12 ? 'critical' : 'warning');
    check(severity === 'warning' || severity === 'critical', `${at}.severity`, '"warning" or "critical"', severity);
    const title = spec.title ?? `Elevated 5xx errors and latency on ${spec.service}`;
    check(typeof title === 'string', `${at}.title`, 'a string', title);
    return { id: `incident:scripted:${i}`, service, start: spec.start, end: spec.start + spec.durationMs, errorRatio, latencyFactor, severity, title };
  });
}

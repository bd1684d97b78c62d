import type { Labels } from '@vigil/core';
import { binomialAt, hashString, normalAt, normalCdf, poissonAt, streamKey } from './random';
import { DAY_MS, HOUR_MS, MINUTE_MS, type Deploy, type Incident, type ResolvedService, type Schedule } from './scenario';

/** Upper bounds of the latency histogram, in seconds (Prometheus' defaults, a little denser in the middle). */
export const LATENCY_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.35, 0.5, 0.75, 1, 2.5, 5, 10];

/** Response codes of `http_requests_total`. */
export const RESPONSE_CODES = ['200', '404', '500', '503'] as const;
/** Share of the 5xx errors answered with 500 (the rest is 503). */
const SHARE_OF_500 = 0.7;
/** After a deploy, latency starts this much higher (cold caches) and decays with `WARMUP_DECAY_MS`. */
const WARMUP_EXTRA_LATENCY = 0.6;
const WARMUP_DECAY_MS = 60_000;
const WARMUP_SPAN_MS = 6 * WARMUP_DECAY_MS;
/** Incidents ramp up and down over this long. */
const INCIDENT_RAMP_MS = 90_000;

export type MetricKind = 'requests' | 'bucket' | 'sum' | 'count' | 'cpu' | 'up' | 'memory';

/** One simulated series: its labels and where its numbers come from. */
export interface CatalogSeries {
  readonly labels: Labels;
  readonly kind: MetricKind;
  readonly service: number;
  /** Column of the service block holding this series' increments (counters) or values (gauges). */
  readonly column: number;
  readonly isCounter: boolean;
}

export interface MetricInfo {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly help: string;
  readonly unit?: string;
}

export const METRICS: readonly MetricInfo[] = [
  { name: 'http_requests_total', type: 'counter', help: 'HTTP requests handled, by route, method and response code.' },
  { name: 'http_request_duration_seconds', type: 'histogram', help: 'HTTP request latency.', unit: 'seconds' },
  { name: 'up', type: 'gauge', help: '1 when the last scrape of the service succeeded.' },
  { name: 'process_cpu_seconds_total', type: 'counter', help: 'CPU time used by the process.', unit: 'seconds' },
  { name: 'process_resident_memory_bytes', type: 'gauge', help: 'Resident memory of the process.', unit: 'bytes' },
];

/** Column layout of one service's block. */
export interface ServiceLayout {
  /** requestColumn(route, code) = route * codes + code. */
  readonly requestColumns: number;
  readonly bucketStart: number;
  readonly sumColumn: number;
  readonly countColumn: number;
  readonly cpuColumn: number;
  readonly upColumn: number;
  readonly memoryColumn: number;
  readonly columns: number;
}

export function layoutOf(service: ResolvedService): ServiceLayout {
  const requestColumns = service.routes.length * RESPONSE_CODES.length;
  const bucketStart = requestColumns;
  const sumColumn = bucketStart + LATENCY_BUCKETS.length + 1;
  return { requestColumns, bucketStart, sumColumn, countColumn: sumColumn + 1, cpuColumn: sumColumn + 2, upColumn: sumColumn + 3, memoryColumn: sumColumn + 4, columns: sumColumn + 5 };
}

/** Every series the simulator exposes, in a stable order. */
export function buildCatalog(services: readonly ResolvedService[]): CatalogSeries[] {
  const out: CatalogSeries[] = [];
  for (const service of services) {
    const layout = layoutOf(service);
    const s = service.index;
    const name = service.name;
    service.routes.forEach((route, r) => {
      RESPONSE_CODES.forEach((code, c) => {
        out.push({
          labels: { __name__: 'http_requests_total', service: name, route: route.route, method: route.method, code },
          kind: 'requests',
          service: s,
          column: r * RESPONSE_CODES.length + c,
          isCounter: true,
        });
      });
    });
    [...LATENCY_BUCKETS.map(String), '+Inf'].forEach((le, b) => {
      out.push({ labels: { __name__: 'http_request_duration_seconds_bucket', service: name, le }, kind: 'bucket', service: s, column: layout.bucketStart + b, isCounter: true });
    });
    out.push({ labels: { __name__: 'http_request_duration_seconds_sum', service: name }, kind: 'sum', service: s, column: layout.sumColumn, isCounter: true });
    out.push({ labels: { __name__: 'http_request_duration_seconds_count', service: name }, kind: 'count', service: s, column: layout.countColumn, isCounter: true });
    out.push({ labels: { __name__: 'process_cpu_seconds_total', service: name }, kind: 'cpu', service: s, column: layout.cpuColumn, isCounter: true });
    out.push({ labels: { __name__: 'up', service: name }, kind: 'up', service: s, column: layout.upColumn, isCounter: false });
    out.push({ labels: { __name__: 'process_resident_memory_bytes', service: name }, kind: 'memory', service: s, column: layout.memoryColumn, isCounter: false });
  }
  return out;
}

// ---- traffic ----------------------------------------------------------------------------------------------------

/** Knots of the slow traffic noise, interpolated in between. */
const NOISE_KNOT_MS = 10 * MINUTE_MS;
const NOISE_SD = 0.04;

/**
 * Expected requests per second of a service at time t, without the per-scrape counting noise: the diurnal cosine
 * peaking at `peakHourUtc`, the weekend dip (ramped over 3 h around midnight), and a slow smooth noise.
 */
export function expectedRps(service: ResolvedService, noiseKey: number, t: number): number {
  const hour = (((t % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
  const diurnal = 1 + service.diurnalAmplitude * Math.cos((2 * Math.PI * (hour - service.peakHourUtc)) / 24);
  return service.baseRps * diurnal * weekendFactorAt(service.weekendFactor, t) * (1 + slowNoise(noiseKey, t));
}

function isWeekend(weekday: number): boolean {
  return weekday === 0 || weekday === 6;
}

/** How much of a weekend time t is in, in [0, 1] (UTC; 1970-01-01 was a Thursday), ramped across midnight. */
function weekendWeight(t: number): number {
  const RAMP = 3 * HOUR_MS;
  const dayIndex = Math.floor(t / DAY_MS);
  const weekday = (((dayIndex % 7) + 7) % 7 + 4) % 7; // 0 = Sunday ... 6 = Saturday
  const intoDay = t - dayIndex * DAY_MS;
  const today = isWeekend(weekday) ? 1 : 0;
  // Ramp across midnight: blend with the previous day during the first RAMP/2 and the next during the last RAMP/2.
  if (intoDay < RAMP / 2) {
    const previous = isWeekend((weekday + 6) % 7) ? 1 : 0;
    const f = 0.5 + intoDay / RAMP;
    return previous + (today - previous) * f;
  }
  if (intoDay > DAY_MS - RAMP / 2) {
    const next = isWeekend((weekday + 1) % 7) ? 1 : 0;
    const f = (intoDay - (DAY_MS - RAMP / 2)) / RAMP;
    return today + (next - today) * f;
  }
  return today;
}

export function weekendFactorAt(weekendFactor: number, t: number): number {
  return 1 - (1 - weekendFactor) * weekendWeight(t);
}

function slowNoise(key: number, t: number): number {
  const knot = Math.floor(t / NOISE_KNOT_MS);
  const f = (t - knot * NOISE_KNOT_MS) / NOISE_KNOT_MS;
  const smooth = (1 - Math.cos(Math.PI * f)) / 2;
  const a = normalAt(key, knot);
  const b = normalAt(key, knot + 1);
  const value = NOISE_SD * (a + (b - a) * smooth);
  return Math.max(-0.2, Math.min(0.2, value));
}

/** How strongly an incident acts at time t, in [0, 1]: ramps up and down over `INCIDENT_RAMP_MS`. */
export function incidentStrength(incident: Incident, t: number): number {
  if (t < incident.start || t > incident.end) return 0;
  return Math.min(1, (t - incident.start) / INCIDENT_RAMP_MS, (incident.end - t) / INCIDENT_RAMP_MS + 0.0001);
}

// ---- blocks -----------------------------------------------------------------------------------------------------

/** The increments (counters) and values (gauges) of every series of one service over scrapes k0..k1. */
export interface ServiceBlock {
  readonly k0: number;
  readonly length: number;
  /** One array per column of the layout, `length` long. */
  readonly columns: readonly Float64Array[];
  /** 1 at scrapes where the process restarted since the previous scrape (counters restart there). */
  readonly resets: Uint8Array;
}

export interface ModelKeys {
  readonly noise: number;
  readonly requests: number;
  readonly buckets: number;
  readonly misc: number;
}

export function modelKeys(seed: number, service: ResolvedService): ModelKeys {
  const id = hashString(service.name);
  return {
    noise: streamKey(seed, id ^ 0x01),
    requests: streamKey(seed, id ^ 0x02),
    buckets: streamKey(seed, id ^ 0x03),
    misc: streamKey(seed, id ^ 0x04),
  };
}

/**
 * Computes scrapes k0..k1 of one service. Every number is a pure function of (seed, service, column, scrape index),
 * so blocks over different ranges agree wherever they overlap.
 */
export function computeBlock(service: ResolvedService, keys: ModelKeys, schedule: Schedule, scrapeMs: number, k0: number, k1: number): ServiceBlock {
  const layout = layoutOf(service);
  const length = k1 - k0 + 1;
  const columns = Array.from({ length: layout.columns }, () => new Float64Array(length));
  const resets = new Uint8Array(length);
  const t0 = k0 * scrapeMs;
  const t1 = k1 * scrapeMs;
  const deploys: Deploy[] = schedule.deploys(service.index, t0 - Math.max(WARMUP_SPAN_MS, scrapeMs) - 1, t1);
  const lastBefore = schedule.lastDeployAtOrBefore(service.index, t0 - Math.max(WARMUP_SPAN_MS, scrapeMs) - 1);
  const incidents = schedule.incidents(service.index, t0 - scrapeMs, t1);
  const routes = service.routes;
  const codes = RESPONSE_CODES.length;
  const buckets = LATENCY_BUCKETS.length;
  const cdf = new Float64Array(buckets + 1);
  const meanFactor = Math.exp((service.sigma * service.sigma) / 2);
  let cdfMu = NaN;
  let deployIndex = 0;
  let lastDeployTime = lastBefore.time;

  for (let i = 0; i < length; i++) {
    const k = k0 + i;
    const t = k * scrapeMs;
    // Deploys up to t: the latest one drives warm-up and memory; one inside (t - scrape, t] restarts the counters.
    let restartFraction = 1;
    while (deployIndex < deploys.length && deploys[deployIndex]!.time <= t) {
      const time = deploys[deployIndex]!.time;
      lastDeployTime = time;
      if (time > t - scrapeMs) {
        resets[i] = 1;
        restartFraction = (t - time) / scrapeMs;
      }
      deployIndex++;
    }
    const sinceDeploy = t - lastDeployTime;

    // Incidents and warm-up.
    let errorRatio = service.errorRatio;
    let latencyFactor = sinceDeploy < WARMUP_SPAN_MS ? 1 + WARMUP_EXTRA_LATENCY * Math.exp(-sinceDeploy / WARMUP_DECAY_MS) : 1;
    for (const incident of incidents) {
      const strength = incidentStrength(incident, t);
      if (strength <= 0) continue;
      errorRatio = Math.max(errorRatio, service.errorRatio + (incident.errorRatio - service.errorRatio) * strength);
      latencyFactor *= 1 + (incident.latencyFactor - 1) * strength;
    }

    // Requests per route and code; their sum is the histogram's count.
    const expectedRequests = (expectedRps(service, keys.noise, t) * scrapeMs * restartFraction) / 1000;
    const ok = 1 - service.notFoundRatio - errorRatio;
    let total = 0;
    for (let r = 0; r < routes.length; r++) {
      const routeRequests = expectedRequests * routes[r]!.share;
      for (let c = 0; c < codes; c++) {
        const share = c === 0 ? ok : c === 1 ? service.notFoundRatio : c === 2 ? errorRatio * SHARE_OF_500 : errorRatio * (1 - SHARE_OF_500);
        const column = r * codes + c;
        const n = poissonAt(keys.requests ^ Math.imul(column + 1, 0x2c1b3c6d), k, routeRequests * share);
        columns[column]![i] = n;
        total += n;
      }
    }

    // Latency histogram: split the requests over the buckets (conditional binomials), then accumulate.
    const mu = service.mu + Math.log(latencyFactor);
    if (mu !== cdfMu) {
      for (let b = 0; b < buckets; b++) cdf[b] = normalCdf((Math.log(LATENCY_BUCKETS[b]!) - mu) / service.sigma);
      cdf[buckets] = 1;
      cdfMu = mu;
    }
    let remaining = total;
    let remainingMass = 1;
    let cumulative = 0;
    let previousCdf = 0;
    for (let b = 0; b <= buckets; b++) {
      const mass = (cdf[b] as number) - previousCdf;
      previousCdf = cdf[b] as number;
      let n: number;
      if (b === buckets) n = remaining;
      else n = remainingMass > 0 ? binomialAt(keys.buckets ^ Math.imul(b + 1, 0x165667b1), k, remaining, Math.min(1, mass / remainingMass)) : 0;
      remaining -= n;
      remainingMass -= mass;
      cumulative += n;
      columns[layout.bucketStart + b]![i] = cumulative;
    }
    columns[layout.sumColumn]![i] = total * Math.exp(mu) * meanFactor * (1 + 0.03 * normalAt(keys.misc, k * 4));
    columns[layout.countColumn]![i] = total;
    columns[layout.cpuColumn]![i] = Math.max(0, restartFraction * (scrapeMs / 1000) * 0.03 + total * service.cpuSecondsPerRequest * (1 + 0.1 * normalAt(keys.misc, k * 4 + 1)));
    columns[layout.upColumn]![i] = 1;
    // Memory warms up over ~2 h after a restart, with a garbage-collection sawtooth.
    const warm = 1 - Math.exp(-sinceDeploy / (2 * HOUR_MS));
    const sawtooth = ((sinceDeploy % (7 * MINUTE_MS)) / (7 * MINUTE_MS)) * 0.04;
    columns[layout.memoryColumn]![i] = Math.round(service.memoryBytes * (0.55 + 0.45 * warm) * (1 + sawtooth + 0.005 * normalAt(keys.misc, k * 4 + 2)));
  }
  return { k0, length, columns, resets };
}

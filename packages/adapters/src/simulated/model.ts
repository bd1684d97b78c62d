import type { Labels } from '@vigil/core';
import { binomialAt, hashString, hypergeometricAt, normalAt, normalCdf, poissonAt, streamKey } from './random';
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

/**
 * `expectedRps` at scrapes k0, k0 + 1, ... (times k × scrapeMs), into `out`, equal to it up to rounding (about
 * 1e-13): the cosines advance by rotation, the noise knots' normals are drawn once per knot, and the weekend factor is
 * computed per scrape only near midnight.
 */
export function fillExpectedRps(service: ResolvedService, noiseKey: number, k0: number, scrapeMs: number, out: Float64Array): void {
  const n = out.length;
  const t0 = k0 * scrapeMs;
  const tEnd = (k0 + n - 1) * scrapeMs;
  // Diurnal cosine: the angle grows by a fixed step per scrape.
  const hour0 = (((t0 % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
  const angle0 = (2 * Math.PI * (hour0 - service.peakHourUtc)) / 24;
  const step = (2 * Math.PI * scrapeMs) / DAY_MS;
  const cosStep = Math.cos(step);
  const sinStep = Math.sin(step);
  let cos = Math.cos(angle0);
  let sin = Math.sin(angle0);
  // Weekend factor: constant unless the scrapes come within the ramp of a midnight.
  const RAMP_HALF = 1.5 * HOUR_MS;
  const midnight = Math.floor(t0 / DAY_MS) * DAY_MS;
  const nearMidnight = tEnd - midnight > DAY_MS - RAMP_HALF || t0 - midnight < RAMP_HALF;
  const constantWeekend = weekendFactorAt(service.weekendFactor, t0);
  // Slow noise: per knot, the smoothing cosine also grows by a fixed step per scrape.
  const noiseStep = (Math.PI * scrapeMs) / NOISE_KNOT_MS;
  const noiseCosStep = Math.cos(noiseStep);
  const noiseSinStep = Math.sin(noiseStep);
  let knot = NaN;
  let a = 0;
  let b = 0;
  let noiseCos = 1;
  let noiseSin = 0;
  for (let i = 0; i < n; i++) {
    const t = (k0 + i) * scrapeMs;
    const k = Math.floor(t / NOISE_KNOT_MS);
    if (k !== knot) {
      a = k === knot + 1 ? b : normalAt(noiseKey, k);
      b = normalAt(noiseKey, k + 1);
      knot = k;
      const phase = (Math.PI * (t - k * NOISE_KNOT_MS)) / NOISE_KNOT_MS;
      noiseCos = Math.cos(phase);
      noiseSin = Math.sin(phase);
    } else {
      const c = noiseCos * noiseCosStep - noiseSin * noiseSinStep;
      noiseSin = noiseSin * noiseCosStep + noiseCos * noiseSinStep;
      noiseCos = c;
    }
    const value = NOISE_SD * (a + ((b - a) * (1 - noiseCos)) / 2);
    const noise = value < -0.2 ? -0.2 : value > 0.2 ? 0.2 : value;
    const weekend = nearMidnight ? weekendFactorAt(service.weekendFactor, t) : constantWeekend;
    out[i] = service.baseRps * (1 + service.diurnalAmplitude * cos) * weekend * (1 + noise);
    const c = cos * cosStep - sin * sinStep;
    sin = sin * cosStep + cos * sinStep;
    cos = c;
  }
}

/** How strongly an incident acts at time t, in [0, 1]: ramps up and down over `INCIDENT_RAMP_MS`. */
export function incidentStrength(incident: Incident, t: number): number {
  if (t < incident.start || t > incident.end) return 0;
  return Math.min(1, (t - incident.start) / INCIDENT_RAMP_MS, (incident.end - t) / INCIDENT_RAMP_MS + 0.0001);
}

// ---- hierarchical generation --------------------------------------------------------------------------------------
//
// Scrapes are grouped in blocks of BLOCK_SCRAPES, aligned on the scrape grid. A block's request counts are drawn
// first, as a whole (one Poisson per route and code, one multinomial split over the latency buckets), from the
// expected traffic of its scrapes. A block is then split in halves, recursively down to single scrapes: each
// request count goes left with a binomial draw (the left half's share of the expected count), and the buckets follow
// with conditional hypergeometric draws so that, in every half, the buckets hold exactly as many requests as the
// routes and codes. Every draw is a pure function of (seed, service, column, block, node), so any scrape's counts, and
// any prefix sum inside a block, come from the log2(BLOCK_SCRAPES) splits on the path to it, without computing the
// other scrapes: a counter at scrape k is the sum of the whole blocks since the last restart plus a prefix of one
// block. Conditional on the block totals this is exactly the per-scrape Poisson model (a Poisson count split
// binomially is two independent Poisson counts); the buckets' split is exact when latency is constant over the block
// and weighted by the expected bucket shares of each half when it is not (incidents, deploy warm-up).

/** Depth of the split tree of a block. */
export const BLOCK_LEVELS = 8;
/** Scrapes per block (64 minutes at the default 15 s scrape interval). */
export const BLOCK_SCRAPES = 1 << BLOCK_LEVELS;
const BUCKET_COUNT = LATENCY_BUCKETS.length + 1;
/** Expected-traffic coefficients per response code: expected = routeShare × (A × requests + B × errors). */
const CODE_A_OK = 1;
const CODE_B: readonly number[] = [-1, 0, SHARE_OF_500, 1 - SHARE_OF_500];
/** Bounds of a half's expected share of a bucket, so that odds stay finite. */
const MIN_SHARE = 1e-9;

/** Expected counts of one block, as prefix sums over its scrapes (index i covers scrapes [0, i) of the block). */
export interface BlockProfile {
  readonly block: number;
  /** Expected requests. */
  readonly requests: Float64Array;
  /** Expected 5xx responses. */
  readonly errors: Float64Array;
  /**
   * Expected requests per latency bucket (not cumulative), bucket-major: `b * (BLOCK_SCRAPES + 1) + i`; undefined
   * when the latency distribution is the same at every scrape of the block (then `bucketShares` holds throughout).
   */
  readonly buckets: Float64Array | undefined;
  /** Share of the block's expected requests in each bucket (not cumulative). */
  readonly bucketShares: Float64Array;
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
 * The generator of one service. Its counters are kept as a vector per tree node: the request counts of each
 * (route, code) column (`requestColumns` of them), then the count of each latency bucket (not cumulative). Histogram
 * series, `_count`, `_sum` and the CPU counter are derived from that vector (`ServiceLayout` maps the catalog's
 * columns), so they agree with the request counters scrape by scrape.
 */
export class ServiceModel {
  readonly layout: ServiceLayout;
  /** Length of a counter vector: request columns, then buckets. */
  readonly width: number;
  readonly requestColumns: number;
  /** Mean latency (seconds) of the requests in each bucket, under the service's base latency: `_sum` is Σ count × mean. */
  readonly bucketMeans: Float64Array;
  private readonly requestKeys: Int32Array;
  private readonly bucketKeys: Int32Array;
  private readonly routeShares: Float64Array;
  private readonly codeA: Float64Array;
  private readonly bucketLogBounds: Float64Array;
  // Scratch of the tree walk: the vectors of both children at each depth, and the prefix before the current node.
  private readonly left: Float64Array[];
  private readonly right: Float64Array[];
  private readonly prefix: Float64Array[];
  private readonly weights = new Float64Array(BUCKET_COUNT);
  private readonly tailWeights = new Float64Array(BUCKET_COUNT + 1);
  private readonly p = new Float64Array(RESPONSE_CODES.length);
  private readonly mus = new Float64Array(BLOCK_SCRAPES);
  private readonly rps = new Float64Array(BLOCK_SCRAPES);

  constructor(
    readonly service: ResolvedService,
    readonly keys: ModelKeys,
    private readonly schedule: Schedule,
    readonly scrapeMs: number,
  ) {
    this.layout = layoutOf(service);
    const codes = RESPONSE_CODES.length;
    this.requestColumns = service.routes.length * codes;
    this.width = this.requestColumns + BUCKET_COUNT;
    this.requestKeys = new Int32Array(this.requestColumns);
    this.routeShares = new Float64Array(this.requestColumns);
    for (let c = 0; c < this.requestColumns; c++) {
      this.requestKeys[c] = keys.requests ^ Math.imul(c + 1, 0x2c1b3c6d);
      this.routeShares[c] = service.routes[Math.floor(c / codes)]!.share;
    }
    this.codeA = Float64Array.from([CODE_A_OK - service.notFoundRatio, service.notFoundRatio, 0, 0]);
    this.bucketKeys = new Int32Array(BUCKET_COUNT);
    for (let b = 0; b < BUCKET_COUNT; b++) this.bucketKeys[b] = keys.buckets ^ Math.imul(b + 1, 0x165667b1);
    this.bucketLogBounds = Float64Array.from(LATENCY_BUCKETS, Math.log);
    this.bucketMeans = lognormalBucketMeans(service.mu, service.sigma);
    const vector = () => new Float64Array(this.width);
    this.left = Array.from({ length: BLOCK_LEVELS + 1 }, vector);
    this.right = Array.from({ length: BLOCK_LEVELS + 1 }, vector);
    this.prefix = Array.from({ length: BLOCK_LEVELS + 1 }, vector);
  }

  /** Bucket shares (not cumulative) of a lognormal latency with log-median `mu`, into `out`. */
  private bucketSharesAt(mu: number, out: Float64Array, offset = 0): void {
    const sigma = this.service.sigma;
    let previous = 0;
    for (let b = 0; b < BUCKET_COUNT - 1; b++) {
      const cdf = normalCdf((this.bucketLogBounds[b]! - mu) / sigma);
      out[offset + b] = cdf - previous;
      previous = cdf;
    }
    out[offset + BUCKET_COUNT - 1] = 1 - previous;
  }

  /** The expected counts of a block's scrapes: traffic, restarts, incidents and deploy warm-up. */
  profile(block: number): BlockProfile {
    const service = this.service;
    const scrapeMs = this.scrapeMs;
    const n = BLOCK_SCRAPES;
    const k0 = block * n;
    const t0 = k0 * scrapeMs;
    const t1 = (k0 + n - 1) * scrapeMs;
    const lookBack = t0 - Math.max(WARMUP_SPAN_MS, scrapeMs) - 1;
    const deploys: Deploy[] = this.schedule.deploys(service.index, lookBack, t1);
    const incidents = this.schedule.incidents(service.index, t0 - scrapeMs, t1);
    let lastDeployTime = this.schedule.lastDeployAtOrBefore(service.index, lookBack).time;
    let deployIndex = 0;
    const requests = new Float64Array(n + 1);
    const errors = new Float64Array(n + 1);
    const mus = this.mus;
    const rps = this.rps;
    fillExpectedRps(service, this.keys.noise, k0, scrapeMs, rps);
    let uniformLatency = true;
    const maxErrorRatio = 1 - service.notFoundRatio;
    const scrapeSeconds = scrapeMs / 1000;

    for (let i = 0; i < n; i++) {
      const t = (k0 + i) * scrapeMs;
      // Deploys up to t: the latest one drives warm-up; one inside (t - scrape, t] restarts the counters, and the new
      // process has only counted since then.
      let restartFraction = 1;
      while (deployIndex < deploys.length && deploys[deployIndex]!.time <= t) {
        const time = deploys[deployIndex]!.time;
        lastDeployTime = time;
        if (time > t - scrapeMs) restartFraction = (t - time) / scrapeMs;
        deployIndex++;
      }
      const sinceDeploy = t - lastDeployTime;
      let errorRatio = service.errorRatio;
      let latencyFactor = sinceDeploy < WARMUP_SPAN_MS ? 1 + WARMUP_EXTRA_LATENCY * Math.exp(-sinceDeploy / WARMUP_DECAY_MS) : 1;
      for (const incident of incidents) {
        const strength = incidentStrength(incident, t);
        if (strength <= 0) continue;
        errorRatio = Math.max(errorRatio, service.errorRatio + (incident.errorRatio - service.errorRatio) * strength);
        latencyFactor *= 1 + (incident.latencyFactor - 1) * strength;
      }
      const expected = rps[i]! * scrapeSeconds * restartFraction;
      requests[i + 1] = requests[i]! + expected;
      errors[i + 1] = errors[i]! + expected * Math.min(errorRatio, maxErrorRatio);
      const mu = latencyFactor === 1 ? service.mu : service.mu + Math.log(latencyFactor);
      mus[i] = mu;
      if (mu !== mus[0]) uniformLatency = false;
    }

    const bucketShares = new Float64Array(BUCKET_COUNT);
    if (uniformLatency) {
      this.bucketSharesAt(mus[0]!, bucketShares);
      return { block, requests, errors, buckets: undefined, bucketShares };
    }
    const stride = n + 1;
    const buckets = new Float64Array(BUCKET_COUNT * stride);
    const shares = new Float64Array(BUCKET_COUNT);
    let sharesMu = NaN;
    for (let i = 0; i < n; i++) {
      if (mus[i] !== sharesMu) {
        sharesMu = mus[i]!;
        this.bucketSharesAt(sharesMu, shares);
      }
      const expected = requests[i + 1]! - requests[i]!;
      for (let b = 0; b < BUCKET_COUNT; b++) buckets[b * stride + i + 1] = buckets[b * stride + i]! + expected * shares[b]!;
    }
    let total = 0;
    for (let b = 0; b < BUCKET_COUNT; b++) total += buckets[b * stride + n]!;
    for (let b = 0; b < BUCKET_COUNT; b++) bucketShares[b] = total > 0 ? buckets[b * stride + n]! / total : 1 / BUCKET_COUNT;
    return { block, requests, errors, buckets, bucketShares };
  }

  /** The counter vector of a whole block: Poisson request counts, split over the buckets by conditional binomials. */
  totals(profile: BlockProfile): Float64Array {
    const out = new Float64Array(this.width);
    const index = profile.block * 2 * BLOCK_SCRAPES;
    const requests = profile.requests[BLOCK_SCRAPES]!;
    const errors = profile.errors[BLOCK_SCRAPES]!;
    const codes = RESPONSE_CODES.length;
    let total = 0;
    for (let c = 0; c < this.requestColumns; c++) {
      const code = c % codes;
      const mean = this.routeShares[c]! * (this.codeA[code]! * requests + CODE_B[code]! * errors);
      const count = poissonAt(this.requestKeys[c]!, index, mean);
      out[c] = count;
      total += count;
    }
    let remaining = total;
    let remainingShare = 1;
    const shares = profile.bucketShares;
    for (let b = 0; b < BUCKET_COUNT; b++) {
      const share = shares[b]!;
      let count: number;
      if (b === BUCKET_COUNT - 1) count = remaining;
      else count = remainingShare > 0 ? binomialAt(this.bucketKeys[b]!, index, remaining, Math.min(1, share / remainingShare)) : 0;
      out[this.requestColumns + b] = count;
      remaining -= count;
      remainingShare -= share;
    }
    return out;
  }

  /**
   * Splits the node `nodeIndex` at `depth` (its vector is `parent`) into its two halves. With `withBuckets` false only
   * the request columns are split (the buckets of `left` and `right` are then left as they were).
   */
  private split(profile: BlockProfile, depth: number, nodeIndex: number, parent: Float64Array, left: Float64Array, right: Float64Array, withBuckets: boolean): void {
    const size = BLOCK_SCRAPES >> depth;
    const lo = nodeIndex * size;
    const mid = lo + size / 2;
    const hi = lo + size;
    const index = profile.block * 2 * BLOCK_SCRAPES + (1 << depth) + nodeIndex;
    const requests = profile.requests;
    const errors = profile.errors;
    const requestsAll = requests[hi]! - requests[lo]!;
    const requestsLeft = requests[mid]! - requests[lo]!;
    const errorsAll = errors[hi]! - errors[lo]!;
    const errorsLeft = errors[mid]! - errors[lo]!;
    const codes = RESPONSE_CODES.length;
    const p = this.p;
    for (let code = 0; code < codes; code++) {
      const all = this.codeA[code]! * requestsAll + CODE_B[code]! * errorsAll;
      const share = all > 0 ? (this.codeA[code]! * requestsLeft + CODE_B[code]! * errorsLeft) / all : 0;
      p[code] = share < 0 ? 0 : share > 1 ? 1 : share;
    }
    let leftTotal = 0;
    let total = 0;
    const columns = this.requestColumns;
    for (let c = 0; c < columns; c++) {
      const count = parent[c]!;
      const l = count === 0 ? 0 : binomialAt(this.requestKeys[c]!, index, count, p[c % codes]!);
      left[c] = l;
      right[c] = count - l;
      leftTotal += l;
      total += count;
    }
    if (!withBuckets) return;

    // The buckets: leftTotal of the node's requests are in the left half; draw which buckets they come from, bucket
    // by bucket. A request of bucket b is in the left half with probability shares[b] (the same for every bucket when
    // latency is constant over the node), so given how many of the remaining requests are on the left, bucket b's
    // part is a noncentral hypergeometric draw against the remaining buckets' average share.
    const shares = this.weights;
    const tail = this.tailWeights;
    const buckets = profile.buckets;
    const stride = BLOCK_SCRAPES + 1;
    if (buckets !== undefined) {
      for (let b = 0; b < BUCKET_COUNT; b++) {
        const all = buckets[b * stride + hi]! - buckets[b * stride + lo]!;
        const share = all > 0 ? (buckets[b * stride + mid]! - buckets[b * stride + lo]!) / all : 0.5;
        shares[b] = share < MIN_SHARE ? MIN_SHARE : share > 1 - MIN_SHARE ? 1 - MIN_SHARE : share;
      }
      tail[BUCKET_COUNT] = 0;
      for (let b = BUCKET_COUNT - 1; b >= 0; b--) tail[b] = tail[b + 1]! + shares[b]! * parent[columns + b]!;
    }
    let population = total;
    let draws = leftTotal;
    for (let b = 0; b < BUCKET_COUNT; b++) {
      const count = parent[columns + b]!;
      const rest = population - count;
      let l: number;
      if (b === BUCKET_COUNT - 1) l = draws;
      else if (count === 0 || draws === 0) l = 0;
      else if (draws === population) l = count;
      else {
        let odds = 1;
        if (buckets !== undefined && rest > 0) {
          const share = shares[b]!;
          const restShare = tail[b + 1]! / rest;
          odds = (share * (1 - restShare)) / (restShare * (1 - share));
        }
        l = hypergeometricAt(this.bucketKeys[b]!, index, count, rest, draws, odds);
      }
      left[columns + b] = l;
      right[columns + b] = count - l;
      population = rest;
      draws -= l;
    }
  }

  /**
   * Inclusive prefix sums inside a block: for each scrape offset in `leaves[from..to)` (ascending, distinct, in
   * [0, BLOCK_SCRAPES)), the sum of the counter vectors of the block's scrapes 0..offset, written to
   * `out[at + width * (i - from)]`. Visits each tree node on the paths to those scrapes once. With `withBuckets` false
   * only the request columns are written.
   */
  prefixes(profile: BlockProfile, totals: Float64Array, leaves: ArrayLike<number>, from: number, to: number, withBuckets: boolean, out: Float64Array, at: number): void {
    const width = withBuckets ? this.width : this.requestColumns;
    const { left, right, prefix } = this;
    // The vector of the node on the current path at each depth.
    const node: Float64Array[] = new Array<Float64Array>(BLOCK_LEVELS + 1);
    node[0] = totals;
    prefix[0]!.fill(0);
    let previous = -1;
    for (let i = from; i < to; i++) {
      const leaf = leaves[i]!;
      let depth: number;
      if (previous < 0) depth = 0;
      else {
        // The paths part below the deepest common ancestor, where `previous` went left and `leaf` goes right.
        const common = BLOCK_LEVELS - 1 - (31 - Math.clz32(previous ^ leaf));
        depth = common + 1;
        const before = prefix[common]!;
        const into = prefix[depth]!;
        const sibling = left[depth]!;
        for (let c = 0; c < width; c++) into[c] = before[c]! + sibling[c]!;
        node[depth] = right[depth]!;
      }
      for (; depth < BLOCK_LEVELS; depth++) {
        const l = left[depth + 1]!;
        const r = right[depth + 1]!;
        this.split(profile, depth, leaf >> (BLOCK_LEVELS - depth), node[depth]!, l, r, withBuckets);
        const before = prefix[depth]!;
        const into = prefix[depth + 1]!;
        if ((leaf >> (BLOCK_LEVELS - 1 - depth)) & 1) {
          for (let c = 0; c < width; c++) into[c] = before[c]! + l[c]!;
          node[depth + 1] = r;
        } else {
          for (let c = 0; c < width; c++) into[c] = before[c]!;
          node[depth + 1] = l;
        }
      }
      const before = prefix[BLOCK_LEVELS]!;
      const own = node[BLOCK_LEVELS]!;
      const base = at + this.width * (i - from);
      for (let c = 0; c < width; c++) out[base + c] = before[c]! + own[c]!;
      previous = leaf;
    }
  }

  /** Resident memory (a gauge) at scrape k, `sinceDeploy` ms after the last deploy. */
  memoryAt(k: number, sinceDeploy: number): number {
    // Memory warms up over ~2 h after a restart, with a garbage-collection sawtooth.
    const warm = 1 - Math.exp(-sinceDeploy / (2 * HOUR_MS));
    const sawtooth = ((sinceDeploy % (7 * MINUTE_MS)) / (7 * MINUTE_MS)) * 0.04;
    return Math.round(this.service.memoryBytes * (0.55 + 0.45 * warm) * (1 + sawtooth + 0.005 * normalAt(this.keys.misc, k * 4 + 2)));
  }
}

/**
 * The mean of a lognormal(mu, sigma) latency inside each bucket (upper bounds `LATENCY_BUCKETS`, then +Inf), from
 * its partial expectations; a bucket too unlikely to compute that precisely gets a point inside it.
 */
export function lognormalBucketMeans(mu: number, sigma: number): Float64Array {
  const means = new Float64Array(BUCKET_COUNT);
  const mean = Math.exp(mu + (sigma * sigma) / 2);
  let lower = 0;
  let massBelow = 0;
  let partialBelow = 0;
  for (let b = 0; b < BUCKET_COUNT; b++) {
    const upper = b < LATENCY_BUCKETS.length ? LATENCY_BUCKETS[b]! : Infinity;
    const mass = upper === Infinity ? 1 : normalCdf((Math.log(upper) - mu) / sigma);
    const partial = upper === Infinity ? 1 : normalCdf((Math.log(upper) - mu - sigma * sigma) / sigma);
    const inside = mass - massBelow;
    const fallback = upper === Infinity ? lower * 1.5 : (lower + upper) / 2;
    let value = inside > 1e-6 ? (mean * (partial - partialBelow)) / inside : fallback;
    if (!(value >= lower)) value = lower === 0 ? fallback : lower;
    if (value > upper) value = upper;
    means[b] = value;
    lower = upper;
    massBelow = mass;
    partialBelow = partial;
  }
  return means;
}

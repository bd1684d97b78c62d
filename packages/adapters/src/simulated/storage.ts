import { SourceError } from '@vigil/core';
import type { LabelMatcher } from '../promql/ast';
import type { CounterWindowSeries, CounterWindowStorage } from '../promql/evaluate';
import { compileMatchers } from '../promql/matchers';
import type { SelectRequest, StoredSeries } from '../promql/storage';
import { BLOCK_SCRAPES, ServiceModel, buildCatalog, modelKeys, type BlockProfile, type CatalogSeries } from './model';
import type { ResolvedService, Schedule } from './scenario';

/**
 * Most (scrape × service) cells one query may span, from the start of the process lifetime of its first sample to
 * its last: about 43 days of all six default services at a 15 s scrape interval.
 */
export const MAX_SCRAPE_CELLS = 1_500_000;
/** Expected counts of blocks kept (least recently used first out): 4–40 kB each. */
const MAX_CACHED_PROFILES = 1024;
/** Counter vectors of whole blocks kept (a few hundred bytes each): two weeks of the default fleet. */
const MAX_CACHED_TOTALS = 8192;
/** Process lifetimes whose block prefix sums are kept. */
const MAX_CACHED_LIFETIMES = 2048;
/** Idle CPU seconds per second of process life, before the per-request CPU. */
const IDLE_CPU = 0.03;
/** Services per cache key stride (resolveServices allows at most 50). */
const SERVICE_STRIDE = 64;

interface Lifetime {
  readonly slot: number;
  /** First and last scrape of the process (empty when end < start). */
  readonly start: number;
  readonly end: number;
  /** Share of the scrape interval before `start` during which the new process already ran. */
  readonly startFraction: number;
}

/** Counters at the start of each block of a lifetime: vector m is the sum from the lifetime start to block first + m. */
interface LifetimeBases {
  readonly lifetime: Lifetime;
  readonly firstBlock: number;
  bases: Float64Array;
  /** How many block bases are computed. */
  computed: number;
}

/** Counter vectors at some scrapes of one service, and each scrape's process age in scrapes (for the CPU counter). */
interface ScrapeValues {
  readonly vectors: Float64Array;
  readonly age: Float64Array;
}

/**
 * The simulator as a `SeriesStorage`. Counters are generated hierarchically (see `ServiceModel`): a counter at any
 * scrape is the sum of whole blocks since the last restart (kept per process lifetime) plus a prefix of one block, so
 * a query costs in proportion to the samples it needs, not to the time since each restart. It also implements
 * `selectCounterWindows`, so `rate` and `increase` read the first and last sample of each window (and the samples
 * around a restart) instead of every scrape.
 */
export class SimulatedStorage implements CounterWindowStorage {
  readonly catalog: readonly CatalogSeries[];
  private readonly models: readonly ServiceModel[];
  private readonly profiles = new Map<number, BlockProfile>();
  private readonly totals = new Map<number, Float64Array>();
  private readonly lifetimes = new Map<number, LifetimeBases>();

  constructor(
    seed: number,
    services: readonly ResolvedService[],
    private readonly schedule: Schedule,
    readonly scrapeMs: number,
    private readonly now: () => number,
  ) {
    this.catalog = buildCatalog(services);
    this.models = services.map((service) => new ServiceModel(service, modelKeys(seed, service), schedule, scrapeMs));
  }

  select(matchers: readonly LabelMatcher[], request: SelectRequest): StoredSeries[] {
    return this.selectUpTo(matchers, request, this.now());
  }

  /**
   * What `rate`/`increase` need from each window of the matching counters (see `CounterWindowStorage`), computed from
   * a few scrapes per window; undefined when a gauge matches (the evaluator then reads its samples).
   *
   * @example
   * const source = createSimulatedSource({ seed: 1 });
   * const matchers = [{ name: '__name__', op: '=', value: 'http_requests_total' }] as const;
   * const end = Date.now();
   * source.storage.selectCounterWindows(matchers, { start: end - 3_600_000, end, stepMs: 60_000, windowMs: 300_000, maxSamples: 1e6 });
   */
  selectCounterWindows(matchers: readonly LabelMatcher[], request: SelectRequest): CounterWindowSeries[] | undefined {
    return this.windowsUpTo(matchers, request, this.now());
  }

  /** A view of the storage with the clock stopped at `now`, so that every selector of one query sees the same data. */
  at(now: number): CounterWindowStorage {
    return {
      select: (matchers, request) => this.selectUpTo(matchers, request, now),
      selectCounterWindows: (matchers, request) => this.windowsUpTo(matchers, request, now),
    };
  }

  private matching(matchers: readonly LabelMatcher[]): Map<number, CatalogSeries[]> {
    const matches = compileMatchers(matchers);
    const byService = new Map<number, CatalogSeries[]>();
    for (const series of this.catalog) {
      if (!matches(series.labels)) continue;
      const list = byService.get(series.service);
      if (list === undefined) byService.set(series.service, [series]);
      else list.push(series);
    }
    return byService;
  }

  /** Fails with BAD_QUERY when the scrapes [kFirst, kLast] (from the restart before kFirst, for counters) are too many. */
  private assertSpan(byService: Map<number, CatalogSeries[]>, kFirst: number, kLast: number): void {
    let cells = 0;
    for (const [service, list] of byService) {
      const kStart = list.some((s) => s.isCounter) ? Math.min(this.lifetimeAt(service, kFirst).start, kFirst) : kFirst;
      cells += kLast - kStart + 1;
    }
    if (cells > MAX_SCRAPE_CELLS) {
      throw new SourceError('BAD_QUERY', `the query spans ${cells} service scrapes (more than ${MAX_SCRAPE_CELLS}): use a shorter range or select fewer services`);
    }
  }

  private selectUpTo(matchers: readonly LabelMatcher[], request: SelectRequest, now: number): StoredSeries[] {
    const byService = this.matching(matchers);
    if (byService.size === 0) return [];
    const scrapeMs = this.scrapeMs;
    const kFirst = Math.floor((request.start - request.windowMs) / scrapeMs) + 1;
    const kLast = Math.floor(Math.min(request.end, now) / scrapeMs);
    if (kLast < kFirst) return [];
    let matched = 0;
    for (const list of byService.values()) matched += list.length;
    const indices = neededScrapes(kFirst, kLast, scrapeMs, request);
    if (indices.length * matched > request.maxSamples) {
      throw new SourceError('BAD_QUERY', `the query would load ${indices.length * matched} samples (more than ${request.maxSamples}): use a shorter range, a larger step or a more selective query`);
    }
    if (indices.length === 0) return [];
    this.assertSpan(byService, kFirst, kLast);

    const timestamps = new Float64Array(indices.length);
    for (let i = 0; i < indices.length; i++) timestamps[i] = indices[i]! * scrapeMs;
    const out: StoredSeries[] = [];
    for (const [service, list] of byService) {
      const model = this.models[service]!;
      const counters = list.some((s) => s.isCounter) ? this.valuesAt(service, indices, list.some(needsBuckets)) : undefined;
      const memory = list.some((s) => s.kind === 'memory') ? this.memoryAt(service, indices) : undefined;
      for (const series of list) {
        const values = new Float64Array(indices.length);
        if (series.kind === 'up') values.fill(1);
        else if (series.kind === 'memory') values.set(memory!);
        else for (let i = 0; i < indices.length; i++) values[i] = counterValue(model, series, counters!, i);
        out.push({ labels: series.labels, timestamps, values });
      }
    }
    return out;
  }

  private windowsUpTo(matchers: readonly LabelMatcher[], request: SelectRequest, now: number): CounterWindowSeries[] | undefined {
    const byService = this.matching(matchers);
    for (const list of byService.values()) if (list.some((s) => !s.isCounter)) return undefined;
    if (byService.size === 0) return [];
    const scrapeMs = this.scrapeMs;
    const steps = Math.round((request.end - request.start) / request.stepMs) + 1;
    const kNow = Math.floor(now / scrapeMs);
    const kFirst = Math.floor((request.start - request.windowMs) / scrapeMs) + 1;
    const kLast = Math.min(Math.floor(request.end / scrapeMs), kNow);
    if (kLast >= kFirst) this.assertSpan(byService, kFirst, kLast);

    // The first and last scrape of each window; fewer than two samples give no value.
    const firsts = new Float64Array(steps);
    const lasts = new Float64Array(steps);
    for (let j = 0; j < steps; j++) {
      const t = request.start + j * request.stepMs;
      firsts[j] = Math.floor((t - request.windowMs) / scrapeMs) + 1;
      lasts[j] = Math.min(Math.floor(t / scrapeMs), kNow);
    }

    const out: CounterWindowSeries[] = [];
    for (const [service, list] of byService) {
      // The scrapes to compute: both ends of each window, and both sides of each restart inside one.
      const points: number[] = [];
      const restarts: number[] = [];
      const restartOffsets = new Int32Array(steps + 1);
      let lifetime: Lifetime | undefined;
      for (let j = 0; j < steps; j++) {
        restartOffsets[j] = restarts.length;
        const first = firsts[j]!;
        const last = lasts[j]!;
        if (last - first < 1) continue;
        points.push(first, last);
        if (lifetime === undefined || first < lifetime.start || first > lifetime.end) lifetime = this.lifetimeAt(service, first);
        let next = this.lifetime(service, lifetime.slot + 1);
        while (next.start <= last) {
          if (next.end >= next.start) {
            restarts.push(next.start);
            points.push(next.start - 1, next.start);
          }
          next = this.lifetime(service, next.slot + 1);
        }
      }
      restartOffsets[steps] = restarts.length;
      const sorted = Float64Array.from(points).sort();
      let unique = 0;
      for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[unique - 1]) sorted[unique++] = sorted[i]!;
      const scrapes = sorted.subarray(0, unique);
      const values = this.valuesAt(service, scrapes, list.some(needsBuckets));
      const model = this.models[service]!;
      const find = (k: number) => binarySearch(scrapes, k);

      for (const series of list) {
        const counts = new Float64Array(steps);
        const firstTimestamps = new Float64Array(steps);
        const firstValues = new Float64Array(steps);
        const lastTimestamps = new Float64Array(steps);
        const lastValues = new Float64Array(steps);
        const resetCorrections = new Float64Array(steps);
        for (let j = 0; j < steps; j++) {
          const first = firsts[j]!;
          const last = lasts[j]!;
          counts[j] = last >= first ? last - first + 1 : 0;
          if (last - first < 1) {
            firstTimestamps[j] = NaN;
            firstValues[j] = NaN;
            lastTimestamps[j] = NaN;
            lastValues[j] = NaN;
            continue;
          }
          firstTimestamps[j] = first * scrapeMs;
          lastTimestamps[j] = last * scrapeMs;
          firstValues[j] = counterValue(model, series, values, find(first));
          lastValues[j] = counterValue(model, series, values, find(last));
          let correction = 0;
          for (let r = restartOffsets[j]!; r < restartOffsets[j + 1]!; r++) {
            const restart = restarts[r]!;
            const before = counterValue(model, series, values, find(restart - 1));
            // A drop is what a reader sees as a reset; a counter that restarted above its old value looks continuous.
            if (counterValue(model, series, values, find(restart)) < before) correction += before;
          }
          resetCorrections[j] = correction;
        }
        out.push({ labels: series.labels, counts, firstTimestamps, firstValues, lastTimestamps, lastValues, resetCorrections });
      }
    }
    return out;
  }

  /** Counter vectors of a service at the given scrapes (ascending, distinct). */
  private valuesAt(service: number, scrapes: ArrayLike<number>, withBuckets: boolean): ScrapeValues {
    const model = this.models[service]!;
    const width = model.width;
    const vectors = new Float64Array(scrapes.length * width);
    const age = new Float64Array(scrapes.length);
    const leaves = new Int32Array(Math.min(scrapes.length, BLOCK_SCRAPES));
    let lifetime = this.lifetimeAt(service, scrapes[0]!);
    let bases = this.basesOf(service, lifetime);
    let i = 0;
    while (i < scrapes.length) {
      const block = Math.floor(scrapes[i]! / BLOCK_SCRAPES);
      const origin = block * BLOCK_SCRAPES;
      let end = i;
      while (end < scrapes.length && scrapes[end]! - origin < BLOCK_SCRAPES) {
        leaves[end - i] = scrapes[end]! - origin;
        end++;
      }
      const profile = this.profileOf(service, block);
      model.prefixes(profile, this.totalsOf(service, block, profile), leaves, 0, end - i, withBuckets, vectors, i * width);
      for (let m = i; m < end; m++) {
        const k = scrapes[m]!;
        while (k > lifetime.end) {
          lifetime = this.lifetime(service, lifetime.slot + 1);
          bases = this.basesOf(service, lifetime);
        }
        const base = this.baseAt(service, bases, block);
        const at = m * width;
        for (let c = 0; c < width; c++) vectors[at + c] = vectors[at + c]! + bases.bases[base + c]!;
        age[m] = k - lifetime.start + lifetime.startFraction;
      }
      i = end;
    }
    return { vectors, age };
  }

  /** Resident memory at the given scrapes (ascending). */
  private memoryAt(service: number, scrapes: ArrayLike<number>): Float64Array {
    const model = this.models[service]!;
    const scrapeMs = this.scrapeMs;
    const out = new Float64Array(scrapes.length);
    const firstTime = scrapes[0]! * scrapeMs;
    let last = this.schedule.lastDeployAtOrBefore(service, firstTime);
    let next = this.schedule.deployInSlot(service, last.slot + 1);
    for (let i = 0; i < scrapes.length; i++) {
      const t = scrapes[i]! * scrapeMs;
      while (next.time <= t) {
        last = next;
        next = this.schedule.deployInSlot(service, next.slot + 1);
      }
      out[i] = model.memoryAt(scrapes[i]!, t - last.time);
    }
    return out;
  }

  /** The process lifetime (between two restarts) of a service that holds scrape k. */
  lifetimeAt(service: number, k: number): Lifetime {
    // The restart counted at scrape k is the last deploy in (.., k * scrape]; its lifetime starts at that scrape.
    const deploy = this.schedule.lastDeployAtOrBefore(service, k * this.scrapeMs);
    let lifetime = this.lifetime(service, deploy.slot);
    while (k > lifetime.end) lifetime = this.lifetime(service, lifetime.slot + 1);
    return lifetime;
  }

  /** Scrapes [start, end] of the process started by the deploy in `slot` (empty when end < start). */
  lifetime(service: number, slot: number): Lifetime {
    const time = this.schedule.deployInSlot(service, slot).time;
    const start = Math.ceil(time / this.scrapeMs);
    const end = Math.ceil(this.schedule.deployInSlot(service, slot + 1).time / this.scrapeMs) - 1;
    return { slot, start, end, startFraction: (start * this.scrapeMs - time) / this.scrapeMs };
  }

  private basesOf(service: number, lifetime: Lifetime): LifetimeBases {
    const key = lifetime.slot * SERVICE_STRIDE + service;
    const cached = touch(this.lifetimes, key);
    if (cached !== undefined) return cached;
    const model = this.models[service]!;
    const firstBlock = Math.floor(lifetime.start / BLOCK_SCRAPES);
    const blocks = Math.floor(lifetime.end / BLOCK_SCRAPES) - firstBlock + 1;
    const entry: LifetimeBases = { lifetime, firstBlock, bases: new Float64Array(Math.min(blocks, 8) * model.width), computed: 0 };
    // The counters start from zero at the lifetime's first scrape: minus the prefix of its block before it.
    const offset = lifetime.start - firstBlock * BLOCK_SCRAPES;
    if (offset > 0) {
      const profile = this.profileOf(service, firstBlock);
      const before = new Float64Array(model.width);
      model.prefixes(profile, this.totalsOf(service, firstBlock, profile), [offset - 1], 0, 1, true, before, 0);
      for (let c = 0; c < model.width; c++) entry.bases[c] = -before[c]!;
    }
    entry.computed = 1;
    store(this.lifetimes, key, entry, MAX_CACHED_LIFETIMES);
    return entry;
  }

  /** The offset in `entry.bases` of the counters at the start of `block`, computing the blocks before it as needed. */
  private baseAt(service: number, entry: LifetimeBases, block: number): number {
    const model = this.models[service]!;
    const width = model.width;
    const m = block - entry.firstBlock;
    while (entry.computed <= m) {
      const previous = entry.firstBlock + entry.computed - 1;
      if (entry.bases.length < (entry.computed + 1) * width) {
        const grown = new Float64Array(entry.bases.length * 2);
        grown.set(entry.bases);
        entry.bases = grown;
      }
      const totals = this.totalsOf(service, previous, this.profileOf(service, previous));
      const from = (entry.computed - 1) * width;
      const to = entry.computed * width;
      for (let c = 0; c < width; c++) entry.bases[to + c] = entry.bases[from + c]! + totals[c]!;
      entry.computed++;
    }
    return m * width;
  }

  private profileOf(service: number, block: number): BlockProfile {
    const key = block * SERVICE_STRIDE + service;
    const cached = touch(this.profiles, key);
    if (cached !== undefined) return cached;
    const profile = this.models[service]!.profile(block);
    store(this.profiles, key, profile, MAX_CACHED_PROFILES);
    return profile;
  }

  private totalsOf(service: number, block: number, profile: BlockProfile): Float64Array {
    const key = block * SERVICE_STRIDE + service;
    const cached = touch(this.totals, key);
    if (cached !== undefined) return cached;
    const totals = this.models[service]!.totals(profile);
    store(this.totals, key, totals, MAX_CACHED_TOTALS);
    return totals;
  }
}

function needsBuckets(series: CatalogSeries): boolean {
  return series.kind === 'bucket' || series.kind === 'sum';
}

/** One catalog counter at point i of `values`. */
function counterValue(model: ServiceModel, series: CatalogSeries, values: ScrapeValues, i: number): number {
  const vectors = values.vectors;
  const at = i * model.width;
  const requests = model.requestColumns;
  switch (series.kind) {
    case 'requests':
      return vectors[at + series.column]!;
    case 'bucket': {
      // Cumulative: the requests in this bucket and every lower one.
      let count = 0;
      for (let b = 0; b <= series.column - model.layout.bucketStart; b++) count += vectors[at + requests + b]!;
      return count;
    }
    case 'sum': {
      let sum = 0;
      for (let b = 0; b < model.bucketMeans.length; b++) sum += vectors[at + requests + b]! * model.bucketMeans[b]!;
      return sum;
    }
    case 'count':
    case 'cpu': {
      let count = 0;
      for (let c = 0; c < requests; c++) count += vectors[at + c]!;
      if (series.kind === 'count') return count;
      return values.age[i]! * (model.scrapeMs / 1000) * IDLE_CPU + count * model.service.cpuSecondsPerRequest;
    }
    default:
      return NaN;
  }
}

function binarySearch(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function touch<V>(cache: Map<number, V>, key: number): V | undefined {
  const value = cache.get(key);
  if (value !== undefined) {
    // Refresh its place in the LRU order.
    cache.delete(key);
    cache.set(key, value);
  }
  return value;
}

function store<V>(cache: Map<number, V>, key: number, value: V, limit: number): void {
  cache.set(key, value);
  while (cache.size > limit) cache.delete(cache.keys().next().value!);
}

/**
 * The scrape indices in [kFirst, kLast] that fall inside some evaluation window `(T - windowMs, T]`. When windows
 * overlap (step <= window) that is every index; otherwise only the samples around each step.
 */
function neededScrapes(kFirst: number, kLast: number, scrapeMs: number, request: SelectRequest): Float64Array {
  if (request.stepMs <= request.windowMs) {
    const all = new Float64Array(kLast - kFirst + 1);
    for (let i = 0; i < all.length; i++) all[i] = kFirst + i;
    return all;
  }
  const picked: number[] = [];
  let last = kFirst - 1;
  for (let T = request.start; T <= request.end; T += request.stepMs) {
    const lo = Math.max(Math.floor((T - request.windowMs) / scrapeMs) + 1, last + 1, kFirst);
    const hi = Math.min(Math.floor(T / scrapeMs), kLast);
    for (let k = lo; k <= hi; k++) picked.push(k);
    if (hi > last) last = hi;
    if (lo > kLast) break;
  }
  return Float64Array.from(picked);
}

import { SourceError } from '@vigil/core';
import type { LabelMatcher } from '../promql/ast';
import { compileMatchers } from '../promql/matchers';
import type { SelectRequest, SeriesStorage, StoredSeries } from '../promql/storage';
import { buildCatalog, computeBlock, layoutOf, modelKeys, type CatalogSeries, type ModelKeys } from './model';
import type { ResolvedService, Schedule } from './scenario';

/** Scrapes per cached piece of a process lifetime. */
const CHUNK_SCRAPES = 240;
/** Pieces kept in the cache (least recently used first out): about 12 MB with the default fleet. */
const MAX_CACHED_CHUNKS = 192;
/**
 * Most (scrape × service) cells one query may compute: counters are sums since the last restart, so long ranges are
 * real work. About 11 days of all six default services at a 15 s scrape interval.
 */
export const MAX_SCRAPE_CELLS = 400_000;

interface Chunk {
  /** Counter columns hold cumulative values (since the last restart); gauge columns hold values. */
  readonly columns: readonly Float64Array[];
}

/**
 * The simulator as a `SeriesStorage`: it computes raw scrapes on demand (per service, in cached chunks of
 * `CHUNK_SCRAPES`), keeps counters consistent (each counter is the sum of its increments since the last restart), and
 * returns only the samples a query's windows need.
 */
export class SimulatedStorage implements SeriesStorage {
  readonly catalog: readonly CatalogSeries[];
  private readonly keys: readonly ModelKeys[];
  private readonly cache = new Map<string, Chunk>();
  private readonly counterColumns: readonly boolean[][];

  constructor(
    seed: number,
    private readonly services: readonly ResolvedService[],
    private readonly schedule: Schedule,
    readonly scrapeMs: number,
    private readonly now: () => number,
  ) {
    this.catalog = buildCatalog(services);
    this.keys = services.map((service) => modelKeys(seed, service));
    this.counterColumns = services.map((service) => {
      const layout = layoutOf(service);
      const columns = new Array<boolean>(layout.columns).fill(true);
      columns[layout.upColumn] = false;
      columns[layout.memoryColumn] = false;
      return columns;
    });
  }

  select(matchers: readonly LabelMatcher[], request: SelectRequest): StoredSeries[] {
    return this.selectUpTo(matchers, request, this.now());
  }

  /** A view of the storage with the clock stopped at `now`, so that every selector of one query sees the same data. */
  at(now: number): SeriesStorage {
    return { select: (matchers, request) => this.selectUpTo(matchers, request, now) };
  }

  private selectUpTo(matchers: readonly LabelMatcher[], request: SelectRequest, now: number): StoredSeries[] {
    const matches = compileMatchers(matchers);
    const matched = this.catalog.filter((s) => matches(s.labels));
    if (matched.length === 0) return [];
    const scrapeMs = this.scrapeMs;
    const to = Math.min(request.end, now);
    const kFirst = Math.floor((request.start - request.windowMs) / scrapeMs) + 1;
    const kLast = Math.floor(to / scrapeMs);
    if (kLast < kFirst) return [];

    const indices = neededScrapes(kFirst, kLast, scrapeMs, request);
    if (indices.length * matched.length > request.maxSamples) {
      throw new SourceError('BAD_QUERY', `the query would load ${indices.length * matched.length} samples (more than ${request.maxSamples}): use a shorter range, a larger step or a more selective query`);
    }

    const byService = new Map<number, CatalogSeries[]>();
    for (const series of matched) {
      const list = byService.get(series.service) ?? [];
      list.push(series);
      byService.set(series.service, list);
    }
    let cells = 0;
    for (const [service, list] of byService) {
      const needsCounters = list.some((s) => s.isCounter);
      const kStart = needsCounters ? this.lifetimeAt(service, kFirst).start : kFirst;
      cells += kLast - Math.min(kStart, kFirst) + 1;
    }
    if (cells > MAX_SCRAPE_CELLS) {
      throw new SourceError('BAD_QUERY', `the query spans ${cells} service scrapes (more than ${MAX_SCRAPE_CELLS}): the simulator computes every scrape since each restart, so use a shorter range or select fewer services`);
    }

    const timestamps = new Float64Array(indices.length);
    for (let i = 0; i < indices.length; i++) timestamps[i] = (indices[i] as number) * scrapeMs;
    const out: StoredSeries[] = [];
    for (const [service, list] of byService) {
      // The pieces covering the needed scrapes, in order: [first index in `indices`, piece, scrape of its first row].
      const runs: Array<{ readonly from: number; readonly chunk: Chunk; readonly base: number }> = [];
      let lifetime = this.lifetimeAt(service, indices[0] as number);
      let piece = -1;
      for (let i = 0; i < indices.length; i++) {
        const k = indices[i] as number;
        while (k > lifetime.end) {
          lifetime = this.lifetime(service, lifetime.slot + 1);
          piece = -1;
        }
        const p = Math.floor((k - lifetime.start) / CHUNK_SCRAPES);
        if (p !== piece) {
          piece = p;
          runs.push({ from: i, chunk: this.piece(service, lifetime, p), base: lifetime.start + p * CHUNK_SCRAPES });
        }
      }
      for (const series of list) {
        const values = new Float64Array(indices.length);
        for (let r = 0; r < runs.length; r++) {
          const run = runs[r]!;
          const to = r + 1 < runs.length ? runs[r + 1]!.from : indices.length;
          const column = run.chunk.columns[series.column]!;
          const base = run.base;
          for (let i = run.from; i < to; i++) values[i] = column[(indices[i] as number) - base] as number;
        }
        out.push({ labels: series.labels, timestamps, values });
      }
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
    const start = Math.ceil(this.schedule.deployInSlot(service, slot).time / this.scrapeMs);
    const end = Math.ceil(this.schedule.deployInSlot(service, slot + 1).time / this.scrapeMs) - 1;
    return { slot, start, end };
  }

  /** Piece p of a lifetime, with cumulative counters; computes the pieces before it (iteratively) when needed. */
  private piece(service: number, lifetime: Lifetime, p: number): Chunk {
    const key = (q: number) => `${service}:${lifetime.slot}:${q}`;
    const cached = this.cached(key(p));
    if (cached !== undefined) return cached;
    let from = 0;
    for (let q = p - 1; q >= 0; q--) {
      if (this.cache.has(key(q))) {
        from = q + 1;
        break;
      }
    }
    let previous = from > 0 ? this.cached(key(from - 1)) : undefined;
    let chunk: Chunk | undefined;
    for (let q = from; q <= p; q++) {
      chunk = this.computePiece(service, lifetime, q, previous);
      this.store(key(q), chunk);
      previous = chunk;
    }
    return chunk!;
  }

  private computePiece(service: number, lifetime: Lifetime, p: number, previous: Chunk | undefined): Chunk {
    const k0 = lifetime.start + p * CHUNK_SCRAPES;
    const k1 = Math.min(k0 + CHUNK_SCRAPES - 1, lifetime.end);
    const block = computeBlock(this.services[service]!, this.keys[service]!, this.schedule, this.scrapeMs, k0, k1);
    const isCounter = this.counterColumns[service]!;
    const columns = block.columns;
    for (let col = 0; col < columns.length; col++) {
      if (!isCounter[col]) continue;
      const values = columns[col]!;
      // A lifetime's counters start from zero at its first scrape and never reset inside it.
      let running = previous === undefined ? 0 : (previous.columns[col]![CHUNK_SCRAPES - 1] as number);
      for (let i = 0; i < values.length; i++) {
        running += values[i] as number;
        values[i] = running;
      }
    }
    return { columns };
  }

  private cached(key: string): Chunk | undefined {
    const chunk = this.cache.get(key);
    if (chunk !== undefined) {
      // Refresh its place in the LRU order.
      this.cache.delete(key);
      this.cache.set(key, chunk);
    }
    return chunk;
  }

  private store(key: string, chunk: Chunk): void {
    this.cache.set(key, chunk);
    while (this.cache.size > MAX_CACHED_CHUNKS) this.cache.delete(this.cache.keys().next().value!);
  }
}

interface Lifetime {
  readonly slot: number;
  readonly start: number;
  readonly end: number;
}

/**
 * The scrape indices in [kFirst, kLast] that fall inside some evaluation window `(T - windowMs, T]`. When windows
 * overlap (step <= window) that is every index; otherwise only the samples around each step.
 */
function neededScrapes(kFirst: number, kLast: number, scrapeMs: number, request: SelectRequest): Int32Array | Float64Array {
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

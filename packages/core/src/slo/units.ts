import { ValidationError } from '../errors';
import type { Period } from '../windows';

/** Most slices one evaluation builds (about 95 years of 1-minute slices). */
const MAX_SLICES = 50_000_000;
import { validateEvents, type SLIEvents } from './events';
import type { MaintenanceWindow, SLO } from './types';

/**
 * Budget units: what the error budget counts. For Occurrences a unit is an event interval (good and total events);
 * for Timeslices a slice (good 1 or 0, total 1); for RatioTimeslices a slice (good = its ratio, total 1).
 * `timestamps` are interval or slice ends. Prefix sums make any window sum O(log n).
 * @internal
 */
export class BudgetUnits {
  readonly timestamps: Float64Array;
  readonly good: Float64Array;
  readonly total: Float64Array;
  /** cumGood[i] = sum of good over units 0..i-1; length n + 1. Built on the first query when `indexed`. */
  private cumGood: Float64Array | null = null;
  private cumTotal: Float64Array | null = null;
  readonly maintenance: readonly Period[];
  /** With `indexed` (many queries: history, alerts) sums use prefix sums; without (one instant) direct loops. */
  private readonly indexed: boolean;

  constructor(timestamps: Float64Array, good: Float64Array, total: Float64Array, maintenance: readonly Period[], indexed = true) {
    this.timestamps = timestamps;
    this.good = good;
    this.total = total;
    this.maintenance = maintenance;
    this.indexed = indexed;
  }

  private buildIndex(): void {
    const n = this.timestamps.length;
    const cumGood = new Float64Array(n + 1);
    const cumTotal = new Float64Array(n + 1);
    let g = 0;
    let t = 0;
    for (let i = 0; i < n; i++) {
      g += this.good[i] as number;
      t += this.total[i] as number;
      cumGood[i + 1] = g;
      cumTotal[i + 1] = t;
    }
    this.cumGood = cumGood;
    this.cumTotal = cumTotal;
  }

  /** Index of the first unit whose timestamp is > x. */
  upperBound(x: number): number {
    let lo = 0;
    let hi = this.timestamps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.timestamps[mid] as number) <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Sums over `(froms[k], suffixEnd]` computed ahead by `presum` (one pass); null when none. */
  private suffixEnd = NaN;
  private suffixFroms: readonly number[] = [];
  private suffixGood: Float64Array | null = null;
  private suffixTotal: Float64Array | null = null;

  /**
   * Records window sums computed ahead, so that `sum(froms[k], end)` answers without touching the data: the fused
   * validate-and-sum pass of `evaluateSLO` hands them in. @internal
   */
  presum(end: number, froms: readonly number[], good: Float64Array, total: Float64Array): void {
    this.suffixEnd = end;
    this.suffixFroms = froms;
    this.suffixGood = good;
    this.suffixTotal = total;
  }

  /** Good and total over units with timestamps in `(from, to]`. Never negative; good <= total. */
  sum(from: number, to: number): { good: number; total: number } {
    if (!(to > from)) return { good: 0, total: 0 };
    if (to === this.suffixEnd) {
      const k = this.suffixFroms.indexOf(from);
      if (k >= 0) {
        const total = Math.max(0, (this.suffixTotal as Float64Array)[k] as number);
        return { good: Math.min(total, Math.max(0, (this.suffixGood as Float64Array)[k] as number)), total };
      }
    }
    const a = this.upperBound(from);
    const b = this.upperBound(to);
    let good = 0;
    let total = 0;
    if (this.indexed) {
      if (this.cumGood === null) this.buildIndex();
      total = (this.cumTotal as Float64Array)[b]! - (this.cumTotal as Float64Array)[a]!;
      good = (this.cumGood as Float64Array)[b]! - (this.cumGood as Float64Array)[a]!;
    } else {
      for (let i = a; i < b; i++) {
        good += this.good[i] as number;
        total += this.total[i] as number;
      }
    }
    total = Math.max(0, total);
    return { good: Math.min(total, Math.max(0, good)), total };
  }

  /** Milliseconds of `(from, to]` covered by maintenance windows. */
  excludedMs(from: number, to: number): number {
    let ms = 0;
    let cursor = from;
    for (const m of this.maintenance) {
      const s = Math.max(m.start, cursor);
      const e = Math.min(m.end, to);
      if (e > s) {
        ms += e - s;
        cursor = e;
      }
    }
    return ms;
  }
}

/**
 * Validates events and, in the same single pass, sums good and total over every window `(froms[k], end]`: what
 * `evaluateSLO` needs at one instant (the budget window and each burn-rate window all end at the evaluation time).
 * The pass runs backwards from the last event, so each window's sums are read off as the pass crosses its start.
 * About 2x a plain sum of the two columns for 43,200 points, where validating and then summing took 3.5x.
 *
 * On any invalid value it defers to `validateEvents`, which throws the same error a forward pass would (the first
 * bad index). Sums are exact for whole counts (below 2^53); for fractional counts they may differ from a forward sum
 * in the last bits.
 * @internal
 */
export function validateAndSumWindows(events: SLIEvents, end: number, froms: readonly number[], path = 'events'): { good: Float64Array; total: Float64Array } {
  if (events === null || typeof events !== 'object' || !(events.timestamps instanceof Float64Array) || !(events.good instanceof Float64Array) || !(events.total instanceof Float64Array)) {
    validateEvents(events, path);
  }
  const { timestamps, good, total } = events;
  const n = timestamps.length;
  if (good.length !== n || total.length !== n) validateEvents(events, path);
  const m = froms.length;
  // Window starts, latest first (shortest window first), and where each goes in the output.
  const order = Array.from({ length: m }, (_, k) => k).sort((a, b) => (froms[b] as number) - (froms[a] as number));
  const starts = Float64Array.from(order, (k) => froms[k] as number);
  const outGood = new Float64Array(m);
  const outTotal = new Float64Array(m);
  let next = Infinity;
  let i = n - 1;
  // Events after `end`: validated only.
  for (; i >= 0; i--) {
    const ts = timestamps[i] as number;
    if (ts <= end) break;
    const t = total[i] as number;
    const g = good[i] as number;
    if (!(ts < next && g >= 0 && g <= t && t < Infinity)) return fail(events, path);
    next = ts;
  }
  let k = 0;
  let boundary = m > 0 ? (starts[0] as number) : -Infinity;
  let sumGood = 0;
  let sumTotal = 0;
  for (; i >= 0; i--) {
    const ts = timestamps[i] as number;
    const t = total[i] as number;
    const g = good[i] as number;
    if (!(ts < next && g >= 0 && g <= t && t < Infinity)) return fail(events, path);
    next = ts;
    while (k < m && ts <= boundary) {
      outGood[order[k] as number] = sumGood;
      outTotal[order[k] as number] = sumTotal;
      k++;
      boundary = k < m ? (starts[k] as number) : -Infinity;
    }
    if (k >= m) {
      // Older than every window: validated only.
      for (i--; i >= 0; i--) {
        const ts2 = timestamps[i] as number;
        const t2 = total[i] as number;
        const g2 = good[i] as number;
        if (!(ts2 < next && g2 >= 0 && g2 <= t2 && t2 < Infinity)) return fail(events, path);
        next = ts2;
      }
      break;
    }
    sumGood += g;
    sumTotal += t;
  }
  if (n > 0 && !((timestamps[0] as number) > -Infinity)) return fail(events, path);
  for (; k < m; k++) {
    outGood[order[k] as number] = sumGood;
    outTotal[order[k] as number] = sumTotal;
  }
  return { good: outGood, total: outTotal };
}

function fail(events: SLIEvents, path: string): never {
  validateEvents(events, path);
  throw new Error('validateAndSumWindows: an invalid value was found but validateEvents accepted the events');
}

/** Merges overlapping maintenance windows into disjoint sorted periods. @internal */
export function mergeMaintenance(...lists: readonly (readonly MaintenanceWindow[])[]): Period[] {
  const all = lists.flat().map((m) => ({ start: m.start, end: m.end })).filter((m) => m.end > m.start);
  all.sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const m of all) {
    const last = out[out.length - 1];
    if (last !== undefined && m.start <= last.end) last.end = Math.max(last.end, m.end);
    else out.push({ ...m });
  }
  return out;
}

/** True when t is in `(m.start, m.end]` of one of the sorted, disjoint `maintenance` periods; `cursor` speeds scans. */
function excludedAt(t: number, maintenance: readonly Period[], cursor: { i: number }): boolean {
  while (cursor.i < maintenance.length && (maintenance[cursor.i] as Period).end < t) cursor.i++;
  const m = maintenance[cursor.i];
  return m !== undefined && t > m.start && t <= m.end;
}

/**
 * Turns events into budget units for the SLO's budgeting method, leaving out everything inside maintenance windows:
 * an event interval whose end lies in `(start, end]` of a maintenance window, and any slice that overlaps one.
 * @internal
 */
export function budgetUnits(slo: SLO, events: SLIEvents, extraMaintenance: readonly MaintenanceWindow[] = [], validate = true, indexed = true): BudgetUnits {
  if (validate) validateEvents(events, 'events');
  const maintenance = mergeMaintenance(slo.maintenance, extraMaintenance);
  const n = events.timestamps.length;
  if (slo.timeslice === null) {
    if (maintenance.length === 0) return new BudgetUnits(events.timestamps, events.good, events.total, maintenance, indexed);
    const keep: number[] = [];
    const cursor = { i: 0 };
    for (let i = 0; i < n; i++) if (!excludedAt(events.timestamps[i] as number, maintenance, cursor)) keep.push(i);
    return new BudgetUnits(
      Float64Array.from(keep, (i) => events.timestamps[i] as number),
      Float64Array.from(keep, (i) => events.good[i] as number),
      Float64Array.from(keep, (i) => events.total[i] as number),
      maintenance,
      indexed,
    );
  }
  // Slices `(k d, (k + 1) d]`, aligned to the epoch, from the first event's slice to the last event's slice.
  const d = slo.timeslice.durationMs;
  const ends: number[] = [];
  const good: number[] = [];
  const total: number[] = [];
  if (n > 0) {
    const first = Math.ceil((events.timestamps[0] as number) / d) * d;
    const last = Math.ceil((events.timestamps[n - 1] as number) / d) * d;
    if ((last - first) / d > MAX_SLICES) {
      throw new ValidationError('events.timestamps', `events spanning at most ${MAX_SLICES} slices of ${d} ms`, `a span of ${(last - first) / d} slices`);
    }
    let i = 0;
    const cursor = { i: 0 };
    for (let end = first; end <= last; end += d) {
      let g = 0;
      let t = 0;
      while (i < n && (events.timestamps[i] as number) <= end) {
        g += events.good[i] as number;
        t += events.total[i] as number;
        i++;
      }
      // Skip slices overlapping maintenance: (end - d, end] intersects (m.start, m.end].
      while (cursor.i < maintenance.length && (maintenance[cursor.i] as Period).end <= end - d) cursor.i++;
      const m = maintenance[cursor.i];
      if (m !== undefined && m.start < end) continue;
      if (t > 0) {
        const ratio = g / t;
        ends.push(end);
        good.push(slo.budgetingMethod === 'Timeslices' ? (ratio >= slo.timeslice.target ? 1 : 0) : ratio);
        total.push(1);
      } else if (slo.noDataSlices !== 'ignore') {
        ends.push(end);
        good.push(slo.noDataSlices === 'good' ? 1 : 0);
        total.push(1);
      }
    }
  }
  return new BudgetUnits(Float64Array.from(ends), Float64Array.from(good), Float64Array.from(total), maintenance, indexed);
}

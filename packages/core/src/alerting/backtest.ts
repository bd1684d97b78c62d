import { ValidationError, assertInteger } from '../errors';
import { assertTimeRange } from '../series/create';
import type { Series } from '../series/types';
import { alertFingerprint } from './labels';
import { alertSeriesLabels, assertDistinctSeries, instanceLabels } from './evaluator';
import { conditionValuesAtTicks, firstPassing, loosestThreshold, reduceWindow, REUSED_COLUMN_MAX, scratchColumn, SLOT_LAZY, SLOT_TICKS, SLOT_VALUES, upperBound } from './reduce';
import { inactiveCore, levelActive, passes, step } from './state';
import type { ActiveReason, AlertRule, ThresholdOperator, AlertTransition, BacktestInput, BacktestInterval, BacktestResult } from './types';
import { compileRule } from './validate';
import type { CompiledLevel, CompiledRule } from './validate';

const EMPTY_SERIES: Series = { labels: {}, timestamps: new Float64Array(0), values: new Float64Array(0) };

/**
 * Backtests one rule over history: "would this have fired?". Ticks run every `intervalMs` from `range.start` to
 * `range.end`; at each tick the rule sees exactly what `AlertEvaluator.evaluate` would see if handed the history up to
 * that tick, so the intervals agree with tick-by-tick evaluation (a property test checks this). The work is
 * columnar: one pass per series computes the condition value at every tick into a Float64Array, then the state
 * machine runs over that column with no per-tick allocation.
 *
 * Silences, maintenance windows and inhibition are not applied (they mute notifications, not the rule).
 *
 * @throws ValidationError naming the field for a bad rule (`rule.forMs`), bad series (`history.series[1].timestamps[4]`),
 *   bad range or interval, or more than `maxTicks` ticks.
 * @example
 * const result = backtest(rule, { series: last30Days, range: { start: now - 30 * 86_400_000, end: now }, intervalMs: 60_000 });
 * result.firing; // [{ fingerprint, severity: 'critical', labels, start, end, peakValue }, ...]
 * // What the rule compared with its thresholds at each tick (here the 5-minute average), to chart beside them:
 * backtest(rule, { series, range, intervalMs: 60_000, includeValues: true }).values?.[0]?.values;
 */
export function backtest(rule: AlertRule, history: BacktestInput): BacktestResult {
  const compiled = compileRule(rule, 'rule');
  if (history === null || typeof history !== 'object') throw new ValidationError('history', 'a backtest input { series, range, intervalMs? }', history);
  if (!Array.isArray(history.series)) throw new ValidationError('history.series', 'an array of series', history.series);
  assertDistinctSeries(history.series, 'history.series');
  assertTimeRange(history.range, 'history.range');
  const intervalMs = history.intervalMs ?? compiled.stepMs;
  assertInteger(intervalMs, 'history.intervalMs', 1);
  const maxTicks = history.maxTicks ?? 1_000_000;
  assertInteger(maxTicks, 'history.maxTicks', 1);
  const tickCount = Math.floor((history.range.end - history.range.start) / intervalMs) + 1;
  if (tickCount > maxTicks) throw new ValidationError('history.range', `a range of at most ${maxTicks} ticks of ${intervalMs} ms`, history.range);
  // Tick k runs at start + k * intervalMs. The tick times and condition values, where a column of them is needed, live
  // in columns reused across backtests (see `scratchColumn`): nothing here outlives the call.
  const start = history.range.start;
  let ticks: Float64Array | undefined;
  const tickTimes = (): Float64Array => {
    if (ticks === undefined) {
      ticks = scratchColumn(SLOT_TICKS, tickCount);
      for (let k = 0; k < tickCount; k++) ticks[k] = start + k * intervalMs;
    }
    return ticks;
  };

  // Values computed one by one before the lazy mode switches to a column (each costs a binary search and a window).
  const lazyBudget = Math.max(256, tickCount >>> 4);
  const firing: BacktestInterval[] = [];
  const pending: BacktestInterval[] = [];
  const transitions: AlertTransition[] = [];
  const timing = compiled;

  /**
   * Runs one instance (series × level) over the ticks. With a column, values come from it. Without (`source`, the
   * lazy mode), each value is computed when needed with the evaluator's own single-tick kernel, and while inactive
   * the run jumps to the first tick whose window holds a sample that passes the threshold: for `last`, `avg`, `min`,
   * `max` and percentiles the value lies between the window's smallest and largest sample, so a window without such
   * a sample cannot pass. Inactive stretches then cost one comparison per sample. Past a budget of computed values
   * (a rule active much of the time) it switches to the column.
   */
  const run = (seriesLabels: Readonly<Record<string, string>>, level: CompiledLevel, column: Float64Array | null, absent: boolean, source?: LazySeries): void => {
    const labels = instanceLabels(compiled, seriesLabels, level);
    const fingerprint = alertFingerprint(labels);
    const core = inactiveCore();
    // NaN stands for "no value yet" (a number|null local would box every double it holds).
    let value = NaN;
    let pendingStart = -1;
    let firingStart = -1;
    let pendingPeak = -Infinity;
    let firingPeak = -Infinity;
    const noDataActive = compiled.noData === 'alerting' ? true : compiled.noData === 'ok' ? false : null;
    const close = (list: BacktestInterval[], start: number, end: number | null, peak: number): void => {
      list.push({ fingerprint, severity: level.severity, labels, start, end, peakValue: peak === -Infinity ? null : peak });
    };
    let values = column;
    const skip = values === null && source !== undefined && canSkip(compiled, level);
    for (let k = 0; k < tickCount; k++) {
      let v: number;
      if (values === null) {
        const lazy = source as LazySeries;
        if (skip && core.state === 'inactive') {
          k = nextCandidateTick(lazy, compiled, level, k, start, intervalMs, tickCount);
          if (k >= tickCount) break;
        }
        if (++lazy.computed > lazyBudget) {
          values = lazy.column();
          v = values[k] as number;
        } else if (lazy.shared.known !== undefined && lazy.shared.known[k] === 1) {
          lazy.computed--;
          v = lazy.shared.cache[k] as number;
        } else {
          v = lazyValue(lazy, compiled, start + k * intervalMs);
          if (lazy.shared.known !== undefined) {
            lazy.shared.cache[k] = v;
            lazy.shared.known[k] = 1;
          }
        }
      } else v = values[k] as number;
      const now = start + k * intervalMs;
      let active: boolean | null;
      let reason: ActiveReason;
      if (absent) {
        active = v !== v;
        reason = 'condition';
      } else if (v !== v) {
        active = noDataActive;
        reason = 'no-data';
      } else {
        active = levelActive(level, v, core.state === 'firing');
        reason = 'condition';
      }
      // Fast paths for the two commonest runs, identical to what step() does tick by tick: while inactive, skip
      // straight to the next active tick; while firing and still active, skip to the first tick that is not,
      // folding the run's peak in one tight loop over the column.
      if (values !== null && core.state === 'inactive' && active !== true) {
        const next = firstActive(values, k + 1, tickCount, level.operator, level.value, noDataActive === true, absent);
        k = next - 1;
        continue;
      }
      if (values !== null && core.state === 'firing' && active === true) {
        const end = firstNotActive(values, k + 1, tickCount, level.operator, level.recovery, noDataActive === true, absent);
        const last = values[end - 1] as number;
        core.keepFiringSince = null;
        core.reason = absent || last === last ? 'condition' : 'no-data';
        value = absent ? 1 : Number.isFinite(last) ? last : NaN;
        const peak = absent ? 1 : finiteMax(values, k, end);
        if (peak > pendingPeak) pendingPeak = peak;
        if (peak > firingPeak) firingPeak = peak;
        k = end - 1;
        continue;
      }
      const previous = step(core, now, active, reason, timing);
      if (active === true) value = absent ? 1 : Number.isFinite(v) ? v : NaN;
      const state = core.state;
      if ((state === 'pending' || state === 'firing') && value > pendingPeak) pendingPeak = value;
      if (state === 'firing' && value > firingPeak) firingPeak = value;
      if (previous === state) continue;
      transitions.push({
        time: now,
        ruleId: compiled.id,
        fingerprint,
        severity: level.severity,
        labels,
        from: previous,
        to: state,
        value: value === value ? value : null,
        reason: state === 'inactive' || state === 'resolved' ? null : core.reason,
      });
      if ((state === 'pending' || state === 'firing') && previous !== 'pending' && previous !== 'firing') {
        pendingStart = now;
        pendingPeak = value === value ? value : -Infinity;
      }
      if (state === 'firing') {
        firingStart = now;
        firingPeak = value === value ? value : -Infinity;
      }
      if (state === 'inactive' && previous === 'pending') {
        close(pending, pendingStart, now, pendingPeak);
        pendingStart = -1;
      }
      if (state === 'resolved') {
        close(pending, pendingStart, now, pendingPeak);
        close(firing, firingStart, now, firingPeak);
        pendingStart = -1;
        firingStart = -1;
      }
    }
    if (pendingStart >= 0) close(pending, pendingStart, null, pendingPeak);
    if (firingStart >= 0) close(firing, firingStart, null, firingPeak);
  };

  const includeValues = history.includeValues ?? false;
  if (typeof includeValues !== 'boolean') throw new ValidationError('history.includeValues', 'a boolean', includeValues);
  const valueSeries: Series[] = [];
  const keep = (labels: Readonly<Record<string, string>>, values: Float64Array): void => {
    if (includeValues) valueSeries.push({ labels: { ...labels }, timestamps: tickTimes().slice(), values: values.slice() });
  };
  if (compiled.conditionType === 'absent') {
    const anyData = new Float64Array(tickCount).fill(NaN);
    for (const s of history.series) {
      const values = conditionValuesAtTicks(s, compiled, tickTimes(), scratchColumn(SLOT_VALUES, tickCount));
      for (let k = 0; k < tickCount; k++) if ((values[k] as number) === (values[k] as number)) anyData[k] = 1;
    }
    run({}, compiled.levels[0] as CompiledLevel, anyData, true);
    if (includeValues) {
      // The condition value of an absent rule: 1 where it held (no series had data), NaN where some series had.
      const held = new Float64Array(tickCount);
      for (let k = 0; k < tickCount; k++) held[k] = (anyData[k] as number) === 1 ? NaN : 1;
      keep({}, held);
    }
  } else {
    const list = history.series.length > 0 ? history.series : [EMPTY_SERIES];
    for (const s of list) {
      const seriesLabels = alertSeriesLabels(s.labels);
      if (s === EMPTY_SERIES) {
        const none = new Float64Array(tickCount).fill(NaN);
        for (const level of compiled.levels) run(seriesLabels, level, none, false);
        continue;
      }
      // The column of condition values, computed at most once per series (shared by the levels).
      let column: Float64Array | undefined;
      const columnOf = (): Float64Array => (column ??= conditionValuesAtTicks(s, compiled, tickTimes(), scratchColumn(SLOT_VALUES, tickCount)));
      const lazy = !includeValues && compiled.levels.some((level) => canSkip(compiled, level));
      // With two levels, the values one computed lazily are kept for the other.
      const twoLevels = lazy && compiled.levels.length > 1;
      const shared: SharedLazy = { cache: twoLevels ? scratchColumn(SLOT_LAZY, tickCount) : NO_VALUES, known: twoLevels ? knownFlags(tickCount) : undefined };
      for (const level of compiled.levels) {
        if (lazy && column === undefined && canSkip(compiled, level)) run(seriesLabels, level, null, false, { series: s, computed: 0, column: columnOf, lo: 0, hi: 0, shared });
        else run(seriesLabels, level, columnOf(), false);
      }
      if (includeValues) keep(seriesLabels, columnOf());
    }
  }
  // Same order as tick-by-tick evaluation: by time, then series order, then level order (a stable sort).
  transitions.sort((a, b) => a.time - b.time);
  const byStart = (a: BacktestInterval, b: BacktestInterval): number => a.start - b.start || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0);
  firing.sort(byStart);
  pending.sort(byStart);
  return includeValues ? { ruleId: compiled.id, ticks: tickCount, firing, pending, transitions, values: valueSeries } : { ruleId: compiled.id, ticks: tickCount, firing, pending, transitions };
}

/**
 * First tick in [from, end) whose level is active (`passes(v, operator, threshold)`; NaN is active when
 * `nanActive`; for `absent`, only NaN is active), or `end`. The operator is switched on once, outside the loop.
 */
function firstActive(values: Float64Array, from: number, end: number, operator: ThresholdOperator, threshold: number, nanActive: boolean, absent: boolean): number {
  let k = from;
  if (absent) {
    while (k < end && (values[k] as number) === (values[k] as number)) k++;
    return k;
  }
  switch (operator) {
    case '>':
      for (; k < end; k++) if ((values[k] as number) > threshold) return k;
      else if (nanActive && (values[k] as number) !== (values[k] as number)) return k;
      return k;
    case '<':
      for (; k < end; k++) if ((values[k] as number) < threshold) return k;
      else if (nanActive && (values[k] as number) !== (values[k] as number)) return k;
      return k;
    case '>=':
      for (; k < end; k++) if ((values[k] as number) >= threshold) return k;
      else if (nanActive && (values[k] as number) !== (values[k] as number)) return k;
      return k;
    case '<=':
      for (; k < end; k++) if ((values[k] as number) <= threshold) return k;
      else if (nanActive && (values[k] as number) !== (values[k] as number)) return k;
      return k;
    case '==':
      for (; k < end; k++) if ((values[k] as number) === threshold) return k;
      else if (nanActive && (values[k] as number) !== (values[k] as number)) return k;
      return k;
    case '!=':
      // NaN !== threshold, so NaN must be tested first: it is "no data", not a passing value.
      for (; k < end; k++) {
        const v = values[k] as number;
        if (v !== v ? nanActive : v !== threshold) return k;
      }
      return k;
  }
}

/** First tick in [from, end) whose level is not active (see `firstActive`), or `end`. */
function firstNotActive(values: Float64Array, from: number, end: number, operator: ThresholdOperator, threshold: number, nanActive: boolean, absent: boolean): number {
  let k = from;
  if (absent) {
    while (k < end && (values[k] as number) !== (values[k] as number)) k++;
    return k;
  }
  for (; k < end; k++) {
    const v = values[k] as number;
    if (v !== v) {
      if (!nanActive) return k;
      continue;
    }
    switch (operator) {
      case '>':
        if (!(v > threshold)) return k;
        break;
      case '<':
        if (!(v < threshold)) return k;
        break;
      case '>=':
        if (!(v >= threshold)) return k;
        break;
      case '<=':
        if (!(v <= threshold)) return k;
        break;
      case '==':
        if (v !== threshold) return k;
        break;
      case '!=':
        if (v === threshold) return k;
        break;
    }
  }
  return k;
}

/** The largest finite value of values[from..end), or -Infinity when there is none. */
function finiteMax(values: Float64Array, from: number, end: number): number {
  let peak = -Infinity;
  for (let k = from; k < end; k++) {
    const v = values[k] as number;
    if (v > peak && v < Infinity) peak = v;
  }
  return peak;
}

/**
 * A series in the lazy mode of `backtest`: values computed so far, its column on demand, and the window of the last
 * computed tick (`[lo, hi)`), from which the next one is found by a few steps or, after a jump, a binary search.
 */
interface LazySeries {
  readonly series: Series;
  computed: number;
  readonly column: () => Float64Array;
  lo: number;
  hi: number;
  /** What the levels of the rule share for this series. */
  readonly shared: SharedLazy;
}

/** Per series, shared by the levels of a rule in the lazy mode of `backtest`. */
interface SharedLazy {
  /** Where a level may start to pass (found on first use). */
  candidates?: Candidates;
  /** Values computed by any level at tick k, where `known[k]` is 1 (rules with two levels only). */
  readonly cache: Float64Array;
  readonly known: Uint8Array | undefined;
}

let knownScratch = new Uint8Array(0);
const NO_VALUES = new Float64Array(0);

/** `n` cleared flags, in a buffer reused across series and backtests (up to the scratch columns' size). */
function knownFlags(n: number): Uint8Array {
  if (n > REUSED_COLUMN_MAX) return new Uint8Array(n);
  if (knownScratch.length < n) knownScratch = new Uint8Array(Math.min(REUSED_COLUMN_MAX, Math.max(n, 2 * knownScratch.length)));
  const flags = knownScratch.subarray(0, n);
  flags.fill(0);
  return flags;
}

/** The condition value of a lazy series at `t` (ticks ascending), equal to the evaluator's `conditionValueAt`. */
function lazyValue(lazy: LazySeries, rule: CompiledRule, t: number): number {
  const { timestamps } = lazy.series;
  const n = timestamps.length;
  lazy.hi = advance(timestamps, lazy.hi, n, t);
  lazy.lo = advance(timestamps, lazy.lo, lazy.hi, t - rule.windowMs);
  return reduceWindow(lazy.series, rule, lazy.lo, lazy.hi, t);
}

/** The first index in [at, end) with timestamps > t, at or after `at`: a few steps, then a binary search. */
function advance(timestamps: Float64Array, at: number, end: number, t: number): number {
  for (let steps = 0; steps < 4; steps++) {
    if (at >= end || (timestamps[at] as number) > t) return at;
    at++;
  }
  return upperBound(timestamps, t, at, end);
}

/**
 * Whether a level can be skipped to its next candidate tick: a threshold rule, no "alerting" on no data (an empty
 * window would then be active), and either
 * - a reducer whose value lies within the window's samples (`last`, `avg`, `min`, `max`, percentiles) with an
 *   ordered operator, or
 * - `rate` above a positive threshold (`>` or `>=`), bounded by the largest increase between neighbours (see
 *   `Candidates`).
 */
function canSkip(rule: CompiledRule, level: CompiledLevel): boolean {
  if (rule.conditionType !== 'threshold' || rule.noData === 'alerting') return false;
  const r = rule.reducer;
  const o = level.operator;
  if (r === 'rate') return (o === '>' || o === '>=') && level.value > 0;
  if (r !== 'last' && r !== 'avg' && r !== 'min' && r !== 'max' && r !== 'percentile') return false;
  return o === '>' || o === '>=' || o === '<' || o === '<=';
}

/** The most samples any window `(t - windowMs, t]` of the series holds, less one (windows ending at samples suffice). @internal */
export function mostPairsInAWindow(timestamps: Float64Array, windowMs: number): number {
  const n = timestamps.length;
  if (n < 2) return 0;
  // A regular grid (the common case: a range query at one step) holds ceil(windowMs / step) samples per window, at
  // most; checking that every step is the same costs a quarter of the general count below.
  const step = (timestamps[1] as number) - (timestamps[0] as number);
  let regular = step > 0;
  for (let i = 1; regular && i + 4 < n; i += 4) {
    regular =
      (timestamps[i + 1] as number) - (timestamps[i] as number) === step &&
      (timestamps[i + 2] as number) - (timestamps[i + 1] as number) === step &&
      (timestamps[i + 3] as number) - (timestamps[i + 2] as number) === step &&
      (timestamps[i + 4] as number) - (timestamps[i + 3] as number) === step;
  }
  for (let i = Math.max(1, n - 5); regular && i + 1 < n; i++) regular = (timestamps[i + 1] as number) - (timestamps[i] as number) === step;
  if (regular) return Math.min(n, Math.ceil(windowMs / step)) - 1;
  let most = 0;
  let lo = 0;
  for (let hi = 0; hi < timestamps.length; hi++) {
    const from = (timestamps[hi] as number) - windowMs;
    while ((timestamps[lo] as number) <= from) lo++;
    if (hi - lo > most) most = hi - lo;
  }
  return most;
}

/** The first tick index in [from, tickCount] whose time is at or after `t`. */
function firstTickAtOrAfter(t: number, from: number, start: number, intervalMs: number, tickCount: number): number {
  let k = Math.max(from, Math.ceil((t - start) / intervalMs));
  // Exact in tick times, whatever the rounding of the division above.
  while (k > from && start + (k - 1) * intervalMs >= t) k--;
  while (k < tickCount && start + k * intervalMs < t) k++;
  return k;
}

/**
 * The samples where a level may start to pass, found once per series for the loosest level and shared by the levels:
 * - for `last`, `avg`, `min`, `max` and percentiles, the samples that pass the loosest threshold (`begin` and `end`
 *   are the same array);
 * - for `rate` above a positive threshold, the increases between neighbouring samples (NaN skipped) larger than the
 *   loosest level's limit, `begin` and `end` being the two samples. With n samples in a window, Prometheus' change is
 *   the sum of the n - 1 increases (a drop counts as the new value: the counter restarted from 0), and the
 *   extrapolation adds less than 1.1 average intervals at each end, so rate < (largest increase) × (n - 1 + 2.2) /
 *   window seconds. With n - 1 at most `pairs` (the most samples any window of the series holds, less one), a window
 *   whose increases are all at most threshold × window seconds / (pairs + 2.5) cannot reach the threshold.
 * NaN never passes; a NaN increase (∞ − ∞) is a candidate.
 */
interface Candidates {
  readonly begin: Int32Array;
  readonly end: Int32Array;
  readonly count: number;
  /** For `rate`: window seconds / (pairs + 2.5), the factor from a threshold to its increase limit. */
  readonly rateFactor: number;
}

// Reused across series and backtests (series are run one after the other, so one series' candidates are done with
// before the next one's are found); like the scratch columns, kept only up to REUSED_COLUMN_MAX samples.
let candidateBegin = new Int32Array(0);
let candidateEnd = new Int32Array(0);

/** The candidates of one series (see `Candidates`), for the loosest of the rule's levels that can skip. */
function findCandidates(series: Series, rule: CompiledRule): Candidates {
  const { timestamps, values } = series;
  const n = timestamps.length;
  let begin = candidateBegin;
  let end = candidateEnd;
  if (begin.length < n) {
    begin = new Int32Array(n);
    end = new Int32Array(n);
    if (n <= REUSED_COLUMN_MAX) {
      candidateBegin = begin;
      candidateEnd = end;
    }
  }
  const levels = rule.levels.filter((level) => canSkip(rule, level));
  const operator = (levels[0] as CompiledLevel).operator;
  const threshold = loosestThreshold(levels);
  if (rule.reducer === 'rate') {
    const rateFactor = rule.windowMs / 1000 / (mostPairsInAWindow(timestamps, rule.windowMs) + 2.5);
    return { begin, end, count: findRateCandidates(values, threshold * rateFactor, begin, end), rateFactor };
  }
  let count = 0;
  for (let j = firstPassing(values, 0, n, operator, threshold); j < n; j = firstPassing(values, j + 1, n, operator, threshold)) begin[count++] = j;
  return { begin, end: begin, count, rateFactor: 0 };
}

/**
 * The increases between neighbouring samples (NaN skipped) above `limit` (or NaN), as pairs of sample indices; returns
 * their number. Its own function: inside `findCandidates` this loop ran several times slower (V8 optimises small
 * functions with one hot loop better). @internal
 */
export function findRateCandidates(values: Float64Array, limit: number, begin: Int32Array, end: Int32Array): number {
  const n = values.length;
  let count = 0;
  let at = 0;
  while (at < n && (values[at] as number) !== (values[at] as number)) at++;
  let previous = values[at] as number;
  let j = at + 1;
  while (j < n) {
    // Four samples at a time while each increase is in [0, limit]: a counter that grows by less than the limit, the
    // common case. NaN, a drop (a reset) and a large increase all fail these comparisons and go one by one.
    for (; j + 3 < n; j += 4) {
      const a = values[j] as number;
      const b = values[j + 1] as number;
      const c = values[j + 2] as number;
      const d = values[j + 3] as number;
      if (!(a >= previous && b >= a && c >= b && d >= c && a - previous <= limit && b - a <= limit && c - b <= limit && d - c <= limit)) break;
      previous = d;
      at = j + 3;
    }
    // One step of four (or the last few samples) one by one, with the definition.
    for (const stop = Math.min(n, j + 4); j < stop; j++) {
      const v = values[j] as number;
      if (v !== v) continue;
      if (!((v >= previous ? v - previous : v) <= limit)) {
        begin[count] = at;
        end[count++] = j;
      }
      previous = v;
      at = j;
    }
  }
  return count;
}

/**
 * The first tick at or after `from` whose window `(t - windowMs, t]` may hold a value passing the level, or
 * `tickCount`: the first candidate (see `Candidates`) that passes this level and begins after the window start of
 * tick `from`, then the first tick at or after the candidate's end. Every tick in between has no such candidate in
 * its window, so no passing value.
 */
function nextCandidateTick(lazy: LazySeries, rule: CompiledRule, level: CompiledLevel, from: number, start: number, intervalMs: number, tickCount: number): number {
  const { timestamps, values } = lazy.series;
  const candidates = (lazy.shared.candidates ??= findCandidates(lazy.series, rule));
  const { begin, end, count } = candidates;
  const first = upperBound(timestamps, start + from * intervalMs - rule.windowMs);
  // The first candidate beginning at or after `first`, by binary search (begin is ascending).
  let a = 0;
  let b = count;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if ((begin[mid] as number) < first) a = mid + 1;
    else b = mid;
  }
  const threshold = level.value;
  if (rule.reducer === 'rate') {
    const limit = threshold * candidates.rateFactor;
    for (; a < count; a++) {
      const before = values[begin[a] as number] as number;
      const v = values[end[a] as number] as number;
      if (!((v >= before ? v - before : v) <= limit)) break;
    }
  } else {
    for (; a < count; a++) if (passes(values[begin[a] as number] as number, level.operator, threshold)) break;
  }
  return a >= count ? tickCount : firstTickAtOrAfter(timestamps[end[a] as number] as number, from, start, intervalMs, tickCount);
}

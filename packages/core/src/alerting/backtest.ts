import { ValidationError, assertInteger } from '../errors';
import { assertTimeRange } from '../series/create';
import type { Series } from '../series/types';
import { alertFingerprint } from './labels';
import { alertSeriesLabels, assertDistinctSeries, instanceLabels } from './evaluator';
import { conditionValuesAtTicks, firstPassing, loosestThreshold, REUSED_COLUMN_MAX, scratchColumn, SLOT_LAZY, SLOT_SEGMENT_TICKS, SLOT_TICKS, SLOT_VALUES, upperBound } from './reduce';
import { inactiveCore, levelActive, passes, step } from './state';
import type { ActiveReason, AlertRule, ThresholdOperator, AlertTransition, BacktestInput, BacktestInterval, BacktestResult } from './types';
import { compileRule } from './validate';
import type { CompiledLevel, CompiledRule } from './validate';

const EMPTY_SERIES: Series = { labels: {}, timestamps: new Float64Array(0), values: new Float64Array(0) };
const NO_VALUES = new Float64Array(0);

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
  // Per series, a lower bound on the gaps between its timestamps (or 0), found by the validation pass.
  const gaps = assertDistinctSeries(history.series, 'history.series');
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

  // Values the lazy mode computes in segments before it switches to the whole column.
  const lazyBudget = Math.max(256, tickCount >>> 2);
  const firing: BacktestInterval[] = [];
  const pending: BacktestInterval[] = [];
  const transitions: AlertTransition[] = [];
  const timing = compiled;

  /**
   * Runs one instance (series × level) over the ticks, reading the condition values from a column: the whole column,
   * or in the lazy mode (`source`) segments of it computed where needed (see `lazySegment`). While inactive the lazy
   * run jumps to the first tick whose window holds a sample that passes the threshold: for `last`, `avg`, `min`,
   * `max` and percentiles the value lies between the window's smallest and largest sample, so a window without such
   * a sample cannot pass (for `rate`, see `Candidates`). Inactive stretches then cost one comparison per sample. Past a
   * budget of computed values (a rule active much of the time) it switches to the whole column.
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
    // The condition values of ticks [.., valuesEnd): the whole column, or the lazy segment that holds tick k.
    let values = column ?? NO_VALUES;
    let valuesEnd = column === null ? 0 : tickCount;
    for (let k = 0; k < tickCount; k++) {
      if (k >= valuesEnd) {
        const lazy = source as LazySeries;
        if (core.state === 'inactive') {
          k = nextCandidateTick(lazy, compiled, level, k, start, intervalMs, tickCount);
          if (k >= tickCount) break;
        }
        if (lazy.computed > lazyBudget) {
          values = lazy.column();
          valuesEnd = tickCount;
        } else {
          values = lazy.shared.cache;
          valuesEnd = lazySegment(lazy, compiled, k, start, intervalMs, tickCount);
        }
      }
      const v = values[k] as number;
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
      if (core.state === 'inactive' && active !== true) {
        const next = firstActive(values, k + 1, valuesEnd, level.operator, level.value, noDataActive === true, absent);
        k = next - 1;
        continue;
      }
      if (core.state === 'firing' && active === true) {
        const end = firstNotActive(values, k + 1, valuesEnd, level.operator, level.recovery, noDataActive === true, absent);
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
    for (let i = 0; i < list.length; i++) {
      const s = list[i] as Series;
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
      const shared: SharedLazy = { cache: lazy ? scratchColumn(SLOT_LAZY, tickCount) : NO_VALUES, segments: [], gap: gaps[i] ?? 0 };
      for (let l = 0; l < compiled.levels.length; l++) {
        const level = compiled.levels[l] as CompiledLevel;
        // The first level records its segments; the second reads them (same ticks, same values) and computes the rest.
        if (lazy && column === undefined && canSkip(compiled, level)) run(seriesLabels, level, null, false, { series: s, computed: 0, column: columnOf, shared, records: l === 0, segmentAt: 0 });
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

/** A series in the lazy mode of `backtest`, for one level: what it computed, and its whole column on demand. */
interface LazySeries {
  readonly series: Series;
  /** Values this level computed so far (see the budget in `backtest`). */
  computed: number;
  readonly column: () => Float64Array;
  readonly shared: SharedLazy;
  /** Whether this level adds the segments it computes to `shared.segments` (the first level of the rule does). */
  readonly records: boolean;
  /** Where this level reads `shared.segments` (it reads them in tick order). */
  segmentAt: number;
}

/** Per series, shared by the levels of a rule in the lazy mode of `backtest`. */
interface SharedLazy {
  /** Where a level may start to pass (found on first use). */
  candidates?: Candidates;
  /** Condition values at the ticks of computed segments, indexed by tick. */
  readonly cache: Float64Array;
  /** The segments the first level computed, as ascending [start, end) tick pairs (flat). */
  readonly segments: number[];
  /** A lower bound on the gaps between the series' timestamps, or 0 until known (see `rateLimit`). */
  gap: number;
}

/**
 * Computed segments are at least this many ticks: a rule that stays pending or firing past the candidates' windows
 * (hysteresis, `keepFiringForMs`) reads on in segments of this size.
 */
const MIN_SEGMENT = 16;

/**
 * The condition values of ticks [k, end) in `shared.cache`; returns `end`. A segment the first level computed is
 * reused. Otherwise the segment runs at least MIN_SEGMENT ticks, and on while candidates (see `Candidates`) enter a
 * window by its end, to two ticks past the first whose window has left them; it is computed with the column kernels
 * of the whole-column mode (`conditionValuesAtTicks`) on the samples its windows hold. So each value is the one the
 * column would hold, at the column's cost per tick, for only the ticks near where the rule may pass.
 */
function lazySegment(lazy: LazySeries, rule: CompiledRule, k: number, start: number, intervalMs: number, tickCount: number): number {
  const { segments, cache } = lazy.shared;
  let at = lazy.segmentAt;
  while (at < segments.length && (segments[at + 1] as number) <= k) at += 2;
  lazy.segmentAt = at;
  if (at < segments.length && (segments[at] as number) <= k) return segments[at + 1] as number;

  const { timestamps, values, labels } = lazy.series;
  const { begin, end: candidateEnd, count } = (lazy.shared.candidates ??= findCandidates(lazy, rule));
  const windowMs = rule.windowMs;
  const firstSample = upperBound(timestamps, start + k * intervalMs - windowMs);
  // In time: the segment runs until `until`, extended while a candidate enters a window by then (a sample at `until`
  // is in the window of the tick at `until`).
  let until = start + (k + MIN_SEGMENT) * intervalMs;
  for (let c = firstCandidateFrom(begin, count, firstSample); c < count; c++) {
    if ((timestamps[begin[c] as number] as number) > until) break;
    const left = (timestamps[candidateEnd[c] as number] as number) + windowMs;
    if (left > until) until = left;
  }
  // Two ticks more: the first whose windows have left the candidates, where a firing rule usually resolves, and the
  // next, where it becomes inactive (a state change the run records, so it needs that tick's value too).
  const end = Math.min(tickCount, firstTickAtOrAfter(until, k + 1, start, intervalMs, tickCount) + 2);
  lazy.computed += end - k;

  const ticks = scratchColumn(SLOT_SEGMENT_TICKS, end - k);
  for (let j = 0; j < ticks.length; j++) ticks[j] = start + (k + j) * intervalMs;
  const hi = upperBound(timestamps, ticks[ticks.length - 1] as number, firstSample);
  const part = firstSample === 0 && hi === timestamps.length ? lazy.series : { labels, timestamps: timestamps.subarray(firstSample, hi), values: values.subarray(firstSample, hi) };
  conditionValuesAtTicks(part, rule, ticks, cache.subarray(k, end));
  if (lazy.records) segments.push(k, end);
  return end;
}

/** The first candidate whose `begin` sample is at or after `sample` (`begin` is ascending), by binary search. */
function firstCandidateFrom(begin: Int32Array, count: number, sample: number): number {
  let a = 0;
  let b = count;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if ((begin[mid] as number) < sample) a = mid + 1;
    else b = mid;
  }
  return a;
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
 * - for `rate` above a positive threshold, the pairs of neighbouring samples (NaN skipped) whose increase is above
 *   the loosest level's limit (`rateLimit`), `begin` and `end` being the two samples. In a window, Prometheus' change
 *   is the sum of the increases between neighbours (a drop counts as the new value: the counter restarted from 0),
 *   at most the largest slope (increase per second) times the sampled interval, first to last sample. The
 *   extrapolation stretches that interval to at most the window (towards each end by no more than the distance to
 *   it), and rate divides by the window: so rate is at most the largest slope. With every gap at least `gap`, an
 *   increase of at most RATE_MARGIN × threshold × gap seconds is a slope of at most RATE_MARGIN × threshold: a
 *   window of such increases cannot reach the threshold (the margin absorbs rounding).
 * NaN never passes; a NaN increase (∞ − ∞) is a candidate.
 */
interface Candidates {
  readonly begin: Int32Array;
  readonly end: Int32Array;
  readonly count: number;
}

/** See `Candidates`: a slope up to this fraction of a `rate` threshold cannot take a window to the threshold. */
const RATE_MARGIN = 0.9375;

// Reused across series and backtests (series are run one after the other, so one series' candidates are done with
// before the next one's are found); like the scratch columns, kept only up to REUSED_COLUMN_MAX samples.
let candidateBegin = new Int32Array(0);
let candidateEnd = new Int32Array(0);

/** The candidates of one series (see `Candidates`), for the loosest of the rule's levels that can skip. */
function findCandidates(lazy: LazySeries, rule: CompiledRule): Candidates {
  const { timestamps, values } = lazy.series;
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
    return { begin, end, count: findRateCandidates(values, rateLimit(threshold, lazy), begin, end) };
  }
  let count = 0;
  let j = firstPassing(values, 0, n, operator, threshold);
  while (j < n) {
    begin[count++] = j++;
    // The rest of a run of passing samples (a burst) one by one; the scan resumes at the first that does not pass.
    while (j < n && passes(values[j] as number, operator, threshold)) begin[count++] = j++;
    j = firstPassing(values, j, n, operator, threshold);
  }
  return { begin, end: begin, count };
}

/**
 * The largest increase between neighbouring samples that cannot take a window's rate to `threshold` (see
 * `Candidates`), from a lower bound on the gaps between the series' timestamps: the one validation found (the first
 * gap, when no later one is smaller), or else the smallest gap, measured here once.
 */
function rateLimit(threshold: number, lazy: LazySeries): number {
  const shared = lazy.shared;
  if (!(shared.gap > 0)) {
    const { timestamps } = lazy.series;
    let gap = Infinity;
    for (let i = 1; i < timestamps.length; i++) {
      const d = (timestamps[i] as number) - (timestamps[i - 1] as number);
      if (d < gap) gap = d;
    }
    shared.gap = gap;
  }
  return ((threshold * RATE_MARGIN) / 1000) * shared.gap;
}

/**
 * The increases between neighbouring samples (NaN skipped) above `limit` (or NaN), as pairs of sample indices; returns
 * their number. An increase is the difference, or the new value after a drop (a counter reset). Its own function:
 * inside `findCandidates` this loop ran several times slower (V8 optimises small functions with one hot loop better).
 * @internal
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
  const candidates = (lazy.shared.candidates ??= findCandidates(lazy, rule));
  const { begin, end, count } = candidates;
  let a = firstCandidateFrom(begin, count, upperBound(timestamps, start + from * intervalMs - rule.windowMs));
  const threshold = level.value;
  if (rule.reducer === 'rate') {
    const limit = rateLimit(threshold, lazy);
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

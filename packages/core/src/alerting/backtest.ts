import { ValidationError, assertInteger } from '../errors';
import { assertTimeRange } from '../series/create';
import type { Series } from '../series/types';
import { alertFingerprint } from './labels';
import { alertSeriesLabels, assertDistinctSeries, instanceLabels } from './evaluator';
import { conditionValuesAtTicks, scratchColumn, SLOT_TICKS, SLOT_VALUES } from './reduce';
import { inactiveCore, levelActive, step } from './state';
import type { ActiveReason, AlertRule, ThresholdOperator, AlertTransition, BacktestInput, BacktestInterval, BacktestResult } from './types';
import { compileRule } from './validate';
import type { CompiledLevel } from './validate';

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
  // The tick times and the condition values live in columns reused across backtests (see `scratchColumn`): nothing
  // here outlives the call.
  const ticks = scratchColumn(SLOT_TICKS, tickCount);
  const start = history.range.start;
  for (let k = 0; k < tickCount; k++) ticks[k] = start + k * intervalMs;

  const firing: BacktestInterval[] = [];
  const pending: BacktestInterval[] = [];
  const transitions: AlertTransition[] = [];
  const timing = compiled;

  const run = (seriesLabels: Readonly<Record<string, string>>, level: CompiledLevel, values: Float64Array, absent: boolean): void => {
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
    for (let k = 0; k < tickCount; k++) {
      const now = ticks[k] as number;
      const v = values[k] as number;
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
        const next = firstActive(values, k + 1, tickCount, level.operator, level.value, noDataActive === true, absent);
        k = next - 1;
        continue;
      }
      if (core.state === 'firing' && active === true) {
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
    if (includeValues) valueSeries.push({ labels: { ...labels }, timestamps: ticks.slice(), values: values.slice() });
  };
  if (compiled.conditionType === 'absent') {
    const anyData = new Float64Array(tickCount).fill(NaN);
    for (const s of history.series) {
      const values = conditionValuesAtTicks(s, compiled, ticks, scratchColumn(SLOT_VALUES, tickCount));
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
      const values = s === EMPTY_SERIES ? new Float64Array(tickCount).fill(NaN) : conditionValuesAtTicks(s, compiled, ticks, scratchColumn(SLOT_VALUES, tickCount));
      const seriesLabels = alertSeriesLabels(s.labels);
      for (const level of compiled.levels) run(seriesLabels, level, values, false);
      if (s !== EMPTY_SERIES) keep(seriesLabels, values);
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

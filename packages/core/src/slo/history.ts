import { ValidationError } from '../errors';
import { calendarPeriods, type CalendarUnit } from '../windows';
import type { SLIEvents } from './events';
import { burnFrom, checkTime, statusFromUnits } from './evaluate';
import type { AlertTier, MaintenanceWindow, SLO } from './types';
import { budgetUnits } from './units';

/** Evaluation times `start, start + step, ..., <= end` with `start` rounded up to a multiple of `stepMs`. */
function evaluationTimes(range: { start: number; end: number }, stepMs: number, path: string): Float64Array {
  if (range === null || typeof range !== 'object') throw new ValidationError(`${path}.range`, 'a time range { start, end }', range);
  checkTime(range.start, `${path}.range.start`);
  checkTime(range.end, `${path}.range.end`);
  if (range.end < range.start) throw new ValidationError(`${path}.range.end`, `a time at or after start (${range.start})`, range.end);
  if (typeof stepMs !== 'number' || !Number.isFinite(stepMs) || stepMs <= 0) throw new ValidationError(`${path}.stepMs`, 'a step in ms > 0', stepMs);
  const first = Math.ceil(range.start / stepMs) * stepMs;
  const count = first > range.end ? 0 : Math.floor((range.end - first) / stepMs) + 1;
  if (count > 5_000_000) throw new ValidationError(`${path}.stepMs`, 'a step giving at most 5,000,000 evaluation times', stepMs);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = first + i * stepMs;
  return out;
}

/** Options of `sloTimeline` and `evaluateAlertHistory`. */
export interface HistoryOptions {
  /** Time range to evaluate, inclusive. */
  readonly range: { readonly start: number; readonly end: number };
  /** Evaluation step in ms (e.g. 60_000). Times are multiples of the step, as in a Prometheus range query. */
  readonly stepMs: number;
  readonly maintenance?: readonly MaintenanceWindow[];
}

/** Columns of an SLO over time, for charts. Every value is finite. */
export interface SLOTimeline {
  readonly timestamps: Float64Array;
  /** good / total in the window; 1 where the window holds no events (see `hasData`). */
  readonly attainment: Float64Array;
  /** 1 where the window held events, 0 where not. */
  readonly hasData: Uint8Array;
  /** Share of the error budget left (1 = untouched, negative = overspent). Resets at calendar boundaries. */
  readonly budgetRemaining: Float64Array;
  /** Budget left in ms of full outage. */
  readonly budgetRemainingMs: Float64Array;
  /** Burn rate over the projection window. */
  readonly burnRate: Float64Array;
  /** Status per point: 0 healthy, 1 at risk, 2 breached. */
  readonly status: Uint8Array;
}

/**
 * Evaluates an SLO at every step of a range, as columns: what an error-budget chart draws.
 *
 * @throws ValidationError for a bad range, step or events.
 * @example
 * const t = sloTimeline(slo, events, { range: { start: day0, end: day30 }, stepMs: 3_600_000 });
 * t.budgetRemaining; // Float64Array, one value per hour
 */
export function sloTimeline(slo: SLO, events: SLIEvents, options: HistoryOptions): SLOTimeline {
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an object { range, stepMs }', options);
  const times = evaluationTimes(options.range, options.stepMs, 'options');
  const units = budgetUnits(slo, events, options.maintenance ?? []);
  const n = times.length;
  const out: SLOTimeline = {
    timestamps: times,
    attainment: new Float64Array(n),
    hasData: new Uint8Array(n),
    budgetRemaining: new Float64Array(n),
    budgetRemainingMs: new Float64Array(n),
    burnRate: new Float64Array(n),
    status: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const s = statusFromUnits(slo, units, times[i] as number, []);
    out.attainment[i] = s.attainment ?? 1;
    out.hasData[i] = s.attainment === null ? 0 : 1;
    out.budgetRemaining[i] = s.errorBudget.ratio.remaining;
    out.budgetRemainingMs[i] = s.errorBudget.timeMs.remaining;
    out.burnRate[i] = s.exhaustion.burnRate;
    out.status[i] = s.status === 'healthy' ? 0 : s.status === 'at-risk' ? 1 : 2;
  }
  return out;
}

/** One stretch of time during which a tier was firing. */
export interface AlertInterval {
  readonly tier: string;
  readonly severity: string;
  /** First evaluation time at which the tier fired (after its `for`). */
  readonly start: number;
  /** First evaluation time at which it no longer held; null when still firing at the end of the range. */
  readonly end: number | null;
  /** When the condition first held (start - for, or later when the range starts mid-condition). */
  readonly pendingSince: number;
  readonly burnRateAtStart: { readonly long: number; readonly short: number };
  readonly maxBurnRate: { readonly long: number; readonly short: number };
  /** The tier's threshold factor. */
  readonly threshold: number;
  /**
   * Projected budget exhaustion when the alert started: remaining share x window length / long-window burn rate
   * after `start`. Equal to `start` when the budget was already gone.
   */
  readonly exhaustionAt: number;
  /** Share of the budget remaining when the alert started. */
  readonly budgetRemainingAtStart: number;
}

/**
 * The condition of a tier at one time: both windows' error ratios strictly above the tier's error-ratio threshold,
 * exactly the comparison the generated Prometheus alert makes. @internal
 */
export function tierCondition(tier: AlertTier, longErrorRatio: number, shortErrorRatio: number): boolean {
  return tier.reachable && longErrorRatio > tier.errorRatioThreshold && shortErrorRatio > tier.errorRatioThreshold;
}

/**
 * Replays the SLO's multi-window, multi-burn-rate policy over history, evaluating every `stepMs` as Prometheus'
 * rule evaluation would: a tier's condition is `errorRatio(long) > factor x (1 - target)` and the same for the short
 * window; it fires once the condition has held for the tier's `for` and resolves at the first evaluation where it
 * does not hold. Returns intervals sorted by start, then tier order.
 *
 * @throws ValidationError for a bad range, step or events.
 * @example
 * evaluateAlertHistory(slo, events, { range: { start, end }, stepMs: 60_000 });
 * // [{ tier: 'page-1h', severity: 'page', start, end, burnRateAtStart: { long: 20.1, short: 31 }, exhaustionAt, ... }]
 */
export function evaluateAlertHistory(slo: SLO, events: SLIEvents, options: HistoryOptions): AlertInterval[] {
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an object { range, stepMs }', options);
  const times = evaluationTimes(options.range, options.stepMs, 'options');
  const units = budgetUnits(slo, events, options.maintenance ?? []);
  const collected: { order: number; interval: AlertInterval }[] = [];
  slo.alertTiers.forEach((tier, order) => {
    let pendingSince: number | null = null;
    let open: {
      start: number;
      pendingSince: number;
      atStart: { long: number; short: number };
      max: { long: number; short: number };
      exhaustionAt: number;
      remaining: number;
    } | null = null;
    const close = (end: number | null): void => {
      if (open === null) return;
      const interval: AlertInterval = {
        tier: tier.name,
        severity: tier.severity,
        start: open.start,
        end,
        pendingSince: open.pendingSince,
        burnRateAtStart: open.atStart,
        maxBurnRate: open.max,
        threshold: tier.burnRate,
        exhaustionAt: open.exhaustionAt,
        budgetRemainingAtStart: open.remaining,
      };
      collected.push({ order, interval });
      open = null;
    };
    for (let i = 0; i < times.length; i++) {
      const t = times[i] as number;
      const l = units.sum(t - tier.longWindowMs, t);
      const s = units.sum(t - tier.shortWindowMs, t);
      const long = burnFrom(slo, l.good, l.total, tier.longWindowMs);
      const short = burnFrom(slo, s.good, s.total, tier.shortWindowMs);
      if (!tierCondition(tier, long.errorRatio, short.errorRatio)) {
        pendingSince = null;
        close(t);
        continue;
      }
      pendingSince ??= t;
      if (open !== null) {
        open.max.long = Math.max(open.max.long, long.burnRate);
        open.max.short = Math.max(open.max.short, short.burnRate);
      } else if (t - pendingSince >= tier.forMs) {
        const status = statusFromUnits(slo, units, t, []);
        const remaining = status.errorBudget.ratio.remaining;
        const exhaustionAt = remaining <= 0 ? t : t + Math.min((remaining * status.windowLengthMs) / long.burnRate, Number.MAX_SAFE_INTEGER);
        open = { start: t, pendingSince, atStart: { long: long.burnRate, short: short.burnRate }, max: { long: long.burnRate, short: short.burnRate }, exhaustionAt, remaining };
      }
    }
    close(null);
  });
  collected.sort((a, b) => a.interval.start - b.interval.start || a.order - b.order);
  return collected.map((c) => c.interval);
}

/** One period of a compliance report. */
export interface CompliancePeriod {
  readonly start: number;
  readonly end: number;
  /** False for a period that extends past the report's range end (still running). */
  readonly complete: boolean;
  readonly good: number;
  readonly bad: number;
  readonly total: number;
  /** null when the period holds no events. */
  readonly attainment: number | null;
  /** attainment >= target; null when there are no events. */
  readonly met: boolean | null;
  /** Share of the period's budget consumed: errorRatio / (1 - target). */
  readonly budgetConsumed: number;
  readonly budgetRemaining: number;
  /** Maintenance time inside the period. */
  readonly excludedMs: number;
}

/** A compliance report: one row per calendar period. */
export interface ComplianceReport {
  readonly slo: string;
  readonly unit: CalendarUnit;
  readonly timeZone: string;
  readonly target: number;
  readonly periods: readonly CompliancePeriod[];
  /** Periods with data that met the target, and periods with data. */
  readonly periodsMet: number;
  readonly periodsWithData: number;
}

/**
 * Compliance per calendar period (weekly, monthly, quarterly) over a range: for each period, events, attainment,
 * whether the target was met and how much of that period's budget was used. Periods are aligned in the SLO's time
 * zone (calendar windows) or the one given (default UTC).
 *
 * @throws ValidationError for a bad unit, zone, range or events.
 * @example
 * complianceReport(slo, events, { unit: 'month', range: { start: Date.UTC(2024, 0, 1), end: Date.UTC(2024, 11, 31) } })
 *   .periods.map((p) => p.met); // [true, true, false, ...]
 */
export function complianceReport(
  slo: SLO,
  events: SLIEvents,
  options: { readonly unit: CalendarUnit; readonly range: { readonly start: number; readonly end: number }; readonly timeZone?: string; readonly weekStartsOn?: number; readonly maintenance?: readonly MaintenanceWindow[] },
): ComplianceReport {
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an object { unit, range }', options);
  const timeZone = options.timeZone ?? (slo.window.kind === 'calendar' ? slo.window.timeZone : 'UTC');
  const weekStartsOn = options.weekStartsOn ?? (slo.window.kind === 'calendar' ? slo.window.weekStartsOn : 1);
  if (options.range === null || typeof options.range !== 'object') throw new ValidationError('options.range', 'a time range { start, end }', options.range);
  checkTime(options.range.start, 'options.range.start');
  checkTime(options.range.end, 'options.range.end');
  // Right-closed periods: a range starting exactly on a boundary starts with the period after it.
  const periods = calendarPeriods({ start: options.range.start, end: options.range.end }, options.unit, { timeZone, weekStartsOn, maxPeriods: 10_000 });
  const units = budgetUnits(slo, events, options.maintenance ?? []);
  let periodsMet = 0;
  let periodsWithData = 0;
  const rows = periods.map((p): CompliancePeriod => {
    const { good, total } = units.sum(p.start, p.end);
    const bad = total - good;
    const errorRatio = total > 0 ? bad / total : 0;
    const attainment = total > 0 ? good / total : null;
    const met = attainment === null ? null : attainment >= slo.target;
    if (met !== null) periodsWithData++;
    if (met === true) periodsMet++;
    const consumed = errorRatio / slo.errorBudget;
    return { start: p.start, end: p.end, complete: p.end <= options.range.end, good, bad, total, attainment, met, budgetConsumed: consumed, budgetRemaining: 1 - consumed, excludedMs: units.excludedMs(p.start, p.end) };
  });
  return { slo: slo.name, unit: options.unit, timeZone, target: slo.target, periods: rows, periodsMet, periodsWithData };
}

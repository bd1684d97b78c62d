import { ValidationError } from '../errors';
import { windowBounds } from '../windows';
import type { SLIEvents } from './events';
import type { MaintenanceWindow, SLO } from './types';
import { budgetUnits, BudgetUnits, validateAndSumWindows } from './units';

/** An amount of error budget three ways; in each, `remaining = total - consumed` (negative once overspent). */
export interface BudgetAmount {
  readonly total: number;
  readonly consumed: number;
  readonly remaining: number;
}

/** The error budget of one SLO at one instant. */
export interface ErrorBudget {
  /** Shares of the whole budget: total is 1. */
  readonly ratio: BudgetAmount;
  /** In events (Occurrences) or slices (Timeslices, RatioTimeslices): total is the budget for the whole window. */
  readonly events: BudgetAmount;
  /** In milliseconds of full outage: total is (1 - target) x window length. */
  readonly timeMs: BudgetAmount;
}

/** A burn rate over one trailing window. */
export interface BurnRate {
  readonly windowMs: number;
  /** errorRatio / (1 - target); 0 when the window holds no events. */
  readonly burnRate: number;
  /** Bad / total in the window; 0 when the window holds no events. */
  readonly errorRatio: number;
  readonly good: number;
  readonly total: number;
}

/** Projected exhaustion of the budget, linear on the recent burn rate. */
export interface Exhaustion {
  /**
   * `exhausted`: no budget left now (remaining <= 0). `projected`: runs out at `at` if the burn rate over
   * `windowMs` holds. `not-burning`: that burn rate is 0, so it never runs out.
   */
  readonly state: 'exhausted' | 'projected' | 'not-burning';
  /** When the budget runs out (the evaluation time when already exhausted); null when not burning. */
  readonly at: number | null;
  /** at - evaluation time; null when not burning. */
  readonly inMs: number | null;
  /** The burn rate the projection uses and its window. */
  readonly burnRate: number;
  readonly windowMs: number;
}

export type SLOStatusLevel = 'healthy' | 'at-risk' | 'breached';

/** Everything about one SLO at one instant. */
export interface SLOStatus {
  readonly slo: string;
  /** Evaluation time. */
  readonly at: number;
  /** The window evaluated: `(start, end]`; for rolling windows end = at, for calendar windows the period end. */
  readonly window: { readonly start: number; readonly end: number };
  /** Window length and the part of it up to `at`, both without maintenance time. */
  readonly windowLengthMs: number;
  readonly elapsedMs: number;
  /** Time excluded by maintenance windows inside `(start, at]`. */
  readonly excludedMs: number;
  readonly target: number;
  /** Events (or slices) counted in `(start, at]`, maintenance excluded. */
  readonly good: number;
  readonly bad: number;
  readonly total: number;
  /** good / total; null when the window holds no events (see `attainmentReason`). */
  readonly attainment: number | null;
  readonly attainmentReason: 'ok' | 'no-data';
  readonly errorBudget: ErrorBudget;
  readonly burnRates: readonly BurnRate[];
  readonly exhaustion: Exhaustion;
  readonly status: SLOStatusLevel;
  /** Why the status is what it is, in words. */
  readonly statusReason: string;
}

/** Options of `evaluateSLO`. */
export interface EvaluateOptions {
  /** Evaluation time; default: the last event timestamp (or 0 with no events). */
  readonly at?: number;
  /** Windows (ms) to report burn rates for; default: every tier's long and short window and the projection window. */
  readonly burnRateWindows?: readonly number[];
  /** Maintenance windows in addition to the SLO's own. */
  readonly maintenance?: readonly MaintenanceWindow[];
}

/** Default burn-rate windows of an SLO, ascending and unique. @internal */
export function defaultBurnWindows(slo: SLO): number[] {
  const set = new Set<number>([slo.projectionWindowMs]);
  for (const t of slo.alertTiers) {
    set.add(t.longWindowMs);
    set.add(t.shortWindowMs);
  }
  return [...set].sort((a, b) => a - b);
}

/** Burn rate from good/total in a window. @internal */
export function burnFrom(slo: SLO, good: number, total: number, windowMs: number): BurnRate {
  const errorRatio = total > 0 ? (total - good) / total : 0;
  return { windowMs, burnRate: errorRatio / slo.errorBudget, errorRatio, good, total };
}

/**
 * Evaluates an SLO at one instant from prepared units. @internal
 */
export function statusFromUnits(slo: SLO, units: BudgetUnits, at: number, burnWindows: readonly number[]): SLOStatus {
  const bounds = windowBounds(slo.window, at);
  const start = bounds.start;
  const excludedMs = units.excludedMs(start, at);
  const windowLengthMs = Math.max(0, bounds.end - start - units.excludedMs(start, bounds.end));
  const elapsedMs = Math.max(0, at - start - excludedMs);
  const { good, total } = units.sum(start, at);
  const bad = total - good;
  const errorRatio = total > 0 ? bad / total : 0;
  const budget = slo.errorBudget;
  // Shares of the whole-window budget. The bad share of the elapsed time is errorRatio x elapsed; the budget is
  // budget x window length. For a rolling window elapsed = window length, so consumed = errorRatio / budget.
  const timeTotal = budget * windowLengthMs;
  const timeConsumed = errorRatio * elapsedMs;
  const ratioConsumed = timeTotal > 0 ? timeConsumed / timeTotal : 0;
  // Events expected over the whole window, extrapolating the traffic seen so far.
  const expectedEvents = elapsedMs > 0 ? (total * windowLengthMs) / elapsedMs : 0;
  const eventsTotal = budget * expectedEvents;
  const errorBudget: ErrorBudget = {
    ratio: { total: 1, consumed: ratioConsumed, remaining: 1 - ratioConsumed },
    events: { total: eventsTotal, consumed: bad, remaining: eventsTotal - bad },
    timeMs: { total: timeTotal, consumed: timeConsumed, remaining: timeTotal - timeConsumed },
  };
  const burnRates = burnWindows.map((w) => {
    const s = units.sum(at - w, at);
    return burnFrom(slo, s.good, s.total, w);
  });
  const projection = units.sum(at - slo.projectionWindowMs, at);
  const recent = burnFrom(slo, projection.good, projection.total, slo.projectionWindowMs);
  const remaining = errorBudget.ratio.remaining;
  let exhaustion: Exhaustion;
  if (remaining <= 0) exhaustion = { state: 'exhausted', at, inMs: 0, burnRate: recent.burnRate, windowMs: recent.windowMs };
  else if (recent.burnRate <= 0 || windowLengthMs <= 0) exhaustion = { state: 'not-burning', at: null, inMs: null, burnRate: recent.burnRate, windowMs: recent.windowMs };
  else {
    // Burning at rate b consumes b / windowLength of the budget per ms.
    const inMs = Math.min((remaining * windowLengthMs) / recent.burnRate, Number.MAX_SAFE_INTEGER);
    exhaustion = { state: 'projected', at: at + inMs, inMs, burnRate: recent.burnRate, windowMs: recent.windowMs };
  }
  const horizon = slo.status.atRiskExhaustionWithinMs ?? (slo.window.kind === 'calendar' ? bounds.end - at : windowLengthMs / 10);
  let status: SLOStatusLevel;
  let statusReason: string;
  if (remaining < 0) {
    status = 'breached';
    statusReason = `error budget overspent: ${formatPercent(-remaining)} over`;
  } else if (exhaustion.state === 'exhausted') {
    status = 'at-risk';
    statusReason = 'error budget exactly used up';
  } else if (remaining < slo.status.atRiskRemaining) {
    status = 'at-risk';
    statusReason = `${formatPercent(remaining)} of the error budget left (at risk below ${formatPercent(slo.status.atRiskRemaining)})`;
  } else if (exhaustion.state === 'projected' && (exhaustion.inMs as number) <= horizon) {
    status = 'at-risk';
    statusReason = `budget runs out in ${formatBudgetTime(exhaustion.inMs as number)} at the current burn rate`;
  } else {
    status = 'healthy';
    statusReason = total > 0 ? `${formatPercent(remaining)} of the error budget left` : 'no events in the window';
  }
  return {
    slo: slo.name,
    at,
    window: { start, end: bounds.end },
    windowLengthMs,
    elapsedMs,
    excludedMs,
    target: slo.target,
    good,
    bad,
    total,
    attainment: total > 0 ? good / total : null,
    attainmentReason: total > 0 ? 'ok' : 'no-data',
    errorBudget,
    burnRates,
    exhaustion,
    status,
    statusReason,
  };
}

function formatPercent(share: number): string {
  return `${(Math.round(share * 1000) / 10).toString()}%`;
}

function checkWindows(list: unknown, path: string): number[] {
  if (!Array.isArray(list)) throw new ValidationError(path, 'an array of window lengths in ms', list);
  return list.map((w: unknown, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w <= 0) throw new ValidationError(`${path}[${i}]`, 'a window length in ms > 0', w);
    return w;
  });
}

/** The last event timestamp (the default evaluation time), 0 with no events; validation comes later. */
function lastTimestamp(events: SLIEvents): number {
  const timestamps = events !== null && typeof events === 'object' ? events.timestamps : undefined;
  if (!(timestamps instanceof Float64Array) || timestamps.length === 0) return 0;
  return timestamps[timestamps.length - 1] as number;
}

/** Checks an evaluation time. @internal */
export function checkTime(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ValidationError(path, 'a finite epoch-millisecond time', value);
  return value;
}

/**
 * Evaluates an SLO at one instant: attainment, error budget (as a ratio, in events and as time), burn rates,
 * projected exhaustion and status. Outputs are always finite numbers; with no events attainment is null
 * (`attainmentReason: 'no-data'`), burn rates are 0 and no budget is consumed.
 *
 * See `docs/slo.md` for the definitions. In short, for a window `(start, end]` evaluated at `at`:
 * - consumed share = errorRatio x elapsed / ((1 - target) x window length), so for rolling windows it is the burn
 *   rate over the whole window, and for calendar windows it grows from 0 at the period start;
 * - exhaustion = at + remaining share x window length / burn rate over `projectionWindow`;
 * - breached when remaining < 0; at risk when remaining < 25% (configurable), exactly 0, or exhaustion is
 *   projected within the horizon; otherwise healthy.
 *
 * @throws ValidationError for malformed events or options.
 * @example
 * const slo = defineSLO({ name: 'api', sli: { kind: 'ratio' }, target: 0.99, window: { duration: '1d' } });
 * const events = eventsFromCounts({ timestamps: [3_600_000], good: [990], total: [1000] });
 * evaluateSLO(slo, events, { at: 3_600_000 }).errorBudget.ratio.consumed; // 1 (the window's whole budget)
 */
export function evaluateSLO(slo: SLO, events: SLIEvents, options: EvaluateOptions = {}): SLOStatus {
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an options object', options);
  const at = options.at === undefined ? lastTimestamp(events) : checkTime(options.at, 'options.at');
  const windows = options.burnRateWindows === undefined ? defaultBurnWindows(slo) : checkWindows(options.burnRateWindows, 'options.burnRateWindows');
  const maintenance = options.maintenance ?? [];
  if (slo.timeslice === null && slo.maintenance.length === 0 && Array.isArray(maintenance) && maintenance.length === 0) {
    // Occurrences without maintenance: the units are the events, and every window ends at `at`. One backward pass
    // validates the events and sums every window (the budget window, each burn-rate window, the projection window).
    const froms = [windowBounds(slo.window, at).start, at - slo.projectionWindowMs, ...windows.map((w) => at - w)];
    const sums = validateAndSumWindows(events, at, froms);
    const units = new BudgetUnits(events.timestamps, events.good, events.total, [], false);
    units.presum(at, froms, sums.good, sums.total);
    return statusFromUnits(slo, units, at, windows);
  }
  // Timeslices or maintenance: build the units (validating first), then sum the few nested windows directly.
  const units = budgetUnits(slo, events, maintenance, true, false);
  return statusFromUnits(slo, units, at, windows);
}

/**
 * The burn rate over one trailing window `(at - windowMs, at]`: error ratio / (1 - target). 0 with no events.
 *
 * @example
 * burnRate(slo, events, 3_600_000, Date.now()).burnRate; // 14.4 means a 30-day budget lasts 50 hours
 */
export function burnRate(slo: SLO, events: SLIEvents, windowMs: number, at: number, maintenance: readonly MaintenanceWindow[] = []): BurnRate {
  const [w] = checkWindows([windowMs], 'windowMs');
  const t = checkTime(at, 'at');
  const units = budgetUnits(slo, events, maintenance, true, false);
  const s = units.sum(t - (w as number), t);
  return burnFrom(slo, s.good, s.total, w as number);
}

/**
 * Formats a budget time for people: days, hours and minutes, at most two parts (`3h 12m`, `2d 4h`, `45s`,
 * `-1h 5m` when overspent, `0m` for nothing).
 *
 * @example
 * formatBudgetTime(11_520_000); // "3h 12m"
 */
export function formatBudgetTime(ms: number): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new ValidationError('ms', 'a finite number of milliseconds', ms);
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 60_000) return rest < 1000 ? '0m' : `${sign}${Math.floor(rest / 1000)}s`;
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000]] as const) {
    if (rest >= size && parts.length < 2) {
      const count = Math.floor(rest / size);
      parts.push(`${count}${unit}`);
      rest -= count * size;
    } else if (parts.length > 0 && parts.length < 2) break;
  }
  return sign + parts.join(' ');
}

/*
 * Pure view models of the SLO components: what each row and chip shows, derived from the engine's outputs.
 */
import type { AlertInterval, AlertTier, ComplianceReport, SLO, SLOStatus } from '@vigil/core/slo';
import { toCsv, type CsvValue } from '@vigil/core/series';
import { SLO_STATUS_ORDER, sloTitle } from './format';

/** How alarming a burn rate is for one window: above a tier's threshold (page or other), or calm. */
export type BurnLevel = 'page' | 'ticket' | 'calm';

/** A burn-rate chip: window, rate and the tier thresholds that window is checked against. */
export interface BurnChip {
  readonly windowMs: number;
  readonly burnRate: number;
  readonly level: BurnLevel;
  /** The lowest threshold of the tiers using this window (long or short), or null when none does. */
  readonly threshold: number | null;
  /** Name of the most severe tier whose threshold the burn rate is above. */
  readonly tier: string | null;
}

/** `page` severities (or any tier named so) rank above the others. */
function isPage(tier: AlertTier): boolean {
  return tier.severity.toLowerCase() === 'page' || tier.severity.toLowerCase() === 'critical';
}

/**
 * Chips for the burn rates of a status: each window's rate and whether it is above the threshold of a tier that
 * watches that window. Rates strictly above a threshold count, as the alert condition does.
 *
 * @example
 * burnChips(slo, status).map((c) => c.level); // ['page', 'page', 'calm', ...]
 */
export function burnChips(slo: SLO, status: SLOStatus, windows?: readonly number[]): BurnChip[] {
  const wanted = windows === undefined ? null : new Set(windows);
  return status.burnRates
    .filter((b) => wanted === null || wanted.has(b.windowMs))
    .map((b) => {
      const tiers = slo.alertTiers.filter((t) => t.reachable && (t.longWindowMs === b.windowMs || t.shortWindowMs === b.windowMs));
      const threshold = tiers.length === 0 ? null : Math.min(...tiers.map((t) => t.burnRate));
      const over = tiers.filter((t) => b.burnRate > t.burnRate);
      const page = over.find(isPage);
      const worst = page ?? over[0];
      return { windowMs: b.windowMs, burnRate: b.burnRate, level: worst === undefined ? 'calm' : page ? 'page' : 'ticket', threshold, tier: worst?.name ?? null };
    });
}

/** One row of the burn-rate table: a tier and how it stands now. */
export interface TierRow {
  readonly tier: string;
  readonly severity: string;
  readonly order: number;
  readonly longWindowMs: number;
  readonly shortWindowMs: number;
  /** Burn rates now; null when the status does not report that window. */
  readonly longBurnRate: number | null;
  readonly shortBurnRate: number | null;
  readonly threshold: number;
  readonly reachable: boolean;
  /** Firing now: an open alert interval, or (without alert history) both windows above the threshold now. */
  readonly firing: boolean;
  /** Start of the open alert interval, when known. */
  readonly firingSince: number | null;
  /**
   * Projected exhaustion at this tier's long-window burn rate: the open alert's `exhaustionAt` when firing, else
   * now + remaining x window / long burn rate. null when that burn rate is 0; the evaluation time when exhausted.
   */
  readonly exhaustionAt: number | null;
}

/**
 * Rows of the burn-rate table from the definition, the status at one instant and (optionally) the alert history.
 *
 * @example
 * tierRows(slo, evaluateSLO(slo, events), evaluateAlertHistory(slo, events, { range, stepMs: 60_000 }));
 */
export function tierRows(slo: SLO, status: SLOStatus, alerts?: readonly AlertInterval[]): TierRow[] {
  const burnAt = (windowMs: number): number | null => status.burnRates.find((b) => b.windowMs === windowMs)?.burnRate ?? null;
  const remaining = status.errorBudget.ratio.remaining;
  return slo.alertTiers.map((tier, order) => {
    const longBurnRate = burnAt(tier.longWindowMs);
    const shortBurnRate = burnAt(tier.shortWindowMs);
    const open = alerts?.find((a) => a.tier === tier.name && a.end === null);
    const firing = alerts !== undefined ? open !== undefined : tier.reachable && longBurnRate !== null && shortBurnRate !== null && longBurnRate > tier.burnRate && shortBurnRate > tier.burnRate;
    let exhaustionAt: number | null;
    if (open !== undefined) exhaustionAt = open.exhaustionAt;
    else if (remaining <= 0) exhaustionAt = status.at;
    else if (longBurnRate === null || longBurnRate <= 0 || status.windowLengthMs <= 0) exhaustionAt = null;
    else exhaustionAt = status.at + Math.min((remaining * status.windowLengthMs) / longBurnRate, Number.MAX_SAFE_INTEGER);
    return {
      tier: tier.name,
      severity: tier.severity,
      order,
      longWindowMs: tier.longWindowMs,
      shortWindowMs: tier.shortWindowMs,
      longBurnRate,
      shortBurnRate,
      threshold: tier.burnRate,
      reachable: tier.reachable,
      firing,
      firingSince: open?.start ?? null,
      exhaustionAt,
    };
  });
}

/** One SLO in a list: the definition and its status now (null while unknown). */
export interface SLOListItem {
  readonly slo: SLO;
  readonly status: SLOStatus | null | undefined;
}

/**
 * Most urgent first: less budget remaining first; then worse status, sooner exhaustion, then name. Items without a
 * status go last.
 *
 * @example
 * [...items].sort(compareUrgency);
 */
export function compareUrgency(a: SLOListItem, b: SLOListItem): number {
  const sa = a.status ?? null;
  const sb = b.status ?? null;
  if (sa === null || sb === null) return sa === sb ? sloTitle(a.slo).localeCompare(sloTitle(b.slo)) : sa === null ? 1 : -1;
  return (
    sa.errorBudget.ratio.remaining - sb.errorBudget.ratio.remaining ||
    SLO_STATUS_ORDER[sb.status] - SLO_STATUS_ORDER[sa.status] ||
    (sa.exhaustion.inMs ?? Infinity) - (sb.exhaustion.inMs ?? Infinity) ||
    sloTitle(a.slo).localeCompare(sloTitle(b.slo))
  );
}

/** Every `key=value` label of an item, plus `service=<service>` when set. */
export function itemLabels(slo: SLO): string[] {
  const out = Object.entries(slo.labels).map(([k, v]) => `${k}=${v}`);
  if (slo.service !== null && slo.labels['service'] === undefined) out.unshift(`service=${slo.service}`);
  return out;
}

/**
 * Items whose labels include every selected `key=value` chip and whose name, display name, service or labels contain
 * the text (case-insensitive).
 *
 * @example
 * filterItems(items, ['team=payments'], 'checkout');
 */
export function filterItems<T extends SLOListItem>(items: readonly T[], labels: readonly string[], text: string): T[] {
  const needle = text.trim().toLowerCase();
  return items.filter((item) => {
    const own = itemLabels(item.slo);
    if (!labels.every((l) => own.includes(l))) return false;
    if (needle === '') return true;
    const haystack = [item.slo.name, item.slo.displayName, item.slo.service ?? '', ...own].join('\n').toLowerCase();
    return haystack.includes(needle);
  });
}

/** Label chips to offer: every `key=value` in the items, with counts, sorted by key then value. */
export function labelOptions(items: readonly SLOListItem[]): { readonly label: string; readonly count: number }[] {
  const counts = new Map<string, number>();
  for (const item of items) for (const l of itemLabels(item.slo)) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([label, count]) => ({ label, count }));
}

/**
 * A compliance report as CSV text (through `toCsv`, so names cannot smuggle spreadsheet formulas): one row per period
 * with start and end (ISO 8601), events, attainment, target, met, budget consumed and whether the period is complete.
 *
 * @example
 * complianceCsv(report); // "slo,period_start,period_end,...\ncheckout,2025-01-06T00:00:00.000Z,..."
 */
export function complianceCsv(report: ComplianceReport): string {
  const rows: CsvValue[][] = [['slo', 'period_start', 'period_end', 'complete', 'good', 'bad', 'total', 'attainment', 'target', 'met', 'budget_consumed', 'excluded_ms']];
  for (const p of report.periods) {
    rows.push([
      report.slo,
      new Date(p.start).toISOString(),
      new Date(p.end).toISOString(),
      p.complete,
      p.good,
      p.bad,
      p.total,
      p.attainment,
      report.target,
      p.met === null ? '' : p.met ? 'met' : 'missed',
      p.budgetConsumed,
      p.excludedMs,
    ]);
  }
  return toCsv(rows);
}

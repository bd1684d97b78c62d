import type { SLO, SLOStatusLevel } from '@vigil/core/slo';
import { formatBudgetTime } from '@vigil/core/slo';
import type { HealthState } from '../status/status';

/** Words for each SLO status level; shown beside an icon, never colour alone. */
export const SLO_STATUS_LABELS: Readonly<Record<SLOStatusLevel, string>> = {
  healthy: 'Healthy',
  'at-risk': 'At risk',
  breached: 'Breached',
};

/** The health state (colour token and icon shape) of an SLO status level. */
export const SLO_STATUS_HEALTH: Readonly<Record<SLOStatusLevel, HealthState>> = {
  healthy: 'ok',
  'at-risk': 'warning',
  breached: 'critical',
};

/** Severity order of SLO status levels, worst last. */
export const SLO_STATUS_ORDER: Readonly<Record<SLOStatusLevel, number>> = { healthy: 0, 'at-risk': 1, breached: 2 };

/**
 * A share as a percentage with up to `decimals` decimals and no trailing zeros: `0.99942 → "99.94%"`. Values within
 * half a unit of the last decimal of 100% but below it keep more decimals, so 99.9996% never prints as "100%".
 *
 * @example
 * formatShare(0.999); // "99.9%"
 * formatShare(-0.125); // "-12.5%"
 */
export function formatShare(share: number, decimals = 2): string {
  if (!Number.isFinite(share)) return '—';
  let d = decimals;
  let text = (share * 100).toFixed(d);
  // Never round a value below 100% up to 100%, nor a value above 0 down to 0.
  while (d < 6 && ((share < 1 && Number(text) >= 100) || (share > 0 && Number(text) <= 0))) {
    d++;
    text = (share * 100).toFixed(d);
  }
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  if (text === '-0') text = '0';
  return `${text}%`;
}

/**
 * A burn rate as a multiple: `14.4 → "14.4×"`, `0.0312 → "0.03×"`, `1520 → "1,520×"`.
 *
 * @example
 * formatBurnRate(6); // "6×"
 */
export function formatBurnRate(rate: number): string {
  if (!Number.isFinite(rate)) return '—';
  const abs = Math.abs(rate);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  const text = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }).format(rate);
  return `${text}×`;
}

const WINDOW_UNITS: readonly (readonly [string, number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/**
 * A window length in Prometheus style, largest unit first: `300000 → "5m"`, `5400000 → "1h30m"`, `259200000 → "3d"`.
 *
 * @example
 * formatWindow(21_600_000); // "6h"
 */
export function formatWindow(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0s';
  let rest = Math.round(ms);
  let text = '';
  for (const [unit, size] of WINDOW_UNITS) {
    if (rest >= size) {
      const count = Math.floor(rest / size);
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return text === '' ? `${rest}ms` : text;
}

/**
 * The budget left as time, for people: `"3h 12m left"`, or `"overspent by 1h 5m"` once negative.
 *
 * @example
 * budgetTimeText(11_520_000); // "3h 12m left"
 */
export function budgetTimeText(remainingMs: number): string {
  if (!Number.isFinite(remainingMs)) return '—';
  if (remainingMs < 0) return `overspent by ${formatBudgetTime(-remainingMs)}`;
  return `${formatBudgetTime(remainingMs)} left`;
}

/** Display name of an SLO: its `displayName`, else its `name`. */
export function sloTitle(slo: SLO): string {
  return slo.displayName !== '' ? slo.displayName : slo.name;
}

const dateTimeFormats = /* @__PURE__ */ new Map<string, Intl.DateTimeFormat>();

/**
 * Date and time to the minute in a time zone (`'UTC'` by default, so server and client agree).
 *
 * @example
 * formatDateTime(Date.UTC(2025, 2, 14, 9, 5)); // "Mar 14, 09:05"
 */
export function formatDateTime(time: number, timeZone = 'UTC', withYear = false): string {
  if (!Number.isFinite(time)) return '—';
  const key = `${timeZone}|${withYear ? 'y' : ''}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(withYear ? { year: 'numeric' } : {}) });
    dateTimeFormats.set(key, format);
  }
  return format.format(time);
}

/** True for a finite number. */
export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

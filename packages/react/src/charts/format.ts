/** Formatting shared by the axes, tooltip and summary. Pure. */

const compact = /* @__PURE__ */ new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
const grouped = /* @__PURE__ */ new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * A value with at most 3 significant digits and SI-like suffixes above 10,000 (12.3k, 4.5M).
 *
 * @example
 * formatChartValue(1234.5) // "1,230"
 * formatChartValue(12_345_678) // "12.3M"
 */
export function formatChartValue(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? '–' : value > 0 ? '∞' : '-∞';
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${compact.format(value / 1e9)}G`;
  if (abs >= 1e6) return `${compact.format(value / 1e6)}M`;
  if (abs >= 1e4) return `${compact.format(value / 1e3)}k`;
  return compact.format(value);
}

/** A value with its unit: `12.3 ms`, `99.9%` (no space before `%`). */
export function withUnit(text: string, unit: string | undefined): string {
  if (unit === undefined || unit === '') return text;
  return unit === '%' ? `${text}%` : `${text} ${unit}`;
}

/** A count rounded to a whole number, with thousands separators: 1000000 → "1,000,000", 34514.7 → "34,515". */
export function formatCount(count: number): string {
  return grouped.format(count);
}

const formatters = /* @__PURE__ */ new Map<string, Intl.DateTimeFormat>();

/**
 * Date and time to the second, in local time or UTC.
 *
 * @example
 * formatChartTime(Date.UTC(2024, 0, 2, 3, 4, 5), 'utc') // "Jan 2, 2024, 03:04:05"
 */
export function formatChartTime(time: number, timeZone: 'local' | 'utc' = 'local'): string {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      ...(timeZone === 'utc' ? { timeZone: 'UTC' } : {}),
    });
    formatters.set(timeZone, formatter);
  }
  return Number.isFinite(time) ? formatter.format(time) : '–';
}

const tickFormatters = /* @__PURE__ */ new Map<string, Intl.DateTimeFormat>();

/**
 * An x-axis tick label, in 24-hour time so "12:05" can never mean 00:05: the coarsest unit the tick sits on decides
 * what is shown (`14:30:15`, `14:30`, `Mon 23`, `Nov`, `2026`), as axes usually read.
 *
 * @example
 * formatTimeTick(Date.UTC(2026, 10, 23, 0, 5), 'utc') // "00:05"
 * formatTimeTick(Date.UTC(2026, 10, 23), 'utc') // "Mon 23"
 */
export function formatTimeTick(time: number, timeZone: 'local' | 'utc' = 'local'): string {
  if (!Number.isFinite(time)) return '–';
  let formatter = tickFormatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      ...(timeZone === 'utc' ? { timeZone: 'UTC' } : {}),
    });
    tickFormatters.set(timeZone, formatter);
  }
  const part: Record<string, string> = {};
  for (const { type, value } of formatter.formatToParts(time)) part[type] = value;
  const hhmm = `${part['hour']}:${part['minute']}`;
  if (part['second'] !== '00') return `${hhmm}:${part['second']}`;
  if (hhmm !== '00:00') return hhmm;
  if (part['day'] !== '1') return `${part['weekday']} ${part['day']}`;
  if (part['month'] !== 'Jan') return part['month'] ?? '';
  return part['year'] ?? '';
}

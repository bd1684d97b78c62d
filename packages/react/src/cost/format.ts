import { formatNumber, formatValue } from '../utils/format';

/** The word shown instead of a price for a model the catalogue does not know: never "$0". */
export const UNPRICED_TEXT = 'Unpriced';

/**
 * US dollars for people: cents for ordinary amounts, more digits for tiny unit costs, k/M for large ones.
 * Non-finite values give `—`.
 *
 * @example
 * formatUsd(1234.5);  // "$1.23k"
 * formatUsd(0.00042); // "$0.00042"
 */
export function formatUsd(value: number, options: { readonly compact?: boolean } = {}): string {
  if (!Number.isFinite(value)) return '—';
  const sign = value < 0 ? '−' : '';
  const abs = Math.abs(value);
  if (abs === 0) return '$0.00';
  if (abs >= 10_000 || (options.compact === true && abs >= 1_000)) {
    const units: [number, string][] = [[1e9, 'B'], [1e6, 'M'], [1e3, 'k']];
    for (const [factor, unit] of units) if (abs >= factor) return `${sign}$${formatNumber(abs / factor, 3)}${unit}`;
  }
  if (abs >= 1) return `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (abs >= 0.01) return `${sign}$${abs.toFixed(abs >= 0.1 ? 2 : 3)}`;
  return `${sign}$${formatNumber(abs, 2)}`;
}

/** A savings range: "$76/mo (range $50–$100)". */
export function formatSavingsRange(savings: { readonly low: number; readonly expected: number; readonly high: number }): string {
  return `${formatUsd(savings.expected, { compact: true })}/mo (range ${formatUsd(savings.low, { compact: true })}–${formatUsd(savings.high, { compact: true })})`;
}

/** Milliseconds as "740 ms" / "1.2 s". */
export function formatDuration(ms: number): string {
  return formatValue(ms, 'ms', { precision: 3 });
}

/** A 0–1 share as a percentage with `digits` decimals. */
export function formatPercent(share: number, digits = 1): string {
  if (!Number.isFinite(share)) return '—';
  return `${(share * 100).toFixed(digits)}%`;
}

/**
 * The spend of an aggregate row as text, honest about unpriced traffic: "Unpriced" when nothing in the row has a
 * price, "$12.30 + 40 unpriced" when part of it has none.
 *
 * @example
 * spendText({ spend: 0, pricedRequests: 0, unpricedRequests: 12 }); // "Unpriced"
 */
export function spendText(row: { readonly spend: number; readonly pricedRequests: number; readonly unpricedRequests: number }): string {
  if (row.pricedRequests === 0 && row.unpricedRequests > 0) return UNPRICED_TEXT;
  const spent = formatUsd(row.spend);
  return row.unpricedRequests > 0 ? `${spent} + ${formatNumber(row.unpricedRequests, 3)} unpriced` : spent;
}

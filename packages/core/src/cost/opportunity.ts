import { ValidationError } from '../errors';
import type { CsvValue } from '../series';
import { toCsv } from '../series';

/** The kinds of savings the engine looks for. */
export type OpportunityKind =
  | 'model-switch'
  | 'prompt-caching'
  | 'batch'
  | 'failed-calls'
  | 'duplicate-requests'
  | 'runaway-outputs'
  | 'growing-contexts';

/** One fact behind a recommendation. */
export interface OpportunityEvidence {
  readonly label: string;
  readonly value: number | string;
  /** `USD`, `requests`, `%`, `ms`, `tokens`, `per hour`... */
  readonly unit?: string;
  readonly detail?: string;
}

/** A way to spend less, with its estimated monthly savings as a range and everything that supports it. */
export interface Opportunity {
  readonly id: string;
  readonly kind: OpportunityKind;
  readonly title: string;
  /** What it applies to, e.g. `{ feature: 'search', model: 'gpt-4o' }`. */
  readonly scope: Readonly<Record<string, string>>;
  /** US dollars per month (30.4375 days) at the observed traffic: low <= expected <= high, all >= 0. */
  readonly monthlySavings: { readonly low: number; readonly expected: number; readonly high: number };
  readonly confidence: 'high' | 'medium' | 'low';
  readonly effort: 'low' | 'medium' | 'high';
  readonly evidence: readonly OpportunityEvidence[];
}

/** Days in an average month. */
export const MONTH_DAYS = 365.25 / 12;
const DAY_MS = 86_400_000;

/** Scale from the observed window to a month; the window counts at least one day. */
export function monthlyFactor(timestamps: Float64Array, mask: Uint8Array | undefined, windowDays: number | undefined): number {
  if (windowDays !== undefined) {
    if (!(typeof windowDays === 'number' && windowDays > 0 && Number.isFinite(windowDays))) throw new ValidationError('options.windowDays', 'a number of days > 0', windowDays);
    return MONTH_DAYS / windowDays;
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < timestamps.length; i++) {
    if (mask !== undefined && mask[i] === 0) continue;
    const t = timestamps[i]!;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  if (!(max >= min)) return 0;
  return MONTH_DAYS / Math.max(1, (max - min) / DAY_MS);
}

/** A savings range with low <= expected <= high, clamped at 0 and rounded to a tenth of a cent. */
export function savingsRange(low: number, expected: number, high: number): Opportunity['monthlySavings'] {
  const clean = (x: number) => (Number.isFinite(x) && x > 0 ? Math.round(x * 1000) / 1000 : 0);
  const values = [clean(low), clean(expected), clean(high)].sort((a, b) => a - b);
  return { low: values[0]!, expected: values[1]!, high: values[2]! };
}

/**
 * Opportunities as CSV (one row each, evidence flattened into one cell), formula injection neutralised by
 * `toCsv`.
 *
 * @example
 * const csv = opportunitiesToCsv(findOpportunities(table, priced, options));
 */
export function opportunitiesToCsv(opportunities: readonly Opportunity[]): string {
  if (!Array.isArray(opportunities)) throw new ValidationError('opportunities', 'an array of opportunities', opportunities);
  const rows: CsvValue[][] = [['id', 'kind', 'title', 'scope', 'monthly_savings_low_usd', 'monthly_savings_expected_usd', 'monthly_savings_high_usd', 'confidence', 'effort', 'evidence']];
  for (const o of opportunities) {
    rows.push([
      o.id,
      o.kind,
      o.title,
      Object.entries(o.scope)
        .map(([k, v]) => `${k}=${v}`)
        .join('; '),
      o.monthlySavings.low,
      o.monthlySavings.expected,
      o.monthlySavings.high,
      o.confidence,
      o.effort,
      o.evidence.map((e: OpportunityEvidence) => `${e.label}: ${e.value}${e.unit ? ` ${e.unit}` : ''}`).join('; '),
    ]);
  }
  return toCsv(rows);
}

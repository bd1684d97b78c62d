import type { ReactNode } from 'react';
import type { UnpricedModel } from '@vigil/core/cost';
import { formatUsd } from '@vigil/react';
import { RANGE_LABEL, type RangeKey } from '../lib/params';
import type { CostViewState } from './useCostView';

export function Kpi({ id, label, value, note }: { readonly id: string; readonly label: string; readonly value: string; readonly note?: string | undefined }): ReactNode {
  return (
    <li className="cost-kpi" data-cost-kpi={id}>
      <div className="cost-kpi__label">{label}</div>
      <div className="cost-kpi__value">{value}</div>
      {note !== undefined && <div className="cost-kpi__note">{note}</div>}
    </li>
  );
}

/** "Nov 22, 01:00 – Nov 23, 01:00 UTC". */
export function windowText(start: number, end: number): string {
  const format = (t: number) => new Date(t).toLocaleString('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'UTC' });
  return `${format(start)} – ${format(end)} UTC`;
}

export function rangeWords(range: RangeKey): string {
  return RANGE_LABEL[range].toLowerCase();
}

/** The unpriced models, said plainly: they are not $0. */
export function unpricedNote(unpriced: readonly UnpricedModel[]): string | undefined {
  if (unpriced.length === 0) return undefined;
  return `${unpriced.map((u) => `${u.model} (${u.records.toLocaleString('en-US')} calls)`).join(', ')} not priced: no catalogue entry, so not counted as $0`;
}

export function totalText(total: number): string {
  return formatUsd(total);
}

/** Loading and error lines above a tab's content (the previous view stays visible meanwhile). */
export function CostStatus({ state }: { readonly state: CostViewState }): ReactNode {
  if (state.status === 'error') return <div className="cost-status" role="alert">Could not compute the cost view: {state.error}</div>;
  if (state.status === 'loading')
    return (
      <div className="cost-status" role="status" aria-live="polite">
        {state.view ? 'Updating for the new range…' : 'Pricing a week of simulated LLM usage…'}
      </div>
    );
  return null;
}

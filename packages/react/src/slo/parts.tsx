import type { CSSProperties, ReactNode } from 'react';
import type { SLOStatusLevel } from '@vigil/core/slo';
import { StatusBadge, StatusIcon } from '../status/StatusIcon';
import { describeError } from '../utils/errors';
import { SLO_STATUS_HEALTH, SLO_STATUS_LABELS, formatShare } from './format';

/*
 * Shared pieces of the SLO components. Styles are inline objects of `--vigil-*` tokens (as the charts do), so the
 * components look right with only the theme's variables loaded; class names on each element let hosts override.
 */

export const panelStyle: CSSProperties = {
  boxSizing: 'border-box',
  minWidth: 0,
  margin: 0,
  padding: 'var(--vigil-space-3, 12px) var(--vigil-space-4, 16px)',
  border: '1px solid var(--vigil-border)',
  borderRadius: 'var(--vigil-radius, 6px)',
  background: 'var(--vigil-surface)',
  color: 'var(--vigil-fg)',
  fontFamily: 'var(--vigil-font)',
  fontSize: '0.875rem',
  boxShadow: 'var(--vigil-shadow)',
};

export const headingStyle: CSSProperties = { margin: 0, fontSize: '0.9375rem', fontWeight: 600, lineHeight: 1.3, color: 'var(--vigil-fg)' };
export const mutedStyle: CSSProperties = { color: 'var(--vigil-fg-muted)' };
export const numericStyle: CSSProperties = { fontVariantNumeric: 'tabular-nums' };

export const tableStyle: CSSProperties = { width: '100%', borderCollapse: 'collapse', fontSize: '0.8125rem', ...numericStyle };
export const thStyle: CSSProperties = {
  padding: '6px 8px',
  borderBottom: '1px solid var(--vigil-border)',
  color: 'var(--vigil-fg-muted)',
  fontWeight: 600,
  textAlign: 'start',
  whiteSpace: 'nowrap',
};
export const tdStyle: CSSProperties = { padding: '6px 8px', borderBottom: '1px solid var(--vigil-grid)', textAlign: 'start', verticalAlign: 'middle' };

/** A header button that sorts its column; looks like header text. */
export const sortButtonStyle: CSSProperties = {
  display: 'inline-flex',
  alignItems: 'center',
  gap: 4,
  margin: 0,
  padding: '2px 4px',
  marginInline: -4,
  border: 0,
  borderRadius: 4,
  background: 'transparent',
  color: 'inherit',
  font: 'inherit',
  fontWeight: 600,
  cursor: 'pointer',
};

export const buttonStyle: CSSProperties = {
  display: 'inline-flex',
  alignItems: 'center',
  gap: 6,
  padding: '4px 10px',
  border: '1px solid var(--vigil-border)',
  borderRadius: 'var(--vigil-radius, 6px)',
  background: 'var(--vigil-surface-raised)',
  color: 'var(--vigil-fg)',
  font: 'inherit',
  fontSize: '0.8125rem',
  cursor: 'pointer',
};

/** Status level as icon shape, words and colour. */
export function SLOStatusBadge({ status, className }: { readonly status: SLOStatusLevel; readonly className?: string | undefined }): ReactNode {
  return <StatusBadge status={SLO_STATUS_HEALTH[status]} label={SLO_STATUS_LABELS[status]} {...(className === undefined ? {} : { className })} />;
}

/** Arrow showing a column's sort direction; the direction itself is on the header's aria-sort. */
export function SortArrow({ direction }: { readonly direction: 'asc' | 'desc' | false }): ReactNode {
  return (
    <span aria-hidden="true" style={{ display: 'inline-block', width: '1em', color: direction === false ? 'var(--vigil-grid)' : 'var(--vigil-fg-muted)' }}>
      {direction === 'asc' ? '▲' : direction === 'desc' ? '▼' : '↕'}
    </span>
  );
}

/** Placeholder lines while loading, with words for screen readers. */
export function LoadingBody({ label, lines = 3 }: { readonly label: string; readonly lines?: number }): ReactNode {
  return (
    <div className="vigil-slo-loading" style={{ display: 'grid', gap: 8, padding: '4px 0' }}>
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} className="vigil-skeleton" aria-hidden="true" style={{ height: 14, width: `${90 - i * 15}%` }} />
      ))}
      <span className="vigil-visually-hidden">Loading {label}…</span>
    </div>
  );
}

/** An error message with its code, announced to screen readers. */
export function ErrorBody({ error }: { readonly error: unknown }): ReactNode {
  const { message, code } = describeError(error);
  return (
    <div className="vigil-error-state" role="alert">
      <StatusIcon status="critical" />
      <span>
        <span className="vigil-visually-hidden">Error: </span>
        {message}
        {code !== undefined && <span className="vigil-error-state__code"> ({code})</span>}
      </span>
    </div>
  );
}

/** A dashed box saying there is nothing to show. */
export function EmptyBody({ children }: { readonly children: ReactNode }): ReactNode {
  return (
    <p className="vigil-slo-empty" style={{ margin: 0, padding: 12, border: '1px dashed var(--vigil-border)', borderRadius: 'var(--vigil-radius, 6px)', color: 'var(--vigil-fg-muted)' }}>
      {children}
    </p>
  );
}

/** True when `error` should be shown (anything but undefined, null and false). */
export function hasError(error: unknown): boolean {
  return error !== undefined && error !== null && error !== false;
}

/** The colour token of a remaining budget share: critical below 0, warning below `atRisk`, ok otherwise. */
export function budgetColor(remaining: number, atRisk: number): string {
  if (remaining < 0) return 'var(--vigil-critical)';
  if (remaining < atRisk) return 'var(--vigil-warning)';
  return 'var(--vigil-ok)';
}

export interface BudgetBarProps {
  /** Remaining share of the budget (1 untouched, negative overspent). */
  readonly remaining: number;
  readonly atRisk: number;
  /** Accessible name of the meter. */
  readonly label: string;
  readonly width?: number | string;
  readonly height?: number;
}

/** Text a meter reads out for a remaining share: "42% of the error budget left" or "overspent by 12%". */
export function budgetValueText(remaining: number): string {
  return remaining < 0 ? `Error budget overspent by ${formatShare(-remaining, 1)}` : `${formatShare(remaining, 1)} of the error budget left`;
}

/**
 * A thin horizontal meter of the budget left, with a tick at the at-risk level. `role="meter"`, value in percent
 * clamped to [0, 100] (the text says by how much it is overspent).
 */
export function BudgetBar({ remaining, atRisk, label, width = '100%', height = 8 }: BudgetBarProps): ReactNode {
  const clamped = Math.max(0, Math.min(1, Number.isFinite(remaining) ? remaining : 0));
  return (
    <div
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(clamped * 1000) / 10}
      aria-valuetext={budgetValueText(remaining)}
      className="vigil-slo-budget-bar"
      style={{ position: 'relative', width, height, borderRadius: height / 2, background: 'var(--vigil-grid)', overflow: 'hidden', outline: '1px solid var(--vigil-border)', outlineOffset: -1 }}
    >
      <span style={{ position: 'absolute', insetBlock: 0, insetInlineStart: 0, width: `${clamped * 100}%`, background: budgetColor(remaining, atRisk) }} />
      <span aria-hidden="true" style={{ position: 'absolute', insetBlock: 0, insetInlineStart: `${atRisk * 100}%`, width: 1, background: 'var(--vigil-fg-muted)' }} />
    </div>
  );
}

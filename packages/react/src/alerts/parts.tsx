import type { CSSProperties, ReactNode } from 'react';
import { StatusIcon } from '../status/StatusIcon';
import type { HealthState } from '../status/status';

/*
 * Shared pieces of the alert components: form fields that carry their own error text (aria-invalid +
 * aria-describedby), label chips rendered as text, and a severity badge whose shape, word and colour all differ.
 * Styles are inline objects of `--vigil-*` tokens, as in the SLO and chart areas.
 */

export const fieldStyle: CSSProperties = { display: 'grid', gap: 4, minWidth: 0, margin: 0 };
export const labelStyle: CSSProperties = { fontSize: '0.8125rem', fontWeight: 600, color: 'var(--vigil-fg)' };
export const hintStyle: CSSProperties = { margin: 0, fontSize: '0.75rem', color: 'var(--vigil-fg-muted)' };
export const errorTextStyle: CSSProperties = { display: 'flex', gap: 4, alignItems: 'flex-start', margin: 0, fontSize: '0.75rem', color: 'var(--vigil-critical)', fontWeight: 600 };

export const inputStyle: CSSProperties = {
  boxSizing: 'border-box',
  minWidth: 0,
  width: '100%',
  padding: '5px 8px',
  border: '1px solid var(--vigil-border)',
  borderRadius: 'var(--vigil-radius, 6px)',
  background: 'var(--vigil-surface-raised)',
  color: 'var(--vigil-fg)',
  font: 'inherit',
  fontSize: '0.8125rem',
};

/** Input style for a field with an error: a thicker critical border (the message says it in words too). */
export function inputStyleFor(invalid: boolean): CSSProperties {
  return invalid ? { ...inputStyle, border: '1px solid var(--vigil-critical)', boxShadow: 'inset 0 0 0 1px var(--vigil-critical)' } : { ...inputStyle, boxShadow: 'none' };
}

export const fieldsetStyle: CSSProperties = {
  display: 'grid',
  gap: 10,
  minWidth: 0,
  margin: 0,
  padding: '10px 12px 12px',
  border: '1px solid var(--vigil-border)',
  borderRadius: 'var(--vigil-radius, 6px)',
};
export const legendStyle: CSSProperties = { padding: '0 4px', fontSize: '0.8125rem', fontWeight: 600, color: 'var(--vigil-fg)' };

export const primaryButtonStyle: CSSProperties = {
  display: 'inline-flex',
  alignItems: 'center',
  gap: 6,
  padding: '5px 12px',
  border: '1px solid var(--vigil-focus)',
  borderRadius: 'var(--vigil-radius, 6px)',
  background: 'var(--vigil-focus)',
  color: 'var(--vigil-surface)',
  font: 'inherit',
  fontSize: '0.8125rem',
  fontWeight: 600,
  cursor: 'pointer',
};

/**
 * Style of a toggle button: when on (`aria-pressed`), a stronger border and bold text, not colour alone. Both states
 * set the same properties, so React never removes one from under the `font` shorthand.
 */
export function toggleStyle(base: CSSProperties, on: boolean): CSSProperties {
  return on
    ? { ...base, border: '1px solid var(--vigil-fg)', boxShadow: 'inset 0 0 0 1px var(--vigil-fg)', fontWeight: 700 }
    : { ...base, border: '1px solid var(--vigil-border)', boxShadow: 'none', fontWeight: 400 };
}

/** The message under a field, with an icon (so the error does not rely on colour). Renders nothing without one. */
export function FieldError({ id, message }: { readonly id: string; readonly message: string | undefined }): ReactNode {
  if (message === undefined) return null;
  return (
    <p id={id} style={errorTextStyle} data-field-error="">
      <StatusIcon status="critical" style={{ marginTop: '0.1em' }} />
      <span>{message}</span>
    </p>
  );
}

/** `aria-describedby` for a field: its hint and its error, whichever exist. */
export function describedBy(...ids: readonly (string | false | undefined)[]): string | undefined {
  const list = ids.filter((id): id is string => typeof id === 'string' && id !== '');
  return list.length === 0 ? undefined : list.join(' ');
}

/** Label name=value pairs as plain text chips (never HTML), in a list with an accessible name. */
export function LabelChips({ labels, label, omit = [] }: { readonly labels: Readonly<Record<string, string>>; readonly label: string; readonly omit?: readonly string[] }): ReactNode {
  const entries = Object.entries(labels)
    .filter(([name]) => !omit.includes(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return null;
  return (
    <ul aria-label={label} className="vigil-alert-labels" style={{ display: 'flex', flexWrap: 'wrap', gap: 4, margin: 0, padding: 0, listStyle: 'none' }}>
      {entries.map(([name, value]) => (
        <li
          key={name}
          style={{
            maxWidth: '24rem',
            overflow: 'hidden',
            textOverflow: 'ellipsis',
            whiteSpace: 'nowrap',
            padding: '1px 6px',
            border: '1px solid var(--vigil-border)',
            borderRadius: 4,
            fontFamily: 'var(--vigil-font-mono)',
            fontSize: '0.75rem',
            color: 'var(--vigil-fg)',
            background: 'var(--vigil-surface-raised)',
          }}
          title={`${name}=${value}`}
        >
          <span style={{ color: 'var(--vigil-fg-muted)' }}>{name}=</span>
          {value}
        </li>
      ))}
    </ul>
  );
}

/** Severity words to health states (for the icon shape and colour). Unknown severities read as "unknown". */
export function severityHealth(severity: string | undefined): HealthState {
  if (severity === 'critical' || severity === 'page') return 'critical';
  if (severity === 'warning' || severity === 'ticket') return 'warning';
  if (severity === 'info' || severity === 'none') return 'ok';
  return 'unknown';
}

/** A severity as icon shape, word and colour. */
export function SeverityBadge({ severity }: { readonly severity: string }): ReactNode {
  const health = severityHealth(severity);
  return (
    <span className={`vigil-status-badge vigil-status--${health}`} data-severity={severity}>
      <StatusIcon status={health} />
      <span>{severity === '' ? 'no severity' : severity}</span>
    </span>
  );
}

/** Formats an epoch-ms instant as `YYYY-MM-DD HH:mm` in UTC or local time (24-hour, unambiguous). */
export function formatInstant(ms: number, timeZone: 'local' | 'utc' = 'local'): string {
  if (!Number.isFinite(ms)) return '—';
  const date = new Date(ms);
  const utc = timeZone === 'utc';
  const pad = (n: number) => String(n).padStart(2, '0');
  const y = utc ? date.getUTCFullYear() : date.getFullYear();
  const mo = (utc ? date.getUTCMonth() : date.getMonth()) + 1;
  const d = utc ? date.getUTCDate() : date.getDate();
  const h = utc ? date.getUTCHours() : date.getHours();
  const mi = utc ? date.getUTCMinutes() : date.getMinutes();
  return `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}${utc ? ' UTC' : ''}`;
}

/** A duration in ms as the largest two units: `2h 5m`, `45s`, `3d 4h`. */
export function formatElapsed(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const units: readonly [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  const out: string[] = [];
  let rest = Math.round(ms);
  let used = 0;
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    if (used === 0 && n === 0) continue;
    if (n > 0) out.push(`${n}${name}`);
    rest -= n * size;
    used += 1;
    if (used === 2) break;
  }
  if (out.length === 0) return ms < 1000 ? `${Math.round(ms)}ms` : '0s';
  return out.join(' ');
}

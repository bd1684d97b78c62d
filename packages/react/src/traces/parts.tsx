import { useCallback, useState, type CSSProperties, type ReactNode } from 'react';
import { SpanFlag, type TraceModel, type TraceWarningCode } from '@vigil/core/traces';
import { StatusIcon } from '../status/StatusIcon';

/*
 * Shared pieces of the trace components: inline styles of `--vigil-*` tokens (the house style), the warnings
 * disclosure, flag descriptions, and a controlled-or-uncontrolled state hook.
 */

export { EmptyBody, ErrorBody, LoadingBody, hasError, panelStyle, headingStyle, mutedStyle, numericStyle, buttonStyle, tableStyle, thStyle, tdStyle } from '../slo/parts';

export const inputStyle: CSSProperties = {
  boxSizing: 'border-box',
  padding: '3px 6px',
  border: '1px solid var(--vigil-border)',
  borderRadius: 4,
  background: 'var(--vigil-surface)',
  color: 'var(--vigil-fg)',
  font: 'inherit',
  fontSize: '0.8125rem',
};

export const smallButtonStyle: CSSProperties = {
  display: 'inline-flex',
  alignItems: 'center',
  gap: 4,
  padding: '3px 8px',
  border: '1px solid var(--vigil-border)',
  borderRadius: 4,
  background: 'var(--vigil-surface-raised)',
  color: 'var(--vigil-fg)',
  font: 'inherit',
  fontSize: '0.8125rem',
  cursor: 'pointer',
};

/** `smallButtonStyle`, dimmed and with the default cursor when disabled. */
export function smallButton(disabled: boolean): CSSProperties {
  return disabled ? { ...smallButtonStyle, opacity: 0.5, cursor: 'default' } : smallButtonStyle;
}

/**
 * State that is controlled when `value` is not undefined, and otherwise held here starting at `defaultValue`.
 * `onChange` is called either way.
 */
export function useControllable<T>(value: T | undefined, defaultValue: T, onChange: ((next: T) => void) | undefined): [T, (next: T) => void] {
  const [own, setOwn] = useState<T>(defaultValue);
  const controlled = value !== undefined;
  const set = useCallback(
    (next: T) => {
      if (!controlled) setOwn(next);
      onChange?.(next);
    },
    [controlled, onChange],
  );
  return [controlled ? value : own, set];
}

const FLAG_TEXT: ReadonlyArray<readonly [number, string]> = [
  [SpanFlag.MISSING_START, 'start time was missing and was filled in'],
  [SpanFlag.MISSING_END, 'end time was missing; shown with zero duration'],
  [SpanFlag.ORPHAN, 'parent not in the trace; shown as a root'],
  [SpanFlag.CYCLE_BROKEN, 'parent link closed a cycle and was cut'],
  [SpanFlag.DUPLICATE_ID, 'another span has the same id'],
  [SpanFlag.CLOCK_SKEW_ADJUSTED, 'shifted into its parent (clock skew)'],
  [SpanFlag.NEGATIVE_DURATION, 'end was before start; end set to start'],
  [SpanFlag.SYNTHETIC_ID, 'span id was missing or invalid; an id was made up'],
];

/** Repair flags that deserve a warning badge on the row. */
export const REPAIR_FLAGS = /* @__PURE__ */ FLAG_TEXT.reduce((bits, [bit]) => bits | bit, 0);

/** Words for the repair flags of a span ('' when none). */
export function describeFlags(flags: number): string {
  return FLAG_TEXT.filter(([bit]) => (flags & bit) !== 0)
    .map(([, text]) => text)
    .join('; ');
}

const WARNING_WORDS: Partial<Record<TraceWarningCode, string>> = {
  INVALID_SPAN: 'invalid spans dropped',
  INVALID_SPAN_ID: 'invalid span ids',
  INVALID_TRACE_ID: 'invalid trace ids',
  INVALID_PARENT_ID: 'invalid parent ids',
  INVALID_FIELD: 'invalid fields',
  MISSING_START: 'missing start times',
  MISSING_END: 'missing end times',
  NEGATIVE_DURATION: 'negative durations',
  ORPHAN_SPAN: 'orphan spans',
  CYCLE_BROKEN: 'cycles broken',
  DUPLICATE_SPAN_ID: 'duplicate span ids',
  DUPLICATE_SPAN_DROPPED: 'duplicate spans dropped',
  CLOCK_SKEW_ADJUSTED: 'clock-skew adjustments',
  MULTIPLE_TRACE_IDS: 'several trace ids',
  INVALID_CONTAINER: 'invalid containers',
  EMPTY_TRACE: 'empty trace',
  WARNINGS_TRUNCATED: 'warnings not listed',
};

/** Total number of engine warnings (exact, including those not kept). */
export function warningTotal(model: TraceModel): number {
  let total = 0;
  for (const [code, count] of Object.entries(model.warningCounts)) if (code !== 'WARNINGS_TRUNCATED') total += count ?? 0;
  return total;
}

/** "2 orphan spans, 1 cycles broken" */
export function warningBreakdown(model: TraceModel): string {
  return Object.entries(model.warningCounts)
    .filter(([code, count]) => code !== 'WARNINGS_TRUNCATED' && (count ?? 0) > 0)
    .map(([code, count]) => `${(count ?? 0).toLocaleString('en-US')} ${WARNING_WORDS[code as TraceWarningCode] ?? code}`)
    .join(', ');
}

/**
 * The engine's warnings as a disclosure: a one-line summary (count and breakdown, with a warning icon and words) and,
 * opened, the first `limit` messages with their span id and document path. Text only.
 */
export function TraceWarnings({ model, limit = 100 }: { readonly model: TraceModel; readonly limit?: number }): ReactNode {
  const total = warningTotal(model);
  if (total === 0) return null;
  const shown = model.warnings.filter((w) => w.code !== 'WARNINGS_TRUNCATED').slice(0, limit);
  return (
    <details className="vigil-trace-warnings" style={{ margin: '0 0 8px', padding: '6px 10px', border: '1px solid var(--vigil-warning)', borderRadius: 'var(--vigil-radius, 6px)', background: 'var(--vigil-surface-raised)', fontSize: '0.8125rem' }}>
      <summary style={{ cursor: 'pointer', display: 'flex', alignItems: 'center', gap: 6 }}>
        <StatusIcon status="warning" style={{ color: 'var(--vigil-warning)' }} />
        <strong>
          {total.toLocaleString('en-US')} {total === 1 ? 'repair' : 'repairs'} in this trace
        </strong>
        <span style={{ color: 'var(--vigil-fg-muted)' }}>({warningBreakdown(model)})</span>
      </summary>
      <ul style={{ margin: '6px 0 0', paddingInlineStart: 18, maxHeight: 160, overflow: 'auto' }}>
        {shown.map((w, k) => (
          <li key={k}>
            <code style={{ fontFamily: 'var(--vigil-font-mono)' }}>{w.code}</code> {w.spanId === undefined ? '' : `span ${w.spanId}: `}
            {w.message}
            {w.path === undefined ? '' : ` (at ${w.path})`}
          </li>
        ))}
        {total > shown.length && <li>… and {(total - shown.length).toLocaleString('en-US')} more</li>}
      </ul>
    </details>
  );
}

import { forwardRef } from 'react';
import type { CSSProperties, ReactNode } from 'react';
import { visuallyHidden } from './styles';

export interface ChartFrameProps {
  readonly title: string;
  readonly titleId: string;
  /** Shown under the title, before the plot (typically the legend). */
  readonly header?: ReactNode | undefined;
  /** A subtle line under the plot, such as the downsampling note. */
  readonly note?: ReactNode | undefined;
  readonly loading?: boolean | undefined;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
  readonly children?: ReactNode;
}

const frameStyle: CSSProperties = {
  margin: 0,
  padding: 12,
  fontFamily: 'var(--vigil-font, system-ui, sans-serif)',
  fontSize: 12,
  color: 'var(--vigil-fg, #1a1a1a)',
  background: 'var(--vigil-surface, #fff)',
  border: '1px solid var(--vigil-border, #d0d4da)',
  borderRadius: 8,
  minWidth: 0,
};

/**
 * The outer `<figure>` of a chart: title as `<figcaption>` (the accessible name), an optional header and note.
 *
 * @example
 * <ChartFrame title="Latency" titleId={id} header={<ChartLegend ... />}>{plot}</ChartFrame>
 */
export const ChartFrame = /* @__PURE__ */ forwardRef<HTMLElement, ChartFrameProps>(function ChartFrame({ title, titleId, header, note, loading, className, style, children }, ref) {
  return (
    <figure ref={ref} className={className === undefined ? 'vigil-chart' : `vigil-chart ${className}`} style={{ ...frameStyle, ...style }} aria-labelledby={titleId} aria-busy={loading === true ? true : undefined}>
      <figcaption id={titleId} style={{ fontSize: 14, fontWeight: 600, marginBottom: 6 }}>
        {title}
      </figcaption>
      {header}
      {children}
      {note === undefined || note === null ? null : <p style={{ margin: '4px 0 0', color: 'var(--vigil-fg-muted, #5c6370)', fontSize: 11, textAlign: 'right' }}>{note}</p>}
    </figure>
  );
});

/** The message to show for anything passed as `error`. */
export function errorMessage(error: unknown): string {
  if (typeof error === 'string' && error !== '') return error;
  if (error instanceof Error && error.message !== '') return error.message;
  return 'The chart could not be drawn.';
}

/** The body shown instead of the plot while loading, on error or with no data. */
export function ChartStateBody({ state, height, title, message }: { state: 'loading' | 'error' | 'empty'; height: number; title: string; message?: string }): ReactNode {
  const box: CSSProperties = {
    height,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    borderRadius: 6,
    boxSizing: 'border-box',
  };
  if (state === 'loading') {
    return (
      <div className="vigil-chart-skeleton" style={{ ...box, background: 'var(--vigil-grid, #eef0f3)', opacity: 0.7 }}>
        <span style={visuallyHidden}>Loading {title}…</span>
      </div>
    );
  }
  if (state === 'error') {
    return (
      <div role="alert" style={{ ...box, border: '1px solid var(--vigil-critical, #b42318)', color: 'var(--vigil-fg, #1a1a1a)', padding: 12, textAlign: 'center' }}>
        <span>
          <strong style={{ color: 'var(--vigil-critical, #b42318)' }}>Could not show {title}:</strong> {message}
        </span>
      </div>
    );
  }
  return <div style={{ ...box, border: '1px dashed var(--vigil-border, #d0d4da)', color: 'var(--vigil-fg-muted, #5c6370)' }}>No data for this range</div>;
}

import type { ReactNode } from 'react';

export interface TooltipRow {
  readonly key: string;
  readonly color: string;
  readonly text: string;
}

export interface ChartTooltipProps {
  /** The heading (the time under the crosshair); `null` hides the tooltip but keeps the live region. */
  readonly heading: string | null;
  readonly rows: readonly TooltipRow[];
  /** Crosshair x within the plot, to place the box beside it. */
  readonly x: number;
  readonly plotWidth: number;
  readonly left: number;
  readonly top: number;
}

/**
 * The tooltip box beside the crosshair. It sits in an `aria-live="polite"` region, so screen readers hear the
 * values as the crosshair moves with the keyboard.
 */
export function ChartTooltip({ heading, rows, x, plotWidth, left, top }: ChartTooltipProps): ReactNode {
  const flip = x > plotWidth * 0.6;
  return (
    <div aria-live="polite" aria-atomic="true" style={{ position: 'absolute', left, top, width: plotWidth, height: 0, pointerEvents: 'none', zIndex: 2 }}>
      {heading === null ? null : (
        <div
          className="vigil-chart-tooltip"
          style={{
            position: 'absolute',
            top: 4,
            ...(flip ? { right: plotWidth - x + 12 } : { left: x + 12 }),
            padding: '6px 8px',
            borderRadius: 4,
            background: 'var(--vigil-tooltip-bg, #1a1a1a)',
            color: 'var(--vigil-tooltip-fg, #fff)',
            fontSize: 12,
            lineHeight: 1.4,
            whiteSpace: 'nowrap',
            boxShadow: '0 2px 8px rgb(0 0 0 / 0.2)',
          }}
        >
          <div style={{ fontWeight: 600, marginBottom: 2 }}>{heading}</div>
          {rows.map((row) => (
            <div key={row.key} style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
              <span aria-hidden="true" style={{ width: 8, height: 8, borderRadius: 4, background: row.color, flex: 'none' }} />
              <span>
                {row.key}: <span style={{ fontFamily: 'var(--vigil-font-mono, ui-monospace, monospace)' }}>{row.text}</span>
              </span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

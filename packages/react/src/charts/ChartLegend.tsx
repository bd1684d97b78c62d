import type { ReactNode } from 'react';

export interface LegendItem {
  readonly key: string;
  readonly color: string;
  readonly dash: readonly number[];
  /** Bands show a filled swatch instead of a line. */
  readonly kind: 'line' | 'band';
}

export interface ChartLegendProps {
  readonly items: readonly LegendItem[];
  readonly hidden: ReadonlySet<string>;
  readonly onToggle: (key: string) => void;
  /** Name of the chart, for the list's accessible name. */
  readonly title: string;
}

/**
 * One toggle button per series or band. `aria-pressed` is true while the series is shown.
 *
 * @example
 * <ChartLegend title="Latency" items={items} hidden={new Set(['p99'])} onToggle={toggle} />
 */
export function ChartLegend({ items, hidden, onToggle, title }: ChartLegendProps): ReactNode {
  if (items.length === 0) return null;
  return (
    <ul aria-label={`${title} series`} style={{ display: 'flex', flexWrap: 'wrap', gap: 4, listStyle: 'none', margin: '0 0 6px', padding: 0 }}>
      {items.map((item) => {
        const shown = !hidden.has(item.key);
        return (
          <li key={item.key}>
            <button
              type="button"
              aria-pressed={shown}
              onClick={() => onToggle(item.key)}
              title={shown ? `Hide ${item.key}` : `Show ${item.key}`}
              style={{
                display: 'inline-flex',
                alignItems: 'center',
                gap: 6,
                font: 'inherit',
                fontSize: 12,
                padding: '2px 8px',
                borderRadius: 4,
                border: '1px solid var(--vigil-border, #d0d4da)',
                background: 'transparent',
                color: shown ? 'var(--vigil-fg, #1a1a1a)' : 'var(--vigil-fg-muted, #5c6370)',
                textDecoration: shown ? 'none' : 'line-through',
                cursor: 'pointer',
              }}
            >
              <svg width={18} height={10} aria-hidden="true" style={{ opacity: shown ? 1 : 0.4 }}>
                {item.kind === 'band' ? (
                  <rect x={1} y={1} width={16} height={8} rx={2} style={{ fill: item.color, opacity: 0.45 }} />
                ) : (
                  <line x1={1} y1={5} x2={17} y2={5} style={{ stroke: item.color, strokeWidth: 2.5, strokeDasharray: item.dash.length > 0 ? item.dash.join(' ') : 'none' }} />
                )}
              </svg>
              {item.key}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

import { useStore } from 'zustand';
import type { ReactNode } from 'react';
import type { Series } from '@vigil/core';
import type { DashboardStore } from '../layout/dashboardStore';
import type { ChartScales } from './useChartScales';
import type { ChartMargins } from './styles';
import { ChartTooltip } from './ChartTooltip';
import type { TooltipRow } from './ChartTooltip';
import { nearestIndex } from './prepare';
import { formatChartTime } from './format';

/** A visible line as the overlays need it. */
export interface PlotSeries {
  readonly key: string;
  readonly series: Series;
  /** A CSS colour (usually `var(--vigil-series-N)`). */
  readonly color: string;
}

export interface ChartCrosshairProps {
  readonly store: DashboardStore;
  readonly syncGroup: string;
  readonly items: readonly PlotSeries[];
  readonly scales: ChartScales;
  readonly margins: ChartMargins;
  readonly plotWidth: number;
  readonly plotHeight: number;
  readonly formatValue: (value: number) => string;
  readonly timeZone: 'local' | 'utc';
}

/**
 * The crosshair line, a dot per series and the tooltip, at the sync group's cursor. The only part of the chart
 * that re-renders when the cursor moves.
 */
export function ChartCrosshair({ store, syncGroup, items, scales, margins, plotWidth, plotHeight, formatValue, timeZone }: ChartCrosshairProps): ReactNode {
  const cursor = useStore(store, (state) => (state.cursor !== null && state.cursor.syncGroup === syncGroup ? state.cursor : null));
  const [start, end] = scales.x.domain().map((d) => d.getTime()) as [number, number];
  const inView = cursor !== null && cursor.time >= start && cursor.time <= end;
  const x = inView ? scales.x(cursor.time) : 0;
  const rows: TooltipRow[] = [];
  const dots: { key: string; y: number; color: string }[] = [];
  if (inView) {
    for (const item of items) {
      const i = nearestIndex(item.series.timestamps, cursor.time);
      const value = i < 0 ? Number.NaN : (item.series.values[i] as number);
      rows.push({ key: item.key, color: item.color, text: formatValue(value) });
      if (Number.isFinite(value)) dots.push({ key: item.key, y: scales.y(value), color: item.color });
    }
  }
  return (
    <>
      {inView ? (
        <div aria-hidden="true" className="vigil-chart-crosshair" style={{ position: 'absolute', left: margins.left, top: margins.top, width: plotWidth, height: plotHeight, pointerEvents: 'none', overflow: 'hidden' }}>
          <div style={{ position: 'absolute', left: Math.round(x), top: 0, width: 1, height: plotHeight, background: 'var(--vigil-axis, #8a919c)' }} />
          {dots.map((dot) =>
            dot.y >= 0 && dot.y <= plotHeight ? (
              <div key={dot.key} style={{ position: 'absolute', left: x - 4, top: dot.y - 4, width: 8, height: 8, borderRadius: 4, background: dot.color, boxShadow: '0 0 0 2px var(--vigil-surface, #fff)' }} />
            ) : null,
          )}
        </div>
      ) : null}
      <ChartTooltip heading={inView ? formatChartTime(cursor.time, timeZone) : null} rows={rows} x={x} plotWidth={plotWidth} left={margins.left} top={margins.top} />
    </>
  );
}

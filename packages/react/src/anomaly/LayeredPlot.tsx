import { useCallback, useMemo, useRef } from 'react';
import type { ReactNode } from 'react';
import type { Series, SourceEvent, TimeRange } from '@vigil/core';
import type { DashboardStore } from '../layout/dashboardStore';
import type { ChartDrawInfo, ChartThreshold } from '../charts/types';
import { ChartCanvas } from '../charts/ChartCanvas';
import type { CanvasBand, CanvasLine } from '../charts/drawCanvas';
import { ChartAxes } from '../charts/ChartAxes';
import { ChartEvents } from '../charts/ChartEvents';
import { ChartCrosshair } from '../charts/ChartCrosshair';
import type { PlotSeries } from '../charts/ChartCrosshair';
import { ChartInteraction } from '../charts/ChartInteraction';
import { ChartSummary } from '../charts/ChartSummary';
import type { SummaryLine } from '../charts/ChartSummary';
import { seriesColorVar, SERIES_COLOR_COUNT, useChartColors } from '../charts/colors';
import { autoYDomain, sliceAndDownsampleCached } from '../charts/prepare';
import { chartMargins } from '../charts/styles';
import type { ChartMargins } from '../charts/styles';
import { useChartScales } from '../charts/useChartScales';
import type { ChartScales } from '../charts/useChartScales';
import { useContainerWidth } from '../charts/useContainerWidth';

/** A line of a layered plot: a series in palette colour `colorIndex`. */
export interface PlotLine {
  readonly key: string;
  readonly series: Series;
  readonly colorIndex: number;
  readonly dash?: readonly number[];
  /** Listed in the tooltip (default true). */
  readonly inTooltip?: boolean;
}

/** A shaded band between two series, in palette colour `colorIndex`; `opacity` multiplies the theme's band opacity. */
export interface PlotBand {
  readonly key: string;
  readonly lower: Series;
  readonly upper: Series;
  readonly colorIndex: number;
  readonly opacity?: number;
}

/** What an overlay is given to place itself over the plot. */
export interface PlotGeometry {
  readonly scales: ChartScales;
  readonly margins: ChartMargins;
  readonly plotWidth: number;
  readonly plotHeight: number;
}

export interface LayeredPlotProps {
  readonly lines: readonly PlotLine[];
  readonly bands: readonly PlotBand[];
  readonly thresholds?: readonly ChartThreshold[];
  readonly events?: readonly SourceEvent[];
  readonly xDomain: TimeRange;
  readonly yDomain?: readonly [number, number] | undefined;
  /** Extra values the automatic y-domain must include (a threshold, a forecast bound). */
  readonly yInclude?: readonly number[];
  /** Whether the automatic y-domain covers the bands (default true). */
  readonly bandsInExtent?: boolean;
  readonly height: number;
  readonly width?: number | undefined;
  readonly store: DashboardStore;
  readonly syncGroup: string;
  readonly chartId: string;
  readonly extent: TimeRange | null;
  readonly zoomable: boolean;
  readonly onZoom: (range: TimeRange) => void;
  readonly onReset: () => void;
  readonly formatValue: (value: number) => string;
  readonly formatTick: (value: number) => string;
  readonly timeZone: 'local' | 'utc';
  readonly labelledBy: string;
  readonly idPrefix: string;
  readonly description?: string | undefined;
  readonly margins?: Partial<ChartMargins>;
  readonly overlay?: ((geometry: PlotGeometry) => ReactNode) | undefined;
  readonly onDraw?: ((info: ChartDrawInfo) => void) | undefined;
}

/**
 * One plot built from the shared chart pieces (canvas with M4 downsampling, SVG axes, events, crosshair,
 * keyboard/pointer interaction, text summary), with an overlay slot for anomaly flags or crossing markers.
 * Internal to the anomaly area: AnomalyChart, its score strip and ForecastChart draw with it.
 */
export function LayeredPlot(props: LayeredPlotProps): ReactNode {
  const { lines, bands, thresholds = [], events = [], xDomain, height, width, store, syncGroup, chartId, extent, zoomable, onZoom, onReset, formatValue, formatTick, timeZone, labelledBy, idPrefix, description, overlay, onDraw } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const measuredWidth = useContainerWidth(containerRef, width);
  const colors = useChartColors(containerRef);
  const margins: ChartMargins = { ...chartMargins(events.length > 0), ...props.margins };
  const plotWidth = Math.max(0, measuredWidth - margins.left - margins.right);
  const plotHeight = Math.max(0, height - margins.top - margins.bottom);

  const data = useMemo(() => {
    const drawnLines: CanvasLine[] = [];
    const drawnBands: CanvasBand[] = [];
    const items: PlotSeries[] = [];
    const summary: SummaryLine[] = [];
    const extents: { min: number; max: number }[] = [];
    let pointsInRange = 0;
    let pointsDrawn = 0;
    if (plotWidth > 0) {
      for (const band of bands) {
        const lower = sliceAndDownsampleCached(band.lower, xDomain, plotWidth);
        const upper = sliceAndDownsampleCached(band.upper, xDomain, plotWidth);
        pointsInRange += lower.pointsInRange + upper.pointsInRange;
        pointsDrawn += lower.timestamps.length + upper.timestamps.length;
        drawnBands.push({ lower, upper, color: colors.series[band.colorIndex % SERIES_COLOR_COUNT] as string, opacity: Math.min(1, colors.bandOpacity * (band.opacity ?? 1)) });
        summary.push({ key: band.key, min: lower.min, max: upper.max, last: upper.last });
        if (props.bandsInExtent !== false) extents.push(lower, upper);
      }
      for (const line of lines) {
        const column = sliceAndDownsampleCached(line.series, xDomain, plotWidth);
        pointsInRange += column.pointsInRange;
        pointsDrawn += column.timestamps.length;
        drawnLines.push({ timestamps: column.timestamps, values: column.values, color: colors.series[line.colorIndex % SERIES_COLOR_COUNT] as string, dash: line.dash ?? [] });
        if (line.inTooltip !== false) items.push({ key: line.key, series: line.series, color: seriesColorVar(line.colorIndex) });
        summary.push({ key: line.key, min: column.min, max: column.max, last: column.last });
        extents.push(column);
      }
    }
    return { lines: drawnLines, bands: drawnBands, items, summary, extents, pointsInRange, pointsDrawn };
  }, [lines, bands, xDomain, plotWidth, colors, props.bandsInExtent]);

  const extra = useMemo(() => [...thresholds.map((t) => t.value), ...(props.yInclude ?? [])], [thresholds, props.yInclude]);
  const autoY = useMemo(() => autoYDomain(data.extents, extra), [data.extents, extra]);
  const scales = useChartScales({ xDomain, yDomain: props.yDomain ?? autoY, plotWidth, plotHeight, timeZone, niceY: props.yDomain === undefined });
  const [yLow, yHigh] = scales.y.domain() as [number, number];
  const scene = useMemo(
    () => ({ width: measuredWidth, height, plot: { left: margins.left, top: margins.top, width: plotWidth, height: plotHeight }, xDomain, yDomain: [yLow, yHigh] as const, lines: data.lines, bands: data.bands }),
    [measuredWidth, height, margins.left, margins.top, plotWidth, plotHeight, xDomain, yLow, yHigh, data.lines, data.bands],
  );
  const drawInfo = useRef<ChartDrawInfo | null>(null);
  drawInfo.current = { pointsInRange: data.pointsInRange, pointsDrawn: data.pointsDrawn, plotWidth, plotHeight, xDomain, yDomain: scene.yDomain };
  const onPaint = useCallback(() => {
    if (drawInfo.current !== null) onDraw?.(drawInfo.current);
  }, [onDraw]);
  const summaryId = `${idPrefix}-summary`;
  const snapTimestamps = data.items[0]?.series.timestamps;

  return (
    <div ref={containerRef} style={{ position: 'relative', width: width ?? '100%', height }}>
      {measuredWidth > 0 ? (
        <>
          {colors.resolved ? <ChartCanvas scene={scene} onPaint={onPaint} /> : null}
          <ChartAxes width={measuredWidth} height={height} margins={margins} scales={scales} formatTick={formatTick} thresholds={thresholds} events={events} />
          <ChartEvents events={events} scales={scales} margins={margins} plotWidth={plotWidth} timeZone={timeZone} idPrefix={idPrefix} />
          <ChartInteraction
            store={store}
            syncGroup={syncGroup}
            chartId={chartId}
            scales={scales}
            margins={margins}
            plotWidth={plotWidth}
            plotHeight={plotHeight}
            snapTimestamps={snapTimestamps}
            extent={extent}
            zoomable={zoomable}
            onZoom={onZoom}
            onReset={onReset}
            labelledBy={labelledBy}
            describedBy={summaryId}
          />
          <ChartCrosshair store={store} syncGroup={syncGroup} items={data.items} scales={scales} margins={margins} plotWidth={plotWidth} plotHeight={plotHeight} formatValue={formatValue} timeZone={timeZone} />
          {overlay?.({ scales, margins, plotWidth, plotHeight })}
          <ChartSummary id={summaryId} description={description} lines={data.summary} start={xDomain.start} end={xDomain.end} thresholds={thresholds} eventCount={events.length} format={formatValue} timeZone={timeZone} />
        </>
      ) : null}
    </div>
  );
}

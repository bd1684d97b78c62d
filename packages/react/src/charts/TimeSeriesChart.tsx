import { forwardRef, useCallback, useId, useMemo, useRef } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Series, TimeRange } from '@vigil/core';
import { findIndexAtOrBefore } from '@vigil/core/series';
import { useDashboardStoreApi } from '../layout/DashboardProvider';
import type { ChartDrawInfo, PercentileBand, TimeSeriesChartProps } from './types';
import { ChartFrame, ChartStateBody, errorMessage } from './ChartFrame';
import { ChartErrorBoundary } from './ChartErrorBoundary';
import { ChartLegend } from './ChartLegend';
import type { LegendItem } from './ChartLegend';
import { ChartCanvas } from './ChartCanvas';
import { ChartAxes } from './ChartAxes';
import { ChartEvents } from './ChartEvents';
import { ChartCrosshair } from './ChartCrosshair';
import { ChartInteraction } from './ChartInteraction';
import { ChartSummary } from './ChartSummary';
import { seriesColorVar, seriesDash, useChartColors } from './colors';
import { autoYDomain, dataExtent, uniqueSeriesKeys, validateChartSeries } from './prepare';
import { formatChartValue, formatCount, withUnit } from './format';
import { chartMargins } from './styles';
import { useChartScales } from './useChartScales';
import { useContainerWidth } from './useContainerWidth';
import { bandColorIndex, useChartData } from './useChartData';

const NO_SERIES: readonly Series[] = [];
const NO_BANDS: readonly PercentileBand[] = [];
const NO_KEYS: readonly string[] = [];

/** True when some series has a sample inside `range` (binary search per series). */
function hasSamplesIn(series: readonly Series[], range: TimeRange): boolean {
  return series.some((s) => {
    const last = findIndexAtOrBefore(s.timestamps, range.end);
    return last >= 0 && (s.timestamps[last] as number) >= range.start;
  });
}

/** A domain with width: a single instant is widened by a minute either side. */
function widen(range: TimeRange): TimeRange {
  return range.end > range.start ? range : { start: range.start - 60_000, end: range.end + 60_000 };
}

const ChartBody = /* @__PURE__ */ forwardRef<HTMLElement, TimeSeriesChartProps>(function ChartBody(props, ref) {
  const { title, series = NO_SERIES, bands = NO_BANDS, thresholds = [], events = [], unit, yDomain, height = 240, width, syncGroup, zoomable = true, showLegend = true, dashPatterns = 'auto', timeZone = 'local', loading = false, error, description, onDraw, onBrush, onTimeRangeChange, onHiddenSeriesChange, className, style } = props;
  const store = useDashboardStoreApi();
  const generatedId = useId();
  const chartId = props.chartId ?? generatedId;
  const group = syncGroup ?? `chart:${chartId}`;
  const titleId = `${generatedId}-title`;
  const summaryId = `${generatedId}-summary`;
  const containerRef = useRef<HTMLDivElement>(null);
  const measuredWidth = useContainerWidth(containerRef, width);
  const colors = useChartColors(containerRef);

  useMemo(() => {
    series.forEach((s, i) => validateChartSeries(s, `series[${i}]`));
    bands.forEach((b, i) => {
      validateChartSeries(b.lower, `bands[${i}].lower`);
      validateChartSeries(b.upper, `bands[${i}].upper`);
    });
  }, [series, bands]);

  const keys = useMemo(() => uniqueSeriesKeys(series), [series]);
  const storedHidden = useStore(store, (state) => state.hiddenSeries[chartId]);
  const hiddenKeys = props.hiddenSeries ?? storedHidden ?? props.defaultHiddenSeries ?? NO_KEYS;
  const hidden = useMemo(() => new Set(hiddenKeys), [hiddenKeys]);
  const toggle = useCallback(
    (key: string) => {
      const next = hidden.has(key) ? hiddenKeys.filter((k) => k !== key) : [...hiddenKeys, key];
      if (props.hiddenSeries === undefined) store.getState().setHiddenSeries(chartId, next);
      onHiddenSeriesChange?.(next);
    },
    [hidden, hiddenKeys, props.hiddenSeries, store, chartId, onHiddenSeriesChange],
  );

  const storeRange = useStore(store, (state) => state.timeRange);
  const allEdges = useMemo(() => [...series, ...bands.flatMap((b) => [b.lower, b.upper])], [series, bands]);
  const extent = useMemo(() => dataExtent(allEdges), [allEdges]);
  const chosen = props.timeRange !== undefined ? (props.timeRange ?? extent) : (storeRange ?? extent);
  const xDomain = useMemo(() => (chosen === null ? null : widen(chosen)), [chosen]);

  const margins = chartMargins(events.length > 0);
  const plotWidth = Math.max(0, measuredWidth - margins.left - margins.right);
  const plotHeight = Math.max(0, height - margins.top - margins.bottom);
  const data = useChartData({ series, keys, bands, hidden, xDomain, plotWidth, colors, dashMode: dashPatterns });
  const thresholdValues = useMemo(() => thresholds.map((t) => t.value), [thresholds]);
  const autoY = useMemo(() => autoYDomain(data.extents, thresholdValues), [data.extents, thresholdValues]);
  const scales = useChartScales({ xDomain: xDomain ?? { start: 0, end: 1 }, yDomain: yDomain ?? autoY, plotWidth, plotHeight, timeZone, niceY: yDomain === undefined });
  const formatValue = useMemo(() => {
    const base = props.formatValue ?? formatChartValue;
    return (value: number) => withUnit(base(value), unit);
  }, [props.formatValue, unit]);
  const formatTick = props.formatValue ?? formatChartValue;

  const [yLow, yHigh] = scales.y.domain() as [number, number];
  const scene = useMemo(
    () => ({ width: measuredWidth, height, plot: { left: margins.left, top: margins.top, width: plotWidth, height: plotHeight }, xDomain: xDomain ?? { start: 0, end: 1 }, yDomain: [yLow, yHigh] as const, lines: data.lines, bands: data.bands }),
    [measuredWidth, height, margins.left, margins.top, plotWidth, plotHeight, xDomain, yLow, yHigh, data.lines, data.bands],
  );
  const drawInfo = useRef<ChartDrawInfo | null>(null);
  drawInfo.current = { pointsInRange: data.pointsInRange, pointsDrawn: data.pointsDrawn, plotWidth, plotHeight, xDomain: scene.xDomain, yDomain: scene.yDomain };
  const onPaint = useCallback(() => {
    if (drawInfo.current !== null) onDraw?.(drawInfo.current);
  }, [onDraw]);

  const applyRange = useCallback(
    (range: TimeRange | null) => {
      if (props.timeRange === undefined) {
        if (range === null) store.getState().resetZoom();
        else store.getState().zoomTo(range);
        onTimeRangeChange?.(store.getState().timeRange);
      } else onTimeRangeChange?.(range);
    },
    [props.timeRange, store, onTimeRangeChange],
  );
  const onZoom = useCallback((range: TimeRange) => applyRange(range), [applyRange]);
  const onReset = useCallback(() => applyRange(null), [applyRange]);

  const legendItems = useMemo<LegendItem[]>(
    () => [
      ...keys.map((key, i) => ({ key, color: seriesColorVar(i), dash: seriesDash(i, dashPatterns), kind: 'line' as const })),
      ...bands.map((band, b) => ({ key: band.label, color: seriesColorVar(bandColorIndex(series, band, b)), dash: [], kind: 'band' as const })),
    ],
    [keys, bands, series, dashPatterns],
  );

  const empty = xDomain === null || !hasSamplesIn(allEdges, xDomain);
  const state = loading ? 'loading' : error !== undefined && error !== null && error !== false ? 'error' : empty ? 'empty' : 'ready';
  const note = state === 'ready' && data.pointsDrawn < data.pointsInRange ? `${formatCount(data.pointsInRange)} points, drawn at ${formatCount(data.pointsDrawn)}` : undefined;
  const snapTimestamps = data.items[0]?.series.timestamps;

  return (
    <ChartFrame
      ref={ref}
      title={title}
      titleId={titleId}
      loading={loading}
      className={className}
      style={style}
      note={note}
      header={showLegend && state !== 'loading' && state !== 'error' ? <ChartLegend title={title} items={legendItems} hidden={hidden} onToggle={toggle} /> : undefined}
    >
      <div ref={containerRef} style={{ position: 'relative', width: width ?? '100%', height }}>
        {state !== 'ready' ? (
          <ChartStateBody state={state} height={height} title={title} message={errorMessage(error)} />
        ) : measuredWidth > 0 && xDomain !== null ? (
          <>
            {colors.resolved ? <ChartCanvas scene={scene} onPaint={onPaint} /> : null}
            <ChartAxes width={measuredWidth} height={height} margins={margins} scales={scales} formatTick={formatTick} thresholds={thresholds} events={events} />
            <ChartEvents events={events} scales={scales} margins={margins} plotWidth={plotWidth} timeZone={timeZone} idPrefix={generatedId} />
            <ChartInteraction
              store={store}
              syncGroup={group}
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
              onBrush={onBrush}
              labelledBy={titleId}
              describedBy={summaryId}
            />
            <ChartCrosshair store={store} syncGroup={group} items={data.items} scales={scales} margins={margins} plotWidth={plotWidth} plotHeight={plotHeight} formatValue={formatValue} timeZone={timeZone} />
            <ChartSummary id={summaryId} description={description} lines={data.summary} start={xDomain.start} end={xDomain.end} thresholds={thresholds} eventCount={events.length} format={formatValue} timeZone={timeZone} />
          </>
        ) : null}
      </div>
    </ChartFrame>
  );
});

/**
 * A time-series line chart for large data: lines and percentile bands on a canvas (M4-downsampled to the pixel
 * width, so a million points draw in milliseconds), axes, thresholds, event markers, crosshair and tooltip as
 * SVG/DOM overlays. Charts in one `syncGroup` share the crosshair; dragging zooms (double-click or Escape resets);
 * the legend toggles series. Keyboard: arrows move the crosshair (Shift ×10), Home/End, +/- zoom, Escape resets.
 * Errors inside the chart are caught and shown in the chart.
 *
 * @example
 * <DashboardProvider>
 *   <TimeSeriesChart title="Latency" unit="ms" series={[p50, p99]}
 *     bands={[{ lower: p50, upper: p99, label: 'p50–p99' }]}
 *     thresholds={[{ value: 300, label: 'SLO 300 ms', severity: 'critical' }]}
 *     events={deploys} syncGroup="service" />
 * </DashboardProvider>
 */
export const TimeSeriesChart = /* @__PURE__ */ forwardRef<HTMLElement, TimeSeriesChartProps>(function TimeSeriesChart(props, ref): ReactNode {
  const fallbackTitleId = useId();
  return (
    <ChartErrorBoundary
      resetKeys={[props.series, props.bands, props.events, props.error]}
      fallback={(caught) => (
        <ChartFrame ref={ref} title={props.title} titleId={fallbackTitleId} className={props.className} style={props.style}>
          <ChartStateBody state="error" height={props.height ?? 240} title={props.title} message={errorMessage(caught)} />
        </ChartFrame>
      )}
    >
      <ChartBody ref={ref} {...props} />
    </ChartErrorBoundary>
  );
});

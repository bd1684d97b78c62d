import { useMemo } from 'react';
import type { Series, TimeRange } from '@vigil/core';
import type { PercentileBand } from './types';
import type { CanvasBand, CanvasLine } from './drawCanvas';
import type { ChartColors } from './colors';
import { seriesColorVar, seriesDash, SERIES_COLOR_COUNT } from './colors';
import type { PlotSeries } from './ChartCrosshair';
import type { SummaryLine } from './ChartSummary';
import { sliceAndDownsampleCached } from './prepare';

export interface ChartDataInput {
  readonly series: readonly Series[];
  readonly keys: readonly string[];
  readonly bands: readonly PercentileBand[];
  readonly hidden: ReadonlySet<string>;
  readonly xDomain: TimeRange | null;
  readonly plotWidth: number;
  readonly colors: ChartColors;
  readonly dashMode: 'auto' | 'always' | 'never';
}

export interface ChartData {
  readonly lines: readonly CanvasLine[];
  readonly bands: readonly CanvasBand[];
  /** Visible series for the crosshair and tooltip. */
  readonly items: readonly PlotSeries[];
  readonly summary: readonly SummaryLine[];
  /** Every visible column's min and max, for the automatic y-domain. */
  readonly extents: readonly { min: number; max: number }[];
  readonly pointsInRange: number;
  readonly pointsDrawn: number;
}

/**
 * The palette index of a band: that of its lower edge when the lower edge is also drawn as a line (a p50–p99 band
 * takes p50's colour), else of its upper edge, else the next colour after the series.
 */
export function bandColorIndex(series: readonly Series[], band: PercentileBand, bandIndex: number): number {
  const lower = series.indexOf(band.lower);
  if (lower >= 0) return lower % SERIES_COLOR_COUNT;
  const upper = series.indexOf(band.upper);
  if (upper >= 0) return upper % SERIES_COLOR_COUNT;
  return (series.length + bandIndex) % SERIES_COLOR_COUNT;
}

const EMPTY: ChartData = { lines: [], bands: [], items: [], summary: [], extents: [], pointsInRange: 0, pointsDrawn: 0 };

/**
 * Cuts every visible series and band edge to the x-domain and downsamples it (memoised per series, range and
 * width), and assigns theme colours and dashes. Colour i is `--vigil-series-(i mod 8 + 1)`; bands take the colour
 * after the last series.
 */
export function useChartData({ series, keys, bands, hidden, xDomain, plotWidth, colors, dashMode }: ChartDataInput): ChartData {
  return useMemo(() => {
    if (xDomain === null || plotWidth <= 0) return EMPTY;
    const lines: CanvasLine[] = [];
    const items: PlotSeries[] = [];
    const summary: SummaryLine[] = [];
    const extents: { min: number; max: number }[] = [];
    let pointsInRange = 0;
    let pointsDrawn = 0;
    series.forEach((s, i) => {
      const key = keys[i] as string;
      if (hidden.has(key)) return;
      const column = sliceAndDownsampleCached(s, xDomain, plotWidth);
      pointsInRange += column.pointsInRange;
      pointsDrawn += column.timestamps.length;
      lines.push({ timestamps: column.timestamps, values: column.values, color: colors.series[i % SERIES_COLOR_COUNT] as string, dash: seriesDash(i, dashMode) });
      items.push({ key, series: s, color: seriesColorVar(i) });
      summary.push({ key, min: column.min, max: column.max, last: column.last });
      extents.push(column);
    });
    const drawnBands: CanvasBand[] = [];
    bands.forEach((band, b) => {
      if (hidden.has(band.label)) return;
      const lower = sliceAndDownsampleCached(band.lower, xDomain, plotWidth);
      const upper = sliceAndDownsampleCached(band.upper, xDomain, plotWidth);
      pointsInRange += lower.pointsInRange + upper.pointsInRange;
      pointsDrawn += lower.timestamps.length + upper.timestamps.length;
      const colorIndex = bandColorIndex(series, band, b);
      drawnBands.push({ lower, upper, color: colors.series[colorIndex] as string, opacity: colors.bandOpacity });
      summary.push({ key: band.label, min: lower.min, max: upper.max, last: upper.last });
      extents.push(lower, upper);
    });
    return { lines, bands: drawnBands, items, summary, extents, pointsInRange, pointsDrawn };
  }, [series, keys, bands, hidden, xDomain, plotWidth, colors, dashMode]);
}

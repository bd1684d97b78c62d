import type { CSSProperties } from 'react';
import type { Series, SourceEvent, TimeRange } from '@vigil/core';

/** A shaded area between two series, such as p50–p99 latency. */
export interface PercentileBand {
  /** The lower edge (p50 in a p50–p99 band). */
  readonly lower: Series;
  /** The upper edge (p99 in a p50–p99 band). */
  readonly upper: Series;
  /** Legend and summary label, such as `p50–p99`. Also the band's key for hiding it. */
  readonly label: string;
}

/** A horizontal dashed line at a value, such as an SLO or alert threshold. */
export interface ChartThreshold {
  readonly value: number;
  readonly label: string;
  readonly severity: 'warning' | 'critical';
}

/** What one canvas paint drew: handed to `onDraw` (tests and the bench use it). */
export interface ChartDrawInfo {
  /** Raw samples inside the visible range, over every visible series and band edge. */
  readonly pointsInRange: number;
  /** Samples actually drawn after M4 downsampling. */
  readonly pointsDrawn: number;
  /** Plot size in CSS pixels. */
  readonly plotWidth: number;
  readonly plotHeight: number;
  /** The x-domain drawn, epoch ms. */
  readonly xDomain: TimeRange;
  readonly yDomain: readonly [number, number];
}

export interface TimeSeriesChartProps {
  /** Visible title, and the chart's accessible name. Required. */
  readonly title: string;
  /** The lines. Each series' timestamps must ascend; NaN values are gaps. */
  readonly series?: readonly Series[];
  /** Shaded bands between two series (percentile ranges). */
  readonly bands?: readonly PercentileBand[];
  /** Dashed horizontal lines with a label. */
  readonly thresholds?: readonly ChartThreshold[];
  /** Deploy/incident/alert markers: a line (or a shaded range when `endTime` is set) with a focusable flag. */
  readonly events?: readonly SourceEvent[];
  /** Unit appended to values, such as `ms`, `%` or `req/s`. */
  readonly unit?: string;
  /** Formats a value for ticks, tooltip and summary (the unit is appended after). Default: 3 significant digits. */
  readonly formatValue?: (value: number) => string;
  /** Fixed y-domain; default: the visible data (and thresholds), including zero for non-negative data. */
  readonly yDomain?: readonly [number, number];
  /** Height of the plot area plus axes, in CSS pixels. Default 240. */
  readonly height?: number;
  /** Fixed width in CSS pixels. Default: the container's width, followed with a ResizeObserver. */
  readonly width?: number;
  /** Charts with the same sync group share the crosshair and tooltip (through the dashboard store). */
  readonly syncGroup?: string;
  /** Key of this chart in the store's `hiddenSeries`. Default: a generated id (set it to persist legend state). */
  readonly chartId?: string;
  /**
   * Controlled x-domain. When absent the chart follows the dashboard store's `timeRange`, and when that is `null`,
   * the extent of the data.
   */
  readonly timeRange?: TimeRange | null;
  /** Called after a brush, a keyboard zoom or a reset (with `null` for "follow live"). */
  readonly onTimeRangeChange?: (range: TimeRange | null) => void;
  /** Called with the brushed range after a drag over the plot. */
  readonly onBrush?: (range: TimeRange) => void;
  /** Disables brush-to-zoom and keyboard zoom (the crosshair still works). */
  readonly zoomable?: boolean;
  /** Controlled hidden series keys (series name, else labels, else `series N`; band label for bands). */
  readonly hiddenSeries?: readonly string[];
  /** Initially hidden keys, for uncontrolled use. */
  readonly defaultHiddenSeries?: readonly string[];
  /** Called with the new hidden keys when a legend button is toggled. */
  readonly onHiddenSeriesChange?: (keys: readonly string[]) => void;
  /** Shows the legend (default true). */
  readonly showLegend?: boolean;
  /** Dash patterns per series: `auto` (default) dashes series 9 and up, `always` dashes all but the first. */
  readonly dashPatterns?: 'auto' | 'always' | 'never';
  /** Time zone of axis labels and the tooltip. Default `local`. */
  readonly timeZone?: 'local' | 'utc';
  /** Shows a skeleton. */
  readonly loading?: boolean;
  /** Shows the error's message instead of the plot (a VigilError, an Error or a string). */
  readonly error?: unknown;
  /** A longer description for assistive technology, read after the title. */
  readonly description?: string;
  /** Called after each canvas paint. */
  readonly onDraw?: (info: ChartDrawInfo) => void;
  readonly className?: string;
  readonly style?: CSSProperties;
}

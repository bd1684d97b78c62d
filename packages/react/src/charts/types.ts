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
  readonly series?: readonly Series[] | undefined;
  /** Shaded bands between two series (percentile ranges). */
  readonly bands?: readonly PercentileBand[] | undefined;
  /** Dashed horizontal lines with a label. */
  readonly thresholds?: readonly ChartThreshold[] | undefined;
  /** Deploy/incident/alert markers: a line (or a shaded range when `endTime` is set) with a focusable flag. */
  readonly events?: readonly SourceEvent[] | undefined;
  /** Unit appended to values, such as `ms`, `%` or `req/s`. */
  readonly unit?: string | undefined;
  /** Formats a value for ticks, tooltip and summary (the unit is appended after). Default: 3 significant digits. */
  readonly formatValue?: ((value: number) => string) | undefined;
  /** Fixed y-domain; default: the visible data (and thresholds), including zero for non-negative data. */
  readonly yDomain?: readonly [number, number] | undefined;
  /** Height of the plot area plus axes, in CSS pixels. Default 240. */
  readonly height?: number | undefined;
  /** Fixed width in CSS pixels. Default: the container's width, followed with a ResizeObserver. */
  readonly width?: number | undefined;
  /** Charts with the same sync group share the crosshair and tooltip (through the dashboard store). */
  readonly syncGroup?: string | undefined;
  /** Key of this chart in the store's `hiddenSeries`. Default: a generated id (set it to persist legend state). */
  readonly chartId?: string | undefined;
  /**
   * Controlled x-domain. When absent the chart follows the dashboard store's `timeRange`, and when that is `null`,
   * the extent of the data.
   */
  readonly timeRange?: TimeRange | null | undefined;
  /** Called after a brush, a keyboard zoom or a reset (with `null` for "follow live"). */
  readonly onTimeRangeChange?: ((range: TimeRange | null) => void) | undefined;
  /** Called with the brushed range after a drag over the plot. */
  readonly onBrush?: ((range: TimeRange) => void) | undefined;
  /** Disables brush-to-zoom and keyboard zoom (the crosshair still works). */
  readonly zoomable?: boolean | undefined;
  /** Controlled hidden series keys (series name, else labels, else `series N`; band label for bands). */
  readonly hiddenSeries?: readonly string[] | undefined;
  /** Initially hidden keys, for uncontrolled use. */
  readonly defaultHiddenSeries?: readonly string[] | undefined;
  /** Called with the new hidden keys when a legend button is toggled. */
  readonly onHiddenSeriesChange?: ((keys: readonly string[]) => void) | undefined;
  /** Shows the legend (default true). */
  readonly showLegend?: boolean | undefined;
  /** Dash patterns per series: `auto` (default) dashes series 9 and up, `always` dashes all but the first. */
  readonly dashPatterns?: 'auto' | 'always' | 'never' | undefined;
  /** Time zone of axis labels and the tooltip. Default `local`. */
  readonly timeZone?: 'local' | 'utc' | undefined;
  /** Shows a skeleton. */
  readonly loading?: boolean | undefined;
  /** Shows the error's message instead of the plot (a VigilError, an Error or a string). */
  readonly error?: unknown | undefined;
  /** A longer description for assistive technology, read after the title. */
  readonly description?: string | undefined;
  /** Called after each canvas paint. */
  readonly onDraw?: ((info: ChartDrawInfo) => void) | undefined;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

import { forwardRef, useCallback, useId, useMemo, useState } from 'react';
import type { CSSProperties, ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Series, TimeRange } from '@vigil/core';
import { ValidationError } from '@vigil/core';
import { holtWintersForecast } from '@vigil/core/forecast';
import type { HoltWintersForecast, HoltWintersForecastOptions } from '@vigil/core/forecast';
import { useDashboardStoreApi } from '../layout/DashboardProvider';
import { ChartFrame, ChartStateBody, errorMessage } from '../charts/ChartFrame';
import { ChartErrorBoundary } from '../charts/ChartErrorBoundary';
import { formatChartTime, formatChartValue, formatCount, withUnit } from '../charts/format';
import { validateChartSeries } from '../charts/prepare';
import { seriesColorVar } from '../charts/colors';
import type { ChartDrawInfo, ChartThreshold } from '../charts/types';
import { LayeredPlot } from './LayeredPlot';
import type { PlotBand, PlotGeometry, PlotLine } from './LayeredPlot';
import { countFinite, forecastIntervals, forecastThresholdCrossing, lastFinite } from './model';
import type { ForecastInterval, ForecastThresholdCrossing } from './model';
import { LegendEntry, legendListStyle, mutedText } from './parts';

/** A limit the forecast is checked against. */
export interface ForecastThreshold {
  readonly value: number;
  /** Label on the line, such as `limit 90%`. Default: `limit <value>`. */
  readonly label?: string;
  /** `rising` (default): a ceiling; `falling`: a floor. */
  readonly direction?: 'rising' | 'falling';
}

export interface ForecastChartProps {
  readonly title: string;
  /** The history to forecast from (evenly spaced; NaN values are gaps). */
  readonly series?: Series | undefined;
  /** A precomputed forecast (`holtWintersForecast`); without it the chart computes one from `series` in a memo. */
  readonly forecast?: HoltWintersForecast | undefined;
  /** Points to forecast. Default: a quarter of the history (at least 1). */
  readonly horizon?: number | undefined;
  /** Holt-Winters options (period, seasonality, damping, stepMs). */
  readonly forecastOptions?: Omit<HoltWintersForecastOptions, 'horizon' | 'level'> | undefined;
  /** Prediction interval levels, innermost first. Default [0.8, 0.95]. The first one is used for the crossing. */
  readonly levels?: readonly number[] | undefined;
  readonly threshold?: ForecastThreshold | undefined;
  readonly unit?: string | undefined;
  readonly formatValue?: ((value: number) => string) | undefined;
  readonly height?: number | undefined;
  readonly width?: number | undefined;
  readonly timeRange?: TimeRange | null | undefined;
  readonly onTimeRangeChange?: ((range: TimeRange | null) => void) | undefined;
  readonly zoomable?: boolean | undefined;
  readonly syncGroup?: string | undefined;
  readonly chartId?: string | undefined;
  readonly timeZone?: 'local' | 'utc' | undefined;
  readonly loading?: boolean | undefined;
  readonly error?: unknown | undefined;
  readonly description?: string | undefined;
  readonly onDraw?: ((info: ChartDrawInfo) => void) | undefined;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

const DEFAULT_LEVELS: readonly number[] = [0.8, 0.95];

interface ForecastModel {
  readonly forecast: HoltWintersForecast;
  readonly intervals: ForecastInterval[];
  /** Forecast columns prefixed with the last observed point, so the forecast starts where the history ends. */
  readonly mean: Series;
  readonly bands: { lower: Series; upper: Series; level: number }[];
  readonly last: { time: number; value: number } | undefined;
}

function joinLast(last: { time: number; value: number } | undefined, timestamps: Float64Array, values: Float64Array, name: string): Series {
  if (last === undefined) return { name, labels: {}, timestamps, values };
  const ts = new Float64Array(timestamps.length + 1);
  const vs = new Float64Array(values.length + 1);
  ts[0] = last.time;
  vs[0] = last.value;
  ts.set(timestamps, 1);
  vs.set(values, 1);
  return { name, labels: {}, timestamps: ts, values: vs };
}

/** Levels as percentages: 0.8 → "80%". */
export function levelLabel(level: number): string {
  return `${Math.round(level * 1000) / 10}%`;
}

function buildModel(series: Series | undefined, precomputed: HoltWintersForecast | undefined, horizon: number | undefined, options: ForecastChartProps['forecastOptions'], levels: readonly number[]): ForecastModel | undefined {
  if (series !== undefined) validateChartSeries(series, 'series');
  levels.forEach((level, i) => {
    if (typeof level !== 'number' || !(level > 0 && level < 1)) throw new ValidationError(`levels[${i}]`, 'a number in (0, 1)', level);
  });
  if (levels.length === 0) throw new ValidationError('levels', 'at least one level', levels);
  let forecast = precomputed;
  if (forecast === undefined) {
    if (series === undefined || countFinite(series.values) === 0) return undefined;
    const points = horizon ?? Math.max(1, Math.round(series.values.length / 4));
    forecast = holtWintersForecast(series, { ...(options ?? {}), horizon: points, level: Math.max(...levels) });
  }
  const intervals = forecastIntervals(forecast, levels);
  const last = series === undefined ? undefined : lastFinite(series);
  return {
    forecast,
    intervals,
    last,
    mean: joinLast(last, forecast.timestamps, forecast.mean, 'forecast'),
    bands: intervals.map((interval) => ({ level: interval.level, lower: joinLast(last, forecast.timestamps, interval.lower, `${levelLabel(interval.level)} low`), upper: joinLast(last, forecast.timestamps, interval.upper, `${levelLabel(interval.level)} high`) })),
  };
}

/** The sentence under the chart about the threshold. */
export function crossingSentence(crossing: ForecastThresholdCrossing, limitText: string, level: number, forecastEnd: number, format: (time: number) => string): string {
  const interval = `${levelLabel(level)} interval`;
  if (crossing.alreadyCrossed) return `Already ${crossing.direction === 'rising' ? 'at or above' : 'at or below'} ${limitText}.`;
  if (crossing.at === null) {
    const verb = crossing.direction === 'rising' ? 'stays below' : 'stays above';
    return crossing.earliest === null
      ? `The forecast ${verb} ${limitText} until ${format(forecastEnd)}, even at the edge of the ${interval}.`
      : `The forecast ${verb} ${limitText} until ${format(forecastEnd)}; the ${interval} reaches it from ${format(crossing.earliest)}.`;
  }
  const from = crossing.earliest ?? crossing.at;
  const until = crossing.latest === null ? `after ${format(forecastEnd)}` : format(crossing.latest);
  return `Forecast reaches ${limitText} at ${format(crossing.at)} (${interval}: ${format(from)} to ${until}).`;
}

const ChartBody = /* @__PURE__ */ forwardRef<HTMLElement, ForecastChartProps>(function ForecastChartBody(props, ref) {
  const { title, series, unit, height = 260, width, zoomable = true, timeZone = 'local', loading = false, description, threshold, onDraw, onTimeRangeChange, className, style } = props;
  const levels = props.levels ?? DEFAULT_LEVELS;
  const levelsKey = levels.join(',');
  const optionsKey = JSON.stringify(props.forecastOptions ?? {});
  const store = useDashboardStoreApi();
  const id = useId();
  const chartId = props.chartId ?? id;
  const group = props.syncGroup ?? `forecast:${chartId}`;
  const titleId = `${id}-title`;

  const computed = useMemo((): { model?: ForecastModel | undefined; error?: unknown } => {
    try {
      return { model: buildModel(series, props.forecast, props.horizon, JSON.parse(optionsKey) as ForecastChartProps['forecastOptions'], levelsKey.split(',').map(Number)) };
    } catch (error) {
      return { error };
    }
  }, [series, props.forecast, props.horizon, optionsKey, levelsKey]);
  const model = computed.model;

  const crossing = useMemo(() => {
    if (model === undefined || threshold === undefined || model.last === undefined) return undefined;
    const inner = model.intervals[0] as ForecastInterval;
    return forecastThresholdCrossing(model.forecast.timestamps, model.forecast.mean, inner, threshold.value, model.last.value, threshold.direction ?? 'rising');
  }, [model, threshold]);

  const extent = useMemo((): TimeRange | null => {
    if (model === undefined) return null;
    const f = model.forecast.timestamps;
    const start = series !== undefined && series.timestamps.length > 0 ? (series.timestamps[0] as number) : (f[0] as number);
    const end = f.length > 0 ? (f[f.length - 1] as number) : start;
    return { start, end: Math.max(end, start + 1) };
  }, [model, series]);
  const storeRange = useStore(store, (state) => state.timeRange);
  const xDomain = props.timeRange !== undefined ? (props.timeRange ?? extent) : (storeRange ?? extent);
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

  const formatValue = useMemo(() => {
    const base = props.formatValue ?? formatChartValue;
    return (value: number) => withUnit(base(value), unit);
  }, [props.formatValue, unit]);
  const formatTick = props.formatValue ?? formatChartValue;

  const lines = useMemo((): PlotLine[] => {
    if (model === undefined) return [];
    const history: PlotLine[] = series === undefined ? [] : [{ key: series.name ?? 'history', series, colorIndex: 0 }];
    return [...history, { key: 'forecast', series: model.mean, colorIndex: 0, dash: [6, 4] }];
  }, [model, series]);
  const bands = useMemo((): PlotBand[] => (model === undefined ? [] : model.bands.map((band) => ({ key: `${levelLabel(band.level)} interval`, lower: band.lower, upper: band.upper, colorIndex: 0, opacity: 0.9 }))), [model]);
  const limitText = threshold === undefined ? '' : (threshold.label ?? `limit ${formatValue(threshold.value)}`);
  const thresholds = useMemo((): ChartThreshold[] => (threshold === undefined ? [] : [{ value: threshold.value, label: limitText, severity: 'critical' }]), [threshold, limitText]);
  const yInclude = useMemo(() => (threshold === undefined ? [] : [threshold.value]), [threshold]);

  const [drawn, setDrawn] = useState<ChartDrawInfo | null>(null);
  const onPlotDraw = useCallback(
    (info: ChartDrawInfo) => {
      setDrawn((previous) => (previous !== null && previous.pointsDrawn === info.pointsDrawn && previous.pointsInRange === info.pointsInRange ? previous : info));
      onDraw?.(info);
    },
    [onDraw],
  );

  const error = computed.error ?? props.error;
  const hasError = error !== undefined && error !== null && error !== false;
  const state = loading ? 'loading' : hasError ? 'error' : model === undefined || xDomain === null ? 'empty' : 'ready';
  const note = state === 'ready' && drawn !== null && drawn.pointsDrawn < drawn.pointsInRange ? `${formatCount(drawn.pointsInRange)} points, drawn at ${formatCount(drawn.pointsDrawn)}` : undefined;
  const formatTime = (time: number) => formatChartTime(time, timeZone);
  const sentence = crossing === undefined || model === undefined ? undefined : crossingSentence(crossing, limitText, model.intervals[0]?.level ?? 0.8, model.forecast.timestamps[model.forecast.timestamps.length - 1] ?? 0, formatTime);
  const p = model?.forecast.parameters;
  const modelText = p === undefined ? '' : `Holt-Winters${p.seasonality === 'none' ? ', no season' : `, ${p.seasonality} season of ${p.period} points`}; ${formatCount(model?.forecast.mean.length ?? 0)} points ahead.`;

  return (
    <ChartFrame
      ref={ref}
      title={title}
      titleId={titleId}
      loading={loading}
      className={className === undefined ? 'vigil-forecast-chart' : `vigil-forecast-chart ${className}`}
      style={style}
      note={note}
      header={
        state === 'ready' ? (
          <ul aria-label={`${title} legend`} style={legendListStyle}>
            {series === undefined ? null : <LegendEntry kind="line" color={seriesColorVar(0)} label={series.name ?? 'history'} />}
            <LegendEntry kind="dashed" color={seriesColorVar(0)} label="forecast" />
            {levels.map((level, i) => (
              <LegendEntry key={level} kind="band" color={seriesColorVar(0)} opacity={levels.length - i} label={`${levelLabel(level)} interval`} />
            ))}
            {threshold === undefined ? null : <LegendEntry kind="dashed" color="var(--vigil-critical, #c2261e)" label={limitText} />}
          </ul>
        ) : undefined
      }
    >
      {state !== 'ready' || xDomain === null ? (
        <ChartStateBody state={state === 'ready' ? 'empty' : state} height={height} title={title} message={errorMessage(error)} />
      ) : (
        <>
          <LayeredPlot
            lines={lines}
            bands={bands}
            thresholds={thresholds}
            yInclude={yInclude}
            xDomain={xDomain}
            height={height}
            width={width}
            store={store}
            syncGroup={group}
            chartId={chartId}
            extent={extent}
            zoomable={zoomable}
            onZoom={onZoom}
            onReset={onReset}
            formatValue={formatValue}
            formatTick={formatTick}
            timeZone={timeZone}
            labelledBy={titleId}
            idPrefix={id}
            description={[description, modelText, sentence].filter(Boolean).join(' ')}
            onDraw={onPlotDraw}
            overlay={crossing === undefined ? undefined : (geometry) => <CrossingMarker geometry={geometry} crossing={crossing} threshold={threshold?.value ?? 0} />}
          />
          <p data-testid="vigil-forecast-summary" style={{ margin: '6px 0 0', fontSize: 12 }}>
            {sentence === undefined ? null : <strong style={{ fontWeight: 600 }}>{sentence} </strong>}
            <span style={mutedText}>{modelText}</span>
          </p>
        </>
      )}
    </ChartFrame>
  );
});

/** The crossing on the plot: a vertical line at the estimate and a bar over the interval on the threshold line. */
function CrossingMarker({ geometry, crossing, threshold }: { geometry: PlotGeometry; crossing: ForecastThresholdCrossing; threshold: number }): ReactNode {
  const { scales, margins, plotWidth, plotHeight } = geometry;
  if (crossing.at === null && crossing.earliest === null) return null;
  const y = scales.y(threshold);
  const clampX = (t: number) => Math.max(0, Math.min(plotWidth, scales.x(t)));
  const from = clampX(crossing.earliest ?? crossing.at ?? 0);
  const to = crossing.latest === null ? plotWidth : clampX(crossing.latest);
  const at = crossing.at === null ? null : clampX(crossing.at);
  return (
    <div aria-hidden="true" data-testid="vigil-forecast-crossing" style={{ position: 'absolute', left: margins.left, top: margins.top, width: plotWidth, height: plotHeight, pointerEvents: 'none', overflow: 'visible' }}>
      {y >= 0 && y <= plotHeight ? <div style={{ position: 'absolute', left: Math.min(from, to), width: Math.max(2, Math.abs(to - from)), top: y - 4, height: 8, borderRadius: 4, background: 'var(--vigil-critical, #c2261e)', opacity: 0.35 }} /> : null}
      {at === null ? null : (
        <>
          <div style={{ position: 'absolute', left: Math.round(at), top: 0, height: plotHeight, width: 0, borderLeft: '2px solid var(--vigil-critical, #c2261e)' }} />
          <div style={{ position: 'absolute', left: Math.round(at) - 6, top: Math.max(0, Math.min(plotHeight - 12, y - 6)), width: 12, height: 12, borderRadius: 6, background: 'var(--vigil-critical, #c2261e)', boxShadow: '0 0 0 2px var(--vigil-surface, #fff)' }} />
        </>
      )}
    </div>
  );
}

/**
 * History plus a Holt-Winters forecast with prediction intervals (80% and 95% by default, nested bands), and where
 * the forecast reaches a threshold: a marker on the plot and a sentence with the estimate and its interval.
 * Pass `series` (the chart forecasts in a memo) or a precomputed `forecast`.
 *
 * @example
 * <ForecastChart title="Disk used" unit="%" series={diskUsed} horizon={96} threshold={{ value: 90, label: 'limit 90%' }} />
 */
export const ForecastChart = /* @__PURE__ */ forwardRef<HTMLElement, ForecastChartProps>(function ForecastChart(props, ref): ReactNode {
  const fallbackTitleId = useId();
  return (
    <ChartErrorBoundary
      resetKeys={[props.series, props.forecast, props.error]}
      fallback={(caught) => (
        <ChartFrame ref={ref} title={props.title} titleId={fallbackTitleId} className={props.className} style={props.style}>
          <ChartStateBody state="error" height={props.height ?? 260} title={props.title} message={errorMessage(caught)} />
        </ChartFrame>
      )}
    >
      <ChartBody ref={ref} {...props} />
    </ChartErrorBoundary>
  );
});

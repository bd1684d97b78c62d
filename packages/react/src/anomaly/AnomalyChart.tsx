import { forwardRef, useCallback, useId, useMemo, useRef, useState } from 'react';
import type { CSSProperties, KeyboardEvent, ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Series, TimeRange } from '@vigil/core';
import { detectAnomalies } from '@vigil/core/anomaly';
import type { AnomalyExplanation, DetectAnomaliesOptions, DetectionResult } from '@vigil/core/anomaly';
import { useDashboardStoreApi } from '../layout/DashboardProvider';
import { ChartFrame, ChartStateBody, errorMessage } from '../charts/ChartFrame';
import { ChartErrorBoundary } from '../charts/ChartErrorBoundary';
import { formatChartTime, formatChartValue, formatCount, withUnit } from '../charts/format';
import { validateChartSeries } from '../charts/prepare';
import { seriesColorVar } from '../charts/colors';
import type { ChartDrawInfo, ChartThreshold } from '../charts/types';
import { focusRing } from '../charts/styles';
import { LayeredPlot } from './LayeredPlot';
import type { PlotBand, PlotGeometry, PlotLine } from './LayeredPlot';
import { detectionSeries, validateDetectionResult, visibleFlags } from './model';
import type { VisibleFlag } from './model';
import { DETECTOR_NAMES, DIRECTION_WORDS, FlagShape, LegendEntry, firingDetector, legendListStyle, mutedText, smallButton } from './parts';

export interface AnomalyChartProps {
  /** Visible title, and the chart's accessible name. */
  readonly title: string;
  /** Precomputed detector output (`detectAnomalies` / `runDetector` from `@vigil/core/anomaly`). Wins over `series`. */
  readonly result?: DetectionResult | undefined;
  /** A series to run the detector over (in a memo; re-run when the series or the detector options change). */
  readonly series?: Series | undefined;
  /** Legend name of the values. Default: `series.name`, else `value`. */
  readonly name?: string | undefined;
  /** Which detector runs over `series`, and its options. Default: the ensemble. */
  readonly detector?: DetectAnomaliesOptions | undefined;
  /** Unit appended to values, such as `ms` or `%`. */
  readonly unit?: string | undefined;
  readonly formatValue?: ((value: number) => string) | undefined;
  /** Height of the value plot (CSS px). Default 220. */
  readonly height?: number | undefined;
  /** Height of the score strip (CSS px). Default 76. */
  readonly scoreHeight?: number | undefined;
  readonly width?: number | undefined;
  /** Likelihood at which points are flagged, drawn on the strip. Default: the detector's own, for the ensemble and BOCPD. */
  readonly likelihoodThreshold?: number | undefined;
  /** Index into `result.anomalies` of the flag whose explanation shows (controlled); `null` for none. */
  readonly selectedIndex?: number | null | undefined;
  /** Initially selected flag, uncontrolled. */
  readonly defaultSelectedIndex?: number | null | undefined;
  /** Called when a flag is selected or cleared. */
  readonly onSelectedIndexChange?: ((index: number | null, anomaly: AnomalyExplanation | null) => void) | undefined;
  /** Controlled x-domain; default: the dashboard store's time range, else the data's extent. */
  readonly timeRange?: TimeRange | null | undefined;
  readonly onTimeRangeChange?: ((range: TimeRange | null) => void) | undefined;
  readonly zoomable?: boolean | undefined;
  readonly syncGroup?: string | undefined;
  readonly chartId?: string | undefined;
  readonly timeZone?: 'local' | 'utc' | undefined;
  readonly loading?: boolean | undefined;
  readonly error?: unknown | undefined;
  readonly description?: string | undefined;
  /** Called after each paint of the value plot. */
  readonly onDraw?: ((info: ChartDrawInfo) => void) | undefined;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

const ENSEMBLE: DetectAnomaliesOptions = { detector: 'ensemble' };
const NO_EXTENT_MARGIN = 60_000;

type Detection = { readonly result: DetectionResult; readonly error?: undefined } | { readonly result?: undefined; readonly error: unknown } | { readonly result?: undefined; readonly error?: undefined };

/** Runs (or checks) the detection: never throws, so a bad input shows as the chart's error state. */
function useDetection(result: DetectionResult | undefined, series: Series | undefined, detector: DetectAnomaliesOptions): Detection {
  const detectorKey = useMemo(() => JSON.stringify(detector), [detector]);
  return useMemo((): Detection => {
    try {
      if (result !== undefined) {
        validateDetectionResult(result);
        return { result };
      }
      if (series === undefined) return {};
      validateChartSeries(series, 'series');
      return { result: detectAnomalies(series, JSON.parse(detectorKey) as DetectAnomaliesOptions) };
    } catch (error) {
      return { error };
    }
  }, [result, series, detectorKey]);
}

const ChartBody = /* @__PURE__ */ forwardRef<HTMLElement, AnomalyChartProps>(function AnomalyChartBody(props, ref) {
  const { title, unit, height = 220, scoreHeight = 76, width, zoomable = true, timeZone = 'local', loading = false, description, onDraw, onTimeRangeChange, className, style } = props;
  const store = useDashboardStoreApi();
  const id = useId();
  const chartId = props.chartId ?? id;
  const group = props.syncGroup ?? `anomaly:${chartId}`;
  const titleId = `${id}-title`;
  const detection = useDetection(props.result, props.series, props.detector ?? ENSEMBLE);
  const result = detection.result;
  const name = props.name ?? props.series?.name ?? 'value';
  const columns = useMemo(() => (result === undefined ? undefined : detectionSeries(result, name)), [result, name]);
  const zeros = useMemo(() => (result === undefined ? undefined : ({ name: 'zero', labels: {}, timestamps: result.timestamps, values: new Float64Array(result.timestamps.length) } satisfies Series)), [result]);

  const extent = useMemo((): TimeRange | null => {
    const ts = result?.timestamps;
    if (ts === undefined || ts.length === 0) return null;
    return { start: ts[0] as number, end: ts[ts.length - 1] as number };
  }, [result]);
  const storeRange = useStore(store, (state) => state.timeRange);
  const chosen = props.timeRange !== undefined ? (props.timeRange ?? extent) : (storeRange ?? extent);
  const xDomain = useMemo((): TimeRange | null => (chosen === null ? null : chosen.end > chosen.start ? chosen : { start: chosen.start - NO_EXTENT_MARGIN, end: chosen.end + NO_EXTENT_MARGIN }), [chosen]);

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

  const [uncontrolled, setUncontrolled] = useState<number | null>(props.defaultSelectedIndex ?? null);
  const selectedRaw = props.selectedIndex !== undefined ? props.selectedIndex : uncontrolled;
  const anomalies = result?.anomalies ?? [];
  const selected = selectedRaw !== null && selectedRaw >= 0 && selectedRaw < anomalies.length ? selectedRaw : null;
  const select = useCallback(
    (index: number | null) => {
      if (props.selectedIndex === undefined) setUncontrolled(index);
      props.onSelectedIndexChange?.(index, index === null ? null : (anomalies[index] ?? null));
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the callbacks are read fresh each render
    [props.selectedIndex, props.onSelectedIndexChange, anomalies],
  );

  const formatValue = useMemo(() => {
    const base = props.formatValue ?? formatChartValue;
    return (value: number) => withUnit(base(value), unit);
  }, [props.formatValue, unit]);
  const formatTick = props.formatValue ?? formatChartValue;

  const mainLines = useMemo((): PlotLine[] => (columns === undefined ? [] : [{ key: 'expected', series: columns.expected, colorIndex: 7, dash: [5, 4] }, { key: name, series: columns.values, colorIndex: 0 }]), [columns, name]);
  const mainBands = useMemo((): PlotBand[] => (columns === undefined ? [] : [{ key: 'expected band', lower: columns.lower, upper: columns.upper, colorIndex: 7, opacity: 0.8 }]), [columns]);
  // The band can be very wide while a detector warms up: the y-domain follows the values and the expected line only.
  const stripLines = useMemo((): PlotLine[] => (columns === undefined ? [] : [{ key: 'anomaly likelihood', series: columns.likelihood, colorIndex: 3 }]), [columns]);
  const stripBands = useMemo((): PlotBand[] => (columns === undefined || zeros === undefined ? [] : [{ key: 'likelihood area', lower: zeros, upper: columns.likelihood, colorIndex: 3, opacity: 1.5 }]), [columns, zeros]);
  const threshold = props.likelihoodThreshold ?? (result !== undefined && (result.detector === 'ensemble' || result.detector === 'bocpd') ? (anomalies[0]?.threshold ?? (result.detector === 'ensemble' ? 0.5 : undefined)) : undefined);
  const stripThresholds = useMemo((): ChartThreshold[] => (threshold === undefined ? [] : [{ value: threshold, label: `flag at ${formatChartValue(threshold)}`, severity: 'critical' }]), [threshold]);

  const [drawn, setDrawn] = useState<ChartDrawInfo | null>(null);
  const onMainDraw = useCallback(
    (info: ChartDrawInfo) => {
      setDrawn((previous) => (previous !== null && previous.pointsDrawn === info.pointsDrawn && previous.pointsInRange === info.pointsInRange ? previous : info));
      onDraw?.(info);
    },
    [onDraw],
  );

  const error = detection.error ?? props.error;
  const hasError = error !== undefined && error !== null && error !== false;
  const inView = xDomain !== null && result !== undefined && result.timestamps.length > 0;
  const state = loading ? 'loading' : hasError ? 'error' : !inView ? 'empty' : 'ready';
  const note = state === 'ready' && drawn !== null && drawn.pointsDrawn < drawn.pointsInRange ? `${formatCount(drawn.pointsInRange)} points, drawn at ${formatCount(drawn.pointsDrawn)}` : undefined;
  const flagCount = anomalies.length;
  const detectorName = result === undefined ? '' : (DETECTOR_NAMES[result.detector] ?? result.detector);
  const fullDescription = [description, result === undefined ? undefined : `${flagCount} point${flagCount === 1 ? '' : 's'} flagged by the ${detectorName}.`].filter(Boolean).join(' ');

  return (
    <ChartFrame
      ref={ref}
      title={title}
      titleId={titleId}
      loading={loading}
      className={className === undefined ? 'vigil-anomaly-chart' : `vigil-anomaly-chart ${className}`}
      style={style}
      note={note}
      header={
        state === 'ready' ? (
          <ul aria-label={`${title} legend`} style={legendListStyle}>
            <LegendEntry kind="line" color={seriesColorVar(0)} label={name} />
            <LegendEntry kind="dashed" color={seriesColorVar(7)} label="expected" />
            <LegendEntry kind="band" color={seriesColorVar(7)} label="expected band" />
            <LegendEntry kind="flag" color="var(--vigil-critical)" label={`flagged (${formatCount(flagCount)})`} />
          </ul>
        ) : undefined
      }
    >
      {state !== 'ready' || xDomain === null || columns === undefined ? (
        <div style={{ width: width ?? '100%' }}>
          <ChartStateBody state={state === 'ready' ? 'empty' : state} height={height + scoreHeight} title={title} message={errorMessage(error)} />
        </div>
      ) : (
        <>
          <LayeredPlot
            lines={mainLines}
            bands={mainBands}
            xDomain={xDomain}
            yInclude={EMPTY_NUMBERS}
            bandsInExtent={false}
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
            idPrefix={`${id}-main`}
            description={fullDescription}
            onDraw={onMainDraw}
            overlay={(geometry) => <FlagLayer geometry={geometry} anomalies={anomalies} xDomain={xDomain} selected={selected} onSelect={select} formatValue={formatValue} timeZone={timeZone} />}
          />
          <div aria-hidden={false} style={{ marginTop: 2 }}>
            <LayeredPlot
              lines={stripLines}
              bands={stripBands}
              thresholds={stripThresholds}
              xDomain={xDomain}
              yDomain={UNIT_DOMAIN}
              height={scoreHeight}
              width={width}
              store={store}
              syncGroup={group}
              chartId={`${chartId}-score`}
              extent={extent}
              zoomable={zoomable}
              onZoom={onZoom}
              onReset={onReset}
              formatValue={formatLikelihood}
              formatTick={formatLikelihoodTick}
              timeZone={timeZone}
              labelledBy={`${id}-strip-title`}
              idPrefix={`${id}-strip`}
              description="Anomaly likelihood from 0 (normal) to 1 (certainly anomalous)."
              margins={STRIP_MARGINS}
            />
            <span id={`${id}-strip-title`} style={{ display: 'block', fontSize: 11, marginTop: 2, ...mutedText }}>
              Anomaly likelihood (0–1){threshold === undefined ? '' : `; points at or above ${formatChartValue(threshold)} are flagged`}
            </span>
          </div>
          <ExplanationPanel anomalies={anomalies} selected={selected} onSelect={select} formatValue={formatValue} timeZone={timeZone} />
        </>
      )}
    </ChartFrame>
  );
});

const EMPTY_NUMBERS: readonly number[] = [];
const UNIT_DOMAIN: readonly [number, number] = [0, 1];
const STRIP_MARGINS = { top: 6, bottom: 20 };
const formatLikelihood = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '—');
const formatLikelihoodTick = (value: number) => String(Math.round(value * 100) / 100);

interface FlagLayerProps {
  readonly geometry: PlotGeometry;
  readonly anomalies: readonly AnomalyExplanation[];
  readonly xDomain: TimeRange;
  readonly selected: number | null;
  readonly onSelect: (index: number | null) => void;
  readonly formatValue: (value: number) => string;
  readonly timeZone: 'local' | 'utc';
}

/** A short accessible label for a flag. */
export function flagLabel(anomaly: AnomalyExplanation, formatValue: (value: number) => string, timeZone: 'local' | 'utc', merged = 1): string {
  const extra = merged > 1 ? ` (strongest of ${merged} nearby flags)` : '';
  return `Anomaly at ${formatChartTime(anomaly.timestamp, timeZone)}: ${formatValue(anomaly.value)}, expected ${formatValue(anomaly.expected)}, likelihood ${anomaly.likelihood.toFixed(2)}${extra}`;
}

/**
 * The flags over the plot: one button per visible flag (merged per few pixels), in a toolbar with one tab stop;
 * arrow keys, Home and End move between flags, Enter or Space (or a click) shows the explanation.
 */
function FlagLayer({ geometry, anomalies, xDomain, selected, onSelect, formatValue, timeZone }: FlagLayerProps): ReactNode {
  const { scales, margins, plotWidth, plotHeight } = geometry;
  const flags = useMemo(() => visibleFlags(anomalies, xDomain, plotWidth), [anomalies, xDomain, plotWidth]);
  const [focusIndex, setFocusIndex] = useState(0);
  const [focusVisible, setFocusVisible] = useState<number | null>(null);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  if (flags.length === 0) return null;
  const selectedPosition = flags.findIndex((flag) => flag.index === selected);
  const tabStop = Math.min(focusIndex, flags.length - 1) >= 0 ? (selectedPosition >= 0 && focusVisible === null ? selectedPosition : Math.min(focusIndex, flags.length - 1)) : 0;
  const move = (to: number) => {
    const next = Math.max(0, Math.min(flags.length - 1, to));
    setFocusIndex(next);
    buttons.current[next]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, position: number) => {
    const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 0;
    if (step !== 0) {
      event.preventDefault();
      move(position + step);
    } else if (event.key === 'Home') {
      event.preventDefault();
      move(0);
    } else if (event.key === 'End') {
      event.preventDefault();
      move(flags.length - 1);
    } else if (event.key === 'Escape' && selected !== null) {
      event.preventDefault();
      onSelect(null);
    }
  };
  const [yLow, yHigh] = scales.y.domain() as [number, number];
  return (
    <div role="toolbar" aria-label={`Flagged points (${flags.length})`} aria-orientation="horizontal" data-testid="vigil-anomaly-flags" style={{ position: 'absolute', left: margins.left, top: margins.top, width: plotWidth, height: plotHeight, pointerEvents: 'none' }}>
      {selectedPosition >= 0 ? <div aria-hidden="true" style={{ position: 'absolute', left: Math.round(scales.x(flags[selectedPosition]!.anomaly.timestamp)), top: 0, width: 0, height: plotHeight, borderLeft: '1.5px dashed var(--vigil-critical, #c2261e)' }} /> : null}
      {flags.map((flag: VisibleFlag, position) => {
        const { anomaly } = flag;
        const x = scales.x(anomaly.timestamp);
        const clamped = Math.max(yLow, Math.min(yHigh, Number.isFinite(anomaly.value) ? anomaly.value : yHigh));
        const y = scales.y(clamped);
        const isSelected = flag.index === selected;
        const size = isSelected ? 16 : 12;
        return (
          <button
            key={flag.index}
            ref={(element) => {
              buttons.current[position] = element;
            }}
            type="button"
            tabIndex={position === tabStop ? 0 : -1}
            aria-label={flagLabel(anomaly, formatValue, timeZone, flag.count)}
            aria-pressed={isSelected}
            data-anomaly-index={flag.index}
            onClick={() => {
              setFocusIndex(position);
              onSelect(isSelected ? null : flag.index);
            }}
            onKeyDown={(event) => onKeyDown(event, position)}
            onFocus={(event) => {
              setFocusIndex(position);
              setFocusVisible(isFocusVisible(event.currentTarget) ? position : null);
            }}
            onBlur={() => setFocusVisible(null)}
            style={{
              position: 'absolute',
              left: x - size / 2 - 4,
              top: (anomaly.direction === 'below' ? y + 3 : y - size - 3) - 4,
              width: size + 8,
              height: size + 8,
              padding: 4,
              margin: 0,
              border: 0,
              borderRadius: 4,
              background: 'transparent',
              cursor: 'pointer',
              pointerEvents: 'auto',
              ...(focusVisible === position ? focusRing : { outline: 'none' }),
            }}
          >
            <FlagShape direction={anomaly.direction} size={size} selected={isSelected} />
          </button>
        );
      })}
    </div>
  );
}

function isFocusVisible(element: Element): boolean {
  try {
    return element.matches(':focus-visible');
  } catch {
    return true;
  }
}

interface ExplanationPanelProps {
  readonly anomalies: readonly AnomalyExplanation[];
  readonly selected: number | null;
  readonly onSelect: (index: number | null) => void;
  readonly formatValue: (value: number) => string;
  readonly timeZone: 'local' | 'utc';
}

const panelStyle: CSSProperties = { marginTop: 8, padding: '8px 10px', borderRadius: 6, border: '1px solid var(--vigil-border, #d0d4da)', background: 'var(--vigil-surface-raised, var(--vigil-surface, #fff))', fontSize: 12, lineHeight: 1.5 };
const termStyle: CSSProperties = { ...mutedText, margin: 0 };
const definitionStyle: CSSProperties = { margin: 0, fontVariantNumeric: 'tabular-nums' };

/** The selected flag's explanation as text (expected value, band, score, detector), with previous/next. */
function ExplanationPanel({ anomalies, selected, onSelect, formatValue, timeZone }: ExplanationPanelProps): ReactNode {
  const anomaly = selected === null ? undefined : anomalies[selected];
  const count = anomalies.length;
  return (
    <section aria-label="Anomaly explanation" aria-live="polite" data-testid="vigil-anomaly-explanation" style={panelStyle}>
      {anomaly === undefined || selected === null ? (
        <p style={{ margin: 0, ...mutedText }}>
          {count === 0
            ? 'No points flagged in this series.'
            : `${formatCount(count)} point${count === 1 ? '' : 's'} flagged. Select a flag (click it, or Tab to the flags and use the arrow keys, then Enter) to see why.`}
          {count > 0 ? (
            <>
              {' '}
              <button type="button" style={smallButton} onClick={() => onSelect(strongest(anomalies))}>
                Show the strongest
              </button>
            </>
          ) : null}
        </p>
      ) : (
        <>
          <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap', marginBottom: 4 }}>
            <FlagShape direction={anomaly.direction} size={12} />
            <strong style={{ fontSize: 13 }}>
              Anomaly at {formatChartTime(anomaly.timestamp, timeZone)}: {DIRECTION_WORDS[anomaly.direction]}
            </strong>
            <span style={mutedText}>
              flag {selected + 1} of {formatCount(count)}
            </span>
            <span style={{ marginLeft: 'auto', display: 'inline-flex', gap: 6 }}>
              <button type="button" style={smallButton} disabled={selected === 0} onClick={() => onSelect(selected - 1)}>
                Previous flag
              </button>
              <button type="button" style={smallButton} disabled={selected >= count - 1} onClick={() => onSelect(selected + 1)}>
                Next flag
              </button>
              <button type="button" style={smallButton} onClick={() => onSelect(null)}>
                Close
              </button>
            </span>
          </div>
          <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 12, margin: '4px 0' }}>
            <dt style={termStyle}>Value</dt>
            <dd style={definitionStyle} data-testid="vigil-anomaly-value">
              {formatValue(anomaly.value)}
            </dd>
            <dt style={termStyle}>Expected</dt>
            <dd style={definitionStyle} data-testid="vigil-anomaly-expected">
              {formatValue(anomaly.expected)}
            </dd>
            <dt style={termStyle}>Band</dt>
            <dd style={definitionStyle} data-testid="vigil-anomaly-band">
              {formatValue(anomaly.lower)} – {formatValue(anomaly.upper)}
            </dd>
            <dt style={termStyle}>Score</dt>
            <dd style={definitionStyle} data-testid="vigil-anomaly-score">
              {formatChartValue(anomaly.score)} (flags at {formatChartValue(anomaly.threshold)}); likelihood {anomaly.likelihood.toFixed(2)}
            </dd>
            <dt style={termStyle}>Detector</dt>
            <dd style={definitionStyle} data-testid="vigil-anomaly-detector">
              {firingDetector(anomaly)}
            </dd>
          </dl>
          <p style={{ margin: 0, ...mutedText, overflowWrap: 'anywhere' }}>{anomaly.reason}</p>
        </>
      )}
    </section>
  );
}

/** Index of the flag with the highest likelihood (the earliest on ties). */
export function strongest(anomalies: readonly AnomalyExplanation[]): number | null {
  let best: number | null = null;
  for (let i = 0; i < anomalies.length; i++) if (best === null || (anomalies[i] as AnomalyExplanation).likelihood > (anomalies[best] as AnomalyExplanation).likelihood) best = i;
  return best;
}

/**
 * A series with its expected band and flagged points, a strip of anomaly likelihood (0–1) below, and the selected
 * flag's explanation (expected value, band, score, the detector that fired) as text. Pass a precomputed
 * `DetectionResult`, or a `series` (and `detector`) and the chart runs `detectAnomalies` in a memo. Large series
 * are M4-downsampled; flags merge per few pixels. Flags are one tab stop (arrow keys move, Enter shows why);
 * their shape shows the direction, so colour is never the only signal.
 *
 * @example
 * <AnomalyChart title="p99 latency, checkout" unit="ms" series={p99} detector={{ detector: 'ensemble' }} />
 * <AnomalyChart title="Error rate" result={detectAnomalies(errorRate)} onSelectedIndexChange={(i, a) => log(a?.reason)} />
 */
export const AnomalyChart = /* @__PURE__ */ forwardRef<HTMLElement, AnomalyChartProps>(function AnomalyChart(props, ref): ReactNode {
  const fallbackTitleId = useId();
  return (
    <ChartErrorBoundary
      resetKeys={[props.result, props.series, props.error]}
      fallback={(caught) => (
        <ChartFrame ref={ref} title={props.title} titleId={fallbackTitleId} className={props.className} style={props.style}>
          <ChartStateBody state="error" height={(props.height ?? 220) + (props.scoreHeight ?? 76)} title={props.title} message={errorMessage(caught)} />
        </ChartFrame>
      )}
    >
      <ChartBody ref={ref} {...props} />
    </ChartErrorBoundary>
  );
});

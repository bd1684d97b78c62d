import { forwardRef, useMemo, type CSSProperties, type ForwardedRef, type ReactNode } from 'react';
import type { Series, SourceEvent } from '@vigil/core';
import type { AlertInterval, SLO, SLOStatus, SLOTimeline } from '@vigil/core/slo';
import { calendarPeriods } from '@vigil/core/windows';
import { TimeSeriesChart } from '../charts/TimeSeriesChart';
import type { ChartThreshold } from '../charts/types';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { classNames } from '../utils/class-names';
import { StatusIcon } from '../status/StatusIcon';
import { formatBurnRate, formatDateTime, sloTitle } from './format';
import { ErrorBody, hasError, mutedStyle, panelStyle } from './parts';

export interface ErrorBudgetChartProps {
  /** The SLO definition. */
  readonly slo: SLO | null | undefined;
  /** `sloTimeline` output: budget remaining at each step (resets at calendar boundaries). */
  readonly timeline: SLOTimeline | null | undefined;
  /** `evaluateAlertHistory` output: shaded on the chart, coloured by severity and listed under it. */
  readonly alerts?: readonly AlertInterval[] | null | undefined;
  /**
   * `evaluateSLO` output at the end of the timeline: draws the burn-down projection (dashed) from the last point to
   * the projected exhaustion, clipped to the period end (calendar windows) or a quarter of the shown span.
   */
  readonly status?: SLOStatus | null | undefined;
  /** Title; default "Error budget: <SLO name>". */
  readonly title?: string | undefined;
  /** Height of the plot area with axes, CSS pixels. Default 240. */
  readonly height?: number | undefined;
  /** Fixed width in CSS pixels. Default: the container's width. */
  readonly width?: number | undefined;
  /** Axis time zone. Default `local`. */
  readonly timeZone?: 'local' | 'utc' | undefined;
  readonly loading?: boolean | undefined;
  readonly error?: unknown;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

const percentFormat = /* @__PURE__ */ new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
/** Ticks and tooltip: `55.2%`. */
function formatPercentValue(value: number): string {
  return Number.isFinite(value) ? `${percentFormat.format(value)}%` : '—';
}

/** The y-values of the chart are percentages of the budget. */
const PERCENT = 100;

function isPage(severity: string): boolean {
  const s = severity.toLowerCase();
  return s === 'page' || s === 'critical';
}

/** The budget line: remaining share x 100 at each timeline step. */
export function budgetSeries(timeline: SLOTimeline): Series {
  const values = new Float64Array(timeline.budgetRemaining.length);
  for (let i = 0; i < values.length; i++) values[i] = (timeline.budgetRemaining[i] as number) * PERCENT;
  return { name: 'Budget remaining', labels: {}, timestamps: timeline.timestamps, values };
}

/**
 * The linear burn-down from the last point at the status' projection burn rate: a two-point series ending at the
 * exhaustion time, or at `horizon` (with the value reached there) when exhaustion comes later. Null when not
 * burning, already exhausted, or the status is not at the timeline's end.
 */
export function projectionSeries(slo: SLO, timeline: SLOTimeline, status: SLOStatus, horizonMs: number): Series | null {
  const n = timeline.timestamps.length;
  if (n === 0 || status.exhaustion.state !== 'projected' || status.windowLengthMs <= 0) return null;
  const last = timeline.timestamps[n - 1] as number;
  if (Math.abs(status.at - last) > 1) return null;
  const remaining = status.errorBudget.ratio.remaining;
  const perMs = status.exhaustion.burnRate / status.windowLengthMs;
  if (!(perMs > 0) || remaining <= 0) return null;
  const exhaustAt = status.at + remaining / perMs;
  let end = Math.min(exhaustAt, horizonMs);
  if (slo.window.kind === 'calendar') end = Math.min(end, status.window.end);
  if (!(end > status.at)) return null;
  const endValue = Math.max(0, remaining - perMs * (end - status.at));
  return { name: 'Projection', labels: {}, timestamps: Float64Array.of(status.at, end), values: Float64Array.of(remaining * PERCENT, endValue * PERCENT) };
}

/** Alert intervals as chart events (shaded ranges): page tiers critical, other tiers warning. */
export function alertEvents(alerts: readonly AlertInterval[], rangeEnd: number): SourceEvent[] {
  return alerts.map((a, i) => ({
    id: `alert-${i}-${a.tier}-${a.start}`,
    kind: 'alert' as const,
    title: `${a.tier} (${a.severity}) burn ${formatBurnRate(a.maxBurnRate.long)} over ${formatBurnRate(a.threshold)}${a.end === null ? ', still firing' : ''}`,
    time: a.start,
    endTime: a.end ?? Math.max(a.start, rangeEnd),
    severity: isPage(a.severity) ? ('critical' as const) : ('warning' as const),
    labels: { tier: a.tier, severity: a.severity },
  }));
}

function AlertList({ alerts, timeZone }: { readonly alerts: readonly AlertInterval[]; readonly timeZone: 'local' | 'utc' }): ReactNode {
  const zone = timeZone === 'utc' ? 'UTC' : undefined;
  const shown = alerts.slice(-8);
  return (
    <div className="vigil-slo-chart__alerts" style={{ marginTop: 8, fontSize: '0.75rem' }}>
      <p style={{ margin: '0 0 4px', ...mutedStyle }}>
        {alerts.length === 0 ? 'No burn-rate alerts in this range.' : `${alerts.length} burn-rate alert${alerts.length === 1 ? '' : 's'} in this range${alerts.length > shown.length ? ` (latest ${shown.length} listed)` : ''}:`}
      </p>
      {shown.length > 0 && (
        <ul style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 12px', margin: 0, padding: 0, listStyle: 'none' }}>
          {shown.map((a) => (
            <li key={`${a.tier}-${a.start}`} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }} data-severity={a.severity}>
              <StatusIcon status={isPage(a.severity) ? 'critical' : 'warning'} style={{ color: isPage(a.severity) ? 'var(--vigil-event-incident)' : 'var(--vigil-warning)' }} />
              <strong>{a.tier}</strong>
              <span>
                {formatDateTime(a.start, zone)} – {a.end === null ? 'now (firing)' : formatDateTime(a.end, zone)}, max {formatBurnRate(a.maxBurnRate.long)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ErrorBudgetChartInner(props: ErrorBudgetChartProps & { readonly forwardedRef: ForwardedRef<HTMLElement> }): ReactNode {
  const { slo, timeline, alerts, status, title, height = 240, width, timeZone = 'local', loading = false, error, className, style, forwardedRef } = props;
  const heading = title ?? (slo ? `Error budget: ${sloTitle(slo)}` : 'Error budget');
  const prepared = useMemo(() => {
    if (!slo || !timeline || timeline.timestamps.length === 0) return null;
    const n = timeline.timestamps.length;
    const start = timeline.timestamps[0] as number;
    const end = timeline.timestamps[n - 1] as number;
    const budget = budgetSeries(timeline);
    const horizon = end + Math.max((end - start) / 4, 3_600_000);
    const projection = status ? projectionSeries(slo, timeline, status, horizon) : null;
    const events: SourceEvent[] = alertEvents(alerts ?? [], end);
    if (slo.window.kind === 'calendar' && end > start) {
      const periods = calendarPeriods({ start, end }, slo.window.unit, { timeZone: slo.window.timeZone, weekStartsOn: slo.window.weekStartsOn, maxPeriods: 400 });
      for (const p of periods.slice(1)) events.push({ id: `reset-${p.start}`, kind: 'annotation', title: `Budget resets (new ${slo.window.unit})`, time: p.start, severity: 'info' });
    }
    let min = 0;
    for (let i = 0; i < n; i++) min = Math.min(min, budget.values[i] as number);
    return { series: projection ? [budget, projection] : [budget], events, min, hasData: timeline.hasData.some((v) => v === 1) };
  }, [slo, timeline, alerts, status]);

  const thresholds = useMemo<ChartThreshold[]>(
    () => (slo ? [{ value: 0, label: 'Exhausted', severity: 'critical' }, { value: slo.status.atRiskRemaining * PERCENT, label: 'At risk', severity: 'warning' }] : []),
    [slo],
  );
  const yDomain = useMemo<readonly [number, number]>(() => [Math.min(0, Math.floor((prepared?.min ?? 0) / 25) * 25), 100], [prepared]);
  const description = prepared
    ? `Share of the error budget left over time, in percent${slo?.window.kind === 'calendar' ? ', resetting to 100% at each calendar boundary' : ''}. ${
        prepared.series.length > 1 ? 'The dashed line projects the current burn rate to exhaustion. ' : ''
      }${alerts && alerts.length > 0 ? `${alerts.length} alert intervals are shaded.` : ''}${prepared.hasData ? '' : ' No traffic in this range: the full budget remains.'}`
    : undefined;

  if (hasError(error) && !slo) {
    return (
      <figure ref={forwardedRef} className={classNames('vigil-slo-chart', className)} style={{ ...panelStyle, ...style }} aria-label={heading}>
        <ErrorBody error={error} />
      </figure>
    );
  }
  return (
    <div className={classNames('vigil-slo-chart', className)} style={style}>
      <TimeSeriesChart
        ref={forwardedRef}
        title={heading}
        series={prepared?.series ?? []}
        events={prepared?.events ?? []}
        thresholds={thresholds}
        formatValue={formatPercentValue}
        yDomain={yDomain}
        height={height}
        {...(width === undefined ? {} : { width })}
        dashPatterns="always"
        timeZone={timeZone}
        loading={loading}
        error={hasError(error) ? error : undefined}
        {...(description === undefined ? {} : { description })}
      />
      {prepared && !loading && !hasError(error) && alerts && <AlertList alerts={alerts} timeZone={timeZone} />}
    </div>
  );
}

/**
 * The error budget over time: the share left at each step (it resets to 100% at calendar boundaries, which are
 * marked), a dashed burn-down projection from now to exhaustion at the current burn rate, the at-risk and exhausted
 * levels as labelled lines, and the burn-rate alert intervals shaded (page red, ticket amber) with a focusable
 * label each and a list under the chart. Built on `TimeSeriesChart` (crosshair, zoom, keyboard, M4 downsampling).
 *
 * @example
 * const timeline = sloTimeline(slo, events, { range, stepMs: 600_000 });
 * const alerts = evaluateAlertHistory(slo, events, { range, stepMs: 60_000 });
 * <ErrorBudgetChart slo={slo} timeline={timeline} alerts={alerts} status={evaluateSLO(slo, events, { at: range.end })} />
 */
export const ErrorBudgetChart = /* @__PURE__ */ forwardRef<HTMLElement, ErrorBudgetChartProps>(function ErrorBudgetChart(props, ref) {
  return (
    <VigilErrorBoundary
      resetKeys={[props.slo, props.timeline, props.alerts, props.status, props.error]}
      fallback={(caught) => (
        <figure ref={ref} className={classNames('vigil-slo-chart', props.className)} style={{ ...panelStyle, ...props.style }} aria-label={props.title ?? 'Error budget'}>
          <ErrorBody error={caught} />
        </figure>
      )}
    >
      <ErrorBudgetChartInner {...props} forwardedRef={ref} />
    </VigilErrorBoundary>
  );
});

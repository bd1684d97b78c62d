import { forwardRef, useId, useMemo } from 'react';
import type { CSSProperties, ReactNode } from 'react';
import type { Series } from '@vigil/core';
import { formatChartTime, formatChartValue, withUnit } from '../charts/format';
import { describeError } from '../utils/errors';
import { formatDuration, formatDurationRange, planCapacity } from './model';
import type { CapacityPlan, CapacityPlanOptions } from './model';
import { mutedText } from './parts';

export interface CapacityPlannerProps {
  /** What is running out, as a noun: `Disk`, `Memory of checkout`. */
  readonly resource: string;
  /** The usage history. */
  readonly series?: Series | undefined;
  /** The limit, in the series' units. */
  readonly limit: number;
  /** How to say the limit: `90%`. Default: the formatted value. */
  readonly limitLabel?: string | undefined;
  /** A precomputed plan (`planCapacity`); wins over `series`. */
  readonly plan?: CapacityPlan | undefined;
  /** Horizon, level, method, direction, minimum points, now. */
  readonly options?: CapacityPlanOptions | undefined;
  readonly unit?: string | undefined;
  readonly formatValue?: ((value: number) => string) | undefined;
  readonly timeZone?: 'local' | 'utc' | undefined;
  readonly loading?: boolean | undefined;
  readonly error?: unknown | undefined;
  /** Heading level of the card title (default 3). */
  readonly headingLevel?: 2 | 3 | 4 | 5 | 6 | undefined;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

/** The words for a plan: a short status, a headline and a detail line. Pure, so tests and notifications can use it. */
export interface CapacityWords {
  readonly status: 'critical' | 'warning' | 'ok' | 'unknown';
  readonly label: string;
  readonly headline: string;
  readonly detail: string;
}

/**
 * Puts a capacity plan into words: "Disk reaches 90% in 9–14 days (80% interval)".
 *
 * @example
 * capacityWords(plan, { resource: 'Disk', limitText: '90%', horizonMs: 30 * 86_400_000, formatTime, formatValue })
 */
export function capacityWords(plan: CapacityPlan, context: { resource: string; limitText: string; horizonMs: number; formatTime: (t: number) => string; formatValue: (v: number) => string }): CapacityWords {
  const { resource, limitText, horizonMs, formatTime, formatValue } = context;
  const level = (l: number) => `${Math.round(l * 100)}% interval`;
  switch (plan.status) {
    case 'crossing': {
      const from = plan.earliest - plan.now;
      const range = plan.latest === null ? `${formatDuration(Math.max(0, from))} or later` : formatDurationRange(Math.max(0, from), plan.latest - plan.now);
      const soon = plan.at - plan.now <= horizonMs / 4;
      return {
        status: soon ? 'critical' : 'warning',
        label: soon ? 'Soon' : 'Within horizon',
        headline: `${resource} reaches ${limitText} in ${range} (${level(plan.level)})`,
        detail: `Most likely around ${formatTime(plan.at)}, in ${formatDuration(plan.at - plan.now)}. Now ${formatValue(plan.currentValue)}.`,
      };
    }
    case 'beyond-horizon':
      return {
        status: 'ok',
        label: 'Not within horizon',
        headline: `${resource} does not reach ${limitText} within ${formatDuration(horizonMs)}`,
        detail: plan.at === null ? `Now ${formatValue(plan.currentValue)}; the trend is flat or moving away from the limit.` : `Now ${formatValue(plan.currentValue)}; at this trend it would take ${formatDuration(plan.at - plan.now)}.`,
      };
    case 'already-over':
      return { status: 'critical', label: 'Over the limit', headline: `${resource} is already over ${limitText}`, detail: `Now ${formatValue(plan.currentValue)}, since at least ${formatTime(plan.now)}.` };
    case 'not-enough-data':
      return { status: 'unknown', label: 'Not enough data', headline: `Not enough data to forecast ${resource}`, detail: `${plan.have} of the ${plan.need} points needed.` };
    case 'error':
      return { status: 'unknown', label: 'Error', headline: `Could not forecast ${resource}`, detail: describeError(plan.error).message };
  }
}

const cardStyle: CSSProperties = {
  fontFamily: 'var(--vigil-font, system-ui, sans-serif)',
  color: 'var(--vigil-fg, #1a1a1a)',
  background: 'var(--vigil-surface, #fff)',
  border: '1px solid var(--vigil-border, #d0d4da)',
  borderRadius: 8,
  padding: 12,
  fontSize: 13,
  lineHeight: 1.45,
  minWidth: 0,
};

const STATUS_COLOR: Record<CapacityWords['status'], string> = {
  critical: 'var(--vigil-critical, #c2261e)',
  warning: 'var(--vigil-warning, #8a5700)',
  ok: 'var(--vigil-ok, #1a7f37)',
  unknown: 'var(--vigil-unknown, var(--vigil-fg-muted, #5c6370))',
};
const STATUS_ICON: Record<CapacityWords['status'], string> = { critical: '!', warning: '◷', ok: '✓', unknown: '?' };

/**
 * A card that says when a resource reaches its limit, with an interval: "Disk reaches 90% in 9–14 days (80%
 * interval)". States: within the horizon, not within the horizon (or never), already over, not enough data,
 * loading and error. The status is an icon, a word and a colour. Uses the Theil–Sen trend by default
 * (`options.method: 'holt-winters'` for seasonal data).
 *
 * @example
 * <CapacityPlanner resource="Disk" series={diskUsedPercent} limit={90} limitLabel="90%" unit="%" options={{ horizonMs: 30 * 86_400_000 }} />
 */
export const CapacityPlanner = /* @__PURE__ */ forwardRef<HTMLElement, CapacityPlannerProps>(function CapacityPlanner(props, ref): ReactNode {
  const { resource, series, limit, limitLabel, unit, timeZone = 'local', loading = false, error, headingLevel = 3, className, style } = props;
  const titleId = useId();
  const optionsKey = JSON.stringify(props.options ?? {});
  const plan = useMemo((): CapacityPlan | undefined => {
    if (props.plan !== undefined) return props.plan;
    if (loading) return undefined;
    return planCapacity(series, limit, JSON.parse(optionsKey) as CapacityPlanOptions);
  }, [props.plan, series, limit, optionsKey, loading]);
  const formatValue = (value: number) => withUnit((props.formatValue ?? formatChartValue)(value), unit);
  const horizonMs = props.options?.horizonMs ?? 30 * 86_400_000;
  const hasError = error !== undefined && error !== null && error !== false;
  const words = hasError
    ? capacityWords({ status: 'error', error }, { resource, limitText: '', horizonMs, formatTime: String, formatValue })
    : plan === undefined
      ? undefined
      : capacityWords(plan, { resource, limitText: limitLabel ?? formatValue(limit), horizonMs, formatTime: (t) => formatChartTime(t, timeZone), formatValue });
  const Heading = `h${headingLevel}` as 'h3';
  const status = words?.status ?? 'unknown';
  const dataStatus = hasError ? 'error' : loading || plan === undefined ? 'loading' : plan.status;
  return (
    <section
      ref={ref}
      aria-labelledby={titleId}
      aria-busy={loading ? true : undefined}
      className={className === undefined ? 'vigil-capacity-planner' : `vigil-capacity-planner ${className}`}
      data-status={dataStatus}
      style={{ ...cardStyle, borderLeft: `4px solid ${STATUS_COLOR[status]}`, ...style }}
    >
      <div style={{ display: 'flex', alignItems: 'baseline', gap: 8, flexWrap: 'wrap' }}>
        <Heading id={titleId} style={{ margin: 0, fontSize: 14, fontWeight: 600 }}>
          {resource} capacity
        </Heading>
        {words === undefined ? null : (
          <span data-testid="vigil-capacity-status" style={{ display: 'inline-flex', alignItems: 'center', gap: 4, fontSize: 12, fontWeight: 600, color: 'var(--vigil-fg, #1a1a1a)' }}>
            <span aria-hidden="true" style={{ display: 'inline-grid', placeItems: 'center', width: 16, height: 16, borderRadius: 8, background: STATUS_COLOR[status], color: 'var(--vigil-surface, #fff)', fontSize: 11, lineHeight: 1 }}>
              {STATUS_ICON[status]}
            </span>
            {words.label}
          </span>
        )}
      </div>
      {words === undefined ? (
        <div role="status" style={{ marginTop: 8 }}>
          <div className="vigil-chart-skeleton" aria-hidden="true" style={{ height: 18, width: '80%', borderRadius: 4, background: 'var(--vigil-grid, #eef0f3)' }} />
          <span style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>Forecasting {resource}…</span>
        </div>
      ) : (
        <div role={hasError || plan?.status === 'error' ? 'alert' : undefined}>
          <p data-testid="vigil-capacity-headline" style={{ margin: '6px 0 2px', fontSize: 15, fontWeight: 600 }}>
            {words.headline}
          </p>
          <p data-testid="vigil-capacity-detail" style={{ margin: 0, ...mutedText }}>
            {words.detail}
          </p>
        </div>
      )}
    </section>
  );
});

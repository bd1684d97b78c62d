import { forwardRef, useId, type CSSProperties, type ForwardedRef, type HTMLAttributes, type ReactNode } from 'react';
import type { Series } from '@vigil/core';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { classNames } from '../utils/class-names';
import { describeError } from '../utils/errors';
import { formatValue, formatValueParts, percentChange, type ValueUnit } from '../utils/format';
import { StatusBadge, StatusIcon } from '../status/StatusIcon';
import { isHealthState, statusFromThresholds, type HealthState, type Thresholds } from '../status/status';
import { Sparkline, type SparklineData } from './Sparkline';

export type DeltaDirection = 'higher-is-better' | 'lower-is-better';

export interface MetricCardProps extends Omit<HTMLAttributes<HTMLDivElement>, 'title' | 'children'> {
  /** What the number is, such as "p95 latency". */
  readonly title: ReactNode;
  /** The current value; null, undefined, NaN and ±Infinity show "—" (no data). */
  readonly value: number | null | undefined;
  /** Unit for formatting (see `formatValue`); any other string is printed after the number. */
  readonly unit?: ValueUnit | undefined;
  /** The value in the previous period: shows the change in percent with an arrow. */
  readonly previousValue?: number | null | undefined;
  /** Whether a rise is good (throughput) or bad (latency). Without it the change is neutral. */
  readonly deltaDirection?: DeltaDirection | undefined;
  /** Words after the change. Default "vs previous period". */
  readonly deltaLabel?: string | undefined;
  /** A trend under the value. */
  readonly sparkline?: Series | SparklineData | undefined;
  /** Status from the value: colour, icon and words. */
  readonly thresholds?: Thresholds | undefined;
  /** Status given directly; wins over thresholds. */
  readonly status?: HealthState | undefined;
  /** Shows a placeholder while the first value loads (and aria-busy while refreshing). */
  readonly loading?: boolean | undefined;
  /** Shows the error's message instead of the value (the code too, for VigilError). */
  readonly error?: unknown | undefined;
  /** A line of context under the value. */
  readonly description?: ReactNode | undefined;
  /** Custom formatting of the value (and of the change's absolute form). */
  readonly format?: ((value: number) => string) | undefined;
  /** Significant digits for the built-in formatting. */
  readonly precision?: number | undefined;
  /** Heading level of the title. Default 3. */
  readonly headingLevel?: 2 | 3 | 4 | 5 | 6 | undefined;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

interface DeltaView {
  readonly text: string;
  readonly trend: 'up' | 'down' | 'flat';
  readonly quality: 'good' | 'bad' | 'neutral';
}

function deltaView(props: MetricCardProps): DeltaView | undefined {
  const { value, previousValue, deltaDirection, unit, format, precision } = props;
  if (previousValue === undefined || previousValue === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || !Number.isFinite(previousValue)) return undefined;
  const change = percentChange(value, previousValue);
  let text: string;
  let amount: number;
  if (change === undefined) {
    // From 0 to something: a relative change is undefined, so show the absolute one.
    amount = value - previousValue;
    text = format ? `${amount > 0 ? '+' : ''}${format(amount)}` : formatValue(amount, unit, { signed: true, ...(precision === undefined ? {} : { precision }) });
  } else {
    amount = change;
    text = formatValue(change, 'percent', { signed: true, precision: 3 });
  }
  const trend = text.startsWith('+') ? 'up' : text.startsWith('-') ? 'down' : 'flat';
  const quality =
    trend === 'flat' || deltaDirection === undefined
      ? 'neutral'
      : (trend === 'up') === (deltaDirection === 'higher-is-better')
        ? 'good'
        : 'bad';
  return { text, trend, quality };
}

interface InnerProps extends MetricCardProps {
  readonly forwardedRef: ForwardedRef<HTMLDivElement>;
}

const arrows = { up: '▲', down: '▼', flat: '▬' } as const;
const trendWords = { up: 'up', down: 'down', flat: 'unchanged' } as const;

function MetricCardInner(props: InnerProps) {
  const {
    title, value, unit, previousValue: _previous, deltaDirection: _direction, deltaLabel = 'vs previous period', sparkline, thresholds,
    status: statusProp, loading = false, error, description, format, precision, headingLevel = 3, className, style, forwardedRef, ...rest
  } = props;
  const titleId = useId();
  const descriptionId = useId();
  if (statusProp !== undefined && !isHealthState(statusProp)) {
    throw new TypeError(`status: expected "ok", "warning", "critical" or "unknown", received ${String(statusProp)}`);
  }
  const hasError = error !== undefined && error !== null && error !== false;
  const hasValue = typeof value === 'number' && Number.isFinite(value);
  const status: HealthState | undefined = hasError ? undefined : statusProp ?? (thresholds ? statusFromThresholds(value, thresholds) : undefined);
  const showSkeleton = loading && !hasValue && !hasError;
  const Heading = `h${headingLevel}` as const;

  let body: ReactNode;
  if (hasError) {
    const { message, code } = describeError(error);
    body = (
      <div className="vigil-error-state" role="alert">
        <StatusIcon status="critical" />
        <span>
          <span className="vigil-visually-hidden">Error: </span>
          {message}
          {code && <span className="vigil-error-state__code"> ({code})</span>}
        </span>
      </div>
    );
  } else if (showSkeleton) {
    body = (
      <p className="vigil-metric-card__value">
        <span className="vigil-skeleton" aria-hidden="true" />
        <span className="vigil-visually-hidden">Loading</span>
      </p>
    );
  } else {
    const options = precision === undefined ? {} : { precision };
    const parts = hasValue && format ? { number: format(value), unit: '', separator: '', noData: false } : formatValueParts(value, unit, options);
    const delta = deltaView(props);
    body = (
      <>
        <p className="vigil-metric-card__value" data-testid="vigil-metric-value">
          {parts.noData ? (
            <span role="img" aria-label="no data">
              {parts.number}
            </span>
          ) : (
            <>
              <span className="vigil-metric-card__number">{parts.number}</span>
              {parts.unit !== '' && (
                <span className={classNames('vigil-metric-card__unit', parts.separator === '' && 'vigil-metric-card__unit--attached')}>
                  {parts.separator}
                  {parts.unit}
                </span>
              )}
            </>
          )}
        </p>
        {(delta || description) && (
          <div className="vigil-metric-card__footer">
            {delta && (
              <span className={`vigil-delta vigil-delta--${delta.quality}`} data-trend={delta.trend} data-quality={delta.quality}>
                <span aria-hidden="true">{arrows[delta.trend]}</span>
                <span className="vigil-visually-hidden">{trendWords[delta.trend]} </span>
                <span>{delta.text}</span>
                {delta.quality !== 'neutral' && <span className="vigil-visually-hidden">, {delta.quality === 'good' ? 'better' : 'worse'}</span>}
                <span className="vigil-delta__period"> {deltaLabel}</span>
              </span>
            )}
            {description && (
              <p className="vigil-metric-card__description" id={descriptionId}>
                {description}
              </p>
            )}
          </div>
        )}
        {sparkline && <Sparkline className="vigil-metric-card__sparkline" data={sparkline} decorative width={240} height={32} area />}
      </>
    );
  }

  return (
    <div
      ref={forwardedRef}
      role="group"
      aria-labelledby={titleId}
      aria-describedby={description && !hasError && !showSkeleton ? descriptionId : undefined}
      aria-busy={loading || undefined}
      data-status={status}
      className={classNames('vigil-metric-card', status && `vigil-status--${status}`, showSkeleton && 'vigil-metric-card--loading', hasError && 'vigil-metric-card--error', className)}
      style={style}
      {...rest}
    >
      <div className="vigil-metric-card__header">
        <Heading className="vigil-metric-card__title" id={titleId}>
          {title}
        </Heading>
        {status && <StatusBadge status={status} />}
      </div>
      {body}
    </div>
  );
}

/**
 * One number that matters, with its unit, change against the previous period, trend and status. The status shows as
 * colour, an icon shape and words; the change as an arrow, a signed percentage and (for screen readers) "better" or
 * "worse". Handles loading, error and no-data states, and never breaks the host page: a failure inside renders an
 * error card.
 *
 * @example
 * <MetricCard title="p95 latency" value={182} unit="ms" previousValue={164} deltaDirection="lower-is-better"
 *   thresholds={{ warning: 250, critical: 400 }} sparkline={series} />
 */
export const MetricCard = /* @__PURE__ */ forwardRef<HTMLDivElement, MetricCardProps>(function MetricCard(props, ref) {
  return (
    <VigilErrorBoundary
      resetKeys={Object.values(props)}
      fallback={(error) => (
        <MetricCardInner
          title={props.title}
          value={undefined}
          error={error}
          forwardedRef={ref}
          {...(props.className === undefined ? {} : { className: props.className })}
          {...(props.style === undefined ? {} : { style: props.style })}
          {...(props.headingLevel === undefined ? {} : { headingLevel: props.headingLevel })}
        />
      )}
    >
      <MetricCardInner {...props} forwardedRef={ref} />
    </VigilErrorBoundary>
  );
});

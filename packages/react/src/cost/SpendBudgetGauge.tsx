import { forwardRef, useId, type CSSProperties, type ForwardedRef, type ReactNode } from 'react';
import type { BudgetForecast } from '@vigil/core/cost';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { classNames } from '../utils/class-names';
import { EmptyBody, ErrorBody, LoadingBody, hasError, headingStyle, mutedStyle, numericStyle, panelStyle } from '../slo/parts';
import { formatPercent, formatUsd } from './format';

/** What the gauge needs from `forecastBudget`'s result. */
export type SpendBudgetForecast = Pick<BudgetForecast, 'spentSoFar' | 'projectedTotal' | 'budget' | 'probabilityOverBudget'> & { readonly expectedExhaustion?: number | undefined };

export interface SpendBudgetGaugeProps {
  readonly forecast: SpendBudgetForecast | null | undefined;
  readonly title?: string | undefined;
  /** Level of the forecast's interval, for the words. Default 0.9 (as `forecastBudget`'s default). */
  readonly confidence?: number | undefined;
  /** Name of the period, e.g. "November". Default "this period". */
  readonly periodLabel?: string | undefined;
  /** Width of the arc, CSS pixels. Default 220. */
  readonly size?: number | undefined;
  /** Formats a date for the exhaustion line. Default ISO date (UTC). */
  readonly formatDate?: ((time: number) => string) | undefined;
  readonly loading?: boolean | undefined;
  readonly error?: unknown;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

function point(cx: number, cy: number, r: number, share: number): [number, number] {
  const angle = Math.PI * (1 - Math.max(0, Math.min(1, share)));
  return [cx + r * Math.cos(angle), cy - r * Math.sin(angle)];
}

function arcPath(cx: number, cy: number, r: number, from: number, to: number): string {
  const [x0, y0] = point(cx, cy, r, from);
  const [x1, y1] = point(cx, cy, r, to);
  return `M${x0.toFixed(2)} ${y0.toFixed(2)}A${r} ${r} 0 0 1 ${x1.toFixed(2)} ${y1.toFixed(2)}`;
}

/** The tone of a probability of overspending: ok below 20%, warning below 50%, critical above. */
export function overBudgetTone(probability: number): 'ok' | 'warning' | 'critical' {
  return probability >= 0.5 ? 'critical' : probability >= 0.2 ? 'warning' : 'ok';
}

const TONE_WORDS = { ok: 'On track', warning: 'At risk', critical: 'Likely over budget' } as const;

function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

function GaugeInner(props: SpendBudgetGaugeProps & { readonly forwardedRef: ForwardedRef<HTMLElement> }): ReactNode {
  const { forecast, title = 'Spend against budget', confidence = 0.9, periodLabel = 'this period', size = 220, formatDate = isoDate, loading = false, error, className, style, forwardedRef } = props;
  const titleId = useId();
  let body: ReactNode;
  if (hasError(error)) body = <ErrorBody error={error} />;
  else if (loading && !forecast) body = <LoadingBody label={title} lines={3} />;
  else if (!forecast) body = <EmptyBody>No budget forecast.</EmptyBody>;
  else if (!(forecast.budget > 0) || !Number.isFinite(forecast.spentSoFar)) body = <EmptyBody>No budget set.</EmptyBody>;
  else {
    const { budget, spentSoFar, projectedTotal, probabilityOverBudget } = forecast;
    const finite = (x: number, fallback: number) => (Number.isFinite(x) ? x : fallback);
    const expected = finite(projectedTotal.expected, spentSoFar);
    const lower = finite(projectedTotal.lower, expected);
    const upper = finite(projectedTotal.upper, expected);
    const probability = finite(probabilityOverBudget, 0);
    const scaleMax = Math.max(budget * 1.25, upper * 1.05, spentSoFar * 1.05);
    const share = (x: number) => Math.max(0, Math.min(1, x / scaleMax));
    const tone = overBudgetTone(probability);
    const stroke = Math.max(10, Math.round(size / 12));
    const r = (size - stroke) / 2 - 8;
    const cx = size / 2;
    const cy = r + stroke / 2 + 8;
    const height = Math.ceil(cy + 6);
    const [bx0, by0] = point(cx, cy, r - stroke / 2 - 3, share(budget));
    const [bx1, by1] = point(cx, cy, r + stroke / 2 + 7, share(budget));
    const level = `${Math.round(confidence * 100)}%`;
    const used = spentSoFar / budget;
    const valueText = `${formatUsd(spentSoFar)} spent of a ${formatUsd(budget)} budget (${formatPercent(used, 0)}). Forecast for ${periodLabel} ${formatUsd(expected)}, ${level} interval ${formatUsd(lower)} to ${formatUsd(upper)}; ${formatPercent(probability, 0)} chance of exceeding the budget.`;
    body = (
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16, alignItems: 'center' }}>
        <div role="meter" aria-label={title} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(Math.max(0, Math.min(1, used)) * 1000) / 10} aria-valuetext={valueText} style={{ position: 'relative', width: size, height: height + 38, flex: 'none' }}>
          <svg width={size} height={height} viewBox={`0 0 ${size} ${height}`} aria-hidden="true" focusable="false" style={{ display: 'block' }}>
            <path d={arcPath(cx, cy, r, 0, 1)} fill="none" stroke="var(--vigil-grid)" strokeWidth={stroke} />
            {/* The forecast interval: a thin arc just outside the track. */}
            <path className="vigil-spend-gauge__interval" d={arcPath(cx, cy, r + stroke / 2 + 4, share(lower), share(upper))} fill="none" stroke="var(--vigil-fg-muted)" strokeWidth={3} strokeLinecap="round" />
            {/* Projected spend for the rest of the period: same hue, lighter, dashed. */}
            {expected > spentSoFar && <path className="vigil-spend-gauge__projected" d={arcPath(cx, cy, r, share(spentSoFar), share(expected))} fill="none" stroke={`var(--vigil-${tone})`} strokeOpacity={0.45} strokeWidth={stroke} strokeDasharray="3 2" />}
            {spentSoFar > 0 && <path className="vigil-spend-gauge__spent" d={arcPath(cx, cy, r, 0, share(spentSoFar))} fill="none" stroke={`var(--vigil-${tone})`} strokeWidth={stroke} />}
            <line x1={bx0} y1={by0} x2={bx1} y2={by1} stroke="var(--vigil-fg)" strokeWidth={2.5} />
          </svg>
          <div aria-hidden="true" style={{ position: 'absolute', insetInline: 0, top: cy - r * 0.55, display: 'grid', justifyItems: 'center', lineHeight: 1.15, ...numericStyle }}>
            <span style={{ fontSize: size / 9, fontWeight: 650 }}>{formatUsd(spentSoFar, { compact: true })}</span>
            <span style={{ fontSize: '0.75rem', ...mutedStyle }}>of {formatUsd(budget, { compact: true })} budget</span>
          </div>
          <div aria-hidden="true" style={{ position: 'absolute', insetInline: 0, top: height + 2, textAlign: 'center', fontSize: '0.8125rem', fontWeight: 600, color: 'var(--vigil-fg)' }}>
            <span style={{ color: `var(--vigil-${tone})` }}>{tone === 'ok' ? '●' : tone === 'warning' ? '▲' : '■'}</span> {TONE_WORDS[tone]}
          </div>
        </div>
        <dl style={{ display: 'grid', gridTemplateColumns: 'auto auto', gap: '4px 12px', margin: 0, fontSize: '0.8125rem', ...numericStyle }}>
          <dt style={mutedStyle}>Spent so far</dt>
          <dd style={{ margin: 0 }}>{formatUsd(spentSoFar)}</dd>
          <dt style={mutedStyle}>Forecast, {periodLabel}</dt>
          <dd style={{ margin: 0, fontWeight: 600 }}>{formatUsd(expected)}</dd>
          <dt style={mutedStyle}>{level} interval</dt>
          <dd style={{ margin: 0 }}>
            {formatUsd(lower)} – {formatUsd(upper)}
          </dd>
          <dt style={mutedStyle}>Chance over budget</dt>
          <dd style={{ margin: 0, fontWeight: 600 }}>{formatPercent(probability, 0)}</dd>
          {forecast.expectedExhaustion !== undefined && Number.isFinite(forecast.expectedExhaustion) && (
            <>
              <dt style={mutedStyle}>Budget runs out</dt>
              <dd style={{ margin: 0 }}>{formatDate(forecast.expectedExhaustion)}</dd>
            </>
          )}
        </dl>
        <p style={{ flexBasis: '100%', margin: 0, fontSize: '0.6875rem', ...mutedStyle }}>Solid arc: spent. Dashed: forecast to the end of {periodLabel}. Outer line: {level} interval. Dark tick: the budget.</p>
      </div>
    );
  }
  return (
    <section ref={forwardedRef} aria-labelledby={titleId} className={classNames('vigil-spend-gauge', className)} style={{ ...panelStyle, display: 'grid', gap: 8, alignContent: 'start', ...style }}>
      <h3 id={titleId} style={headingStyle}>
        {title}
      </h3>
      {body}
    </section>
  );
}

/**
 * Spend so far against a budget, with the forecast for the rest of the period (dashed arc), its prediction
 * interval (outer line) and the probability of exceeding the budget, from `forecastBudget`. A `role="meter"`
 * whose value text says all of it; the state is written out ("On track", "At risk", "Likely over budget") with a
 * shape, so colour is never the only signal. (The SLO error-budget gauge is `BudgetGauge`.)
 *
 * @example
 * const forecast = forecastBudget(spendSeries(table, priced), { budget: 5_000, period: { start, end } });
 * <SpendBudgetGauge forecast={forecast} periodLabel="November" />
 */
export const SpendBudgetGauge = /* @__PURE__ */ forwardRef<HTMLElement, SpendBudgetGaugeProps>(function SpendBudgetGauge(props, ref): ReactNode {
  return (
    <VigilErrorBoundary resetKeys={[props.forecast]} fallback={(error) => <ErrorBody error={error} />}>
      <GaugeInner {...props} forwardedRef={ref} />
    </VigilErrorBoundary>
  );
});

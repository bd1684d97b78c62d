import { forwardRef, type CSSProperties, type ReactNode } from 'react';
import { classNames } from '../utils/class-names';
import { formatShare } from './format';
import { budgetColor, budgetValueText } from './parts';

export interface BudgetGaugeProps {
  /** Remaining share of the error budget: 1 untouched, 0 used up, negative overspent. */
  readonly remaining: number;
  /** Share below which the budget is at risk (a tick on the arc). Default 0.25. */
  readonly atRiskRemaining?: number | undefined;
  /** Colour of the arc: a health state (such as the SLO status'), or by default from the remaining share. */
  readonly tone?: 'ok' | 'warning' | 'critical' | 'unknown' | undefined;
  /** Accessible name. Default "Error budget remaining". */
  readonly label?: string | undefined;
  /** Width in CSS pixels; the height is about 0.6 of it. Default 132. */
  readonly size?: number | undefined;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

/** A point on the gauge's half circle at `share` (0 left, 1 right). */
function point(cx: number, cy: number, r: number, share: number): [number, number] {
  const angle = Math.PI * (1 - share);
  return [cx + r * Math.cos(angle), cy - r * Math.sin(angle)];
}

function arcPath(cx: number, cy: number, r: number, from: number, to: number): string {
  const [x0, y0] = point(cx, cy, r, from);
  const [x1, y1] = point(cx, cy, r, to);
  return `M${x0.toFixed(2)} ${y0.toFixed(2)}A${r} ${r} 0 0 1 ${x1.toFixed(2)} ${y1.toFixed(2)}`;
}

/**
 * A half-circle gauge of the error budget left, as `role="meter"` with the value in percent (clamped to 0–100) and
 * a value text that also says by how much an overspent budget is over. The number in the middle repeats it, so the
 * colour (ok / warning below the at-risk tick / critical when overspent) is never the only signal.
 *
 * @example
 * <BudgetGauge remaining={status.errorBudget.ratio.remaining} atRiskRemaining={slo.status.atRiskRemaining} />
 */
export const BudgetGauge = /* @__PURE__ */ forwardRef<HTMLDivElement, BudgetGaugeProps>(function BudgetGauge({ remaining, atRiskRemaining = 0.25, tone, label = 'Error budget remaining', size = 132, className, style }, ref): ReactNode {
  const value = Number.isFinite(remaining) ? remaining : 0;
  const clamped = Math.max(0, Math.min(1, value));
  const width = size;
  const stroke = Math.max(6, Math.round(size / 11));
  const r = (width - stroke) / 2;
  const cx = width / 2;
  const cy = r + stroke / 2;
  const height = Math.ceil(cy + stroke / 2 + 2);
  const color = tone === undefined ? budgetColor(value, atRiskRemaining) : `var(--vigil-${tone})`;
  const [tx0, ty0] = point(cx, cy, r - stroke / 2 - 1, atRiskRemaining);
  const [tx1, ty1] = point(cx, cy, r + stroke / 2 + 1, atRiskRemaining);
  return (
    <div
      ref={ref}
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(clamped * 1000) / 10}
      aria-valuetext={budgetValueText(value)}
      className={classNames('vigil-slo-gauge', className)}
      data-remaining={value}
      style={{ position: 'relative', width, height, flex: 'none', ...style }}
    >
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true" focusable="false" style={{ display: 'block' }}>
        <path d={arcPath(cx, cy, r, 0, 1)} fill="none" stroke="var(--vigil-grid)" strokeWidth={stroke} strokeLinecap="butt" />
        {clamped > 0 && <path className="vigil-slo-gauge__value" d={arcPath(cx, cy, r, 0, clamped)} fill="none" stroke={color} strokeWidth={stroke} strokeLinecap="butt" />}
        <line x1={tx0} y1={ty0} x2={tx1} y2={ty1} stroke="var(--vigil-fg-muted)" strokeWidth={1.5} />
      </svg>
      <span
        aria-hidden="true"
        style={{ position: 'absolute', insetInline: 0, bottom: 0, display: 'flex', flexDirection: 'column', alignItems: 'center', lineHeight: 1.1 }}
      >
        <span className="vigil-slo-gauge__number" style={{ fontSize: size / 6.2, fontWeight: 650, fontVariantNumeric: 'tabular-nums', color: value < 0 ? 'var(--vigil-critical)' : 'var(--vigil-fg)' }}>
          {formatShare(value, 1)}
        </span>
        <span style={{ fontSize: '0.6875rem', color: 'var(--vigil-fg-muted)' }}>{value < 0 ? 'overspent' : 'budget left'}</span>
      </span>
    </div>
  );
});

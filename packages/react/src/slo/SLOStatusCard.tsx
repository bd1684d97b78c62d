import { forwardRef, useId, type CSSProperties, type ForwardedRef, type HTMLAttributes, type ReactNode } from 'react';
import type { SLO, SLOStatus } from '@vigil/core/slo';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { classNames } from '../utils/class-names';
import { StatusIcon } from '../status/StatusIcon';
import { BudgetGauge } from './BudgetGauge';
import { SLO_STATUS_HEALTH, budgetTimeText, formatBurnRate, formatDateTime, formatShare, formatWindow, sloTitle } from './format';
import { burnChips, type BurnChip } from './model';
import { EmptyBody, ErrorBody, LoadingBody, SLOStatusBadge, hasError, headingStyle, mutedStyle, numericStyle, panelStyle } from './parts';
import { formatBudgetTime } from '@vigil/core/slo';

export interface SLOStatusCardProps extends Omit<HTMLAttributes<HTMLDivElement>, 'title' | 'children'> {
  /** The SLO definition (`defineSLO` or `parseOpenSLO` output). */
  readonly slo: SLO | null | undefined;
  /** `evaluateSLO` output for that SLO. */
  readonly status: SLOStatus | null | undefined;
  /** Title; default the SLO's display name. */
  readonly title?: string | undefined;
  /** Burn-rate windows (ms) to show as chips; default every window in `status.burnRates`. */
  readonly burnRateWindows?: readonly number[] | undefined;
  /** Shows placeholders (and aria-busy). */
  readonly loading?: boolean | undefined;
  /** Shows the error instead of the status. */
  readonly error?: unknown;
  /** IANA time zone of the exhaustion time. Default UTC. */
  readonly timeZone?: string | undefined;
  /** Heading level of the title. Default 3. */
  readonly headingLevel?: 2 | 3 | 4 | 5 | 6 | undefined;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

const chipColors: Record<BurnChip['level'], string> = { page: 'var(--vigil-critical)', ticket: 'var(--vigil-warning)', calm: 'var(--vigil-fg-muted)' };

function BurnChips({ chips }: { readonly chips: readonly BurnChip[] }): ReactNode {
  return (
    <ul aria-label="Burn rates" className="vigil-slo-card__burn" style={{ display: 'flex', flexWrap: 'wrap', gap: 6, margin: 0, padding: 0, listStyle: 'none' }}>
      {chips.map((chip) => {
        const over = chip.level !== 'calm';
        const words = over ? `above the ${chip.tier ?? ''} threshold` : chip.threshold === null ? '' : `below the ${formatBurnRate(chip.threshold)} threshold`;
        return (
          <li
            key={chip.windowMs}
            data-level={chip.level}
            title={words === '' ? undefined : `${formatWindow(chip.windowMs)} burn rate ${formatBurnRate(chip.burnRate)}, ${words}`}
            style={{
              display: 'inline-flex',
              alignItems: 'center',
              gap: 4,
              padding: '2px 8px',
              border: `1px solid ${over ? chipColors[chip.level] : 'var(--vigil-border)'}`,
              borderRadius: 999,
              fontSize: '0.75rem',
              lineHeight: 1.4,
              background: 'var(--vigil-surface-raised)',
              color: 'var(--vigil-fg)',
              ...numericStyle,
            }}
          >
            {over && <StatusIcon status={chip.level === 'page' ? 'critical' : 'warning'} style={{ color: chipColors[chip.level] }} />}
            <span style={mutedStyle}>{formatWindow(chip.windowMs)}</span>
            <span style={{ fontWeight: 600 }}>{formatBurnRate(chip.burnRate)}</span>
            {words !== '' && <span className="vigil-visually-hidden">, {words}</span>}
          </li>
        );
      })}
    </ul>
  );
}

function windowText(slo: SLO): string {
  return slo.window.kind === 'rolling' ? `${formatWindow(slo.window.durationMs)} rolling` : `calendar ${slo.window.unit} (${slo.window.timeZone})`;
}

function exhaustionText(status: SLOStatus, timeZone: string): ReactNode {
  const e = status.exhaustion;
  if (e.state === 'exhausted') return 'Budget exhausted';
  if (e.state === 'not-burning' || e.inMs === null || e.at === null) return 'Not burning';
  if (e.inMs > 366 * 86_400_000) return 'In over a year';
  return (
    <span title={`At the ${formatWindow(e.windowMs)} burn rate of ${formatBurnRate(e.burnRate)}`}>
      In {formatBudgetTime(e.inMs)} <span style={mutedStyle}>({formatDateTime(e.at, timeZone)})</span>
    </span>
  );
}

interface InnerProps extends SLOStatusCardProps {
  readonly forwardedRef: ForwardedRef<HTMLDivElement>;
}

const statRow: CSSProperties = { display: 'flex', justifyContent: 'space-between', gap: 12, margin: 0 };

function SLOStatusCardInner(props: InnerProps): ReactNode {
  const { slo, status, title, burnRateWindows, loading = false, error, timeZone = 'UTC', headingLevel = 3, className, style, forwardedRef, ...rest } = props;
  const titleId = useId();
  const Heading = `h${headingLevel}` as const;
  const failed = hasError(error);
  const ready = !failed && slo !== null && slo !== undefined && status !== null && status !== undefined;
  const heading = title ?? (slo ? sloTitle(slo) : 'SLO');
  const level = ready ? status.status : undefined;

  let body: ReactNode;
  if (failed) body = <ErrorBody error={error} />;
  else if (loading && !ready) body = <LoadingBody label={heading} />;
  else if (!ready) body = <EmptyBody>No status for this SLO yet.</EmptyBody>;
  else {
    const remaining = status.errorBudget.ratio.remaining;
    const noData = status.attainment === null;
    body = (
      <>
        <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 16 }}>
          <BudgetGauge remaining={remaining} atRiskRemaining={slo.status.atRiskRemaining} tone={SLO_STATUS_HEALTH[status.status]} label={`Error budget remaining for ${heading}`} />
          <dl style={{ flex: '1 1 12rem', display: 'grid', gap: 4, margin: 0, ...numericStyle }}>
            <div style={statRow}>
              <dt style={mutedStyle}>Target</dt>
              <dd style={{ margin: 0, fontWeight: 600 }}>{formatShare(slo.target, 3)}</dd>
            </div>
            <div style={statRow}>
              <dt style={mutedStyle}>Attainment</dt>
              <dd style={{ margin: 0, fontWeight: 600 }} data-testid="vigil-slo-attainment">
                {noData ? 'No data' : formatShare(status.attainment, 3)}
              </dd>
            </div>
            <div style={statRow}>
              <dt style={mutedStyle}>Budget</dt>
              <dd style={{ margin: 0, fontWeight: 600, color: remaining < 0 ? 'var(--vigil-critical)' : undefined }} data-testid="vigil-slo-budget-time">
                {budgetTimeText(status.errorBudget.timeMs.remaining)}
              </dd>
            </div>
            <div style={statRow}>
              <dt style={mutedStyle}>Exhaustion</dt>
              <dd style={{ margin: 0, textAlign: 'end' }} data-testid="vigil-slo-exhaustion">
                {exhaustionText(status, timeZone)}
              </dd>
            </div>
          </dl>
        </div>
        {status.burnRates.length > 0 && <BurnChips chips={burnChips(slo, status, burnRateWindows)} />}
        <p style={{ margin: 0, fontSize: '0.8125rem', ...mutedStyle }} data-testid="vigil-slo-reason">
          {noData ? 'No traffic in the window: nothing consumed, the full budget remains.' : `${status.statusReason[0]?.toUpperCase() ?? ''}${status.statusReason.slice(1)}.`}
        </p>
      </>
    );
  }

  return (
    <div
      ref={forwardedRef}
      role="group"
      aria-labelledby={titleId}
      aria-busy={loading || undefined}
      data-status={level}
      className={classNames('vigil-slo-card', level && `vigil-slo-card--${level}`, className)}
      style={{ ...panelStyle, display: 'flex', flexDirection: 'column', gap: 10, ...(level ? { borderInlineStart: `4px solid var(--vigil-${level === 'healthy' ? 'ok' : level === 'at-risk' ? 'warning' : 'critical'})` } : {}), ...style }}
      {...rest}
    >
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 8 }}>
        <div style={{ minWidth: 0 }}>
          <Heading id={titleId} style={headingStyle}>
            {heading}
          </Heading>
          {slo && (
            <p style={{ margin: '2px 0 0', fontSize: '0.75rem', ...mutedStyle }}>
              {[slo.service, windowText(slo), `target ${formatShare(slo.target, 3)}`].filter(Boolean).join(' · ')}
            </p>
          )}
        </div>
        {level && <SLOStatusBadge status={level} />}
      </div>
      {body}
    </div>
  );
}

/** A title for the error fallback that cannot throw, whatever `slo` is. */
function safeTitle(slo: unknown): string {
  if (slo !== null && typeof slo === 'object') {
    const { displayName, name } = slo as { displayName?: unknown; name?: unknown };
    if (typeof displayName === 'string' && displayName !== '') return displayName;
    if (typeof name === 'string' && name !== '') return name;
  }
  return 'SLO';
}

/**
 * The state of one SLO at a glance: target, attainment, a gauge of the error budget left, the budget left as time
 * ("3h 12m left"), the projected exhaustion, burn-rate chips per window (marked when above an alert tier's
 * threshold) and the status as icon, words and colour. Takes the engine's outputs directly; handles loading, error
 * and no-traffic states and never breaks the host page.
 *
 * @example
 * const status = evaluateSLO(slo, events, { at: Date.now() });
 * <SLOStatusCard slo={slo} status={status} />
 */
export const SLOStatusCard = /* @__PURE__ */ forwardRef<HTMLDivElement, SLOStatusCardProps>(function SLOStatusCard(props, ref) {
  return (
    <VigilErrorBoundary
      resetKeys={[props.slo, props.status, props.error, props.loading]}
      fallback={(caught) => <SLOStatusCardInner slo={undefined} status={undefined} title={props.title ?? safeTitle(props.slo)} error={caught} className={props.className} style={props.style} forwardedRef={ref} />}
    >
      <SLOStatusCardInner {...props} forwardedRef={ref} />
    </VigilErrorBoundary>
  );
});

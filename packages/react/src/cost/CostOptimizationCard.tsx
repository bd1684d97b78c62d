import { forwardRef, useId, type CSSProperties, type ForwardedRef, type ReactNode } from 'react';
import type { Opportunity, OpportunityEvidence, OpportunityKind } from '@vigil/core/cost';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { classNames } from '../utils/class-names';
import { formatNumber } from '../utils/format';
import { EmptyBody, ErrorBody, LoadingBody, hasError, headingStyle, mutedStyle, numericStyle, panelStyle } from '../slo/parts';
import { formatUsd } from './format';

/** Words for each opportunity kind. */
export const OPPORTUNITY_KIND_LABELS: Readonly<Record<OpportunityKind, string>> = {
  'model-switch': 'Model switch',
  'prompt-caching': 'Prompt caching',
  batch: 'Batch API',
  'failed-calls': 'Failed calls',
  'duplicate-requests': 'Duplicate requests',
  'runaway-outputs': 'Runaway outputs',
  'growing-contexts': 'Growing contexts',
};

export interface CostOptimizationCardProps {
  readonly opportunity: Opportunity | null | undefined;
  /** Heading level of the title. Default 3. */
  readonly headingLevel?: 2 | 3 | 4 | undefined;
  /** How many evidence items to show before "Show all". Default 6. */
  readonly evidenceLimit?: number | undefined;
  /** An action under the evidence, e.g. a "Simulate" button. */
  readonly action?: ReactNode;
  readonly loading?: boolean | undefined;
  readonly error?: unknown;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

const LEVEL_TONE: Readonly<Record<'high' | 'medium' | 'low', string>> = { high: 'ok', medium: 'warning', low: 'unknown' };

function Pill({ label, value, tone }: { readonly label: string; readonly value: string; readonly tone: string }): ReactNode {
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 4, padding: '1px 8px', border: `1px solid var(--vigil-${tone})`, borderRadius: 999, fontSize: '0.75rem', whiteSpace: 'nowrap' }}>
      <span style={mutedStyle}>{label}</span>
      <strong style={{ fontWeight: 600 }}>{value}</strong>
    </span>
  );
}

function evidenceValue(e: OpportunityEvidence): string {
  if (typeof e.value === 'string') return e.unit ? `${e.value} ${e.unit}` : e.value;
  if (e.unit === 'USD') return formatUsd(e.value);
  if (e.unit === '%') return `${formatNumber(e.value, 4)}%`;
  return e.unit ? `${formatNumber(e.value, 4)} ${e.unit}` : formatNumber(e.value, 4);
}

function CardInner(props: CostOptimizationCardProps & { readonly forwardedRef: ForwardedRef<HTMLElement> }): ReactNode {
  const { opportunity, headingLevel = 3, evidenceLimit = 6, action, loading = false, error, className, style, forwardedRef } = props;
  const titleId = useId();
  const Heading = `h${headingLevel}` as 'h3';
  let body: ReactNode;
  let heading = 'Savings opportunity';
  if (hasError(error)) body = <ErrorBody error={error} />;
  else if (loading && !opportunity) body = <LoadingBody label="opportunity" lines={3} />;
  else if (!opportunity) body = <EmptyBody>No opportunity to show.</EmptyBody>;
  else {
    const o = opportunity;
    heading = o.title;
    const shown = o.evidence.slice(0, evidenceLimit);
    const hidden = o.evidence.slice(evidenceLimit);
    const scope = Object.entries(o.scope);
    const list = (items: readonly OpportunityEvidence[]) =>
      items.map((e, i) => (
        <div key={`${e.label}-${i}`} style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) auto', columnGap: 12, alignItems: 'baseline' }}>
          <dt style={{ ...mutedStyle, minWidth: 0 }}>{e.label}</dt>
          <dd style={{ margin: 0, textAlign: 'end', whiteSpace: 'nowrap', ...numericStyle }}>{evidenceValue(e)}</dd>
          {e.detail !== undefined && <dd style={{ gridColumn: '1 / -1', margin: 0, fontSize: '0.6875rem', overflowWrap: 'anywhere', ...mutedStyle }}>{e.detail}</dd>}
        </div>
      ));
    body = (
      <>
        <div style={{ display: 'flex', alignItems: 'baseline', flexWrap: 'wrap', gap: '4px 10px' }}>
          <span className="vigil-cost-card__savings" style={{ fontSize: '1.5rem', fontWeight: 650, ...numericStyle }}>
            {formatUsd(o.monthlySavings.expected, { compact: true })}
            <span style={{ fontSize: '0.875rem', fontWeight: 500, ...mutedStyle }}> / month</span>
          </span>
          <span style={{ fontSize: '0.8125rem', ...mutedStyle, ...numericStyle }}>
            range {formatUsd(o.monthlySavings.low, { compact: true })} – {formatUsd(o.monthlySavings.high, { compact: true })}
          </span>
        </div>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}>
          <Pill label="Confidence" value={o.confidence} tone={LEVEL_TONE[o.confidence]} />
          <Pill label="Effort" value={o.effort} tone={LEVEL_TONE[o.effort === 'low' ? 'high' : o.effort === 'high' ? 'low' : 'medium']} />
          {scope.map(([k, v]) => (
            <span key={k} style={{ padding: '1px 8px', borderRadius: 999, background: 'var(--vigil-grid)', fontSize: '0.75rem', whiteSpace: 'nowrap' }}>
              {k}: {v}
            </span>
          ))}
        </div>
        {o.evidence.length > 0 && (
          <div>
            <h4 style={{ margin: '4px 0', fontSize: '0.8125rem', fontWeight: 600 }}>Evidence</h4>
            <dl style={{ display: 'grid', gap: 6, margin: 0, fontSize: '0.8125rem' }}>{list(shown)}</dl>
            {hidden.length > 0 && (
              <details style={{ marginTop: 4, fontSize: '0.8125rem' }}>
                <summary style={{ cursor: 'pointer' }}>Show {hidden.length} more</summary>
                <dl style={{ display: 'grid', gap: 6, margin: '6px 0 0' }}>{list(hidden)}</dl>
              </details>
            )}
          </div>
        )}
        {action}
      </>
    );
  }
  return (
    <article
      ref={forwardedRef}
      aria-labelledby={titleId}
      data-kind={opportunity?.kind}
      className={classNames('vigil-cost-card', className)}
      style={{ ...panelStyle, display: 'grid', gap: 10, alignContent: 'start', ...style }}
    >
      <div>
        {opportunity && <div style={{ fontSize: '0.6875rem', textTransform: 'uppercase', letterSpacing: '0.04em', ...mutedStyle }}>{OPPORTUNITY_KIND_LABELS[opportunity.kind] ?? opportunity.kind}</div>}
        <Heading id={titleId} style={headingStyle}>
          {heading}
        </Heading>
      </div>
      {body}
    </article>
  );
}

/**
 * One savings opportunity from `findOpportunities`: its title and kind, the expected monthly saving with its
 * range, confidence and effort as words (not only colour), what it applies to, and the evidence behind it.
 *
 * @example
 * {opportunities.map((o) => <CostOptimizationCard key={o.id} opportunity={o} />)}
 */
export const CostOptimizationCard = /* @__PURE__ */ forwardRef<HTMLElement, CostOptimizationCardProps>(function CostOptimizationCard(props, ref): ReactNode {
  return (
    <VigilErrorBoundary resetKeys={[props.opportunity]} fallback={(error) => <ErrorBody error={error} />}>
      <CardInner {...props} forwardedRef={ref} />
    </VigilErrorBoundary>
  );
});

import { forwardRef, useId, useMemo, useRef, useState, type CSSProperties, type ForwardedRef, type ReactNode } from 'react';
import { scaleLinear, scaleLog } from 'd3-scale';
import type { UsageAggregateRow } from '@vigil/core/cost';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { classNames } from '../utils/class-names';
import { useContainerWidth } from '../charts/useContainerWidth';
import { EmptyBody, ErrorBody, LoadingBody, headingStyle, mutedStyle, numericStyle, panelStyle } from '../slo/parts';
import { UNPRICED_TEXT, formatDuration, formatPercent, formatUsd } from './format';
import { paretoFront } from './model';

/** The vertical axis: p95 latency (lower is better) or quality (higher is better). */
export type ScatterPerformance = 'latency' | 'quality';
/** The horizontal axis: cost per successful request or per 1,000 tokens. */
export type ScatterCost = 'costPerSuccessfulRequest' | 'costPer1kTokens';

export interface CostVsPerformanceScatterProps {
  /** Rows of `aggregateUsage(..., { by: ['provider', 'model'] })` (or with `feature`): one point each. */
  readonly rows: readonly UsageAggregateRow[] | null | undefined;
  /** Label of a point; default the row's `model` (or all its key values joined). */
  readonly pointLabel?: ((row: UsageAggregateRow) => string) | undefined;
  /** Controlled vertical axis. */
  readonly performance?: ScatterPerformance | undefined;
  readonly defaultPerformance?: ScatterPerformance | undefined;
  readonly onPerformanceChange?: ((performance: ScatterPerformance) => void) | undefined;
  readonly cost?: ScatterCost | undefined;
  readonly title?: string | undefined;
  /** Plot height, CSS pixels. Default 300. */
  readonly height?: number | undefined;
  readonly loading?: boolean | undefined;
  readonly error?: unknown;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

interface Point {
  readonly label: string;
  readonly cost: number;
  readonly performance: number;
  readonly requests: number;
  readonly onFront: boolean;
}

const NO_ROWS: readonly UsageAggregateRow[] = [];
const MARGIN = { top: 16, right: 24, bottom: 44, left: 76 };

function defaultLabel(row: UsageAggregateRow): string {
  return row.key['model'] ?? Object.values(row.key).filter(Boolean).join(' · ');
}

function toggleStyle(active: boolean): CSSProperties {
  return {
    padding: '3px 10px',
    border: '1px solid var(--vigil-border)',
    background: active ? 'var(--vigil-fg)' : 'var(--vigil-surface-raised)',
    color: active ? 'var(--vigil-surface)' : 'var(--vigil-fg)',
    font: 'inherit',
    fontSize: '0.8125rem',
    cursor: 'pointer',
  };
}

function ScatterInner(props: CostVsPerformanceScatterProps & { readonly forwardedRef: ForwardedRef<HTMLElement> }): ReactNode {
  const { rows, pointLabel = defaultLabel, onPerformanceChange, cost = 'costPerSuccessfulRequest', title = 'Cost vs performance', height = 300, loading = false, error, className, style, forwardedRef } = props;
  const titleId = useId();
  const [ownPerformance, setOwnPerformance] = useState<ScatterPerformance>(props.defaultPerformance ?? 'latency');
  const performance = props.performance ?? ownPerformance;
  const containerRef = useRef<HTMLDivElement>(null);
  const measured = useContainerWidth(containerRef);
  const width = Math.max(320, measured || 640);
  const data = rows ?? NO_ROWS;

  const { points, unpriced, noPerformance } = useMemo(() => {
    const plotted: Omit<Point, 'onFront'>[] = [];
    const unpricedLabels: string[] = [];
    const missing: string[] = [];
    for (const row of data) {
      const label = pointLabel(row);
      const x = row[cost];
      const y = performance === 'latency' ? row.latencyP95 : row.quality;
      if (row.pricedRequests === 0 && row.unpricedRequests > 0) unpricedLabels.push(label);
      else if (!Number.isFinite(x) || x <= 0 || !Number.isFinite(y)) missing.push(label);
      else plotted.push({ label, cost: x, performance: y, requests: row.requests });
    }
    const front = new Set(paretoFront(plotted, performance === 'latency' ? 'lower' : 'higher'));
    return { points: plotted.map((p, i) => ({ ...p, onFront: front.has(i) })), unpriced: unpricedLabels, noPerformance: missing };
  }, [data, pointLabel, cost, performance]);

  const setPerformance = (next: ScatterPerformance) => {
    if (props.performance === undefined) setOwnPerformance(next);
    onPerformanceChange?.(next);
  };

  const innerWidth = width - MARGIN.left - MARGIN.right;
  const innerHeight = height - MARGIN.top - MARGIN.bottom;
  const costs = points.map((p) => p.cost);
  const perfs = points.map((p) => p.performance);
  const minCost = Math.min(...costs);
  const maxCost = Math.max(...costs);
  const useLog = points.length > 1 && maxCost / minCost > 20;
  const x = useLog ? scaleLog().domain([minCost / 1.3, maxCost * 1.3]).range([0, innerWidth]) : scaleLinear().domain([0, (maxCost || 1) * 1.1]).range([0, innerWidth]).nice();
  const y =
    performance === 'latency'
      ? scaleLinear().domain([0, (Math.max(...perfs) || 1) * 1.1]).range([innerHeight, 0]).nice()
      : scaleLinear().domain([Math.max(0, Math.min(...perfs) - 0.05), Math.min(1, Math.max(...perfs) + 0.02)]).range([innerHeight, 0]).nice();
  const front = points.filter((p) => p.onFront).sort((a, b) => a.cost - b.cost);
  const costLabel = cost === 'costPerSuccessfulRequest' ? 'Cost per successful request' : 'Cost per 1k tokens';
  const perfLabel = performance === 'latency' ? 'p95 latency' : 'Quality (pass share)';
  const perfText = (v: number) => (performance === 'latency' ? formatDuration(v) : formatPercent(v, 1));
  const summary = `${points.length} models plotted, ${costLabel.toLowerCase()} against ${perfLabel}. Pareto front: ${front.map((p) => p.label).join(', ') || 'none'}.`;

  let body: ReactNode;
  if (hasErrorValue(error)) body = <ErrorBody error={error} />;
  else if (loading && data.length === 0) body = <LoadingBody label={title} lines={4} />;
  else if (data.length === 0) body = <EmptyBody>No usage in this range.</EmptyBody>;
  else
    body = (
      <div>
        {points.length === 0 ? (
          <EmptyBody>No model has both a price and {performance === 'latency' ? 'latency samples' : 'quality scores'}.</EmptyBody>
        ) : (
          <svg width={width} height={height} role="img" aria-label={summary} style={{ display: 'block', maxWidth: '100%', overflow: 'visible' }}>
            <g transform={`translate(${MARGIN.left},${MARGIN.top})`} aria-hidden="true">
              {y.ticks(5).map((t) => (
                <g key={`y${t}`} transform={`translate(0,${y(t)})`}>
                  <line x2={innerWidth} stroke="var(--vigil-grid)" />
                  <text x={-8} dy="0.32em" textAnchor="end" fontSize={11} fill="var(--vigil-axis)">
                    {perfText(t)}
                  </text>
                </g>
              ))}
              {x.ticks(useLog ? 4 : 5).map((t) => (
                <g key={`x${t}`} transform={`translate(${x(t)},${innerHeight})`}>
                  <line y2={5} stroke="var(--vigil-axis)" />
                  <text y={18} textAnchor="middle" fontSize={11} fill="var(--vigil-axis)">
                    {formatUsd(t)}
                  </text>
                </g>
              ))}
              <line y1={innerHeight} y2={innerHeight} x2={innerWidth} stroke="var(--vigil-axis)" />
              <text x={innerWidth / 2} y={innerHeight + 38} textAnchor="middle" fontSize={12} fill="var(--vigil-fg-muted)">
                {costLabel}
                {useLog ? ' (log scale)' : ''} →
              </text>
              <text transform={`translate(${-64},${innerHeight / 2}) rotate(-90)`} textAnchor="middle" fontSize={12} fill="var(--vigil-fg-muted)">
                {perfLabel} {performance === 'latency' ? '(lower is better)' : '(higher is better)'}
              </text>
              {front.length > 1 && <polyline points={front.map((p) => `${x(p.cost)},${y(p.performance)}`).join(' ')} fill="none" stroke="var(--vigil-fg-muted)" strokeDasharray="4 3" strokeWidth={1.5} />}
              {points.map((p) => {
                const cx = x(p.cost);
                const cy = y(p.performance);
                return (
                  <g key={p.label} transform={`translate(${cx},${cy})`} data-pareto={p.onFront}>
                    {p.onFront ? (
                      <path d="M0 -7L7 0L0 7L-7 0Z" fill="var(--vigil-series-1)" stroke="var(--vigil-fg)" strokeWidth={1.5} />
                    ) : (
                      <circle r={5} fill="var(--vigil-surface)" stroke="var(--vigil-series-2)" strokeWidth={2} />
                    )}
                    {(p.onFront || points.length <= 12) && (
                      <text x={cx > innerWidth - 110 ? -10 : 10} dy="0.32em" textAnchor={cx > innerWidth - 110 ? 'end' : 'start'} fontSize={11} fontWeight={p.onFront ? 650 : 400} fill="var(--vigil-fg)" paintOrder="stroke" stroke="var(--vigil-surface)" strokeWidth={3}>
                        {p.label}
                      </text>
                    )}
                  </g>
                );
              })}
            </g>
          </svg>
        )}
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16, marginTop: 6, fontSize: '0.75rem', ...mutedStyle }} aria-hidden="true">
          <span>
            <svg width={12} height={12} style={{ verticalAlign: 'middle' }}>
              <path d="M6 0L12 6L6 12L0 6Z" fill="var(--vigil-series-1)" stroke="var(--vigil-fg)" />
            </svg>{' '}
            Pareto front (no model is both cheaper and better)
          </span>
          <span>
            <svg width={12} height={12} style={{ verticalAlign: 'middle' }}>
              <circle cx={6} cy={6} r={4} fill="var(--vigil-surface)" stroke="var(--vigil-series-2)" strokeWidth={2} />
            </svg>{' '}
            Dominated
          </span>
        </div>
        {(unpriced.length > 0 || noPerformance.length > 0) && (
          <p style={{ margin: '6px 0 0', fontSize: '0.75rem', ...mutedStyle }}>
            {unpriced.length > 0 && (
              <>
                Not plotted, {UNPRICED_TEXT.toLowerCase()} (no catalogue price): {unpriced.join(', ')}.{' '}
              </>
            )}
            {noPerformance.length > 0 && <>Not plotted, no {performance === 'latency' ? 'latency' : 'quality'} data: {noPerformance.join(', ')}.</>}
          </p>
        )}
        <table className="vigil-visually-hidden">
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">{costLabel}</th>
              <th scope="col">{perfLabel}</th>
              <th scope="col">On the Pareto front</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.label}>
                <th scope="row">{p.label}</th>
                <td>{formatUsd(p.cost)}</td>
                <td>{perfText(p.performance)}</td>
                <td>{p.onFront ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <section ref={forwardedRef} aria-labelledby={titleId} className={classNames('vigil-cost-scatter', className)} style={{ ...panelStyle, display: 'grid', gap: 8, ...numericStyle, ...style }}>
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8 }}>
        <h3 id={titleId} style={headingStyle}>
          {title}
        </h3>
        <div role="group" aria-label="Vertical axis" style={{ display: 'inline-flex', borderRadius: 'var(--vigil-radius, 6px)', overflow: 'hidden' }}>
          {(['latency', 'quality'] as const).map((p) => (
            <button key={p} type="button" aria-pressed={performance === p} onClick={() => setPerformance(p)} style={toggleStyle(performance === p)}>
              {p === 'latency' ? 'Latency' : 'Quality'}
            </button>
          ))}
        </div>
      </div>
      <div ref={containerRef} style={{ width: '100%', minWidth: 0 }}>
        {body}
      </div>
    </section>
  );
}

function hasErrorValue(error: unknown): boolean {
  return error !== undefined && error !== null && error !== false;
}

/**
 * Each model as a point of cost (per successful request, or per 1k tokens) against p95 latency or quality, with the
 * Pareto front marked by shape (diamonds joined by a dashed line) and named, not only coloured (above 12 models only
 * the front is labelled; the data table lists every model). A log cost axis is
 * used when costs span more than 20×. Unpriced models are listed as not plotted, never drawn at $0. The chart has
 * a text summary and a data table for screen readers.
 *
 * @example
 * <CostVsPerformanceScatter rows={aggregateUsage(table, priced, { by: ['provider', 'model'] }).rows} defaultPerformance="quality" />
 */
export const CostVsPerformanceScatter = /* @__PURE__ */ forwardRef<HTMLElement, CostVsPerformanceScatterProps>(function CostVsPerformanceScatter(props, ref): ReactNode {
  return (
    <VigilErrorBoundary resetKeys={[props.rows]} fallback={(error) => <ErrorBody error={error} />}>
      <ScatterInner {...props} forwardedRef={ref} />
    </VigilErrorBoundary>
  );
});

import { forwardRef, useId, useMemo, type CSSProperties, type ForwardedRef, type HTMLAttributes, type KeyboardEvent, type ReactNode } from 'react';
import { serviceGraph, type ServiceEdge, type ServiceGraph, type TraceModel } from '@vigil/core/traces';
import { classNames } from '../utils/class-names';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { EmptyBody, ErrorBody, LoadingBody, hasError, panelStyle, tableStyle, tdStyle, thStyle } from './parts';
import { layoutServiceMap, type PlacedNode } from './service-map-layout';
import { formatDuration, serviceColor } from './waterfall-model';

export interface ServiceMapProps extends Omit<HTMLAttributes<HTMLDivElement>, 'children' | 'onSelect'> {
  /** The parsed trace; its `serviceGraph` is drawn. Ignored when `graph` is given. */
  readonly trace?: TraceModel | null | undefined;
  /** A precomputed service graph (`serviceGraph(model)`), or one merged over many traces. */
  readonly graph?: ServiceGraph | null | undefined;
  readonly loading?: boolean | undefined;
  readonly error?: unknown;
  /** Called with a service name when its node is activated (click, Enter or Space). */
  readonly onSelectService?: ((service: string) => void) | undefined;
  /** Highlighted service. */
  readonly selectedService?: string | null | undefined;
  /** Show the calls table under the map open. Default false (it is a disclosure). */
  readonly tableOpen?: boolean | undefined;
  /** Accessible name. Default 'Service map'. */
  readonly label?: string | undefined;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

const NODE_W = 150;
const NODE_H = 46;

function edgePath(a: PlacedNode, b: PlacedNode): { d: string; mx: number; my: number } {
  if (b.layer > a.layer) {
    const x1 = a.x + NODE_W / 2;
    const x2 = b.x - NODE_W / 2 - 6;
    const c = (x1 + x2) / 2;
    return { d: `M${x1},${a.y} C${c},${a.y} ${c},${b.y} ${x2},${b.y}`, mx: c, my: (a.y + b.y) / 2 };
  }
  // same column or backwards: loop around above
  const x1 = a.x;
  const y1 = a.y - NODE_H / 2;
  const x2 = b.x + (b.x === a.x ? 20 : 0);
  const y2 = b.y - NODE_H / 2 - 6;
  const top = Math.min(y1, y2) - 40;
  return { d: `M${x1},${y1} C${x1},${top} ${x2},${top} ${x2},${y2}`, mx: (x1 + x2) / 2, my: top + 10 };
}

function edgeLabel(e: ServiceEdge): string {
  return `${e.callCount.toLocaleString('en-US')}× · p95 ${formatDuration(e.p95Ns)}${e.errorCount > 0 ? ` · ⚠ ${e.errorCount.toLocaleString('en-US')} err` : ''}`;
}

function edgeText(e: ServiceEdge): string {
  return `${e.from} → ${e.to}: ${e.callCount.toLocaleString('en-US')} ${e.callCount === 1 ? 'call' : 'calls'}, ${e.errorCount.toLocaleString('en-US')} ${e.errorCount === 1 ? 'error' : 'errors'}, p95 ${formatDuration(e.p95Ns)}`;
}

function MapBody({ graph, onSelectService, selectedService, tableOpen, label }: { readonly graph: ServiceGraph } & Pick<ServiceMapProps, 'onSelectService' | 'selectedService' | 'tableOpen' | 'label'>): ReactNode {
  const id = useId().replace(/:/g, '');
  const layout = useMemo(() => layoutServiceMap(graph, { nodeWidth: NODE_W, nodeHeight: NODE_H, columnWidth: 270 }), [graph]);
  const placed = useMemo(() => new Map(layout.nodes.map((n) => [n.service, n])), [layout]);
  const serviceIndex = useMemo(() => new Map(graph.nodes.map((n, k) => [n.service, k])), [graph]);
  const maxCalls = Math.max(1, ...graph.edges.map((e) => e.callCount));
  // Edge labels: errors first, then the busiest; a label that would overlap one already placed (or a node) is left
  // out (every edge stays in the table, the description and its tooltip).
  const labels = useMemo(() => {
    const out: Array<{ e: ServiceEdge; x: number; y: number; w: number }> = [];
    const ordered = [...graph.edges].sort((x, y) => (y.errorCount > 0 ? 1 : 0) - (x.errorCount > 0 ? 1 : 0) || y.callCount - x.callCount);
    for (const e of ordered) {
      const a = placed.get(e.from);
      const b = placed.get(e.to);
      if (!a || !b || a === b) continue;
      const { mx, my } = edgePath(a, b);
      const x = mx;
      const y = my - 4;
      const w = edgeLabel(e).length * 6.3;
      const clashes = out.some((l) => Math.abs(l.x - x) < (l.w + w) / 2 && Math.abs(l.y - y) < 14) || layout.nodes.some((n) => Math.abs(n.x - x) < (NODE_W + w) / 2 && Math.abs(n.y - y) < NODE_H / 2 + 10);
      if (!clashes) out.push({ e, x, y, w });
    }
    return out;
  }, [graph, placed, layout]);
  const width = layout.width + 20;
  const height = layout.height + 50;
  const nodes = graph.nodes;
  return (
    <div style={{ display: 'grid', gap: 8 }}>
      <div style={{ overflowX: 'auto' }}>
        <svg
          role="group"
          aria-labelledby={`${id}-title`}
          aria-describedby={`${id}-desc`}
          width={width}
          height={height}
          viewBox={`0 -40 ${width} ${height}`}
          style={{ display: 'block', maxWidth: 'none', fontFamily: 'var(--vigil-font)' }}
        >
          <title id={`${id}-title`}>{label ?? 'Service map'}</title>
          <desc id={`${id}-desc`}>
            {nodes.length} services and {graph.edges.length} call edges. {graph.edges.map(edgeText).join('. ')}
          </desc>
          <defs>
            <marker id={`${id}-arrow`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" fill="var(--vigil-fg-muted)" />
            </marker>
            <marker id={`${id}-arrow-error`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" fill="var(--vigil-critical)" />
            </marker>
          </defs>
          <g aria-hidden="true">
            {graph.edges.map((e) => {
              const a = placed.get(e.from);
              const b = placed.get(e.to);
              if (!a || !b || a === b) return null;
              const { d } = edgePath(a, b);
              const hasErrors = e.errorCount > 0;
              const strokeWidth = 1 + (4 * Math.log1p(e.callCount)) / Math.log1p(maxCalls);
              return (
                <path
                  key={`${e.from}>${e.to}`}
                  data-edge={`${e.from}>${e.to}`}
                  d={d}
                  fill="none"
                  stroke={hasErrors ? 'var(--vigil-critical)' : 'var(--vigil-fg-muted)'}
                  strokeWidth={strokeWidth}
                  strokeDasharray={hasErrors ? '6 3' : undefined}
                  markerEnd={`url(#${id}-arrow${hasErrors ? '-error' : ''})`}
                  opacity={0.85}
                >
                  <title>{edgeText(e)}</title>
                </path>
              );
            })}
            {labels.map(({ e, x, y }) => (              <text key={`${e.from}>${e.to}`} x={x} y={y} textAnchor="middle" fontSize={11} fill="var(--vigil-fg)" stroke="var(--vigil-surface)" strokeWidth={3} paintOrder="stroke">
                {edgeLabel(e)}
              </text>
            ))}
          </g>
          {nodes.map((n) => {
            const p = placed.get(n.service);
            if (!p) return null;
            const selected = selectedService === n.service;
            const errorShare = n.spanCount > 0 ? n.errorCount / n.spanCount : 0;
            const words = `${n.service}${n.inferred ? ' (inferred peer)' : ''}: ${n.spanCount.toLocaleString('en-US')} spans, ${n.errorCount.toLocaleString('en-US')} errors, self time ${formatDuration(n.selfTimeNs)}`;
            const interactive = onSelectService !== undefined;
            return (
              <g
                key={n.service}
                transform={`translate(${p.x - NODE_W / 2},${p.y - NODE_H / 2})`}
                data-service={n.service}
                {...(interactive
                  ? {
                      role: 'button',
                      tabIndex: 0,
                      'aria-describedby': `${id}-node-${serviceIndex.get(n.service) ?? 0}`,
                      'aria-pressed': selected,
                      onClick: () => onSelectService(n.service),
                      onKeyDown: (event: KeyboardEvent) => {
                        if (event.key === 'Enter' || event.key === ' ') {
                          event.preventDefault();
                          onSelectService(n.service);
                        }
                      },
                      style: { cursor: 'pointer' },
                    }
                  : { 'aria-hidden': true })}
              >
                <desc id={`${id}-node-${serviceIndex.get(n.service) ?? 0}`}>{words}</desc>
                <rect
                  width={NODE_W}
                  height={NODE_H}
                  rx={6}
                  fill="var(--vigil-surface-raised)"
                  stroke={selected ? 'var(--vigil-focus)' : n.errorCount > 0 ? 'var(--vigil-critical)' : 'var(--vigil-border)'}
                  strokeWidth={selected ? 3 : n.errorCount > 0 ? 2 : 1}
                  strokeDasharray={n.inferred ? '4 3' : undefined}
                />
                <rect width={6} height={NODE_H} rx={2} fill={serviceColor(serviceIndex.get(n.service) ?? 0)} />
                <text x={14} y={18} fontSize={12.5} fontWeight={600} fill="var(--vigil-fg)">
                  {n.service.length > 18 ? `${n.service.slice(0, 17)}…` : n.service}
                </text>
                <text x={14} y={35} fontSize={11} fill="var(--vigil-fg-muted)">
                  {n.inferred ? 'peer' : `${n.spanCount.toLocaleString('en-US')} spans · ${formatDuration(n.selfTimeNs)}`}
                </text>
                {n.errorCount > 0 && (
                  <g transform={`translate(${NODE_W - 66},8)`}>
                    <path d="M4.7 0h6.6L16 4.7v6.6L11.3 16H4.7L0 11.3V4.7z" fill="var(--vigil-critical)" />
                    <path d="M5.5 5.5l5 5m0-5l-5 5" stroke="var(--vigil-surface)" strokeWidth={1.8} strokeLinecap="round" />
                    <text x={19} y={12} fontSize={11} fontWeight={600} fill="var(--vigil-critical)">
                      {errorShare >= 0.995 ? '100%' : `${Math.max(1, Math.round(errorShare * 100))}%`} err
                    </text>
                  </g>
                )}
              </g>
            );
          })}
        </svg>
      </div>
      <details open={tableOpen}>
        <summary style={{ cursor: 'pointer', fontSize: '0.8125rem' }}>Calls between services (table)</summary>
        <table style={{ ...tableStyle, marginTop: 6 }}>
          <caption className="vigil-visually-hidden">Calls between services</caption>
          <thead>
            <tr>
              {['From', 'To', 'Calls', 'Errors', 'p50', 'p95', 'Max'].map((h) => (
                <th key={h} scope="col" style={thStyle}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {graph.edges.map((e) => (
              <tr key={`${e.from}>${e.to}`}>
                <td style={tdStyle}>{e.from}</td>
                <td style={tdStyle}>{e.to}</td>
                <td style={tdStyle}>{e.callCount.toLocaleString('en-US')}</td>
                <td style={{ ...tdStyle, color: e.errorCount > 0 ? 'var(--vigil-critical)' : undefined, fontWeight: e.errorCount > 0 ? 600 : undefined }}>{e.errorCount.toLocaleString('en-US')}</td>
                <td style={tdStyle}>{formatDuration(e.p50Ns)}</td>
                <td style={tdStyle}>{formatDuration(e.p95Ns)}</td>
                <td style={tdStyle}>{formatDuration(e.maxNs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}

/**
 * The service dependency graph of a trace (core `serviceGraph`): services in columns by call distance, placed with
 * d3-force from a fixed seed and a fixed number of ticks (the same trace always gives the same picture). Edges carry
 * call counts and p95 latency; edges with errors are red, dashed and labelled with their error count; nodes show
 * span count, self time and error share with an icon. For screen readers the SVG has a description listing every
 * edge, and a disclosure holds the same data as a table. Inferred peers (from `peer.service` etc.) are dashed.
 *
 * @example
 * <ServiceMap trace={model} onSelectService={(s) => setFilters({ services: [s] })} />
 */
export const ServiceMap = /* @__PURE__ */ forwardRef(function ServiceMap(
  { trace, graph, loading, error, onSelectService, selectedService, tableOpen, label, className, style, ...rest }: ServiceMapProps,
  ref: ForwardedRef<HTMLDivElement>,
) {
  const computed = useMemo((): { graph: ServiceGraph | undefined; error: unknown } => {
    if (graph) return { graph, error: undefined };
    if (!trace || trace.spanCount === 0) return { graph: undefined, error: undefined };
    try {
      return { graph: serviceGraph(trace), error: undefined };
    } catch (e) {
      return { graph: undefined, error: e };
    }
  }, [graph, trace]);
  let body: ReactNode;
  if (hasError(error)) body = <ErrorBody error={error} />;
  else if (loading === true) body = <LoadingBody label="service map" lines={4} />;
  else if (hasError(computed.error)) body = <ErrorBody error={computed.error} />;
  else if (!computed.graph || computed.graph.nodes.length === 0) body = <EmptyBody>No services to map.</EmptyBody>;
  else
    body = (
      <VigilErrorBoundary resetKeys={[computed.graph]} fallback={(e) => <ErrorBody error={e} />}>
        <MapBody graph={computed.graph} onSelectService={onSelectService} selectedService={selectedService} tableOpen={tableOpen} label={label} />
      </VigilErrorBoundary>
    );
  return (
    <div ref={ref} className={classNames('vigil-service-map', className)} aria-busy={loading === true ? true : undefined} style={{ ...panelStyle, ...style }} {...rest}>
      {body}
    </div>
  );
});

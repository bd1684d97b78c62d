import { forwardRef, useId, useMemo, useRef, useState, type CSSProperties, type ForwardedRef, type KeyboardEvent, type ReactNode } from 'react';
import { hierarchy, partition, treemap, treemapSquarify, type HierarchyRectangularNode } from 'd3-hierarchy';
import type { UsageAggregateRow } from '@vigil/core/cost';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { classNames } from '../utils/class-names';
import { formatNumber } from '../utils/format';
import { useContainerWidth } from '../charts/useContainerWidth';
import { EmptyBody, ErrorBody, LoadingBody, buttonStyle, hasError, headingStyle, mutedStyle, numericStyle, panelStyle } from '../slo/parts';
import { formatPercent, formatUsd } from './format';
import { attributionTree, type AttributionNode } from './model';

export type AttributionLayout = 'treemap' | 'icicle';

export interface CostAttributionTreeProps {
  /** Rows of `aggregateUsage(..., { by: levels })`. */
  readonly rows: readonly UsageAggregateRow[] | null | undefined;
  /** Hierarchy levels, outermost first. Default `['provider', 'model', 'feature']`. */
  readonly levels?: readonly string[] | undefined;
  /** Controlled layout. */
  readonly layout?: AttributionLayout | undefined;
  readonly defaultLayout?: AttributionLayout | undefined;
  readonly onLayoutChange?: ((layout: AttributionLayout) => void) | undefined;
  /** Called when a node is opened (Enter or click), with its path from the root (names). */
  readonly onSelect?: ((path: readonly string[], node: AttributionNode) => void) | undefined;
  /** Most nodes drawn under one parent; the smallest others are merged into one "N others" node. Default 40. */
  readonly maxChildren?: number | undefined;
  readonly title?: string | undefined;
  /** Height of the drawing, CSS pixels. Default 320. */
  readonly height?: number | undefined;
  readonly loading?: boolean | undefined;
  readonly error?: unknown;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

const DEFAULT_LEVELS: readonly string[] = ['provider', 'model', 'feature'];
const NO_ROWS: readonly UsageAggregateRow[] = [];

/** Colour of the top-level branch `index` (series palette), so a node's colour follows its ancestor. */
function branchColor(index: number): string {
  return `var(--vigil-series-${(index % 8) + 1})`;
}

function levelWord(level: string): string {
  return level.startsWith('tag:') ? level.slice(4) : level;
}

function TreeInner(props: CostAttributionTreeProps & { readonly forwardedRef: ForwardedRef<HTMLElement> }): ReactNode {
  const { rows, levels = DEFAULT_LEVELS, maxChildren = 40, onLayoutChange, onSelect, title = 'Spend attribution', height = 320, loading = false, error, className, style, forwardedRef } = props;
  const titleId = useId();
  const hintId = useId();
  const [ownLayout, setOwnLayout] = useState<AttributionLayout>(props.defaultLayout ?? 'treemap');
  const layout = props.layout ?? ownLayout;
  const [path, setPath] = useState<readonly string[]>([]);
  const [active, setActive] = useState(0);
  const [focused, setFocused] = useState(-1);
  const containerRef = useRef<HTMLDivElement>(null);
  const width = Math.max(280, useContainerWidth(containerRef) || 640);
  const itemRefs = useRef<(SVGGElement | null)[]>([]);
  const data = rows ?? NO_ROWS;

  const tree = useMemo(() => attributionTree(data, levels, maxChildren), [data, levels, maxChildren]);
  // The node the drawing is zoomed into; falls back to the root when the data no longer has the path.
  const { focus, trail } = useMemo(() => {
    let node = tree;
    const nodes: AttributionNode[] = [tree];
    for (const name of path) {
      const next = node.children.find((c) => c.name === name);
      if (next === undefined) break;
      node = next;
      nodes.push(next);
    }
    return { focus: node, trail: nodes };
  }, [tree, path]);
  const branchIndex = useMemo(() => new Map(tree.children.map((c, i) => [c.name, i])), [tree]);
  const topBranch = trail[1]?.name;

  const laid = useMemo(() => {
    const root = hierarchy<AttributionNode>(focus, (d) => d.children).sum((d) => (d.children.length === 0 ? Math.max(0, d.spend) : 0));
    if (!(root.value! > 0)) return undefined;
    const result: HierarchyRectangularNode<AttributionNode> =
      layout === 'treemap' ? treemap<AttributionNode>().tile(treemapSquarify).size([width, height]).paddingInner(2).paddingTop((d) => (d.depth >= 1 ? 16 : 0)).round(true)(root) : partition<AttributionNode>().size([height, width]).padding(1).round(true)(root);
    return result;
  }, [focus, layout, width, height]);

  const setLayout = (next: AttributionLayout) => {
    if (props.layout === undefined) setOwnLayout(next);
    onLayoutChange?.(next);
  };
  const open = (node: AttributionNode) => {
    const nextPath = [...path, node.name];
    onSelect?.(nextPath, node);
    if (node.children.length > 0) {
      setPath(nextPath);
      setActive(0);
      requestAnimationFrame(() => itemRefs.current[0]?.focus());
    }
  };
  const up = () => {
    if (path.length === 0) return;
    setPath(path.slice(0, -1));
    setActive(0);
  };

  // Nodes without priced spend have no area: they are not drawn nor focusable (the hint counts unpriced requests).
  const children = (laid?.children ?? []).filter((c) => (c.value ?? 0) > 0);
  const onKeyDown = (event: KeyboardEvent<SVGGElement>, index: number) => {
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowDown: index + 1, ArrowLeft: index - 1, ArrowUp: index - 1, Home: 0, End: children.length - 1 };
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      const node = children[index]?.data;
      if (node) open(node);
      return;
    }
    if (event.key === 'Escape' || event.key === 'Backspace') {
      event.preventDefault();
      up();
      return;
    }
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const clamped = Math.max(0, Math.min(children.length - 1, next));
    setActive(clamped);
    itemRefs.current[clamped]?.focus();
  };

  const total = focus.spend;
  const colorOf = (node: HierarchyRectangularNode<AttributionNode>): string => {
    const branch = topBranch ?? node.ancestors().reverse()[1]?.data.name ?? node.data.name;
    return branchColor(branchIndex.get(branch) ?? 0);
  };
  const label = (n: AttributionNode) => `${levelWord(n.level)} ${n.name}: ${formatUsd(n.spend)}, ${formatPercent(total > 0 ? n.spend / total : 0, 1)} of ${focus === tree ? 'all spend' : focus.name}, ${formatNumber(n.requests, 3)} requests${n.unpricedRequests > 0 ? `, ${formatNumber(n.unpricedRequests, 3)} unpriced` : ''}${n.children.length > 0 ? '. Press Enter to open' : ''}`;

  let body: ReactNode;
  if (hasError(error)) body = <ErrorBody error={error} />;
  else if (loading && data.length === 0) body = <LoadingBody label={title} lines={4} />;
  else if (data.length === 0) body = <EmptyBody>No usage in this range.</EmptyBody>;
  else if (laid === undefined) body = <EmptyBody>No priced spend under {focus === tree ? 'any model' : focus.name}.</EmptyBody>;
  else {
    const descendants = laid.descendants().filter((d) => d.depth > 0 && (d.value ?? 0) > 0);
    const safeActive = Math.min(active, children.length - 1);
    body = (
      <svg width={width} height={height} style={{ display: 'block', maxWidth: '100%' }} aria-describedby={hintId}>
        <g role="list" aria-label={`${title}: ${focus === tree ? 'all spend' : trail.map((t) => t.name).slice(1).join(' › ')}, ${formatUsd(total)}`}>
          {descendants.map((d) => {
            const [x0, y0, x1, y1] = layout === 'treemap' ? [d.x0, d.y0, d.x1, d.y1] : [d.y0, d.x0, d.y1, d.x1];
            const w = Math.max(0, x1 - x0);
            const h = Math.max(0, y1 - y0);
            const isChild = d.depth === 1;
            const index = isChild ? children.indexOf(d) : -1;
            const fill = colorOf(d);
            // Treemap: a parent is an outline with its name in a header band; only leaves are filled (nested fills
            // would darken until the text is unreadable). Icicle: every cell is a filled band.
            const nested = layout === 'treemap' && d.children !== undefined;
            const twoLines = !nested && h > 30 && w > 60;
            const rect = (
              <>
                <rect x={x0} y={y0} width={w} height={h} fill={fill} fillOpacity={nested ? 0.08 : 0.3} stroke={isChild ? 'var(--vigil-fg-muted)' : fill} strokeOpacity={isChild ? 1 : 0.7} strokeWidth={1} />
                {w > 40 && h > 14 && (
                  <text x={x0 + 4} y={y0 + 12} fontSize={isChild ? 12 : 11} fontWeight={isChild ? 650 : 400} fill="var(--vigil-fg)" style={{ pointerEvents: 'none' }}>
                    <tspan>{truncate(nested || !twoLines ? `${d.data.name} · ${formatUsd(d.data.spend, { compact: true })}` : d.data.name, Math.floor((w - 8) / 6.4))}</tspan>
                    {twoLines && (
                      <tspan x={x0 + 4} dy={14} fill="var(--vigil-fg-muted)" fontWeight={400}>
                        {formatUsd(d.data.spend, { compact: true })}
                      </tspan>
                    )}
                  </text>
                )}
              </>
            );
            if (!isChild) return <g key={d.data.id} aria-hidden="true">{rect}</g>;
            return (
              <g
                key={d.data.id}
                ref={(el) => {
                  itemRefs.current[index] = el;
                }}
                role="listitem"
                tabIndex={index === safeActive ? 0 : -1}
                aria-label={label(d.data)}
                data-node={d.data.name}
                className="vigil-cost-tree__node"
                onClick={() => open(d.data)}
                onKeyDown={(e) => onKeyDown(e, index)}
                onFocus={() => {
                  setActive(index);
                  setFocused(index);
                }}
                onBlur={() => setFocused(-1)}
                style={{ cursor: d.data.children.length > 0 ? 'zoom-in' : 'default', outline: 'none' }}
              >
                {rect}
                {index === focused && <rect className="vigil-cost-tree__focus" x={x0 + 1.5} y={y0 + 1.5} width={Math.max(0, w - 3)} height={Math.max(0, h - 3)} fill="none" stroke="var(--vigil-focus)" strokeWidth={3} pointerEvents="none" />}
              </g>
            );
          })}
        </g>
      </svg>
    );
  }

  const unpriced = focus.unpricedRequests;
  return (
    <section ref={forwardedRef} aria-labelledby={titleId} className={classNames('vigil-cost-tree', className)} style={{ ...panelStyle, display: 'grid', gap: 8, ...numericStyle, ...style }}>
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8 }}>
        <h3 id={titleId} style={headingStyle}>
          {title}
        </h3>
        <div role="group" aria-label="Layout" style={{ display: 'inline-flex', gap: 4 }}>
          {(['treemap', 'icicle'] as const).map((l) => (
            <button key={l} type="button" aria-pressed={layout === l} onClick={() => setLayout(l)} style={{ ...buttonStyle, padding: '3px 10px', background: layout === l ? 'var(--vigil-fg)' : 'var(--vigil-surface-raised)', color: layout === l ? 'var(--vigil-surface)' : 'var(--vigil-fg)' }}>
              {l === 'treemap' ? 'Treemap' : 'Icicle'}
            </button>
          ))}
        </div>
      </div>
      <nav aria-label="Attribution path" style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 6, fontSize: '0.8125rem' }}>
        {trail.map((node, i) => (
          <span key={node.id} style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}>
            {i > 0 && <span aria-hidden="true" style={mutedStyle}>›</span>}
            {i < trail.length - 1 ? (
              <button type="button" onClick={() => setPath(path.slice(0, i))} style={{ ...buttonStyle, padding: '1px 6px' }}>
                {node.name}
              </button>
            ) : (
              <strong aria-current="location">
                {node.name} · {formatUsd(node.spend)}
              </strong>
            )}
          </span>
        ))}
      </nav>
      <div ref={containerRef} style={{ width: '100%', minWidth: 0 }}>
        {body}
      </div>
      <p id={hintId} style={{ margin: 0, fontSize: '0.75rem', ...mutedStyle }}>
        Arrow keys move between {levelWord(levels[trail.length - 1] ?? 'item')}s, Enter opens one, Escape goes back up.
        {unpriced > 0 ? ` ${formatNumber(unpriced, 3)} unpriced requests are not sized (no catalogue price).` : ''}
      </p>
    </section>
  );
}

function truncate(text: string, max: number): string {
  if (max <= 1) return '';
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/**
 * Spend by provider → model → feature (any levels) as a treemap or an icicle (d3-hierarchy), from
 * `aggregateUsage` rows. The current level's nodes are a keyboard list (roving focus: arrows, Home, End; Enter or
 * click opens a node; Escape or the breadcrumb goes back), each named with its spend, share and requests.
 * Unpriced requests are counted beside the drawing, never sized as $0 areas.
 *
 * @example
 * <CostAttributionTree rows={aggregateUsage(table, priced, { by: ['provider', 'model', 'feature'] }).rows} />
 */
export const CostAttributionTree = /* @__PURE__ */ forwardRef<HTMLElement, CostAttributionTreeProps>(function CostAttributionTree(props, ref): ReactNode {
  return (
    <VigilErrorBoundary resetKeys={[props.rows]} fallback={(error) => <ErrorBody error={error} />}>
      <TreeInner {...props} forwardedRef={ref} />
    </VigilErrorBoundary>
  );
});

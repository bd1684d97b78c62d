import {
  forwardRef,
  memo,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type ForwardedRef,
  type HTMLAttributes,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import { StatusCode, criticalPath, selfTimes, subtreeSizes, type CriticalPath, type TraceModel } from '@vigil/core/traces';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { classNames } from '../utils/class-names';
import { StatusIcon } from '../status/StatusIcon';
import { SpanDetailPanel } from './SpanDetailPanel';
import { TraceMinimap } from './TraceMinimap';
import {
  EmptyBody,
  ErrorBody,
  LoadingBody,
  REPAIR_FLAGS,
  TraceWarnings,
  describeFlags,
  hasError,
  inputStyle,
  panelStyle,
  smallButton,
  smallButtonStyle,
  useControllable,
} from './parts';
import {
  allParents,
  clampWindow,
  filterMask,
  filtersAreEmpty,
  formatDuration,
  hasChildren,
  MAX_INDENT_LEVELS,
  nextHit,
  revealSpan,
  rowIndexOf,
  searchSpans,
  segmentsBySpan,
  serviceColor,
  siblingPositions,
  splitMatches,
  timeTicks,
  waterfallKeyAction,
  windowBaseDepth,
  type TimeWindow,
  type TraceFilters,
} from './waterfall-model';
import { flattenForDisplay } from '@vigil/core/traces';

export interface TraceWaterfallProps extends Omit<HTMLAttributes<HTMLDivElement>, 'children' | 'onSelect'> {
  /** The parsed trace (`parseTrace` output). null/undefined shows the empty state. */
  readonly trace: TraceModel | null | undefined;
  /** Shows placeholders (and aria-busy). */
  readonly loading?: boolean | undefined;
  /** Shows the error instead of the trace. */
  readonly error?: unknown;
  /** Height of the scrolling rows area, px. Default 480. */
  readonly height?: number | undefined;
  /** Row height, px. Default 24. */
  readonly rowHeight?: number | undefined;
  /** Width of the span-name column (CSS length). Default '34%'. */
  readonly nameColumnWidth?: string | number | undefined;
  /** Selected span (controlled); null for none. The details panel shows the selected span. */
  readonly selectedSpan?: number | null | undefined;
  readonly defaultSelectedSpan?: number | null | undefined;
  readonly onSelectedSpanChange?: ((span: number | null) => void) | undefined;
  /** Collapsed spans (controlled). */
  readonly collapsed?: ReadonlySet<number> | undefined;
  readonly defaultCollapsed?: ReadonlySet<number> | undefined;
  readonly onCollapsedChange?: ((collapsed: ReadonlySet<number>) => void) | undefined;
  /** Filters (controlled). */
  readonly filters?: TraceFilters | undefined;
  readonly defaultFilters?: TraceFilters | undefined;
  readonly onFiltersChange?: ((filters: TraceFilters) => void) | undefined;
  /** Search text (controlled). */
  readonly search?: string | undefined;
  readonly defaultSearch?: string | undefined;
  readonly onSearchChange?: ((search: string) => void) | undefined;
  /** Zoomed time window in ns offsets from the trace start (controlled); null for the whole trace. */
  readonly timeWindow?: TimeWindow | null | undefined;
  readonly onTimeWindowChange?: ((window: TimeWindow | null) => void) | undefined;
  /** Show the span details panel for the selected span. Default true. */
  readonly showDetails?: boolean | undefined;
  /** Show the minimap. Default true. */
  readonly showMinimap?: boolean | undefined;
  /** Show the toolbar (search, filters, expand/collapse). Default true. */
  readonly showToolbar?: boolean | undefined;
  /** Show the engine's warnings (repairs). Default true. */
  readonly showWarnings?: boolean | undefined;
  /** Accessible name of the tree grid. Default 'Trace waterfall'. */
  readonly label?: string | undefined;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

const EMPTY_SET: ReadonlySet<number> = /* @__PURE__ */ new Set();

/** Props of the component itself; everything else goes to the root element. */
const OWN_PROPS: ReadonlySet<string> = /* @__PURE__ */ new Set([
  'trace', 'loading', 'error', 'height', 'rowHeight', 'nameColumnWidth', 'selectedSpan', 'defaultSelectedSpan', 'onSelectedSpanChange',
  'collapsed', 'defaultCollapsed', 'onCollapsedChange', 'filters', 'defaultFilters', 'onFiltersChange', 'search', 'defaultSearch',
  'onSearchChange', 'timeWindow', 'onTimeWindowChange', 'showDetails', 'showMinimap', 'showToolbar', 'showWarnings', 'label', 'className', 'style',
]);

function domProps(props: TraceWaterfallProps): HTMLAttributes<HTMLDivElement> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) if (!OWN_PROPS.has(key)) out[key] = value;
  return out as HTMLAttributes<HTMLDivElement>;
}
const NO_FILTERS: TraceFilters = {};

interface Derived {
  readonly sizes: Int32Array;
  readonly path: CriticalPath;
  readonly self: Float64Array;
  readonly siblings: { readonly position: Int32Array; readonly size: Int32Array };
  readonly segments: { readonly offsets: Int32Array; readonly segmentOrder: Int32Array };
}

function derive(model: TraceModel): Derived {
  const path = criticalPath(model);
  return { sizes: subtreeSizes(model), path, self: selfTimes(model), siblings: siblingPositions(model), segments: segmentsBySpan(path, model.spanCount) };
}

interface RowProps {
  readonly model: TraceModel;
  readonly derived: Derived;
  readonly span: number;
  readonly rowIndex: number;
  readonly top: number;
  readonly rowHeight: number;
  readonly rowId: string;
  readonly nameWidth: string;
  /** The trace is deeper than the indentation cap: indentation is relative (a CSS variable) and depth is printed. */
  readonly deep: boolean;
  readonly collapsed: boolean;
  readonly selected: boolean;
  readonly active: boolean;
  readonly context: boolean;
  readonly hit: boolean;
  readonly currentHit: boolean;
  readonly search: string;
  readonly window: TimeWindow;
  readonly onRowClick: (rowIndex: number, span: number) => void;
  readonly onToggle: (span: number) => void;
}

const INDENT_PX = 12;
const OVERSCAN = 8;

const WaterfallRow = /* @__PURE__ */ memo(function WaterfallRow(props: RowProps): ReactNode {
  const { model, derived, span, rowIndex, top, rowHeight, rowId, nameWidth, deep, collapsed, selected, active, context, hit, currentHit, search, window, onRowClick, onToggle } = props;
  const service = model.services[model.service[span]!] ?? '';
  const operation = model.operations[model.operation[span]!] ?? '';
  const isError = model.status[span] === StatusCode.ERROR;
  const onPath = derived.path.onPath[span] === 1;
  const parent = hasChildren(model, span);
  const flags = model.flags[span]! & REPAIR_FLAGS;
  const color = serviceColor(model.service[span]!);
  const width = window.end - window.start;
  const s = model.startOffsetNs[span]!;
  const e = model.endOffsetNs[span]!;
  const left = ((s - window.start) / width) * 100;
  const right = ((e - window.start) / width) * 100;
  const visibleBar = right >= 0 && left <= 100;
  const barLeft = Math.max(0, left);
  const barWidth = Math.max(0, Math.min(100, right) - barLeft);
  const labelOnLeft = barLeft + barWidth > 80;
  const segs: ReactNode[] = [];
  if (onPath && visibleBar) {
    const { offsets, segmentOrder } = derived.segments;
    for (let k = offsets[span]!; k < offsets[span + 1]! && segs.length < 64; k++) {
      const seg = segmentOrder[k]!;
      const a = ((derived.path.segmentStartOffsetNs[seg]! - window.start) / width) * 100;
      const b = ((derived.path.segmentEndOffsetNs[seg]! - window.start) / width) * 100;
      if (b < 0 || a > 100) continue;
      const l = Math.max(0, a);
      segs.push(<span key={seg} style={{ position: 'absolute', left: `${l}%`, width: `max(1px, ${Math.min(100, b) - l}%)`, bottom: 2, height: 3, background: 'var(--vigil-fg)' }} />);
    }
  }
  const background = selected ? 'var(--vigil-grid)' : currentHit ? 'color-mix(in srgb, var(--vigil-warning) 22%, transparent)' : hit ? 'color-mix(in srgb, var(--vigil-warning) 10%, transparent)' : undefined;
  return (
    <div
      role="row"
      id={rowId}
      aria-level={model.depth[span]! + 1}
      aria-posinset={derived.siblings.position[span]! + 1}
      aria-setsize={derived.siblings.size[span]!}
      aria-rowindex={rowIndex + 1}
      aria-selected={selected}
      {...(parent ? { 'aria-expanded': !collapsed } : {})}
      data-span={span}
      data-row-index={rowIndex}
      data-error={isError ? 'true' : undefined}
      data-critical={onPath ? 'true' : undefined}
      data-hit={hit ? 'true' : undefined}
      className={classNames('vigil-trace-row', selected && 'vigil-trace-row--selected', active && 'vigil-trace-row--active')}
      onClick={() => onRowClick(rowIndex, span)}
      style={{
        position: 'absolute',
        top: 0,
        left: 0,
        right: 0,
        height: rowHeight,
        transform: `translateY(${top}px)`,
        display: 'flex',
        alignItems: 'stretch',
        background,
        borderBottom: '1px solid var(--vigil-grid)',
        boxSizing: 'border-box',
        cursor: 'default',
        // each row lays out and paints on its own: scrolling touches only the rows that change
        contain: 'strict',
        outline: active ? '2px solid var(--vigil-focus)' : undefined,
        outlineOffset: -2,
      }}
    >
      <div
        role="gridcell"
        style={{
          boxSizing: 'border-box',
          flex: `0 0 ${nameWidth}`,
          width: nameWidth,
          display: 'flex',
          alignItems: 'center',
          gap: 4,
          // deep traces: indentation relative to --vigil-trace-indent-base (set on the grid), capped, so moving the base
          // restyles the rows without re-rendering them
          paddingInlineStart: deep
            ? `calc(4px + clamp(0px, (${model.depth[span]!} - var(--vigil-trace-indent-base, 0)) * ${INDENT_PX}px, ${MAX_INDENT_LEVELS * INDENT_PX}px))`
            : 4 + model.depth[span]! * INDENT_PX,
          paddingInlineEnd: 6,
          overflow: 'hidden',
          whiteSpace: 'nowrap',
          borderInlineEnd: '1px solid var(--vigil-border)',
          borderInlineStart: onPath ? '3px solid var(--vigil-fg)' : '3px solid transparent',
          fontStyle: context ? 'italic' : undefined,
        }}
      >
        <span
          aria-hidden="true"
          onClick={(event) => {
            if (!parent) return;
            event.stopPropagation();
            onToggle(span);
          }}
          style={{ flex: 'none', width: 14, textAlign: 'center', cursor: parent ? 'pointer' : 'default', color: 'var(--vigil-fg-muted)', fontSize: '0.7rem' }}
        >
          {parent ? (collapsed ? '▶' : '▼') : ''}
        </span>
        {deep && (
          <span title={`Depth ${model.depth[span]! + 1}`} style={{ flex: 'none', fontSize: '0.6875rem', padding: '0 3px', borderRadius: 3, border: '1px solid var(--vigil-border)', color: 'var(--vigil-fg-muted)', fontVariantNumeric: 'tabular-nums' }}>
            <span className="vigil-visually-hidden">depth </span>
            {(model.depth[span]! + 1).toLocaleString('en-US')}
          </span>
        )}
        <span aria-hidden="true" style={{ flex: 'none', width: 8, height: 8, borderRadius: 2, background: color }} />
        {isError && (
          <>
            <StatusIcon status="critical" style={{ color: 'var(--vigil-critical)' }} />
            <span className="vigil-visually-hidden">error, </span>
          </>
        )}
        {flags !== 0 && (
          <span title={describeFlags(flags)} style={{ flex: 'none', display: 'inline-flex' }}>
            <StatusIcon status="warning" style={{ color: 'var(--vigil-warning)' }} />
            <span className="vigil-visually-hidden">repaired: {describeFlags(flags)}, </span>
          </span>
        )}
        {context && <span className="vigil-visually-hidden">context, not matching the filters: </span>}
        <span style={{ fontWeight: context ? 400 : 600, color: context ? 'var(--vigil-fg-muted)' : 'var(--vigil-fg)', overflow: 'hidden', textOverflow: 'ellipsis', flex: '0 1 auto', minWidth: 0 }}>
          <Highlighted text={service} search={hit ? search : ''} />
        </span>
        <span style={{ color: 'var(--vigil-fg-muted)', overflow: 'hidden', textOverflow: 'ellipsis', flex: '1 1 auto', minWidth: 0 }}>
          <Highlighted text={operation} search={hit ? search : ''} />
        </span>
        {collapsed && parent && (
          <span style={{ flex: 'none', fontSize: '0.6875rem', color: 'var(--vigil-fg-muted)' }}>
            +{(derived.sizes[span]! - 1).toLocaleString('en-US')}
            <span className="vigil-visually-hidden"> hidden spans</span>
          </span>
        )}
        {onPath && <span className="vigil-visually-hidden">, on the critical path</span>}
      </div>
      <div role="gridcell" style={{ position: 'relative', flex: '1 1 auto', minWidth: 0, overflow: 'hidden' }}>
        {visibleBar && (
          <span
            aria-hidden="true"
            data-testid="vigil-trace-bar"
            style={{
              position: 'absolute',
              left: `${barLeft}%`,
              width: `max(2px, ${barWidth}%)`,
              top: 4,
              bottom: 4,
              borderRadius: 2,
              background: isError ? `repeating-linear-gradient(135deg, ${color} 0 4px, var(--vigil-critical) 4px 6px)` : color,
              outline: isError ? '2px solid var(--vigil-critical)' : undefined,
              outlineOffset: 0,
              opacity: context ? 0.5 : 1,
            }}
          />
        )}
        {segs.length > 0 && (
          <span aria-hidden="true" style={{ position: 'absolute', inset: 0 }}>
            {segs}
          </span>
        )}
        <span
          style={{
            position: 'absolute',
            top: 0,
            bottom: 0,
            display: 'flex',
            alignItems: 'center',
            fontSize: '0.75rem',
            color: 'var(--vigil-fg-muted)',
            whiteSpace: 'nowrap',
            fontVariantNumeric: 'tabular-nums',
            ...(labelOnLeft ? { right: `calc(${100 - barLeft}% + 4px)` } : { left: `calc(${Math.min(100, barLeft + barWidth)}% + 4px)` }),
          }}
        >
          {formatDuration(model.durationNs[span]!)}
        </span>
      </div>
    </div>
  );
});

function Highlighted({ text, search }: { readonly text: string; readonly search: string }): ReactNode {
  if (search === '') return text;
  return splitMatches(text, search).map((part, k) =>
    part.match ? (
      <mark key={k} style={{ background: 'var(--vigil-warning)', color: 'var(--vigil-surface)', borderRadius: 2 }}>
        {part.text}
      </mark>
    ) : (
      <span key={k}>{part.text}</span>
    ),
  );
}

function WaterfallBody(props: TraceWaterfallProps & { readonly model: TraceModel }): ReactNode {
  const {
    model,
    height = 480,
    rowHeight = 24,
    nameColumnWidth = '34%',
    showDetails = true,
    showMinimap = true,
    showToolbar = true,
    showWarnings = true,
    label = 'Trace waterfall',
  } = props;
  const nameWidth = typeof nameColumnWidth === 'number' ? `${nameColumnWidth}px` : nameColumnWidth;
  const baseId = useId().replace(/:/g, '');
  const derived = useMemo(() => derive(model), [model]);
  const total = model.traceDurationNs > 0 ? model.traceDurationNs : 1;

  const [collapsed, setCollapsed] = useControllable<ReadonlySet<number>>(props.collapsed, props.defaultCollapsed ?? EMPTY_SET, props.onCollapsedChange);
  const [filters, setFilters] = useControllable<TraceFilters>(props.filters, props.defaultFilters ?? NO_FILTERS, props.onFiltersChange);
  const [search, setSearch] = useControllable<string>(props.search, props.defaultSearch ?? '', props.onSearchChange);
  const [selected, setSelected] = useControllable<number | null>(props.selectedSpan, props.defaultSelectedSpan ?? null, props.onSelectedSpanChange);
  const [ownWindow, setOwnWindow] = useState<TimeWindow | null>(null);
  const windowValue = props.timeWindow !== undefined ? props.timeWindow : ownWindow;
  const timeWindow = useMemo(() => clampWindow(windowValue ?? { start: 0, end: total }, total), [windowValue, total]);
  const setWindow = useCallback(
    (next: TimeWindow | null) => {
      const value = next === null || (next.start <= 0 && next.end >= total) ? null : next;
      if (props.timeWindow === undefined) setOwnWindow(value);
      props.onTimeWindowChange?.(value);
    },
    [props, total],
  );

  const filterState = useMemo((): { mask: Uint8Array | undefined; error: unknown } => {
    try {
      return { mask: filterMask(model, filters, derived.path), error: undefined };
    } catch (error) {
      return { mask: undefined, error };
    }
  }, [model, filters, derived.path]);
  const mask = filterState.mask;
  const rows = useMemo(() => flattenForDisplay(model, { collapsed: collapsed as Set<number>, ...(mask ? { filter: mask } : {}), subtreeSizes: derived.sizes }), [model, collapsed, mask, derived.sizes]);
  const rowOf = useMemo(() => rowIndexOf(model.spanCount, rows), [model.spanCount, rows]);

  const hits = useMemo(() => searchSpans(model, search), [model, search]);
  const [hitIndex, setHitIndex] = useState(-1);
  useEffect(() => setHitIndex(-1), [hits]);

  const [activeRow, setActiveRow] = useState(0);
  const active = rows.length === 0 ? -1 : Math.min(activeRow, rows.length - 1);
  const [gridFocused, setGridFocused] = useState(false);

  const scrollRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: OVERSCAN,
    initialRect: { width: 960, height },
    observeElementRect: (instance, callback) => observeElementRect(instance, (rect) => callback(rect.height > 0 ? rect : { width: rect.width, height })),
  });
  const items = virtualizer.getVirtualItems();
  const pool = Math.ceil(height / rowHeight) + 2 * OVERSCAN + 8;
  const first = items[0]?.index ?? 0;
  const last = (items[items.length - 1]?.index ?? -1) + 1;
  // indentation is relative to the rows actually on screen (not the overscan), so a deep chain reads as a staircase
  const onScreen = virtualizer.range;
  const previousBase = useRef(0);
  const baseDepth = windowBaseDepth(model, rows, onScreen?.startIndex ?? first, (onScreen?.endIndex ?? last - 1) + 1, MAX_INDENT_LEVELS, previousBase.current);
  useEffect(() => {
    previousBase.current = baseDepth;
  });
  const deep = model.maxDepth > MAX_INDENT_LEVELS;

  // After a change of the rows (expand, filter), or a jump, keep the wanted span in view.
  const pendingSpan = useRef<number | null>(null);
  useEffect(() => {
    const span = pendingSpan.current;
    if (span === null) return;
    const r = rowOf[span]!;
    if (r >= 0) {
      pendingSpan.current = null;
      setActiveRow(r);
      virtualizer.scrollToIndex(r, { align: 'center' });
    }
  }, [rowOf, virtualizer]);

  const goToSpan = useCallback(
    (span: number) => {
      const nextCollapsed = revealSpan(model, collapsed, span);
      pendingSpan.current = span;
      if (nextCollapsed !== collapsed) setCollapsed(nextCollapsed);
      else {
        const r = rowOf[span]!;
        if (r >= 0) {
          pendingSpan.current = null;
          setActiveRow(r);
          virtualizer.scrollToIndex(r, { align: 'center' });
        }
      }
    },
    [model, collapsed, setCollapsed, rowOf, virtualizer],
  );

  const goToHit = (step: 1 | -1) => {
    const k = nextHit(hits.spans.length, hitIndex, step);
    if (k < 0) return;
    setHitIndex(k);
    goToSpan(hits.spans[k]!);
  };

  const toggle = useCallback(
    (span: number) => {
      const next = new Set(collapsed);
      if (next.has(span)) next.delete(span);
      else next.add(span);
      setCollapsed(next);
    },
    [collapsed, setCollapsed],
  );

  const onRowClick = useCallback(
    (rowIndex: number, span: number) => {
      setActiveRow(rowIndex);
      setSelected(span);
    },
    [setSelected],
  );

  const moveTo = (row: number) => {
    setActiveRow(row);
    virtualizer.scrollToIndex(row, { align: 'auto' });
  };

  const onGridKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const action = waterfallKeyAction(event.key, { rows, row: active, model, collapsed, pageSize: Math.max(1, Math.floor(height / rowHeight) - 1), rowOf });
    if (action.type === 'none') return;
    event.preventDefault();
    if (action.type === 'move') moveTo(action.row);
    else if (action.type === 'expand' || action.type === 'collapse') toggle(action.span);
    else if (action.type === 'open') setSelected(action.span);
  };

  const onRootKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== '/' || event.defaultPrevented) return;
    const target = event.target as HTMLElement;
    if (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA') return;
    event.preventDefault();
    searchRef.current?.focus();
  };

  const activeSpan = active >= 0 ? rows[active]! : -1;
  const activeRendered = active >= first && active < last;
  const rowIdOf = (span: number) => `vigil-trace-${baseId}-row-${span}`;
  const ticks = timeTicks(timeWindow, 4);
  const zoomed = timeWindow.start > 0 || timeWindow.end < total;
  const filtered = !filtersAreEmpty(filters);
  const selectedValid = selected !== null && selected >= 0 && selected < model.spanCount ? selected : null;
  const searchText = search.trim();

  return (
    <div onKeyDown={onRootKeyDown} style={{ display: 'grid', gap: 8 }}>
      {showWarnings && <TraceWarnings model={model} />}
      {showToolbar && (
        <div className="vigil-trace-toolbar" role="toolbar" aria-label="Trace tools" style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8, fontSize: '0.8125rem' }}>
          <span role="search" style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
            <input
              ref={searchRef}
              type="search"
              aria-label="Search spans (press / to focus)"
              placeholder="Search spans  /"
              value={search}
              onChange={(event) => setSearch(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') {
                  event.preventDefault();
                  goToHit(event.shiftKey ? -1 : 1);
                }
              }}
              style={{ ...inputStyle, width: 180 }}
            />
            <button type="button" style={smallButton(hits.spans.length === 0)} onClick={() => goToHit(-1)} disabled={hits.spans.length === 0} aria-label="Previous match">
              ↑
            </button>
            <button type="button" style={smallButton(hits.spans.length === 0)} onClick={() => goToHit(1)} disabled={hits.spans.length === 0} aria-label="Next match">
              ↓
            </button>
            <span role="status" data-testid="vigil-trace-search-status" style={{ color: 'var(--vigil-fg-muted)', minWidth: 70, fontVariantNumeric: 'tabular-nums' }}>
              {searchText === '' ? '' : hits.spans.length === 0 ? 'No matches' : `${hitIndex < 0 ? '–' : (hitIndex + 1).toLocaleString('en-US')} of ${hits.spans.length.toLocaleString('en-US')}`}
            </span>
          </span>
          <label style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
            Service
            <select
              value={filters.services?.[0] ?? ''}
              onChange={(event) => setFilters({ ...filters, services: event.target.value === '' ? [] : [event.target.value] })}
              style={inputStyle}
            >
              <option value="">All</option>
              {model.services.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
            Min ms
            <input
              type="number"
              min={0}
              step="any"
              value={filters.minDurationMs ?? ''}
              onChange={(event) => {
                const v = event.target.valueAsNumber;
                setFilters({ ...filters, minDurationMs: Number.isFinite(v) && v > 0 ? v : undefined });
              }}
              style={{ ...inputStyle, width: 72 }}
            />
          </label>
          <label style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
            <input type="checkbox" checked={filters.errorsOnly === true} onChange={(event) => setFilters({ ...filters, errorsOnly: event.target.checked })} />
            Errors only
          </label>
          <label style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
            <input type="checkbox" checked={filters.criticalPathOnly === true} onChange={(event) => setFilters({ ...filters, criticalPathOnly: event.target.checked })} />
            Critical path only
          </label>
          <span style={{ flex: 1 }} />
          <button type="button" style={smallButtonStyle} onClick={() => setCollapsed(EMPTY_SET)}>
            Expand all
          </button>
          <button type="button" style={smallButtonStyle} onClick={() => setCollapsed(allParents(model))}>
            Collapse all
          </button>
          <button type="button" style={smallButton(!zoomed)} onClick={() => setWindow(null)} disabled={!zoomed}>
            Reset zoom
          </button>
        </div>
      )}
      {hasError(filterState.error) && <ErrorBody error={filterState.error} />}
      {showMinimap && <TraceMinimap model={model} rows={rows} window={timeWindow} onWindowChange={(w) => setWindow(w)} />}
      <div style={{ border: '1px solid var(--vigil-border)', borderRadius: 4, overflow: 'hidden' }}>
        <div aria-hidden="true" style={{ display: 'flex', height: 22, borderBottom: '1px solid var(--vigil-border)', fontSize: '0.75rem', color: 'var(--vigil-fg-muted)', background: 'var(--vigil-surface-raised)' }}>
          <div style={{ flex: `0 0 ${nameWidth}`, boxSizing: 'border-box', padding: '3px 8px', borderInlineEnd: '1px solid var(--vigil-border)' }}>
            {rows.length.toLocaleString('en-US')} of {model.spanCount.toLocaleString('en-US')} spans{filtered ? ' (filtered)' : ''}
          </div>
          <div style={{ position: 'relative', flex: '1 1 auto', marginInlineEnd: 56 }}>
            {ticks.map((t, k) => (
              <span
                key={k}
                style={{ position: 'absolute', top: 3, left: `${((t.at - timeWindow.start) / (timeWindow.end - timeWindow.start)) * 100}%`, transform: k === 0 ? undefined : k === ticks.length - 1 ? 'translateX(-100%)' : 'translateX(-50%)', whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}
              >
                {t.label}
              </span>
            ))}
          </div>
        </div>
        {rows.length === 0 ? (
          <div style={{ padding: 12 }}>
            <EmptyBody>No spans match the filters.</EmptyBody>
          </div>
        ) : (
          <div
            ref={scrollRef}
            role="treegrid"
            aria-label={label}
            aria-rowcount={rows.length}
            aria-colcount={2}
            aria-multiselectable={false}
            tabIndex={0}
            {...(activeRendered && activeSpan >= 0 ? { 'aria-activedescendant': rowIdOf(activeSpan) } : {})}
            onKeyDown={onGridKeyDown}
            onFocus={() => setGridFocused(true)}
            onBlur={() => setGridFocused(false)}
            data-testid="vigil-trace-grid"
            style={{ position: 'relative', height, overflow: 'auto', outline: 'none', contain: 'strict', fontSize: '0.8125rem', ['--vigil-trace-indent-base' as string]: baseDepth }}
          >
            <div role="presentation" style={{ position: 'relative', height: virtualizer.getTotalSize(), width: '100%' }}>
              {items.map((item) => {
                // Rows are keyed by slot (index modulo a pool larger than the window), so scrolling updates the rows that
                // leave into the rows that enter instead of unmounting and creating DOM.
                const key = items.length <= pool ? item.index % pool : `s${rows[item.index]!}`;
                const span = rows[item.index]!;
                return (
                  <WaterfallRow
                    key={key}
                    model={model}
                    derived={derived}
                    span={span}
                    rowIndex={item.index}
                    top={item.start}
                    rowHeight={rowHeight}
                    rowId={rowIdOf(span)}
                    nameWidth={nameWidth}
                    deep={deep}
                    collapsed={collapsed.has(span)}
                    selected={selectedValid === span}
                    active={gridFocused && item.index === active}
                    context={mask !== undefined && mask[span] !== 1}
                    hit={hits.mask[span] === 1}
                    currentHit={hitIndex >= 0 && hits.spans[hitIndex] === span}
                    search={searchText}
                    window={timeWindow}
                    onRowClick={onRowClick}
                    onToggle={toggle}
                  />
                );
              })}
            </div>
          </div>
        )}
      </div>
      <p className="vigil-visually-hidden">Arrow keys move between spans; right and left expand and collapse; Enter opens the details; slash focuses the search.</p>
      {showDetails && selectedValid !== null && (
        <SpanDetailPanel
          trace={model}
          span={selectedValid}
          selfTimeNs={derived.self[selectedValid]}
          criticalTimeNs={derived.path.criticalTimeNs[selectedValid]}
          onClose={() => {
            setSelected(null);
            scrollRef.current?.focus();
          }}
          onZoom={(span) => setWindow(clampWindow({ start: model.startOffsetNs[span]!, end: model.endOffsetNs[span]! }, total))}
          style={{ borderTop: '1px solid var(--vigil-border)', paddingTop: 8, maxHeight: 360, overflow: 'auto' }}
        />
      )}
    </div>
  );
}

/**
 * A trace as a waterfall: one row per span in tree order (virtualised, so 100k spans scroll smoothly), bars on a
 * zoomable time axis coloured by service, errors marked by icon, hatching and words, the critical path marked on the
 * row and as a stripe under its segments, repairs from the engine shown as warnings. Search with next/previous,
 * filters (service, minimum duration, errors only, critical path only), collapse/expand (per row, all), a minimap
 * to zoom the time axis, and a details panel (text only). Keyboard: a tree grid — arrows move, right/left
 * expand/collapse, Enter opens details, `/` focuses the search.
 *
 * @example
 * const model = parseTrace(payload);
 * <TraceWaterfall trace={model} height={520} onSelectedSpanChange={(span) => console.log(span)} />
 */
export const TraceWaterfall = /* @__PURE__ */ forwardRef(function TraceWaterfall(props: TraceWaterfallProps, ref: ForwardedRef<HTMLDivElement>) {
  const { trace, loading, error, className, style } = props;
  const rest = domProps(props);
  let body: ReactNode;
  if (hasError(error)) body = <ErrorBody error={error} />;
  else if (loading === true) body = <LoadingBody label="trace" lines={6} />;
  else if (trace === null || trace === undefined || trace.spanCount === 0) {
    body = (
      <>
        {trace && <TraceWarnings model={trace} />}
        <EmptyBody>This trace has no spans.</EmptyBody>
      </>
    );
  } else {
    body = (
      <VigilErrorBoundary resetKeys={[trace]} fallback={(e) => <ErrorBody error={e} />}>
        <WaterfallBody {...props} model={trace} />
      </VigilErrorBoundary>
    );
  }
  return (
    <div
      ref={ref}
      className={classNames('vigil-trace-waterfall', className)}
      aria-busy={loading === true ? true : undefined}
      data-state={hasError(error) ? 'error' : loading === true ? 'loading' : trace && trace.spanCount > 0 ? 'ready' : 'empty'}
      style={{ ...panelStyle, ...style }}
      {...rest}
    >
      {body}
    </div>
  );
});

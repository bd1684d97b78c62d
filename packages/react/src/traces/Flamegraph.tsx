import { forwardRef, useCallback, useEffect, useId, useMemo, useRef, useState, type CSSProperties, type ForwardedRef, type HTMLAttributes, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { StatusCode, selfTimes, type TraceModel } from '@vigil/core/traces';
import { classNames } from '../utils/class-names';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { resolveCssColor } from '../theme/palette';
import { useResizeObserver } from '../utils/useResizeObserver';
import { EmptyBody, ErrorBody, LoadingBody, hasError, inputStyle, panelStyle, smallButton, useControllable } from './parts';
import { depthIndex, flameKeyTarget, spanAt } from './flame-model';
import { clampWindow, formatDuration, searchSpans, serviceColorSlot, type TimeWindow } from './waterfall-model';

export interface FlamegraphProps extends Omit<HTMLAttributes<HTMLDivElement>, 'children' | 'onSelect'> {
  /** The parsed trace. */
  readonly trace: TraceModel | null | undefined;
  readonly loading?: boolean | undefined;
  readonly error?: unknown;
  /** Height of the drawing, px. Default 320. */
  readonly height?: number | undefined;
  /** Frame height, px. Default 18. */
  readonly frameHeight?: number | undefined;
  /** Search text (controlled); frames that do not match are faded. */
  readonly search?: string | undefined;
  readonly defaultSearch?: string | undefined;
  readonly onSearchChange?: ((search: string) => void) | undefined;
  /** Show the search box. Default true. */
  readonly showSearch?: boolean | undefined;
  /** Selected frame (controlled); null for none. */
  readonly selectedSpan?: number | null | undefined;
  readonly defaultSelectedSpan?: number | null | undefined;
  readonly onSelectedSpanChange?: ((span: number | null) => void) | undefined;
  /** Accessible name. Default 'Trace flame graph'. */
  readonly label?: string | undefined;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

const OWN_PROPS: ReadonlySet<string> = /* @__PURE__ */ new Set([
  'trace', 'loading', 'error', 'height', 'frameHeight', 'search', 'defaultSearch', 'onSearchChange', 'showSearch',
  'selectedSpan', 'defaultSelectedSpan', 'onSelectedSpanChange', 'label', 'className', 'style',
]);

interface Tooltip {
  readonly span: number;
  readonly x: number;
  readonly y: number;
}

function FlameBody(props: FlamegraphProps & { readonly model: TraceModel }): ReactNode {
  const { model, height = 320, frameHeight = 18, showSearch = true, label = 'Trace flame graph' } = props;
  const [search, setSearch] = useControllable<string>(props.search, props.defaultSearch ?? '', props.onSearchChange);
  const [selected, setSelected] = useControllable<number | null>(props.selectedSpan, props.defaultSelectedSpan ?? null, props.onSelectedSpanChange);
  const total = model.traceDurationNs > 0 ? model.traceDurationNs : 1;
  const [zoom, setZoom] = useState<TimeWindow | null>(null);
  const window = useMemo(() => clampWindow(zoom ?? { start: 0, end: total }, total), [zoom, total]);
  const index = useMemo(() => depthIndex(model), [model]);
  const self = useMemo(() => selfTimes(model), [model]);
  const hits = useMemo(() => searchSpans(model, search), [model, search]);
  const searching = search.trim() !== '';
  const wrapRef = useRef<HTMLDivElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const size = useResizeObserver(wrapRef);
  const width = Math.max(1, Math.floor(size?.width ?? 800));
  const [scrollTop, setScrollTop] = useState(0);
  const [tooltip, setTooltip] = useState<Tooltip | null>(null);
  const [themeTick, setThemeTick] = useState(0);
  const infoId = useId();
  const contentHeight = (model.maxDepth + 1) * frameHeight;
  const viewHeight = Math.min(height, contentHeight + 2);

  // Re-read the theme's colours when an ancestor switches theme.
  useEffect(() => {
    const el = wrapRef.current;
    if (!el || typeof MutationObserver === 'undefined') return;
    const observer = new MutationObserver(() => setThemeTick((t) => t + 1));
    for (let node: HTMLElement | null = el; node; node = node.parentElement) observer.observe(node, { attributes: true, attributeFilter: ['data-vigil-theme', 'class'] });
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas && typeof canvas.getContext === 'function' ? canvas.getContext('2d') : null;
    if (!canvas || !ctx) return;
    const ratio = typeof devicePixelRatio === 'number' && devicePixelRatio > 0 ? devicePixelRatio : 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(viewHeight * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, viewHeight);
    const colours = Array.from({ length: 8 }, (_, k) => resolveCssColor(canvas, `--vigil-series-${k + 1}`, '#888'));
    const critical = resolveCssColor(canvas, '--vigil-critical', '#c2261e');
    const focus = resolveCssColor(canvas, '--vigil-focus', '#0b5cd5');
    const surface = resolveCssColor(canvas, '--vigil-surface', '#fff');
    const fg = resolveCssColor(canvas, '--vigil-fg', '#111');
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    const span = window.end - window.start;
    const scale = width / span;
    const firstDepth = Math.max(0, Math.floor(scrollTop / frameHeight));
    const lastDepth = Math.min(model.maxDepth, Math.ceil((scrollTop + viewHeight) / frameHeight));
    let selectedRect: [number, number, number] | undefined;
    for (let d = firstDepth; d <= lastDepth; d++) {
      const y = d * frameHeight - scrollTop;
      for (let k = index.offsets[d]!; k < index.offsets[d + 1]!; k++) {
        const v = index.spans[k]!;
        const s = model.startOffsetNs[v]!;
        const e = model.endOffsetNs[v]!;
        if (e < window.start || s > window.end) continue;
        const x0 = (s - window.start) * scale;
        const x1 = (e - window.start) * scale;
        const w = x1 - x0;
        if (w < 0.35) continue;
        const faded = searching && hits.mask[v] !== 1;
        ctx.globalAlpha = faded ? 0.22 : 1;
        ctx.fillStyle = colours[serviceColorSlot(model.service[v]!)]!;
        const drawX = Math.max(-1, x0);
        const drawW = Math.min(width + 1, x1) - drawX;
        ctx.fillRect(drawX, y + 1, Math.max(1, drawW - (drawW > 3 ? 1 : 0)), frameHeight - 2);
        if (model.status[v] === StatusCode.ERROR) {
          ctx.strokeStyle = critical;
          ctx.lineWidth = 2;
          ctx.strokeRect(drawX + 1, y + 2, Math.max(1, drawW - 2), frameHeight - 4);
        }
        if (drawW > 56) {
          // label on a surface-coloured chip so it reads on every service colour
          const text = `${model.status[v] === StatusCode.ERROR ? '! ' : ''}${model.services[model.service[v]!]}: ${model.operations[model.operation[v]!]}`;
          const room = Math.floor((drawW - 8) / 6.2);
          const shown = text.length > room ? `${text.slice(0, Math.max(1, room - 1))}…` : text;
          const textWidth = Math.min(drawW - 4, ctx.measureText(shown).width + 6);
          // the label stays inside its own frame (siblings running in parallel overlap)
          ctx.save();
          ctx.beginPath();
          ctx.rect(Math.max(0, drawX), y, Math.min(width, drawX + drawW) - Math.max(0, drawX) - 1, frameHeight);
          ctx.clip();
          ctx.fillStyle = surface;
          ctx.globalAlpha = faded ? 0.3 : 0.85;
          ctx.fillRect(Math.max(0, drawX) + 2, y + 3, textWidth, frameHeight - 6);
          ctx.globalAlpha = faded ? 0.45 : 1;
          ctx.fillStyle = fg;
          ctx.fillText(shown, Math.max(0, drawX) + 5, y + frameHeight / 2);
          ctx.restore();
        }
        if (v === selected) selectedRect = [drawX, y, drawW];
      }
    }
    ctx.globalAlpha = 1;
    if (selectedRect) {
      ctx.strokeStyle = focus;
      ctx.lineWidth = 3;
      ctx.strokeRect(selectedRect[0] + 1.5, selectedRect[1] + 1.5, Math.max(2, selectedRect[2] - 3), frameHeight - 3);
    }
  }, [model, index, window, width, viewHeight, scrollTop, frameHeight, hits, searching, selected, themeTick]);

  const pointToSpan = (event: MouseEvent<HTMLElement>): number => {
    const rect = scrollRef.current?.getBoundingClientRect();
    if (!rect) return -1;
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top + scrollTop;
    const t = window.start + (x / width) * (window.end - window.start);
    return spanAt(model, index, Math.floor(y / frameHeight), t, ((window.end - window.start) / width) * 1);
  };

  const zoomTo = useCallback((span: number) => setZoom(clampWindow({ start: model.startOffsetNs[span]!, end: model.endOffsetNs[span]! }, total)), [model, total]);

  const reveal = useCallback(
    (span: number) => {
      const el = scrollRef.current;
      if (!el) return;
      const top = model.depth[span]! * frameHeight;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + frameHeight > el.scrollTop + viewHeight) el.scrollTop = top + frameHeight - viewHeight;
      // keep the frame horizontally in view
      const s = model.startOffsetNs[span]!;
      const e = model.endOffsetNs[span]!;
      if (e < window.start || s > window.end) setZoom(null);
    },
    [model, frameHeight, viewHeight, window],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const current = selected ?? -1;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      if (current >= 0) zoomTo(current);
      return;
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      setZoom(null);
      return;
    }
    if (!['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home'].includes(event.key)) return;
    event.preventDefault();
    const next = flameKeyTarget(model, current, event.key);
    if (next >= 0) {
      setSelected(next);
      reveal(next);
    }
  };

  const info = selected !== null && selected >= 0 && selected < model.spanCount ? selected : null;
  const infoText =
    info === null
      ? 'No frame selected. Use the arrow keys to move between frames, Enter to zoom, Escape to reset.'
      : `${model.services[model.service[info]!]}: ${model.operations[model.operation[info]!]} — ${formatDuration(model.durationNs[info]!)} (${((model.durationNs[info]! / total) * 100).toFixed(1)}% of the trace), self ${formatDuration(self[info]!)}, depth ${model.depth[info]! + 1}${model.status[info] === StatusCode.ERROR ? ', error' : ''}`;
  const zoomed = window.start > 0 || window.end < total;
  const tip = tooltip && tooltip.span < model.spanCount ? tooltip : null;

  return (
    <div style={{ display: 'grid', gap: 8 }}>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', fontSize: '0.8125rem' }}>
        {showSearch && (
          <input type="search" aria-label="Search frames" placeholder="Search frames" value={search} onChange={(event) => setSearch(event.target.value)} style={{ ...inputStyle, width: 180 }} />
        )}
        {searching && (
          <span role="status" data-testid="vigil-flame-search-status" style={{ color: 'var(--vigil-fg-muted)' }}>
            {hits.spans.length.toLocaleString('en-US')} matching {hits.spans.length === 1 ? 'frame' : 'frames'}
          </span>
        )}
        <span style={{ flex: 1 }} />
        <span style={{ color: 'var(--vigil-fg-muted)', fontVariantNumeric: 'tabular-nums' }}>
          {formatDuration(window.start)} – {formatDuration(window.end)}
        </span>
        <button type="button" style={smallButton(!zoomed)} onClick={() => setZoom(null)} disabled={!zoomed}>
          Reset zoom
        </button>
      </div>
      <div ref={wrapRef} style={{ position: 'relative' }}>
        <div
          ref={scrollRef}
          role="group"
          aria-roledescription="flame graph"
          aria-label={label}
          aria-describedby={infoId}
          tabIndex={0}
          data-testid="vigil-flamegraph"
          onKeyDown={onKeyDown}
          onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
          onClick={(event) => {
            const span = pointToSpan(event);
            if (span >= 0) {
              setSelected(span);
              zoomTo(span);
            }
          }}
          onMouseMove={(event) => {
            const span = pointToSpan(event);
            const rect = scrollRef.current?.getBoundingClientRect();
            setTooltip(span >= 0 && rect ? { span, x: event.clientX - rect.left, y: event.clientY - rect.top } : null);
          }}
          onMouseLeave={() => setTooltip(null)}
          style={{ position: 'relative', height: viewHeight, overflowY: 'auto', overflowX: 'hidden', border: '1px solid var(--vigil-border)', borderRadius: 4, cursor: 'pointer', outlineOffset: 2 }}
        >
          <div style={{ height: contentHeight, position: 'relative' }}>
            <canvas ref={canvasRef} aria-hidden="true" style={{ position: 'sticky', top: 0, display: 'block', width: '100%', height: viewHeight }} />
          </div>
        </div>
        {tip && (
          <div
            role="tooltip"
            style={{
              position: 'absolute',
              left: Math.min(tip.x + 12, Math.max(0, width - 260)),
              top: tip.y + 14,
              maxWidth: 260,
              padding: '4px 8px',
              borderRadius: 4,
              background: 'var(--vigil-tooltip-bg)',
              color: 'var(--vigil-tooltip-fg)',
              fontSize: '0.75rem',
              pointerEvents: 'none',
              zIndex: 2,
              boxShadow: 'var(--vigil-shadow)',
            }}
          >
            <strong>{model.services[model.service[tip.span]!]}</strong> {model.operations[model.operation[tip.span]!]}
            <br />
            {formatDuration(model.durationNs[tip.span]!)} · self {formatDuration(self[tip.span]!)}
            {model.status[tip.span] === StatusCode.ERROR ? ' · error' : ''}
          </div>
        )}
      </div>
      <p id={infoId} role="status" data-testid="vigil-flame-selected" style={{ margin: 0, fontSize: '0.8125rem', color: 'var(--vigil-fg)' }}>
        {infoText}
      </p>
    </div>
  );
}

/**
 * A flame graph of a trace on canvas: time across, depth down (scrolls vertically for deep traces and only draws the
 * depths in view), frames coloured by service with errors outlined and marked `!`. Click a frame to zoom the time
 * axis to it; search fades the frames that do not match; tooltips on hover. Keyboard: the graph is focusable;
 * arrows move between parent, child and siblings, Enter zooms, Escape resets; the selected frame is described in
 * words below the graph (a live region).
 *
 * @example
 * <Flamegraph trace={model} height={360} defaultSearch="postgres" />
 */
export const Flamegraph = /* @__PURE__ */ forwardRef(function Flamegraph(props: FlamegraphProps, ref: ForwardedRef<HTMLDivElement>) {
  const { trace, loading, error, className, style } = props;
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) if (!OWN_PROPS.has(key)) rest[key] = value;
  let body: ReactNode;
  if (hasError(error)) body = <ErrorBody error={error} />;
  else if (loading === true) body = <LoadingBody label="flame graph" lines={5} />;
  else if (!trace || trace.spanCount === 0) body = <EmptyBody>This trace has no spans.</EmptyBody>;
  else
    body = (
      <VigilErrorBoundary resetKeys={[trace]} fallback={(e) => <ErrorBody error={e} />}>
        <FlameBody {...props} model={trace} />
      </VigilErrorBoundary>
    );
  return (
    <div ref={ref} className={classNames('vigil-flamegraph', className)} aria-busy={loading === true ? true : undefined} style={{ ...panelStyle, ...style }} {...(rest as HTMLAttributes<HTMLDivElement>)}>
      {body}
    </div>
  );
});

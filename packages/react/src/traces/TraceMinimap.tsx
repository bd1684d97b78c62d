import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { StatusCode, type TraceModel } from '@vigil/core/traces';
import { resolveCssColor } from '../theme/palette';
import { useResizeObserver } from '../utils/useResizeObserver';
import { clampWindow, formatDuration, minimapLines, type TimeWindow } from './waterfall-model';

export interface TraceMinimapProps {
  readonly model: TraceModel;
  /** Rows in display order (what the waterfall shows). */
  readonly rows: Int32Array;
  /** The zoomed time window, ns offsets. */
  readonly window: TimeWindow;
  readonly onWindowChange: (window: TimeWindow) => void;
  /** Height in px. Default 48. */
  readonly height?: number;
}

/**
 * A compressed picture of the whole waterfall (one line per group of rows: earliest start to latest end, errors in
 * the critical colour) with the zoomed window shaded around. Drag across it to zoom the time axis to a range; click
 * to centre the window. Keyboard: ArrowLeft/ArrowRight pan, + and − zoom, 0 resets.
 */
export function TraceMinimap({ model, rows, window, onWindowChange, height = 48 }: TraceMinimapProps): ReactNode {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const size = useResizeObserver(wrapRef);
  const width = Math.max(1, Math.floor(size?.width ?? 600));
  const total = model.traceDurationNs > 0 ? model.traceDurationNs : 1;
  const lines = useMemo(() => minimapLines(model, rows, height), [model, rows, height]);
  const [drag, setDrag] = useState<{ readonly from: number; readonly to: number } | null>(null);
  const descriptionId = useId();

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ctx = typeof canvas.getContext === 'function' ? canvas.getContext('2d') : null;
    if (!ctx) return;
    const ratio = typeof devicePixelRatio === 'number' && devicePixelRatio > 0 ? devicePixelRatio : 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const normal = resolveCssColor(canvas, '--vigil-fg-muted', '#545c6b');
    const error = resolveCssColor(canvas, '--vigil-critical', '#c2261e');
    const count = lines.start.length;
    const lineHeight = height / Math.max(1, count);
    ctx.fillStyle = normal;
    ctx.globalAlpha = 0.75;
    for (let y = 0; y < count; y++) {
      const s = lines.start[y]!;
      const e = lines.end[y]!;
      if (!(e >= s)) continue;
      const x0 = (s / total) * width;
      const x1 = Math.max(x0 + 1, (e / total) * width);
      ctx.fillRect(x0, y * lineHeight, x1 - x0, Math.max(1, lineHeight - (lineHeight > 3 ? 1 : 0)));
    }
    // errors: a tick at each error span's start, on its line (so a few errors in a huge trace stay a few ticks)
    ctx.globalAlpha = 1;
    ctx.fillStyle = error;
    const n = rows.length;
    for (let r = 0; r < n; r++) {
      const v = rows[r]!;
      if (model.status[v] !== StatusCode.ERROR) continue;
      const line = Math.min(count - 1, Math.floor((r * count) / n));
      ctx.fillRect(Math.min(width - 2, (model.startOffsetNs[v]! / total) * width), line * lineHeight, 2, Math.max(2, lineHeight));
    }
  }, [lines, width, height, total, model, rows]);

  const toNs = (clientX: number): number => {
    const rect = wrapRef.current?.getBoundingClientRect();
    if (!rect || rect.width <= 0) return 0;
    return (Math.max(0, Math.min(rect.width, clientX - rect.left)) / rect.width) * total;
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture?.(event.pointerId);
    const at = toNs(event.clientX);
    setDrag({ from: at, to: at });
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (drag) setDrag({ from: drag.from, to: toNs(event.clientX) });
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    if (!drag) return;
    const to = toNs(event.clientX);
    setDrag(null);
    const pixels = (Math.abs(to - drag.from) / total) * width;
    if (pixels >= 3) {
      onWindowChange(clampWindow({ start: Math.min(drag.from, to), end: Math.max(drag.from, to) }, total));
    } else {
      const half = (window.end - window.start) / 2;
      const centre = Math.max(half, Math.min(total - half, to));
      onWindowChange(clampWindow({ start: centre - half, end: centre + half }, total));
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const span = window.end - window.start;
    let next: TimeWindow | undefined;
    if (event.key === 'ArrowLeft') next = { start: window.start - span * 0.1, end: window.end - span * 0.1 };
    else if (event.key === 'ArrowRight') next = { start: window.start + span * 0.1, end: window.end + span * 0.1 };
    else if (event.key === '+' || event.key === '=') next = { start: window.start + span * 0.25, end: window.end - span * 0.25 };
    else if (event.key === '-' || event.key === '_') next = { start: window.start - span * 0.5, end: window.end + span * 0.5 };
    else if (event.key === '0') next = { start: 0, end: total };
    if (!next) return;
    event.preventDefault();
    if (next.start < 0) next = { start: 0, end: next.end - next.start };
    if (next.end > total) next = { start: Math.max(0, next.start - (next.end - total)), end: total };
    onWindowChange(clampWindow(next, total));
  };

  const shown = drag ? { start: Math.min(drag.from, drag.to), end: Math.max(drag.from, drag.to) } : window;
  const left = (shown.start / total) * 100;
  const right = 100 - (shown.end / total) * 100;
  const zoomed = window.start > 0 || window.end < total;
  return (
    <div
      ref={wrapRef}
      role="group"
      tabIndex={0}
      aria-label="Minimap and time zoom"
      aria-describedby={descriptionId}
      className="vigil-trace-minimap"
      data-zoomed={zoomed ? 'true' : 'false'}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onKeyDown={onKeyDown}
      style={{ position: 'relative', height, border: '1px solid var(--vigil-border)', borderRadius: 4, background: 'var(--vigil-surface)', cursor: 'crosshair', touchAction: 'none', userSelect: 'none', overflow: 'hidden' }}
    >
      <canvas ref={canvasRef} aria-hidden="true" style={{ position: 'absolute', inset: 0, width: '100%', height }} />
      <span aria-hidden="true" style={{ position: 'absolute', insetBlock: 0, insetInlineStart: 0, width: `${left}%`, background: 'var(--vigil-bg)', opacity: 0.7 }} />
      <span aria-hidden="true" style={{ position: 'absolute', insetBlock: 0, insetInlineEnd: 0, width: `${right}%`, background: 'var(--vigil-bg)', opacity: 0.7 }} />
      <span
        aria-hidden="true"
        data-testid="vigil-minimap-window"
        style={{ position: 'absolute', insetBlock: 0, insetInlineStart: `${left}%`, insetInlineEnd: `${right}%`, border: '2px solid var(--vigil-focus)', borderRadius: 2, boxSizing: 'border-box' }}
      />
      <span id={descriptionId} className="vigil-visually-hidden">
        Showing {formatDuration(window.start)} to {formatDuration(window.end)} of {formatDuration(model.traceDurationNs)}. Drag to zoom to a range; arrow keys pan, plus and minus zoom, 0 resets.
      </span>
    </div>
  );
}

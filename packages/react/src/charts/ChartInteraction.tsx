import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent, PointerEvent, ReactNode } from 'react';
import type { TimeRange } from '@vigil/core';
import type { DashboardStore } from '../layout/dashboardStore';
import type { ChartScales } from './useChartScales';
import type { ChartMargins } from './styles';
import { focusRing } from './styles';
import { chartKeyAction, keyboardStep, zoomAround } from './keyboard';
import { nearestIndex } from './prepare';

export interface ChartInteractionProps {
  readonly store: DashboardStore;
  readonly syncGroup: string;
  readonly chartId: string;
  readonly scales: ChartScales;
  readonly margins: ChartMargins;
  readonly plotWidth: number;
  readonly plotHeight: number;
  /** Timestamps the crosshair snaps to and steps along (the first visible series). */
  readonly snapTimestamps: Float64Array | undefined;
  /** The data's extent: zooming out stops there. */
  readonly extent: TimeRange | null;
  readonly zoomable: boolean;
  readonly onZoom: (range: TimeRange) => void;
  readonly onReset: () => void;
  readonly onBrush?: ((range: TimeRange) => void) | undefined;
  readonly labelledBy: string;
  readonly describedBy: string;
}

/** Whether focus came from the keyboard (`:focus-visible`); true where the selector is unsupported. */
function isFocusVisible(element: Element): boolean {
  try {
    return element.matches(':focus-visible');
  } catch {
    return true;
  }
}

/** Brushes narrower than this many pixels are clicks, not zooms. */
const MIN_BRUSH_PX = 5;

/**
 * The focusable plot surface: pointer hover moves the synced cursor (once per animation frame), a drag brushes a
 * zoom range, double-click and Escape reset, and the keyboard map of `chartKeyAction` drives the crosshair and zoom.
 */
export function ChartInteraction(props: ChartInteractionProps): ReactNode {
  const { store, syncGroup, chartId, scales, margins, plotWidth, plotHeight, snapTimestamps, extent, zoomable, onZoom, onReset, onBrush, labelledBy, describedBy } = props;
  const [brush, setBrush] = useState<{ from: number; to: number } | null>(null);
  const [focused, setFocused] = useState(false);
  const frame = useRef<number | null>(null);
  const pendingX = useRef(0);
  const latest = useRef(props);
  latest.current = props;

  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      const cursor = store.getState().cursor;
      if (cursor !== null && cursor.originId === chartId) store.getState().setCursor(null);
    },
    [store, chartId],
  );

  const [domainStart, domainEnd] = scales.x.domain().map((d) => d.getTime()) as [number, number];
  const snap = (time: number): number => {
    const ts = latest.current.snapTimestamps;
    if (ts === undefined || ts.length === 0) return time;
    const t = ts[nearestIndex(ts, time)] as number;
    return t < domainStart || t > domainEnd ? time : t;
  };
  const moveCursorTo = (time: number) => {
    const clamped = Math.min(Math.max(time, domainStart), domainEnd);
    store.getState().setCursor({ time: snap(clamped), syncGroup, originId: chartId });
  };
  const localX = (event: PointerEvent<HTMLDivElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return Math.min(Math.max(event.clientX - rect.left, 0), plotWidth);
  };

  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const x = localX(event);
    if (brush !== null) setBrush({ from: brush.from, to: x });
    pendingX.current = x;
    if (frame.current !== null) return;
    const schedule = typeof requestAnimationFrame === 'function' ? requestAnimationFrame : (fn: FrameRequestCallback) => setTimeout(() => fn(0), 16) as unknown as number;
    frame.current = schedule(() => {
      frame.current = null;
      moveCursorTo(latest.current.scales.x.invert(pendingX.current).getTime());
    });
  };
  const onPointerLeave = () => {
    if (frame.current !== null) {
      cancelAnimationFrame(frame.current);
      frame.current = null;
    }
    const cursor = store.getState().cursor;
    if (cursor !== null && cursor.originId === chartId && !focused) store.getState().setCursor(null);
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0 || !(zoomable || onBrush)) return;
    try {
      event.currentTarget.setPointerCapture?.(event.pointerId);
    } catch {
      // Synthetic events carry no active pointer; brushing still works without capture.
    }
    const x = localX(event);
    setBrush({ from: x, to: x });
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    if (brush === null) return;
    try {
      event.currentTarget.releasePointerCapture?.(event.pointerId);
    } catch {
      // See setPointerCapture above.
    }
    const to = localX(event);
    setBrush(null);
    const left = Math.min(brush.from, to);
    const right = Math.max(brush.from, to);
    if (right - left < MIN_BRUSH_PX) return;
    const range = { start: scales.x.invert(left).getTime(), end: scales.x.invert(right).getTime() };
    onBrush?.(range);
    if (zoomable) onZoom(range);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const action = chartKeyAction(event.key, event.shiftKey);
    if (action.kind === 'none') return;
    if ((action.kind === 'zoom' || action.kind === 'reset') && !zoomable) return;
    event.preventDefault();
    const cursor = store.getState().cursor;
    const current = cursor !== null && cursor.syncGroup === syncGroup ? cursor.time : null;
    const domain = { start: domainStart, end: domainEnd };
    switch (action.kind) {
      case 'move': {
        if (current === null) {
          moveCursorTo(action.steps > 0 ? domainStart : domainEnd);
          return;
        }
        const index = snapTimestamps === undefined ? -1 : nearestIndex(snapTimestamps, current);
        const step = keyboardStep(snapTimestamps, action.steps > 0 ? index : index - 1, domain);
        moveCursorTo(current + step * action.steps);
        return;
      }
      case 'home':
        moveCursorTo(domainStart);
        return;
      case 'end':
        moveCursorTo(domainEnd);
        return;
      case 'zoom':
        onZoom(zoomAround(domain, current ?? (domainStart + domainEnd) / 2, action.factor, extent));
        return;
      case 'reset':
        onReset();
        return;
    }
  };

  const brushLeft = brush === null ? 0 : Math.min(brush.from, brush.to);
  const brushWidth = brush === null ? 0 : Math.abs(brush.to - brush.from);
  return (
    <div
      role="group"
      tabIndex={0}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      className="vigil-chart-plot"
      data-testid="vigil-chart-plot"
      onPointerMove={onPointerMove}
      onPointerLeave={onPointerLeave}
      onPointerDown={onPointerDown}
      onPointerUp={onPointerUp}
      onDoubleClick={() => zoomable && onReset()}
      onKeyDown={onKeyDown}
      onFocus={(event) => setFocused(isFocusVisible(event.currentTarget))}
      onBlur={() => {
        setFocused(false);
        const cursor = store.getState().cursor;
        if (cursor !== null && cursor.originId === chartId) store.getState().setCursor(null);
      }}
      style={{
        position: 'absolute',
        left: margins.left,
        top: margins.top,
        width: plotWidth,
        height: plotHeight,
        cursor: zoomable ? 'crosshair' : 'default',
        touchAction: 'pan-y',
        borderRadius: 2,
        ...(focused ? focusRing : { outline: 'none' }),
      }}
    >
      {brush !== null && brushWidth > 0 ? (
        <div aria-hidden="true" style={{ position: 'absolute', left: brushLeft, width: brushWidth, top: 0, height: plotHeight, background: 'var(--vigil-focus, #1f6feb)', opacity: 0.15 }} />
      ) : null}
    </div>
  );
}

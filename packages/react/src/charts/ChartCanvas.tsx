import { memo, useEffect, useLayoutEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { canvasAvailable, drawScene } from './drawCanvas';
import type { CanvasScene } from './drawCanvas';

const useIsomorphicLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

export interface ChartCanvasProps {
  /** Everything but the device pixel ratio, which is read at paint time. */
  readonly scene: Omit<CanvasScene, 'devicePixelRatio'>;
  /** Called after each paint. */
  readonly onPaint?: () => void;
}

/**
 * The canvas layer: series lines and bands. Memoised on its scene, so crosshair moves, brushing and tooltips never
 * repaint it. Paints in a layout effect, before the browser shows the frame. Draws nothing without a 2D context.
 */
export const ChartCanvas = /* @__PURE__ */ memo(function ChartCanvas({ scene, onPaint }: ChartCanvasProps): ReactNode {
  const ref = useRef<HTMLCanvasElement>(null);
  useIsomorphicLayoutEffect(() => {
    const canvas = ref.current;
    if (canvas === null || !canvasAvailable()) return;
    const painted = drawScene(canvas, { ...scene, devicePixelRatio: typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1 });
    if (painted) onPaint?.();
  }, [scene, onPaint]);
  return <canvas ref={ref} aria-hidden="true" style={{ position: 'absolute', left: 0, top: 0, width: scene.width, height: scene.height }} />;
});

import type { TimeRange } from '@vigil/core';

/** What a key press on the plot asks for. */
export type ChartKeyAction =
  | { readonly kind: 'move'; readonly steps: number }
  | { readonly kind: 'home' }
  | { readonly kind: 'end' }
  | { readonly kind: 'zoom'; readonly factor: number }
  | { readonly kind: 'reset' }
  | { readonly kind: 'none' };

/**
 * Maps a key to a chart action: Left/Right move the crosshair one step (Shift: 10), Home/End jump to the ends,
 * `+`/`=` zoom in 2× and `-` zoom out 2× around the crosshair, Escape resets the zoom.
 *
 * @example
 * chartKeyAction('ArrowRight', true) // { kind: 'move', steps: 10 }
 */
export function chartKeyAction(key: string, shiftKey: boolean): ChartKeyAction {
  switch (key) {
    case 'ArrowLeft':
      return { kind: 'move', steps: shiftKey ? -10 : -1 };
    case 'ArrowRight':
      return { kind: 'move', steps: shiftKey ? 10 : 1 };
    case 'Home':
      return { kind: 'home' };
    case 'End':
      return { kind: 'end' };
    case '+':
    case '=':
      return { kind: 'zoom', factor: 0.5 };
    case '-':
    case '_':
      return { kind: 'zoom', factor: 2 };
    case 'Escape':
      return { kind: 'reset' };
    default:
      return { kind: 'none' };
  }
}

/**
 * The keyboard step in ms: the sample interval of the reference series near the cursor, or 1% of the visible span
 * when samples are denser than that (so a million-point series still moves visibly).
 *
 * @example
 * keyboardStep(Float64Array.of(0, 1000, 2000), 1000, { start: 0, end: 2000 }) // 1000
 */
export function keyboardStep(timestamps: Float64Array | undefined, index: number, domain: TimeRange): number {
  const span = domain.end - domain.start;
  const minimum = span / 100;
  if (timestamps === undefined || timestamps.length < 2) return minimum;
  const i = Math.min(Math.max(index, 0), timestamps.length - 2);
  const interval = (timestamps[i + 1] as number) - (timestamps[i] as number);
  return Math.max(interval, minimum);
}

/**
 * Zooms `domain` by `factor` (0.5 = in 2×) around `center`, keeping `center` at the same relative position, and
 * clamps the result to `limits` when given.
 *
 * @example
 * zoomAround({ start: 0, end: 100 }, 50, 0.5) // { start: 25, end: 75 }
 */
export function zoomAround(domain: TimeRange, center: number, factor: number, limits?: TimeRange | null): TimeRange {
  const span = domain.end - domain.start;
  const c = Math.min(Math.max(center, domain.start), domain.end);
  const ratio = span > 0 ? (c - domain.start) / span : 0.5;
  let newSpan = Math.max(span * factor, 1);
  if (limits) newSpan = Math.min(newSpan, limits.end - limits.start || newSpan);
  let start = c - ratio * newSpan;
  let end = start + newSpan;
  if (limits && limits.end > limits.start) {
    if (start < limits.start) {
      start = limits.start;
      end = start + newSpan;
    }
    if (end > limits.end) {
      end = limits.end;
      start = end - newSpan;
    }
  }
  return { start, end };
}

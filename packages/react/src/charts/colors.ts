import { useEffect, useLayoutEffect, useState } from 'react';
import type { RefObject } from 'react';

/** The theme colours the canvas needs, resolved from the `--vigil-*` CSS variables. */
export interface ChartColors {
  readonly series: readonly string[];
  readonly bandOpacity: number;
  /** False until read from the element (the canvas waits for it, so it paints once, in the right colours). */
  readonly resolved: boolean;
}

/** Used when a variable is missing (no theme CSS loaded, or jsdom): Okabe–Ito, colour-blind safe. */
export const FALLBACK_SERIES_COLORS: readonly string[] = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#000000'];

export const SERIES_COLOR_COUNT = 8;

/** `var(--vigil-series-N)` for series index i (cycling through 8), for DOM and SVG elements. */
export function seriesColorVar(index: number): string {
  return `var(--vigil-series-${(index % SERIES_COLOR_COUNT) + 1}, ${FALLBACK_SERIES_COLORS[index % SERIES_COLOR_COUNT]})`;
}

const DASHES: readonly (readonly number[])[] = [[], [6, 3], [2, 3], [8, 3, 2, 3], [12, 4], [4, 2, 1, 2]];

/**
 * The dash pattern of series i: solid for the first 8 in `auto` mode, then a different pattern for each further
 * group of 8, so series that share a colour still differ.
 *
 * @example
 * seriesDash(9, 'auto') // [6, 3]
 */
export function seriesDash(index: number, mode: 'auto' | 'always' | 'never'): readonly number[] {
  if (mode === 'never') return DASHES[0] as readonly number[];
  const group = mode === 'always' ? index : Math.floor(index / SERIES_COLOR_COUNT);
  return DASHES[group % DASHES.length] as readonly number[];
}

/** Reads the series colours and band opacity from the computed style of `element`. */
export function resolveChartColors(element: Element | null): ChartColors {
  if (element === null || typeof getComputedStyle !== 'function') return { series: FALLBACK_SERIES_COLORS, bandOpacity: 0.18, resolved: true };
  const style = getComputedStyle(element);
  const series = FALLBACK_SERIES_COLORS.map((fallback, i) => style.getPropertyValue(`--vigil-series-${i + 1}`).trim() || fallback);
  const opacity = Number.parseFloat(style.getPropertyValue('--vigil-band-opacity'));
  return { series, bandOpacity: Number.isFinite(opacity) && opacity >= 0 && opacity <= 1 ? opacity : 0.18, resolved: true };
}

const sameColors = (a: ChartColors, b: ChartColors) => a.resolved === b.resolved && a.bandOpacity === b.bandOpacity && a.series.join() === b.series.join();

const useIsomorphicLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

/**
 * The chart colours for the element in `ref`, re-resolved when the theme changes: a `class`, `style` or
 * `data-vigil-theme` change on any ancestor, or a change of `prefers-color-scheme` / `prefers-contrast`.
 */
export function useChartColors(ref: RefObject<Element | null>): ChartColors {
  const [colors, setColors] = useState<ChartColors>(() => ({ series: FALLBACK_SERIES_COLORS, bandOpacity: 0.18, resolved: false }));
  useIsomorphicLayoutEffect(() => {
    const element = ref.current;
    if (element === null) return undefined;
    const update = () => {
      const next = resolveChartColors(element);
      setColors((previous) => (sameColors(previous, next) ? previous : next));
    };
    update();
    const cleanups: (() => void)[] = [];
    if (typeof MutationObserver === 'function') {
      const observer = new MutationObserver(update);
      for (let node: Element | null = element.parentElement; node !== null; node = node.parentElement) {
        observer.observe(node, { attributes: true, attributeFilter: ['class', 'style', 'data-vigil-theme'] });
      }
      cleanups.push(() => observer.disconnect());
    }
    if (typeof matchMedia === 'function') {
      for (const query of ['(prefers-color-scheme: dark)', '(prefers-contrast: more)']) {
        const list = matchMedia(query);
        list.addEventListener?.('change', update);
        cleanups.push(() => list.removeEventListener?.('change', update));
      }
    }
    return () => cleanups.forEach((cleanup) => cleanup());
  }, [ref]);
  return colors;
}

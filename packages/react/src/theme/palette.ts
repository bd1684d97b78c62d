import { ValidationError } from '@vigil/core';

/** How many series colours the theme defines (`--vigil-series-1` … `--vigil-series-8`). */
export const SERIES_COLOR_COUNT = 8;

/**
 * The CSS colour of the series at `index` (0-based), cycling through the theme's eight colour-blind-safe series
 * colours. Use it for SVG/HTML `fill`, `stroke` or `color`; for canvas, resolve it with {@link resolveCssColor}.
 *
 * @example
 * <path stroke={seriesColor(0)} /> // stroke="var(--vigil-series-1)"
 * seriesColor(9) // "var(--vigil-series-2)"
 */
export function seriesColor(index: number): string {
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
    throw new ValidationError('index', 'an integer >= 0', index);
  }
  return `var(--vigil-series-${(index % SERIES_COLOR_COUNT) + 1})`;
}

/**
 * Reads the computed value of a CSS custom property (such as `--vigil-series-1`) on an element, for code that cannot
 * use CSS variables directly (canvas). Accepts the bare name or a `var(--name)` / `var(--name, fallback)` string.
 * Returns `fallback` when the variable is unset or there is no DOM (SSR).
 *
 * @example
 * ctx.strokeStyle = resolveCssColor(canvas, seriesColor(0), '#004a76');
 */
export function resolveCssColor(element: Element | null | undefined, varName: string, fallback = ''): string {
  if (typeof varName !== 'string') throw new ValidationError('varName', 'a CSS custom property name such as --vigil-fg', varName);
  const match = /^\s*var\(\s*(--[\w-]+)\s*(?:,\s*(.*))?\)\s*$/.exec(varName);
  const name = match ? (match[1] ?? '') : varName.trim();
  const innerFallback = match?.[2]?.trim();
  if (!name.startsWith('--')) throw new ValidationError('varName', 'a CSS custom property name such as --vigil-fg', varName);
  const fallbackValue = innerFallback ?? fallback;
  if (!element || typeof getComputedStyle !== 'function') return fallbackValue;
  const value = getComputedStyle(element).getPropertyValue(name).trim();
  return value === '' ? fallbackValue : value;
}

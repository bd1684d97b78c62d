import type { CSSProperties } from 'react';

/** Hidden on screen, read by assistive technology. */
export const visuallyHidden: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  margin: -1,
  padding: 0,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
};

/** Space around the plot for the axes, CSS pixels. */
export interface ChartMargins {
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

export const chartMargins = (hasEvents: boolean): ChartMargins => ({ top: hasEvents ? 20 : 10, right: 16, bottom: 26, left: 56 });

export const focusRing: CSSProperties = { outline: '2px solid var(--vigil-focus, #1f6feb)', outlineOffset: 2 };

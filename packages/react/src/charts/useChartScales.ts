import { useMemo } from 'react';
import { scaleLinear, scaleTime, scaleUtc } from 'd3-scale';
import { formatTimeTick } from './format';
import type { ScaleLinear, ScaleTime } from 'd3-scale';
import type { TimeRange } from '@vigil/core';

export interface ChartScalesInput {
  readonly xDomain: TimeRange;
  readonly yDomain: readonly [number, number];
  readonly plotWidth: number;
  readonly plotHeight: number;
  readonly timeZone?: 'local' | 'utc';
  /** Round the y-domain to nice tick values (default true). */
  readonly niceY?: boolean;
}

export interface ChartScales {
  /** Epoch ms → x pixel within the plot. */
  readonly x: ScaleTime<number, number>;
  /** Value → y pixel within the plot (0 at the top). */
  readonly y: ScaleLinear<number, number>;
  readonly xTicks: readonly { readonly value: number; readonly label: string }[];
  readonly yTicks: readonly number[];
}

/**
 * Builds the x (time) and y (linear) scales and their ticks. Pure; `useChartScales` memoises it.
 * About one x tick per 90 px and one y tick per 40 px.
 *
 * @example
 * const { x, y, xTicks } = computeChartScales({ xDomain: { start: 0, end: 3_600_000 }, yDomain: [0, 10], plotWidth: 600, plotHeight: 200 });
 * x(1_800_000) // 300
 */
export function computeChartScales({ xDomain, yDomain, plotWidth, plotHeight, timeZone = 'local', niceY = true }: ChartScalesInput): ChartScales {
  const x = (timeZone === 'utc' ? scaleUtc() : scaleTime()).domain([xDomain.start, xDomain.end]).range([0, plotWidth]);
  const y = scaleLinear().domain([yDomain[0], yDomain[1]]).range([plotHeight, 0]);
  const yTickCount = Math.max(2, Math.floor(plotHeight / 40));
  if (niceY) y.nice(yTickCount);
  const xTickCount = Math.max(2, Math.floor(plotWidth / 90));
  const xTicks = x.ticks(xTickCount).map((date) => ({ value: date.getTime(), label: formatTimeTick(date.getTime(), timeZone) }));
  return { x, y, xTicks, yTicks: y.ticks(yTickCount) };
}

/**
 * Memoised `computeChartScales`: new scales only when a domain or the plot size changes.
 *
 * @example
 * const scales = useChartScales({ xDomain, yDomain, plotWidth, plotHeight });
 */
export function useChartScales(input: ChartScalesInput): ChartScales {
  const { xDomain, yDomain, plotWidth, plotHeight, timeZone, niceY } = input;
  const { start, end } = xDomain;
  const [y0, y1] = yDomain;
  return useMemo(
    () => computeChartScales({ xDomain: { start, end }, yDomain: [y0, y1], plotWidth, plotHeight, ...(timeZone ? { timeZone } : {}), ...(niceY === undefined ? {} : { niceY }) }),
    [start, end, y0, y1, plotWidth, plotHeight, timeZone, niceY],
  );
}

import { memo } from 'react';
import type { ReactNode } from 'react';
import type { SourceEvent } from '@vigil/core';
import type { ChartScales } from './useChartScales';
import type { ChartThreshold } from './types';
import type { ChartMargins } from './styles';
import { eventColor } from './ChartEvents';

export interface ChartAxesProps {
  readonly width: number;
  readonly height: number;
  readonly margins: ChartMargins;
  readonly scales: ChartScales;
  readonly formatTick: (value: number) => string;
  readonly thresholds: readonly ChartThreshold[];
  readonly events: readonly SourceEvent[];
}

const text = { fill: 'var(--vigil-fg-muted, #5c6370)', fontSize: 11, fontFamily: 'var(--vigil-font, system-ui, sans-serif)' } as const;

/**
 * The SVG layer: grid, axes with tick labels, threshold lines with labels, event lines and ranges. Hidden from
 * assistive technology (the chart's text summary and the event buttons carry the same facts).
 */
export const ChartAxes = /* @__PURE__ */ memo(function ChartAxes({ width, height, margins, scales, formatTick, thresholds, events }: ChartAxesProps): ReactNode {
  const plotWidth = width - margins.left - margins.right;
  const plotHeight = height - margins.top - margins.bottom;
  const { x, y, xTicks, yTicks } = scales;
  const [domainStart, domainEnd] = x.domain().map((d) => d.getTime()) as [number, number];
  return (
    <svg width={width} height={height} aria-hidden="true" style={{ position: 'absolute', left: 0, top: 0, overflow: 'visible', pointerEvents: 'none' }}>
      <g transform={`translate(${margins.left},${margins.top})`}>
        {yTicks.map((tick) => (
          <g key={`y${tick}`} transform={`translate(0,${Math.round(y(tick)) + 0.5})`}>
            <line x2={plotWidth} style={{ stroke: 'var(--vigil-grid, #eef0f3)' }} />
            <text x={-6} dy="0.32em" textAnchor="end" style={text}>
              {formatTick(tick)}
            </text>
          </g>
        ))}
        {xTicks.map((tick) => (
          <g key={`x${tick.value}`} transform={`translate(${Math.round(x(tick.value)) + 0.5},0)`}>
            <line y2={plotHeight} style={{ stroke: 'var(--vigil-grid, #eef0f3)' }} />
            <line y1={plotHeight} y2={plotHeight + 4} style={{ stroke: 'var(--vigil-axis, #8a919c)' }} />
            <text y={plotHeight + 16} textAnchor="middle" style={text}>
              {tick.label}
            </text>
          </g>
        ))}
        <line x1={0} x2={plotWidth} y1={plotHeight + 0.5} y2={plotHeight + 0.5} style={{ stroke: 'var(--vigil-axis, #8a919c)' }} />
        {events.map((event) => {
          const end = event.endTime ?? event.time;
          if (end < domainStart || event.time > domainEnd) return null;
          const x0 = Math.max(0, x(event.time));
          const x1 = Math.min(plotWidth, x(end));
          const color = eventColor(event);
          return (
            <g key={`e${event.id}`}>
              {x1 - x0 >= 1 ? <rect x={x0} width={x1 - x0} y={0} height={plotHeight} style={{ fill: color, opacity: 0.1 }} /> : null}
              <line x1={Math.round(x0) + 0.5} x2={Math.round(x0) + 0.5} y1={-4} y2={plotHeight} style={{ stroke: color, strokeWidth: 1.5, strokeDasharray: '4 3' }} />
            </g>
          );
        })}
        {thresholds.map((threshold) => {
          const [low, high] = y.domain() as [number, number];
          if (threshold.value < low || threshold.value > high) return null;
          const ty = Math.round(y(threshold.value)) + 0.5;
          const color = threshold.severity === 'critical' ? 'var(--vigil-critical, #b42318)' : 'var(--vigil-warning, #b54708)';
          return (
            <g key={`t${threshold.label}${threshold.value}`}>
              <line x1={0} x2={plotWidth} y1={ty} y2={ty} style={{ stroke: color, strokeWidth: 1.5, strokeDasharray: '6 4' }} />
              <text x={plotWidth - 4} y={ty - 4} textAnchor="end" style={{ ...text, fill: color, fontWeight: 600, paintOrder: 'stroke', stroke: 'var(--vigil-surface, #fff)', strokeWidth: 3 }}>
                {threshold.label}
              </text>
            </g>
          );
        })}
      </g>
    </svg>
  );
});

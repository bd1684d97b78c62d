import { useState } from 'react';
import type { ReactNode } from 'react';
import type { SourceEvent } from '@vigil/core';
import type { ChartScales } from './useChartScales';
import type { ChartMargins } from './styles';
import { formatChartTime } from './format';

/** The theme colour of an event kind (deploys and incidents have their own tokens). */
export function eventColor(event: SourceEvent): string {
  if (event.kind === 'incident' || event.severity === 'critical') return 'var(--vigil-event-incident, #b42318)';
  if (event.kind === 'deploy') return 'var(--vigil-event-deploy, #6941c6)';
  if (event.severity === 'warning') return 'var(--vigil-warning, #b54708)';
  return 'var(--vigil-fg-muted, #5c6370)';
}

const kindLabel: Record<SourceEvent['kind'], string> = { deploy: 'Deploy', incident: 'Incident', alert: 'Alert', annotation: 'Annotation' };

/** The accessible label of an event marker: kind, title, service and time (and end time for ranges). */
export function eventLabel(event: SourceEvent, timeZone: 'local' | 'utc'): string {
  const service = event.service === undefined ? '' : ` (${event.service})`;
  const when = event.endTime === undefined ? `at ${formatChartTime(event.time, timeZone)}` : `from ${formatChartTime(event.time, timeZone)} to ${formatChartTime(event.endTime, timeZone)}`;
  return `${kindLabel[event.kind]}: ${event.title}${service} ${when}`;
}

export interface ChartEventsProps {
  readonly events: readonly SourceEvent[];
  readonly scales: ChartScales;
  readonly margins: ChartMargins;
  readonly plotWidth: number;
  readonly timeZone: 'local' | 'utc';
  readonly idPrefix: string;
}

/**
 * A focusable flag above the plot for each event in view; its label (and a tooltip on hover or focus) names the
 * kind, title, service and time. The matching lines are drawn by ChartAxes.
 */
export function ChartEvents({ events, scales, margins, plotWidth, timeZone, idPrefix }: ChartEventsProps): ReactNode {
  const [active, setActive] = useState<string | null>(null);
  const [start, end] = scales.x.domain().map((d) => d.getTime()) as [number, number];
  const visible = events.filter((event) => (event.endTime ?? event.time) >= start && event.time <= end);
  if (visible.length === 0) return null;
  return (
    <div style={{ position: 'absolute', left: margins.left, top: 0, width: plotWidth, height: margins.top }}>
      {visible.map((event, index) => {
        const left = Math.max(0, Math.min(plotWidth, scales.x(event.time)));
        const label = eventLabel(event, timeZone);
        const tooltipId = `${idPrefix}-event-${index}`;
        const shown = active === event.id;
        return (
          <span key={event.id} style={{ position: 'absolute', left, top: 0 }}>
            <button
              type="button"
              aria-label={label}
              aria-describedby={shown ? tooltipId : undefined}
              onMouseEnter={() => setActive(event.id)}
              onMouseLeave={() => setActive((current) => (current === event.id ? null : current))}
              onFocus={() => setActive(event.id)}
              onBlur={() => setActive((current) => (current === event.id ? null : current))}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setActive(null);
              }}
              style={{ position: 'absolute', left: -7, top: 2, width: 14, height: margins.top - 4, padding: 0, border: 0, borderRadius: 3, background: eventColor(event), cursor: 'help' }}
            />
            {shown ? (
              <span
                role="tooltip"
                id={tooltipId}
                style={{
                  position: 'absolute',
                  top: margins.top,
                  left: left > plotWidth / 2 ? undefined : 0,
                  right: left > plotWidth / 2 ? 0 : undefined,
                  zIndex: 3,
                  whiteSpace: 'nowrap',
                  padding: '4px 8px',
                  borderRadius: 4,
                  background: 'var(--vigil-tooltip-bg, #1a1a1a)',
                  color: 'var(--vigil-tooltip-fg, #fff)',
                  fontSize: 12,
                  pointerEvents: 'none',
                }}
              >
                {label}
              </span>
            ) : null}
          </span>
        );
      })}
    </div>
  );
}

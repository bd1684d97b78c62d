import type { ReactNode } from 'react';
import type { ChartThreshold } from './types';
import { formatChartTime } from './format';
import { visuallyHidden } from './styles';

export interface SummaryLine {
  readonly key: string;
  readonly min: number;
  readonly max: number;
  readonly last: number;
}

export interface ChartSummaryProps {
  readonly id: string;
  readonly description?: string | undefined;
  readonly lines: readonly SummaryLine[];
  readonly start: number;
  readonly end: number;
  readonly thresholds: readonly ChartThreshold[];
  readonly eventCount: number;
  readonly format: (value: number) => string;
  readonly timeZone: 'local' | 'utc';
}

/**
 * The text alternative of the plot, visually hidden: the range shown, then min, max and last of each visible series,
 * thresholds and the number of events.
 *
 * @example
 * summaryText({ lines: [{ key: 'p99', min: 1, max: 9, last: 4 }], ... }) // "From … to …. p99: min 1, max 9, last 4."
 */
export function summaryText({ description, lines, start, end, thresholds, eventCount, format, timeZone }: Omit<ChartSummaryProps, 'id'>): string {
  const parts: string[] = [];
  if (description !== undefined && description !== '') parts.push(description);
  parts.push(`From ${formatChartTime(start, timeZone)} to ${formatChartTime(end, timeZone)}.`);
  for (const line of lines) {
    parts.push(Number.isNaN(line.max) ? `${line.key}: no data.` : `${line.key}: min ${format(line.min)}, max ${format(line.max)}, last ${format(line.last)}.`);
  }
  for (const threshold of thresholds) parts.push(`${threshold.severity === 'critical' ? 'Critical' : 'Warning'} threshold ${threshold.label} at ${format(threshold.value)}.`);
  if (eventCount > 0) parts.push(`${eventCount} event${eventCount === 1 ? '' : 's'} marked.`);
  parts.push('Arrow keys move the crosshair, plus and minus zoom, Escape resets the zoom.');
  return parts.join(' ');
}

/** The visually hidden summary element, referenced by the plot's `aria-describedby`. */
export function ChartSummary({ id, ...rest }: ChartSummaryProps): ReactNode {
  return (
    <p id={id} style={visuallyHidden}>
      {summaryText(rest)}
    </p>
  );
}

import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { TraceSummaryRow } from '@vigil/core';
import { formatDurationNs } from '@vigil/core/traces';

export type TraceSort = 'newest' | 'oldest' | 'slowest' | 'fastest';

export const SORT_LABEL: Readonly<Record<TraceSort, string>> = {
  newest: 'Newest first',
  oldest: 'Oldest first',
  slowest: 'Slowest first',
  fastest: 'Fastest first',
};

/** Sorts a copy of the rows; ties broken by trace id so the order is stable. */
export function sortRows(rows: readonly TraceSummaryRow[], sort: TraceSort): TraceSummaryRow[] {
  const sign = sort === 'newest' || sort === 'slowest' ? -1 : 1;
  const key = sort === 'newest' || sort === 'oldest' ? (r: TraceSummaryRow) => r.start : (r: TraceSummaryRow) => r.durationMs;
  return [...rows].sort((a, b) => sign * (key(a) - key(b)) || (a.traceId < b.traceId ? -1 : 1));
}

const ROW_HEIGHT = 56;
const OVERSCAN = 6;
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: 'UTC' });

interface TraceResultsProps {
  readonly rows: readonly TraceSummaryRow[];
  readonly selected: string | undefined;
  readonly onSelect: (traceId: string) => void;
  /** Height of the scrolling list, px. */
  readonly height: number;
  readonly busy: boolean;
}

/**
 * The search results as a listbox: one option per trace (root service and operation, duration with a bar against
 * the fastest and slowest results on a log scale, spans, errors, start time). Only the rows in view (plus a few) are in the DOM, so a long result
 * list costs the same as a short one. Arrow keys, Home/End and Page Up/Down move the selection.
 */
export function TraceResults({ rows, selected, onSelect, height, busy }: TraceResultsProps): ReactNode {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const maxDuration = rows.reduce((max, r) => Math.max(max, r.durationMs), 0);
  const minDuration = rows.reduce((min, r) => Math.min(min, r.durationMs), Infinity);
  const selectedIndex = rows.findIndex((r) => r.traceId === selected);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);

  // keep the selected row in view when it changes from the keyboard (or from a deep link)
  useEffect(() => {
    const element = scroller.current;
    if (element === null || selectedIndex < 0) return;
    const top = selectedIndex * ROW_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT > element.scrollTop + element.clientHeight) element.scrollTop = top + ROW_HEIGHT - element.clientHeight;
  }, [selectedIndex]);

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      if (rows.length === 0) return;
      const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
      const at = selectedIndex < 0 ? -1 : selectedIndex;
      const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1, PageDown: at + page, PageUp: at - page };
      const target = moves[event.key];
      if (target === undefined) return;
      event.preventDefault();
      const row = rows[Math.max(0, Math.min(rows.length - 1, target))];
      if (row !== undefined) onSelect(row.traceId);
    },
    [rows, selectedIndex, height, onSelect],
  );

  // only point at a row that is rendered
  const activeId = selectedIndex >= first && selectedIndex < last ? `trx-row-${rows[selectedIndex]!.traceId}` : undefined;
  return (
    <div
      ref={scroller}
      className="trx-results"
      role="listbox"
      aria-label={`Traces found (${rows.length})`}
      aria-busy={busy}
      aria-activedescendant={activeId}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      style={{ height, overflowY: 'auto', position: 'relative' }}
      data-row-count={rows.length}
    >
      <div style={{ height: rows.length * ROW_HEIGHT, position: 'relative' }}>
        {rows.slice(first, last).map((row, k) => {
          const index = first + k;
          const isSelected = row.traceId === selected;
          // log scale from the fastest to the slowest result: durations span orders of magnitude
          const share = maxDuration > minDuration ? 0.04 + 0.96 * (Math.log(row.durationMs / minDuration) / Math.log(maxDuration / minDuration)) : 1;
          return (
            <div
              key={row.traceId}
              id={`trx-row-${row.traceId}`}
              role="option"
              aria-selected={isSelected}
              aria-setsize={rows.length}
              aria-posinset={index + 1}
              className="trx-row"
              data-trace-id={row.traceId}
              data-error={row.errorCount > 0 ? 'true' : undefined}
              onClick={() => onSelect(row.traceId)}
              style={{ position: 'absolute', top: index * ROW_HEIGHT, left: 0, right: 0, height: ROW_HEIGHT }}
            >
              <div className="trx-row__main">
                <span className="trx-row__service">{row.rootService}</span>
                <span className="trx-row__operation" title={row.rootOperation}>
                  {row.rootOperation}
                </span>
              </div>
              <div className="trx-row__meta">
                <span className="trx-row__bar" aria-hidden="true">
                  <span style={{ width: `${share * 100}%` }} />
                </span>
                <span className="trx-row__duration">{formatDurationNs(row.durationMs * 1e6)}</span>
                <span className="trx-row__spans">{row.spanCount} spans</span>
                {row.errorCount > 0 ? (
                  <span className="trx-row__errors">
                    <span aria-hidden="true">⚠</span> {row.errorCount} {row.errorCount === 1 ? 'error' : 'errors'}
                  </span>
                ) : null}
                <time className="trx-row__time" dateTime={new Date(row.start).toISOString()}>
                  {timeFormat.format(row.start)} UTC
                </time>
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}

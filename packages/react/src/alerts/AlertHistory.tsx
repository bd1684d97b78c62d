import { forwardRef, useId, useMemo, useRef, useState, type CSSProperties, type ForwardedRef, type HTMLAttributes, type ReactNode } from 'react';
import { scaleTime, scaleUtc } from 'd3-scale';
import type { TimeRange } from '@vigil/core';
import type { AlertHistoryEntry, AlertRule } from '@vigil/core/alerting';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { classNames } from '../utils/class-names';
import { useContainerWidth } from '../charts/useContainerWidth';
import { formatTimeTick } from '../charts/format';
import { EmptyBody, ErrorBody, LoadingBody, buttonStyle, hasError, headingStyle, mutedStyle, numericStyle, panelStyle, tableStyle, tdStyle, thStyle } from '../slo/parts';
import { formatElapsed, formatInstant, toggleStyle } from './parts';
import { ruleTimelines, type RuleTimeline, type TimelineBand, type TimelineState } from './history-model';

export interface AlertHistoryProps extends Omit<HTMLAttributes<HTMLElement>, 'title' | 'children'> {
  /** The evaluator's history (state transitions) or a backtest's `transitions`. */
  readonly history: readonly AlertHistoryEntry[] | null | undefined;
  /** The range drawn. Default: from the first to the last transition. */
  readonly range?: TimeRange | undefined;
  /** Rules, for names and order; rules without history get a quiet lane. */
  readonly rules?: readonly Pick<AlertRule, 'id' | 'name'>[] | undefined;
  /** Time zone of the axis and the table. Default `local`. */
  readonly timeZone?: 'local' | 'utc' | undefined;
  /** Shows the table instead of the timeline at first. */
  readonly defaultView?: 'timeline' | 'table' | undefined;
  /** Lanes shown before a "Show more" button. Default 50. */
  readonly pageSize?: number | undefined;
  /** Fixed width (CSS pixels); default the container's. */
  readonly width?: number | undefined;
  readonly title?: string | undefined;
  readonly headingLevel?: 2 | 3 | 4 | 5 | 6 | undefined;
  readonly loading?: boolean | undefined;
  readonly error?: unknown;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

const NAME_WIDTH = 180;
const LANE_HEIGHT = 22;
const STATE_WORDS: Readonly<Record<TimelineState, string>> = { inactive: 'OK', pending: 'Pending', firing: 'Firing', resolved: 'Resolved' };

function bandFill(band: TimelineBand, patternId: string): string {
  if (band.state === 'firing') return band.severity === 'critical' ? 'var(--vigil-critical)' : band.severity === 'warning' ? 'var(--vigil-warning)' : 'var(--vigil-unknown)';
  if (band.state === 'pending') return `url(#${patternId})`;
  return 'var(--vigil-ok)';
}

function bandWords(band: TimelineBand): string {
  return band.state === 'firing' && band.severity !== undefined ? `Firing (${band.severity})` : STATE_WORDS[band.state];
}

function laneSummary(timeline: RuleTimeline): string {
  const now = timeline.current === 'firing' ? '; firing at the end of the range' : timeline.current === 'pending' ? '; pending at the end of the range' : '';
  if (timeline.firingCount === 0) return `${timeline.name}: did not fire${now}`;
  return `${timeline.name}: fired ${timeline.firingCount} ${timeline.firingCount === 1 ? 'time' : 'times'}, ${formatElapsed(timeline.firingMs)} in total${now}`;
}

function Legend({ patternId }: { readonly patternId: string }): ReactNode {
  const items: readonly [string, string, boolean][] = [
    ['Firing (critical)', 'var(--vigil-critical)', false],
    ['Firing (warning)', 'var(--vigil-warning)', false],
    ['Pending', `url(#${patternId})`, false],
    ['Resolved', 'var(--vigil-ok)', true],
  ];
  return (
    <ul aria-label="Legend" style={{ display: 'flex', flexWrap: 'wrap', gap: 12, margin: 0, padding: 0, listStyle: 'none', fontSize: '0.75rem' }}>
      {items.map(([label, fill, thin]) => (
        <li key={label} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
          <svg width="18" height="10" aria-hidden="true" focusable="false">
            <rect x="0" y={thin ? 6 : 0} width="18" height={thin ? 4 : 10} fill={fill} stroke="var(--vigil-border)" strokeWidth="0.5" />
          </svg>
          {label}
        </li>
      ))}
    </ul>
  );
}

interface InnerProps extends AlertHistoryProps {
  readonly forwardedRef: ForwardedRef<HTMLElement>;
}

function AlertHistoryInner(props: InnerProps): ReactNode {
  const {
    history,
    range: rangeProp,
    rules,
    timeZone = 'local',
    defaultView = 'timeline',
    pageSize = 50,
    width: fixedWidth,
    title = 'Alert history',
    headingLevel = 3,
    loading = false,
    error,
    className,
    style,
    forwardedRef,
    ...rest
  } = props;
  const id = useId();
  const patternId = `${id.replace(/[^a-zA-Z0-9_-]/g, '')}-pending`;
  const Heading = `h${headingLevel}` as const;
  const [view, setView] = useState(defaultView);
  const [limit, setLimit] = useState(pageSize);
  const container = useRef<HTMLDivElement | null>(null);
  const width = useContainerWidth(container, fixedWidth);
  const failed = hasError(error);

  const range = useMemo<TimeRange | undefined>(() => {
    if (rangeProp) return rangeProp;
    if (!history || history.length === 0) return undefined;
    let start = Infinity;
    let end = -Infinity;
    for (const entry of history) {
      if (entry.time < start) start = entry.time;
      if (entry.time > end) end = entry.time;
    }
    return Number.isFinite(start) ? { start, end: end > start ? end : start + 60_000 } : undefined;
  }, [rangeProp, history]);

  const timelines = useMemo(() => {
    if (!range || !history) return [];
    const names: Record<string, string> = {};
    for (const rule of rules ?? []) names[rule.id] = rule.name;
    return ruleTimelines(history, range, names, (rules ?? []).map((rule) => rule.id));
  }, [history, range, rules]);

  const plotWidth = Math.max(40, width - NAME_WIDTH - 16);
  const x = useMemo(() => {
    const scale = timeZone === 'utc' ? scaleUtc() : scaleTime();
    return scale.domain([new Date(range?.start ?? 0), new Date(range?.end ?? 1)]).range([0, plotWidth]);
  }, [range, plotWidth, timeZone]);

  let body: ReactNode;
  if (failed) body = <ErrorBody error={error} />;
  else if (loading && !history) body = <LoadingBody label={title} />;
  else if (!range || timelines.length === 0) body = <EmptyBody>No alert history in this range.</EmptyBody>;
  else if (view === 'table') {
    const rows = timelines.flatMap((timeline) => timeline.bands.filter((band) => band.state !== 'inactive').map((band) => ({ timeline, band })));
    const shownRows = rows.slice(0, 500);
    body = (
      <div style={{ maxHeight: 420, overflow: 'auto' }} tabIndex={0} role="group" aria-label="Alert history table, scrollable">
        <table style={tableStyle}>
          <caption className="vigil-visually-hidden">State changes per rule</caption>
          <thead>
            <tr>
              <th scope="col" style={thStyle}>Rule</th>
              <th scope="col" style={thStyle}>State</th>
              <th scope="col" style={thStyle}>From</th>
              <th scope="col" style={thStyle}>To</th>
              <th scope="col" style={thStyle}>Duration</th>
            </tr>
          </thead>
          <tbody>
            {shownRows.length === 0 && (
              <tr>
                <td colSpan={5} style={tdStyle}>
                  No rule left the OK state in this range.
                </td>
              </tr>
            )}
            {shownRows.map(({ timeline, band }) => (
              <tr key={`${timeline.ruleId}-${band.start}`} data-state={band.state}>
                <th scope="row" style={{ ...tdStyle, fontWeight: 600 }}>
                  {timeline.name}
                </th>
                <td style={tdStyle}>{bandWords(band)}</td>
                <td style={tdStyle}>{formatInstant(band.start, timeZone)}</td>
                <td style={tdStyle}>{band.end >= (range?.end ?? Infinity) && band.state !== 'resolved' ? 'still at the end' : formatInstant(band.end, timeZone)}</td>
                <td style={tdStyle}>{formatElapsed(band.end - band.start)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length > shownRows.length && <p style={{ ...mutedStyle, margin: '6px 0 0', fontSize: '0.75rem' }}>Showing the first 500 of {rows.length} rows.</p>}
      </div>
    );
  } else {
    const ticks = x.ticks(Math.max(2, Math.floor(plotWidth / 110)));
    const lanes = timelines.slice(0, limit);
    body = (
      <div style={{ display: 'grid', gap: 2 }}>
        <div aria-hidden="true" style={{ position: 'relative', height: 16, marginInlineStart: NAME_WIDTH, fontSize: '0.6875rem', color: 'var(--vigil-axis)', ...numericStyle }}>
          {ticks.map((tick) => (
            <span key={tick.getTime()} style={{ position: 'absolute', left: x(tick), transform: 'translateX(-50%)', whiteSpace: 'nowrap' }}>
              {formatTimeTick(tick.getTime(), timeZone)}
            </span>
          ))}
        </div>
        <ul style={{ display: 'grid', gap: 4, margin: 0, padding: 0, listStyle: 'none' }}>
          {lanes.map((timeline) => (
            <li key={timeline.ruleId} data-rule={timeline.ruleId} data-current={timeline.current} style={{ display: 'flex', alignItems: 'center' }}>
              <span style={{ width: NAME_WIDTH, flex: 'none', paddingInlineEnd: 8, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', fontSize: '0.8125rem' }} title={timeline.name}>
                {timeline.name}
              </span>
              <svg width={plotWidth} height={LANE_HEIGHT} role="img" aria-label={laneSummary(timeline)} style={{ display: 'block', flex: 'none' }}>
                <rect x={0} y={0} width={plotWidth} height={LANE_HEIGHT} fill="var(--vigil-grid)" opacity={0.45} />
                {ticks.map((tick) => (
                  <line key={tick.getTime()} x1={x(tick)} x2={x(tick)} y1={0} y2={LANE_HEIGHT} stroke="var(--vigil-grid)" />
                ))}
                {timeline.bands.map((band) => {
                  if (band.state === 'inactive') return null;
                  const left = x(new Date(band.start));
                  const right = x(new Date(band.end));
                  // Never thinner than one pixel, so a one-tick firing stays visible.
                  const w = Math.max(1, right - left);
                  const thin = band.state === 'resolved';
                  return (
                    <rect key={band.start} x={left} y={thin ? LANE_HEIGHT - 6 : 2} width={w} height={thin ? 4 : LANE_HEIGHT - 4} fill={bandFill(band, patternId)} data-state={band.state}>
                      <title>{`${bandWords(band)} from ${formatInstant(band.start, timeZone)} for ${formatElapsed(band.end - band.start)}`}</title>
                    </rect>
                  );
                })}
              </svg>
            </li>
          ))}
        </ul>
        {timelines.length > limit && (
          <div>
            <button type="button" style={buttonStyle} onClick={() => setLimit(limit + pageSize)}>
              Show {Math.min(pageSize, timelines.length - limit)} more rules ({timelines.length - limit} hidden)
            </button>
          </div>
        )}
        <Legend patternId={patternId} />
      </div>
    );
  }

  return (
    <section
      ref={forwardedRef}
      aria-labelledby={`${id}-title`}
      aria-busy={loading || undefined}
      className={classNames('vigil-alert-history', className)}
      style={{ ...panelStyle, display: 'grid', gap: 10, ...style }}
      {...rest}
    >
      <svg width="0" height="0" aria-hidden="true" focusable="false" style={{ position: 'absolute' }}>
        <defs>
          <pattern id={patternId} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="var(--vigil-surface)" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="var(--vigil-warning)" strokeWidth="3" />
          </pattern>
        </defs>
      </svg>
      <div style={{ display: 'flex', flexWrap: 'wrap', justifyContent: 'space-between', alignItems: 'baseline', gap: 8 }}>
        <Heading id={`${id}-title`} style={headingStyle}>
          {title}
        </Heading>
        {!failed && timelines.length > 0 && (
          <div role="group" aria-label="View" style={{ display: 'flex', gap: 4 }}>
            <button type="button" style={toggleStyle(buttonStyle, view === 'timeline')} aria-pressed={view === 'timeline'} onClick={() => setView('timeline')}>
              Timeline
            </button>
            <button type="button" style={toggleStyle(buttonStyle, view === 'table')} aria-pressed={view === 'table'} onClick={() => setView('table')}>
              Table
            </button>
          </div>
        )}
      </div>
      <div ref={container} style={{ minWidth: 0 }}>
        {body}
      </div>
    </section>
  );
}

/**
 * A state timeline per rule: bands for firing (coloured by severity), pending (striped) and resolved (a thin
 * line) over time, with the words in a legend, each lane's summary as its accessible name ("fired 2 times, 35m in
 * total") and a table view of the same bands for keyboard and screen-reader use. Takes the evaluator's history
 * or a backtest's transitions.
 *
 * @example
 * <AlertHistory history={evaluator.history()} rules={rules} range={{ start: now - 6 * 3_600_000, end: now }} />
 */
export const AlertHistory = /* @__PURE__ */ forwardRef<HTMLElement, AlertHistoryProps>(function AlertHistory(props, ref) {
  return (
    <VigilErrorBoundary
      resetKeys={[props.history, props.error, props.loading, props.range]}
      fallback={(caught) => <AlertHistoryInner history={undefined} title={props.title} error={caught} className={props.className} style={props.style} forwardedRef={ref} />}
    >
      <AlertHistoryInner {...props} forwardedRef={ref} />
    </VigilErrorBoundary>
  );
});

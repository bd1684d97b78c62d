import { forwardRef, useMemo, type CSSProperties, type ForwardedRef, type HTMLAttributes, type ReactNode } from 'react';
import { summarizeTrace, type TraceModel } from '@vigil/core/traces';
import { classNames } from '../utils/class-names';
import { StatusIcon } from '../status/StatusIcon';
import { EmptyBody, ErrorBody, LoadingBody, hasError, headingStyle, mutedStyle, numericStyle, panelStyle, warningBreakdown, warningTotal } from './parts';
import { formatDuration, serviceColor } from './waterfall-model';

export interface TraceSummaryProps extends Omit<HTMLAttributes<HTMLDivElement>, 'title' | 'children'> {
  /** The parsed trace. */
  readonly trace: TraceModel | null | undefined;
  readonly loading?: boolean | undefined;
  readonly error?: unknown;
  /** Title; default "root service: root operation". */
  readonly title?: string | undefined;
  /** Heading level of the title. Default 2. */
  readonly headingLevel?: 2 | 3 | 4 | 5 | 6 | undefined;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

function Stat({ label, value, testId, children }: { readonly label: string; readonly value: string; readonly testId: string; readonly children?: ReactNode }): ReactNode {
  return (
    <div style={{ display: 'grid', gap: 2 }}>
      <dt style={{ ...mutedStyle, fontSize: '0.75rem' }}>{label}</dt>
      <dd data-testid={testId} style={{ margin: 0, fontWeight: 600, fontSize: '1rem', display: 'flex', alignItems: 'center', gap: 4, ...numericStyle }}>
        {children}
        {value}
      </dd>
    </div>
  );
}

/**
 * The header of a trace: root service and operation, trace id, start time, duration, span count, depth, services
 * (with their colours), errors and the engine's repairs (count and breakdown). Errors and repairs carry an icon
 * and words, not only colour.
 *
 * @example
 * <TraceSummary trace={parseTrace(payload)} />
 */
export const TraceSummary = /* @__PURE__ */ forwardRef(function TraceSummary(
  { trace, loading, error, title, headingLevel = 2, className, style, ...rest }: TraceSummaryProps,
  ref: ForwardedRef<HTMLDivElement>,
) {
  const Heading = `h${headingLevel}` as 'h2';
  const summary = useMemo(() => {
    if (!trace || trace.spanCount === 0) return undefined;
    try {
      return summarizeTrace(trace);
    } catch {
      return undefined;
    }
  }, [trace]);
  let body: ReactNode;
  if (hasError(error)) body = <ErrorBody error={error} />;
  else if (loading === true) body = <LoadingBody label="trace summary" lines={2} />;
  else if (!trace || !summary) body = <EmptyBody>No trace to summarise.</EmptyBody>;
  else {
    const warnings = warningTotal(trace);
    const started = Number.isFinite(summary.start) ? new Date(summary.start).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : 'unknown';
    body = (
      <>
        <div style={{ display: 'flex', alignItems: 'baseline', gap: 8, flexWrap: 'wrap' }}>
          <Heading style={{ ...headingStyle, wordBreak: 'break-word' }}>{title ?? `${summary.rootService}: ${summary.rootOperation}`}</Heading>
          <span style={{ ...mutedStyle, fontFamily: 'var(--vigil-font-mono)', fontSize: '0.75rem', wordBreak: 'break-all' }}>trace {summary.traceId}</span>
          <span style={{ ...mutedStyle, fontSize: '0.75rem' }}>started {started}</span>
        </div>
        <dl style={{ display: 'flex', flexWrap: 'wrap', gap: '8px 24px', margin: '8px 0 0' }}>
          <Stat label="Duration" value={formatDuration(trace.traceDurationNs)} testId="vigil-trace-summary-duration" />
          <Stat label="Spans" value={trace.spanCount.toLocaleString('en-US')} testId="vigil-trace-summary-spans" />
          <Stat label="Depth" value={(trace.maxDepth + 1).toLocaleString('en-US')} testId="vigil-trace-summary-depth" />
          <Stat label="Services" value={summary.services.length.toLocaleString('en-US')} testId="vigil-trace-summary-services" />
          <Stat label="Errors" value={summary.errorCount.toLocaleString('en-US')} testId="vigil-trace-summary-errors">
            {summary.errorCount > 0 && <StatusIcon status="critical" style={{ color: 'var(--vigil-critical)' }} />}
          </Stat>
          <Stat label="Repairs" value={warnings.toLocaleString('en-US')} testId="vigil-trace-summary-warnings">
            {warnings > 0 && <StatusIcon status="warning" style={{ color: 'var(--vigil-warning)' }} />}
          </Stat>
        </dl>
        {warnings > 0 && <p style={{ ...mutedStyle, margin: '6px 0 0', fontSize: '0.75rem' }}>The trace was repaired: {warningBreakdown(trace)}.</p>}
        <ul aria-label="Services" style={{ display: 'flex', flexWrap: 'wrap', gap: 6, listStyle: 'none', margin: '8px 0 0', padding: 0 }}>
          {summary.services.slice(0, 40).map((s) => (
            <li key={s} style={{ display: 'inline-flex', alignItems: 'center', gap: 4, padding: '1px 8px', border: '1px solid var(--vigil-border)', borderRadius: 999, fontSize: '0.75rem' }}>
              <span aria-hidden="true" style={{ width: 8, height: 8, borderRadius: 2, background: serviceColor(trace.services.indexOf(s)) }} />
              {s}
            </li>
          ))}
          {summary.services.length > 40 && <li style={{ ...mutedStyle, fontSize: '0.75rem' }}>+{summary.services.length - 40} more</li>}
        </ul>
      </>
    );
  }
  return (
    <div
      ref={ref}
      role="group"
      aria-label="Trace summary"
      aria-busy={loading === true ? true : undefined}
      className={classNames('vigil-trace-summary', className)}
      style={{ ...panelStyle, ...style }}
      {...rest}
    >
      {body}
    </div>
  );
});

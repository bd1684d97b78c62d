import { forwardRef, useId, useMemo, type CSSProperties, type ForwardedRef, type ReactNode } from 'react';
import type { ComplianceReport, CompliancePeriod } from '@vigil/core/slo';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { classNames } from '../utils/class-names';
import { StatusIcon } from '../status/StatusIcon';
import { Sparkline } from '../cards/Sparkline';
import { formatShare } from './format';
import { formatCount } from '../charts/format';
import { complianceCsv } from './model';
import { EmptyBody, ErrorBody, LoadingBody, buttonStyle, hasError, headingStyle, mutedStyle, panelStyle, tableStyle, tdStyle, thStyle } from './parts';

export interface ComplianceReportViewProps {
  /** `complianceReport` output. */
  readonly report: ComplianceReport | null | undefined;
  /** Title; default "Compliance: <slo> (weekly)". */
  readonly title?: string | undefined;
  /** Name of the downloaded file. Default `<slo>-compliance-<unit>.csv`. */
  readonly fileName?: string | undefined;
  /**
   * Called with the CSV text when the export button is pressed. When it returns `false` the built-in download is
   * skipped (to send the CSV elsewhere).
   */
  readonly onExport?: ((csv: string, fileName: string) => boolean | void) | undefined;
  /** Newest period first (default) or oldest first. */
  readonly order?: 'newest-first' | 'oldest-first' | undefined;
  readonly loading?: boolean | undefined;
  readonly error?: unknown;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

const UNIT_WORDS: Record<string, string> = { day: 'daily', week: 'weekly', month: 'monthly', quarter: 'quarterly', year: 'yearly' };

const periodFormats = /* @__PURE__ */ new Map<string, Intl.DateTimeFormat>();
function dateFormat(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = periodFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, ...options });
    periodFormats.set(key, f);
  }
  return f;
}

/**
 * A period for people, in the report's time zone: "Mar 2025", "Q1 2025", "Week of Mar 10, 2025", "Mar 14, 2025".
 *
 * @example
 * periodLabel({ start: Date.UTC(2025, 0, 1), end: Date.UTC(2025, 3, 1) }, 'quarter', 'UTC'); // "Q1 2025"
 */
export function periodLabel(period: Pick<CompliancePeriod, 'start' | 'end'>, unit: string, timeZone: string): string {
  switch (unit) {
    case 'month':
      return dateFormat(timeZone, { month: 'short', year: 'numeric' }).format(period.start);
    case 'quarter': {
      const parts = dateFormat(timeZone, { month: 'numeric', year: 'numeric' }).formatToParts(period.start);
      const month = Number(parts.find((p) => p.type === 'month')?.value ?? '1');
      const year = parts.find((p) => p.type === 'year')?.value ?? '';
      return `Q${Math.floor((month - 1) / 3) + 1} ${year}`;
    }
    case 'year':
      return dateFormat(timeZone, { year: 'numeric' }).format(period.start);
    case 'week':
      return `Week of ${dateFormat(timeZone, { month: 'short', day: 'numeric', year: 'numeric' }).format(period.start)}`;
    default:
      return dateFormat(timeZone, { month: 'short', day: 'numeric', year: 'numeric' }).format(period.start);
  }
}

function MetBadge({ met }: { readonly met: boolean | null }): ReactNode {
  if (met === null) {
    return (
      <span className="vigil-status-badge vigil-status--unknown">
        <StatusIcon status="unknown" />
        <span>No data</span>
      </span>
    );
  }
  return (
    <span className={`vigil-status-badge vigil-status--${met ? 'ok' : 'critical'}`} data-met={met}>
      <StatusIcon status={met ? 'ok' : 'critical'} />
      <span>{met ? 'Met' : 'Missed'}</span>
    </span>
  );
}

/** Starts a download of `text` as a file, in browsers; does nothing on the server or without Blob URLs. */
function download(text: string, fileName: string): void {
  if (typeof document === 'undefined' || typeof URL === 'undefined' || typeof URL.createObjectURL !== 'function') return;
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function safeFilePart(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'slo';
}

function ComplianceReportViewInner(props: ComplianceReportViewProps & { readonly forwardedRef: ForwardedRef<HTMLDivElement> }): ReactNode {
  const { report, title, fileName, onExport, order = 'newest-first', loading = false, error, className, style, forwardedRef } = props;
  const titleId = useId();
  const failed = hasError(error);
  const unitWord = report ? (UNIT_WORDS[report.unit] ?? report.unit) : '';
  const heading = title ?? (report ? `Compliance: ${report.slo} (${unitWord})` : 'Compliance');
  const rows = useMemo(() => (report ? (order === 'newest-first' ? [...report.periods].reverse() : [...report.periods]) : []), [report, order]);
  const history = useMemo(() => {
    if (!report) return null;
    const withData = report.periods.filter((p) => p.attainment !== null);
    return { timestamps: withData.map((p) => p.end), values: withData.map((p) => (p.attainment as number) * 100) };
  }, [report]);

  let body: ReactNode;
  if (failed) body = <ErrorBody error={error} />;
  else if (loading && !report) body = <LoadingBody label={heading} lines={4} />;
  else if (!report || report.periods.length === 0) body = <EmptyBody>No periods in this report.</EmptyBody>;
  else {
    const exportName = fileName ?? `${safeFilePart(report.slo)}-compliance-${report.unit}.csv`;
    body = (
      <>
        <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 12 }}>
          <p style={{ margin: 0 }} data-testid="vigil-compliance-summary">
            <strong>
              {report.periodsMet} of {report.periodsWithData}
            </strong>{' '}
            {unitWord} periods with data met the {formatShare(report.target, 3)} target
            {report.periodsWithData < report.periods.length && <span style={mutedStyle}> ({report.periods.length - report.periodsWithData} without data)</span>}
          </p>
          <div style={{ display: 'flex', alignItems: 'center', gap: 12 }}>
            {history && history.values.length > 1 && (
              <Sparkline data={history} width={140} height={28} label={`Attainment history, ${unitWord}`} unit="percent" />
            )}
            <button
              type="button"
              style={buttonStyle}
              onClick={() => {
                const csv = complianceCsv(report);
                if (onExport?.(csv, exportName) !== false) download(csv, exportName);
              }}
            >
              <span aria-hidden="true">⤓</span> Export CSV
            </button>
          </div>
        </div>
        <div style={{ overflowX: 'auto' }}>
          <table style={tableStyle}>
            <caption className="vigil-visually-hidden">{heading}</caption>
            <thead>
              <tr>
                <th scope="col" style={thStyle}>
                  Period
                </th>
                <th scope="col" style={{ ...thStyle, textAlign: 'end' }}>
                  Attainment
                </th>
                <th scope="col" style={thStyle}>
                  Target met
                </th>
                <th scope="col" style={{ ...thStyle, textAlign: 'end' }}>
                  Budget used
                </th>
                <th scope="col" style={{ ...thStyle, textAlign: 'end' }}>
                  Events
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.start} data-met={p.met === null ? 'none' : String(p.met)}>
                  <th scope="row" style={{ ...tdStyle, fontWeight: 500 }}>
                    {periodLabel(p, report.unit, report.timeZone)}
                    {!p.complete && <span style={{ ...mutedStyle, fontWeight: 400 }}> (in progress)</span>}
                  </th>
                  <td style={{ ...tdStyle, textAlign: 'end' }}>{p.attainment === null ? <span style={mutedStyle}>—</span> : formatShare(p.attainment, 3)}</td>
                  <td style={tdStyle}>
                    <MetBadge met={p.met} />
                  </td>
                  <td style={{ ...tdStyle, textAlign: 'end', color: p.budgetConsumed > 1 ? 'var(--vigil-critical)' : undefined }}>{p.total > 0 ? formatShare(p.budgetConsumed, 0) : '—'}</td>
                  <td style={{ ...tdStyle, textAlign: 'end' }}>{formatCount(p.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>
    );
  }
  return (
    <div ref={forwardedRef} role="region" aria-labelledby={titleId} aria-busy={loading || undefined} className={classNames('vigil-slo-compliance', className)} style={{ ...panelStyle, display: 'flex', flexDirection: 'column', gap: 10, ...style }}>
      <h3 id={titleId} style={headingStyle}>
        {heading}
      </h3>
      {body}
    </div>
  );
}

/**
 * A compliance report per period (weekly, monthly, quarterly): attainment, a met / missed badge (icon and words)
 * against the target, the share of the period's budget used and the events, newest first; a summary ("10 of 12
 * periods met"), an attainment-history sparkline and a CSV export (through core's `toCsv`, so a name such as
 * `=HYPERLINK(...)` is written as text, never as a formula).
 *
 * @example
 * <ComplianceReportView report={complianceReport(slo, events, { unit: 'month', range })} />
 */
export const ComplianceReportView = /* @__PURE__ */ forwardRef<HTMLDivElement, ComplianceReportViewProps>(function ComplianceReportView(props, ref) {
  return (
    <VigilErrorBoundary
      resetKeys={[props.report, props.error]}
      fallback={(caught) => (
        <div ref={ref} role="region" aria-label={props.title ?? 'Compliance'} className={classNames('vigil-slo-compliance', props.className)} style={{ ...panelStyle, ...props.style }}>
          <ErrorBody error={caught} />
        </div>
      )}
    >
      <ComplianceReportViewInner {...props} forwardedRef={ref} />
    </VigilErrorBoundary>
  );
});

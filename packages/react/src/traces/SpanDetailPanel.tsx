import { forwardRef, useMemo, type CSSProperties, type ForwardedRef, type HTMLAttributes, type ReactNode } from 'react';
import { formatAttributeValue, spanDetails, type SpanAttribute, type SpanDetails, type TraceModel } from '@vigil/core/traces';
import { classNames } from '../utils/class-names';
import { StatusIcon } from '../status/StatusIcon';
import { ErrorBody, describeFlags, headingStyle, mutedStyle, smallButtonStyle, tableStyle, tdStyle, thStyle } from './parts';
import { formatDuration, serviceColor } from './waterfall-model';

export interface SpanDetailPanelProps extends Omit<HTMLAttributes<HTMLElement>, 'children'> {
  /** The parsed trace. */
  readonly trace: TraceModel;
  /** Span index (0 … spanCount − 1). */
  readonly span: number;
  /** Critical-path time of the span, ns (shown when > 0). */
  readonly criticalTimeNs?: number | undefined;
  /** Self time of the span, ns. */
  readonly selfTimeNs?: number | undefined;
  /** Close button handler; no button without it. */
  readonly onClose?: (() => void) | undefined;
  /** "Zoom to span" button handler; no button without it. */
  readonly onZoom?: ((span: number) => void) | undefined;
  /** Heading level. Default 3. */
  readonly headingLevel?: 2 | 3 | 4 | 5 | 6 | undefined;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

const keyStyle: CSSProperties = { ...tdStyle, fontFamily: 'var(--vigil-font-mono)', color: 'var(--vigil-fg-muted)', whiteSpace: 'nowrap', width: '1%' };
const valueStyle: CSSProperties = { ...tdStyle, fontFamily: 'var(--vigil-font-mono)', wordBreak: 'break-word', whiteSpace: 'pre-wrap' };

function AttributeTable({ caption, attributes }: { readonly caption: string; readonly attributes: readonly SpanAttribute[] }): ReactNode {
  if (attributes.length === 0) return null;
  return (
    <table style={{ ...tableStyle, margin: '6px 0' }}>
      <caption style={{ textAlign: 'start', fontWeight: 600, padding: '4px 0' }}>{caption}</caption>
      <thead>
        <tr>
          <th scope="col" style={thStyle}>
            Key
          </th>
          <th scope="col" style={thStyle}>
            Value
          </th>
        </tr>
      </thead>
      <tbody>
        {attributes.map((a, k) => (
          <tr key={`${a.key}-${k}`}>
            <td style={keyStyle}>{a.key}</td>
            <td style={valueStyle}>{formatAttributeValue(a.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function eventOffset(details: SpanDetails, timeNs: bigint | undefined): string {
  if (timeNs === undefined) return 'no time';
  return `+${formatDuration(Number(timeNs - details.startNs))}`;
}

/**
 * Everything about one span: name, service, kind, status, timing, repairs, attributes, resource, events and links.
 * All values are rendered as text (never HTML), so attribute values cannot inject markup.
 *
 * @example
 * <SpanDetailPanel trace={model} span={selected} onClose={() => setSelected(null)} />
 */
export const SpanDetailPanel = /* @__PURE__ */ forwardRef(function SpanDetailPanel(
  { trace, span, criticalTimeNs, selfTimeNs, onClose, onZoom, headingLevel = 3, className, style, ...rest }: SpanDetailPanelProps,
  ref: ForwardedRef<HTMLElement>,
) {
  const result = useMemo((): { details: SpanDetails } | { error: unknown } => {
    try {
      return { details: spanDetails(trace, span) };
    } catch (error) {
      return { error };
    }
  }, [trace, span]);
  const Heading = `h${headingLevel}` as 'h3';
  if ('error' in result) {
    return (
      <section ref={ref} aria-label="Span details" className={classNames('vigil-span-details', className)} style={style} {...rest}>
        <ErrorBody error={result.error} />
      </section>
    );
  }
  const d = result.details;
  const flags = describeFlags(trace.flags[span] ?? 0);
  const isError = d.status === 'error';
  const startOffset = trace.startOffsetNs[span] ?? 0;
  return (
    <section
      ref={ref}
      aria-labelledby={`vigil-span-details-${span}`}
      className={classNames('vigil-span-details', className)}
      style={{ fontSize: '0.8125rem', color: 'var(--vigil-fg)', ...style }}
      {...rest}
    >
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
        <span aria-hidden="true" style={{ width: 10, height: 10, borderRadius: 2, background: serviceColor(trace.service[span] ?? 0), flex: 'none' }} />
        <Heading id={`vigil-span-details-${span}`} style={{ ...headingStyle, wordBreak: 'break-word' }}>
          {d.service} · {d.name}
        </Heading>
        {isError && (
          <span style={{ display: 'inline-flex', alignItems: 'center', gap: 4, color: 'var(--vigil-critical)', fontWeight: 600 }}>
            <StatusIcon status="critical" /> Error
          </span>
        )}
        <span style={{ flex: 1 }} />
        {onZoom && (
          <button type="button" style={smallButtonStyle} onClick={() => onZoom(span)}>
            Zoom to span
          </button>
        )}
        {onClose && (
          <button type="button" style={smallButtonStyle} onClick={onClose} aria-label="Close span details">
            Close
          </button>
        )}
      </div>
      <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '2px 12px', margin: '8px 0', fontVariantNumeric: 'tabular-nums' }}>
        <dt style={mutedStyle}>Duration</dt>
        <dd style={{ margin: 0 }}>{formatDuration(Number(d.durationNs))}</dd>
        <dt style={mutedStyle}>Starts at</dt>
        <dd style={{ margin: 0 }}>+{formatDuration(startOffset)}</dd>
        {selfTimeNs !== undefined && (
          <>
            <dt style={mutedStyle}>Self time</dt>
            <dd style={{ margin: 0 }}>{formatDuration(selfTimeNs)}</dd>
          </>
        )}
        {criticalTimeNs !== undefined && criticalTimeNs > 0 && (
          <>
            <dt style={mutedStyle}>On critical path</dt>
            <dd style={{ margin: 0 }}>{formatDuration(criticalTimeNs)}</dd>
          </>
        )}
        <dt style={mutedStyle}>Kind</dt>
        <dd style={{ margin: 0 }}>{d.kind}</dd>
        <dt style={mutedStyle}>Status</dt>
        <dd style={{ margin: 0 }}>
          {d.status}
          {d.statusMessage === '' ? '' : ` — ${d.statusMessage}`}
        </dd>
        <dt style={mutedStyle}>Span id</dt>
        <dd style={{ margin: 0, fontFamily: 'var(--vigil-font-mono)' }}>{d.spanId}</dd>
        <dt style={mutedStyle}>Parent id</dt>
        <dd style={{ margin: 0, fontFamily: 'var(--vigil-font-mono)' }}>{d.parentSpanId === '' ? 'none' : d.parentSpanId}</dd>
        <dt style={mutedStyle}>Trace id</dt>
        <dd style={{ margin: 0, fontFamily: 'var(--vigil-font-mono)', wordBreak: 'break-all' }}>{d.traceId}</dd>
        {d.scope !== undefined && (
          <>
            <dt style={mutedStyle}>Scope</dt>
            <dd style={{ margin: 0 }}>
              {d.scope.name}
              {d.scope.version === '' ? '' : ` ${d.scope.version}`}
            </dd>
          </>
        )}
        {flags !== '' && (
          <>
            <dt style={mutedStyle}>Repairs</dt>
            <dd style={{ margin: 0, display: 'flex', gap: 4, alignItems: 'center' }}>
              <StatusIcon status="warning" style={{ color: 'var(--vigil-warning)' }} />
              {flags}
            </dd>
          </>
        )}
      </dl>
      {d.problems.length > 0 && (
        <ul aria-label="Problems decoding this span" style={{ margin: '4px 0', paddingInlineStart: 18 }}>
          {d.problems.map((p, k) => (
            <li key={k}>{p}</li>
          ))}
        </ul>
      )}
      <AttributeTable caption={`Attributes (${d.attributes.length})`} attributes={d.attributes} />
      <AttributeTable caption={`Resource (${d.resource.length})`} attributes={d.resource} />
      {d.events.length > 0 && (
        <div>
          <div style={{ fontWeight: 600, padding: '4px 0' }}>Events ({d.events.length})</div>
          <ol style={{ margin: 0, paddingInlineStart: 18 }}>
            {d.events.map((e, k) => (
              <li key={k} style={{ marginBottom: 4 }}>
                <span style={{ fontVariantNumeric: 'tabular-nums', color: 'var(--vigil-fg-muted)' }}>{eventOffset(d, e.timeNs)}</span> {e.name}
                {e.attributes.length > 0 && (
                  <span style={{ display: 'block', fontFamily: 'var(--vigil-font-mono)', color: 'var(--vigil-fg-muted)', wordBreak: 'break-word' }}>
                    {e.attributes.map((a) => `${a.key}=${formatAttributeValue(a.value)}`).join('  ')}
                  </span>
                )}
              </li>
            ))}
          </ol>
        </div>
      )}
      {d.links.length > 0 && (
        <div>
          <div style={{ fontWeight: 600, padding: '4px 0' }}>Links ({d.links.length})</div>
          <ul style={{ margin: 0, paddingInlineStart: 18 }}>
            {d.links.map((l, k) => (
              <li key={k} style={{ fontFamily: 'var(--vigil-font-mono)', wordBreak: 'break-all' }}>
                {l.referenceType ? `${l.referenceType} ` : ''}trace {l.traceId || '(unknown)'} span {l.spanId || '(unknown)'}
                {l.attributes.length > 0 ? ` ${l.attributes.map((a) => `${a.key}=${formatAttributeValue(a.value)}`).join(' ')}` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
});

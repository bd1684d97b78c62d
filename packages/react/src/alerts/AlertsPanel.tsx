import { forwardRef, useId, useMemo, useState, type CSSProperties, type ForwardedRef, type HTMLAttributes, type ReactNode } from 'react';
import type { Alert } from '@vigil/core/alerting';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { classNames } from '../utils/class-names';
import { EmptyBody, ErrorBody, LoadingBody, buttonStyle, hasError, headingStyle, mutedStyle, numericStyle, panelStyle } from '../slo/parts';
import { StatusIcon } from '../status/StatusIcon';
import { LabelChips, SeverityBadge, formatElapsed, formatInstant, severityHealth } from './parts';
import { groupAlertsBySeverity, safeLink } from './panel-model';

export interface AlertsPanelProps extends Omit<HTMLAttributes<HTMLElement>, 'title' | 'children'> {
  /** The active alerts (resolved ones are left out). `null`/`undefined` with `loading` shows a skeleton. */
  readonly alerts: readonly Alert[] | null | undefined;
  /** Fingerprints of acknowledged alerts (controlled). */
  readonly acknowledged?: readonly string[] | undefined;
  /** Initially acknowledged fingerprints (uncontrolled). */
  readonly defaultAcknowledged?: readonly string[] | undefined;
  /** Called when a person acknowledges an alert; the button is shown only when this is set. */
  readonly onAcknowledge?: ((alert: Alert) => void) | undefined;
  /** Called when a person asks to silence an alert (open a `SilenceEditor` prefilled from its labels, say). */
  readonly onSilence?: ((alert: Alert) => void) | undefined;
  /** Fingerprints of alerts muted by a silence: they are listed with a "Silenced" tag. */
  readonly silenced?: readonly string[] | undefined;
  /** "Now" for the "firing for" durations. Default `Date.now()` at render. */
  readonly now?: number | undefined;
  /** Time zone of the start times. Default `local`. */
  readonly timeZone?: 'local' | 'utc' | undefined;
  /** Alerts shown per severity before a "Show more" button (keeps the DOM small). Default 25. */
  readonly pageSize?: number | undefined;
  readonly title?: string | undefined;
  readonly headingLevel?: 2 | 3 | 4 | 5 | undefined;
  /** Text of the empty state. */
  readonly emptyText?: string | undefined;
  readonly loading?: boolean | undefined;
  readonly error?: unknown;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

interface RowProps {
  readonly alert: Alert;
  readonly acknowledged: boolean;
  readonly silenced: boolean;
  readonly now: number;
  readonly timeZone: 'local' | 'utc';
  readonly onAcknowledge: (() => void) | undefined;
  readonly onSilence: (() => void) | undefined;
}

function AlertRow({ alert, acknowledged, silenced, now, timeZone, onAcknowledge, onSilence }: RowProps): ReactNode {
  const name = alert.labels['alertname'] ?? 'alert';
  const summary = alert.annotations['summary'] ?? alert.annotations['description'];
  const runbook = safeLink(alert.annotations['runbook_url']);
  const severity = alert.labels['severity'] ?? '';
  return (
    <li
      data-fingerprint={alert.fingerprint}
      data-acknowledged={acknowledged || undefined}
      style={{
        display: 'grid',
        gap: 6,
        padding: '8px 10px',
        border: '1px solid var(--vigil-border)',
        borderInlineStart: `4px solid var(--vigil-${severityHealth(severity) === 'critical' ? 'critical' : severityHealth(severity) === 'warning' ? 'warning' : 'unknown'})`,
        borderRadius: 'var(--vigil-radius, 6px)',
        background: 'var(--vigil-surface-raised)',
        opacity: silenced ? 0.85 : 1,
      }}
    >
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: 8, justifyContent: 'space-between' }}>
        <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: 8, minWidth: 0 }}>
          <span style={{ fontWeight: 600, overflowWrap: 'anywhere' }}>{name}</span>
          <span style={{ ...mutedStyle, fontSize: '0.75rem', ...numericStyle }} title={formatInstant(alert.startsAt, timeZone)}>
            since {formatInstant(alert.startsAt, timeZone)} ({formatElapsed(Math.max(0, now - alert.startsAt))})
          </span>
          {acknowledged && <Tag>Acknowledged</Tag>}
          {silenced && <Tag>Silenced</Tag>}
        </div>
        <div style={{ display: 'flex', gap: 6 }}>
          {onAcknowledge && !acknowledged && (
            <button type="button" style={buttonStyle} onClick={onAcknowledge} aria-label={`Acknowledge ${name}`}>
              Acknowledge
            </button>
          )}
          {onSilence && (
            <button type="button" style={buttonStyle} onClick={onSilence} aria-label={`Silence ${name}…`}>
              Silence…
            </button>
          )}
        </div>
      </div>
      {summary !== undefined && summary !== '' && <p style={{ margin: 0, overflowWrap: 'anywhere' }}>{summary}</p>}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' }}>
        <LabelChips labels={alert.labels} omit={['alertname', 'severity']} label={`Labels of ${name}`} />
        {runbook !== undefined && (
          <a href={runbook} target="_blank" rel="noopener noreferrer" style={{ color: 'var(--vigil-focus)', fontSize: '0.8125rem' }}>
            Runbook<span className="vigil-visually-hidden"> for {name} (opens in a new tab)</span>
          </a>
        )}
      </div>
    </li>
  );
}

function Tag({ children }: { readonly children: ReactNode }): ReactNode {
  return (
    <span style={{ padding: '0 6px', border: '1px dashed var(--vigil-fg-muted)', borderRadius: 999, fontSize: '0.75rem', color: 'var(--vigil-fg)' }}>
      {children}
    </span>
  );
}

interface InnerProps extends AlertsPanelProps {
  readonly forwardedRef: ForwardedRef<HTMLElement>;
}

function AlertsPanelInner(props: InnerProps): ReactNode {
  const {
    alerts,
    acknowledged,
    defaultAcknowledged,
    onAcknowledge,
    onSilence,
    silenced,
    now,
    timeZone = 'local',
    pageSize = 25,
    title = 'Active alerts',
    headingLevel = 3,
    emptyText = 'No active alerts.',
    loading = false,
    error,
    className,
    style,
    forwardedRef,
    ...rest
  } = props;
  const id = useId();
  const Heading = `h${headingLevel}` as const;
  const SubHeading = `h${headingLevel + 1}` as 'h3' | 'h4' | 'h5' | 'h6';
  const [ownAcknowledged, setOwnAcknowledged] = useState<readonly string[]>(() => defaultAcknowledged ?? []);
  const ackList = acknowledged ?? ownAcknowledged;
  const ackSet = useMemo(() => new Set(ackList), [ackList]);
  const silencedSet = useMemo(() => new Set(silenced ?? []), [silenced]);
  const [shown, setShown] = useState<Readonly<Record<string, number>>>({});
  const groups = useMemo(() => groupAlertsBySeverity(alerts ?? []), [alerts]);
  const total = groups.reduce((sum, group) => sum + group.alerts.length, 0);
  const at = now ?? Date.now();
  const failed = hasError(error);

  const acknowledge = (alert: Alert) => {
    if (acknowledged === undefined) setOwnAcknowledged((previous) => (previous.includes(alert.fingerprint) ? previous : [...previous, alert.fingerprint]));
    onAcknowledge?.(alert);
  };

  let body: ReactNode;
  if (failed) body = <ErrorBody error={error} />;
  else if (loading && (alerts === null || alerts === undefined)) body = <LoadingBody label={title} />;
  else if (total === 0) {
    body = (
      <EmptyBody>
        <StatusIcon status="ok" style={{ color: 'var(--vigil-ok)', marginInlineEnd: 6 }} />
        {emptyText}
      </EmptyBody>
    );
  } else {
    body = groups.map((group) => {
      const limit = shown[group.severity] ?? pageSize;
      const visible = group.alerts.slice(0, limit);
      const acked = group.alerts.filter((a) => ackSet.has(a.fingerprint)).length;
      return (
        <section key={group.severity} aria-labelledby={`${id}-${group.severity}`} data-severity-group={group.severity} style={{ display: 'grid', gap: 6 }}>
          <SubHeading id={`${id}-${group.severity}`} style={{ ...headingStyle, fontSize: '0.875rem', display: 'flex', alignItems: 'center', gap: 8 }}>
            <SeverityBadge severity={group.severity} />
            <span style={numericStyle} data-testid="vigil-alert-group-count">
              {group.alerts.length} {group.alerts.length === 1 ? 'alert' : 'alerts'}
              {acked > 0 ? `, ${acked} acknowledged` : ''}
            </span>
          </SubHeading>
          <ul style={{ display: 'grid', gap: 6, margin: 0, padding: 0, listStyle: 'none' }}>
            {visible.map((alert) => (
              <AlertRow
                key={alert.fingerprint}
                alert={alert}
                acknowledged={ackSet.has(alert.fingerprint)}
                silenced={silencedSet.has(alert.fingerprint)}
                now={at}
                timeZone={timeZone}
                onAcknowledge={onAcknowledge ? () => acknowledge(alert) : undefined}
                onSilence={onSilence ? () => onSilence(alert) : undefined}
              />
            ))}
          </ul>
          {group.alerts.length > limit && (
            <div>
              <button type="button" style={buttonStyle} onClick={() => setShown((previous) => ({ ...previous, [group.severity]: limit + pageSize }))}>
                Show {Math.min(pageSize, group.alerts.length - limit)} more {group.severity} alerts ({group.alerts.length - limit} hidden)
              </button>
            </div>
          )}
        </section>
      );
    });
  }

  const counts = groups.map((group) => `${group.alerts.length} ${group.severity === '' ? 'without severity' : group.severity}`).join(', ');
  return (
    <section
      ref={forwardedRef}
      aria-labelledby={`${id}-title`}
      aria-busy={loading || undefined}
      className={classNames('vigil-alerts-panel', className)}
      data-alert-count={failed ? undefined : total}
      style={{ ...panelStyle, display: 'grid', gap: 12, ...style }}
      {...rest}
    >
      <div style={{ display: 'flex', flexWrap: 'wrap', justifyContent: 'space-between', alignItems: 'baseline', gap: 8 }}>
        <Heading id={`${id}-title`} style={headingStyle}>
          {title}
        </Heading>
        {!failed && total > 0 && (
          <p style={{ margin: 0, fontSize: '0.8125rem', ...mutedStyle, ...numericStyle }} aria-live="polite" data-testid="vigil-alerts-summary">
            {total} firing: {counts}
          </p>
        )}
      </div>
      {body}
    </section>
  );
}

/**
 * The alerts firing now, grouped by severity (critical first), each with its name, how long it has fired, its
 * summary, its labels as text chips and a runbook link (http and https only). Acknowledge and silence are
 * callbacks, so the host decides what they do; acknowledgements are kept by the panel unless controlled with
 * `acknowledged`. Handles loading, error and empty states, and pages long groups instead of rendering thousands
 * of rows.
 *
 * @example
 * <AlertsPanel alerts={evaluator.activeAlerts()} onAcknowledge={(a) => ack(a.fingerprint)} onSilence={(a) => openSilence(a.labels)} />
 */
export const AlertsPanel = /* @__PURE__ */ forwardRef<HTMLElement, AlertsPanelProps>(function AlertsPanel(props, ref) {
  return (
    <VigilErrorBoundary
      resetKeys={[props.alerts, props.error, props.loading]}
      fallback={(caught) => <AlertsPanelInner alerts={undefined} title={props.title} error={caught} className={props.className} style={props.style} forwardedRef={ref} />}
    >
      <AlertsPanelInner {...props} forwardedRef={ref} />
    </VigilErrorBoundary>
  );
});

import { useEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import type { Alert, AlertRule, Silence } from '@vigil/core/alerting';
import { AlertHistory, AlertRuleBuilder, AlertsPanel, SilenceEditor, VigilSourceProvider, matchersForAlert, useLiveRange, type SilenceDraft } from '@vigil/react';
import { RANGE_LABEL, RANGE_MS } from '../lib/params';
import { stepFor } from '../lib/queries';
import type { DemoTabProps } from '../shell/tabProps';
import { createAlertsSource } from './alertsSource';
import { DEMO_CHANNELS, DEMO_RULES, RULE_UNITS } from './demoRules';
import { useDemoAlerts, type Acknowledgement } from './useDemoAlerts';

const panel: CSSProperties = {
  boxSizing: 'border-box',
  padding: '12px 16px',
  border: '1px solid var(--vigil-border)',
  borderRadius: 'var(--vigil-radius, 6px)',
  background: 'var(--vigil-surface)',
  color: 'var(--vigil-fg)',
  boxShadow: 'var(--vigil-shadow)',
  fontSize: '0.875rem',
};
const button: CSSProperties = {
  padding: '4px 10px',
  border: '1px solid var(--vigil-border)',
  borderRadius: 'var(--vigil-radius, 6px)',
  background: 'var(--vigil-surface-raised)',
  color: 'var(--vigil-fg)',
  font: 'inherit',
  fontSize: '0.8125rem',
  cursor: 'pointer',
};

function formatClock(ms: number): string {
  const date = new Date(ms);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** A rule id not taken yet: `new-rule`, `new-rule-2`, ... */
function freshId(rules: readonly AlertRule[]): string {
  const taken = new Set(rules.map((rule) => rule.id));
  for (let i = 1; ; i++) {
    const id = i === 1 ? 'new-rule' : `new-rule-${i}`;
    if (!taken.has(id)) return id;
  }
}

function Tab({ range: rangeKey, live, clock, params, source }: DemoTabProps & { readonly source: ReturnType<typeof createAlertsSource> }): ReactNode {
  const windowMs = RANGE_MS[rangeKey];
  // At most 5 minutes between evaluations (a week is 2,016 ticks), so `for` periods of a few minutes mean something.
  const stepMs = Math.min(stepFor(windowMs), 5 * 60_000);
  // The rules' own lookbacks are added by the hook; the range follows "now" (on a timer: this source has no push).
  const range = useLiveRange(windowMs, { alignMs: stepMs, now: clock, paused: !live, intervalMs: Math.max(params.tickMs, 5_000) });
  const [rules, setRules] = useState<readonly AlertRule[]>(DEMO_RULES);
  const [silences, setSilences] = useState<readonly Silence[]>([]);
  // Acknowledgements are inputs of every replay, each at the tick it was made on, so they survive the range moving.
  const [acknowledgements, setAcknowledgements] = useState<readonly Acknowledgement[]>([]);
  const [editing, setEditing] = useState<{ readonly index: number | null; readonly rule: AlertRule }>({ index: 0, rule: DEMO_RULES[0] as AlertRule });
  const [silenceDraft, setSilenceDraft] = useState<SilenceDraft | null>(null);
  const [saved, setSaved] = useState<string | undefined>(undefined);
  const state = useDemoAlerts(source, rules, silences, acknowledgements, range, stepMs);
  const activeSilences = silences.filter((silence) => silence.endsAt > range.end);
  const silencedCount = state.silencedInstances.length;
  const builderRange = useMemo(() => ({ start: range.start, end: range.end }), [range.start, range.end]);

  // The Acknowledge button goes away once the engine holds the acknowledgement: keep keyboard focus in that row.
  const panelRef = useRef<HTMLElement>(null);
  const focusAfterAck = useRef<string | undefined>(undefined);
  /** Acknowledges the engine's group of `alert` at the tick on screen (the panel has no say: it shows what the engine holds). */
  const acknowledge = (alert: Alert) => {
    const group = state.groups.find((candidate) => candidate.fingerprints.includes(alert.fingerprint));
    const time = state.evaluatedAt;
    if (group === undefined || time === undefined) return;
    if (acknowledgements.some((ack) => ack.groupKey === group.groupKey && ack.time === time)) return;
    focusAfterAck.current = alert.fingerprint;
    setAcknowledgements([...acknowledgements, { groupKey: group.groupKey, time }]);
  };
  useEffect(() => {
    const fingerprint = focusAfterAck.current;
    if (fingerprint === undefined || !state.acknowledged.includes(fingerprint)) return;
    focusAfterAck.current = undefined;
    if (document.activeElement !== null && document.activeElement !== document.body) return;
    const row = [...(panelRef.current?.querySelectorAll<HTMLElement>('[data-fingerprint]') ?? [])].find((element) => element.dataset['fingerprint'] === fingerprint);
    row?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [state.acknowledged]);
  const notifications = state.notifications;

  const openSilence = (labels: Readonly<Record<string, string>> | undefined) => {
    setSilenceDraft({ matchers: labels ? matchersForAlert(labels) : [{ name: '', value: '', isRegex: false, isEqual: true }], startsAt: range.end, endsAt: range.end + 2 * 3_600_000, comment: '', createdBy: 'demo user' });
  };

  return (
    <div style={{ display: 'grid', gap: 16 }} data-region="alerts" data-alert-status={state.status} data-alert-evaluating={state.evaluating || undefined} data-alert-incremental={state.incremental || undefined} data-evaluated-at={state.evaluatedAt} data-evaluated-span={state.evaluatedRange === undefined ? undefined : state.evaluatedRange.end - state.evaluatedRange.start}>
      <div style={{ display: 'flex', flexWrap: 'wrap', justifyContent: 'space-between', alignItems: 'baseline', gap: 8 }}>
        <div>
          <h2 style={{ margin: 0, fontSize: '1.125rem' }}>Alerts</h2>
          <p style={{ margin: '2px 0 0', color: 'var(--vigil-fg-muted)', fontSize: '0.8125rem' }} data-testid="alerts-subtitle">
            {rules.length} rules evaluated every {stepMs / 1000 >= 60 ? `${stepMs / 60_000} min` : `${stepMs / 1000} s`} over the {RANGE_LABEL[rangeKey].toLowerCase()}
            {state.evaluatedAt === undefined ? '' : `, up to ${formatClock(state.evaluatedAt)}`} · {state.ticks} ticks in {Math.round(state.evaluationMs)} ms · simulated source with a scripted checkout 5xx burst and a payments slowdown
          </p>
        </div>
      </div>

      <div style={{ display: 'grid', gap: 16, gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 420px), 1fr))', alignItems: 'start' }}>
        <AlertsPanel
          ref={panelRef}
          alerts={state.status === 'ready' ? state.alerts : undefined}
          loading={state.status === 'loading'}
          error={state.status === 'error' ? state.error : undefined}
          now={range.end}
          headingLevel={3}
          title="Firing now"
          acknowledged={state.acknowledged}
          onAcknowledge={acknowledge}
          onSilence={(alert) => openSilence(alert.labels)}
          emptyText="Nothing is firing in this range."
          data-testid="alerts-panel"
        />
        <div style={{ display: 'grid', gap: 16 }}>
          <section aria-labelledby="alerts-rules-title" style={panel}>
            <h3 id="alerts-rules-title" style={{ margin: '0 0 8px', fontSize: '0.9375rem' }}>
              Rules
            </h3>
            <ul style={{ display: 'grid', gap: 6, margin: 0, padding: 0, listStyle: 'none' }}>
              {rules.map((rule, index) => {
                const firing = state.alerts.filter((alert) => alert.labels['alertname'] === rule.name);
                const acked = firing.filter((alert) => state.acknowledged.includes(alert.fingerprint)).length;
                return (
                  <li key={rule.id} style={{ display: 'flex', justifyContent: 'space-between', gap: 8, alignItems: 'center' }} data-rule={rule.id}>
                    <span style={{ minWidth: 0 }}>
                      <span style={{ fontWeight: 600 }}>{rule.name}</span>
                      <span style={{ color: 'var(--vigil-fg-muted)', fontSize: '0.75rem' }}>
                        {' '}
                        · {firing.length === 0 ? 'quiet' : `${firing.length} firing`}
                        {acked > 0 ? `, ${acked} acknowledged` : ''}
                        {state.ruleErrors[rule.id] ? ` · query failed: ${state.ruleErrors[rule.id]}` : ''}
                      </span>
                    </span>
                    <button type="button" style={button} aria-pressed={editing.index === index} onClick={() => setEditing({ index, rule })}>
                      Edit<span className="demo-visually-hidden"> {rule.name}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
            <p style={{ margin: '8px 0 0', color: 'var(--vigil-fg-muted)', fontSize: '0.8125rem' }} data-testid="alerts-notifications" data-repeats={notifications.repeat}>
              Notifications over the range: {notifications.firing} firing, {notifications.repeat} {notifications.repeat === 1 ? 'repeat' : 'repeats'}, {notifications.resolved} resolved. An acknowledged group gets no repeats until it resolves.
            </p>
            <div style={{ display: 'flex', gap: 8, marginTop: 10 }}>
              <button
                type="button"
                style={button}
                onClick={() =>
                  setEditing({
                    index: null,
                    rule: { id: freshId(rules), name: 'NewAlert', query: { expr: 'sum by (service) (rate(http_requests_total[5m]))' }, reducer: { type: 'last', windowMs: 300_000 }, condition: { type: 'threshold', operator: '<', warning: { value: 5 } }, forMs: 300_000 },
                  })
                }
              >
                New rule
              </button>
            </div>
          </section>
          <section aria-labelledby="alerts-silences-title" style={panel}>
            <h3 id="alerts-silences-title" style={{ margin: '0 0 8px', fontSize: '0.9375rem' }}>
              Silences
            </h3>
            {activeSilences.length === 0 ? (
              <p style={{ margin: 0, color: 'var(--vigil-fg-muted)' }}>No active silences.</p>
            ) : (
              <ul style={{ display: 'grid', gap: 6, margin: 0, padding: 0, listStyle: 'none' }} data-testid="alerts-silences">
                {activeSilences.map((silence) => (
                  <li key={silence.id} style={{ display: 'flex', justifyContent: 'space-between', gap: 8, alignItems: 'center' }}>
                    <span style={{ fontFamily: 'var(--vigil-font-mono)', fontSize: '0.75rem', overflowWrap: 'anywhere' }}>
                      {silence.matchers.map((m) => `${m.name}${m.isRegex ? (m.isEqual === false ? '!~' : '=~') : m.isEqual === false ? '!=' : '='}"${m.value}"`).join(', ')}
                      <span style={{ fontFamily: 'var(--vigil-font)', color: 'var(--vigil-fg-muted)' }}> until {formatClock(silence.endsAt)}</span>
                    </span>
                    <button type="button" style={button} onClick={() => setSilences(silences.filter((s) => s.id !== silence.id))}>
                      Expire
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <p style={{ margin: '8px 0 0', color: 'var(--vigil-fg-muted)', fontSize: '0.8125rem' }}>
              {silencedCount === 0 ? 'No firing alert is muted.' : `${silencedCount} firing ${silencedCount === 1 ? 'alert is' : 'alerts are'} muted by silences.`}
            </p>
            <div style={{ marginTop: 10 }}>
              <button type="button" style={button} onClick={() => openSilence(undefined)}>
                New silence
              </button>
            </div>
          </section>
        </div>
      </div>

      {silenceDraft !== null && (
        <SilenceEditor
          key={JSON.stringify(silenceDraft.matchers)}
          defaultValue={silenceDraft}
          now={range.end}
          alerts={state.alerts}
          title="New silence"
          onCancel={() => setSilenceDraft(null)}
          onSubmit={(silence) => {
            setSilences([...silences, silence]);
            setSilenceDraft(null);
          }}
        />
      )}

      <AlertHistory history={state.status === 'ready' ? state.history : undefined} loading={state.status === 'loading'} rules={rules} range={range} title="State timeline per rule" />

      {saved !== undefined && (
        <p role="status" style={{ margin: 0, color: 'var(--vigil-fg-muted)' }}>
          {saved}
        </p>
      )}
      <AlertRuleBuilder
        key={`${editing.index ?? 'new'}-${editing.rule.id}`}
        defaultValue={editing.rule}
        range={builderRange}
        channels={DEMO_CHANNELS}
        unit={RULE_UNITS[editing.rule.id]}
        title={editing.index === null ? 'New rule' : `Edit rule: ${editing.rule.name}`}
        submitLabel={editing.index === null ? 'Add rule' : 'Save rule'}
        onSubmit={(rule) => {
          const next = editing.index === null ? [...rules, rule] : rules.map((r, i) => (i === editing.index ? rule : r));
          setRules(next);
          setEditing({ index: editing.index ?? next.length - 1, rule });
          setSaved(`Saved ${rule.name}; the alerts above are re-evaluated with it.`);
        }}
        data-testid="alerts-builder"
      />
    </div>
  );
}

let shared: { readonly key: string; readonly source: ReturnType<typeof createAlertsSource> } | undefined;
/** One source (and worker) per page, made on the first visit: the incidents stay where they were placed. */
function sharedSource(props: DemoTabProps): ReturnType<typeof createAlertsSource> {
  const key = `${props.params.seed}:${props.params.frozenNow ?? 'live'}`;
  if (shared?.key !== key) shared = { key, source: createAlertsSource({ seed: props.params.seed, frozenNow: props.params.frozenNow, anchor: props.clock() }) };
  return shared.source;
}

/**
 * The demo's Alerts tab: three rules (5xx ratio, p95 latency, CPU) on the simulated fleet, evaluated tick by tick
 * by the real engine over the selected range (in a Web Worker), with a scripted checkout 5xx burst that makes the
 * error-rate rule fire. Firing alerts (acknowledge through the engine, silence), a state timeline per rule, and the rule
 * builder with its backtest preview.
 */
export function AlertsTab(props: DemoTabProps) {
  const [source] = useState(() => sharedSource(props));
  return (
    <VigilSourceProvider source={source}>
      <Tab {...props} source={source} />
    </VigilSourceProvider>
  );
}

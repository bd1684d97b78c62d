import { forwardRef, useDeferredValue, useId, useMemo, useRef, useState, type CSSProperties, type FormEvent, type FormHTMLAttributes, type ForwardedRef, type ReactNode } from 'react';
import type { MetricMetadata, Series, TimeRange } from '@vigil/core';
import {
  ALERT_REDUCER_TYPES,
  ALERT_SEVERITIES,
  NO_DATA_BEHAVIORS,
  THRESHOLD_OPERATORS,
  backtest,
  validateRule,
  type AlertCondition,
  type AlertReducerType,
  type AlertRule,
  type AlertSeverity,
  type AlertThreshold,
  type BacktestResult,
  type NoDataBehavior,
  type RuleProblem,
  type ThresholdOperator,
} from '@vigil/core/alerting';
import { TimeSeriesChart } from '../charts/TimeSeriesChart';
import type { ChartThreshold } from '../charts/types';
import { useSeries } from '../hooks/useSeries';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { classNames } from '../utils/class-names';
import { describeError } from '../utils/errors';
import { ErrorBody, buttonStyle, headingStyle, mutedStyle, numericStyle, panelStyle } from '../slo/parts';
import { DurationField, NumberField, SelectField, TextField } from './fields';
import { FieldError, describedBy, fieldStyle, fieldsetStyle, formatElapsed, formatInstant, hintStyle, inputStyle, inputStyleFor, labelStyle, legendStyle, primaryButtonStyle } from './parts';
import { EMPTY_RULE, backtestEvents, problemsByField, queryForMetric, withField } from './builder-model';
import { useDebouncedValue, useLabelValues, useMetricCatalog } from './useMetricCatalog';

export interface AlertRuleBuilderProps extends Omit<FormHTMLAttributes<HTMLFormElement>, 'onSubmit' | 'onChange' | 'defaultValue' | 'title' | 'children'> {
  /** Controlled rule (the engine's `AlertRule` JSON). Pair with `onChange`. */
  readonly value?: AlertRule | undefined;
  /** Initial rule for uncontrolled use. Default: a blank threshold rule. */
  readonly defaultValue?: AlertRule | undefined;
  /** Called with every edit and the validator's problems for it (empty when valid). */
  readonly onChange?: ((rule: AlertRule, problems: readonly RuleProblem[]) => void) | undefined;
  /** Called with the rule when it is saved and valid. Without it there is no Save button. */
  readonly onSubmit?: ((rule: AlertRule) => void) | undefined;
  readonly onCancel?: (() => void) | undefined;
  /** The preview range ("would this have fired?"). Default: the 6 hours before mount. */
  readonly range?: TimeRange | undefined;
  /**
   * Preview data instead of querying the source: the series of the rule's query over the range plus its lookback.
   * With it the builder needs no data source.
   */
  readonly series?: readonly Series[] | undefined;
  /** Metrics for the picker instead of the source's `listMetrics`. */
  readonly metrics?: readonly MetricMetadata[] | undefined;
  /** The label offered as a filter next to the metric picker (with the source's `labelValues`). Default `service`. */
  readonly filterLabel?: string | undefined;
  /** Notification channels (receivers) to choose from. Without it the receiver is free text. */
  readonly channels?: readonly string[] | undefined;
  /** Unit of the query's values in the preview, such as `%`, `ms` or `req/s`. */
  readonly unit?: string | undefined;
  readonly timeZone?: 'local' | 'utc' | undefined;
  readonly title?: string | undefined;
  readonly headingLevel?: 2 | 3 | 4 | 5 | undefined;
  readonly submitLabel?: string | undefined;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

const REDUCER_LABELS: Readonly<Record<AlertReducerType, string>> = {
  last: 'Last value',
  avg: 'Average',
  min: 'Minimum',
  max: 'Maximum',
  sum: 'Sum',
  count: 'Count of samples',
  percentile: 'Percentile',
  rate: 'Rate per second (counter)',
};
const CONDITION_LABELS: Readonly<Record<AlertCondition['type'], string>> = {
  threshold: 'Value crosses a threshold',
  change: 'Value changes by a percentage',
  burnRate: 'SLO burn rate above',
  absent: 'No data (absent)',
};
const NO_DATA_LABELS: Readonly<Record<NoDataBehavior, string>> = { alerting: 'Alert', ok: 'Treat as OK', 'keep-last': 'Keep the last state' };
const DEFAULT_PREVIEW_MS = 6 * 3_600_000;
/** Most points one preview query asks for; longer ranges get a coarser step. */
const MAX_PREVIEW_POINTS = 4000;

function thresholdsOf(condition: AlertCondition): { warning?: AlertThreshold | undefined; critical?: AlertThreshold | undefined } {
  return condition.type === 'absent' ? {} : { warning: condition.warning, critical: condition.critical };
}

/**
 * Chart lines for the levels of threshold and burn-rate conditions. Recovery levels are not drawn (four dashed
 * lines a few percent apart are unreadable); the form and the list below the chart say them.
 */
function chartThresholds(condition: AlertCondition): ChartThreshold[] {
  if (condition.type !== 'threshold' && condition.type !== 'burnRate') return [];
  const out: ChartThreshold[] = [];
  const operator = condition.type === 'threshold' ? condition.operator : '>';
  for (const severity of ['warning', 'critical'] as const) {
    const level = condition[severity];
    if (level === undefined || !Number.isFinite(level.value)) continue;
    const recovery = level.recovery !== undefined && level.recovery !== level.value ? ` (recovers at ${level.recovery})` : '';
    out.push({ value: level.value, label: `${severity} ${operator} ${level.value}${recovery}`, severity });
  }
  return out;
}

interface LabelRow {
  readonly name: string;
  readonly value: string;
}

function LabelsEditor({ labels, onChange, problems, idPrefix }: { readonly labels: Readonly<Record<string, string>>; readonly onChange: (labels: Record<string, string> | undefined) => void; readonly problems: ReadonlyMap<string, string>; readonly idPrefix: string }): ReactNode {
  // Rows are edited as a list (a half-typed name must not collide with another key); the rule gets the record.
  const [rows, setRows] = useState<readonly LabelRow[]>(() => Object.entries(labels).map(([name, value]) => ({ name, value })));
  const [seen, setSeen] = useState(labels);
  if (seen !== labels && JSON.stringify(Object.entries(labels)) !== JSON.stringify(rows.filter((r) => r.name !== '').map((r) => [r.name, r.value]))) {
    setSeen(labels);
    setRows(Object.entries(labels).map(([name, value]) => ({ name, value })));
  }
  const commit = (next: readonly LabelRow[]) => {
    setRows(next);
    const record: Record<string, string> = {};
    for (const row of next) if (row.name !== '') record[row.name] = row.value;
    onChange(Object.keys(record).length === 0 ? undefined : record);
  };
  return (
    <fieldset style={fieldsetStyle}>
      <legend style={legendStyle}>Labels</legend>
      <p style={hintStyle}>Added to every alert of this rule; values may use templates such as {'{{ $labels.service }}'}.</p>
      {rows.map((row, index) => {
        const problem = row.name === '' ? undefined : problems.get(`labels.${row.name}`);
        const errorId = `${idPrefix}-label-${index}-error`;
        return (
          <div key={index} style={{ display: 'grid', gridTemplateColumns: 'minmax(6rem, 1fr) minmax(8rem, 2fr) auto', gap: 6, alignItems: 'start' }} data-field={`labels.${row.name}`}>
            <label className="vigil-visually-hidden" htmlFor={`${idPrefix}-label-${index}-name`}>
              Label {index + 1} name
            </label>
            <input
              id={`${idPrefix}-label-${index}-name`}
              value={row.name}
              placeholder="name"
              spellCheck={false}
              autoComplete="off"
              aria-invalid={problem !== undefined}
              aria-describedby={describedBy(problem && errorId)}
              onChange={(e) => commit(rows.map((r, i) => (i === index ? { ...r, name: e.target.value } : r)))}
              style={{ ...inputStyleFor(problem !== undefined), fontFamily: 'var(--vigil-font-mono)' }}
            />
            <label className="vigil-visually-hidden" htmlFor={`${idPrefix}-label-${index}-value`}>
              Label {index + 1} value
            </label>
            <input
              id={`${idPrefix}-label-${index}-value`}
              value={row.value}
              placeholder="value"
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => commit(rows.map((r, i) => (i === index ? { ...r, value: e.target.value } : r)))}
              style={{ ...inputStyle, fontFamily: 'var(--vigil-font-mono)' }}
            />
            <button type="button" style={buttonStyle} aria-label={`Remove label ${index + 1}${row.name === '' ? '' : ` (${row.name})`}`} onClick={() => commit(rows.filter((_, i) => i !== index))}>
              Remove
            </button>
            {problem !== undefined && (
              <div style={{ gridColumn: '1 / -1' }}>
                <FieldError id={errorId} message={problem} />
              </div>
            )}
          </div>
        );
      })}
      <div>
        <button type="button" style={buttonStyle} onClick={() => commit([...rows, { name: '', value: '' }])}>
          Add label
        </button>
      </div>
    </fieldset>
  );
}

function LevelFields({ severity, level, onChange, problems, operatorWord }: { readonly severity: 'warning' | 'critical'; readonly level: AlertThreshold | undefined; readonly onChange: (level: AlertThreshold | undefined) => void; readonly problems: ReadonlyMap<string, string>; readonly operatorWord: string }): ReactNode {
  const id = useId();
  const enabled = level !== undefined;
  const path = `condition.${severity}`;
  return (
    <div style={{ display: 'grid', gap: 6, padding: '6px 0' }} data-level={severity}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
        <input id={`${id}-on`} type="checkbox" checked={enabled} onChange={(e) => onChange(e.target.checked ? { value: 0 } : undefined)} />
        <label htmlFor={`${id}-on`} style={labelStyle}>
          {severity === 'warning' ? 'Warning level' : 'Critical level'}
        </label>
      </div>
      {enabled && (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 10 }}>
          <NumberField
            field={`${path}.value`}
            label={`${severity === 'warning' ? 'Warning' : 'Critical'} when ${operatorWord}`}
            value={level.value}
            onChange={(value) => onChange({ ...level, value: value ?? 0 })}
            error={problems.get(`${path}.value`) ?? problems.get(path)}
            style={{ flex: '1 1 8rem' }}
          />
          <NumberField
            field={`${path}.recovery`}
            label="Recovers at (optional)"
            optional
            value={level.recovery}
            onChange={(recovery) => onChange(withField(level, 'recovery', recovery))}
            error={problems.get(`${path}.recovery`)}
            hint="Hysteresis: once firing, stays until the value passes this."
            style={{ flex: '1 1 8rem' }}
          />
        </div>
      )}
    </div>
  );
}

function conditionFor(type: AlertCondition['type'], previous: AlertCondition): AlertCondition {
  const levels = thresholdsOf(previous);
  const keep = { ...(levels.warning ? { warning: levels.warning } : {}), ...(levels.critical ? { critical: levels.critical } : {}) };
  const some = levels.warning || levels.critical ? keep : { critical: { value: 0 } };
  switch (type) {
    case 'threshold':
      return { type, operator: previous.type === 'threshold' ? previous.operator : '>', ...some };
    case 'change':
      return { type, direction: 'up', windowMs: 3_600_000, ...some };
    case 'burnRate':
      return { type, ...some };
    case 'absent':
      return { type };
  }
}

interface PreviewProps {
  readonly rule: AlertRule;
  readonly valid: boolean;
  readonly range: TimeRange;
  readonly series: readonly Series[] | undefined;
  readonly unit: string | undefined;
  readonly timeZone: 'local' | 'utc';
  readonly headingId: string;
}

function RulePreview({ rule, valid, range, series: given, unit, timeZone, headingId }: PreviewProps): ReactNode {
  const expr = useDebouncedValue(rule.query?.expr ?? '', 400);
  const windowMs = rule.reducer?.windowMs ?? 300_000;
  const changeMs = rule.condition?.type === 'change' && Number.isFinite(rule.condition.windowMs) ? rule.condition.windowMs : 0;
  const lookbackMs = Math.max(0, windowMs + changeMs);
  const span = range.end - range.start + lookbackMs;
  const ruleStep = rule.query?.stepMs ?? 60_000;
  const stepMs = Math.max(Number.isFinite(ruleStep) && ruleStep > 0 ? ruleStep : 60_000, Math.ceil(span / MAX_PREVIEW_POINTS / 1000) * 1000);
  const queried = useSeries(
    { query: expr, range: { start: range.start - lookbackMs, end: range.end }, stepMs },
    { enabled: given === undefined && expr.trim() !== '', keepPreviousData: true },
  );
  const data = given ?? queried.data;
  const deferredRule = useDeferredValue(rule);
  const outcome = useMemo((): { result?: BacktestResult; error?: unknown } => {
    if (!valid || data === undefined) return {};
    try {
      const tested: AlertRule = { ...deferredRule, query: { ...deferredRule.query, stepMs } };
      return { result: backtest(tested, { series: data, range, intervalMs: stepMs }) };
    } catch (error) {
      return { error };
    }
  }, [valid, data, deferredRule, range, stepMs]);

  const loading = given === undefined && expr.trim() !== '' && queried.status === 'loading' && data === undefined;
  const sourceError = given === undefined && queried.status === 'error' ? queried.error : undefined;
  const result = outcome.result;
  const events = useMemo(() => (result ? backtestEvents(result.firing, rule, range.end) : []), [result, rule, range.end]);
  const thresholds = useMemo(() => (rule.condition ? chartThresholds(rule.condition) : []), [rule.condition]);
  const reducer = rule.reducer?.type ?? 'last';
  const firing = result?.firing ?? [];
  const firingMs = firing.reduce((sum, interval) => sum + ((interval.end ?? range.end) - interval.start), 0);

  let summary: ReactNode;
  if (expr.trim() === '') summary = 'Enter a query to preview the rule.';
  else if (!valid) summary = 'Fix the highlighted fields to see where this rule would have fired.';
  else if (outcome.error !== undefined) summary = `The backtest failed: ${describeError(outcome.error).message}`;
  else if (result === undefined) summary = loading ? 'Loading the series…' : sourceError !== undefined ? 'No data to backtest.' : 'Backtesting…';
  else if (firing.length === 0) summary = `Would not have fired over the ${formatElapsed(range.end - range.start)} shown (${result.ticks} evaluations).`;
  else summary = `Would have fired ${firing.length} ${firing.length === 1 ? 'time' : 'times'} over the ${formatElapsed(range.end - range.start)} shown, ${formatElapsed(firingMs)} in total.`;

  return (
    <section aria-labelledby={headingId} style={{ display: 'grid', gap: 8, minWidth: 0 }} data-testid="vigil-rule-preview" data-backtest-count={result ? firing.length : undefined}>
      <h4 id={headingId} style={{ ...headingStyle, fontSize: '0.875rem' }}>
        Would this have fired?
      </h4>
      <TimeSeriesChart
        title={`Preview: ${rule.name || 'rule'}`}
        description={reducer === 'last' ? undefined : `The chart shows the query's samples; the rule compares their ${reducer} over ${formatElapsed(windowMs)}.`}
        series={data ?? []}
        thresholds={thresholds}
        events={events}
        unit={unit}
        timeRange={range}
        zoomable={false}
        height={220}
        timeZone={timeZone}
        loading={loading}
        error={sourceError}
      />
      <p role="status" style={{ margin: 0, fontSize: '0.8125rem', ...numericStyle }} data-testid="vigil-backtest-summary">
        {summary}
      </p>
      {reducer !== 'last' && <p style={hintStyle}>The chart shows the raw samples of the query; the rule compares their {reducer} over {formatElapsed(windowMs)}.</p>}
      {rule.condition?.type === 'change' && <p style={hintStyle}>Change thresholds are percentages, so they are not drawn on the chart.</p>}
      {firing.length > 0 && (
        <ul aria-label="Would have fired" style={{ display: 'grid', gap: 2, margin: 0, padding: 0, listStyle: 'none', fontSize: '0.8125rem', maxHeight: 160, overflowY: 'auto', ...numericStyle }} tabIndex={0}>
          {firing.slice(0, 50).map((interval) => (
            <li key={`${interval.fingerprint}-${interval.severity}-${interval.start}`} data-backtest-interval={interval.severity}>
              <span style={{ fontWeight: 600, color: interval.severity === 'critical' ? 'var(--vigil-critical)' : 'var(--vigil-fg)' }}>{interval.severity}</span>{' '}
              from {formatInstant(interval.start, timeZone)} {interval.end === null ? '(still firing at the end)' : `for ${formatElapsed(interval.end - interval.start)}`}
              {Object.entries(interval.labels)
                .filter(([name]) => name !== 'alertname' && name !== 'severity')
                .map(([name, value]) => (
                  <span key={name} style={{ ...mutedStyle, fontFamily: 'var(--vigil-font-mono)', marginInlineStart: 6 }}>
                    {name}={value}
                  </span>
                ))}
            </li>
          ))}
          {firing.length > 50 && <li style={mutedStyle}>and {firing.length - 50} more</li>}
        </ul>
      )}
    </section>
  );
}

interface InnerProps extends AlertRuleBuilderProps {
  readonly forwardedRef: ForwardedRef<HTMLFormElement>;
}

function AlertRuleBuilderInner(props: InnerProps): ReactNode {
  const {
    value,
    defaultValue,
    onChange,
    onSubmit,
    onCancel,
    range: rangeProp,
    series,
    metrics: metricsProp,
    filterLabel = 'service',
    channels,
    unit,
    timeZone = 'local',
    title = 'Alert rule',
    headingLevel = 3,
    submitLabel = 'Save rule',
    className,
    style,
    forwardedRef,
    ...rest
  } = props;
  const id = useId();
  const Heading = `h${headingLevel}` as const;
  const [own, setOwn] = useState<AlertRule>(() => defaultValue ?? EMPTY_RULE);
  const rule = value ?? own;
  const [mountedAt] = useState(() => Math.floor(Date.now() / 60_000) * 60_000);
  const range = rangeProp ?? { start: mountedAt - DEFAULT_PREVIEW_MS, end: mountedAt };
  const formRef = useRef<HTMLFormElement | null>(null);
  const [submitNote, setSubmitNote] = useState<string | undefined>(undefined);

  const problemList = useMemo(() => validateRule(rule), [rule]);
  const problems = useMemo(() => problemsByField(problemList), [problemList]);
  const catalog = useMetricCatalog();
  const metrics = metricsProp ?? catalog.data ?? [];
  const [metric, setMetric] = useState('');
  const [filterValue, setFilterValue] = useState('');
  const labelValues = useLabelValues(metricsProp === undefined ? filterLabel : '', metric === '' ? undefined : metric);

  const update = (next: AlertRule) => {
    setSubmitNote(undefined);
    if (value === undefined) setOwn(next);
    onChange?.(next, validateRule(next));
  };
  const set = <K extends keyof AlertRule>(key: K, fieldValue: AlertRule[K] | undefined) => update(withField(rule, key, fieldValue));
  const condition = rule.condition ?? EMPTY_RULE.condition;
  const setCondition = (next: AlertCondition) => update({ ...rule, condition: next });
  const reducer = rule.reducer ?? { type: 'last' as const };
  const operatorWord = condition.type === 'threshold' ? condition.operator : condition.type === 'change' ? `${condition.direction === 'down' ? 'falls' : 'rises'} by more than (%)` : '>';

  const pickMetric = (name: string, filter: string) => {
    setMetric(name);
    setFilterValue(filter);
    const chosen = metrics.find((m) => m.name === name);
    if (!chosen) return;
    const expr = queryForMetric(chosen, filter === '' ? undefined : { label: filterLabel, value: filter });
    update({ ...rule, query: { ...rule.query, expr } });
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (problemList.length > 0 || invalid) {
      setSubmitNote(`The rule has ${Math.max(problemList.length, 1)} ${problemList.length === 1 ? 'problem' : 'problems'}; fix the highlighted fields.`);
      invalid?.focus();
      return;
    }
    onSubmit?.(rule);
  };

  const labels = rule.labels ?? {};
  const annotations = rule.annotations ?? {};
  const setAnnotation = (name: string, text: string) => {
    const next: Record<string, string> = { ...annotations };
    if (text === '') delete next[name];
    else next[name] = text;
    set('annotations', Object.keys(next).length === 0 ? undefined : next);
  };

  const row: CSSProperties = { display: 'flex', flexWrap: 'wrap', gap: 10, alignItems: 'flex-start' };
  const grow = (basis: string): CSSProperties => ({ flex: `1 1 ${basis}` });

  return (
    <form
      ref={(node) => {
        formRef.current = node;
        if (typeof forwardedRef === 'function') forwardedRef(node);
        else if (forwardedRef) forwardedRef.current = node;
      }}
      noValidate
      aria-labelledby={`${id}-title`}
      className={classNames('vigil-rule-builder', className)}
      data-valid={problemList.length === 0}
      style={{ ...panelStyle, display: 'grid', gap: 14, ...style }}
      onSubmit={submit}
      {...rest}
    >
      <div style={{ display: 'flex', flexWrap: 'wrap', justifyContent: 'space-between', gap: 8, alignItems: 'baseline' }}>
        <Heading id={`${id}-title`} style={headingStyle}>
          {title}
        </Heading>
        <p style={{ margin: 0, fontSize: '0.8125rem', color: problemList.length === 0 ? 'var(--vigil-fg-muted)' : 'var(--vigil-critical)', fontWeight: problemList.length === 0 ? 400 : 600 }} data-testid="vigil-rule-problems">
          {problemList.length === 0 ? 'The rule is valid.' : `${problemList.length} ${problemList.length === 1 ? 'problem' : 'problems'} to fix`}
        </p>
      </div>

      <div style={{ display: 'grid', gap: 14, gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 22rem), 1fr))', alignItems: 'start' }}>
        <div style={{ display: 'grid', gap: 12, minWidth: 0 }}>
          <div style={row}>
            <TextField field="name" label="Alert name" value={rule.name ?? ''} onChange={(text) => set('name', text)} error={problems.get('name')} mono hint="The alertname label, such as HighErrorRate." style={grow('10rem')} />
            <TextField field="id" label="Rule id" value={rule.id ?? ''} onChange={(text) => set('id', text)} error={problems.get('id')} mono style={grow('8rem')} />
          </div>

          <fieldset style={fieldsetStyle}>
            <legend style={legendStyle}>Query</legend>
            {metrics.length > 0 && (
              <div style={row}>
                <div style={{ ...fieldStyle, ...grow('10rem') }}>
                  <label htmlFor={`${id}-metric`} style={labelStyle}>
                    Metric
                  </label>
                  <select id={`${id}-metric`} value={metric} onChange={(e) => pickMetric(e.target.value, '')} style={inputStyle} aria-describedby={`${id}-metric-hint`}>
                    <option value="">Choose a metric…</option>
                    {metrics.map((m) => (
                      <option key={m.name} value={m.name}>
                        {m.name} ({m.type})
                      </option>
                    ))}
                  </select>
                  <p id={`${id}-metric-hint`} style={hintStyle}>
                    Fills in a starting query; edit it below.
                  </p>
                </div>
                {(labelValues.data ?? []).length > 0 && metric !== '' && (
                  <div style={{ ...fieldStyle, ...grow('8rem') }}>
                    <label htmlFor={`${id}-filter`} style={labelStyle}>
                      Only {filterLabel}
                    </label>
                    <select id={`${id}-filter`} value={filterValue} onChange={(e) => pickMetric(metric, e.target.value)} style={inputStyle}>
                      <option value="">Every {filterLabel}</option>
                      {(labelValues.data ?? []).map((v) => (
                        <option key={v} value={v}>
                          {v}
                        </option>
                      ))}
                    </select>
                  </div>
                )}
              </div>
            )}
            <TextField field="query.expr" label="Query" multiline mono value={rule.query?.expr ?? ''} onChange={(expr) => update({ ...rule, query: { ...rule.query, expr } })} error={problems.get('query.expr') ?? problems.get('query')} placeholder='sum(rate(http_requests_total{code=~"5.."}[5m]))' />
            <div style={row}>
              <DurationField field="query.stepMs" label="Evaluate every" placeholder="1m" optional value={rule.query?.stepMs} onChange={(ms) => update({ ...rule, query: withField(rule.query, 'stepMs', ms) })} error={problems.get('query.stepMs')} style={grow('6rem')} />
              <SelectField<AlertReducerType>
                field="reducer.type"
                label="Reduce with"
                value={reducer.type}
                options={ALERT_REDUCER_TYPES.map((type) => ({ value: type, label: REDUCER_LABELS[type] }))}
                onChange={(type) => update({ ...rule, reducer: type === 'percentile' ? { ...reducer, type, percentile: reducer.percentile ?? 95 } : withField({ ...reducer, type }, 'percentile', undefined) })}
                error={problems.get('reducer.type')}
                style={grow('8rem')}
              />
              <DurationField field="reducer.windowMs" label="Over the last" placeholder="5m" optional value={reducer.windowMs} onChange={(ms) => update({ ...rule, reducer: withField(reducer, 'windowMs', ms) })} error={problems.get('reducer.windowMs')} style={grow('6rem')} />
              {reducer.type === 'percentile' && (
                <NumberField field="reducer.percentile" label="Percentile" value={reducer.percentile} onChange={(p) => update({ ...rule, reducer: withField(reducer, 'percentile', p) })} error={problems.get('reducer.percentile')} style={grow('5rem')} />
              )}
            </div>
          </fieldset>

          <fieldset style={fieldsetStyle} aria-describedby={describedBy(problems.has('condition') && `${id}-condition-error`)}>
            <legend style={legendStyle}>Condition</legend>
            <div style={row}>
              <SelectField<AlertCondition['type']>
                field="condition.type"
                label="Alert when"
                value={condition.type}
                options={(['threshold', 'change', 'burnRate', 'absent'] as const).map((type) => ({ value: type, label: CONDITION_LABELS[type] }))}
                onChange={(type) => setCondition(conditionFor(type, condition))}
                error={problems.get('condition.type')}
                style={grow('12rem')}
              />
              {condition.type === 'threshold' && (
                <SelectField<ThresholdOperator>
                  field="condition.operator"
                  label="Operator"
                  value={condition.operator}
                  options={THRESHOLD_OPERATORS.map((op) => ({ value: op, label: op }))}
                  onChange={(operator) => setCondition({ ...condition, operator })}
                  error={problems.get('condition.operator')}
                  style={grow('5rem')}
                />
              )}
              {condition.type === 'change' && (
                <>
                  <SelectField<'up' | 'down'>
                    field="condition.direction"
                    label="Direction"
                    value={condition.direction}
                    options={[
                      { value: 'up', label: 'Up' },
                      { value: 'down', label: 'Down' },
                    ]}
                    onChange={(direction) => setCondition({ ...condition, direction })}
                    error={problems.get('condition.direction')}
                    style={grow('5rem')}
                  />
                  <DurationField field="condition.windowMs" label="Compared with" value={condition.windowMs} onChange={(ms) => setCondition({ ...condition, windowMs: ms ?? 0 })} error={problems.get('condition.windowMs')} hint="How long ago." style={grow('6rem')} />
                </>
              )}
              {condition.type === 'absent' && (
                <SelectField<AlertSeverity>
                  field="severity"
                  label="Severity"
                  value={rule.severity ?? 'critical'}
                  options={ALERT_SEVERITIES.map((s) => ({ value: s, label: s }))}
                  onChange={(severity) => set('severity', severity)}
                  error={problems.get('severity')}
                  style={grow('6rem')}
                />
              )}
            </div>
            <FieldError id={`${id}-condition-error`} message={problems.get('condition')} />
            {condition.type !== 'absent' && (
              <>
                <LevelFields severity="warning" level={condition.warning} operatorWord={operatorWord} problems={problems} onChange={(level) => setCondition(withField(condition, 'warning', level))} />
                <LevelFields severity="critical" level={condition.critical} operatorWord={operatorWord} problems={problems} onChange={(level) => setCondition(withField(condition, 'critical', level))} />
              </>
            )}
          </fieldset>

          <fieldset style={fieldsetStyle}>
            <legend style={legendStyle}>Timing and missing data</legend>
            <div style={row}>
              <DurationField field="forMs" label="Pending for" placeholder="0s" optional value={rule.forMs} onChange={(ms) => set('forMs', ms)} error={problems.get('forMs')} hint="Fires only after the condition holds this long." style={grow('7rem')} />
              <DurationField field="keepFiringForMs" label="Keep firing for" placeholder="0s" optional value={rule.keepFiringForMs} onChange={(ms) => set('keepFiringForMs', ms)} error={problems.get('keepFiringForMs')} hint="After the condition clears." style={grow('7rem')} />
              <DurationField field="cooldownMs" label="Cooldown" placeholder="0s" optional value={rule.cooldownMs} onChange={(ms) => set('cooldownMs', ms)} error={problems.get('cooldownMs')} hint="Quiet time after resolving." style={grow('7rem')} />
            </div>
            <div style={row}>
              <SelectField<NoDataBehavior> field="noData" label="When there is no data" value={rule.noData ?? 'ok'} options={NO_DATA_BEHAVIORS.map((b) => ({ value: b, label: NO_DATA_LABELS[b] }))} onChange={(b) => set('noData', b)} error={problems.get('noData')} style={grow('9rem')} />
              <SelectField<NoDataBehavior> field="onError" label="When the query fails" value={rule.onError ?? 'keep-last'} options={NO_DATA_BEHAVIORS.map((b) => ({ value: b, label: NO_DATA_LABELS[b] }))} onChange={(b) => set('onError', b)} error={problems.get('onError')} style={grow('9rem')} />
            </div>
          </fieldset>

          <LabelsEditor labels={labels} onChange={(next) => set('labels', next)} problems={problems} idPrefix={id} />

          <fieldset style={fieldsetStyle}>
            <legend style={legendStyle}>Notification</legend>
            <TextField field="annotations.summary" label="Summary" value={annotations['summary'] ?? ''} onChange={(text) => setAnnotation('summary', text)} error={problems.get('annotations.summary')} hint="Template: {{ $labels.service }}, {{ $value | humanize }}." />
            <TextField field="annotations.description" label="Description" multiline value={annotations['description'] ?? ''} onChange={(text) => setAnnotation('description', text)} error={problems.get('annotations.description')} />
            <div style={row}>
              <TextField field="runbookUrl" label="Runbook URL" value={rule.runbookUrl ?? ''} onChange={(text) => set('runbookUrl', text === '' ? undefined : text)} error={problems.get('runbookUrl')} placeholder="https://" style={grow('12rem')} />
              {channels && channels.length > 0 ? (
                <SelectField<string>
                  field="receiver"
                  label="Channel"
                  value={rule.receiver ?? ''}
                  options={[{ value: '', label: 'Default channel' }, ...channels.map((c) => ({ value: c, label: c }))]}
                  onChange={(receiver) => set('receiver', receiver === '' ? undefined : receiver)}
                  error={problems.get('receiver')}
                  style={grow('8rem')}
                />
              ) : (
                <TextField field="receiver" label="Channel" value={rule.receiver ?? ''} onChange={(text) => set('receiver', text === '' ? undefined : text)} error={problems.get('receiver')} placeholder="default" style={grow('8rem')} />
              )}
            </div>
          </fieldset>
        </div>

        <div style={{ display: 'grid', gap: 12, minWidth: 0, alignSelf: 'start', position: 'sticky', top: 8 }}>
          <RulePreview rule={rule} valid={problemList.length === 0} range={range} series={series} unit={unit} timeZone={timeZone} headingId={`${id}-preview`} />
        </div>
      </div>

      {(onSubmit || onCancel) && (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, justifyContent: 'flex-end', alignItems: 'center' }}>
          {submitNote !== undefined && (
            <p role="alert" style={{ margin: 0, marginInlineEnd: 'auto', fontSize: '0.8125rem', color: 'var(--vigil-critical)', fontWeight: 600 }}>
              {submitNote}
            </p>
          )}
          {onCancel && (
            <button type="button" style={buttonStyle} onClick={onCancel}>
              Cancel
            </button>
          )}
          {onSubmit && (
            <button type="submit" style={primaryButtonStyle}>
              {submitLabel}
            </button>
          )}
        </div>
      )}
    </form>
  );
}

/**
 * A visual editor of one alert rule (the engine's `AlertRule` JSON): a metric picker fed by the data source, the
 * query, a reducer, a condition with warning and critical levels and their recovery levels, `for` /
 * keep-firing-for / cooldown, no-data handling, labels, annotations and the channel. Every edit is checked with the
 * engine's `validateRule`, and each problem is shown under its field (`aria-invalid`, `aria-describedby`). Beside
 * the form, a live preview charts the query over the range with the threshold lines and marks where the rule
 * would have fired, from the engine's `backtest`. Controlled (`value`/`onChange`) or uncontrolled
 * (`defaultValue`); only native controls, so it works from the keyboard.
 *
 * @example
 * <VigilSourceProvider source={source}>
 *   <AlertRuleBuilder defaultValue={rule} channels={['pager', 'slack-ops']} onSubmit={(rule) => save(rule)} />
 * </VigilSourceProvider>
 */
export const AlertRuleBuilder = /* @__PURE__ */ forwardRef<HTMLFormElement, AlertRuleBuilderProps>(function AlertRuleBuilder(props, ref) {
  return (
    <VigilErrorBoundary
      resetKeys={[props.value, props.series]}
      fallback={(caught) => (
        <div className={props.className} style={{ ...panelStyle, ...props.style }}>
          <ErrorBody error={caught} />
        </div>
      )}
    >
      <AlertRuleBuilderInner {...props} forwardedRef={ref} />
    </VigilErrorBoundary>
  );
});

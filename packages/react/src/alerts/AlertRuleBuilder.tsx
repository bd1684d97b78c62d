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
  type BacktestInterval,
  type BacktestResult,
  type NoDataBehavior,
  type RuleProblem,
  type ThresholdOperator,
} from '@vigil/core/alerting';
import { TimeSeriesChart } from '../charts/TimeSeriesChart';
import type { ChartThreshold, PercentileBand } from '../charts/types';
import { useSeries } from '../hooks/useSeries';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { classNames } from '../utils/class-names';
import { describeError } from '../utils/errors';
import { ErrorBody, buttonStyle, headingStyle, mutedStyle, numericStyle, panelStyle } from '../slo/parts';
import { DurationField, NumberField, SelectField, TextField } from './fields';
import { FieldError, describedBy, fieldStyle, fieldsetStyle, formatElapsed, formatInstant, hintStyle, inputStyle, inputStyleFor, labelStyle, legendStyle, primaryButtonStyle } from './parts';
import { EMPTY_RULE, backtestEvents, describeConditionValue, previewLines, problemsByField, queryForMetric, withField } from './builder-model';
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
  /**
   * Unit of the query's values in the preview, such as `%`, `ms` or `req/s`. The charted condition value takes it,
   * except for change conditions (`%`), `count` (`samples`) and `rate` (`<unit>/s`).
   */
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
 * Chart lines for the levels of a condition, on the scale of its condition value: threshold and burn-rate levels in
 * the query's unit, change levels in percent (the charted value is the change, or for `down` the fall, in %). Absent
 * rules have none. Recovery levels are drawn as shaded bands (`recoveryBands`), whose labels sit in the legend.
 */
function chartThresholds(condition: AlertCondition): ChartThreshold[] {
  if (condition.type === 'absent') return [];
  const out: ChartThreshold[] = [];
  const passes = condition.type === 'threshold' ? `${condition.operator} ` : condition.type === 'change' ? `${condition.direction === 'down' ? 'falls' : 'rises'} by > ` : '> ';
  const suffix = condition.type === 'change' ? '%' : '';
  for (const severity of ['warning', 'critical'] as const) {
    const level = condition[severity];
    if (level === undefined || !Number.isFinite(level.value)) continue;
    out.push({ value: level.value, label: `${severity} ${passes}${level.value}${suffix}`, severity });
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

/**
 * Colour of the raw-sample lines: the muted text colour at 60%, so the condition value stands out. Set as the
 * palette colour (`--vigil-series-N`) of the raw lines' slots on a wrapper, so canvas, legend and tooltip agree.
 */
const RAW_LINE_COLOR = 'color-mix(in srgb, var(--vigil-fg-muted, #5c6370) 60%, transparent)';
const LEVEL_COLOR = { warning: 'var(--vigil-warning, #b54708)', critical: 'var(--vigil-critical, #b42318)' } as const;

/** Palette overrides (`--vigil-series-N` for slot N - 1), for a wrapper around a chart. */
function paletteStyle(slots: ReadonlyMap<number, string>): CSSProperties | undefined {
  if (slots.size === 0) return undefined;
  const style: Record<string, string> = {};
  for (const [slot, color] of slots) style[`--vigil-series-${(slot % 8) + 1}`] = color;
  return style as CSSProperties;
}

/**
 * The hysteresis of each level as a shaded band between the level and its recovery level ("once firing, it holds
 * until the value no longer passes the recovery level"), so the two dashed lines' labels never collide.
 */
function recoveryBands(condition: AlertCondition | undefined, range: TimeRange): { bands: PercentileBand[]; severities: ('warning' | 'critical')[] } {
  const bands: PercentileBand[] = [];
  const severities: ('warning' | 'critical')[] = [];
  if (condition === undefined || condition.type === 'absent') return { bands, severities };
  const suffix = condition.type === 'change' ? '%' : '';
  const timestamps = range.end > range.start ? Float64Array.of(range.start, range.end) : Float64Array.of(range.start);
  for (const severity of ['warning', 'critical'] as const) {
    const level = condition[severity];
    if (level?.recovery === undefined || !Number.isFinite(level.value) || !Number.isFinite(level.recovery) || level.recovery === level.value) continue;
    const edge = (value: number): Series => ({ labels: {}, timestamps, values: new Float64Array(timestamps.length).fill(value) });
    bands.push({ lower: edge(Math.min(level.value, level.recovery)), upper: edge(Math.max(level.value, level.recovery)), label: `${severity} recovers at ${level.recovery}${suffix}` });
    severities.push(severity);
  }
  return { bands, severities };
}

/** How many entries of `values` hold a value (not NaN). */
function countValues(values: Float64Array): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if ((values[i] as number) === (values[i] as number)) n++;
  return n;
}

const NO_LINES: Series[] = [];
const NO_INTERVALS: BacktestInterval[] = [];
const codeStyle: CSSProperties = { fontFamily: 'var(--vigil-font-mono)', overflowWrap: 'anywhere' };

/** The same rule as a threshold rule, to read the reduced value of each series of an `absent` rule. */
function asThresholdRule(rule: AlertRule): AlertRule {
  return { ...rule, condition: { type: 'threshold', operator: '>', critical: { value: 0 } }, forMs: 0 };
}

function RulePreview({ rule, valid, range, series: given, unit, timeZone, headingId }: PreviewProps): ReactNode {
  const id = useId();
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
  const absent = deferredRule.condition?.type === 'absent';
  const outcome = useMemo((): { result?: BacktestResult; values?: Series[]; error?: unknown } => {
    if (!valid || data === undefined) return {};
    try {
      const tested: AlertRule = { ...deferredRule, query: { ...deferredRule.query, stepMs } };
      const history = { series: data, range, intervalMs: stepMs, includeValues: true };
      const result = backtest(tested, history);
      // An absent rule's own value is "held or not"; what it looks at is each series' reduced value (NaN = none).
      const values = absent ? backtest(asThresholdRule(tested), history).values : result.values;
      return { result, values: values ?? [] };
    } catch (error) {
      return { error };
    }
  }, [valid, data, deferredRule, absent, range, stepMs]);
  const [rawChoice, setRawChoice] = useState<boolean | undefined>(undefined);

  const loading = given === undefined && expr.trim() !== '' && queried.status === 'loading' && data === undefined;
  const sourceError = given === undefined && queried.status === 'error' ? queried.error : undefined;
  const result = outcome.result;
  const events = useMemo(() => (result ? backtestEvents(result.firing, rule, range.end) : []), [result, rule, range.end]);
  const firing = result?.firing ?? NO_INTERVALS;
  const firingMs = firing.reduce((sum, interval) => sum + ((interval.end ?? range.end) - interval.start), 0);

  // What is charted: once there is a backtest, the condition value of each series (what the levels are compared
  // with; for absent rules the reduced value, whose gaps are what the rule looks for); before, the raw samples.
  const described = useMemo(() => describeConditionValue(deferredRule, unit, formatElapsed), [deferredRule, unit]);
  const mode: 'condition' | 'absent' | 'raw' = result === undefined ? 'raw' : absent ? 'absent' : 'condition';
  const nonEmpty = useMemo(() => (data ?? []).filter((s) => s.timestamps.length > 0), [data]);
  // The engine returns a value series per input series (an empty one included), in input order.
  const lines = useMemo(() => (outcome.values === undefined ? undefined : previewLines(outcome.values, data ?? [], absent ? [] : firing, described.short)), [outcome.values, data, absent, firing, described.short]);
  const rawOnly = useMemo(() => previewLines(nonEmpty, nonEmpty, [], 'samples').condition, [nonEmpty]);
  const valued = mode !== 'raw';
  const thresholds = useMemo(() => (mode === 'condition' && deferredRule.condition ? chartThresholds(deferredRule.condition) : []), [mode, deferredRule.condition]);
  // Raw samples share the condition's axis only when on its scale; otherwise they get a small chart of their own.
  const overlay = described.sameScaleAsRaw;
  const showRaw = rawChoice ?? (deferredRule.reducer?.type ?? 'last') !== 'last';
  const conditionLines = lines?.condition ?? NO_LINES;
  const rawLines = lines?.raw ?? NO_LINES;
  const chartSeries = useMemo(() => (valued ? (overlay && showRaw ? [...conditionLines, ...rawLines] : conditionLines) : rawOnly), [valued, overlay, showRaw, conditionLines, rawLines, rawOnly]);
  // Bands need lines beside them: with no series at all, the chart says "No data" rather than drawing levels only.
  const recovery = useMemo(() => (mode === 'condition' && conditionLines.length > 0 ? recoveryBands(deferredRule.condition, range) : { bands: [], severities: [] }), [mode, conditionLines.length, deferredRule.condition, range]);
  const palette = useMemo(() => {
    const slots = new Map<number, string>();
    if (valued && overlay && showRaw) rawLines.forEach((_, i) => slots.set(conditionLines.length + i, RAW_LINE_COLOR));
    recovery.severities.forEach((severity, b) => slots.set(chartSeries.length + b, LEVEL_COLOR[severity]));
    return paletteStyle(slots);
  }, [valued, overlay, showRaw, rawLines, conditionLines.length, recovery.severities, chartSeries.length]);
  // Absent rules mostly watch a flat series (`up` is 1): leave headroom so the line and its gaps are not on the frame.
  const yDomain = useMemo((): [number, number] | undefined => {
    if (mode !== 'absent') return undefined;
    let lo = 0;
    let hi = -Infinity;
    for (const s of chartSeries) for (const v of s.values) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    if (hi === -Infinity) return undefined;
    const spread = hi - lo || Math.abs(hi) || 1;
    return [lo, hi + spread * 0.25];
  }, [mode, chartSeries]);
  const total = valued ? (lines?.total ?? 0) : nonEmpty.length;
  const charted = valued ? conditionLines.length : rawOnly.length;
  const noValue = mode === 'condition' && conditionLines.length > 0 && conditionLines.every((s) => countValues(s.values) === 0);
  const absentHeld = mode === 'absent' ? countValues(result?.values?.[0]?.values ?? new Float64Array(0)) : 0;

  let summary: ReactNode;
  if (expr.trim() === '') summary = 'Enter a query to preview the rule.';
  else if (!valid) summary = 'Fix the highlighted fields to see where this rule would have fired.';
  else if (outcome.error !== undefined) summary = `The backtest failed: ${describeError(outcome.error).message}`;
  else if (result === undefined) summary = loading ? 'Loading the series…' : sourceError !== undefined ? 'No data to backtest.' : 'Backtesting…';
  else if (firing.length === 0) summary = `Would not have fired over the ${formatElapsed(range.end - range.start)} shown (${result.ticks} ${result.ticks === 1 ? 'evaluation' : 'evaluations'}).`;
  else summary = `Would have fired ${firing.length} ${firing.length === 1 ? 'time' : 'times'} over the ${formatElapsed(range.end - range.start)} shown, ${formatElapsed(firingMs)} in total.`;

  // The caption, once as text (the chart's description) and once with the query set in code.
  const versus = described.comparedWith === undefined ? '' : `, vs ${described.comparedWith} earlier`;
  const inUnit = described.unit === undefined ? '' : `, in ${described.unit}`;
  const afterQuery =
    mode === 'condition'
      ? `${versus}, per series: the value the rule compares with its levels${inUnit}.${deferredRule.condition?.type === 'change' && deferredRule.condition.direction === 'down' ? ' A fall of 20% is charted as 20.' : ''}`
      : mode === 'absent'
        ? `, per series${inUnit}. An absent rule fires when no series has a value (the gaps); that held at ${absentHeld} of ${result?.ticks ?? 0} evaluations.`
        : `.${result === undefined && !loading && sourceError === undefined ? ' The value the rule compares appears once the rule is valid and backtested.' : ''}`;
  const rawNote = !valued || rawLines.length === 0 || !showRaw ? '' : overlay ? ' Grey dashed lines: the raw samples, for reference; the rule does not compare them.' : ' The raw samples are in the small chart below, for reference.';
  const measure = valued ? described.measure : 'the samples';
  const captionText = `Charted: ${measure} of ${expr}${afterQuery}${rawNote}`;

  return (
    <section aria-labelledby={headingId} style={{ display: 'grid', gap: 8, minWidth: 0 }} data-testid="vigil-rule-preview" data-backtest-count={result ? firing.length : undefined} data-charted={mode} data-charted-unit={valued ? (described.unit ?? '') : (unit ?? '')}>
      <h4 id={headingId} style={{ ...headingStyle, fontSize: '0.875rem' }}>
        Would this have fired?
      </h4>
      {expr.trim() !== '' && (
        <p style={{ margin: 0, fontSize: '0.8125rem' }} data-testid="vigil-preview-caption">
          Charted: {valued ? <strong>{measure}</strong> : measure} of <code style={codeStyle}>{expr}</code>
          {afterQuery}
          {rawNote}
        </p>
      )}
      {valued && rawLines.length > 0 && (
        <div style={{ display: 'flex', alignItems: 'center', gap: 6, fontSize: '0.8125rem' }}>
          <input id={`${id}-raw`} type="checkbox" checked={showRaw} onChange={(e) => setRawChoice(e.target.checked)} />
          <label htmlFor={`${id}-raw`}>Show raw samples</label>
        </div>
      )}
      <div style={palette} data-raw-palette={valued && overlay && showRaw && rawLines.length > 0 ? conditionLines.length : undefined}>
        <TimeSeriesChart
          title={`Preview: ${rule.name || 'rule'}`}
          description={captionText}
          series={chartSeries}
          bands={recovery.bands}
          thresholds={thresholds}
          yDomain={yDomain}
          events={events}
          unit={valued ? described.unit : unit}
          dashPatterns="always"
          timeRange={range}
          zoomable={false}
          height={220}
          timeZone={timeZone}
          loading={loading}
          error={sourceError}
        />
      </div>
      {valued && !overlay && showRaw && rawLines.length > 0 && (
        <div style={paletteStyle(new Map(rawLines.map((_, i) => [i, RAW_LINE_COLOR])))} data-raw-palette={0}>
          <TimeSeriesChart title="Raw samples of the query" description={`The samples of ${expr}, for reference; the rule compares ${described.measure}${versus}, charted above.`} series={rawLines} unit={unit} dashPatterns="always" timeRange={range} zoomable={false} height={130} timeZone={timeZone} />
        </div>
      )}
      {charted < total && (
        <p style={hintStyle} data-testid="vigil-preview-cap">
          Charting {charted} of {total} series{mode === 'condition' && firing.length > 0 ? ' (those that would have fired first)' : ''}; the summary and the list below cover all {total}.
        </p>
      )}
      {noValue && (
        <p style={hintStyle}>
          The rule saw no value at any evaluation: too few samples within {described.window}
          {described.comparedWith === undefined ? '' : `, or no value (or 0) ${described.comparedWith} earlier to compare with`}.
        </p>
      )}
      <p role="status" style={{ margin: 0, fontSize: '0.8125rem', ...numericStyle }} data-testid="vigil-backtest-summary">
        {summary}
      </p>
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
 * engine's `validateRule`, and each problem is shown under its field (`aria-invalid`, `aria-describedby`).
 *
 * Beside the form, a live preview ("would this have fired?") runs the engine's `backtest` over the range with
 * `includeValues` and charts what the rule compares with its levels: each series' condition value at every
 * evaluation (the reducer over its window, such as the 5-minute average or the p95 over 15 minutes; for a change
 * condition the change, or fall, in % against the change window, on a % axis; for an absent rule the reduced value,
 * whose gaps are what it looks for). The levels are dashed lines, each recovery level a shaded band up to its level,
 * and each "would have fired" interval a marker. A caption names what is charted ("avg over 5m of <query>"). The raw
 * samples stay available behind a "Show raw samples" checkbox (on unless the reducer is `last`): grey dashed lines
 * on the same axis when they share its scale, else a small chart of their own. At most three series are charted
 * (those that would have fired first), and the preview says so; the summary and the list of intervals cover all.
 *
 * Controlled (`value`/`onChange`) or uncontrolled (`defaultValue`); only native controls, so it works from the
 * keyboard.
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

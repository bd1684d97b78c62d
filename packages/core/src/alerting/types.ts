/**
 * The public model of the alerting engine: rules, the shared Alert / AlertGroup shape (Alertmanager-like), silences,
 * maintenance windows, inhibition rules, escalation policies, evaluator results, history, snapshots and backtests.
 * Everything here is plain JSON-safe data (times are epoch milliseconds, durations milliseconds), so a rule builder
 * can emit and accept it and a Node service can persist it.
 */
import type { Series, TimeRange } from '../series/types';

// ---------------------------------------------------------------------------------------------------------------
// Rule model
// ---------------------------------------------------------------------------------------------------------------

/** Severity levels, lowest first. A rule's `warning` threshold produces `warning` alerts, `critical` ones `critical`. */
export type AlertSeverity = 'info' | 'warning' | 'critical';

/** Every severity, lowest first. */
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['info', 'warning', 'critical'];

/**
 * The query a rule evaluates, through the data-source contract (`RangeQuery` in `@vigil/core/source`).
 * At tick `t` the engine asks for `[t - lookbackMs, t]` at `stepMs`, where the lookback covers the reducer window
 * (and the change window). `expr` is in the source's query language (PromQL for Prometheus export).
 */
export interface AlertQuery {
  /** The query text, such as `rate(http_requests_total{code=~"5.."}[5m])` or a plain selector `cpu_usage`. */
  readonly expr: string;
  /** Resolution of the range query in ms, > 0. Default 60 000. */
  readonly stepMs?: number;
}

/** How the samples of one series in the reducer window become one number. */
export type AlertReducerType = 'last' | 'avg' | 'min' | 'max' | 'sum' | 'count' | 'percentile' | 'rate';

/** Every reducer type. */
export const ALERT_REDUCER_TYPES: readonly AlertReducerType[] = ['last', 'avg', 'min', 'max', 'sum', 'count', 'percentile', 'rate'];

/**
 * The reducer: at tick `t`, the samples of each series with timestamps in `(t - windowMs, t]` (left-open, as in
 * Prometheus 3) and a non-NaN value are reduced to one number.
 * - `last`: the latest such sample (Prometheus instant-vector lookback).
 * - `avg`, `min`, `max`, `sum`, `count`: as `*_over_time`.
 * - `percentile`: the R-7 quantile (`@vigil/core/percentile`) at `percentile / 100`, as `quantile_over_time`.
 * - `rate`: per-second rate of a counter over the window, exactly as PromQL `rate()` (`@vigil/core/series` rate).
 * A window without samples is "no data" for that series (`count` is then 0, not no data).
 */
export interface AlertReducer {
  readonly type: AlertReducerType;
  /** Window length in ms, > 0. Default 300 000 (5 minutes, the Prometheus lookback). */
  readonly windowMs?: number;
  /** For `percentile`: the percentile in (0, 100], such as 95 or 99.9. */
  readonly percentile?: number;
}

/** Comparison operators of a threshold condition. */
export type ThresholdOperator = '>' | '<' | '>=' | '<=' | '==' | '!=';

/** Every threshold operator. */
export const THRESHOLD_OPERATORS: readonly ThresholdOperator[] = ['>', '<', '>=', '<=', '==', '!='];

/**
 * A threshold with optional hysteresis. The alert becomes active when the value passes `value` (in the direction of
 * the operator) and, once firing, stays active until the value no longer passes `recovery`. For `>`/`>=` (and for
 * change% and burn-rate conditions) `recovery` must be <= `value`; for `<`/`<=` it must be >= `value`; `==` and
 * `!=` take no recovery. Without `recovery` the alert recovers at `value` itself.
 */
export interface AlertThreshold {
  readonly value: number;
  readonly recovery?: number;
}

/** Warning and critical levels of one condition; at least one is required. */
export interface AlertThresholds {
  readonly warning?: AlertThreshold;
  readonly critical?: AlertThreshold;
}

/** `value <operator> threshold`, for example `p95 > 2000` or `cpu >= 0.8`. */
export interface ThresholdCondition extends AlertThresholds {
  readonly type: 'threshold';
  readonly operator: ThresholdOperator;
}

/**
 * Percent change of the reduced value against its value `windowMs` earlier:
 * `change% = (now - before) / |before| * 100`. `direction: 'up'` is active when `change% > threshold`,
 * `'down'` when `-change% > threshold` (thresholds are positive percentages). `before == 0` or no `before` value is
 * no data for that series.
 */
export interface ChangeCondition extends AlertThresholds {
  readonly type: 'change';
  readonly direction: 'up' | 'down';
  /** How far back the comparison value is taken, in ms, > 0. */
  readonly windowMs: number;
}

/**
 * The query (after the reducer) is an SLO burn rate (for example a recorded `slo:burn_rate:1h` series, or the
 * output of `@vigil/core/slo` handed in as a series); active when `burnRate > threshold`.
 */
export interface BurnRateCondition extends AlertThresholds {
  readonly type: 'burnRate';
}

/**
 * Active when the query returns no series, or no series has a sample in the reducer window (PromQL `absent()`).
 * Fires one alert with the rule's labels at the rule's `severity`.
 */
export interface AbsentCondition {
  readonly type: 'absent';
}

export type AlertCondition = ThresholdCondition | ChangeCondition | BurnRateCondition | AbsentCondition;

/** Every condition type. */
export const ALERT_CONDITION_TYPES: readonly AlertCondition['type'][] = ['threshold', 'change', 'burnRate', 'absent'];

/**
 * What a rule does when a series (or the whole query) has no data, or the query fails:
 * - `alerting`: treat the condition as met (at every severity the rule defines);
 * - `ok`: treat it as not met (firing alerts resolve; the Prometheus behaviour for no data);
 * - `keep-last`: leave every state as it is (the Prometheus behaviour for a failed evaluation).
 */
export type NoDataBehavior = 'alerting' | 'ok' | 'keep-last';

/** Every no-data / error behaviour. */
export const NO_DATA_BEHAVIORS: readonly NoDataBehavior[] = ['alerting', 'ok', 'keep-last'];

/**
 * An alert rule. JSON-safe: the rule builder emits and accepts exactly this.
 *
 * Labels and annotations are templates in a tiny, safe language (see `renderTemplate`): `{{ $labels.name }}`,
 * `{{ $value }}`, `{{ $value | humanize }}`, `{{ $severity }}`, `{{ $rule }}`. No code runs; output is plain text.
 *
 * @example
 * const rule: AlertRule = {
 *   id: 'checkout-p95',
 *   name: 'CheckoutLatencyHigh',
 *   query: { expr: 'http_request_duration_ms{service="checkout"}', stepMs: 60_000 },
 *   reducer: { type: 'percentile', percentile: 95, windowMs: 300_000 },
 *   condition: { type: 'threshold', operator: '>', warning: { value: 1500, recovery: 1200 }, critical: { value: 2000 } },
 *   forMs: 300_000,
 *   labels: { team: 'payments' },
 *   annotations: { summary: 'p95 of {{ $labels.service }} is {{ $value | humanize }}ms' },
 *   runbookUrl: 'https://runbooks.example.com/checkout-latency',
 * };
 */
export interface AlertRule {
  /** Unique id among the evaluator's rules: letters, digits, `_`, `-`, `.`, `:`; at most 128 characters. */
  readonly id: string;
  /** The `alertname` label: `[a-zA-Z_][a-zA-Z0-9_]*`, at most 128 characters. */
  readonly name: string;
  readonly description?: string;
  /** Disabled rules are validated but never evaluated. Default `true`. */
  readonly enabled?: boolean;
  readonly query: AlertQuery;
  /** Default `{ type: 'last', windowMs: 300_000 }`. */
  readonly reducer?: AlertReducer;
  readonly condition: AlertCondition;
  /** How long the condition must hold before the alert fires (pending period), ms >= 0. Default 0. */
  readonly forMs?: number;
  /** How long a firing alert keeps firing after its condition clears, ms >= 0. Default 0. */
  readonly keepFiringForMs?: number;
  /** After an alert resolves, the same series and severity cannot become active again for this long, ms >= 0. Default 0. */
  readonly cooldownMs?: number;
  /** Default `ok` (as Prometheus). */
  readonly noData?: NoDataBehavior;
  /** Default `keep-last` (as Prometheus). */
  readonly onError?: NoDataBehavior;
  /** Severity of alerts that have no threshold level (`absent`, and no-data/error alerts when no level applies). Default `critical`. */
  readonly severity?: AlertSeverity;
  /** Extra labels (templates). `alertname` and `severity` are reserved and set by the engine. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations (templates) such as `summary` and `description`. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Runbook link, `http(s)://` only; added as the `runbook_url` annotation. */
  readonly runbookUrl?: string;
  /** Receiver for this rule's alert groups; overrides the evaluator's default receiver. */
  readonly receiver?: string;
  /** Id of an escalation policy in the evaluator config. */
  readonly escalationPolicy?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared Alert shape (Alertmanager-like; the notify engine consumes it)
// ---------------------------------------------------------------------------------------------------------------

/** An alert instance for one rule + label set. Times in epoch ms. */
export interface Alert {
  /** Stable hash of the sorted label set (including alertname and severity), 16 hex digits. */
  readonly fingerprint: string;
  readonly status: 'firing' | 'resolved';
  /** Includes `alertname` and `severity`. */
  readonly labels: Record<string, string>;
  /** summary, description, runbook_url ...: already templated, plain text. */
  readonly annotations: Record<string, string>;
  readonly startsAt: number;
  readonly endsAt?: number;
  readonly generatorURL?: string;
}

/** What one notification is about: alerts grouped by label names. */
export interface AlertGroup {
  readonly groupKey: string;
  readonly receiver: string;
  /** `firing` when any alert in the group fires. */
  readonly status: 'firing' | 'resolved';
  readonly groupLabels: Record<string, string>;
  readonly commonLabels: Record<string, string>;
  readonly commonAnnotations: Record<string, string>;
  readonly alerts: Alert[];
}

// ---------------------------------------------------------------------------------------------------------------
// Silences, maintenance windows, inhibition, escalation
// ---------------------------------------------------------------------------------------------------------------

/**
 * An Alertmanager matcher: `=` (isEqual, !isRegex), `!=`, `=~` (isRegex, isEqual), `!~`. Regexes are fully anchored
 * (`^(?:value)$`); a label the alert does not have matches as the empty string.
 */
export interface Matcher {
  readonly name: string;
  readonly value: string;
  readonly isRegex: boolean;
  /** Default `true`. */
  readonly isEqual?: boolean;
}

/** A silence: alerts matching every matcher are muted during `[startsAt, endsAt)`. */
export interface Silence {
  readonly id: string;
  readonly matchers: readonly Matcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly createdBy?: string;
  readonly comment?: string;
}

/**
 * When a recurring maintenance window opens, in its time zone: every day, or on the given weekdays
 * (0 = Sunday .. 6 = Saturday). `start` is wall-clock `HH:MM` (24-hour).
 */
export type MaintenanceRecurrence =
  | { readonly type: 'daily'; readonly start: string; readonly durationMs: number }
  | { readonly type: 'weekly'; readonly days: readonly number[]; readonly start: string; readonly durationMs: number };

/** A recurring maintenance window: matching alerts are muted while it is open. */
export interface MaintenanceWindow {
  readonly id: string;
  readonly name?: string;
  readonly matchers: readonly Matcher[];
  /** IANA time zone; default `UTC`. */
  readonly timeZone?: string;
  readonly recurrence: MaintenanceRecurrence;
  /** Optional bounds: the window only recurs inside this range. */
  readonly activeRange?: TimeRange;
}

/** Alias of {@link MaintenanceWindow} under a name that does not clash with the SLO engine's at the package root. */
export type AlertMaintenanceWindow = MaintenanceWindow;

/**
 * An inhibition rule (Alertmanager semantics): a firing alert matching `sourceMatchers` mutes every alert matching
 * `targetMatchers` that has the same values (missing = empty) for every label in `equal`. An alert never inhibits itself.
 */
export interface InhibitRule {
  readonly sourceMatchers: readonly Matcher[];
  readonly targetMatchers: readonly Matcher[];
  readonly equal?: readonly string[];
}

/** One step of an escalation policy. */
export interface EscalationStep {
  /** Receivers notified by this step. */
  readonly receivers: readonly string[];
  /** When this step starts, ms after the group started firing (step 0 normally 0; ascending). */
  readonly afterMs: number;
  /** Re-notify this step's receivers every this many ms while the group fires and is not acknowledged (0/absent: once). */
  readonly repeatIntervalMs?: number;
}

/** Re-notify after N minutes, then escalate to the next target. Acknowledging a group stops its escalation. */
export interface EscalationPolicy {
  readonly id: string;
  readonly steps: readonly EscalationStep[];
}

/** Grouping of alerts into notifications (an Alertmanager route, flattened). */
export interface GroupingOptions {
  /** Label names to group by; default `['alertname']`. `['...']` groups by all labels. */
  readonly groupBy?: readonly string[];
  /** Default receiver when a rule names none; default `default`. */
  readonly receiver?: string;
  /** Re-send a still-firing group after this long when no escalation policy applies; ms, default 4 hours. 0 = never. */
  readonly repeatIntervalMs?: number;
}

/** Everything the evaluator is built from. */
export interface AlertEvaluatorConfig {
  readonly rules: readonly AlertRule[];
  readonly grouping?: GroupingOptions;
  readonly silences?: readonly Silence[];
  readonly maintenanceWindows?: readonly MaintenanceWindow[];
  readonly inhibitRules?: readonly InhibitRule[];
  readonly escalationPolicies?: readonly EscalationPolicy[];
  /** Most history entries kept (oldest dropped first); default 10 000. */
  readonly historyLimit?: number;
  /** Prefix for `generatorURL` (the rule id is appended, URI-encoded). */
  readonly generatorUrlPrefix?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation input and output
// ---------------------------------------------------------------------------------------------------------------

/**
 * Data for one rule at one tick: the series the query returned (range data covering the reducer window, plus the
 * change window for `change` conditions), or the error the query failed with.
 */
export type RuleTickInput = { readonly series: readonly Series[] } | { readonly error: unknown };

/** Data for one tick, by rule id. A rule missing here has no data this tick. */
export type EvaluationInput = Readonly<Record<string, RuleTickInput>>;

/** State of one alert instance (rule × series label set × severity). */
export type AlertState = 'inactive' | 'pending' | 'firing' | 'resolved';

/** Why an instance is active this tick. */
export type ActiveReason = 'condition' | 'no-data' | 'error';

/** The current state of one alert instance. */
export interface AlertInstance {
  readonly fingerprint: string;
  readonly ruleId: string;
  readonly severity: AlertSeverity;
  /** Final labels (series labels + rule labels + alertname + severity). */
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly state: AlertState;
  /** The reduced / condition value at the last tick (NaN never appears: `null` for none). */
  readonly value: number | null;
  /** When the condition became active (pending started). */
  readonly activeAt: number | null;
  /** When the alert started firing. */
  readonly firedAt: number | null;
  /** When it resolved (state `resolved`). */
  readonly resolvedAt: number | null;
  /** Ids of the silences and maintenance windows muting it now. */
  readonly silencedBy: readonly string[];
  /** Fingerprints of the alerts inhibiting it now. */
  readonly inhibitedBy: readonly string[];
  readonly acknowledged: boolean;
  readonly reason: ActiveReason | null;
}

/** One state change of one instance. */
export interface AlertTransition {
  readonly time: number;
  readonly ruleId: string;
  readonly fingerprint: string;
  readonly severity: AlertSeverity;
  readonly labels: Record<string, string>;
  readonly from: AlertState;
  readonly to: AlertState;
  readonly value: number | null;
  readonly reason: ActiveReason | null;
}

/** An alert history entry is a transition. */
export type AlertHistoryEntry = AlertTransition;

/** Why a notification is sent. */
export type NotificationReason = 'firing' | 'resolved' | 'repeat' | 'escalation';

/** A notification the host should deliver (for example through `@vigil/core/notify`). */
export interface AlertNotification {
  readonly time: number;
  readonly receiver: string;
  readonly reason: NotificationReason;
  /** Escalation step index (0 when no policy applies). */
  readonly step: number;
  readonly group: AlertGroup;
}

/** A rule whose query failed or whose data was malformed this tick. */
export interface RuleEvaluationError {
  readonly ruleId: string;
  readonly message: string;
  readonly code: string;
}

/** What one `evaluate(now, data)` produced. */
export interface EvaluationResult {
  readonly time: number;
  /** Alerts that are firing (not silenced/inhibited) or resolved this tick, in fingerprint order. */
  readonly alerts: Alert[];
  /** The alerts grouped; muted alerts are left out. */
  readonly groups: AlertGroup[];
  readonly notifications: AlertNotification[];
  readonly transitions: AlertTransition[];
  readonly errors: RuleEvaluationError[];
}

/** Persisted evaluator state: JSON-safe and versioned; `restore` validates it. */
export interface AlertEvaluatorSnapshot {
  readonly version: 1;
  readonly savedAt: number;
  readonly instances: readonly SnapshotInstance[];
  readonly history: readonly AlertHistoryEntry[];
  readonly silences: readonly Silence[];
  /** Group keys acknowledged, with the time. */
  readonly acknowledgements: readonly { readonly groupKey: string; readonly time: number }[];
  readonly groups: readonly SnapshotGroup[];
}

/** One instance in a snapshot. */
export interface SnapshotInstance {
  readonly ruleId: string;
  readonly seriesKey: string;
  readonly severity: AlertSeverity;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly state: AlertState;
  readonly value: number | null;
  readonly activeAt: number | null;
  readonly firedAt: number | null;
  readonly resolvedAt: number | null;
  readonly keepFiringSince: number | null;
  readonly cooldownUntil: number | null;
  readonly reason: ActiveReason | null;
}

/** Notification bookkeeping of one group in a snapshot. */
export interface SnapshotGroup {
  readonly groupKey: string;
  readonly firingSince: number;
  readonly lastNotifiedAt: number;
  /** Next escalation step to start (index). */
  readonly nextStep: number;
  /** Last notification time per active step. */
  readonly stepNotifiedAt: readonly number[];
  /** Fingerprints of the firing alerts last notified. */
  readonly notified?: readonly string[];
  /** Receivers notified so far (they get the resolved notification). */
  readonly receivers?: readonly string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Backtest
// ---------------------------------------------------------------------------------------------------------------

/** History to backtest one rule on. */
export interface BacktestInput {
  /** The series the rule's query returned over the whole range (plus the lookback before `range.start`). */
  readonly series: readonly Series[];
  /** Ticks run at `range.start`, `range.start + intervalMs`, ... up to and including `range.end`. */
  readonly range: TimeRange;
  /** Evaluation interval in ms, > 0. Default: the rule's `query.stepMs` (60 000). */
  readonly intervalMs?: number;
  /** Most ticks allowed (guards against freezes); default 1 000 000. */
  readonly maxTicks?: number;
  /**
   * Also return the condition value of each series at every tick (`BacktestResult.values`): what the rule compared
   * with its thresholds, such as the 5-minute average or the change in percent. Default false.
   */
  readonly includeValues?: boolean;
}

/** One "would have fired" (or pending) interval of one instance: `[start, end)`; `end` null while still open at the last tick. */
export interface BacktestInterval {
  readonly fingerprint: string;
  readonly severity: AlertSeverity;
  readonly labels: Record<string, string>;
  readonly start: number;
  readonly end: number | null;
  /** Highest condition value seen in the interval (for markers); null when none. */
  readonly peakValue: number | null;
}

/** What `backtest` returns. */
export interface BacktestResult {
  readonly ruleId: string;
  readonly ticks: number;
  /** Intervals in which alerts would have fired, by start then fingerprint. */
  readonly firing: BacktestInterval[];
  /**
   * Active intervals: from the tick the condition became true (pending) until the alert resolved or went back to
   * inactive, so for alerts that fired they span the pending and the firing time.
   */
  readonly pending: BacktestInterval[];
  /** Every state change, in time order. */
  readonly transitions: AlertTransition[];
  /**
   * With `includeValues`: per input series (in input order, labels without `__name__`), the condition value at each
   * tick, NaN where the rule saw no data. For `absent` rules, one series with empty labels: 1 where the rule's
   * condition held (no data), NaN elsewhere.
   */
  readonly values?: Series[];
}

// ---------------------------------------------------------------------------------------------------------------
// Prometheus export
// ---------------------------------------------------------------------------------------------------------------

/** A rule (or a part of it) that Prometheus alerting rules cannot express. */
export interface UnexportableRule {
  readonly ruleId: string;
  /** Field path of the feature, such as `rules[2].condition.warning.recovery`. */
  readonly path: string;
  readonly reason: string;
}

/** What `exportPrometheusRules` returns. */
export interface PrometheusExport {
  /** The rule file as YAML text (`promtool check rules` accepts it). */
  readonly yaml: string;
  /** Ids of the rules exported (one Prometheus rule per severity). */
  readonly exported: readonly string[];
  readonly unexportable: readonly UnexportableRule[];
}

// ---------------------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------------------

/** One problem found by `validateRules`. */
export interface RuleProblem {
  /** Field path, such as `rules[2].condition.critical.value`. */
  readonly path: string;
  readonly message: string;
}

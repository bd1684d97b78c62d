/**
 * The alerting engine: rules (query, reducer, condition, hysteresis, `for`, keep-firing-for, no-data and error
 * handling, safe templates), a deterministic evaluator (state machine per series and label set, grouping,
 * silences, maintenance windows, inhibition, escalation, history, snapshot/restore), backtesting and Prometheus
 * rule export. Pure functions over columnar data; no dependencies. See docs/alerting.md.
 */
export type * from './types';
export { ALERT_SEVERITIES, ALERT_REDUCER_TYPES, THRESHOLD_OPERATORS, ALERT_CONDITION_TYPES, NO_DATA_BEHAVIORS } from './types';
export { validateRule, validateRules, assertValidRule, MAX_RULE_DURATION_MS } from './validate';
export { parseTemplate, renderTemplate, humanize, humanizeDuration, TEMPLATE_SOURCE_MAX, TEMPLATE_OUTPUT_MAX, TEMPLATE_ACTIONS_MAX } from './template';
export type { Template, TemplateContext, TemplateFilter, TemplatePart } from './template';
export { alertFingerprint, compileMatcher, compileMatchers, labelValue, matchesAll } from './labels';
export type { CompiledMatcher } from './labels';
export { isMaintenanceWindowOpen } from './maintenance';
export { AlertEvaluator, createAlertEvaluator } from './evaluator';
export { backtest } from './backtest';
export { exportPrometheusRules } from './prometheus';
export type { PrometheusExportOptions } from './prometheus';
export { evaluateFromSource } from './source';
export type { EvaluateFromSourceOptions } from './source';

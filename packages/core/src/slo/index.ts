/**
 * The SLO engine: definitions (TypeScript and OpenSLO v1), SLI events, error budgets, burn rates, exhaustion,
 * status, compliance reports, multi-window multi-burn-rate alerting and Prometheus rule generation.
 * Pure functions over columnar data; no dependencies. See docs/slo.md.
 */
export type * from './types';
export { defineSLO, resolveAlertPolicy, SLOValidationError, SRE_WORKBOOK_POLICY } from './define';
export {
  counterDeltas,
  eventsFromClassicHistogram,
  eventsFromCounts,
  eventsFromLatencySamples,
  eventsFromNativeHistograms,
  eventsFromProbes,
  eventsFromSeries,
  validateEvents,
} from './events';
export type { ClassicBucket, CountKind, CountsInput, NativeHistogramSample, SeriesCountsInput, SLIEvents, BucketOptions } from './events';
export { burnRate, evaluateSLO, formatBudgetTime } from './evaluate';
export type { BudgetAmount, BurnRate, ErrorBudget, EvaluateOptions, Exhaustion, SLOStatus, SLOStatusLevel } from './evaluate';
export { complianceReport, evaluateAlertHistory, sloTimeline } from './history';
export type { AlertInterval, CompliancePeriod, ComplianceReport, HistoryOptions, SLOTimeline } from './history';
export { buildSelector, errorRatioRuleName, escapePromQLString, generatePrometheusRules, prometheusRuleGroups, writeRuleFile, yamlString } from './prometheus';
export type { PrometheusRule, PrometheusRuleGroup, RuleOptions } from './prometheus';
export { parseOpenSLO } from './openslo';
export type { OpenSLODataSource, OpenSLOResult, OpenSLOService } from './openslo';

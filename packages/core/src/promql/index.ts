/**
 * PromQL and Prometheus rule-file text, shared by the engines that generate rules (SLO, alerting) and by the
 * adapters: label-value escaping, selectors, and a deterministic YAML writer. A lower layer: it imports nothing.
 */
export type { LabelMatcher } from './types';
export { buildSelector, escapePromQLString } from './escape';
export { writeRuleFile, yamlString } from './rules';
export type { PrometheusRule, PrometheusRuleGroup } from './rules';

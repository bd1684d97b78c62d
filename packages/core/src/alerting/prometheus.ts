import { ValidationError } from '../errors';
import { writeRuleFile } from '../promql/rules';
import type { PrometheusRule, PrometheusRuleGroup } from '../promql/rules';
import { formatDuration } from '../series/duration';
import type { Template } from './template';
import type { AlertRule, PrometheusExport, UnexportableRule } from './types';
import { compileRule } from './validate';
import type { CompiledLevel, CompiledRule } from './validate';

/** Options of {@link exportPrometheusRules}. */
export interface PrometheusExportOptions {
  /** Prefix of the rule group names (one group per evaluation interval); default `vigil-alerts`. */
  readonly groupName?: string;
}

/** A plain PromQL series selector: `metric`, `metric{...}` or `{...}` (label values in double quotes, escapes allowed). */
const SELECTOR = /^\s*(?:[a-zA-Z_:][a-zA-Z0-9_:]*\s*)?(?:\{(?:[^{}"]|"(?:[^"\\]|\\.)*")*\})?\s*$/;

function isSelector(expr: string): boolean {
  return expr.trim() !== '' && SELECTOR.test(expr);
}

const OVER_TIME: Partial<Record<CompiledRule['reducer'], string>> = {
  avg: 'avg_over_time',
  min: 'min_over_time',
  max: 'max_over_time',
  sum: 'sum_over_time',
  count: 'count_over_time',
  last: 'last_over_time',
};

/** PromQL number literal (Go's ParseFloat accepts JavaScript's shortest round-trip form). */
function promNumber(value: number): string {
  return String(value);
}

/** The range part `expr[w]` (selector) or `(expr)[w:step]` (subquery), with an optional offset. */
function rangeOf(rule: CompiledRule, offsetMs: number): string {
  const expr = rule.rule.query.expr.trim();
  const window = formatDuration(rule.windowMs);
  const offset = offsetMs > 0 ? ` offset ${formatDuration(offsetMs)}` : '';
  return isSelector(expr) ? `${expr}[${window}]${offset}` : `(${expr})[${window}:${formatDuration(rule.stepMs)}]${offset}`;
}

/** The reduced value as PromQL, optionally shifted back by `offsetMs`. */
function reducedExpr(rule: CompiledRule, offsetMs: number): string {
  const expr = rule.rule.query.expr.trim();
  if (rule.reducer === 'last' && rule.windowMs === 300_000) {
    if (offsetMs === 0) return isSelector(expr) ? expr : `(${expr})`;
    return isSelector(expr) ? `${expr} offset ${formatDuration(offsetMs)}` : `last_over_time(${rangeOf(rule, offsetMs)})`;
  }
  if (rule.reducer === 'percentile') return `quantile_over_time(${promNumber(rule.quantile)}, ${rangeOf(rule, offsetMs)})`;
  if (rule.reducer === 'rate') return `rate(${rangeOf(rule, offsetMs)})`;
  return `${OVER_TIME[rule.reducer] as string}(${rangeOf(rule, offsetMs)})`;
}

function conditionExpr(rule: CompiledRule, level: CompiledLevel): string {
  switch (rule.conditionType) {
    case 'absent': {
      const expr = rule.rule.query.expr.trim();
      if (rule.reducer === 'last' && rule.windowMs === 300_000 && isSelector(expr)) return `absent(${expr})`;
      return `absent_over_time(${rangeOf(rule, 0)})`;
    }
    case 'change': {
      const now = reducedExpr(rule, 0);
      const before = reducedExpr(rule, rule.changeWindowMs);
      const difference = rule.changeSign > 0 ? `${now} - ${before}` : `${before} - ${now}`;
      return `(${difference}) / abs(${before} != 0) * 100 > ${promNumber(level.value)}`;
    }
    case 'burnRate':
      return `${reducedExpr(rule, 0)} > ${promNumber(level.value)}`;
    case 'threshold':
      return `${reducedExpr(rule, 0)} ${level.operator} ${promNumber(level.value)}`;
  }
}

/**
 * A Vigil template as a Go template for Prometheus: text is copied (it cannot contain `{{`: the parser took every
 * `{{` as an action), `$value`/`$labels.x` and the filters map to Prometheus' template functions, and `$severity`
 * / `$rule` become the literal (validated) severity and alert name.
 */
function goTemplate(template: Template, rule: CompiledRule, level: CompiledLevel): string {
  let out = '';
  for (const part of template.parts) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    const operand = part.operand;
    if (operand.kind === 'severity' || operand.kind === 'rule') {
      let text = operand.kind === 'severity' ? level.severity : rule.name;
      for (const filter of part.filters) text = filter === 'toUpper' ? text.toUpperCase() : filter === 'toLower' ? text.toLowerCase() : text;
      out += text;
      continue;
    }
    const head = operand.kind === 'value' ? '$value' : `$labels.${operand.name}`;
    out += `{{ ${[head, ...part.filters].join(' | ')} }}`;
  }
  return out;
}

function reasonsNotExpressible(rule: CompiledRule, path: string): UnexportableRule[] {
  const reasons: UnexportableRule[] = [];
  const add = (field: string, reason: string): void => {
    reasons.push({ ruleId: rule.id, path: `${path}${field}`, reason });
  };
  if (rule.rule.enabled === false) add('.enabled', 'the rule is disabled');
  if (rule.noData !== 'ok') add('.noData', `Prometheus resolves alerts whose series disappear; noData '${rule.noData}' has no equivalent (use an absent rule)`);
  if (rule.onError !== 'keep-last') add('.onError', `Prometheus keeps alert state when an evaluation fails; onError '${rule.onError}' has no equivalent`);
  if (rule.cooldownMs > 0) add('.cooldownMs', 'Prometheus alerting rules have no cooldown');
  for (const level of rule.levels) {
    if (rule.conditionType !== 'absent' && level.recovery !== level.value) {
      add(`.condition.${level.severity}.recovery`, 'a recovery threshold (hysteresis) cannot be expressed in one Prometheus alerting rule');
    }
  }
  const expr = rule.rule.query.expr.trim();
  if (rule.reducer === 'rate' && !isSelector(expr)) add('.query.expr', 'rate() needs a plain series selector; the query is an expression');
  return reasons;
}

/**
 * Exports rules as a Prometheus alerting-rule file where they can be expressed: the query and reducer become
 * PromQL (`avg_over_time`, `quantile_over_time`, `rate`, `last_over_time`, a subquery when the query is not a plain
 * selector), the condition a comparison (`change` as a percent against an `offset`, `absent` as `absent()` /
 * `absent_over_time()`), each severity level its own rule with a `severity` label, `forMs` becomes `for` and
 * `keepFiringForMs` `keep_firing_for` (Prometheus 2.42+). Templates become Go templates. Rules using what Prometheus
 * cannot express (hysteresis, cooldown, no-data alerting, error handling other than keep-last, disabled) are left
 * out and listed in `unexportable` with the field path and the reason. Rules are grouped by evaluation interval
 * (`query.stepMs`). Output is deterministic.
 *
 * Known differences: Prometheus before 3.0 includes a sample exactly at the window's left edge (Vigil's windows are
 * left-open, as in 3.0); `count` over an empty window is 0 in Vigil and no series in Prometheus; `absent()` takes its
 * labels from the selector's equality matchers, Vigil's absent alert has only the rule's labels.
 *
 * @throws ValidationError for invalid rules (the same paths as `validateRules`).
 * @example
 * const { yaml, unexportable } = exportPrometheusRules([cpuRule, latencyRule]);
 * fs.writeFileSync('vigil.rules.yml', yaml); // then: promtool check rules vigil.rules.yml
 */
export function exportPrometheusRules(rules: readonly AlertRule[], options: PrometheusExportOptions = {}): PrometheusExport {
  if (!Array.isArray(rules)) throw new ValidationError('rules', 'an array of alert rules', rules);
  const prefix = options.groupName ?? 'vigil-alerts';
  if (typeof prefix !== 'string' || prefix === '' || prefix.length > 200) throw new ValidationError('options.groupName', 'a non-empty name of at most 200 characters', prefix);
  const seen = new Set<string>();
  const compiled = rules.map((rule, i) => {
    const c = compileRule(rule, `rules[${i}]`);
    if (seen.has(c.id)) throw new ValidationError(`rules[${i}].id`, 'a unique rule id', c.id);
    seen.add(c.id);
    return c;
  });
  const unexportable: UnexportableRule[] = [];
  const exported: string[] = [];
  const groups = new Map<number, PrometheusRule[]>();
  compiled.forEach((rule, i) => {
    const reasons = reasonsNotExpressible(rule, `rules[${i}]`);
    if (reasons.length > 0) {
      unexportable.push(...reasons);
      return;
    }
    exported.push(rule.id);
    let list = groups.get(rule.stepMs);
    if (list === undefined) groups.set(rule.stepMs, (list = []));
    for (const level of [...rule.levels].reverse()) {
      const labels: Record<string, string> = {};
      for (const [name, template] of rule.labels) labels[name] = goTemplate(template, rule, level);
      labels.severity = level.severity;
      const annotations: Record<string, string> = {};
      for (const [name, template] of rule.annotations) annotations[name] = goTemplate(template, rule, level);
      if (rule.runbookUrl !== undefined) annotations.runbook_url = rule.runbookUrl;
      const promRule: { -readonly [K in keyof PrometheusRule]: PrometheusRule[K] } = { alert: rule.name, expr: conditionExpr(rule, level), labels, annotations };
      if (rule.forMs > 0) promRule.for = formatDuration(rule.forMs);
      if (rule.keepFiringForMs > 0) promRule.keepFiringFor = formatDuration(rule.keepFiringForMs);
      list.push(promRule);
    }
  });
  const ruleGroups: PrometheusRuleGroup[] = [...groups.keys()]
    .sort((a, b) => a - b)
    .map((stepMs) => ({ name: `${prefix}-${formatDuration(stepMs)}`, interval: formatDuration(stepMs), rules: groups.get(stepMs) as PrometheusRule[] }));
  const yaml = writeRuleFile(ruleGroups, '# Generated by Vigil (@vigil/core/alerting). Do not edit by hand; regenerate from the alert rules.');
  return { yaml, exported, unexportable };
}

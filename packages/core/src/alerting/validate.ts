import { ValidationError, describeValue } from '../errors';
import { LABEL_NAME_PATTERN } from './labels';
import { parseTemplate } from './template';
import type { Template } from './template';
import { ALERT_CONDITION_TYPES, ALERT_REDUCER_TYPES, ALERT_SEVERITIES, NO_DATA_BEHAVIORS, THRESHOLD_OPERATORS } from './types';
import type { AlertRule, AlertSeverity, NoDataBehavior, RuleProblem, ThresholdOperator } from './types';

/** Longest duration a rule field may hold: one year. */
export const MAX_RULE_DURATION_MS = 365 * 86_400_000;
const RULE_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
const MAX_LABELS = 64;
const MAX_QUERY_LENGTH = 16_384;

/** One severity level of a compiled rule. */
export interface CompiledLevel {
  readonly severity: AlertSeverity;
  /** Operator applied to the condition value (`absent` levels ignore it). */
  readonly operator: ThresholdOperator;
  readonly value: number;
  readonly recovery: number;
}

/** A rule with every default resolved and every template parsed; what the evaluator and backtest run. */
export interface CompiledRule {
  readonly rule: AlertRule;
  readonly id: string;
  readonly name: string;
  readonly stepMs: number;
  readonly reducer: 'last' | 'avg' | 'min' | 'max' | 'sum' | 'count' | 'percentile' | 'rate';
  readonly windowMs: number;
  /** For percentile, in [0, 1]. */
  readonly quantile: number;
  readonly conditionType: 'threshold' | 'change' | 'burnRate' | 'absent';
  /** For change: +1 (up) or -1 (down). */
  readonly changeSign: number;
  readonly changeWindowMs: number;
  /** Levels, lowest severity first. */
  readonly levels: readonly CompiledLevel[];
  readonly forMs: number;
  readonly keepFiringForMs: number;
  readonly cooldownMs: number;
  readonly noData: NoDataBehavior;
  readonly onError: NoDataBehavior;
  readonly labels: readonly (readonly [string, Template])[];
  readonly annotations: readonly (readonly [string, Template])[];
  readonly runbookUrl: string | undefined;
  readonly receiver: string | undefined;
  readonly escalationPolicy: string | undefined;
  /** How much data before a tick the rule reads: the reducer window plus the change window. */
  readonly lookbackMs: number;
  /**
   * A threshold rule on `avg`, `min`, `max` or a percentile with an ordered operator: its value lies between the
   * window's extremes, so a window without a sample past the threshold cannot pass (see `windowCannotPass`).
   */
  readonly decidable: boolean;
}

class Problems {
  readonly list: { path: string; expected: string; received: unknown }[] = [];
  add(path: string, expected: string, received: unknown): void {
    this.list.push({ path, expected, received });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function duration(problems: Problems, value: unknown, path: string, positive: boolean): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < (positive ? 1 : 0) || value > MAX_RULE_DURATION_MS) {
    problems.add(path, `a whole number of milliseconds in [${positive ? 1 : 0}, ${MAX_RULE_DURATION_MS}]`, value);
    return positive ? 1 : 0;
  }
  return value;
}

function templates(problems: Problems, value: unknown, path: string, isLabels: boolean): [string, Template][] {
  if (value === undefined) return [];
  if (!isObject(value)) {
    problems.add(path, 'an object of names to template strings', value);
    return [];
  }
  const names = Object.keys(value);
  if (names.length > MAX_LABELS) problems.add(path, `at most ${MAX_LABELS} entries`, value);
  const out: [string, Template][] = [];
  for (const name of names.sort()) {
    const entryPath = `${path}.${name}`;
    if (!LABEL_NAME_PATTERN.test(name) || name.startsWith('__')) {
      problems.add(entryPath, 'a name matching [a-zA-Z_][a-zA-Z0-9_]* not starting with __', name);
      continue;
    }
    if (isLabels && (name === 'alertname' || name === 'severity')) {
      problems.add(entryPath, 'a label other than alertname and severity (the engine sets those)', name);
      continue;
    }
    try {
      const template = parseTemplate(value[name] as string, entryPath);
      if (isLabels && template.parts.some((part) => part.kind === 'action' && part.operand.kind === 'value')) {
        problems.add(entryPath, 'a label template without $value (a label is part of the alert identity; put values in annotations)', value[name]);
        continue;
      }
      out.push([name, template]);
    } catch (error) {
      if (error instanceof ValidationError) problems.add(error.path, error.expected, value[name]);
      else throw error;
    }
  }
  return out;
}

/** A receiver or policy name: absent, or a non-empty string of at most 256 characters. */
function optionalName(problems: Problems, value: unknown, path: string): void {
  if (value !== undefined && (typeof value !== 'string' || value === '' || value.length > 256)) problems.add(path, 'a non-empty string of at most 256 characters', value);
}

function threshold(problems: Problems, value: unknown, path: string, operator: ThresholdOperator): { value: number; recovery: number } | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    problems.add(path, 'a threshold { value, recovery? }', value);
    return undefined;
  }
  const v = value.value;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    problems.add(`${path}.value`, 'a finite number', v);
    return undefined;
  }
  const recovery = value.recovery;
  if (recovery === undefined) return { value: v, recovery: v };
  if (typeof recovery !== 'number' || !Number.isFinite(recovery)) {
    problems.add(`${path}.recovery`, 'a finite number', recovery);
    return undefined;
  }
  if (operator === '==' || operator === '!=') {
    problems.add(`${path}.recovery`, `no recovery threshold with operator ${operator}`, recovery);
    return undefined;
  }
  const above = operator === '>' || operator === '>=';
  if (above ? recovery > v : recovery < v) {
    problems.add(`${path}.recovery`, `a number ${above ? '<=' : '>='} the threshold value ${v} (operator ${operator})`, recovery);
    return undefined;
  }
  return { value: v, recovery };
}

function collect(rule: unknown, path: string, problems: Problems): CompiledRule | undefined {
  if (!isObject(rule)) {
    problems.add(path, 'an alert rule object', rule);
    return undefined;
  }
  const before = problems.list.length;
  if (typeof rule.id !== 'string' || !RULE_ID_PATTERN.test(rule.id)) problems.add(`${path}.id`, 'an id of 1-128 letters, digits, _ . : -', rule.id);
  if (typeof rule.name !== 'string' || rule.name.length > 128 || !LABEL_NAME_PATTERN.test(rule.name)) problems.add(`${path}.name`, 'an alert name matching [a-zA-Z_][a-zA-Z0-9_]* (at most 128 characters)', rule.name);
  if (rule.description !== undefined && (typeof rule.description !== 'string' || rule.description.length > 4096)) problems.add(`${path}.description`, 'a string of at most 4096 characters', rule.description);
  if (rule.enabled !== undefined && typeof rule.enabled !== 'boolean') problems.add(`${path}.enabled`, 'a boolean', rule.enabled);

  let stepMs = 60_000;
  if (!isObject(rule.query)) problems.add(`${path}.query`, 'a query { expr, stepMs? }', rule.query);
  else {
    const expr = rule.query.expr;
    if (typeof expr !== 'string' || expr.trim() === '' || expr.length > MAX_QUERY_LENGTH) problems.add(`${path}.query.expr`, `a non-empty query of at most ${MAX_QUERY_LENGTH} characters`, expr);
    if (rule.query.stepMs !== undefined) stepMs = duration(problems, rule.query.stepMs, `${path}.query.stepMs`, true);
  }

  let reducer: CompiledRule['reducer'] = 'last';
  let windowMs = 300_000;
  let quantile = 0;
  if (rule.reducer !== undefined) {
    if (!isObject(rule.reducer)) problems.add(`${path}.reducer`, 'a reducer { type, windowMs?, percentile? }', rule.reducer);
    else {
      const type = rule.reducer.type;
      if (!ALERT_REDUCER_TYPES.includes(type as CompiledRule['reducer'])) problems.add(`${path}.reducer.type`, `one of ${ALERT_REDUCER_TYPES.join(', ')}`, type);
      else reducer = type as CompiledRule['reducer'];
      if (rule.reducer.windowMs !== undefined) windowMs = duration(problems, rule.reducer.windowMs, `${path}.reducer.windowMs`, true);
      const percentile = rule.reducer.percentile;
      if (reducer === 'percentile') {
        if (typeof percentile !== 'number' || !(percentile > 0 && percentile <= 100)) problems.add(`${path}.reducer.percentile`, 'a percentile in (0, 100] such as 95 or 99.9', percentile);
        else quantile = percentile / 100;
      } else if (percentile !== undefined) problems.add(`${path}.reducer.percentile`, 'no percentile unless type is percentile', percentile);
    }
  }

  const severity = (rule.severity ?? 'critical') as AlertSeverity;
  if (!ALERT_SEVERITIES.includes(severity)) problems.add(`${path}.severity`, `one of ${ALERT_SEVERITIES.join(', ')}`, rule.severity);

  let conditionType: CompiledRule['conditionType'] = 'threshold';
  let changeSign = 1;
  let changeWindowMs = 0;
  const levels: CompiledLevel[] = [];
  const condition = rule.condition;
  if (!isObject(condition)) problems.add(`${path}.condition`, `a condition with type ${ALERT_CONDITION_TYPES.join(', ')}`, condition);
  else if (!ALERT_CONDITION_TYPES.includes(condition.type as CompiledRule['conditionType'])) problems.add(`${path}.condition.type`, `one of ${ALERT_CONDITION_TYPES.join(', ')}`, condition.type);
  else {
    conditionType = condition.type as CompiledRule['conditionType'];
    if (conditionType === 'absent') {
      levels.push({ severity, operator: '>', value: 0, recovery: 0 });
    } else {
      let operator: ThresholdOperator = '>';
      if (conditionType === 'threshold') {
        if (!THRESHOLD_OPERATORS.includes(condition.operator as ThresholdOperator)) problems.add(`${path}.condition.operator`, `one of ${THRESHOLD_OPERATORS.join(' ')}`, condition.operator);
        else operator = condition.operator as ThresholdOperator;
      }
      if (conditionType === 'change') {
        if (condition.direction !== 'up' && condition.direction !== 'down') problems.add(`${path}.condition.direction`, "'up' or 'down'", condition.direction);
        changeSign = condition.direction === 'down' ? -1 : 1;
        changeWindowMs = duration(problems, condition.windowMs, `${path}.condition.windowMs`, true);
      }
      const warning = threshold(problems, condition.warning, `${path}.condition.warning`, operator);
      const critical = threshold(problems, condition.critical, `${path}.condition.critical`, operator);
      if (condition.warning === undefined && condition.critical === undefined) problems.add(`${path}.condition`, 'a warning or a critical threshold (or both)', condition);
      // Literals with every field (not a spread): one V8 map for all levels, shared by the evaluator's hot reads.
      if (warning !== undefined) levels.push({ severity: 'warning', operator, value: warning.value, recovery: warning.recovery });
      if (critical !== undefined) levels.push({ severity: 'critical', operator, value: critical.value, recovery: critical.recovery });
    }
  }

  const forMs = rule.forMs === undefined ? 0 : duration(problems, rule.forMs, `${path}.forMs`, false);
  const keepFiringForMs = rule.keepFiringForMs === undefined ? 0 : duration(problems, rule.keepFiringForMs, `${path}.keepFiringForMs`, false);
  const cooldownMs = rule.cooldownMs === undefined ? 0 : duration(problems, rule.cooldownMs, `${path}.cooldownMs`, false);
  const noData = (rule.noData ?? 'ok') as NoDataBehavior;
  if (!NO_DATA_BEHAVIORS.includes(noData)) problems.add(`${path}.noData`, `one of ${NO_DATA_BEHAVIORS.join(', ')}`, rule.noData);
  const onError = (rule.onError ?? 'keep-last') as NoDataBehavior;
  if (!NO_DATA_BEHAVIORS.includes(onError)) problems.add(`${path}.onError`, `one of ${NO_DATA_BEHAVIORS.join(', ')}`, rule.onError);
  const labels = templates(problems, rule.labels, `${path}.labels`, true);
  const annotations = templates(problems, rule.annotations, `${path}.annotations`, false);
  const runbookUrl = rule.runbookUrl;
  if (runbookUrl !== undefined && (typeof runbookUrl !== 'string' || runbookUrl.length > 2048 || !/^https?:\/\/[^\s]+$/i.test(runbookUrl))) {
    problems.add(`${path}.runbookUrl`, 'an http(s):// URL of at most 2048 characters without spaces', runbookUrl);
  }
  optionalName(problems, rule.receiver, `${path}.receiver`);
  optionalName(problems, rule.escalationPolicy, `${path}.escalationPolicy`);
  if (problems.list.length > before) return undefined;
  return {
    rule: rule as unknown as AlertRule,
    id: rule.id as string,
    name: rule.name as string,
    stepMs,
    reducer,
    windowMs,
    quantile,
    conditionType,
    changeSign,
    changeWindowMs,
    levels,
    forMs,
    keepFiringForMs,
    cooldownMs,
    noData,
    onError,
    labels,
    annotations,
    runbookUrl: runbookUrl as string | undefined,
    receiver: rule.receiver as string | undefined,
    escalationPolicy: rule.escalationPolicy as string | undefined,
    lookbackMs: windowMs + changeWindowMs,
    decidable:
      conditionType === 'threshold' &&
      (reducer === 'avg' || reducer === 'min' || reducer === 'max' || reducer === 'percentile') &&
      levels.length > 0 &&
      ['>', '>=', '<', '<='].includes((levels[0] as CompiledLevel).operator),
  };
}

function toProblem(p: { path: string; expected: string; received: unknown }): RuleProblem {
  return { path: p.path, message: `${p.path}: expected ${p.expected}, received ${describeValue(p.received)}` };
}

/**
 * Checks one rule and returns every problem found (an empty array when the rule is valid), each naming the field
 * path (`rule.condition.critical.recovery`). Never throws: suited to inline validation in a form.
 *
 * @example
 * validateRule({ id: 'x', name: 'X', query: { expr: 'up' }, condition: { type: 'threshold', operator: '>' } });
 * // [{ path: 'rule.condition', message: 'rule.condition: expected a warning or a critical threshold (or both), ...' }]
 */
export function validateRule(rule: unknown, path = 'rule'): RuleProblem[] {
  const problems = new Problems();
  collect(rule, path, problems);
  return problems.list.map(toProblem);
}

/**
 * Checks a list of rules (also that ids are unique) and returns every problem, with paths like `rules[2].forMs`.
 *
 * @example
 * validateRules([ruleA, { ...ruleA }]); // [{ path: 'rules[1].id', message: 'rules[1].id: expected a unique rule id, ...' }]
 */
export function validateRules(rules: unknown, path = 'rules'): RuleProblem[] {
  const problems = new Problems();
  collectAll(rules, path, problems);
  return problems.list.map(toProblem);
}

function collectAll(rules: unknown, path: string, problems: Problems): CompiledRule[] {
  if (!Array.isArray(rules)) {
    problems.add(path, 'an array of alert rules', rules);
    return [];
  }
  const seen = new Set<string>();
  const compiled: CompiledRule[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = collect(rules[i], `${path}[${i}]`, problems);
    if (rule === undefined) continue;
    if (seen.has(rule.id)) {
      problems.add(`${path}[${i}].id`, 'a unique rule id', rule.id);
      continue;
    }
    seen.add(rule.id);
    compiled.push(rule);
  }
  return compiled;
}

/**
 * Compiles one rule (defaults resolved, templates parsed), or throws a ValidationError for the first problem.
 * @internal
 */
export function compileRule(rule: AlertRule, path = 'rule'): CompiledRule {
  const problems = new Problems();
  const compiled = collect(rule, path, problems);
  const first = problems.list[0];
  if (first !== undefined || compiled === undefined) throw new ValidationError(first?.path ?? path, first?.expected ?? 'a valid alert rule', first?.received ?? rule);
  return compiled;
}

/**
 * Compiles a list of rules, or throws a ValidationError for the first problem (path `rules[i]...`).
 * @internal
 */
export function compileRules(rules: readonly AlertRule[], path = 'rules'): CompiledRule[] {
  const problems = new Problems();
  const compiled = collectAll(rules, path, problems);
  const first = problems.list[0];
  if (first !== undefined) throw new ValidationError(first.path, first.expected, first.received);
  return compiled;
}

/**
 * Throws a ValidationError naming the first bad field of `rule`, or returns the rule.
 *
 * @example
 * assertValidRule(rule); // the rule, or throws "rule.forMs: expected a whole number of milliseconds ..."
 */
export function assertValidRule(rule: unknown, path = 'rule'): AlertRule {
  return compileRule(rule as AlertRule, path).rule;
}

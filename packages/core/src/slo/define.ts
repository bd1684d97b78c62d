import { ValidationError, VigilError } from '../errors';
import { nominalWindowMs, normalizeWindow, parseWindowDuration, type TimeWindow } from '../windows';
import type { AlertPolicyInput, AlertTier, AlertTierInput, BudgetingMethod, LabelMatcher, MaintenanceWindow, MetricQuery, SLIDefinition, SLO, SLOInput } from './types';

/**
 * Thrown when a definition has problems. `issues` holds every one found (not just the first), each a
 * `ValidationError` with the field `path`, what was `expected` and what was `received`.
 */
export class SLOValidationError extends VigilError {
  readonly issues: readonly ValidationError[];

  constructor(issues: readonly ValidationError[], what = 'SLO definition') {
    const lines = issues.map((issue) => `  - ${issue.message}`).join('\n');
    super('INVALID_ARGUMENT', `${what} has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n${lines}`, { path: issues[0]?.path ?? '' });
    this.name = 'SLOValidationError';
    this.issues = issues;
  }
}

/** Collects validation issues instead of stopping at the first. @internal */
export class Issues {
  readonly list: ValidationError[] = [];

  add(path: string, expected: string, received: unknown): void {
    this.list.push(new ValidationError(path, expected, received));
  }

  /** Runs `check`; a ValidationError it throws is recorded and `fallback` returned. */
  try<T>(check: () => T, fallback: T): T {
    try {
      return check();
    } catch (error) {
      if (error instanceof SLOValidationError) {
        this.list.push(...error.issues);
        return fallback;
      }
      if (error instanceof ValidationError) {
        this.list.push(error);
        return fallback;
      }
      throw error;
    }
  }

  throwIfAny(what?: string): void {
    if (this.list.length > 0) throw new SLOValidationError(this.list, what);
  }
}

/** The Google SRE Workbook policy, as shares of the budget consumed over each long window. */
export const SRE_WORKBOOK_POLICY: AlertPolicyInput = Object.freeze({
  tiers: Object.freeze([
    Object.freeze({ severity: 'page', budgetConsumed: 0.02, longWindow: '1h', shortWindow: '5m' }),
    Object.freeze({ severity: 'page', budgetConsumed: 0.05, longWindow: '6h', shortWindow: '30m' }),
    Object.freeze({ severity: 'ticket', budgetConsumed: 0.1, longWindow: '1d', shortWindow: '2h' }),
    Object.freeze({ severity: 'ticket', budgetConsumed: 0.1, longWindow: '3d', shortWindow: '6h' }),
  ]),
});

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
const METRIC_PATTERN = /^[A-Za-z_:][A-Za-z0-9_:]*$/;
const LABEL_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const METHODS: readonly BudgetingMethod[] = ['Occurrences', 'Timeslices', 'RatioTimeslices'];

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function optionalString(issues: Issues, value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    issues.add(path, 'a string', value);
    return undefined;
  }
  return value;
}

function checkLabels(issues: Issues, labels: unknown, path: string): Record<string, string> {
  if (labels === undefined) return {};
  if (!isObject(labels)) {
    issues.add(path, 'an object of label names to string values', labels);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    if (!LABEL_PATTERN.test(key) || key.startsWith('__')) issues.add(`${path}.${key}`, 'a Prometheus label name ([A-Za-z_][A-Za-z0-9_]*, not starting with __)', key);
    else if (typeof value !== 'string') issues.add(`${path}.${key}`, 'a string', value);
    else out[key] = value;
  }
  return out;
}

function checkMatchers(issues: Issues, matchers: unknown, path: string): void {
  if (matchers === undefined) return;
  if (Array.isArray(matchers)) {
    matchers.forEach((m: unknown, i) => {
      if (!isObject(m)) return issues.add(`${path}[${i}]`, 'a matcher { label, op, value }', m);
      if (typeof m.label !== 'string' || !LABEL_PATTERN.test(m.label)) issues.add(`${path}[${i}].label`, 'a Prometheus label name', m.label);
      if (!['=', '!=', '=~', '!~'].includes(m.op as string)) issues.add(`${path}[${i}].op`, 'one of =, !=, =~, !~', m.op);
      if (typeof m.value !== 'string') issues.add(`${path}[${i}].value`, 'a string', m.value);
    });
    return;
  }
  if (!isObject(matchers)) return issues.add(path, 'an object of label equality matchers or an array of { label, op, value }', matchers);
  for (const [key, value] of Object.entries(matchers)) {
    if (!LABEL_PATTERN.test(key)) issues.add(`${path}.${key}`, 'a Prometheus label name', key);
    else if (typeof value !== 'string') issues.add(`${path}.${key}`, 'a string', value);
  }
}

function checkQuery(issues: Issues, query: unknown, path: string): MetricQuery | undefined {
  if (query === undefined) return undefined;
  if (!isObject(query)) {
    issues.add(path, 'a metric query { metric, matchers? } or { promql }', query);
    return undefined;
  }
  if ('promql' in query) {
    if (typeof query.promql !== 'string' || query.promql.trim() === '') issues.add(`${path}.promql`, 'a non-empty PromQL selector', query.promql);
    return { promql: query.promql as string };
  }
  if (typeof query.metric !== 'string' || !METRIC_PATTERN.test(query.metric)) issues.add(`${path}.metric`, 'a Prometheus metric name', query.metric);
  checkMatchers(issues, query.matchers, `${path}.matchers`);
  return query.matchers === undefined ? { metric: query.metric as string } : { metric: query.metric as string, matchers: copyMatchers(query.matchers) };
}

function copyMatchers(matchers: unknown): Record<string, string> | LabelMatcher[] {
  if (Array.isArray(matchers)) return matchers.map((m: LabelMatcher) => ({ label: m.label, op: m.op, value: m.value }));
  return { ...(matchers as Record<string, string>) };
}

function checkSLI(issues: Issues, sli: unknown, path: string): SLIDefinition {
  const fallback: SLIDefinition = { kind: 'ratio' };
  if (!isObject(sli)) {
    issues.add(path, 'an SLI { kind: "ratio" | "latency" | "availability", ... }', sli);
    return fallback;
  }
  switch (sli.kind) {
    case 'ratio': {
      const good = checkQuery(issues, sli.good, `${path}.good`);
      const bad = checkQuery(issues, sli.bad, `${path}.bad`);
      const total = checkQuery(issues, sli.total, `${path}.total`);
      if (good !== undefined && bad !== undefined) issues.add(`${path}.bad`, 'either good or bad, not both', 'both');
      if ((good !== undefined || bad !== undefined) && total === undefined) issues.add(`${path}.total`, 'a metric query for total events', undefined);
      const out: { kind: 'ratio'; good?: MetricQuery; bad?: MetricQuery; total?: MetricQuery } = { kind: 'ratio' };
      if (good !== undefined) out.good = good;
      if (bad !== undefined) out.bad = bad;
      if (total !== undefined) out.total = total;
      return out;
    }
    case 'latency': {
      if (typeof sli.thresholdMs !== 'number' || !Number.isFinite(sli.thresholdMs) || sli.thresholdMs <= 0) issues.add(`${path}.thresholdMs`, 'a latency threshold in ms > 0', sli.thresholdMs);
      const h = sli.histogram;
      if (h !== undefined) {
        if (!isObject(h)) issues.add(`${path}.histogram`, 'an object { metric, matchers?, type?, unit?, le? }', h);
        else {
          if (typeof h.metric !== 'string' || !METRIC_PATTERN.test(h.metric)) issues.add(`${path}.histogram.metric`, 'a Prometheus metric name (without _bucket)', h.metric);
          checkMatchers(issues, h.matchers, `${path}.histogram.matchers`);
          if (h.type !== undefined && h.type !== 'classic' && h.type !== 'native') issues.add(`${path}.histogram.type`, '"classic" or "native"', h.type);
          if (h.unit !== undefined && h.unit !== 'seconds' && h.unit !== 'milliseconds') issues.add(`${path}.histogram.unit`, '"seconds" or "milliseconds"', h.unit);
          if (h.le !== undefined && (typeof h.le !== 'string' || !Number.isFinite(Number(h.le)))) issues.add(`${path}.histogram.le`, 'the le label value as a numeric string', h.le);
        }
      }
      const thresholdMs = sli.thresholdMs as number;
      if (!isObject(h)) return { kind: 'latency', thresholdMs };
      const histogram: { metric: string; matchers?: Record<string, string> | LabelMatcher[]; type?: 'classic' | 'native'; unit?: 'seconds' | 'milliseconds'; le?: string } = { metric: h.metric as string };
      if (h.matchers !== undefined) histogram.matchers = copyMatchers(h.matchers);
      if (h.type !== undefined) histogram.type = h.type as 'classic' | 'native';
      if (h.unit !== undefined) histogram.unit = h.unit as 'seconds' | 'milliseconds';
      if (h.le !== undefined) histogram.le = h.le as string;
      return { kind: 'latency', thresholdMs, histogram };
    }
    case 'availability': {
      const probe = checkQuery(issues, sli.probe, `${path}.probe`);
      return probe === undefined ? { kind: 'availability' } : { kind: 'availability', probe };
    }
    default:
      issues.add(`${path}.kind`, '"ratio", "latency" or "availability"', sli.kind);
      return fallback;
  }
}

function checkTarget(issues: Issues, value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value >= 1) {
    issues.add(path, 'a target in (0, 1), such as 0.999', value);
    return 0.99;
  }
  return value;
}

/**
 * Resolves an alert policy for an SLO window: durations to ms, factors rescaled to the window so each tier keeps
 * consuming the same share of the budget over its long window, and error-ratio thresholds for the target.
 *
 * `burnRate = budgetConsumed * window / longWindow`. For the SRE Workbook policy and a 30-day window that is
 * 14.4 / 6 / 3 / 1; for 28 days 13.44 / 5.6 / 2.8 / 0.933.
 *
 * @throws SLOValidationError listing every bad field.
 * @example
 * resolveAlertPolicy(SRE_WORKBOOK_POLICY, 28 * 86_400_000, 0.999).map((t) => t.burnRate); // [13.44, 5.6, 2.8, 0.933...]
 */
export function resolveAlertPolicy(policy: AlertPolicyInput, windowMs: number, target: number, path = 'alerting'): AlertTier[] {
  const issues = new Issues();
  const tiers = resolveTiers(issues, policy, windowMs, target, path);
  issues.throwIfAny('Alert policy');
  return tiers;
}

function resolveTiers(issues: Issues, policy: unknown, windowMs: number, target: number, path: string): AlertTier[] {
  if (!isObject(policy) || !Array.isArray(policy.tiers)) {
    issues.add(`${path}.tiers`, 'an array of alert tiers', isObject(policy) ? policy.tiers : policy);
    return [];
  }
  const reference = policy.referenceWindow === undefined ? null : issues.try(() => parseWindowDuration(policy.referenceWindow, `${path}.referenceWindow`), null);
  const names = new Set<string>();
  const out: AlertTier[] = [];
  (policy.tiers as unknown[]).forEach((raw, i) => {
    const p = `${path}.tiers[${i}]`;
    if (!isObject(raw)) return issues.add(p, 'an alert tier { severity, burnRate or budgetConsumed, longWindow, shortWindow? }', raw);
    const tier = raw as unknown as AlertTierInput;
    if (typeof tier.severity !== 'string' || !LABEL_VALUE_SAFE.test(tier.severity)) issues.add(`${p}.severity`, 'a severity such as "page" or "ticket"', tier.severity);
    const longMs = issues.try(() => parseWindowDuration(tier.longWindow, `${p}.longWindow`), NaN);
    const shortMs = tier.shortWindow === undefined ? Math.max(1000, Math.round(longMs / 12)) : issues.try(() => parseWindowDuration(tier.shortWindow, `${p}.shortWindow`), NaN);
    const forMs = tier.for === undefined || tier.for === 0 || tier.for === '0' ? 0 : issues.try(() => parseWindowDuration(tier.for, `${p}.for`), 0);
    if (Number.isFinite(longMs) && Number.isFinite(shortMs) && shortMs > longMs) issues.add(`${p}.shortWindow`, `a window no longer than longWindow (${longMs} ms)`, tier.shortWindow);
    let burnRate = NaN;
    if ((tier.burnRate === undefined) === (tier.budgetConsumed === undefined)) {
      issues.add(`${p}.burnRate`, 'exactly one of burnRate and budgetConsumed', tier.burnRate === undefined ? undefined : 'both');
    } else if (tier.burnRate !== undefined) {
      if (typeof tier.burnRate !== 'number' || !Number.isFinite(tier.burnRate) || tier.burnRate <= 0) issues.add(`${p}.burnRate`, 'a burn-rate factor > 0', tier.burnRate);
      else burnRate = reference === null ? tier.burnRate : (tier.burnRate * windowMs) / reference;
    } else {
      const share = tier.budgetConsumed;
      if (typeof share !== 'number' || !Number.isFinite(share) || share <= 0 || share > 1) issues.add(`${p}.budgetConsumed`, 'a share of the budget in (0, 1]', share);
      else if (Number.isFinite(longMs)) burnRate = (share * windowMs) / longMs;
    }
    const name = tier.name ?? `${typeof tier.severity === 'string' ? tier.severity : 'tier'}-${typeof tier.longWindow === 'string' ? tier.longWindow : `${tier.longWindow}ms`}`;
    if (typeof name !== 'string' || !NAME_PATTERN.test(name)) issues.add(`${p}.name`, 'a tier name of letters, digits, _ - . :', name);
    else if (names.has(name)) issues.add(`${p}.name`, 'a name not used by another tier (set name to tell tiers apart)', name);
    names.add(name);
    if (!Number.isFinite(burnRate) || !Number.isFinite(longMs) || !Number.isFinite(shortMs)) return;
    const errorRatioThreshold = burnRate * (1 - target);
    out.push({
      name,
      severity: tier.severity,
      burnRate,
      budgetConsumed: (burnRate * longMs) / windowMs,
      longWindowMs: longMs,
      shortWindowMs: shortMs,
      forMs,
      errorRatioThreshold,
      reachable: errorRatioThreshold < 1,
    });
  });
  return out;
}

const LABEL_VALUE_SAFE = /^[A-Za-z0-9_.:-]+$/;

function checkMaintenance(issues: Issues, list: unknown, path: string): MaintenanceWindow[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    issues.add(path, 'an array of { start, end, reason? }', list);
    return [];
  }
  const out: MaintenanceWindow[] = [];
  list.forEach((m: unknown, i) => {
    if (!isObject(m)) return issues.add(`${path}[${i}]`, 'a maintenance window { start, end, reason? }', m);
    const start = m.start;
    const end = m.end;
    if (typeof start !== 'number' || !Number.isFinite(start)) return issues.add(`${path}[${i}].start`, 'a finite epoch-millisecond time', start);
    if (typeof end !== 'number' || !Number.isFinite(end) || end < start) return issues.add(`${path}[${i}].end`, `a finite time at or after start (${start})`, end);
    if (m.reason !== undefined && typeof m.reason !== 'string') return issues.add(`${path}[${i}].reason`, 'a string', m.reason);
    out.push(m.reason === undefined ? { start, end } : { start, end, reason: m.reason as string });
  });
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Validates and normalises an SLO definition. Every problem is collected and thrown together.
 *
 * Defaults: rolling 30-day window, Occurrences, the SRE Workbook alert policy scaled to the window, status thresholds
 * (at risk below 25% budget remaining or when exhaustion is projected soon; see `docs/slo.md`), 1h projection window.
 *
 * @throws SLOValidationError with `issues` naming each bad field, such as `target` or `timeslice.duration`.
 * @example
 * const checkout = defineSLO({
 *   name: 'checkout-availability',
 *   sli: { kind: 'ratio', bad: { metric: 'http_requests_total', matchers: { job: 'checkout', code: '5..' } }, total: { metric: 'http_requests_total', matchers: { job: 'checkout' } } },
 *   target: 0.999,
 *   window: { duration: '28d' },
 * });
 * checkout.alertTiers.map((t) => t.burnRate); // [13.44, 5.6, 2.8, 0.9333...]
 */
export function defineSLO(input: SLOInput): SLO {
  const issues = new Issues();
  if (!isObject(input)) {
    issues.add('slo', 'an SLO definition object', input);
    issues.throwIfAny();
  }
  const raw = input as unknown as Record<string, unknown>;
  const name = raw.name;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) issues.add('name', 'a name of letters, digits, _ - . : starting with a letter or digit', name);
  const displayName = optionalString(issues, raw.displayName, 'displayName');
  const description = optionalString(issues, raw.description, 'description');
  const service = optionalString(issues, raw.service, 'service');
  const labels = checkLabels(issues, raw.labels, 'labels');
  const sli = checkSLI(issues, raw.sli, 'sli');
  let target: number;
  if (raw.target !== undefined && raw.targetPercent !== undefined) {
    issues.add('targetPercent', 'either target or targetPercent, not both', raw.targetPercent);
    target = 0.99;
  } else if (raw.targetPercent !== undefined) {
    target = typeof raw.targetPercent === 'number' ? checkTarget(issues, raw.targetPercent / 100, 'targetPercent') : checkTarget(issues, raw.targetPercent, 'targetPercent');
  } else target = checkTarget(issues, raw.target, 'target');
  const window: TimeWindow = issues.try(() => normalizeWindow(raw.window ?? { duration: '30d' }, 'window'), { kind: 'rolling', durationMs: 30 * 86_400_000 });
  const method = raw.budgetingMethod ?? 'Occurrences';
  if (!METHODS.includes(method as BudgetingMethod)) issues.add('budgetingMethod', 'one of Occurrences, Timeslices, RatioTimeslices', method);
  let timeslice: SLO['timeslice'] = null;
  if (method === 'Timeslices' || method === 'RatioTimeslices') {
    const ts = raw.timeslice;
    if (!isObject(ts)) issues.add('timeslice', `an object { duration${method === 'Timeslices' ? ', target' : ''} } (required by ${method})`, ts);
    else {
      const durationMs = issues.try(() => parseWindowDuration(ts.duration, 'timeslice.duration'), 60_000);
      let sliceTarget = 0;
      if (method === 'Timeslices') {
        if (typeof ts.target !== 'number' || !Number.isFinite(ts.target) || ts.target <= 0 || ts.target > 1) issues.add('timeslice.target', 'the share of good events that makes a slice good, in (0, 1]', ts.target);
        else sliceTarget = ts.target;
      } else if (ts.target !== undefined) issues.add('timeslice.target', 'no target (RatioTimeslices averages the slice ratios)', ts.target);
      timeslice = { durationMs, target: sliceTarget };
      if (window.kind === 'rolling' && durationMs > window.durationMs) issues.add('timeslice.duration', `a slice no longer than the window (${window.durationMs} ms)`, ts.duration);
    }
  } else if (raw.timeslice !== undefined) issues.add('timeslice', `no timeslice (only Timeslices and RatioTimeslices use one; budgetingMethod is ${String(method)})`, raw.timeslice);
  const noDataSlices = raw.noDataSlices ?? 'ignore';
  if (noDataSlices !== 'ignore' && noDataSlices !== 'good' && noDataSlices !== 'bad') issues.add('noDataSlices', '"ignore", "good" or "bad"', noDataSlices);
  const windowMs = nominalWindowMs(window);
  const alertTiers = raw.alerting === false ? [] : resolveTiers(issues, raw.alerting ?? SRE_WORKBOOK_POLICY, windowMs, target, 'alerting');
  const maintenance = checkMaintenance(issues, raw.maintenance, 'maintenance');
  const status = isObject(raw.status) ? raw.status : {};
  if (raw.status !== undefined && !isObject(raw.status)) issues.add('status', 'an object { atRiskRemaining?, atRiskExhaustionWithinMs? }', raw.status);
  const atRiskRemaining = status.atRiskRemaining ?? 0.25;
  if (typeof atRiskRemaining !== 'number' || !(atRiskRemaining >= 0 && atRiskRemaining <= 1)) issues.add('status.atRiskRemaining', 'a share of the budget in [0, 1]', atRiskRemaining);
  const within = status.atRiskExhaustionWithinMs ?? null;
  if (within !== null && (typeof within !== 'number' || !(within >= 0) || !Number.isFinite(within))) issues.add('status.atRiskExhaustionWithinMs', 'milliseconds >= 0 or null', within);
  const projectionWindowMs = issues.try(() => parseWindowDuration(raw.projectionWindow ?? '1h', 'projectionWindow'), 3_600_000);
  issues.throwIfAny(typeof name === 'string' ? `SLO "${name}"` : undefined);
  const slo: SLO = {
    name: name as string,
    displayName: displayName ?? (name as string),
    description: description ?? '',
    service: service ?? null,
    labels: Object.freeze(labels),
    sli: deepFreeze(sli),
    target,
    errorBudget: 1 - target,
    window: Object.freeze(window),
    budgetingMethod: method as BudgetingMethod,
    timeslice: timeslice === null ? null : Object.freeze(timeslice),
    noDataSlices: noDataSlices as SLO['noDataSlices'],
    alertTiers: Object.freeze(alertTiers.map((t) => Object.freeze(t))),
    maintenance: Object.freeze(maintenance.map((m) => Object.freeze(m))),
    status: Object.freeze({ atRiskRemaining: atRiskRemaining as number, atRiskExhaustionWithinMs: within as number | null }),
    projectionWindowMs,
  };
  return Object.freeze(slo);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}

import { ValidationError, VigilError } from '../errors';
import { formatDayDuration } from '../windows';
import { buildSelector, type PrometheusRule, type PrometheusRuleGroup, writeRuleFile } from '../promql';
import type { AlertTier, MetricQuery, SLO } from './types';

export { buildSelector, escapePromQLString, writeRuleFile, yamlString } from '../promql';
export type { PrometheusRule, PrometheusRuleGroup } from '../promql';

/**
 * Prometheus rule generation. The names are fixed and documented so dashboards and tests can rely on them:
 *
 * - `slo:error_ratio:rate<W>`: the SLI's error ratio over window W (`5m`, `30m`, `1h`, `2h`, `6h`, `1d`, `3d`, and
 *   the SLO window such as `30d` for rolling windows). W is written with days as the largest unit.
 * - `slo:objective:ratio`: the target, and `slo:error_budget:ratio`: 1 - target.
 * - `slo:error_budget_remaining:ratio`: 1 - errorRatio(window) / (1 - target) (rolling windows only).
 * - one alert per tier, named `SLOErrorBudgetBurn` by default, with labels `slo`, `severity`, `tier`, `window` (the
 *   long window) and `short_window`, firing when both windows' error ratios exceed factor x (1 - target).
 *
 * Every rule carries the `slo` label and the SLO's own labels. Output is deterministic: same input, same bytes.
 */

/** Options of `prometheusRuleGroups` and `generatePrometheusRules`. */
export interface RuleOptions {
  /** Alert name of every tier; default `SLOErrorBudgetBurn`. */
  readonly alertName?: string;
  /** Evaluation interval of each group, such as `30s`; default: Prometheus' global interval. */
  readonly interval?: string;
  /** Leave the alerts out (recording rules only). */
  readonly recordingOnly?: boolean;
}

/** The recording-rule name of the error ratio over `windowMs`. */
export function errorRatioRuleName(windowMs: number): string {
  return `slo:error_ratio:rate${formatDayDuration(windowMs)}`;
}

const SELECTOR = /^\s*(?:[A-Za-z_:][A-Za-z0-9_:]*\s*)?(?:\{(?:[^{}"]|"(?:[^"\\]|\\.)*")*\})?\s*$/;

function selectorOf(query: MetricQuery | undefined, what: string, slo: SLO): string {
  if (query === undefined) throw new VigilError('UNSUPPORTED', `SLO "${slo.name}": ${what} has no metric query, so no Prometheus rule can be generated`, { path: what });
  if ('promql' in query) {
    const text = query.promql.trim();
    if (!SELECTOR.test(text) || text === '' || text === '{}') {
      throw new VigilError('UNSUPPORTED', `SLO "${slo.name}": ${what}.promql must be a series selector such as http_requests_total{code=~"5.."}; Vigil wraps it in rate(...[window]) itself. Found: ${text}`, { path: `${what}.promql` });
    }
    return text;
  }
  return buildSelector(query.metric, query.matchers);
}

function formatNumber(value: number): string {
  // JavaScript's shortest round-trip form; Go's ParseFloat reads it back to the same double.
  return Object.is(value, -0) ? '0' : String(value);
}

/** The PromQL expression of the SLI's error ratio over `windowMs`. @internal */
export function errorRatioExpr(slo: SLO, windowMs: number): string {
  const w = formatDayDuration(windowMs);
  if (slo.budgetingMethod !== 'Occurrences') {
    throw new VigilError('UNSUPPORTED', `SLO "${slo.name}": ${slo.budgetingMethod} budgeting cannot be expressed as Prometheus recording rules; evaluate it with evaluateSLO instead`, { path: 'budgetingMethod' });
  }
  const sli = slo.sli;
  switch (sli.kind) {
    case 'ratio': {
      const total = `sum(rate(${selectorOf(sli.total, 'sli.total', slo)}[${w}]))`;
      if (sli.bad !== undefined) return `sum(rate(${selectorOf(sli.bad, 'sli.bad', slo)}[${w}])) / ${total}`;
      return `1 - sum(rate(${selectorOf(sli.good, 'sli.good', slo)}[${w}])) / ${total}`;
    }
    case 'latency': {
      const h = sli.histogram;
      if (h === undefined) {
        throw new VigilError('UNSUPPORTED', `SLO "${slo.name}": a latency SLI without sli.histogram (raw samples) cannot be expressed in PromQL; give the histogram metric`, { path: 'sli.histogram' });
      }
      const threshold = (h.unit ?? 'seconds') === 'seconds' ? sli.thresholdMs / 1000 : sli.thresholdMs;
      if ((h.type ?? 'classic') === 'native') {
        return `1 - histogram_fraction(0, ${formatNumber(threshold)}, sum(rate(${buildSelector(h.metric, h.matchers)}[${w}])))`;
      }
      const le = h.le ?? formatNumber(threshold);
      const bucket = buildSelector(`${h.metric}_bucket`, h.matchers, [{ label: 'le', op: '=', value: le }]);
      return `1 - sum(rate(${bucket}[${w}])) / sum(rate(${buildSelector(`${h.metric}_count`, h.matchers)}[${w}]))`;
    }
    case 'availability': {
      const probe = selectorOf(sli.probe, 'sli.probe', slo);
      return `1 - sum(sum_over_time(${probe}[${w}])) / sum(count_over_time(${probe}[${w}]))`;
    }
  }
}

/** Protects text from Prometheus' template expansion of alert labels and annotations. */
function templateLiteral(text: string): string {
  return text.replaceAll('{{', '{{ "{{" }}');
}

function goString(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
}

/**
 * The rule groups for some SLOs, one group per SLO named `vigil-slo-<name>`: recording rules first, then alerts.
 *
 * @throws VigilError('UNSUPPORTED') naming the SLO and field when a definition cannot be expressed in PromQL
 *   (Timeslices methods, raw latency samples, an SLI without metric queries, a non-selector PromQL query).
 * @throws ValidationError when two SLOs share a name.
 * @example
 * prometheusRuleGroups([checkout])[0].rules.map((r) => r.record ?? r.alert);
 * // ['slo:error_ratio:rate5m', ..., 'slo:error_ratio:rate30d', 'slo:objective:ratio', ..., 'SLOErrorBudgetBurn', ...]
 */
export function prometheusRuleGroups(slos: readonly SLO[], options: RuleOptions = {}): PrometheusRuleGroup[] {
  if (!Array.isArray(slos)) throw new ValidationError('slos', 'an array of SLOs from defineSLO', slos);
  const alertName = options.alertName ?? 'SLOErrorBudgetBurn';
  if (!/^[A-Za-z_:][A-Za-z0-9_:]*$/.test(alertName)) throw new ValidationError('options.alertName', 'a Prometheus metric-style name', alertName);
  const seen = new Set<string>();
  return slos.map((slo, index) => {
    if (slo === null || typeof slo !== 'object' || typeof slo.name !== 'string' || !Array.isArray(slo.alertTiers)) throw new ValidationError(`slos[${index}]`, 'an SLO from defineSLO', slo);
    if (seen.has(slo.name)) throw new ValidationError(`slos[${index}].name`, 'a name unique among the SLOs (it becomes the slo label)', slo.name);
    seen.add(slo.name);
    const labels: Record<string, string> = {};
    for (const key of Object.keys(slo.labels).sort()) labels[key] = slo.labels[key] as string;
    labels.slo = slo.name;
    const tiers: readonly AlertTier[] = options.recordingOnly === true ? [] : slo.alertTiers.filter((t: AlertTier) => t.reachable);
    const windows = new Set<number>();
    for (const t of slo.alertTiers) {
      windows.add(t.shortWindowMs);
      windows.add(t.longWindowMs);
    }
    const rolling = slo.window.kind === 'rolling' ? slo.window.durationMs : null;
    if (rolling !== null) windows.add(rolling);
    const rules: PrometheusRule[] = [...windows]
      .sort((a, b) => a - b)
      .map((w) => ({ record: errorRatioRuleName(w), expr: errorRatioExpr(slo, w), labels }));
    rules.push({ record: 'slo:objective:ratio', expr: `vector(${formatNumber(slo.target)})`, labels });
    rules.push({ record: 'slo:error_budget:ratio', expr: `vector(${formatNumber(slo.errorBudget)})`, labels });
    const sloSelector = (name: string): string => buildSelector(name, { slo: slo.name });
    if (rolling !== null) {
      rules.push({
        record: 'slo:error_budget_remaining:ratio',
        expr: `1 - ${sloSelector(errorRatioRuleName(rolling))} / ${formatNumber(slo.errorBudget)}`,
        labels,
      });
    }
    for (const tier of tiers) {
      const threshold = formatNumber(tier.errorRatioThreshold);
      const long = formatDayDuration(tier.longWindowMs);
      const short = formatDayDuration(tier.shortWindowMs);
      const alertLabels: Record<string, string> = {};
      for (const [k, v] of Object.entries(labels)) alertLabels[k] = templateLiteral(v);
      Object.assign(alertLabels, { severity: tier.severity, short_window: short, tier: tier.name, window: long });
      const sorted: Record<string, string> = {};
      for (const key of Object.keys(alertLabels).sort()) sorted[key] = alertLabels[key] as string;
      const percent = (share: number): string => `${formatNumber(Math.round(share * 1e8) / 1e6)}%`;
      const factor = formatNumber(Math.round(tier.burnRate * 1000) / 1000);
      const annotations: Record<string, string> = {
        summary: `${templateLiteral(slo.displayName)}: error budget burning ${factor}x too fast (${long} and ${short} windows)`,
        description: `The error ratios of SLO ${templateLiteral(slo.name)} over ${long} and ${short} are both above ${percent(tier.errorRatioThreshold)} (${factor} x the ${percent(slo.errorBudget)} error budget). At this rate ${percent(tier.budgetConsumed)} of the budget goes every ${long}.`,
      };
      if (rolling !== null) {
        // Seconds until the budget runs out at the long window's burn: remaining x window / burn rate.
        const query = `(${formatNumber(slo.errorBudget)} - ${sloSelector(errorRatioRuleName(rolling))}) * ${formatNumber(rolling / 1000)} / ${sloSelector(errorRatioRuleName(tier.longWindowMs))}`;
        annotations.exhaustion = `{{ with query ${goString(query)} }}{{ with first . }}{{ if gt .Value 0.0 }}Error budget exhausted in {{ humanizeDuration .Value }} at the ${long} burn rate{{ else }}Error budget already exhausted{{ end }}{{ end }}{{ end }}`;
      }
      const rule: PrometheusRule = {
        alert: alertName,
        expr: `${sloSelector(errorRatioRuleName(tier.longWindowMs))} > ${threshold} and ${sloSelector(errorRatioRuleName(tier.shortWindowMs))} > ${threshold}`,
        labels: sorted,
        annotations,
        ...(tier.forMs > 0 ? { for: formatDayDuration(tier.forMs) } : {}),
      };
      rules.push(rule);
    }
    return options.interval === undefined ? { name: `vigil-slo-${slo.name}`, rules } : { name: `vigil-slo-${slo.name}`, interval: options.interval, rules };
  });
}

/**
 * Generates a Prometheus rule file for some SLOs: recording rules per window and one alert per reachable tier.
 * See the module comment and `docs/slo.md` for the names.
 *
 * @throws VigilError('UNSUPPORTED') for definitions PromQL cannot express; ValidationError for duplicate names.
 * @example
 * const yaml = generatePrometheusRules([checkout], { interval: '30s' });
 * // write it to slo.rules.yml and check it with `promtool check rules slo.rules.yml`
 */
export function generatePrometheusRules(slos: readonly SLO[], options: RuleOptions = {}): string {
  return writeRuleFile(prometheusRuleGroups(slos, options));
}

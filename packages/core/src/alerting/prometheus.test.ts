import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { yamlString } from '../promql/rules';
import { createSeries } from '../series/create';
import { VigilError } from '../errors';
import { backtest } from './backtest';
import { createAlertEvaluator } from './evaluator';
import { exportPrometheusRules } from './prometheus';
import type { AlertRule } from './types';

const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';
const available = existsSync(PROMTOOL);
const MIN = 60_000;

const base = { query: { expr: 'cpu_usage{job="node"}' }, condition: { type: 'threshold' as const, operator: '>' as const, critical: { value: 0.9 } } };

/** One rule of every exportable shape, with awkward text in labels and annotations. */
const exportable: AlertRule[] = [
  { ...base, id: 'last', name: 'CpuHigh', forMs: 5 * MIN, keepFiringForMs: 2 * MIN, labels: { team: 'in"fra\\ops {{ $labels.job }}' }, annotations: { summary: '{{ $labels.instance }}: {{ $value | humanizePercentage }} {{ $severity | toUpper }} {{ $rule }}', description: 'Line 1\nLine 2 with "quotes", a backslash \\ and }} braces' }, runbookUrl: 'https://runbooks.example.com/cpu?x=1&y="2"' },
  { ...base, id: 'avg', name: 'CpuAvg', reducer: { type: 'avg', windowMs: 10 * MIN }, condition: { type: 'threshold', operator: '>=', warning: { value: 0.7 }, critical: { value: 0.9 } } },
  { ...base, id: 'min', name: 'CpuMin', reducer: { type: 'min', windowMs: 90_000 }, condition: { type: 'threshold', operator: '<', critical: { value: -1.5e-7 } } },
  { ...base, id: 'max', name: 'CpuMax', reducer: { type: 'max', windowMs: 3_600_000 }, condition: { type: 'threshold', operator: '==', critical: { value: 1 } } },
  { ...base, id: 'sum', name: 'CpuSum', reducer: { type: 'sum', windowMs: 300_000 }, condition: { type: 'threshold', operator: '!=', critical: { value: 0 } } },
  { ...base, id: 'count', name: 'Scrapes', reducer: { type: 'count', windowMs: 600_000 }, condition: { type: 'threshold', operator: '<=', critical: { value: 5 } } },
  { ...base, id: 'p95', name: 'LatencyP95', query: { expr: 'histogram_quantile(0.5, sum by (le) (rate(http_duration_seconds_bucket[5m])))', stepMs: 30_000 }, reducer: { type: 'percentile', percentile: 95, windowMs: 900_000 } },
  { ...base, id: 'rate', name: 'Errors', query: { expr: 'http_requests_total{code=~"5.."}' }, reducer: { type: 'rate', windowMs: 300_000 }, condition: { type: 'threshold', operator: '>', critical: { value: 5 } } },
  { ...base, id: 'change', name: 'TrafficDrop', query: { expr: 'sum(rate(http_requests_total[5m]))' }, condition: { type: 'change', direction: 'down', windowMs: 3_600_000, warning: { value: 30 }, critical: { value: 50 } } },
  { ...base, id: 'change-up', name: 'TrafficSpike', reducer: { type: 'avg', windowMs: 600_000 }, condition: { type: 'change', direction: 'up', windowMs: 86_400_000, critical: { value: 200 } } },
  { ...base, id: 'burn', name: 'BudgetBurn', query: { expr: 'slo:burn_rate:1h{slo="checkout"}' }, condition: { type: 'burnRate', critical: { value: 14.4 } }, forMs: 2 * MIN },
  { ...base, id: 'absent', name: 'NodeGone', query: { expr: 'up{job="node"}' }, condition: { type: 'absent' }, severity: 'warning', forMs: 10 * MIN },
  { ...base, id: 'absent-w', name: 'NoSamples', reducer: { type: 'avg', windowMs: 600_000 }, condition: { type: 'absent' } },
];

const unexportable: AlertRule[] = [
  { ...base, id: 'hyst', name: 'Hyst', condition: { type: 'threshold', operator: '>', critical: { value: 0.9, recovery: 0.8 } } },
  { ...base, id: 'cool', name: 'Cool', cooldownMs: MIN },
  { ...base, id: 'nodata', name: 'NoData', noData: 'alerting', onError: 'ok' },
  { ...base, id: 'rate-expr', name: 'RateExpr', query: { expr: 'sum(x)' }, reducer: { type: 'rate' } },
  { ...base, id: 'off', name: 'Off', enabled: false },
];

function promtool(args: string[], cwd?: string): string {
  return execFileSync(PROMTOOL, args, { encoding: 'utf8', ...(cwd === undefined ? {} : { cwd }) });
}

describe('exportPrometheusRules', () => {
  it('reports what Prometheus cannot express, with field paths', () => {
    const result = exportPrometheusRules([...exportable, ...unexportable]);
    expect(result.exported).toEqual(exportable.map((r) => r.id));
    expect(result.unexportable.map((u) => u.path)).toEqual([
      `rules[${exportable.length}].condition.critical.recovery`,
      `rules[${exportable.length + 1}].cooldownMs`,
      `rules[${exportable.length + 2}].noData`,
      `rules[${exportable.length + 2}].onError`,
      `rules[${exportable.length + 3}].query.expr`,
      `rules[${exportable.length + 4}].enabled`,
    ]);
    for (const u of result.unexportable) expect(u.reason.length).toBeGreaterThan(10);
  });

  it('maps reducers and conditions to PromQL', () => {
    const { yaml } = exportPrometheusRules(exportable);
    expect(yaml).toContain('expr: "cpu_usage{job=\\"node\\"} > 0.9"');
    expect(yaml).toContain('avg_over_time(cpu_usage{job=\\"node\\"}[10m]) >= 0.7');
    expect(yaml).toContain('quantile_over_time(0.95, (histogram_quantile(0.5, sum by (le) (rate(http_duration_seconds_bucket[5m]))))[15m:30s]) > 0.9');
    expect(yaml).toContain('rate(http_requests_total{code=~\\"5..\\"}[5m]) > 5');
    expect(yaml).toContain('absent(up{job=\\"node\\"})');
    expect(yaml).toContain('keep_firing_for: "2m"');
    expect(yaml).toContain('summary: "{{ $labels.instance }}: {{ $value | humanizePercentage }} CRITICAL CpuHigh"');
  });

  it('rejects invalid rules with typed errors', () => {
    expect(() => exportPrometheusRules([{ ...base, id: 'x', name: 'bad name' }])).toThrow(VigilError);
    expect(() => exportPrometheusRules('x' as never)).toThrow(/rules/);
  });
});

describe('promtool', () => {
  it('is present in CI', () => {
    if (process.env.CI) expect(available, `promtool not found at ${PROMTOOL}; install Debian's prometheus package`).toBe(true);
  });

  it.runIf(available || process.env.CI)('accepts every exported rule (promtool check rules)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-alert-rules-'));
    try {
      const { yaml } = exportPrometheusRules([...exportable, ...unexportable]);
      writeFileSync(join(dir, 'rules.yml'), yaml);
      const levels = exportable.reduce((n, r) => n + ('warning' in r.condition && r.condition.warning !== undefined ? 2 : 1), 0);
      expect(promtool(['check', 'rules', join(dir, 'rules.yml')])).toContain(`SUCCESS: ${levels} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /**
   * Runs the Vigil evaluator minute by minute on the same input as promtool, writes every minute's firing alerts
   * (labels and rendered annotations) as promtool's expectations, and lets promtool check the exported rules.
   */
  function agreeWithPromtool(rules: AlertRule[], input: Record<string, (number | null)[]>, minutes: number): number {
    const series = Object.entries(input).map(([selector, values]) => {
      const match = /^([a-z_]+)\{(.*)\}$/.exec(selector) as RegExpExecArray;
      const labels: Record<string, string> = {};
      for (const pair of (match[2] as string).split(',')) {
        const [k, v] = pair.split('=') as [string, string];
        labels[k] = JSON.parse(v) as string;
      }
      const points = values.map((v, i) => [i * MIN, v] as const).filter(([, v]) => v !== null) as [number, number][];
      return { metric: match[1] as string, series: createSeries({ labels, timestamps: points.map((p) => p[0]), values: points.map((p) => p[1]) }) };
    });
    // Each rule's query is a bare metric name: it gets that metric's series.
    const seriesOf = (rule: AlertRule) => series.filter((s) => s.metric === rule.query.expr).map((s) => s.series);
    const evaluator = createAlertEvaluator({ rules });
    const tests: string[] = [];
    let firingMinutes = 0;
    for (let m = 0; m <= minutes; m++) {
      const data: Record<string, { series: ReturnType<typeof seriesOf> }> = {};
      for (const rule of rules) data[rule.id] = { series: seriesOf(rule) };
      const result = evaluator.evaluate(m * MIN, data);
      for (const rule of rules) {
        const firing = result.alerts.filter((a) => a.status === 'firing' && a.labels.alertname === rule.name);
        if (firing.length > 0) firingMinutes++;
        tests.push(`      - eval_time: ${m}m`, `        alertname: ${rule.name}`);
        if (firing.length === 0) tests.push('        exp_alerts: []');
        else {
          tests.push('        exp_alerts:');
          for (const alert of firing) {
            const labels = Object.entries(alert.labels).filter(([k]) => k !== 'alertname');
            tests.push(`          - exp_labels: { ${labels.map(([k, v]) => `${k}: ${yamlString(v)}`).join(', ')} }`);
            const annotations = Object.entries(alert.annotations);
            if (annotations.length > 0) tests.push(`            exp_annotations: { ${annotations.map(([k, v]) => `${k}: ${yamlString(v)}`).join(', ')} }`);
          }
        }
      }
    }
    // The backtest predicts the same minutes.
    for (const rule of rules) {
      const predicted = backtest(rule, { series: seriesOf(rule), range: { start: 0, end: minutes * MIN }, intervalMs: MIN });
      const fromEvaluator = evaluator.history({ ruleId: rule.id }).filter((h) => h.to === 'firing').map((h) => h.time);
      expect(predicted.firing.map((f) => f.start)).toEqual(fromEvaluator);
    }
    const { yaml, unexportable: skipped } = exportPrometheusRules(rules);
    expect(skipped).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'vigil-alert-test-'));
    try {
      writeFileSync(join(dir, 'rules.yml'), yaml);
      const seriesLines = Object.entries(input).flatMap(([selector, values]) => [`      - series: ${yamlString(selector)}`, `        values: ${yamlString(values.map((v) => (v === null ? '_' : String(v))).join(' '))}`]);
      writeFileSync(join(dir, 'test.yml'), ['rule_files: [rules.yml]', 'evaluation_interval: 1m', 'tests:', '  - interval: 1m', '    input_series:', ...seriesLines, '    alert_rule_test:', ...tests, ''].join('\n'));
      let output: string;
      try {
        output = promtool(['test', 'rules', 'test.yml'], dir);
      } catch (error) {
        throw new Error(`promtool disagrees:\n${(error as { stdout?: string }).stdout ?? String(error)}`);
      }
      expect(output).toMatch(/SUCCESS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return firingMinutes;
  }

  it.runIf(available || process.env.CI)('fires at the minutes the evaluator predicts: last, for, keep_firing_for, templates (promtool test rules)', () => {
    const rule: AlertRule = {
      id: 'cpu',
      name: 'CpuHigh',
      query: { expr: 'cpu_usage' },
      condition: { type: 'threshold', operator: '>', critical: { value: 5 } },
      forMs: 3 * MIN,
      keepFiringForMs: 2 * MIN,
      labels: { team: 'db-{{ $labels.job }}' },
      annotations: { summary: '{{ $labels.instance }} at {{ $value | humanize }} ({{ $severity }})', title: '{{ $rule | toLower }}' },
    };
    const firing = agreeWithPromtool(
      [rule],
      {
        'cpu_usage{instance="a",job="node"}': [1, 2, 6, 7, 8, 9, 9, 9, 3, 2, 2, 2, 2, 8, 8, null, 8, 8, 8, 1, 1, 7, 1, 1, 1, 1, 1500, 2500, 3500, 4500, 5500],
        'cpu_usage{instance="b",job="node"}': [6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 4, 4, 4, 4, 4, 4, 6, 6, 6, 6, 6, 6, 6, 6, 6],
      },
      30,
    );
    expect(firing).toBeGreaterThan(10);
  });

  it.runIf(available || process.env.CI)('fires at the minutes the evaluator predicts: avg over a window, two severities, rate (promtool test rules)', () => {
    const avgRule: AlertRule = {
      id: 'avg',
      name: 'LoadHigh',
      query: { expr: 'load' },
      reducer: { type: 'avg', windowMs: 270_000 },
      condition: { type: 'threshold', operator: '>=', warning: { value: 4 }, critical: { value: 6 } },
      forMs: 2 * MIN,
    };
    const rateRule: AlertRule = {
      id: 'rate',
      name: 'ErrorRate',
      query: { expr: 'errors_total' },
      reducer: { type: 'rate', windowMs: 270_000 },
      condition: { type: 'threshold', operator: '>', critical: { value: 1.5 } },
      forMs: MIN,
    };
    const counter: number[] = [];
    let total = 0;
    for (let m = 0; m <= 40; m++) {
      total += m < 10 ? 60 : m < 20 ? 180 : m < 25 ? 30 : 150;
      counter.push(m === 30 ? 20 : total); // a counter reset at minute 30
      if (m === 30) total = 20;
    }
    const firing = agreeWithPromtool(
      [avgRule, rateRule],
      {
        'load{host="x"}': [1, 2, 3, 4, 5, 6, 7, 8, 7, 6, 5, 4, 3, 2, 1, 0, 4, 4, 4, 4, 4, 4, 8, 8, 8, 8, 8, 8, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        'errors_total{host="x"}': counter,
      },
      40,
    );
    expect(firing).toBeGreaterThan(10);
  });
});

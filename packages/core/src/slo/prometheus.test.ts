import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineSLO } from './define';
import { eventsFromCounts } from './events';
import { evaluateAlertHistory } from './history';
import { buildSelector, escapePromQLString, generatePrometheusRules, prometheusRuleGroups, yamlString } from './prometheus';
import { VigilError } from '../errors';
import type { SLOInput } from './types';

const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';

const availability = defineSLO({
  name: 'checkout-availability',
  displayName: 'Checkout {{ availability }}',
  labels: { team: 'pay"ments\\eu', tier: '1' },
  sli: {
    kind: 'ratio',
    bad: { metric: 'http_requests_total', matchers: { job: 'checkout', code: '5..' } },
    total: { metric: 'http_requests_total', matchers: [{ label: 'job', op: '=', value: 'checkout' }, { label: 'path', op: '!=', value: '/health\n"x"\\' }, { label: 'method', op: '=~', value: 'GET|POST' }] },
  },
  target: 0.999,
  window: { duration: '28d' },
});

const latency = defineSLO({
  name: 'checkout-latency',
  sli: { kind: 'latency', thresholdMs: 300, histogram: { metric: 'http_request_duration_seconds', matchers: { job: 'checkout' } } },
  target: 0.99,
  window: { kind: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
  alerting: { tiers: [{ severity: 'page', burnRate: 14.4, longWindow: '1h', shortWindow: '5m', for: '2m' }] },
});

const native = defineSLO({
  name: 'native-latency',
  sli: { kind: 'latency', thresholdMs: 250, histogram: { metric: 'rpc_duration_seconds', type: 'native' } },
  target: 0.95,
});

const probes = defineSLO({ name: 'probes', sli: { kind: 'availability', probe: { promql: 'probe_success{job="blackbox"}' } }, target: 0.995, window: { duration: '7d' } });
const good = defineSLO({ name: 'good-ratio', sli: { kind: 'ratio', good: { metric: 'ok_total' }, total: { metric: 'all_total' } }, target: 0.9 });

describe('PromQL building', () => {
  it('escapes label values in selectors', () => {
    expect(escapePromQLString('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    expect(buildSelector('m', { z: '1', a: 'x"y' })).toBe('m{a="x\\"y",z="1"}');
    expect(buildSelector('m')).toBe('m');
  });

  it('quotes any YAML string safely', () => {
    expect(yamlString('a "b"\n\\')).toBe('"a \\"b\\"\\n\\\\"');
    expect(yamlString('\u0001')).toBe('"\\x01"');
  });
});

describe('prometheusRuleGroups', () => {
  it('names rules deterministically, one recording rule per window and one alert per tier', () => {
    const [group] = prometheusRuleGroups([availability]);
    expect(group!.name).toBe('vigil-slo-checkout-availability');
    expect(group!.rules.map((r) => r.record ?? r.alert)).toEqual([
      'slo:error_ratio:rate5m',
      'slo:error_ratio:rate30m',
      'slo:error_ratio:rate1h',
      'slo:error_ratio:rate2h',
      'slo:error_ratio:rate6h',
      'slo:error_ratio:rate1d',
      'slo:error_ratio:rate3d',
      'slo:error_ratio:rate28d',
      'slo:objective:ratio',
      'slo:error_budget:ratio',
      'slo:error_budget_remaining:ratio',
      'SLOErrorBudgetBurn',
      'SLOErrorBudgetBurn',
      'SLOErrorBudgetBurn',
      'SLOErrorBudgetBurn',
    ]);
    const rate5m = group!.rules[0]!;
    expect(rate5m.expr).toBe(
      'sum(rate(http_requests_total{code="5..",job="checkout"}[5m])) / sum(rate(http_requests_total{job="checkout",path!="/health\\n\\"x\\"\\\\",method=~"GET|POST"}[5m]))',
    );
    expect(rate5m.labels).toEqual({ slo: 'checkout-availability', team: 'pay"ments\\eu', tier: '1' });
    const page = group!.rules[11]!;
    expect(page.expr).toBe(`slo:error_ratio:rate1h{slo="checkout-availability"} > ${13.44 * (1 - 0.999)} and slo:error_ratio:rate5m{slo="checkout-availability"} > ${13.44 * (1 - 0.999)}`);
    // The alert carries the tier labels; the SLO labels override nothing.
    expect(page.labels).toMatchObject({ severity: 'page', slo: 'checkout-availability', window: '1h', short_window: '5m', tier: 'page-1h' });
    expect(page.annotations!.exhaustion).toContain('humanizeDuration');
    expect(page.annotations!.summary).toContain('{{ "{{" }} availability }}');
    expect(generatePrometheusRules([availability, latency])).toBe(generatePrometheusRules([availability, latency]));
  });

  it('expresses latency from classic and native histograms, probes and good/total ratios', () => {
    const [lat] = prometheusRuleGroups([latency]);
    expect(lat!.rules[0]!.expr).toBe('1 - sum(rate(http_request_duration_seconds_bucket{job="checkout",le="0.3"}[5m])) / sum(rate(http_request_duration_seconds_count{job="checkout"}[5m]))');
    // Calendar windows: no window-long rule and no exhaustion annotation; `for` is kept.
    expect(lat!.rules.some((r) => r.record === 'slo:error_budget_remaining:ratio')).toBe(false);
    expect(lat!.rules.find((r) => r.alert)!.for).toBe('2m');
    const [nat] = prometheusRuleGroups([native]);
    expect(nat!.rules[0]!.expr).toBe('1 - histogram_fraction(0, 0.25, sum(rate(rpc_duration_seconds[5m])))');
    const [probe] = prometheusRuleGroups([probes]);
    expect(probe!.rules[0]!.expr).toBe('1 - sum(sum_over_time(probe_success{job="blackbox"}[5m])) / sum(count_over_time(probe_success{job="blackbox"}[5m]))');
    const [ratio] = prometheusRuleGroups([good]);
    expect(ratio!.rules[0]!.expr).toBe('1 - sum(rate(ok_total[5m])) / sum(rate(all_total[5m]))');
    // target 0.9: the 14.4 tier needs a 144% error ratio and is left out.
    expect(ratio!.rules.filter((r) => r.alert).map((r) => r.labels.tier)).toEqual(['page-6h', 'ticket-1d', 'ticket-3d']);
  });

  it('refuses definitions PromQL cannot express with a clear UNSUPPORTED error', () => {
    const cases: [SLOInput, RegExp][] = [
      [{ name: 'raw', sli: { kind: 'latency', thresholdMs: 100 }, target: 0.9 }, /raw samples/],
      [{ name: 'engine-only', sli: { kind: 'ratio' }, target: 0.9 }, /sli.total has no metric query/],
      [{ name: 'slices', sli: { kind: 'ratio', good: { metric: 'a' }, total: { metric: 'b' } }, target: 0.9, budgetingMethod: 'Timeslices', timeslice: { duration: '1m', target: 0.9 } }, /Timeslices budgeting/],
      [{ name: 'expr', sli: { kind: 'ratio', good: { promql: 'sum(rate(a[5m]))' }, total: { metric: 'b' } }, target: 0.9 }, /must be a series selector/],
    ];
    for (const [input, message] of cases) {
      const error = (() => {
        try {
          prometheusRuleGroups([defineSLO(input)]);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(VigilError);
      expect((error as VigilError).code).toBe('UNSUPPORTED');
      expect((error as Error).message).toMatch(message);
    }
    expect(() => prometheusRuleGroups([good, good])).toThrow(/unique/);
  });
});

describe('promtool', () => {
  const available = existsSync(PROMTOOL);
  it('is present in CI', () => {
    if (process.env.CI) expect(available, `promtool not found at ${PROMTOOL}; install Debian's prometheus package`).toBe(true);
  });

  it.runIf(available || process.env.CI)('accepts the generated rules (promtool check rules)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
    try {
      const file = join(dir, 'slo.rules.yml');
      writeFileSync(file, generatePrometheusRules([availability, latency, native, probes, good], { interval: '30s' }));
      const output = execFileSync(PROMTOOL, ['check', 'rules', file], { encoding: 'utf8' });
      expect(output).toMatch(/SUCCESS: \d+ rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(available || process.env.CI)('fires the page tier when the TypeScript engine says it should (promtool test rules)', () => {
    // 100% errors from minute 10 for a 99.9% SLO: both windows pass 1.44% at the first evaluation that sees errors.
    const slo = defineSLO({
      name: 'api',
      sli: { kind: 'ratio', bad: { metric: 'errors_total' }, total: { metric: 'requests_total' } },
      target: 0.999,
      window: { duration: '30d' },
      alerting: { tiers: [{ severity: 'page', burnRate: 14.4, longWindow: '1h', shortWindow: '5m' }] },
    });
    const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
    try {
      writeFileSync(join(dir, 'rules.yml'), generatePrometheusRules([slo]));
      writeFileSync(
        join(dir, 'test.yml'),
        [
          'rule_files: [rules.yml]',
          'evaluation_interval: 1m',
          'tests:',
          '  - interval: 1m',
          '    input_series:',
          "      - series: 'requests_total'",
          "        values: '0+100x30'",
          "      - series: 'errors_total'",
          "        values: '0x9 100+100x20'",
          '    alert_rule_test:',
          '      - eval_time: 9m',
          '        alertname: SLOErrorBudgetBurn',
          '        exp_alerts: []',
          '      - eval_time: 10m',
          '        alertname: SLOErrorBudgetBurn',
          '        exp_alerts:',
          '          - exp_labels: { severity: page, slo: api, tier: page-1h, window: 1h, short_window: 5m }',
          '            exp_annotations:',
          "              summary: 'api: error budget burning 14.4x too fast (1h and 5m windows)'",
          "              description: 'The error ratios of SLO api over 1h and 5m are both above 1.44% (14.4 x the 0.1% error budget). At this rate 2% of the budget goes every 1h.'",
          // Twelve minutes of traffic in a 30-day window, a third of it failing: far beyond the budget.
          "              exhaustion: 'Error budget already exhausted'",
          '      - eval_time: 12m',
          '        alertname: SLOErrorBudgetBurn',
          '        exp_alerts:',
          '          - exp_labels: { severity: page, slo: api, tier: page-1h, window: 1h, short_window: 5m }',
          '            exp_annotations:',
          "              summary: 'api: error budget burning 14.4x too fast (1h and 5m windows)'",
          "              description: 'The error ratios of SLO api over 1h and 5m are both above 1.44% (14.4 x the 0.1% error budget). At this rate 2% of the budget goes every 1h.'",
          // Twelve minutes of traffic in a 30-day window, a third of it failing: far beyond the budget.
          "              exhaustion: 'Error budget already exhausted'",
        ].join('\n'),
      );
      const output = execFileSync(PROMTOOL, ['test', 'rules', 'test.yml'], { cwd: dir, encoding: 'utf8' });
      expect(output).toMatch(/SUCCESS/);
      // The engine, fed the same counters, fires at the same first evaluation (10m) and keeps firing.
      const minutes = Array.from({ length: 31 }, (_, i) => i * 60_000);
      const events = eventsFromCounts({ timestamps: minutes, bad: minutes.map((_, i) => (i < 10 ? 0 : 100 * (i - 9))), total: minutes.map((_, i) => 100 * i), kind: 'cumulative' });
      const [interval] = evaluateAlertHistory(slo, events, { range: { start: 0, end: 30 * 60_000 }, stepMs: 60_000 });
      expect(interval).toMatchObject({ tier: 'page-1h', start: 10 * 60_000, end: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

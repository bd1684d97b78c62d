import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineSLO, eventsFromCounts, evaluateAlertHistory, evaluateSLO, generatePrometheusRules, prometheusRuleGroups } from '@vigil/core/slo';
import type { AlertInterval, SLIEvents, SLO, SLOInput } from '@vigil/core/slo';
import { prometheusAvailability } from '../../test/prometheus/harness';
import { countersFromPhases, humanizeDuration, runPromtool, seriesValues, yamlSingle } from '../../test/prometheus/slo-promtool';
import type { TrafficPhase } from '../../test/prometheus/slo-promtool';

/**
 * Generated SLO rules against promtool (Debian's Prometheus 2.42):
 * - `promtool check rules` accepts the rules for every SLI shape, window and policy (and rejects a broken file, so
 *   the check can fail);
 * - `promtool test rules`, one file per tier of the default policy, proves that each tier fires at exactly the minute
 *   `evaluateAlertHistory` predicts on the same counters, with the labels and annotations (including the projected
 *   exhaustion) the engine predicts.
 */

const availability = prometheusAvailability();
if (!availability.available && process.env.CI) {
  describe('promtool', () => {
    it('is installed (required when CI is set)', () => {
      throw new Error(availability.reason);
    });
  });
}
const promtool = availability.available ? availability.promtool : '';

const MINUTE = 60_000;

const shapes: SLOInput[] = [
  {
    name: 'checkout-availability',
    displayName: 'Checkout {{ $labels.x }} availability',
    labels: { team: 'pay"ments\\eu', tier: '1' },
    sli: {
      kind: 'ratio',
      bad: { metric: 'http_requests_total', matchers: { job: 'checkout', code: '5..' } },
      total: { metric: 'http_requests_total', matchers: [{ label: 'job', op: '=', value: 'checkout' }, { label: 'path', op: '!~', value: '/health|/metrics\n"x"' }] },
    },
    target: 0.999,
    window: { duration: '30d' },
  },
  { name: 'checkout-good', sli: { kind: 'ratio', good: { promql: 'http_requests_total{code!~"5.."}' }, total: { promql: 'http_requests_total' } }, targetPercent: 99.5, window: { duration: '28d' } },
  {
    name: 'checkout-latency',
    sli: { kind: 'latency', thresholdMs: 300, histogram: { metric: 'http_request_duration_seconds', matchers: { job: 'checkout' } } },
    target: 0.99,
    window: { kind: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
  },
  { name: 'rpc-latency-ms', sli: { kind: 'latency', thresholdMs: 250, histogram: { metric: 'rpc_latency_milliseconds', unit: 'milliseconds', le: '250.0' } }, target: 0.95, window: { duration: '7d' } },
  { name: 'native-latency', sli: { kind: 'latency', thresholdMs: 250, histogram: { metric: 'rpc_duration_seconds', type: 'native' } }, target: 0.95 },
  { name: 'probes', sli: { kind: 'availability', probe: { promql: 'probe_success{job="blackbox"}' } }, target: 0.995, window: { duration: '7d' } },
  {
    name: 'custom-policy',
    sli: { kind: 'ratio', bad: { metric: 'errors_total' }, total: { metric: 'requests_total' } },
    target: 0.9995,
    window: { duration: '28d' },
    alerting: {
      referenceWindow: '30d',
      tiers: [
        { name: 'fast', severity: 'critical', burnRate: 20, longWindow: '30m', shortWindow: '2m', for: '1m' },
        { severity: 'warning', budgetConsumed: 0.15, longWindow: '12h', for: '15m' },
      ],
    },
  },
  { name: 'quarterly', sli: { kind: 'ratio', bad: { metric: 'errors_total' }, total: { metric: 'requests_total' } }, target: 0.9, window: { kind: 'calendar', unit: 'quarter', timeZone: 'Asia/Kolkata' } },
];

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-slo-promtool-'));
});
afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!availability.available)('promtool check rules', () => {
  it('accepts the rules for every SLI shape, window and policy, one file and one group per SLO', async () => {
    const slos = shapes.map(defineSLO);
    const file = join(dir, 'shapes.rules.yml');
    await writeFile(file, generatePrometheusRules(slos, { interval: '30s' }));
    const { code, output } = await runPromtool(promtool, ['check', 'rules', file], dir);
    expect(output).toContain('SUCCESS');
    expect(code).toBe(0);
    const ruleCount = prometheusRuleGroups(slos).reduce((n, g) => n + g.rules.length, 0);
    expect(output).toContain(`SUCCESS: ${ruleCount} rules found`);
    // The 28d policy was written for 30d and is rescaled: 20 x 28/30.
    expect(slos[6]!.alertTiers[0]!.burnRate).toBeCloseTo(18.6667, 4);
  });

  it('accepts the rules of 1,000 SLOs (recording only and with alerts)', async () => {
    const slos = Array.from({ length: 1000 }, (_, i) =>
      defineSLO({ name: `service-${i}`, labels: { team: `t${i % 7}` }, sli: { kind: 'ratio', bad: { metric: 'http_requests_total', matchers: { service: `s${i}`, code: '5..' } }, total: { metric: 'http_requests_total', matchers: { service: `s${i}` } } }, target: 0.99 + (i % 9) / 1000 }),
    );
    for (const recordingOnly of [false, true]) {
      const file = join(dir, `many-${recordingOnly}.rules.yml`);
      await writeFile(file, generatePrometheusRules(slos, { recordingOnly }));
      const { code, output } = await runPromtool(promtool, ['check', 'rules', file], dir);
      expect(code, output.slice(0, 2000)).toBe(0);
      expect(output).toContain(`SUCCESS: ${recordingOnly ? 11_000 : 15_000} rules found`);
    }
  }, 60_000);

  it('rejects a broken rule file (the check can fail)', async () => {
    const file = join(dir, 'broken.rules.yml');
    await writeFile(file, generatePrometheusRules([defineSLO(shapes[0]!)]).replace('sum(rate(', 'sum(rate(('));
    const { code, output } = await runPromtool(promtool, ['check', 'rules', file], dir);
    expect(code).not.toBe(0);
    expect(output).toMatch(/FAILED|parse error/);
  });
});

/** A 99.9% SLO over 30 days with the default (SRE Workbook) policy: page 14.4 / 6, ticket 3 / 1. */
const api = defineSLO({ name: 'api', labels: { team: 'core' }, sli: { kind: 'ratio', bad: { metric: 'errors_total' }, total: { metric: 'requests_total' } }, target: 0.999, window: { duration: '30d' } });

/** The same with a custom policy that has a `for`. */
const held = defineSLO({
  name: 'api-held',
  sli: { kind: 'ratio', bad: { metric: 'errors_total' }, total: { metric: 'requests_total' } },
  target: 0.999,
  window: { duration: '30d' },
  alerting: { tiers: [{ severity: 'page', burnRate: 10, longWindow: '30m', shortWindow: '5m', for: '4m' }] },
});

interface TierCase {
  readonly tier: string;
  readonly slo: SLO;
  /**
   * Traffic per minute. A heavy, error-free prefix keeps the longer windows (which the short history truncates) below
   * their thresholds, and a steady error ratio then trips exactly `tier` first, at a minute that is not a tie.
   */
  readonly phases: readonly TrafficPhase[];
}

const cases: readonly TierCase[] = [
  // 5% errors: page-1h (1.44% over 1h and 5m) after 18 minutes; the 6h window is diluted by the prefix.
  { tier: 'page-1h', slo: api, phases: [{ minutes: 600, total: 100_000, bad: 0 }, { minutes: 60, total: 10_000, bad: 0 }, { minutes: 40, total: 10_000, bad: 500 }] },
  // 1.1% errors: below page-1h's 1.44%; page-6h (0.6%) after 197 minutes.
  { tier: 'page-6h', slo: api, phases: [{ minutes: 600, total: 100_000, bad: 0 }, { minutes: 360, total: 10_000, bad: 0 }, { minutes: 200, total: 10_000, bad: 110 }] },
  // 0.59% errors: below both page tiers; ticket-1d (0.3%) after 733 minutes, while the 3d window, which also holds
  // the prefix, is still under 0.1%.
  { tier: 'ticket-1d', slo: api, phases: [{ minutes: 400, total: 100_000, bad: 0 }, { minutes: 710, total: 10_000, bad: 0 }, { minutes: 735, total: 10_000, bad: 59 }] },
  // 0.23% errors: below ticket-1d's 0.3%; ticket-3d (0.1%) once the 3d window (here: all data) passes 0.1%.
  { tier: 'ticket-3d', slo: api, phases: [{ minutes: 360, total: 10_000, bad: 0 }, { minutes: 280, total: 10_000, bad: 23 }] },
  // A held tier: 2.1% errors pass 1% over 30m and 5m after 15 minutes, then `for: 4m` delays firing.
  { tier: 'page-30m', slo: held, phases: [{ minutes: 60, total: 10_000, bad: 0 }, { minutes: 24, total: 10_000, bad: 210 }] },
];

function eventsOf(phases: readonly TrafficPhase[]): { events: SLIEvents; total: number[]; bad: number[] } {
  const { total, bad } = countersFromPhases(phases);
  const events = eventsFromCounts({ timestamps: total.map((_, i) => i * MINUTE), bad, total, kind: 'cumulative' });
  return { events, total, bad };
}

/** The exhaustion annotation the rule's template prints, from the engine's budget and burn rate at `at`. */
function exhaustionText(slo: SLO, events: SLIEvents, at: number, longWindowMs: number, long: string): string {
  const status = evaluateSLO(slo, events, { at, burnRateWindows: [longWindowMs] });
  const remaining = status.errorBudget.ratio.remaining;
  if (remaining <= 0) return 'Error budget already exhausted';
  const seconds = (remaining * status.windowLengthMs) / status.burnRates[0]!.burnRate / 1000;
  // Prometheus truncates to whole seconds; a value this close to a whole second could round either way.
  const fraction = seconds - Math.trunc(seconds);
  expect(Math.min(fraction, 1 - fraction), `exhaustion ${seconds}s is too close to a whole second to predict`).toBeGreaterThan(1e-6);
  return `Error budget exhausted in ${humanizeDuration(seconds)} at the ${long} burn rate`;
}

describe.skipIf(!availability.available)('promtool test rules: each tier fires at the minute evaluateAlertHistory predicts', () => {
  it.each(cases.map((c) => [c.tier, c] as const))('%s', async (tierName, { slo, phases }) => {
    const { events, total, bad } = eventsOf(phases);
    const lastMinute = total.length - 1;
    const intervals = evaluateAlertHistory(slo, events, { range: { start: 0, end: lastMinute * MINUTE }, stepMs: MINUTE });
    const first = intervals[0];
    expect(first, 'the engine predicts an alert').toBeDefined();
    // Exactly one tier fires first, and it is the one this case is about.
    expect(intervals.filter((i) => i.start === first!.start).map((i) => i.tier)).toEqual([tierName]);
    const fireMinute = first!.start / MINUTE;
    expect(fireMinute).toBeLessThan(lastMinute);
    const tier = slo.alertTiers.find((t) => t.name === tierName)!;
    if (tier.forMs > 0) expect(first!.start - first!.pendingSince).toBe(tier.forMs);

    // No tie at the minutes checked: every window's error ratio is clearly on one side of its threshold.
    const checked = [...new Set([phases[0]!.minutes, fireMinute - tier.forMs / MINUTE - 1, fireMinute - 1, fireMinute, fireMinute + 1])].filter((m) => m >= 0 && m <= lastMinute).sort((a, b) => a - b);
    for (const minute of checked) {
      const status = evaluateSLO(slo, events, { at: minute * MINUTE, burnRateWindows: slo.alertTiers.flatMap((t) => [t.longWindowMs, t.shortWindowMs]) });
      status.burnRates.forEach((b, j) => {
        const threshold = slo.alertTiers[j >> 1]!.errorRatioThreshold;
        expect(Math.abs(b.errorRatio - threshold) / threshold, `minute ${minute}, window ${b.windowMs}`).toBeGreaterThan(1e-9);
      });
    }

    const rules = prometheusRuleGroups([slo])[0]!.rules.filter((r) => r.alert !== undefined);
    const firingAt = (minute: number): AlertInterval[] => intervals.filter((i) => i.start <= minute * MINUTE && (i.end === null || minute * MINUTE < i.end));
    const lines = [
      'rule_files: [rules.yml]',
      'evaluation_interval: 1m',
      'tests:',
      '  - interval: 1m',
      '    input_series:',
      `      - series: 'requests_total'`,
      `        values: '${seriesValues(total)}'`,
      `      - series: 'errors_total'`,
      `        values: '${seriesValues(bad)}'`,
      '    alert_rule_test:',
    ];
    for (const minute of checked) {
      lines.push(`      - eval_time: ${minute}m`, '        alertname: SLOErrorBudgetBurn');
      const firing = firingAt(minute);
      if (firing.length === 0) {
        lines.push('        exp_alerts: []');
        continue;
      }
      lines.push('        exp_alerts:');
      for (const interval of firing) {
        const t = slo.alertTiers.find((x) => x.name === interval.tier)!;
        const rule = rules.find((r) => r.labels.tier === interval.tier)!;
        const long = rule.labels.window!;
        const exhaustion = exhaustionText(slo, events, minute * MINUTE, t.longWindowMs, long);
        if (minute * MINUTE === interval.start && interval.exhaustionAt > interval.start) {
          // The interval's own projection agrees with the annotation's.
          expect(exhaustion).toBe(`Error budget exhausted in ${humanizeDuration((interval.exhaustionAt - interval.start) / 1000)} at the ${long} burn rate`);
        }
        const labels = { ...slo.labels, severity: t.severity, slo: slo.name, tier: t.name, window: long, short_window: rule.labels.short_window! };
        lines.push(
          `          - exp_labels: { ${Object.entries(labels).map(([k, v]) => `${k}: ${yamlSingle(v)}`).join(', ')} }`,
          '            exp_annotations:',
          `              summary: ${yamlSingle(rule.annotations!.summary!)}`,
          `              description: ${yamlSingle(rule.annotations!.description!)}`,
          `              exhaustion: ${yamlSingle(exhaustion)}`,
        );
      }
    }
    const caseDir = await mkdtemp(join(dir, `${tierName}-`));
    await writeFile(join(caseDir, 'rules.yml'), generatePrometheusRules([slo]));
    await writeFile(join(caseDir, 'test.yml'), `${lines.join('\n')}\n`);
    const { code, output } = await runPromtool(promtool, ['test', 'rules', 'test.yml'], caseDir);
    expect(output, `promtool test rules failed for ${tierName}; test file in ${caseDir}`).toContain('SUCCESS');
    expect(code).toBe(0);
    // The minute before, nothing of this tier fired; at the minute, it did (both sides checked by promtool above).
    expect(firingAt(fireMinute - 1).some((i) => i.tier === tierName)).toBe(false);
    expect(firingAt(fireMinute).map((i) => i.tier)).toEqual([tierName]);
  }, 120_000);

  it('fails when the expectation is one minute early (the comparison can fail)', async () => {
    const { slo, phases, tier } = cases[0]!;
    const { events, total, bad } = eventsOf(phases);
    const [interval] = evaluateAlertHistory(slo, events, { range: { start: 0, end: (total.length - 1) * MINUTE }, stepMs: MINUTE });
    const early = interval!.start / MINUTE - 1;
    const caseDir = await mkdtemp(join(dir, 'early-'));
    await writeFile(join(caseDir, 'rules.yml'), generatePrometheusRules([slo]));
    await writeFile(
      join(caseDir, 'test.yml'),
      [
        'rule_files: [rules.yml]',
        'evaluation_interval: 1m',
        'tests:',
        '  - interval: 1m',
        '    input_series:',
        `      - series: 'requests_total'`,
        `        values: '${seriesValues(total)}'`,
        `      - series: 'errors_total'`,
        `        values: '${seriesValues(bad)}'`,
        '    alert_rule_test:',
        `      - eval_time: ${early}m`,
        '        alertname: SLOErrorBudgetBurn',
        '        exp_alerts:',
        `          - exp_labels: { severity: page, slo: api, team: core, tier: ${tier}, window: 1h, short_window: 5m }`,
        '',
      ].join('\n'),
    );
    const { code, output } = await runPromtool(promtool, ['test', 'rules', 'test.yml'], caseDir);
    expect(code).not.toBe(0);
    expect(output).toContain('FAILED');
  }, 60_000);
});

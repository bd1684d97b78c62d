import { describe, expect, it } from 'vitest';
import { parseOpenSLO } from './openslo';
import { SLOValidationError } from './define';
import { generatePrometheusRules } from './prometheus';

const H = 3_600_000;

const documents = [
  { apiVersion: 'openslo/v1', kind: 'Service', metadata: { name: 'checkout', displayName: 'Checkout' }, spec: { description: 'Pays for things' } },
  { apiVersion: 'openslo/v1', kind: 'DataSource', metadata: { name: 'prom' }, spec: { type: 'Prometheus', connectionDetails: { url: 'http://127.0.0.1:9090' } } },
  {
    apiVersion: 'openslo/v1',
    kind: 'SLI',
    metadata: { name: 'checkout-errors' },
    spec: {
      ratioMetric: {
        counter: true,
        bad: { metricSource: { metricSourceRef: 'prom', spec: { query: 'http_requests_total{job="checkout",code=~"5.."}' } } },
        total: { metricSource: { metricSourceRef: 'prom', spec: { query: 'http_requests_total{job="checkout"}' } } },
      },
    },
  },
  {
    apiVersion: 'openslo/v1',
    kind: 'AlertCondition',
    metadata: { name: 'fast-burn' },
    spec: { severity: 'page', condition: { kind: 'burnrate', op: 'gte', threshold: 14.4, lookbackWindow: '1h', alertAfter: '2m' } },
  },
  {
    apiVersion: 'openslo/v1',
    kind: 'AlertPolicy',
    metadata: { name: 'default' },
    spec: {
      conditions: [
        { conditionRef: 'fast-burn' },
        { kind: 'AlertCondition', apiVersion: 'openslo/v1', metadata: { name: 'slow-burn' }, spec: { severity: 'ticket', condition: { kind: 'burnrate', op: 'gte', threshold: 1, lookbackWindow: '3d' } } },
      ],
    },
  },
  {
    apiVersion: 'openslo/v1',
    kind: 'SLO',
    metadata: { name: 'checkout-availability', labels: { team: ['payments', 'eu'] } },
    spec: {
      service: 'checkout',
      indicatorRef: 'checkout-errors',
      timeWindow: [{ duration: '1M', isRolling: false, calendar: { startTime: '2024-01-01 00:00:00', timeZone: 'Europe/Berlin' } }],
      budgetingMethod: 'Occurrences',
      objectives: [{ displayName: 'Three nines', target: 0.999 }],
      alertPolicies: ['default'],
    },
  },
];

describe('parseOpenSLO', () => {
  it('resolves references between documents', () => {
    const { slos, services, dataSources } = parseOpenSLO(documents);
    expect(services).toEqual([{ name: 'checkout', displayName: 'Checkout', description: 'Pays for things' }]);
    expect(dataSources).toEqual([{ name: 'prom', type: 'Prometheus', connectionDetails: { url: 'http://127.0.0.1:9090' } }]);
    expect(slos).toHaveLength(1);
    const slo = slos[0]!;
    expect(slo).toMatchObject({
      name: 'checkout-availability',
      displayName: 'Three nines',
      service: 'checkout',
      labels: { team: 'payments,eu' },
      target: 0.999,
      window: { kind: 'calendar', unit: 'month', timeZone: 'Europe/Berlin', weekStartsOn: 1 },
      sli: { kind: 'ratio', bad: { promql: 'http_requests_total{job="checkout",code=~"5.."}' }, total: { promql: 'http_requests_total{job="checkout"}' } },
    });
    expect(slo.alertTiers.map((t) => [t.name, t.severity, t.burnRate, t.longWindowMs, t.shortWindowMs, t.forMs])).toEqual([
      ['fast-burn', 'page', 14.4, H, 5 * 60_000, 120_000],
      ['slow-burn', 'ticket', 1, 72 * H, 6 * H, 0],
    ]);
    expect(generatePrometheusRules(slos)).toContain('sum(rate(http_requests_total{job=\\"checkout\\",code=~\\"5..\\"}[1h]))');
  });

  it('maps rolling windows, inline indicators, timeslices and several objectives', () => {
    const { slos } = parseOpenSLO({
      apiVersion: 'openslo/v1',
      kind: 'SLO',
      metadata: { name: 'latency' },
      spec: {
        indicator: { metadata: { name: 'fast' }, spec: { ratioMetric: { good: { metricSource: { type: 'Prometheus', spec: { query: 'ok_total' } } }, total: { metricSource: { type: 'Prometheus', spec: { query: 'all_total' } } } } } },
        timeWindow: [{ duration: '28d', isRolling: true }],
        budgetingMethod: 'Timeslices',
        objectives: [
          { targetPercent: 99, timeSliceTarget: 0.95, timeSliceWindow: '1m' },
          { target: 0.9, timeSliceTarget: 0.8, timeSliceWindow: '5m' },
        ],
      },
    });
    expect(slos.map((s) => s.name)).toEqual(['latency-0', 'latency-1']);
    expect(slos[0]!.window).toEqual({ kind: 'rolling', durationMs: 28 * 24 * H });
    expect(slos[0]!.timeslice).toEqual({ durationMs: 60_000, target: 0.95 });
    expect(slos[1]!.timeslice).toEqual({ durationMs: 300_000, target: 0.8 });
    expect(slos[0]!.alertTiers[0]!.burnRate).toBeCloseTo(13.44, 12); // default policy, scaled to 28 days
  });

  it('collects every problem across documents with OpenSLO field paths', () => {
    let error: unknown;
    try {
      parseOpenSLO([
        { apiVersion: 'openslo/v2', kind: 'SLI', metadata: { name: 'x' }, spec: { thresholdMetric: {} } },
        {
          apiVersion: 'openslo/v1',
          kind: 'SLO',
          metadata: { name: 'bad' },
          spec: {
            indicatorRef: 'missing',
            timeWindow: [{ duration: '1M', isRolling: true }],
            budgetingMethod: 'Sometimes',
            objectives: [{ target: 1.5 }],
            alertPolicies: ['nope'],
          },
        },
        { apiVersion: 'openslo/v1', kind: 'Nonsense', metadata: { name: 'n' }, spec: {} },
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SLOValidationError);
    expect((error as SLOValidationError).issues.map((i) => i.path).sort()).toEqual(
      [
        '[0].apiVersion',
        '[0].spec.thresholdMetric',
        '[1].spec.indicatorRef',
        '[1].spec.budgetingMethod',
        '[1].spec.timeWindow[0].duration',
        '[1].spec.alertPolicies[0]',
        '[1].spec.objectives[0].target',
        '[2].kind',
      ].sort(),
    );
    expect(() => parseOpenSLO({ apiVersion: 'openslo/v1', kind: 'SLO', metadata: { name: 'Upper' }, spec: {} })).toThrow(/metadata.name: expected a DNS-style name/);
  });
});

import { describe, expect, it } from 'vitest';
import { createSeries } from '../series/create';
import type { Series } from '../series/types';
import { SourceError, VigilError } from '../errors';
import type { DataSource } from '../source';
import { createAlertEvaluator } from './evaluator';
import { evaluateFromSource } from './source';
import { validateRule, validateRules } from './validate';
import { isMaintenanceWindowOpen } from './maintenance';
import type { AlertEvaluatorConfig, AlertRule, AlertState, EvaluationResult } from './types';

const MIN = 60_000;

function gauge(labels: Record<string, string>, values: (number | null)[]): Series {
  const points = values.map((v, i) => [i * MIN, v] as const).filter(([, v]) => v !== null) as [number, number][];
  return createSeries({ labels, timestamps: points.map((p) => p[0]), values: points.map((p) => p[1]) });
}

const threshold = (over: Partial<AlertRule> = {}): AlertRule => ({
  id: 'r',
  name: 'High',
  query: { expr: 'x' },
  reducer: { type: 'last', windowMs: MIN },
  condition: { type: 'threshold', operator: '>', critical: { value: 5 } },
  ...over,
});

/** Runs ticks 0..n-1 minutes and returns the state of the one critical instance after each tick ('-' when none). */
function states(rule: AlertRule, values: (number | null)[], extra: Partial<AlertEvaluatorConfig> = {}): string {
  const evaluator = createAlertEvaluator({ rules: [rule], ...extra });
  const series = gauge({ host: 'a' }, values);
  return values
    .map((_, k) => {
      evaluator.evaluate(k * MIN, { r: { series: [series] } });
      const instance = evaluator.instances().find((i) => i.severity === 'critical');
      return instance === undefined ? '-' : ({ inactive: 'i', pending: 'P', firing: 'F', resolved: 'R' } as Record<AlertState, string>)[instance.state];
    })
    .join('');
}

describe('state machine golden cases', () => {
  it('fires at once without for, resolves when the condition clears', () => {
    expect(states(threshold(), [1, 6, 7, 2, 2, 9])).toBe('-FFR-F');
  });
  it('for: pending until the condition held forMs, reset when it clears', () => {
    expect(states(threshold({ forMs: 2 * MIN }), [6, 6, 1, 6, 6, 6, 6, 1, 1])).toBe('PP-PPFFR-');
  });
  it('keep-firing-for: keeps firing while clear for less than keepFiringForMs; a new breach resets it', () => {
    expect(states(threshold({ keepFiringForMs: 2 * MIN }), [6, 1, 1, 1, 1, 6, 1, 6, 1, 1, 1])).toBe('FFFR-FFFFFR');
  });
  it('hysteresis: fires above the value, stays firing until below the recovery', () => {
    const rule = threshold({ condition: { type: 'threshold', operator: '>', critical: { value: 5, recovery: 3 } } });
    expect(states(rule, [4, 6, 4, 5, 3.5, 3, 4, 5, 6])).toBe('-FFFFR--F');
  });
  it('hysteresis for <', () => {
    const rule = threshold({ condition: { type: 'threshold', operator: '<', critical: { value: 2, recovery: 4 } } });
    expect(states(rule, [5, 1, 3, 3.9, 4, 3, 1])).toBe('-FFFR-F');
  });
  it('cooldown: after resolving, the instance stays inactive for cooldownMs', () => {
    expect(states(threshold({ cooldownMs: 2 * MIN }), [6, 1, 6, 6, 6, 1])).toBe('FRiFFR');
  });
  it('no-data ok resolves, alerting fires, keep-last freezes', () => {
    const values = [6, null, null, 6, 1];
    expect(states(threshold({ noData: 'ok' }), values)).toBe('FR-FR');
    expect(states(threshold({ noData: 'alerting' }), [1, null, null, 1])).toBe('-FFR');
    expect(states(threshold({ noData: 'keep-last', forMs: MIN }), [6, null, null, 6, 6])).toBe('PPPFF');
  });
  it('query errors: keep-last by default, alerting or ok when asked', () => {
    const run = (onError: 'ok' | 'alerting' | 'keep-last') => {
      const evaluator = createAlertEvaluator({ rules: [threshold({ onError })] });
      const series = gauge({ host: 'a' }, [6]);
      const out: (EvaluationResult | undefined)[] = [];
      out.push(evaluator.evaluate(0, { r: { series: [series] } }));
      out.push(evaluator.evaluate(MIN, { r: { error: new SourceError('SOURCE_TIMEOUT', 'timed out') } }));
      return { states: evaluator.instances().map((i) => `${i.state}:${i.reason}`), errors: out[1]?.errors };
    };
    expect(run('keep-last').states).toEqual(['firing:condition']);
    expect(run('keep-last').errors).toEqual([{ ruleId: 'r', message: 'timed out', code: 'SOURCE_TIMEOUT' }]);
    expect(run('ok').states).toEqual(['resolved:null']);
    expect(run('alerting').states.sort()).toEqual(['firing:error', 'firing:error']);
  });
  it('malformed data is a rule error, never a throw', () => {
    const evaluator = createAlertEvaluator({ rules: [threshold()] });
    const result = evaluator.evaluate(0, { r: { series: [{ labels: {}, timestamps: [1], values: [2] } as never] } });
    expect(result.errors[0]?.code).toBe('INVALID_ARGUMENT');
    expect(result.errors[0]?.message).toContain('data.r.series[0].timestamps');
  });
  it('absent fires when no series has a sample in the window', () => {
    const rule: AlertRule = { id: 'r', name: 'Gone', query: { expr: 'up' }, reducer: { type: 'last', windowMs: MIN }, condition: { type: 'absent' }, severity: 'critical', forMs: MIN };
    expect(states(rule, [1, null, null, null, 1, null])).toBe('-PFFRP');
  });
  it('change% up and down against the value one window earlier', () => {
    const up: AlertRule = { id: 'r', name: 'Spike', query: { expr: 'x' }, reducer: { type: 'last', windowMs: MIN }, condition: { type: 'change', direction: 'up', windowMs: 2 * MIN, critical: { value: 50 } } };
    // 10 -> 16 two minutes later is +60%; 10 -> 14 is +40%.
    expect(states(up, [10, 10, 16, 14, 10])).toBe('--FR-');
    const down: AlertRule = { ...up, condition: { type: 'change', direction: 'down', windowMs: 2 * MIN, critical: { value: 50 } } };
    expect(states(down, [10, 10, 4, 6, 4])).toBe('--FR-');
  });
  it('ticks must not go back in time', () => {
    const evaluator = createAlertEvaluator({ rules: [threshold()] });
    evaluator.evaluate(10, {});
    expect(() => evaluator.evaluate(5, {})).toThrow(/now/);
    expect(() => evaluator.evaluate(NaN, {})).toThrow(VigilError);
  });
});

describe('grouping, silences, maintenance windows, inhibition', () => {
  const two = (): AlertRule => ({
    id: 'lat',
    name: 'Latency',
    query: { expr: 'lat' },
    reducer: { type: 'last', windowMs: MIN },
    condition: { type: 'threshold', operator: '>', warning: { value: 1 }, critical: { value: 2 } },
    annotations: { summary: '{{ $labels.service }} {{ $value }}' },
  });
  /** One sample per service at time t. */
  const data = (values: Record<string, number>, t = 0) => ({ lat: { series: Object.entries(values).map(([service, v]) => createSeries({ labels: { service, cluster: 'eu' }, timestamps: [t], values: [v] })) } });

  it('groups by labels into the shared AlertGroup shape, deduplicated by fingerprint', () => {
    const evaluator = createAlertEvaluator({ rules: [two()], grouping: { groupBy: ['alertname', 'severity'], receiver: 'ops' } });
    const result = evaluator.evaluate(0, data({ api: 3, web: 1.5, db: 0 }));
    expect(result.alerts).toHaveLength(3); // api warning + critical, web warning
    expect(new Set(result.alerts.map((a) => a.fingerprint)).size).toBe(3);
    expect(result.groups.map((g) => [g.groupKey, g.alerts.length])).toEqual([
      ['ops:{alertname="Latency",severity="critical"}', 1],
      ['ops:{alertname="Latency",severity="warning"}', 2],
    ]);
    const warning = result.groups[1];
    expect(warning?.commonLabels).toEqual({ alertname: 'Latency', severity: 'warning', cluster: 'eu' });
    expect(warning?.groupLabels).toEqual({ alertname: 'Latency', severity: 'warning' });
    expect(warning?.status).toBe('firing');
    expect(result.notifications.map((n) => `${n.reason}:${n.receiver}`)).toEqual(['firing:ops', 'firing:ops']);
  });

  it('inhibits warnings while the critical alert with equal labels fires (Alertmanager semantics)', () => {
    const evaluator = createAlertEvaluator({
      rules: [two()],
      inhibitRules: [{ sourceMatchers: [{ name: 'severity', value: 'critical', isRegex: false }], targetMatchers: [{ name: 'severity', value: 'warning', isRegex: false }], equal: ['alertname', 'service'] }],
    });
    const result = evaluator.evaluate(0, data({ api: 3, web: 1.5 }));
    expect(result.alerts.map((a) => `${a.labels.service}:${a.labels.severity}`).sort()).toEqual(['api:critical', 'web:warning']);
    const inhibited = evaluator.instances().find((i) => i.labels.service === 'api' && i.severity === 'warning');
    expect(inhibited?.inhibitedBy).toHaveLength(1);
  });

  it('an alert matching both source and target does not inhibit itself; a missing equal label counts as empty', () => {
    const evaluator = createAlertEvaluator({
      rules: [two()],
      inhibitRules: [{ sourceMatchers: [{ name: 'alertname', value: 'Latency', isRegex: false }], targetMatchers: [{ name: 'alertname', value: 'Lat.*', isRegex: true }], equal: ['service', 'missing'] }],
    });
    const result = evaluator.evaluate(0, data({ api: 3, web: 1.5 }));
    // api critical and api warning inhibit each other (both match both sides); web warning is alone.
    expect(result.alerts.map((a) => `${a.labels.service}:${a.labels.severity}`)).toEqual(['web:warning']);
  });

  it('silences mute matching alerts during [startsAt, endsAt); expireSilence ends them', () => {
    const evaluator = createAlertEvaluator({ rules: [two()], silences: [{ id: 's1', matchers: [{ name: 'service', value: 'api|db', isRegex: true }], startsAt: 0, endsAt: 2 * MIN }] });
    expect(evaluator.evaluate(0, data({ api: 3 })).alerts).toEqual([]);
    expect(evaluator.instances()[0]?.silencedBy).toEqual(['s1']);
    expect(evaluator.evaluate(MIN, data({ api: 3 }, MIN)).alerts).toEqual([]);
    expect(evaluator.evaluate(2 * MIN, data({ api: 3 }, 2 * MIN)).alerts).toHaveLength(2);
    evaluator.addSilence({ id: 's2', matchers: [{ name: 'severity', value: 'warning', isRegex: false }], startsAt: 0, endsAt: 10 * MIN });
    expect(evaluator.evaluate(3 * MIN, data({ api: 3 }, 3 * MIN)).alerts.map((a) => a.labels.severity)).toEqual(['critical']);
    expect(evaluator.expireSilence('s2', 4 * MIN)).toBe(true);
    expect(evaluator.evaluate(4 * MIN, data({ api: 3 }, 4 * MIN)).alerts).toHaveLength(2);
    expect(() => evaluator.addSilence({ id: 'x', matchers: [], startsAt: 0, endsAt: 1 })).toThrow(/silence.matchers/);
  });

  it('recurring maintenance windows in a time zone, across a DST change', () => {
    const window = { id: 'nightly', matchers: [{ name: 'service', value: 'api', isRegex: false }], timeZone: 'Europe/Berlin', recurrence: { type: 'daily' as const, start: '02:00', durationMs: 3_600_000 } };
    // Winter (CET, UTC+1): 02:30 local = 01:30 UTC. Summer (CEST, UTC+2): 02:30 local = 00:30 UTC.
    expect(isMaintenanceWindowOpen(window, Date.UTC(2026, 0, 10, 1, 30))).toBe(true);
    expect(isMaintenanceWindowOpen(window, Date.UTC(2026, 0, 10, 0, 30))).toBe(false);
    expect(isMaintenanceWindowOpen(window, Date.UTC(2026, 6, 10, 0, 30))).toBe(true);
    expect(isMaintenanceWindowOpen(window, Date.UTC(2026, 6, 10, 1, 30))).toBe(false);
    // Weekly, Saturdays 23:00 for 3 hours: spans midnight into Sunday.
    const weekly = { ...window, timeZone: 'UTC', recurrence: { type: 'weekly' as const, days: [6], start: '23:00', durationMs: 3 * 3_600_000 } };
    expect(isMaintenanceWindowOpen(weekly, Date.UTC(2026, 10, 22, 1, 0))).toBe(true); // Sunday 01:00
    expect(isMaintenanceWindowOpen(weekly, Date.UTC(2026, 10, 23, 1, 0))).toBe(false); // Monday 01:00
    const evaluator = createAlertEvaluator({ rules: [two()], maintenanceWindows: [window] });
    expect(evaluator.evaluate(Date.UTC(2026, 0, 10, 1, 30), data({ api: 3, web: 3 }, Date.UTC(2026, 0, 10, 1, 30))).alerts.map((a) => a.labels.service)).toEqual(['web', 'web']);
    expect(() => createAlertEvaluator({ rules: [], maintenanceWindows: [{ ...window, recurrence: { type: 'daily', start: '25:00', durationMs: 1 } }] })).toThrow(/maintenanceWindows\[0\]\.recurrence\.start/);
  });
});

describe('escalation, acknowledgement, history, snapshot', () => {
  const rule = threshold({ escalationPolicy: 'oncall' });
  const config: AlertEvaluatorConfig = {
    rules: [rule],
    escalationPolicies: [{ id: 'oncall', steps: [{ receivers: ['primary'], afterMs: 0, repeatIntervalMs: 5 * MIN }, { receivers: ['secondary', 'manager'], afterMs: 10 * MIN }] }],
  };
  const firing = (t: number) => ({ r: { series: [createSeries({ labels: { host: 'a' }, timestamps: [t], values: [9] })] } });

  it('re-notifies after N minutes, then escalates to the next target; resolution goes to everyone notified', () => {
    const evaluator = createAlertEvaluator(config);
    const log: string[] = [];
    for (let m = 0; m <= 12; m++) for (const n of evaluator.evaluate(m * MIN, firing(m * MIN)).notifications) log.push(`${m}:${n.reason}:${n.receiver}:${n.step}`);
    for (const n of evaluator.evaluate(13 * MIN, { r: { series: [createSeries({ labels: { host: 'a' }, timestamps: [13 * MIN], values: [1] })] } }).notifications) log.push(`13:${n.reason}:${n.receiver}`);
    expect(log).toEqual(['0:firing:primary:0', '5:repeat:primary:0', '10:repeat:primary:0', '10:escalation:secondary:1', '10:escalation:manager:1', '13:resolved:manager', '13:resolved:primary', '13:resolved:secondary']);
  });

  it('acknowledging stops repeats and escalation', () => {
    const evaluator = createAlertEvaluator(config);
    const first = evaluator.evaluate(0, firing(0));
    evaluator.acknowledge(first.groups[0]?.groupKey as string, MIN);
    const later: string[] = [];
    for (let m = 1; m <= 12; m++) for (const n of evaluator.evaluate(m * MIN, firing(m * MIN)).notifications) later.push(n.receiver);
    expect(later).toEqual([]);
    expect(evaluator.instances()[0]?.acknowledged).toBe(true);
    expect(() => evaluator.acknowledge('nope', 0)).toThrow(/groupKey/);
  });

  it('history records every transition, bounded by historyLimit', () => {
    const evaluator = createAlertEvaluator({ rules: [threshold({ forMs: MIN })], historyLimit: 3 });
    const values = [9, 9, 1, 9, 9, 1];
    values.forEach((v, k) => evaluator.evaluate(k * MIN, { r: { series: [createSeries({ labels: { host: 'a' }, timestamps: [k * MIN], values: [v] })] } }));
    // Transitions: 0 i>P, 1 P>F, 2 F>R, 3 R>P, 4 P>F, 5 F>R; the limit keeps the last three.
    expect(evaluator.history().map((h) => `${h.time / MIN}:${h.from}>${h.to}`)).toEqual(['3:resolved>pending', '4:pending>firing', '5:firing>resolved']);
    expect(evaluator.history({ since: 4 * MIN })).toHaveLength(2);
  });

  it('snapshot is JSON-safe and restore continues exactly where the original would', () => {
    const a = createAlertEvaluator({ ...config, rules: [threshold({ escalationPolicy: 'oncall', forMs: 2 * MIN, keepFiringForMs: MIN })] });
    const b = createAlertEvaluator({ ...config, rules: [threshold({ escalationPolicy: 'oncall', forMs: 2 * MIN, keepFiringForMs: MIN })] });
    const values = [9, 9, 9, 9, 1, 9, 9, 9, 1, 1, 1, 9, 9, 9, 9, 9, 9, 9];
    const tick = (e: typeof a, k: number) => e.evaluate(k * MIN, { r: { series: [createSeries({ labels: { host: 'a' }, timestamps: [k * MIN], values: [values[k] as number] })] } });
    for (let k = 0; k < 6; k++) tick(a, k);
    b.restore(JSON.parse(JSON.stringify(a.snapshot())));
    for (let k = 6; k < values.length; k++) {
      const ra = tick(a, k);
      const rb = tick(b, k);
      expect(rb).toEqual(ra);
    }
    expect(b.history()).toEqual(a.history());
  });

  it('restore validates the snapshot and names the bad field', () => {
    const evaluator = createAlertEvaluator(config);
    evaluator.evaluate(0, firing(0));
    const good = evaluator.snapshot();
    const bad = (mutate: (s: Record<string, unknown>) => void) => {
      const copy = JSON.parse(JSON.stringify(good)) as Record<string, unknown>;
      mutate(copy);
      try {
        evaluator.restore(copy as never);
      } catch (error) {
        return (error as VigilError).path;
      }
      return 'no error';
    };
    expect(bad((s) => (s.version = 2))).toBe('snapshot.version');
    expect(bad((s) => ((s.instances as Record<string, unknown>[])[0]!.state = 'exploded'))).toBe('snapshot.instances[0].state');
    expect(bad((s) => ((s.instances as Record<string, unknown>[])[0]!.firedAt = null))).toBe('snapshot.instances[0].firedAt');
    expect(bad((s) => ((s.instances as Record<string, unknown>[])[0]!.seriesKey = '{x="1"}'))).toBe('snapshot.instances[0].seriesKey');
    expect(bad((s) => (s.history = 'x'))).toBe('snapshot.history');
    expect(() => evaluator.restore(null as never)).toThrow(VigilError);
  });
});

describe('validateRules names the field path', () => {
  it('collects every problem', () => {
    const problems = validateRules([
      threshold(),
      threshold({ id: 'r' }),
      { ...threshold({ id: 'x' }), forMs: -5, reducer: { type: 'percentile', percentile: 0 }, condition: { type: 'threshold', operator: '>', critical: { value: 5, recovery: 6 } }, labels: { alertname: 'x', ok: '{{ $value }}' }, runbookUrl: 'javascript:alert(1)' },
      { id: 'y', name: 'Y', query: { expr: '' }, condition: { type: 'threshold', operator: '=>' } },
    ]).map((p) => p.path);
    expect(problems).toEqual([
      'rules[1].id',
      'rules[2].reducer.percentile',
      'rules[2].condition.critical.recovery',
      'rules[2].forMs',
      'rules[2].labels.alertname',
      'rules[2].labels.ok',
      'rules[2].runbookUrl',
      'rules[3].query.expr',
      'rules[3].condition.operator',
      'rules[3].condition',
    ]);
    expect(validateRule(threshold())).toEqual([]);
    expect(validateRule(null)[0]?.path).toBe('rule');
    expect(() => createAlertEvaluator({ rules: [threshold({ forMs: 1.5 })] })).toThrow(/rules\[0\]\.forMs/);
    expect(() => createAlertEvaluator({ rules: [threshold({ escalationPolicy: 'nope' })] })).toThrow(/rules\[0\]\.escalationPolicy/);
  });
});

describe('evaluateFromSource', () => {
  it('queries each rule window through the data-source contract and turns failures into rule errors', async () => {
    const asked: string[] = [];
    const source: DataSource = {
      id: 'test',
      capabilities: { metrics: true, traces: false, events: false, live: false, queryLanguage: 'promql' },
      async queryRange(request) {
        asked.push(`${request.query} ${request.range.start}..${request.range.end} @${request.stepMs}`);
        if (request.query === 'broken') throw new SourceError('BAD_QUERY', 'parse error');
        return { data: [gauge({ host: 'a' }, [9, 9, 9, 9, 9, 9])], warnings: [] };
      },
      async queryInstant() {
        return { data: [], warnings: [] };
      },
    };
    const evaluator = createAlertEvaluator({ rules: [threshold({ reducer: { type: 'avg', windowMs: 2 * MIN } }), threshold({ id: 'b', query: { expr: 'broken', stepMs: 30_000 } })] });
    const result = await evaluateFromSource(evaluator, source, 5 * MIN);
    expect(asked.sort()).toEqual([`broken ${5 * MIN - MIN}..${5 * MIN} @30000`, `x ${3 * MIN}..${5 * MIN} @60000`]);
    expect(result.alerts).toHaveLength(1);
    expect(result.errors).toEqual([{ ruleId: 'b', message: 'parse error', code: 'BAD_QUERY' }]);
    const controller = new AbortController();
    controller.abort();
    await expect(evaluateFromSource(evaluator, source, 6 * MIN, { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

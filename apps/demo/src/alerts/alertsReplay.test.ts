import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createAlertEvaluator, type Alert, type AlertRule } from '@vigil/core/alerting';
import type { Series } from '@vigil/core';
import { createAlertsReplayer, lookbackOf, type AlertsReplayJob, type ReplayData } from './alertsReplay';
import { createAlertsSimulation } from './alertsSimulation';
import { DEMO_RULES } from './demoRules';

const anchor = Date.UTC(2025, 0, 6, 12, 0, 0);
const source = createAlertsSimulation({ seed: 7, frozenNow: anchor + 3_600_000, anchor });
const ALWAYS: AlertRule = { id: 'always', name: 'AlwaysCPU', query: { expr: 'sum by (service) (rate(process_cpu_seconds_total[5m]))' }, reducer: { type: 'last', windowMs: 300_000 }, condition: { type: 'threshold', operator: '>', warning: { value: 0 } }, forMs: 0 };

async function fetchData(rules: readonly AlertRule[], start: number, end: number, stepMs: number): Promise<ReplayData> {
  const out: Record<string, { series: Series[] }> = {};
  for (const rule of rules) out[rule.id] = { series: (await source.queryRange({ query: rule.query.expr, range: { start: start - lookbackOf(rule), end }, stepMs })).data };
  return out;
}

function job(rules: readonly AlertRule[], data: ReplayData, start: number, end: number, stepMs: number, acknowledgements: AlertsReplayJob['acknowledgements'] = []): AlertsReplayJob {
  const runnable = rules.map((rule) => ({ ...rule, query: { ...rule.query, stepMs } }));
  return { key: JSON.stringify([runnable, start, end, stepMs]), rules: runnable, silences: [], acknowledgements, data, start, end, stepMs };
}

const strip = ({ evaluationMs: _e, incremental: _i, ...rest }: Record<string, unknown>) => rest;

/** The tab's previous main-thread loop, verbatim in substance: the oracle for "same engine, same results". */
function oldLoop(rules: readonly AlertRule[], data: ReplayData, start: number, end: number, stepMs: number) {
  const runnable = rules.map((rule) => ({ ...rule, query: { ...rule.query, stepMs } }));
  const evaluator = createAlertEvaluator({ rules: runnable, silences: [], grouping: { groupBy: ['alertname', 'service'] } });
  let alerts: Alert[] = [];
  for (let t = Math.ceil(start / stepMs) * stepMs; t <= end; t += stepMs) {
    const window: Record<string, { series: Series[] }> = {};
    for (const rule of runnable) {
      const entry = data[rule.id] as { series: Series[] };
      const from = t - lookbackOf(rule) - stepMs;
      window[rule.id] = { series: entry.series.map((s) => { const ts = [...s.timestamps]; const lo = ts.findIndex((x) => x > from); const hi = ts.findIndex((x) => x > t); const l = lo < 0 ? ts.length : lo; const h = hi < 0 ? ts.length : hi; return { ...s, timestamps: s.timestamps.subarray(l, h), values: s.values.subarray(l, h) }; }) };
    }
    alerts = evaluator.evaluate(t, window).alerts;
  }
  return { alerts: alerts.filter((a) => a.status === 'firing'), history: evaluator.history() };
}

describe('alerts replay', () => {
  it('gives the old main-thread loop\'s alerts and history (24 h of demo rules)', async () => {
    const stepMs = 300_000, end = anchor, start = end - 86_400_000;
    const data = await fetchData(DEMO_RULES, start, end, stepMs);
    const result = createAlertsReplayer().run(job(DEMO_RULES, data, start, end, stepMs));
    const old = oldLoop(DEMO_RULES, data, start, end, stepMs);
    expect(result.alerts).toEqual(old.alerts);
    expect(result.history).toEqual(old.history);
    expect(result.alerts.some((a) => a.labels['alertname'] === 'HighErrorRate' && a.labels['severity'] === 'critical')).toBe(true);
  });

  it('an acknowledgement at the last tick: incremental equals a full replay, and the group reads acknowledged', async () => {
    const stepMs = 60_000, end = anchor, start = end - 3_600_000;
    const data = await fetchData(DEMO_RULES, start, end, stepMs);
    const replayer = createAlertsReplayer();
    const first = replayer.run(job(DEMO_RULES, data, start, end, stepMs));
    const group = first.groups.find((g) => g.groupKey.includes('HighErrorRate'));
    expect(group).toBeDefined();
    expect(first.groups.every((g) => !g.acknowledged)).toBe(true);
    const acks = [{ groupKey: group!.groupKey, time: first.evaluatedAt! }];
    const incremental = replayer.run(job(DEMO_RULES, data, start, end, stepMs, acks));
    expect(incremental.incremental).toBe(true);
    const full = createAlertsReplayer().run(job(DEMO_RULES, data, start, end, stepMs, acks));
    expect(full.incremental).toBe(false);
    expect(strip(incremental as never)).toEqual(strip(full as never));
    expect(full.groups.filter((g) => g.acknowledged).map((g) => g.groupKey)).toEqual([group!.groupKey]);
    // the range moves on by 10 steps: the acknowledgement is replayed at its time and still held
    const data2 = await fetchData(DEMO_RULES, start + 10 * stepMs, end + 10 * stepMs, stepMs);
    const moved = replayer.run(job(DEMO_RULES, data2, start + 10 * stepMs, end + 10 * stepMs, stepMs, acks));
    expect(moved.incremental).toBe(false);
    expect(moved.groups.find((g) => g.groupKey === group!.groupKey)?.acknowledged).toBe(true);
  });

  it('property: after an acknowledgement a group gets no repeat until it resolves; without it, repeats every 4 h', async () => {
    const stepMs = 300_000, end = anchor, start = end - 2 * 86_400_000;
    const rules = [ALWAYS];
    const data = await fetchData(rules, start, end, stepMs);
    const base = createAlertsReplayer().run(job(rules, data, start, end, stepMs));
    expect(base.notifications.repeat).toBeGreaterThan(0);
    const keys = base.groups.map((g) => g.groupKey);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 575 }), fc.integer({ min: 0, max: keys.length - 1 }), async (tick, which) => {
        const time = Math.ceil(start / stepMs) * stepMs + tick * stepMs;
        const acked = createAlertsReplayer().run(job(rules, data, start, end, stepMs, [{ groupKey: keys[which]!, time }]));
        // The always-firing group never resolves: it ends acknowledged, and lost every repeat after the ack.
        expect(acked.groups.find((g) => g.groupKey === keys[which])?.acknowledged).toBe(true);
        expect(acked.notifications.repeat).toBeLessThanOrEqual(base.notifications.repeat);
        expect(acked.notifications.firing).toBe(base.notifications.firing);
        // Oracle: repeats of that group = repeats sent at or before the ack's tick (4 h cadence from its first firing).
        const firstFiring = Math.ceil(start / stepMs) * stepMs;
        const perGroupBefore = Math.floor((time - firstFiring) / 14_400_000);
        const perGroupAll = Math.floor((end - firstFiring) / 14_400_000);
        expect(base.notifications.repeat - acked.notifications.repeat).toBe(perGroupAll - Math.min(perGroupAll, perGroupBefore));
      }),
      { numRuns: 15 },
    );
  });

  it('an acknowledgement of a group that is not firing at its time is ignored', async () => {
    const stepMs = 60_000, end = anchor, start = end - 3_600_000;
    const data = await fetchData(DEMO_RULES, start, end, stepMs);
    const result = createAlertsReplayer().run(job(DEMO_RULES, data, start, end, stepMs, [{ groupKey: 'pager:{alertname="Nope"}', time: end }]));
    expect(result.groups.every((g) => !g.acknowledged)).toBe(true);
  });
});

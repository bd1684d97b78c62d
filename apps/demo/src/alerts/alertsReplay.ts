// The Alerts tab's evaluation: the real engine ticked through the range, as a service evaluating live would have.
// Plain data in, plain data out, so the same code runs in the evaluation worker and, without workers, on the page.
import type { Series } from '@vigil/core';
import { createAlertEvaluator, type Alert, type AlertEvaluator, type AlertHistoryEntry, type AlertInstance, type AlertRule, type EvaluationResult, type NotificationReason, type Silence } from '@vigil/core/alerting';
import { fromWire, type WireError } from '../lib/workerCalls';

/** A person acknowledged the firing group `groupKey` at `time` (the tick they were looking at). */
export interface Acknowledgement {
  readonly groupKey: string;
  readonly time: number;
}

/** Each rule's fetched series over the range plus its lookback, or its query's error (flattened: it crosses to a worker). */
export type ReplayData = Readonly<Record<string, { readonly series: readonly Series[] } | { readonly error: WireError }>>;

/** Everything one replay depends on. */
export interface AlertsReplayJob {
  /**
   * Identifies the rules, silences, data, range and step. Two jobs with the same key differ at most in their
   * acknowledgements, which lets an acknowledgement at the last tick be applied without replaying.
   */
  readonly key: string;
  /** The rules, with `query.stepMs` set to the tick. */
  readonly rules: readonly AlertRule[];
  readonly silences: readonly Silence[];
  /** Applied in time order, each after the last tick at or before its time (before the first tick: after the first). */
  readonly acknowledgements: readonly Acknowledgement[];
  readonly data: ReplayData;
  readonly start: number;
  readonly end: number;
  readonly stepMs: number;
}

/** A group at the last tick, as the engine sees it. */
export interface ReplayGroup {
  readonly groupKey: string;
  readonly fingerprints: readonly string[];
  /** The engine holds an acknowledgement for it (until it resolves or is muted). */
  readonly acknowledged: boolean;
}

/** What the tab shows after a replay. */
export interface AlertsReplayResult {
  /** Firing alerts at the last tick (silenced ones are left out by the engine). */
  readonly alerts: readonly Alert[];
  /** Instances that fire but are muted by a silence. */
  readonly silencedInstances: readonly AlertInstance[];
  readonly history: readonly AlertHistoryEntry[];
  /** Firing groups at the last tick. */
  readonly groups: readonly ReplayGroup[];
  /** Notifications the engine sent over the range, by reason. */
  readonly notifications: Readonly<Record<NotificationReason, number>>;
  readonly ticks: number;
  readonly evaluatedAt: number | undefined;
  /** Time spent in the engine for this answer, ms. */
  readonly evaluationMs: number;
  /** True when new acknowledgements were applied to the previous replay's evaluator instead of replaying. */
  readonly incremental: boolean;
}

/** How far back a rule reads at each tick. */
export function lookbackOf(rule: AlertRule): number {
  const change = rule.condition.type === 'change' ? rule.condition.windowMs : 0;
  return (rule.reducer?.windowMs ?? 300_000) + change;
}

/** First index with timestamps[i] > t (binary search). */
function after(timestamps: Float64Array, t: number): number {
  let lo = 0;
  let hi = timestamps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((timestamps[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * What a service evaluating live at `t` would have fetched: each series cut to `(t - lookback - step, t]`. Views
 * (`subarray`), not copies, so a week of ticks stays cheap: each tick costs its window, not the whole range.
 */
function windowAt(data: ReplayData, errors: ReadonlyMap<string, Error>, rules: readonly AlertRule[], t: number, stepMs: number): Record<string, { series: Series[] } | { error: unknown }> {
  const out: Record<string, { series: Series[] } | { error: unknown }> = {};
  for (const rule of rules) {
    const entry = data[rule.id];
    if (entry === undefined) continue;
    if (!('series' in entry)) {
      out[rule.id] = { error: errors.get(rule.id) };
      continue;
    }
    const from = t - lookbackOf(rule) - stepMs;
    out[rule.id] = {
      series: entry.series.map((s) => {
        const lo = after(s.timestamps, from);
        const hi = after(s.timestamps, t);
        return { ...s, timestamps: s.timestamps.subarray(lo, hi), values: s.values.subarray(lo, hi) };
      }),
    };
  }
  return out;
}

interface Session {
  readonly key: string;
  readonly evaluator: AlertEvaluator;
  readonly acknowledgements: Acknowledgement[];
  readonly last: EvaluationResult | undefined;
  readonly notifications: Readonly<Record<NotificationReason, number>>;
  readonly ticks: number;
  readonly stepMs: number;
}

/** Acknowledges `ack.groupKey` if that group fires after the tick `last`; a group that does not fire has nothing to hold. */
function apply(evaluator: AlertEvaluator, last: EvaluationResult | undefined, ack: Acknowledgement): void {
  if (last?.groups.some((group) => group.groupKey === ack.groupKey && group.status === 'firing')) evaluator.acknowledge(ack.groupKey, ack.time);
}

function summarise(session: Session, started: number, incremental: boolean): AlertsReplayResult {
  const { evaluator, last } = session;
  const instances = evaluator.instances();
  const acknowledged = new Set(instances.filter((instance) => instance.acknowledged).map((instance) => instance.fingerprint));
  const groups = (last?.groups ?? [])
    .filter((group) => group.status === 'firing')
    .map((group) => {
      const fingerprints = group.alerts.filter((alert) => alert.status === 'firing').map((alert) => alert.fingerprint);
      return { groupKey: group.groupKey, fingerprints, acknowledged: fingerprints.some((fingerprint) => acknowledged.has(fingerprint)) };
    });
  return {
    alerts: (last?.alerts ?? []).filter((alert) => alert.status === 'firing'),
    silencedInstances: instances.filter((instance) => instance.state === 'firing' && instance.silencedBy.length > 0),
    history: evaluator.history(),
    groups,
    notifications: session.notifications,
    ticks: session.ticks,
    evaluatedAt: last?.time,
    evaluationMs: performance.now() - started,
    incremental,
  };
}

/** True when `job` only adds acknowledgements at the session's last tick (the only ones a replay would apply after it). */
function onlyAddsAcknowledgements(session: Session | undefined, job: AlertsReplayJob): session is Session {
  if (session === undefined || session.key !== job.key || session.last === undefined) return false;
  const had = session.acknowledgements;
  if (job.acknowledgements.length < had.length) return false;
  for (let i = 0; i < had.length; i++) {
    const a = had[i] as Acknowledgement;
    const b = job.acknowledgements[i] as Acknowledgement;
    if (a.groupKey !== b.groupKey || a.time !== b.time) return false;
  }
  const lastTick = session.last.time;
  return job.acknowledgements.slice(had.length).every((ack) => ack.time >= lastTick && ack.time < lastTick + session.stepMs);
}

/** Runs replays; keeps the last one's evaluator, so an acknowledgement at its last tick costs no replay. */
export interface AlertsReplayer {
  run(job: AlertsReplayJob): AlertsReplayResult;
}

/**
 * Creates a replayer. `run(job)` ticks a fresh evaluator (grouped by alertname and service) every `stepMs` from the
 * first whole step at or after `start` to `end`, each tick on the data a live service would have fetched then, and
 * applies the acknowledgements at their times through `AlertEvaluator.acknowledge`: so escalation, repeats and the
 * end of an acknowledgement (its group resolves or is muted) are the engine's. When the job differs from the
 * previous one only by acknowledgements at its last tick, they are applied to the kept evaluator instead, with the
 * same result as a replay.
 *
 * @example
 * const replayer = createAlertsReplayer();
 * const { alerts, groups } = replayer.run({ key, rules, silences: [], acknowledgements: [], data, start, end, stepMs: 60_000 });
 * replayer.run({ key, rules, silences: [], acknowledgements: [{ groupKey: groups[0].groupKey, time: end }], data, start, end, stepMs: 60_000 });
 */
export function createAlertsReplayer(): AlertsReplayer {
  let session: Session | undefined;
  return {
    run(job) {
      const started = performance.now();
      if (onlyAddsAcknowledgements(session, job)) {
        for (const ack of job.acknowledgements.slice(session.acknowledgements.length)) {
          apply(session.evaluator, session.last, ack);
          session.acknowledgements.push(ack);
        }
        return summarise(session, started, true);
      }
      session = undefined;
      const evaluator = createAlertEvaluator({ rules: job.rules, silences: job.silences, grouping: { groupBy: ['alertname', 'service'] } });
      const errors = new Map<string, Error>();
      for (const [id, entry] of Object.entries(job.data)) if ('error' in entry) errors.set(id, fromWire(entry.error));
      const acknowledgements = [...job.acknowledgements].sort((a, b) => a.time - b.time);
      const notifications: Record<NotificationReason, number> = { firing: 0, resolved: 0, repeat: 0, escalation: 0 };
      let last: EvaluationResult | undefined;
      let ticks = 0;
      let next = 0;
      for (let t = Math.ceil(job.start / job.stepMs) * job.stepMs; t <= job.end; t += job.stepMs) {
        last = evaluator.evaluate(t, windowAt(job.data, errors, job.rules, t, job.stepMs));
        for (const notification of last.notifications) notifications[notification.reason]++;
        ticks++;
        // Acknowledgements made after this tick and before the next one.
        for (; next < acknowledgements.length && (acknowledgements[next] as Acknowledgement).time < t + job.stepMs; next++) apply(evaluator, last, acknowledgements[next] as Acknowledgement);
      }
      session = { key: job.key, evaluator, acknowledgements: [...job.acknowledgements], last, notifications, ticks, stepMs: job.stepMs };
      return summarise(session, started, false);
    },
  };
}

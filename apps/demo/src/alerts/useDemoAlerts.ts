import { useEffect, useMemo, useState } from 'react';
import type { DataSource, Series, TimeRange } from '@vigil/core';
import type { Alert, AlertHistoryEntry, AlertInstance, AlertRule, NotificationReason, Silence } from '@vigil/core/alerting';
import { toWire } from '../lib/workerCalls';
import { lookbackOf, type Acknowledgement, type AlertsReplayJob, type AlertsReplayResult, type ReplayData, type ReplayGroup } from './alertsReplay';
import { replayAlerts } from './alertsEvaluation';

export type { Acknowledgement } from './alertsReplay';

/** What the tab shows: the evaluator's view after ticking through the range. */
export interface DemoAlertsState {
  /** `ready` once a replay answered; a newer one may be running meanwhile (`evaluating`), the last answer stays shown. */
  readonly status: 'loading' | 'ready' | 'error';
  readonly error: unknown;
  /** True while a replay for the current inputs is running. */
  readonly evaluating: boolean;
  /** Firing alerts at the last tick (silenced ones are left out by the engine). */
  readonly alerts: readonly Alert[];
  /** Fingerprints of alerts that fire but are muted by a silence. */
  readonly silencedInstances: readonly AlertInstance[];
  readonly history: readonly AlertHistoryEntry[];
  /** Firing groups at the last tick, with the engine's acknowledgement state. */
  readonly groups: readonly ReplayGroup[];
  /** Fingerprints of firing alerts whose group the engine holds acknowledged. */
  readonly acknowledged: readonly string[];
  /** Notifications the engine sent over the range, by reason. */
  readonly notifications: Readonly<Record<NotificationReason, number>>;
  /** Rule id → its query's series (for the builder's preview of a saved rule). */
  readonly seriesByRule: Readonly<Record<string, readonly Series[]>>;
  /** Per-rule query failures. */
  readonly ruleErrors: Readonly<Record<string, string>>;
  readonly ticks: number;
  readonly evaluatedAt: number | undefined;
  /** The range the shown answer replayed (a newer one may be on its way). */
  readonly evaluatedRange: { readonly start: number; readonly end: number } | undefined;
  /** Wall time of the evaluation in the engine, ms (fetching excluded). */
  readonly evaluationMs: number;
  /** True when the last answer applied new acknowledgements to the kept evaluator instead of replaying. */
  readonly incremental: boolean;
}

const NO_NOTIFICATIONS: Readonly<Record<NotificationReason, number>> = { firing: 0, resolved: 0, repeat: 0, escalation: 0 };
const EMPTY = { alerts: [], silencedInstances: [], history: [], groups: [], acknowledged: [], notifications: NO_NOTIFICATIONS, ticks: 0, evaluatedAt: undefined, evaluatedRange: undefined, evaluationMs: 0, incremental: false } as const;

type Fetched = { readonly key: string; readonly data: ReplayData };

/**
 * Fetches every rule's query over the range (plus its lookback) from the source, then has the real evaluator replay
 * it tick by tick (every `stepMs`) with the silences and acknowledgements, exactly as a service would have evaluated
 * live: in a Web Worker, or on the main thread without one (`replayAlerts`). Re-runs when the range moves (live
 * mode), the rules, the silences or the acknowledgements change; a new acknowledgement at the last tick is applied
 * without a replay. Aborts stale fetches and replays, and keeps the last answer on screen until the next one.
 */
export function useDemoAlerts(source: DataSource, rules: readonly AlertRule[], silences: readonly Silence[], acknowledgements: readonly Acknowledgement[], range: TimeRange, stepMs: number): DemoAlertsState {
  const [fetched, setFetched] = useState<Fetched | undefined>(undefined);
  const queryKey = JSON.stringify([rules.map((rule) => [rule.id, rule.query.expr, lookbackOf(rule)]), range.start, range.end, stepMs]);

  useEffect(() => {
    const controller = new AbortController();
    const run = async () => {
      const entries = await Promise.all(
        rules.map(async (rule) => {
          try {
            const result = await source.queryRange({ query: rule.query.expr, range: { start: range.start - lookbackOf(rule), end: range.end }, stepMs }, { signal: controller.signal });
            return [rule.id, { series: result.data }] as const;
          } catch (error) {
            return [rule.id, { error: toWire(error) }] as const;
          }
        }),
      );
      if (!controller.signal.aborted) setFetched({ key: queryKey, data: Object.fromEntries(entries) });
    };
    void run();
    return () => controller.abort();
    // queryKey captures rules' queries, the range and the step.
  }, [source, queryKey]);

  // The replay's inputs. The key leaves the acknowledgements out: with the same key, the worker can apply new ones to
  // the evaluator it kept instead of replaying.
  const job = useMemo((): AlertsReplayJob | undefined => {
    if (fetched === undefined) return undefined;
    const runnable = rules.map((rule) => ({ ...rule, query: { ...rule.query, stepMs } }));
    const key = JSON.stringify([fetched.key, runnable, silences, range.start, range.end, stepMs]);
    return { key, rules: runnable, silences, acknowledgements, data: fetched.data, start: range.start, end: range.end, stepMs };
  }, [fetched, rules, silences, acknowledgements, range.start, range.end, stepMs]);

  const [answer, setAnswer] = useState<{ readonly job: AlertsReplayJob; readonly result: AlertsReplayResult } | { readonly job: AlertsReplayJob; readonly error: unknown } | undefined>(undefined);
  useEffect(() => {
    if (job === undefined) return undefined;
    const controller = new AbortController();
    replayAlerts(job, controller.signal).then(
      (result) => {
        if (!controller.signal.aborted) setAnswer({ job, result });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setAnswer({ job, error });
      },
    );
    return () => controller.abort();
  }, [job]);

  return useMemo((): DemoAlertsState => {
    const seriesByRule: Record<string, readonly Series[]> = {};
    const ruleErrors: Record<string, string> = {};
    for (const [id, entry] of Object.entries(fetched?.data ?? {})) {
      if ('series' in entry) seriesByRule[id] = entry.series;
      else ruleErrors[id] = entry.error.message;
    }
    const evaluating = job !== undefined && answer?.job !== job;
    if (answer === undefined) return { status: 'loading', error: undefined, evaluating, ...EMPTY, seriesByRule, ruleErrors };
    if ('error' in answer) return { status: 'error', error: answer.error, evaluating, ...EMPTY, seriesByRule, ruleErrors };
    const { result } = answer;
    const acknowledged = result.groups.filter((group) => group.acknowledged).flatMap((group) => group.fingerprints);
    return { status: 'ready', error: undefined, evaluating, ...result, evaluatedRange: { start: answer.job.start, end: answer.job.end }, acknowledged, seriesByRule, ruleErrors };
  }, [fetched, job, answer]);
}

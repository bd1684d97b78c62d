import { abortError } from '@vigil/core';
import { connectWorker, type WorkerConnection } from '../lib/workerCalls';
import { createAlertsReplayer, type AlertsReplayJob, type AlertsReplayResult, type AlertsReplayer } from './alertsReplay';
import type { EvaluationToWorker } from './alertsEvaluation.worker';

let connection: WorkerConnection<EvaluationToWorker> | null | undefined;
let local: AlertsReplayer | undefined;

/** The shared evaluation worker, started on first use; null where workers are unavailable. */
function evaluationWorker(): WorkerConnection<EvaluationToWorker> | null {
  if (connection === undefined) {
    connection =
      connectWorker<EvaluationToWorker>({
        create: () => new Worker(new URL('./alertsEvaluation.worker.ts', import.meta.url), { type: 'module', name: 'vigil-alerts-evaluation' }),
        label: 'alerts evaluation',
      }) ?? null;
  }
  return connection;
}

/** The same replay on the page, after a macrotask (so the caller's render commits first), unless aborted meanwhile. */
function inThread(job: AlertsReplayJob, signal: AbortSignal | undefined): Promise<AlertsReplayResult> {
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      if (signal?.aborted) reject(abortError(signal, 'replay'));
      else {
        try {
          resolve((local ??= createAlertsReplayer()).run(job));
        } catch (error) {
          reject(error);
        }
      }
    }, 0);
  });
}

/**
 * Replays the alert rules through the engine for `job`: in the evaluation worker, or on the main thread where there
 * are no workers (or the worker failed). Same engine and code either way, so the results are identical.
 *
 * @example
 * const result = await replayAlerts(job, controller.signal);
 */
export function replayAlerts(job: AlertsReplayJob, signal?: AbortSignal): Promise<AlertsReplayResult> {
  const worker = evaluationWorker();
  if (worker === null) return inThread(job, signal);
  // If the worker fails while this replay is pending, replay here rather than show its failure.
  return worker.call({ type: 'call', id: worker.nextId(), method: 'replay', job }, signal, () => inThread(job, signal)).catch((error: unknown) => (worker.broken && !signal?.aborted ? inThread(job, signal) : Promise.reject(error)));
}

// The Alerts tab's rule evaluation, off the main thread: a week of ticks through the engine is real work, and the
// page must stay responsive while it runs. One replay at a time; replays the page stopped waiting for are skipped.
import { serveCalls, type AbortMessage, type CallReply } from '../lib/workerCalls';
import { createAlertsReplayer, type AlertsReplayJob } from './alertsReplay';

/** The one call the evaluation worker answers. */
export type EvaluationCall = { readonly type: 'call'; readonly id: number; readonly method: 'replay'; readonly job: AlertsReplayJob };

export type EvaluationToWorker = EvaluationCall | AbortMessage;

const scope = self as unknown as { postMessage(message: CallReply): void; onmessage: ((event: MessageEvent<EvaluationToWorker>) => void) | null };

const replayer = createAlertsReplayer();
const calls = serveCalls<EvaluationCall>((reply) => scope.postMessage(reply), (call) => replayer.run(call.job));

scope.onmessage = (event) => calls.accept(event.data);

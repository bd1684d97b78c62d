// The Alerts tab's simulation, off the main thread: a day of per-service rates is real work, and the page must
// stay responsive while it computes. One call at a time; aborted calls are skipped.
import type { DataSource, LabelQuery, RangeQuery } from '@vigil/core';
import { serveCalls, type AbortMessage, type CallReply } from '../lib/workerCalls';
import { createAlertsSimulation, type AlertsSimulationOptions } from './alertsSimulation';

/** Calls the alerts simulation worker answers. */
export type AlertsSourceCall =
  | { readonly type: 'call'; readonly id: number; readonly method: 'queryRange'; readonly request: RangeQuery }
  | { readonly type: 'call'; readonly id: number; readonly method: 'listMetrics' }
  | { readonly type: 'call'; readonly id: number; readonly method: 'labelValues'; readonly label: string; readonly request: LabelQuery };

export type AlertsToWorker = { readonly type: 'init'; readonly options: AlertsSimulationOptions } | AlertsSourceCall | AbortMessage;

const scope = self as unknown as { postMessage(message: CallReply): void; onmessage: ((event: MessageEvent<AlertsToWorker>) => void) | null };

let source: DataSource | undefined;

const calls = serveCalls<AlertsSourceCall>(
  (reply) => scope.postMessage(reply),
  async (call, signal) => {
    if (source === undefined) throw new Error('alerts simulation used before init');
    switch (call.method) {
      case 'queryRange':
        return source.queryRange(call.request, { signal });
      case 'listMetrics':
        return source.listMetrics?.({ signal }) ?? [];
      case 'labelValues':
        return source.labelValues?.(call.label, call.request, { signal }) ?? [];
    }
  },
);

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'init') source = createAlertsSimulation(message.options);
  else calls.accept(message);
};

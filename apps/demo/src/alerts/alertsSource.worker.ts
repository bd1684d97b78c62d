// The Alerts tab's simulation, off the main thread: a day of per-service rates is real work, and the page must
// stay responsive while it computes. One call at a time; aborted calls are skipped.
import type { DataSource, LabelQuery, RangeQuery } from '@vigil/core';
import { createAlertsSimulation, type AlertsSimulationOptions } from './alertsSimulation';

export type AlertsToWorker =
  | { readonly type: 'init'; readonly options: AlertsSimulationOptions }
  | { readonly type: 'queryRange'; readonly id: number; readonly request: RangeQuery }
  | { readonly type: 'listMetrics'; readonly id: number }
  | { readonly type: 'labelValues'; readonly id: number; readonly label: string; readonly request: LabelQuery }
  | { readonly type: 'abort'; readonly id: number };

export type AlertsFromWorker =
  | { readonly type: 'result'; readonly id: number; readonly value: unknown }
  | { readonly type: 'error'; readonly id: number; readonly code: string | undefined; readonly message: string };

const scope = self as unknown as { postMessage(message: AlertsFromWorker): void; onmessage: ((event: MessageEvent<AlertsToWorker>) => void) | null };

let source: DataSource | undefined;
const aborts = new Map<number, AbortController>();
const queue: Exclude<AlertsToWorker, { type: 'init' } | { type: 'abort' }>[] = [];
let draining = false;

async function run(call: (typeof queue)[number], signal: AbortSignal): Promise<unknown> {
  if (source === undefined) throw new Error('alerts simulation used before init');
  switch (call.type) {
    case 'queryRange':
      return source.queryRange(call.request, { signal });
    case 'listMetrics':
      return source.listMetrics?.({ signal }) ?? [];
    case 'labelValues':
      return source.labelValues?.(call.label, call.request, { signal }) ?? [];
  }
}

async function drain(): Promise<void> {
  if (draining) return;
  draining = true;
  try {
    while (queue.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      const call = queue.shift();
      if (call === undefined) break;
      const controller = aborts.get(call.id);
      if (controller === undefined || controller.signal.aborted) {
        aborts.delete(call.id);
        continue;
      }
      try {
        scope.postMessage({ type: 'result', id: call.id, value: await run(call, controller.signal) });
      } catch (error) {
        const details = error as { code?: unknown; message?: unknown };
        scope.postMessage({ type: 'error', id: call.id, code: typeof details.code === 'string' ? details.code : undefined, message: typeof details.message === 'string' ? details.message : String(error) });
      } finally {
        aborts.delete(call.id);
      }
    }
  } finally {
    draining = false;
  }
}

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'init') source = createAlertsSimulation(message.options);
  else if (message.type === 'abort') aborts.get(message.id)?.abort();
  else {
    aborts.set(message.id, new AbortController());
    queue.push(message);
    void drain();
  }
};

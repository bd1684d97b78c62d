import { SourceError, VigilError, abortError, type DataSource, type SourceErrorCode } from '@vigil/core';
import { createAlertsSimulation, type AlertsSimulationOptions } from './alertsSimulation';
import type { AlertsFromWorker, AlertsToWorker } from './alertsSource.worker';

const SOURCE_CODES = new Set<string>(['SOURCE_UNREACHABLE', 'SOURCE_TIMEOUT', 'BAD_QUERY', 'UNAUTHORIZED', 'PARTIAL_DATA', 'SOURCE_ERROR', 'ABORTED', 'UNSUPPORTED', 'NOT_FOUND']);

type Call = Exclude<AlertsToWorker, { type: 'init' } | { type: 'abort' }>;

/**
 * The Alerts tab's data source: its simulation (with the scripted incidents) in a Web Worker, behind the
 * `DataSource` contract, so rule queries and the builder's preview never block the page. Without Worker support it
 * simulates on the main thread. No live push: `useLiveRange` falls back to its timer.
 */
export function createAlertsSource(options: AlertsSimulationOptions): DataSource {
  let local: DataSource | undefined;
  const inThread = () => (local ??= createAlertsSimulation(options));
  let worker: Worker | undefined;
  if (typeof Worker !== 'undefined') {
    try {
      worker = new Worker(new URL('./alertsSource.worker.ts', import.meta.url), { type: 'module', name: 'vigil-alerts-simulation' });
    } catch {
      worker = undefined;
    }
  }
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  const send = (message: AlertsToWorker) => worker?.postMessage(message);
  if (worker) {
    send({ type: 'init', options });
    worker.addEventListener('message', (event: MessageEvent<AlertsFromWorker>) => {
      const message = event.data;
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (message.type === 'result') call?.resolve(message.value);
      else if (message.code !== undefined && SOURCE_CODES.has(message.code)) call?.reject(new SourceError(message.code as SourceErrorCode, message.message));
      else call?.reject(new VigilError('SOURCE_ERROR', message.message));
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      console.warn('Vigil demo: alerts simulation worker failed, simulating on the main thread', event.message);
      worker?.terminate();
      worker = undefined;
      for (const [, call] of pending) call.reject(new SourceError('SOURCE_ERROR', 'The simulation worker stopped; retrying on the main thread.', { retryable: true }));
      pending.clear();
    });
  }

  function call<T>(message: Call, signal: AbortSignal | undefined, fallback: () => Promise<T>): Promise<T> {
    if (worker === undefined) return fallback();
    if (signal?.aborted) return Promise.reject(abortError(signal, message.type));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        pending.delete(message.id);
        send({ type: 'abort', id: message.id });
        reject(abortError(signal, message.type));
      };
      pending.set(message.id, {
        resolve: (value) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value as T);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      send(message);
    });
  }

  return {
    id: `demo-alerts-${options.seed}-${options.anchor}`,
    capabilities: { metrics: true, traces: false, events: false, live: false, queryLanguage: 'promql', metadata: true },
    queryRange: (request, opts = {}) => call({ type: 'queryRange', id: nextId++, request }, opts.signal, () => inThread().queryRange(request, opts)),
    queryInstant: (request, opts = {}) => inThread().queryInstant(request, opts),
    listMetrics: (opts = {}) => call({ type: 'listMetrics', id: nextId++ }, opts.signal, async () => (await inThread().listMetrics?.(opts)) ?? []),
    labelValues: (label, request = {}, opts = {}) => call({ type: 'labelValues', id: nextId++, label, request }, opts.signal, async () => (await inThread().labelValues?.(label, request, opts)) ?? []),
  };
}

import type { DataSource } from '@vigil/core';
import { connectWorker } from '../lib/workerCalls';
import { createAlertsSimulation, type AlertsSimulationOptions } from './alertsSimulation';
import type { AlertsSourceCall, AlertsToWorker } from './alertsSource.worker';

/**
 * The Alerts tab's data source: its simulation (with the scripted incidents) in a Web Worker, behind the
 * `DataSource` contract, so rule queries and the builder's preview never block the page. Without Worker support it
 * simulates on the main thread. No live push: `useLiveRange` falls back to its timer.
 */
export function createAlertsSource(options: AlertsSimulationOptions): DataSource {
  let local: DataSource | undefined;
  const inThread = () => (local ??= createAlertsSimulation(options));
  const worker = connectWorker<AlertsToWorker>({
    create: () => new Worker(new URL('./alertsSource.worker.ts', import.meta.url), { type: 'module', name: 'vigil-alerts-simulation' }),
    label: 'alerts simulation',
  });
  worker?.post({ type: 'init', options });
  const nextId = () => worker?.nextId() ?? 0;
  const call = <T>(message: AlertsSourceCall, signal: AbortSignal | undefined, fallback: () => Promise<T>): Promise<T> =>
    worker === undefined ? fallback() : worker.call(message, signal, fallback);

  return {
    id: `demo-alerts-${options.seed}-${options.anchor}`,
    capabilities: { metrics: true, traces: false, events: false, live: false, queryLanguage: 'promql', metadata: true },
    queryRange: (request, opts = {}) => call({ type: 'call', id: nextId(), method: 'queryRange', request }, opts.signal, () => inThread().queryRange(request, opts)),
    queryInstant: (request, opts = {}) => inThread().queryInstant(request, opts),
    listMetrics: (opts = {}) => call({ type: 'call', id: nextId(), method: 'listMetrics' }, opts.signal, async () => (await inThread().listMetrics?.(opts)) ?? []),
    labelValues: (label, request = {}, opts = {}) => call({ type: 'call', id: nextId(), method: 'labelValues', label, request }, opts.signal, async () => (await inThread().labelValues?.(label, request, opts)) ?? []),
  };
}

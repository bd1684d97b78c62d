import { SourceError } from '@vigil/core';
import type { DataSource, LiveListener, SubscribeOptions, Unsubscribe } from '@vigil/core';
import type { DemoParams } from './params';
import { createDemoSourceInThread } from './simulation';
import { connectWorker, fromWire } from './workerCalls';
import type { LiveFromWorker, ToWorker } from './workerProtocol';

/**
 * The demo's data source: the simulated source running in a Web Worker, behind a `DataSource` that forwards every
 * call (with cancellation) and live tick. Long ranges take seconds to simulate, and the page stays responsive
 * meanwhile. Without Worker support (or if the worker fails to start) it falls back to the in-thread source.
 * It is also a worked example of the contract: a host could put any backend behind this shape.
 */
export function createDemoSource(params: DemoParams): DataSource {
  const local = createDemoSourceInThread(params);
  const listeners = new Map<number, { listener: LiveListener; onError: ((error: unknown) => void) | undefined }>();
  const worker = connectWorker<ToWorker, LiveFromWorker>({
    create: () => new Worker(new URL('./simulation.worker.ts', import.meta.url), { type: 'module', name: 'vigil-simulation' }),
    label: 'simulation',
    onMessage: (message) => {
      if (message.type === 'live') listeners.get(message.id)?.listener(message.update);
      else listeners.get(message.id)?.onError?.(fromWire(message.error));
    },
  });
  if (worker === undefined) return local;
  worker.post({ type: 'init', params });
  const unsupported = () => Promise.reject(new SourceError('UNSUPPORTED', 'The simulated source has no traces.'));

  return {
    id: local.id,
    capabilities: local.capabilities,
    queryRange: (request, options = {}) => worker.call({ type: 'call', id: worker.nextId(), method: 'queryRange', request }, options.signal, () => local.queryRange(request, options)),
    queryInstant: (request, options = {}) => worker.call({ type: 'call', id: worker.nextId(), method: 'queryInstant', request }, options.signal, () => local.queryInstant(request, options)),
    queryEvents: (request, options = {}) => worker.call({ type: 'call', id: worker.nextId(), method: 'queryEvents', request }, options.signal, () => local.queryEvents?.(request, options) ?? Promise.resolve([])),
    getTrace: (traceId, options = {}) => worker.call({ type: 'call', id: worker.nextId(), method: 'getTrace', request: traceId }, options.signal, () => local.getTrace?.(traceId, options) ?? unsupported()),
    searchTraces: (request, options = {}) => worker.call({ type: 'call', id: worker.nextId(), method: 'searchTraces', request }, options.signal, () => local.searchTraces?.(request, options) ?? unsupported()),
    subscribe(listener: LiveListener, options: SubscribeOptions = {}): Unsubscribe {
      if (worker.broken) return local.subscribe?.(listener, options) ?? (() => {});
      const id = worker.nextId();
      listeners.set(id, { listener, onError: options.onError });
      worker.post({ type: 'subscribe', id, intervalMs: options.intervalMs });
      const unsubscribe = () => {
        if (!listeners.delete(id)) return;
        worker.post({ type: 'unsubscribe', id });
      };
      options.signal?.addEventListener('abort', unsubscribe, { once: true });
      return unsubscribe;
    },
  };
}

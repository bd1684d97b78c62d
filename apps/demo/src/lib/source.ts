import { SourceError, VigilError, abortError } from '@vigil/core';
import type { DataSource, LiveListener, SourceErrorCode, SubscribeOptions, Unsubscribe } from '@vigil/core';
import type { DemoParams } from './params';
import { createDemoSourceInThread } from './simulation';
import type { FromWorker, ToWorker, WireError } from './workerProtocol';

const SOURCE_CODES = new Set<string>(['SOURCE_UNREACHABLE', 'SOURCE_TIMEOUT', 'BAD_QUERY', 'UNAUTHORIZED', 'PARTIAL_DATA', 'SOURCE_ERROR', 'ABORTED', 'UNSUPPORTED', 'NOT_FOUND']);

/** Rebuilds a typed error from the worker's flat copy, so components can show its code. */
function fromWire(error: WireError): Error {
  if (error.code !== undefined && SOURCE_CODES.has(error.code)) {
    return new SourceError(error.code as SourceErrorCode, error.message, {
      ...(error.retryable === undefined ? {} : { retryable: error.retryable }),
      ...(error.status === undefined ? {} : { status: error.status }),
    });
  }
  if (error.code !== undefined) return new VigilError('SOURCE_ERROR', error.message);
  return new Error(error.message);
}

/**
 * The demo's data source: the simulated source running in a Web Worker, behind a `DataSource` that forwards every
 * call (with cancellation) and live tick. Long ranges take seconds to simulate, and the page stays responsive
 * meanwhile. Without Worker support (or if the worker fails to start) it falls back to the in-thread source.
 * It is also a worked example of the contract: a host could put any backend behind this shape.
 */
export function createDemoSource(params: DemoParams): DataSource {
  const local = createDemoSourceInThread(params);
  if (typeof Worker === 'undefined') return local;

  let worker: Worker | undefined;
  try {
    worker = new Worker(new URL('./simulation.worker.ts', import.meta.url), { type: 'module', name: 'vigil-simulation' });
  } catch (error) {
    console.warn('Vigil demo: simulation worker unavailable, simulating on the main thread', error);
    return local;
  }

  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  const listeners = new Map<number, { listener: LiveListener; onError: ((error: unknown) => void) | undefined }>();
  let broken = false;

  const send = (message: ToWorker) => worker?.postMessage(message);
  send({ type: 'init', params });

  worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
    const message = event.data;
    if (message.type === 'result') pending.get(message.id)?.resolve(message.value);
    else if (message.type === 'error') pending.get(message.id)?.reject(fromWire(message.error));
    else if (message.type === 'live') listeners.get(message.id)?.listener(message.update);
    else if (message.type === 'live-error') listeners.get(message.id)?.onError?.(fromWire(message.error));
    if (message.type === 'result' || message.type === 'error') pending.delete(message.id);
  });
  worker.addEventListener('error', (event) => {
    // The worker could not start (blocked script, CSP): answer everything on the main thread from now on.
    event.preventDefault();
    console.warn('Vigil demo: simulation worker failed, simulating on the main thread', event.message);
    broken = true;
    for (const [, call] of pending) call.reject(new SourceError('SOURCE_ERROR', 'The simulation worker stopped; retrying on the main thread.', { retryable: true }));
    pending.clear();
    worker?.terminate();
    worker = undefined;
  });

  function call<T>(message: Extract<ToWorker, { type: 'call' }>, signal: AbortSignal | undefined, fallback: () => Promise<T>): Promise<T> {
    if (broken) return fallback();
    if (signal?.aborted) return Promise.reject(abortError(signal, message.method));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        pending.delete(message.id);
        send({ type: 'abort', id: message.id });
        reject(abortError(signal, message.method));
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
    id: local.id,
    capabilities: local.capabilities,
    queryRange: (request, options = {}) => call({ type: 'call', id: nextId++, method: 'queryRange', request }, options.signal, () => local.queryRange(request, options)),
    queryInstant: (request, options = {}) => call({ type: 'call', id: nextId++, method: 'queryInstant', request }, options.signal, () => local.queryInstant(request, options)),
    queryEvents: (request, options = {}) =>
      call({ type: 'call', id: nextId++, method: 'queryEvents', request }, options.signal, () => local.queryEvents?.(request, options) ?? Promise.resolve([])),
    getTrace: (traceId, options = {}) =>
      call({ type: 'call', id: nextId++, method: 'getTrace', request: traceId }, options.signal, () =>
        local.getTrace?.(traceId, options) ?? Promise.reject(new SourceError('UNSUPPORTED', 'The simulated source has no traces.')),
      ),
    searchTraces: (request, options = {}) =>
      call({ type: 'call', id: nextId++, method: 'searchTraces', request }, options.signal, () =>
        local.searchTraces?.(request, options) ?? Promise.reject(new SourceError('UNSUPPORTED', 'The simulated source has no traces.')),
      ),
    subscribe(listener: LiveListener, options: SubscribeOptions = {}): Unsubscribe {
      if (broken) return local.subscribe?.(listener, options) ?? (() => {});
      const id = nextId++;
      listeners.set(id, { listener, onError: options.onError });
      send({ type: 'subscribe', id, intervalMs: options.intervalMs });
      const unsubscribe = () => {
        if (!listeners.delete(id)) return;
        send({ type: 'unsubscribe', id });
      };
      options.signal?.addEventListener('abort', unsubscribe, { once: true });
      return unsubscribe;
    },
  };
}

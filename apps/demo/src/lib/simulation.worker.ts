// Runs the simulated source off the main thread: long ranges are real work (every scrape since each restart), and
// the page must stay responsive while they compute.
import type { DataSource } from '@vigil/core';
import { createDemoSourceInThread } from './simulation';
import type { FromWorker, ToWorker, WireError } from './workerProtocol';

/** The worker global, typed by hand: the project compiles with the DOM lib, which clashes with the webworker lib. */
const scope = self as unknown as {
  postMessage(message: FromWorker): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

let source: DataSource | undefined;
const aborts = new Map<number, AbortController>();
const subscriptions = new Map<number, AbortController>();
const queue: Extract<ToWorker, { type: 'call' }>[] = [];
let draining = false;

function post(message: FromWorker): void {
  scope.postMessage(message);
}

function toWire(error: unknown): WireError {
  if (error instanceof Error) {
    const details = error as Error & { code?: unknown; retryable?: unknown; status?: unknown };
    return {
      name: error.name,
      code: typeof details.code === 'string' ? details.code : undefined,
      message: error.message,
      retryable: typeof details.retryable === 'boolean' ? details.retryable : undefined,
      status: typeof details.status === 'number' ? details.status : undefined,
    };
  }
  return { name: 'Error', code: undefined, message: String(error), retryable: undefined, status: undefined };
}

async function run(call: Extract<ToWorker, { type: 'call' }>, signal: AbortSignal): Promise<unknown> {
  if (source === undefined) throw new Error('simulation worker used before init');
  switch (call.method) {
    case 'queryRange':
      return source.queryRange(call.request, { signal });
    case 'queryInstant':
      return source.queryInstant(call.request, { signal });
    case 'queryEvents':
      if (source.queryEvents === undefined) throw new Error('the simulated source has no events');
      return source.queryEvents(call.request, { signal });
    case 'getTrace':
      // The OTLP/JSON body crosses as a structured clone; the page parses it into the columnar model.
      if (source.getTrace === undefined) throw new Error('the simulated source has no traces');
      return source.getTrace(call.request, { signal });
    case 'searchTraces':
      if (source.searchTraces === undefined) throw new Error('the simulated source has no traces');
      return source.searchTraces(call.request, { signal });
  }
}

/** One call at a time, yielding between calls so abort messages that arrived meanwhile are seen first. */
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
        continue; // the page stopped waiting for it
      }
      try {
        post({ type: 'result', id: call.id, value: await run(call, controller.signal) });
      } catch (error) {
        post({ type: 'error', id: call.id, error: toWire(error) });
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
  switch (message.type) {
    case 'init':
      source = createDemoSourceInThread(message.params);
      break;
    case 'call':
      aborts.set(message.id, new AbortController());
      queue.push(message);
      void drain();
      break;
    case 'abort':
      aborts.get(message.id)?.abort();
      break;
    case 'subscribe': {
      const controller = new AbortController();
      subscriptions.set(message.id, controller);
      source?.subscribe?.((update) => post({ type: 'live', id: message.id, update }), {
        signal: controller.signal,
        ...(message.intervalMs === undefined ? {} : { intervalMs: message.intervalMs }),
        onError: (error) => post({ type: 'live-error', id: message.id, error: toWire(error) }),
      });
      break;
    }
    case 'unsubscribe':
      subscriptions.get(message.id)?.abort();
      subscriptions.delete(message.id);
      break;
  }
};

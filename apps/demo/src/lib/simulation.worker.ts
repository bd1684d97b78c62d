// Runs the simulated source off the main thread: long ranges are real work (every scrape since each restart), and
// the page must stay responsive while they compute.
import type { DataSource } from '@vigil/core';
import { createDemoSourceInThread } from './simulation';
import { serveCalls, toWire } from './workerCalls';
import type { FromWorker, SimulationCall, ToWorker } from './workerProtocol';

/** The worker global, typed by hand: the project compiles with the DOM lib, which clashes with the webworker lib. */
const scope = self as unknown as {
  postMessage(message: FromWorker): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

let source: DataSource | undefined;
const subscriptions = new Map<number, AbortController>();

function run(call: SimulationCall, signal: AbortSignal): Promise<unknown> {
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

const calls = serveCalls<SimulationCall>((reply) => scope.postMessage(reply), run);

scope.onmessage = (event) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      source = createDemoSourceInThread(message.params);
      break;
    case 'call':
    case 'abort':
      calls.accept(message);
      break;
    case 'subscribe': {
      const controller = new AbortController();
      subscriptions.set(message.id, controller);
      source?.subscribe?.((update) => scope.postMessage({ type: 'live', id: message.id, update }), {
        signal: controller.signal,
        ...(message.intervalMs === undefined ? {} : { intervalMs: message.intervalMs }),
        onError: (error) => scope.postMessage({ type: 'live-error', id: message.id, error: toWire(error) }),
      });
      break;
    }
    case 'unsubscribe':
      subscriptions.get(message.id)?.abort();
      subscriptions.delete(message.id);
      break;
  }
};

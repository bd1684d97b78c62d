import type { DataSource } from '@vigil/core';
import { createSimulatedSource, type SimulatedCall, type SimulatedFailure } from '@vigil/adapters/simulated';
import type { DemoParams, FailureMode } from './params';

/** The clock of the demo: real time, or a frozen instant (`?now=`) for pixel-stable screenshots. */
export function demoClock(params: DemoParams): () => number {
  const frozen = params.frozenNow;
  return frozen === undefined ? () => Date.now() : () => frozen;
}

function failurePredicate(mode: FailureMode): (call: SimulatedCall) => SimulatedFailure | undefined {
  const failure: SimulatedFailure = { code: 'SOURCE_UNREACHABLE', message: 'The metrics backend did not answer (simulated outage).' };
  return (call) => {
    const query = call.query ?? '';
    switch (mode) {
      case 'all':
        return call.method === 'subscribe' ? undefined : failure;
      case 'events':
        return call.method === 'queryEvents' ? failure : undefined;
      case 'traces':
        return call.method === 'getTrace' || call.method === 'searchTraces' ? { code: 'SOURCE_UNREACHABLE', message: 'The trace backend did not answer (simulated outage).' } : undefined;
      case 'latency':
        return query.includes('http_request_duration_seconds') ? failure : undefined;
      case 'errors':
        return query.includes('code=~') ? failure : undefined;
    }
  };
}

/** The simulated source itself, seeded from the URL, computing on the calling thread. */
export function createDemoSourceInThread(params: DemoParams): DataSource {
  return createSimulatedSource({
    seed: params.seed,
    now: demoClock(params),
    tickMs: params.tickMs,
    ...(params.fail === undefined ? {} : { failWith: failurePredicate(params.fail) }),
  });
}

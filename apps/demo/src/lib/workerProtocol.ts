import type { EventQuery, InstantQuery, LiveUpdate, RangeQuery, TraceSearch } from '@vigil/core';
import type { DemoParams } from './params';
import type { AbortMessage, CallReply, WireError } from './workerCalls';

export type { WireError } from './workerCalls';

/** Calls the simulation worker answers (see `serveCalls`). */
export type SimulationCall =
  | { readonly type: 'call'; readonly id: number; readonly method: 'queryRange'; readonly request: RangeQuery }
  | { readonly type: 'call'; readonly id: number; readonly method: 'queryInstant'; readonly request: InstantQuery }
  | { readonly type: 'call'; readonly id: number; readonly method: 'queryEvents'; readonly request: EventQuery }
  | { readonly type: 'call'; readonly id: number; readonly method: 'getTrace'; readonly request: string }
  | { readonly type: 'call'; readonly id: number; readonly method: 'searchTraces'; readonly request: TraceSearch };

/** Messages from the page to the simulation worker. */
export type ToWorker =
  | { readonly type: 'init'; readonly params: DemoParams }
  | SimulationCall
  | AbortMessage
  | { readonly type: 'subscribe'; readonly id: number; readonly intervalMs: number | undefined }
  | { readonly type: 'unsubscribe'; readonly id: number };

/** Live messages from the simulation worker to the page (call replies are `CallReply`). */
export type LiveFromWorker = { readonly type: 'live'; readonly id: number; readonly update: LiveUpdate } | { readonly type: 'live-error'; readonly id: number; readonly error: WireError };

/** Messages from the simulation worker to the page. */
export type FromWorker = CallReply | LiveFromWorker;

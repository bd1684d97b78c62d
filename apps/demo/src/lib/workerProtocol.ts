import type { EventQuery, InstantQuery, LiveUpdate, RangeQuery, TraceSearch } from '@vigil/core';
import type { DemoParams } from './params';

/** Messages from the page to the simulation worker. */
export type ToWorker =
  | { readonly type: 'init'; readonly params: DemoParams }
  | { readonly type: 'call'; readonly id: number; readonly method: 'queryRange'; readonly request: RangeQuery }
  | { readonly type: 'call'; readonly id: number; readonly method: 'queryInstant'; readonly request: InstantQuery }
  | { readonly type: 'call'; readonly id: number; readonly method: 'queryEvents'; readonly request: EventQuery }
  | { readonly type: 'call'; readonly id: number; readonly method: 'getTrace'; readonly request: string }
  | { readonly type: 'call'; readonly id: number; readonly method: 'searchTraces'; readonly request: TraceSearch }
  | { readonly type: 'abort'; readonly id: number }
  | { readonly type: 'subscribe'; readonly id: number; readonly intervalMs: number | undefined }
  | { readonly type: 'unsubscribe'; readonly id: number };

/** A SourceError flattened for postMessage (class identity does not survive structured clone). */
export interface WireError {
  readonly name: string;
  readonly code: string | undefined;
  readonly message: string;
  readonly retryable: boolean | undefined;
  readonly status: number | undefined;
}

/** Messages from the simulation worker to the page. */
export type FromWorker =
  | { readonly type: 'result'; readonly id: number; readonly value: unknown }
  | { readonly type: 'error'; readonly id: number; readonly error: WireError }
  | { readonly type: 'live'; readonly id: number; readonly update: LiveUpdate }
  | { readonly type: 'live-error'; readonly id: number; readonly error: WireError };

// Request/response calls to a Web Worker, with cancellation and a main-thread fallback: the page side (`connectWorker`)
// and the worker side (`serveCalls`) of the demo's three workers (the simulation, the Alerts tab's simulation and its
// rule evaluation). Each worker defines its own calls; this module only moves them and their errors across.
import { SourceError, VigilError, abortError, type SourceErrorCode } from '@vigil/core';

/** A call to a worker: `method` names it, the rest is its payload. */
export interface CallMessage {
  readonly type: 'call';
  readonly id: number;
  readonly method: string;
}

/** The page stopped waiting for call `id`: the worker skips it if it has not started. */
export interface AbortMessage {
  readonly type: 'abort';
  readonly id: number;
}

/** An error flattened for postMessage (class identity does not survive structured clone). */
export interface WireError {
  readonly name: string;
  readonly code: string | undefined;
  readonly message: string;
  readonly retryable: boolean | undefined;
  readonly status: number | undefined;
  readonly path: string | undefined;
}

/** A worker's answer to one call. */
export type CallReply = { readonly type: 'result'; readonly id: number; readonly value: unknown } | { readonly type: 'error'; readonly id: number; readonly error: WireError };

const SOURCE_CODES = new Set<string>(['SOURCE_UNREACHABLE', 'SOURCE_TIMEOUT', 'BAD_QUERY', 'UNAUTHORIZED', 'PARTIAL_DATA', 'SOURCE_ERROR', 'ABORTED', 'UNSUPPORTED', 'NOT_FOUND']);

/** Flattens any thrown value for postMessage, keeping what components show: code, message, retryable, status, path. */
export function toWire(error: unknown): WireError {
  if (error instanceof Error) {
    const details = error as Error & { code?: unknown; retryable?: unknown; status?: unknown; path?: unknown };
    return {
      name: error.name,
      code: typeof details.code === 'string' ? details.code : undefined,
      message: error.message,
      retryable: typeof details.retryable === 'boolean' ? details.retryable : undefined,
      status: typeof details.status === 'number' ? details.status : undefined,
      path: typeof details.path === 'string' ? details.path : undefined,
    };
  }
  return { name: 'Error', code: undefined, message: String(error), retryable: undefined, status: undefined, path: undefined };
}

/** Rebuilds a typed error from the worker's flat copy, so components can show its code. */
export function fromWire(error: WireError): Error {
  if (error.code !== undefined && SOURCE_CODES.has(error.code)) {
    return new SourceError(error.code as SourceErrorCode, error.message, {
      ...(error.retryable === undefined ? {} : { retryable: error.retryable }),
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.path === undefined ? {} : { path: error.path }),
    });
  }
  if (error.code === 'INVALID_ARGUMENT' || error.code === 'INVALID_DATA') return new VigilError(error.code, error.message, error.path === undefined ? {} : { path: error.path });
  if (error.code !== undefined) return new VigilError('SOURCE_ERROR', error.message);
  return new Error(error.message);
}

/** The page's end of a worker: calls with cancellation, plus one-way messages. */
export interface WorkerConnection<Message> {
  /**
   * Sends a call and resolves with the worker's answer (or rejects with its error, rebuilt by `fromWire`). Aborting
   * `signal` rejects at once with an `ABORTED` error and tells the worker to skip the call. Once the worker has
   * failed, answers with `fallback()` instead.
   */
  call<T>(message: Extract<Message, CallMessage>, signal: AbortSignal | undefined, fallback: () => Promise<T>): Promise<T>;
  /** Posts a message that expects no answer (`init`, `subscribe` ...); dropped once the worker has failed. */
  post(message: Message): void;
  /** A fresh id for a call or a subscription. */
  nextId(): number;
  /** True once the worker has failed: from then on every call takes its fallback. */
  readonly broken: boolean;
}

export interface ConnectWorkerOptions<Reply> {
  /** Starts the worker. Must hold the literal `new Worker(new URL('./x.worker.ts', import.meta.url), ...)` for Vite to bundle it. */
  readonly create: () => Worker;
  /** Who is failing, for the console warning: "simulation", "alerts evaluation" ... */
  readonly label: string;
  /** Messages other than call replies (live updates). */
  readonly onMessage?: ((message: Reply) => void) | undefined;
  /** Called once when the worker fails (after the pending calls were rejected). */
  readonly onBroken?: (() => void) | undefined;
}

/**
 * Starts a worker and returns the page's end of it, or `undefined` where there are no workers (or the worker cannot
 * start), so the caller runs its work on the main thread. If the worker fails later (a blocked script, a crash),
 * pending calls reject with a retryable `SOURCE_ERROR` and later calls take their fallback.
 *
 * @example
 * const connection = connectWorker<ToWorker, FromWorker>({ create: () => new Worker(new URL('./x.worker.ts', import.meta.url), { type: 'module' }), label: 'x' });
 * const value = await (connection?.call({ type: 'call', id: connection.nextId(), method: 'run' }, signal, runHere) ?? runHere());
 */
export function connectWorker<Message extends { readonly type: string }, Reply extends { readonly type: string } = CallReply>(options: ConnectWorkerOptions<Reply>): WorkerConnection<Message> | undefined {
  if (typeof Worker === 'undefined') return undefined;
  let worker: Worker | undefined;
  try {
    worker = options.create();
  } catch (error) {
    console.warn(`Vigil demo: ${options.label} worker unavailable, running on the main thread`, error);
    return undefined;
  }
  let id = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  const post = (message: Message | AbortMessage) => worker?.postMessage(message);

  worker.addEventListener('message', (event: MessageEvent<CallReply | Reply>) => {
    const message = event.data;
    if (message.type === 'result' || message.type === 'error') {
      const reply = message as CallReply;
      const call = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.type === 'result') call?.resolve(reply.value);
      else call?.reject(fromWire(reply.error));
    } else options.onMessage?.(message as Reply);
  });
  worker.addEventListener('error', (event) => {
    // The worker could not start (blocked script, CSP) or crashed: answer everything on the main thread from now on.
    event.preventDefault();
    console.warn(`Vigil demo: ${options.label} worker failed, running on the main thread`, event.message);
    worker?.terminate();
    worker = undefined;
    for (const [, call] of pending) call.reject(new SourceError('SOURCE_ERROR', `The ${options.label} worker stopped; retrying on the main thread.`, { retryable: true }));
    pending.clear();
    options.onBroken?.();
  });

  return {
    get broken() {
      return worker === undefined;
    },
    nextId: () => id++,
    post,
    call<T>(message: Extract<Message, CallMessage>, signal: AbortSignal | undefined, fallback: () => Promise<T>): Promise<T> {
      if (worker === undefined) return fallback();
      if (signal?.aborted) return Promise.reject(abortError(signal, message.method));
      return new Promise<T>((resolve, reject) => {
        const onAbort = () => {
          pending.delete(message.id);
          post({ type: 'abort', id: message.id });
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
        post(message);
      });
    },
  };
}

/** What `serveCalls` gives the worker script: hand it every call and abort message. */
export interface CallServer<Call extends CallMessage> {
  accept(message: Call | AbortMessage): void;
}

/**
 * The worker's end: runs calls one at a time, in order, yielding to the event loop before each so abort messages that
 * arrived meanwhile are seen first (an aborted call that has not started is skipped). Errors go back flattened.
 *
 * @example
 * const server = serveCalls<MyCall>((reply) => scope.postMessage(reply), (call, signal) => work(call, signal));
 * scope.onmessage = (event) => (event.data.type === 'init' ? init(event.data) : server.accept(event.data));
 */
export function serveCalls<Call extends CallMessage>(post: (reply: CallReply) => void, run: (call: Call, signal: AbortSignal) => unknown): CallServer<Call> {
  const aborts = new Map<number, AbortController>();
  const queue: Call[] = [];
  let draining = false;

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

  return {
    accept(message) {
      if (message.type === 'abort') {
        aborts.get(message.id)?.abort();
        return;
      }
      aborts.set(message.id, new AbortController());
      queue.push(message as Call);
      void drain();
    },
  };
}

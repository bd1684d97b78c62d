import { useEffect, useState } from 'react';
import type { RangeKey } from '../lib/params';
import type { CostWorkerRequest, CostWorkerResponse } from './cost.worker';
import { computeCostView, costDataEnd, costKey, type CostRequest, type CostView } from './costView';

/** What a tab renders: loading (with the previous view, if any, for stale-while-revalidate), ready, or failed. */
export interface CostViewState {
  readonly status: 'loading' | 'ready' | 'error';
  readonly view: CostView | undefined;
  readonly error: string | undefined;
}

const cache = new Map<string, CostView>();
const inflight = new Map<string, Promise<CostView>>();
let worker: Worker | undefined;
let workerBroken = false;
let nextId = 1;
const pending = new Map<number, { resolve: (view: CostView) => void; reject: (error: Error) => void }>();

function getWorker(): Worker | undefined {
  if (workerBroken || typeof Worker === 'undefined') return undefined;
  if (worker) return worker;
  try {
    worker = new Worker(new URL('./cost.worker.ts', import.meta.url), { type: 'module', name: 'vigil-cost' });
  } catch {
    workerBroken = true;
    return undefined;
  }
  worker.addEventListener('message', (event: MessageEvent<CostWorkerResponse>) => {
    const message = event.data;
    const call = pending.get(message.id);
    pending.delete(message.id);
    if (!call) return;
    if ('view' in message) call.resolve(message.view);
    else call.reject(new Error(message.error));
  });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    workerBroken = true;
    for (const [, call] of pending) call.reject(new Error('The cost worker stopped; computing on the main thread.'));
    pending.clear();
  });
  return worker;
}

/** Computes (or reuses) the view: in the worker when there is one, else on the main thread after a frame. */
function requestView(request: CostRequest): Promise<CostView> {
  const key = costKey(request);
  const hit = cache.get(key);
  if (hit) return Promise.resolve(hit);
  const running = inflight.get(key);
  if (running) return running;
  const w = getWorker();
  const promise = (
    w
      ? new Promise<CostView>((resolve, reject) => {
          const id = nextId++;
          pending.set(id, { resolve, reject });
          w.postMessage({ id, request } satisfies CostWorkerRequest);
        }).catch(() => new Promise<CostView>((resolve) => setTimeout(() => resolve(computeCostView(request)), 0)))
      : new Promise<CostView>((resolve, reject) => setTimeout(() => {
          try {
            resolve(computeCostView(request));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        }, 16))
  ).then((view) => {
    cache.set(key, view);
    if (cache.size > 12) cache.delete(cache.keys().next().value as string);
    return view;
  });
  inflight.set(key, promise);
  void promise.finally(() => inflight.delete(key)).catch(() => undefined);
  return promise;
}

/**
 * The cost view for the selected range, computed off the main thread and memoised per seed, data hour and range.
 * The data ends at the last whole hour of the demo clock, so live ticks do not recompute until the hour turns.
 */
export function useCostView(seed: number, range: RangeKey, now: number): CostViewState {
  const end = costDataEnd(now);
  const key = costKey({ seed, end, range });
  const [state, setState] = useState<CostViewState>(() => {
    const hit = cache.get(key);
    return hit ? { status: 'ready', view: hit, error: undefined } : { status: 'loading', view: undefined, error: undefined };
  });
  useEffect(() => {
    let cancelled = false;
    const hit = cache.get(key);
    if (hit) {
      setState({ status: 'ready', view: hit, error: undefined });
      return undefined;
    }
    setState((previous) => ({ status: 'loading', view: previous.view, error: undefined }));
    requestView({ seed, end, range }).then(
      (view) => {
        if (!cancelled) setState({ status: 'ready', view, error: undefined });
      },
      (error: unknown) => {
        if (!cancelled) setState((previous) => ({ status: 'error', view: previous.view, error: error instanceof Error ? error.message : String(error) }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [key, seed, end, range]);
  return state;
}

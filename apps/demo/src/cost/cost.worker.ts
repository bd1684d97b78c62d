// Computes the Models and Finance views off the main thread: a week of usage is real work (pricing, bootstraps).
import { computeCostView, type CostRequest, type CostView } from './costView';

/** Messages of the cost worker: one request in, its view (or an error) out. */
export type CostWorkerRequest = { readonly id: number; readonly request: CostRequest };
export type CostWorkerResponse = { readonly id: number; readonly view: CostView } | { readonly id: number; readonly error: string };

const scope = self as unknown as { postMessage(message: CostWorkerResponse): void; onmessage: ((event: MessageEvent<CostWorkerRequest>) => void) | null };

scope.onmessage = (event) => {
  const { id, request } = event.data;
  try {
    scope.postMessage({ id, view: computeCostView(request) });
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};

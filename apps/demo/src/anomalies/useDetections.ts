import { useEffect, useRef, useState } from 'react';
import { detectAnomalies } from '@vigil/core/anomaly';
import type { DetectAnomaliesOptions, DetectionResult } from '@vigil/core/anomaly';
import type { DetectJob, DetectReply, DetectRequest } from './detectProtocol';

export interface Detections {
  readonly results: ReadonlyMap<string, DetectionResult>;
  readonly errors: ReadonlyMap<string, string>;
  /** True until every job of the current batch has answered. */
  readonly pending: boolean;
  /** The jobs these results answer (a render can see new jobs before the effect has started on them). */
  readonly batch: readonly DetectJob[] | undefined;
}

const EMPTY: Detections = { results: new Map(), errors: new Map(), pending: false, batch: undefined };

let worker: Worker | null | undefined;
let nextId = 1;

/** The shared detection worker, started on first use; null where workers are unavailable. */
function detectionWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    worker = typeof Worker === 'undefined' ? null : new Worker(new URL('./detect.worker.ts', import.meta.url), { type: 'module', name: 'vigil-anomaly-detection' });
  } catch {
    worker = null;
  }
  return worker;
}

/**
 * Runs the anomaly detectors over `jobs` off the main thread (a Web Worker), publishing each series' result as it
 * arrives. Without workers it runs one series per macrotask, so the page keeps answering between series.
 * A new batch (new `jobs` array) supersedes the previous one; until a series' new result arrives its previous one stays.
 */
export function useDetections(jobs: readonly DetectJob[] | undefined, options: DetectAnomaliesOptions): Detections {
  const [state, setState] = useState<Detections>(EMPTY);
  const latest = useRef<Detections>(EMPTY);
  latest.current = state;
  const optionsKey = JSON.stringify(options);
  useEffect(() => {
    if (jobs === undefined) {
      setState(EMPTY);
      return undefined;
    }
    const parsed = JSON.parse(optionsKey) as DetectAnomaliesOptions;
    // A live refresh keeps the previous results of the same series on screen until the new ones arrive (no flicker).
    const wanted = new Set(jobs.map((job) => job.key));
    const results = new Map<string, DetectionResult>([...latest.current.results].filter(([key]) => wanted.has(key)));
    const errors = new Map<string, string>();
    let cancelled = false;
    setState({ results, errors, pending: jobs.length > 0, batch: jobs });
    const publish = (pending: boolean) => {
      if (!cancelled) setState({ results: new Map(results), errors: new Map(errors), pending, batch: jobs });
    };
    const target = detectionWorker();
    if (target === null) {
      let index = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const step = () => {
        if (cancelled) return;
        const job = jobs[index++];
        if (job === undefined) {
          publish(false);
          return;
        }
        try {
          results.set(job.key, detectAnomalies(job, parsed));
        } catch (error) {
          errors.set(job.key, error instanceof Error ? error.message : String(error));
        }
        publish(true);
        timer = setTimeout(step, 0);
      };
      timer = setTimeout(step, 0);
      return () => {
        cancelled = true;
        if (timer !== undefined) clearTimeout(timer);
      };
    }
    const id = nextId++;
    const onMessage = (event: MessageEvent<DetectReply>) => {
      const reply = event.data;
      if (reply.id !== id) return;
      if (reply.type === 'result') results.set(reply.key, reply.result);
      else if (reply.type === 'error') errors.set(reply.key, reply.message);
      publish(reply.type !== 'done');
    };
    target.addEventListener('message', onMessage);
    const request: DetectRequest = { id, jobs, options: parsed };
    target.postMessage(request);
    return () => {
      cancelled = true;
      target.removeEventListener('message', onMessage);
    };
  }, [jobs, optionsKey]);
  // Until the effect has started on new jobs, they are pending too.
  return state.batch === jobs || jobs === undefined ? state : { ...state, pending: true };
}

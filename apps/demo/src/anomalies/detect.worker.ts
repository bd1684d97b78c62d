/// <reference lib="webworker" />
import { detectAnomalies } from '@vigil/core/anomaly';
import type { DetectReply, DetectRequest } from './detectProtocol';

// Runs the detectors off the page's thread: one reply per series, columns transferred (not copied).
const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (event: MessageEvent<DetectRequest>) => {
  const { id, jobs, options } = event.data;
  for (const job of jobs) {
    try {
      const result = detectAnomalies({ timestamps: job.timestamps, values: job.values }, options);
      const reply: DetectReply = { type: 'result', id, key: job.key, result };
      scope.postMessage(reply, [result.timestamps.buffer, result.values.buffer, result.scores.buffer, result.likelihoods.buffer, result.expected.buffer, result.lower.buffer, result.upper.buffer, result.flags.buffer]);
    } catch (error) {
      const reply: DetectReply = { type: 'error', id, key: job.key, message: error instanceof Error ? error.message : String(error) };
      scope.postMessage(reply);
    }
  }
  const done: DetectReply = { type: 'done', id };
  scope.postMessage(done);
};

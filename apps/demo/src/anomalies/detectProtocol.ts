import type { DetectAnomaliesOptions, DetectionResult } from '@vigil/core/anomaly';

/** One series to scan. */
export interface DetectJob {
  readonly key: string;
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
}

/** Page → detection worker. */
export interface DetectRequest {
  readonly id: number;
  readonly jobs: readonly DetectJob[];
  readonly options: DetectAnomaliesOptions;
}

/** Detection worker → page: one message per series, then `done`. */
export type DetectReply =
  | { readonly type: 'result'; readonly id: number; readonly key: string; readonly result: DetectionResult }
  | { readonly type: 'error'; readonly id: number; readonly key: string; readonly message: string }
  | { readonly type: 'done'; readonly id: number };

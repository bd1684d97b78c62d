import { defaultServices } from '@vigil/adapters/simulated';
import type { Thresholds } from '@vigil/react';

/** 5xx ratio (0..1): above 1 % is a warning, above 5 % critical. */
export const ERROR_RATIO_THRESHOLDS: Thresholds = { warning: 0.01, critical: 0.05 };

/** Availability (0..1) over the window: below 99.5 % a warning, below 99 % critical. */
export const AVAILABILITY_THRESHOLDS: Thresholds = { warning: 0.995, critical: 0.99, direction: 'below' };

/** Fleet-wide latency objectives in ms. */
export const P95_THRESHOLDS_MS: Thresholds = { warning: 400, critical: 800 };
export const P99_THRESHOLDS_MS: Thresholds = { warning: 1000, critical: 2000 };

const nominalP99Ms = new Map(defaultServices.map((spec) => [spec.name, spec.latencyP99Ms]));

/**
 * Each service's p99 objective: a service is judged against its own normal (a payments call is slower than an auth
 * token check). Warning at 1.5x its nominal p99, critical at 2.5x; unknown services use the fleet objective.
 */
export function p99ThresholdsFor(service: string): Thresholds {
  const nominal = nominalP99Ms.get(service);
  return nominal === undefined ? P99_THRESHOLDS_MS : { warning: nominal * 1.5, critical: nominal * 2.5 };
}

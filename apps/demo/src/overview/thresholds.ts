import { defaultServices } from '@vigil/adapters/simulated';
import type { Thresholds } from '@vigil/react';

/** 5xx ratio (0..1) over the last few minutes: above 1 % is a warning, above 5 % critical (a burst). */
export const ERROR_RATIO_THRESHOLDS: Thresholds = { warning: 0.01, critical: 0.05 };

/**
 * Availability (0..1) over the whole window: below 99 % a warning (the same line as a 1 % error rate), below 98 %
 * critical (sustained errors are worse than a burst).
 */
export const AVAILABILITY_THRESHOLDS: Thresholds = { warning: 0.99, critical: 0.98, direction: 'below' };

/** Fleet-wide latency objectives in ms, for "all services". */
export const FLEET_LATENCY_THRESHOLDS_MS: Readonly<Record<'p95' | 'p99', Thresholds>> = {
  p95: { warning: 400, critical: 800 },
  p99: { warning: 1000, critical: 2000 },
};

/** z-scores of the standard normal at 0.95 and 0.99. */
const Z95 = 1.6448536269514722;
const Z99 = 2.3263478740408408;

/**
 * Each service's nominal p95 and p99 in ms, from its lognormal profile in the simulated fleet
 * (median and p99 fix the lognormal; p95 = exp(mu + z95 sigma)).
 */
const nominalLatencyMs = new Map(
  defaultServices.map((spec) => {
    const mu = Math.log(spec.latencyP50Ms);
    const sigma = (Math.log(spec.latencyP99Ms) - mu) / Z99;
    return [spec.name, { p95: Math.exp(mu + Z95 * sigma), p99: spec.latencyP99Ms }] as const;
  }),
);

/**
 * A service's latency objective: each service is judged against its own normal (a payment is slower than a token
 * check). Warning at 1.5x its nominal percentile, critical at 2.5x; unknown services and "all services" use the
 * fleet objective.
 */
export function latencyThresholds(quantile: 'p95' | 'p99', service: string | undefined): Thresholds {
  const nominal = service === undefined ? undefined : nominalLatencyMs.get(service)?.[quantile];
  return nominal === undefined ? FLEET_LATENCY_THRESHOLDS_MS[quantile] : { warning: Math.round(nominal * 1.5), critical: Math.round(nominal * 2.5) };
}

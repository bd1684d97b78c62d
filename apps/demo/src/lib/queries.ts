import { escapeLabelValue } from '@vigil/adapters/promql';

/** The services selection: every service, or one. */
export type ServiceFilter = { readonly kind: 'all' } | { readonly kind: 'one'; readonly service: string };

export const ALL_SERVICES: ServiceFilter = { kind: 'all' };

/** Builds a label-matcher list, escaping every value so a hostile service name cannot change the query. */
export function matchers(filter: ServiceFilter, extra: readonly string[] = []): string {
  const parts = filter.kind === 'one' ? [`service="${escapeLabelValue(filter.service)}"`, ...extra] : [...extra];
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

/**
 * The rate window for a step: at least 5 minutes and at least one step, so no sample falls between windows
 * (the idea behind Grafana's `$__rate_interval`).
 */
export function rateWindow(stepMs: number): string {
  const minutes = Math.max(5, Math.ceil(stepMs / 60_000));
  return minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;
}

/**
 * The three range queries behind the whole Overview. Everything else is derived in the page: the fleet total is
 * the sum of the per-service rates, error ratios divide the two, and latency percentiles come from the summed
 * histogram buckets through `histogramQuantile` (`@vigil/core/percentile`, Prometheus semantics), so p50, p95 and
 * p99 cost one query instead of three. Long ranges are expensive to simulate, so fewer queries is faster.
 */
export function overviewQueries(filter: ServiceFilter, stepMs: number) {
  const window = rateWindow(stepMs);
  return {
    /** Requests per second, per service. */
    requestsByService: `sum by (service) (rate(http_requests_total${matchers(filter)}[${window}]))`,
    /** 5xx responses per second, per service. */
    errorsByService: `sum by (service) (rate(http_requests_total${matchers(filter, ['code=~"5.."'])}[${window}]))`,
    /** Cumulative latency bucket rates of the whole selection, one series per `le`. */
    latencyBuckets: `sum by (le) (rate(http_request_duration_seconds_bucket${matchers(filter)}[${window}]))`,
  };
}

/** The instant queries of the service health list (always the whole fleet, over the last 5 minutes). */
export const HEALTH_QUERIES = {
  requestsByService: 'sum by (service) (rate(http_requests_total[5m]))',
  errorRatioByService: 'sum by (service) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m]))',
  p99ByService: 'histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m])))',
} as const;

const NICE_STEPS_MS = [15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000];

/** A round step that gives about 240 points over the window (never below the 15 s scrape interval). */
export function stepFor(durationMs: number): number {
  const ideal = durationMs / 240;
  return NICE_STEPS_MS.find((step) => step >= ideal) ?? NICE_STEPS_MS[NICE_STEPS_MS.length - 1]!;
}

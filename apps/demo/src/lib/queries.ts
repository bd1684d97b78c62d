import { escapeLabelValue } from './escape';

/** The services selection: every service, or one. */
export type ServiceFilter = { readonly kind: 'all' } | { readonly kind: 'one'; readonly service: string };

export const ALL_SERVICES: ServiceFilter = { kind: 'all' };

/** Builds a label-matcher list, escaping every value so a hostile service name cannot change the query. */
function matchers(filter: ServiceFilter, extra: readonly string[] = []): string {
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

/** Every PromQL string the Overview sends, for one service filter and step. */
export function overviewQueries(filter: ServiceFilter, stepMs: number) {
  const window = rateWindow(stepMs);
  const requests = `http_requests_total${matchers(filter)}`;
  const errors = `http_requests_total${matchers(filter, ['code=~"5.."'])}`;
  const buckets = `http_request_duration_seconds_bucket${matchers(filter)}`;
  const quantile = (q: number, by: string) => `histogram_quantile(${q}, sum by (${by}) (rate(${buckets}[${window}])))`;
  return {
    /** Requests per second over the selection. */
    totalRate: `sum(rate(${requests}[${window}]))`,
    /** 5xx responses per second over the selection. */
    errorRate: `sum(rate(${errors}[${window}]))`,
    rateByService: `sum by (service) (rate(${requests}[${window}]))`,
    errorRatioByService: `sum by (service) (rate(${errors}[${window}])) / sum by (service) (rate(${requests}[${window}]))`,
    /** Latency quantiles of the whole selection, in seconds. */
    p50: quantile(0.5, 'le'),
    p95: quantile(0.95, 'le'),
    p99: quantile(0.99, 'le'),
    /** p99 per service (for the health grid), in seconds. */
    p99ByService: quantile(0.99, 'service, le'),
  };
}

export type OverviewQueries = ReturnType<typeof overviewQueries>;

const NICE_STEPS_MS = [15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000];

/** A round step that gives about 240 points over the window (never below the 15 s scrape interval). */
export function stepFor(durationMs: number): number {
  const ideal = durationMs / 240;
  return NICE_STEPS_MS.find((step) => step >= ideal) ?? NICE_STEPS_MS[NICE_STEPS_MS.length - 1]!;
}

import type { AlertRule } from '@vigil/core/alerting';

const MINUTE = 60_000;

/** The demo's rules, on the simulated fleet's metrics. The step is set per time range by the tab. */
export const DEMO_RULES: readonly AlertRule[] = [
  {
    id: 'high-error-rate',
    name: 'HighErrorRate',
    description: 'Share of requests answered with a 5xx, per service.',
    query: { expr: 'sum by (service) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m]))' },
    reducer: { type: 'last', windowMs: 5 * MINUTE },
    condition: { type: 'threshold', operator: '>', warning: { value: 0.02, recovery: 0.015 }, critical: { value: 0.05, recovery: 0.04 } },
    forMs: 2 * MINUTE,
    labels: { team: 'sre' },
    annotations: { summary: '5xx ratio of {{ $labels.service }} is {{ $value | humanizePercentage }}' },
    runbookUrl: 'https://runbooks.example.com/high-error-rate',
    receiver: 'pager',
  },
  {
    id: 'high-latency-p95',
    name: 'HighLatencyP95',
    description: 'p95 request latency per service, from the histogram buckets.',
    query: { expr: 'histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m])))' },
    reducer: { type: 'avg', windowMs: 5 * MINUTE },
    condition: { type: 'threshold', operator: '>', warning: { value: 1.5, recovery: 1.2 }, critical: { value: 2.5, recovery: 2 } },
    forMs: 3 * MINUTE,
    labels: { team: 'web' },
    annotations: { summary: 'p95 latency of {{ $labels.service }} is {{ $value | humanize }}s' },
    receiver: 'slack-ops',
  },
  {
    id: 'cpu-saturation',
    name: 'CPUSaturation',
    description: 'CPU cores used per service.',
    query: { expr: 'sum by (service) (rate(process_cpu_seconds_total[5m]))' },
    reducer: { type: 'max', windowMs: 10 * MINUTE },
    condition: { type: 'threshold', operator: '>', warning: { value: 1.5 }, critical: { value: 3 } },
    forMs: 10 * MINUTE,
    labels: { team: 'platform' },
    annotations: { summary: '{{ $labels.service }} uses {{ $value | humanize }} CPU cores' },
    receiver: 'slack-ops',
  },
];

/** Notification channels offered in the builder. */
export const DEMO_CHANNELS: readonly string[] = ['pager', 'slack-ops', 'email-oncall', 'webhook'];

/** Units of the demo rules' values, for the preview chart. */
export const RULE_UNITS: Readonly<Record<string, string>> = { 'high-error-rate': '', 'high-latency-p95': 's', 'cpu-saturation': 'cores' };

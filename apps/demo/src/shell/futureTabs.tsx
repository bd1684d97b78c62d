import { BellIcon, CoinIcon, SparkIcon, TraceIcon } from './icons';
import { EmptyState } from './EmptyState';

export function AlertsTab() {
  return (
    <EmptyState
      icon={<BellIcon width={28} height={28} />}
      title="Alerts"
      summary="Rules evaluated against the same data source, and what they would have fired on."
      planned={[
        'Firing and pending alerts, grouped by service and severity',
        'A rule builder that previews a rule on historical data before saving it',
        'Export to Prometheus alerting rules',
      ]}
      engine="@vigil/core/alerting"
    />
  );
}

export function TracesTab({ sourceHasTraces }: { sourceHasTraces: boolean }) {
  return (
    <EmptyState
      note={sourceHasTraces ? undefined : 'The simulated source does not produce traces yet (its capabilities say traces: false).'}
      icon={<TraceIcon width={28} height={28} />}
      title="Traces"
      summary="Find slow or failing requests and see where their time went."
      planned={[
        'Trace search by service, operation, duration and status',
        'A waterfall with the critical path highlighted, fast on very deep traces',
        'OTLP, Jaeger and Zipkin payloads read into one columnar model',
      ]}
      engine="@vigil/core/traces"
    />
  );
}

export function AnomaliesTab() {
  return (
    <EmptyState
      icon={<SparkIcon width={28} height={28} />}
      title="Anomalies"
      summary="Metrics that left their usual pattern, found by streaming detectors that learn daily seasonality."
      planned={[
        'Expected bands drawn behind each metric, with the outliers marked',
        'A ranked list of what changed most, and when it started',
        'Short-term forecasts for capacity planning',
      ]}
      engine="@vigil/core/anomaly"
    />
  );
}

export function CostTab() {
  return (
    <EmptyState
      icon={<CoinIcon width={28} height={28} />}
      title="Cost"
      summary="What each service and model costs to run, priced from usage telemetry."
      planned={[
        'Spend by service, model and team, against budgets',
        'LLM token usage priced per provider price list',
        'Cost per request next to latency and error rate',
      ]}
      engine="@vigil/core/cost"
    />
  );
}

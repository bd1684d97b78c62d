import { SparkIcon } from '../shell/icons';
import { EmptyState } from '../shell/EmptyState';
import type { DemoTabProps } from '../shell/tabProps';

export function AnomaliesTab(_props: DemoTabProps) {
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

import { BellIcon } from '../shell/icons';
import { EmptyState } from '../shell/EmptyState';
import type { DemoTabProps } from '../shell/tabProps';

export function AlertsTab(_props: DemoTabProps) {
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

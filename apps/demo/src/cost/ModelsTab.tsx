import { LayersIcon } from '../shell/icons';
import { EmptyState } from '../shell/EmptyState';
import type { DemoTabProps } from '../shell/tabProps';

export function ModelsTab(_props: DemoTabProps) {
  return (
    <EmptyState
      icon={<LayersIcon width={28} height={28} />}
      title="Models"
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

import { TraceIcon } from '../shell/icons';
import { EmptyState } from '../shell/EmptyState';
import type { DemoTabProps } from '../shell/tabProps';

export function TracesTab({ sourceHasTraces }: DemoTabProps & { sourceHasTraces: boolean }) {
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

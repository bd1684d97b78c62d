import type { DataSource } from '@vigil/core';
import type { DemoParams } from './params';

/** TEMPORARY until @vigil/adapters/simulated lands. */
export function createDemoSource(_params: DemoParams): DataSource {
  return {
    id: 'placeholder',
    capabilities: { metrics: true, traces: false, events: false, live: true, queryLanguage: 'promql' },
    queryRange: async () => ({ data: [], warnings: [] }),
    queryInstant: async () => ({ data: [], warnings: [] }),
  };
}

import type { DemoParams, RangeKey } from '../lib/params';

/** What the command center hands every tab: the shared time range, live mode, the demo clock and the URL params. */
export interface DemoTabProps {
  readonly range: RangeKey;
  readonly live: boolean;
  readonly clock: () => number;
  readonly params: DemoParams;
}

import type { DataSource } from '@vigil/core';
import type { RangeKey } from '../lib/params';

interface OverviewProps {
  readonly source: DataSource;
  readonly range: RangeKey;
  readonly live: boolean;
  readonly tickMs: number;
  readonly initialService: string | undefined;
}

export function Overview(_props: OverviewProps) {
  return <p>Overview</p>;
}

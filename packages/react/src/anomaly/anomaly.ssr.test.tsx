// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { renderToString } from 'react-dom/server';
import { AnomalyChart } from './AnomalyChart';
import { ForecastChart } from './ForecastChart';
import { CapacityPlanner } from './CapacityPlanner';
import { diskSeries, latencySeries } from './story-data';

describe('anomaly components on the server', () => {
  it('import and render without window or document', () => {
    expect(typeof window).toBe('undefined');
    const html = renderToString(
      <>
        <AnomalyChart title="p99 latency" series={latencySeries({ n: 400 })} />
        <ForecastChart title="Disk used" series={diskSeries({ days: 7 })} horizon={48} threshold={{ value: 90 }} />
        <CapacityPlanner resource="Disk" series={diskSeries({ days: 7 })} limit={90} limitLabel="90%" />
      </>,
    );
    expect(html).toContain('p99 latency');
    expect(html).toContain('Disk used');
    // The card computes on the server too: its headline is in the HTML.
    expect(html).toMatch(/Disk reaches 90% in \d+/);
  });
});

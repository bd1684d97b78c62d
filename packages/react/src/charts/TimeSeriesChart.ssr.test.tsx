// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { renderToString } from 'react-dom/server';
import { TimeSeriesChart } from './TimeSeriesChart';
import { DashboardProvider } from '../layout/DashboardProvider';

describe('TimeSeriesChart on the server', () => {
  it('imports and renders without window or document', () => {
    expect(typeof window).toBe('undefined');
    const series = { name: 'rps', labels: {}, timestamps: Float64Array.of(0, 60_000, 120_000), values: Float64Array.of(1, 2, 3) };
    const html = renderToString(
      <DashboardProvider>
        <TimeSeriesChart title="Requests" series={[series]} syncGroup="g" />
      </DashboardProvider>,
    );
    expect(html).toContain('<figure');
    expect(html).toContain('Requests');
    expect(html).toContain('aria-pressed="true"');
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { ReactNode } from 'react';
import { expectNoAxeViolations, mountInTheme } from '../test-support/browser';
import { detectAnomalies } from '@vigil/core/anomaly';
import '../theme/styles.css';
import type { ChartDrawInfo } from '../charts/types';
import { AnomalyChart } from './AnomalyChart';
import { ForecastChart } from './ForecastChart';
import { CapacityPlanner } from './CapacityPlanner';
import { diskSeries, latencySeries, MINUTE } from './story-data';

/** Set VITE_ANOMALY_SHOTS=/some/dir to save screenshots of each theme (to look at them). */
const SHOTS = (import.meta as unknown as { env?: Record<string, string | undefined> }).env?.VITE_ANOMALY_SHOTS;

const mount = (node: ReactNode, theme: string) => mountInTheme(node, theme, { width: 960, background: true, settleMs: 80 });

beforeAll(async () => {
  await page.viewport(1000, 1300);
});

const latency = latencySeries();

function everything(): ReactNode {
  return (
    <div style={{ display: 'grid', gap: 12 }}>
      <AnomalyChart title="p99 latency" unit="ms" series={latency} defaultSelectedIndex={0} timeZone="utc" />
      <ForecastChart title="Disk used" unit="%" series={diskSeries({ days: 7 })} horizon={24 * 14} threshold={{ value: 90, label: 'limit 90%' }} timeZone="utc" />
      <CapacityPlanner resource="Disk" series={diskSeries({ days: 7 })} limit={90} limitLabel="90%" unit="%" />
      <CapacityPlanner resource="Memory" series={diskSeries({ start: 95 })} limit={90} limitLabel="90%" unit="%" />
    </div>
  );
}

/** Non-transparent pixels on every canvas under `el`. */
function ink(el: HTMLElement): number {
  let painted = 0;
  for (const canvas of el.querySelectorAll('canvas')) {
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
    if (data === undefined) continue;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
  }
  return painted;
}

describe('anomaly components in a real browser', () => {
  for (const theme of ['light', 'dark', 'high-contrast']) {
    it(`have no axe violations in the ${theme} theme (contrast included), and paint their canvases`, async () => {
      const el = await mount(everything(), theme);
      await expect.poll(() => ink(el)).toBeGreaterThan(2000);
      await expectNoAxeViolations(el);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/anomaly-${theme}.png`, element: el });
    });
  }

  it('a real click on a drawn flag opens its explanation, and the flag sits on its point', async () => {
    const el = await mount(<AnomalyChart title="p99 latency" unit="ms" series={latency} timeZone="utc" />, 'light');
    const flag = el.querySelector('[role="toolbar"] button') as HTMLButtonElement;
    expect(flag).not.toBeNull();
    const box = flag.getBoundingClientRect();
    const plot = el.querySelector('[data-testid="vigil-chart-plot"]') as HTMLElement;
    const plotBox = plot.getBoundingClientRect();
    const index = Number(flag.getAttribute('data-anomaly-index'));
    const anomaly = detectAnomalies(latency).anomalies[index]!;
    const start = latency.timestamps[0]!;
    const end = latency.timestamps[latency.timestamps.length - 1]!;
    const expectedX = plotBox.left + ((anomaly.timestamp - start) / (end - start)) * plotBox.width;
    expect(Math.abs(box.left + box.width / 2 - expectedX)).toBeLessThan(2);
    await userEvent.click(flag);
    const panel = el.querySelector('[data-testid="vigil-anomaly-explanation"]') as HTMLElement;
    await expect.poll(() => panel.textContent ?? '').toMatch(/Expected.+Band.+Detector/);
    expect(flag.getAttribute('aria-pressed')).toBe('true');
  });

  it('draws 200,000 points M4-downsampled to the plot width', async () => {
    const infos: ChartDrawInfo[] = [];
    const big = latencySeries({ n: 200_000, stepMs: MINUTE, period: 1440, spikes: [50_000], shiftAt: 1e9 });
    const result = detectAnomalies(big, { detector: 'ewma' });
    await mount(<AnomalyChart title="big" result={result} onDraw={(info) => infos.push(info)} />, 'light');
    await expect.poll(() => infos.length).toBeGreaterThan(0);
    const last = infos[infos.length - 1]!;
    expect(last.pointsInRange).toBeGreaterThanOrEqual(200_000);
    // M4 keeps at most 4 points per pixel column per drawn column (value, expected, band low, band high).
    expect(last.pointsDrawn).toBeLessThanOrEqual(4 * 4 * Math.ceil(last.plotWidth) + 16);
  });
});

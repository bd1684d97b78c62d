import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { flushSync } from 'react-dom';
import type { ReactNode } from 'react';
import axe from 'axe-core';
import type { Series } from '@vigil/core';
import '../theme/styles.css';
import { TimeSeriesChart } from './TimeSeriesChart';
import type { ChartDrawInfo } from './types';
import { DashboardProvider } from '../layout/DashboardProvider';

const T0 = Date.UTC(2024, 0, 1);
const N = 1_000_000;

/** 1M samples a second apart: flat at 10 for the first 40%, then a noisy wave between 2 and 18. */
function millionPoints(): Series {
  const timestamps = new Float64Array(N);
  const values = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    timestamps[i] = T0 + i * 1000;
    values[i] = i < N * 0.4 ? 10 : 10 + 6 * Math.sin(i / 5000) + ((i * 7919) % 13) / 6.5 - 1;
  }
  return { name: 'requests', labels: {}, timestamps, values };
}

function smallSeries(name: string, offset: number): Series {
  const n = 120;
  return {
    name,
    labels: {},
    timestamps: Float64Array.from({ length: n }, (_, i) => T0 + i * 60_000),
    values: Float64Array.from({ length: n }, (_, i) => offset + 20 * Math.sin(i / 10)),
  };
}

let root: Root | null = null;
let host: HTMLElement | null = null;

async function mount(node: ReactNode, theme = 'light'): Promise<HTMLElement> {
  host = document.createElement('div');
  host.className = 'vigil-root';
  host.setAttribute('data-vigil-theme', theme);
  host.style.width = '800px';
  host.style.padding = '8px';
  host.style.background = 'var(--vigil-bg)';
  document.body.append(host);
  root = createRoot(host);
  // Real events drive these tests, so no act(): render synchronously, then let effects run.
  flushSync(() => root?.render(node));
  await new Promise((resolve) => setTimeout(resolve, 0));
  return host;
}

beforeAll(async () => {
  // The default viewport (414 px) is narrower than the charts.
  await page.viewport(1000, 900);
});

afterEach(() => {
  root?.unmount();
  host?.remove();
  root = null;
  host = null;
});

function parseColor(css: string): [number, number, number] {
  const probe = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
  probe.fillStyle = css;
  const hex = probe.fillStyle;
  return [Number.parseInt(hex.slice(1, 3), 16), Number.parseInt(hex.slice(3, 5), 16), Number.parseInt(hex.slice(5, 7), 16)];
}

describe('TimeSeriesChart in Chromium', () => {
  it('paints a million points on the canvas, with the theme colour where the data is', async () => {
    let info: ChartDrawInfo | null = null;
    let paints = 0;
    const onDraw = (i: ChartDrawInfo) => {
      info = i;
      paints++;
    };
    const el = await mount(<TimeSeriesChart title="Requests" series={[millionPoints()]} yDomain={[0, 20]} height={240} onDraw={onDraw} />);
    await vi.waitFor(() => expect(info).not.toBeNull());
    const drawn = info as unknown as ChartDrawInfo;
    expect(drawn.pointsInRange).toBe(N);
    expect(drawn.pointsDrawn).toBeLessThanOrEqual(4 * drawn.plotWidth + 2);
    expect(el.textContent).toContain('1,000,000 points, drawn at');

    const canvas = el.querySelector('canvas') as HTMLCanvasElement;
    const scale = canvas.width / canvas.getBoundingClientRect().width;
    const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
    const plot = el.querySelector('[data-testid="vigil-chart-plot"]') as HTMLElement;
    const left = plot.offsetLeft;
    const top = plot.offsetTop;
    const { width, height } = plot.getBoundingClientRect();
    const image = ctx.getImageData(Math.round(left * scale), Math.round(top * scale), Math.round(width * scale), Math.round(height * scale));
    let painted = 0;
    for (let i = 3; i < image.data.length; i += 4) if ((image.data[i] as number) > 0) painted++;
    expect(painted).toBeGreaterThan(1000);

    // Value 10 on [0, 20] is the middle of the plot; at 20% of the width the line is flat there.
    const expected = parseColor(getComputedStyle(el).getPropertyValue('--vigil-series-1').trim());
    const x = Math.round((left + width * 0.2) * scale);
    const yMid = Math.round((top + height / 2) * scale);
    const column = ctx.getImageData(x, yMid - 3 * scale, 1, 6 * scale + 1).data;
    let best = Infinity;
    for (let i = 0; i < column.length; i += 4) {
      if ((column[i + 3] as number) < 64) continue;
      best = Math.min(best, Math.abs((column[i] as number) - expected[0]) + Math.abs((column[i + 1] as number) - expected[1]) + Math.abs((column[i + 2] as number) - expected[2]));
    }
    expect(best).toBeLessThan(30);
    // Far above the line (value 19, in the flat part) nothing is painted.
    const above = ctx.getImageData(x, Math.round((top + height * 0.05) * scale), 1, 1).data;
    expect(above[3]).toBe(0);

    // Moving the crosshair (pointer and keyboard) never repaints the canvas.
    const paintsBefore = paints;
    expect(paintsBefore).toBe(1);
    await userEvent.hover(plot, { position: { x: width * 0.3, y: height / 2 } });
    await userEvent.hover(plot, { position: { x: width * 0.6, y: height / 2 } });
    plot.focus();
    await userEvent.keyboard('{ArrowRight}{ArrowRight}');
    await vi.waitFor(() => expect(el.querySelector('[aria-live="polite"]')?.textContent).toMatch(/requests: /));
    expect(paints).toBe(paintsBefore);
  });

  it('shows the tooltip in every chart of the sync group while one is hovered', async () => {
    const el = await mount(
      <DashboardProvider>
        <div data-testid="a">
          <TimeSeriesChart title="Rate" series={[smallSeries('rate', 50)]} syncGroup="svc" timeZone="utc" height={180} />
        </div>
        <div data-testid="b">
          <TimeSeriesChart title="Errors" series={[smallSeries('errors', 5)]} syncGroup="svc" timeZone="utc" height={180} />
        </div>
      </DashboardProvider>,
    );
    const [plotA] = Array.from(el.querySelectorAll('[data-testid="vigil-chart-plot"]')) as HTMLElement[];
    const box = (plotA as HTMLElement).getBoundingClientRect();
    await userEvent.hover(plotA as HTMLElement, { position: { x: box.width / 2, y: box.height / 2 } });
    const liveB = () => el.querySelector('[data-testid="b"] [aria-live="polite"]')?.textContent ?? '';
    const liveA = () => el.querySelector('[data-testid="a"] [aria-live="polite"]')?.textContent ?? '';
    await vi.waitFor(() => expect(liveB()).toMatch(/Jan 1, 2024, 00:\d\d:00errors: /));
    const timeA = /\d\d:\d\d:\d\d/.exec(liveA())?.[0];
    const timeB = /\d\d:\d\d:\d\d/.exec(liveB())?.[0];
    expect(timeA).toBe(timeB);
    expect(el.querySelector('[data-testid="b"] .vigil-chart-crosshair')).not.toBeNull();
    await userEvent.hover(el.querySelector('figcaption') as HTMLElement);
    await vi.waitFor(() => expect(liveB()).toBe(''));
  });

  it('zooms the x-domain to a brushed range and resets on double-click', async () => {
    const draws: ChartDrawInfo[] = [];
    const onBrush = vi.fn();
    const el = await mount(<TimeSeriesChart title="Rate" series={[smallSeries('rate', 50)]} onBrush={onBrush} onDraw={(i) => draws.push(i)} />);
    await vi.waitFor(() => expect(draws.length).toBeGreaterThan(0));
    const full = (draws[draws.length - 1] as ChartDrawInfo).xDomain;
    const plot = el.querySelector('[data-testid="vigil-chart-plot"]') as HTMLElement;
    const { width, height } = plot.getBoundingClientRect();
    await userEvent.dragAndDrop(plot, plot, { sourcePosition: { x: width * 0.25, y: height / 2 }, targetPosition: { x: width * 0.75, y: height / 2 } });
    await vi.waitFor(() => expect(onBrush).toHaveBeenCalledTimes(1));
    const span = full.end - full.start;
    await vi.waitFor(() => {
      const zoomed = (draws[draws.length - 1] as ChartDrawInfo).xDomain;
      expect(Math.abs(zoomed.start - (full.start + span * 0.25))).toBeLessThan(span * 0.01);
      expect(Math.abs(zoomed.end - (full.start + span * 0.75))).toBeLessThan(span * 0.01);
    });
    await userEvent.dblClick(plot);
    await vi.waitFor(() => expect((draws[draws.length - 1] as ChartDrawInfo).xDomain).toEqual(full));
  });

  for (const theme of ['light', 'dark', 'high-contrast']) {
    it(`has no axe violations in the ${theme} theme`, async () => {
      const a = smallSeries('p50', 100);
      const b = smallSeries('p99', 160);
      const el = await mount(
        <DashboardProvider>
          <TimeSeriesChart
            title="Checkout latency"
            unit="ms"
            series={[a, b]}
            bands={[{ lower: a, upper: b, label: 'p50–p99' }]}
            thresholds={[{ value: 170, label: 'SLO 170 ms', severity: 'critical' }]}
            events={[{ id: 'd', kind: 'deploy', title: 'v2', time: T0 + 30 * 60_000 }]}
            syncGroup="g"
          />
          <TimeSeriesChart title="Empty" series={[]} />
          <TimeSeriesChart title="Failing" error={new Error('Prometheus timed out')} />
          <TimeSeriesChart title="Loading" loading />
        </DashboardProvider>,
        theme,
      );
      const plot = el.querySelector('[data-testid="vigil-chart-plot"]') as HTMLElement;
      await userEvent.hover(plot);
      const result = await axe.run(el);
      expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    });
  }
});

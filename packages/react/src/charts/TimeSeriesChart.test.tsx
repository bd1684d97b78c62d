import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import type { Series } from '@vigil/core';
import { SourceError } from '@vigil/core';
import { TimeSeriesChart } from './TimeSeriesChart';
import { DashboardProvider } from '../layout/DashboardProvider';
import { createDashboardStore } from '../layout/dashboardStore';

const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;

function line(name: string, n: number, f: (i: number) => number): Series {
  return { name, labels: {}, timestamps: Float64Array.from({ length: n }, (_, i) => T0 + i * MINUTE), values: Float64Array.from({ length: n }, (_, i) => f(i)) };
}

const p50 = line('p50', 61, (i) => 100 + i);
const p99 = line('p99', 61, (i) => 300 + 2 * i);

const tooltipText = (container: HTMLElement) => container.querySelector('[aria-live="polite"]')?.textContent ?? '';

describe('TimeSeriesChart', () => {
  it('is a figure named by its title, with a focusable plot group and a text summary', () => {
    render(<TimeSeriesChart title="Latency" unit="ms" series={[p50, p99]} timeZone="utc" />);
    const figure = screen.getByRole('figure', { name: 'Latency' });
    const plot = within(figure).getByRole('group', { name: 'Latency' });
    expect(plot.tabIndex).toBe(0);
    const summaryId = plot.getAttribute('aria-describedby') as string;
    const summary = document.getElementById(summaryId)?.textContent ?? '';
    expect(summary).toContain('p50: min 100 ms, max 160 ms, last 160 ms.');
    expect(summary).toContain('p99: min 300 ms, max 420 ms, last 420 ms.');
    expect(summary).toContain('From Jan 1, 2024, 00:00:00 to Jan 1, 2024, 01:00:00.');
  });

  it('toggles a series from the legend (uncontrolled), updating aria-pressed and the summary', () => {
    const onHiddenSeriesChange = vi.fn();
    render(<TimeSeriesChart title="Latency" series={[p50, p99]} onHiddenSeriesChange={onHiddenSeriesChange} />);
    const button = screen.getByRole('button', { name: /p99/ });
    expect(button.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(button);
    expect(button.getAttribute('aria-pressed')).toBe('false');
    expect(onHiddenSeriesChange).toHaveBeenLastCalledWith(['p99']);
    const summary = document.getElementById(screen.getByRole('group', { name: 'Latency' }).getAttribute('aria-describedby') as string);
    expect(summary?.textContent).not.toContain('p99:');
    fireEvent.click(button);
    expect(button.getAttribute('aria-pressed')).toBe('true');
  });

  it('keeps controlled hidden series as given until the parent changes them', () => {
    function Controlled() {
      const [hidden, setHidden] = useState<readonly string[]>(['p50']);
      return <TimeSeriesChart title="Latency" series={[p50, p99]} hiddenSeries={hidden} onHiddenSeriesChange={(next) => setHidden(next.filter((k) => k !== 'p99'))} />;
    }
    render(<Controlled />);
    const p99Button = screen.getByRole('button', { name: /p99/ });
    fireEvent.click(p99Button);
    expect(p99Button.getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('button', { name: /p50/ }).getAttribute('aria-pressed')).toBe('false');
  });

  it('stores hidden series under chartId in the provider store', () => {
    const store = createDashboardStore({ hiddenSeries: { lat: ['p50'] } });
    render(
      <DashboardProvider store={store}>
        <TimeSeriesChart title="Latency" chartId="lat" series={[p50, p99]} />
      </DashboardProvider>,
    );
    expect(screen.getByRole('button', { name: /p50/ }).getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(screen.getByRole('button', { name: /p99/ }));
    expect(store.getState().snapshot().hiddenSeries).toEqual({ lat: ['p50', 'p99'] });
  });

  it('moves the crosshair with the keyboard and announces the values', () => {
    const { container } = render(<TimeSeriesChart title="Latency" unit="ms" series={[p50, p99]} timeZone="utc" />);
    const plot = screen.getByRole('group', { name: 'Latency' });
    expect(tooltipText(container)).toBe('');
    fireEvent.keyDown(plot, { key: 'ArrowRight' });
    expect(tooltipText(container)).toContain('00:00:00');
    expect(tooltipText(container)).toContain('p50: 100 ms');
    fireEvent.keyDown(plot, { key: 'ArrowRight' });
    expect(tooltipText(container)).toContain('00:01:00');
    fireEvent.keyDown(plot, { key: 'ArrowRight', shiftKey: true });
    expect(tooltipText(container)).toContain('00:11:00');
    expect(tooltipText(container)).toContain('p99: 322 ms');
    fireEvent.keyDown(plot, { key: 'ArrowLeft' });
    expect(tooltipText(container)).toContain('00:10:00');
    fireEvent.keyDown(plot, { key: 'End' });
    expect(tooltipText(container)).toContain('01:00:00');
    fireEvent.keyDown(plot, { key: 'Home' });
    expect(tooltipText(container)).toContain('00:00:00');
    fireEvent.blur(plot);
    expect(tooltipText(container)).toBe('');
  });

  it('zooms with + around the cursor and resets with Escape', () => {
    const onTimeRangeChange = vi.fn();
    render(<TimeSeriesChart title="Latency" series={[p50]} onTimeRangeChange={onTimeRangeChange} />);
    const plot = screen.getByRole('group', { name: 'Latency' });
    fireEvent.keyDown(plot, { key: 'Home' });
    fireEvent.keyDown(plot, { key: '+' });
    expect(onTimeRangeChange).toHaveBeenLastCalledWith({ start: T0, end: T0 + 30 * MINUTE });
    fireEvent.keyDown(plot, { key: '-' });
    expect(onTimeRangeChange).toHaveBeenLastCalledWith({ start: T0, end: T0 + 60 * MINUTE });
    fireEvent.keyDown(plot, { key: '+' });
    fireEvent.keyDown(plot, { key: 'Escape' });
    expect(onTimeRangeChange).toHaveBeenLastCalledWith(null);
  });

  it('ignores zoom keys when not zoomable', () => {
    const onTimeRangeChange = vi.fn();
    render(<TimeSeriesChart title="Latency" series={[p50]} zoomable={false} onTimeRangeChange={onTimeRangeChange} />);
    fireEvent.keyDown(screen.getByRole('group', { name: 'Latency' }), { key: '+' });
    expect(onTimeRangeChange).not.toHaveBeenCalled();
  });

  it('shares the crosshair within a sync group only', () => {
    const { container } = render(
      <DashboardProvider>
        <div data-testid="a">
          <TimeSeriesChart title="A" series={[p50]} syncGroup="svc" timeZone="utc" />
        </div>
        <div data-testid="b">
          <TimeSeriesChart title="B" series={[p99]} syncGroup="svc" timeZone="utc" />
        </div>
        <div data-testid="c">
          <TimeSeriesChart title="C" series={[p99]} syncGroup="other" timeZone="utc" />
        </div>
      </DashboardProvider>,
    );
    fireEvent.keyDown(screen.getByRole('group', { name: 'A' }), { key: 'ArrowRight' });
    expect(tooltipText(screen.getByTestId('b'))).toContain('p99: 300');
    expect(tooltipText(screen.getByTestId('c'))).toBe('');
    expect(container).toBeTruthy();
  });

  it('follows the store time range and zooms every chart of a provider together', () => {
    const store = createDashboardStore();
    render(
      <DashboardProvider store={store}>
        <TimeSeriesChart title="A" series={[p50]} syncGroup="svc" />
        <TimeSeriesChart title="B" series={[p99]} syncGroup="svc" />
      </DashboardProvider>,
    );
    fireEvent.keyDown(screen.getByRole('group', { name: 'A' }), { key: 'End' });
    fireEvent.keyDown(screen.getByRole('group', { name: 'A' }), { key: '+' });
    expect(store.getState().timeRange).toEqual({ start: T0 + 30 * MINUTE, end: T0 + 60 * MINUTE });
    const summaryB = document.getElementById(screen.getByRole('group', { name: 'B' }).getAttribute('aria-describedby') as string)?.textContent ?? '';
    expect(summaryB).toContain('p99: min 360, max 420');
    act(() => store.getState().resetZoom());
    expect(store.getState().timeRange).toBeNull();
  });

  it('shows a skeleton while loading', () => {
    render(<TimeSeriesChart title="Latency" series={[p50]} loading />);
    expect(screen.getByRole('figure', { name: 'Latency' }).getAttribute('aria-busy')).toBe('true');
    expect(screen.getByText('Loading Latency…')).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Latency' })).toBeNull();
  });

  it('shows the message of a VigilError', () => {
    render(<TimeSeriesChart title="Latency" error={new SourceError('SOURCE_TIMEOUT', 'Prometheus did not answer within 30 s')} />);
    expect(screen.getByRole('alert').textContent).toContain('Prometheus did not answer within 30 s');
  });

  it('says when there is no data in the range', () => {
    render(<TimeSeriesChart title="Latency" series={[p50]} timeRange={{ start: T0 - 10 * MINUTE, end: T0 - 5 * MINUTE }} />);
    expect(screen.getByText('No data for this range')).toBeTruthy();
    render(<TimeSeriesChart title="Nothing" series={[]} />);
    expect(screen.getAllByText('No data for this range')).toHaveLength(2);
  });

  it('contains a bad series in the chart instead of crashing the host', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const bad = { name: 'bad', labels: {}, timestamps: Float64Array.of(1, 2, 3), values: Float64Array.of(1) } as Series;
    render(
      <div>
        <p>host content</p>
        <TimeSeriesChart title="Broken" series={[bad]} />
      </div>,
    );
    expect(screen.getByText('host content')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('series[0].values');
    errors.mockRestore();
  });

  it('notes when it downsampled', () => {
    const big = line('big', 20_000, (i) => Math.sin(i / 50));
    render(<TimeSeriesChart title="Big" series={[big]} width={400} />);
    expect(screen.getByText(/^20,000 points, drawn at [\d,]+$/)).toBeTruthy();
  });

  it('lists events as labelled buttons with a tooltip on focus', () => {
    render(<TimeSeriesChart title="Latency" series={[p50]} timeZone="utc" events={[{ id: 'd1', kind: 'deploy', title: 'checkout v2', service: 'checkout', time: T0 + 20 * MINUTE }]} />);
    const flag = screen.getByRole('button', { name: 'Deploy: checkout v2 (checkout) at Jan 1, 2024, 00:20:00' });
    fireEvent.focus(flag);
    expect(screen.getByRole('tooltip').textContent).toContain('checkout v2');
    fireEvent.blur(flag);
    expect(screen.queryByRole('tooltip')).toBeNull();
  });

  it('forwards its ref to the figure and passes className and style', () => {
    let node: HTMLElement | null = null;
    render(<TimeSeriesChart ref={(el) => { node = el; }} title="Latency" series={[p50]} className="mine" style={{ maxWidth: 500 }} />);
    expect(node).toBe(screen.getByRole('figure', { name: 'Latency' }));
    expect((node as unknown as HTMLElement).className).toContain('mine');
    expect((node as unknown as HTMLElement).style.maxWidth).toBe('500px');
  });
});

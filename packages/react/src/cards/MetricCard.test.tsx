import { describe, expect, it, vi } from 'vitest';
import { createRef } from 'react';
import { render, screen, within } from '@testing-library/react';
import { SourceError } from '@vigil/core';
import { MetricCard } from './MetricCard';

describe('MetricCard', () => {
  it('shows title, formatted value and unit, as a named group', () => {
    render(<MetricCard title="p95 latency" value={1530} unit="ms" />);
    const card = screen.getByRole('group', { name: 'p95 latency' });
    expect(within(card).getByTestId('vigil-metric-value').textContent).toBe('1.53 s');
    expect(screen.getByRole('heading', { level: 3, name: 'p95 latency' })).toBeTruthy();
  });

  it('forwards ref, className, style and other attributes', () => {
    const ref = createRef<HTMLDivElement>();
    render(<MetricCard ref={ref} title="x" value={1} className="mine" style={{ width: 200 }} data-kpi="x" />);
    expect(ref.current?.classList.contains('mine')).toBe(true);
    expect(ref.current?.classList.contains('vigil-metric-card')).toBe(true);
    expect(ref.current?.style.width).toBe('200px');
    expect(ref.current?.dataset['kpi']).toBe('x');
  });

  it.each([null, undefined, Number.NaN, Infinity])('shows — with a "no data" label for %s', (value) => {
    render(<MetricCard title="Errors" value={value} unit="percent" />);
    expect(screen.getByRole('img', { name: 'no data' }).textContent).toBe('—');
    expect(document.body.textContent).not.toMatch(/NaN|Infinity/);
  });

  it('delta: arrow, signed percent and better/worse words', () => {
    const { rerender } = render(<MetricCard title="Latency" value={110} previousValue={100} unit="ms" deltaDirection="lower-is-better" />);
    let delta = document.querySelector('.vigil-delta') as HTMLElement;
    expect(delta.dataset['trend']).toBe('up');
    expect(delta.dataset['quality']).toBe('bad');
    expect(delta.textContent).toContain('+10%');
    expect(delta.textContent).toContain('worse');
    rerender(<MetricCard title="Throughput" value={90} previousValue={100} unit="rps" deltaDirection="lower-is-better" />);
    delta = document.querySelector('.vigil-delta') as HTMLElement;
    expect(delta.dataset['quality']).toBe('good');
    expect(delta.textContent).toContain('-10%');
    expect(delta.textContent).toContain('better');
    rerender(<MetricCard title="Neutral" value={90} previousValue={100} />);
    expect((document.querySelector('.vigil-delta') as HTMLElement).dataset['quality']).toBe('neutral');
  });

  it('delta from zero shows the absolute change; no delta without a comparable previous value', () => {
    const { rerender } = render(<MetricCard title="Errors" value={5} previousValue={0} unit="count" />);
    expect(document.querySelector('.vigil-delta')?.textContent).toContain('+5');
    rerender(<MetricCard title="Errors" value={5} previousValue={Number.NaN} />);
    expect(document.querySelector('.vigil-delta')).toBeNull();
    rerender(<MetricCard title="Errors" value={null} previousValue={3} />);
    expect(document.querySelector('.vigil-delta')).toBeNull();
  });

  it('thresholds give status as colour class, icon shape and words', () => {
    render(<MetricCard title="Latency" value={420} unit="ms" thresholds={{ warning: 300, critical: 500 }} />);
    const card = screen.getByRole('group');
    expect(card.dataset['status']).toBe('warning');
    expect(card.className).toContain('vigil-status--warning');
    expect(within(card).getByText('Warning')).toBeTruthy();
    expect(card.querySelector('svg[data-status="warning"]')).toBeTruthy();
  });

  it('an explicit status wins over thresholds', () => {
    render(<MetricCard title="x" value={1} thresholds={{ critical: 0 }} status="ok" />);
    expect(screen.getByRole('group').dataset['status']).toBe('ok');
  });

  it('loading shows a placeholder and aria-busy', () => {
    render(<MetricCard title="Latency" value={undefined} loading />);
    const card = screen.getByRole('group');
    expect(card.getAttribute('aria-busy')).toBe('true');
    expect(within(card).getByText('Loading')).toBeTruthy();
    expect(card.querySelector('.vigil-skeleton')).toBeTruthy();
  });

  it('refreshing keeps the value visible', () => {
    render(<MetricCard title="Latency" value={12} unit="ms" loading />);
    expect(screen.getByTestId('vigil-metric-value').textContent).toBe('12 ms');
    expect(screen.getByRole('group').getAttribute('aria-busy')).toBe('true');
  });

  it('error shows the VigilError message and code', () => {
    render(<MetricCard title="Latency" value={12} error={new SourceError('SOURCE_TIMEOUT', 'Prometheus did not answer in 10 s')} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Prometheus did not answer in 10 s');
    expect(alert.textContent).toContain('SOURCE_TIMEOUT');
    expect(screen.queryByTestId('vigil-metric-value')).toBeNull();
  });

  it('error of any type: Error, string, object', () => {
    const { rerender } = render(<MetricCard title="a" value={1} error={new Error('boom')} />);
    expect(screen.getByRole('alert').textContent).toContain('boom');
    rerender(<MetricCard title="a" value={1} error="plain text" />);
    expect(screen.getByRole('alert').textContent).toContain('plain text');
    rerender(<MetricCard title="a" value={1} error={{ weird: true }} />);
    expect(screen.getByRole('alert').textContent).toContain('Something went wrong');
  });

  it('bad props render an error card instead of crashing the host', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    render(
      <div>
        <p>host content</p>
        <MetricCard title="Latency" value={1} thresholds={{ warning: Number.NaN }} />
      </div>,
    );
    expect(screen.getByText('host content')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('thresholds.warning');
    expect(screen.getByRole('group', { name: 'Latency' })).toBeTruthy();
    spy.mockRestore();
  });

  it('recovers when the bad prop is fixed', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { rerender } = render(<MetricCard title="Latency" value={1} thresholds={{ warning: Number.NaN }} />);
    expect(screen.getByRole('alert')).toBeTruthy();
    rerender(<MetricCard title="Latency" value={1} thresholds={{ warning: 5 }} />);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('group').dataset['status']).toBe('ok');
    spy.mockRestore();
  });

  it('custom format and precision', () => {
    const { rerender } = render(<MetricCard title="x" value={0.5} format={(v) => `${v * 10} points`} />);
    expect(screen.getByTestId('vigil-metric-value').textContent).toBe('5 points');
    rerender(<MetricCard title="x" value={1234.5678} unit="ms" precision={5} />);
    expect(screen.getByTestId('vigil-metric-value').textContent).toBe('1.2346 s');
  });

  it('description describes the card; the sparkline inside is decorative', () => {
    render(<MetricCard title="x" value={1} description="last 5 minutes" sparkline={{ timestamps: [1, 2, 3], values: [1, 3, 2] }} />);
    const card = screen.getByRole('group');
    expect(card.getAttribute('aria-describedby')).toBe(screen.getByText('last 5 minutes').id);
    const svg = card.querySelector('svg.vigil-sparkline') as SVGElement;
    expect(svg.getAttribute('aria-hidden')).toBe('true');
  });

  it('renders on the server without window', async () => {
    const { renderToString } = await import('react-dom/server');
    const html = renderToString(<MetricCard title="SSR" value={3} unit="s" thresholds={{ warning: 2 }} />);
    expect(html.replace(/<!-- -->/g, '').replace(/<[^>]+>/g, '')).toContain('3 s');
    expect(html).toContain('Warning');
  });
});

import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import { renderToString } from 'react-dom/server';
import { createRef } from 'react';
import { SourceError } from '@vigil/core';
import { formatBudgetTime } from '@vigil/core/slo';
import type { SLOStatus } from '@vigil/core/slo';
import { SLOStatusCard } from './SLOStatusCard';
import { BudgetGauge } from './BudgetGauge';
import { scenario } from './story-data';

/** good / total and the remaining budget time, summed by hand from the raw events of the window. */
function bruteForce(kind: 'burning' | 'healthy' | 'breached') {
  const s = scenario(kind);
  const { timestamps, good, total } = s.events;
  const start = s.status.at - (s.slo.window.kind === 'rolling' ? s.slo.window.durationMs : 0);
  let g = 0;
  let t = 0;
  for (let i = 0; i < timestamps.length; i++) {
    const ts = timestamps[i] as number;
    if (ts > start && ts <= s.status.at) {
      g += good[i] as number;
      t += total[i] as number;
    }
  }
  const window = s.slo.window.kind === 'rolling' ? s.slo.window.durationMs : 0;
  const remainingMs = (1 - s.slo.target) * window - ((t - g) / t) * window;
  return { s, attainment: g / t, remainingMs };
}

describe('SLOStatusCard', () => {
  it('shows target, attainment, budget time and status from the real engine (checked by brute force)', () => {
    const { s, attainment, remainingMs } = bruteForce('burning');
    render(<SLOStatusCard slo={s.slo} status={s.status} />);
    const card = screen.getByRole('group', { name: 'Checkout availability' });
    expect(card?.getAttribute('data-status')).toBe('at-risk');
    expect(within(card).getByText('At risk')).toBeTruthy();
    expect(screen.getByTestId('vigil-slo-attainment')?.textContent).toContain(`${(Math.round(attainment * 1e5) / 1e3).toString()}%`);
    expect(screen.getByTestId('vigil-slo-budget-time')?.textContent).toContain(`${formatBudgetTime(remainingMs)} left`);
    const meter = screen.getByRole('meter', { name: /Error budget remaining/ });
    const remaining = s.status.errorBudget.ratio.remaining;
    expect(Number(meter.getAttribute('aria-valuenow'))).toBeCloseTo(remaining * 100, 0);
    expect(meter?.getAttribute('aria-valuemin')).toBe('0');
    expect(meter?.getAttribute('aria-valuemax')).toBe('100');
    expect(meter.getAttribute('aria-valuetext')).toMatch(/of the error budget left$/);
    expect(screen.getByTestId('vigil-slo-exhaustion')?.textContent).toMatch(/^In \d+h \d+m \(Mar 14, \d\d:\d\d\)$/);
  });

  it('marks burn-rate chips above a tier threshold with an icon and words, not colour alone', () => {
    const { s } = bruteForce('burning');
    render(<SLOStatusCard slo={s.slo} status={s.status} />);
    const chips = within(screen.getByRole('list', { name: 'Burn rates' })).getAllByRole('listitem');
    expect(chips).toHaveLength(s.status.burnRates.length);
    const fiveMinutes = chips.find((c) => c.textContent?.startsWith('5m'));
    expect(fiveMinutes?.getAttribute('data-level')).toBe('page');
    expect(fiveMinutes?.textContent).toMatch(/above the page-1h threshold/);
    expect(fiveMinutes?.querySelector('svg[data-status="critical"]')).not.toBeNull();
  });

  it('shows a breached SLO as overspent, with the meter clamped at 0 and the text saying by how much', () => {
    const { s, remainingMs } = bruteForce('breached');
    render(<SLOStatusCard slo={s.slo} status={s.status} />);
    expect(screen.getByRole('group')?.getAttribute('data-status')).toBe('breached');
    expect(screen.getByText('Breached')).toBeTruthy();
    expect(screen.getByTestId('vigil-slo-budget-time')?.textContent).toContain(`overspent by ${formatBudgetTime(-remainingMs)}`);
    const meter = screen.getByRole('meter');
    expect(meter?.getAttribute('aria-valuenow')).toBe('0');
    expect(meter.getAttribute('aria-valuetext')).toMatch(/^Error budget overspent by \d/);
    expect(screen.getByTestId('vigil-slo-exhaustion')?.textContent).toContain('Budget exhausted');
  });

  it('says "No data" with no traffic and never prints NaN', () => {
    const s = scenario('no-traffic');
    const { container } = render(<SLOStatusCard slo={s.slo} status={s.status} />);
    expect(screen.getByTestId('vigil-slo-attainment')?.textContent).toContain('No data');
    expect(screen.getByTestId('vigil-slo-exhaustion')?.textContent).toContain('Not burning');
    expect(screen.getByRole('meter')?.getAttribute('aria-valuenow')).toBe('100');
    expect(container.textContent).not.toMatch(/NaN|Infinity/);
  });

  it('has loading, error and empty states', () => {
    const s = scenario('healthy');
    const { rerender } = render(<SLOStatusCard slo={s.slo} status={undefined} loading />);
    expect(screen.getByRole('group')?.getAttribute('aria-busy')).toBe('true');
    expect(screen.getByText(/Loading/)).toBeTruthy();
    rerender(<SLOStatusCard slo={s.slo} status={s.status} error={new SourceError('SOURCE_TIMEOUT', 'Prometheus timed out')} />);
    expect(screen.getByRole('alert')?.textContent).toContain('Prometheus timed out (SOURCE_TIMEOUT)');
    rerender(<SLOStatusCard slo={s.slo} status={null} />);
    expect(screen.getByText('No status for this SLO yet.')).toBeTruthy();
  });

  it('keeps a crash inside the card', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const s = scenario('healthy');
    const broken = { ...s.status, burnRates: null } as unknown as SLOStatus;
    render(
      <div>
        <p>host content</p>
        <SLOStatusCard slo={s.slo} status={broken} />
      </div>,
    );
    expect(screen.getByText('host content')).toBeTruthy();
    expect(screen.getByRole('alert')).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Search availability' })).toBeTruthy();
    spy.mockRestore();
  });

  it('forwards the ref, className and style, and renders on the server', () => {
    const s = scenario('healthy');
    const ref = createRef<HTMLDivElement>();
    render(<SLOStatusCard ref={ref} slo={s.slo} status={s.status} className="mine" style={{ width: 321 }} />);
    expect(ref.current?.classList.contains('vigil-slo-card')).toBe(true);
    expect(ref.current?.classList.contains('mine')).toBe(true);
    expect(ref.current?.style.width).toBe('321px');
    const html = renderToString(<SLOStatusCard slo={s.slo} status={s.status} />);
    expect(html).toContain('Search availability');
    expect(html).toContain('role="meter"');
  });
});

describe('BudgetGauge', () => {
  it('clamps its meter value to 0–100 and draws no value arc when nothing is left', () => {
    const { container, rerender } = render(<BudgetGauge remaining={1.4} />);
    expect(screen.getByRole('meter')?.getAttribute('aria-valuenow')).toBe('100');
    rerender(<BudgetGauge remaining={-0.2} />);
    expect(screen.getByRole('meter')?.getAttribute('aria-valuenow')).toBe('0');
    expect(container.querySelector('.vigil-slo-gauge__value')).toBeNull();
    rerender(<BudgetGauge remaining={0.425} />);
    expect(screen.getByRole('meter')?.getAttribute('aria-valuenow')).toBe('42.5');
    expect(screen.getByRole('meter')?.getAttribute('aria-valuetext')).toBe('42.5% of the error budget left');
  });
});

import { describe, expect, it } from 'vitest';
import { render, screen, within, fireEvent } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SourceError } from '@vigil/core';
import { BurnRateTable } from './BurnRateTable';
import { scenario } from './story-data';

function tierOrder(): string[] {
  return screen.getAllByRole('row').slice(1).map((r) => r.getAttribute('data-tier') ?? '');
}

describe('BurnRateTable', () => {
  it('lists every tier with long and short burn, threshold, firing state and exhaustion', () => {
    const s = scenario('burning');
    render(<BurnRateTable slo={s.slo} status={s.status} alerts={s.alerts} />);
    expect(screen.getByRole('region', { name: 'Burn-rate alerts: Checkout availability' })).toBeTruthy();
    expect(tierOrder()).toEqual(['page-1h', 'page-6h', 'ticket-1d', 'ticket-3d']);
    const page = screen.getAllByRole('row')[1] as HTMLElement;
    const cells = within(page).getAllByRole('cell');
    const long = s.status.burnRates.find((b) => b.windowMs === 3_600_000)?.burnRate as number;
    expect(cells[1]?.textContent).toContain(`1h ${long.toFixed(1)}×`);
    expect(cells[1]?.textContent).toContain('(above threshold)');
    expect(cells[3]?.textContent).toBe('14.4×');
    expect(page.getAttribute('data-firing')).toBe('true');
    expect(cells[4]?.textContent).toMatch(/^Firing since Mar 14, \d\d:\d\d$/);
    expect(cells[5]?.textContent).toMatch(/^in \d+h \d+m/);
    const open = s.alerts.filter((a) => a.end === null).length;
    expect(screen.getByText(`${open} of 4 tiers firing`)).toBeTruthy();
  });

  it('sorts by a header click and by keyboard, with aria-sort on the header', async () => {
    const user = userEvent.setup();
    const s = scenario('burning');
    render(<BurnRateTable slo={s.slo} status={s.status} alerts={s.alerts} />);
    const header = screen.getByRole('columnheader', { name: /Long burn/ });
    expect(header.getAttribute('aria-sort')).toBe('none');
    await user.click(within(header).getByRole('button'));
    expect(header.getAttribute('aria-sort')).toBe('ascending');
    const longs = (order: string[]) => order.map((tier) => s.slo.alertTiers.find((t) => t.name === tier)?.longWindowMs).map((w) => s.status.burnRates.find((b) => b.windowMs === w)?.burnRate as number);
    const ascending = longs(tierOrder());
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    // Keyboard: focus the button and press Enter to flip to descending.
    within(header).getByRole('button').focus();
    await user.keyboard('{Enter}');
    expect(header.getAttribute('aria-sort')).toBe('descending');
    const descending = longs(tierOrder());
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
  });

  it('reports controlled sorting changes', () => {
    const s = scenario('healthy');
    const changes: unknown[] = [];
    render(<BurnRateTable slo={s.slo} status={s.status} sorting={[{ id: 'threshold', desc: true }]} onSortingChange={(next) => changes.push(next)} />);
    expect(tierOrder()).toEqual(['page-1h', 'page-6h', 'ticket-1d', 'ticket-3d']);
    fireEvent.click(within(screen.getByRole('columnheader', { name: /Tier/ })).getByRole('button'));
    expect(changes).toEqual([[{ id: 'tier', desc: false }]]);
    // Controlled: the order stays as given until the host changes `sorting`.
    expect(screen.getByRole('columnheader', { name: /Threshold/ }).getAttribute('aria-sort')).toBe('descending');
  });

  it('has no firing tier on a healthy SLO and shows loading, error and empty states', () => {
    const s = scenario('healthy');
    const { rerender } = render(<BurnRateTable slo={s.slo} status={s.status} alerts={s.alerts} />);
    expect(screen.getByText('No tier firing')).toBeTruthy();
    expect(screen.getAllByText('OK')).toHaveLength(4);
    rerender(<BurnRateTable slo={s.slo} status={undefined} loading />);
    expect(screen.getByRole('region').getAttribute('aria-busy')).toBe('true');
    rerender(<BurnRateTable slo={s.slo} status={s.status} error={new SourceError('SOURCE_UNREACHABLE', 'no route to host')} />);
    expect(screen.getByRole('alert').textContent).toContain('no route to host');
    rerender(<BurnRateTable slo={undefined} status={undefined} />);
    expect(screen.getByText('No status for this SLO yet.')).toBeTruthy();
  });
});

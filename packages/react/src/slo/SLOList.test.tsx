import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SourceError } from '@vigil/core';
import { SLOList } from './SLOList';
import type { SLOListItem } from './model';
import { manySLOs } from './story-data';

const items: SLOListItem[] = manySLOs(120);
const thousand: SLOListItem[] = manySLOs(1000);

function renderedNames(): string[] {
  return screen
    .getAllByRole('row')
    .slice(1)
    .map((r) => r.getAttribute('data-slo') ?? '');
}

describe('SLOList', () => {
  it('puts the most urgent SLOs first: least budget remaining (brute-force order)', () => {
    render(<SLOList items={items} />);
    const expected = [...items].sort((a, b) => a.status!.errorBudget.ratio.remaining - b.status!.errorBudget.ratio.remaining).map((i) => i.slo.name);
    const shown = renderedNames();
    expect(shown.length).toBeGreaterThan(3);
    expect(shown).toEqual(expected.slice(0, shown.length));
    expect(screen.getByRole('columnheader', { name: /Budget remaining/ }).getAttribute('aria-sort')).toBe('ascending');
    expect(screen.getAllByRole('row')[1]?.getAttribute('data-status')).toBe('breached');
  });

  it('renders only a window of rows for 1,000 SLOs, with the full count announced', () => {
    render(<SLOList items={thousand} height={400} rowHeight={50} />);
    const rows = screen.getAllByRole('row').length - 1;
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(30);
    expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe('1001');
    expect(screen.getByText('1,000 SLOs')).toBeTruthy();
  });

  it('filters by label chips and by text, and clears', async () => {
    const user = userEvent.setup();
    render(<SLOList items={items} />);
    const chip = screen.getByRole('button', { name: /^team=payments/ });
    expect(chip.getAttribute('aria-pressed')).toBe('false');
    await user.click(chip);
    expect(chip.getAttribute('aria-pressed')).toBe('true');
    const payments = items.filter((i) => i.slo.labels['team'] === 'payments');
    expect(screen.getByText(`Showing ${payments.length} of ${items.length} SLOs`)).toBeTruthy();
    for (const row of screen.getAllByRole('row').slice(1)) expect(payments.some((p) => p.slo.name === row.getAttribute('data-slo'))).toBe(true);
    await user.type(screen.getByRole('searchbox'), 'svc-0006');
    expect(renderedNames()).toEqual(['svc-0006-freshness']);
    await user.clear(screen.getByRole('searchbox'));
    await user.type(screen.getByRole('searchbox'), 'no such slo');
    expect(screen.getByText('No SLO matches the filters.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(screen.getByText(`${items.length} SLOs`)).toBeTruthy();
  });

  it('sorts by other columns from the headers', async () => {
    const user = userEvent.setup();
    render(<SLOList items={items} />);
    await user.click(within(screen.getByRole('columnheader', { name: /^SLO/ })).getByRole('button'));
    const byName = [...items].map((i) => i.slo.displayName).sort((a, b) => a.localeCompare(b));
    const shown = screen.getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell')[0]?.querySelector('span')?.textContent);
    expect(shown).toEqual(byName.slice(0, shown.length));
    await user.click(within(screen.getByRole('columnheader', { name: /Budget remaining/ })).getByRole('button'));
    await user.click(within(screen.getByRole('columnheader', { name: /Budget remaining/ })).getByRole('button'));
    expect(screen.getByRole('columnheader', { name: /Budget remaining/ }).getAttribute('aria-sort')).toBe('descending');
    const most = [...items].sort((a, b) => b.status!.errorBudget.ratio.remaining - a.status!.errorBudget.ratio.remaining)[0]!.slo.name;
    expect(renderedNames()[0]).toBe(most);
  });

  it('moves between rows with the arrow keys and selects with Enter', async () => {
    const user = userEvent.setup();
    const selected: string[] = [];
    render(<SLOList items={items} onSelect={(item) => selected.push(item.slo.name)} />);
    const names = renderedNames();
    const first = screen.getAllByRole('row')[1]!.querySelector('button') as HTMLButtonElement;
    first.focus();
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement?.getAttribute('data-row-index')).toBe('1');
    await user.keyboard('{Enter}');
    expect(selected).toEqual([names[1]]);
    await user.keyboard('{Home}');
    expect(document.activeElement?.getAttribute('data-row-index')).toBe('0');
  });

  it('shows loading, error and empty states', () => {
    const { rerender } = render(<SLOList items={undefined} loading />);
    expect(screen.getByRole('region').getAttribute('aria-busy')).toBe('true');
    rerender(<SLOList items={items} error={new SourceError('UNAUTHORIZED', 'token expired')} />);
    expect(screen.getByRole('alert').textContent).toContain('token expired (UNAUTHORIZED)');
    rerender(<SLOList items={[]} />);
    expect(screen.getByText('No SLOs defined yet.')).toBeTruthy();
  });
});

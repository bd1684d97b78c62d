import { describe, expect, it, vi } from 'vitest';
import { createRef } from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HealthStatus, healthSummary, type HealthItem } from './HealthStatus';

const items: HealthItem[] = [
  { id: 'api', label: 'api-gateway', status: 'ok', detail: 'p95 182 ms', value: '99.98%' },
  { id: 'db', label: 'postgres', status: 'critical', detail: 'replication lag 40 s' },
  { id: 'cache', label: 'redis', status: 'warning' },
  { id: 'auth', label: 'auth', status: 'ok' },
  { id: 'mail', label: 'mailer', status: 'unknown' },
];

describe('healthSummary', () => {
  it('counts non-zero states in a fixed order', () => {
    expect(healthSummary(items)).toBe('2 healthy · 1 warning · 1 critical · 1 unknown');
    expect(healthSummary([{ status: 'ok' }, { status: 'ok' }, { status: 'critical' }])).toBe('2 healthy · 1 critical');
    expect(healthSummary([])).toBe('no items');
  });
});

describe('HealthStatus', () => {
  it('is a named list whose items state their status in words and icon shape', () => {
    render(<HealthStatus items={items} title="Checkout services" />);
    const list = screen.getByRole('list', { name: 'Checkout services' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows).toHaveLength(5);
    expect(rows[1]!.textContent).toContain('postgres');
    expect(rows[1]!.textContent).toContain('Critical');
    expect(rows[1]!.querySelector('svg[data-status="critical"]')).toBeTruthy();
    expect(rows[0]!.textContent).toContain('99.98%');
    expect(screen.getByText('2 healthy · 1 warning · 1 critical · 1 unknown')).toBeTruthy();
  });

  it('compact variant keeps the status as hidden words, hides detail and value', () => {
    render(<HealthStatus items={items} variant="compact" />);
    const row = screen.getAllByRole('listitem')[1]!;
    expect(row.textContent).toContain('Critical');
    expect(row.querySelector('.vigil-visually-hidden')?.textContent).toContain('Critical');
    expect(row.textContent).not.toContain('replication lag');
    expect(row.getAttribute('title')).toBe('replication lag 40 s');
  });

  it('sorts worst first, stably', () => {
    render(<HealthStatus items={items} sort="severity" />);
    const labels = screen.getAllByRole('listitem').map((li) => li.querySelector('.vigil-health__label')?.textContent);
    expect(labels).toEqual(['postgres', 'redis', 'mailer', 'api-gateway', 'auth']);
  });

  it('without onSelect items are not focusable', () => {
    render(<HealthStatus items={items} />);
    expect(screen.queryAllByRole('button')).toHaveLength(0);
  });

  it('roving tabindex: one tab stop, arrows, Home/End move focus, Enter and Space select', async () => {
    const user = userEvent.setup();
    const onSelect = vi.fn();
    render(
      <>
        <button type="button">before</button>
        <HealthStatus items={items} onSelect={onSelect} />
        <button type="button">after</button>
      </>,
    );
    const buttons = within(screen.getByRole('list')).getAllByRole('button');
    expect(buttons.map((b) => b.tabIndex)).toEqual([0, -1, -1, -1, -1]);
    await user.tab();
    await user.tab();
    expect(document.activeElement).toBe(buttons[0]);
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(buttons[1]);
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(buttons[2]);
    await user.keyboard('{ArrowUp}');
    expect(document.activeElement).toBe(buttons[1]);
    await user.keyboard('{End}');
    expect(document.activeElement).toBe(buttons[4]);
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(buttons[4]);
    await user.keyboard('{Home}');
    expect(document.activeElement).toBe(buttons[0]);
    await user.keyboard('{ArrowDown}');
    await user.keyboard('{Enter}');
    expect(onSelect).toHaveBeenLastCalledWith(items[1]);
    await user.keyboard('{ArrowDown}');
    await user.keyboard(' ');
    expect(onSelect).toHaveBeenLastCalledWith(items[2]);
    expect(buttons.map((b) => b.tabIndex)).toEqual([-1, -1, 0, -1, -1]);
    await user.tab();
    expect(screen.getByText('after')).toBe(document.activeElement);
    await user.tab({ shift: true });
    expect(document.activeElement).toBe(buttons[2]);
  });

  it('the selected item is the tab stop and marked aria-current', async () => {
    const user = userEvent.setup();
    render(<HealthStatus items={items} onSelect={() => {}} selectedId="cache" />);
    const buttons = screen.getAllByRole('button');
    expect(buttons[2]!.getAttribute('aria-current')).toBe('true');
    expect(buttons[2]!.tabIndex).toBe(0);
    await user.click(buttons[3]!);
    expect(buttons[3]!.tabIndex).toBe(0);
  });

  it('accessible names of items include label and status', () => {
    render(<HealthStatus items={items} onSelect={() => {}} variant="compact" />);
    expect(screen.getByRole('button', { name: /postgres.*Critical/ })).toBeTruthy();
  });

  it('loading, empty and error states', () => {
    const { rerender } = render(<HealthStatus items={[]} loading />);
    expect(screen.getByText('Loading…')).toBeTruthy();
    expect(document.querySelector('.vigil-health')?.getAttribute('aria-busy')).toBe('true');
    rerender(<HealthStatus items={[]} emptyMessage="Nothing here" />);
    expect(screen.getByText('Nothing here')).toBeTruthy();
    rerender(<HealthStatus items={undefined} />);
    expect(screen.getByText('No services to show.')).toBeTruthy();
    rerender(<HealthStatus items={items} error={new Error('source down')} />);
    expect(screen.getByRole('alert').textContent).toContain('source down');
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('invalid items render an error naming the field, not a crash', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const bad = [...items, { id: 'x', label: 'x', status: 'purple' }] as unknown as HealthItem[];
    render(<HealthStatus items={bad} />);
    expect(screen.getByRole('alert').textContent).toContain('items[5].status');
    const duplicate = [items[0]!, items[0]!];
    render(<HealthStatus items={duplicate} />);
    expect(screen.getAllByRole('alert')[1]!.textContent).toContain('items[1].id');
    spy.mockRestore();
  });

  it('forwards ref, className and style', () => {
    const ref = createRef<HTMLDivElement>();
    render(<HealthStatus ref={ref} items={items} className="mine" style={{ maxWidth: 300 }} />);
    expect(ref.current?.className).toContain('mine');
    expect(ref.current?.style.maxWidth).toBe('300px');
  });

  it('renders many items', () => {
    const many = Array.from({ length: 300 }, (_, i): HealthItem => ({ id: `s${i}`, label: `service-${i}`, status: i % 97 === 0 ? 'critical' : 'ok' }));
    const { container } = render(<HealthStatus items={many} variant="compact" />);
    expect(container.querySelectorAll('li')).toHaveLength(300);
    expect(container.querySelector('.vigil-health__summary .vigil-visually-hidden')?.textContent).toBe('296 healthy · 4 critical');
  });
});

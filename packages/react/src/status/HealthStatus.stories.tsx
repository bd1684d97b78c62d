import { useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { SourceError } from '@vigil/core';
import { HealthStatus, type HealthItem } from './HealthStatus';

const services: HealthItem[] = [
  { id: 'frontend', label: 'frontend', status: 'ok', detail: 'p95 182 ms · 0.02% errors', value: '1.2k req/s' },
  { id: 'checkout', label: 'checkout', status: 'critical', detail: 'error rate 4.8% (SLO 0.5%)', value: '310 req/s' },
  { id: 'payments', label: 'payments', status: 'warning', detail: 'p95 740 ms (warning at 600 ms)', value: '96 req/s' },
  { id: 'search', label: 'search', status: 'ok', detail: 'p95 88 ms', value: '2.4k req/s' },
  { id: 'inventory', label: 'inventory', status: 'ok', detail: 'p95 41 ms', value: '410 req/s' },
  { id: 'auth', label: 'auth', status: 'unknown', detail: 'no scrape for 5 min' },
  { id: 'mailer', label: 'mailer', status: 'ok', detail: 'queue 12', value: '3 req/s' },
];

const meta = {
  title: 'Status/HealthStatus',
  component: HealthStatus,
  args: { items: services, title: 'Checkout services', onSelect: fn(), style: { maxWidth: 520 } },
  parameters: {
    docs: {
      description: {
        component:
          'Service health at a glance. State is colour + icon shape + words. With onSelect, items are one tab stop: arrows/Home/End move, Enter/Space select.',
      },
    },
  },
} satisfies Meta<typeof HealthStatus>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('list', { name: 'Checkout services' })).toBeVisible();
    await expect(canvas.getByText('4 healthy · 1 warning · 1 critical · 1 unknown')).toBeInTheDocument();
    const buttons = canvas.getAllByRole('button');
    await userEvent.click(buttons[0]!);
    await userEvent.keyboard('{ArrowDown}');
    await expect(buttons[1]).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    await expect(args.onSelect).toHaveBeenLastCalledWith(services[1]);
    await userEvent.keyboard('{End}');
    await expect(buttons[buttons.length - 1]).toHaveFocus();
  },
};

export const Compact: Story = {
  args: { variant: 'compact', sort: 'severity' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const first = canvas.getAllByRole('button')[0]!;
    await expect(first).toHaveAccessibleName(/checkout.*Critical/);
  },
};

function Selectable() {
  const [selected, setSelected] = useState<string | undefined>('payments');
  return (
    <div>
      <HealthStatus items={services} title="Services" onSelect={(item) => setSelected(item.id)} selectedId={selected} style={{ maxWidth: 520 }} />
      <p>Selected: {selected}</p>
    </div>
  );
}

export const Controlled: Story = {
  render: () => <Selectable />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('button', { name: /payments/ })).toHaveAttribute('aria-current', 'true');
    await userEvent.click(canvas.getByRole('button', { name: /search/ }));
    await expect(canvas.getByText('Selected: search')).toBeVisible();
    await expect(canvas.getByRole('button', { name: /search/ })).toHaveAttribute('aria-current', 'true');
  },
};

export const Empty: Story = {
  args: { items: [], emptyMessage: 'No services match the filter.' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('No services match the filter.')).toBeVisible();
    await expect(within(canvasElement).queryByRole('list')).toBeNull();
  },
};

export const Loading: Story = {
  args: { items: [], loading: true },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.vigil-health')).toHaveAttribute('aria-busy', 'true');
    await expect(within(canvasElement).getByText('Loading…')).toBeVisible();
  },
};

export const ErrorState: Story = {
  name: 'Error',
  args: { error: new SourceError('UNAUTHORIZED', 'The health endpoint refused the token') },
  play: async ({ canvasElement }) => {
    const alert = within(canvasElement).getByRole('alert');
    await expect(alert).toHaveTextContent('The health endpoint refused the token');
    await expect(alert).toHaveTextContent('UNAUTHORIZED');
  },
};

const many: HealthItem[] = Array.from({ length: 1000 }, (_, i) => ({
  id: `svc-${i}`,
  label: `service-${String(i).padStart(4, '0')}-with-a-rather-long-name`,
  status: i % 53 === 0 ? 'critical' : i % 17 === 0 ? 'warning' : i % 101 === 0 ? 'unknown' : 'ok',
  detail: `p95 ${(40 + ((i * 37) % 400)).toString()} ms`,
}));

export const Huge: Story = {
  name: 'Huge (1,000 services)',
  args: { items: many, variant: 'compact', sort: 'severity', style: { maxWidth: 900 } },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelectorAll('li')).toHaveLength(1000);
    const first = canvasElement.querySelector('li');
    await expect(first).toHaveAttribute('data-status', 'critical');
  },
};

export const Dark: Story = {
  parameters: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    const item = canvasElement.querySelector('.vigil-health__item') as HTMLElement;
    await expect(getComputedStyle(item).backgroundColor).toBe('rgb(23, 26, 33)');
    await expect(within(canvasElement).getAllByText('Critical')[0]).toBeVisible();
  },
};

export const HighContrast: Story = {
  parameters: { theme: 'high-contrast' },
  args: { variant: 'compact' },
  play: async ({ canvasElement }) => {
    const item = canvasElement.querySelector('.vigil-health__item') as HTMLElement;
    await expect(getComputedStyle(item).borderTopColor).toBe('rgb(255, 255, 255)');
    await expect(canvasElement.querySelectorAll('svg[data-status="critical"]').length).toBeGreaterThan(0);
  },
};

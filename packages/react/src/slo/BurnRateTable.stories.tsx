import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { SourceError } from '@vigil/core';
import { BurnRateTable } from './BurnRateTable';
import { scenario } from './story-data';

const healthy = scenario('healthy');
const burning = scenario('burning');
const breached = scenario('breached');
const quiet = scenario('no-traffic');

const meta = {
  title: 'SLO/BurnRateTable',
  component: BurnRateTable,
  args: { slo: healthy.slo, status: healthy.status, alerts: healthy.alerts, style: { maxWidth: 900 } },
  parameters: {
    docs: {
      description: {
        component:
          'Each tier of the multi-window, multi-burn-rate policy and how it stands now: long and short burn rates (marked above the threshold), threshold, firing state and exhaustion at the long-window burn rate. TanStack Table; every header sorts with aria-sort.',
      },
    },
  },
} satisfies Meta<typeof BurnRateTable>;

export default meta;
type Story = StoryObj<typeof meta>;

function tiers(canvasElement: HTMLElement): string[] {
  return within(canvasElement)
    .getAllByRole('row')
    .slice(1)
    .map((r) => r.getAttribute('data-tier') ?? '');
}

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText('No tier firing')).toBeVisible();
    await expect(tiers(canvasElement)).toEqual(['page-1h', 'page-6h', 'ticket-1d', 'ticket-3d']);
  },
};

export const Burning: Story = {
  args: { slo: burning.slo, status: burning.status, alerts: burning.alerts },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const header = canvas.getByRole('columnheader', { name: /State/ });
    await userEvent.click(within(header).getByRole('button'));
    await userEvent.click(within(header).getByRole('button'));
    await expect(header).toHaveAttribute('aria-sort', 'descending');
    const rows = canvas.getAllByRole('row').slice(1);
    await expect(rows[0]).toHaveAttribute('data-firing', 'true');
    await expect(canvas.getAllByText(/^Firing since/).length).toBe(burning.alerts.filter((a) => a.end === null).length);
  },
};

export const Breached: Story = {
  args: { slo: breached.slo, status: breached.status, alerts: breached.alerts },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getAllByText('exhausted')).toHaveLength(4);
  },
};

export const NoTraffic: Story = {
  name: 'No traffic',
  args: { slo: quiet.slo, status: quiet.status, alerts: quiet.alerts },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getAllByText('not burning')).toHaveLength(4);
  },
};

export const Empty: Story = {
  args: { slo: null, status: null, alerts: null },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('No status for this SLO yet.')).toBeVisible();
  },
};

export const Loading: Story = {
  args: { status: undefined, loading: true },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('region')).toHaveAttribute('aria-busy', 'true');
  },
};

export const ErrorState: Story = {
  name: 'Error',
  args: { error: new SourceError('UNAUTHORIZED', 'token expired') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('token expired (UNAUTHORIZED)');
  },
};

export const Keyboard: Story = {
  name: 'Sorting by keyboard',
  args: { slo: burning.slo, status: burning.status, alerts: burning.alerts },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.tab();
    await expect(document.activeElement).toHaveTextContent('Tier');
    await userEvent.tab();
    await userEvent.keyboard('{Enter}');
    await expect(canvas.getByRole('columnheader', { name: /Long burn/ })).toHaveAttribute('aria-sort', 'ascending');
  },
};

export const Dark: Story = {
  parameters: { theme: 'dark' },
  args: { slo: burning.slo, status: burning.status, alerts: burning.alerts },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(within(canvasElement).getByRole('region')).backgroundColor).toBe('rgb(23, 26, 33)');
  },
};

export const HighContrast: Story = {
  parameters: { theme: 'high-contrast' },
  args: { slo: burning.slo, status: burning.status, alerts: burning.alerts },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(within(canvasElement).getByRole('region')).color).toBe('rgb(255, 255, 255)');
  },
};

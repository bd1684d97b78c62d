import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { SourceError } from '@vigil/core';
import { AlertsPanel } from './AlertsPanel';
import { STORY_NOW, manyAlerts, storyScenario } from './story-data';

const { alerts } = storyScenario();
const many = manyAlerts(300);

const meta = {
  title: 'Alerts/AlertsPanel',
  component: AlertsPanel,
  args: { alerts, now: STORY_NOW, timeZone: 'utc', onAcknowledge: fn(), onSilence: fn(), style: { maxWidth: 760 } },
  parameters: {
    docs: {
      description: {
        component:
          'The alerts firing now, grouped by severity (critical first) with counts, each with its templated summary, labels as plain-text chips, a runbook link (http/https only) and acknowledge / silence actions as callbacks. Data: the real evaluator ticked over seeded synthetic error ratios.',
      },
    },
  },
} satisfies Meta<typeof AlertsPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByTestId('vigil-alerts-summary')).toHaveTextContent(/^\d+ firing: \d+ critical, \d+ warning$/);
    const acknowledge = canvas.getAllByRole('button', { name: /^Acknowledge / })[0] as HTMLElement;
    acknowledge.focus();
    await userEvent.keyboard('{Enter}');
    await expect(args.onAcknowledge).toHaveBeenCalledTimes(1);
    await expect(canvas.getAllByText('Acknowledged')).toHaveLength(1);
    await userEvent.click(canvas.getAllByRole('button', { name: /^Silence / })[0] as HTMLElement);
    await expect(args.onSilence).toHaveBeenCalledTimes(1);
  },
};

export const Empty: Story = {
  args: { alerts: [] },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('No active alerts.')).toBeVisible();
  },
};

export const Loading: Story = {
  args: { alerts: undefined, loading: true },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('region')).toHaveAttribute('aria-busy', 'true');
  },
};

export const ErrorState: Story = {
  name: 'Error',
  args: { alerts: undefined, error: new SourceError('SOURCE_UNREACHABLE', 'Alertmanager did not answer') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('Alertmanager did not answer (SOURCE_UNREACHABLE)');
  },
};

export const ManyAlerts: Story = {
  name: 'Many alerts (300, paged per severity)',
  args: { alerts: many, pageSize: 10 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByTestId('vigil-alerts-summary')).toHaveTextContent(`${many.length} firing`);
    await expect(canvasElement.querySelectorAll('[data-fingerprint]').length).toBe(20);
    await userEvent.click(canvas.getByRole('button', { name: /^Show 10 more critical alerts/ }));
    await expect(canvasElement.querySelectorAll('[data-severity-group="critical"] [data-fingerprint]').length).toBe(20);
  },
};

export const Silenced: Story = {
  args: { silenced: alerts.slice(0, 1).map((a) => a.fingerprint), acknowledged: alerts.slice(1, 2).map((a) => a.fingerprint) },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('Silenced')).toBeVisible();
    await expect(within(canvasElement).getByText('Acknowledged')).toBeVisible();
  },
};

export const Dark: Story = {
  parameters: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(within(canvasElement).getByRole('region', { name: 'Active alerts' })).backgroundColor).toBe('rgb(23, 26, 33)');
  },
};

export const HighContrast: Story = {
  parameters: { theme: 'high-contrast' },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(within(canvasElement).getByRole('region', { name: 'Active alerts' })).color).toBe('rgb(255, 255, 255)');
  },
};

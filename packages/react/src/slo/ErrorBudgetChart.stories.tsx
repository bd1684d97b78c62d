import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { SourceError } from '@vigil/core';
import { sloTimeline } from '@vigil/core/slo';
import { ErrorBudgetChart } from './ErrorBudgetChart';
import { DAY, MINUTE, STORY_NOW, scenario } from './story-data';

const healthy = scenario('healthy');
const burning = scenario('burning');
const breached = scenario('breached');
const quiet = scenario('no-traffic');
const calendar = scenario('calendar');

const meta = {
  title: 'SLO/ErrorBudgetChart',
  component: ErrorBudgetChart,
  args: { slo: burning.slo, timeline: burning.timeline, alerts: burning.alerts, status: burning.status, timeZone: 'utc', style: { maxWidth: 860 } },
  parameters: {
    docs: {
      description: {
        component:
          'The error budget left over the window (resetting at calendar boundaries), a dashed burn-down projection to exhaustion, at-risk and exhausted lines, and burn-rate alert intervals shaded by severity with a focusable label each. Built on TimeSeriesChart.',
      },
    },
  },
} satisfies Meta<typeof ErrorBudgetChart>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  name: 'Default (burning)',
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('figure', { name: 'Error budget: Checkout availability' })).toBeVisible();
    await expect(canvas.getByText('Projection')).toBeVisible();
    const flag = canvas.getAllByRole('button', { name: /^Alert: page-1h/ })[0] as HTMLElement;
    await userEvent.hover(flag);
    await expect(await canvas.findByRole('tooltip')).toHaveTextContent(/page-1h \(page\)/);
    await expect(canvas.getAllByText(/now \(firing\)/).length).toBeGreaterThan(0);
  },
};

export const Healthy: Story = {
  args: { slo: healthy.slo, timeline: healthy.timeline, alerts: healthy.alerts, status: healthy.status },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('No burn-rate alerts in this range.')).toBeVisible();
  },
};

export const Breached: Story = {
  args: { slo: breached.slo, timeline: breached.timeline, alerts: breached.alerts, status: breached.status },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText(`${breached.alerts.length} burn-rate alerts in this range (latest 8 listed):`)).toBeVisible();
    await expect(canvas.queryByText('Projection')).toBeNull();
  },
};

export const CalendarResets: Story = {
  name: 'Calendar window (monthly resets)',
  args: { slo: calendar.slo, timeline: calendar.timeline, alerts: calendar.alerts, status: calendar.status },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('button', { name: /^Annotation: Budget resets \(new month\)/ })).toBeVisible();
  },
};

export const NoTraffic: Story = {
  name: 'No traffic',
  args: { slo: quiet.slo, timeline: quiet.timeline, alerts: quiet.alerts, status: quiet.status },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('figure')).toBeVisible();
    await expect(canvasElement.textContent).not.toMatch(/NaN|Infinity/);
  },
};

export const Empty: Story = {
  args: { timeline: null, alerts: [], status: null },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('No data for this range')).toBeVisible();
  },
};

export const Loading: Story = {
  args: { timeline: undefined, alerts: undefined, status: undefined, loading: true },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('figure')).toHaveAttribute('aria-busy', 'true');
  },
};

export const ErrorState: Story = {
  name: 'Error',
  args: { error: new SourceError('BAD_QUERY', 'parse error at char 12') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('parse error at char 12');
  },
};

const minutely = sloTimeline(burning.slo, burning.events, { range: { start: STORY_NOW - 30 * DAY, end: STORY_NOW }, stepMs: MINUTE });

export const Huge: Story = {
  name: 'Huge (43,201-point timeline)',
  args: { timeline: minutely },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText(/43,20\d points, drawn at/)).toBeVisible();
  },
};

export const Dark: Story = {
  parameters: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    const figure = within(canvasElement).getByRole('figure');
    await expect(getComputedStyle(figure).backgroundColor).toBe('rgb(23, 26, 33)');
  },
};

export const HighContrast: Story = {
  parameters: { theme: 'high-contrast' },
  args: { slo: breached.slo, timeline: breached.timeline, alerts: breached.alerts, status: breached.status },
  play: async ({ canvasElement }) => {
    const figure = within(canvasElement).getByRole('figure');
    await expect(getComputedStyle(figure).color).toBe('rgb(255, 255, 255)');
  },
};

import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { SourceError } from '@vigil/core';
import { complianceReport } from '@vigil/core/slo';
import { ComplianceReportView } from './ComplianceReportView';
import { DAY, STORY_NOW, scenario } from './story-data';

const calendar = scenario('calendar');
const breached = scenario('breached');
const quiet = scenario('no-traffic');
const monthly = complianceReport(calendar.slo, calendar.events, { unit: 'month', range: { start: STORY_NOW - 60 * DAY, end: STORY_NOW } });

const meta = {
  title: 'SLO/ComplianceReportView',
  component: ComplianceReportView,
  args: { report: calendar.report, onExport: fn(() => false), style: { maxWidth: 760 } },
  parameters: {
    docs: {
      description: {
        component:
          'Compliance per period (weekly, monthly, quarterly) with met / missed badges, budget used, an attainment-history sparkline and a CSV export through core toCsv (formula-injection safe).',
      },
    },
  },
} satisfies Meta<typeof ComplianceReportView>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  name: 'Default (weekly)',
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getAllByRole('row').length - 1).toBe(calendar.report.periods.length);
    await expect(canvas.getByTestId('vigil-compliance-summary')).toHaveTextContent(`${calendar.report.periodsMet} of ${calendar.report.periodsWithData} weekly periods`);
    await userEvent.click(canvas.getByRole('button', { name: /Export CSV/ }));
    await expect(args.onExport).toHaveBeenCalledTimes(1);
    const [csv, name] = (args.onExport as ReturnType<typeof fn>).mock.calls[0] as [string, string];
    await expect(csv.split('\n')[0]).toBe('slo,period_start,period_end,complete,good,bad,total,attainment,target,met,budget_consumed,excluded_ms');
    await expect(name).toBe('api-monthly-compliance-week.csv');
  },
};

export const Monthly: Story = {
  args: { report: monthly },
  play: async ({ canvasElement }) => {
    const headers = within(canvasElement).getAllByRole('rowheader').map((h) => h.textContent);
    await expect(headers[0]).toBe('Mar 2025 (in progress)');
  },
};

export const Breached: Story = {
  args: { report: breached.report },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getAllByText('Missed').length).toBe(breached.report.periodsWithData - breached.report.periodsMet);
  },
};

export const NoTraffic: Story = {
  name: 'No traffic',
  args: { report: quiet.report },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getAllByText('No data').length).toBe(quiet.report.periods.length);
    await expect(within(canvasElement).queryByRole('img', { name: /Attainment history/ })).toBeNull();
  },
};

export const Empty: Story = {
  args: { report: null },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('No periods in this report.')).toBeVisible();
  },
};

export const Loading: Story = {
  args: { report: undefined, loading: true },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('region')).toHaveAttribute('aria-busy', 'true');
  },
};

export const ErrorState: Story = {
  name: 'Error',
  args: { error: new SourceError('PARTIAL_DATA', 'two of five shards answered') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('two of five shards answered');
  },
};

export const Dark: Story = {
  parameters: { theme: 'dark' },
  args: { report: breached.report },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(within(canvasElement).getByRole('region')).backgroundColor).toBe('rgb(23, 26, 33)');
  },
};

export const HighContrast: Story = {
  parameters: { theme: 'high-contrast' },
  args: { report: breached.report },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(within(canvasElement).getByRole('region')).color).toBe('rgb(255, 255, 255)');
  },
};

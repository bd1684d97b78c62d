import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { SpendBudgetGauge } from './SpendBudgetGauge';
import { storyCost } from './story-data';

const { forecast } = storyCost();
const base = { budget: 1000, spentSoFar: 420, projectedTotal: { expected: 880, lower: 790, upper: 960 }, probabilityOverBudget: 0.03 };

const meta = {
  title: 'Cost/SpendBudgetGauge',
  component: SpendBudgetGauge,
  args: { forecast, periodLabel: 'November', style: { maxWidth: 560 } },
  parameters: { docs: { description: { component: 'Spend against a budget with the forecast (dashed), its prediction interval (outer line) and the probability of going over, from `forecastBudget`. The state is written out with a shape; the meter’s value text says everything.' } } },
} satisfies Meta<typeof SpendBudgetGauge>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  name: 'From the engine',
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('meter')).toHaveAttribute('aria-valuetext', expect.stringMatching(/chance of exceeding the budget/));
  },
};

export const OnTrack: Story = {
  name: 'On track',
  args: { forecast: base },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('On track')).toBeVisible();
  },
};

export const AtRisk: Story = {
  name: 'At risk',
  args: { forecast: { ...base, projectedTotal: { expected: 960, lower: 850, upper: 1080 }, probabilityOverBudget: 0.32 } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('At risk')).toBeVisible();
  },
};

export const OverBudget: Story = {
  name: 'Over budget',
  args: { forecast: { ...base, spentSoFar: 1120, projectedTotal: { expected: 1900, lower: 1700, upper: 2100 }, probabilityOverBudget: 1, expectedExhaustion: Date.UTC(2026, 10, 19) } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('Likely over budget')).toBeVisible();
    await expect(within(canvasElement).getByRole('meter')).toHaveAttribute('aria-valuenow', '100');
  },
};

export const Empty: Story = {
  args: { forecast: undefined },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('No budget forecast.')).toBeVisible();
  },
};

export const Loading: Story = {
  args: { forecast: undefined, loading: true },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText(/Loading/)).toBeInTheDocument();
  },
};

export const ErrorState: Story = {
  name: 'Error',
  args: { forecast: undefined, error: new Error('series: expected at least 3 buckets of history, received 2') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('at least 3 buckets');
  },
};

export const Huge: Story = {
  name: 'Huge amounts',
  args: { forecast: { budget: 4.2e6, spentSoFar: 2.9e6, projectedTotal: { expected: 4.4e6, lower: 4.0e6, upper: 4.9e6 }, probabilityOverBudget: 0.61 } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('meter')).toHaveAttribute('aria-valuetext', expect.stringMatching(/\$2\.9M spent of a \$4\.2M budget/));
  },
};

export const Dark: Story = {
  parameters: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(canvasElement.querySelector('section')!).backgroundColor).toBe('rgb(23, 26, 33)');
  },
};

export const HighContrast: Story = {
  parameters: { theme: 'high-contrast' },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(canvasElement.querySelector('section')!).color).toBe('rgb(255, 255, 255)');
  },
};

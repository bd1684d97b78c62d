import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { SourceError } from '@vigil/core';
import { CostVsPerformanceScatter } from './CostVsPerformanceScatter';
import { hugeMatrixRows, storyCost } from './story-data';

const { byModel } = storyCost();

const meta = {
  title: 'Cost/CostVsPerformanceScatter',
  component: CostVsPerformanceScatter,
  args: { rows: byModel, style: { maxWidth: 760 } },
  parameters: {
    docs: { description: { component: 'Cost per successful request against p95 latency or quality. Pareto-front models are diamonds joined by a dashed line (shape, not only colour); unpriced models are listed as not plotted. A data table carries the same facts for screen readers.' } },
  },
} satisfies Meta<typeof CostVsPerformanceScatter>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelectorAll('[data-pareto="true"]').length).toBeGreaterThan(0);
    await expect(within(canvasElement).getByText(/acme-support-ft-2/)).toBeVisible();
  },
};

export const Quality: Story = {
  name: 'Quality axis',
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Quality' }));
    await expect(canvas.getByRole('img')).toHaveAttribute('aria-label', expect.stringMatching(/Quality/));
  },
};

export const Huge: Story = {
  name: 'Huge (300 models)',
  args: { rows: hugeMatrixRows(300), pointLabel: (r) => r.key['model'] ?? '' },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelectorAll('[data-pareto]').length).toBe(300);
  },
};

export const Empty: Story = {
  args: { rows: [] },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('No usage in this range.')).toBeVisible();
  },
};

export const Loading: Story = {
  args: { rows: undefined, loading: true },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText(/Loading/)).toBeInTheDocument();
  },
};

export const ErrorState: Story = {
  name: 'Error',
  args: { error: new SourceError('SOURCE_TIMEOUT', 'usage query timed out') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('usage query timed out');
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

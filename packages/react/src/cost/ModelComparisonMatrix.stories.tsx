import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { SourceError } from '@vigil/core';
import { ModelComparisonMatrix } from './ModelComparisonMatrix';
import { hugeMatrixRows, storyCost } from './story-data';

const { byModel, byModelFeature } = storyCost();
const huge = hugeMatrixRows(5000);

const meta = {
  title: 'Cost/ModelComparisonMatrix',
  component: ModelComparisonMatrix,
  args: { rows: byModel, onExportCsv: fn(), style: { maxWidth: 1100 } },
  parameters: {
    docs: {
      description: {
        component:
          'Models side by side from `aggregateUsage` rows: TanStack Table (sortable headers with aria-sort), heat-map cells with the value always written and ★ on the best, a column picker, virtualised rows, CSV export through core `toCsv` (formula injection neutralised). Unpriced models say Unpriced, never $0.',
      },
    },
  },
} satisfies Meta<typeof ModelComparisonMatrix>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('columnheader', { name: /Spend/ })).toHaveAttribute('aria-sort', 'descending');
    await userEvent.click(canvas.getByRole('button', { name: 'Export CSV' }));
    await expect(args.onExportCsv).toHaveBeenCalledWith(expect.stringMatching(/^provider,model,requests,spend/));
  },
};

export const Unpriced: Story = {
  name: 'Unpriced model (never $0)',
  play: async ({ canvasElement }) => {
    const row = canvasElement.querySelector('[data-model="acme-support-ft-2"]') as HTMLElement;
    await expect(within(row).getAllByText('Unpriced').length).toBeGreaterThanOrEqual(2);
    await expect(row.textContent).not.toMatch(/\$0\.00/);
  },
};

export const ByFeature: Story = {
  name: 'By model and feature',
  args: { rows: byModelFeature, defaultVisibleMetrics: ['requests', 'spend', 'costPerSuccessfulRequest', 'latencyP95', 'quality'] },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('columnheader', { name: /Feature/ })).toBeVisible();
  },
};

export const ColumnPicker: Story = {
  name: 'Column picker',
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByText(/^Columns/));
    await userEvent.click(canvas.getByRole('checkbox', { name: 'p99 latency' }));
    await expect(canvas.getByRole('columnheader', { name: /p99 latency/ })).toBeVisible();
  },
};

export const Huge: Story = {
  name: 'Huge (5,000 rows, virtualised)',
  args: { rows: huge, height: 420 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('table')).toHaveAttribute('aria-rowcount', '5001');
    await expect(canvas.getAllByRole('row').length).toBeLessThan(50);
    const body = canvas.getByRole('rowgroup', { name: /rows/ });
    body.scrollTop = body.scrollHeight;
    await waitFor(() => expect(canvas.getAllByRole('row').at(-1)).toHaveAttribute('aria-rowindex', '5001'));
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
  args: { error: new SourceError('SOURCE_UNREACHABLE', 'usage store unreachable') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('usage store unreachable (SOURCE_UNREACHABLE)');
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

import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { CostAttributionTree } from './CostAttributionTree';
import { hugeMatrixRows, storyCost } from './story-data';

const { byModelFeature } = storyCost();

const meta = {
  title: 'Cost/CostAttributionTree',
  component: CostAttributionTree,
  args: { rows: byModelFeature, onSelect: fn(), style: { maxWidth: 760 } },
  parameters: { docs: { description: { component: 'Spend by provider → model → feature as a treemap or icicle (d3-hierarchy). The current level is a keyboard list: arrows move, Enter opens, Escape goes back; each node is named with its spend and share.' } } },
} satisfies Meta<typeof CostAttributionTree>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const first = canvas.getAllByRole('listitem')[0]!;
    first.focus();
    await userEvent.keyboard('{Enter}');
    await expect(args.onSelect).toHaveBeenCalled();
    await waitFor(() => expect(canvas.getByRole('navigation')).toHaveTextContent('›'));
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(canvas.getByRole('navigation')).not.toHaveTextContent('›'));
  },
};

export const Icicle: Story = {
  args: { defaultLayout: 'icicle' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('button', { name: 'Icicle' })).toHaveAttribute('aria-pressed', 'true');
  },
};

export const Huge: Story = {
  name: 'Huge (2,000 models, tail merged)',
  args: { rows: hugeMatrixRows(2000), levels: ['provider', 'model'] },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getAllByRole('listitem')).toHaveLength(3);
    canvas.getAllByRole('listitem')[0]!.focus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(canvas.getAllByRole('listitem')).toHaveLength(40));
    await expect(canvas.getAllByRole('listitem').at(-1)).toHaveAttribute('data-node', expect.stringMatching(/^\d+ others$/));
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
  args: { error: new Error('aggregation failed') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('aggregation failed');
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

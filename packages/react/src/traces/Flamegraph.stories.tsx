import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { SourceError } from '@vigil/core';
import { Flamegraph } from './Flamegraph';
import { emptyTrace, storyTrace } from './story-data';

const checkout = storyTrace('checkout');

const meta = {
  title: 'Traces/Flamegraph',
  component: Flamegraph,
  args: { trace: checkout, height: 300 },
  parameters: {
    docs: {
      description: {
        component:
          'A canvas flame graph of one trace: time across, depth down (only the depths in view are drawn), frames coloured by service, errors outlined and marked "!". Click to zoom to a frame, search fades non-matching frames, tooltips on hover. Keyboard: focus the graph, arrows move parent/child/sibling, Enter zooms, Escape resets; the selected frame is described in words.',
      },
    },
  },
} satisfies Meta<typeof Flamegraph>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const graph = canvas.getByTestId('vigil-flamegraph');
    graph.focus();
    await userEvent.keyboard('{ArrowDown}');
    await expect(canvas.getByTestId('vigil-flame-selected')).toHaveTextContent(/depth 1/);
    await userEvent.keyboard('{ArrowDown}{Enter}');
    await waitFor(() => expect(canvas.getByRole('button', { name: 'Reset zoom' })).toBeEnabled());
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(canvas.getByRole('button', { name: 'Reset zoom' })).toBeDisabled());
  },
};

export const Search: Story = {
  args: { defaultSearch: 'postgres' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByTestId('vigil-flame-search-status')).toHaveTextContent(/^\d+ matching frames?$/);
  },
};

export const Empty: Story = {
  args: { trace: emptyTrace() },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('This trace has no spans.')).toBeVisible();
  },
};

export const Loading: Story = {
  args: { trace: undefined, loading: true },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.vigil-flamegraph')).toHaveAttribute('aria-busy', 'true');
  },
};

export const ErrorState: Story = {
  name: 'Error',
  args: { trace: undefined, error: new SourceError('SOURCE_TIMEOUT', 'Jaeger did not answer within 10 s') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('Jaeger did not answer within 10 s (SOURCE_TIMEOUT)');
  },
};

export const Malformed: Story = {
  name: 'Malformed trace',
  args: { trace: storyTrace('malformed') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByTestId('vigil-flamegraph')).toBeVisible();
  },
};

export const Huge: Story = {
  name: '100k spans',
  args: { trace: storyTrace('huge') },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('canvas')).not.toBeNull();
  },
};

export const DeepChain: Story = {
  name: '100k-deep chain',
  args: { trace: storyTrace('deep') },
  play: async ({ canvasElement }) => {
    const graph = within(canvasElement).getByTestId('vigil-flamegraph');
    await expect(graph.scrollHeight).toBeGreaterThan(1_000_000);
    graph.scrollTop = 500_000;
  },
};

export const Dark: Story = {
  parameters: { theme: 'dark' },
  args: { defaultSelectedSpan: 0 },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByTestId('vigil-flame-selected')).toHaveTextContent(/depth 1/);
  },
};

export const HighContrast: Story = {
  parameters: { theme: 'high-contrast' },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(canvasElement.querySelector('.vigil-flamegraph')!).color).toBe('rgb(255, 255, 255)');
  },
};

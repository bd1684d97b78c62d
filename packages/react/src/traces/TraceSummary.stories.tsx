import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { SourceError } from '@vigil/core';
import { TraceSummary } from './TraceSummary';
import { emptyTrace, storyTrace } from './story-data';

const checkout = storyTrace('checkout');

const meta = {
  title: 'Traces/TraceSummary',
  component: TraceSummary,
  args: { trace: checkout },
  parameters: { docs: { description: { component: 'The header of a trace: duration, span count, depth, services, errors and the engine’s repairs, with icons and words.' } } },
} satisfies Meta<typeof TraceSummary>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByTestId('vigil-trace-summary-spans')).toHaveTextContent(String(checkout.spanCount));
    await expect(canvas.getByTestId('vigil-trace-summary-warnings')).toHaveTextContent('0');
  },
};

export const Empty: Story = {
  args: { trace: emptyTrace() },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('No trace to summarise.')).toBeVisible();
  },
};

export const Loading: Story = {
  args: { trace: undefined, loading: true },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('group')).toHaveAttribute('aria-busy', 'true');
  },
};

export const ErrorState: Story = {
  name: 'Error',
  args: { trace: undefined, error: new SourceError('NOT_FOUND', 'No such trace') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('No such trace (NOT_FOUND)');
  },
};

export const Malformed: Story = {
  name: 'Malformed trace (repairs)',
  args: { trace: storyTrace('malformed') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText(/The trace was repaired/)).toBeVisible();
  },
};

export const Huge: Story = {
  name: '100k spans',
  args: { trace: storyTrace('huge') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByTestId('vigil-trace-summary-spans')).toHaveTextContent('100,000');
  },
};

export const Dark: Story = {
  parameters: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(within(canvasElement).getByRole('group')).backgroundColor).toBe('rgb(23, 26, 33)');
  },
};

export const HighContrast: Story = {
  parameters: { theme: 'high-contrast' },
  args: { trace: storyTrace('malformed') },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(within(canvasElement).getByRole('group')).color).toBe('rgb(255, 255, 255)');
  },
};

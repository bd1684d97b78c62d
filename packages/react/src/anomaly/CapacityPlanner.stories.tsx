import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { SourceError } from '@vigil/core';
import { CapacityPlanner } from './CapacityPlanner';
import { DAY, diskSeries } from './story-data';

const meta = {
  title: 'Anomaly/CapacityPlanner',
  component: CapacityPlanner,
  tags: ['autodocs'],
  args: { resource: 'Disk', series: diskSeries({ days: 7 }), limit: 90, limitLabel: '90%', unit: '%', timeZone: 'utc', style: { maxWidth: 420 } },
  parameters: {
    docs: {
      description: {
        component:
          'When a resource reaches its limit, with an interval: the Theil–Sen trend of @vigil/core/forecast (or Holt-Winters for seasonal data). States: within the horizon, not within it, already over, not enough data, loading and error; the status is an icon, a word and a colour.',
      },
    },
  },
} satisfies Meta<typeof CapacityPlanner>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('region', { name: 'Disk capacity' })).toHaveAttribute('data-status', 'crossing');
    await expect(canvas.getByTestId('vigil-capacity-headline')).toHaveTextContent(/^Disk reaches 90% in \d+(–\d+)? days \(80% interval\)$/);
  },
};

export const HoltWinters: Story = {
  args: { options: { method: 'holt-winters', level: 0.8 } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByTestId('vigil-capacity-headline')).toHaveTextContent(/^Disk reaches 90% in/);
  },
};

export const NeverWithinHorizon: Story = {
  args: { series: diskSeries({ perDay: 0 }) },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByTestId('vigil-capacity-headline')).toHaveTextContent('Disk does not reach 90% within 30 days');
  },
};

export const BeyondShortHorizon: Story = {
  args: { options: { horizonMs: 2 * DAY } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByTestId('vigil-capacity-headline')).toHaveTextContent('Disk does not reach 90% within 2 days');
  },
};

export const AlreadyOver: Story = {
  args: { series: diskSeries({ start: 93 }) },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByTestId('vigil-capacity-headline')).toHaveTextContent('Disk is already over 90%');
  },
};

export const NotEnoughData: Story = {
  args: { series: { ...diskSeries({ days: 1 }), timestamps: diskSeries({ days: 1 }).timestamps.slice(0, 4), values: diskSeries({ days: 1 }).values.slice(0, 4) } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByTestId('vigil-capacity-detail')).toHaveTextContent('4 of the 10 points needed.');
  },
};

export const Empty: Story = {
  args: { series: undefined },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByTestId('vigil-capacity-headline')).toHaveTextContent('Not enough data to forecast Disk');
  },
};

export const Loading: Story = {
  args: { series: undefined, loading: true },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('region')).toHaveAttribute('aria-busy', 'true');
  },
};

export const ErrorState: Story = {
  args: { series: undefined, error: new SourceError('SOURCE_TIMEOUT', 'Prometheus did not answer in 10 s') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('did not answer');
  },
};

export const HugeData: Story = {
  args: { series: diskSeries({ days: 365 }), limit: 950, limitLabel: '950%' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('region')).toHaveAttribute('data-status', 'crossing');
  },
};

export const Dark: Story = { parameters: { theme: 'dark' }, play: async (context) => Default.play?.(context) };
export const HighContrast: Story = { parameters: { theme: 'high-contrast' }, play: async (context) => Default.play?.(context) };

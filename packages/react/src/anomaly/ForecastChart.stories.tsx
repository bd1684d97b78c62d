import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { SourceError } from '@vigil/core';
import { ForecastChart } from './ForecastChart';
import { constantSeries, diskSeries, latencySeries, MINUTE } from './story-data';

const meta = {
  title: 'Anomaly/ForecastChart',
  component: ForecastChart,
  tags: ['autodocs'],
  args: { title: 'Disk used', unit: '%', series: diskSeries({ days: 7 }), horizon: 24 * 14, threshold: { value: 90, label: 'limit 90%' }, timeZone: 'utc', style: { maxWidth: 900 } },
  parameters: {
    docs: {
      description: {
        component:
          'History plus a Holt-Winters forecast (@vigil/core/forecast) with nested 80% and 95% prediction intervals, and where it reaches a threshold: a line at the estimate, a bar over the interval on the threshold, and a sentence under the chart. Data: a seeded disk that fills 2.4% a day with a daily wobble.',
      },
    },
  },
} satisfies Meta<typeof ForecastChart>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByTestId('vigil-forecast-summary')).toHaveTextContent(/^Forecast reaches limit 90% at .+ \(80% interval: .+\)\./);
    await expect(canvas.getByRole('list', { name: /legend/ })).toHaveTextContent(/95% interval/);
  },
};

export const NoCrossingWithinHorizon: Story = {
  args: { horizon: 24 },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByTestId('vigil-forecast-summary')).toHaveTextContent(/stays below limit 90%/);
  },
};

export const AlreadyOver: Story = {
  args: { series: diskSeries({ start: 93 }), threshold: { value: 90, label: 'limit 90%' } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByTestId('vigil-forecast-summary')).toHaveTextContent('Already at or above limit 90%.');
  },
};

export const Seasonal: Story = {
  args: { title: 'p99 latency', unit: 'ms', series: latencySeries({ n: 864, spikes: [], shiftAt: 1e9 }), horizon: 288, threshold: { value: 330, label: 'SLO 330 ms' } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByTestId('vigil-forecast-summary')).toHaveTextContent(/season of \d+ points/);
  },
};

export const Empty: Story = {
  args: { series: undefined },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('No data for this range')).toBeVisible();
  },
};

export const Loading: Story = {
  args: { series: undefined, loading: true },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('figure')).toHaveAttribute('aria-busy', 'true');
  },
};

export const ErrorState: Story = {
  args: { series: undefined, error: new SourceError('SOURCE_UNREACHABLE', 'The metrics backend did not answer') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('did not answer');
  },
};

export const NotEnoughData: Story = {
  args: { series: diskSeries({ days: 1 }).timestamps.length > 0 ? { ...diskSeries({ days: 1 }), timestamps: diskSeries({ days: 1 }).timestamps.slice(0, 2), values: diskSeries({ days: 1 }).values.slice(0, 2) } : undefined },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent(/at least 3 points/);
  },
};

export const ConstantSeries: Story = {
  args: { series: constantSeries(), title: 'Queue depth', unit: undefined, threshold: { value: 50 } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByTestId('vigil-forecast-summary')).toHaveTextContent(/stays below limit 50/);
  },
};

export const GapsAndNaN: Story = {
  args: {
    series: (() => {
      const s = diskSeries({ days: 7 });
      const values = s.values.slice();
      values.fill(Number.NaN, 40, 60);
      return { ...s, values };
    })(),
  },
  play: async (context) => Default.play?.(context),
};

export const HugeData: Story = {
  args: { title: 'p99 latency, 100,000 points', unit: 'ms', series: latencySeries({ n: 100_000, stepMs: MINUTE, period: 1440, spikes: [], shiftAt: 1e9 }), horizon: 1440, forecastOptions: { period: 1440, seasonality: 'additive' }, threshold: undefined },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(within(canvasElement).getByText(/points, drawn at/)).toBeVisible());
  },
};

export const Dark: Story = { parameters: { theme: 'dark' }, play: async (context) => Default.play?.(context) };
export const HighContrast: Story = { parameters: { theme: 'high-contrast' }, play: async (context) => Default.play?.(context) };

import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { SourceError } from '@vigil/core';
import { detectAnomalies } from '@vigil/core/anomaly';
import type { DetectionResult } from '@vigil/core/anomaly';
import { AnomalyChart } from './AnomalyChart';
import { constantSeries, latencySeries, MINUTE } from './story-data';

const latency = latencySeries();
let hugeCache: DetectionResult | undefined;
/** 200,000 points scanned once by the robust z-score (fast), drawn M4-downsampled. */
function huge(): DetectionResult {
  hugeCache ??= detectAnomalies(latencySeries({ n: 200_000, stepMs: MINUTE, period: 1440, spikes: [50_000, 120_000, 180_000], shiftAt: 150_000 }), { detector: 'robust-zscore', options: { window: 120 } });
  return hugeCache;
}

const meta = {
  title: 'Anomaly/AnomalyChart',
  component: AnomalyChart,
  tags: ['autodocs'],
  args: { title: 'p99 latency, checkout', unit: 'ms', series: latency, timeZone: 'utc', style: { maxWidth: 900 } },
  parameters: {
    docs: {
      description: {
        component:
          'A series with the band the detector expected, the flagged points (triangles up or down, diamonds for level changes) and a strip of anomaly likelihood (0–1). Click a flag, or Tab to the flags and use the arrow keys and Enter, to read its explanation: expected value, band, score and the detector that fired. Data: a seeded daily cycle with two spikes and a level shift, scanned by the ensemble detector of @vigil/core/anomaly.',
      },
    },
  },
} satisfies Meta<typeof AnomalyChart>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const toolbar = await canvas.findByRole('toolbar', { name: /Flagged points/ });
    const flags = within(toolbar).getAllByRole('button');
    await expect(flags.length).toBeGreaterThan(0);
    await userEvent.click(flags[0]!);
    await expect(flags[0]).toHaveAttribute('aria-pressed', 'true');
    const panel = canvas.getByTestId('vigil-anomaly-explanation');
    await expect(within(panel).getByTestId('vigil-anomaly-expected')).toHaveTextContent(/ms$/);
    await expect(within(panel).getByTestId('vigil-anomaly-band')).toHaveTextContent(/ms – .+ms$/);
    await expect(within(panel).getByTestId('vigil-anomaly-detector')).toHaveTextContent(/^ensemble/);
  },
};

export const KeyboardSelection: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const toolbar = await canvas.findByRole('toolbar');
    const flags = within(toolbar).getAllByRole('button');
    flags[0]!.focus();
    await userEvent.keyboard('{ArrowRight}');
    await expect(flags[1]).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    await expect(flags[1]).toHaveAttribute('aria-pressed', 'true');
    await expect(canvas.getByTestId('vigil-anomaly-explanation')).toHaveTextContent(/flag 2 of/);
    await userEvent.keyboard('{Escape}');
    await expect(flags[1]).toHaveAttribute('aria-pressed', 'false');
  },
};

export const PrecomputedRobustZScore: Story = {
  args: { series: undefined, result: detectAnomalies(latency, { detector: 'robust-zscore', options: { window: 60 } }), title: 'p99 latency (robust z-score)' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Show the strongest' }));
    await expect(canvas.getByTestId('vigil-anomaly-detector')).toHaveTextContent('robust z-score');
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
  args: { series: undefined, error: new SourceError('SOURCE_TIMEOUT', 'Prometheus did not answer in 10 s') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('did not answer');
  },
};

export const BadDetectorOptions: Story = {
  args: { detector: { detector: 'zscore', options: { window: -1 } } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent(/window/);
  },
};

export const HugeData: Story = {
  args: { series: undefined, result: huge(), title: '200,000 points' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getByText(/points, drawn at/)).toBeVisible());
    const flags = within(canvas.getByRole('toolbar')).getAllByRole('button');
    await expect(flags.length).toBeLessThanOrEqual(200);
  },
};

export const ConstantSeries: Story = {
  args: { series: constantSeries(), title: 'Queue depth (constant)', unit: undefined },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.queryByRole('toolbar')).toBeNull();
    await expect(canvas.getByTestId('vigil-anomaly-explanation')).toHaveTextContent('No points flagged');
  },
};

export const GapsAndNaN: Story = {
  args: { series: latencySeries({ gaps: [[300, 420], [900, 905]] }), title: 'p99 latency with gaps' },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByRole('toolbar')).toBeVisible();
  },
};

export const NotEnoughData: Story = {
  args: { series: latencySeries({ n: 20, spikes: [], shiftAt: 1e9 }), title: 'Twenty points' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByTestId('vigil-anomaly-explanation')).toHaveTextContent('No points flagged');
  },
};

export const Dark: Story = {
  parameters: { theme: 'dark' },
  play: async (context) => Default.play?.(context),
};

export const HighContrast: Story = {
  parameters: { theme: 'high-contrast' },
  play: async (context) => Default.play?.(context),
};

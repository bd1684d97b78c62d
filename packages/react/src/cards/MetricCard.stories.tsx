import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { SourceError } from '@vigil/core';
import { createSimulatedSource } from '@vigil/adapters/simulated';
import { MetricCard } from './MetricCard';
import { storySeries, STORY_T0 } from './story-data';
import { VigilSourceProvider } from '../hooks/VigilSourceProvider';
import { useInstantQuery, useSeries } from '../hooks/useSeries';

const latency = storySeries({ base: 180, amplitude: 40, noise: 25, seed: 3 });

const meta = {
  title: 'Cards/MetricCard',
  component: MetricCard,
  args: {
    title: 'p95 latency',
    value: 182.4,
    unit: 'ms',
    previousValue: 164,
    deltaDirection: 'lower-is-better',
    thresholds: { warning: 250, critical: 400 },
    sparkline: latency,
    description: 'checkout · last hour',
    style: { width: 280 },
  },
  parameters: {
    docs: {
      description: {
        component:
          'One number that matters: value with unit, change against the previous period (arrow, signed percent and, for screen readers, better/worse), trend sparkline and a status shown as colour, icon shape and words.',
      },
    },
  },
} satisfies Meta<typeof MetricCard>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const card = canvas.getByRole('group', { name: 'p95 latency' });
    await expect(canvas.getByTestId('vigil-metric-value')).toHaveTextContent('182 ms');
    await expect(card).toHaveAttribute('data-status', 'ok');
    await expect(canvas.getByText('Healthy')).toBeVisible();
    await expect(card.querySelector('.vigil-delta')).toHaveTextContent('+11.2%');
    await expect(card.querySelector('.vigil-delta')).toHaveAttribute('data-quality', 'bad');
  },
};

export const Empty: Story = {
  args: { value: null, previousValue: undefined, sparkline: { timestamps: [], values: [] }, description: 'no samples in range' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('img', { name: 'no data' })).toHaveTextContent('—');
    await expect(canvas.getByRole('group')).toHaveAttribute('data-status', 'unknown');
    await expect(canvasElement.textContent).not.toMatch(/NaN|Infinity/);
  },
};

export const Loading: Story = {
  args: { value: undefined, loading: true, previousValue: undefined, sparkline: undefined },
  play: async ({ canvasElement }) => {
    const card = within(canvasElement).getByRole('group');
    await expect(card).toHaveAttribute('aria-busy', 'true');
    await expect(card.querySelector('.vigil-skeleton')).not.toBeNull();
  },
};

export const ErrorState: Story = {
  name: 'Error',
  args: { error: new SourceError('SOURCE_TIMEOUT', 'Prometheus did not answer within 10 s') },
  play: async ({ canvasElement }) => {
    const alert = within(canvasElement).getByRole('alert');
    await expect(alert).toHaveTextContent('Prometheus did not answer within 10 s');
    await expect(alert).toHaveTextContent('SOURCE_TIMEOUT');
  },
};

export const Huge: Story = {
  name: 'Huge (1M-point sparkline, 1.2 PB value)',
  args: {
    title: 'Bytes stored across every tenant in the primary region',
    value: 1.2e15 * 1.13,
    unit: 'bytes',
    previousValue: 1.2e15,
    deltaDirection: 'lower-is-better',
    thresholds: undefined,
    status: 'critical',
    sparkline: storySeries({ n: 1_000_000, stepMs: 1000, base: 500, amplitude: 200, noise: 80, seed: 9 }),
    description: 'A very long description that has to wrap onto more lines without pushing the value out of the card or overlapping the sparkline.',
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByTestId('vigil-metric-value')).toHaveTextContent('1.2 PiB');
    const svg = canvasElement.querySelector('svg.vigil-sparkline');
    await expect(Number(svg?.getAttribute('data-points'))).toBeLessThanOrEqual(8 * 240);
    await expect(canvas.getByText('Critical')).toBeVisible();
  },
};

export const Dark: Story = {
  parameters: { theme: 'dark' },
  args: { value: 312, thresholds: { warning: 250, critical: 400 } },
  play: async ({ canvasElement }) => {
    const card = within(canvasElement).getByRole('group');
    await expect(card).toHaveAttribute('data-status', 'warning');
    await expect(getComputedStyle(card).backgroundColor).toBe('rgb(23, 26, 33)');
  },
};

export const HighContrast: Story = {
  parameters: { theme: 'high-contrast' },
  args: { value: 512, thresholds: { warning: 250, critical: 400 } },
  play: async ({ canvasElement }) => {
    const card = within(canvasElement).getByRole('group');
    await expect(card).toHaveAttribute('data-status', 'critical');
    await expect(getComputedStyle(card).color).toBe('rgb(255, 255, 255)');
    await expect(within(card).getByText('Critical')).toBeVisible();
  },
};

const simulated = createSimulatedSource({ seed: 7, now: () => STORY_T0 + 6 * 3_600_000 });

function LiveCards() {
  const end = STORY_T0 + 6 * 3_600_000;
  const range = { start: end - 3_600_000, end };
  const rate = useSeries({ query: 'sum(rate(http_requests_total[5m]))', range, stepMs: 60_000 });
  const previous = useInstantQuery({ query: 'sum(rate(http_requests_total[5m]))', time: end - 86_400_000 });
  const series = rate.data?.[0];
  const last = series ? series.values[series.values.length - 1] : undefined;
  return (
    <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap' }}>
      <MetricCard
        title="Requests per second"
        value={last}
        unit="rps"
        previousValue={previous.data?.[0]?.value}
        deltaDirection="higher-is-better"
        loading={rate.status === 'loading'}
        error={rate.error}
        {...(series ? { sparkline: series } : {})}
        description="all services · vs same time yesterday"
        deltaLabel="vs yesterday"
        style={{ width: 280 }}
      />
    </div>
  );
}

export const FromSimulatedSource: Story = {
  render: () => (
    <VigilSourceProvider source={simulated}>
      <LiveCards />
    </VigilSourceProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const value = await canvas.findByTestId('vigil-metric-value', {}, { timeout: 5000 });
    await expect(value.textContent).toMatch(/req\/s$/);
    await expect(canvasElement.querySelector('.vigil-delta')).not.toBeNull();
  },
};

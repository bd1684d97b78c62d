import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import type { Series, SourceEvent } from '@vigil/core';
import { SourceError } from '@vigil/core';
import { TimeSeriesChart } from './TimeSeriesChart';
import { DashboardProvider } from '../layout/DashboardProvider';

const T0 = Date.UTC(2024, 2, 4, 0, 0, 0);
const MINUTE = 60_000;

/** Seeded PRNG (mulberry32), so every story draws the same data every time. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A daily-looking signal: base + diurnal wave + noise, one sample per `stepMs`. */
function synthetic(name: string, { n = 720, stepMs = 2 * MINUTE, base = 100, amplitude = 30, noise = 10, seed = 1 } = {}): Series {
  const random = seeded(seed);
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    timestamps[i] = T0 + i * stepMs;
    values[i] = base + amplitude * Math.sin((i / n) * Math.PI * 2) + noise * random();
  }
  return { name, labels: {}, timestamps, values };
}

const requests = synthetic('requests/s', { base: 420, amplitude: 160, noise: 40, seed: 3 });
const errors = synthetic('5xx/s', { base: 4, amplitude: 2, noise: 3, seed: 4 });
const p50 = synthetic('p50', { base: 110, amplitude: 20, noise: 8, seed: 5 });
const p90 = synthetic('p90', { base: 190, amplitude: 35, noise: 20, seed: 6 });
const p99 = synthetic('p99', { base: 310, amplitude: 60, noise: 45, seed: 7 });
const deploys: SourceEvent[] = [
  { id: 'd1', kind: 'deploy', title: 'checkout v2.4.0', service: 'checkout', time: T0 + 300 * MINUTE },
  { id: 'i1', kind: 'incident', title: 'Payment provider latency', service: 'payments', severity: 'critical', time: T0 + 900 * MINUTE, endTime: T0 + 980 * MINUTE },
];

let hugeCache: Series | undefined;
/** One million samples, one a second (generated once, on first use). */
function huge(): Series {
  hugeCache ??= synthetic('requests/s', { n: 1_000_000, stepMs: 1000, base: 400, amplitude: 150, noise: 60, seed: 9 });
  return hugeCache;
}

const meta = {
  title: 'Charts/TimeSeriesChart',
  component: TimeSeriesChart,
  parameters: {
    docs: {
      description: {
        component:
          'Canvas lines and percentile bands over M4-downsampled data, with SVG/DOM axes, thresholds, event markers, a crosshair tooltip synced per `syncGroup`, brush-to-zoom (double-click or Escape resets) and legend toggles. Keyboard: arrows move the crosshair (Shift ×10), Home/End, +/- zoom, Escape resets.',
      },
    },
  },
  args: { title: 'Requests', unit: 'req/s', series: [requests], timeZone: 'utc', height: 240 },
} satisfies Meta<typeof TimeSeriesChart>;

export default meta;
type Story = StoryObj<typeof meta>;

/** One series with a legend toggle. */
export const Default: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('figure', { name: 'Requests' })).toBeInTheDocument();
    const toggle = canvas.getByRole('button', { name: /requests\/s/ });
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(toggle);
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(toggle);
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  },
};

/** p50, p90 and p99 with the p50–p99 band shaded. */
export const PercentileBand: Story = {
  args: { title: 'Checkout latency', unit: 'ms', series: [p50, p90, p99], bands: [{ lower: p50, upper: p99, label: 'p50–p99' }] },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('button', { name: /p50–p99/ })).toHaveAttribute('aria-pressed', 'true');
    const plot = canvas.getByRole('group', { name: 'Checkout latency' });
    plot.focus();
    await userEvent.keyboard('{End}');
    await expect(canvasElement.querySelector('[aria-live="polite"]')?.textContent).toMatch(/p99: [\d,.]+ ms/);
  },
};

/** SLO and warning thresholds, a deploy and an incident window. */
export const ThresholdsAndEvents: Story = {
  args: {
    title: 'Checkout latency p99',
    unit: 'ms',
    series: [p99],
    thresholds: [
      { value: 400, label: 'SLO 400 ms', severity: 'critical' },
      { value: 340, label: 'Warn 340 ms', severity: 'warning' },
    ],
    events: deploys,
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const deploy = canvas.getByRole('button', { name: /^Deploy: checkout v2\.4\.0/ });
    deploy.focus();
    await expect(await canvas.findByRole('tooltip')).toHaveTextContent('checkout v2.4.0');
  },
};

/** Two charts in one sync group: the crosshair and tooltip follow in both. */
export const SyncGroup: Story = {
  render: () => (
    <DashboardProvider>
      <div style={{ display: 'grid', gap: 12 }}>
        <TimeSeriesChart title="Requests" unit="req/s" series={[requests]} syncGroup="checkout" timeZone="utc" height={200} />
        <TimeSeriesChart title="Errors" unit="err/s" series={[errors]} syncGroup="checkout" timeZone="utc" height={200} />
      </div>
    </DashboardProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    canvas.getByRole('group', { name: 'Requests' }).focus();
    await userEvent.keyboard('{ArrowRight}');
    const errorsFigure = canvas.getByRole('figure', { name: 'Errors' });
    await expect(errorsFigure.querySelector('[aria-live="polite"]')?.textContent).toMatch(/5xx\/s: [\d.]+ err\/s/);
  },
};

/** No samples in the range. */
export const Empty: Story = {
  args: { title: 'Requests', series: [] },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('No data for this range')).toBeInTheDocument();
  },
};

/** Waiting for the data source. */
export const Loading: Story = {
  args: { loading: true },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('figure', { name: 'Requests' })).toHaveAttribute('aria-busy', 'true');
  },
};

/** The data source failed: the message of the VigilError is shown inside the chart. */
export const ErrorState: Story = {
  name: 'Error',
  args: { series: [], error: new SourceError('SOURCE_TIMEOUT', 'Prometheus did not answer within 30 s') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('Prometheus did not answer within 30 s');
  },
};

/** One million points, downsampled with M4 to the pixel width before drawing. */
export const Huge: Story = {
  render: (args) => <TimeSeriesChart {...args} series={[huge()]} />,
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText(/^1,000,000 points, drawn at [\d,]+$/)).toBeInTheDocument();
  },
};

const themed = {
  title: 'Checkout latency',
  unit: 'ms',
  series: [p50, p90, p99],
  bands: [{ lower: p50, upper: p99, label: 'p50–p99' }],
  thresholds: [{ value: 400, label: 'SLO 400 ms', severity: 'critical' as const }],
  events: deploys,
};

/** The dark theme. */
export const Dark: Story = {
  args: themed,
  parameters: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('figure', { name: 'Checkout latency' })).toBeInTheDocument();
  },
};

/** The high-contrast theme. */
export const HighContrast: Story = {
  args: themed,
  parameters: { theme: 'high-contrast' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('figure', { name: 'Checkout latency' })).toBeInTheDocument();
  },
};

import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { SourceError, type DataSource } from '@vigil/core';
import type { AlertRule } from '@vigil/core/alerting';
import { createSimulatedSource } from '@vigil/adapters/simulated';
import { VigilSourceProvider } from '../hooks/VigilSourceProvider';
import { AlertRuleBuilder } from './AlertRuleBuilder';
import { ABSENT_RULE, ERROR_RULE, HOUR, MINUTE, SPIKY_LATENCY_RULE, STORY_NOW, TRAFFIC_CHANGE_RULE, errorSeries, manyErrorSeries, spikySeries, targetSeries, trafficSeries } from './story-data';

const range = { start: STORY_NOW - 6 * HOUR, end: STORY_NOW };

/** The simulated fleet with a checkout 5xx burst in the last half hour, frozen at STORY_NOW. */
const simulated = createSimulatedSource({
  seed: 11,
  id: 'story-alert-builder',
  now: () => STORY_NOW,
  incidents: { random: false, scripted: [{ service: 'checkout', start: STORY_NOW - 30 * MINUTE, durationMs: 2 * HOUR, errorRatio: 0.15 }] },
});

const pending: DataSource = {
  id: 'story-never-answers',
  capabilities: { metrics: true, traces: false, events: false, live: false, queryLanguage: 'promql' },
  queryRange: (_request, options = {}) =>
    new Promise((_resolve, reject) => {
      options.signal?.addEventListener('abort', () => reject(new SourceError('ABORTED', 'aborted')), { once: true });
    }),
  queryInstant: () => Promise.resolve({ data: [], warnings: [] }),
};

const failing: DataSource = {
  id: 'story-fails',
  capabilities: { metrics: true, traces: false, events: false, live: false, queryLanguage: 'promql' },
  queryRange: () => Promise.reject(new SourceError('SOURCE_UNREACHABLE', 'Prometheus did not answer')),
  queryInstant: () => Promise.reject(new SourceError('SOURCE_UNREACHABLE', 'Prometheus did not answer')),
};

const simulatedRule: AlertRule = { ...ERROR_RULE, query: { expr: ERROR_RULE.query.expr, stepMs: 2 * MINUTE } };

const meta = {
  title: 'Alerts/AlertRuleBuilder',
  component: AlertRuleBuilder,
  args: { defaultValue: ERROR_RULE, series: errorSeries(), range, timeZone: 'utc', channels: ['pager', 'slack-ops', 'email-oncall'], onSubmit: fn(), onChange: fn() },
  parameters: {
    layout: 'fullscreen',
    docs: {
      description: {
        component:
          'A visual editor of one alert rule (the engine\'s AlertRule JSON). Every edit runs the engine\'s validateRule, each problem shown under its field. The preview charts what the rule compares with its levels (the condition value: the reducer over its window, or the change in %), with the level and recovery lines, and marks where the rule would have fired over the range (the engine\'s backtest with includeValues); the raw samples stay visible as grey dashed lines (or a small chart when their unit differs) behind a "Show raw samples" checkbox.',
      },
    },
  },
} satisfies Meta<typeof AlertRuleBuilder>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  name: 'Default (preview data given)',
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const preview = canvas.getByTestId('vigil-rule-preview');
    await waitFor(() => expect(Number(preview.getAttribute('data-backtest-count'))).toBeGreaterThan(0));
    await expect(canvas.getAllByRole('button', { name: /^Alert: HighErrorRate would fire/ }).length).toBeGreaterThan(0);
    // Keyboard: tab into the pending period and type a new one.
    const pendingFor = canvas.getByLabelText('Pending for');
    await userEvent.clear(pendingFor);
    await userEvent.type(pendingFor, '10m');
    await expect(args.onChange).toHaveBeenLastCalledWith(expect.objectContaining({ forMs: 10 * MINUTE }), []);
  },
};

export const WithSource: Story = {
  name: 'With a data source (simulated, metric picker)',
  args: { series: undefined, defaultValue: simulatedRule },
  decorators: [
    (Story) => (
      <VigilSourceProvider source={simulated}>
        <Story />
      </VigilSourceProvider>
    ),
  ],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getByTestId('vigil-rule-preview')).toHaveAttribute('data-backtest-count'), { timeout: 15_000 });
    await expect(canvas.getByRole('combobox', { name: 'Metric' })).toBeVisible();
    await waitFor(() => expect(Number(canvas.getByTestId('vigil-rule-preview').getAttribute('data-backtest-count'))).toBeGreaterThan(0), { timeout: 15_000 });
  },
};

export const InvalidRule: Story = {
  name: 'Invalid rule',
  args: { defaultValue: { ...ERROR_RULE, name: 'high error rate', forMs: -5, condition: { type: 'threshold', operator: '>', critical: { value: 0.05, recovery: 0.2 } } } },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByTestId('vigil-rule-problems')).toHaveTextContent('3 problems to fix');
    await expect(canvas.getByLabelText('Alert name')).toHaveAttribute('aria-invalid', 'true');
    await expect(canvas.getByLabelText('Recovers at (optional)')).toHaveAccessibleDescription(/<= the threshold value 0.05/);
    await userEvent.click(canvas.getByRole('button', { name: 'Save rule' }));
    await expect(args.onSubmit).not.toHaveBeenCalled();
    await expect(canvas.getByTestId('vigil-backtest-summary')).toHaveTextContent('Fix the highlighted fields');
  },
};

export const Empty: Story = {
  name: 'Empty (new rule, no data yet)',
  args: { defaultValue: undefined, series: undefined },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByTestId('vigil-backtest-summary')).toHaveTextContent('Enter a query to preview the rule.');
  },
};

export const Loading: Story = {
  args: { series: undefined },
  decorators: [
    (Story) => (
      <VigilSourceProvider source={pending}>
        <Story />
      </VigilSourceProvider>
    ),
  ],
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(within(canvasElement).getByTestId('vigil-backtest-summary')).toHaveTextContent('Loading the series'));
  },
};

export const ErrorState: Story = {
  name: 'Error (source down)',
  args: { series: undefined },
  decorators: [
    (Story) => (
      <VigilSourceProvider source={failing}>
        <Story />
      </VigilSourceProvider>
    ),
  ],
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(within(canvasElement).getByRole('alert')).toHaveTextContent('Prometheus did not answer'));
  },
};

export const Dark: Story = {
  parameters: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(canvasElement.querySelector('form') as HTMLElement).backgroundColor).toBe('rgb(23, 26, 33)');
  },
};

export const HighContrast: Story = {
  parameters: { theme: 'high-contrast' },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(canvasElement.querySelector('form') as HTMLElement).color).toBe('rgb(255, 255, 255)');
  },
};

const spiky = spikySeries();
const spikyArgs = { defaultValue: SPIKY_LATENCY_RULE, series: spiky, unit: 'ms' };

/** Raw samples spike over both levels, but the 5-minute average (what the rule compares) never does: nothing fires. */
export const SpikesDoNotFire: Story = {
  name: 'Raw spikes over the level, 5m average below (no firing)',
  args: spikyArgs,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const preview = canvas.getByTestId('vigil-rule-preview');
    // The story's point holds: raw samples cross the critical level.
    await expect(Math.max(...(spiky[0]?.values ?? []))).toBeGreaterThan(800);
    await waitFor(() => expect(preview).toHaveAttribute('data-backtest-count', '0'));
    await expect(canvas.getByTestId('vigil-preview-caption')).toHaveTextContent(/Charted: avg over 5m of histogram_quantile/);
    await expect(canvas.getByTestId('vigil-backtest-summary')).toHaveTextContent(/^Would not have fired/);
    const raw = canvas.getByRole('checkbox', { name: 'Show raw samples' });
    await expect(raw).toBeChecked();
    await expect(canvas.getByRole('button', { name: 'raw samples' })).toBeVisible();
    await userEvent.click(raw);
    await expect(canvas.queryByRole('button', { name: 'raw samples' })).toBeNull();
    await expect(canvas.getByRole('button', { name: 'avg 5m' })).toBeVisible();
  },
};

/** A change% rule: the chart is in percent, against 30 minutes earlier; the raw request rate gets its own small chart. */
export const ChangePercent: Story = {
  name: 'Change in % (levels in %)',
  args: { defaultValue: TRAFFIC_CHANGE_RULE, series: trafficSeries(), unit: 'req/s' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const preview = canvas.getByTestId('vigil-rule-preview');
    await waitFor(() => expect(Number(preview.getAttribute('data-backtest-count'))).toBeGreaterThan(0));
    await expect(preview).toHaveAttribute('data-charted-unit', '%');
    await expect(canvas.getByTestId('vigil-preview-caption')).toHaveTextContent(/change in % of avg over 5m of sum\(rate.*, vs 30m earlier/);
    await expect(canvas.getByRole('figure', { name: 'Raw samples of the query' })).toBeVisible();
  },
};

/** An absent rule looks for the absence of the reduced value: it is charted with its gap, where the rule fired. */
export const Absent: Story = {
  name: 'Absent (no data) rule',
  args: { defaultValue: ABSENT_RULE, series: targetSeries() },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const preview = canvas.getByTestId('vigil-rule-preview');
    await waitFor(() => expect(preview).toHaveAttribute('data-backtest-count', '1'));
    await expect(preview).toHaveAttribute('data-charted', 'absent');
    await expect(canvas.getByTestId('vigil-preview-caption')).toHaveTextContent(/^Charted: last value \(within 5m\) of up\{job="checkout"\}, per series\. An absent rule fires when no series has a value \(the gaps\); that held at \d+ of 361 evaluations\.$/);
  },
};

/** Fifteen instances: three are charted (those that would have fired first), and the preview says so. */
export const ManySeries: Story = {
  name: 'Many series (charting capped)',
  args: { series: manyErrorSeries(15), defaultValue: { ...ERROR_RULE, reducer: { type: 'avg', windowMs: 5 * MINUTE } } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getByTestId('vigil-preview-cap')).toHaveTextContent('Charting 3 of 15 series (those that would have fired first)'));
  },
};

/** The query returned nothing: the chart says so and nothing fires. */
export const NoData: Story = {
  name: 'No data',
  args: { series: [] },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getByTestId('vigil-backtest-summary')).toHaveTextContent(/^Would not have fired/));
    await expect(canvas.getByText('No data for this range')).toBeVisible();
  },
};

export const SpikesDark: Story = {
  name: 'Raw spikes, dark',
  args: spikyArgs,
  parameters: { theme: 'dark' },
};

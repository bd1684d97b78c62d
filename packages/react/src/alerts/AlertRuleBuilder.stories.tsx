import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { SourceError, type DataSource } from '@vigil/core';
import type { AlertRule } from '@vigil/core/alerting';
import { createSimulatedSource } from '@vigil/adapters/simulated';
import { VigilSourceProvider } from '../hooks/VigilSourceProvider';
import { AlertRuleBuilder } from './AlertRuleBuilder';
import { ERROR_RULE, HOUR, MINUTE, STORY_NOW, errorSeries } from './story-data';

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
          'A visual editor of one alert rule (the engine\'s AlertRule JSON). Every edit runs the engine\'s validateRule, each problem shown under its field; the preview charts the query with threshold lines and marks where the rule would have fired over the range (the engine\'s backtest).',
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

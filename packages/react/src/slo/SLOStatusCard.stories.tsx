import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { SourceError } from '@vigil/core';
import { defineSLO } from '@vigil/core/slo';
import { createSimulatedSource } from '@vigil/adapters/simulated';
import { SLOStatusCard } from './SLOStatusCard';
import { useSLO } from './useSLO';
import { VigilSourceProvider } from '../hooks/VigilSourceProvider';
import { HOUR, STORY_NOW, scenario } from './story-data';

const healthy = scenario('healthy');
const burning = scenario('burning');
const breached = scenario('breached');
const quiet = scenario('no-traffic');

const meta = {
  title: 'SLO/SLOStatusCard',
  component: SLOStatusCard,
  args: { slo: healthy.slo, status: healthy.status, style: { maxWidth: 460 } },
  parameters: {
    docs: {
      description: {
        component:
          'One SLO at a glance: target, attainment, a gauge of the error budget left (role="meter"), the budget left as time, projected exhaustion, burn-rate chips per window (marked with an icon and words when above an alert tier threshold) and the status as icon, words and colour. Data: the real engine on seeded synthetic events.',
      },
    },
  },
} satisfies Meta<typeof SLOStatusCard>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const card = canvas.getByRole('group', { name: 'Search availability' });
    await expect(card).toHaveAttribute('data-status', 'healthy');
    await expect(canvas.getByText('Healthy')).toBeVisible();
    const meter = canvas.getByRole('meter');
    await expect(Number(meter.getAttribute('aria-valuenow'))).toBeCloseTo(healthy.status.errorBudget.ratio.remaining * 100, 0);
    await expect(canvas.getByTestId('vigil-slo-budget-time')).toHaveTextContent(/left$/);
  },
};

export const Burning: Story = {
  args: { slo: burning.slo, status: burning.status },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('group')).toHaveAttribute('data-status', 'at-risk');
    await expect(canvas.getByText('At risk')).toBeVisible();
    const chips = within(canvas.getByRole('list', { name: 'Burn rates' })).getAllByRole('listitem');
    await expect(chips.filter((c) => c.getAttribute('data-level') === 'page').length).toBeGreaterThan(0);
    await expect(canvas.getByTestId('vigil-slo-exhaustion')).toHaveTextContent(/^In \d+h \d+m/);
  },
};

export const Breached: Story = {
  args: { slo: breached.slo, status: breached.status },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText('Breached')).toBeVisible();
    await expect(canvas.getByRole('meter')).toHaveAttribute('aria-valuenow', '0');
    await expect(canvas.getByTestId('vigil-slo-budget-time')).toHaveTextContent(/^overspent by/);
  },
};

export const NoTraffic: Story = {
  name: 'No traffic',
  args: { slo: quiet.slo, status: quiet.status },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByTestId('vigil-slo-attainment')).toHaveTextContent('No data');
    await expect(canvas.getByRole('meter')).toHaveAttribute('aria-valuenow', '100');
    await expect(canvasElement.textContent).not.toMatch(/NaN|Infinity/);
  },
};

export const Empty: Story = {
  args: { status: null },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('No status for this SLO yet.')).toBeVisible();
  },
};

export const Loading: Story = {
  args: { status: undefined, loading: true },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('group')).toHaveAttribute('aria-busy', 'true');
  },
};

export const ErrorState: Story = {
  name: 'Error',
  args: { error: new SourceError('SOURCE_TIMEOUT', 'Prometheus did not answer within 10 s') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('Prometheus did not answer within 10 s (SOURCE_TIMEOUT)');
  },
};

const longName = defineSLO({
  name: 'long',
  displayName: 'Internal document rendering pipeline for the enterprise reporting suite: end-to-end availability',
  service: 'reporting-document-renderer-eu-west',
  sli: { kind: 'ratio' },
  target: 0.99995,
});

export const Huge: Story = {
  name: 'Huge (long name, five nines and a half)',
  args: { slo: longName, status: { ...burning.status, slo: 'long', target: 0.99995 }, style: { maxWidth: 340 } },
  play: async ({ canvasElement }) => {
    const card = within(canvasElement).getByRole('group');
    await expect(card.scrollWidth).toBeLessThanOrEqual(card.clientWidth + 1);
    await expect(card).toHaveTextContent('target 99.995%');
  },
};

export const Dark: Story = {
  parameters: { theme: 'dark' },
  args: { slo: burning.slo, status: burning.status },
  play: async ({ canvasElement }) => {
    const card = within(canvasElement).getByRole('group');
    await expect(getComputedStyle(card).backgroundColor).toBe('rgb(23, 26, 33)');
    await expect(within(card).getByText('At risk')).toBeVisible();
  },
};

export const HighContrast: Story = {
  parameters: { theme: 'high-contrast' },
  args: { slo: breached.slo, status: breached.status },
  play: async ({ canvasElement }) => {
    const card = within(canvasElement).getByRole('group');
    await expect(getComputedStyle(card).color).toBe('rgb(255, 255, 255)');
    await expect(within(card).getByText('Breached')).toBeVisible();
  },
};

const simulated = createSimulatedSource({
  seed: 3,
  now: () => STORY_NOW,
  incidents: { random: false, scripted: [{ service: 'checkout', start: STORY_NOW - HOUR, durationMs: 2 * HOUR, errorRatio: 0.2 }] },
});
const checkoutSLO = defineSLO({
  name: 'checkout-live',
  displayName: 'Checkout (simulated source)',
  service: 'checkout',
  sli: {
    kind: 'ratio',
    bad: { metric: 'http_requests_total', matchers: [{ label: 'service', op: '=', value: 'checkout' }, { label: 'code', op: '=~', value: '5..' }] },
    total: { metric: 'http_requests_total', matchers: { service: 'checkout' } },
  },
  target: 0.99,
  window: { duration: '1d' },
});

function LiveCard() {
  const result = useSLO(checkoutSLO, { at: STORY_NOW, stepMs: 60_000 });
  return <SLOStatusCard slo={result.slo} status={result.sloStatus} loading={result.status === 'loading'} error={result.error} style={{ maxWidth: 460 }} />;
}

export const LiveFromSimulatedSource: Story = {
  name: 'Live (useSLO on the simulated source)',
  render: () => (
    <VigilSourceProvider source={simulated}>
      <LiveCard />
    </VigilSourceProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText('Breached', {}, { timeout: 15_000 })).toBeVisible();
    const firstChip = within(canvas.getByRole('list', { name: 'Burn rates' })).getAllByRole('listitem')[0];
    await userEvent.hover(firstChip as HTMLElement);
    await expect(firstChip).toHaveAttribute('title');
  },
};

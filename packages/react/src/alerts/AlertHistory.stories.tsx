import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { SourceError } from '@vigil/core';
import type { AlertHistoryEntry, AlertSeverity } from '@vigil/core/alerting';
import { AlertHistory } from './AlertHistory';
import { HOUR, MINUTE, STORY_NOW, storyScenario } from './story-data';

const { history, rules, range } = storyScenario();

/** 200 rules flapping: a generated history (transitions only, so it stays small). */
function flapping(count: number): AlertHistoryEntry[] {
  const out: AlertHistoryEntry[] = [];
  for (let r = 0; r < count; r++) {
    for (let k = 0; k < 6; k++) {
      const start = range.start + ((r * 7 + k * 53) % 330) * MINUTE;
      const base = { ruleId: `rule-${r}`, fingerprint: `f${r}`, severity: (r % 2 === 0 ? 'critical' : 'warning') as AlertSeverity, labels: { alertname: `Rule${r}` }, value: null, reason: 'condition' as const };
      out.push({ ...base, time: start, from: k === 0 ? 'inactive' : 'resolved', to: 'pending' });
      out.push({ ...base, time: start + 2 * MINUTE, from: 'pending', to: 'firing' });
      out.push({ ...base, time: start + 9 * MINUTE, from: 'firing', to: 'resolved' });
    }
  }
  return out.sort((a, b) => a.time - b.time);
}

const meta = {
  title: 'Alerts/AlertHistory',
  component: AlertHistory,
  args: { history, rules, range, timeZone: 'utc', style: { maxWidth: 980 } },
  parameters: {
    docs: {
      description: {
        component:
          'A state timeline per rule (firing by severity, pending striped, resolved as a thin line), each lane named by its summary, with a table view of the same bands. Data: the real evaluator\'s history over seeded synthetic series.',
      },
    },
  },
} satisfies Meta<typeof AlertHistory>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getAllByRole('img')[0]).toHaveAttribute('aria-label', expect.stringMatching(/^HighErrorRate: fired \d+ times/));
    await userEvent.click(canvas.getByRole('button', { name: 'Table' }));
    await expect(canvas.getByRole('table')).toBeVisible();
    await expect(canvas.getAllByText(/^Firing \(critical\)$/).length).toBeGreaterThan(0);
  },
};

export const Empty: Story = {
  args: { history: [], rules: undefined },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('No alert history in this range.')).toBeVisible();
  },
};

export const Loading: Story = {
  args: { history: undefined, loading: true },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('region')).toHaveAttribute('aria-busy', 'true');
  },
};

export const ErrorState: Story = {
  name: 'Error',
  args: { history: undefined, error: new SourceError('SOURCE_TIMEOUT', 'History query timed out') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('History query timed out (SOURCE_TIMEOUT)');
  },
};

export const Huge: Story = {
  name: 'Huge (200 flapping rules, paged)',
  args: { history: flapping(200), rules: undefined, range: { start: STORY_NOW - 6 * HOUR, end: STORY_NOW } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getAllByRole('img')).toHaveLength(50);
    await userEvent.click(canvas.getByRole('button', { name: /^Show 50 more rules/ }));
    await expect(canvas.getAllByRole('img')).toHaveLength(100);
  },
};

export const Dark: Story = {
  parameters: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(within(canvasElement).getByRole('region')).backgroundColor).toBe('rgb(23, 26, 33)');
  },
};

export const HighContrast: Story = {
  parameters: { theme: 'high-contrast' },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(within(canvasElement).getByRole('region')).color).toBe('rgb(255, 255, 255)');
  },
};

import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { CostOptimizationCard } from './CostOptimizationCard';
import { SAMPLE_OPPORTUNITY, storyCost } from './story-data';

const { opportunities } = storyCost();
const of = (kind: string) => opportunities.find((o) => o.kind === kind);

const meta = {
  title: 'Cost/CostOptimizationCard',
  component: CostOptimizationCard,
  args: { opportunity: SAMPLE_OPPORTUNITY, style: { maxWidth: 420 } },
  parameters: { docs: { description: { component: 'One savings opportunity: expected monthly saving with its range, confidence and effort in words, its scope and the evidence behind it.' } } },
} satisfies Meta<typeof CostOptimizationCard>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  name: 'Model switch',
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('article')).toHaveTextContent(/range \$61\.20 – \$88\.90/);
    await userEvent.click(canvas.getByText(/Show 2 more/));
    await expect(canvas.getByText('Re-priced spend in window')).toBeVisible();
  },
};

export const Caching: Story = {
  name: 'Prompt caching (from the engine)',
  args: { opportunity: of('prompt-caching') ?? SAMPLE_OPPORTUNITY },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('article')).toHaveTextContent(/\/ month/);
  },
};

export const Waste: Story = {
  name: 'Failed calls (from the engine)',
  args: { opportunity: of('failed-calls') ?? SAMPLE_OPPORTUNITY },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('article')).toHaveTextContent(/Evidence/);
  },
};

export const Huge: Story = {
  name: 'Huge (60 evidence items)',
  args: { opportunity: { ...SAMPLE_OPPORTUNITY, evidence: Array.from({ length: 60 }, (_, i) => ({ label: `Fact ${i + 1}`, value: i * 1.5, unit: 'USD' })) } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('Show 54 more')).toBeVisible();
  },
};

export const Empty: Story = {
  args: { opportunity: undefined },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('No opportunity to show.')).toBeVisible();
  },
};

export const Loading: Story = {
  args: { opportunity: undefined, loading: true },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText(/Loading/)).toBeInTheDocument();
  },
};

export const ErrorState: Story = {
  name: 'Error',
  args: { opportunity: undefined, error: new Error('detector failed') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('detector failed');
  },
};

export const Dark: Story = {
  parameters: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(canvasElement.querySelector('article')!).backgroundColor).toBe('rgb(23, 26, 33)');
  },
};

export const HighContrast: Story = {
  parameters: { theme: 'high-contrast' },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(canvasElement.querySelector('article')!).color).toBe('rgb(255, 255, 255)');
  },
};

import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { Sparkline } from './Sparkline';
import { storySeries } from './story-data';

const meta = {
  title: 'Cards/Sparkline',
  component: Sparkline,
  args: { data: storySeries({ seed: 2 }), label: 'Requests', unit: 'rps', width: 160, height: 36 },
  parameters: {
    docs: { description: { component: 'A tiny SVG trend. M4-downsampled to its width; NaN breaks the line; decorative inside cards, an image with a summary standalone.' } },
  },
} satisfies Meta<typeof Sparkline>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const img = within(canvasElement).getByRole('img');
    await expect(img.getAttribute('aria-label')).toMatch(/^Requests: last .* req\/s, min .*, max .*/);
    await expect(img.querySelector('.vigil-sparkline__line')?.getAttribute('d')).toMatch(/^M/);
  },
};

export const WithGaps: Story = {
  args: { data: storySeries({ seed: 2, gaps: true }), area: true },
  play: async ({ canvasElement }) => {
    const d = canvasElement.querySelector('.vigil-sparkline__line')?.getAttribute('d') ?? '';
    await expect((d.match(/M/g) ?? []).length).toBeGreaterThan(1);
  },
};

export const Empty: Story = {
  args: { data: { timestamps: [], values: [] } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('img', { name: 'Requests: no data' })).toBeVisible();
  },
};

export const Loading: Story = {
  name: 'Loading (no data yet)',
  args: { data: undefined, label: 'Loading requests' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('img', { name: 'Loading requests: no data' })).toBeVisible();
  },
};

export const ErrorState: Story = {
  name: 'Error',
  args: { data: { timestamps: [1, 2, 3], values: [1] } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('img', { name: 'Requests: could not be drawn' })).toBeInTheDocument();
  },
};

export const Huge: Story = {
  args: { data: storySeries({ n: 1_000_000, stepMs: 1000, seed: 5 }), width: 300 },
  play: async ({ canvasElement }) => {
    const svg = within(canvasElement).getByRole('img');
    await expect(Number(svg.getAttribute('data-points'))).toBeLessThanOrEqual(8 * 300);
  },
};

export const Dark: Story = {
  parameters: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    const svg = within(canvasElement).getByRole('img');
    await expect(getComputedStyle(svg).color).toBe('rgb(151, 211, 253)');
  },
};

export const HighContrast: Story = {
  parameters: { theme: 'high-contrast' },
  play: async ({ canvasElement }) => {
    const svg = within(canvasElement).getByRole('img');
    await expect(getComputedStyle(svg).color).toBe('rgb(127, 187, 233)');
  },
};

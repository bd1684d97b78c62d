import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { SourceError } from '@vigil/core';
import { serviceGraph } from '@vigil/core/traces';
import { ServiceMap } from './ServiceMap';
import { emptyTrace, storyTrace } from './story-data';

const medium = storyTrace('medium');

const meta = {
  title: 'Traces/ServiceMap',
  component: ServiceMap,
  args: { trace: medium },
  parameters: {
    docs: {
      description: {
        component:
          'The service dependency graph of a trace (core serviceGraph) in columns by call distance, placed by d3-force from a fixed seed. Edges: calls and p95; edges with errors are red, dashed and labelled. Nodes: spans, self time and error share with an icon; inferred peers are dashed. The SVG description lists every edge and a disclosure holds the same data as a table.',
      },
    },
  },
} satisfies Meta<typeof ServiceMap>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  args: { onSelectService: fn(), tableOpen: true },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const graph = serviceGraph(medium);
    await expect(canvasElement.querySelectorAll('[data-service]')).toHaveLength(graph.nodes.length);
    await expect(canvas.getAllByRole('row')).toHaveLength(graph.edges.length + 1);
    const first = canvasElement.querySelector<SVGGElement>('[data-service="checkout"]')!;
    first.focus();
    await userEvent.keyboard('{Enter}');
    await expect(args.onSelectService).toHaveBeenCalledWith('checkout');
  },
};

export const Empty: Story = {
  args: { trace: emptyTrace() },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('No services to map.')).toBeVisible();
  },
};

export const Loading: Story = {
  args: { trace: undefined, loading: true },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.vigil-service-map')).toHaveAttribute('aria-busy', 'true');
  },
};

export const ErrorState: Story = {
  name: 'Error',
  args: { trace: undefined, error: new SourceError('UNAUTHORIZED', 'The trace store refused the token') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('(UNAUTHORIZED)');
  },
};

export const Malformed: Story = {
  name: 'Malformed trace',
  args: { trace: storyTrace('malformed') },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelectorAll('[data-service]')).toHaveLength(1);
  },
};

export const Huge: Story = {
  name: '100k spans',
  args: { trace: storyTrace('huge') },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelectorAll('[data-service]').length).toBe(serviceGraph(storyTrace('huge')).nodes.length);
  },
};

export const Dark: Story = {
  parameters: { theme: 'dark' },
  args: { selectedService: 'checkout', onSelectService: fn() },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('[data-service="checkout"]')).toHaveAttribute('aria-pressed', 'true');
  },
};

export const HighContrast: Story = {
  parameters: { theme: 'high-contrast' },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(canvasElement.querySelector('.vigil-service-map')!).color).toBe('rgb(255, 255, 255)');
  },
};

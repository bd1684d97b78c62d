import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { SourceError } from '@vigil/core';
import { TraceWaterfall } from './TraceWaterfall';
import { TraceSummary } from './TraceSummary';
import { useTrace } from './useTrace';
import { VigilSourceProvider } from '../hooks/VigilSourceProvider';
import { emptyTrace, storyTrace, storyTraceSource } from './story-data';

const checkout = storyTrace('checkout');

const meta = {
  title: 'Traces/TraceWaterfall',
  component: TraceWaterfall,
  args: { trace: checkout, height: 420 },
  parameters: {
    docs: {
      description: {
        component:
          'A trace as a virtualised tree grid: rows in tree order, bars on a zoomable time axis coloured by service, errors marked by icon, hatching and words, the critical path marked on the row and as a stripe under its segments, repairs from the engine shown as warnings. Search with next/previous, filters, collapse/expand, minimap zoom, and a text-only details panel. Keyboard: arrows move, right/left expand/collapse, Enter opens details, / focuses the search. Data: deterministic OTLP/JSON parsed by the real engine.',
      },
    },
  },
} satisfies Meta<typeof TraceWaterfall>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const grid = canvas.getByRole('treegrid', { name: 'Trace waterfall' });
    await expect(grid).toHaveAttribute('aria-rowcount', String(checkout.spanCount));
    // keyboard: focus the grid, move down, open the details
    grid.focus();
    await userEvent.keyboard('{ArrowDown}{Enter}');
    const details = await canvas.findByRole('region', {}, { timeout: 3000 });
    await expect(details).toHaveTextContent('Span id');
    // '/' focuses the search
    grid.focus();
    await userEvent.keyboard('/');
    await expect(canvas.getByRole('searchbox')).toHaveFocus();
  },
};

export const Search: Story = {
  name: 'Search with highlight',
  args: { defaultSearch: 'checkout' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const status = canvas.getByTestId('vigil-trace-search-status');
    await expect(status.textContent).toMatch(/^– of \d+$/);
    await userEvent.click(canvas.getByRole('button', { name: 'Next match' }));
    await waitFor(() => expect(status.textContent).toMatch(/^1 of \d+$/));
    await expect(canvasElement.querySelectorAll('mark').length).toBeGreaterThan(0);
  },
};

export const Filtered: Story = {
  name: 'Filtered: errors only',
  args: { defaultFilters: { errorsOnly: true } },
  play: async ({ canvasElement }) => {
    const rows = [...canvasElement.querySelectorAll('[role="row"]')];
    await expect(rows.some((r) => r.getAttribute('data-error') === 'true')).toBe(true);
    await expect(within(canvasElement).getByText(/spans \(filtered\)/)).toBeVisible();
  },
};

export const CriticalPathOnly: Story = {
  name: 'Critical path only',
  args: { defaultFilters: { criticalPathOnly: true } },
  play: async ({ canvasElement }) => {
    const rows = [...canvasElement.querySelectorAll('[role="row"]')];
    await expect(rows.length).toBeGreaterThan(0);
    await expect(rows.every((r) => r.getAttribute('data-critical') === 'true')).toBe(true);
  },
};

export const Empty: Story = {
  args: { trace: emptyTrace() },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('This trace has no spans.')).toBeVisible();
  },
};

export const Loading: Story = {
  args: { trace: undefined, loading: true },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('.vigil-trace-waterfall')).toHaveAttribute('aria-busy', 'true');
  },
};

export const ErrorState: Story = {
  name: 'Error',
  args: { trace: undefined, error: new SourceError('NOT_FOUND', 'Trace 5b8efff7… was not found in Tempo') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('was not found in Tempo (NOT_FOUND)');
  },
};

export const Malformed: Story = {
  name: 'Malformed trace (repaired, with warnings)',
  args: { trace: storyTrace('malformed'), height: 300 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText(/repairs in this trace/)).toBeVisible();
    await expect(canvasElement.querySelectorAll('[role="row"]')).toHaveLength(storyTrace('malformed').spanCount);
  },
};

export const Huge: Story = {
  name: '100k spans',
  args: { trace: storyTrace('huge'), height: 480 },
  play: async ({ canvasElement }) => {
    const grid = within(canvasElement).getByRole('treegrid');
    await expect(grid).toHaveAttribute('aria-rowcount', '100000');
    await expect(canvasElement.querySelectorAll('[role="row"]').length).toBeLessThan(80);
    grid.scrollTop = 60_000 * 24;
    await waitFor(() => expect(Number(canvasElement.querySelector('[role="row"]')?.getAttribute('data-row-index'))).toBeGreaterThan(50_000));
  },
};

export const DeepChain: Story = {
  name: '100k-deep chain',
  args: { trace: storyTrace('deep'), height: 360 },
  play: async ({ canvasElement }) => {
    const grid = within(canvasElement).getByRole('treegrid');
    grid.scrollTop = 90_000 * 24;
    await waitFor(() => expect(Number(canvasElement.querySelector('[role="row"]')?.getAttribute('aria-level'))).toBeGreaterThan(80_000));
  },
};

export const Dark: Story = {
  parameters: { theme: 'dark' },
  args: { defaultSelectedSpan: 2 },
  play: async ({ canvasElement }) => {
    const root = canvasElement.querySelector('.vigil-trace-waterfall')!;
    await expect(getComputedStyle(root).backgroundColor).toBe('rgb(23, 26, 33)');
  },
};

export const HighContrast: Story = {
  parameters: { theme: 'high-contrast' },
  args: { defaultSearch: 'redis' },
  play: async ({ canvasElement }) => {
    const root = canvasElement.querySelector('.vigil-trace-waterfall')!;
    await expect(getComputedStyle(root).color).toBe('rgb(255, 255, 255)');
  },
};

function FromSource({ traceId, traces = true }: { readonly traceId: string; readonly traces?: boolean }) {
  const { status, data, error } = useTrace(traceId);
  return (
    <div style={{ display: 'grid', gap: 12 }}>
      <TraceSummary trace={data} loading={status === 'loading'} error={error} />
      <TraceWaterfall trace={data} loading={status === 'loading'} error={error} height={360} data-traces={traces ? 'yes' : 'no'} />
    </div>
  );
}

export const LiveFromSource: Story = {
  name: 'useTrace on a source',
  render: () => (
    <VigilSourceProvider source={storyTraceSource({ delayMs: 150 })}>
      <FromSource traceId="checkout" />
    </VigilSourceProvider>
  ),
  play: async ({ canvasElement }) => {
    const grid = await within(canvasElement).findByRole('treegrid', {}, { timeout: 5000 });
    await expect(grid).toHaveAttribute('aria-rowcount', String(checkout.spanCount));
  },
};

export const SourceWithoutTraces: Story = {
  name: 'Source without traces',
  render: () => (
    <VigilSourceProvider source={storyTraceSource({ traces: false })}>
      <FromSource traceId="checkout" traces={false} />
    </VigilSourceProvider>
  ),
  play: async ({ canvasElement }) => {
    const alerts = within(canvasElement).getAllByRole('alert');
    await expect(alerts[0]).toHaveTextContent('has no traces (UNSUPPORTED)');
  },
};

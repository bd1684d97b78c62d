import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { SourceError } from '@vigil/core';
import { SLOList } from './SLOList';
import type { SLOListItem } from './model';
import { manySLOs, scenario } from './story-data';

const few: SLOListItem[] = (['healthy', 'burning', 'breached', 'no-traffic', 'calendar'] as const).map((kind) => {
  const s = scenario(kind);
  return { slo: s.slo, status: s.status };
});
const fifty = manySLOs(50);
const thousand = manySLOs(1000);

const meta = {
  title: 'SLO/SLOList',
  component: SLOList,
  args: { items: few, style: { maxWidth: 980 } },
  parameters: {
    docs: {
      description: {
        component:
          'Many SLOs, most urgent (least budget left) first. Every header sorts (aria-sort); label chips and a text filter narrow the list; rows are virtualised with TanStack Virtual, so 1,000 SLOs keep only a window of rows in the DOM.',
      },
    },
  },
} satisfies Meta<typeof SLOList>;

export default meta;
type Story = StoryObj<typeof meta>;

function names(canvasElement: HTMLElement): string[] {
  return within(canvasElement)
    .getAllByRole('row')
    .slice(1)
    .map((r) => r.getAttribute('data-slo') ?? '');
}

export const Default: Story = {
  name: 'Default (healthy, burning, breached, no traffic)',
  play: async ({ canvasElement }) => {
    await expect(names(canvasElement)).toEqual(['payments-latency', 'checkout-availability', 'api-monthly', 'search-availability', 'batch-export']);
    await expect(within(canvasElement).getByRole('columnheader', { name: /Budget remaining/ })).toHaveAttribute('aria-sort', 'ascending');
  },
};

export const Filtering: Story = {
  args: { items: fifty, onSelect: fn() },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: /^team=payments/ }));
    await userEvent.click(canvas.getByRole('button', { name: /^kind=availability/ }));
    const expected = fifty.filter((i) => i.slo.labels['team'] === 'payments' && i.slo.labels['kind'] === 'availability');
    await expect(canvas.getByText(`Showing ${expected.length} of 50 SLOs`)).toBeVisible();
    await userEvent.type(canvas.getByRole('searchbox'), expected[0]!.slo.service as string);
    await expect(names(canvasElement)).toEqual([expected[0]!.slo.name]);
    await userEvent.click(canvas.getAllByRole('row')[1]!.querySelector('button') as HTMLElement);
    await expect(args.onSelect).toHaveBeenCalledTimes(1);
  },
};

export const Burning: Story = {
  args: { items: [few[1]!, few[0]!] },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getAllByRole('row')[1]).toHaveAttribute('data-status', 'at-risk');
  },
};

export const Breached: Story = {
  args: { items: [few[0]!, few[2]!] },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getAllByRole('row')[1]).toHaveAttribute('data-status', 'breached');
    await expect(within(canvasElement).getByText(/^overspent by/)).toBeVisible();
  },
};

export const NoTraffic: Story = {
  name: 'No traffic',
  args: { items: [few[3]!] },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('No data')).toBeVisible();
  },
};

export const Huge: Story = {
  name: 'Huge (1,000 SLOs, virtualised)',
  args: { items: thousand, onSelect: fn(), height: 480 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText('1,000 SLOs')).toBeVisible();
    const rendered = canvas.getAllByRole('row').length - 1;
    await expect(rendered).toBeLessThan(40);
    const scroller = canvas.getByTestId('vigil-slo-list-rows');
    scroller.scrollTop = scroller.scrollHeight;
    await waitFor(() => expect(canvas.getAllByRole('row').at(-1)).toHaveAttribute('aria-rowindex', '1001'));
    // Keyboard: End from the first row jumps to the last SLO.
    scroller.scrollTop = 0;
    await waitFor(() => expect(canvas.getAllByRole('row')[1]).toHaveAttribute('aria-rowindex', '2'));
    (canvas.getAllByRole('row')[1]!.querySelector('button') as HTMLElement).focus();
    await userEvent.keyboard('{End}');
    await waitFor(() => expect(document.activeElement).toHaveAttribute('data-row-index', '999'));
  },
};

export const Empty: Story = {
  args: { items: [] },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('No SLOs defined yet.')).toBeVisible();
  },
};

export const Loading: Story = {
  args: { items: undefined, loading: true },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('region')).toHaveAttribute('aria-busy', 'true');
  },
};

export const ErrorState: Story = {
  name: 'Error',
  args: { error: new SourceError('SOURCE_UNREACHABLE', 'connection refused') },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent('connection refused (SOURCE_UNREACHABLE)');
  },
};

export const Dark: Story = {
  parameters: { theme: 'dark' },
  args: { items: fifty },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(within(canvasElement).getByRole('region')).backgroundColor).toBe('rgb(23, 26, 33)');
  },
};

export const HighContrast: Story = {
  parameters: { theme: 'high-contrast' },
  args: { items: fifty },
  play: async ({ canvasElement }) => {
    await expect(getComputedStyle(within(canvasElement).getByRole('region')).color).toBe('rgb(255, 255, 255)');
  },
};

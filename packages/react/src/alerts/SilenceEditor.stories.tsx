import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { SilenceEditor } from './SilenceEditor';
import { HOUR, STORY_NOW, manyAlerts, storyScenario } from './story-data';

const { alerts } = storyScenario();

const meta = {
  title: 'Alerts/SilenceEditor',
  component: SilenceEditor,
  args: { alerts, now: STORY_NOW, timeZone: 'utc', onSubmit: fn(), onCancel: fn(), style: { maxWidth: 760 } },
  parameters: {
    docs: {
      description: {
        component:
          'An Alertmanager-style silence: matchers (=, !=, =~, !~; regexes checked as you type and fully anchored), a start and a duration, a comment and an author. Lists the current alerts it would mute, using the engine\'s matcher.',
      },
    },
  },
} satisfies Meta<typeof SilenceEditor>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.type(canvas.getByLabelText('Label name (matcher 1)'), 'service');
    await userEvent.type(canvas.getByLabelText('Value (matcher 1)'), 'checkout');
    await expect(canvas.getByTestId('vigil-silence-preview')).toHaveTextContent(/Affected alerts: [1-9]\d* of \d+/);
    await userEvent.click(canvas.getByRole('button', { name: '4h' }));
    await userEvent.type(canvas.getByLabelText('Comment'), 'Rolling back the deploy');
    await userEvent.type(canvas.getByLabelText('Created by'), 'ana');
    // Keyboard only: focus the submit button and press Enter.
    canvas.getByRole('button', { name: 'Create silence' }).focus();
    await userEvent.keyboard('{Enter}');
    await expect(args.onSubmit).toHaveBeenCalledWith(expect.objectContaining({ startsAt: STORY_NOW, endsAt: STORY_NOW + 4 * HOUR, createdBy: 'ana' }));
  },
};

export const InvalidRegex: Story = {
  name: 'Invalid regex',
  args: { defaultValue: { matchers: [{ name: 'service', value: 'check(out', isRegex: true, isEqual: true }], startsAt: STORY_NOW, endsAt: STORY_NOW + 2 * HOUR, comment: 'x', createdBy: 'ana' } },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Create silence' }));
    const value = canvas.getByLabelText('Value (matcher 1)');
    await expect(value).toHaveAttribute('aria-invalid', 'true');
    await expect(value).toHaveAccessibleDescription(/Not a valid regular expression/);
    await expect(args.onSubmit).not.toHaveBeenCalled();
  },
};

export const Empty: Story = {
  name: 'Empty (no current alerts)',
  args: { alerts: [] },
  play: async ({ canvasElement }) => {
    await userEvent.type(within(canvasElement).getByLabelText('Label name (matcher 1)'), 'team');
    await userEvent.type(within(canvasElement).getByLabelText('Value (matcher 1)'), 'sre');
    await expect(within(canvasElement).getByText('No current alert matches.')).toBeVisible();
  },
};

export const ManyAlerts: Story = {
  name: 'Many alerts (300)',
  args: { alerts: manyAlerts(300), defaultValue: { matchers: [{ name: 'service', value: 'svc-1|svc-2', isRegex: true, isEqual: true }], startsAt: STORY_NOW, endsAt: STORY_NOW + 2 * HOUR } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByTestId('vigil-silence-preview')).toHaveTextContent(/Affected alerts: [1-9]\d* of [1-9]\d{2}/);
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

import { beforeAll, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { ReactNode } from 'react';
import { expectNoAxeViolations, mountInTheme } from '../test-support/browser';
import '../theme/styles.css';
import type { AlertRule, Silence } from '@vigil/core/alerting';
import { AlertsPanel } from './AlertsPanel';
import { AlertHistory } from './AlertHistory';
import { SilenceEditor } from './SilenceEditor';
import { AlertRuleBuilder } from './AlertRuleBuilder';
import { ERROR_RULE, STORY_NOW, STORY_RANGE, errorSeries, storyScenario } from './story-data';

/** Set VITE_ALERTS_SHOTS=/some/dir to save a screenshot of each theme (to look at them). */
const SHOTS = (import.meta as { env?: Record<string, string | undefined> }).env?.['VITE_ALERTS_SHOTS'];

const mount = (node: ReactNode, theme: string) => mountInTheme(node, theme, { width: 1180, settleMs: 100 });

beforeAll(async () => {
  await page.viewport(1220, 1000);
});

const scenario = storyScenario();

function everything(): ReactNode {
  return (
    <div style={{ display: 'grid', gap: 12 }}>
      <AlertsPanel alerts={scenario.alerts} now={STORY_NOW} timeZone="utc" onAcknowledge={() => {}} onSilence={() => {}} />
      <AlertHistory history={scenario.history} rules={scenario.rules} range={scenario.range} timeZone="utc" />
      <SilenceEditor alerts={scenario.alerts} now={STORY_NOW} timeZone="utc" defaultValue={{ matchers: [{ name: 'service', value: 'check(out', isRegex: true }], startsAt: STORY_NOW, endsAt: STORY_NOW + 3_600_000 }} />
      <AlertRuleBuilder defaultValue={{ ...ERROR_RULE, forMs: -1 }} series={errorSeries()} range={STORY_RANGE} timeZone="utc" channels={['pager']} onSubmit={() => {}} />
    </div>
  );
}

describe('alert components in a real browser', () => {
  for (const theme of ['light', 'dark', 'high-contrast']) {
    it(`have no axe violations in the ${theme} theme (contrast included), with errors showing`, async () => {
      const el = await mount(everything(), theme);
      // Show the silence editor's errors too (they only show after a submit or a blur).
      (el.querySelector('.vigil-silence-editor button[type="submit"]') as HTMLButtonElement).click();
      await expect.poll(() => el.querySelectorAll('[aria-invalid="true"]').length).toBeGreaterThan(2);
      await expectNoAxeViolations(el);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/alerts-${theme}.png`, element: el });
    });
  }

  it('builds and saves a rule with the keyboard only', async () => {
    const onSubmit = vi.fn<(rule: AlertRule) => void>();
    const el = await mount(<AlertRuleBuilder defaultValue={ERROR_RULE} series={errorSeries()} range={STORY_RANGE} timeZone="utc" onSubmit={onSubmit} />, 'light');
    await expect.poll(() => Number(el.querySelector('[data-testid="vigil-rule-preview"]')?.getAttribute('data-backtest-count'))).toBeGreaterThan(0);
    // Focus the name field, then Tab forward to the pending period: every control is reachable in reading order.
    (el.querySelector('[data-field="name"] input') as HTMLInputElement).focus();
    const pending = el.querySelector('[data-field="forMs"] input') as HTMLInputElement;
    let steps = 0;
    while (document.activeElement !== pending && steps < 40) {
      await userEvent.keyboard('{Tab}');
      steps++;
    }
    expect(document.activeElement).toBe(pending);
    await userEvent.keyboard('{Control>}a{/Control}10m');
    // The critical level: Shift+Tab back is not needed; jump by Tab to the Save button and press Enter.
    const save = [...el.querySelectorAll('button')].find((b) => b.textContent === 'Save rule') as HTMLButtonElement;
    steps = 0;
    while (document.activeElement !== save && steps < 80) {
      await userEvent.keyboard('{Tab}');
      steps++;
    }
    expect(document.activeElement).toBe(save);
    await userEvent.keyboard('{Enter}');
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit.mock.calls[0]?.[0].forMs).toBe(600_000);
  });

  it('creates a silence with the keyboard only, and the preview follows the matchers', async () => {
    const onSubmit = vi.fn<(silence: Silence) => void>();
    const el = await mount(<SilenceEditor alerts={scenario.alerts} now={STORY_NOW} timeZone="utc" onSubmit={onSubmit} />, 'dark');
    (el.querySelector('input') as HTMLInputElement).focus();
    await userEvent.keyboard('service{Tab}');
    // Operator select: pick =~ with the arrow keys.
    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    await userEvent.keyboard('{Tab}check.*');
    await expect.poll(() => el.querySelector('[data-testid="vigil-silence-preview"] h4')?.textContent).toMatch(/^Affected alerts: [1-9]/);
    const comment = el.querySelector('textarea') as HTMLTextAreaElement;
    comment.focus();
    await userEvent.keyboard('Rolling back{Tab}ana');
    const submit = el.querySelector('button[type="submit"]') as HTMLButtonElement;
    submit.focus();
    await userEvent.keyboard('{Enter}');
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit.mock.calls[0]?.[0].matchers).toEqual([{ name: 'service', value: 'check.*', isRegex: true, isEqual: true }]);
  });
});

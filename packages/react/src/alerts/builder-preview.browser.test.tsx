import { beforeAll, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { expectNoAxeViolations, mountInTheme } from '../test-support/browser';
import '../theme/styles.css';
import { AlertRuleBuilder } from './AlertRuleBuilder';
import { ABSENT_RULE, ERROR_RULE, SPIKY_LATENCY_RULE, STORY_RANGE, TRAFFIC_CHANGE_RULE, errorSeries, spikySeries, targetSeries, trafficSeries } from './story-data';

/** Set VITE_BUILDER_SHOTS=/some/dir to save a screenshot of each preview in each theme (to look at them). */
const SHOTS = (import.meta as { env?: Record<string, string | undefined> }).env?.['VITE_BUILDER_SHOTS'];

beforeAll(async () => {
  await page.viewport(1220, 1000);
});

/** Each preview, and the palette slot of its first raw line (null: no raw lines drawn by default). */
const builders = [
  { name: 'spikes', rawSlot: 2, node: <AlertRuleBuilder defaultValue={SPIKY_LATENCY_RULE} series={spikySeries()} range={STORY_RANGE} unit="ms" timeZone="utc" /> },
  { name: 'change', rawSlot: 1, node: <AlertRuleBuilder defaultValue={TRAFFIC_CHANGE_RULE} series={trafficSeries()} range={STORY_RANGE} unit="req/s" timeZone="utc" /> },
  { name: 'absent', rawSlot: null, node: <AlertRuleBuilder defaultValue={ABSENT_RULE} series={targetSeries()} range={STORY_RANGE} timeZone="utc" /> },
  { name: 'errors', rawSlot: null, node: <AlertRuleBuilder defaultValue={ERROR_RULE} series={errorSeries()} range={STORY_RANGE} unit="ratio" timeZone="utc" /> },
];

describe('AlertRuleBuilder preview in a real browser', () => {
  for (const theme of ['light', 'dark', 'high-contrast']) {
    for (const { name, rawSlot, node } of builders) {
      it(`${name}: no axe violations in the ${theme} theme, and the raw lines' colour is one the canvas can paint`, async () => {
        const el = await mountInTheme(node, theme, { width: 1180, background: true, settleMs: 150 });
        const preview = el.querySelector('[data-testid="vigil-rule-preview"]') as HTMLElement;
        await expect.poll(() => preview.getAttribute('data-backtest-count')).not.toBeNull();
        await expectNoAxeViolations(el);
        // The raw lines take a palette slot set to a color-mix() of the muted colour: the canvas must parse the
        // resolved value (an unparsable strokeStyle is ignored, and the line would take the previous line's colour).
        const wrapper = preview.querySelector('[data-raw-palette]');
        if (rawSlot !== null) {
          expect(wrapper).not.toBeNull();
          const slot = `--vigil-series-${Number(wrapper?.getAttribute('data-raw-palette')) + 1}`;
          expect(slot).toBe(`--vigil-series-${rawSlot}`);
          const resolved = getComputedStyle((wrapper as HTMLElement).querySelector('figure') as HTMLElement).getPropertyValue(slot).trim();
          expect(resolved).toMatch(/^color-mix\(in srgb, #[0-9a-f]{6} 60%, transparent\)$/);
          const ctx = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
          ctx.strokeStyle = '#123456';
          ctx.strokeStyle = resolved;
          expect(ctx.strokeStyle).not.toBe('#123456');
        } else expect(wrapper).toBeNull();
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/builder-${name}-${theme}.png`, element: preview });
      });
    }
  }
});

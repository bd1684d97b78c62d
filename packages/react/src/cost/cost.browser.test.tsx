import { beforeAll, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import type { ReactNode } from 'react';
import { expectNoAxeViolations, mountInTheme } from '../test-support/browser';
import '../theme/styles.css';
import { CostAttributionTree } from './CostAttributionTree';
import { CostOptimizationCard } from './CostOptimizationCard';
import { CostVsPerformanceScatter } from './CostVsPerformanceScatter';
import { ModelComparisonMatrix } from './ModelComparisonMatrix';
import { SpendBudgetGauge } from './SpendBudgetGauge';
import { SAMPLE_OPPORTUNITY, hugeMatrixRows, storyCost } from './story-data';

const mount = (node: ReactNode, theme: string) => mountInTheme(node, theme, { width: 1100, background: true, settleMs: 80 });

beforeAll(async () => {
  await page.viewport(1140, 1000);
});

const { byModel, byModelFeature, opportunities, forecast } = storyCost();

function everything(): ReactNode {
  return (
    <div style={{ display: 'grid', gap: 12 }}>
      <ModelComparisonMatrix rows={byModel} onExportCsv={() => {}} />
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
        <CostVsPerformanceScatter rows={byModel} />
        <SpendBudgetGauge forecast={forecast} periodLabel="November" />
      </div>
      <CostAttributionTree rows={byModelFeature} />
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: 12 }}>
        <CostOptimizationCard opportunity={SAMPLE_OPPORTUNITY} />
        {opportunities.slice(0, 2).map((o) => (
          <CostOptimizationCard key={o.id} opportunity={o} />
        ))}
      </div>
    </div>
  );
}

describe('cost components in a real browser', () => {
  for (const theme of ['light', 'dark', 'high-contrast']) {
    it(`have no axe violations in the ${theme} theme (contrast included)`, async () => {
      const el = await mount(everything(), theme);
      await expectNoAxeViolations(el);
      await page.screenshot({ path: `__screenshots__/cost-${theme}.png`, element: el });
    });
  }

  it('keeps a window of 5,000 matrix rows in the DOM and scrolling reaches the last', async () => {
    const el = await mount(<ModelComparisonMatrix rows={hugeMatrixRows(5000)} height={400} rowHeight={36} />, 'light');
    const rows = () => Array.from(el.querySelectorAll('[role="row"][aria-rowindex]')).filter((r) => r.getAttribute('aria-rowindex') !== '1');
    expect(rows().length).toBeGreaterThan(5);
    expect(rows().length).toBeLessThan(40);
    const scroller = el.querySelector('[role="rowgroup"][tabindex="0"]') as HTMLElement;
    expect(scroller.scrollHeight).toBe(5000 * 36);
    scroller.scrollTop = scroller.scrollHeight;
    await expect.poll(() => rows().some((r) => r.getAttribute('aria-rowindex') === '5001')).toBe(true);
    expect(rows().length).toBeLessThan(40);
  });

  it('draws the treemap with every provider a focusable area sized by spend, and the keyboard opens one', async () => {
    const el = await mount(<CostAttributionTree rows={byModelFeature} height={300} />, 'dark');
    const items = Array.from(el.querySelectorAll<SVGGElement>('[role="listitem"]'));
    expect(items.length).toBeGreaterThan(1);
    const areas = items.map((g) => {
      const box = g.getBoundingClientRect();
      return box.width * box.height;
    });
    // Largest spend first, and areas follow spend.
    expect(areas[0]!).toBeGreaterThanOrEqual(areas[1]!);
    items[0]!.focus();
    expect(document.activeElement).toBe(items[0]);
    items[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await expect.poll(() => el.querySelector('nav')?.textContent ?? '').toContain('›');
    await expect.poll(() => document.activeElement?.getAttribute('role')).toBe('listitem');
  });
});

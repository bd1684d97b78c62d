import { beforeAll, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import type { ReactNode } from 'react';
import { expectNoAxeViolations, mountInTheme } from '../test-support/browser';
import '../theme/styles.css';
import { SLOStatusCard } from './SLOStatusCard';
import { ErrorBudgetChart } from './ErrorBudgetChart';
import { BurnRateTable } from './BurnRateTable';
import { SLOList } from './SLOList';
import { ComplianceReportView } from './ComplianceReportView';
import { manySLOs, scenario } from './story-data';

const mount = (node: ReactNode, theme: string) => mountInTheme(node, theme, { width: 960, settleMs: 50 });

beforeAll(async () => {
  await page.viewport(1000, 900);
});

const burning = scenario('burning');
const breached = scenario('breached');
const quiet = scenario('no-traffic');
const items = [burning, breached, quiet, scenario('healthy')].map((s) => ({ slo: s.slo, status: s.status }));

function everything(): ReactNode {
  return (
    <div style={{ display: 'grid', gap: 12 }}>
      <SLOStatusCard slo={burning.slo} status={burning.status} />
      <SLOStatusCard slo={breached.slo} status={breached.status} />
      <SLOStatusCard slo={quiet.slo} status={quiet.status} />
      <ErrorBudgetChart slo={breached.slo} timeline={breached.timeline} alerts={breached.alerts} status={breached.status} />
      <BurnRateTable slo={burning.slo} status={burning.status} alerts={burning.alerts} />
      <SLOList items={items} onSelect={() => {}} />
      <ComplianceReportView report={breached.report} />
    </div>
  );
}

describe('SLO components in a real browser', () => {
  for (const theme of ['light', 'dark', 'high-contrast']) {
    it(`have no axe violations in the ${theme} theme (contrast included)`, async () => {
      const el = await mount(everything(), theme);
      await expectNoAxeViolations(el);
    });
  }

  it('keeps only a window of the 1,000 SLO rows in the DOM, and scrolling reveals later rows', async () => {
    const thousand = manySLOs(1000);
    const el = await mount(<SLOList items={thousand} height={400} rowHeight={50} />, 'light');
    const rows = () => Array.from(el.querySelectorAll('[role="row"][aria-rowindex]')).filter((r) => r.getAttribute('aria-rowindex') !== '1');
    const first = rows();
    expect(first.length).toBeGreaterThan(5);
    expect(first.length).toBeLessThan(30);
    expect(first[0]?.getAttribute('aria-rowindex')).toBe('2');
    const scroller = el.querySelector('[data-testid="vigil-slo-list-rows"]') as HTMLElement;
    expect(scroller.scrollHeight).toBe(1000 * 50);
    scroller.scrollTop = 500 * 50;
    await expect.poll(() => rows().some((r) => r.getAttribute('aria-rowindex') === '502')).toBe(true);
    expect(rows().length).toBeLessThan(30);
    expect(rows().some((r) => r.getAttribute('aria-rowindex') === '2')).toBe(false);
    scroller.scrollTop = scroller.scrollHeight;
    await expect.poll(() => rows().some((r) => r.getAttribute('aria-rowindex') === '1001')).toBe(true);
    // The row at the bottom is visible inside the scroller.
    const last = rows().find((r) => r.getAttribute('aria-rowindex') === '1001') as HTMLElement;
    const box = last.getBoundingClientRect();
    const view = scroller.getBoundingClientRect();
    expect(box.bottom).toBeLessThanOrEqual(view.bottom + 1);
    expect(box.top).toBeGreaterThanOrEqual(view.top - 1);
  });

  it('moves keyboard focus to a row far below the window, scrolling it into view', async () => {
    const thousand = manySLOs(1000);
    const el = await mount(<SLOList items={thousand} onSelect={() => {}} height={400} rowHeight={50} />, 'dark');
    const firstButton = el.querySelector('button[data-row-index="0"]') as HTMLButtonElement;
    firstButton.focus();
    firstButton.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    await expect.poll(() => document.activeElement?.getAttribute('data-row-index')).toBe('999');
    firstButton.ownerDocument.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'PageUp', bubbles: true }));
    await expect.poll(() => document.activeElement?.getAttribute('data-row-index')).toBe('992');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { createRoot, type Root } from 'react-dom/client';
import { flushSync } from 'react-dom';
import type { ReactNode } from 'react';
import axe from 'axe-core';
import { SourceError } from '@vigil/core';
import '../theme/styles.css';
import { MetricCard } from '../cards/MetricCard';
import { Sparkline } from '../cards/Sparkline';
import { storySeries } from '../cards/story-data';
import { HealthStatus, type HealthItem } from './HealthStatus';

const themes = ['light', 'dark', 'high-contrast'] as const;

let root: Root | undefined;
let host: HTMLElement | undefined;

function mount(theme: (typeof themes)[number], node: ReactNode): HTMLElement {
  host = document.createElement('div');
  host.className = 'vigil-root';
  host.dataset['vigilTheme'] = theme;
  host.style.padding = '16px';
  document.body.append(host);
  root = createRoot(host);
  flushSync(() => root?.render(<main>{node}</main>));
  return host;
}

afterEach(() => {
  root?.unmount();
  host?.remove();
  root = undefined;
  host = undefined;
});

async function violations(container: HTMLElement) {
  const result = await axe.run(container, { resultTypes: ['violations'] });
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const items: HealthItem[] = [
  { id: 'a', label: 'frontend', status: 'ok', detail: 'p95 182 ms', value: '1.2k req/s' },
  { id: 'b', label: 'checkout', status: 'critical', detail: 'error rate 4.8%' },
  { id: 'c', label: 'payments', status: 'warning', detail: 'p95 740 ms', value: '96 req/s' },
  { id: 'd', label: 'auth', status: 'unknown' },
];

function cards() {
  const trend = storySeries({ seed: 4 });
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 260px)', gap: 12 }}>
      <MetricCard title="p95 latency" value={182} unit="ms" previousValue={150} deltaDirection="lower-is-better" thresholds={{ warning: 250, critical: 400 }} sparkline={trend} description="checkout" />
      <MetricCard title="Throughput" value={1234} unit="rps" previousValue={1100} deltaDirection="higher-is-better" status="warning" />
      <MetricCard title="Errors" value={5.2} unit="percent" thresholds={{ warning: 1, critical: 5 }} />
      <MetricCard title="Empty" value={null} thresholds={{ warning: 1 }} />
      <MetricCard title="Loading" value={undefined} loading />
      <MetricCard title="Broken" value={1} error={new SourceError('SOURCE_TIMEOUT', 'timed out after 10 s')} />
      <Sparkline data={trend} label="Standalone trend" unit="ms" />
    </div>
  );
}

describe.each(themes)('axe, %s theme', (theme) => {
  it('MetricCard in every state has no violations', async () => {
    const container = mount(theme, cards());
    expect(await violations(container)).toEqual([]);
  });

  it('HealthStatus full, compact and empty have no violations', async () => {
    const container = mount(
      theme,
      <>
        <HealthStatus items={items} onSelect={() => {}} selectedId="b" title="Full" />
        <HealthStatus items={items} variant="compact" title="Compact" />
        <HealthStatus items={[]} title="Empty" />
        <HealthStatus items={[]} loading title="Loading" />
        <HealthStatus items={items} error={new Error('down')} title="Broken" />
      </>,
    );
    expect(await violations(container)).toEqual([]);
  });

  it('theme variables reach the components', () => {
    const container = mount(theme, <MetricCard title="x" value={1} />);
    const card = container.querySelector('.vigil-metric-card') as HTMLElement;
    const expected = { light: 'rgb(255, 255, 255)', dark: 'rgb(23, 26, 33)', 'high-contrast': 'rgb(0, 0, 0)' }[theme];
    expect(getComputedStyle(card).backgroundColor).toBe(expected);
  });
});

describe('focus order', () => {
  it('Tab enters HealthStatus once, on the selected item, and leaves after it', async () => {
    const container = mount(
      'light',
      <>
        <button type="button">before</button>
        <HealthStatus items={items} onSelect={() => {}} selectedId="c" />
        <button type="button">after</button>
      </>,
    );
    const [before, ...rest] = Array.from(container.querySelectorAll('button'));
    const after = rest[rest.length - 1];
    before?.focus();
    await userEvent.tab();
    expect(document.activeElement?.textContent).toContain('payments');
    const focused = document.activeElement as HTMLElement;
    expect(getComputedStyle(focused).outlineStyle).toBe('solid');
    await userEvent.keyboard('{ArrowUp}');
    expect(document.activeElement?.textContent).toContain('checkout');
    await userEvent.tab();
    expect(document.activeElement).toBe(after);
  });

  it('MetricCards are not tab stops (no interactive content)', async () => {
    const container = mount(
      'light',
      <>
        <button type="button">before</button>
        {cards()}
        <button type="button">after</button>
      </>,
    );
    const buttons = container.querySelectorAll('button');
    (buttons[0] as HTMLButtonElement).focus();
    await userEvent.tab();
    expect(document.activeElement).toBe(buttons[1]);
  });
});

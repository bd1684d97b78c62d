import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { createRoot, type Root } from 'react-dom/client';
import { flushSync } from 'react-dom';
import type { ReactNode } from 'react';
import axe from 'axe-core';
import { flattenForDisplay, type TraceModel } from '@vigil/core/traces';
import '../theme/styles.css';
import { TraceWaterfall } from './TraceWaterfall';
import { TraceSummary } from './TraceSummary';
import { Flamegraph } from './Flamegraph';
import { ServiceMap } from './ServiceMap';
import { serviceGraph } from '@vigil/core/traces';
import { storyTrace } from './story-data';

let root: Root | null = null;
let host: HTMLElement | null = null;
const SHOTS = (import.meta as unknown as { env?: Record<string, string | undefined> }).env?.VITE_TRACE_SHOTS;

async function mount(node: ReactNode, theme = 'light', width = 1100): Promise<HTMLElement> {
  host = document.createElement('div');
  host.className = 'vigil-root';
  host.setAttribute('data-vigil-theme', theme);
  host.style.width = `${width}px`;
  host.style.padding = '12px';
  document.body.append(host);
  root = createRoot(host);
  flushSync(() => root?.render(node));
  await frames(3);
  return host;
}

const frames = (count: number) =>
  new Promise<void>((resolve) => {
    let left = count;
    const step = () => (--left <= 0 ? resolve() : requestAnimationFrame(step));
    requestAnimationFrame(step);
  });

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await frames(1);
  }
}

afterEach(() => {
  root?.unmount();
  host?.remove();
  root = null;
  host = null;
});

beforeAll(async () => {
  await page.viewport(1200, 1000);
});

const grid = (el: HTMLElement) => el.querySelector<HTMLElement>('[role="treegrid"]')!;
const renderedRows = (el: HTMLElement) => [...el.querySelectorAll<HTMLElement>('[role="row"]')];
/** The rendered rows as (row index, span) pairs, sorted by row index. */
const shown = (el: HTMLElement) => renderedRows(el).map((r) => [Number(r.dataset.rowIndex), Number(r.dataset.span)] as const).sort((a, b) => a[0] - b[0]);

/** Brute-force text match (the oracle for search): service, operation or span id contains the text. */
function bruteForceMatches(model: TraceModel, text: string): number[] {
  const q = text.toLowerCase();
  const out: number[] = [];
  for (let i = 0; i < model.spanCount; i++) {
    const service = model.services[model.service[i]!]!.toLowerCase();
    const op = model.operations[model.operation[i]!]!.toLowerCase();
    const id = (model.spanIdHigh[i]!.toString(16).padStart(8, '0') + model.spanIdLow[i]!.toString(16).padStart(8, '0')).toLowerCase();
    if (service.includes(q) || op.includes(q) || id.includes(q)) out.push(i);
  }
  return out;
}

async function runAxe(el: HTMLElement): Promise<void> {
  const result = await axe.run(el, { resultTypes: ['violations'] });
  const text = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`).join('\n');
  expect(text).toBe('');
}

describe('TraceWaterfall in Chromium with a 100k-span trace', () => {
  const model = storyTrace('huge');

  it('renders a window of rows, scrolls, collapses, expands and searches', async () => {
    expect(model.spanCount).toBe(100_000);
    const el = await mount(<TraceWaterfall trace={model} height={480} rowHeight={24} />);
    const g = grid(el);
    expect(g.getAttribute('aria-rowcount')).toBe('100000');
    const all = flattenForDisplay(model);
    // only a window is in the DOM, and it is the start of the display order
    let rows = shown(el);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(60);
    rows.forEach(([index, span]) => expect(span).toBe(all[index]));
    expect(rows[0]![0]).toBe(0);

    // scroll to the middle: the rows shown are those at the scroll offset, in display order
    g.scrollTop = 50_000 * 24;
    await until(() => shown(el)[0]![0] > 40_000, 'rows after scrolling');
    rows = shown(el);
    const firstVisible = Math.floor(g.scrollTop / 24);
    expect(rows.some(([index]) => index === firstVisible)).toBe(true);
    rows.forEach(([index, span]) => expect(span).toBe(all[index]));

    // scroll to the end
    g.scrollTop = g.scrollHeight;
    await until(() => shown(el).some(([index]) => index === 99_999), 'last row');

    // collapse the root with its toggle: one row left
    g.scrollTop = 0;
    await until(() => shown(el)[0]![0] === 0, 'back at the top');
    const rootRow = renderedRows(el).find((r) => r.dataset.rowIndex === '0')!;
    expect(rootRow.getAttribute('aria-expanded')).toBe('true');
    (rootRow.querySelector('[role="gridcell"] > span[aria-hidden="true"]') as HTMLElement).click();
    await until(() => g.getAttribute('aria-rowcount') === '1', 'collapsed root');
    expect(renderedRows(el)).toHaveLength(1);
    expect(renderedRows(el)[0]!.getAttribute('aria-expanded')).toBe('false');
    expect(renderedRows(el)[0]!.textContent).toContain('+99,999');

    // keyboard: focus the grid, ArrowRight expands one level (the root's children, collapsed or not, show)
    g.focus();
    await userEvent.keyboard('{ArrowRight}');
    await until(() => g.getAttribute('aria-rowcount') === '100000', 'expanded root');
    // ArrowDown moves to the next row, ArrowLeft on a leaf or collapsed row goes to the parent
    await userEvent.keyboard('{ArrowDown}');
    await until(() => g.getAttribute('aria-activedescendant')?.endsWith(`-row-${all[1]}`) === true, 'active row 1');
    await userEvent.keyboard('{Enter}');
    await until(() => el.querySelector('.vigil-span-details') !== null, 'details panel');
    expect(el.querySelector('.vigil-span-details')!.textContent).toContain(model.operations[model.operation[all[1]!]!]!);

    // collapse all / expand all
    (el.querySelector('button:nth-of-type(1)') as HTMLElement | null)?.blur();
    [...el.querySelectorAll('button')].find((b) => b.textContent === 'Collapse all')!.click();
    await until(() => g.getAttribute('aria-rowcount') === String(model.roots.length), 'collapse all');
    [...el.querySelectorAll('button')].find((b) => b.textContent === 'Expand all')!.click();
    await until(() => g.getAttribute('aria-rowcount') === '100000', 'expand all');

    // search: the count agrees with brute force; Enter jumps to the first hit, which is rendered and marked
    const search = el.querySelector<HTMLInputElement>('input[type="search"]')!;
    await userEvent.click(search);
    await userEvent.keyboard('Reserve');
    const expected = bruteForceMatches(model, 'Reserve');
    expect(expected.length).toBeGreaterThan(100);
    await until(() => el.querySelector('[data-testid="vigil-trace-search-status"]')!.textContent === `– of ${expected.length.toLocaleString('en-US')}`, 'search count');
    await userEvent.keyboard('{Enter}');
    const firstHit = [...all].find((span) => expected.includes(span))!;
    await until(() => renderedRows(el).some((r) => r.dataset.span === String(firstHit) && r.dataset.hit === 'true'), 'first hit rendered');
    expect(el.querySelector('[data-testid="vigil-trace-search-status"]')!.textContent).toBe(`1 of ${expected.length.toLocaleString('en-US')}`);
    // jump far: previous from the first wraps to the last hit (in display order)
    await userEvent.keyboard('{Shift>}{Enter}{/Shift}');
    const lastHit = [...all].reverse().find((span) => expected.includes(span))!;
    await until(() => renderedRows(el).some((r) => r.dataset.span === String(lastHit)), 'last hit rendered');
    // every rendered hit row has a <mark> around the text
    for (const row of renderedRows(el).filter((r) => r.dataset.hit === 'true')) expect(row.querySelector('mark')?.textContent?.toLowerCase()).toBe('reserve');

    // filter: errors only shows every error span (plus ancestors for context)
    const errorsOnly = [...el.querySelectorAll('label')].find((l) => l.textContent?.includes('Errors only'))!.querySelector('input')!;
    await userEvent.click(errorsOnly);
    const errorRows = flattenForDisplay(model, { filter: (i) => model.status[i] === 2 });
    await until(() => g.getAttribute('aria-rowcount') === String(errorRows.length), 'errors-only rows');
    expect(errorRows.length).toBeLessThan(100_000);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/waterfall-100k-errors.png` });
  });

  it('renders a 100k-deep chain with capped, relative indentation', async () => {
    const deep = storyTrace('deep');
    expect(deep.maxDepth).toBe(99_999);
    const el = await mount(<TraceWaterfall trace={deep} height={360} />);
    const g = grid(el);
    g.scrollTop = 70_000 * 24;
    await until(() => shown(el)[0]![0] > 60_000, 'deep rows');
    const rows = renderedRows(el).sort((a, b) => Number(a.dataset.rowIndex) - Number(b.dataset.rowIndex));
    const indents: number[] = [];
    // aria-level is the true depth; the depth badge is shown and indentation stays bounded
    for (const row of rows) {
      const span = Number(row.dataset.span);
      expect(row.getAttribute('aria-level')).toBe(String(deep.depth[span]! + 1));
      const cell = row.querySelector<HTMLElement>('[role="gridcell"]')!;
      const indent = parseFloat(getComputedStyle(cell).paddingInlineStart);
      expect(indent).toBeGreaterThanOrEqual(4);
      expect(indent).toBeLessThanOrEqual(4 + 24 * 12);
      indents.push(indent);
      expect(cell.textContent).toContain((deep.depth[span]! + 1).toLocaleString('en-US'));
    }
    // a staircase: indentation never decreases down the chain, and grows somewhere on screen
    for (let k = 1; k < indents.length; k++) expect(indents[k]!).toBeGreaterThanOrEqual(indents[k - 1]!);
    expect(indents[indents.length - 1]!).toBeGreaterThan(indents[0]!);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/waterfall-deep.png` });
  });

  it('is axe-clean (light and dark) with the details open', async () => {
    for (const theme of ['light', 'dark', 'high-contrast']) {
      const checkout = storyTrace('checkout');
      const el = await mount(
        <div style={{ display: 'grid', gap: 12 }}>
          <TraceSummary trace={checkout} />
          <TraceWaterfall trace={checkout} defaultSelectedSpan={3} defaultSearch="check" height={420} />
        </div>,
        theme,
      );
      grid(el).focus();
      await frames(2);
      await runAxe(el);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/waterfall-checkout-${theme}.png` });
      root?.unmount();
      host?.remove();
      root = null;
    }
    const malformed = storyTrace('malformed');
    const el = await mount(
      <div style={{ display: 'grid', gap: 12 }}>
        <TraceSummary trace={malformed} />
        <TraceWaterfall trace={malformed} height={300} />
      </div>,
    );
    el.querySelector('details')!.open = true;
    await frames(2);
    await runAxe(el);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/waterfall-malformed.png` });
  });
});

describe('Flamegraph and ServiceMap in Chromium', () => {
  it('flame graph: click zooms to the frame, keyboard moves and describes the selection, search counts frames', async () => {
    const model = storyTrace('checkout');
    const el = await mount(<Flamegraph trace={model} height={260} />);
    const graph = el.querySelector<HTMLElement>('[data-testid="vigil-flamegraph"]')!;
    const rect = graph.getBoundingClientRect();
    // the root spans the whole width on the first row: click it
    await userEvent.click(graph, { position: { x: rect.width / 2, y: 9 } });
    const info = el.querySelector('[data-testid="vigil-flame-selected"]')!;
    const root = model.roots[0]!;
    await until(() => info.textContent!.startsWith(`${model.services[model.service[root]!]}: ${model.operations[model.operation[root]!]}`), 'root selected');
    // keyboard: down goes to the first child, up back to the parent
    graph.focus();
    await userEvent.keyboard('{ArrowDown}');
    const child = model.children[model.childOffsets[root]!]!;
    await until(() => info.textContent!.startsWith(`${model.services[model.service[child]!]}: ${model.operations[model.operation[child]!]}`), 'first child selected');
    expect(info.textContent).toContain('depth 2');
    await userEvent.keyboard('{Enter}');
    await until(() => !(el.querySelector<HTMLButtonElement>('button')!.disabled), 'zoomed');
    await userEvent.keyboard('{Escape}');
    await until(() => el.querySelector<HTMLButtonElement>('button')!.disabled, 'zoom reset');
    const search = el.querySelector<HTMLInputElement>('input[type="search"]')!;
    await userEvent.click(search);
    await userEvent.keyboard('redis');
    const expected = bruteForceMatches(model, 'redis').length;
    await until(() => el.querySelector('[data-testid="vigil-flame-search-status"]')?.textContent === `${expected} matching ${expected === 1 ? 'frame' : 'frames'}`, 'flame search count');
    await runAxe(el);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/flame-light.png` });
  });

  it('flame graph draws a 100k-deep chain (only the depths in view) and a 100k-span tree', async () => {
    const deep = storyTrace('deep');
    const el = await mount(<Flamegraph trace={deep} height={300} />, 'dark');
    const graph = el.querySelector<HTMLElement>('[data-testid="vigil-flamegraph"]')!;
    expect(graph.scrollHeight).toBeGreaterThan(100_000 * 17);
    graph.scrollTop = 50_000 * 18;
    await frames(3);
    const canvas = el.querySelector('canvas')!;
    const ctx = canvas.getContext('2d')!;
    // something is drawn at the scrolled position
    const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let k = 3; k < pixels.length; k += 4) if (pixels[k]! > 0) painted++;
    expect(painted).toBeGreaterThan(1000);
    root?.unmount();
    host?.remove();
    const el2 = await mount(<Flamegraph trace={storyTrace('huge')} height={300} />, 'dark');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/flame-huge-dark.png` });
    expect(el2.querySelector('canvas')).not.toBeNull();
  });

  it('service map: every edge of the engine is drawn and listed, and it is axe-clean in light and dark', async () => {
    const model = storyTrace('medium');
    const expected = serviceGraph(model);
    for (const theme of ['light', 'dark']) {
      const el = await mount(<ServiceMap trace={model} onSelectService={() => {}} tableOpen />, theme);
      const drawn = [...el.querySelectorAll('[data-edge]')].map((g) => g.getAttribute('data-edge'));
      const expectedEdges = expected.edges.filter((e) => e.from !== e.to).map((e) => `${e.from}>${e.to}`);
      expect(drawn.sort()).toEqual(expectedEdges.sort());
      expect(el.querySelectorAll('tbody tr')).toHaveLength(expected.edges.length);
      expect(el.querySelectorAll('[data-service]')).toHaveLength(expected.nodes.length);
      // error edges are dashed, not only red
      for (const e of expected.edges.filter((x) => x.errorCount > 0 && x.from !== x.to)) {
        expect(el.querySelector(`path[data-edge="${e.from}>${e.to}"]`)!.getAttribute('stroke-dasharray')).toBe('6 3');
      }
      await runAxe(el);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/service-map-${theme}.png` });
      root?.unmount();
      host?.remove();
      root = null;
    }
  });
});

/**
 * TraceWaterfall with 100k spans in Debian Chromium (playwright-core): initial render time and scroll frame cost,
 * each against a peer measured in the same page and run.
 *
 * - Initial render: performance.now() at the render call, then again in the animation frame after React committed
 *   (so it includes style, layout and the wait for the frame). Peer: a plain, non-virtualised list of the first
 *   2,000 rows with the same content (service, operation, duration bar), rendered the same way.
 * - Scroll: 300 scroll steps of 7 rows (168 px) each, one per animation frame. "Step work" is the synchronous cost
 *   of one step (set scrollTop, the virtualiser's scroll handler, React's commit, style and layout forced by a read).
 *   "Frame interval" is the time between animation frames while scrolling; its peer is the interval while idle (the
 *   display's own frame time), so a ratio near 1.00 means no dropped frames.
 *
 * Builds a tiny page with Vite's build API into .bench-results/ and serves it on 127.0.0.1.
 *
 *   node bench/trace-waterfall.bench.mjs                          # on the built packages (build core and react first)
 *   VIGIL_BENCH_SOURCE=1 node bench/trace-waterfall.bench.mjs     # against the sources, no build needed
 *   TRACE_BENCH_RUNS=9 ...                                        # runs per cell (default 7)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.CHART_BENCH_NO_MAIN = '1';
const { serve, launchChromium } = await import('./chart-render.bench.mjs');

const repo = fileURLToPath(new URL('..', import.meta.url));
const srcDir = join(repo, '.bench-results/trace-waterfall-src');
const outDir = join(repo, '.bench-results/trace-waterfall-page');

const sourceAliases = [
  { find: /^@vigil\/core$/, replacement: join(repo, 'packages/core/src/index.ts') },
  { find: /^@vigil\/core\/(.+)$/, replacement: join(repo, 'packages/core/src/$1/index.ts') },
  { find: /^@vigil\/react\/styles\.css$/, replacement: join(repo, 'packages/react/src/theme/styles.css') },
  { find: /^@vigil\/react$/, replacement: join(repo, 'packages/react/src/index.ts') },
];

const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Vigil trace waterfall bench</title>
    <link rel="icon" href="data:," />
    <style>body { margin: 0; padding: 16px; background: var(--vigil-bg); } #stage { width: 1200px; }</style>
  </head>
  <body>
    <main id="stage" class="vigil-root"></main>
    <script type="module" src="./main.tsx"></script>
  </body>
</html>
`;

const storyData = join(repo, 'packages/react/src/traces/story-data.ts').replace(/\\/g, '/');
const main = `
import { createElement as h } from 'react';
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import '@vigil/react/styles.css';
import { TraceWaterfall } from '@vigil/react';
import { flattenForDisplay, parseTrace, formatDurationNs } from '@vigil/core/traces';
import { generateTraceDocument } from '${storyData}';

const stage = document.getElementById('stage');
let root = null;
let model = null;
const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));

function unmount() {
  if (root) { root.unmount(); root = null; }
  stage.textContent = '';
}

/** The peer: every one of the first n rows as a DOM row (no virtualisation), same content as the waterfall's rows. */
function PlainList({ model, count }) {
  const rows = flattenForDisplay(model).subarray(0, count);
  const total = model.traceDurationNs || 1;
  const items = [];
  for (let r = 0; r < rows.length; r++) {
    const v = rows[r];
    const left = (model.startOffsetNs[v] / total) * 100;
    const width = Math.max(0.2, (model.durationNs[v] / total) * 100);
    items.push(h('div', { key: v, role: 'row', style: { display: 'flex', height: 24, borderBottom: '1px solid var(--vigil-grid)' } },
      h('div', { style: { flex: '0 0 34%', paddingInlineStart: 4 + Math.min(24, model.depth[v]) * 12, overflow: 'hidden', whiteSpace: 'nowrap' } },
        h('span', { style: { fontWeight: 600 } }, model.services[model.service[v]]), ' ', h('span', null, model.operations[model.operation[v]])),
      h('div', { style: { position: 'relative', flex: '1 1 auto' } },
        h('span', { style: { position: 'absolute', left: left + '%', width: width + '%', top: 4, bottom: 4, background: 'var(--vigil-series-1)' } }),
        h('span', { style: { position: 'absolute', left: 'calc(' + (left + width) + '% + 4px)' } }, formatDurationNs(model.durationNs[v])))));
  }
  return h('div', { style: { height: 600, overflow: 'auto' } }, items);
}

async function timedRender(element) {
  unmount();
  await frame();
  root = createRoot(stage);
  const t0 = performance.now();
  flushSync(() => root.render(element));
  void document.body.offsetHeight;
  const sync = performance.now() - t0;
  const painted = (await frame()) - t0;
  return { sync, painted, rows: stage.querySelectorAll('[role="row"]').length };
}

const p95 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]; };
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };

window.traceBench = {
  ready: true,
  prepare(spanCount, shape) {
    const t0 = performance.now();
    model = parseTrace({ format: 'otlp-json', body: generateTraceDocument({ spanCount, seed: 7, shape }) });
    return { spanCount: model.spanCount, maxDepth: model.maxDepth, parseMs: performance.now() - t0 };
  },
  renderWaterfall() { return timedRender(h(TraceWaterfall, { trace: model, height: 600 })); },
  renderPlain(count) { return timedRender(h(PlainList, { model, count })); },
  async scroll(steps, stepPx) {
    await timedRender(h(TraceWaterfall, { trace: model, height: 600 }));
    const grid = stage.querySelector('[role="treegrid"]');
    // idle frames first: the display's own frame interval, the peer of the scrolling interval
    const idle = [];
    let last = await frame();
    for (let k = 0; k < 60; k++) { const now = await frame(); idle.push(now - last); last = now; }
    const work = [];
    const intervals = [];
    let firstRowsOk = true;
    last = await frame();
    for (let k = 0; k < steps; k++) {
      const t0 = performance.now();
      grid.scrollTop = grid.scrollTop + stepPx;
      grid.dispatchEvent(new Event('scroll'));
      void document.body.offsetHeight;
      work.push(performance.now() - t0);
      const now = await frame();
      intervals.push(now - last);
      last = now;
      // the rows in the DOM cover the viewport
      const top = Math.floor(grid.scrollTop / 24);
      if (!stage.querySelector('[data-row-index="' + top + '"]')) firstRowsOk = false;
    }
    return { workP95: p95(work), workMedian: median(work), workMax: Math.max(...work), intervalP95: p95(intervals), idleP95: p95(idle), idleMedian: median(idle), rowsCovered: firstRowsOk, finalScrollTop: grid.scrollTop };
  },
};
`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function buildPage() {
  await mkdir(srcDir, { recursive: true });
  await writeFile(join(srcDir, 'index.html'), html);
  await writeFile(join(srcDir, 'main.tsx'), main);
  const { build } = await import('vite');
  const react = (await import('@vitejs/plugin-react')).default;
  await build({
    root: srcDir,
    logLevel: 'warn',
    plugins: [react()],
    resolve: { alias: process.env.VIGIL_BENCH_SOURCE === '1' ? sourceAliases : [] },
    build: { outDir, emptyOutDir: true, minify: process.env.TRACE_BENCH_MINIFY !== '0', target: 'es2022', reportCompressedSize: false, chunkSizeWarningLimit: 8192 },
  });
}

async function run() {
  const runs = Number(process.env.TRACE_BENCH_RUNS ?? 7);
  await buildPage();
  const server = await serve(outDir);
  const browser = await launchChromium();
  const results = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(server.url);
    await page.waitForFunction(() => window.traceBench?.ready === true);
    for (const shape of ['tree', 'chain']) {
      const info = await page.evaluate(([n, s]) => window.traceBench.prepare(n, s), [100_000, shape]);
      // warm-up
      await page.evaluate(() => window.traceBench.renderWaterfall());
      await page.evaluate(() => window.traceBench.renderPlain(2000));
      const waterfall = [];
      const plain = [];
      let rows = 0;
      for (let r = 0; r < runs; r++) {
        const order = r % 2 === 0 ? ['w', 'p'] : ['p', 'w'];
        for (const which of order) {
          await page.evaluate(() => globalThis.gc?.());
          const result = await page.evaluate((w) => (w === 'w' ? window.traceBench.renderWaterfall() : window.traceBench.renderPlain(2000)), which);
          if (which === 'w') {
            waterfall.push(result);
            rows = result.rows;
          } else plain.push(result);
        }
      }
      const scrolls = [];
      for (let r = 0; r < Math.max(3, Math.ceil(runs / 2)); r++) scrolls.push(await page.evaluate(() => window.traceBench.scroll(300, 168)));
      results.push({
        shape,
        spans: info.spanCount,
        maxDepth: info.maxDepth,
        parseMs: info.parseMs,
        renderedRows: rows,
        waterfallPaintedMs: median(waterfall.map((x) => x.painted)),
        waterfallSyncMs: median(waterfall.map((x) => x.sync)),
        plain2000PaintedMs: median(plain.map((x) => x.painted)),
        plain2000SyncMs: median(plain.map((x) => x.sync)),
        scrollWorkP95Ms: median(scrolls.map((s) => s.workP95)),
        scrollWorkMedianMs: median(scrolls.map((s) => s.workMedian)),
        scrollWorkMaxMs: Math.max(...scrolls.map((s) => s.workMax)),
        scrollIntervalP95Ms: median(scrolls.map((s) => s.intervalP95)),
        idleIntervalP95Ms: median(scrolls.map((s) => s.idleP95)),
        rowsCovered: scrolls.every((s) => s.rowsCovered),
        runs,
      });
    }
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    const version = browser.version();
    console.warn(`\nTraceWaterfall, 100k spans, Chromium ${version}, 1200 px wide, 600 px of rows; medians of ${runs} runs (scroll: ${Math.max(3, Math.ceil(runs / 2))} runs × 300 steps)\n`);
    console.table(
      results.map((r) => ({
        trace: r.shape === 'tree' ? '100k spans, tree' : '100k-deep chain',
        'depth': r.maxDepth + 1,
        'initial render ms (to frame)': r.waterfallPaintedMs.toFixed(1),
        'initial render ms (sync)': r.waterfallSyncMs.toFixed(1),
        'plain 2k rows ms (to frame)': r.plain2000PaintedMs.toFixed(1),
        'waterfall 100k / plain 2k': (r.waterfallPaintedMs / r.plain2000PaintedMs).toFixed(2),
        'scroll step p95 ms': r.scrollWorkP95Ms.toFixed(2),
        'scroll step max ms': r.scrollWorkMaxMs.toFixed(2),
        'frame interval p95 ms (scrolling)': r.scrollIntervalP95Ms.toFixed(1),
        'frame interval p95 ms (idle)': r.idleIntervalP95Ms.toFixed(1),
        'scrolling / idle': (r.scrollIntervalP95Ms / r.idleIntervalP95Ms).toFixed(2),
        'rows covered': r.rowsCovered ? 'yes' : 'NO',
      })),
    );
    console.warn('Targets (issue #4): initial render < 300 ms, p95 scroll frame < 16 ms.');
    await mkdir(join(repo, '.bench-results'), { recursive: true });
    await writeFile(join(repo, '.bench-results/trace-waterfall.json'), JSON.stringify({ chromium: version, date: new Date().toISOString(), results }, null, 2));
  } finally {
    await browser.close();
    await server.close();
  }
}

run().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

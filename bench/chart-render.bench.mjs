/**
 * Time to first render of TimeSeriesChart in Debian Chromium, against uPlot drawing the same points in the same page
 * and browser. Builds bench/fixtures/chart with Vite, serves it on 127.0.0.1 and drives it with playwright-core.
 * Each measurement runs in the page: performance.now() at the render call, then again in the animation frame after
 * the canvas was painted. Prints medians of several runs and the ratio to uPlot; writes .bench-results/chart-render.json.
 *
 *   pnpm bench                                  # every bench, on the built packages
 *   node bench/chart-render.bench.mjs           # this one (run `pnpm build` first)
 *   VIGIL_BENCH_SOURCE=1 node bench/chart-render.bench.mjs   # against the sources, no build needed
 *   CHART_BENCH_RUNS=15 ...                     # more runs per cell (default 9)
 */
import { createServer } from 'node:http';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const fixture = join(repo, 'bench/fixtures/chart');
const outDir = join(repo, '.bench-results/chart-page');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The workspace packages' sources (as vitest.workspace-aliases.ts has them), for VIGIL_BENCH_SOURCE=1. */
const sourceAliases = [
  { find: /^@vigil\/core$/, replacement: join(repo, 'packages/core/src/index.ts') },
  { find: /^@vigil\/core\/(.+)$/, replacement: join(repo, 'packages/core/src/$1/index.ts') },
  { find: /^@vigil\/react\/styles\.css$/, replacement: join(repo, 'packages/react/src/theme/styles.css') },
  { find: /^@vigil\/react$/, replacement: join(repo, 'packages/react/src/index.ts') },
];

/** Builds the fixture page; with VIGIL_BENCH_SOURCE=1 the workspace packages resolve to their sources. */
export async function buildChartPage() {
  const { build } = await import('vite');
  const react = (await import('@vitejs/plugin-react')).default;
  const alias = process.env.VIGIL_BENCH_SOURCE === '1' ? sourceAliases : [];
  await build({
    root: fixture,
    logLevel: 'warn',
    plugins: [react()],
    resolve: { alias },
    build: { outDir, emptyOutDir: true, minify: true, target: 'es2022', reportCompressedSize: false, chunkSizeWarningLimit: 4096 },
  });
  return outDir;
}

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

/** Serves `dir` on 127.0.0.1 at a free port. */
export async function serve(dir) {
  const server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--js-flags=--expose-gc'] });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
  const runs = Number(process.env.CHART_BENCH_RUNS ?? 9);
  const sizes = [166_000, 1_000_000];
  const dir = await buildChartPage();
  const server = await serve(dir);
  const browser = await launchChromium();
  const results = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(server.url);
    await page.waitForFunction(() => window.chartBench?.ready === true);
    for (const n of sizes) {
      await page.evaluate((count) => window.chartBench.prepare(count), n);
      const times = { vigil: [], uplot: [] };
      let pointsDrawn = 0;
      // One warm-up each, then alternate which library goes first.
      await page.evaluate((count) => window.chartBench.runVigil(count), n);
      await page.evaluate((count) => window.chartBench.runUplot(count), n);
      for (let r = 0; r < runs; r++) {
        const order = r % 2 === 0 ? ['vigil', 'uplot'] : ['uplot', 'vigil'];
        for (const lib of order) {
          await page.evaluate(() => globalThis.gc?.());
          const result = await page.evaluate(([which, count]) => (which === 'vigil' ? window.chartBench.runVigil(count) : window.chartBench.runUplot(count)), [lib, n]);
          times[lib].push(result.ms);
          if (lib === 'vigil') pointsDrawn = result.pointsDrawn;
        }
      }
      results.push({ points: n, vigilMs: median(times.vigil), uplotMs: median(times.uplot), vigilMinMs: Math.min(...times.vigil), uplotMinMs: Math.min(...times.uplot), pointsDrawn, runs });
    }
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    const version = browser.version();
    const table = results.map((r) => ({
      points: r.points.toLocaleString('en-US'),
      'Vigil ms (median)': r.vigilMs.toFixed(1),
      'uPlot ms (median)': r.uplotMs.toFixed(1),
      'Vigil / uPlot': (r.vigilMs / r.uplotMs).toFixed(2),
      'Vigil ms (min)': r.vigilMinMs.toFixed(1),
      'uPlot ms (min)': r.uplotMinMs.toFixed(1),
      'Vigil points drawn': r.pointsDrawn.toLocaleString('en-US'),
    }));
    console.warn(`\nTimeSeriesChart first render vs uPlot 1.6.32, Chromium ${version}, 1200×300 px, median of ${runs} runs\n`);
    console.table(table);
    await mkdir(join(repo, '.bench-results'), { recursive: true });
    await writeFile(join(repo, '.bench-results/chart-render.json'), JSON.stringify({ chromium: version, results }, null, 2));
  } finally {
    await browser.close();
    await server.close();
  }
}

if (process.env.CHART_BENCH_NO_MAIN !== '1') {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}

#!/usr/bin/env node
// Browser smoke test of the built demo (apps/demo/dist): serves it on 127.0.0.1, drives Debian Chromium with
// playwright-core and checks real behaviour. Fails (exit 1) on any console error, page error, unhandled rejection
// or failed request, and on any failed check. Screenshots go to apps/demo/.smoke/.
//
//   pnpm test:demo                      (builds first, then runs this)
//   node apps/demo/smoke.mjs            (on an existing build)
//   CHROMIUM_PATH=/path/to/chrome node apps/demo/smoke.mjs
//   DEMO_DIST=/tmp/demo-dist SMOKE_SHOTS=/tmp/shots node apps/demo/smoke.mjs
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { tabChecks } from './smoke/index.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// DEMO_DIST and SMOKE_SHOTS let several builds be checked side by side (vite build --outDir elsewhere).
const distDir = process.env.DEMO_DIST ?? join(here, 'dist');
const shotsDir = process.env.SMOKE_SHOTS ?? join(here, '.smoke');
const require = createRequire(import.meta.url);
const axePath = join(dirname(require.resolve('axe-core')), 'axe.min.js');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Hard ceiling for the whole run, so a hung browser never hangs CI. */
const OVERALL_TIMEOUT_MS = 300_000;
/** Fixed seed so failures reproduce; a short tick so the live check is quick. */
const APP_QUERY = '?seed=7&tick=500';
const SERVICES_MIN = 3;

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** A tiny static server for dist/ with SPA fallback to index.html, on a random free port. */
async function startServer() {
  const server = createServer(async (request, response) => {
    try {
      const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
      let file = normalize(join(distDir, pathname));
      if (file !== distDir && !file.startsWith(distDir + sep)) {
        response.writeHead(403).end('forbidden');
        return;
      }
      const info = await stat(file).catch(() => null);
      if (info?.isDirectory()) file = join(file, 'index.html');
      else if (info === null) {
        // Assets that do not exist are real 404s; anything else is a client-side route.
        if (extname(pathname) !== '') {
          response.writeHead(404).end('not found');
          return;
        }
        file = join(distDir, 'index.html');
      }
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      response.end(body);
    } catch (error) {
      response.writeHead(500).end(String(error));
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('static server has no port');
  return { server, origin: `http://127.0.0.1:${address.port}` };
}

/** Progress goes to stdout (the linter reserves console for warnings and errors). */
const log = (line) => process.stdout.write(`${line}\n`);

const results = [];
/** Problems the page reported (console errors, page errors, failed requests); each fails the run. */
const pageProblems = [];

async function check(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true, ms: Date.now() - started });
    log(`  ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false, ms: Date.now() - started, error });
    log(`  FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Records every console error, page error, unhandled rejection and failed request of a page. */
function watch(page, label) {
  page.on('console', (message) => {
    if (message.type() === 'error') pageProblems.push(`[${label}] console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => pageProblems.push(`[${label}] page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    pageProblems.push(`[${label}] request failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) pageProblems.push(`[${label}] HTTP ${response.status()}: ${response.url()}`);
  });
}

async function openPage(context, origin, query, label) {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  watch(page, label);
  // Unhandled rejections become console errors, whatever the browser does with them by default.
  await page.addInitScript(() => {
    window.addEventListener('unhandledrejection', (event) => {
      const reason = event.reason instanceof Error ? `${event.reason.name}: ${event.reason.message}` : String(event.reason);
      console.error(`unhandled rejection: ${reason}`);
    });
  });
  await page.goto(`${origin}/${query}`, { waitUntil: 'load' });
  await page.waitForSelector('[role="tablist"]', { timeout: 10_000 });
  return page;
}

/** Waits until every KPI card shows a number. */
async function waitForKpis(page) {
  await page.waitForFunction(
    () => {
      const cards = [...document.querySelectorAll('[data-kpi]')];
      return cards.length >= 5 && cards.every((card) => card.getAttribute('data-state') === 'ready');
    },
    undefined,
    { timeout: 15_000 },
  );
}

/** Waits until every chart reports painted data. */
async function waitForCharts(page) {
  await page.waitForFunction(
    () => {
      const charts = [...document.querySelectorAll('[data-chart]')];
      return charts.length >= 3 && charts.every((chart) => chart.getAttribute('data-state') === 'ready');
    },
    undefined,
    { timeout: 15_000 },
  );
}

/** Counts the non-transparent pixels each chart painted (canvas) or the drawn path length (svg fallback). */
async function chartInk(page) {
  return page.$$eval('[data-chart]', (charts) =>
    charts.map((chart) => {
      let painted = 0;
      for (const canvas of chart.querySelectorAll('canvas')) {
        if (canvas.width === 0 || canvas.height === 0) continue;
        const context = canvas.getContext('2d');
        if (context === null) continue;
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        for (let index = 3; index < data.length; index += 4) if (data[index] !== 0) painted += 1;
      }
      let pathLength = 0;
      for (const path of chart.querySelectorAll('svg path')) {
        const d = path.getAttribute('d') ?? '';
        if (d.length > 20) pathLength += d.length;
      }
      return { id: chart.getAttribute('data-chart'), canvases: chart.querySelectorAll('canvas').length, painted, pathLength };
    }),
  );
}

async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} — ${violation.nodes
        .slice(0, 3)
        .map((node) => node.target.join(' '))
        .join(' | ')}`);
  });
}

async function cssVar(page, name) {
  return page.evaluate((variable) => getComputedStyle(document.querySelector('.vigil-root') ?? document.documentElement).getPropertyValue(variable).trim(), name);
}

async function selectTheme(page, label) {
  await page.getByRole('radio', { name: label }).check();
  await page.waitForTimeout(50);
}

async function main() {
  if (!existsSync(join(distDir, 'index.html'))) throw new Error(`no build at ${distDir}; run \`pnpm --filter @vigil/demo build\` first`);
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}; install Debian's chromium or set CHROMIUM_PATH`);
  await mkdir(shotsDir, { recursive: true });

  const { server, origin } = await startServer();
  let browser;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme: 'light', reducedMotion: 'reduce' });
    const page = await openPage(context, origin, APP_QUERY, 'desktop');

    await check('shell renders header, seven tabs and the Overview panel', async () => {
      assert((await page.getByRole('banner').textContent())?.includes('Vigil'), 'header does not name the product');
      const tabs = await page.getByRole('tab').allTextContents();
      assert(tabs.length === 7, `expected 7 tabs, found ${tabs.length}: ${tabs.join(', ')}`);
      const selected = await page.getByRole('tab', { selected: true }).textContent();
      assert(selected?.includes('Overview'), `Overview is not the selected tab (found ${selected})`);
      assert(await page.getByRole('tabpanel').isVisible(), 'no visible tab panel');
    });

    await check('KPI cards show numbers', async () => {
      await waitForKpis(page);
      const cards = await page.$$eval('[data-kpi]', (elements) => elements.map((element) => ({ id: element.getAttribute('data-kpi'), value: element.querySelector('[data-testid="vigil-metric-value"]')?.textContent ?? '' })));
      assert(cards.length >= 5, `expected at least 5 KPI cards, found ${cards.length}`);
      for (const card of cards) {
        assert(/\d/.test(card.value), `KPI ${card.id} shows no number: "${card.value}"`);
        assert(!card.value.includes('—'), `KPI ${card.id} shows a placeholder: "${card.value}"`);
        assert(!/NaN|Infinity|undefined/.test(card.value), `KPI ${card.id} shows "${card.value}"`);
      }
    });

    await check('charts painted their data', async () => {
      await waitForCharts(page);
      await page.waitForTimeout(200);
      const ink = await chartInk(page);
      assert(ink.length >= 3, `expected 3 charts, found ${ink.length}`);
      for (const chart of ink) {
        assert(chart.painted > 500 || chart.pathLength > 200, `chart ${chart.id} painted nothing (${chart.canvases} canvases, ${chart.painted} pixels, path ${chart.pathLength})`);
      }
    });

    let services = [];
    await check('health status lists the services', async () => {
      const health = page.locator('[data-region="health"]');
      await health.waitFor({ timeout: 10_000 });
      services = await page.$$eval('#demo-service-filter option', (options) => options.map((option) => option.value).filter((value) => value !== ''));
      assert(services.length >= SERVICES_MIN, `service filter lists ${services.length} services`);
      const text = (await health.textContent()) ?? '';
      const missing = services.filter((service) => !text.includes(service));
      assert(missing.length === 0, `health status does not list ${missing.join(', ')}`);
    });

    // Live: remember where the data ends now; after the other checks (which take longer than one 15 s step), it must
    // have moved on. New samples only exist once per step, so the windows move in whole steps.
    const dataEndAtStart = Number(await page.getAttribute('[data-region="overview"]', 'data-data-end'));
    const liveStartedAt = Date.now();

    await check('crosshair syncs across the three charts; brushing zooms and Reset zoom undoes it', async () => {
      const box = await page.locator('[data-chart="requests"] canvas').first().boundingBox();
      assert(box !== null, 'request chart has no canvas');
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
      await page.waitForFunction(() => document.querySelectorAll('[data-chart] .vigil-chart-crosshair').length === 3, undefined, { timeout: 3_000 });
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 8 });
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 4 });
      await page.mouse.up();
      const reset = page.getByRole('button', { name: /Reset zoom/ });
      await reset.waitFor({ timeout: 3_000 });
      await reset.click();
      await reset.waitFor({ state: 'detached', timeout: 3_000 });
      await page.mouse.move(0, 0);
    });

    const legendCount = () => page.locator('[data-chart="requests"] ul[aria-label$="series"] button').count();
    await check('service filter narrows the charts', async () => {
      const target = services[1] ?? services[0];
      assert(target !== undefined, 'no service to filter on');
      const countsBefore = await page.$$eval('[data-chart="requests"],[data-chart="errors"]', (charts) => charts.map((chart) => Number(chart.getAttribute('data-series-count'))));
      assert(countsBefore.every((count) => count >= SERVICES_MIN), `charts show ${countsBefore.join('/')} series before filtering`);
      const legendBefore = await legendCount();
      assert(legendBefore === services.length, `request chart legend has ${legendBefore} entries for ${services.length} services`);
      await page.selectOption('#demo-service-filter', target);
      await page.waitForFunction(
        () => [...document.querySelectorAll('[data-chart="requests"],[data-chart="errors"]')].every((chart) => chart.getAttribute('data-series-count') === '1' && chart.getAttribute('data-state') === 'ready'),
        undefined,
        { timeout: 10_000 },
      );
      const legends = await page.$$eval('[data-chart="requests"]', (charts) => charts.map((chart) => chart.getAttribute('data-series-names') ?? ''));
      assert(legends.every((names) => names === target), `request chart shows "${legends.join()}" instead of "${target}"`);
      const legendAfter = await legendCount();
      assert(legendAfter === 1, `request chart legend has ${legendAfter} entries after filtering on ${target}`);
      const subtitle = (await page.locator('.ov-subtitle').textContent()) ?? '';
      assert(subtitle.includes(target), `subtitle does not name the service: "${subtitle}"`);
      const ink = await chartInk(page);
      assert(ink.every((chart) => chart.painted > 200 || chart.pathLength > 100), 'a chart went blank after filtering');
      await page.selectOption('#demo-service-filter', '');
      await waitForCharts(page);
    });

    await check('tabs switch with the keyboard (arrows, Home, End)', async () => {
      await page.getByRole('tab', { name: 'Overview' }).focus();
      await page.keyboard.press('ArrowRight');
      let selected = await page.getByRole('tab', { selected: true }).textContent();
      assert(selected?.includes('SLOs'), `ArrowRight selected "${selected}"`);
      assert(await page.evaluate(() => document.activeElement?.getAttribute('role') === 'tab' && document.activeElement.textContent?.includes('SLOs')), 'focus did not follow the selection');
      assert(((await page.getByRole('tabpanel').textContent()) ?? '').includes('objective'), 'SLOs panel does not describe what lives there');
      await page.keyboard.press('End');
      selected = await page.getByRole('tab', { selected: true }).textContent();
      assert(selected?.includes('Finance'), `End selected "${selected}"`);
      await page.keyboard.press('ArrowRight');
      selected = await page.getByRole('tab', { selected: true }).textContent();
      assert(selected?.includes('Overview'), `ArrowRight from the last tab selected "${selected}" instead of wrapping`);
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('Home');
      selected = await page.getByRole('tab', { selected: true }).textContent();
      assert(selected?.includes('Overview'), `Home selected "${selected}"`);
      await waitForKpis(page);
      await waitForCharts(page);
    });

    await check('SLO tab: SLOs with budget meters, the burning checkout SLO flagged, no axe violations', async () => {
      await page.getByRole('tab', { name: 'SLOs' }).click();
      await page.waitForSelector('[role="tabpanel"] [role="meter"]', { timeout: 30_000 });
      const text = (await page.getByRole('tabpanel').textContent()) ?? '';
      assert(/checkout/i.test(text), 'the SLO tab does not list the checkout SLO');
      assert(/at risk|breached/i.test(text), 'no SLO is shown as at risk or breached, although checkout has a scripted outage');
      const meters = await page.$$eval('[role="tabpanel"] [role="meter"]', (elements) => elements.map((element) => element.getAttribute('aria-valuenow')));
      assert(meters.length > 0 && meters.every((value) => value !== null && Number.isFinite(Number(value))), `budget meters have no numeric value: ${JSON.stringify(meters)}`);
      const violations = await runAxe(page);
      assert(violations.length === 0, `\n      ${violations.join('\n      ')}`);
      await page.screenshot({ path: join(shotsDir, 'slos-light.png'), fullPage: true });
      await page.getByRole('tab', { name: 'Overview' }).click();
      await waitForKpis(page);
      await waitForCharts(page);
    });

    for (const tabCheck of tabChecks) {
      await tabCheck({ page, check, assert, runAxe, shotsDir, join, waitForKpis, waitForCharts, openPage, context, origin, query: APP_QUERY });
    }

    const themes = [
      { id: 'light', label: 'Light theme' },
      { id: 'dark', label: 'Dark theme' },
      { id: 'high-contrast', label: 'High contrast theme' },
    ];
    await check('theme switcher changes --vigil-bg and persists', async () => {
      const backgrounds = new Map();
      for (const theme of themes) {
        await selectTheme(page, theme.label);
        const attribute = await page.getAttribute('.vigil-root', 'data-vigil-theme');
        assert(attribute === theme.id, `data-vigil-theme is ${attribute} after choosing ${theme.id}`);
        backgrounds.set(theme.id, await cssVar(page, '--vigil-bg'));
      }
      const values = [...backgrounds.values()];
      assert(values.every((value) => value !== ''), `--vigil-bg is empty in some theme: ${JSON.stringify(Object.fromEntries(backgrounds))}`);
      assert(new Set(values).size === 3, `--vigil-bg does not differ between themes: ${JSON.stringify(Object.fromEntries(backgrounds))}`);
      assert((await page.evaluate(() => localStorage.getItem('vigil-demo-theme'))) === 'high-contrast', 'theme choice is not stored');
      await page.reload({ waitUntil: 'load' });
      await page.waitForSelector('[role="tablist"]');
      assert((await page.getAttribute('.vigil-root', 'data-vigil-theme')) === 'high-contrast', 'stored theme is not applied after a reload');
      await waitForKpis(page);
      await waitForCharts(page);
    });

    for (const theme of themes) {
      await check(`axe: no serious or critical violations on Overview (${theme.id})`, async () => {
        await selectTheme(page, theme.label);
        await waitForKpis(page);
        await waitForCharts(page);
        const violations = await runAxe(page);
        assert(violations.length === 0, `\n      ${violations.join('\n      ')}`);
        await page.screenshot({ path: join(shotsDir, `overview-${theme.id}.png`), fullPage: true });
      });
    }
    await selectTheme(page, 'Light theme');

    await check('time range picker re-queries (6 h)', async () => {
      const firstTimestamp = () => page.$eval('[data-region="overview"]', (element) => element.getAttribute('data-data-end'));
      await page.getByRole('radio', { name: 'Last 6 hours' }).check();
      await page.waitForFunction(() => document.querySelector('.ov-subtitle')?.textContent?.includes('Last 6 hours'), undefined, { timeout: 5_000 });
      await waitForKpis(page);
      await waitForCharts(page);
      assert((await firstTimestamp()) !== '', 'no data after switching to 6 h');
      const delta = (await page.locator('[data-kpi="requests"] .vigil-delta').textContent()) ?? '';
      assert(delta.includes('previous 6 hours'), `request-rate delta does not compare with the previous 6 hours: "${delta}"`);
      await page.getByRole('radio', { name: 'Last 1 hour' }).check();
      await waitForKpis(page);
    });

    await check('live tick brings new data', async () => {
      assert(Number.isFinite(dataEndAtStart) && dataEndAtStart > 0, `overview reported no data end (${dataEndAtStart})`);
      const waitMs = Math.max(1_000, 20_000 - (Date.now() - liveStartedAt));
      await page.waitForFunction(
        (previous) => Number(document.querySelector('[data-region="overview"]')?.getAttribute('data-data-end')) > previous,
        dataEndAtStart,
        { timeout: waitMs },
      );
      await waitForCharts(page);
    });

    await check('a failing data source shows errors in place, the rest still works (?fail=latency)', async () => {
      const broken = await openPage(context, origin, `${APP_QUERY}&fail=latency`, 'fail=latency');
      try {
        await broken.waitForFunction(
          () => ['p95', 'p99'].every((id) => document.querySelector(`[data-kpi="${id}"]`)?.getAttribute('data-state') === 'error') && document.querySelector('[data-chart="latency"]')?.getAttribute('data-state') === 'error',
          undefined,
          { timeout: 10_000 },
        );
        const alerts = await broken.locator('[data-kpi="p99"] [role="alert"], [data-chart="latency"] [role="alert"]').allTextContents();
        assert(alerts.length === 2 && alerts.every((text) => /did not answer|unreachable/i.test(text)), `error states do not explain the failure: ${JSON.stringify(alerts)}`);
        await broken.waitForFunction(() => document.querySelector('[data-kpi="requests"]')?.getAttribute('data-state') === 'ready' && document.querySelector('[data-chart="requests"]')?.getAttribute('data-state') === 'ready', undefined, { timeout: 10_000 });
        assert((await broken.getByRole('tab').count()) === 7, 'the shell is gone');
      } finally {
        await broken.close();
      }
    });

    await check('mobile width (375 px) has no horizontal overflow', async () => {
      const mobile = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, colorScheme: 'light', reducedMotion: 'reduce', isMobile: true, hasTouch: true });
      try {
        const phone = await openPage(mobile, origin, APP_QUERY, 'mobile');
        await waitForKpis(phone);
        await waitForCharts(phone);
        const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert(overflow <= 0, `page is ${overflow}px wider than the viewport`);
        await phone.screenshot({ path: join(shotsDir, 'overview-mobile.png'), fullPage: true });
      } finally {
        await mobile.close();
      }
    });

    await context.close();
  } finally {
    await browser?.close().catch(() => {});
    await new Promise((resolve) => server.close(resolve));
    server.closeAllConnections?.();
  }
}

const watchdog = setTimeout(() => {
  const done = results.map((result) => `${result.ok ? '✓' : '✗'} ${result.name}`).join('; ');
  console.error(`demo smoke: timed out after ${OVERALL_TIMEOUT_MS / 1000} s (finished: ${done || 'nothing'}); ${pageProblems.join(' | ')}`);
  process.exit(1);
}, OVERALL_TIMEOUT_MS);
watchdog.unref();

const started = Date.now();
try {
  log('demo smoke: checking apps/demo/dist in Chromium');
  await main();
} catch (error) {
  results.push({ name: 'harness', ok: false, error });
  log(`  FAIL harness: ${error instanceof Error ? error.stack : String(error)}`);
}

if (pageProblems.length > 0) {
  results.push({ name: 'no console errors, page errors or failed requests', ok: false });
  log(`  FAIL no console errors, page errors or failed requests:\n    ${pageProblems.join('\n    ')}`);
} else {
  results.push({ name: 'no console errors, page errors or failed requests', ok: true });
  log('  ok   no console errors, page errors or failed requests');
}

const passed = results.filter((result) => result.ok);
const failed = results.filter((result) => !result.ok);
log(`screenshots: ${shotsDir}`);
log(
  `demo smoke: ${passed.length} passed, ${failed.length} failed in ${((Date.now() - started) / 1000).toFixed(1)} s (${results.map((result) => `${result.ok ? '✓' : '✗'} ${result.name}`).join('; ')})`,
);
process.exitCode = failed.length === 0 ? 0 : 1;

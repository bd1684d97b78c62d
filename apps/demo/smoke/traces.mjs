// Smoke checks for the demo's traces tab(s), run by ../smoke.mjs after the SLO check.
// Receives { page, check, assert, runAxe, shotsDir, join, waitForKpis, waitForCharts, openPage, context, origin, query }.
// Leave the page on the Overview tab when done.

/** Waits until the results list has settled (not busy) and every rendered row passes `rowTest`. */
async function waitForRows(page, onlyErrors) {
  await page.waitForFunction(
    (errors) => {
      const list = document.querySelector('.trx-results');
      const rows = [...document.querySelectorAll('.trx-row')];
      return list !== null && list.getAttribute('aria-busy') === 'false' && rows.length > 0 && (!errors || rows.every((row) => row.getAttribute('data-error') === 'true'));
    },
    onlyErrors,
    { timeout: 30_000 },
  );
}

/** Waits until the detail pane shows the trace `id`, parsed, with waterfall rows. */
async function waitForTrace(page, id) {
  await page.waitForSelector(`.trx-detail__body[data-trace-id="${id}"][data-status="success"] [data-testid="vigil-trace-grid"] [role="row"]`, { timeout: 20_000 });
}

export default async function tracesChecks({ page, check, assert, runAxe, shotsDir, join, waitForKpis, waitForCharts, openPage, context, origin, query }) {
  let openedId;
  await check('Traces tab: search (errors only), open a trace, waterfall rows with the critical path, flame graph and service map, no axe violations', async () => {
    try {
      await page.getByRole('tab', { name: 'Traces' }).click();
      await waitForRows(page, false);
      const found = Number(await page.getAttribute('.trx-results', 'data-row-count'));
      assert(found > 0, `the default search found ${found} traces`);
      const form = page.locator('form[aria-label="Search traces"]');
      await form.getByLabel('Errors only').check();
      await waitForRows(page, true);
      const row = page.locator('.trx-row').nth(0);
      openedId = (await row.getAttribute('data-trace-id')) ?? undefined;
      assert(openedId !== undefined && /^[0-9a-f]{32}$/.test(openedId), `result row has no trace id (${openedId})`);
      await row.click();
      await waitForTrace(page, openedId);
      const grid = page.locator(`.trx-detail__body[data-trace-id="${openedId}"] [data-testid="vigil-trace-grid"]`);
      const rows = await grid.locator('[role="row"]').count();
      const critical = await grid.locator('[role="row"][data-critical="true"]').count();
      const errors = await grid.locator('[role="row"][data-error="true"]').count();
      assert(rows >= 2, `the waterfall shows ${rows} rows`);
      assert(critical >= 1, 'no waterfall row is marked on the critical path');
      assert(errors >= 1, 'an errors-only trace shows no error row in the waterfall');
      assert(page.url().includes(`trace=${openedId}`), `the URL does not link to the opened trace: ${page.url()}`);
      // keyboard: ArrowDown in the results moves the selection, and the detail follows
      await page.locator('.trx-results').focus();
      await page.keyboard.press('ArrowDown');
      const next = await page.getAttribute('.trx-row[aria-selected="true"]', 'data-trace-id');
      assert(next !== null && next !== openedId, 'ArrowDown in the results did not select the next trace');
      await waitForTrace(page, next);
      await page.keyboard.press('ArrowUp');
      await waitForTrace(page, openedId);
      const violations = await runAxe(page);
      assert(violations.length === 0, `\n      ${violations.join('\n      ')}`);
      await page.screenshot({ path: join(shotsDir, 'traces-light.png'), fullPage: true });
      // the other views of the same trace
      const detail = page.locator(`.trx-detail__body[data-trace-id="${openedId}"]`);
      await detail.getByRole('radio', { name: 'Flame graph' }).check();
      await detail.locator('[data-testid="vigil-flamegraph"] canvas').waitFor({ timeout: 10_000 });
      await detail.getByRole('radio', { name: 'Service map' }).check();
      await detail.locator('[data-service]').first().waitFor({ timeout: 10_000 });
      const services = await detail.locator('[data-service]').count();
      assert(services >= 1, `the service map shows ${services} services`);
      const mapViolations = await runAxe(page);
      assert(mapViolations.length === 0, `service map:\n      ${mapViolations.join('\n      ')}`);
      await page.screenshot({ path: join(shotsDir, 'traces-service-map.png'), fullPage: true });
      await detail.getByRole('radio', { name: 'Waterfall' }).check();
    } finally {
      await page.getByRole('tab', { name: 'Overview' }).click();
      await waitForKpis(page);
      await waitForCharts(page);
    }
  });

  await check('Traces tab: a ?trace= deep link opens that trace (dark theme, no axe violations)', async () => {
    assert(openedId !== undefined, 'no trace was opened by the previous check');
    const deep = await openPage(context, origin, `${query}&theme=dark&trace=${openedId}#/traces`, 'traces-deep-link');
    try {
      await waitForTrace(deep, openedId);
      const title = (await deep.locator('.trx-detail__body').textContent()) ?? '';
      assert(title.includes(openedId), 'the deep-linked trace id is not shown in the summary');
      await waitForRows(deep, false);
      const violations = await runAxe(deep);
      assert(violations.length === 0, `\n      ${violations.join('\n      ')}`);
      await deep.screenshot({ path: join(shotsDir, 'traces-dark.png'), fullPage: true });
    } finally {
      await deep.close();
    }
  });

  await check('Traces tab: works without Web Workers (the main-thread fallback)', async () => {
    const plain = await context.newPage();
    const problems = [];
    plain.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    plain.on('pageerror', (error) => problems.push(error.message));
    try {
      await plain.addInitScript(() => {
        delete window.Worker;
      });
      await plain.goto(`${origin}/${query}#/traces`, { waitUntil: 'load' });
      await waitForRows(plain, false);
      const first = await plain.getAttribute('.trx-row[aria-selected="true"]', 'data-trace-id');
      assert(first !== null, 'no trace is selected by default');
      await waitForTrace(plain, first);
      assert(problems.length === 0, `page problems without workers: ${problems.join(' | ')}`);
    } finally {
      await plain.close();
    }
  });

  await check('Traces tab: a link to an unknown trace says NOT_FOUND once, in place', async () => {
    const unknown = '0'.repeat(32);
    const missing = await openPage(context, origin, `${query}&trace=${unknown}#/traces`, 'traces-not-found');
    try {
      await missing.waitForSelector(`.trx-detail__body[data-trace-id="${unknown}"][data-status="error"]`, { timeout: 20_000 });
      const text = (await missing.locator('.trx-detail__body').textContent()) ?? '';
      assert(/not found/i.test(text) && text.includes('NOT_FOUND'), `unexpected detail text: ${text}`);
      assert(text.split('NOT_FOUND').length === 2, 'the NOT_FOUND error is shown more than once');
    } finally {
      await missing.close();
    }
  });

  await check('Traces tab: a failing trace backend shows an error with Retry, not a crash', async () => {
    const failing = await openPage(context, origin, `${query}&fail=traces#/traces`, 'traces-failing');
    try {
      const alert = failing.locator('.trx-list [role="alert"]');
      await alert.waitFor({ timeout: 20_000 });
      const text = (await alert.textContent()) ?? '';
      assert(/search failed/i.test(text) && /did not answer/i.test(text), `unexpected error text: ${text}`);
      assert((await alert.getByRole('button', { name: 'Retry' }).count()) === 1, 'the error has no Retry button');
    } finally {
      await failing.close();
    }
  });
}

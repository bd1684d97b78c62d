// Smoke checks for the demo's cost tabs (Models and Finance), run by ../smoke.mjs after the SLO check.
// Receives { page, check, assert, runAxe, shotsDir, join, waitForKpis, waitForCharts, openPage, context, origin, query }.
// Leave the page on the Overview tab when done.

/** Waits until a cost tab has its computed view (the worker answered) and nothing is loading. */
async function waitForCostTab(page, testId) {
  await page.waitForSelector(`[data-testid="${testId}"] [data-cost-kpi]`, { timeout: 90_000 });
  await page.waitForFunction((id) => document.querySelector(`[data-testid="${id}"] [role="status"]`) === null, testId, { timeout: 90_000 });
}

/** Text of the panel, checked for numbers that must never show: NaN, Infinity, undefined, or $0 for the unpriced model. */
async function badNumbers(page, testId) {
  return page.evaluate((id) => {
    const root = document.querySelector(`[data-testid="${id}"]`);
    const text = root?.textContent ?? '';
    const problems = [];
    for (const bad of ['NaN', 'Infinity', 'undefined']) if (text.includes(bad)) problems.push(`"${bad}" in the text`);
    for (const row of root?.querySelectorAll('[role="row"][data-model="acme-support-ft-2"]') ?? []) {
      if (/\$0\.00/.test(row.textContent ?? '')) problems.push(`the unpriced model shows $0.00: ${row.textContent}`);
      if (!(row.textContent ?? '').includes('Unpriced')) problems.push('the unpriced model row does not say Unpriced');
    }
    return problems;
  }, testId);
}

async function setTheme(page, label) {
  await page.getByRole('radio', { name: label }).check();
  await page.waitForTimeout(150);
}

export default async function costChecks({ page, check, assert, runAxe, shotsDir, join, waitForKpis }) {
  await check('Models tab: matrix and scatter with numbers, the classify switch recommended, the summarise switch refused with its reason, CSV export, no axe violations', async () => {
    try {
      await page.getByRole('tab', { name: 'Models' }).click();
      await waitForCostTab(page, 'models-tab');
      const panel = page.locator('[data-testid="models-tab"]');
      const problems = await badNumbers(page, 'models-tab');
      assert(problems.length === 0, problems.join('; '));
      const spend = await panel.locator('[data-cost-kpi="spend"] .cost-kpi__value').textContent();
      assert(/^\$\d/.test(spend ?? '') && spend !== '$0.00', `the spend KPI shows ${spend}`);
      const matrixRows = await panel.locator('section.vigil-cost-matrix').first().locator('[role="row"]').count();
      assert(matrixRows >= 6, `the model matrix shows ${matrixRows - 1} rows`);
      const unpriced = await panel.locator('[role="row"][data-model="acme-support-ft-2"]').first().textContent();
      assert(unpriced?.includes('Unpriced'), `the in-house model is not marked Unpriced: ${unpriced}`);
      const pareto = await panel.locator('.vigil-cost-scatter [data-pareto="true"]').count();
      assert(pareto >= 1, 'the scatter marks no Pareto point');

      const recommended = await panel.locator('[data-testid="recommended-switches"] article').allTextContents();
      assert(recommended.some((t) => t.includes('gpt-4.1-mini instead of gpt-4.1 for classify')), `the classify switch is not recommended: ${recommended.join(' | ').slice(0, 300)}`);
      assert(!recommended.some((t) => /for summarise/.test(t)), 'the summarise switch is recommended although its quality is worse');
      const refused = await panel.locator('[data-testid="refused-switches"] tr[data-feature="summarise"]').allTextContents();
      assert(refused.some((t) => t.includes('gpt-4.1-mini') && /quality may be worse/.test(t)), `the summarise refusal is not explained: ${refused.join(' | ')}`);

      const downloadPromise = page.waitForEvent('download', { timeout: 10_000 });
      await panel.locator('section.vigil-cost-matrix').first().getByRole('button', { name: 'Export CSV' }).click();
      const download = await downloadPromise;
      const path = await download.path();
      const { readFile } = await import('node:fs/promises');
      const csv = await readFile(path, 'utf8');
      const lines = csv.trim().split(/\r?\n/);
      assert(download.suggestedFilename() === 'vigil-models.csv', `CSV file name ${download.suggestedFilename()}`);
      assert(lines[0]?.startsWith('provider,model,requests,spend'), `CSV header: ${lines[0]}`);
      assert(lines.length === matrixRows, `CSV has ${lines.length - 1} rows, the matrix ${matrixRows - 1}`);
      assert(lines.some((l) => l.includes('acme-support-ft-2') && l.includes('unpriced')), 'the CSV does not mark the unpriced model');

      const violations = await runAxe(page);
      assert(violations.length === 0, `\n      ${violations.join('\n      ')}`);
      await page.screenshot({ path: join(shotsDir, 'models-light.png'), fullPage: true });
    } finally {
      await page.getByRole('tab', { name: 'Overview' }).click();
      await waitForKpis(page);
    }
  });

  await check('Finance tab: spend, attribution, budget forecast, change decomposition and opportunity cards, no NaN or $0 for unpriced, no axe violations', async () => {
    try {
      await page.getByRole('tab', { name: 'Finance' }).click();
      await waitForCostTab(page, 'finance-tab');
      const panel = page.locator('[data-testid="finance-tab"]');
      const problems = await badNumbers(page, 'finance-tab');
      assert(problems.length === 0, problems.join('; '));
      const spend = await panel.locator('[data-cost-kpi="spend"]').textContent();
      assert(/\$\d/.test(spend ?? '') && !/\$0\.00(?!\d)/.test(spend ?? ''), `the spend KPI shows ${spend}`);
      assert(/acme-support-ft-2.*not priced/.test(spend ?? ''), `the spend KPI does not name the unpriced model: ${spend}`);
      const meter = await panel.locator('.vigil-spend-gauge [role="meter"]').getAttribute('aria-valuetext');
      assert(/spent of a \$180\.00 budget/.test(meter ?? '') && /chance of exceeding/.test(meter ?? ''), `budget meter says ${meter}`);
      const nodes = await panel.locator('.vigil-cost-tree [role="listitem"]').count();
      assert(nodes >= 2, `the attribution tree shows ${nodes} providers`);
      // keyboard: open the first provider and come back
      await panel.locator('.vigil-cost-tree [role="listitem"][tabindex="0"]').focus();
      await page.keyboard.press('Enter');
      const path = await panel.locator('nav[aria-label="Attribution path"]').textContent();
      assert((path ?? '').includes('›'), `Enter did not open a provider (path: ${path})`);
      await page.keyboard.press('Escape');
      let kinds = await panel.locator('[data-testid="opportunities"] article').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-kind')));
      for (const kind of ['prompt-caching', 'failed-calls']) assert(kinds.includes(kind), `no ${kind} opportunity card (found ${kinds.join(', ')})`);
      // A day holds the evaluation job's bursts: the batch advisor finds them.
      const before = await panel.locator('.cost-head p').textContent();
      await page.getByRole('radio', { name: 'Last 24 hours' }).check();
      await page.waitForFunction((text) => document.querySelector('[data-testid="finance-tab"] .cost-head p')?.textContent !== text, before, { timeout: 90_000 });
      await waitForCostTab(page, 'finance-tab');
      const dayProblems = await badNumbers(page, 'finance-tab');
      assert(dayProblems.length === 0, dayProblems.join('; '));
      kinds = await panel.locator('[data-testid="opportunities"] article').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-kind')));
      for (const kind of ['prompt-caching', 'batch', 'failed-calls', 'model-switch']) assert(kinds.includes(kind), `24h: no ${kind} opportunity card (found ${kinds.join(', ')})`);
      const effects = await panel.locator('[data-testid="spend-change"] tr[data-effect]').count();
      assert(effects === 4, `the spend change shows ${effects} effects`);
      const spikes = await panel.locator('[data-testid="spend-spikes"]').textContent();
      assert(/spike/.test(spikes ?? ''), `no spend spike line: ${spikes}`);
      const canvases = await panel.locator('figure.vigil-chart canvas').count();
      assert(canvases >= 1, 'the spend chart drew no canvas');

      const violations = await runAxe(page);
      assert(violations.length === 0, `\n      ${violations.join('\n      ')}`);
      await page.screenshot({ path: join(shotsDir, 'finance-light.png'), fullPage: true });
      for (const [label, id] of [['Dark theme', 'dark'], ['High contrast theme', 'high-contrast']]) {
        await setTheme(page, label);
        // Axe in high contrast (the demanding theme); dark is covered by the components' browser tests and looked at in its screenshot.
        const themed = id === 'high-contrast' ? await runAxe(page) : [];
        assert(themed.length === 0, `${id}: \n      ${themed.join('\n      ')}`);
        await page.screenshot({ path: join(shotsDir, `finance-${id}.png`), fullPage: true });
      }
    } finally {
      await setTheme(page, 'Light theme');
      await page.getByRole('radio', { name: 'Last 1 hour' }).check();
      await page.getByRole('tab', { name: 'Overview' }).click();
      await waitForKpis(page);
    }
  });
}

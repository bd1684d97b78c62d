// Smoke checks for the demo's alerts tab(s), run by ../smoke.mjs after the SLO check.
// Receives { page, check, assert, runAxe, shotsDir, join, waitForKpis, waitForCharts, openPage, context, origin, query }.
// Leave the page on the Overview tab when done.

/** Waits until the Alerts tab has fetched and evaluated every rule. */
async function waitForAlerts(page) {
  await page.waitForSelector('[data-region="alerts"][data-alert-status="ready"]', { timeout: 30_000 });
  await page.waitForFunction(() => document.querySelector('.vigil-alerts-panel')?.hasAttribute('data-alert-count'), undefined, { timeout: 10_000 });
}

export default async function alertsChecks({ page, check, assert, runAxe, shotsDir, join, waitForKpis, waitForCharts }) {
  await check('Alerts tab: the scripted checkout 5xx burst fires HighErrorRate (critical), evaluated by the engine', async () => {
    await page.getByRole('tab', { name: 'Alerts' }).click();
    await waitForAlerts(page);
    const panel = page.locator('.vigil-alerts-panel');
    const count = Number(await panel.getAttribute('data-alert-count'));
    assert(count > 0, `no firing alert, although checkout has a scripted 5xx burst (${count})`);
    const critical = page.locator('.vigil-alerts-panel [data-severity-group="critical"] [data-fingerprint]');
    assert((await critical.count()) > 0, 'no critical alert group');
    const text = (await critical.first().textContent()) ?? '';
    assert(text.includes('HighErrorRate') && text.includes('service=checkout'), `the critical alert is not the checkout error-rate alert: "${text.slice(0, 200)}"`);
    assert(/5xx ratio of checkout is \d/.test(text), `the summary annotation was not templated: "${text.slice(0, 200)}"`);
    const lanes = await page.$$eval('.vigil-alert-history svg[role="img"]', (svgs) => svgs.map((svg) => svg.getAttribute('aria-label') ?? ''));
    assert(lanes.some((label) => /^HighErrorRate: fired \d+ times?, .*firing at the end of the range$/.test(label)), `the history does not show HighErrorRate firing: ${JSON.stringify(lanes)}`);
  });

  await check('Alerts tab: the rule builder backtests the rule and marks where it would have fired', async () => {
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="vigil-rule-preview"]')?.getAttribute('data-backtest-count')) > 0, undefined, { timeout: 20_000 });
    const markers = await page.locator('[data-testid="vigil-rule-preview"] button[aria-label^="Alert: HighErrorRate would fire"]').count();
    assert(markers > 0, 'no backtest marker on the preview chart');
    const summary = (await page.getByTestId('vigil-backtest-summary').textContent()) ?? '';
    assert(/^Would have fired \d+ times? over/.test(summary), `backtest summary says "${summary}"`);
    const painted = await page.$eval('[data-testid="vigil-rule-preview"]', (preview) => {
      let ink = 0;
      for (const canvas of preview.querySelectorAll('canvas')) {
        if (canvas.width === 0 || canvas.height === 0) continue;
        const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
        for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) ink++;
      }
      return ink;
    });
    assert(painted > 200, `the preview chart painted nothing (${painted} pixels)`);
    // An edit that breaks the rule shows the engine's message under the field and stops the backtest.
    const pending = page.locator('[data-testid="alerts-builder"] [data-field="forMs"] input');
    await pending.fill('-1m');
    assert((await pending.getAttribute('aria-invalid')) === 'true', 'an invalid duration is not flagged');
    await pending.fill('2m');
    await page.waitForFunction(() => document.querySelector('[data-testid="vigil-rule-problems"]')?.textContent === 'The rule is valid.', undefined, { timeout: 5_000 });
  });

  await check('Alerts tab: a silence from an alert mutes it, expiring it brings it back', async () => {
    const before = Number(await page.locator('.vigil-alerts-panel').getAttribute('data-alert-count'));
    await page.locator('.vigil-alerts-panel [data-severity-group="critical"] button[aria-label^="Silence "]').first().click();
    const editor = page.locator('.vigil-silence-editor');
    await editor.waitFor({ timeout: 5_000 });
    const preview = (await editor.getByTestId('vigil-silence-preview').textContent()) ?? '';
    assert(/Affected alerts: [1-9]/.test(preview), `the silence preview matches nothing: "${preview.slice(0, 120)}"`);
    await editor.getByLabel('Comment').fill('Smoke test: muting the scripted burst');
    await editor.getByRole('button', { name: 'Create silence' }).click();
    await page.waitForFunction((n) => Number(document.querySelector('.vigil-alerts-panel')?.getAttribute('data-alert-count')) < n, before, { timeout: 15_000 });
    assert((await page.getByTestId('alerts-silences').count()) === 1, 'the silence is not listed');
    await page.getByRole('button', { name: 'Expire' }).click();
    await page.waitForFunction((n) => Number(document.querySelector('.vigil-alerts-panel')?.getAttribute('data-alert-count')) === n, before, { timeout: 15_000 });
  });

  const themes = [
    { id: 'light', label: 'Light theme' },
    { id: 'dark', label: 'Dark theme' },
    { id: 'high-contrast', label: 'High contrast theme' },
  ];
  for (const theme of themes) {
    await check(`axe: no serious or critical violations on Alerts (${theme.id})`, async () => {
      await page.getByRole('radio', { name: theme.label }).check();
      await page.waitForTimeout(100);
      const violations = await runAxe(page);
      assert(violations.length === 0, `\n      ${violations.join('\n      ')}`);
      await page.screenshot({ path: join(shotsDir, `alerts-${theme.id}.png`), fullPage: true });
    });
  }
  await page.getByRole('radio', { name: 'Light theme' }).check();
  await page.getByRole('tab', { name: 'Overview' }).click();
  await waitForKpis(page);
  await waitForCharts(page);
}

// Smoke checks for the demo's anomalies tab(s), run by ../smoke.mjs after the SLO check.
// Receives { page, check, assert, runAxe, shotsDir, join, waitForKpis, waitForCharts, openPage, context, origin, query }.
// Leave the page on the Overview tab when done.
export default async function anomaliesChecks({ page, check, assert, runAxe, shotsDir, join, waitForCharts }) {
  await check('Overview marks anomalies on the live charts (alert markers with expected values)', async () => {
    await waitForCharts(page);
    const counts = await page.$$eval('[data-chart="errors"],[data-chart="latency"]', (charts) => charts.map((chart) => chart.getAttribute('data-anomalies')));
    assert(counts.length === 2 && counts.every((count) => count !== null && Number.isInteger(Number(count))), `the error and latency charts do not report anomaly markers: ${JSON.stringify(counts)}`);
    const labels = await page.$$eval('[data-chart="errors"] button[aria-label^="Alert:"],[data-chart="latency"] button[aria-label^="Alert:"]', (buttons) => buttons.map((button) => button.getAttribute('aria-label') ?? ''));
    const total = counts.reduce((sum, count) => sum + Number(count), 0);
    assert(labels.length <= total, `${labels.length} anomaly markers shown for ${total} reported`);
    for (const label of labels) assert(/anomaly: .+, expected .+ \(band .+likelihood \d\.\d\d\)/.test(label), `anomaly marker label does not explain itself: "${label}"`);
  });

  await check('Anomalies tab: ranked changes, flags on the chart, an explanation, a forecast and a capacity card; axe clean', async () => {
    await page.getByRole('tab', { name: 'Anomalies' }).click();
    // Ready, or re-scanning after the live window moved on (the previous results stay on screen meanwhile).
    const settled = await page.waitForFunction(
      () => {
        const region = document.querySelector('[data-region="anomalies"]');
        const state = region?.getAttribute('data-state') ?? '';
        if (state === 'ready' || state === 'error') return state;
        return state === 'scanning' && region?.querySelector('[data-finding]') !== null ? state : false;
      },
      undefined,
      { timeout: 20_000 },
    );
    const state = await settled.jsonValue();
    assert(state !== 'error', 'the anomalies tab shows an error');
    const findings = await page.locator('[data-region="anomaly-ranking"] [data-finding]').count();
    assert(findings > 0, 'no ranked findings on the simulated data (its incidents should show)');
    const first = (await page.locator('[data-region="anomaly-ranking"] [data-finding]').first().textContent()) ?? '';
    assert(/started .+ago/.test(first) && /likelihood \d\.\d\d/.test(first), `the top finding does not say when it started and how likely: "${first}"`);

    // The top finding is selected and its strongest flag explained.
    const detail = page.locator('[data-region="anomaly-detail"]');
    await detail.locator('[role="toolbar"] button').first().waitFor({ timeout: 10_000 });
    const flags = await detail.locator('[role="toolbar"] button').count();
    assert(flags > 0, 'the anomaly chart shows no flags');
    const explanation = detail.getByTestId('vigil-anomaly-explanation');
    let text = (await explanation.textContent()) ?? '';
    assert(/Expected/.test(text) && /Band/.test(text) && /Detector/.test(text), `the explanation is not open for the top finding: "${text.slice(0, 200)}"`);

    // Choose another finding (when there is one), then open a flag with the keyboard.
    if (findings > 1) {
      await page.locator('[data-region="anomaly-ranking"] [data-finding]').nth(1).click();
      await page.waitForFunction(() => document.querySelectorAll('[data-region="anomaly-ranking"] [aria-pressed="true"]').length === 1, undefined, { timeout: 3_000 });
    }
    await detail.getByRole('button', { name: 'Close' }).click();
    text = (await explanation.textContent()) ?? '';
    assert(/flagged/.test(text), `closing the explanation did not return to the summary: "${text.slice(0, 120)}"`);
    const firstFlag = detail.locator('[role="toolbar"] button[tabindex="0"]');
    await firstFlag.focus();
    await page.keyboard.press('Enter');
    await detail.getByTestId('vigil-anomaly-expected').waitFor({ timeout: 3_000 });
    const pressed = await detail.locator('[role="toolbar"] button[aria-pressed="true"]').count();
    assert(pressed === 1, `Enter on a flag selected ${pressed} flags`);

    // Capacity: a forecast with its sentence and a card with a headline.
    const forecast = (await page.getByTestId('vigil-forecast-summary').textContent()) ?? '';
    assert(/limit 90%/.test(forecast), `the forecast does not speak about the limit: "${forecast}"`);
    const headline = (await page.getByTestId('vigil-capacity-headline').textContent()) ?? '';
    assert(/Log volume/.test(headline) && !/NaN|undefined/.test(headline), `capacity headline: "${headline}"`);

    const violations = await runAxe(page);
    assert(violations.length === 0, `\n      ${violations.join('\n      ')}`);
    await page.screenshot({ path: join(shotsDir, 'anomalies-light.png'), fullPage: true });
  });

  for (const theme of [
    { id: 'dark', label: 'Dark theme' },
    { id: 'high-contrast', label: 'High contrast theme' },
  ]) {
    await check(`axe: no serious or critical violations on Anomalies (${theme.id})`, async () => {
      await page.getByRole('radio', { name: theme.label }).check();
      await page.waitForTimeout(100);
      const violations = await runAxe(page);
      assert(violations.length === 0, `\n      ${violations.join('\n      ')}`);
      await page.screenshot({ path: join(shotsDir, `anomalies-${theme.id}.png`), fullPage: true });
    });
  }
  await page.getByRole('radio', { name: 'Light theme' }).check();
  await page.getByRole('tab', { name: 'Overview' }).click();
  await waitForCharts(page);
}

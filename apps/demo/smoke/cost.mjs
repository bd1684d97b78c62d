// Smoke checks for the demo's cost tab(s), run by ../smoke.mjs after the SLO check.
// Receives { page, check, assert, runAxe, shotsDir, join, waitForKpis, waitForCharts, openPage, context, origin, query }.
// Leave the page on the Overview tab when done.
export default async function costChecks() {}

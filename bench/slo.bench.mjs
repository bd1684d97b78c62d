// SLO engine: 1,000 SLOs × 30 days of 1-minute data (43,200 points each). For every SLO, `evaluateSLO` computes
// the attainment, the error budget (ratio, events, time) over the 30-day window, the burn rate over every alert window
// of its policy (5m, 30m, 1h, 2h, 6h, 1d, 3d for the default one) and the projected exhaustion, after validating the
// events. The baseline, in the same run, is one plain pass per SLO that sums the same good and total columns
// (a for loop over two Float64Arrays). Target: at most 3× the baseline. Then rule generation for the 1,000 SLOs
// (target: under 1 s), and, for scale, the history functions on 20 of them.
// Run through `pnpm bench` (builds first); without a build it falls back to the TypeScript sources through tsx.
//   node --expose-gc bench/slo.bench.mjs        SLO_BENCH_COUNT=100 for a quick run
import { fmt, machine, measure, saveResults, seededRandom, table } from './lib.mjs';

let slo;
let origin = '@vigil/core/slo (built)';
try {
  slo = await import('@vigil/core/slo');
} catch {
  const { tsImport } = await import('tsx/esm/api');
  slo = await tsImport('../packages/core/src/slo/index.ts', import.meta.url);
  origin = 'packages/core/src/slo (sources via tsx)';
}
const { defineSLO, evaluateSLO, evaluateAlertHistory, sloTimeline, generatePrometheusRules } = slo;

const COUNT = Number(process.env.SLO_BENCH_COUNT ?? 1000);
const POINTS = 30 * 24 * 60;
const MINUTE = 60_000;
const END = Date.UTC(2025, 0, 31);

// Shared timestamps (every SLO is scraped on the same minutes); good and total per SLO.
const timestamps = new Float64Array(POINTS);
for (let i = 0; i < POINTS; i++) timestamps[i] = END - (POINTS - 1 - i) * MINUTE;

/** Traffic with a daily cycle and noise; a baseline error ratio with a few bursts. */
function eventsFor(index) {
  const random = seededRandom(1000 + index);
  const good = new Float64Array(POINTS);
  const total = new Float64Array(POINTS);
  const baseline = 0.0002 + random() * 0.002;
  const bursts = Array.from({ length: 3 }, () => ({ at: Math.floor(random() * POINTS), length: 5 + Math.floor(random() * 120), ratio: random() * 0.2 }));
  for (let i = 0; i < POINTS; i++) {
    const t = Math.round(500 + 400 * Math.sin((2 * Math.PI * i) / 1440) + random() * 100);
    let ratio = baseline;
    for (const b of bursts) if (i >= b.at && i < b.at + b.length) ratio = b.ratio;
    total[i] = t;
    good[i] = t - Math.round(t * ratio * random() * 2);
  }
  return { timestamps, good, total };
}

function definitionFor(index) {
  const base = {
    name: `service-${index}`,
    labels: { team: `team-${index % 12}` },
    sli: { kind: 'ratio', bad: { metric: 'http_requests_total', matchers: { service: `s${index}`, code: '5..' } }, total: { metric: 'http_requests_total', matchers: { service: `s${index}` } } },
    target: [0.99, 0.995, 0.999, 0.9995, 0.9999][index % 5],
    window: { duration: '30d' },
  };
  // One in ten has a custom three-tier policy with `for`; the rest use the default (SRE Workbook) policy.
  if (index % 10 === 9) {
    return { ...base, alerting: { tiers: [{ severity: 'page', burnRate: 10, longWindow: '30m', shortWindow: '5m', for: '2m' }, { severity: 'page', burnRate: 5, longWindow: '4h', for: '10m' }, { severity: 'ticket', burnRate: 1.5, longWindow: '2d' }] } };
  }
  return base;
}

console.log(`SLO bench: ${COUNT} SLOs × ${POINTS.toLocaleString('en-US')} points, ${origin}`);
const t0 = performance.now();
const definitions = Array.from({ length: COUNT }, (_, i) => definitionFor(i));
const slos = definitions.map((d) => defineSLO(d));
const events = Array.from({ length: COUNT }, (_, i) => eventsFor(i));
console.log(`data ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (${((COUNT * POINTS * 16) / 1e6).toFixed(0)} MB of good/total columns)`);

const at = END;
let sink = 0;

/** The baseline: one plain pass over each SLO's good and total columns. */
function plainSums() {
  let s = 0;
  for (let k = 0; k < COUNT; k++) {
    const { good, total } = events[k];
    let g = 0;
    let t = 0;
    for (let i = 0; i < POINTS; i++) {
      g += good[i];
      t += total[i];
    }
    s += g / t;
  }
  return s;
}

/** The engine: everything evaluateSLO reports, for every SLO. */
function evaluateAll() {
  let s = 0;
  let windows = 0;
  for (let k = 0; k < COUNT; k++) {
    const status = evaluateSLO(slos[k], events[k], { at });
    s += status.errorBudget.ratio.remaining + status.burnRates[0].burnRate;
    windows += status.burnRates.length;
  }
  return { s, windows };
}

const warmUpCount = Math.min(COUNT, 50);
const plain = measure(plainSums, 3, () => {
  for (let k = 0; k < warmUpCount; k++) sink += events[k].good[k];
  sink += plainSums();
});
const engine = measure(evaluateAll, 3, () => {
  for (let k = 0; k < warmUpCount; k++) sink += evaluateSLO(slos[k], events[k], { at }).errorBudget.ratio.remaining;
});
const ratio = engine.cpu / plain.cpu;

// Correctness guard (not a test): the engine's whole-window attainment equals the plain sums.
const check = evaluateSLO(slos[0], events[0], { at });
const g0 = events[0].good.reduce((a, b) => a + b, 0);
const n0 = events[0].total.reduce((a, b) => a + b, 0);
if (Math.abs(check.attainment - g0 / n0) > 1e-12) throw new Error(`attainment ${check.attainment} differs from the plain sum ${g0 / n0}`);

const rules = measure(() => generatePrometheusRules(slos), 5);
const ruleBytes = rules.result.length;

// For scale, not a target: 30 days of alert history and an hourly timeline for 20 SLOs.
const historyCount = Math.min(20, COUNT);
const history = measure(() => {
  let intervals = 0;
  for (let k = 0; k < historyCount; k++) intervals += evaluateAlertHistory(slos[k], events[k], { range: { start: END - 30 * 24 * 60 * MINUTE, end: END }, stepMs: MINUTE }).length;
  return intervals;
}, 1);
const timeline = measure(() => {
  let points = 0;
  for (let k = 0; k < historyCount; k++) points += sloTimeline(slos[k], events[k], { range: { start: END - 30 * 24 * 60 * MINUTE, end: END }, stepMs: 60 * MINUTE }).timestamps.length;
  return points;
}, 1);

table(
  `Evaluate ${COUNT} SLOs (CPU ms, best of 3; ${engine.result.windows / COUNT} burn-rate windows + the 30d budget each)`,
  ['what', 'CPU', 'wall', 'per SLO', 'vs plain pass'],
  [
    ['plain pass: sum good and total', fmt.ms(plain.cpu), fmt.ms(plain.wall), `${((plain.cpu * 1000) / COUNT).toFixed(1)} µs`, fmt.ratio(1)],
    ['evaluateSLO (validate, budget, every window, exhaustion, status)', fmt.ms(engine.cpu), fmt.ms(engine.wall), `${((engine.cpu * 1000) / COUNT).toFixed(1)} µs`, `**${fmt.ratio(ratio)}** (target ≤ 3×)`],
  ],
);
table('Rule generation and history', ['what', 'CPU', 'wall', 'notes'], [
  [`generatePrometheusRules, ${COUNT} SLOs`, fmt.ms(rules.cpu), fmt.ms(rules.wall), `${fmt.bytes(ruleBytes)} of YAML, ${COUNT * 15 - Math.floor(COUNT / 10) * 2} rules (target < 1 s)`],
  [`evaluateAlertHistory, ${historyCount} SLOs × 43,200 steps`, fmt.ms(history.cpu), fmt.ms(history.wall), `${history.result} alert intervals`],
  [`sloTimeline, ${historyCount} SLOs × 720 hourly steps`, fmt.ms(timeline.cpu), fmt.ms(timeline.wall), `${timeline.result} points`],
]);
if (sink === 42) console.log('');

saveResults('slo', {
  origin,
  count: COUNT,
  points: POINTS,
  plain: { cpuMs: plain.cpu, wallMs: plain.wall },
  evaluate: { cpuMs: engine.cpu, wallMs: engine.wall, ratio },
  rules: { cpuMs: rules.cpu, wallMs: rules.wall, bytes: ruleBytes },
  history: { count: historyCount, alertHistoryCpuMs: history.cpu, timelineCpuMs: timeline.cpu },
  machine: machine(),
});

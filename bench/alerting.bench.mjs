// Alerting engine. (1) One tick of 10,000 rules: every rule has its own series (one hour of 15-second samples, 240
// points, the rule's whole lookback) and a mix of reducers (avg, max, last, p95, rate) and conditions (threshold with
// and without hysteresis, change%); about 2% of the rules fire. The evaluator validates every series, reduces it,
// steps the state machine, renders annotations, groups and builds notifications. (2) A backtest of one rule over 30
// days of 1-minute data (43,200 points, 43,200 ticks), for several reducers. The baseline of each, in the same run,
// is one plain pass over the same data (a for loop summing the Float64Array values). Target: at most 3× that pass.
// Ratios are of wall time, each the median over paired rounds of the workload's time over the plain pass's time in
// the same round (see measurePaired in lib.mjs): on this shared machine the same plain pass took 4.4 to 9.5 ms within
// minutes, and best-of-N times of the two sides, taken at different moments, gave ratios up to twice the paired ones.
// The process's CPU time also counts V8's helper threads (concurrent marking and sweeping, the optimising compiler),
// which run beside the measured code on the second core (the same steady tick measured 9.0 ms or 40.1 ms of CPU time,
// 9.0 and 14.6 ms wall, in two runs); it is printed too.
// Run through `pnpm bench` (builds first); without a build it falls back to the TypeScript sources through tsx.
//   node --expose-gc bench/alerting.bench.mjs     ALERT_BENCH_RULES=1000 for a quick run, ALERT_BENCH_ROUNDS=15
import { fmt, machine, measurePaired, mixSeed, saveResults, seededRandom, table } from './lib.mjs';

let alerting;
let origin = '@vigil/core/alerting (built)';
try {
  alerting = await import('@vigil/core/alerting');
} catch {
  const { tsImport } = await import('tsx/esm/api');
  alerting = await tsImport('../packages/core/src/alerting/index.ts', import.meta.url);
  origin = 'packages/core/src/alerting (sources via tsx)';
}
const { createAlertEvaluator, backtest } = alerting;

const RULES = Number(process.env.ALERT_BENCH_RULES ?? 10_000);
const POINTS = 240;
const STEP = 15_000;
const NOW = Date.UTC(2026, 10, 23, 12);
const MINUTE = 60_000;

const timestamps = new Float64Array(POINTS);
for (let i = 0; i < POINTS; i++) timestamps[i] = NOW - (POINTS - 1 - i) * STEP;

function ruleFor(index) {
  const kind = index % 5;
  const base = { id: `rule-${index}`, name: `Rule${index % 50}`, query: { expr: `metric_${index}`, stepMs: STEP }, labels: { team: `team-${index % 12}` }, annotations: { summary: '{{ $labels.instance }} is {{ $value | humanize }}' } };
  switch (kind) {
    case 0:
      return { ...base, reducer: { type: 'avg', windowMs: 3_600_000 }, condition: { type: 'threshold', operator: '>', warning: { value: 70, recovery: 65 }, critical: { value: 90, recovery: 85 } }, forMs: 5 * MINUTE };
    case 1:
      return { ...base, reducer: { type: 'max', windowMs: 3_600_000 }, condition: { type: 'threshold', operator: '>=', critical: { value: 99 } } };
    case 2:
      return { ...base, reducer: { type: 'last', windowMs: 300_000 }, condition: { type: 'threshold', operator: '<', critical: { value: 1 } } };
    case 3:
      return { ...base, reducer: { type: 'percentile', percentile: 95, windowMs: 3_600_000 }, condition: { type: 'threshold', operator: '>', critical: { value: 98 } } };
    default:
      return { ...base, reducer: { type: 'rate', windowMs: 3_600_000 }, condition: { type: 'change', direction: 'up', windowMs: 1_800_000, critical: { value: 400 } } };
  }
}

/** Gauges in [0, 100) with about 2% of the rules above their thresholds; counters for the rate rules. */
function seriesFor(index) {
  const random = seededRandom(mixSeed(7 + index));
  const values = new Float64Array(POINTS);
  const hot = random() < 0.02;
  if (index % 5 === 4) {
    let total = 0;
    for (let i = 0; i < POINTS; i++) values[i] = total += (hot && i > POINTS / 2 ? 50 : 1) * random() * 10;
  } else {
    const level = index % 5 === 2 ? (hot ? 0 : 20 + random() * 40) : hot ? 99.5 : 20 + random() * 40;
    for (let i = 0; i < POINTS; i++) values[i] = Math.min(99.99, level + random() * 0.4);
  }
  return { labels: { instance: `host-${index}`, job: 'node' }, timestamps, values };
}

console.log(`Alerting bench: ${RULES} rules × ${POINTS} points; backtest 43,200 points; ${origin}`);
const rules = Array.from({ length: RULES }, (_, i) => ruleFor(i));
const data = {};
const allSeries = [];
for (let i = 0; i < RULES; i++) {
  const s = seriesFor(i);
  allSeries.push(s);
  data[rules[i].id] = { series: [s] };
}
let sink = 0;
const batched = (fn, times) => ({
  times,
  run: () => {
    let s = 0;
    for (let i = 0; i < times; i++) s += fn();
    return s;
  },
});

function plainPassAll() {
  let s = 0;
  for (let k = 0; k < allSeries.length; k++) {
    const values = allSeries[k].values;
    for (let i = 0; i < values.length; i++) s += values[i];
  }
  return s;
}

/** The second peer: the same sum, reached the way the evaluator must reach it (rule id → input → series → values). */
function plainPassThroughInput() {
  let s = 0;
  for (let k = 0; k < rules.length; k++) {
    const series = data[rules[k].id].series;
    for (let j = 0; j < series.length; j++) {
      const values = series[j].values;
      for (let i = 0; i < values.length; i++) s += values[i];
    }
  }
  return s;
}

// Paired rounds (see measurePaired in lib.mjs): each round runs the plain pass and every workload, and each ratio is
// the median over rounds of the workload's time over the plain pass's time in the same round. The plain passes
// (4 ms each) run in batches of PLAIN_BATCH: a run right after the GC and the pause before it starts on cold caches
// and a slower clock for its first milliseconds, which would favour whichever side is timed in shorter runs.
const ROUNDS = Number(process.env.ALERT_BENCH_ROUNDS ?? 15);
const PLAIN_BATCH = 5;
const newEvaluator = () => createAlertEvaluator({ rules, grouping: { groupBy: ['alertname', 'team'] } });
const steady = newEvaluator();
steady.evaluate(NOW, data);
const ticks = measurePaired(
  {
    plain: batched(plainPassAll, PLAIN_BATCH),
    // A first tick: an evaluator created just before (untimed), so instances are created, alerts grouped and
    // notifications built.
    first: { prepare: newEvaluator, run: (evaluator) => evaluator.evaluate(NOW, data) },
    // Ticks at the same time on the same data (ticks may repeat a time): later ticks at NOW + k·STEP would see fewer
    // samples in the windows, and so do less work, than the first.
    steady: () => steady.evaluate(NOW, data),
    throughInput: batched(plainPassThroughInput, PLAIN_BATCH),
  },
  'plain',
  ROUNDS,
);
const { plain, first, steady: later, throughInput } = ticks;
const firstResult = first.result;
const firing = firstResult.alerts.length;
sink += later.result.alerts.length + throughInput.result;

// Backtest: one rule, 30 days of 1-minute data.
const DAYS_POINTS = 30 * 24 * 60;
const bt = new Float64Array(DAYS_POINTS);
const btValues = new Float64Array(DAYS_POINTS);
const btCounter = new Float64Array(DAYS_POINTS);
{
  const random = seededRandom(99);
  let total = 0;
  for (let i = 0; i < DAYS_POINTS; i++) {
    bt[i] = NOW - (DAYS_POINTS - 1 - i) * MINUTE;
    const burst = i % 1440 > 600 && i % 1440 < 640 && (i / 1440) % 3 < 1;
    btValues[i] = 0.2 + random() * 0.5 + (burst ? 5 : 0);
    btCounter[i] = total += 100 + (burst ? 400 : 0) * random();
  }
}
const btSeries = { labels: { service: 'checkout' }, timestamps: bt, values: btValues };
const btCounterSeries = { labels: { service: 'checkout' }, timestamps: bt, values: btCounter };
const range = { start: bt[0], end: bt[DAYS_POINTS - 1] };
const plainBacktest = () => {
  let s = 0;
  for (let i = 0; i < DAYS_POINTS; i++) s += btValues[i];
  return s;
};
const btRules = [
  ['last, > with hysteresis, for 5m', { reducer: { type: 'last', windowMs: MINUTE }, condition: { type: 'threshold', operator: '>', critical: { value: 3, recovery: 1 } }, forMs: 5 * MINUTE }, btSeries],
  ['max over 5m, two levels', { reducer: { type: 'max', windowMs: 5 * MINUTE }, condition: { type: 'threshold', operator: '>', warning: { value: 2 }, critical: { value: 4 } } }, btSeries],
  ['avg over 5m, keep-firing 10m', { reducer: { type: 'avg', windowMs: 5 * MINUTE }, condition: { type: 'threshold', operator: '>', critical: { value: 2 } }, keepFiringForMs: 10 * MINUTE }, btSeries],
  ['p95 over 15m', { reducer: { type: 'percentile', percentile: 95, windowMs: 15 * MINUTE }, condition: { type: 'threshold', operator: '>', critical: { value: 3 } } }, btSeries],
  ['rate over 5m (counter)', { reducer: { type: 'rate', windowMs: 5 * MINUTE }, condition: { type: 'threshold', operator: '>', critical: { value: 4 } } }, btCounterSeries],
];
// The plain pass takes 0.04 ms and a backtest about 0.1 ms: each is timed as a batch of about the same length
// (BT_PLAIN_BATCH passes, BT_BATCH backtests, 15-20 ms each, so that a burst of noise of a given length weighs on both
// alike), in BT_ROUNDS paired rounds like the ticks, without a forced GC before each batch (see measurePaired):
// backtests run back to back, as when a rule builder replays a range or CI checks rules. The best-vs-best column is
// printed beside the median: on this machine the medians still moved with the noise (1.9-4.3× across runs) while the
// best times held (1.8-2.8×).
const BT_PLAIN_BATCH = 400;
const BT_BATCH = 160;
const BT_ROUNDS = Number(process.env.ALERT_BENCH_ROUNDS ?? 25);
const btWorkloads = { plain: batched(plainBacktest, BT_PLAIN_BATCH) };
for (const [label, parts, series] of btRules) {
  const rule = { id: 'bt', name: 'Backtest', query: { expr: 'x', stepMs: MINUTE }, ...parts };
  btWorkloads[label] = {
    times: BT_BATCH,
    run: () => {
      let last;
      for (let i = 0; i < BT_BATCH; i++) last = backtest(rule, { series: [series], range, intervalMs: MINUTE });
      return last;
    },
  };
}
const btTimes = measurePaired(btWorkloads, 'plain', BT_ROUNDS, { gc: false });
const plainBt = btTimes.plain;
sink += plainBt.result;
const us = (ms) => `${(ms * 1000).toFixed(0)} µs`;
const btRows = [['plain pass over the 43,200 values', us(plainBt.cpu), us(plainBt.wall), '', fmt.ratio(1), fmt.ratio(1)]];
const btResults = {};
for (const [label] of btRules) {
  const m = btTimes[label];
  btResults[label] = { cpuMs: m.cpu, wallMs: m.wall, ratio: m.ratio, bestRatio: m.wall / plainBt.wall, firing: m.result.firing.length };
  btRows.push([`backtest: ${label}`, us(m.cpu), us(m.wall), `${m.result.firing.length} firing intervals`, `**${fmt.ratio(m.ratio)}**`, fmt.ratio(m.wall / plainBt.wall)]);
}

const perRule = (m) => `${((m.wall * 1e6) / RULES).toFixed(0)} ns`;
table(
  `Evaluate ${RULES} rules in one tick (${ROUNDS} paired rounds: times are the best of the rounds, ratios the median over rounds of the time over the plain pass's in the same round, both of wall time; ${firing} alerts fire, ${firstResult.groups.length} groups, ${firstResult.notifications.length} notifications)`,
  ['what', 'CPU (best)', 'wall (best)', 'per rule (wall)', 'vs plain pass (median paired ratio)'],
  [
    [`plain pass: sum the ${(RULES * POINTS).toLocaleString('en-US')} values`, fmt.ms(plain.cpu), fmt.ms(plain.wall), perRule(plain), fmt.ratio(1)],
    ['evaluate, first tick (instances created, alerts, groups, notifications)', fmt.ms(first.cpu), fmt.ms(first.wall), perRule(first), `**${fmt.ratio(first.ratio)}** (target ≤ 3×)`],
    ['evaluate, steady state (same alerts keep firing)', fmt.ms(later.cpu), fmt.ms(later.wall), perRule(later), `**${fmt.ratio(later.ratio)}**`],
    ['second peer: the same sum through the evaluator input (data[id].series[k].values)', fmt.ms(throughInput.cpu), fmt.ms(throughInput.wall), perRule(throughInput), `${fmt.ratio(throughInput.ratio)} (steady state is ${fmt.ratio(later.ratio / throughInput.ratio)} this one)`],
  ],
);
table(
  `Backtest one rule over 30 days of 1-minute data (43,200 ticks; time per run, in ${BT_ROUNDS} paired rounds of batches: plain pass ×${BT_PLAIN_BATCH}, backtest ×${BT_BATCH}; ratios as above)`,
  ['what', 'CPU (best)', 'wall (best)', 'result', 'vs plain pass (median paired ratio)', 'best vs best'],
  btRows,
);
if (sink === 42) console.log('');

saveResults('alerting', {
  origin,
  rules: RULES,
  points: POINTS,
  plain: { cpuMs: plain.cpu, wallMs: plain.wall },
  rounds: ROUNDS,
  backtestRounds: BT_ROUNDS,
  evaluateFirstTick: { cpuMs: first.cpu, wallMs: first.wall, ratio: first.ratio, firing },
  evaluateSteady: { cpuMs: later.cpu, wallMs: later.wall, ratio: later.ratio, ratioToInputWalk: later.ratio / throughInput.ratio },
  plainThroughInput: { cpuMs: throughInput.cpu, wallMs: throughInput.wall, ratio: throughInput.ratio },
  backtestPlain: { cpuMs: plainBt.cpu, wallMs: plainBt.wall },
  backtest: btResults,
  machine: machine(),
});

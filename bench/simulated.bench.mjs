// The simulated source on the demo's queries: CPU time per query on a FRESH source (nothing cached), beside the same
// query evaluated by the same evaluator over the same samples pre-materialised in memory (`createMemoryStorage`),
// which is the cost of the PromQL evaluation alone. Run through `pnpm bench` (builds first).
//   BENCH_RUNS=5 (runs per query; the median is reported)   BENCH_RANGES=24h,7d
import { createSimulatedSource } from '@vigil/adapters/simulated';
import { createMemoryStorage, evaluate, parsePromQL } from '@vigil/adapters/promql';
import { histogramQuantile } from '@vigil/core/percentile';
import { fmt, machine, measure, saveResults, sleep, table } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A Monday noon, UTC: the previous week includes a weekend. */
const NOW = Date.UTC(2024, 4, 20, 12);
const SEED = 1;

// The Overview's queries (apps/demo/src/lib/queries.ts) at the demo's step and rate window for each range.
const RANGES = {
  '24h': { durationMs: DAY, stepMs: 600_000, window: '10m' },
  '7d': { durationMs: 7 * DAY, stepMs: HOUR, window: '1h' },
};
const overview = (window) => ({
  requests: `sum by (service) (rate(http_requests_total[${window}]))`,
  errors: `sum by (service) (rate(http_requests_total{code=~"5.."}[${window}]))`,
  'latency buckets': `sum by (le) (rate(http_request_duration_seconds_bucket[${window}]))`,
});
const P99 = 'histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m])))';

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function cpuOf(fn) {
  globalThis.gc?.();
  const start = process.cpuUsage();
  const result = await fn();
  const used = process.cpuUsage(start);
  return { cpu: (used.user + used.system) / 1000, result };
}

const fresh = () => createSimulatedSource({ seed: SEED, now: () => NOW });

/** The raw samples every selector of the query reads, from the simulated storage, as a memory storage. */
function materialise(query, range, stepMs, windowMs) {
  const source = fresh();
  const selectors = [];
  const walk = (expr) => {
    if (expr.type === 'VectorSelector') selectors.push(expr);
    for (const key of ['expr', 'lhs', 'rhs', 'selector']) if (expr[key]) walk(expr[key]);
    for (const arg of expr.args ?? []) walk(arg);
  };
  walk(parsePromQL(query));
  const series = new Map();
  for (const selector of selectors) {
    const stored = source.storage.select(selector.matchers, { start: range.start, end: range.end, stepMs: 15_000, windowMs, maxSamples: 1e9 });
    for (const s of stored) series.set(JSON.stringify(s.labels), s);
  }
  return createMemoryStorage([...series.values()]);
}

const rows = [];
const results = { runs: RUNS, now: NOW, seed: SEED, queries: [] };
const wanted = (process.env.BENCH_RANGES ?? '24h,7d').split(',');

// First, on a small heap: histogramQuantile itself, as the evaluator calls it: 16 buckets sorted by upper bound (the simulator's), one call
// per step; and the same buckets in reverse order, which takes the sort-and-merge path.
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.35, 0.5, 0.75, 1, 2.5, 5, 10, Infinity];
const sortedBuckets = BOUNDS.map((upperBound, i) => ({ upperBound, count: 1000 * (1 - Math.exp(-i / 3)) + i }));
const reversedBuckets = [...sortedBuckets].reverse();
const CALLS = 200_000;
const quantileLoop = (list) => () => {
  let sum = 0;
  for (let i = 0; i < CALLS; i++) sum += histogramQuantile((i % 100) / 100, list);
  return sum;
};
const sortedTime = measure(quantileLoop(sortedBuckets), 3);
const reversedTime = measure(quantileLoop(reversedBuckets), 3);
table(`histogramQuantile, 16 buckets, ${CALLS.toLocaleString('en')} calls (best of 3, CPU)`, ['buckets', 'ns/call', 'vs unsorted'], [
  ['sorted', fmt.ns((sortedTime.cpu * 1e6) / CALLS), fmt.ratio(reversedTime.cpu / sortedTime.cpu)],
  ['reversed', fmt.ns((reversedTime.cpu * 1e6) / CALLS), fmt.ratio(1)],
]);
results.histogramQuantile = { calls: CALLS, sortedNs: (sortedTime.cpu * 1e6) / CALLS, reversedNs: (reversedTime.cpu * 1e6) / CALLS };


// Warm the JIT on a small range so the first measured run is not interpreted code.
for (let i = 0; i < 3; i++) {
  const s = fresh();
  for (const query of Object.values(overview('5m'))) await s.queryRange({ query, range: { start: NOW - 6 * HOUR, end: NOW }, stepMs: 60_000 });
  await s.queryRange({ query: P99, range: { start: NOW - 6 * HOUR, end: NOW }, stepMs: 60_000 });
  sleep(100);
}

const cases = [];
for (const name of wanted) {
  const { durationMs, stepMs, window } = RANGES[name];
  for (const [label, query] of Object.entries(overview(window))) {
    cases.push({ range: name, label, query, stepMs, windowMs: window === '1h' ? HOUR : 600_000, at: { start: NOW - durationMs, end: NOW } });
    cases.push({ range: `${name} (previous)`, label, query, stepMs, windowMs: window === '1h' ? HOUR : 600_000, at: { start: NOW - 2 * durationMs, end: NOW - durationMs } });
  }
  if (name === '24h') cases.push({ range: name, label: 'p99 by service [5m]', query: P99, stepMs, windowMs: 300_000, at: { start: NOW - durationMs, end: NOW } });
}

for (const c of cases) {
  const start = Math.floor(c.at.start / c.stepMs) * c.stepMs;
  const coldRuns = [];
  const warmRuns = [];
  let error;
  for (let r = 0; r < RUNS; r++) {
    const source = fresh();
    try {
      coldRuns.push((await cpuOf(() => source.queryRange({ query: c.query, range: c.at, stepMs: c.stepMs }))).cpu);
      warmRuns.push((await cpuOf(() => source.queryRange({ query: c.query, range: c.at, stepMs: c.stepMs }))).cpu);
    } catch (e) {
      error = e.message.slice(0, 60);
      break;
    }
    sleep(50);
  }
  const memory = materialise(c.query, { start, end: c.at.end }, c.stepMs, c.windowMs);
  const expr = parsePromQL(c.query);
  const peerRuns = [];
  for (let r = 0; r < RUNS; r++) peerRuns.push((await cpuOf(() => evaluate(expr, memory, { start, end: c.at.end, stepMs: c.stepMs }))).cpu);
  const cold = error ? NaN : median(coldRuns);
  const warm = error ? NaN : median(warmRuns);
  const peer = median(peerRuns);
  rows.push([c.range, c.label, error ? `fails: ${error}` : fmt.ms(cold), error ? '' : fmt.ms(warm), fmt.ms(peer), error ? '' : fmt.ratio(cold / peer)]);
  results.queries.push({ range: c.range, query: c.query, stepMs: c.stepMs, coldMs: cold, warmMs: warm, memoryMs: peer, coldRuns, warmRuns, peerRuns, error });
}

table(
  `simulated source, all six services, CPU time per queryRange (median of ${RUNS}; cold = fresh source, warm = the same query again; ` +
    'memory = the same evaluation over the same samples held in createMemoryStorage)',
  ['range', 'query', 'cold', 'warm', 'memory', 'cold / memory'],
  rows,
);
console.log(`\n${JSON.stringify(machine())}`);
saveResults('simulated', results);

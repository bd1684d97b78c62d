// Cost engine: pricing + aggregation of N usage records (default 1M) by model × feature × day with @vigil/core/cost's
// columnar path, against a naive object-per-record implementation in the same run (Map of per-model rates, string
// group keys, latency arrays sorted per group), and against one plain pass over the same typed columns (spend per
// group only: a floor). Then opportunity detection over the same records. Run through `pnpm bench` (builds first),
// or `node --expose-gc bench/cost.bench.mjs`. Until `./cost` is in @vigil/core's exports map the bench bundles the
// source entry with Vite (VIGIL_BENCH_SOURCE=1 forces that).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fmt, machine, measure, saveResults, seededRandom, table } from './lib.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.BENCH_N ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DAY = 86_400_000;

async function loadCost() {
  if (process.env.VIGIL_BENCH_SOURCE !== '1') {
    try {
      return { module: await import('@vigil/core/cost'), from: 'built @vigil/core/cost' };
    } catch {
      // not exported yet: fall back to the sources
    }
  }
  const { build } = await import('vite');
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'vigil-cost-bench-'));
  await build({
    configFile: false,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, minify: false, target: 'es2022', lib: { entry: path.join(repo, 'packages/core/src/cost/index.ts'), formats: ['es'], fileName: 'cost' }, reportCompressedSize: false },
  });
  const module = await import(pathToFileURL(path.join(outDir, 'cost.js')).href);
  rmSync(outDir, { recursive: true, force: true });
  return { module, from: 'sources bundled by Vite' };
}

const { module: cost, from } = await loadCost();

const MODELS = [
  { provider: 'openai', model: 'gpt-4o', weight: 0.2, latency: 1400 },
  { provider: 'openai', model: 'gpt-4o-mini', weight: 0.3, latency: 700 },
  { provider: 'anthropic', model: 'claude-sonnet-4-20250514', weight: 0.2, latency: 1600 },
  { provider: 'anthropic', model: 'claude-3-5-haiku-20241022', weight: 0.15, latency: 600 },
  { provider: 'gcp.gemini', model: 'gemini-2.5-flash', weight: 0.14, latency: 900 },
  { provider: 'openai', model: 'ft:gpt-4o-mini:acme', weight: 0.01, latency: 800 },
];
const PROVIDERS = [...new Set(MODELS.map((m) => m.provider))];
const FEATURES = Array.from({ length: 20 }, (_, k) => `feature-${k}`);
const START = Date.parse('2025-08-01T00:00:00Z');

/** Columns of n records (already-normalised token buckets), seeded. */
function generate(n, seed) {
  const random = seededRandom(seed);
  const timestamps = new Float64Array(n);
  const providerCodes = new Int32Array(n);
  const modelCodes = new Int32Array(n);
  const featureCodes = new Int32Array(n);
  const uncached = new Float64Array(n);
  const cacheRead = new Float64Array(n);
  const output = new Float64Array(n);
  const latency = new Float64Array(n);
  const quality = new Float64Array(n);
  const ok = new Uint8Array(n);
  const cumulative = [];
  let acc = 0;
  for (const m of MODELS) cumulative.push((acc += m.weight));
  for (let i = 0; i < n; i++) {
    const u = random();
    let m = 0;
    while (m < MODELS.length - 1 && u > cumulative[m]) m++;
    timestamps[i] = START + Math.floor(random() * 30 * DAY);
    modelCodes[i] = m;
    providerCodes[i] = PROVIDERS.indexOf(MODELS[m].provider);
    featureCodes[i] = Math.floor(random() * random() * FEATURES.length);
    const input = 200 + Math.floor(-Math.log(random()) * 3000);
    const cached = random() < 0.4 ? Math.floor(input * 0.7) : 0;
    uncached[i] = input - cached;
    cacheRead[i] = cached;
    output[i] = 20 + Math.floor(-Math.log(random()) * 400);
    latency[i] = MODELS[m].latency * Math.exp(0.5 * Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random()));
    quality[i] = random() < 0.3 ? (random() < 0.88 ? 1 : 0) : NaN;
    ok[i] = random() < 0.985 ? 1 : 0;
  }
  return { timestamps, providerCodes, modelCodes, featureCodes, uncached, cacheRead, output, latency, quality, ok };
}

console.log(`cost engine: ${N.toLocaleString('en')} usage records, ${from}, best of ${RUNS} after a warm-up, CPU time`);
const data = generate(N, 42);
const warmData = generate(Math.min(N, 100_000), 7);

function vigilTable(d) {
  return cost.usageTableFromColumns({
    timestamps: d.timestamps,
    provider: { codes: d.providerCodes, values: PROVIDERS },
    model: { codes: d.modelCodes, values: MODELS.map((m) => m.model) },
    feature: { codes: d.featureCodes, values: FEATURES },
    uncachedInputTokens: d.uncached,
    cacheReadTokens: d.cacheRead,
    outputTokens: d.output,
    latencyMs: d.latency,
    quality: d.quality,
    ok: d.ok,
  });
}

function vigil(d) {
  const t = vigilTable(d);
  const priced = cost.priceUsageTable(t, cost.DEFAULT_PRICE_CATALOGUE);
  const aggregate = cost.aggregateUsage(t, priced, { by: ['model', 'feature'], interval: DAY });
  return { groups: aggregate.rows.length, spend: priced.totalCost, rows: aggregate.rows };
}

/** Object-per-record records, built outside the timing (a host holding objects already). */
function toObjects(d) {
  const out = new Array(d.timestamps.length);
  for (let i = 0; i < out.length; i++) {
    const m = MODELS[d.modelCodes[i]];
    out[i] = { timestamp: d.timestamps[i], provider: m.provider, model: m.model, feature: FEATURES[d.featureCodes[i]], uncachedInputTokens: d.uncached[i], cacheReadTokens: d.cacheRead[i], outputTokens: d.output[i], latencyMs: d.latency[i], quality: d.quality[i], ok: d.ok[i] === 1 };
  }
  return out;
}

/** The obvious hand-written version: per-model rates in a Map, a string key per group, latencies sorted per group. */
function naive(records) {
  const rates = new Map();
  for (const m of MODELS) {
    const price = cost.findPrice(cost.DEFAULT_PRICE_CATALOGUE, m.provider, m.model, START);
    if (price) rates.set(`${m.provider}/${m.model}`, price.entry);
  }
  const groups = new Map();
  let spend = 0;
  for (const r of records) {
    const rate = rates.get(`${r.provider}/${r.model}`);
    let c = NaN;
    if (rate) {
      const input = r.uncachedInputTokens + r.cacheReadTokens;
      let p = rate;
      for (const tier of rate.tiers ?? []) if (input > tier.aboveInputTokens) p = tier;
      c = (r.uncachedInputTokens * p.input + r.cacheReadTokens * (p.cacheRead ?? p.input) + r.outputTokens * p.output) / 1e6;
      spend += c;
    }
    const key = `${r.model}|${r.feature}|${Math.floor(r.timestamp / DAY)}`;
    let g = groups.get(key);
    if (!g) {
      g = { requests: 0, successes: 0, spend: 0, input: 0, output: 0, latencies: [], qualitySum: 0, qualityCount: 0 };
      groups.set(key, g);
    }
    g.requests++;
    if (r.ok) g.successes++;
    if (c === c) g.spend += c;
    g.input += r.uncachedInputTokens + r.cacheReadTokens;
    g.output += r.outputTokens;
    g.latencies.push(r.latencyMs);
    if (r.quality === r.quality) {
      g.qualitySum += r.quality;
      g.qualityCount++;
    }
  }
  for (const g of groups.values()) {
    g.latencies.sort((a, b) => a - b);
    const q = (p) => {
      const h = (g.latencies.length - 1) * p;
      const lo = Math.floor(h);
      const hi = Math.min(lo + 1, g.latencies.length - 1);
      return g.latencies[lo] + (h - lo) * (g.latencies[hi] - g.latencies[lo]);
    };
    g.p50 = q(0.5);
    g.p95 = q(0.95);
    g.p99 = q(0.99);
  }
  return { groups: groups.size, spend, map: groups };
}

/** One plain pass: spend per model × feature × day over the typed columns (no quantiles, no quality): a floor. */
function plainPass(d, rates) {
  const days = 31;
  const sums = new Float64Array(MODELS.length * FEATURES.length * days);
  const counts = new Int32Array(sums.length);
  for (let i = 0; i < d.timestamps.length; i++) {
    const r = rates[d.modelCodes[i]];
    const key = (d.modelCodes[i] * FEATURES.length + d.featureCodes[i]) * days + Math.floor((d.timestamps[i] - START) / DAY);
    counts[key]++;
    if (r) sums[key] += (d.uncached[i] * r.input + d.cacheRead[i] * r.cacheRead + d.output[i] * r.output) * 1e-6;
  }
  let groups = 0;
  for (let k = 0; k < counts.length; k++) if (counts[k] > 0) groups++;
  return { groups };
}
const plainRates = MODELS.map((m) => cost.findPrice(cost.DEFAULT_PRICE_CATALOGUE, m.provider, m.model, START)?.entry);

const objects = toObjects(data);
const warmObjects = toObjects(warmData);
const vigilRun = measure(() => vigil(data), RUNS, () => vigil(warmData));
const naiveRun = measure(() => naive(objects), RUNS, () => naive(warmObjects));
const plainRun = measure(() => plainPass(data, plainRates), RUNS, () => plainPass(warmData, plainRates));

// Same answers: group count, total spend, and p95 of every group.
let agree = vigilRun.result.groups === naiveRun.result.groups && Math.abs(vigilRun.result.spend - naiveRun.result.spend) <= 1e-9 * naiveRun.result.spend;
for (const row of vigilRun.result.rows) {
  const g = naiveRun.result.map.get(`${row.key.model}|${row.key.feature}|${Math.floor(row.bucketStart / DAY)}`);
  if (!g || g.p95 !== row.latencyP95 || Math.abs(g.spend - row.spend) > 1e-9 * Math.max(1, g.spend)) agree = false;
}

const recordsPerSecond = (ms) => Math.round(N / (ms / 1000)).toLocaleString('en');
table(
  `pricing + aggregation by model × feature × day (${vigilRun.result.groups.toLocaleString('en')} groups; p50/p95/p99, spend, success, quality per group)`,
  ['implementation', 'CPU', 'records/s', 'vs vigil'],
  [
    ['vigil (columnar)', fmt.ms(vigilRun.cpu), recordsPerSecond(vigilRun.cpu), fmt.ratio(1)],
    ['naive objects', fmt.ms(naiveRun.cpu), recordsPerSecond(naiveRun.cpu), fmt.ratio(naiveRun.cpu / vigilRun.cpu)],
    ['plain pass (spend only, floor)', fmt.ms(plainRun.cpu), recordsPerSecond(plainRun.cpu), fmt.ratio(plainRun.cpu / vigilRun.cpu)],
  ],
);
console.log(`\nanswers: ${agree ? 'identical (groups, spend to 1e-9, every group p95)' : 'DIFFERENT'}`);

// Opportunity detection over the same records (model switches with bootstraps, caching, batch, waste).
const opportunityRun = measure(
  () => {
    const t = vigilTable(data);
    const priced = cost.priceUsageTable(t, cost.DEFAULT_PRICE_CATALOGUE);
    return cost.findOpportunities(t, priced, { catalogue: cost.DEFAULT_PRICE_CATALOGUE, modelSwitch: { resamples: 500, seed: 1 } });
  },
  1,
  () => {
    const t = vigilTable(warmData);
    cost.findOpportunities(t, cost.priceUsageTable(t, cost.DEFAULT_PRICE_CATALOGUE), { catalogue: cost.DEFAULT_PRICE_CATALOGUE, modelSwitch: { resamples: 100, seed: 1 } });
  },
);
table('opportunity detection (all detectors, model-switch bootstraps 500 resamples, arms capped at 4,000)', ['records', 'CPU', 'wall', 'opportunities'], [[N.toLocaleString('en'), `${(opportunityRun.cpu / 1000).toFixed(2)} s`, `${(opportunityRun.wall / 1000).toFixed(2)} s`, opportunityRun.result.length]]);
console.log(`\nmachine: ${JSON.stringify(machine())}`);
saveResults('cost', {
  n: N,
  runs: RUNS,
  from,
  groups: vigilRun.result.groups,
  vigilCpuMs: vigilRun.cpu,
  naiveCpuMs: naiveRun.cpu,
  plainPassCpuMs: plainRun.cpu,
  naiveOverVigil: naiveRun.cpu / vigilRun.cpu,
  identical: agree,
  opportunityCpuMs: opportunityRun.cpu,
  opportunities: opportunityRun.result.length,
});

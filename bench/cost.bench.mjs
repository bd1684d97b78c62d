// Cost engine. (1) Aggregating N usage records (default 10M, BENCH_N) by model × feature × day with
// @vigil/core/cost's columnar aggregateUsage, against ONE plain pass over the same typed columns in the same run
// (group id by arithmetic, counts and sums per group, no quantiles, no checks: a floor, reported as a ratio), and
// against the naive object-per-record implementation (Map of per-model rates, string group keys, latency arrays
// sorted per group) as a peer for the whole pricing + aggregation. Column validation and pricing are timed on their
// own. (2) Opportunity detection (findOpportunities) over BENCH_OPP_N records (default 1M), in seconds.
// Knobs: BENCH_N, BENCH_OPP_N, BENCH_RUNS (best of, default 3), BENCH_NAIVE_RUNS (default 1: 10M objects are slow),
// BENCH_SKIP_NAIVE=1, VIGIL_BENCH_SOURCE=1 (bundle the sources with Vite instead of the built package),
// VIGIL_BENCH_COST_MODULE=/path/to/module.mjs (any build of the cost entry, e.g. an older one for before/after).
// Run through `pnpm bench` (builds first), or `node --expose-gc bench/cost.bench.mjs`.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fmt, machine, measure, saveResults, seededRandom, table } from './lib.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.BENCH_N ?? 10_000_000);
const OPP_N = Number(process.env.BENCH_OPP_N ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const NAIVE_RUNS = Number(process.env.BENCH_NAIVE_RUNS ?? 1);
const SKIP_NAIVE = process.env.BENCH_SKIP_NAIVE === '1';
const DAY = 86_400_000;

async function loadCost() {
  if (process.env.VIGIL_BENCH_COST_MODULE) {
    const file = path.resolve(process.env.VIGIL_BENCH_COST_MODULE);
    return { module: await import(pathToFileURL(file).href), from: file };
  }
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

console.log(`cost engine: aggregation of ${N.toLocaleString('en')} usage records, opportunities over ${OPP_N.toLocaleString('en')}; ${from}; best of ${RUNS} after a warm-up, CPU time`);
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
const BY = { by: ['model', 'feature'], interval: DAY };

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

/**
 * ONE plain pass over the same columns the aggregation reads (codes, timestamps, cost, tokens, ok, quality): group
 * id by arithmetic, then requests, successes, spend, tokens and quality summed per group. No quantiles, no checks,
 * no unpriced or context handling: the floor a columnar aggregation is measured against.
 */
function plainPass(d, priced) {
  const days = 31;
  const stride = 8;
  const sums = new Float64Array(MODELS.length * FEATURES.length * days * stride);
  const { timestamps, modelCodes, featureCodes, uncached, cacheRead, output, ok, quality } = d;
  const c = priced.cost;
  for (let i = 0; i < timestamps.length; i++) {
    const at = ((modelCodes[i] * FEATURES.length + featureCodes[i]) * days + Math.floor((timestamps[i] - START) / DAY)) * stride;
    sums[at] += 1;
    sums[at + 1] += ok[i];
    const cost = c[i];
    if (cost === cost) sums[at + 2] += cost;
    sums[at + 3] += uncached[i] + cacheRead[i];
    sums[at + 4] += output[i];
    const q = quality[i];
    if (q === q) {
      sums[at + 5] += q;
      sums[at + 6] += 1;
    }
  }
  let groups = 0;
  for (let k = 0; k < sums.length; k += stride) if (sums[k] > 0) groups++;
  return { groups };
}

const t0 = vigilTable(data);
const warmTable = vigilTable(warmData);
const priced0 = cost.priceUsageTable(t0, cost.DEFAULT_PRICE_CATALOGUE);
const warmPriced = cost.priceUsageTable(warmTable, cost.DEFAULT_PRICE_CATALOGUE);
const validateRun = measure(() => vigilTable(data), RUNS, () => vigilTable(warmData));
const priceRun = measure(() => cost.priceUsageTable(t0, cost.DEFAULT_PRICE_CATALOGUE), RUNS, () => cost.priceUsageTable(warmTable, cost.DEFAULT_PRICE_CATALOGUE));
const aggregateRun = measure(() => cost.aggregateUsage(t0, priced0, BY), RUNS, () => cost.aggregateUsage(warmTable, warmPriced, BY));
const plainRun = measure(() => plainPass(data, priced0), RUNS, () => plainPass(warmData, warmPriced));
const rows = aggregateRun.result.rows;
const pipelineCpu = validateRun.cpu + priceRun.cpu + aggregateRun.cpu;

let naiveRun;
let agree;
if (!SKIP_NAIVE) {
  const objects = toObjects(data);
  const warmObjects = toObjects(warmData);
  naiveRun = measure(() => naive(objects), NAIVE_RUNS, () => naive(warmObjects));
  // Same answers: group count, total spend, and every group's p95 and spend.
  agree = rows.length === naiveRun.result.groups && Math.abs(priced0.totalCost - naiveRun.result.spend) <= 1e-9 * naiveRun.result.spend;
  for (const row of rows) {
    const g = naiveRun.result.map.get(`${row.key.model}|${row.key.feature}|${Math.floor(row.bucketStart / DAY)}`);
    if (!g || g.p95 !== row.latencyP95 || Math.abs(g.spend - row.spend) > 1e-9 * Math.max(1, g.spend)) agree = false;
  }
}
if (plainRun.result.groups !== rows.length) console.log(`WARNING: plain pass found ${plainRun.result.groups} groups, aggregateUsage ${rows.length}`);

const perSecond = (ms) => `${(N / (ms / 1000) / 1e6).toFixed(2)} M`;
table(
  `aggregation by model × feature × day: ${N.toLocaleString('en')} records, ${rows.length.toLocaleString('en')} groups (spend, tokens, success, quality, context, exact p50/p95/p99 per group)`,
  ['step', 'CPU', 'records/s', 'vs plain pass'],
  [
    ['aggregateUsage (priced table in hand)', fmt.ms(aggregateRun.cpu), perSecond(aggregateRun.cpu), fmt.ratio(aggregateRun.cpu / plainRun.cpu)],
    ['plain pass (same columns, sums only)', fmt.ms(plainRun.cpu), perSecond(plainRun.cpu), fmt.ratio(1)],
    ['usageTableFromColumns (validation)', fmt.ms(validateRun.cpu), perSecond(validateRun.cpu), ''],
    ['priceUsageTable', fmt.ms(priceRun.cpu), perSecond(priceRun.cpu), ''],
    ['validation + pricing + aggregation', fmt.ms(pipelineCpu), perSecond(pipelineCpu), fmt.ratio(pipelineCpu / plainRun.cpu)],
    ...(naiveRun ? [[`naive objects (pricing + aggregation, best of ${NAIVE_RUNS})`, fmt.ms(naiveRun.cpu), perSecond(naiveRun.cpu), fmt.ratio(naiveRun.cpu / plainRun.cpu)]] : []),
  ],
);
if (naiveRun) console.log(`\nnaive / (validation + pricing + aggregation): ${fmt.ratio(naiveRun.cpu / pipelineCpu)}; answers ${agree ? 'identical (groups, spend to 1e-9, every group p95)' : 'DIFFERENT'}`);

// Opportunity detection (model switches with bootstraps, caching, batch, waste) over OPP_N records.
const oppData = OPP_N === N ? data : generate(OPP_N, 43);
const oppTable = vigilTable(oppData);
const oppPriced = cost.priceUsageTable(oppTable, cost.DEFAULT_PRICE_CATALOGUE);
const oppOptions = { catalogue: cost.DEFAULT_PRICE_CATALOGUE, modelSwitch: { resamples: 500, seed: 1 } };
const opportunityRun = measure(
  () => cost.findOpportunities(oppTable, oppPriced, oppOptions),
  1,
  () => cost.findOpportunities(warmTable, warmPriced, { ...oppOptions, modelSwitch: { resamples: 100, seed: 1 } }),
);
table('opportunity detection (all detectors, model-switch bootstraps 500 resamples, arms capped at 4,000)', ['records', 'CPU', 'wall', 'opportunities'], [[OPP_N.toLocaleString('en'), `${(opportunityRun.cpu / 1000).toFixed(2)} s`, `${(opportunityRun.wall / 1000).toFixed(2)} s`, opportunityRun.result.length]]);
console.log(`\nmachine: ${JSON.stringify(machine())}`);
saveResults('cost', {
  n: N,
  opportunityN: OPP_N,
  runs: RUNS,
  from,
  groups: rows.length,
  aggregateCpuMs: aggregateRun.cpu,
  plainPassCpuMs: plainRun.cpu,
  aggregateOverPlainPass: aggregateRun.cpu / plainRun.cpu,
  validateCpuMs: validateRun.cpu,
  priceCpuMs: priceRun.cpu,
  pipelineCpuMs: pipelineCpu,
  naiveCpuMs: naiveRun?.cpu,
  naiveOverPipeline: naiveRun ? naiveRun.cpu / pipelineCpu : undefined,
  identical: agree,
  opportunityCpuMs: opportunityRun.cpu,
  opportunities: opportunityRun.result.length,
});

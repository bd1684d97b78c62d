// Quantile sketches side by side in ONE process: @vigil/core's DDSketch against @datadog/sketches-js (the reference
// every figure is divided by), tdigest and hdr-histogram-js. Run through `pnpm bench` (builds first).
import { createRequire } from 'node:module';
import { DDSketch } from '@vigil/core/percentile';
import { fmt, lognormal, machine, measure, retainedBytes, saveResults, sleep, table, uniform } from './lib.mjs';

const require = createRequire(import.meta.url);
const { DDSketch: DatadogSketch } = require('@datadog/sketches-js');
const TDigest = require('tdigest').TDigest;
const hdr = require('hdr-histogram-js');

const N = Number(process.env.BENCH_N ?? 10_000_000);
const TDIGEST_N = Math.min(N, 1_000_000); // tdigest (a red-black tree per point) is timed on a 1M prefix
const RUNS = 3;
const PAIRED_RUNS = 7; // alternating Vigil / DataDog ingest runs
const MERGE_PARTS = 100;
const QS = [0.5, 0.9, 0.95, 0.99, 0.999];
const HDR_SCALE = 1e4; // hdr-histogram records integers: values are scaled to 1e-4 units

/**
 * Like lib.mjs's measure() for several functions at once: warms each up, then runs them in turn, `runs` rounds, and
 * returns per name the best CPU and wall times, every run's CPU time (ms) and the last result.
 */
function measureAlternating(fns, runs, warmUps) {
  for (const name of Object.keys(fns)) {
    warmUps[name]();
    for (let i = 0; i < 5; i++) {
      sleep(100); // lets the background compiler thread finish
      warmUps[name]();
    }
  }
  const timings = Object.fromEntries(Object.keys(fns).map((name) => [name, { cpu: Infinity, wall: Infinity, cpuRuns: [], result: undefined }]));
  for (let r = 0; r < runs; r++) {
    for (const [name, fn] of Object.entries(fns)) {
      const timing = timings[name];
      // As in lib.mjs's measure(), the previous result stays alive until the new one replaces it.
      globalThis.gc?.();
      sleep(100); // background GC threads finish before the clock starts (CPU time counts every thread)
      const startCpu = process.cpuUsage();
      const startWall = performance.now();
      timing.result = fn();
      const wall = performance.now() - startWall;
      const used = process.cpuUsage(startCpu);
      const cpu = (used.user + used.system) / 1000;
      timing.cpuRuns.push(cpu);
      timing.cpu = Math.min(timing.cpu, cpu);
      timing.wall = Math.min(timing.wall, wall);
    }
  }
  return timings;
}

const MIXED = Float64Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? 0 : (i % 3 === 0 ? -1 : 1) * Math.exp((i % 100) / 10)));
const datasets = [
  { name: 'lognormal', data: lognormal(N, 42) },
  { name: 'uniform', data: uniform(N, 7) },
];

const ingest = {
  vigil: (data) => {
    const s = new DDSketch();
    s.addAll(data);
    return s;
  },
  datadog: (data) => {
    const s = new DatadogSketch();
    for (let i = 0; i < data.length; i++) s.accept(data[i]);
    return s;
  },
  tdigest: (data) => {
    const s = new TDigest();
    for (let i = 0; i < data.length; i++) s.push(data[i]);
    s.compress();
    return s;
  },
  hdr: (data) => {
    const h = hdr.build({ numberOfSignificantValueDigits: 2, lowestDiscernibleValue: 1, highestTrackableValue: 2 ** 40, bitBucketSize: 32 });
    for (let i = 0; i < data.length; i++) h.recordValue(Math.round(data[i] * HDR_SCALE) || 1);
    return h;
  },
};

const quantileOf = {
  vigil: (s, q) => s.quantile(q),
  datadog: (s, q) => s.getValueAtQuantile(q),
  tdigest: (s, q) => s.percentile(q),
  hdr: (h, q) => h.getValueAtPercentile(q * 100) / HDR_SCALE,
};

const serializedBytes = {
  vigil: (s) => s.toBytes().length,
  // toProto() needs protobufjs, an optional dependency that is not installed: the protobuf size is computed from
  // the message layout instead (packed float64 contiguousBinCounts per store, plus mapping and field headers).
  datadog: (s) => {
    const storeBytes = (store) => (store.bins.length ? 2 + 2 + store.bins.length * 8 + 6 : 0);
    return 2 + 9 + 2 + 2 + storeBytes(s.store) + storeBytes(s.negativeStore) + 9;
  },
  tdigest: (s) => JSON.stringify(s.toArray()).length,
  hdr: (h) => hdr.encodeIntoCompressedBase64(h).length,
};

const results = { n: N, tdigestN: TDIGEST_N, runs: RUNS, datasets: {} };
console.log(`sketches: ${N.toLocaleString('en')} values per dataset, CPU time after a warm-up: best of ${PAIRED_RUNS} alternating runs for Vigil and DataDog, best of ${RUNS} for the others`);

for (const { name, data } of datasets) {
  const sorted = Float64Array.from(data).sort();
  // Exact quantile by the DDSketch paper's definition: rank ⌊q(n-1)⌋.
  const exact = (q, values = sorted) => values[Math.floor(q * (values.length - 1))];
  const prefixSorted = Float64Array.from(data.subarray(0, TDIGEST_N)).sort();

  // Warm-up feeds every code path (zeros and negative values too) so the optimizing compiler settles first.
  const warmUpOf = (library, input) => {
    const warmUpInput = input.subarray(0, Math.min(input.length, 200_000));
    return () => {
      if (library !== 'hdr') ingest[library](MIXED);
      return ingest[library](warmUpInput);
    };
  };
  // Vigil and DataDog, the pair the target compares, are timed in alternating runs, so that a change in the load of
  // the (shared) machine hits both alike; every other library is timed on its own.
  const paired = measureAlternating(
    { vigil: () => ingest.vigil(data), datadog: () => ingest.datadog(data) },
    PAIRED_RUNS,
    { vigil: warmUpOf('vigil', data), datadog: warmUpOf('datadog', data) },
  );
  const rows = {};
  for (const library of ['vigil', 'datadog', 'tdigest', 'hdr']) {
    const input = library === 'tdigest' ? data.subarray(0, TDIGEST_N) : data;
    const timing = paired[library] ?? measure(() => ingest[library](input), library === 'tdigest' ? 1 : RUNS, warmUpOf(library, input));
    const sketch = timing.result;
    const errors = QS.map((q) => {
      const truth = library === 'tdigest' ? exact(q, prefixSorted) : exact(q);
      return Math.abs(quantileOf[library](sketch, q) - truth) / Math.abs(truth);
    });
    const memory = retainedBytes(() => ingest[library](input.subarray(0, Math.min(input.length, 1_000_000)))).bytes;
    rows[library] = {
      values: input.length,
      ingestCpuMs: timing.cpu,
      ingestCpuRunsMs: timing.cpuRuns,
      ingestWallMs: timing.wall,
      nsPerValue: (timing.cpu * 1e6) / input.length,
      errors,
      serializedBytes: serializedBytes[library](sketch),
      retainedBytesAfter1M: memory,
    };
  }

  // Merge: 100 sketches of N/100 values each, merged into one.
  const partSize = Math.floor(N / MERGE_PARTS);
  const mergeOf = {
    vigil: () => {
      const parts = Array.from({ length: MERGE_PARTS }, (_, i) => ingest.vigil(data.subarray(i * partSize, (i + 1) * partSize)));
      return () => {
        const total = new DDSketch();
        for (const p of parts) total.merge(p);
        return total;
      };
    },
    datadog: () => {
      const parts = Array.from({ length: MERGE_PARTS }, (_, i) => ingest.datadog(data.subarray(i * partSize, (i + 1) * partSize)));
      return () => {
        const total = new DatadogSketch();
        for (const p of parts) total.merge(p);
        return total;
      };
    },
    hdr: () => {
      const parts = Array.from({ length: MERGE_PARTS }, (_, i) => ingest.hdr(data.subarray(i * partSize, (i + 1) * partSize)));
      return () => {
        const total = hdr.build({ numberOfSignificantValueDigits: 2, lowestDiscernibleValue: 1, highestTrackableValue: 2 ** 40, bitBucketSize: 32 });
        for (const p of parts) total.add(p);
        return total;
      };
    },
  };
  for (const library of Object.keys(mergeOf)) {
    const run = mergeOf[library]();
    const timing = measure(run, 5);
    rows[library].merge100Ms = timing.cpu;
    rows[library].mergedP99Error = Math.abs(quantileOf[library](timing.result, 0.99) - exact(0.99)) / exact(0.99);
  }

  const dd = rows.datadog;
  table(
    `${name}: ingest, merge and size (ratios are to @datadog/sketches-js in this run; > 1× means better)`,
    ['library', 'values', 'ingest (CPU)', 'ns/value', 'ingest speed vs DD', 'merge 100', 'merge speed vs DD', 'serialized*', 'size vs DD', 'heap after 1M'],
    Object.entries(rows).map(([library, r]) => [
      library,
      r.values.toLocaleString('en'),
      fmt.ms(r.ingestCpuMs),
      fmt.ns(r.nsPerValue),
      fmt.ratio(dd.nsPerValue / r.nsPerValue),
      r.merge100Ms === undefined ? 'n/a' : fmt.ms(r.merge100Ms),
      r.merge100Ms === undefined ? 'n/a' : fmt.ratio(dd.merge100Ms / r.merge100Ms),
      fmt.bytes(r.serializedBytes),
      fmt.ratio(dd.serializedBytes / r.serializedBytes),
      fmt.bytes(r.retainedBytesAfter1M),
    ]),
  );
  table(
    `${name}: relative error vs exact (rank ⌊q(n-1)⌋); DDSketch guarantee α = 1 %`,
    ['library', ...QS.map((q) => `p${q * 100}`), 'max', 'max vs DD'],
    Object.entries(rows).map(([library, r]) => {
      const max = Math.max(...r.errors);
      return [library, ...r.errors.map(fmt.pct), fmt.pct(max), fmt.ratio(Math.max(...dd.errors) / max)];
    }),
  );
  console.log('* DataDog: protobuf size computed from the message layout (protobufjs is not installed); tdigest: JSON of centroids; hdr: compressed base64.');
  results.datasets[name] = rows;
}

const v = results.datasets;
const median = (xs) => {
  const sorted = xs.slice().sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[sorted.length >> 1] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};
const summary = Object.keys(v).map((name) => ({
  dataset: name,
  ingestSpeedup: v[name].datadog.nsPerValue / v[name].vigil.nsPerValue,
  // Each alternating round's DataDog time over the Vigil time of the same round, then the median of those ratios.
  pairedMedianSpeedup: median(v[name].vigil.ingestCpuRunsMs.map((ms, i) => v[name].datadog.ingestCpuRunsMs[i] / ms)),
  mergeSpeedup: v[name].datadog.merge100Ms / v[name].vigil.merge100Ms,
  maxError: Math.max(...v[name].vigil.errors),
}));
table(
  'targets: ingest ≥ 4× DataDog, error ≤ α = 1 % at p50…p99.9, merge of 100 no slower than DataDog',
  ['dataset', 'ingest speedup (best vs best)', 'median of paired runs', 'merge speedup', 'max rel. error', 'verdict'],
  summary.map((s) => [
    s.dataset,
    fmt.ratio(s.ingestSpeedup),
    fmt.ratio(s.pairedMedianSpeedup),
    fmt.ratio(s.mergeSpeedup),
    fmt.pct(s.maxError),
    s.ingestSpeedup >= 4 && s.mergeSpeedup >= 1 && s.maxError <= 0.01 ? 'met' : 'NOT met',
  ]),
);
console.log(`\nmachine: ${JSON.stringify(machine())}`);
saveResults('sketches', { ...results, summary });

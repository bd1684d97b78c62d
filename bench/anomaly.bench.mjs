// Anomaly detectors judged the NAB way on the seeded labelled corpus, and their throughput, against a peer: the
// windowed Gaussian detector of the Numenta Anomaly Benchmark (published NAB standard score 39.7), reimplemented
// here with NAB's semantics (a 1,000-point sliding window, score = P(X > x) under the window's normal fit with z
// rounded to 0.1 as NAB's Q-table does). Every detector sees the same files, one point at a time, without labels.
//
//   pnpm bench anomaly                               # builds first, then runs this bench on the built packages
//   node bench/anomaly.bench.mjs                     # on the built packages (pnpm build first)
//   VIGIL_BENCH_SOURCE=1 node bench/anomaly.bench.mjs   # on the sources (bundled on the fly with esbuild)
//   ANOMALY_BENCH_SEED=7 ANOMALY_BENCH_REPEATS=4 ...    # another corpus (default seed 2024, 2 repeats = 50 files)
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fmt, machine, measure, saveResults, table } from './lib.mjs';

const SEED = Number(process.env.ANOMALY_BENCH_SEED ?? 2024);
const REPEATS = Number(process.env.ANOMALY_BENCH_REPEATS ?? 2);
const THROUGHPUT_POINTS = Number(process.env.ANOMALY_BENCH_POINTS ?? 1_000_000);
const PROFILES = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'];

/** The engines: the built package, or (VIGIL_BENCH_SOURCE=1, or before the subpaths are exported) the sources. */
async function loadEngines() {
  if (process.env.VIGIL_BENCH_SOURCE !== '1') {
    try {
      const [anomaly, nab] = await Promise.all([import('@vigil/core/anomaly'), import('@vigil/core/nab')]);
      return { anomaly, nab, from: 'built package' };
    } catch (error) {
      console.log(`(built @vigil/core/anomaly or /nab not importable: ${error.code ?? error.message}; bundling the sources instead)`);
    }
  }
  const root = fileURLToPath(new URL('..', import.meta.url));
  const require = createRequire(createRequire(import.meta.url).resolve('vite'));
  const esbuild = require('esbuild');
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-anomaly-bench-'));
  const load = async (name) => {
    const outfile = path.join(dir, `${name}.mjs`);
    await esbuild.build({ entryPoints: [path.join(root, `packages/core/src/${name}/index.ts`)], bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', outfile, logLevel: 'warning' });
    return import(pathToFileURL(outfile).href);
  };
  const engines = { anomaly: await load('anomaly'), nab: await load('nab'), from: 'sources (esbuild bundle)' };
  rmSync(dir, { recursive: true, force: true });
  return engines;
}

/** Upper tail of the standard normal, for the peer (NAB's Q-table is this function at 0.1 steps). */
function normalTail(z) {
  // erfc via the same continued fraction / series split as any textbook; accuracy far beyond the 0.1 rounding.
  const x = z / Math.SQRT2;
  if (x < 0) return 1 - normalTail(-z);
  if (x < 2.5) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 100 && term > sum * 1e-17; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
    }
    return 0.5 * (1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum);
  }
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    d = 1 / (x + (n / 2) * d);
    c = x + n / 2 / c;
    f *= c * d;
    if (Math.abs(c * d - 1) < 1e-16) break;
  }
  return (0.5 * Math.exp(-x * x)) / Math.sqrt(Math.PI) / f;
}

/**
 * The peer: NAB's windowed Gaussian detector. Score before the point joins the window; window mean and population
 * standard deviation (floor 1e-6), kept with running sums instead of NAB's per-point numpy recompute.
 */
class WindowedGaussianPeer {
  kind = 'windowed-gaussian';
  constructor(window = 1000) {
    this.window = window;
    this.ring = new Float64Array(window);
    this.head = 0;
    this.filled = 0;
    this.sum = 0;
    this.sumSquares = 0;
  }
  update(_timestamp, value) {
    if (value !== value) return 0;
    let score = 0;
    if (this.filled > 0) {
      const mean = this.sum / this.filled;
      const variance = Math.max(0, this.sumSquares / this.filled - mean * mean);
      const std = Math.sqrt(variance) || 1e-6;
      const z = Math.round((10 * (value - mean)) / std) / 10;
      score = z > 7 ? 0 : z < -7 ? 1 : normalTail(z);
    }
    if (this.filled === this.window) {
      const old = this.ring[this.head];
      this.sum -= old;
      this.sumSquares -= old * old;
    } else this.filled++;
    this.ring[this.head] = value;
    this.head = (this.head + 1) % this.window;
    this.sum += value;
    this.sumSquares += value * value;
    return score;
  }
}

const { anomaly, nab, from } = await loadEngines();
const corpus = nab.generateLabelledCorpus({ seed: SEED, repeats: REPEATS });
const rows = corpus.reduce((n, f) => n + f.values.length, 0);
const windows = corpus.reduce((n, f) => n + f.windows.length, 0);

const detectors = [
  { name: 'windowed Gaussian (peer)', make: () => new WindowedGaussianPeer() },
  { name: 'rolling z-score', make: () => new anomaly.RollingZScoreDetector() },
  { name: 'robust z-score', make: () => new anomaly.RobustZScoreDetector() },
  { name: 'EWMA', make: () => new anomaly.EwmaDetector() },
  { name: 'seasonal Holt-Winters', make: () => new anomaly.SeasonalDetector() },
  { name: 'CUSUM', make: () => new anomaly.CusumDetector() },
  { name: 'BOCPD', make: () => new anomaly.BocpdDetector(), throughputPoints: Math.min(THROUGHPUT_POINTS, 100_000) },
  { name: 'ensemble', make: () => new anomaly.EnsembleDetector() },
];

// A long series for throughput: a daily cycle (144 points a day) with noise and a few spikes, 1-minute steps.
function longSeries(n) {
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  let state = 12345;
  for (let i = 0; i < n; i++) {
    state = (state * 16807) % 2147483647;
    timestamps[i] = 1_700_000_000_000 + i * 60_000;
    values[i] = 100 + 20 * Math.sin((2 * Math.PI * i) / 144) + (state / 2147483647 - 0.5) * 6 + (i % 50_000 === 49_999 ? 40 : 0);
  }
  return { timestamps, values };
}
const long = longSeries(THROUGHPUT_POINTS);

function run(detector, series, n = series.values.length) {
  const { timestamps, values } = series;
  let total = 0;
  for (let i = 0; i < n; i++) total += detector.update(timestamps[i], values[i]);
  return total;
}

console.log(`anomaly detectors on the labelled corpus (seed ${SEED}, ${corpus.length} files, ${rows.toLocaleString('en')} rows, ${windows} anomaly windows), engines from the ${from}`);
const results = [];
for (const d of detectors) {
  const files = corpus.map((f) => {
    const detector = d.make();
    const scores = new Float64Array(f.values.length);
    for (let i = 0; i < scores.length; i++) scores[i] = detector.update(f.timestamps[i], f.values[i]);
    return { scores, windows: f.windows };
  });
  const score = nab.nabScore(files);
  const points = d.throughputPoints ?? THROUGHPUT_POINTS;
  const warm = { timestamps: long.timestamps.subarray(0, Math.min(points, 20_000)), values: long.values.subarray(0, Math.min(points, 20_000)) };
  const timing = measure(() => run(d.make(), long, points), 3, () => run(d.make(), warm));
  results.push({ name: d.name, score, pointsPerSecond: points / (timing.cpu / 1000), wallPointsPerSecond: points / (timing.wall / 1000), points });
}

const peer = results[0];
const rate = (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} M/s` : `${(v / 1e3).toFixed(0)} k/s`);
table(
  'NAB score (0 = null detector, 100 = perfect) and throughput (CPU time, best of 3); ratios against the peer',
  ['detector', 'standard', 'low FP', 'low FN', 'standard / peer', 'windows hit', 'FP rows', 'points/s', 'speed / peer'],
  results.map((r) => [
    r.name,
    r.score.standard.normalizedScore.toFixed(1),
    r.score.reward_low_FP_rate.normalizedScore.toFixed(1),
    r.score.reward_low_FN_rate.normalizedScore.toFixed(1),
    fmt.ratio(r.score.standard.normalizedScore / peer.score.standard.normalizedScore),
    `${r.score.standard.windowsDetected}/${r.score.standard.windows}`,
    r.score.standard.fp,
    rate(r.pointsPerSecond),
    fmt.ratio(r.pointsPerSecond / peer.pointsPerSecond),
  ]),
);
console.log(`\nthroughput series: ${THROUGHPUT_POINTS.toLocaleString('en')} points of a daily cycle with noise (BOCPD: 100,000); the seasonal and ensemble figures include their one-time warm-up fit`);
console.log(`machine: ${JSON.stringify(machine())}`);
saveResults('anomaly', {
  seed: SEED,
  repeats: REPEATS,
  files: corpus.length,
  rows,
  windows,
  engines: from,
  detectors: results.map((r) => ({
    name: r.name,
    pointsPerSecond: r.pointsPerSecond,
    wallPointsPerSecond: r.wallPointsPerSecond,
    throughputPoints: r.points,
    ...Object.fromEntries(PROFILES.map((p) => [p, { normalized: r.score[p].normalizedScore, raw: r.score[p].rawScore, threshold: r.score[p].threshold, fp: r.score[p].fp, windowsDetected: r.score[p].windowsDetected }])),
  })),
});

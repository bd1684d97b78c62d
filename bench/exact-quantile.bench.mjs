// Exact quantiles of 10M values: @vigil/core's selection-based quantile()/quantiles() against the obvious baseline,
// a full Float64Array.prototype.sort of a copy and an index. Run through `pnpm bench` (builds first).
import { quantile, quantiles } from '@vigil/core/percentile';
import { fmt, lognormal, machine, measure, saveResults, table, uniform } from './lib.mjs';

const N = Number(process.env.BENCH_N ?? 10_000_000);
const RUNS = 3;

function sortBaseline(data, qs) {
  const sorted = Float64Array.from(data).sort();
  return qs.map((q) => {
    const h = (sorted.length - 1) * q;
    const lower = Math.floor(h);
    const upper = Math.min(lower + 1, sorted.length - 1);
    return sorted[lower] + (sorted[upper] - sorted[lower]) * (h - lower);
  });
}

const datasets = [
  { name: 'lognormal', data: lognormal(N, 42) },
  { name: 'uniform', data: uniform(N, 7) },
];
const cases = [
  { label: '1 quantile (p99)', qs: [0.99] },
  { label: '3 quantiles (p50, p95, p99)', qs: [0.5, 0.95, 0.99] },
];

console.log(`exact quantiles: ${N.toLocaleString('en')} values, best of ${RUNS} after a warm-up, CPU time`);
const rows = [];
const results = { n: N, runs: RUNS, cases: [] };
for (const { name, data } of datasets) {
  const warm = data.subarray(0, 200_000);
  for (const { label, qs } of cases) {
    const vigil = measure(
      () => (qs.length === 1 ? [quantile(data, qs[0])] : Array.from(quantiles(data, qs))),
      RUNS,
      () => (qs.length === 1 ? quantile(warm, qs[0]) : quantiles(warm, qs)),
    );
    const baseline = measure(() => sortBaseline(data, qs), RUNS, () => sortBaseline(warm, qs));
    const same = vigil.result.every((v, i) => v === baseline.result[i]);
    rows.push([name, label, fmt.ms(vigil.cpu), fmt.ms(baseline.cpu), fmt.ratio(baseline.cpu / vigil.cpu), same ? 'identical' : 'DIFFERENT']);
    results.cases.push({ dataset: name, label, vigilCpuMs: vigil.cpu, sortCpuMs: baseline.cpu, speedup: baseline.cpu / vigil.cpu, identical: same });
  }
}
table('exact quantile vs copy + Float64Array sort + index (> 1× means faster)', ['dataset', 'case', 'vigil quantile(s)', 'sort + index', 'speedup', 'answers'], rows);
console.log(`\nmachine: ${JSON.stringify(machine())}`);
saveResults('exact-quantile', results);

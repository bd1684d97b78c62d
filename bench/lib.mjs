// Shared helpers for the benches: seeded data, CPU timing, table printing and JSON results.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';

/** xorshift32 in (0, 1): reproducible across runs and machines. */
export function seededRandom(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 0.5) / 4294967296;
  };
}

/**
 * A seed mixed by murmur3's finaliser, for benches that seed by index: from a small seed xorshift's first outputs are
 * tiny (every seed from 0 to 319 gives a first number below 0.02), so data seeded by index is correlated. (The other
 * benches keep their unmixed seeds, so that their recorded data stays the same.)
 */
export function mixSeed(seed) {
  let state = seed >>> 0;
  state = Math.imul(state ^ (state >>> 16), 0x85ebca6b);
  state = Math.imul(state ^ (state >>> 13), 0xc2b2ae35);
  return (state ^ (state >>> 16)) >>> 0;
}

/** n lognormal(μ = 0, σ = 1) values (Box-Muller), as a Float64Array. */
export function lognormal(n, seed) {
  const random = seededRandom(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.exp(Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random()));
  return out;
}

/** n uniform values in (0, 1000). */
export function uniform(n, seed) {
  const random = seededRandom(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = random() * 1000;
  return out;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
export function sleep(ms) {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Busy-waits `ms` milliseconds (keeps this thread on its core; other threads use the other cores). */
export function spin(ms) {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/**
 * Warms up (`warmUp`, else `fn` once), then runs `fn` `runs` times and returns the best CPU time (user + system, ms)
 * and the best wall time. CPU time is the headline because the benches often share the machine; wall time is reported
 * beside it. The warm-up matters: the optimizing compiler works on a background thread, and on a busy machine the
 * first full-size runs can still execute unoptimized code.
 */
export function measure(fn, runs = 3, warmUp = fn) {
  warmUp();
  for (let i = 0; i < 5; i++) {
    sleep(100); // lets the background compiler thread finish (a sleep, not a spin, so it gets the CPU)
    warmUp();
  }
  let cpu = Infinity;
  let wall = Infinity;
  let result;
  for (let r = 0; r < runs; r++) {
    if (globalThis.gc) {
      globalThis.gc();
      // Let the collector's concurrent sweeping finish on its own threads: CPU time counts every thread of the
      // process, and sweeping left running inside a measured run was counted against it (up to 2× on small runs).
      // A spin, not a sleep: after a sleep the first milliseconds run on cold caches and a lower clock, which
      // penalised short runs (a 6 ms batch of backtests by up to 1.8× against a 16 ms batch of plain passes).
      spin(50);
    }
    const startCpu = process.cpuUsage();
    const startWall = performance.now();
    result = fn();
    const wallMs = performance.now() - startWall;
    const used = process.cpuUsage(startCpu);
    cpu = Math.min(cpu, (used.user + used.system) / 1000);
    wall = Math.min(wall, wallMs);
  }
  return { cpu, wall, result };
}

/**
 * Paired rounds, for ratios on a noisy machine: warms every workload up, then runs them all in each of `rounds`
 * rounds (the order reversed every other round) and compares each with the `baseline` workload of the same round.
 * Noise that slows a whole round (another tenant on the memory bus, a slower clock) then mostly cancels in the ratio,
 * where a best-of-N of each side, taken at different moments, does not.
 *
 * `workloads` maps a name to a function, or to `{ prepare, run, times }`: `prepare()` runs untimed before each run and
 * its result is passed to `run` (a fresh object to work on, say); `times` (default 1) is how many operations one run
 * does (a batch of short ones), and times are per operation. With `gc` (and --expose-gc), each run follows a full GC
 * and a 50 ms spin (see `measure`): right for a run that starts on a heap just built by `prepare`, wrong for short
 * allocating runs, which a full GC leaves on freshly committed pages (a backtest took 300-500 µs right after one,
 * 104 µs ten runs later). Returns per name the best wall and CPU times, every round's wall time, the median over
 * rounds of its wall time over the baseline's in the same round (`ratio`), and the last result.
 */
export function measurePaired(workloads, baseline, rounds, { warmUps = 6, gc = true } = {}) {
  const entries = Object.entries(workloads).map(([name, w]) => [name, { prepare: () => undefined, times: 1, ...(typeof w === 'function' ? { run: w } : w) }]);
  for (let i = 0; i < warmUps; i++) {
    for (const [, w] of entries) w.run(w.prepare());
    sleep(50); // lets the background compiler thread finish
  }
  const out = Object.fromEntries(entries.map(([name]) => [name, { wall: Infinity, cpu: Infinity, walls: [], ratio: NaN, result: undefined }]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, w] of r % 2 === 0 ? entries : [...entries].reverse()) {
      const state = w.prepare();
      if (gc && globalThis.gc) {
        globalThis.gc();
        spin(50);
      }
      const startCpu = process.cpuUsage();
      const startWall = performance.now();
      const result = w.run(state);
      const wall = (performance.now() - startWall) / w.times;
      const used = process.cpuUsage(startCpu);
      const timing = out[name];
      timing.result = result;
      timing.walls.push(wall);
      timing.wall = Math.min(timing.wall, wall);
      timing.cpu = Math.min(timing.cpu, (used.user + used.system) / 1000 / w.times);
    }
  }
  const base = out[baseline].walls;
  for (const timing of Object.values(out)) timing.ratio = median(timing.walls.map((wall, i) => wall / base[i]));
  return out;
}

/** The median of a non-empty array of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Retained heap (JS heap + array buffers) of what `build` returns, measured around forced GCs. */
export function retainedBytes(build) {
  const usage = () => {
    globalThis.gc?.();
    globalThis.gc?.();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = usage();
  const kept = build();
  const after = usage();
  return { bytes: Math.max(0, after - before), kept };
}

export function table(title, header, rows) {
  const widths = header.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
}

export function machine() {
  return {
    node: process.version,
    v8: process.versions.v8,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    platform: `${os.platform()} ${os.arch()}`,
    loadAverage: os.loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}

export function saveResults(name, data) {
  if (!process.env.BENCH_JSON_DIR) return;
  mkdirSync(process.env.BENCH_JSON_DIR, { recursive: true });
  writeFileSync(`${process.env.BENCH_JSON_DIR}/${name}.json`, JSON.stringify({ machine: machine(), date: new Date().toISOString(), ...data }, null, 2));
}

export const fmt = {
  ms: (v) => `${v.toFixed(1)} ms`,
  ns: (v) => `${v.toFixed(1)} ns`,
  ratio: (v) => `${v.toFixed(2)}×`,
  pct: (v) => `${(v * 100).toFixed(3)} %`,
  bytes: (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} MB` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} kB` : `${v} B`),
};

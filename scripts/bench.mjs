// Runs every bench/*.bench.mjs in name order, each in its own Node process (so one bench's JIT state and heap do not
// colour the next), printing their tables. JSON results go to .bench-results/ (gitignored) unless --no-json.
// Usage: pnpm bench            (builds the packages first: the benches import the built output)
//        node --expose-gc scripts/bench.mjs [filter] [--no-json]
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const filter = args.find((a) => !a.startsWith('--'));
const json = !args.includes('--no-json');
const benches = readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.mjs') && (!filter || f.includes(filter)))
  .sort();

if (benches.length === 0) {
  console.error(`no bench matches ${filter ?? '*'}`);
  process.exit(1);
}

let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  const started = Date.now();
  const child = spawnSync(process.execPath, ['--expose-gc', path.join(root, 'bench', file)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...(json ? { BENCH_JSON_DIR: path.join(root, '.bench-results') } : {}) },
  });
  console.log(`=== ${file}: ${child.status === 0 ? 'done' : `FAILED (exit ${child.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s ===`);
  if (child.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);

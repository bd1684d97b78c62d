#!/usr/bin/env node
// Adds a subpath entry point to a workspace package: the exports map (types first, ESM and CJS) and the tsup entry.
// Usage: node scripts/add-entry.mjs packages/core slo windows
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, ...names] = process.argv.slice(2);
if (!dir || names.length === 0) throw new Error('usage: add-entry.mjs PACKAGE_DIR NAME...');
const pkgPath = join(dir, 'package.json');
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
const tsupPath = join(dir, 'tsup.config.ts');
let tsup = readFileSync(tsupPath, 'utf8');
for (const name of names) {
  pkg.exports[`./${name}`] = {
    import: { types: `./dist/${name}/index.d.ts`, default: `./dist/${name}/index.js` },
    require: { types: `./dist/${name}/index.d.cts`, default: `./dist/${name}/index.cjs` },
  };
  const entry = `"src/${name}/index.ts"`;
  if (!tsup.includes(entry)) tsup = tsup.replace(/entry: \[([^\]]*)\]/, (_, list) => `entry: [${list.trim().replace(/,$/, '')}, ${entry}]`);
}
// Keep ./package.json (and any non-code entries) last.
const { ['./package.json']: self, ...rest } = pkg.exports;
const code = Object.fromEntries(Object.entries(rest).filter(([, v]) => typeof v === 'object'));
const files = Object.fromEntries(Object.entries(rest).filter(([, v]) => typeof v !== 'object'));
pkg.exports = { ...code, ...files, './package.json': self };
writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
writeFileSync(tsupPath, tsup);

#!/usr/bin/env node
// Installs the system packages the test suite runs against, from Debian, when they are missing:
// Chromium (browser tests, stories, the demo smoke test), Prometheus with promtool (adapter and rule tests) and
// Alertmanager (the v2 client and the grouping/silencing agreement tests).
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const wanted = [
  { bin: '/usr/bin/chromium', pkg: 'chromium' },
  // A real Prometheus for the adapter and SLO-rule tests.
  { bin: '/usr/bin/prometheus', pkg: 'prometheus' },
  // A real Alertmanager for the v2 API client and the grouping/silence agreement tests.
  { bin: '/usr/bin/prometheus-alertmanager', pkg: 'prometheus-alertmanager' },
];
const missing = wanted.filter((w) => !existsSync(w.bin)).map((w) => w.pkg);
if (missing.length === 0) process.exit(0);

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const sudo = asRoot ? '' : 'sudo ';
console.warn(`[vigil] installing from Debian: ${missing.join(' ')}`);
try {
  execSync(`${sudo}apt-get update -qq`, { stdio: 'inherit' });
  execSync(`${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')}`, { stdio: 'inherit' });
} catch (error) {
  console.error(`[vigil] could not install ${missing.join(' ')}: install them with apt-get and run the tests again.`);
  throw error;
}

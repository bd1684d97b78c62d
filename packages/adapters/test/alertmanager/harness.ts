/**
 * Runs a real Alertmanager (Debian's `prometheus-alertmanager`, or ALERTMANAGER_BIN) on 127.0.0.1 for tests: a free
 * port, a temporary directory for its config and storage, clustering off, and a wait for `/-/ready`. `stop()` kills
 * it and deletes the directory; a process exit hook does the same if a test run dies first.
 *
 * The binary is installed by `scripts/ensure-system-deps.mjs` (CI runs it). Tests skip with `availability.reason`
 * only when the binary is absent and could not be installed.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StartAlertmanagerOptions {
  /**
   * The `route:` section's grouping. Default `['alertname']`. Timings are set so that groups form at once
   * (`group_wait: 0s`) and nothing is re-sent during a test.
   */
  readonly groupBy?: readonly string[];
  /** Inhibition rules, as Alertmanager YAML list items (each a YAML mapping written as JSON, which YAML accepts). */
  readonly inhibitRules?: readonly Record<string, unknown>[];
  /** When set, the receiver posts Alertmanager's webhook (version 4) there, resolved notifications included. */
  readonly webhookUrl?: string;
  /** How long to wait for `/-/ready`, in ms. Default 30 000. */
  readonly readyTimeoutMs?: number;
}

export interface RunningAlertmanager {
  /** Base URL, such as `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly directory: string;
  /** Recent log output, for failure messages. */
  logs(): string;
  /** Stops the server and deletes its files. Safe to call twice. */
  stop(): Promise<void>;
}

export type AlertmanagerAvailability = { readonly available: true; readonly binary: string } | { readonly available: false; readonly reason: string };

/** Where the binary is: ALERTMANAGER_BIN, /usr/bin/prometheus-alertmanager, or `alertmanager` / `prometheus-alertmanager` on PATH. */
export function alertmanagerAvailability(): AlertmanagerAvailability {
  const override = process.env.ALERTMANAGER_BIN;
  if (override !== undefined && override !== '') {
    return existsSync(override) ? { available: true, binary: override } : { available: false, reason: `ALERTMANAGER_BIN=${override} does not exist` };
  }
  const candidates = ['/usr/bin/prometheus-alertmanager'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    candidates.push(join(dir, 'prometheus-alertmanager'), join(dir, 'alertmanager'));
  }
  for (const candidate of candidates) if (existsSync(candidate)) return { available: true, binary: candidate };
  return {
    available: false,
    reason:
      'Alertmanager not found (/usr/bin/prometheus-alertmanager, or alertmanager on PATH, or ALERTMANAGER_BIN). Install it with `node scripts/ensure-system-deps.mjs` or `apt-get install -y prometheus-alertmanager`; CI does this.',
  };
}

let installTried: string | undefined;

/**
 * {@link alertmanagerAvailability}, but when the binary is missing it first runs `scripts/ensure-system-deps.mjs`
 * once (which apt-installs `prometheus-alertmanager`; set VIGIL_NO_INSTALL=1 to skip that). Tests skip only when this
 * still reports it unavailable, and the reason then says why the install failed.
 */
export function ensureAlertmanager(): AlertmanagerAvailability {
  const first = alertmanagerAvailability();
  if (first.available || process.env.VIGIL_NO_INSTALL === '1') return first;
  if (installTried === undefined) {
    const script = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../scripts/ensure-system-deps.mjs');
    try {
      execFileSync(process.execPath, [script], { stdio: 'pipe', timeout: 600_000 });
      installTried = 'ok';
    } catch (error) {
      installTried = error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error);
    }
  }
  const second = alertmanagerAvailability();
  if (second.available) return second;
  return { available: false, reason: `${second.reason} (scripts/ensure-system-deps.mjs could not install it: ${installTried})` };
}

/** A port that was free a moment ago on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts Alertmanager; see the module comment. Throws with the server's log when it does not become ready. */
export async function startAlertmanager(options: StartAlertmanagerOptions = {}): Promise<RunningAlertmanager> {
  const availability = alertmanagerAvailability();
  if (!availability.available) throw new Error(availability.reason);
  const directory = await mkdtemp(join(tmpdir(), 'vigil-alertmanager-'));
  const groupBy = options.groupBy ?? ['alertname'];
  // JSON is YAML: no YAML writer needed, and no quoting mistakes.
  const config = {
    route: { receiver: 'vigil', group_by: groupBy, group_wait: '0s', group_interval: '1h', repeat_interval: '24h' },
    receivers: [{ name: 'vigil', ...(options.webhookUrl === undefined ? {} : { webhook_configs: [{ url: options.webhookUrl, send_resolved: true }] }) }],
    ...(options.inhibitRules === undefined ? {} : { inhibit_rules: options.inhibitRules }),
  };
  const configFile = join(directory, 'alertmanager.yml');
  await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`);

  let log = '';
  let stopped = false;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    availability.binary,
    [
      `--config.file=${configFile}`,
      `--storage.path=${join(directory, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // No gossip: a lone test instance must not look for peers (or bind 0.0.0.0:9094).
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const killNow = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killNow);

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const current = child;
    if (current.exitCode === null && current.signalCode === null) {
      const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
      current.kill('SIGTERM');
      const timer = setTimeout(() => current.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    process.removeListener('exit', killNow);
    await rm(directory, { recursive: true, force: true });
  };

  const append = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-16_384);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const deadline = Date.now() + readyTimeoutMs;
  try {
    for (;;) {
      if (exited) throw new Error(`alertmanager exited before it was ready:\n${log}`);
      try {
        const response = await fetch(`${url}/-/ready`);
        await response.arrayBuffer();
        if (response.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`alertmanager was not ready within ${readyTimeoutMs} ms:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, directory, logs: () => log, stop };
}

/**
 * Runs a real Prometheus (the Debian `prometheus` package, or PROMETHEUS_BIN / PROMTOOL_BIN) on 127.0.0.1 for
 * tests, seeded with known data:
 *
 * 1. the OpenMetrics text is turned into TSDB blocks with `promtool tsdb create-blocks-from openmetrics`;
 * 2. `prometheus` starts on a free port over that data directory, with 100 years of retention so that old samples
 *    are kept, and the harness waits for `/-/ready`;
 * 3. optionally, recording rules are evaluated over the backfilled history with
 *    `promtool tsdb create-blocks-from rules` (Prometheus only evaluates rules live, at "now", so rules over
 *    backfilled data need this), one rule file per pass, and Prometheus is restarted after each pass so that the
 *    next pass, and the tests, see the recorded series.
 *
 * `stop()` kills the server and deletes its directory; a process exit hook does the same if a test run dies first.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface StartPrometheusOptions {
  /** OpenMetrics text with timestamps (seconds); `# EOF` is added when missing. */
  readonly openMetrics: string;
  /**
   * Rule files (YAML text, Prometheus' `groups:` format), loaded with `rule_files`. Prometheus refuses to start on an
   * invalid file, so this also checks them.
   */
  readonly rules?: string | readonly string[];
  /**
   * Evaluate the recording rules of `rules` over this past range (epoch ms) with `promtool tsdb create-blocks-from
   * rules`, one file per pass in order, restarting Prometheus between passes so that a file may use the series the
   * files before it recorded. Alerting rules are not backfilled (promtool's limit). promtool evaluates at
   * `start + k × evalIntervalMs` for k >= 1 (the start itself gets no sample, so start one interval early), shifted
   * by the rule group's phase: like Prometheus, promtool offsets each group's evaluations by a hash of the group, so
   * recorded samples are not on whole minutes. Compare against the recorded samples' own timestamps.
   */
  readonly backfillRules?: { readonly start: number; readonly end: number; readonly evalIntervalMs?: number };
  /** Scrape Prometheus' own `/metrics` every second, so that `/api/v1/metadata` has entries. Default false. */
  readonly scrapeSelf?: boolean;
  /** How long to wait for `/-/ready`, in ms. Default 30 000. */
  readonly readyTimeoutMs?: number;
}

export interface RunningPrometheus {
  /** Base URL, such as `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly dataDir: string;
  /** Recent log output of the server, for failure messages. */
  logs(): string;
  /** Stops the server and deletes its files. Safe to call twice. */
  stop(): Promise<void>;
}

export type PrometheusAvailability = { readonly available: true; readonly prometheus: string; readonly promtool: string } | { readonly available: false; readonly reason: string };

function findExecutable(name: string, override: string | undefined): string | undefined {
  if (override !== undefined && override !== '') return existsSync(override) ? override : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Whether `prometheus` and `promtool` can be found, and where. */
export function prometheusAvailability(): PrometheusAvailability {
  const prometheus = findExecutable('prometheus', process.env.PROMETHEUS_BIN);
  const promtool = findExecutable('promtool', process.env.PROMTOOL_BIN);
  if (prometheus === undefined || promtool === undefined) {
    const missing = [prometheus === undefined ? 'prometheus' : undefined, promtool === undefined ? 'promtool' : undefined].filter(Boolean).join(' and ');
    return {
      available: false,
      reason: `${missing} not found on PATH (or PROMETHEUS_BIN / PROMTOOL_BIN). Install them with \`apt-get install -y prometheus\`; .ci/run does this in CI.`,
    };
  }
  return { available: true, prometheus, promtool };
}

/** Runs a program to completion; rejects with its output when it fails. */
function run(file: string, args: readonly string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(`${stdout}${stderr}`);
    });
  });
}

/**
 * Polls the number of series in [start, end] until three reads in a row agree (or 30 s pass, which is an error), so
 * callers do not race Prometheus' start-up compaction of freshly backfilled, overlapping blocks.
 */
async function waitForStableSeries(url: string, start: number, end: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  const query = new URLSearchParams({ query: 'count({__name__=~".+"})', time: String(end / 1000) });
  let last = -1;
  let agreeing = 0;
  for (;;) {
    let count = -1;
    try {
      const response = await fetch(`${url}/api/v1/query?${query}`);
      const body = (await response.json()) as { data?: { result?: { value?: [number, string] }[] } };
      count = Number(body.data?.result?.[0]?.value?.[1] ?? 0);
    } catch {
      count = -1;
    }
    agreeing = count >= 0 && count === last ? agreeing + 1 : 0;
    if (agreeing >= 2) return;
    last = count;
    if (Date.now() > deadline) throw new Error(`the series count over ${start}..${end} did not settle within 30 s (last ${count})`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const seconds = (ms: number) => String(Math.floor(ms / 1000));

/** Starts a seeded Prometheus; see the module comment. Throws with the server's log when anything fails. */
export async function startPrometheus(options: StartPrometheusOptions): Promise<RunningPrometheus> {
  const availability = prometheusAvailability();
  if (!availability.available) throw new Error(availability.reason);
  const { prometheus, promtool } = availability;

  const dir = await mkdtemp(join(tmpdir(), 'vigil-prometheus-'));
  const dataDir = join(dir, 'data');
  const ruleFiles: string[] = [];
  let child: ChildProcess | undefined;
  let log = '';
  let url = '';
  let stopped = false;

  const killNow = () => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killNow);

  const stopServer = async () => {
    const current = child;
    child = undefined;
    if (current === undefined || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
    current.kill('SIGTERM');
    const timer = setTimeout(() => current.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const launch = async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const config = [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      ...(ruleFiles.length > 0 ? ['rule_files:', ...ruleFiles.map((f) => `  - ${JSON.stringify(f)}`)] : []),
      ...(options.scrapeSelf === true ? ['scrape_configs:', '  - job_name: prometheus', '    static_configs:', `      - targets: ["127.0.0.1:${port}"]`] : []),
    ].join('\n');
    const configFile = join(dir, 'prometheus.yml');
    await writeFile(configFile, `${config}\n`);
    const started = spawn(
      prometheus,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=100y',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = started;
    const append = (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-16_384);
    };
    started.stdout?.on('data', append);
    started.stderr?.on('data', append);
    let exited = false;
    started.once('exit', () => {
      exited = true;
    });
    const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
    for (;;) {
      if (exited) throw new Error(`prometheus exited before it was ready:\n${log}`);
      try {
        const response = await fetch(`${url}/-/ready`);
        await response.arrayBuffer();
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`prometheus was not ready within ${options.readyTimeoutMs ?? 30_000} ms:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopServer();
    process.removeListener('exit', killNow);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const text = options.openMetrics.trimEnd();
    const openMetricsFile = join(dir, 'seed.om.txt');
    await writeFile(openMetricsFile, text.endsWith('# EOF') ? `${text}\n` : `${text}\n# EOF\n`);
    await mkdir(dataDir);
    await run(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', openMetricsFile, dataDir]);

    const rules = options.rules === undefined ? [] : typeof options.rules === 'string' ? [options.rules] : options.rules;
    for (let i = 0; i < rules.length; i++) {
      const file = join(dir, `rules-${i}.yml`);
      await writeFile(file, rules[i] as string);
      ruleFiles.push(file);
    }
    await launch();

    if (options.backfillRules !== undefined && ruleFiles.length > 0) {
      const { start, end, evalIntervalMs = 60_000 } = options.backfillRules;
      for (let i = 0; i < ruleFiles.length; i++) {
        const outputDir = join(dir, `rule-blocks-${i}`);
        await mkdir(outputDir);
        await run(promtool, [
          'tsdb',
          'create-blocks-from',
          'rules',
          '--quiet',
          `--url=${url}`,
          `--start=${seconds(start)}`,
          `--end=${seconds(end)}`,
          `--eval-interval=${Math.max(1, Math.round(evalIntervalMs / 1000))}s`,
          `--output-dir=${outputDir}`,
          ruleFiles[i] as string,
        ]);
        // Blocks are picked up at start-up; overlapping blocks are allowed since Prometheus 2.39.
        await stopServer();
        for (const block of await readdir(outputDir)) await rename(join(outputDir, block), join(dataDir, block));
        await launch();
        // Ready is not the same as settled: at start-up Prometheus merges the overlapping blocks just added, and a
        // query (or the next pass's promtool) that runs meanwhile can miss series. Wait until the number of series
        // stops changing before anything reads the new blocks.
        await waitForStableSeries(url, start, end);
      }
    }
  } catch (error) {
    const logs = log;
    await stop();
    if (error instanceof Error && logs !== '' && !error.message.includes(logs)) error.message += `\nprometheus log:\n${logs}`;
    throw error;
  }

  return {
    get url() {
      return url;
    },
    dataDir,
    logs: () => log,
    stop,
  };
}

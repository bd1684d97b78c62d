/**
 * Helpers for the SLO tests that run `promtool`: synthetic counters described as phases of constant traffic, their
 * `promtool test rules` input-series notation, a port of Prometheus' `humanizeDuration` template function (to
 * predict the exhaustion annotation), and running promtool itself.
 */
import { execFile } from 'node:child_process';

/** A stretch of constant traffic: `minutes` minutes of `total` requests and `bad` failures per minute. */
export interface TrafficPhase {
  readonly minutes: number;
  readonly total: number;
  readonly bad: number;
}

/** Cumulative counters sampled every minute from 0 (value 0 at minute 0), through every phase. */
export function countersFromPhases(phases: readonly TrafficPhase[]): { total: number[]; bad: number[] } {
  const total = [0];
  const bad = [0];
  for (const phase of phases) {
    for (let m = 0; m < phase.minutes; m++) {
      total.push((total[total.length - 1] as number) + phase.total);
      bad.push((bad[bad.length - 1] as number) + phase.bad);
    }
  }
  return { total, bad };
}

/**
 * promtool's expanding notation for a counter sampled at every interval: runs of equal increments become
 * `a+bxn` (n + 1 values a, a + b, ..., a + nb), single values stay as they are. Exact for whole numbers.
 *
 * @example
 * seriesValues([0, 5, 10, 15, 17]); // "0+5x3 17"
 */
export function seriesValues(values: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < values.length) {
    const start = values[i] as number;
    if (i + 1 >= values.length) {
      parts.push(String(start));
      break;
    }
    const step = (values[i + 1] as number) - start;
    let j = i + 1;
    while (j + 1 < values.length && (values[j + 1] as number) - (values[j] as number) === step) j++;
    parts.push(`${start}${step >= 0 ? '+' : ''}${step}x${j - i}`);
    i = j + 1;
  }
  return parts.join(' ');
}

/**
 * Prometheus' `humanizeDuration` template function (template/template.go), for durations of at least one second:
 * whole seconds (truncated) split into days, hours, minutes and seconds.
 *
 * @example
 * humanizeDuration(93_784.9); // "1d 2h 3m 4s"
 */
export function humanizeDuration(seconds: number): string {
  if (!(Math.abs(seconds) >= 1)) throw new Error(`humanizeDuration port covers |v| >= 1 only, got ${seconds}`);
  const sign = seconds < 0 ? '-' : '';
  const whole = Math.trunc(Math.abs(seconds));
  const s = whole % 60;
  const m = Math.floor(whole / 60) % 60;
  const h = Math.floor(whole / 3600) % 24;
  const d = Math.floor(whole / 86_400);
  if (d !== 0) return `${sign}${d}d ${h}h ${m}m ${s}s`;
  if (h !== 0) return `${sign}${h}h ${m}m ${s}s`;
  if (m !== 0) return `${sign}${m}m ${s}s`;
  return `${sign}${Number(Math.abs(seconds).toPrecision(4))}s`;
}

/** Runs promtool; resolves with its output and exit code (it never rejects on a non-zero exit). */
export function runPromtool(promtool: string, args: readonly string[], cwd: string, timeoutMs = 120_000): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    execFile(promtool, args, { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') reject(new Error(`promtool ${args.join(' ')} did not run: ${error.message}\n${stdout}${stderr}`));
      else resolve({ code: error === null ? 0 : (error.code as number), output: `${stdout}${stderr}` });
    });
  });
}

/** A YAML single-quoted scalar (promtool test files): quotes doubled. */
export function yamlSingle(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

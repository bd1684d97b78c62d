import { parseArgs } from 'node:util';
import { ValidationError } from '@vigil/core';
import type { Series } from '@vigil/core';
import { createSimulatedSource } from '@vigil/adapters/simulated';
import { formatDuration, parseDuration, seriesStats, toCsv } from '@vigil/core/series';
import { defineCommand, parseFormat, asUsage, toJson, toTable } from '../command';
import type { Command, OutputFormat } from '../command';
import type { CliIo } from '../io';

interface QueryConfig {
  readonly query: string;
  readonly rangeMs: number;
  readonly stepMs: number;
  readonly end: number | undefined;
  readonly seed: number;
  readonly format: OutputFormat;
}

/** The simulated source takes seeds in [-2^31, 2^31]. */
const MAX_SEED = 2 ** 31;

/** Range queries may return at most this many points per series. */
const MAX_POINTS_PER_SERIES = 1_000_000;

/** A step giving about 240 points over the range, in whole seconds, at least 1 s. */
export function defaultStepMs(rangeMs: number): number {
  return Math.max(1000, Math.ceil(rangeMs / 240 / 1000) * 1000);
}

/** `name{a="x", b="y"}`, the way Prometheus prints a series. */
export function seriesDisplayName(series: Series): string {
  const labels = Object.entries(series.labels).filter(([key]) => key !== '__name__');
  const name = series.name ?? series.labels['__name__'] ?? '';
  if (labels.length === 0) return name === '' ? '{}' : name;
  return `${name}{${labels.map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(', ')}}`;
}


export const queryCommand: Command = defineCommand<QueryConfig>({
  name: 'query',
  summary: 'run a PromQL range query against the seeded simulated source',
  help: `Usage: vigil query <promql> [--range 1h] [--step 30s] [--end T] [--seed N] [--format table|csv|json]

Runs a PromQL range query against Vigil's simulated data source (deterministic for a given --seed) and prints
the result: a summary per series (table, the default), every point as CSV (series,timestamp,value), or JSON.

Options:
  --range D     how far back from --end, a Prometheus duration such as 15m, 1h, 7d (default 1h)
  --step D      resolution (default: about 240 points over the range); the range is aligned to multiples of it
  --end T       end of the range: epoch milliseconds or an ISO 8601 date (default: now)
  --seed N      seed of the simulated source, a whole number in [-2^31, 2^31] (default 1)
  --format F    table (default), csv or json

Example:
  vigil query 'sum by (service) (rate(http_requests_total[5m]))' --range 6h --step 1m --format csv
`,
  parse(args) {
    const { values, positionals } = asUsage(() =>
      parseArgs({
        args,
        strict: true,
        allowPositionals: true,
        options: {
          range: { type: 'string' },
          step: { type: 'string' },
          end: { type: 'string' },
          seed: { type: 'string' },
          format: { type: 'string' },
        },
      }),
    );
    if (positionals.length !== 1 || (positionals[0] as string).trim() === '') {
      throw new ValidationError('<promql>', 'exactly one query argument (quote it)', `${positionals.length} arguments`);
    }
    const rangeMs = parseDuration(values.range ?? '1h', '--range');
    if (rangeMs <= 0) throw new ValidationError('--range', 'a duration longer than 0', values.range);
    const stepMs = values.step === undefined ? defaultStepMs(rangeMs) : parseDuration(values.step, '--step');
    if (stepMs <= 0) throw new ValidationError('--step', 'a duration longer than 0', values.step);
    if (rangeMs / stepMs > MAX_POINTS_PER_SERIES) {
      throw new ValidationError('--step', `a step giving at most ${MAX_POINTS_PER_SERIES} points over ${formatDuration(rangeMs)}`, values.step);
    }
    let end: number | undefined;
    if (values.end !== undefined) {
      end = /^\d+$/.test(values.end) ? Number(values.end) : Date.parse(values.end);
      if (!Number.isFinite(end)) throw new ValidationError('--end', 'epoch milliseconds or an ISO 8601 date', values.end);
    }
    const seedText = values.seed ?? '1';
    const seed = /^-?\d{1,10}$/.test(seedText) ? Number(seedText) : NaN;
    if (!(Math.abs(seed) <= MAX_SEED)) throw new ValidationError('--seed', `a whole number in [-${MAX_SEED}, ${MAX_SEED}] (write a negative one as --seed=-5)`, seedText);
    return { query: positionals[0] as string, rangeMs, stepMs, end, seed, format: parseFormat(values.format, 'table') };
  },
  async execute(config, io) {
    const clock = io.now ?? Date.now;
    const source = createSimulatedSource({ seed: config.seed, now: clock });
    const now = config.end ?? clock();
    const end = Math.floor(now / config.stepMs) * config.stepMs;
    const range = { start: end - config.rangeMs, end };
    const result = await source.queryRange({ query: config.query, range, stepMs: config.stepMs });
    for (const warning of result.warnings) io.stderr.write(`vigil query: warning: ${warning}\n`);
    writeSeries(result.data, config.format, io);
  },
});

function writeSeries(data: readonly Series[], format: OutputFormat, io: CliIo): void {
  if (format === 'json') {
    io.stdout.write(
      toJson(data.map((s) => ({ name: s.name ?? null, labels: s.labels, timestamps: Array.from(s.timestamps), values: Array.from(s.values) }))),
    );
    return;
  }
  if (format === 'csv') {
    const rows: (string | number)[][] = [['series', 'timestamp', 'value']];
    for (const s of data) {
      const name = seriesDisplayName(s);
      for (let i = 0; i < s.timestamps.length; i++) rows.push([name, s.timestamps[i] as number, s.values[i] as number]);
    }
    io.stdout.write(toCsv(rows));
    return;
  }
  if (data.length === 0) {
    io.stdout.write('no series\n');
    return;
  }
  const rows = [['series', 'points', 'last', 'min', 'max', 'mean']];
  for (const s of data) {
    const stats = seriesStats(s);
    const show = (v: number) => (stats.count === 0 ? '-' : formatNumber(v));
    rows.push([seriesDisplayName(s), String(stats.count), show(stats.last), show(stats.min), show(stats.max), show(stats.mean)]);
  }
  io.stdout.write(toTable(rows));
}

/** Up to 6 significant digits, without exponent noise for everyday magnitudes. */
function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number(value.toPrecision(6)).toString();
}

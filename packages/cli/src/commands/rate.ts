import { parseArgs } from 'node:util';
import { ValidationError } from '@vigil/core';
import { createSeries, increase, instantRate, parseDuration, rate, toCsv } from '@vigil/core/series';
import { defineCommand, asUsage } from '../command';
import type { Command } from '../command';
import { parseTimestampValueCsv, readInput } from '../io';
import type { TimeUnit } from '../io';

type RateFunction = 'rate' | 'increase' | 'irate';

interface RateConfig {
  readonly windowMs: number;
  readonly fn: RateFunction;
  readonly extrapolate: boolean;
  readonly stepMs: number | undefined;
  readonly unit: TimeUnit;
  readonly file: string | undefined;
}

/** The CLI refuses to evaluate at more points than this. */
const MAX_EVALUATIONS = 10_000_000;

export const rateCommand: Command = defineCommand<RateConfig>({
  name: 'rate',
  summary: 'Prometheus-exact rate/increase/irate of a counter read as timestamp,value CSV',
  help: `Usage: vigil rate --window 5m [--function rate|increase|irate] [--step 30s] [--no-extrapolate]
                  [--time-unit ms|s] [--file F]

Reads a counter as "timestamp,value" CSV (a header row, blank lines and # comments are skipped) from --file
or stdin, and prints the windowed rate as CSV: "timestamp,<function>". Computed exactly like Prometheus 3's
rate(), increase() and irate() over the window (t - window, t]: counter resets corrected, extrapolation to
the window edges, per-second rates. A point with fewer than two samples in its window is NaN (no data).

Options:
  --window D        window length, a Prometheus duration: 30s, 5m, 1h30m, 7d (required)
  --function F      rate (per second; default), increase, or irate (last two samples)
  --step D          evaluate on an epoch-aligned grid every D, like a range query (default: at each sample)
  --no-extrapolate  the raw reset-corrected increase, without Prometheus' extrapolation
  --time-unit U     unit of numeric timestamps in and out: ms (default) or s; ISO 8601 dates are also read
  --file F          read from F instead of stdin

Example:
  printf 'timestamp,value\\n0,0\\n15000,30\\n30000,60\\n' | vigil rate --window 30s
`,
  parse(args) {
    const { values } = asUsage(() =>
      parseArgs({
        args,
        strict: true,
        options: {
          window: { type: 'string', short: 'w' },
          function: { type: 'string' },
          step: { type: 'string' },
          'no-extrapolate': { type: 'boolean' },
          'time-unit': { type: 'string' },
          file: { type: 'string', short: 'f' },
        },
      }),
    );
    if (values.window === undefined) throw new ValidationError('--window', 'a duration such as 5m', undefined);
    const windowMs = parseDuration(values.window, '--window');
    if (windowMs <= 0) throw new ValidationError('--window', 'a duration longer than 0', values.window);
    const fn = values.function ?? 'rate';
    if (fn !== 'rate' && fn !== 'increase' && fn !== 'irate') throw new ValidationError('--function', 'rate, increase or irate', fn);
    let stepMs: number | undefined;
    if (values.step !== undefined) {
      stepMs = parseDuration(values.step, '--step');
      if (stepMs <= 0) throw new ValidationError('--step', 'a duration longer than 0', values.step);
    }
    const unit = values['time-unit'] ?? 'ms';
    if (unit !== 'ms' && unit !== 's') throw new ValidationError('--time-unit', 'ms or s', unit);
    return { windowMs, fn, extrapolate: values['no-extrapolate'] !== true, stepMs, unit, file: values.file };
  },
  async execute(config, io) {
    const input = await readInput(config.file, io);
    const { timestamps, values } = parseTimestampValueCsv(input, config.unit);
    const series = createSeries({ timestamps, values });
    const at = config.stepMs === undefined ? series.timestamps : alignedGrid(series.timestamps, config.stepMs);
    const options = { windowMs: config.windowMs, at, extrapolate: config.extrapolate };
    const result = config.fn === 'rate' ? rate(series, options) : config.fn === 'increase' ? increase(series, options) : instantRate(series, options);
    const divisor = config.unit === 's' ? 1000 : 1;
    const rows: (string | number)[][] = [['timestamp', config.fn]];
    for (let i = 0; i < result.timestamps.length; i++) rows.push([(result.timestamps[i] as number) / divisor, result.values[i] as number]);
    io.stdout.write(toCsv(rows));
  },
});

/** Multiples of `stepMs` from the first to the last timestamp. */
function alignedGrid(timestamps: Float64Array, stepMs: number): Float64Array {
  if (timestamps.length === 0) return new Float64Array(0);
  const first = Math.ceil((timestamps[0] as number) / stepMs);
  const last = Math.floor((timestamps[timestamps.length - 1] as number) / stepMs);
  const count = Math.max(0, last - first + 1);
  if (count > MAX_EVALUATIONS) throw new ValidationError('--step', `a step giving at most ${MAX_EVALUATIONS} points over the data`, stepMs);
  const grid = new Float64Array(count);
  for (let k = 0; k < count; k++) grid[k] = (first + k) * stepMs;
  return grid;
}

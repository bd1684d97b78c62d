import { parseArgs } from 'node:util';
import { VigilError, ValidationError } from '@vigil/core';
import { quantiles } from '@vigil/core/percentile';
import type { QuantileMethod } from '@vigil/core/percentile';
import { toCsv } from '@vigil/core/series';
import { defineCommand, parseFormat, asUsage, toJson, toTable } from '../command';
import type { Command, OutputFormat } from '../command';
import { parseNumber, parseNumberList, readInput } from '../io';

interface QuantileConfig {
  readonly qs: number[];
  readonly method: QuantileMethod;
  readonly file: string | undefined;
  readonly format: OutputFormat;
}

/** `p50`, `p99.9`, `p100`. */
export function quantileLabel(q: number): string {
  return `p${Number((q * 100).toFixed(6))}`;
}

export const quantileCommand: Command = defineCommand<QuantileConfig>({
  name: 'quantile',
  summary: 'exact quantiles of numbers read from a file or stdin',
  help: `Usage: vigil quantile [--q 0.5,0.95,0.99] [--method r7|nearest-rank] [--file F] [--format table|csv|json]

Reads numbers (one per line or separated by any whitespace) from --file, or from stdin when --file is
absent or "-", and prints their exact quantiles. NaN values are ignored; Inf and -Inf are ordered values.

Options:
  --q LIST        comma-separated probabilities in [0, 1] (default 0.5,0.9,0.95,0.99)
  --method M      r7 (linear interpolation, like numpy and d3; default) or nearest-rank (always an observed value)
  --file F        read from F instead of stdin
  --format F      table (default), csv or json

Example:
  seq 1 100 | vigil quantile --q 0.5,0.99
`,
  parse(args) {
    const { values } = asUsage(() =>
      parseArgs({
        args,
        strict: true,
        options: {
          q: { type: 'string' },
          method: { type: 'string' },
          file: { type: 'string', short: 'f' },
          format: { type: 'string' },
        },
      }),
    );
    const qs = (values.q ?? '0.5,0.9,0.95,0.99').split(',').map((text, i) => {
      const q = parseNumber(text.trim());
      if (q === undefined || !(q >= 0 && q <= 1)) throw new ValidationError(`--q[${i}]`, 'a probability in [0, 1]', text);
      return q;
    });
    const method = values.method ?? 'r7';
    if (method !== 'r7' && method !== 'nearest-rank') throw new ValidationError('--method', 'r7 or nearest-rank', method);
    return { qs, method, file: values.file, format: parseFormat(values.format, 'table') };
  },
  async execute(config, io) {
    const input = await readInput(config.file, io);
    const numbers = parseNumberList(input);
    let count = 0;
    for (const v of numbers) if (!Number.isNaN(v)) count++;
    if (count === 0) throw new VigilError('INVALID_DATA', 'no numbers to take quantiles of', { path: input.name });
    const results = quantiles(numbers, config.qs, { method: config.method });
    const rows = config.qs.map((q, i) => ({ q, label: quantileLabel(q), value: results[i] as number }));
    if (config.format === 'json') {
      io.stdout.write(toJson({ count, method: config.method, quantiles: rows.map(({ q, value }) => ({ q, value })) }));
    } else if (config.format === 'csv') {
      io.stdout.write(toCsv([['quantile', 'value'], ...rows.map(({ q, value }) => [q, value])]));
    } else {
      io.stdout.write(toTable([['quantile', 'value'], ...rows.map(({ label, value }) => [label, String(value)]), ['count', String(count)]]));
    }
  },
});

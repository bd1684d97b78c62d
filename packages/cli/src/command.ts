import { ValidationError } from '@vigil/core';
import type { CliIo } from './io';

/** How a subcommand is written: `parse` turns argv into a config (its errors are usage errors, exit 2); `execute` does the work. */
export interface CommandSpec<Config> {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  parse(args: string[], io: CliIo): Config;
  execute(config: Config, io: CliIo): Promise<void>;
}

/** A subcommand as `run` sees it: `prepare` parses (throwing usage errors) and returns the work to do. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  /** The returned work resolves to nothing (exit 0) or to an exit code of its own. */
  prepare(args: string[], io: CliIo): () => Promise<void | number>;
}

export function defineCommand<Config>(spec: CommandSpec<Config>): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    help: spec.help,
    prepare(args, io) {
      const config = spec.parse(args, io);
      return () => spec.execute(config, io);
    },
  };
}

/** A command-line mistake: exit code 2 and a pointer to `--help`. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Runs an argument parser (`node:util` parseArgs), turning its errors into UsageErrors. */
export function asUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error));
  }
}

/** Output formats shared by the commands. */
export type OutputFormat = 'table' | 'csv' | 'json';

export function parseFormat(value: string | undefined, fallback: OutputFormat): OutputFormat {
  if (value === undefined) return fallback;
  if (value === 'table' || value === 'csv' || value === 'json') return value;
  throw new ValidationError('--format', 'one of table, csv, json', value);
}

/** JSON with NaN and infinities written as null, as JSON has no such numbers. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

/** Left-aligned columns separated by two spaces, for terminals. */
export function toTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] as number))).join('  ')).join('\n') + '\n';
}

import { ValidationError } from '@vigil/core';
import packageJson from '../package.json';
import { UsageError } from './command';
import type { Command } from './command';
import { quantileCommand } from './commands/quantile';
import { queryCommand } from './commands/query';
import { rateCommand } from './commands/rate';
import { sloCommand } from './commands/slo';
import { describeError } from './io';
import type { CliIo } from './io';

export type { CliIo } from './io';

/** Exit codes of `run` and of the `vigil` binary. */
export const ExitCode = {
  /** Success. */
  ok: 0,
  /** The command was well formed but failed: bad data, unreachable source, unreadable file. */
  runtimeError: 1,
  /** The command line itself was wrong: unknown command or option, bad option value. */
  usageError: 2,
  /** The input was read but failed validation (`vigil slo`: invalid definitions, which are listed on stderr). */
  validationFailed: 3,
} as const;

/** The package version, as printed by `vigil --version`. */
export const version: string = packageJson.version;

const commands: readonly Command[] = [quantileCommand, rateCommand, queryCommand, sloCommand];

function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `Usage: vigil <command> [options]

Vigil's engines from the command line.

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options:
  -h, --help     show help (also: vigil <command> --help)
  -v, --version  print the version

Exit codes: 0 success, 1 runtime error, 2 usage error, 3 validation failures
(vigil slo). Errors go to stderr as
"vigil <command>: <CODE> at <path>: <details>".
`;
}

/**
 * Runs the `vigil` command line with `argv` (without the node and script paths) and resolves to the exit code:
 * 0 on success, 1 when the command failed at run time (bad input data, unreachable source), 2 for a usage error
 * (unknown command or option, bad option value), 3 when `vigil slo` found invalid definitions. Output goes to `io.stdout`, errors to `io.stderr` as
 * `vigil <command>: <CODE> at <path>: expected ..., received ...`. Never throws and never calls `process.exit`.
 *
 * @example
 * import { run } from '@vigil/cli';
 * const code = await run(['quantile', '--q', '0.5,0.99', '--file', 'latencies.txt'], {
 *   stdin: process.stdin, stdout: process.stdout, stderr: process.stderr,
 * });
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(mainHelp());
    return ExitCode.usageError;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = rest[0] === undefined ? undefined : commands.find((c) => c.name === rest[0]);
    io.stdout.write(topic === undefined ? mainHelp() : topic.help);
    return ExitCode.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version}\n`);
    return ExitCode.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr.write(`vigil: unknown command "${name}"\nRun "vigil --help" for the list of commands.\n`);
    return ExitCode.usageError;
  }
  const beforeTerminator = rest.indexOf('--') < 0 ? rest : rest.slice(0, rest.indexOf('--'));
  if (beforeTerminator.includes('--help') || beforeTerminator.includes('-h')) {
    io.stdout.write(command.help);
    return ExitCode.ok;
  }

  let work: () => Promise<void | number>;
  try {
    work = command.prepare(rest, io);
  } catch (error) {
    io.stderr.write(`vigil ${command.name}: ${error instanceof UsageError ? error.message : describeError(error)}\nRun "vigil ${command.name} --help" for usage.\n`);
    return ExitCode.usageError;
  }
  try {
    // A command may resolve to its own exit code (vigil slo: 3 when definitions fail validation).
    const code = await work();
    return typeof code === 'number' ? code : ExitCode.ok;
  } catch (error) {
    io.stderr.write(`vigil ${command.name}: ${describeError(error)}\n`);
    // An option value found wrong only once the data is known (say, --step too small for it) is still a usage error.
    const isOptionError = error instanceof ValidationError && error.code === 'INVALID_ARGUMENT' && error.path.startsWith('--');
    return isOptionError ? ExitCode.usageError : ExitCode.runtimeError;
  }
}

import { describe, expect, it } from 'vitest';
import { ExitCode, run, version } from './index';
import { memoryIo } from './test-io';

describe('vigil run()', () => {
  it('prints the version and the help', async () => {
    const io = memoryIo();
    expect(await run(['--version'], io)).toBe(ExitCode.ok);
    expect(io.out()).toBe(`${version}\n`);
    expect(version).toMatch(/^\d+\.\d+\.\d+/);

    const help = memoryIo();
    expect(await run(['--help'], help)).toBe(0);
    expect(help.out()).toMatch(/Usage: vigil <command>/);
    for (const command of ['quantile', 'rate', 'query']) expect(help.out()).toContain(`  ${command}`);

    const topic = memoryIo();
    expect(await run(['help', 'rate'], topic)).toBe(0);
    expect(topic.out()).toMatch(/^Usage: vigil rate --window/);

    const commandHelp = memoryIo();
    expect(await run(['quantile', '--help'], commandHelp)).toBe(0);
    expect(commandHelp.out()).toMatch(/^Usage: vigil quantile/);
  });

  it('exits 2 with usage on stderr for no command, an unknown command or an unknown option', async () => {
    const none = memoryIo();
    expect(await run([], none)).toBe(ExitCode.usageError);
    expect(none.err()).toMatch(/Usage: vigil/);
    expect(none.out()).toBe('');

    const unknown = memoryIo();
    expect(await run(['frobnicate'], unknown)).toBe(2);
    expect(unknown.err()).toMatch(/unknown command "frobnicate"/);

    const option = memoryIo();
    expect(await run(['quantile', '--bogus'], option)).toBe(2);
    expect(option.err()).toMatch(/^vigil quantile: Unknown option '--bogus'/);
    expect(option.err()).toMatch(/vigil quantile --help/);
  });

  it('exits 2 with the code and the option path for a bad option value', async () => {
    const io = memoryIo();
    expect(await run(['rate', '--window', '5 minutes'], io)).toBe(2);
    expect(io.err()).toMatch(/^vigil rate: INVALID_ARGUMENT at --window: expected a duration/);
  });

  it('exits 1 with the code and the data path for bad input', async () => {
    const io = memoryIo('1\n2\nthree\n');
    expect(await run(['quantile'], io)).toBe(ExitCode.runtimeError);
    expect(io.err()).toBe('vigil quantile: INVALID_DATA at stdin:3:1: expected a number, received string "three"\n');
    expect(io.out()).toBe('');
  });
});

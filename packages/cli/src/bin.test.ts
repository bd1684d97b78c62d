import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
const bin = fileURLToPath(new URL('./bin.ts', import.meta.url));

function vigil(args: string[], input = '') {
  const result = spawnSync(process.execPath, [tsxCli, bin, ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Each spawn transpiles the CLI and its imports with tsx, which takes seconds: allow a generous budget.
describe('the vigil binary (src/bin.ts through tsx)', { timeout: 120_000 }, () => {
  it('reads stdin, writes stdout and exits 0', () => {
    const { code, stdout } = vigil(['quantile', '--q', '0.5', '--format', 'csv'], '1\n2\n3\n4\n');
    expect(stdout).toBe('quantile,value\n0.5,2.5\n');
    expect(code).toBe(0);
  });

  it('sets exit code 2 for usage errors and 1 for runtime errors, with messages on stderr', () => {
    const usage = vigil(['rate', '--window', 'soon']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/vigil rate: INVALID_ARGUMENT at --window/);
    expect(usage.stdout).toBe('');

    const runtime = vigil(['quantile'], 'not-a-number');
    expect(runtime.code).toBe(1);
    expect(runtime.stderr).toMatch(/INVALID_DATA at stdin:1:1/);
  });
});

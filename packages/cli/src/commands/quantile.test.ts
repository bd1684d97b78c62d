import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../index';
import { memoryIo } from '../test-io';
import { quantileLabel } from './quantile';

const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1).join('\n');

describe('vigil quantile', () => {
  it('prints R-7 quantiles of stdin as a table by default', async () => {
    const io = memoryIo(oneToHundred);
    expect(await run(['quantile', '--q', '0.5,0.99'], io)).toBe(0);
    // R-7 on 1..100: h = 99q, so p50 = 50.5 and p99 = 99.01 (numpy.quantile gives the same).
    expect(io.out()).toBe('quantile  value\np50       50.5\np99       99.01\ncount     100\n');
  });

  it('supports nearest-rank, csv and json, and ignores NaN', async () => {
    const csv = memoryIo(`${oneToHundred}\nNaN`);
    expect(await run(['quantile', '--q', '0.5, 0.95', '--method', 'nearest-rank', '--format', 'csv'], csv)).toBe(0);
    expect(csv.out()).toBe('quantile,value\n0.5,50\n0.95,95\n');

    const json = memoryIo('3 1 2');
    expect(await run(['quantile', '--q', '0,1', '--format', 'json'], json)).toBe(0);
    expect(JSON.parse(json.out())).toEqual({ count: 3, method: 'r7', quantiles: [{ q: 0, value: 1 }, { q: 1, value: 3 }] });
  });

  it('reads --file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-q-'));
    const file = join(dir, 'latency.txt');
    writeFileSync(file, '10 20 30 40');
    const io = memoryIo();
    expect(await run(['quantile', '--file', file, '--q', '0.5', '--format', 'csv'], io)).toBe(0);
    expect(io.out()).toBe('quantile,value\n0.5,25\n');
  });

  it('rejects bad options with exit 2 and empty input with exit 1', async () => {
    const bad = memoryIo('1');
    expect(await run(['quantile', '--q', '0.5,1.5'], bad)).toBe(2);
    expect(bad.err()).toMatch(/INVALID_ARGUMENT at --q\[1\]: expected a probability in \[0, 1\], received string "1.5"/);
    expect(await run(['quantile', '--method', 'r8'], memoryIo('1'))).toBe(2);
    expect(await run(['quantile', '--format', 'xml'], memoryIo('1'))).toBe(2);

    const empty = memoryIo('  \n NaN \n');
    expect(await run(['quantile'], empty)).toBe(1);
    expect(empty.err()).toMatch(/^vigil quantile: INVALID_DATA at stdin: no numbers/);
  });

  it('labels quantiles as percentiles', () => {
    expect(quantileLabel(0.5)).toBe('p50');
    expect(quantileLabel(0.999)).toBe('p99.9');
    expect(quantileLabel(0.07)).toBe('p7');
    expect(quantileLabel(1)).toBe('p100');
  });
});

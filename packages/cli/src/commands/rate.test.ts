import { describe, expect, it } from 'vitest';
import { createSeries, rate } from '@vigil/core/series';
import { run } from '../index';
import { memoryIo } from '../test-io';

/** Prometheus' test counter 0 1 2 3 2 3 4 every 5 minutes; increase over 30m at 30m is 7. */
const promCounter = ['timestamp,value', ...[0, 1, 2, 3, 2, 3, 4].map((v, i) => `${i * 300_000},${v}`)].join('\n');

function parseRows(csv: string): string[][] {
  return csv.trimEnd().split('\n').map((line) => line.split(','));
}

describe('vigil rate', () => {
  it('prints the rate at each sample as CSV, matching the engine', async () => {
    const io = memoryIo(promCounter);
    expect(await run(['rate', '--window', '30m'], io)).toBe(0);
    const rows = parseRows(io.out());
    expect(rows[0]).toEqual(['timestamp', 'rate']);
    const series = createSeries({ timestamps: [0, 3e5, 6e5, 9e5, 12e5, 15e5, 18e5], values: [0, 1, 2, 3, 2, 3, 4] });
    const expected = rate(series, { windowMs: 30 * 60_000 });
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(Array.from(expected.timestamps));
    expect(rows.slice(1).map((r) => Number(r[1]))).toEqual(Array.from(expected.values));
    expect(rows[1]?.[1]).toBe('NaN');
    expect(Number(rows[7]?.[1])).toBeCloseTo(7 / 1800, 15);
  });

  it('computes increase, irate and the raw increase', async () => {
    const inc = memoryIo(promCounter);
    expect(await run(['rate', '--window', '30m', '--function', 'increase'], inc)).toBe(0);
    expect(Number(parseRows(inc.out())[7]?.[1])).toBeCloseTo(7, 12);

    const raw = memoryIo(promCounter);
    expect(await run(['rate', '--window', '30m', '--function', 'increase', '--no-extrapolate'], raw)).toBe(0);
    expect(parseRows(raw.out())[7]).toEqual(['1800000', '6']);

    const irate = memoryIo(promCounter);
    expect(await run(['rate', '--window', '10m', '--function', 'irate'], irate)).toBe(0);
    // The last two samples in (20m, 30m] are 3 at 25m and 4 at 30m: 1 over 300 s.
    expect(Number(parseRows(irate.out())[7]?.[1])).toBeCloseTo(1 / 300, 15);
  });

  it('evaluates on an aligned grid with --step and reads seconds with --time-unit s', async () => {
    const text = 'ts,v\n7,0\n22,15\n37,30\n52,45\n';
    const io = memoryIo(text);
    expect(await run(['rate', '--window', '30s', '--step', '10s', '--time-unit', 's'], io)).toBe(0);
    const rows = parseRows(io.out());
    expect(rows.slice(1).map((r) => r[0])).toEqual(['10', '20', '30', '40', '50']);
    const series = createSeries({ timestamps: [7000, 22000, 37000, 52000], values: [0, 15, 30, 45] });
    const expected = rate(series, { windowMs: 30_000, at: [10_000, 20_000, 30_000, 40_000, 50_000] });
    expect(expected.values[0]).toBeNaN();
    rows.slice(1).forEach((r, i) => {
      const e = expected.values[i] as number;
      if (Number.isNaN(e)) expect(r[1]).toBe('NaN');
      else expect(Number(r[1])).toBeCloseTo(e, 12);
    });
  });

  it('requires --window, names bad rows, and refuses a step too fine for the data', async () => {
    const missing = memoryIo(promCounter);
    expect(await run(['rate'], missing)).toBe(2);
    expect(missing.err()).toMatch(/INVALID_ARGUMENT at --window/);

    const bad = memoryIo('timestamp,value\n0,1\n1000,oops\n');
    expect(await run(['rate', '--window', '1m'], bad)).toBe(1);
    expect(bad.err()).toBe('vigil rate: INVALID_DATA at stdin:3: expected a number as the value, received string "oops"\n');

    const fine = memoryIo('0,1\n1e15,2\n');
    expect(await run(['rate', '--window', '1m', '--step', '1ms'], fine)).toBe(2);
    expect(fine.err()).toMatch(/at --step/);
  });

  it('writes only a header for empty input', async () => {
    const io = memoryIo('');
    expect(await run(['rate', '--window', '1m'], io)).toBe(0);
    expect(io.out()).toBe('timestamp,rate\n');
  });
});

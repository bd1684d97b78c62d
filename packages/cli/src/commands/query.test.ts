import { describe, expect, it } from 'vitest';
import { createSimulatedSource } from '@vigil/adapters/simulated';
import { createSeries } from '@vigil/core/series';
import { run } from '../index';
import { memoryIo } from '../test-io';
import { defaultStepMs, seriesDisplayName } from './query';

const END = Date.UTC(2025, 0, 15, 12, 0, 0);

describe('vigil query', () => {
  it('prints exactly what the simulated source returns, as CSV', async () => {
    const io = memoryIo('', { now: END });
    expect(await run(['query', 'up', '--range', '30m', '--step', '5m', '--seed', '7', '--format', 'csv'], io)).toBe(0);
    const source = createSimulatedSource({ seed: 7, now: () => END });
    const expected = await source.queryRange({ query: 'up', range: { start: END - 30 * 60_000, end: END }, stepMs: 5 * 60_000 });
    const lines = io.out().trimEnd().split('\n');
    expect(lines[0]).toBe('series,timestamp,value');
    const expectedLines = expected.data.flatMap((s) => Array.from(s.timestamps, (t, i) => `"${seriesDisplayName(s).replace(/"/g, '""')}",${t},${s.values[i]}`));
    expect(expectedLines.length).toBeGreaterThan(0);
    expect(lines.slice(1)).toEqual(expectedLines);
  });

  it('is deterministic for a seed and aligns the range end to the step', async () => {
    const a = memoryIo('', { now: END + 123_456 });
    const b = memoryIo('', { now: END + 123_456 });
    const args = ['query', 'sum by (service) (rate(http_requests_total[5m]))', '--range', '1h', '--step', '1m', '--format', 'json'];
    expect(await run(args, a)).toBe(0);
    expect(await run(args, b)).toBe(0);
    expect(a.out()).toBe(b.out());
    const parsed = JSON.parse(a.out()) as { labels: Record<string, string>; timestamps: number[]; values: (number | null)[] }[];
    expect(parsed.length).toBeGreaterThan(0);
    for (const s of parsed) {
      expect(s.timestamps.every((t) => t % 60_000 === 0)).toBe(true);
      expect(Math.max(...s.timestamps)).toBeLessThanOrEqual(END + 123_456);
    }
  });

  it('summarises each series in the table format', async () => {
    const io = memoryIo('', { now: END });
    expect(await run(['query', 'up', '--range', '10m', '--step', '1m', '--end', String(END)], io)).toBe(0);
    const lines = io.out().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^series\s+points\s+last\s+min\s+max\s+mean$/);
    expect(lines.slice(1).every((line) => /^up\{service="[^"]+"\}\s+11\s+/.test(line))).toBe(true);
  });

  it('rejects bad options with exit 2 and reports a bad query with exit 1', async () => {
    const noQuery = memoryIo();
    expect(await run(['query'], noQuery)).toBe(2);
    expect(noQuery.err()).toMatch(/INVALID_ARGUMENT at <promql>/);
    expect(await run(['query', 'up', '--seed', 'x'], memoryIo())).toBe(2);
    expect(await run(['query', 'up', '--seed', String(2 ** 32)], memoryIo())).toBe(2);
    expect(await run(['query', 'up', '--end', 'yesterday'], memoryIo())).toBe(2);
    expect(await run(['query', 'up', '--range', '1y', '--step', '1ms'], memoryIo())).toBe(2);

    const bad = memoryIo('', { now: END });
    expect(await run(['query', 'sum(', '--range', '5m'], bad)).toBe(1);
    expect(bad.err()).toMatch(/^vigil query: BAD_QUERY/);
  });

  it('picks a default step of about 240 points and names series like Prometheus', () => {
    expect(defaultStepMs(3_600_000)).toBe(15_000);
    expect(defaultStepMs(60_000)).toBe(1000);
    expect(seriesDisplayName(createSeries({ name: 'up', labels: { job: 'a', __name__: 'up' }, timestamps: [], values: [] }))).toBe('up{job="a"}');
    expect(seriesDisplayName(createSeries({ labels: {}, timestamps: [], values: [] }))).toBe('{}');
  });
});

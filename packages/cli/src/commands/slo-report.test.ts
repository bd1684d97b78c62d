import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { counterDeltas, evaluateSLO, eventsFromCounts, parseOpenSLO } from '@vigil/core/slo';
import type { SLIEvents } from '@vigil/core/slo';
import { buildSLODataset, HOUR, MINUTE } from '../../../adapters/test/prometheus/slo-data';
import { freePort, prometheusAvailability, startPrometheus } from '../../../adapters/test/prometheus/harness';
import type { RunningPrometheus } from '../../../adapters/test/prometheus/harness';
import { run } from '../index';
import { memoryIo } from '../test-io';

/**
 * `vigil slo report` against a real Prometheus seeded with 31 days of synthetic SLI counters (an error burst, an old
 * episode, counter resets; see adapters/test/prometheus/slo-data.ts). The expectations come from the engine on the
 * raw samples: the report's ratios must equal the engine's over the span Prometheus' samples cover (to 1e-9), and
 * the engine's full windows within the tolerance docs/slo.md states.
 */

const availability = prometheusAvailability();
if (!availability.available && process.env.CI) {
  describe('vigil slo report against a real Prometheus', () => {
    it('is installed (required when CI is set)', () => {
      throw new Error(availability.reason);
    });
  });
}

const END = Math.floor((Date.now() - 2 * HOUR) / HOUR) * HOUR;
const data = buildSLODataset(END);
/** Evaluation time: between samples, 25 minutes before the end (after the burst and the last reset). */
const AT = END - 25 * MINUTE + 20_000;

const documents = [
  { apiVersion: 'openslo/v1', kind: 'DataSource', metadata: { name: 'prom' }, spec: { type: 'Prometheus', connectionDetails: {} } },
  {
    apiVersion: 'openslo/v1',
    kind: 'SLO',
    metadata: { name: 'checkout' },
    spec: {
      budgetingMethod: 'Occurrences',
      timeWindow: [{ duration: '30d', isRolling: true }],
      objectives: [{ target: 0.999 }],
      indicator: {
        metadata: { name: 'checkout-sli' },
        spec: {
          ratioMetric: {
            counter: true,
            good: { metricSource: { metricSourceRef: 'prom', spec: { query: 'vigil_slo_requests_good_total{service="checkout"}' } } },
            total: { metricSource: { metricSourceRef: 'prom', spec: { query: 'vigil_slo_requests_total{service="checkout"}' } } },
          },
        },
      },
    },
  },
  {
    apiVersion: 'openslo/v1',
    kind: 'SLO',
    metadata: { name: 'search' },
    spec: {
      budgetingMethod: 'Occurrences',
      timeWindow: [{ duration: '28d', isRolling: true }],
      objectives: [{ target: 0.995 }],
      indicator: {
        metadata: { name: 'search-sli' },
        spec: {
          ratioMetric: {
            counter: true,
            bad: { metricSource: { metricSourceRef: 'prom', spec: { query: 'vigil_slo_http_requests_total{service="search",code=~"5.."}' } } },
            total: { metricSource: { metricSourceRef: 'prom', spec: { query: 'vigil_slo_http_requests_total{service="search"}' } } },
          },
        },
      },
    },
  },
];

function eventsOf(name: 'checkout' | 'search'): SLIEvents {
  const find = (metric: string, labels: Record<string, string>) => data.counters.find((c) => c.name === metric && Object.entries(labels).every(([k, v]) => c.labels[k] === v))!.values;
  if (name === 'checkout') {
    return eventsFromCounts({ timestamps: data.times, good: find('vigil_slo_requests_good_total', {}), total: find('vigil_slo_requests_total', {}), kind: 'cumulative' });
  }
  const ok = counterDeltas(find('vigil_slo_http_requests_total', { code: '200' }));
  const bad = counterDeltas(find('vigil_slo_http_requests_total', { code: '500' }));
  return eventsFromCounts({ timestamps: data.times, bad, total: ok.map((v, k) => v + (bad[k] as number)) });
}

/** Index of the first sample at or after `from`. */
function firstSampleIndex(from: number): number {
  let i = 0;
  while ((data.times[i] as number) < from) i++;
  return i;
}

interface ReportJson {
  at: number;
  slos: {
    slo: string;
    target: number;
    attainment: number | null;
    status: string;
    errorBudget: { ratio: { remaining: number } };
    burnRates: { window: string; windowMs: number; burnRate: number; errorRatio: number }[];
    exhaustion: { state: string };
  }[];
}

describe.skipIf(!availability.available)('vigil slo report against a real Prometheus', () => {
  let server: RunningPrometheus;
  let dir = '';
  let file = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-cli-report-'));
    file = join(dir, 'slos.yaml');
    await writeFile(file, documents.map((d) => stringify(d)).join('---\n'));
    server = await startPrometheus({ openMetrics: data.openMetrics });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('reports, as JSON, the engine’s burn rates, budget and status for Prometheus’ counts', async () => {
    const io = memoryIo();
    const code = await run(['slo', 'report', '--prometheus', server.url, '--at', String(AT), '--json', file], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(io.out()) as ReportJson;
    expect(report.at).toBe(AT);
    expect(report.slos.map((s) => s.slo)).toEqual(['checkout', 'search']);
    const slos = parseOpenSLO(documents).slos;
    for (const row of report.slos) {
      const slo = slos.find((s) => s.name === row.slo)!;
      const events = eventsOf(row.slo as 'checkout' | 'search');
      const windows = row.burnRates.map((b) => b.windowMs);
      const windowMs = (slo.window as { durationMs: number }).durationMs;
      expect(windows).toContain(windowMs);
      // The exact span each of Prometheus' windows covers: from its first sample to AT.
      const spans = windows.map((w) => AT - (data.times[firstSampleIndex(AT - w)] as number));
      const engine = evaluateSLO(slo, events, { at: AT, burnRateWindows: [...windows, ...spans] });
      let spread = 0;
      for (let k = 1; k < events.total.length; k++) spread = Math.max(spread, 1 - (events.good[k] as number) / (events.total[k] as number));
      row.burnRates.forEach((b, j) => {
        const span = engine.burnRates[windows.length + j]!;
        const full = engine.burnRates[j]!;
        expect(Math.abs(b.errorRatio - span.errorRatio), `${row.slo} ${b.window}: exact`).toBeLessThanOrEqual(1e-9 * span.errorRatio + 1e-15);
        const first = firstSampleIndex(AT - b.windowMs);
        const share = (events.total[first] as number) / full.total;
        expect(Math.abs(b.errorRatio - full.errorRatio), `${row.slo} ${b.window}: full window`).toBeLessThanOrEqual(share * spread + 1e-12);
      });
      // Budget over the SLO window and attainment: the same numbers, through the engine's own definitions.
      const spanStatus = evaluateSLO(slo, events, { at: AT, burnRateWindows: [spans[windows.indexOf(windowMs)]!] });
      expect(row.errorBudget.ratio.remaining).toBeCloseTo(1 - spanStatus.burnRates[0]!.errorRatio / slo.errorBudget, 9);
      expect(row.attainment).toBeCloseTo(1 - spanStatus.burnRates[0]!.errorRatio, 12);
      expect(row.status).toBe(engine.status);
      expect(row.exhaustion.state).toBe(engine.exhaustion.state);
    }
  }, 60_000);

  it('prints a status table', async () => {
    const io = memoryIo();
    expect(await run(['slo', 'report', '--prometheus', server.url, '--at', new Date(AT).toISOString(), file], io)).toBe(0);
    const lines = io.out().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SLO\s+target\s+attainment\s+budget left\s+budget time\s+burn rates\s+status\s+exhaustion$/);
    expect(lines[1]).toMatch(/^checkout\s+99\.90%\s+99\.9\d\d%\s+-?\d+\.\d%\s+\S.*\s+1h \S+, 6h \S+, 1d \S+, 3d \S+\s+(healthy|at-risk|breached)\s+\S/);
    expect(lines[2]).toMatch(/^search\s+99\.5%\s+/);
  }, 60_000);

  it('exits 1 with SOURCE_UNREACHABLE when nobody listens', async () => {
    const port = await freePort();
    const io = memoryIo();
    expect(await run(['slo', 'report', '--prometheus', `http://127.0.0.1:${port}`, '--timeout', '3s', file], io)).toBe(1);
    expect(io.err()).toMatch(/^vigil slo: SOURCE_UNREACHABLE/);
  }, 30_000);
});

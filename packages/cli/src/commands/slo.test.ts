import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { eventsFromCounts, evaluateSLO, generatePrometheusRules, parseOpenSLO } from '@vigil/core/slo';
import { ExitCode, run } from '../index';
import { memoryIo } from '../test-io';
import { parseDefinitionText, splitPath } from './slo-files';
import { eventsFromWindowSums } from './slo-report';

const PROMTOOL = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';

const dataSource = { apiVersion: 'openslo/v1', kind: 'DataSource', metadata: { name: 'prom' }, spec: { type: 'Prometheus', connectionDetails: { url: 'http://127.0.0.1:9090' } } };
const sli = {
  apiVersion: 'openslo/v1',
  kind: 'SLI',
  metadata: { name: 'checkout-errors' },
  spec: {
    ratioMetric: {
      counter: true,
      bad: { metricSource: { metricSourceRef: 'prom', spec: { query: 'http_requests_total{job="checkout",code=~"5.."}' } } },
      total: { metricSource: { metricSourceRef: 'prom', spec: { query: 'http_requests_total{job="checkout"}' } } },
    },
  },
};
const slo = (name: string, objective: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'openslo/v1',
  kind: 'SLO',
  metadata: { name, labels: { team: 'payments' } },
  spec: { service: 'checkout', indicatorRef: 'checkout-errors', timeWindow: [{ duration: '28d', isRolling: true }], budgetingMethod: 'Occurrences', objectives: [objective], ...extra },
});

let dir = '';
const path = (name: string) => join(dir, name);
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-cli-slo-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes YAML documents separated by `---`. */
async function writeYaml(name: string, docs: readonly unknown[]): Promise<string> {
  await writeFile(path(name), docs.map((d) => stringify(d)).join('---\n'));
  return path(name);
}

describe('vigil slo validate', () => {
  it('accepts valid documents split over a YAML file and a JSON file, with references across them', async () => {
    const yamlFile = await writeYaml('good.yaml', [slo('checkout-availability', { target: 0.999 }), slo('checkout-fast', { targetPercent: 99 })]);
    await writeFile(path('sli.json'), JSON.stringify([dataSource, sli], null, 2));
    const io = memoryIo();
    expect(await run(['slo', 'validate', yamlFile, path('sli.json')], io)).toBe(ExitCode.ok);
    expect(io.err()).toBe('');
    expect(io.out()).toMatch(/^ok: 2 SLOs in 4 documents \(2 files\)\n/);
    expect(io.out()).toContain('checkout-availability: 99.900% over rolling 28d, Occurrences, 4 alert tiers');
  });

  it('reads stdin for "-"', async () => {
    const io = memoryIo([dataSource, sli, slo('from-stdin', { target: 0.99 })].map((d) => stringify(d)).join('---\n'), { chunked: true });
    expect(await run(['slo', 'validate', '-'], io)).toBe(0);
    expect(io.out()).toContain('from-stdin: 99.000%');
  });

  it('lists every problem with file:line:column and the field path, and exits 3', async () => {
    const text = [
      stringify(dataSource),
      stringify(sli),
      // Line numbers below are checked: keep this layout.
      [
        'apiVersion: openslo/v1',
        'kind: SLO',
        'metadata:',
        '  name: checkout',
        'spec:',
        '  indicatorRef: checkout-errors',
        '  timeWindow:',
        '    - duration: 28x',
        '      isRolling: true',
        '  budgetingMethod: Sometimes',
        '  objectives:',
        '    - target: 1.5',
        '',
      ].join('\n'),
    ].join('---\n');
    await writeFile(path('bad.yaml'), text);
    const lines = text.split('\n');
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    const io = memoryIo();
    expect(await run(['slo', 'validate', path('bad.yaml')], io)).toBe(ExitCode.validationFailed);
    const err = io.err();
    expect(err).toContain(`${path('bad.yaml')}:${lineOf('duration: 28x')}:17: spec.timeWindow[0].duration: expected`);
    expect(err).toContain(`${path('bad.yaml')}:${lineOf('Sometimes')}:20: spec.budgetingMethod: expected one of Occurrences, Timeslices, RatioTimeslices, received string "Sometimes"`);
    expect(err).toContain(`${path('bad.yaml')}:${lineOf('target: 1.5')}:15: spec.objectives[0].target: expected a target in (0, 1), such as 0.999, received number 1.5`);
    expect(err).toMatch(/vigil slo: 3 problems in 1 file\n$/);
    // In reading order, whatever order parseOpenSLO found them in.
    const reported = err.trimEnd().split('\n').slice(0, 3).map((l) => Number(l.slice(path('bad.yaml').length + 1).split(':')[0]));
    expect(reported).toEqual([lineOf('duration: 28x'), lineOf('Sometimes'), lineOf('target: 1.5')]);
    expect(io.out()).toBe('');
  });

  it('locates problems inside JSON arrays and reports a missing field at its parent', async () => {
    const spec = { indicatorRef: 'checkout-errors', budgetingMethod: 'Occurrences', timeWindow: [{ duration: '7d', isRolling: true }], objectives: [{ target: 0.9 }] };
    const { objectives: _dropped, ...withoutObjectives } = spec;
    await writeFile(
      path('array.json'),
      JSON.stringify(
        [
          dataSource,
          sli,
          { apiVersion: 'openslo/v1', kind: 'SLO', metadata: { name: 'x' }, spec: { ...spec, indicatorRef: 'nope' } },
          { apiVersion: 'openslo/v1', kind: 'SLO', metadata: { name: 'y' }, spec: withoutObjectives },
        ],
        null,
        2,
      ),
    );
    const io = memoryIo();
    expect(await run(['slo', 'validate', path('array.json')], io)).toBe(3);
    const lines = (await readFile(path('array.json'), 'utf8')).split('\n');
    const nope = lines.findIndex((l) => l.includes('"indicatorRef": "nope"'));
    expect(io.err()).toContain(`${path('array.json')}:${nope + 1}:${lines[nope]!.indexOf('"nope"') + 1}: spec.indicatorRef: expected the name of an SLI document, received string "nope"`);
    // y has no objectives: reported at its spec key, the deepest field that exists.
    const ySpec = lines.findIndex((l, i) => i > nope + 10 && l.includes('"spec": {'));
    expect(io.err()).toContain(`${path('array.json')}:${ySpec + 1}:${lines[ySpec]!.indexOf('"spec"') + 1}: spec.objectives: expected a non-empty array of objectives, received undefined`);
  });

  it('refuses YAML syntax errors, custom tags and alias bombs, with positions', async () => {
    await writeFile(path('syntax.yaml'), 'apiVersion: openslo/v1\nkind: [SLO\n');
    await writeFile(path('tag.yaml'), 'apiVersion: openslo/v1\nkind: !!js/function "return 1"\n');
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]'].join('\n');
    await writeFile(path('bomb.yaml'), `${bomb}\n`);
    for (const [file, pattern] of [
      ['syntax.yaml', /syntax\.yaml:\d+:\d+: YAML: /],
      ['tag.yaml', /tag\.yaml:2:7: YAML: Unresolved tag: tag:yaml\.org,2002:js\/function \(custom tags are not allowed\)/],
      ['bomb.yaml', /bomb\.yaml:1:1: YAML: Excessive alias count .* \(at most 100 aliases\)/],
    ] as const) {
      const io = memoryIo();
      expect(await run(['slo', 'validate', path(file)], io), file).toBe(3);
      expect(io.err()).toMatch(pattern);
    }
  });

  it('exits 1 for a missing file and 2 for usage mistakes', async () => {
    const missing = memoryIo();
    expect(await run(['slo', 'validate', path('nope.yaml')], missing)).toBe(ExitCode.runtimeError);
    expect(missing.err()).toMatch(/^vigil slo: NOT_FOUND at .*nope\.yaml: cannot read/);
    for (const args of [['slo'], ['slo', 'explode', 'x.yaml'], ['slo', 'validate'], ['slo', 'validate', 'a.yaml', '--out', 'x'], ['slo', 'rules', 'a.yaml', '--interval', 'soon'], ['slo', 'report', 'a.yaml'], ['slo', 'report', '--prometheus', 'http://x', '--at', 'yesterday', 'a.yaml'], ['slo', 'validate', '-', '-']]) {
      const io = memoryIo();
      expect(await run(args, io), args.join(' ')).toBe(ExitCode.usageError);
      expect(io.err()).toMatch(/vigil slo --help/);
    }
    const help = memoryIo();
    expect(await run(['slo', '--help'], help)).toBe(0);
    expect(help.out()).toMatch(/^Usage: vigil slo <validate\|rules\|report>/);
  });
});

describe('vigil slo rules', () => {
  const documents = [dataSource, sli, slo('checkout-availability', { target: 0.999 }), slo('checkout-latency-budget', { target: 0.99 }, { timeWindow: [{ duration: '1M', isRolling: false, calendar: { startTime: '2024-01-01 00:00:00', timeZone: 'Europe/Berlin' } }] })];

  it('writes exactly the rules core generates for the same documents, to stdout or --out', async () => {
    const file = await writeYaml('rules.yaml', documents);
    const expected = generatePrometheusRules(parseOpenSLO(documents).slos, { interval: '30s' });
    const io = memoryIo();
    expect(await run(['slo', 'rules', file, '--interval', '30s'], io)).toBe(0);
    expect(io.out()).toBe(expected);
    const out = memoryIo();
    expect(await run(['slo', 'rules', file, '--interval', '30s', '--out', path('out.rules.yml')], out)).toBe(0);
    expect(out.out()).toBe('');
    expect(out.err()).toMatch(/wrote 2 SLOs to .*out\.rules\.yml/);
    expect(await readFile(path('out.rules.yml'), 'utf8')).toBe(expected);
    if (existsSync(PROMTOOL) || process.env.CI) {
      expect(execFileSync(PROMTOOL, ['check', 'rules', path('out.rules.yml')], { encoding: 'utf8' })).toMatch(/SUCCESS: \d+ rules found/);
    }
    const recording = memoryIo();
    expect(await run(['slo', 'rules', file, '--recording-only', '--alert-name', 'X'], recording)).toBe(0);
    expect(recording.out()).toBe(generatePrometheusRules(parseOpenSLO(documents).slos, { recordingOnly: true }));
    expect(recording.out()).not.toContain('alert:');
  });

  it('exits 3 with the SLO’s file and line when a definition cannot be expressed in PromQL', async () => {
    const timeslices = slo('sliced', { target: 0.99, timeSliceTarget: 0.95, timeSliceWindow: '1m' }, { budgetingMethod: 'Timeslices' });
    const file = await writeYaml('sliced.yaml', [dataSource, sli, timeslices]);
    const io = memoryIo();
    expect(await run(['slo', 'rules', file], io)).toBe(3);
    const line = (await readFile(file, 'utf8')).split('\n').findIndex((l) => l.startsWith('kind: SLO')) + 1;
    expect(io.err()).toMatch(new RegExp(`sliced\\.yaml:${line - 1}: SLO "sliced": UNSUPPORTED at budgetingMethod: .*Timeslices budgeting cannot be expressed`));
    expect(io.out()).toBe('');
  });

  it('exits 3 when the files hold no SLO, and 1 when --out cannot be written', async () => {
    const file = await writeYaml('no-slo.yaml', [dataSource]);
    const none = memoryIo();
    expect(await run(['slo', 'rules', file], none)).toBe(3);
    expect(none.err()).toMatch(/no SLO documents/);
    const ok = await writeYaml('ok.yaml', documents);
    const io = memoryIo();
    expect(await run(['slo', 'rules', ok, '--out', join(dir, 'missing-dir', 'x.yml')], io)).toBe(1);
    expect(io.err()).toMatch(/INVALID_ARGUMENT at --out: cannot write/);
  });
});

describe('definition files', () => {
  it('splits field paths', () => {
    expect(splitPath('[2].spec.objectives[0].target')).toEqual([2, 'spec', 'objectives', 0, 'target']);
    expect(splitPath('metadata.name')).toEqual(['metadata', 'name']);
  });

  it('keeps empty documents out and limits the document count', () => {
    expect(parseDefinitionText('a.yaml', '---\n---\na: 1\n').documents.map((d) => d.value)).toEqual([{ a: 1 }]);
    const many = parseDefinitionText('many.yaml', `${'a: 1\n---\n'.repeat(1000)}a: 1\n`);
    expect(many.issues[0]?.message).toMatch(/at most 1000 documents, found 1001/);
  });
});

describe('report events from window sums', () => {
  it('reproduce every window sum exactly in the engine', () => {
    const windows = [300_000, 3_600_000, 86_400_000];
    const total = [100, 1000, 20_000];
    const good = [90, 990, 19_980];
    const at = 1_700_000_000_000;
    const events = eventsFromWindowSums(at, windows, good, total);
    const parsed = parseOpenSLO([dataSource, sli, slo('sums', { target: 0.99 })]).slos[0]!;
    const status = evaluateSLO(parsed, events, { at, burnRateWindows: windows });
    expect(status.burnRates.map((b) => [b.good, b.total])).toEqual(windows.map((_, k) => [good[k], total[k]]));
    // A longer window reported a hair smaller than a shorter one (extrapolation): made non-decreasing, never negative.
    const odd = eventsFromWindowSums(at, windows, [90, 89.5, 100], [100, 99.9, 200]);
    expect([...odd.total].every((t) => t >= 0)).toBe(true);
    expect(evaluateSLO(parsed, odd, { at, burnRateWindows: windows }).burnRates.map((b) => b.total)).toEqual([100, 100, 200]);
    expect(eventsFromCounts({ timestamps: [1], good: [0], total: [0] }).total[0]).toBe(0);
  });
});

import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ValidationError, VigilError } from '@vigil/core';
import { formatBudgetTime, generatePrometheusRules } from '@vigil/core/slo';
import type { SLO } from '@vigil/core/slo';
import { parseDuration } from '@vigil/core/series';
import { formatDayDuration } from '@vigil/core/windows';
import { createPrometheusSource } from '@vigil/adapters/prometheus';
import { asUsage, toJson, toTable, UsageError } from '../command';
import type { Command } from '../command';
import type { CliIo } from '../io';
import { formatIssue, loadDefinitions, originOf } from './slo-files';
import type { LoadedDefinitions } from './slo-files';
import { reportFromPrometheus } from './slo-report';
import type { SLOReportRow } from './slo-report';

/** Exit code for definitions that failed validation (see `ExitCode.validationFailed`). */
const VALIDATION_FAILED = 3;

const help = `Usage: vigil slo <validate|rules|report> [options] <files...>

SLO definitions as OpenSLO v1 documents (kinds SLO, SLI, AlertPolicy, AlertCondition, Service, DataSource) in
YAML (several documents per file, separated by ---) or JSON (one document or an array). References may cross
files. "-" reads stdin.

  vigil slo validate <files...>
      Checks every document and prints one line per problem: file:line:column: field.path: expected ..., received ...

  vigil slo rules <files...> [--out FILE] [--interval D] [--alert-name NAME] [--recording-only]
      Writes Prometheus recording and alerting rules (multi-window, multi-burn-rate) as YAML to stdout or FILE.
        --out FILE          write to FILE instead of stdout
        --interval D        evaluation interval of each rule group, such as 30s (default: Prometheus' global one)
        --alert-name NAME   name of the burn-rate alerts (default SLOErrorBudgetBurn)
        --recording-only    recording rules only, no alerts

  vigil slo report --prometheus URL <files...> [--json] [--at T] [--timeout D]
      Evaluates each SLO against a Prometheus server and prints a status table (or JSON with --json): target,
      attainment, budget remaining (share and time), burn rates, status and projected exhaustion.
        --prometheus URL    base URL of Prometheus (or Thanos, Mimir, VictoriaMetrics)
        --at T              evaluation time: epoch milliseconds or an ISO 8601 date (default: now)
        --timeout D         deadline per Prometheus call (default 30s)
        --json              print JSON instead of the table

Exit codes: 0 success, 1 runtime error (unreadable file, Prometheus unreachable or failing), 2 usage error,
3 validation failures (listed on stderr, one per line).

Examples:
  vigil slo validate slos/*.yaml
  vigil slo rules slos/*.yaml --out /etc/prometheus/rules/slo.rules.yml && promtool check rules /etc/prometheus/rules/slo.rules.yml
  vigil slo report --prometheus http://localhost:9090 slos/checkout.yaml
`;

type SloConfig =
  | { readonly action: 'validate'; readonly files: readonly string[] }
  | { readonly action: 'rules'; readonly files: readonly string[]; readonly out: string | undefined; readonly interval: string | undefined; readonly alertName: string | undefined; readonly recordingOnly: boolean }
  | { readonly action: 'report'; readonly files: readonly string[]; readonly prometheus: string; readonly json: boolean; readonly at: number | undefined; readonly timeoutMs: number };

function parseTime(text: string, path: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(value)) throw new ValidationError(path, 'epoch milliseconds or an ISO 8601 date', text);
  return value;
}

/** Parses `vigil slo ...` arguments; every mistake is a usage error (exit 2). */
export function parseSloArgs(args: readonly string[]): SloConfig {
  const [action, ...rest] = args;
  if (action !== 'validate' && action !== 'rules' && action !== 'report') {
    throw new UsageError(action === undefined ? 'missing subcommand: validate, rules or report' : `unknown subcommand "${action}": expected validate, rules or report`);
  }
  const options = {
    out: { type: 'string' },
    interval: { type: 'string' },
    'alert-name': { type: 'string' },
    'recording-only': { type: 'boolean' },
    prometheus: { type: 'string' },
    json: { type: 'boolean' },
    at: { type: 'string' },
    timeout: { type: 'string' },
  } as const;
  const allowed: Record<typeof action, readonly string[]> = { validate: [], rules: ['out', 'interval', 'alert-name', 'recording-only'], report: ['prometheus', 'json', 'at', 'timeout'] };
  const { values, positionals } = asUsage(() => parseArgs({ args: rest, strict: true, allowPositionals: true, options }));
  for (const key of Object.keys(values)) {
    if (!allowed[action].includes(key)) throw new UsageError(`option --${key} does not apply to "vigil slo ${action}"`);
  }
  if (positionals.length === 0) throw new ValidationError('<files>', 'at least one OpenSLO YAML or JSON file (or - for stdin)', 'none');
  if (positionals.filter((f) => f === '-').length > 1) throw new ValidationError('<files>', 'stdin (-) at most once', positionals.join(' '));
  if (action === 'validate') return { action, files: positionals };
  if (action === 'rules') {
    if (values.interval !== undefined) {
      const ms = parseDuration(values.interval, '--interval');
      if (ms <= 0) throw new ValidationError('--interval', 'a duration longer than 0', values.interval);
    }
    if (values['alert-name'] !== undefined && !/^[A-Za-z_:][A-Za-z0-9_:]*$/.test(values['alert-name'])) {
      throw new ValidationError('--alert-name', 'a Prometheus alert name ([A-Za-z_:][A-Za-z0-9_:]*)', values['alert-name']);
    }
    return { action, files: positionals, out: values.out, interval: values.interval, alertName: values['alert-name'], recordingOnly: values['recording-only'] === true };
  }
  if (values.prometheus === undefined) throw new ValidationError('--prometheus', 'the base URL of a Prometheus server, such as http://localhost:9090', 'none');
  const timeoutMs = values.timeout === undefined ? 30_000 : parseDuration(values.timeout, '--timeout');
  if (timeoutMs <= 0) throw new ValidationError('--timeout', 'a duration longer than 0', values.timeout);
  return { action, files: positionals, prometheus: values.prometheus, json: values.json === true, at: values.at === undefined ? undefined : parseTime(values.at, '--at'), timeoutMs };
}

/** Prints the located problems; returns the exit code for them. */
function reportIssues(definitions: LoadedDefinitions, io: CliIo): number {
  for (const issue of definitions.issues) io.stderr.write(`${formatIssue(issue)}\n`);
  const count = definitions.issues.length;
  io.stderr.write(`vigil slo: ${count} problem${count === 1 ? '' : 's'} in ${definitions.files} file${definitions.files === 1 ? '' : 's'}\n`);
  return VALIDATION_FAILED;
}

/** Turns an UNSUPPORTED error from rule generation into a located validation failure. */
function unsupported(error: unknown, slos: readonly SLO[], definitions: LoadedDefinitions, io: CliIo): number | null {
  if (!(error instanceof VigilError) || error.code !== 'UNSUPPORTED') return null;
  const slo = slos.find((s) => error.message.includes(`SLO "${s.name}"`));
  io.stderr.write(`${slo === undefined ? 'vigil slo' : originOf(definitions, slo)}: UNSUPPORTED${error.path === undefined ? '' : ` at ${error.path}`}: ${error.message}\n`);
  return VALIDATION_FAILED;
}

const percent = (share: number, digits: number): string => `${(share * 100).toFixed(digits)}%`;
const round = (value: number): string => (Math.abs(value) >= 100 ? value.toFixed(0) : Number(value.toPrecision(3)).toString());

function exhaustionText(row: SLOReportRow): string {
  const e = row.status.exhaustion;
  if (e.state === 'exhausted') return 'exhausted';
  if (e.state === 'not-burning' || e.inMs === null) return '-';
  return `in ${formatBudgetTime(e.inMs)}`;
}

function writeTable(rows: readonly SLOReportRow[], io: CliIo): void {
  const table = [['SLO', 'target', 'attainment', 'budget left', 'budget time', 'burn rates', 'status', 'exhaustion']];
  for (const row of rows) {
    const s = row.status;
    // Long windows of the tiers (and the projection window), the ones people read first.
    const longWindows = new Set([row.slo.projectionWindowMs, ...row.slo.alertTiers.map((t) => t.longWindowMs)]);
    const burns = s.burnRates.filter((b) => longWindows.has(b.windowMs)).map((b) => `${formatDayDuration(b.windowMs)} ${round(b.burnRate)}`);
    table.push([
      row.slo.name,
      percent(row.slo.target, row.slo.target >= 0.999 ? 2 : 1),
      s.attainment === null ? 'no data' : percent(s.attainment, 3),
      percent(s.errorBudget.ratio.remaining, 1),
      formatBudgetTime(s.errorBudget.timeMs.remaining),
      burns.join(', '),
      s.status,
      exhaustionText(row),
    ]);
  }
  io.stdout.write(toTable(table));
}

function jsonRows(rows: readonly SLOReportRow[], definitions: LoadedDefinitions): unknown {
  return rows.map((row) => ({
    slo: row.slo.name,
    displayName: row.slo.displayName,
    source: definitions.origins.get(row.slo.name) ?? null,
    target: row.slo.target,
    window: row.status.window,
    attainment: row.status.attainment,
    good: row.status.good,
    total: row.status.total,
    errorBudget: row.status.errorBudget,
    budgetLeft: formatBudgetTime(row.status.errorBudget.timeMs.remaining),
    burnRates: row.status.burnRates.map((b) => ({ window: formatDayDuration(b.windowMs), windowMs: b.windowMs, burnRate: b.burnRate, errorRatio: b.errorRatio })),
    status: row.status.status,
    statusReason: row.status.statusReason,
    exhaustion: row.status.exhaustion,
  }));
}

async function execute(config: SloConfig, io: CliIo): Promise<number> {
  const definitions = await loadDefinitions(config.files, io);
  if (definitions.result === null) return reportIssues(definitions, io);
  const slos = definitions.result.slos;
  if (config.action === 'validate') {
    const n = slos.length;
    io.stdout.write(`ok: ${n} SLO${n === 1 ? '' : 's'} in ${definitions.documents} document${definitions.documents === 1 ? '' : 's'} (${definitions.files} file${definitions.files === 1 ? '' : 's'})\n`);
    for (const slo of slos) {
      const window = slo.window.kind === 'rolling' ? `rolling ${formatDayDuration(slo.window.durationMs)}` : `calendar ${slo.window.unit} (${slo.window.timeZone})`;
      io.stdout.write(`  ${slo.name}: ${percent(slo.target, 3)} over ${window}, ${slo.budgetingMethod}, ${slo.alertTiers.length} alert tier${slo.alertTiers.length === 1 ? '' : 's'}\n`);
    }
    return 0;
  }
  if (slos.length === 0) {
    io.stderr.write(`vigil slo: no SLO documents in ${config.files.join(', ')}\n`);
    return VALIDATION_FAILED;
  }
  if (config.action === 'rules') {
    let yaml: string;
    try {
      yaml = generatePrometheusRules(slos, {
        ...(config.interval === undefined ? {} : { interval: config.interval }),
        ...(config.alertName === undefined ? {} : { alertName: config.alertName }),
        recordingOnly: config.recordingOnly,
      });
    } catch (error) {
      const code = unsupported(error, slos, definitions, io);
      if (code !== null) return code;
      throw error;
    }
    if (config.out === undefined) io.stdout.write(yaml);
    else {
      try {
        await writeFile(config.out, yaml);
      } catch (error) {
        throw new VigilError('INVALID_ARGUMENT', `cannot write ${config.out}: ${(error as { code?: string }).code ?? String(error)}`, { path: '--out', cause: error });
      }
      io.stderr.write(`vigil slo: wrote ${slos.length} SLO${slos.length === 1 ? '' : 's'} to ${config.out}\n`);
    }
    return 0;
  }
  const prometheus = createPrometheusSource({ url: config.prometheus, timeoutMs: config.timeoutMs });
  const at = config.at ?? (io.now ?? Date.now)();
  let rows: SLOReportRow[];
  try {
    rows = await reportFromPrometheus(slos, prometheus, at);
  } catch (error) {
    const code = unsupported(error, slos, definitions, io);
    if (code !== null) return code;
    throw error;
  }
  if (config.json) io.stdout.write(toJson({ at, prometheus: config.prometheus, slos: jsonRows(rows, definitions) }));
  else writeTable(rows, io);
  return 0;
}

/** `vigil slo validate | rules | report`. */
export const sloCommand: Command = {
  name: 'slo',
  summary: 'validate OpenSLO definitions, write Prometheus rules, report SLO status from Prometheus',
  help,
  prepare(args, io) {
    // Every error thrown here (UsageError, or a ValidationError naming an option) is a usage error: exit 2.
    const config = parseSloArgs(args);
    return () => execute(config, io);
  },
};

import { ValidationError } from '../errors';
import { parseOpenSLODuration, assertTimeZone, type TimeWindowInput } from '../windows';
import { defineSLO, Issues, SLOValidationError } from './define';
import type { AlertTierInput, BudgetingMethod, MetricQuery, SLIDefinition, SLO, SLOInput } from './types';

/**
 * OpenSLO v1 documents (https://github.com/OpenSLO/OpenSLO) as already-parsed objects. Core has no YAML parser:
 * the CLI or the host parses YAML (or JSON) and hands the objects in, one per document.
 */

const KINDS = ['SLO', 'SLI', 'AlertPolicy', 'AlertCondition', 'Service', 'DataSource'] as const;
type Kind = (typeof KINDS)[number];

interface Doc {
  readonly kind: Kind;
  readonly name: string;
  readonly displayName: string | undefined;
  readonly labels: Record<string, string>;
  readonly spec: Record<string, unknown>;
  readonly path: string;
}

/** A Service document. */
export interface OpenSLOService {
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
}

/** A DataSource document. */
export interface OpenSLODataSource {
  readonly name: string;
  readonly type: string;
  readonly connectionDetails: Readonly<Record<string, unknown>>;
}

/** What `parseOpenSLO` returns. */
export interface OpenSLOResult {
  /** One SLO per objective of each SLO document (named `<name>` for one objective, `<name>-<i>` for several). */
  readonly slos: readonly SLO[];
  readonly services: readonly OpenSLOService[];
  readonly dataSources: readonly OpenSLODataSource[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function join(base: string, rest: string): string {
  return base === '' ? rest : `${base}.${rest}`;
}

function readDoc(issues: Issues, raw: unknown, path: string, expectKind?: Kind): Doc | null {
  if (!isObject(raw)) {
    issues.add(path === '' ? 'document' : path, 'an OpenSLO document object (parse YAML first)', raw);
    return null;
  }
  if (raw.apiVersion !== 'openslo/v1') issues.add(join(path, `apiVersion`), '"openslo/v1"', raw.apiVersion);
  const kind = raw.kind;
  if (!KINDS.includes(kind as Kind)) {
    issues.add(join(path, `kind`), `one of ${KINDS.join(', ')}`, kind);
    return null;
  }
  if (expectKind !== undefined && kind !== expectKind) issues.add(join(path, `kind`), `"${expectKind}"`, kind);
  const metadata = raw.metadata;
  if (!isObject(metadata)) {
    issues.add(join(path, `metadata`), 'an object { name, displayName?, labels? }', metadata);
    return null;
  }
  const name = metadata.name;
  if (typeof name !== 'string' || name.length > 63 || !NAME.test(name)) {
    issues.add(join(path, `metadata.name`), 'a DNS-style name (lowercase letters, digits, - and ., at most 63 characters)', name);
    return null;
  }
  if (metadata.displayName !== undefined && typeof metadata.displayName !== 'string') issues.add(join(path, `metadata.displayName`), 'a string', metadata.displayName);
  const labels: Record<string, string> = {};
  if (metadata.labels !== undefined) {
    if (!isObject(metadata.labels)) issues.add(join(path, `metadata.labels`), 'an object of label names to values', metadata.labels);
    else {
      for (const [k, v] of Object.entries(metadata.labels)) {
        // OpenSLO allows a list of values per label; Prometheus labels hold one, so lists are joined with commas.
        const value = typeof v === 'string' ? v : Array.isArray(v) && v.every((x) => typeof x === 'string') ? v.join(',') : null;
        if (value === null) issues.add(join(path, `metadata.labels.${k}`), 'a string or a list of strings', v);
        else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) issues.add(join(path, `metadata.labels.${k}`), 'a label name usable in Prometheus ([A-Za-z_][A-Za-z0-9_]*)', k);
        else labels[k] = value;
      }
    }
  }
  if (!isObject(raw.spec)) {
    issues.add(join(path, `spec`), 'an object', raw.spec);
    return null;
  }
  return { kind: kind as Kind, name, displayName: typeof metadata.displayName === 'string' ? metadata.displayName : undefined, labels, spec: raw.spec, path };
}

/**
 * Parses OpenSLO v1 documents (already parsed from YAML or JSON) into SLOs, resolving references between them:
 * `indicatorRef` to SLI documents, `alertPolicies` to AlertPolicy documents, `conditionRef` to AlertCondition
 * documents and `metricSourceRef` to DataSource documents. Every problem in every document is collected and thrown
 * together, each naming its path such as `[2].spec.objectives[0].target` (the index is the document's position when
 * an array is given).
 *
 * Mapping (see docs/slo.md): `ratioMetric` good/bad/total become a ratio SLI whose queries are Prometheus
 * selectors; `timeWindow` becomes a rolling window or a calendar window (`1w`, `1M`, `1Q`, `1Y`, `1d`) in
 * `calendar.timeZone`, weeks starting on the weekday of `calendar.startTime`; objectives' `target` or
 * `targetPercent`, `timeSliceTarget` and `timeSliceWindow` map one to one; each burn-rate AlertCondition becomes a
 * tier (`threshold` = factor, `lookbackWindow` = long window, short window = long / 12, `alertAfter` = `for`).
 *
 * @throws SLOValidationError listing every issue.
 * @example
 * import { parse } from 'yaml'; // in the CLI, not in core
 * const { slos } = parseOpenSLO(yamlText.split(/^---$/m).map((doc) => parse(doc)));
 */
export function parseOpenSLO(documents: unknown): OpenSLOResult {
  const issues = new Issues();
  const list = Array.isArray(documents) ? documents : [documents];
  const prefix = (i: number): string => (Array.isArray(documents) ? `[${i}]` : '');
  const docs: Doc[] = [];
  const byKey = new Map<string, Doc>();
  list.forEach((raw, i) => {
    if (raw === null || raw === undefined) return; // empty YAML documents
    const doc = readDoc(issues, raw, prefix(i));
    if (doc === null) return;
    const key = `${doc.kind}/${doc.name}`;
    if (byKey.has(key)) issues.add(join(doc.path, 'metadata.name'), `a ${doc.kind} name not used by another document`, doc.name);
    byKey.set(key, doc);
    docs.push(doc);
  });
  const at = (doc: Doc, rest: string): string => join(doc.path, rest);

  const services: OpenSLOService[] = [];
  const dataSources: OpenSLODataSource[] = [];
  for (const doc of docs) {
    if (doc.kind === 'Service') {
      const description = doc.spec.description;
      if (description !== undefined && typeof description !== 'string') issues.add(at(doc, 'spec.description'), 'a string', description);
      services.push({ name: doc.name, displayName: doc.displayName ?? doc.name, description: typeof description === 'string' ? description : '' });
    } else if (doc.kind === 'DataSource') {
      if (typeof doc.spec.type !== 'string') issues.add(at(doc, 'spec.type'), 'a data source type such as "Prometheus"', doc.spec.type);
      const details = doc.spec.connectionDetails;
      if (details !== undefined && !isObject(details)) issues.add(at(doc, 'spec.connectionDetails'), 'an object', details);
      dataSources.push({ name: doc.name, type: String(doc.spec.type), connectionDetails: isObject(details) ? details : {} });
    }
  }

  const metricQuery = (source: unknown, path: string): MetricQuery | undefined => {
    if (!isObject(source) || !isObject(source.metricSource)) {
      issues.add(`${path}.metricSource`, 'an object { metricSourceRef?, type?, spec: { query } }', isObject(source) ? source.metricSource : source);
      return undefined;
    }
    const ms = source.metricSource;
    let type = ms.type;
    if (ms.metricSourceRef !== undefined) {
      const ds = typeof ms.metricSourceRef === 'string' ? byKey.get(`DataSource/${ms.metricSourceRef}`) : undefined;
      if (ds === undefined) issues.add(`${path}.metricSource.metricSourceRef`, 'the name of a DataSource document', ms.metricSourceRef);
      else type ??= ds.spec.type;
    }
    if (!isObject(ms.spec)) {
      issues.add(`${path}.metricSource.spec`, 'an object { query }', ms.spec);
      return undefined;
    }
    const query = ms.spec.query ?? ms.spec.promql;
    if (typeof query !== 'string' || query.trim() === '') {
      issues.add(`${path}.metricSource.spec.query`, 'a query string', query);
      return undefined;
    }
    // Queries for other backends are kept out of rule generation: the engine takes their data as events.
    return type === undefined || (typeof type === 'string' && type.toLowerCase() === 'prometheus') ? { promql: query } : undefined;
  };

  const indicator = (raw: unknown, path: string): SLIDefinition | null => {
    if (!isObject(raw)) {
      issues.add(path, 'an SLI spec { ratioMetric }', raw);
      return null;
    }
    if (raw.thresholdMetric !== undefined) {
      issues.add(`${path}.thresholdMetric`, 'a ratioMetric (thresholdMetric gauges are not supported; express latency as good = histogram bucket, total = count)', 'thresholdMetric');
      return null;
    }
    const ratio = raw.ratioMetric;
    if (!isObject(ratio)) {
      issues.add(`${path}.ratioMetric`, 'an object { counter, good or bad, total }', ratio);
      return null;
    }
    if (ratio.raw !== undefined || ratio.rawType !== undefined) {
      issues.add(`${path}.ratioMetric.raw`, 'good or bad with total (precomputed raw ratios are not supported)', ratio.raw ?? ratio.rawType);
      return null;
    }
    if (ratio.counter !== undefined && typeof ratio.counter !== 'boolean') issues.add(`${path}.ratioMetric.counter`, 'a boolean', ratio.counter);
    if ((ratio.good === undefined) === (ratio.bad === undefined)) {
      issues.add(`${path}.ratioMetric.good`, 'exactly one of good and bad', ratio.good === undefined ? undefined : 'both');
      return null;
    }
    const which = ratio.good === undefined ? 'bad' : 'good';
    const part = metricQuery(ratio[which], `${path}.ratioMetric.${which}`);
    const total = metricQuery(ratio.total, `${path}.ratioMetric.total`);
    const sli: { kind: 'ratio'; good?: MetricQuery; bad?: MetricQuery; total?: MetricQuery } = { kind: 'ratio' };
    if (part !== undefined && total !== undefined) {
      sli[which] = part;
      sli.total = total;
    }
    return sli;
  };

  const tiersOf = (raw: unknown, path: string): AlertTierInput[] => {
    if (!Array.isArray(raw)) {
      issues.add(path, 'an array of alert policy references or AlertPolicy documents', raw);
      return [];
    }
    const tiers: AlertTierInput[] = [];
    raw.forEach((entry: unknown, i) => {
      const p = `${path}[${i}]`;
      let policy: Doc | null | undefined;
      const ref = typeof entry === 'string' ? entry : isObject(entry) && typeof entry.alertPolicyRef === 'string' ? entry.alertPolicyRef : undefined;
      if (ref !== undefined) {
        policy = byKey.get(`AlertPolicy/${ref}`);
        if (policy === undefined) return issues.add(typeof entry === 'string' ? p : `${p}.alertPolicyRef`, 'the name of an AlertPolicy document', ref);
      } else policy = readDoc(issues, entry, p, 'AlertPolicy');
      if (policy === null || policy === undefined) return;
      const policyPath = ref === undefined ? p : policy.path;
      const cp = (rest: string): string => join(policyPath, rest);
      const conditions = policy.spec.conditions;
      if (!Array.isArray(conditions) || conditions.length === 0) return issues.add(cp('spec.conditions'), 'a non-empty array of conditions', conditions);
      conditions.forEach((c: unknown, j) => {
        const cPath = cp(`spec.conditions[${j}]`);
        let condition: Doc | null | undefined;
        if (isObject(c) && typeof c.conditionRef === 'string') {
          condition = byKey.get(`AlertCondition/${c.conditionRef}`);
          if (condition === undefined) return issues.add(`${cPath}.conditionRef`, 'the name of an AlertCondition document', c.conditionRef);
        } else condition = readDoc(issues, c, cPath, 'AlertCondition');
        if (condition === null || condition === undefined) return;
        const base = isObject(c) && typeof c.conditionRef === 'string' ? at(condition, 'spec') : `${cPath}.spec`;
        const spec = condition.spec;
        const cond = spec.condition;
        if (!isObject(cond)) return issues.add(`${base}.condition`, 'an object { kind: burnrate, op, threshold, lookbackWindow, alertAfter? }', cond);
        if (cond.kind !== 'burnrate') return issues.add(`${base}.condition.kind`, '"burnrate"', cond.kind);
        if (cond.op !== undefined && cond.op !== 'gt' && cond.op !== 'gte') issues.add(`${base}.condition.op`, '"gt" or "gte" (alerts fire on high burn rates)', cond.op);
        if (typeof spec.severity !== 'string' || !/^[A-Za-z0-9_.:-]+$/.test(spec.severity)) issues.add(`${base}.severity`, 'a severity such as "page" or "ticket"', spec.severity);
        if (typeof cond.threshold !== 'number' || !(cond.threshold > 0) || !Number.isFinite(cond.threshold)) issues.add(`${base}.condition.threshold`, 'a burn-rate factor > 0', cond.threshold);
        const long = issues.try(() => parseOpenSLODuration(cond.lookbackWindow, `${base}.condition.lookbackWindow`).ms, null);
        if (long === null && typeof cond.lookbackWindow === 'string' && /^[1-9][0-9]*[MQY]$/.test(cond.lookbackWindow)) issues.add(`${base}.condition.lookbackWindow`, 'a fixed duration (s, m, h, d, w)', cond.lookbackWindow);
        const forMs = cond.alertAfter === undefined ? 0 : issues.try(() => parseOpenSLODuration(cond.alertAfter, `${base}.condition.alertAfter`).ms ?? 0, 0);
        if (long === null || typeof cond.threshold !== 'number' || typeof spec.severity !== 'string') return;
        tiers.push({ name: condition.name, severity: spec.severity, burnRate: cond.threshold, longWindow: long, shortWindow: Math.max(1000, Math.round(long / 12)), ...(forMs > 0 ? { for: forMs } : {}) });
      });
    });
    return tiers;
  };

  // Every SLI document is checked, referenced or not.
  const indicators = new Map<string, SLIDefinition | null>();
  for (const doc of docs) if (doc.kind === 'SLI') indicators.set(doc.name, indicator(doc.spec, at(doc, 'spec')));

  const slos: SLO[] = [];
  for (const doc of docs) {
    if (doc.kind !== 'SLO') continue;
    const spec = doc.spec;
    const sp = (rest: string): string => at(doc, `spec.${rest}`);
    let sli: SLIDefinition | null = null;
    if (spec.indicator !== undefined && spec.indicatorRef !== undefined) issues.add(sp('indicatorRef'), 'either indicator or indicatorRef, not both', spec.indicatorRef);
    else if (spec.indicatorRef !== undefined) {
      const ref = typeof spec.indicatorRef === 'string' ? indicators.get(spec.indicatorRef) : undefined;
      if (ref === undefined) issues.add(sp('indicatorRef'), 'the name of an SLI document', spec.indicatorRef);
      else sli = ref;
    } else if (isObject(spec.indicator)) sli = indicator(spec.indicator.spec, sp('indicator.spec'));
    else issues.add(sp('indicator'), 'an inline SLI { metadata, spec } or an indicatorRef', spec.indicator);

    if (spec.service !== undefined && typeof spec.service !== 'string') issues.add(sp('service'), 'the name of a service', spec.service);
    if (spec.description !== undefined && typeof spec.description !== 'string') issues.add(sp('description'), 'a string', spec.description);
    const method = spec.budgetingMethod;
    if (!['Occurrences', 'Timeslices', 'RatioTimeslices'].includes(method as string)) issues.add(sp('budgetingMethod'), 'one of Occurrences, Timeslices, RatioTimeslices', method);

    let window: TimeWindowInput | null = null;
    const tw = spec.timeWindow;
    if (!Array.isArray(tw) || tw.length !== 1 || !isObject(tw[0])) issues.add(sp('timeWindow'), 'an array with one time window { duration, isRolling, calendar? }', tw);
    else {
      const w = tw[0] as Record<string, unknown>;
      const d = issues.try(() => parseOpenSLODuration(w.duration, sp('timeWindow[0].duration')), null);
      const rolling = w.isRolling ?? (w.calendar === undefined);
      if (typeof rolling !== 'boolean') issues.add(sp('timeWindow[0].isRolling'), 'a boolean', w.isRolling);
      else if (d !== null && rolling) {
        if (d.ms === null) issues.add(sp('timeWindow[0].duration'), 'a fixed duration for a rolling window (m, h, d, w)', w.duration);
        else window = { duration: d.ms };
      } else if (d !== null) {
        const cal = w.calendar;
        let timeZone = 'UTC';
        let weekStartsOn = 1;
        if (cal !== undefined && !isObject(cal)) issues.add(sp('timeWindow[0].calendar'), 'an object { startTime, timeZone }', cal);
        if (isObject(cal)) {
          if (cal.timeZone !== undefined) timeZone = issues.try(() => assertTimeZone(cal.timeZone, sp('timeWindow[0].calendar.timeZone')), 'UTC');
          if (cal.startTime !== undefined) {
            const m = typeof cal.startTime === 'string' ? /^(\d{4})-(\d{2})-(\d{2})/.exec(cal.startTime) : null;
            if (m === null) issues.add(sp('timeWindow[0].calendar.startTime'), 'a date-time such as "2024-01-01 00:00:00"', cal.startTime);
            else weekStartsOn = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay();
          }
        }
        if (d.calendarUnit === null || d.count !== 1) issues.add(sp('timeWindow[0].duration'), 'one calendar period: 1d, 1w, 1M, 1Q or 1Y', w.duration);
        else window = { kind: 'calendar', unit: d.calendarUnit, timeZone, weekStartsOn };
      }
    }

    const tiers = spec.alertPolicies === undefined ? null : tiersOf(spec.alertPolicies, sp('alertPolicies'));
    const objectives = spec.objectives;
    if (!Array.isArray(objectives) || objectives.length === 0) {
      issues.add(sp('objectives'), 'a non-empty array of objectives', objectives);
      continue;
    }
    objectives.forEach((o: unknown, i) => {
      const op = (rest: string): string => sp(`objectives[${i}]${rest}`);
      if (!isObject(o)) return issues.add(op(''), 'an objective { target or targetPercent, ... }', o);
      let target: number | null = null;
      if (o.target !== undefined && o.targetPercent !== undefined) issues.add(op('.targetPercent'), 'either target or targetPercent, not both', o.targetPercent);
      else if (o.targetPercent !== undefined) {
        if (typeof o.targetPercent !== 'number' || !(o.targetPercent > 0 && o.targetPercent < 100)) issues.add(op('.targetPercent'), 'a percentage in (0, 100), such as 99.9', o.targetPercent);
        else target = o.targetPercent / 100;
      } else if (typeof o.target !== 'number' || !(o.target > 0 && o.target < 1)) issues.add(op('.target'), 'a target in (0, 1), such as 0.999', o.target);
      else target = o.target;
      let timeslice: SLOInput['timeslice'];
      if (method === 'Timeslices' || method === 'RatioTimeslices') {
        const sw = issues.try(() => parseOpenSLODuration(o.timeSliceWindow, op('.timeSliceWindow')).ms, null);
        if (sw === null && typeof o.timeSliceWindow === 'string' && /[MQY]$/.test(o.timeSliceWindow)) issues.add(op('.timeSliceWindow'), 'a fixed duration such as 1m or 5m', o.timeSliceWindow);
        if (method === 'Timeslices' && (typeof o.timeSliceTarget !== 'number' || !(o.timeSliceTarget > 0 && o.timeSliceTarget <= 1))) issues.add(op('.timeSliceTarget'), 'a share in (0, 1]', o.timeSliceTarget);
        if (sw !== null) timeslice = method === 'Timeslices' ? { duration: sw, target: o.timeSliceTarget as number } : { duration: sw };
      }
      if (sli === null || window === null || target === null || (tiers !== null && tiers.length === 0 && (spec.alertPolicies as unknown[]).length > 0)) return;
      const input: SLOInput = {
        name: objectives.length === 1 ? doc.name : `${doc.name}-${i}`,
        displayName: typeof o.displayName === 'string' ? o.displayName : (doc.displayName ?? doc.name),
        description: typeof spec.description === 'string' ? spec.description : '',
        ...(typeof spec.service === 'string' ? { service: spec.service } : {}),
        labels: doc.labels,
        sli,
        target,
        window,
        budgetingMethod: method as BudgetingMethod,
        ...(timeslice === undefined ? {} : { timeslice }),
        ...(tiers === null ? {} : tiers.length === 0 ? { alerting: false as const } : { alerting: { tiers } }),
      };
      try {
        slos.push(defineSLO(input));
      } catch (error) {
        if (!(error instanceof SLOValidationError)) throw error;
        for (const issue of error.issues) issues.list.push(repath(issue, sp(issue.path)));
      }
    });
  }
  issues.throwIfAny('OpenSLO documents');
  return { slos, services, dataSources };
}

/** The same issue under another path, keeping its description of what was found. */
function repath(issue: ValidationError, path: string): ValidationError {
  const moved = new ValidationError(path, issue.expected, undefined);
  return Object.assign(moved, { received: issue.received, message: `${path}: expected ${issue.expected}, received ${issue.received}` });
}

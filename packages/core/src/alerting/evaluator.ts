import { ValidationError, VigilError, assertInteger } from '../errors';
import { validateSeries, validateSeriesSpacing } from '../series/create';
import type { Series } from '../series/types';
import { alertFingerprint, compileMatchers, copyLabels, labelsKey, labelValue, LABEL_NAME_PATTERN, sameLabels } from './labels';
import { compileMaintenanceWindow } from './maintenance';
import type { CompiledMaintenanceWindow } from './maintenance';
import { checkedTailStart, conditionValueAt, loosestThreshold, percentileCannotHold, windowCannotPass } from './reduce';
import type { CheckedColumn } from './reduce';
import { levelActive, passes, step } from './state';
import type { InstanceCore } from './state';
import { plainText, renderTemplate } from './template';
import { ALERT_SEVERITIES } from './types';
import type {
  ActiveReason,
  Alert,
  AlertEvaluatorConfig,
  AlertEvaluatorSnapshot,
  AlertGroup,
  AlertHistoryEntry,
  AlertInstance,
  AlertNotification,
  AlertSeverity,
  AlertState,
  AlertTransition,
  EscalationPolicy,
  EscalationStep,
  EvaluationInput,
  EvaluationResult,
  NoDataBehavior,
  NotificationReason,
  RuleEvaluationError,
  RuleTickInput,
  Silence,
  SnapshotGroup,
  SnapshotInstance,
  ThresholdOperator,
} from './types';
import { compileRules } from './validate';
import type { CompiledLevel, CompiledRule } from './validate';

const KEY_SEPARATOR = '\u0000';
const LABEL_VALUE_MAX = 1024;
const DEFAULT_REPEAT_MS = 4 * 3_600_000;

/** One alert instance (rule × series × severity). @internal */
export interface Instance extends InstanceCore {
  readonly rule: CompiledRule;
  readonly level: CompiledLevel;
  readonly seriesKey: string;
  /** Its key in the rule's `instances`: the series key, the separator and the severity. */
  readonly key: string;
  readonly seriesLabels: Readonly<Record<string, string>>;
  readonly labels: Record<string, string>;
  readonly fingerprint: string;
  annotations: Record<string, string>;
  value: number | null;
  /** The value the annotations were last rendered for. */
  renderedValue: number | null | undefined;
  /** The evaluation counter at which the instance was last processed. */
  seenTick: number;
  /** Its group's key and labels (fixed by its labels, rule and the evaluator's grouping), found once. */
  readonly groupKey: string;
  readonly groupLabels: Readonly<Record<string, string>>;
}

/**
 * A rule and its instances. It is also the compiled rule (a copy of its fields) with what a tick reads for a rule
 * without alerts first: such a rule (most rules, most ticks) then reads one object of the evaluator's own. Objects
 * met for the first time in a tick are cache misses, and they were most of a quiet rule's cost.
 */
interface RuleRuntime extends CompiledRule {
  readonly compiled: CompiledRule;
  readonly enabled: boolean;
  readonly instances: Map<string, Instance>;
  /** `instances.size`, without reading the map. */
  live: number;
  readonly noDataActive: boolean | null;
  readonly absent: boolean;
  readonly percentile: boolean;
  /** The levels' operator (they share one) and, when it is ordered, the loosest threshold; else NaN. */
  readonly operator: ThresholdOperator;
  readonly loosest: number;
  /** The series key of each series index last tick, with a copy of its labels (see `seriesKeyOf`); null until needed. */
  seriesKeys: (SeriesKeyMemo | undefined)[] | null;
}

interface SeriesKeyMemo {
  readonly labels: Readonly<Record<string, string>>;
  readonly key: string;
  /**
   * The instance key of each of the rule's levels (see `instanceKey`), made once: a key concatenated afresh for each
   * lookup is a new string that `Map.get` must flatten and hash every time (a fifth of the steady tick of 1,000 rules).
   */
  readonly instanceKeys: string[];
}

/**
 * The key (`labelsKey`) of series i's labels. A series with alerts needs it every tick, and its labels are usually
 * those of the tick before: compared with a copy of those, key by key, the key is reused instead of sorting the names
 * and quoting the values again.
 */
function seriesKeyOf(runtime: RuleRuntime, i: number, labels: Readonly<Record<string, string>>): SeriesKeyMemo {
  const memos = (runtime.seriesKeys ??= []);
  const memo = memos[i];
  if (memo !== undefined && sameLabels(labels, memo.labels)) return memo;
  const key = labelsKey(labels);
  const levels = runtime.levels;
  const instanceKeys: string[] = [];
  for (let j = 0; j < levels.length; j++) instanceKeys.push(instanceKey(key, levels[j] as CompiledLevel));
  const fresh: SeriesKeyMemo = { labels: copyLabels(labels), key, instanceKeys };
  memos[i] = fresh;
  return fresh;
}

/** The key of an instance in its rule's `instances`: its series key and its level's severity. */
function instanceKey(seriesKey: string, level: CompiledLevel): string {
  return seriesKey + KEY_SEPARATOR + level.severity;
}

function ruleRuntime(rule: CompiledRule): RuleRuntime {
  const operator = rule.levels.length > 0 ? (rule.levels[0] as CompiledLevel).operator : '==';
  return {
    // The fields a quiet rule reads, first (V8 lays the object out in this order), then the rest of the rule.
    enabled: rule.rule.enabled !== false,
    live: 0,
    id: rule.id,
    lookbackMs: rule.lookbackMs,
    windowMs: rule.windowMs,
    decidable: rule.decidable,
    noDataActive: behaviorActive(rule.noData),
    absent: rule.conditionType === 'absent',
    percentile: rule.reducer === 'percentile',
    operator,
    loosest: operator === '==' || operator === '!=' ? NaN : loosestThreshold(rule.levels),
    seriesKeys: null,
    reducer: rule.reducer,
    conditionType: rule.conditionType,
    changeWindowMs: rule.changeWindowMs,
    changeSign: rule.changeSign,
    quantile: rule.quantile,
    levels: rule.levels,
    instances: new Map(),
    compiled: rule,
    rule: rule.rule,
    name: rule.name,
    stepMs: rule.stepMs,
    forMs: rule.forMs,
    keepFiringForMs: rule.keepFiringForMs,
    cooldownMs: rule.cooldownMs,
    noData: rule.noData,
    onError: rule.onError,
    labels: rule.labels,
    annotations: rule.annotations,
    runbookUrl: rule.runbookUrl,
    receiver: rule.receiver,
    escalationPolicy: rule.escalationPolicy,
  };
}

interface GroupState {
  firingSince: number;
  lastNotifiedAt: number;
  nextStep: number;
  stepNotifiedAt: number[];
  notified: Set<string>;
  receivers: Set<string>;
}

interface CompiledSilence {
  readonly silence: Silence;
  readonly matches: (labels: Readonly<Record<string, string>>) => boolean;
}

interface CompiledInhibitRule {
  readonly source: (labels: Readonly<Record<string, string>>) => boolean;
  readonly target: (labels: Readonly<Record<string, string>>) => boolean;
  readonly equal: readonly string[];
}

/**
 * Validates the series of one query result and checks that no two have the same label set once `__name__` is
 * dropped (Prometheus fails such a rule evaluation too). Returns, per series, a lower bound on the gaps between its
 * timestamps, or 0 (see `validateSeriesSpacing`). @internal
 */
export function assertDistinctSeries(series: readonly Series[], path: string): number[] {
  const gaps: number[] = [];
  for (let i = 0; i < series.length; i++) gaps.push(validateSeriesSpacing(series[i] as Series, `${path}[${i}]`));
  if (series.length > 1) assertDistinctLabels(series, path);
  return gaps;
}

/**
 * Throws unless the series have string labels and distinct label sets once `__name__` is dropped (their columns are
 * already checked). @internal
 */
function assertDistinctLabels(series: readonly Series[], path: string): void {
  const keys = new Set<string>();
  for (let i = 0; i < series.length; i++) {
    if (!hasStringLabels((series[i] as Series).labels)) validateSeries(series[i] as Series, `${path}[${i}]`);
    const key = labelsKey(alertSeriesLabels((series[i] as Series).labels));
    if (keys.has(key)) throw new ValidationError(`${path}[${i}].labels`, 'a label set (without __name__) distinct from the other series of the result', key);
    keys.add(key);
  }
}

/**
 * An allocation-free check of a series' columns: Float64Array timestamps and values of equal length, and an optional
 * string name. The labels are checked apart (`hasStringLabels`), where they are read, and the timestamps where a
 * rule reads them (`checkedTailStart`). A `false` sends the caller to `validateSeries` for the precise error. @internal
 */
export function hasSeriesShape(series: unknown): series is Series {
  if (series === null || typeof series !== 'object') return false;
  const { timestamps, values, name } = series as Series;
  if (!(timestamps instanceof Float64Array) || !(values instanceof Float64Array) || timestamps.length !== values.length) return false;
  return name === undefined || typeof name === 'string';
}

/**
 * An allocation-free check that a series' labels are an object of strings. It is at least as strict as
 * `validateSeries` (`for...in` also visits inherited enumerable labels); a `false` sends the caller to
 * `validateSeries` for the precise error. @internal
 */
export function hasStringLabels(labels: unknown): labels is Readonly<Record<string, string>> {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) return false;
  for (const key in labels) if (typeof (labels as Record<string, unknown>)[key] !== 'string') return false;
  return true;
}

/** Rules whose inputs are read ahead together (see `evaluate`). */
const INPUT_BLOCK = 32;

/** What the reads ahead of the last tick summed up to: kept, so that the compiler cannot drop them as dead code. @internal */
export let touchedSum = 0;

/**
 * Reads, one step at a time for all `count` inputs of a block, what each rule reads first: the series list, the first
 * series, its columns and their first and last samples. The reads are repeated when the rule is evaluated (a getter
 * on the input runs twice); anything unexpected, or a throw, ends the reading of that input, silently: the rule's own
 * reading reports it. Returns a sum of the samples read, for the caller to keep.
 */
function touchInputs(inputs: readonly unknown[], count: number, step: unknown[]): number {
  for (let b = 0; b < count; b++) {
    const input = inputs[b];
    let list: unknown;
    if (input !== null && typeof input === 'object') {
      try {
        list = (input as { series?: unknown }).series;
      } catch {
        list = undefined;
      }
    }
    step[b] = list;
  }
  for (let b = 0; b < count; b++) {
    const list = step[b];
    step[b] = Array.isArray(list) && list.length > 0 ? (list[0] as unknown) : undefined;
  }
  let sum = 0;
  for (let b = 0; b < count; b++) {
    const first = step[b];
    if (first === null || typeof first !== 'object') continue;
    const { timestamps, values } = first as Series;
    if (values instanceof Float64Array && timestamps instanceof Float64Array && values.length > 0 && timestamps.length > 0) {
      sum += (values[0] as number) + (values[values.length - 1] as number) + (timestamps[timestamps.length - 1] as number);
    }
  }
  return sum;
}

/** Where each series of a tick's input is checked from (see `checkedTailStart`); reused across rules. */
let checkedFrom = new Int32Array(16);

/** The labels of an instance: series labels, rendered rule labels, alertname and severity. @internal */
export function instanceLabels(rule: CompiledRule, seriesLabels: Readonly<Record<string, string>>, level: CompiledLevel): Record<string, string> {
  const context = { labels: seriesLabels, value: null, severity: level.severity, rule: rule.name };
  const labels = copyLabels(seriesLabels);
  for (const [name, template] of rule.labels) labels[name] = plainText(renderTemplate(template, context), LABEL_VALUE_MAX);
  labels.alertname = rule.name;
  labels.severity = level.severity;
  return labels;
}

/**
 * Whether a value (NaN: no data) makes any level active for an instance that does not exist yet: under an ordered
 * operator, whether it passes the loosest threshold, read from the runtime.
 */
function anyLevelActive(runtime: RuleRuntime, value: number): boolean {
  if (value !== value) return runtime.noDataActive === true;
  if (runtime.loosest === runtime.loosest) return passes(value, runtime.operator, runtime.loosest);
  const levels = runtime.compiled.levels;
  for (let j = 0; j < levels.length; j++) if (levelActive(levels[j] as CompiledLevel, value, false)) return true;
  return false;
}

function behaviorActive(behavior: NoDataBehavior): boolean | null {
  return behavior === 'alerting' ? true : behavior === 'ok' ? false : null;
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Series labels without `__name__`, as Prometheus drops it from alerts. @internal */
export function alertSeriesLabels(labels: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  if (!('__name__' in labels)) return labels;
  const copy: Record<string, string> = {};
  for (const name of Object.keys(labels)) if (name !== '__name__') copy[name] = labels[name] as string;
  return copy;
}

function compileSilence(silence: Silence, path: string): CompiledSilence {
  if (silence === null || typeof silence !== 'object') throw new ValidationError(path, 'a silence { id, matchers, startsAt, endsAt }', silence);
  if (typeof silence.id !== 'string' || silence.id === '' || silence.id.length > 256) throw new ValidationError(`${path}.id`, 'a non-empty id of at most 256 characters', silence.id);
  if (!Array.isArray(silence.matchers) || silence.matchers.length === 0) throw new ValidationError(`${path}.matchers`, 'a non-empty array of matchers (as Alertmanager requires)', silence.matchers);
  const matches = compileMatchers(silence.matchers, `${path}.matchers`);
  if (typeof silence.startsAt !== 'number' || !Number.isFinite(silence.startsAt)) throw new ValidationError(`${path}.startsAt`, 'a finite epoch-millisecond time', silence.startsAt);
  if (typeof silence.endsAt !== 'number' || !Number.isFinite(silence.endsAt) || silence.endsAt < silence.startsAt) {
    throw new ValidationError(`${path}.endsAt`, `a finite time at or after startsAt (${silence.startsAt})`, silence.endsAt);
  }
  return { silence: { ...silence, matchers: silence.matchers.map((m) => ({ ...m })) }, matches };
}

function compilePolicies(policies: readonly EscalationPolicy[] | undefined): Map<string, EscalationPolicy> {
  const map = new Map<string, EscalationPolicy>();
  if (policies === undefined) return map;
  if (!Array.isArray(policies)) throw new ValidationError('escalationPolicies', 'an array of escalation policies', policies);
  policies.forEach((policy, i) => {
    const path = `escalationPolicies[${i}]`;
    if (policy === null || typeof policy !== 'object') throw new ValidationError(path, 'an escalation policy { id, steps }', policy);
    if (typeof policy.id !== 'string' || policy.id === '') throw new ValidationError(`${path}.id`, 'a non-empty id', policy.id);
    if (map.has(policy.id)) throw new ValidationError(`${path}.id`, 'a unique policy id', policy.id);
    if (!Array.isArray(policy.steps) || policy.steps.length === 0) throw new ValidationError(`${path}.steps`, 'a non-empty array of steps', policy.steps);
    let previous = -1;
    (policy.steps as readonly EscalationStep[]).forEach((s: EscalationStep, j: number) => {
      const stepPath = `${path}.steps[${j}]`;
      if (s === null || typeof s !== 'object') throw new ValidationError(stepPath, 'a step { receivers, afterMs, repeatIntervalMs? }', s);
      if (!Array.isArray(s.receivers) || s.receivers.length === 0 || s.receivers.some((r: unknown) => typeof r !== 'string' || r === '')) {
        throw new ValidationError(`${stepPath}.receivers`, 'a non-empty array of receiver names', s.receivers);
      }
      assertInteger(s.afterMs, `${stepPath}.afterMs`, 0, 365 * 86_400_000);
      if (s.afterMs < previous) throw new ValidationError(`${stepPath}.afterMs`, `a time at or after the previous step's (${previous})`, s.afterMs);
      previous = s.afterMs;
      if (s.repeatIntervalMs !== undefined) assertInteger(s.repeatIntervalMs, `${stepPath}.repeatIntervalMs`, 0, 365 * 86_400_000);
    });
    map.set(policy.id, policy);
  });
  return map;
}

/**
 * The alert evaluator: a deterministic state machine per rule, series label set and severity, evaluated tick by
 * tick with `evaluate(now, data)`. It groups and deduplicates alerts, applies silences, maintenance windows and
 * inhibition rules, runs escalation policies, keeps a bounded history, and persists with `snapshot()` /
 * `restore()`. Create one with {@link createAlertEvaluator}.
 *
 * Ticks must not go back in time. Rules missing from a tick's `data` have no data that tick. Each series is checked
 * where the rule reads it: its shape, and its timestamps from the newest back to the start of the rule's lookback;
 * older samples are neither read nor checked.
 *
 * @example
 * const evaluator = createAlertEvaluator({ rules: [cpuRule], grouping: { groupBy: ['alertname', 'cluster'] } });
 * const result = evaluator.evaluate(Date.now(), { [cpuRule.id]: { series } });
 * for (const n of result.notifications) await deliver(n.receiver, n.group);
 */
export class AlertEvaluator {
  private readonly runtimes: RuleRuntime[];
  private readonly byId = new Map<string, RuleRuntime>();
  private readonly groupBy: readonly string[] | 'all';
  private readonly defaultReceiver: string;
  private readonly repeatIntervalMs: number;
  private silencesById = new Map<string, CompiledSilence>();
  private readonly maintenance: CompiledMaintenanceWindow[];
  private readonly inhibitRules: CompiledInhibitRule[];
  private readonly policies: Map<string, EscalationPolicy>;
  private readonly historyLimit: number;
  private readonly generatorUrlPrefix: string | undefined;
  private historyEntries: AlertHistoryEntry[] = [];
  private readonly groupStates = new Map<string, GroupState>();
  private readonly acks = new Map<string, number>();
  private lastTick = -Infinity;
  private tickCounter = 0;
  /** The timestamp column checked last in this tick (reset at every tick: the data may change between ticks). */
  private readonly checkedColumn: CheckedColumn = { column: null, from: 0 };
  /** The inputs of a block of rules and what `touchInputs` read of them (see `evaluate`), emptied after each tick. */
  private readonly blockInputs: (RuleTickInput | undefined)[] = new Array<RuleTickInput | undefined>(INPUT_BLOCK).fill(undefined);
  private readonly blockTouch: unknown[] = new Array<unknown>(INPUT_BLOCK).fill(undefined);

  /** Use {@link createAlertEvaluator}. */
  constructor(config: AlertEvaluatorConfig) {
    if (config === null || typeof config !== 'object') throw new ValidationError('config', 'an evaluator config { rules, ... }', config);
    const compiled = compileRules(config.rules, 'rules');
    this.runtimes = compiled.map(ruleRuntime);
    for (const runtime of this.runtimes) this.byId.set(runtime.compiled.id, runtime);
    const grouping = config.grouping ?? {};
    if (grouping === null || typeof grouping !== 'object') throw new ValidationError('grouping', 'a grouping object', grouping);
    const groupBy = grouping.groupBy ?? ['alertname'];
    if (!Array.isArray(groupBy)) throw new ValidationError('grouping.groupBy', 'an array of label names', groupBy);
    if (groupBy.length === 1 && groupBy[0] === '...') this.groupBy = 'all';
    else {
      groupBy.forEach((name, i) => {
        if (typeof name !== 'string' || !LABEL_NAME_PATTERN.test(name)) throw new ValidationError(`grouping.groupBy[${i}]`, "a label name or ['...']", name);
      });
      this.groupBy = [...groupBy].sort();
    }
    const receiver = grouping.receiver ?? 'default';
    if (typeof receiver !== 'string' || receiver === '') throw new ValidationError('grouping.receiver', 'a non-empty receiver name', receiver);
    this.defaultReceiver = receiver;
    this.repeatIntervalMs = grouping.repeatIntervalMs ?? DEFAULT_REPEAT_MS;
    assertInteger(this.repeatIntervalMs, 'grouping.repeatIntervalMs', 0, 365 * 86_400_000);
    (config.silences ?? []).forEach((s, i) => {
      const compiledSilence = compileSilence(s, `silences[${i}]`);
      this.silencesById.set(compiledSilence.silence.id, compiledSilence);
    });
    if (config.maintenanceWindows !== undefined && !Array.isArray(config.maintenanceWindows)) throw new ValidationError('maintenanceWindows', 'an array', config.maintenanceWindows);
    this.maintenance = (config.maintenanceWindows ?? []).map((w, i) => compileMaintenanceWindow(w, `maintenanceWindows[${i}]`));
    if (config.inhibitRules !== undefined && !Array.isArray(config.inhibitRules)) throw new ValidationError('inhibitRules', 'an array', config.inhibitRules);
    this.inhibitRules = (config.inhibitRules ?? []).map((r, i) => {
      const path = `inhibitRules[${i}]`;
      if (r === null || typeof r !== 'object') throw new ValidationError(path, 'an inhibit rule { sourceMatchers, targetMatchers, equal? }', r);
      const equal = r.equal ?? [];
      if (!Array.isArray(equal)) throw new ValidationError(`${path}.equal`, 'an array of label names', equal);
      equal.forEach((name, j) => {
        if (typeof name !== 'string' || !LABEL_NAME_PATTERN.test(name)) throw new ValidationError(`${path}.equal[${j}]`, 'a label name', name);
      });
      return { source: compileMatchers(r.sourceMatchers, `${path}.sourceMatchers`), target: compileMatchers(r.targetMatchers, `${path}.targetMatchers`), equal: [...equal] };
    });
    this.policies = compilePolicies(config.escalationPolicies);
    compiled.forEach((rule, i) => {
      if (rule.escalationPolicy !== undefined && !this.policies.has(rule.escalationPolicy)) {
        throw new ValidationError(`rules[${i}].escalationPolicy`, `the id of a policy in escalationPolicies (${[...this.policies.keys()].join(', ') || 'none defined'})`, rule.escalationPolicy);
      }
    });
    this.historyLimit = config.historyLimit ?? 10_000;
    assertInteger(this.historyLimit, 'historyLimit', 0, 10_000_000);
    if (config.generatorUrlPrefix !== undefined && (typeof config.generatorUrlPrefix !== 'string' || !/^https?:\/\//i.test(config.generatorUrlPrefix))) {
      throw new ValidationError('generatorUrlPrefix', 'an http(s):// URL prefix', config.generatorUrlPrefix);
    }
    this.generatorUrlPrefix = config.generatorUrlPrefix;
  }

  /** The rules, compiled (defaults resolved). @internal */
  get compiledRules(): readonly CompiledRule[] {
    return this.runtimes.map((r) => r.compiled);
  }

  /**
   * Evaluates every enabled rule at `now` on the data given for it, advances each instance's state machine, and
   * returns the alerts, groups, notifications, transitions and per-rule errors of this tick. Malformed data for a
   * rule is reported in `errors` (and handled with the rule's `onError`), never thrown.
   *
   * @throws ValidationError when `now` is not a finite time or is before the previous tick, or `data` is not an object.
   * @example
   * const { alerts, notifications } = evaluator.evaluate(now, { 'cpu-high': { series: await fetchCpu(now) } });
   */
  evaluate(now: number, data: EvaluationInput): EvaluationResult {
    if (typeof now !== 'number' || !Number.isFinite(now)) throw new ValidationError('now', 'a finite epoch-millisecond time', now);
    if (now < this.lastTick) throw new ValidationError('now', `a time at or after the previous tick (${this.lastTick})`, now);
    if (data === null || typeof data !== 'object') throw new ValidationError('data', 'an object of rule ids to { series } or { error }', data);
    this.lastTick = now;
    this.checkedColumn.column = null;
    const transitions: AlertTransition[] = [];
    const errors: RuleEvaluationError[] = [];
    const resolvedNow: Instance[] = [];
    // One property read per rule; the own-property check (slow on a large dictionary) only when the read could have
    // reached an inherited property: `data` has a prototype other than Object.prototype/null, or the id is a key
    // of Object.prototype ('constructor', 'toString', ...).
    const proto: unknown = Object.getPrototypeOf(data);
    const plainData = proto === Object.prototype || proto === null;
    // Rules go in blocks of INPUT_BLOCK. Reaching a rule's samples takes a chain of reads (its id, its input, the
    // series list, the first series, its columns, their samples), each a cache miss in a large tick, and each waiting
    // on the one before. A block first takes each step for all its rules (then `touchInputs`), so that the misses of
    // different rules overlap, then evaluates the rules: a steady tick of 10,000 rules took a quarter less time.
    const runtimes = this.runtimes;
    const inputs = this.blockInputs;
    let touched = 0;
    for (let start = 0; start < runtimes.length; start += INPUT_BLOCK) {
      const end = Math.min(runtimes.length, start + INPUT_BLOCK);
      for (let k = start; k < end; k++) touched += (runtimes[k] as RuleRuntime).id.length;
      for (let k = start; k < end; k++) {
        const runtime = runtimes[k] as RuleRuntime;
        let input: RuleTickInput | undefined;
        if (runtime.enabled) {
          const id = runtime.id;
          input = data[id];
          if (input !== undefined && (!plainData || id in Object.prototype) && !Object.prototype.hasOwnProperty.call(data, id)) input = undefined;
        }
        inputs[k - start] = input;
      }
      touched += touchInputs(inputs, end - start, this.blockTouch);
      for (let k = start; k < end; k++) {
        const runtime = runtimes[k] as RuleRuntime;
        if (runtime.enabled) this.evaluateRule(runtime, now, inputs[k - start], transitions, errors, resolvedNow);
      }
    }
    inputs.fill(undefined);
    this.blockTouch.fill(undefined);
    touchedSum = touched;
    this.checkedColumn.column = null;
    this.record(transitions);
    return this.publish(now, transitions, errors, resolvedNow);
  }

  private evaluateRule(runtime: RuleRuntime, now: number, input: RuleTickInput | undefined, transitions: AlertTransition[], errors: RuleEvaluationError[], resolvedNow: Instance[]): void {
    const rule: CompiledRule = runtime;
    let series: readonly Series[] = [];
    let failed: unknown;
    if (input !== undefined) {
      // Each series is checked where the rule reads it, without building error paths or allocating: its columns, its
      // timestamps from the newest back to the start of the rule's lookback (older samples are never read), and its
      // labels where they are read: here for several series (their label sets must differ), else below, when the
      // value needs an alert instance. A series that fails goes through the full validation, which throws the
      // precise error. Whatever the input throws (a getter, a proxy) fails the rule, as a source error would.
      try {
        if (input === null || typeof input !== 'object') throw new ValidationError(`data.${rule.id}`, 'an object { series } or { error }', input);
        if ('error' in input) failed = input.error;
        else {
          const list: unknown = input.series;
          if (!Array.isArray(list)) throw new ValidationError(`data.${rule.id}.series`, 'an array of series', list);
          const earliest = now - runtime.lookbackMs;
          const known = this.checkedColumn;
          if (checkedFrom.length < list.length) checkedFrom = new Int32Array(list.length);
          for (let i = 0; i < list.length; i++) {
            const s: unknown = list[i];
            const from = hasSeriesShape(s) ? checkedTailStart(s.timestamps, earliest, known) : -1;
            if (from < 0) validateSeries(s as Series, `data.${rule.id}.series[${i}]`);
            checkedFrom[i] = from < 0 ? 0 : from;
          }
          if (list.length > 1) assertDistinctLabels(list as Series[], `data.${rule.id}.series`);
          series = list as Series[];
        }
      } catch (error) {
        failed = error;
      }
    }
    const tick = ++this.tickCounter;
    if (failed !== undefined) {
      this.fail(runtime, now, tick, failed, transitions, errors, resolvedNow);
      return;
    }

    const noDataActive = runtime.noDataActive;
    if (runtime.absent) {
      let anyData = false;
      for (let i = 0; i < series.length; i++) {
        const value = conditionValueAt(series[i] as Series, rule, now, checkedFrom[i] as number);
        if (value === value) {
          anyData = true;
          break;
        }
      }
      const level = rule.levels[0] as CompiledLevel;
      const existing = runtime.instances.get(instanceKey('{}', level));
      if (!anyData || existing !== undefined) this.apply(runtime, existing ?? this.instanceFor(runtime, '{}', {}, level, NaN), now, !anyData, 'condition', anyData ? NaN : 1, transitions, resolvedNow);
      return;
    }

    if (series.length === 0 && noDataActive === true) this.ensureRuleLevel(runtime, now, tick, true, 'no-data', transitions, resolvedNow);
    // A threshold rule without alerts, where no data does not alert, needs the value only where a level may hold:
    // a window without a sample past the loosest threshold cannot (avg, min, max and percentiles lie between the
    // window's extremes), and for percentiles counting decides most of the rest. Read from the runtime only.
    const decideFirst = runtime.decidable && noDataActive !== true && runtime.live === 0;
    const levels = rule.levels;
    for (let i = 0; i < series.length; i++) {
      const s = series[i] as Series;
      if (decideFirst) {
        const from = checkedFrom[i] as number;
        if (windowCannotPass(s, runtime.windowMs, runtime.operator, runtime.loosest, now, from) || (runtime.percentile && percentileCannotHold(s, rule, now, from))) continue;
      }
      const value = conditionValueAt(s, rule, now, checkedFrom[i] as number);
      // Without alert instances the labels are needed only when a level becomes active.
      if (runtime.live === 0 && !anyLevelActive(runtime, value)) continue;
      // A single series' labels are checked here, where they are first read, before anything of this rule changes.
      if (series.length === 1 && !hasStringLabels(s.labels)) {
        try {
          validateSeries(s, `data.${rule.id}.series[0]`);
        } catch (error) {
          this.fail(runtime, now, tick, error, transitions, errors, resolvedNow);
          return;
        }
      }
      const labels = alertSeriesLabels(s.labels);
      let memo: SeriesKeyMemo | undefined;
      for (let j = 0; j < levels.length; j++) {
        const level = levels[j] as CompiledLevel;
        let existing: Instance | undefined;
        if (runtime.live > 0) {
          memo ??= seriesKeyOf(runtime, i, labels);
          existing = runtime.instances.get(memo.instanceKeys[j] as string);
        }
        let active: boolean | null;
        let reason: ActiveReason;
        if (value !== value) {
          active = noDataActive;
          reason = 'no-data';
        } else {
          active = levelActive(level, value, existing !== undefined && existing.state === 'firing');
          reason = 'condition';
        }
        if (existing === undefined && active !== true) continue;
        let instance = existing;
        if (instance === undefined) {
          memo ??= seriesKeyOf(runtime, i, labels);
          instance = this.instanceFor(runtime, memo.key, labels, level, value, memo.instanceKeys[j] as string);
        }
        instance.seenTick = tick;
        this.apply(runtime, instance, now, active, reason, value, transitions, resolvedNow);
      }
    }
    if (runtime.live > 0) this.applyToUnseen(runtime, now, tick, series.length === 0 ? noDataActive : false, 'no-data', transitions, resolvedNow);
  }

  /** A failed query or malformed data: reported in `errors` and handled as the rule's `onError` says. */
  private fail(runtime: RuleRuntime, now: number, tick: number, failed: unknown, transitions: AlertTransition[], errors: RuleEvaluationError[], resolvedNow: Instance[]): void {
    const rule = runtime.compiled;
    errors.push({ ruleId: rule.id, message: failed instanceof Error ? failed.message : String(failed), code: failed instanceof VigilError ? failed.code : 'SOURCE_ERROR' });
    const active = behaviorActive(rule.onError);
    if (active === true) this.ensureRuleLevel(runtime, now, tick, true, 'error', transitions, resolvedNow);
    this.applyToUnseen(runtime, now, tick, active, 'error', transitions, resolvedNow);
  }

  private ensureRuleLevel(runtime: RuleRuntime, now: number, tick: number, active: boolean | null, reason: ActiveReason, transitions: AlertTransition[], resolvedNow: Instance[]): void {
    for (const level of runtime.compiled.levels) {
      const instance = this.instanceFor(runtime, '{}', {}, level, NaN);
      instance.seenTick = tick;
      this.apply(runtime, instance, now, active, reason, NaN, transitions, resolvedNow);
    }
  }

  private applyToUnseen(runtime: RuleRuntime, now: number, tick: number, active: boolean | null, reason: ActiveReason, transitions: AlertTransition[], resolvedNow: Instance[]): void {
    if (runtime.live === 0) return;
    for (const instance of [...runtime.instances.values()]) {
      if (instance.seenTick === tick) continue;
      instance.seenTick = tick;
      this.apply(runtime, instance, now, active, reason, NaN, transitions, resolvedNow);
    }
  }

  private apply(runtime: RuleRuntime, instance: Instance, now: number, active: boolean | null, reason: ActiveReason | null, value: number, transitions: AlertTransition[], resolvedNow: Instance[]): void {
    const rule = runtime.compiled;
    const previous = step(instance, now, active, reason, rule);
    // As Prometheus: the value (and the annotations) follow the series only while it meets the condition; a
    // cleared or keep-firing alert keeps the last value it fired with.
    if (active === true) instance.value = finiteOrNull(value);
    const state = instance.state;
    if ((state === 'firing' || state === 'pending') && (previous !== state || instance.renderedValue !== instance.value)) this.renderAnnotations(instance);
    if (previous !== state) {
      transitions.push({
        time: now,
        ruleId: rule.id,
        fingerprint: instance.fingerprint,
        severity: instance.level.severity,
        labels: instance.labels,
        from: previous,
        to: state,
        value: instance.value,
        reason: state === 'inactive' || state === 'resolved' ? null : instance.reason,
      });
      if (state === 'resolved') resolvedNow.push(instance);
    }
    if (state === 'inactive' && (instance.cooldownUntil === null || instance.cooldownUntil <= now)) {
      if (runtime.instances.delete(instance.key)) runtime.live--;
    }
  }

  private instanceFor(runtime: RuleRuntime, seriesKey: string, seriesLabels: Readonly<Record<string, string>>, level: CompiledLevel, value: number, key = instanceKey(seriesKey, level)): Instance {
    const existing = runtime.instances.get(key);
    if (existing !== undefined) return existing;
    const rule = runtime.compiled;
    const labels = instanceLabels(rule, seriesLabels, level);
    const groupLabels = this.groupLabelsOf(labels);
    // Every field in one literal (the fields of `inactiveCore()` too, not spread): V8 then builds the instance with
    // one map instead of a clone plus a map transition per added field (the first tick of 10,000 rules, with 385 new
    // instances, spent 10% of its time here).
    const instance: Instance = {
      state: 'inactive',
      activeAt: null,
      firedAt: null,
      resolvedAt: null,
      keepFiringSince: null,
      cooldownUntil: null,
      reason: null,
      rule,
      level,
      seriesKey,
      key,
      seriesLabels,
      labels,
      fingerprint: alertFingerprint(labels),
      annotations: {},
      value: finiteOrNull(value),
      renderedValue: undefined,
      seenTick: 0,
      groupKey: `${rule.receiver ?? this.defaultReceiver}${rule.escalationPolicy === undefined ? '' : `/${rule.escalationPolicy}`}:${labelsKey(groupLabels)}`,
      groupLabels,
    };
    runtime.instances.set(key, instance);
    runtime.live++;
    return instance;
  }

  private renderAnnotations(instance: Instance): void {
    const rule = instance.rule;
    const context = { labels: instance.seriesLabels, value: instance.value, severity: instance.level.severity, rule: rule.name };
    const annotations: Record<string, string> = {};
    for (const [name, template] of rule.annotations) annotations[name] = renderTemplate(template, context);
    if (rule.runbookUrl !== undefined) annotations.runbook_url = rule.runbookUrl;
    instance.annotations = annotations;
    instance.renderedValue = instance.value;
  }

  private record(transitions: readonly AlertTransition[]): void {
    if (this.historyLimit === 0 || transitions.length === 0) return;
    for (const t of transitions) this.historyEntries.push(t);
    if (this.historyEntries.length > this.historyLimit) this.historyEntries.splice(0, this.historyEntries.length - this.historyLimit);
  }

  private mutedBy(instance: Instance, now: number): string[] {
    const ids: string[] = [];
    for (const s of this.silencesById.values()) if (s.silence.startsAt <= now && now < s.silence.endsAt && s.matches(instance.labels)) ids.push(s.silence.id);
    for (const w of this.maintenance) if (w.matches(instance.labels) && w.isOpen(now)) ids.push(w.id);
    return ids;
  }

  /** Fingerprints inhibiting each firing instance (Alertmanager semantics). */
  private inhibitions(firing: readonly Instance[]): Map<Instance, string[]> {
    const result = new Map<Instance, string[]>();
    for (const rule of this.inhibitRules) {
      const sources = new Map<string, string[]>();
      for (const instance of firing) {
        if (!rule.source(instance.labels)) continue;
        const key = rule.equal.map((name) => labelValue(instance.labels, name) ?? '').join(KEY_SEPARATOR);
        let list = sources.get(key);
        if (list === undefined) sources.set(key, (list = []));
        list.push(instance.fingerprint);
      }
      if (sources.size === 0) continue;
      for (const instance of firing) {
        if (!rule.target(instance.labels)) continue;
        const list = sources.get(rule.equal.map((name) => labelValue(instance.labels, name) ?? '').join(KEY_SEPARATOR));
        if (list === undefined) continue;
        for (const fingerprint of list) {
          if (fingerprint === instance.fingerprint) continue;
          let inhibitors = result.get(instance);
          if (inhibitors === undefined) result.set(instance, (inhibitors = []));
          if (!inhibitors.includes(fingerprint)) inhibitors.push(fingerprint);
        }
      }
    }
    return result;
  }

  private toAlert(instance: Instance): Alert {
    const alert: { -readonly [K in keyof Alert]: Alert[K] } = {
      fingerprint: instance.fingerprint,
      status: instance.state === 'resolved' ? 'resolved' : 'firing',
      labels: { ...instance.labels },
      annotations: { ...instance.annotations },
      startsAt: instance.firedAt ?? instance.activeAt ?? 0,
    };
    if (instance.state === 'resolved' && instance.resolvedAt !== null) alert.endsAt = instance.resolvedAt;
    if (this.generatorUrlPrefix !== undefined) alert.generatorURL = this.generatorUrlPrefix + encodeURIComponent(instance.rule.id);
    return alert;
  }

  private groupLabelsOf(labels: Readonly<Record<string, string>>): Record<string, string> {
    if (this.groupBy === 'all') return { ...labels };
    const out: Record<string, string> = {};
    for (const name of this.groupBy) {
      const value = labelValue(labels, name);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  private publish(now: number, transitions: AlertTransition[], errors: RuleEvaluationError[], resolvedNow: Instance[]): EvaluationResult {
    const firing: Instance[] = [];
    // Most rules have no instance: skip them without creating an iterator (10,000 iterators cost ~0.4 ms a tick).
    for (const runtime of this.runtimes) if (runtime.live > 0) for (const instance of runtime.instances.values()) if (instance.state === 'firing') firing.push(instance);
    const inhibited = this.inhibitRules.length > 0 ? this.inhibitions(firing) : new Map<Instance, string[]>();
    const alerts: Alert[] = [];
    const groups = new Map<string, { receiver: string; policy: string | undefined; groupLabels: Record<string, string>; alerts: Alert[] }>();
    const add = (instance: Instance, alert: Alert): void => {
      const groupKey = instance.groupKey;
      let group = groups.get(groupKey);
      if (group === undefined) groups.set(groupKey, (group = { receiver: instance.rule.receiver ?? this.defaultReceiver, policy: instance.rule.escalationPolicy, groupLabels: { ...instance.groupLabels }, alerts: [] }));
      group.alerts.push(alert);
    };
    const visible: { instance: Instance; alert: Alert }[] = [];
    for (const instance of firing) {
      if (inhibited.has(instance) || this.mutedBy(instance, now).length > 0) continue;
      visible.push({ instance, alert: this.toAlert(instance) });
    }
    for (const instance of resolvedNow) visible.push({ instance, alert: this.toAlert(instance) });
    visible.sort((a, b) => (a.alert.fingerprint < b.alert.fingerprint ? -1 : a.alert.fingerprint > b.alert.fingerprint ? 1 : a.alert.status < b.alert.status ? -1 : 1));
    for (const { instance, alert } of visible) {
      alerts.push(alert);
      add(instance, alert);
    }
    const resultGroups: AlertGroup[] = [];
    const notifications: AlertNotification[] = [];
    const keys = [...groups.keys()].sort();
    for (const groupKey of keys) {
      const g = groups.get(groupKey) as { receiver: string; policy: string | undefined; groupLabels: Record<string, string>; alerts: Alert[] };
      const group = buildGroup(groupKey, g.receiver, g.groupLabels, g.alerts);
      resultGroups.push(group);
      this.notify(now, groupKey, group, g.policy, notifications);
    }
    for (const groupKey of [...this.groupStates.keys()]) {
      if (!groups.has(groupKey)) {
        this.groupStates.delete(groupKey);
        this.acks.delete(groupKey);
      }
    }
    return { time: now, alerts, groups: resultGroups, notifications, transitions, errors };
  }

  private notify(now: number, groupKey: string, group: AlertGroup, policyId: string | undefined, out: AlertNotification[]): void {
    const firingFingerprints = group.alerts.filter((a) => a.status === 'firing').map((a) => a.fingerprint);
    let state = this.groupStates.get(groupKey);
    const send = (receiver: string, reason: NotificationReason, stepIndex: number): void => {
      out.push({ time: now, receiver, reason, step: stepIndex, group: receiver === group.receiver ? group : { ...group, receiver } });
      state?.receivers.add(receiver);
    };
    if (firingFingerprints.length === 0) {
      if (state !== undefined) {
        for (const receiver of [...state.receivers].sort()) send(receiver, 'resolved', 0);
        this.groupStates.delete(groupKey);
        this.acks.delete(groupKey);
      }
      return;
    }
    const policy = policyId === undefined ? undefined : this.policies.get(policyId);
    const acknowledged = this.acks.has(groupKey);
    if (state === undefined) {
      state = { firingSince: now, lastNotifiedAt: now, nextStep: 0, stepNotifiedAt: [], notified: new Set(firingFingerprints), receivers: new Set() };
      this.groupStates.set(groupKey, state);
      if (policy === undefined) send(group.receiver, 'firing', 0);
    } else {
      const fresh = firingFingerprints.some((f) => !state?.notified.has(f));
      if (fresh) {
        state.notified = new Set(firingFingerprints);
        state.lastNotifiedAt = now;
        for (const receiver of [...state.receivers].sort()) send(receiver, 'firing', 0);
      } else if (policy === undefined && !acknowledged && this.repeatIntervalMs > 0 && now - state.lastNotifiedAt >= this.repeatIntervalMs) {
        state.lastNotifiedAt = now;
        send(group.receiver, 'repeat', 0);
      }
    }
    if (policy === undefined || acknowledged) return;
    for (let i = 0; i < state.nextStep; i++) {
      const stepConfig = policy.steps[i];
      const repeat = stepConfig?.repeatIntervalMs ?? 0;
      if (repeat > 0 && now - (state.stepNotifiedAt[i] as number) >= repeat) {
        state.stepNotifiedAt[i] = now;
        for (const receiver of stepConfig?.receivers ?? []) send(receiver, 'repeat', i);
      }
    }
    while (state.nextStep < policy.steps.length && now - state.firingSince >= (policy.steps[state.nextStep] as { afterMs: number }).afterMs) {
      const index = state.nextStep;
      state.stepNotifiedAt[index] = now;
      state.nextStep++;
      state.lastNotifiedAt = now;
      for (const receiver of (policy.steps[index] as { receivers: readonly string[] }).receivers) send(receiver, index === 0 ? 'firing' : 'escalation', index);
    }
  }

  /**
   * Acknowledges a firing group: its escalation and repeats stop until it resolves.
   *
   * @throws ValidationError when no group with that key is firing.
   * @example
   * evaluator.acknowledge(result.groups[0].groupKey, Date.now());
   */
  acknowledge(groupKey: string, time: number): void {
    if (typeof groupKey !== 'string' || !this.groupStates.has(groupKey)) throw new ValidationError('groupKey', 'the key of a firing group', groupKey);
    if (typeof time !== 'number' || !Number.isFinite(time)) throw new ValidationError('time', 'a finite epoch-millisecond time', time);
    this.acks.set(groupKey, time);
  }

  /**
   * Adds (or replaces, by id) a silence.
   *
   * @throws ValidationError for a malformed silence (`silence.matchers[0].value` ...).
   * @example
   * evaluator.addSilence({ id: 'deploy', matchers: [{ name: 'service', value: 'checkout', isRegex: false }], startsAt: now, endsAt: now + 3_600_000 });
   */
  addSilence(silence: Silence): void {
    const compiled = compileSilence(silence, 'silence');
    this.silencesById.set(compiled.silence.id, compiled);
  }

  /** Ends a silence at `time` (it stays listed as expired). Returns false when there is no such silence. */
  expireSilence(id: string, time: number): boolean {
    const existing = this.silencesById.get(id);
    if (existing === undefined) return false;
    if (typeof time !== 'number' || !Number.isFinite(time)) throw new ValidationError('time', 'a finite epoch-millisecond time', time);
    const endsAt = Math.max(existing.silence.startsAt, Math.min(existing.silence.endsAt, time));
    this.silencesById.set(id, { silence: { ...existing.silence, endsAt }, matches: existing.matches });
    return true;
  }

  /** Every silence, by id. */
  silences(): Silence[] {
    return [...this.silencesById.values()].map((s) => s.silence).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * The current state of every instance that is not inactive (plus inactive ones in cooldown), by rule then fingerprint.
   *
   * @example
   * evaluator.instances().filter((i) => i.state === 'firing');
   */
  instances(time = this.lastTick): AlertInstance[] {
    const out: AlertInstance[] = [];
    const firing: Instance[] = [];
    for (const runtime of this.runtimes) if (runtime.live > 0) for (const instance of runtime.instances.values()) if (instance.state === 'firing') firing.push(instance);
    const inhibited = this.inhibitions(firing);
    for (const runtime of this.runtimes) {
      const list = [...runtime.instances.values()].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1));
      for (const instance of list) {
        const groupKey = instance.groupKey;
        out.push({
          fingerprint: instance.fingerprint,
          ruleId: instance.rule.id,
          severity: instance.level.severity,
          labels: { ...instance.labels },
          annotations: { ...instance.annotations },
          state: instance.state,
          value: instance.value,
          activeAt: instance.activeAt,
          firedAt: instance.firedAt,
          resolvedAt: instance.resolvedAt,
          silencedBy: Number.isFinite(time) ? this.mutedBy(instance, time) : [],
          inhibitedBy: inhibited.get(instance) ?? [],
          acknowledged: this.acks.has(groupKey),
          reason: instance.reason,
        });
      }
    }
    return out;
  }

  /**
   * History entries (state transitions), oldest first, optionally for one rule and/or since a time.
   *
   * @example
   * evaluator.history({ ruleId: 'cpu-high', since: Date.now() - 86_400_000 });
   */
  history(filter: { readonly ruleId?: string; readonly since?: number; readonly fingerprint?: string } = {}): AlertHistoryEntry[] {
    return this.historyEntries.filter((e) => (filter.ruleId === undefined || e.ruleId === filter.ruleId) && (filter.since === undefined || e.time >= filter.since) && (filter.fingerprint === undefined || e.fingerprint === filter.fingerprint));
  }

  /**
   * The evaluator's whole state as JSON-safe data (versioned). Persist it and hand it to `restore` after a restart.
   *
   * @example
   * await fs.writeFile('alerts.json', JSON.stringify(evaluator.snapshot()));
   */
  snapshot(): AlertEvaluatorSnapshot {
    const instances: SnapshotInstance[] = [];
    for (const runtime of this.runtimes) {
      for (const i of runtime.instances.values()) {
        instances.push({
          ruleId: i.rule.id,
          seriesKey: i.seriesKey,
          severity: i.level.severity,
          labels: { ...i.seriesLabels },
          annotations: { ...i.annotations },
          state: i.state,
          value: i.value,
          activeAt: i.activeAt,
          firedAt: i.firedAt,
          resolvedAt: i.resolvedAt,
          keepFiringSince: i.keepFiringSince,
          cooldownUntil: i.cooldownUntil,
          reason: i.reason,
        });
      }
    }
    const groups: SnapshotGroup[] = [...this.groupStates.entries()].map(([groupKey, g]) => ({
      groupKey,
      firingSince: g.firingSince,
      lastNotifiedAt: g.lastNotifiedAt,
      nextStep: g.nextStep,
      stepNotifiedAt: [...g.stepNotifiedAt],
      notified: [...g.notified],
      receivers: [...g.receivers],
    }));
    return {
      version: 1,
      savedAt: Number.isFinite(this.lastTick) ? this.lastTick : 0,
      instances,
      history: this.historyEntries.map((e) => ({ ...e, labels: { ...e.labels } })),
      silences: this.silences(),
      acknowledgements: [...this.acks.entries()].map(([groupKey, time]) => ({ groupKey, time })),
      groups,
    };
  }

  /**
   * Replaces this evaluator's state with a snapshot. The snapshot is validated field by field; instances of rules
   * that no longer exist (or whose severity level was removed) are dropped, so rules can change between restarts.
   * Labels are re-rendered from the current rule.
   *
   * @throws ValidationError naming the bad field (`snapshot.instances[3].state`) for a malformed or unknown-version snapshot.
   * @example
   * evaluator.restore(JSON.parse(await fs.readFile('alerts.json', 'utf8')));
   */
  restore(snapshot: AlertEvaluatorSnapshot): void {
    const parsed = parseSnapshot(snapshot);
    for (const runtime of this.runtimes) {
      runtime.instances.clear();
      runtime.live = 0;
    }
    for (const s of parsed.instances) {
      const runtime = this.byId.get(s.ruleId);
      const level = runtime?.compiled.levels.find((l) => l.severity === s.severity);
      if (runtime === undefined || level === undefined) continue;
      const instance = this.instanceFor(runtime, s.seriesKey, s.labels, level, s.value ?? NaN);
      instance.state = s.state;
      instance.value = s.value;
      instance.activeAt = s.activeAt;
      instance.firedAt = s.firedAt;
      instance.resolvedAt = s.resolvedAt;
      instance.keepFiringSince = s.keepFiringSince;
      instance.cooldownUntil = s.cooldownUntil;
      instance.reason = s.reason;
      instance.annotations = { ...s.annotations };
      instance.renderedValue = s.value;
    }
    this.historyEntries = parsed.history.slice(-this.historyLimit || this.historyEntries.length);
    if (this.historyLimit === 0) this.historyEntries = [];
    this.silencesById = new Map();
    parsed.silences.forEach((s, i) => {
      const c = compileSilence(s, `snapshot.silences[${i}]`);
      this.silencesById.set(c.silence.id, c);
    });
    this.acks.clear();
    for (const a of parsed.acknowledgements) this.acks.set(a.groupKey, a.time);
    this.groupStates.clear();
    for (const g of parsed.groups) {
      this.groupStates.set(g.groupKey, {
        firingSince: g.firingSince,
        lastNotifiedAt: g.lastNotifiedAt,
        nextStep: g.nextStep,
        stepNotifiedAt: [...g.stepNotifiedAt],
        notified: new Set(g.notified ?? []),
        receivers: new Set(g.receivers ?? []),
      });
    }
    this.lastTick = parsed.savedAt;
  }
}

function buildGroup(groupKey: string, receiver: string, groupLabels: Record<string, string>, alerts: Alert[]): AlertGroup {
  const first = alerts[0] as Alert;
  const commonLabels: Record<string, string> = { ...first.labels };
  const commonAnnotations: Record<string, string> = { ...first.annotations };
  for (let i = 1; i < alerts.length; i++) {
    const a = alerts[i] as Alert;
    for (const name of Object.keys(commonLabels)) if (a.labels[name] !== commonLabels[name]) delete commonLabels[name];
    for (const name of Object.keys(commonAnnotations)) if (a.annotations[name] !== commonAnnotations[name]) delete commonAnnotations[name];
  }
  return { groupKey, receiver, status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved', groupLabels, commonLabels, commonAnnotations, alerts };
}

const STATES: readonly AlertState[] = ['inactive', 'pending', 'firing', 'resolved'];
const REASONS: readonly (ActiveReason | null)[] = ['condition', 'no-data', 'error', null];

function timeOrNull(value: unknown, path: string): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ValidationError(path, 'a finite time or null', value, 'INVALID_DATA');
  return value;
}

function stringRecord(value: unknown, path: string): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError(path, 'an object of strings', value, 'INVALID_DATA');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string') throw new ValidationError(`${path}.${k}`, 'a string', v, 'INVALID_DATA');
    out[k] = v;
  }
  return out;
}

function arrayAt(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new ValidationError(path, 'an array', value, 'INVALID_DATA');
  return value;
}

interface ParsedGroup extends SnapshotGroup {
  readonly notified?: readonly string[];
  readonly receivers?: readonly string[];
}

/** Validates a snapshot field by field. @internal */
export function parseSnapshot(snapshot: unknown): AlertEvaluatorSnapshot & { groups: readonly ParsedGroup[] } {
  const p = 'snapshot';
  if (snapshot === null || typeof snapshot !== 'object') throw new ValidationError(p, 'an evaluator snapshot object', snapshot, 'INVALID_DATA');
  const s = snapshot as Record<string, unknown>;
  if (s.version !== 1) throw new ValidationError(`${p}.version`, 'version 1', s.version, 'INVALID_DATA');
  const savedAt = timeOrNull(s.savedAt, `${p}.savedAt`) ?? 0;
  const instances = arrayAt(s.instances, `${p}.instances`).map((raw, i): SnapshotInstance => {
    const path = `${p}.instances[${i}]`;
    if (raw === null || typeof raw !== 'object') throw new ValidationError(path, 'an instance object', raw, 'INVALID_DATA');
    const r = raw as Record<string, unknown>;
    if (typeof r.ruleId !== 'string') throw new ValidationError(`${path}.ruleId`, 'a string', r.ruleId, 'INVALID_DATA');
    if (typeof r.seriesKey !== 'string') throw new ValidationError(`${path}.seriesKey`, 'a string', r.seriesKey, 'INVALID_DATA');
    if (!ALERT_SEVERITIES.includes(r.severity as AlertSeverity)) throw new ValidationError(`${path}.severity`, `one of ${ALERT_SEVERITIES.join(', ')}`, r.severity, 'INVALID_DATA');
    if (!STATES.includes(r.state as AlertState)) throw new ValidationError(`${path}.state`, `one of ${STATES.join(', ')}`, r.state, 'INVALID_DATA');
    if (!REASONS.includes(r.reason as ActiveReason | null)) throw new ValidationError(`${path}.reason`, 'condition, no-data, error or null', r.reason, 'INVALID_DATA');
    const labels = stringRecord(r.labels, `${path}.labels`);
    if (labelsKey(labels) !== r.seriesKey) throw new ValidationError(`${path}.seriesKey`, 'the key of the instance labels', r.seriesKey, 'INVALID_DATA');
    const instance: SnapshotInstance = {
      ruleId: r.ruleId,
      seriesKey: r.seriesKey,
      severity: r.severity as AlertSeverity,
      labels,
      annotations: stringRecord(r.annotations, `${path}.annotations`),
      state: r.state as AlertState,
      value: timeOrNull(r.value, `${path}.value`),
      activeAt: timeOrNull(r.activeAt, `${path}.activeAt`),
      firedAt: timeOrNull(r.firedAt, `${path}.firedAt`),
      resolvedAt: timeOrNull(r.resolvedAt, `${path}.resolvedAt`),
      keepFiringSince: timeOrNull(r.keepFiringSince, `${path}.keepFiringSince`),
      cooldownUntil: timeOrNull(r.cooldownUntil, `${path}.cooldownUntil`),
      reason: r.reason as ActiveReason | null,
    };
    if ((instance.state === 'pending' || instance.state === 'firing') && instance.activeAt === null) throw new ValidationError(`${path}.activeAt`, `a time for a ${instance.state} instance`, null, 'INVALID_DATA');
    if (instance.state === 'firing' && instance.firedAt === null) throw new ValidationError(`${path}.firedAt`, 'a time for a firing instance', null, 'INVALID_DATA');
    return instance;
  });
  const history = arrayAt(s.history, `${p}.history`).map((raw, i): AlertHistoryEntry => {
    const path = `${p}.history[${i}]`;
    if (raw === null || typeof raw !== 'object') throw new ValidationError(path, 'a history entry', raw, 'INVALID_DATA');
    const r = raw as Record<string, unknown>;
    for (const field of ['ruleId', 'fingerprint'] as const) if (typeof r[field] !== 'string') throw new ValidationError(`${path}.${field}`, 'a string', r[field], 'INVALID_DATA');
    if (!STATES.includes(r.from as AlertState)) throw new ValidationError(`${path}.from`, 'a state', r.from, 'INVALID_DATA');
    if (!STATES.includes(r.to as AlertState)) throw new ValidationError(`${path}.to`, 'a state', r.to, 'INVALID_DATA');
    if (!ALERT_SEVERITIES.includes(r.severity as AlertSeverity)) throw new ValidationError(`${path}.severity`, 'a severity', r.severity, 'INVALID_DATA');
    if (!REASONS.includes(r.reason as ActiveReason | null)) throw new ValidationError(`${path}.reason`, 'a reason', r.reason, 'INVALID_DATA');
    return {
      time: timeOrNull(r.time, `${path}.time`) ?? 0,
      ruleId: r.ruleId as string,
      fingerprint: r.fingerprint as string,
      severity: r.severity as AlertSeverity,
      labels: stringRecord(r.labels, `${path}.labels`),
      from: r.from as AlertState,
      to: r.to as AlertState,
      value: timeOrNull(r.value, `${path}.value`),
      reason: r.reason as ActiveReason | null,
    };
  });
  const silences = arrayAt(s.silences, `${p}.silences`) as Silence[];
  const acknowledgements = arrayAt(s.acknowledgements, `${p}.acknowledgements`).map((raw, i) => {
    const r = (raw ?? {}) as Record<string, unknown>;
    if (typeof r.groupKey !== 'string') throw new ValidationError(`${p}.acknowledgements[${i}].groupKey`, 'a string', r.groupKey, 'INVALID_DATA');
    return { groupKey: r.groupKey, time: timeOrNull(r.time, `${p}.acknowledgements[${i}].time`) ?? 0 };
  });
  const groups = arrayAt(s.groups, `${p}.groups`).map((raw, i): ParsedGroup => {
    const path = `${p}.groups[${i}]`;
    const r = (raw ?? {}) as Record<string, unknown>;
    if (typeof r.groupKey !== 'string') throw new ValidationError(`${path}.groupKey`, 'a string', r.groupKey, 'INVALID_DATA');
    const nextStep = r.nextStep;
    if (typeof nextStep !== 'number' || !Number.isInteger(nextStep) || nextStep < 0) throw new ValidationError(`${path}.nextStep`, 'an integer >= 0', nextStep, 'INVALID_DATA');
    const strings = (value: unknown, at: string): string[] => arrayAt(value ?? [], at).map((x, j) => {
      if (typeof x !== 'string') throw new ValidationError(`${at}[${j}]`, 'a string', x, 'INVALID_DATA');
      return x;
    });
    return {
      groupKey: r.groupKey,
      firingSince: timeOrNull(r.firingSince, `${path}.firingSince`) ?? 0,
      lastNotifiedAt: timeOrNull(r.lastNotifiedAt, `${path}.lastNotifiedAt`) ?? 0,
      nextStep,
      stepNotifiedAt: arrayAt(r.stepNotifiedAt, `${path}.stepNotifiedAt`).map((x, j) => timeOrNull(x, `${path}.stepNotifiedAt[${j}]`) ?? 0),
      notified: strings(r.notified, `${path}.notified`),
      receivers: strings(r.receivers, `${path}.receivers`),
    };
  });
  return { version: 1, savedAt, instances, history, silences, acknowledgements, groups };
}

/**
 * Creates an alert evaluator. The config (rules, silences, maintenance windows, inhibition rules, escalation
 * policies) is validated up front.
 *
 * @throws ValidationError naming the first bad field (`rules[2].condition.critical.value`).
 * @example
 * const evaluator = createAlertEvaluator({
 *   rules: [{ id: 'cpu', name: 'HighCPU', query: { expr: 'cpu_usage' }, condition: { type: 'threshold', operator: '>', critical: { value: 0.9, recovery: 0.8 } }, forMs: 300_000 }],
 *   inhibitRules: [{ sourceMatchers: [{ name: 'severity', value: 'critical', isRegex: false }], targetMatchers: [{ name: 'severity', value: 'warning', isRegex: false }], equal: ['alertname'] }],
 * });
 */
export function createAlertEvaluator(config: AlertEvaluatorConfig): AlertEvaluator {
  return new AlertEvaluator(config);
}

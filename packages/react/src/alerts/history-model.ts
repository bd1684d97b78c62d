import type { AlertHistoryEntry, AlertSeverity, AlertState } from '@vigil/core/alerting';
import type { TimeRange } from '@vigil/core';

/** What a band of a rule's timeline shows: the worst state of its instances, and the severity when firing. */
export type TimelineState = 'inactive' | 'pending' | 'firing' | 'resolved';

/** One stretch of time in one state: `[start, end)`. */
export interface TimelineBand {
  readonly start: number;
  readonly end: number;
  readonly state: TimelineState;
  /** Highest severity firing in the band (only for `firing`). */
  readonly severity?: AlertSeverity;
}

/** The timeline of one rule over a range. */
export interface RuleTimeline {
  readonly ruleId: string;
  /** The rule's display name (its `alertname` label when known), else the id. */
  readonly name: string;
  /** Bands covering the whole range, adjacent bands in different states (inactive included). */
  readonly bands: TimelineBand[];
  /** How many times the rule started firing inside the range. */
  readonly firingCount: number;
  /** Total time firing inside the range, ms. */
  readonly firingMs: number;
  /** State at the end of the range. */
  readonly current: TimelineState;
}

/*
 * Ranks of what a band shows, worst last. With several instances (series) per rule, the rule shows the worst one:
 * firing critical > firing warning > firing info > pending > resolved > inactive.
 */
const KEYS = ['inactive', 'resolved', 'pending', 'firing:info', 'firing:warning', 'firing:critical'] as const;
type Key = (typeof KEYS)[number];

function keyOf(state: AlertState, severity: AlertSeverity): Key {
  if (state === 'firing') return `firing:${severity}`;
  return state;
}

function bandOf(key: Key, start: number, end: number): TimelineBand {
  if (key.startsWith('firing:')) return { start, end, state: 'firing', severity: key.slice(7) as AlertSeverity };
  return { start, end, state: key as TimelineState };
}

interface Change {
  readonly time: number;
  readonly instance: number;
  readonly key: Key;
}

/**
 * Turns the evaluator's history (state transitions) into one timeline per rule over `range`. Each instance is in
 * the `from` state of its first transition before it, and in each transition's `to` state until the next one; a
 * rule shows the worst state of its instances at each moment. One sweep over the sorted transitions per rule
 * (counts per state), so thousands of transitions stay cheap; no recursion.
 *
 * @param names - Display names by rule id (optional).
 * @param ruleIds - Rules to include even without history (they get one inactive band), in this order first.
 * @example
 * const timelines = ruleTimelines(evaluator.history(), { start, end });
 * timelines[0].bands // [{ start, end: t1, state: 'inactive' }, { start: t1, end: t2, state: 'firing', severity: 'critical' }, ...]
 */
export function ruleTimelines(history: readonly AlertHistoryEntry[], range: TimeRange, names: Readonly<Record<string, string>> = {}, ruleIds: readonly string[] = []): RuleTimeline[] {
  const { start, end } = range;
  const byRule = new Map<string, AlertHistoryEntry[]>();
  for (const id of ruleIds) byRule.set(id, []);
  for (const entry of history) {
    if (entry === null || typeof entry !== 'object' || !Number.isFinite(entry.time)) continue;
    let list = byRule.get(entry.ruleId);
    if (list === undefined) byRule.set(entry.ruleId, (list = []));
    list.push(entry);
  }
  const out: RuleTimeline[] = [];
  for (const [ruleId, entries] of byRule) {
    entries.sort((a, b) => a.time - b.time);
    // Instance ids by fingerprint + severity (one rule can fire at two severities for one series).
    const instanceIds = new Map<string, number>();
    const initial: Key[] = [];
    const changes: Change[] = [];
    let ruleName = names[ruleId];
    for (const entry of entries) {
      const id = `${entry.fingerprint}\u0000${entry.severity}`;
      let instance = instanceIds.get(id);
      if (instance === undefined) {
        instance = initial.length;
        instanceIds.set(id, instance);
        initial.push(keyOf(entry.from, entry.severity));
      }
      changes.push({ time: entry.time, instance, key: keyOf(entry.to, entry.severity) });
      if (ruleName === undefined && typeof entry.labels?.['alertname'] === 'string') ruleName = entry.labels['alertname'];
    }
    const counts = new Map<Key, number>(KEYS.map((key) => [key, 0]));
    const current = initial.slice();
    for (const key of initial) counts.set(key, (counts.get(key) ?? 0) + 1);
    const worst = (): Key => {
      for (let i = KEYS.length - 1; i > 0; i--) if ((counts.get(KEYS[i] as Key) ?? 0) > 0) return KEYS[i] as Key;
      return 'inactive';
    };
    const bands: TimelineBand[] = [];
    let bandKey: Key | null = null;
    let bandStart = start;
    const emit = (until: number) => {
      if (bandKey !== null && until > bandStart) {
        const previous = bands[bands.length - 1];
        const next = bandOf(bandKey, bandStart, until);
        if (previous && previous.state === next.state && previous.severity === next.severity && previous.end === next.start) bands[bands.length - 1] = { ...previous, end: until };
        else bands.push(next);
      }
    };
    let i = 0;
    // Apply every change at or before the range start: the state the range opens in.
    while (i < changes.length && (changes[i] as Change).time <= start) {
      const change = changes[i] as Change;
      counts.set(current[change.instance] as Key, (counts.get(current[change.instance] as Key) ?? 0) - 1);
      current[change.instance] = change.key;
      counts.set(change.key, (counts.get(change.key) ?? 0) + 1);
      i++;
    }
    bandKey = worst();
    bandStart = start;
    let firingCount = 0;
    while (i < changes.length && (changes[i] as Change).time < end) {
      const time = (changes[i] as Change).time;
      // All changes at one instant apply together.
      while (i < changes.length && (changes[i] as Change).time === time) {
        const change = changes[i] as Change;
        counts.set(current[change.instance] as Key, (counts.get(current[change.instance] as Key) ?? 0) - 1);
        current[change.instance] = change.key;
        counts.set(change.key, (counts.get(change.key) ?? 0) + 1);
        i++;
      }
      const next = worst();
      if (next !== bandKey) {
        if (next.startsWith('firing') && !bandKey.startsWith('firing')) firingCount++;
        emit(time);
        bandKey = next;
        bandStart = time;
      }
    }
    emit(end);
    if (bands.length === 0) bands.push({ start, end, state: 'inactive' });
    if (bands[0]?.state === 'firing' && bands[0].start === start) firingCount++;
    let firingMs = 0;
    for (const band of bands) if (band.state === 'firing') firingMs += band.end - band.start;
    const last = bands[bands.length - 1] as TimelineBand;
    out.push({ ruleId, name: ruleName ?? ruleId, bands, firingCount, firingMs, current: last.state });
  }
  return out;
}

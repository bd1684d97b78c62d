/*
 * Seeded synthetic SLI events and the REAL engine's outputs on them, for stories and tests. Not exported from the
 * package entry.
 */
import { complianceReport, defineSLO, evaluateAlertHistory, evaluateSLO, eventsFromCounts, sloTimeline } from '@vigil/core/slo';
import type { AlertInterval, ComplianceReport, SLIEvents, SLO, SLOInput, SLOStatus, SLOTimeline } from '@vigil/core/slo';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** "Now" of every story: a fixed instant, so stories and screenshots never change. */
export const STORY_NOW = Date.UTC(2025, 2, 14, 12, 0);

/** A burst of errors. */
export interface SyntheticIncident {
  readonly start: number;
  readonly end: number;
  /** Error ratio during the incident. */
  readonly errorRatio: number;
}

export interface SyntheticOptions {
  readonly start: number;
  readonly end: number;
  readonly stepMs: number;
  /** Mean requests per second. */
  readonly rps: number;
  /** Base error ratio. */
  readonly errorRatio: number;
  readonly seed: number;
  readonly incidents?: readonly SyntheticIncident[];
  /** No traffic at all from this time on. */
  readonly silentFrom?: number;
}

/** mulberry32: a tiny seeded PRNG. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Counts per step: diurnal traffic with noise, and errors at the base ratio (or an incident's) with noise. Each step's
 * counts belong to the interval that ends at its timestamp.
 */
export function syntheticEvents(options: SyntheticOptions): SLIEvents {
  const { start, end, stepMs, rps, errorRatio, seed, incidents = [], silentFrom = Infinity } = options;
  const first = Math.ceil(start / stepMs) * stepMs + stepMs;
  const n = Math.max(0, Math.floor((end - first) / stepMs) + 1);
  const timestamps = new Float64Array(n);
  const bad = new Float64Array(n);
  const total = new Float64Array(n);
  const next = random(seed);
  for (let i = 0; i < n; i++) {
    const t = first + i * stepMs;
    timestamps[i] = t;
    if (t > silentFrom) continue;
    const hour = (t % DAY) / HOUR;
    const diurnal = 1 + 0.45 * Math.sin(((hour - 9) / 24) * 2 * Math.PI);
    const requests = Math.max(0, Math.round(rps * (stepMs / 1000) * diurnal * (0.85 + 0.3 * next())));
    let ratio = errorRatio * (0.5 + next());
    for (const incident of incidents) if (t > incident.start && t <= incident.end) ratio = incident.errorRatio * (0.8 + 0.4 * next());
    total[i] = requests;
    bad[i] = Math.min(requests, Math.round(requests * Math.min(1, ratio)));
  }
  return eventsFromCounts({ timestamps, bad, total });
}

/** Everything one SLO story needs, computed by the real engine. */
export interface SLOScenario {
  readonly slo: SLO;
  readonly events: SLIEvents;
  readonly status: SLOStatus;
  readonly timeline: SLOTimeline;
  readonly alerts: AlertInterval[];
  readonly report: ComplianceReport;
}

export type ScenarioKind = 'healthy' | 'burning' | 'breached' | 'no-traffic' | 'calendar';

const DEFINITIONS: Record<ScenarioKind, SLOInput> = {
  healthy: { name: 'search-availability', displayName: 'Search availability', service: 'search', labels: { team: 'discovery', tier: '1' }, sli: { kind: 'ratio' }, target: 0.999 },
  burning: { name: 'checkout-availability', displayName: 'Checkout availability', service: 'checkout', labels: { team: 'payments', tier: '0' }, sli: { kind: 'ratio' }, target: 0.999 },
  breached: { name: 'payments-latency', displayName: 'Payments latency under 300 ms', service: 'payments', labels: { team: 'payments', tier: '0' }, sli: { kind: 'ratio' }, target: 0.995 },
  'no-traffic': { name: 'batch-export', displayName: 'Batch export success', service: 'exporter', labels: { team: 'data', tier: '2' }, sli: { kind: 'ratio' }, target: 0.99 },
  calendar: {
    name: 'api-monthly',
    displayName: 'Public API (monthly)',
    service: 'api',
    labels: { team: 'platform', tier: '1' },
    sli: { kind: 'ratio' },
    target: 0.999,
    window: { kind: 'calendar', unit: 'month', timeZone: 'UTC' },
  },
};

/** Seeded events for each scenario over `(now - days, now]`. */
function scenarioEvents(kind: ScenarioKind, now: number, days: number, stepMs: number): SLIEvents {
  const base = { start: now - days * DAY, end: now, stepMs, rps: 40 };
  switch (kind) {
    case 'healthy':
      return syntheticEvents({ ...base, errorRatio: 0.0003, seed: 11 });
    case 'burning':
      // A mild day two weeks ago, then a fresh outage in the last 2 hours at 3% errors: the page tier fires.
      return syntheticEvents({
        ...base,
        errorRatio: 0.0004,
        seed: 12,
        incidents: [
          { start: now - 16 * DAY, end: now - 16 * DAY + 5 * HOUR, errorRatio: 0.006 },
          { start: now - 2 * HOUR, end: now, errorRatio: 0.03 },
        ],
      });
    case 'breached':
      return syntheticEvents({
        ...base,
        errorRatio: 0.002,
        seed: 13,
        incidents: [
          { start: now - 9 * DAY, end: now - 8 * DAY, errorRatio: 0.09 },
          { start: now - 3 * DAY, end: now - 3 * DAY + 6 * HOUR, errorRatio: 0.12 },
        ],
      });
    case 'no-traffic':
      return syntheticEvents({ ...base, errorRatio: 0.001, seed: 14, silentFrom: now - (days + 1) * DAY });
    case 'calendar':
      return syntheticEvents({
        ...base,
        errorRatio: 0.0005,
        seed: 15,
        incidents: [
          { start: now - 40 * DAY, end: now - 40 * DAY + 3 * HOUR, errorRatio: 0.05 },
          { start: now - 6 * DAY, end: now - 6 * DAY + 2 * HOUR, errorRatio: 0.04 },
        ],
      });
  }
}

const cache = new Map<string, SLOScenario>();

/**
 * Runs the real engine on a seeded scenario: 60 days of 5-minute counts, status at `now`, a 30-day timeline at
 * `timelineStepMs`, the alert history over the last 30 days and a weekly compliance report over 60 days.
 */
export function scenario(kind: ScenarioKind, options: { now?: number; timelineStepMs?: number } = {}): SLOScenario {
  const now = options.now ?? STORY_NOW;
  const timelineStepMs = options.timelineStepMs ?? 30 * MINUTE;
  const key = `${kind}|${now}|${timelineStepMs}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const slo = defineSLO(DEFINITIONS[kind]);
  const events = scenarioEvents(kind, now, 60, 5 * MINUTE);
  const range = { start: now - 30 * DAY, end: now };
  const result: SLOScenario = {
    slo,
    events,
    status: evaluateSLO(slo, events, { at: now }),
    timeline: sloTimeline(slo, events, { range, stepMs: timelineStepMs }),
    alerts: evaluateAlertHistory(slo, events, { range, stepMs: 5 * MINUTE }),
    report: complianceReport(slo, events, { unit: 'week', range: { start: now - 60 * DAY, end: now } }),
  };
  cache.set(key, result);
  return result;
}

const TEAMS = ['payments', 'discovery', 'platform', 'data', 'identity', 'growth'] as const;
const KINDS = ['availability', 'latency', 'freshness', 'correctness'] as const;

/** One row of a many-SLO list, computed by the real engine. */
export interface ManySLO {
  readonly slo: SLO;
  readonly status: SLOStatus;
}

/**
 * `count` SLOs over seeded 7 days of 15-minute counts (a 7-day rolling window each), about one in twelve burning and
 * one in twenty-five breached, evaluated by `evaluateSLO`.
 */
export function manySLOs(count: number, now = STORY_NOW): ManySLO[] {
  const out: ManySLO[] = [];
  for (let i = 0; i < count; i++) {
    const team = TEAMS[i % TEAMS.length] as string;
    const kind = KINDS[i % KINDS.length] as string;
    const service = `svc-${String(i).padStart(4, '0')}`;
    const slo = defineSLO({
      name: `${service}-${kind}`,
      displayName: `${service} ${kind}`,
      service,
      labels: { team, kind, tier: String(i % 3) },
      sli: { kind: 'ratio' },
      target: [0.99, 0.995, 0.999][i % 3] as number,
      window: { duration: '7d' },
    });
    const incidents: SyntheticIncident[] = [];
    if (i % 12 === 5) incidents.push({ start: now - 3 * HOUR, end: now, errorRatio: slo.errorBudget * 20 });
    if (i % 25 === 7) incidents.push({ start: now - 3 * DAY, end: now - 2 * DAY, errorRatio: slo.errorBudget * 30 });
    const events = syntheticEvents({ start: now - 7 * DAY, end: now, stepMs: 15 * MINUTE, rps: 5 + (i % 7) * 3, errorRatio: slo.errorBudget * (0.1 + 0.15 * (i % 5)), seed: 1000 + i, incidents });
    out.push({ slo, status: evaluateSLO(slo, events, { at: now }) });
  }
  return out;
}

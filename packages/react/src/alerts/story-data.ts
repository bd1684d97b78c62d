/*
 * Seeded synthetic series and the REAL alerting engine's outputs on them (evaluator alerts and history, backtests),
 * for stories and tests. Not exported from the package entry.
 */
import type { Series, TimeRange } from '@vigil/core';
import { createAlertEvaluator, type Alert, type AlertHistoryEntry, type AlertRule } from '@vigil/core/alerting';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
/** "Now" of every story: a fixed instant, so stories and screenshots never change. */
export const STORY_NOW = Date.UTC(2025, 2, 14, 12, 0);
export const STORY_RANGE: TimeRange = { start: STORY_NOW - 6 * HOUR, end: STORY_NOW };

/** mulberry32: a tiny seeded PRNG. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A burst: the value rises to `level` between `start` and `end`. */
export interface Burst {
  readonly start: number;
  readonly end: number;
  readonly level: number;
}

/** A noisy series around `base` at one-minute steps, with bursts. */
export function syntheticSeries(name: string, labels: Record<string, string>, base: number, noise: number, bursts: readonly Burst[], seed: number, range: TimeRange = { start: STORY_RANGE.start - 30 * MINUTE, end: STORY_NOW }, stepMs = MINUTE): Series {
  const rand = random(seed);
  const n = Math.floor((range.end - range.start) / stepMs) + 1;
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = range.start + i * stepMs;
    timestamps[i] = t;
    let v = base * (1 + (rand() - 0.5) * 2 * noise);
    for (const burst of bursts) if (t >= burst.start && t < burst.end) v = burst.level * (1 + (rand() - 0.5) * noise);
    values[i] = Math.max(0, v);
  }
  return { name, labels, timestamps, values };
}

export const ERROR_RULE: AlertRule = {
  id: 'high-error-rate',
  name: 'HighErrorRate',
  description: 'Share of requests answered with a 5xx.',
  query: { expr: 'sum by (service) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m]))', stepMs: MINUTE },
  reducer: { type: 'last', windowMs: 5 * MINUTE },
  condition: { type: 'threshold', operator: '>', warning: { value: 0.02, recovery: 0.015 }, critical: { value: 0.05, recovery: 0.04 } },
  forMs: 3 * MINUTE,
  labels: { team: 'sre' },
  annotations: { summary: 'Error ratio of {{ $labels.service }} is {{ $value | humanizePercentage }}' },
  runbookUrl: 'https://runbooks.example.com/high-error-rate',
  receiver: 'pager',
};

export const LATENCY_RULE: AlertRule = {
  id: 'high-latency-p95',
  name: 'HighLatencyP95',
  query: { expr: 'histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m]))) * 1000', stepMs: MINUTE },
  reducer: { type: 'avg', windowMs: 5 * MINUTE },
  condition: { type: 'threshold', operator: '>', warning: { value: 400 }, critical: { value: 800, recovery: 600 } },
  forMs: 5 * MINUTE,
  labels: { team: 'web' },
  annotations: { summary: 'p95 latency of {{ $labels.service }} is {{ $value | humanize }} ms' },
};

/** Error ratios of three services: checkout burning now, payments warning now, search recovered hours ago. */
export function errorSeries(): Series[] {
  return [
    syntheticSeries('checkout', { service: 'checkout' }, 0.004, 0.4, [{ start: STORY_NOW - 50 * MINUTE, end: STORY_NOW + MINUTE, level: 0.12 }], 1),
    syntheticSeries('payments', { service: 'payments' }, 0.003, 0.4, [{ start: STORY_NOW - 35 * MINUTE, end: STORY_NOW + MINUTE, level: 0.03 }], 2),
    syntheticSeries('search', { service: 'search' }, 0.002, 0.4, [{ start: STORY_NOW - 4 * HOUR, end: STORY_NOW - 3 * HOUR - 20 * MINUTE, level: 0.09 }], 3),
  ];
}

/** p95 latency (ms) of two services: frontend slow for a while two hours ago. */
export function latencySeries(): Series[] {
  return [
    syntheticSeries('frontend', { service: 'frontend' }, 180, 0.15, [{ start: STORY_NOW - 2 * HOUR, end: STORY_NOW - HOUR - 30 * MINUTE, level: 950 }], 4),
    syntheticSeries('search', { service: 'search' }, 120, 0.15, [], 5),
  ];
}

export interface EngineRun {
  readonly rules: AlertRule[];
  /** Alerts firing at the last tick. */
  readonly alerts: Alert[];
  readonly history: AlertHistoryEntry[];
  readonly range: TimeRange;
}

/** Runs the real evaluator every minute over the story range and returns what it reported. */
export function runEngine(rules: readonly AlertRule[], data: Readonly<Record<string, readonly Series[]>>, range: TimeRange = STORY_RANGE): EngineRun {
  const evaluator = createAlertEvaluator({ rules });
  let alerts: Alert[] = [];
  for (let t = range.start; t <= range.end; t += MINUTE) {
    const input: Record<string, { series: readonly Series[] }> = {};
    for (const rule of rules) input[rule.id] = { series: data[rule.id] ?? [] };
    alerts = evaluator.evaluate(t, input).alerts;
  }
  return { rules: [...rules], alerts: alerts.filter((a) => a.status === 'firing'), history: evaluator.history(), range };
}

let cached: EngineRun | undefined;
/** The default story scenario: two rules, four alerts firing at the end, some history. */
export function storyScenario(): EngineRun {
  cached ??= runEngine([ERROR_RULE, LATENCY_RULE], { [ERROR_RULE.id]: errorSeries(), [LATENCY_RULE.id]: latencySeries() });
  return cached;
}

/** Many firing alerts: one error-rate series per instance, `count` of them, a third of them critical. */
export function manyAlerts(count: number): Alert[] {
  const series: Series[] = [];
  for (let i = 0; i < count; i++) {
    const level = i % 3 === 0 ? 0.2 : 0.03;
    series.push(syntheticSeries(`i${i}`, { service: `svc-${i % 12}`, instance: `10.0.${Math.floor(i / 250)}.${i % 250}:9100` }, level, 0.05, [], 100 + i, { start: STORY_NOW - 20 * MINUTE, end: STORY_NOW }));
  }
  const rule: AlertRule = { ...ERROR_RULE, forMs: 0 };
  return runEngine([rule], { [rule.id]: series }, { start: STORY_NOW - 5 * MINUTE, end: STORY_NOW }).alerts;
}

/**
 * p95 latency 5-minute average: warning at 500 ms, critical at 800 ms. With `spikySeries` the raw samples cross both
 * lines several times, but no 5-minute average does, so it never fires: the preview's point.
 */
export const SPIKY_LATENCY_RULE: AlertRule = {
  id: 'latency-avg-5m',
  name: 'HighLatencyAvg',
  query: { expr: 'histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket{service="search"}[1m]))) * 1000', stepMs: MINUTE },
  reducer: { type: 'avg', windowMs: 5 * MINUTE },
  condition: { type: 'threshold', operator: '>', warning: { value: 500, recovery: 450 }, critical: { value: 800, recovery: 700 } },
  forMs: 2 * MINUTE,
  labels: { team: 'search' },
};

/** Starts of the one-minute latency spikes of `spikySeries`, minutes before STORY_NOW. */
export const SPIKE_MINUTES_AGO: readonly number[] = [320, 275, 230, 170, 121, 118, 64, 25];

/** Latency (ms) around 200 with one-minute spikes to about 1,200 ms (two of them three minutes apart). */
export function spikySeries(): Series[] {
  const bursts = SPIKE_MINUTES_AGO.map((ago) => ({ start: STORY_NOW - ago * MINUTE, end: STORY_NOW - (ago - 1) * MINUTE, level: 1200 }));
  return [syntheticSeries('search p95', {}, 200, 0.15, bursts, 21)];
}

/**
 * Request rate of checkout rising by more than 25% (warning) or 50% (critical) against 30 minutes earlier, on the
 * 5-minute average: a change% rule, whose levels are percentages.
 */
export const TRAFFIC_CHANGE_RULE: AlertRule = {
  id: 'traffic-surge',
  name: 'TrafficSurge',
  query: { expr: 'sum(rate(http_requests_total{service="checkout"}[5m]))', stepMs: MINUTE },
  reducer: { type: 'avg', windowMs: 5 * MINUTE },
  condition: { type: 'change', direction: 'up', windowMs: 30 * MINUTE, warning: { value: 25, recovery: 15 }, critical: { value: 50, recovery: 30 } },
  forMs: 3 * MINUTE,
};

/** Checkout's request rate (req/s): about 120, doubling for 40 minutes two hours ago, 30% up in the last 20 minutes. */
export function trafficSeries(): Series[] {
  return [
    syntheticSeries(
      'checkout',
      { service: 'checkout' },
      120,
      0.06,
      [
        { start: STORY_NOW - 2 * HOUR, end: STORY_NOW - 80 * MINUTE, level: 250 },
        { start: STORY_NOW - 20 * MINUTE, end: STORY_NOW + MINUTE, level: 158 },
      ],
      22,
      { start: STORY_RANGE.start - HOUR, end: STORY_NOW },
    ),
  ];
}

/** Fires when the checkout scrape target reports nothing for 5 minutes (an `absent` rule). */
export const ABSENT_RULE: AlertRule = {
  id: 'checkout-target-missing',
  name: 'CheckoutTargetMissing',
  query: { expr: 'up{job="checkout"}', stepMs: MINUTE },
  reducer: { type: 'last', windowMs: 5 * MINUTE },
  condition: { type: 'absent' },
  severity: 'critical',
  forMs: 2 * MINUTE,
};

/** `up` of the checkout target: 1 every minute, with no samples for 25 minutes from three hours ago. */
export function targetSeries(): Series[] {
  const full = syntheticSeries('up', { job: 'checkout' }, 1, 0, [], 23);
  const gapStart = STORY_NOW - 3 * HOUR;
  const gapEnd = gapStart + 25 * MINUTE;
  const keep: number[] = [];
  for (let i = 0; i < full.timestamps.length; i++) {
    const t = full.timestamps[i] as number;
    if (t < gapStart || t >= gapEnd) keep.push(i);
  }
  return [{ name: 'up', labels: { job: 'checkout' }, timestamps: Float64Array.from(keep, (i) => full.timestamps[i] as number), values: Float64Array.from(keep, (i) => full.values[i] as number) }];
}

/** Error ratios of `count` instances: every fifth one bursting over the critical level of ERROR_RULE in the last hour. */
export function manyErrorSeries(count: number): Series[] {
  const out: Series[] = [];
  for (let i = 0; i < count; i++) {
    const bursts = i % 5 === 3 ? [{ start: STORY_NOW - HOUR + i * MINUTE, end: STORY_NOW - 20 * MINUTE, level: 0.09 }] : [];
    out.push(syntheticSeries(`i${i}`, { service: 'checkout', instance: `10.0.0.${i + 1}:9100` }, 0.004, 0.4, bursts, 200 + i));
  }
  return out;
}

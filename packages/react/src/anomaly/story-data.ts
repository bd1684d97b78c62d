import type { Series } from '@vigil/core';

export const STORY_T0 = Date.UTC(2024, 2, 4, 0, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Seeded PRNG (mulberry32), so stories and tests draw the same data every time. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws from a seeded uniform (Box–Muller). */
function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export interface LatencyOptions {
  readonly n?: number;
  readonly stepMs?: number;
  readonly seed?: number;
  /** Points per day-like cycle. */
  readonly period?: number;
  /** Indices of injected spikes (value × 3.5). */
  readonly spikes?: readonly number[];
  /** A level shift (+60%) from this index on. */
  readonly shiftAt?: number;
  /** Indices set to NaN (gaps). */
  readonly gaps?: readonly [number, number][];
  readonly name?: string;
}

/** p99 latency in ms with a daily cycle, noise, and injected spikes, a level shift and gaps. */
export function latencySeries({ n = 1440, stepMs = 5 * MINUTE, seed = 7, period = 288, spikes = [700, 1010], shiftAt = 1200, gaps = [], name = 'p99 latency' }: LatencyOptions = {}): Series {
  const random = seeded(seed);
  const normal = gaussian(random);
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  const spikeSet = new Set(spikes);
  for (let i = 0; i < n; i++) {
    timestamps[i] = STORY_T0 + i * stepMs;
    let v = 240 + 60 * Math.sin((2 * Math.PI * i) / period) + 8 * normal();
    if (spikeSet.has(i)) v *= 3.5;
    if (i >= shiftAt) v *= 1.6;
    values[i] = v;
  }
  for (const [from, to] of gaps) for (let i = from; i < Math.min(to, n); i++) values[i] = Number.NaN;
  return { name, labels: {}, timestamps, values };
}

/** A constant series (every value the same). */
export function constantSeries(n = 600, value = 42): Series {
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n).fill(value);
  for (let i = 0; i < n; i++) timestamps[i] = STORY_T0 + i * MINUTE;
  return { name: 'queue depth', labels: {}, timestamps, values };
}

/** Disk used in percent: a slow rise with a daily bump and noise, hourly for `days` days. */
export function diskSeries({ days = 14, start = 52, perDay = 2.4, seed = 3 }: { days?: number; start?: number; perDay?: number; seed?: number } = {}): Series {
  const random = seeded(seed);
  const normal = gaussian(random);
  const n = days * 24;
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    timestamps[i] = STORY_T0 + i * HOUR;
    values[i] = start + (perDay * i) / 24 + 1.2 * Math.sin((2 * Math.PI * i) / 24) + 0.3 * normal();
  }
  return { name: 'disk used', labels: {}, timestamps, values };
}

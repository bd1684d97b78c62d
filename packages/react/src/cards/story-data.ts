import type { Series } from '@vigil/core';

/** Deterministic data for stories and browser tests (not exported from the package). */
export const STORY_T0 = Date.UTC(2024, 2, 4, 0, 0, 0);

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A wave with noise, one sample per `stepMs`; `gaps` puts NaN runs in. */
export function storySeries({ n = 120, stepMs = 60_000, base = 100, amplitude = 20, noise = 8, seed = 1, gaps = false } = {}): Series {
  const random = seeded(seed);
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    timestamps[i] = STORY_T0 + i * stepMs;
    values[i] = gaps && i % 40 >= 30 && i % 40 < 34 ? Number.NaN : base + amplitude * Math.sin((i / n) * Math.PI * 4) + noise * random();
  }
  return { labels: {}, timestamps, values };
}

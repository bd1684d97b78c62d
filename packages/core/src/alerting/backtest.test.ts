import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createSeries } from '../series/create';
import type { Series } from '../series/types';
import { VigilError } from '../errors';
import { backtest, findRateCandidates } from './backtest';
import { createAlertEvaluator } from './evaluator';
import { conditionValueAt, reduceAt, reduceAtTicks } from './reduce';
import { compileRule } from './validate';
import type { CompiledRule } from './validate';
import type { AlertRule, AlertTransition, ThresholdOperator } from './types';

const MIN = 60_000;

/** Brute force: the samples of (t - w, t], NaN dropped, then the textbook definition of each reducer. */
function bruteReduce(series: Series, type: string, windowMs: number, t: number, q = 0): number {
  const window: number[] = [];
  for (let i = 0; i < series.timestamps.length; i++) {
    const ts = series.timestamps[i] as number;
    const v = series.values[i] as number;
    if (ts > t - windowMs && ts <= t && !Number.isNaN(v)) window.push(v);
  }
  if (type === 'count') return window.length;
  if (window.length === 0) return NaN;
  switch (type) {
    case 'last':
      return window[window.length - 1] as number;
    case 'sum':
      return window.reduce((a, b) => a + b, 0);
    case 'avg':
      return window.reduce((a, b) => a + b, 0) / window.length;
    case 'min':
      return Math.min(...window);
    case 'max':
      return Math.max(...window);
    case 'percentile': {
      const sorted = [...window].sort((a, b) => a - b);
      const h = (sorted.length - 1) * q;
      const lo = Math.floor(h);
      const hi = Math.min(lo + 1, sorted.length - 1);
      return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
    }
  }
  throw new Error(type);
}

const seriesArb = (length: number, label: string) =>
  fc
    .array(fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 10 }) }, { weight: 1, arbitrary: fc.constant(NaN) }, { weight: 1, arbitrary: fc.constant(null) }), { minLength: length, maxLength: length })
    .map((values) => {
      const timestamps: number[] = [];
      const vs: number[] = [];
      values.forEach((v, i) => {
        if (v === null) return; // a missing scrape
        timestamps.push(i * MIN);
        vs.push(v);
      });
      return createSeries({ labels: { instance: label }, timestamps, values: vs });
    });

const operators: ThresholdOperator[] = ['>', '<', '>=', '<=', '==', '!='];

const ruleArb: fc.Arbitrary<AlertRule> = fc
  .record({
    reducer: fc.constantFrom('last', 'avg', 'min', 'max', 'sum', 'count', 'percentile', 'rate'),
    windowSteps: fc.integer({ min: 1, max: 5 }),
    kind: fc.constantFrom('threshold', 'threshold', 'change', 'burnRate', 'absent'),
    operator: fc.constantFrom(...operators),
    warning: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
    critical: fc.integer({ min: 0, max: 10 }),
    recoveryGap: fc.integer({ min: 0, max: 3 }),
    forSteps: fc.integer({ min: 0, max: 4 }),
    keepSteps: fc.integer({ min: 0, max: 3 }),
    cooldownSteps: fc.integer({ min: 0, max: 3 }),
    noData: fc.constantFrom('ok', 'alerting', 'keep-last'),
    direction: fc.constantFrom('up', 'down'),
  })
  .map((r): AlertRule => {
    const hysteresis = r.operator === '>' || r.operator === '>=' ? -r.recoveryGap : r.operator === '<' || r.operator === '<=' ? r.recoveryGap : 0;
    const level = (value: number) => (hysteresis === 0 ? { value } : { value, recovery: value + hysteresis });
    const levels = { ...(r.warning === undefined ? {} : { warning: r.kind === 'threshold' ? level(r.warning) : { value: r.warning * 10 } }), critical: r.kind === 'threshold' ? level(r.critical) : { value: r.critical * 10 } };
    const condition =
      r.kind === 'threshold'
        ? { type: 'threshold' as const, operator: r.operator, ...levels }
        : r.kind === 'change'
          ? { type: 'change' as const, direction: r.direction, windowMs: 2 * MIN, ...levels }
          : r.kind === 'burnRate'
            ? { type: 'burnRate' as const, ...levels }
            : { type: 'absent' as const };
    return {
      id: 'r1',
      name: 'Prop',
      query: { expr: 'x', stepMs: MIN },
      reducer: r.reducer === 'percentile' ? { type: 'percentile', percentile: 90, windowMs: r.windowSteps * MIN } : { type: r.reducer, windowMs: r.windowSteps * MIN },
      condition,
      forMs: r.forSteps * MIN,
      keepFiringForMs: r.keepSteps * MIN,
      cooldownMs: r.cooldownSteps * MIN,
      noData: r.noData,
      labels: { team: 'core-{{ $labels.instance }}' },
    };
  });

function slice(series: Series, from: number, to: number): Series {
  const idx: number[] = [];
  for (let i = 0; i < series.timestamps.length; i++) if ((series.timestamps[i] as number) >= from && (series.timestamps[i] as number) <= to) idx.push(i);
  return { labels: series.labels, timestamps: Float64Array.from(idx, (i) => series.timestamps[i] as number), values: Float64Array.from(idx, (i) => series.values[i] as number) };
}

function essentials(ts: readonly AlertTransition[]) {
  return ts.map((t) => ({ time: t.time, fingerprint: t.fingerprint, from: t.from, to: t.to, value: t.value, reason: t.reason }));
}

describe('reducers against brute force', () => {
  it('reduceAt and reduceAtTicks equal the textbook definitions for every window', () => {
    fc.assert(
      fc.property(seriesArb(40, 'a'), fc.constantFrom('last', 'avg', 'min', 'max', 'sum', 'count', 'percentile'), fc.integer({ min: 1, max: 8 }), (series, type, steps) => {
        const rule = compileRule({ id: 'r', name: 'R', query: { expr: 'x' }, reducer: type === 'percentile' ? { type, percentile: 75, windowMs: steps * MIN } : { type: type as 'avg', windowMs: steps * MIN }, condition: { type: 'threshold', operator: '>', critical: { value: 1 } } });
        const ticks = Float64Array.from({ length: 45 }, (_, k) => k * MIN + (k % 3 === 0 ? 30_000 : 0));
        const columnar = reduceAtTicks(series, rule, ticks);
        ticks.forEach((t, k) => {
          const expected = bruteReduce(series, type, steps * MIN, t, 0.75);
          const single = reduceAt(series, rule, t);
          if (Number.isNaN(expected)) {
            expect(single).toBeNaN();
            expect(columnar[k]).toBeNaN();
          } else if (type === 'percentile') {
            expect(single).toBeCloseTo(expected, 9);
            expect(columnar[k]).toBe(single);
          } else {
            expect(single).toBe(expected);
            expect(columnar[k]).toBe(expected);
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it('rate at ticks equals rate tick by tick', () => {
    const counter = createSeries({ labels: {}, timestamps: Array.from({ length: 30 }, (_, i) => i * 15_000), values: Array.from({ length: 30 }, (_, i) => (i < 17 ? i * 10 : (i - 17) * 3)) });
    const rule = compileRule({ id: 'r', name: 'R', query: { expr: 'x' }, reducer: { type: 'rate', windowMs: 120_000 }, condition: { type: 'threshold', operator: '>', critical: { value: 1 } } });
    const ticks = Float64Array.from({ length: 10 }, (_, k) => k * 45_000);
    const columnar = reduceAtTicks(counter, rule, ticks);
    ticks.forEach((t, k) => expect(Object.is(columnar[k], reduceAt(counter, rule, t))).toBe(true));
    // 10 per 15 s before the reset: 2/3 per second.
    expect(reduceAt(counter, rule, 120_000)).toBeCloseTo(10 / 15, 12);
  });
});

describe('backtest agrees with tick-by-tick evaluation', () => {
  it('same transitions, in the same order, for random rules and series (fast-check)', () => {
    fc.assert(
      fc.property(ruleArb, fc.integer({ min: 0, max: 3 }), fc.array(seriesArb(30, ''), { minLength: 3, maxLength: 3 }), (rule, seriesCount, pool) => {
        const series = pool.slice(0, seriesCount).map((s, i) => ({ ...s, labels: { instance: `i${i}` } }));
        const range = { start: 0, end: 34 * MIN };
        const result = backtest(rule, { series, range, intervalMs: MIN });
        const evaluator = createAlertEvaluator({ rules: [rule] });
        const lookback = compileRule(rule).lookbackMs;
        const ticked: AlertTransition[] = [];
        for (let t = range.start; t <= range.end; t += MIN) {
          const out = evaluator.evaluate(t, { r1: { series: series.map((s) => slice(s, t - lookback, t)) } });
          ticked.push(...out.transitions);
          for (const alert of out.alerts) for (const v of Object.values(alert.labels)) expect(v).not.toMatch(/NaN/);
          for (const instance of evaluator.instances()) if (instance.value !== null) expect(Number.isFinite(instance.value)).toBe(true);
        }
        expect(essentials(result.transitions)).toEqual(essentials(ticked));
        for (const interval of [...result.firing, ...result.pending]) {
          expect(interval.end === null || interval.end > interval.start).toBe(true);
          if (interval.peakValue !== null) expect(Number.isFinite(interval.peakValue)).toBe(true);
        }
        // Firing intervals rebuilt from the evaluator's transitions.
        const open = new Map<string, number>();
        const intervals: [string, number, number | null][] = [];
        for (const t of ticked) {
          if (t.to === 'firing') open.set(t.fingerprint, t.time);
          if (t.to === 'resolved') {
            intervals.push([t.fingerprint, open.get(t.fingerprint) as number, t.time]);
            open.delete(t.fingerprint);
          }
        }
        for (const [f, s] of open) intervals.push([f, s, null]);
        const key = (x: [string, number, number | null]) => `${x[1]}|${x[0]}`;
        expect(result.firing.map((i): [string, number, number | null] => [i.fingerprint, i.start, i.end]).sort((a, b) => (key(a) < key(b) ? -1 : 1))).toEqual(intervals.sort((a, b) => (key(a) < key(b) ? -1 : 1)));
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});

describe('backtest lazy mode (skip to candidate ticks) equals the column mode', () => {
  it('a rate never exceeds the largest slope between neighbouring samples of its window (what the rate skip rests on)', () => {
    const rule = (windowMs: number): CompiledRule =>
      compileRule({ id: 'r', name: 'R', query: { expr: 'x' }, reducer: { type: 'rate', windowMs }, condition: { type: 'threshold', operator: '>', critical: { value: 1 } } }, 'rule');
    const sample = fc.record({ gap: fc.integer({ min: 1, max: 90_000 }), step: fc.oneof({ weight: 8, arbitrary: fc.double({ min: 0, max: 1e4, noNaN: true }) }, fc.constantFrom(NaN, -1)) });
    fc.assert(
      fc.property(fc.array(sample, { minLength: 2, maxLength: 40 }), fc.integer({ min: 1_000, max: 600_000 }), fc.double({ min: 0, max: 1e9, noNaN: true }), fc.nat(), (samples, windowMs, base, tickAt) => {
        // A counter on irregular timestamps: each sample adds `step` (NaN is a hole, -1 a restart from a small value).
        const timestamps: number[] = [];
        const values: number[] = [];
        let t = 0;
        let total = base;
        for (const { gap, step } of samples) {
          timestamps.push((t += gap));
          values.push(step !== step ? NaN : step < 0 ? (total = gap % 7) : (total += step));
        }
        const series = createSeries({ labels: {}, timestamps, values });
        const tick = (timestamps[tickAt % timestamps.length] as number) + (tickAt % 3) * 1000;
        const value = reduceAt(series, rule(windowMs), tick);
        // The largest increase per second between neighbouring non-NaN samples of the window (tick - windowMs, tick].
        let slope = -Infinity;
        let previous = -1;
        for (let k = 0; k < timestamps.length; k++) {
          const at = timestamps[k] as number;
          const v = values[k] as number;
          if (at <= tick - windowMs || at > tick || v !== v) continue;
          if (previous >= 0) {
            const before = values[previous] as number;
            slope = Math.max(slope, ((v >= before ? v - before : v) * 1000) / (at - (timestamps[previous] as number)));
          }
          previous = k;
        }
        if (slope === -Infinity) expect(value).toBeNaN();
        else expect(value).toBeLessThanOrEqual(slope * (1 + 1e-9));
      }),
      { numRuns: 3000 },
    );
  });
  it('findRateCandidates (four samples at a time where a counter grows slowly) equals its definition', () => {
    /** The definition, one sample at a time: increases between neighbours (NaN skipped) not at most the limit. */
    const reference = (values: number[], limit: number): [number, number][] => {
      const out: [number, number][] = [];
      let at = values.findIndex((v) => v === v);
      if (at < 0) return out;
      for (let j = at + 1; j < values.length; j++) {
        const v = values[j] as number;
        if (v !== v) continue;
        const previous = values[at] as number;
        if (!((v >= previous ? v - previous : v) <= limit)) out.push([at, j]);
        at = j;
      }
      return out;
    };
    const step = fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0, max: 10 }) }, fc.integer({ min: 11, max: 40 }), fc.constantFrom(-50, -1, NaN, Infinity, -Infinity));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.constantFrom(0, 5, 10, 10.5, 30), fc.integer({ min: 0, max: 100 }), (steps, limit, base) => {
        // A counter from the steps: each adds to the running total, NaN is a hole, a negative step is a restart.
        const values: number[] = [];
        let total = base;
        for (const s of steps) values.push(s !== s ? NaN : s === Infinity || s === -Infinity ? s : s < 0 ? (total = -s - 1) : (total += s));
        const begin = new Int32Array(values.length);
        const end = new Int32Array(values.length);
        const count = findRateCandidates(Float64Array.from(values), limit, begin, end);
        const got: [number, number][] = [];
        for (let i = 0; i < count; i++) got.push([begin[i] as number, end[i] as number]);
        expect(got).toEqual(reference(values, limit));
      }),
      { numRuns: 2000 },
    );
  });
  it('reports timestamps out of order at their index, in the lazy and the column modes', () => {
    const timestamps = Array.from({ length: 40 }, (_, i) => i * MIN);
    timestamps[21] = 20 * MIN;
    const values = timestamps.map((_, i) => (i % 9 === 0 ? 5 : 0.5));
    const counter = timestamps.map((_, i) => i * 100);
    const range = { start: 0, end: 39 * MIN };
    const threshold: AlertRule = { id: 'r', name: 'R', query: { expr: 'x' }, reducer: { type: 'max', windowMs: 5 * MIN }, condition: { type: 'threshold', operator: '>', critical: { value: 2 } } };
    const rate: AlertRule = { ...threshold, reducer: { type: 'rate', windowMs: 5 * MIN } };
    const bad = (v: number[]): Series => ({ labels: {}, timestamps: Float64Array.from(timestamps), values: Float64Array.from(v) });
    for (const [rule, v] of [
      [threshold, values],
      [rate, counter],
    ] as const) {
      for (const includeValues of [false, true]) {
        expect(() => backtest(rule, { series: [createSeries({ labels: { a: '1' }, timestamps: timestamps.map((_, i) => i * MIN), values: v }), bad(v)], range, includeValues })).toThrow(/^history\.series\[1\]\.timestamps\[21\]/);
      }
    }
    // Off a regular grid a rate's pass retries with the smallest gap, and still reports disorder where it is.
    const irregular = timestamps.map((_, i) => i * MIN + (i % 3) * 1000);
    irregular[30] = irregular[29] as number;
    expect(() => backtest(rate, { series: [{ labels: {}, timestamps: Float64Array.from(irregular), values: Float64Array.from(counter) }], range })).toThrow(/^history\.series\[0\]\.timestamps\[30\]/);
  });  it('a rate just under the threshold with one larger step still fires (the skip bound is not too loose)', () => {
    // 540 per minute is 9/s; one step of 1000 lifts the 5-minute rate to 10.9/s, above 10/s, for the windows holding it.
    const values: number[] = [];
    let total = 0;
    for (let i = 0; i < 600; i++) values.push((total += i === 300 ? 1000 : 540));
    const series = [createSeries({ labels: {}, timestamps: values.map((_, i) => i * MIN), values })];
    const rule: AlertRule = { id: 'r', name: 'R', query: { expr: 'x' }, reducer: { type: 'rate', windowMs: 5 * MIN }, condition: { type: 'threshold', operator: '>', critical: { value: 10 } } };
    const input = { series, range: { start: 0, end: 599 * MIN }, intervalMs: MIN };
    const lazy = backtest(rule, input);
    expect(lazy.firing.map((i) => [i.start, i.end])).toEqual([[300 * MIN, 304 * MIN]]);
    expect(lazy.transitions).toEqual(backtest(rule, { ...input, includeValues: true }).transitions);
  });
  it('a counter whose every slope is at (>=) or just over (>) the threshold fires throughout (the skip keeps a margin)', () => {
    // 600 per minute is exactly 10/s: on this grid the extrapolated 5-minute rate is exactly 10/s at every tick from
    // the first whole window (5 minutes in) on, so no slope may count as "cannot reach" a threshold of 10/s for >=;
    // 630 per minute (10.5/s) must fire for > 10/s.
    for (const [perMinute, operator] of [
      [600, '>='],
      [630, '>'],
    ] as const) {
      const values = Array.from({ length: 200 }, (_, i) => i * perMinute);
      const series = [createSeries({ labels: {}, timestamps: values.map((_, i) => i * MIN), values })];
      const rule: AlertRule = { id: 'r', name: 'R', query: { expr: 'x' }, reducer: { type: 'rate', windowMs: 5 * MIN }, condition: { type: 'threshold', operator, critical: { value: 10 } } };
      const input = { series, range: { start: 0, end: 199 * MIN }, intervalMs: MIN };
      const lazy = backtest(rule, input);
      expect(lazy.firing.map((i) => [i.start, i.end])).toEqual([[5 * MIN, null]]);
      expect(lazy.transitions).toEqual(backtest(rule, { ...input, includeValues: true }).transitions);
    }
  });
  it('same intervals and transitions on long bursty series, where the lazy run sometimes switches to the column', () => {
    fc.assert(
      fc.property(ruleArb, fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 300, max: 3000 }), fc.boolean(), (rule, seed, hotPercent, length, counter) => {
        // A seeded level that sits under the thresholds, with bursts over them hotPercent% of the time, NaN holes and
        // missing scrapes.
        let state = seed;
        const random = (): number => {
          state = (state * 48271) % 2147483647;
          return state / 2147483647;
        };
        const timestamps: number[] = [];
        const values: number[] = [];
        let hot = false;
        for (let i = 0; i < length; i++) {
          if (random() < 0.05) hot = random() * 100 < hotPercent;
          const r = random();
          if (r < 0.02) continue;
          timestamps.push(i * MIN);
          values.push(r < 0.04 ? NaN : Math.round((hot ? 6 : 0) + random() * 5));
        }
        // As a counter (for rate rules): the running sum, with a restart now and then.
        if (counter) {
          let total = 0;
          for (let i = 0; i < values.length; i++) {
            if (random() < 0.01) total = 0;
            const v = values[i] as number;
            if (v === v) values[i] = total += v * 60; // about v per second: across the thresholds
          }
        }
        const series = [createSeries({ labels: { instance: 'a' }, timestamps, values })];
        const input = { series, range: { start: 0, end: (length - 1) * MIN }, intervalMs: MIN };
        const lazy = backtest(rule, input);
        const columnar = backtest(rule, { ...input, includeValues: true });
        expect(lazy.transitions).toEqual(columnar.transitions);
        expect(lazy.firing).toEqual(columnar.firing);
        expect(lazy.pending).toEqual(columnar.pending);
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});

/**
 * An independent, straightforward reference of the documented state machine for one instance, from the condition
 * column: written from the documentation (docs/alerting.md), not from state.ts.
 */
function referenceIntervals(active: (boolean | null)[], forSteps: number, keepSteps: number, cooldownSteps: number): [number, number | null][] {
  const out: [number, number | null][] = [];
  let state = 'inactive' as 'inactive' | 'pending' | 'firing' | 'resolved';
  let activeSince = -1;
  let firedAt = -1;
  let clearSince = -1;
  let cooldownUntil = -Infinity;
  active.forEach((a, k) => {
    if (a === null) return;
    if (state === 'inactive' || state === 'resolved') {
      state = 'inactive';
      if (a && k >= cooldownUntil) {
        activeSince = k;
        state = 'pending';
      }
    } else if (state === 'pending' && !a) {
      state = 'inactive';
      return;
    }
    if (state === 'pending' && a && k - activeSince >= forSteps) {
      state = 'firing';
      firedAt = k;
      clearSince = -1;
      return;
    }
    if (state === 'firing') {
      if (a) clearSince = -1;
      else {
        if (clearSince < 0) clearSince = k;
        if (k - clearSince >= keepSteps) {
          out.push([firedAt, k]);
          state = 'resolved';
          cooldownUntil = cooldownSteps > 0 ? k + cooldownSteps : -Infinity;
        }
      }
    }
  });
  if (state === 'firing') out.push([firedAt, null]);
  return out;
}

describe('backtest against a reference state machine', () => {
  it('firing intervals match for random activity, for, keep-firing-for and cooldown', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 10 }) }, { weight: 1, arbitrary: fc.constant(NaN) }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom('ok', 'alerting', 'keep-last'),
        (values, forSteps, keepSteps, cooldownSteps, noData) => {
          const series = createSeries({ labels: {}, timestamps: values.map((_, i) => i * MIN), values });
          const rule: AlertRule = { id: 'x', name: 'X', query: { expr: 'x' }, reducer: { type: 'last', windowMs: MIN }, condition: { type: 'threshold', operator: '>=', critical: { value: 5 } }, forMs: forSteps * MIN, keepFiringForMs: keepSteps * MIN, cooldownMs: cooldownSteps * MIN, noData: noData as 'ok' };
          const result = backtest(rule, { series: [series], range: { start: 0, end: (values.length - 1) * MIN } });
          const active = values.map((v) => (Number.isNaN(v) ? (noData === 'alerting' ? true : noData === 'ok' ? false : null) : v >= 5));
          const expected = referenceIntervals(active, forSteps, keepSteps, cooldownSteps).map(([s, e]) => [s * MIN, e === null ? null : e * MIN]);
          expect(result.firing.map((i) => [i.start, i.end])).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('backtest includeValues', () => {
  it('returns, per series, the condition value at every tick: the brute-force reducer, or its change in percent', () => {
    fc.assert(
      fc.property(fc.array(seriesArb(30, 'a'), { minLength: 1, maxLength: 2 }), fc.constantFrom('avg', 'max', 'percentile', 'last'), fc.boolean(), (list, type, change) => {
        const series = list.map((s, i) => ({ ...s, labels: { instance: `i${i}`, __name__: 'up' } }));
        const rule: AlertRule = {
          id: 'r',
          name: 'R',
          query: { expr: 'x' },
          reducer: type === 'percentile' ? { type, percentile: 90, windowMs: 3 * MIN } : { type: type as 'avg', windowMs: 3 * MIN },
          condition: change ? { type: 'change', direction: 'up', windowMs: 5 * MIN, critical: { value: 50 } } : { type: 'threshold', operator: '>', critical: { value: 5 } },
        };
        const result = backtest(rule, { series, range: { start: 0, end: 29 * MIN }, intervalMs: MIN, includeValues: true });
        expect(result.values).toHaveLength(series.length);
        result.values?.forEach((v, i) => {
          expect(v.labels).toEqual({ instance: `i${i}` });
          expect(Array.from(v.timestamps)).toEqual(Array.from({ length: 30 }, (_, k) => k * MIN));
          v.timestamps.forEach((t, k) => {
            const now = bruteReduce(series[i] as Series, type, 3 * MIN, t, 0.9);
            let expected = now;
            if (change) {
              const before = bruteReduce(series[i] as Series, type, 3 * MIN, t - 5 * MIN, 0.9);
              expected = before === 0 || Number.isNaN(before) || Number.isNaN(now) ? NaN : ((now - before) / Math.abs(before)) * 100;
            }
            const got = v.values[k] as number;
            if (Number.isNaN(expected)) expect(got).toBeNaN();
            else expect(got).toBeCloseTo(expected, 9);
            // The same number the evaluator compares at that tick.
            expect(Object.is(got, conditionValueAt(series[i] as Series, compileRule(rule), t))).toBe(true);
          });
        });
      }),
      { numRuns: 60 },
    );
  });
  it('survives the next backtest (the columns are copies) and is absent without the option', () => {
    const series = [createSeries({ labels: {}, timestamps: [0, MIN, 2 * MIN], values: [1, 9, 1] })];
    const rule: AlertRule = { id: 'r', name: 'R', query: { expr: 'x' }, reducer: { type: 'last', windowMs: MIN }, condition: { type: 'threshold', operator: '>', critical: { value: 5 } } };
    const first = backtest(rule, { series, range: { start: 0, end: 2 * MIN }, intervalMs: MIN, includeValues: true });
    backtest(rule, { series: [createSeries({ labels: {}, timestamps: [0, MIN, 2 * MIN], values: [7, 7, 7] })], range: { start: 0, end: 2 * MIN }, intervalMs: MIN, includeValues: true });
    expect(Array.from(first.values?.[0]?.values ?? [])).toEqual([1, 9, 1]);
    expect(backtest(rule, { series, range: { start: 0, end: 2 * MIN }, intervalMs: MIN }).values).toBeUndefined();
    expect(() => backtest(rule, { series, range: { start: 0, end: 2 * MIN }, includeValues: 'yes' as never })).toThrow(/history\.includeValues/);
  });
  it('an absent rule gives one series: 1 where no series had data, NaN elsewhere', () => {
    const series = [createSeries({ labels: { a: '1' }, timestamps: [0, MIN], values: [1, 1] })];
    const rule: AlertRule = { id: 'r', name: 'R', query: { expr: 'x' }, reducer: { type: 'last', windowMs: MIN }, condition: { type: 'absent' } };
    const result = backtest(rule, { series, range: { start: 0, end: 3 * MIN }, intervalMs: MIN, includeValues: true });
    expect(result.values).toHaveLength(1);
    expect(result.values?.[0]?.labels).toEqual({});
    expect(Array.from(result.values?.[0]?.values ?? [])).toEqual([NaN, NaN, 1, 1]);
  });
});

describe('backtest input validation', () => {
  const rule: AlertRule = { id: 'x', name: 'X', query: { expr: 'x' }, condition: { type: 'threshold', operator: '>', critical: { value: 1 } } };
  const s = createSeries({ labels: {}, timestamps: [0], values: [1] });
  it('throws typed errors naming the field', () => {
    const cases: [unknown, string][] = [
      [{ series: 'no', range: { start: 0, end: 1 } }, 'history.series'],
      [{ series: [s], range: { start: 5, end: 1 } }, 'history.range.end'],
      [{ series: [s], range: { start: 0, end: 10 }, intervalMs: 0 }, 'history.intervalMs'],
      [{ series: [s], range: { start: 0, end: 1e12 }, intervalMs: 1 }, 'history.range'],
      [{ series: [s, s], range: { start: 0, end: 10 } }, 'history.series[1].labels'],
      [{ series: [{ labels: {}, timestamps: [0], values: [1] }], range: { start: 0, end: 10 } }, 'history.series[0].timestamps'],
    ];
    for (const [input, path] of cases) {
      let caught: unknown;
      try {
        backtest(rule, input as never);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(VigilError);
      expect((caught as VigilError).path).toBe(path);
    }
    expect(() => backtest({ ...rule, forMs: -1 }, { series: [s], range: { start: 0, end: 1 } })).toThrow(/rule\.forMs/);
  });

  it('bad input of any shape gives a typed error or a result, never a crash or NaN (fast-check)', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (ruleLike, historyLike) => {
        try {
          const result = backtest(ruleLike as AlertRule, historyLike as never);
          expect(result.ticks).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(VigilError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

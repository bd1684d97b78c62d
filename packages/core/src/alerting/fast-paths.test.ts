import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quantile } from '../percentile/exact';
import { validateSeries } from '../series/create';
import type { Series } from '../series/types';
import { createAlertEvaluator, hasSeriesShape, hasStringLabels } from './evaluator';
import { checkedTailStart, conditionValueAt, firstPassing, loosestThreshold, percentileCannotHold, reduceAt, windowCannotPass } from './reduce';
import { levelActive } from './state';
import { compileRule } from './validate';
import type { CompiledLevel } from './validate';
import type { AlertRule } from './types';

// The performance fast paths must agree with the slow paths they bypass: each is checked against that path.

/** The evaluator's pre-checks of a series read in full: its columns, its labels, and every timestamp (no lookback start). */
const isWellFormedSeries = (series: unknown): boolean => hasSeriesShape(series) && hasStringLabels(series.labels) && checkedTailStart(series.timestamps, -Infinity) >= 0;

describe('isWellFormedSeries (allocation-free pre-check)', () => {
  const column = fc.array(fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, 0, -0)), { maxLength: 12 });
  it('never accepts a series validateSeries rejects, and accepts every well-formed ascending series', () => {
    fc.assert(
      fc.property(column, column, fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())), fc.boolean(), (ts, vs, labels, sortTs) => {
        const timestamps = Float64Array.from(sortTs ? [...ts].sort((a, b) => a - b) : ts);
        const series = { labels, timestamps, values: Float64Array.from(vs) } as unknown as Series;
        let valid = true;
        try {
          validateSeries(series, 's');
        } catch {
          valid = false;
        }
        expect(isWellFormedSeries(series)).toBe(valid);
      }),
    );
  });
  it('rejects non-objects, plain arrays and a non-string name', () => {
    expect(isWellFormedSeries(null)).toBe(false);
    expect(isWellFormedSeries({ labels: {}, timestamps: [1], values: [1] })).toBe(false);
    expect(isWellFormedSeries({ labels: {}, timestamps: new Float64Array(1), values: new Float64Array(1), name: 3 })).toBe(false);
    expect(isWellFormedSeries({ labels: {}, timestamps: new Float64Array(0), values: new Float64Array(0) })).toBe(true);
  });
});

describe('checkedTailStart (the evaluator checks timestamps where a rule reads them)', () => {
  const strictlyAscendingFinite = (ts: number[]): boolean => ts.every((t, i) => Number.isFinite(t) && (i === 0 || t > (ts[i - 1] as number)));
  /** By definition: the largest k whose suffix is well formed and starts at or before `earliest` (0 if none does). */
  const brute = (ts: number[], earliest: number): number => {
    for (let k = ts.length - 1; k >= 0; k--) {
      if (!strictlyAscendingFinite(ts.slice(k))) return -1;
      if ((ts[k] as number) <= earliest) return k;
    }
    return 0;
  };
  it('equals the definition on random columns, sorted or not, with NaN and infinities', () => {
    const column = fc.array(fc.oneof(fc.integer({ min: -20, max: 20 }), fc.constantFrom(NaN, Infinity, -Infinity)), { maxLength: 15 });
    fc.assert(
      fc.property(column, fc.boolean(), fc.integer({ min: -25, max: 25 }), (ts, sort, earliest) => {
        const values = sort ? [...ts].sort((a, b) => a - b) : ts;
        expect(checkedTailStart(Float64Array.from(values), earliest)).toBe(brute(values, earliest));
      }),
      { numRuns: 500 },
    );
  });
  it('evaluate ignores disorder older than the lookback and reports disorder inside it with its path', () => {
    const rule: AlertRule = { id: 'r', name: 'High', query: { expr: 'x' }, reducer: { type: 'avg', windowMs: 60_000 }, condition: { type: 'threshold', operator: '>', critical: { value: 5 } } };
    const evaluator = createAlertEvaluator({ rules: [rule] });
    const old = { labels: {}, timestamps: Float64Array.of(5_000, 1_000, 100_000, 110_000), values: Float64Array.of(0, 0, 9, 9) };
    const first = evaluator.evaluate(120_000, { r: { series: [old] } });
    expect(first.errors).toEqual([]);
    expect(first.transitions.map((t) => t.to)).toEqual(['firing']);
    const inWindow = { labels: {}, timestamps: Float64Array.of(100_000, 115_000, 110_000), values: Float64Array.of(9, 9, 9) };
    const second = evaluator.evaluate(120_000, { r: { series: [inWindow] } });
    expect(second.errors).toEqual([expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('data.r.series[0].timestamps[2]') })]);
  });
});

describe('labels are checked where they are read', () => {
  const rule: AlertRule = { id: 'r', name: 'High', query: { expr: 'x' }, reducer: { type: 'last', windowMs: 60_000 }, condition: { type: 'threshold', operator: '>', critical: { value: 5 } } };
  const series = (labels: unknown, value: number) => ({ labels, timestamps: Float64Array.of(50_000), values: Float64Array.of(value) }) as unknown as Series;
  it('a single series: when its value needs an alert, before any state changes; a quiet one is not read', () => {
    const evaluator = createAlertEvaluator({ rules: [{ ...rule, onError: 'ok' }] });
    expect(evaluator.evaluate(60_000, { r: { series: [series({ host: 7 }, 1)] } }).errors).toEqual([]);
    const firing = evaluator.evaluate(60_000, { r: { series: [series({ host: 7 }, 9)] } });
    expect(firing.errors).toEqual([expect.objectContaining({ ruleId: 'r', code: 'INVALID_ARGUMENT', message: expect.stringContaining('data.r.series[0].labels.host') })]);
    expect(firing.transitions).toEqual([]);
    expect(evaluator.instances()).toEqual([]);
    // onError 'alerting' fires the rule-level error alert instead of a series alert.
    const strict = createAlertEvaluator({ rules: [{ ...rule, onError: 'alerting' }] });
    const result = strict.evaluate(60_000, { r: { series: [series(null, 9)] } });
    expect(result.errors.map((e) => e.code)).toEqual(['INVALID_ARGUMENT']);
    expect(result.transitions.map((t) => [t.to, t.reason, t.labels.host])).toEqual([['firing', 'error', undefined]]);
  });
  it('a firing series is read (and checked) at every tick', () => {
    const evaluator = createAlertEvaluator({ rules: [{ ...rule, onError: 'keep-last' }] });
    expect(evaluator.evaluate(60_000, { r: { series: [series({ host: 'a' }, 9)] } }).transitions.map((t) => t.to)).toEqual(['firing']);
    const next = evaluator.evaluate(61_000, { r: { series: [series({ host: ['a'] }, 1)] } });
    expect(next.errors.map((e) => e.message)).toEqual([expect.stringContaining('data.r.series[0].labels.host')]);
    expect(evaluator.instances().map((i) => i.state)).toEqual(['firing']);
  });
  it('several series: always, as their label sets must differ', () => {
    const evaluator = createAlertEvaluator({ rules: [rule] });
    const result = evaluator.evaluate(60_000, { r: { series: [series({ host: 'a' }, 1), series({ host: 2 }, 1)] } });
    expect(result.errors.map((e) => e.message)).toEqual([expect.stringContaining('data.r.series[1].labels.host')]);
  });
  it('a timestamp column shared by many series is checked once per tick and still rejected where it is bad', () => {
    const rules: AlertRule[] = ['a', 'b', 'c'].map((id, i) => ({ ...rule, id, reducer: { type: 'avg', windowMs: (i + 1) * 20_000 } }));
    const evaluator = createAlertEvaluator({ rules });
    const shared = Float64Array.of(10_000, 20_000, 30_000, 40_000, 50_000);
    const tick = (t: number) => evaluator.evaluate(t, Object.fromEntries(rules.map((r, i) => [r.id, { series: [{ labels: { i: String(i) }, timestamps: shared, values: Float64Array.of(9, 9, 9, 9, 9) }] }])));
    expect(tick(60_000).transitions.map((t) => t.ruleId)).toEqual(['a', 'b', 'c']);
    shared[0] = 25_000; // out of order: only the rule whose lookback reaches it (c: 60 s back) reads it
    const result = tick(61_000);
    expect(result.errors.map((e) => e.ruleId)).toEqual(['c']);
    expect(result.errors[0]?.message).toContain('data.c.series[0].timestamps');
  });
});

describe('windowCannotPass (deciding a threshold from the window extremes)', () => {
  it('is true only where no level holds (or there is no data), for avg, min, max and percentiles, and decides most quiet windows', () => {
    let decided = 0;
    let quiet = 0;
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -5, max: 5 }) }, fc.constantFrom(NaN, Infinity, -Infinity, -0, 0.5)), { maxLength: 40 }),
        fc.constantFrom('avg', 'min', 'max', 'percentile'),
        fc.constantFrom('>', '>=', '<', '<=', '==', '!=' as const),
        fc.integer({ min: -6, max: 6 }),
        fc.option(fc.integer({ min: -6, max: 6 }), { nil: undefined }),
        fc.integer({ min: 1, max: 40 }),
        (vs, type, operator, critical, warning, windowSteps) => {
          const reducer = type === 'percentile' ? { type, percentile: 90, windowMs: windowSteps } : { type: type as 'avg', windowMs: windowSteps };
          const rule = compileRule(
            { id: 'r', name: 'P', query: { expr: 'x' }, reducer, condition: { type: 'threshold', operator, critical: { value: critical }, ...(warning === undefined ? {} : { warning: { value: warning } }) } },
            'rule',
          );
          const series = { labels: {}, timestamps: Float64Array.from(vs, (_, i) => i), values: Float64Array.from(vs) };
          const value = conditionValueAt(series, rule, vs.length - 1, 0);
          const holds = value === value && rule.levels.some((level) => levelActive(level, value, false));
          if (!holds && value === value && operator !== '==' && operator !== '!=') quiet++;
          if (windowCannotPass(series, rule.windowMs, (rule.levels[0] as CompiledLevel).operator, loosestThreshold(rule.levels), vs.length - 1, 0)) {
            decided++;
            expect(holds).toBe(false);
          }
        },
      ),
      { numRuns: 1000 },
    );
    expect(decided).toBeGreaterThan(quiet * 0.3);
  });
});

describe('percentileCannotHold (deciding a percentile threshold by counting)', () => {
  it('is true only where no level holds on the computed value, and is decisive on most windows', () => {
    let decided = 0;
    let inactive = 0;
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -5, max: 5 }) }, fc.constantFrom(NaN, Infinity, -Infinity, -0)), { maxLength: 40 }),
        fc.integer({ min: 1, max: 99 }),
        fc.constantFrom('>', '>=', '<', '<=', '==', '!=' as const),
        fc.integer({ min: -6, max: 6 }),
        fc.option(fc.integer({ min: -6, max: 6 }), { nil: undefined }),
        (vs, p, operator, critical, warning) => {
          const rule = compileRule(
            { id: 'r', name: 'P', query: { expr: 'x' }, reducer: { type: 'percentile', percentile: p, windowMs: 1e9 }, condition: { type: 'threshold', operator, critical: { value: critical }, ...(warning === undefined ? {} : { warning: { value: warning } }) } },
            'rule',
          );
          const series = { labels: {}, timestamps: Float64Array.from(vs, (_, i) => i), values: Float64Array.from(vs) };
          const value = conditionValueAt(series, rule, vs.length, 0);
          const holds = rule.levels.some((level) => value !== value || levelActive(level, value, false));
          if (!holds && operator !== '==' && operator !== '!=') inactive++;
          if (percentileCannotHold(series, rule, vs.length, 0)) {
            decided++;
            expect(holds).toBe(false);
          }
        },
      ),
      { numRuns: 1000 },
    );
    // Not vacuous: with an ordered operator, most windows where nothing holds are decided without the percentile.
    expect(decided).toBeGreaterThan(inactive * 0.6);
  });
});

describe('single-tick percentile (scratch-buffer selection)', () => {
  it('equals @vigil/core/percentile quantile of the window without NaN', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: false }), fc.constant(NaN), fc.integer({ min: -3, max: 3 })), { maxLength: 300 }),
        fc.integer({ min: 1, max: 99 }),
        (vs, p) => {
          const timestamps = Float64Array.from(vs, (_, i) => i);
          const values = Float64Array.from(vs);
          const rule = compileRule({ id: 'r', name: 'P', query: { expr: 'x' }, reducer: { type: 'percentile', percentile: p, windowMs: 1e9 }, condition: { type: 'threshold', operator: '>', critical: { value: 1 } } }, 'rule');
          const kept = vs.filter((v) => v === v);
          const expected = kept.length === 0 ? NaN : quantile(kept, p / 100);
          const got = reduceAt({ labels: {}, timestamps, values }, rule, vs.length);
          // +0 and -0 are the same order statistic; compare them as equal.
          expect(got === expected || (got !== got && expected !== expected)).toBe(true);
        },
      ),
    );
  });
});

describe('rule input lookup', () => {
  const rule = (id: string): AlertRule => ({ id, name: 'High', query: { expr: 'x' }, reducer: { type: 'last', windowMs: 60_000 }, condition: { type: 'threshold', operator: '>', critical: { value: 5 } }, noData: 'alerting' });
  const series: Series = { labels: { host: 'a' }, timestamps: Float64Array.of(0), values: Float64Array.of(1) };
  it('does not read inherited properties as rule input (ids that are Object.prototype keys, non-plain data)', () => {
    const evaluator = createAlertEvaluator({ rules: [rule('constructor'), rule('inherited')] });
    const data = Object.create({ inherited: { series: [series] } }) as Record<string, { series: Series[] }>;
    // No own input for either rule: no data, and noData 'alerting' makes both fire (not a SOURCE/validation error).
    const result = evaluator.evaluate(0, data);
    expect(result.errors).toEqual([]);
    expect(result.alerts.map((a) => a.labels.alertname)).toHaveLength(2);
  });
  it('reads own input for an id that is an Object.prototype key', () => {
    const evaluator = createAlertEvaluator({ rules: [rule('constructor')] });
    const result = evaluator.evaluate(0, { constructor: { series: [series] } } as never);
    expect(result.errors).toEqual([]);
    expect(result.alerts).toHaveLength(0);
  });
});

describe('rules evaluated in blocks, their inputs read ahead (touchInputs)', () => {
  type Kind = 'missing' | 'hot' | 'cold' | 'error' | 'not-object' | 'no-array' | 'bad-series' | 'throws' | 'empty';
  const kinds: Kind[] = ['missing', 'hot', 'cold', 'error', 'not-object', 'no-array', 'bad-series', 'throws', 'empty'];
  const ruleFor = (i: number, enabled: boolean): AlertRule => ({
    id: `r${i}`,
    name: `R${i % 3}`,
    enabled,
    query: { expr: 'x' },
    reducer: { type: i % 2 === 0 ? 'max' : 'last', windowMs: 120_000 },
    condition: { type: 'threshold', operator: '>', warning: { value: 5, recovery: 4 }, critical: { value: 8 } },
    onError: i % 3 === 0 ? 'alerting' : 'keep-last',
  });
  const inputFor = (kind: Kind, now: number, i: number): unknown => {
    const series = (value: number) => ({ labels: { host: `h${i % 4}` }, timestamps: Float64Array.of(now - 60_000, now), values: Float64Array.of(value - 1, value) });
    switch (kind) {
      case 'missing':
        return undefined;
      case 'hot':
        return { series: [series(9 + (i % 2)), { ...series(6), labels: { host: 'other' } }] };
      case 'cold':
        return { series: [series(1)] };
      case 'error':
        return { error: new Error('down') };
      case 'not-object':
        return 42;
      case 'no-array':
        return { series: 'nope' };
      case 'bad-series':
        return { series: [{ labels: {}, timestamps: [now], values: [1] }] };
      case 'throws':
        return Object.defineProperty({}, 'series', {
          get() {
            throw new Error('getter');
          },
        });
      case 'empty':
        return { series: [] };
    }
  };
  const summary = (r: { alerts: readonly { fingerprint: string; status: string }[]; errors: readonly { ruleId: string; code: string }[]; transitions: readonly unknown[] }) => ({
    alerts: r.alerts.map((a) => `${a.fingerprint}:${a.status}`).sort(),
    errors: r.errors.map((e) => `${e.ruleId}:${e.code}`).sort(),
    transitions: r.transitions.length,
  });
  it('gives every rule exactly what it gets evaluated alone, across block boundaries and every kind of input (fast-check)', () => {
    // Lengths drawn as integers: fast-check's default size keeps arrays much shorter than a 100 maxLength.
    const arb = fc.record({
      count: fc.integer({ min: 1, max: 100 }),
      enabled: fc.array(fc.boolean(), { minLength: 100, maxLength: 100 }),
      ticks: fc.array(fc.array(fc.constantFrom(...kinds), { minLength: 100, maxLength: 100 }), { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(arb, ({ count, enabled, ticks }) => {
        const rules = enabled.slice(0, count).map((on, i) => ruleFor(i, on || i % 7 !== 0));
        const together = createAlertEvaluator({ rules });
        const alone = rules.map((rule) => createAlertEvaluator({ rules: [rule] }));
        ticks.forEach((tick, t) => {
          const now = (t + 2) * 60_000;
          const data: Record<string, unknown> = {};
          const inputs = rules.map((_, i) => inputFor(tick[i] as Kind, now, i));
          rules.forEach((rule, i) => {
            if (inputs[i] !== undefined) data[rule.id] = inputs[i];
          });
          const merged = { alerts: [] as string[], errors: [] as string[], transitions: 0 };
          alone.forEach((evaluator, i) => {
            const one = summary(evaluator.evaluate(now, (inputs[i] === undefined ? {} : { [`r${i}`]: inputs[i] }) as never));
            merged.alerts.push(...one.alerts);
            merged.errors.push(...one.errors);
            merged.transitions += one.transitions;
          });
          const all = summary(together.evaluate(now, data as never));
          expect(all).toEqual({ alerts: merged.alerts.sort(), errors: merged.errors.sort(), transitions: merged.transitions });
        });
      }),
      { numRuns: 60 },
    );
  });
  it('an input whose getter throws fails that rule as a source error; evaluate itself does not throw', () => {
    const rules = [ruleFor(0, true), ruleFor(1, true)];
    const evaluator = createAlertEvaluator({ rules });
    const result = evaluator.evaluate(120_000, { r0: inputFor('throws', 120_000, 0), r1: inputFor('hot', 120_000, 1) } as never);
    expect(result.errors).toEqual([{ ruleId: 'r0', message: 'getter', code: 'SOURCE_ERROR' }]);
    // r0 alerts on errors (both levels, reason 'error'); r1's two series pass: warning and critical, and warning.
    expect(result.alerts.map((a) => a.labels.alertname).sort()).toEqual(['R0', 'R0', 'R1', 'R1', 'R1']);
  });
});

describe('series keys reused across ticks (seriesKeyOf) and group keys kept per instance', () => {
  const rule: AlertRule = { id: 'r', name: 'R', query: { expr: 'x' }, reducer: { type: 'last', windowMs: 60_000 }, condition: { type: 'threshold', operator: '>', critical: { value: 1 } } };
  const names = ['instance', 'job', 'constructor', '__proto__'];
  it('the firing alerts are exactly the series that pass, whatever the labels do between ticks (reused, copied, mutated in place)', () => {
    const labelSet = fc.dictionary(fc.constantFrom(...names), fc.constantFrom('a', 'b'), { maxKeys: 3 });
    const tickArb = fc.array(fc.record({ labels: labelSet, hot: fc.boolean(), mutate: fc.boolean() }), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(fc.array(tickArb, { minLength: 1, maxLength: 8 }), (ticks) => {
        const evaluator = createAlertEvaluator({ rules: [rule] });
        // Label objects reused across ticks by series index, as a data source reusing its objects would.
        const objects: Record<string, string>[] = [];
        ticks.forEach((tick, t) => {
          const now = (t + 1) * 60_000;
          // Distinct label sets only (a result with two equal label sets is an error, tested elsewhere).
          const seen = new Set<string>();
          const series: Series[] = [];
          for (const [i, s] of tick.entries()) {
            const key = JSON.stringify(Object.entries(s.labels).sort());
            if (seen.has(key)) continue;
            seen.add(key);
            let labels: Record<string, string>;
            if (s.mutate && objects[i] !== undefined) {
              // The same object, changed in place since the last tick.
              labels = objects[i] as Record<string, string>;
              for (const name of Object.keys(labels)) delete labels[name];
              for (const [name, value] of Object.entries(s.labels)) Object.defineProperty(labels, name, { value, enumerable: true, writable: true, configurable: true });
            } else labels = JSON.parse(JSON.stringify(s.labels)) as Record<string, string>;
            objects[i] = labels;
            series.push({ labels, timestamps: Float64Array.of(now), values: Float64Array.of(s.hot ? 2 : 0) });
          }
          const result = evaluator.evaluate(now, { r: { series } });
          const firing = result.alerts
            .filter((a) => a.status === 'firing')
            .map((a) => JSON.stringify(Object.entries(a.labels).sort()))
            .sort();
          const expected = series
            .filter((s) => (s.values[0] as number) > 1)
            .map((s) => JSON.stringify(Object.entries({ ...s.labels, alertname: 'R', severity: 'critical' }).sort()))
            .sort();
          expect(firing).toEqual(expected);
        });
      }),
      { numRuns: 300 },
    );
  });
  it('group labels handed out in a result are copies: changing them changes nothing inside the evaluator', () => {
    const evaluator = createAlertEvaluator({ rules: [rule], grouping: { groupBy: ['alertname', 'job'] } });
    const input = { r: { series: [{ labels: { job: 'api' }, timestamps: Float64Array.of(60_000), values: Float64Array.of(5) }] } };
    const first = evaluator.evaluate(60_000, input);
    (first.groups[0]?.groupLabels as Record<string, string>).job = 'changed';
    const second = evaluator.evaluate(60_000, input);
    expect(second.groups[0]?.groupLabels).toEqual({ alertname: 'R', job: 'api' });
    expect(second.groups[0]?.groupKey).toBe(first.groups[0]?.groupKey);
  });
});

describe('firstPassing (eight samples per step)', () => {
  it('finds a single passing sample wherever it lies, for every ordered operator and start, and never a NaN', () => {
    const cases = [
      ['>', 1, 2, 0],
      ['>=', 1, 1, 0.5],
      ['<', 1, 0, 2],
      ['<=', 1, 1, 1.5],
    ] as const;
    for (const [operator, threshold, passing, failing] of cases) {
      for (let at = 0; at < 40; at++) {
        const values = Float64Array.from({ length: 40 }, (_, i) => (i === at ? passing : i % 3 === 0 ? NaN : failing));
        for (let from = 0; from <= 8; from++) {
          expect(firstPassing(values, from, 40, operator, threshold)).toBe(at >= from ? at : 40);
          expect(firstPassing(values, from, Math.min(40, at + 1), operator, threshold)).toBe(at >= from ? at : Math.min(40, at + 1));
        }
      }
    }
  });
});

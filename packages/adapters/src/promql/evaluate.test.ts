import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SourceError } from '@vigil/core';
import { evaluate, type CounterWindowSeries, type CounterWindowStorage, type EvaluationResult } from './evaluate';
import { parsePromQL } from './parser';
import { createMemoryStorage, type MemorySeriesInput, type SelectRequest, type StoredSeries } from './storage';

const S = 15_000;
/** Scrapes every 15 s from 0 to 10 minutes. */
const scrapes = Array.from({ length: 41 }, (_, i) => i * S);
const counter = (perSecond: number) => scrapes.map((t) => (t / 1000) * perSecond);

const dataset: MemorySeriesInput[] = [
  { labels: { __name__: 'req_total', job: 'a', code: '200' }, timestamps: scrapes, values: counter(1) },
  { labels: { __name__: 'req_total', job: 'a', code: '500' }, timestamps: scrapes, values: counter(0.1) },
  { labels: { __name__: 'req_total', job: 'b', code: '200' }, timestamps: scrapes, values: counter(2) },
  { labels: { __name__: 'temp', job: 'a' }, timestamps: [0, 60_000, 120_000], values: [10, 20, 30] },
  { labels: { __name__: 'temp', job: 'b' }, timestamps: [0, 60_000, 120_000], values: [5, 25, 40] },
  // Cumulative latency buckets: 1/s at or below 0.1 s, 3/s at or below 0.5 s, 4/s in all.
  { labels: { __name__: 'lat_bucket', job: 'a', le: '0.1' }, timestamps: scrapes, values: counter(1) },
  { labels: { __name__: 'lat_bucket', job: 'a', le: '0.5' }, timestamps: scrapes, values: counter(3) },
  { labels: { __name__: 'lat_bucket', job: 'a', le: '+Inf' }, timestamps: scrapes, values: counter(4) },
  // A counter that restarts: 0 10 20 | 5 15 every 15 s.
  { labels: { __name__: 'restarts_total', job: 'a' }, timestamps: [0, 15_000, 30_000, 45_000, 60_000], values: [0, 10, 20, 5, 15] },
];
const storage = createMemoryStorage(dataset);

function run(query: string, start: number, end = start, stepMs = 15_000): EvaluationResult {
  return evaluate(parsePromQL(query), storage, { start, end, stepMs });
}

/** The result as { "labels": [values...] } with NaN as null, for readable assertions. */
function table(result: EvaluationResult): Record<string, Array<number | null>> {
  const out: Record<string, Array<number | null>> = {};
  const round = (v: number) => (Number.isNaN(v) ? null : Math.round(v * 1e9) / 1e9);
  if (result.type === 'scalar') out.scalar = Array.from(result.values, round);
  else for (const s of result.series) out[JSON.stringify(Object.fromEntries(Object.entries(s.labels).sort()))] = Array.from(s.values, round);
  return out;
}

describe('evaluate on a hand-made dataset', () => {
  it('instant selectors take the latest sample in the left-open 5 minute lookback', () => {
    expect(table(run('temp{job="a"}', 0, 420_000, 60_000))).toEqual({
      // At 420 s the sample at 120 s is exactly 5 minutes old: outside (T - 5m, T].
      '{"__name__":"temp","job":"a"}': [10, 20, 30, 30, 30, 30, 30, null],
    });
    expect(table(run('temp{job="a"}', 59_999))).toEqual({ '{"__name__":"temp","job":"a"}': [10] });
    expect(table(run('temp{job="a"} offset 1m', 120_000))).toEqual({ '{"__name__":"temp","job":"a"}': [20] });
  });

  it('rate extrapolates like Prometheus and drops the metric name', () => {
    // Window (60 s, 120 s] holds 4 samples 45 s apart in total; the first is 15 s from the window start, within
    // 1.1 scrape intervals, so the increase of 45 extrapolates to 60 over the 60 s window: 1 per second.
    expect(table(run('rate(req_total{job="a", code="200"}[1m])', 120_000))).toEqual({ '{"code":"200","job":"a"}': [1] });
    expect(table(run('increase(req_total{job="b"}[1m])', 120_000))).toEqual({ '{"code":"200","job":"b"}': [120] });
    expect(table(run('irate(req_total{job="b"}[1m])', 120_000))).toEqual({ '{"code":"200","job":"b"}': [2] });
  });

  it('corrects counter resets', () => {
    // 0 10 20 5 15: the increase is 10 + 10 + 5 + 10 = 35. The last sample is at the window end, and extrapolating
    // the start would take the counter below its first value 0, so it is not extrapolated at all.
    expect(table(run('increase(restarts_total[61s])', 60_000))).toEqual({ '{"job":"a"}': [35] });
  });

  it('aggregates by and without labels', () => {
    expect(table(run('sum by (job) (rate(req_total[1m]))', 120_000))).toEqual({ '{"job":"a"}': [1.1], '{"job":"b"}': [2] });
    expect(table(run('sum without (code) (rate(req_total[1m]))', 120_000))).toEqual({ '{"job":"a"}': [1.1], '{"job":"b"}': [2] });
    expect(table(run('count(req_total)', 120_000))).toEqual({ '{}': [3] });
    expect(table(run('max(temp)', 120_000))).toEqual({ '{}': [40] });
    expect(table(run('min by (job) (temp)', 120_000))).toEqual({ '{"job":"a"}': [30], '{"job":"b"}': [40] });
    expect(table(run('avg(temp)', 60_000))).toEqual({ '{}': [22.5] });
  });

  it('computes the demo error ratio, matching on identical label sets', () => {
    const ratio = table(run('sum by (job) (rate(req_total{code=~"5.."}[1m])) / sum by (job) (rate(req_total[1m]))', 120_000));
    // Job b has no 5xx series, so it has no ratio (as in Prometheus).
    expect(ratio).toEqual({ '{"job":"a"}': [Math.round((0.1 / 1.1) * 1e9) / 1e9] });
  });

  it('matches with on(...) and ignoring(...)', () => {
    const expected = { '{"job":"a"}': [0.1] };
    expect(table(run('rate(req_total{code="500"}[1m]) / ignoring (code) rate(req_total{code="200"}[1m])', 120_000))).toEqual(expected);
    expect(table(run('rate(req_total{code="500"}[1m]) / on (job) rate(req_total{code="200"}[1m])', 120_000))).toEqual(expected);
    // Without a modifier the code labels differ, so nothing matches.
    expect(table(run('rate(req_total{code="500"}[1m]) / rate(req_total{code="200"}[1m])', 120_000))).toEqual({});
  });

  it('interpolates histogram_quantile inside the bucket', () => {
    // Rates 1, 3, 4 per second: the median (rank 2) is halfway into (0.1, 0.5].
    expect(table(run('histogram_quantile(0.5, rate(lat_bucket[1m]))', 120_000))).toEqual({ '{"job":"a"}': [0.3] });
    // Rank 3.6 falls in the +Inf bucket: the answer is the highest finite bound.
    expect(table(run('histogram_quantile(0.9, sum by (le) (rate(lat_bucket[1m])))', 120_000))).toEqual({ '{}': [0.5] });
  });

  it('applies scalar arithmetic, comparisons and math functions', () => {
    expect(table(run('temp{job="a"} * 2 + 1', 60_000))).toEqual({ '{"job":"a"}': [41] });
    expect(table(run('100 - temp{job="a"}', 60_000))).toEqual({ '{"job":"a"}': [80] });
    expect(table(run('temp > 22', 60_000))).toEqual({ '{"__name__":"temp","job":"b"}': [25] });
    expect(table(run('temp > bool 22', 60_000))).toEqual({ '{"job":"a"}': [0], '{"job":"b"}': [1] });
    expect(table(run('clamp_max(temp, 22)', 60_000))).toEqual({ '{"job":"a"}': [20], '{"job":"b"}': [22] });
    expect(table(run('-temp{job="b"} ^ 2', 60_000))).toEqual({ '{"job":"b"}': [-625] });
    expect(table(run('2 ^ 3 ^ 2', 0))).toEqual({ scalar: [512] });
    expect(table(run('time()', 60_000))).toEqual({ scalar: [60] });
    expect(table(run('scalar(temp{job="a"}) * vector(2)', 60_000))).toEqual({ '{}': [40] });
    expect(table(run('max_over_time(temp{job="a"}[2m])', 120_000))).toEqual({ '{"job":"a"}': [30] });
    expect(table(run('count_over_time(req_total{job="b"}[1m])', 120_000))).toEqual({ '{"code":"200","job":"b"}': [4] });
  });

  it('evaluates every step of a range at start + i * step', () => {
    const result = run('sum(rate(req_total[1m]))', 60_000, 200_000, 30_000);
    expect(Array.from(result.timestamps)).toEqual([60_000, 90_000, 120_000, 150_000, 180_000]);
    expect(table(result)).toEqual({ '{}': [3.1, 3.1, 3.1, 3.1, 3.1] });
  });

  it('evaluates any query of the subset without throwing anything but a SourceError (property)', { timeout: 30_000 }, () => {
    const selector = fc.constantFrom('req_total', 'temp', 'lat_bucket', 'req_total{code=~"5.."}', '{job="a"}', 'nope', 'temp offset 1m');
    const range = fc.tuple(selector, fc.constantFrom('1m', '30s', '5m')).map(([s, r]) => (s.includes('offset') ? `temp[${r}] offset 1m` : `${s}[${r}]`));
    const { query } = fc.letrec<{ query: string }>((tie) => ({
      query: fc.oneof(
        { depthSize: 'small' },
        selector,
        fc.double({ noNaN: true, min: -10, max: 10 }).map((n) => `(${n})`),
        fc.tuple(fc.constantFrom('rate', 'increase', 'irate', 'max_over_time', 'count_over_time'), range).map(([f, r]) => `${f}(${r})`),
        fc.tuple(fc.constantFrom('sum', 'avg', 'min', 'max', 'count'), fc.constantFrom('', ' by (job)', ' without (code)', ' by ()'), tie('query')).map(([op, g, e]) => `${op}${g} (${e})`),
        fc.tuple(tie('query'), fc.constantFrom('+', '-', '*', '/', '%', '^', '>', '== bool', '/ on (job)', '* ignoring (code)'), tie('query')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
        fc.tuple(fc.constantFrom('abs', 'sqrt', 'ln', 'ceil'), tie('query')).map(([f, e]) => `${f}(${e})`),
        tie('query').map((e) => `histogram_quantile(0.9, ${e})`),
      ),
    }));
    fc.assert(
      fc.property(query, fc.integer({ min: 0, max: 600 }), (text, at) => {
        let expr;
        try {
          expr = parsePromQL(text);
        } catch (error) {
          expect(error).toBeInstanceOf(SourceError);
          return;
        }
        try {
          const result = evaluate(expr, storage, { start: at * 1000, end: at * 1000 + 120_000, stepMs: 30_000 });
          expect(result.timestamps).toHaveLength(5);
        } catch (error) {
          expect(error).toBeInstanceOf(SourceError);
          expect((error as SourceError).code).toBe('BAD_QUERY');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('fails with BAD_QUERY on many-to-many matches, too many steps and too many samples', () => {
    expect(() => run('req_total / on (job) req_total', 60_000)).toThrow(/many-to-many/);
    expect(() => run('temp', 0, 11_001 * 1000, 1000)).toThrow(SourceError);
    expect(() => run('temp', 0, 11_001 * 1000, 1000)).toThrow(/11000/);
    expect(() => evaluate(parsePromQL('req_total'), storage, { start: 0, end: 600_000, stepMs: 15_000 }, { maxSamples: 10 })).toThrow(/samples/);
    expect(() => evaluate(parsePromQL('up'), storage, { start: 10, end: 0, stepMs: 1 })).toThrow(/request.end/);
  });
});

/**
 * Counter windows summarised by brute force from the samples, window by window: an oracle for the evaluator's
 * `selectCounterWindows` path, independent of any storage that computes them cleverly.
 */
function windowsBySearch(series: readonly StoredSeries[], request: SelectRequest): CounterWindowSeries[] {
  const steps = Math.round((request.end - request.start) / request.stepMs) + 1;
  return series.map((s) => {
    const columns = Array.from({ length: 6 }, () => new Float64Array(steps));
    const [counts, firstTimestamps, firstValues, lastTimestamps, lastValues, resetCorrections] = columns as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
    for (let j = 0; j < steps; j++) {
      const t = request.start + j * request.stepMs;
      const inside: number[] = [];
      for (let i = 0; i < s.timestamps.length; i++) if (s.timestamps[i]! > t - request.windowMs && s.timestamps[i]! <= t) inside.push(i);
      counts[j] = inside.length;
      if (inside.length === 0) continue;
      firstTimestamps[j] = s.timestamps[inside[0]!]!;
      firstValues[j] = s.values[inside[0]!]!;
      lastTimestamps[j] = s.timestamps[inside.at(-1)!]!;
      lastValues[j] = s.values[inside.at(-1)!]!;
      for (let i = 1; i < inside.length; i++) {
        const before = s.values[inside[i - 1]!]!;
        if (s.values[inside[i]!]! < before) resetCorrections[j] = resetCorrections[j]! + before;
      }
    }
    return { labels: s.labels, counts, firstTimestamps, firstValues, lastTimestamps, lastValues, resetCorrections };
  });
}

describe('rate and increase from counter windows (CounterWindowStorage)', () => {
  function summarising(input: readonly MemorySeriesInput[]): CounterWindowStorage {
    const memory = createMemoryStorage(input);
    return {
      select: (matchers, request) => memory.select(matchers, request),
      selectCounterWindows: (matchers, request) => windowsBySearch(memory.select(matchers, request), request),
    };
  }

  it('gives exactly what the same evaluation over the samples gives (property)', { timeout: 30_000 }, () => {
    // Counters on an irregular grid with restarts: each increment is a small integer, or a restart to a small value.
    const counter = fc.array(fc.tuple(fc.integer({ min: 1, max: 40_000 }), fc.integer({ min: 0, max: 50 }), fc.boolean()), { minLength: 1, maxLength: 60 }).map((steps) => {
      const timestamps: number[] = [];
      const values: number[] = [];
      let t = 0;
      let v = 0;
      for (const [dt, increment, restart] of steps) {
        t += dt;
        v = restart ? increment : v + increment;
        timestamps.push(t);
        values.push(v);
      }
      return { timestamps, values };
    });
    fc.assert(
      fc.property(
        fc.array(counter, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('rate', 'increase'),
        fc.integer({ min: 1, max: 600_000 }),
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.integer({ min: 1, max: 300_000 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom('', ' offset 1m'),
        (counters, func, windowMs, start, stepMs, steps, offset) => {
          const input = counters.map((c, i) => ({ labels: { __name__: 'c_total', i: String(i) }, ...c }));
          const query = parsePromQL(`sum by (i) (${func}(c_total[${windowMs}ms]${offset}))`);
          const request = { start, end: start + (steps - 1) * stepMs, stepMs };
          const expected = evaluate(query, createMemoryStorage(input), request);
          const actual = evaluate(query, summarising(input), request);
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('falls back to the samples when the storage declines, and counts one sample per step and series', () => {
    let declined = 0;
    const memory = createMemoryStorage(dataset);
    const declining: CounterWindowStorage = {
      select: (matchers, request) => memory.select(matchers, request),
      selectCounterWindows: () => {
        declined++;
        return undefined;
      },
    };
    expect(table(evaluate(parsePromQL('rate(req_total{job="a", code="200"}[1m])'), declining, { start: 120_000, end: 120_000, stepMs: 1000 }))).toEqual({ '{"code":"200","job":"a"}': [1] });
    expect(declined).toBe(1);
    // Three series, five steps: 15 summary entries fit in 15 samples, and not in 14.
    const windows = summarising(dataset);
    const request = { start: 60_000, end: 180_000, stepMs: 30_000 };
    expect(() => evaluate(parsePromQL('rate(req_total[1m])'), windows, request, { maxSamples: 15 })).not.toThrow();
    expect(() => evaluate(parsePromQL('rate(req_total[1m])'), windows, request, { maxSamples: 14 })).toThrow(/samples/);
    // Only rate and increase use the summaries; irate and the *_over_time functions read samples.
    let summarised = 0;
    const counting: CounterWindowStorage = {
      select: (matchers, r) => memory.select(matchers, r),
      selectCounterWindows: (matchers, r) => {
        summarised++;
        return windows.selectCounterWindows(matchers, r);
      },
    };
    evaluate(parsePromQL('irate(req_total[1m]) + max_over_time(req_total[1m])'), counting, request);
    expect(summarised).toBe(0);
    evaluate(parsePromQL('increase(req_total[1m]) + rate(req_total[1m])'), counting, request);
    expect(summarised).toBe(2);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SourceError } from '@vigil/core';
import { evaluate, type EvaluationResult } from './evaluate';
import { parsePromQL } from './parser';
import { createMemoryStorage, type MemorySeriesInput } from './storage';

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

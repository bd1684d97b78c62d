import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findBatchOpportunities, findCachingOpportunities, findWaste } from './advisors';
import { createPriceCatalogue } from './catalogue';
import { DEFAULT_PRICE_CATALOGUE } from './default-catalogue';
import { MONTH_DAYS, opportunitiesToCsv } from './opportunity';
import { priceUsageTable } from './pricing';
import { createUsageTable } from './table';
import type { UsageRecord } from './usage';

const MIN = 60_000;
const T0 = Date.parse('2025-08-01T00:00:00Z');

describe('prompt-caching advisor', () => {
  const records: UsageRecord[] = [0, 1, 2, 10, 70].map((m) => ({
    timestamp: T0 + m * MIN,
    provider: 'anthropic',
    model: 'claude-sonnet-4',
    inputTokens: 10_500,
    outputTokens: 100,
    prefixHash: 'p1',
    prefixTokens: 10_000,
  }));
  const table = createUsageTable(records);
  const { opportunities, analyses } = findCachingOpportunities(table, priceUsageTable(table, DEFAULT_PRICE_CATALOGUE), { catalogue: DEFAULT_PRICE_CATALOGUE });
  it('replays arrivals against 5-minute and 1-hour TTLs', () => {
    const a = analyses[0]!;
    expect(a.hitRate5m).toBe(2 / 5);
    expect(a.hitRate1h).toBe(4 / 5);
    expect(a.readRatio).toBeCloseTo(0.1, 12);
    expect(a.write5mRatio).toBeCloseTo(1.25, 12);
    expect(a.write1hRatio).toBeCloseTo(2, 12);
  });
  it('computes break-even hit and request rates from the provider ratios', () => {
    const a = analyses[0]!;
    expect(a.breakEvenHitRate5m).toBeCloseTo(0.25 / 1.15, 12);
    expect(a.breakEvenRequestsPerHour5m).toBeCloseTo(-Math.log(1 - 0.25 / 1.15) * 12, 9);
    expect(a.breakEvenHitRate1h).toBeCloseTo(1 / 1.9, 12);
  });
  it('prices the saving by hand: 1-hour TTL saves $0.078 in the window', () => {
    // 1h: hits 40,000 tokens × (1 - 0.1) - misses 10,000 × (2 - 1) = 26,000 input-token equivalents × $3/M
    expect(analyses[0]!.bestTtl).toBe('1h');
    expect(opportunities[0]!.monthlySavings.expected).toBeCloseTo(Math.round(0.078 * MONTH_DAYS * 1000) / 1000, 9);
    expect(opportunities[0]!.monthlySavings.low).toBeLessThanOrEqual(opportunities[0]!.monthlySavings.expected);
  });
  it('skips requests that already read from the cache and prefixes below the minimum', () => {
    const cached = createUsageTable(records.map((r) => ({ ...r, cacheReadTokens: 10_000, inputTokens: 500 })));
    expect(findCachingOpportunities(cached, priceUsageTable(cached, DEFAULT_PRICE_CATALOGUE), { catalogue: DEFAULT_PRICE_CATALOGUE }).analyses).toEqual([]);
    const short = createUsageTable(records.map((r) => ({ ...r, prefixTokens: 500 })));
    expect(findCachingOpportunities(short, priceUsageTable(short, DEFAULT_PRICE_CATALOGUE), { catalogue: DEFAULT_PRICE_CATALOGUE }).analyses).toEqual([]);
  });
  it('does not recommend caching rare prefixes that would cost more in writes', () => {
    const rare = createUsageTable([0, 400, 800].map((m) => ({ ...records[0]!, timestamp: T0 + m * MIN })));
    const r = findCachingOpportunities(rare, priceUsageTable(rare, DEFAULT_PRICE_CATALOGUE), { catalogue: DEFAULT_PRICE_CATALOGUE });
    expect(r.analyses[0]!.hitRate1h).toBe(0);
    expect(r.opportunities).toEqual([]);
  });
});

describe('batch eligibility', () => {
  it('re-prices tagged, non-streamed traffic at the batch discount', () => {
    const records: UsageRecord[] = [
      ...Array.from({ length: 10 }, (_, k) => ({ timestamp: T0 + k * 60 * MIN, provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 0, feature: 'nightly', tags: { kind: 'eval' }, streaming: false })),
      ...Array.from({ length: 10 }, (_, k) => ({ timestamp: T0 + k * 60 * MIN, provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 0, feature: 'chat', streaming: true })),
    ];
    const table = createUsageTable(records);
    const result = findBatchOpportunities(table, priceUsageTable(table, DEFAULT_PRICE_CATALOGUE), { catalogue: DEFAULT_PRICE_CATALOGUE });
    expect(result).toHaveLength(1);
    expect(result[0]!.scope.feature).toBe('nightly');
    // 10 × $0.15 × 50% = $0.75 in a window of 9 hours (counted as one day)
    expect(result[0]!.monthlySavings.low).toBeCloseTo(0.75 * MONTH_DAYS, 2);
    expect(result[0]!.monthlySavings.high).toBeCloseTo(0.75 * MONTH_DAYS, 2);
  });
  it('counts bursty non-streamed traffic only as the high end', () => {
    const records: UsageRecord[] = Array.from({ length: 50 }, (_, k) => ({ timestamp: T0 + k * 200, provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 0, feature: 'import', streaming: false }));
    const table = createUsageTable(records);
    const [o] = findBatchOpportunities(table, priceUsageTable(table, DEFAULT_PRICE_CATALOGUE), { catalogue: DEFAULT_PRICE_CATALOGUE });
    expect(o!.monthlySavings.low).toBe(0);
    expect(o!.monthlySavings.high).toBeCloseTo(50 * 0.075 * MONTH_DAYS, 2);
    expect(o!.confidence).toBe('low');
  });
});

describe('waste', () => {
  const catalogue = createPriceCatalogue({ entries: [{ model: 'm', input: 1, output: 10 }] });
  const base = { provider: 'openai', model: 'm', inputTokens: 1_000_000, outputTokens: 100_000 } as const;
  it('prices failed, retried and duplicate calls', () => {
    const records: UsageRecord[] = [
      { ...base, timestamp: T0, requestHash: 'a', status: 'error' }, // failed then retried
      { ...base, timestamp: T0 + MIN, requestHash: 'a' },
      { ...base, timestamp: T0 + 2 * MIN, requestHash: 'a' }, // duplicate within 5 min of a success
      { ...base, timestamp: T0 + 30 * MIN, requestHash: 'a' }, // duplicate within the hour
      { ...base, timestamp: T0 + 200 * MIN, requestHash: 'a' }, // too late: not a duplicate
      { ...base, timestamp: T0 + 300 * MIN, requestHash: 'b', status: 'error' }, // failed, never retried
    ];
    const table = createUsageTable(records);
    const waste = findWaste(table, priceUsageTable(table, catalogue));
    const failed = waste.find((o) => o.kind === 'failed-calls')!;
    // each call costs $1 + $1 = $2
    expect(failed.monthlySavings.low).toBeCloseTo(2 * MONTH_DAYS, 6);
    expect(failed.monthlySavings.high).toBeCloseTo(4 * MONTH_DAYS, 6);
    const duplicates = waste.find((o) => o.kind === 'duplicate-requests')!;
    expect(duplicates.monthlySavings.low).toBeCloseTo(2 * MONTH_DAYS, 6);
    expect(duplicates.monthlySavings.high).toBeCloseTo(4 * MONTH_DAYS, 6);
  });
  it('prices runaway output beyond twice the median', () => {
    const records: UsageRecord[] = Array.from({ length: 9 }, (_, k) => ({ ...base, timestamp: T0 + k, inputTokens: 0, outputTokens: 1000, feature: 'f' }));
    records.push({ ...base, timestamp: T0 + 100, inputTokens: 0, outputTokens: 101_000, feature: 'f', finishReason: 'length' });
    const table = createUsageTable(records);
    const runaway = findWaste(table, priceUsageTable(table, catalogue)).find((o) => o.kind === 'runaway-outputs')!;
    // excess = 101,000 - 2 × 1,000 = 99,000 tokens × $10/M = $0.99
    expect(runaway.monthlySavings.high).toBeCloseTo(Math.round(0.99 * MONTH_DAYS * 1000) / 1000, 9);
    expect(runaway.monthlySavings.low).toBe(runaway.monthlySavings.high);
  });
  it('prices growing conversation context above 2× and 4× the first turn', () => {
    const inputs = [1000, 2000, 3000, 4000, 5000, 6000];
    const records: UsageRecord[] = inputs.map((input, k) => ({ ...base, timestamp: T0 + k * MIN, inputTokens: input, outputTokens: 0, conversation: 'c' }));
    const table = createUsageTable(records);
    const growing = findWaste(table, priceUsageTable(table, catalogue)).find((o) => o.kind === 'growing-contexts')!;
    // above 2,000: 0+0+1000+2000+3000+4000 = 10,000 tokens × $1/M; above 4,000: 1000+2000 = 3,000
    expect(growing.monthlySavings.high).toBeCloseTo(Math.round(0.01 * MONTH_DAYS * 1000) / 1000, 9);
    expect(growing.monthlySavings.low).toBeCloseTo(Math.round(0.003 * MONTH_DAYS * 1000) / 1000, 9);
  });
  it('exports opportunities as CSV with formula injection neutralised', () => {
    const table = createUsageTable([{ ...base, timestamp: T0, status: 'error', feature: '=cmd|calc' }]);
    const waste = findWaste(table, priceUsageTable(table, catalogue));
    const csv = opportunitiesToCsv([{ ...waste[0]!, title: '=HYPERLINK("http://evil")', scope: { feature: '@SUM(A1)' } }]);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv.split('\n')[1]).toContain('feature=@SUM(A1)');
    expect(csv.split('\n')[1]!.split(',').every((cell) => !/^[=+@-]/.test(cell))).toBe(true);
  });
});

describe('advisors do not depend on the order of the records', () => {
  // Distinct timestamps (so "first" and "previous" are well defined), whole milliseconds (radix time order) or
  // fractional ones (comparison sort), or spanning more than 2^32 ms (comparison sort as well).
  const recordArb = (fractional: boolean, wide: boolean) =>
    fc
      .uniqueArray(fc.integer({ min: 0, max: wide ? 2 ** 33 : 3 * 3_600_000 }), { minLength: 1, maxLength: 80 })
      .chain((times) =>
        fc.tuple(
          ...times.map((t) =>
            fc.record({
              timestamp: fc.constant(T0 + t + (fractional ? 0.5 : 0)),
              model: fc.constantFrom('claude-sonnet-4', 'gpt-4o', 'gpt-4o-mini', 'mystery'),
              request: fc.option(fc.constantFrom('r1', 'r2', 'r3'), { nil: undefined }),
              conversation: fc.option(fc.constantFrom('c1', 'c2'), { nil: undefined }),
              prefix: fc.option(fc.constantFrom('p1', 'p2'), { nil: undefined }),
              finish: fc.constantFrom('stop', 'LENGTH'),
              kind: fc.option(fc.constantFrom('job', 'chat'), { nil: undefined }),
              input: fc.integer({ min: 1200, max: 40_000 }),
              output: fc.integer({ min: 1, max: 4000 }),
              failed: fc.boolean(),
              streaming: fc.option(fc.boolean(), { nil: undefined }),
            }),
          ),
        ),
      )
      .map((rows) =>
        rows.map(
          (r): UsageRecord => ({
            timestamp: r.timestamp,
            provider: r.model.startsWith('claude') ? 'anthropic' : 'openai',
            model: r.model,
            inputTokens: r.input,
            outputTokens: r.output,
            status: r.failed ? 'error' : 'ok',
            finishReason: r.finish,
            feature: r.kind === 'job' ? 'nightly' : 'chat',
            prefixTokens: 1100,
            ...(r.request !== undefined ? { requestHash: r.request } : {}),
            ...(r.conversation !== undefined ? { conversation: r.conversation } : {}),
            ...(r.prefix !== undefined ? { prefixHash: r.prefix } : {}),
            ...(r.kind !== undefined ? { tags: { kind: r.kind } } : {}),
            ...(r.streaming !== undefined ? { streaming: r.streaming } : {}),
          }),
        ),
      );
  const summary = (records: UsageRecord[]) => {
    const table = createUsageTable(records);
    const priced = priceUsageTable(table, DEFAULT_PRICE_CATALOGUE);
    const all = [
      ...findWaste(table, priced, { minimumTurns: 2, growthFactor: 1.5 }),
      ...findCachingOpportunities(table, priced, { catalogue: DEFAULT_PRICE_CATALOGUE }).opportunities,
      ...findBatchOpportunities(table, priced, { catalogue: DEFAULT_PRICE_CATALOGUE, burstGapMs: 60_000 }),
    ];
    return all.map((o) => [o.id, o.monthlySavings.low, o.monthlySavings.expected, o.monthlySavings.high] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  };
  const same = (a: ReturnType<typeof summary>, b: ReturnType<typeof summary>) =>
    a.length === b.length && a.every((x, k) => x[0] === b[k]![0] && [1, 2, 3].every((j) => Math.abs((x[j] as number) - (b[k]![j] as number)) <= 1e-9 * Math.max(1, Math.abs(x[j] as number)) + 0.0011));
  for (const [name, fractional, wide] of [['whole milliseconds', false, false], ['fractional milliseconds', true, false], ['a span above 2^32 ms', false, true]] as const) {
    it(`shuffling the records changes nothing (${name})`, () => {
      fc.assert(
        fc.property(recordArb(fractional, wide), fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })), (records, keys) => {
          const shuffled = records.map((r) => ({ r, k: keys.next().value as number })).sort((x, y) => x.k - y.k).map((x) => x.r);
          const sorted = [...records].sort((x, y) => x.timestamp - y.timestamp);
          const base = summary(sorted);
          return same(base, summary(shuffled)) && same(base, summary(records));
        }),
        { numRuns: 60 },
      );
    });
  }
});

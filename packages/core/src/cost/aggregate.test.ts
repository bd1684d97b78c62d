import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { aggregateUsage } from './aggregate';
import type { UsageDimension } from './aggregate';
import { createPriceCatalogue } from './catalogue';
import { priceUsage, priceUsageTable } from './pricing';
import { createUsageTable } from './table';
import type { UsageRecord } from './usage';

const catalogue = createPriceCatalogue({
  entries: [
    { provider: 'openai', model: 'big', input: 5, output: 15, cacheRead: 0.5, contextWindow: 10_000 },
    { provider: 'openai', model: 'small', input: 0.5, output: 1.5, cacheRead: 0.05 },
    { provider: 'anthropic', model: 'claude', input: 3, output: 15, cacheRead: 0.3, cacheWrite5m: 3.75, contextWindow: 20_000 },
  ],
});

const DAY = 86_400_000;

function r7(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

/** The obvious object-per-record implementation, as an oracle. */
function bruteForce(records: UsageRecord[], by: UsageDimension[], interval: number | undefined) {
  const groups = new Map<string, UsageRecord[]>();
  for (const r of records) {
    const key = by.map((d) => {
      const v = d.startsWith('tag:') ? r.tags?.[d.slice(4)] : (r as unknown as Record<string, string | undefined>)[d];
      return v === undefined ? '∅' : v;
    });
    if (interval !== undefined) key.push(String(Math.floor(r.timestamp / interval) * interval));
    const k = JSON.stringify(key);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const out = new Map<string, { requests: number; successes: number; spend: number; priced: number; pricedSuccesses: number; tokens: number; input: number; output: number; p95: number; quality: number; utilisation: number }>();
  for (const [k, rs] of groups) {
    let spend = 0;
    let priced = 0;
    let pricedSuccesses = 0;
    let pricedTokens = 0;
    let input = 0;
    let output = 0;
    const latencies: number[] = [];
    const qualities: number[] = [];
    const utilisations: number[] = [];
    for (const r of rs) {
      const q = priceUsage(r, catalogue);
      const inTokens = r.provider === 'anthropic' ? r.inputTokens + (r.cacheReadTokens ?? 0) + (r.cacheCreationTokens ?? 0) : r.inputTokens;
      input += inTokens;
      output += r.outputTokens;
      if (q.status === 'priced') {
        spend += q.cost;
        priced++;
        pricedTokens += inTokens + r.outputTokens;
        if (r.status !== 'error') pricedSuccesses++;
        const window = r.model === 'big' ? 10_000 : r.model === 'claude' ? 20_000 : undefined;
        if (window !== undefined) utilisations.push(inTokens / window);
      }
      if (r.latencyMs !== undefined) latencies.push(r.latencyMs);
      if (r.quality !== undefined) qualities.push(r.quality);
    }
    out.set(k, {
      requests: rs.length,
      successes: rs.filter((r) => r.status !== 'error').length,
      spend,
      priced,
      pricedSuccesses,
      tokens: pricedTokens,
      input,
      output,
      p95: latencies.length ? r7(latencies, 0.95) : NaN,
      quality: qualities.length ? qualities.reduce((a, b) => a + b, 0) / qualities.length : NaN,
      utilisation: utilisations.length ? utilisations.reduce((a, b) => a + b, 0) / utilisations.length : NaN,
    });
  }
  return out;
}

const recordArb: fc.Arbitrary<UsageRecord> = fc
  .record({
    timestamp: fc.integer({ min: 0, max: 5 * DAY }),
    model: fc.constantFrom('big', 'small', 'claude', 'mystery'),
    feature: fc.option(fc.constantFrom('search', 'chat', 'summarise'), { nil: undefined }),
    user: fc.option(fc.constantFrom('u1', 'u2'), { nil: undefined }),
    team: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
    fresh: fc.nat(5000),
    read: fc.nat(3000),
    output: fc.nat(2000),
    latency: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
    failed: fc.boolean(),
    quality: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  })
  .map((r) => {
    const provider = r.model === 'claude' ? 'anthropic' : 'openai';
    return {
      timestamp: r.timestamp,
      provider,
      model: r.model,
      inputTokens: provider === 'anthropic' ? r.fresh : r.fresh + r.read,
      cacheReadTokens: r.read,
      outputTokens: r.output,
      status: r.failed ? 'error' : 'ok',
      ...(r.feature !== undefined ? { feature: r.feature } : {}),
      ...(r.user !== undefined ? { user: r.user } : {}),
      ...(r.team !== undefined ? { tags: { team: r.team } } : {}),
      ...(r.latency !== undefined ? { latencyMs: r.latency } : {}),
      ...(r.quality !== undefined ? { quality: r.quality } : {}),
    } satisfies UsageRecord;
  });

const close = (a: number, b: number) => (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe('aggregateUsage', () => {
  it('equals the object-per-record brute force for any grouping (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(recordArb, { maxLength: 120 }),
        fc.subarray<UsageDimension>(['provider', 'model', 'feature', 'user', 'tag:team']),
        fc.option(fc.constantFrom(DAY, DAY / 4), { nil: undefined }),
        (records, by, interval) => {
          const table = createUsageTable(records);
          const result = aggregateUsage(table, priceUsageTable(table, catalogue), { by, ...(interval !== undefined ? { interval } : {}) });
          const oracle = bruteForce(records, by, interval);
          if (result.rows.length !== oracle.size) return false;
          for (const row of result.rows) {
            const key = by.map((d) => row.key[d] ?? '∅');
            if (interval !== undefined) key.push(String(row.bucketStart));
            const o = oracle.get(JSON.stringify(key));
            if (!o) return false;
            const ok =
              row.requests === o.requests &&
              row.successes === o.successes &&
              row.pricedRequests === o.priced &&
              row.unpricedRequests === o.requests - o.priced &&
              close(row.spend, o.spend) &&
              close(row.inputTokens, o.input) &&
              close(row.outputTokens, o.output) &&
              close(row.latencyP95, o.p95) &&
              close(row.quality, o.quality) &&
              close(row.contextUtilisation, o.utilisation) &&
              close(row.costPer1kTokens, o.tokens > 0 ? (o.spend / o.tokens) * 1000 : NaN) &&
              close(row.costPerSuccessfulRequest, o.pricedSuccesses > 0 ? o.spend / o.pricedSuccesses : NaN) &&
              close(row.successRate, o.successes / o.requests);
            if (!ok) return false;
          }
          const totalSpend = result.rows.reduce((s, r) => s + r.spend, 0);
          return close(result.total.spend, totalSpend) && result.total.requests === records.length;
        },
      ),
      { numRuns: 150 },
    );
  });
  it('equals the brute force with a range, a mask, an origin and a sparse key space; NaN only where documented', () => {
    fc.assert(
      fc.property(
        fc.array(recordArb, { maxLength: 150 }),
        fc.subarray<UsageDimension>(['model', 'feature', 'user']),
        // 1 ms buckets over 5 days make ~4·10^8 keys per combination: the Map path; a day and 6 h the dense one.
        fc.constantFrom(DAY, DAY / 4, 1),
        fc.integer({ min: -DAY, max: DAY }),
        fc.integer({ min: 0, max: 5 * DAY }),
        fc.integer({ min: 0, max: 5 * DAY }),
        fc.infiniteStream(fc.boolean()),
        (records, by, interval, origin, a, b, keep) => {
          const range = { start: Math.min(a, b), end: Math.max(a, b) + 1 };
          const mask = Uint8Array.from(records, () => (keep.next().value ? 1 : 0));
          const table = createUsageTable(records);
          const result = aggregateUsage(table, priceUsageTable(table, catalogue), { by, interval, origin, range, mask });
          const kept = records.filter((r, i) => mask[i] === 1 && r.timestamp >= range.start && r.timestamp < range.end);
          const shifted = kept.map((r) => ({ ...r, timestamp: r.timestamp - origin }));
          const oracle = bruteForce(shifted, by, interval);
          if (result.rows.length !== oracle.size || result.total.requests !== kept.length) return false;
          for (const row of result.rows) {
            const key = by.map((d) => row.key[d] ?? '∅');
            key.push(String(row.bucketStart! - origin));
            const o = oracle.get(JSON.stringify(key));
            if (!o || row.requests !== o.requests || row.pricedRequests !== o.priced || !close(row.spend, o.spend) || !close(row.latencyP95, o.p95) || !close(row.quality, o.quality)) return false;
            // NaN-free: a metric is NaN only when its documented denominator is zero.
            const nanOnlyWhen: [number, boolean][] = [
              [row.spend, false],
              [row.inputTokens, false],
              [row.successRate, row.requests === 0],
              [row.costPer1kTokens, o.tokens === 0],
              [row.costPerSuccessfulRequest, o.pricedSuccesses === 0],
              [row.latencyP50, Number.isNaN(o.p95)],
              [row.latencyP99, Number.isNaN(o.p95)],
              [row.tokenEfficiency, row.inputTokens === 0],
              [row.cacheHitRate, row.inputTokens === 0],
              [row.quality, row.qualitySamples === 0],
              [row.contextUtilisation, Number.isNaN(o.utilisation)],
            ];
            if (nanOnlyWhen.some(([v, allowed]) => (Number.isNaN(v) ? !allowed : !Number.isFinite(v) || allowed))) return false;
          }
          const all = kept.flatMap((r) => (r.latencyMs === undefined ? [] : [r.latencyMs]));
          return close(result.total.latencyP95, all.length ? r7(all, 0.95) : NaN);
        },
      ),
      { numRuns: 150 },
    );
  });
  it('computes a hand-checked example', () => {
    const table = createUsageTable([
      { timestamp: 0, provider: 'openai', model: 'big', inputTokens: 1000, outputTokens: 100, latencyMs: 100, feature: 'f', quality: 1 },
      { timestamp: 10, provider: 'openai', model: 'big', inputTokens: 3000, outputTokens: 300, latencyMs: 300, feature: 'f', status: 'error', quality: 0 },
      { timestamp: 20, provider: 'openai', model: 'nope', inputTokens: 10, outputTokens: 10, feature: 'f' },
    ]);
    const result = aggregateUsage(table, priceUsageTable(table, catalogue), { by: ['feature'] });
    const row = result.rows[0]!;
    // spend = (4000 × 5 + 400 × 15) / 1e6 = 0.026; one successful priced call
    expect(row.spend).toBeCloseTo(0.026, 12);
    expect(row.costPerSuccessfulRequest).toBeCloseTo(0.026, 12);
    expect(row.costPer1kTokens).toBeCloseTo((0.026 / 4400) * 1000, 12);
    expect(row.unpricedRequests).toBe(1);
    expect(row.successRate).toBeCloseTo(2 / 3, 12);
    expect(row.latencyP50).toBe(200);
    expect(row.tokenEfficiency).toBeCloseTo(410 / 4010, 12);
    expect(row.contextUtilisation).toBeCloseTo((0.1 + 0.3) / 2, 12);
    expect(row.quality).toBe(0.5);
  });
  it('validates its options', () => {
    const table = createUsageTable([]);
    const priced = priceUsageTable(table, catalogue);
    expect(() => aggregateUsage(table, priced, { by: ['colour' as UsageDimension] })).toThrow(/options.by\[0\]/);
    expect(() => aggregateUsage(table, priced, { by: [], interval: 0 })).toThrow(/options.interval/);
    expect(aggregateUsage(table, priced, { by: [] }).rows).toEqual([]);
  });
});

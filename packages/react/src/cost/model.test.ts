import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '@vigil/core';
import { attributionTree, heatLevel, paretoFront } from './model';
import { formatUsd, spendText } from './format';
import { storyCost } from './story-data';

/** Brute force: i is on the front when no j dominates it. */
function bruteFront(points: { cost: number; performance: number }[], better: 'lower' | 'higher'): number[] {
  const s = better === 'lower' ? 1 : -1;
  const ok = (p: { cost: number; performance: number }) => Number.isFinite(p.cost) && Number.isFinite(p.performance);
  return points
    .map((p, i) => ({ p, i }))
    .filter(({ p, i }) => ok(p) && !points.some((q, j) => j !== i && ok(q) && q.cost <= p.cost && s * q.performance <= s * p.performance && (q.cost < p.cost || s * q.performance < s * p.performance)))
    .map(({ i }) => i);
}

describe('paretoFront', () => {
  it('matches a brute-force dominance check (property, with ties and non-finite values)', () => {
    const value = fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constant(Number.NaN), fc.double({ min: 0, max: 10, noNaN: true }));
    fc.assert(
      fc.property(fc.array(fc.record({ cost: value, performance: value }), { maxLength: 30 }), fc.constantFrom('lower' as const, 'higher' as const), (points, better) => {
        expect(paretoFront(points, better)).toEqual(bruteFront(points, better));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects bad input', () => {
    expect(() => paretoFront(null as never, 'lower')).toThrow(ValidationError);
    expect(() => paretoFront([], 'up' as never)).toThrow(ValidationError);
  });
});

describe('heatLevel', () => {
  it('maps best to 0 and worst to 1 by direction, undefined when it cannot say', () => {
    expect(heatLevel(2, 2, 10, 'lower')).toBe(0);
    expect(heatLevel(10, 2, 10, 'lower')).toBe(1);
    expect(heatLevel(10, 2, 10, 'higher')).toBe(0);
    expect(heatLevel(4, 2, 10, 'higher')).toBeCloseTo(0.75);
    expect(heatLevel(4, 4, 4, 'lower')).toBeUndefined();
    expect(heatLevel(Number.NaN, 0, 1, 'lower')).toBeUndefined();
    expect(heatLevel(1, 0, 2, 'neutral')).toBeUndefined();
  });
});

describe('attributionTree', () => {
  const rows = storyCost().byModelFeature;
  it('sums spend and requests per node exactly as a brute-force group-by', () => {
    const root = attributionTree(rows, ['provider', 'model', 'feature']);
    const finite = (x: number) => (Number.isFinite(x) ? x : 0);
    expect(root.spend).toBeCloseTo(rows.reduce((s, r) => s + finite(r.spend), 0), 9);
    expect(root.requests).toBe(rows.reduce((s, r) => s + r.requests, 0));
    for (const provider of root.children) {
      const mine = rows.filter((r) => r.key['provider'] === provider.name);
      expect(provider.spend).toBeCloseTo(mine.reduce((s, r) => s + finite(r.spend), 0), 9);
      expect(provider.unpricedRequests).toBe(mine.reduce((s, r) => s + r.unpricedRequests, 0));
      for (const model of provider.children) expect(model.requests).toBe(mine.filter((r) => r.key['model'] === model.name).reduce((s, r) => s + r.requests, 0));
    }
    // Largest first.
    const spends = root.children.map((c) => c.spend);
    expect(spends).toEqual([...spends].sort((a, b) => b - a));
  });

  it('merges the long tail beyond maxChildren into one leaf, keeping the totals', () => {
    const root = attributionTree(rows, ['model'], 3);
    const all = attributionTree(rows, ['model']);
    expect(root.children).toHaveLength(3);
    expect(root.children[2]!.name).toBe(`${all.children.length - 2} others`);
    expect(root.children.reduce((s, c) => s + c.requests, 0)).toBe(all.requests);
    expect(root.children.slice(0, 2).map((c) => c.name)).toEqual(all.children.slice(0, 2).map((c) => c.name));
    expect(() => attributionTree(rows, ['model'], 1)).toThrow(ValidationError);
  });

  it('groups a missing level value as (none) and rejects bad input', () => {
    const root = attributionTree([{ ...rows[0]!, key: { provider: 'x' } }], ['provider', 'feature']);
    expect(root.children[0]!.children[0]!.name).toBe('(none)');
    expect(() => attributionTree(rows, [])).toThrow(ValidationError);
    expect(() => attributionTree([null as never], ['provider'])).toThrow(/rows\[0\]/);
  });
});

describe('format', () => {
  it('never shows an unpriced row as $0', () => {
    expect(spendText({ spend: 0, pricedRequests: 0, unpricedRequests: 5 })).toBe('Unpriced');
    expect(spendText({ spend: 12.3, pricedRequests: 10, unpricedRequests: 5 })).toBe('$12.30 + 5 unpriced');
    expect(formatUsd(Number.NaN)).toBe('—');
    expect(formatUsd(0.00042)).toBe('$0.00042');
    expect(formatUsd(12_345)).toBe('$12.3k');
  });
});

import { describe, expect, it } from 'vitest';
import { generateLabelledCorpus, SeededRandom } from './corpus';
import { nabWindows, probationaryLength } from './scoring';
import { ValidationError } from '../errors';

describe('labelled corpus', () => {
  const corpus = generateLabelledCorpus({ seed: 3 });
  it('is deterministic for a seed and differs between seeds', () => {
    const again = generateLabelledCorpus({ seed: 3 });
    expect(again.map((f) => Array.from(f.values.slice(0, 50)))).toEqual(corpus.map((f) => Array.from(f.values.slice(0, 50))));
    const other = generateLabelledCorpus({ seed: 4 });
    expect(other[0]!.values[10]).not.toBe(corpus[0]!.values[10]);
  });
  it('covers every anomaly kind and the anomaly-free nuisance files', () => {
    const kinds = new Set(corpus.flatMap((f) => f.anomalies.map((a) => a.kind)));
    expect([...kinds].sort()).toEqual(['dip', 'frequency-change', 'level-shift', 'seasonality-break', 'spike', 'trend-change', 'variance-change']);
    const nuisances = new Set(corpus.flatMap((f) => f.nuisances));
    expect([...nuisances].sort()).toEqual(['gaps', 'heavy-noise', 'irregular-timestamps', 'missing-data', 'slow-drift']);
    expect(corpus.filter((f) => f.anomalies.length === 0).length).toBeGreaterThanOrEqual(5);
  });
  it('labels every anomaly with a NAB window after the probationary period', () => {
    for (const f of corpus) {
      const n = f.values.length;
      expect(f.windows).toEqual(nabWindows(n, f.anomalies.map((a) => a.index)));
      expect(f.windows).toHaveLength(f.anomalies.length);
      for (const [start] of f.windows) expect(start).toBeGreaterThanOrEqual(probationaryLength(n));
      let ascending = true;
      for (let i = 1; i < n; i++) if (!(f.timestamps[i]! > f.timestamps[i - 1]!)) ascending = false;
      expect(ascending).toBe(true);
      expect(f.values.every((v) => Number.isNaN(v) || Number.isFinite(v))).toBe(true);
    }
    expect(corpus.some((f) => f.values.some((v) => Number.isNaN(v)))).toBe(true);
  });
  it('injects what it says: a level shift moves the mean after the onset', () => {
    const f = corpus.find((c) => c.base === 'flat' && c.anomalies[0]?.kind === 'level-shift')!;
    const at = f.anomalies[0]!.index;
    const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
    const before = mean(f.values.slice(at - 200, at));
    const after = mean(f.values.slice(at + 1, at + 201));
    const sd = Math.sqrt(f.values.slice(at - 200, at).reduce((s, v) => s + (v - before) ** 2, 0) / 200);
    expect(Math.abs(after - before)).toBeGreaterThan(2 * sd);
  });
  it('validates options and draws reproducible numbers', () => {
    expect(() => generateLabelledCorpus({ length: 10 })).toThrow(ValidationError);
    const a = new SeededRandom(9);
    const b = new SeededRandom(9);
    expect([a.next(), a.normal(), a.poisson(3)]).toEqual([b.next(), b.normal(), b.poisson(3)]);
  });
});

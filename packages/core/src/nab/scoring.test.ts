import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NAB_PROFILES, nabRowScores, nabScore, nabThresholdSweep, nabWindows, probationaryLength, scaledSigmoid } from './scoring';
import { ValidationError } from '../errors';

/** The scaled sigmoid written out independently: 2·sigmoid(-5x) - 1, and -1 from 3 on. */
const S = (x: number) => (x >= 3 ? -1 : 2 / (1 + Math.exp(5 * x)) - 1);
const standard = NAB_PROFILES.standard;

describe('NAB building blocks', () => {
  it('profiles carry the published weights', () => {
    expect(NAB_PROFILES.standard).toEqual({ tpWeight: 1, fpWeight: 0.11, fnWeight: 1 });
    expect(NAB_PROFILES.reward_low_FP_rate).toEqual({ tpWeight: 1, fpWeight: 0.22, fnWeight: 1 });
    expect(NAB_PROFILES.reward_low_FN_rate).toEqual({ tpWeight: 1, fpWeight: 0.11, fnWeight: 2 });
  });
  it('scaled sigmoid at its documented points', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661, 5);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.84828, 5);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(1)).toBeCloseTo(-0.98661, 5);
    expect(scaledSigmoid(3)).toBe(-1);
    expect(scaledSigmoid(2.999)).toBeGreaterThan(-1);
  });
  it('probationary period: first 15% of the rows, at most 750', () => {
    expect(probationaryLength(20)).toBe(3);
    expect(probationaryLength(1000)).toBe(150);
    expect(probationaryLength(4999)).toBe(749);
    expect(probationaryLength(5000)).toBe(750);
    expect(probationaryLength(100_000)).toBe(750);
  });
  it('windows: 10% of the file shared by its anomalies, centred, merged, none in probation', () => {
    expect(nabWindows(1000, [500])).toEqual([[450, 550]]);
    expect(nabWindows(1000, [300, 700])).toEqual([
      [275, 325],
      [675, 725],
    ]);
    expect(nabWindows(1000, [500, 520])).toEqual([[475, 545]]);
    expect(nabWindows(1000, [100])).toEqual([]); // starts inside the probationary period (150 rows)
    expect(nabWindows(1000, [995])).toEqual([[945, 999]]); // clipped to the file
    expect(() => nabWindows(1000, [500, 400])).toThrow(ValidationError);
    expect(() => nabWindows(1000, [1000])).toThrow(ValidationError);
  });
});

describe('row scores (hand-computed, 20 rows, window [10, 13])', () => {
  const rows = nabRowScores({ scores: new Float64Array(20), windows: [[10, 13]] }, standard);
  it('inside the window: tpWeight·S(-(end - i + 1)/width)/S(-1)', () => {
    expect(rows.sweepScores[10]).toBeCloseTo(1, 14);
    expect(rows.sweepScores[11]).toBeCloseTo(S(-0.75) / S(-1), 14);
    expect(rows.sweepScores[12]).toBeCloseTo(S(-0.5) / S(-1), 14);
    expect(rows.sweepScores[13]).toBeCloseTo(S(-0.25) / S(-1), 14);
  });
  it('before the first window: -fpWeight; after it: fpWeight·S(distance/(width - 1))', () => {
    expect(rows.sweepScores[5]).toBeCloseTo(-0.11, 14);
    expect(rows.sweepScores[14]).toBeCloseTo(0.11 * S(1 / 3), 14);
    expect(rows.sweepScores[19]).toBeCloseTo(0.11 * S(2), 14);
  });
  it('marks the probationary rows and the window', () => {
    expect(Array.from(rows.windowIds.slice(0, 4))).toEqual([-2, -2, -2, -1]);
    expect(Array.from(rows.windowIds.slice(9, 15))).toEqual([-1, 0, 0, 0, 0, -1]);
  });
});

describe('threshold sweep and normalisation (hand-computed)', () => {
  // One detection, at row 11 (second row of the window); every other row scores 0.
  const scores = new Float64Array(20);
  scores[11] = 1;
  const file = { scores, windows: [[10, 13]] as const };
  const fpAfter = [1, 2, 3, 4, 5, 6].reduce((s, d) => s + 0.11 * S(d / 3), 0); // rows 14..19
  const fpBefore = 7 * -0.11; // rows 3..9
  it('sweeps every distinct score from the top', () => {
    const sweep = nabThresholdSweep([file], standard);
    expect(sweep).toHaveLength(3);
    expect(sweep[0]).toMatchObject({ threshold: Infinity, score: -1, tp: 0, fp: 0, fn: 4, tn: 13 });
    expect(sweep[1]!.threshold).toBe(1);
    expect(sweep[1]!.score).toBeCloseTo(S(-0.75) / S(-1), 14);
    expect(sweep[1]).toMatchObject({ tp: 1, fp: 0, fn: 3, tn: 13 });
    // At 0 every scorable row is a detection: the window keeps its best (row 10, worth 1), all others are FPs.
    expect(sweep[2]!.threshold).toBe(0);
    expect(sweep[2]!.score).toBeCloseTo(1 + fpBefore + fpAfter, 14);
    expect(sweep[2]).toMatchObject({ tp: 4, fp: 13, fn: 0, tn: 0 });
  });
  it('normalises against the null and perfect detectors', () => {
    const result = nabScore([file]).standard;
    const raw = S(-0.75) / S(-1);
    // The null detector (constant 0.5) does best by flagging everything here: 1 + FPs beats -1.
    const nullScore = Math.max(-1, 1 + fpBefore + fpAfter);
    expect(result.threshold).toBe(1);
    expect(result.rawScore).toBeCloseTo(raw, 14);
    expect(result.nullScore).toBeCloseTo(nullScore, 14);
    expect(result.perfectScore).toBeCloseTo(1, 14);
    expect(result.normalizedScore).toBeCloseTo((100 * (raw - nullScore)) / (1 - nullScore), 10);
    expect(result.windowsDetected).toBe(1);
  });
  it('ignores detections in the probationary period', () => {
    const s = Float64Array.from(scores);
    s[1] = 5; // probationary: no FP
    const sweep = nabThresholdSweep([{ scores: s, windows: file.windows }], standard);
    expect(sweep[1]!.threshold).toBe(1);
    expect(sweep[1]!.score).toBeCloseTo(S(-0.75) / S(-1), 14);
  });
  it('a false positive before the window costs fpWeight; profiles weigh it differently', () => {
    const s = Float64Array.from(scores);
    s[5] = 1;
    const r = nabScore([{ scores: s, windows: file.windows }]);
    expect(r.standard.rawScore).toBeCloseTo(S(-0.75) / S(-1) - 0.11, 14);
    expect(r.reward_low_FP_rate.rawScore).toBeCloseTo(S(-0.75) / S(-1) - 0.22, 14);
    // Missing the window would cost 2 under reward_low_FN_rate, so detecting at 1 is still best.
    expect(r.reward_low_FN_rate.rawScore).toBeCloseTo(S(-0.75) / S(-1) - 0.11, 14);
  });
  it('corpus-wide sweep: one threshold for all files, windows counted per file', () => {
    const other = new Float64Array(20);
    other[12] = 0.7;
    other[16] = 0.9; // FP after the window, detected before the TP at 0.7
    const sweep = nabThresholdSweep([file, { scores: other, windows: [[10, 13]] }], standard);
    expect(sweep.map((s) => s.threshold)).toEqual([Infinity, 1, 0.9, 0.7, 0]);
    expect(sweep[0]!.score).toBe(-2);
    expect(sweep[3]!.score).toBeCloseTo(S(-0.75) / S(-1) + S(-0.5) / S(-1) + 0.11 * S(1), 14);
  });
});

describe('NAB invariants', () => {
  const fileArb = fc.integer({ min: 40, max: 200 }).chain((n) =>
    fc.record({
      scores: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }).map((a) => Float64Array.from(a)),
      anomalies: fc.uniqueArray(fc.integer({ min: Math.ceil(0.2 * n), max: n - 1 }), { minLength: 1, maxLength: 3 }).map((a) => a.sort((x, y) => x - y)),
    }),
  );
  it('perfect detector scores 100, null 0, anything at most 100', () => {
    fc.assert(
      fc.property(fc.array(fileArb, { minLength: 1, maxLength: 3 }), (specs) => {
        const files = specs.map((f) => ({ scores: f.scores, windows: nabWindows(f.scores.length, f.anomalies) }));
        if (files.every((f) => f.windows.length === 0)) return;
        const perfect = files.map((f) => {
          const s = new Float64Array(f.scores.length);
          for (const [start] of f.windows) s[start] = 1;
          return { scores: s, windows: f.windows };
        });
        const nullFiles = files.map((f) => ({ scores: new Float64Array(f.scores.length).fill(0.5), windows: f.windows }));
        for (const profile of ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'] as const) {
          expect(nabScore(perfect)[profile].normalizedScore).toBeCloseTo(100, 9);
          expect(nabScore(nullFiles)[profile].normalizedScore).toBeCloseTo(0, 9);
          expect(nabScore(files)[profile].normalizedScore).toBeLessThanOrEqual(100 + 1e-9);
        }
        // Counts always add up to the scorable rows.
        for (const s of nabThresholdSweep(files, standard)) {
          const scorable = files.reduce((t, f) => t + f.scores.length - probationaryLength(f.scores.length), 0);
          expect(s.tp + s.tn + s.fp + s.fn).toBe(scorable);
        }
      }),
      { numRuns: 60 },
    );
  });
  it('rejects malformed input', () => {
    expect(() => nabScore([{ scores: [0, NaN, 0], windows: [] }])).toThrow(ValidationError);
    expect(() => nabScore([{ scores: new Float64Array(10), windows: [[5, 3]] }])).toThrow(ValidationError);
    expect(() => nabScore([{ scores: new Float64Array(10), windows: [] }])).toThrow(ValidationError); // nothing to score
    expect(() => nabThresholdSweep([{ scores: new Float64Array(10), windows: [] }], { tpWeight: 1, fpWeight: -1, fnWeight: 1 })).toThrow(ValidationError);
  });
});

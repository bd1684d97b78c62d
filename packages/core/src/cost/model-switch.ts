import { ValidationError } from '../errors';
import type { PriceCatalogue } from './catalogue';
import { monthlyFactor, savingsRange } from './opportunity';
import type { Opportunity } from './opportunity';
import { priceColumnsInto } from './pricing';
import type { PricedUsage } from './pricing';
import { bootstrapReplicates, holmAdjust, newcombeInterval, newcombeNonInferiorityPValue, replicateRatioInterval, seededRandom, sortedQuantile } from '../stats';
import type { UsageTable } from './table';
import { canonicalProvider } from './usage';

/** A model to consider switching to. */
export interface ModelRef {
  readonly provider: string;
  readonly model: string;
}

/** Options of {@link findModelSwitches}. */
export interface ModelSwitchOptions {
  readonly catalogue: PriceCatalogue;
  /** Models to consider; default every model seen in the data. A candidate needs traffic on a feature to be judged there. */
  readonly candidates?: readonly ModelRef[];
  /** Largest acceptable drop in the pass rate (absolute, e.g. 0.02 = 2 points). Default 0.02. */
  readonly qualityMargin?: number;
  /** A quality score at or above this counts as a pass. Default 0.5 (thumbs up/down feedback scored 1/0). */
  readonly qualityPassAt?: number;
  /** Largest acceptable ratio of the candidate's p95 latency to the current one (upper confidence bound). Default 1.2. */
  readonly latencyFactor?: number;
  /** Minimum quality samples and latency samples per model and feature. Default 200. */
  readonly minSamples?: number;
  /** Family-wise error rate across every candidate tested (Holm). Default 0.05. */
  readonly alpha?: number;
  /** Bootstrap resamples (latency and output-length ratios). Default 1000. */
  readonly resamples?: number;
  /** Seed of the bootstrap PRNG. Default 1. */
  readonly seed?: number;
  /** Length of the observed window in days (default: from the timestamps). */
  readonly windowDays?: number;
  /**
   * Largest sample per arm fed to the bootstraps, default 4000: larger arms are subsampled (seeded, without
   * replacement), which widens the intervals (conservative) and bounds the work on millions of records.
   */
  readonly maxBootstrapSamples?: number;
}

/** One feature × current model × candidate that was evaluated, recommended or not, with why. */
export interface ModelSwitchEvaluation {
  readonly feature: string;
  readonly from: ModelRef;
  readonly to: ModelRef;
  readonly recommended: boolean;
  /** Why it was refused (empty when recommended). */
  readonly reasons: readonly string[];
  readonly samples: { readonly fromQuality: number; readonly toQuality: number; readonly fromLatency: number; readonly toLatency: number };
  /** Pass rates and the Newcombe interval of (to - from) at the Holm-adjusted level. */
  readonly quality: { readonly fromPassRate: number; readonly toPassRate: number; readonly difference: number; readonly lower: number; readonly upper: number; readonly pValue: number; readonly adjustedPValue: number };
  /** Bootstrap estimate and interval of p95(to) / p95(from). */
  readonly latencyP95Ratio: { readonly estimate: number; readonly lower: number; readonly upper: number };
  /** Observed spend of the current model on this feature and its re-priced spend under the candidate (US dollars, the observed window). */
  readonly spend: { readonly current: number; readonly repriced: number; readonly repricedLow: number; readonly repricedHigh: number };
  /** Mean output tokens of the candidate over the current model on this feature (bootstrap interval). */
  readonly outputTokensRatio: { readonly estimate: number; readonly lower: number; readonly upper: number };
  readonly monthlySavings: Opportunity['monthlySavings'];
}

/** Result of {@link findModelSwitches}. */
export interface ModelSwitchResult {
  /** The best recommended switch per feature and current model. */
  readonly opportunities: readonly Opportunity[];
  /** Every evaluation, including refusals and their reasons. */
  readonly evaluations: readonly ModelSwitchEvaluation[];
}

function numberOption(value: number | undefined, fallback: number, path: string, min: number, max: number, minInclusive = true): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || (minInclusive ? v < min : v <= min) || v > max) throw new ValidationError(path, `a number in ${minInclusive ? '[' : '('}${min}, ${max}]`, v);
  return v;
}

/**
 * Recommends cheaper models per feature only when the data supports it:
 * - quality is not worse by more than `qualityMargin`: a one-sided non-inferiority test on pass rates read off
 *   Newcombe's hybrid score interval, with Holm's correction across every candidate tested;
 * - p95 latency is within `latencyFactor`: the upper bound of a seeded bootstrap interval of the p95 ratio;
 * - each model has at least `minSamples` quality and latency samples on the feature;
 * - the saving is real: the current model's actual traffic on the feature is re-priced under the candidate's
 *   prices at each record's date, with output tokens scaled by the candidate's observed output length ratio (its
 *   bootstrap interval gives the savings range).
 *
 * @example
 * const { opportunities, evaluations } = findModelSwitches(table, priced, { catalogue: DEFAULT_PRICE_CATALOGUE, qualityMargin: 0.02 });
 * evaluations.filter((e) => !e.recommended).map((e) => e.reasons); // e.g. [['quality may be worse by more than 2 points ...']]
 */
export function findModelSwitches(table: UsageTable, priced: PricedUsage, options: ModelSwitchOptions): ModelSwitchResult {
  if (options === null || typeof options !== 'object' || options.catalogue === undefined) throw new ValidationError('options.catalogue', 'a price catalogue', options?.catalogue);
  if (!(priced?.cost instanceof Float64Array) || priced.cost.length !== table.length) throw new ValidationError('priced', `the priced usage of this table (length ${table.length})`, priced);
  const margin = numberOption(options.qualityMargin, 0.02, 'options.qualityMargin', 0, 0.5);
  const passAt = numberOption(options.qualityPassAt, 0.5, 'options.qualityPassAt', 0, 1);
  const latencyFactor = numberOption(options.latencyFactor, 1.2, 'options.latencyFactor', 0, 100, false);
  const minSamples = numberOption(options.minSamples, 200, 'options.minSamples', 1, 1e9);
  const alpha = numberOption(options.alpha, 0.05, 'options.alpha', 0, 0.5, false);
  const resamples = numberOption(options.resamples, 1000, 'options.resamples', 10, 1e6);
  const seed = numberOption(options.seed, 1, 'options.seed', -1e15, 1e15);
  const maxBootstrap = numberOption(options.maxBootstrapSamples, 4000, 'options.maxBootstrapSamples', 10, 1e9);
  const perMonth = monthlyFactor(table.timestamps, undefined, options.windowDays);

  const n = table.length;
  const providers = table.provider.values;
  const models = table.model.values;
  const features = table.feature.values;
  const modelCount = Math.max(1, models.length);
  // A "model" here is provider × model name.
  const pairOf = (i: number) => table.provider.codes[i]! * modelCount + table.model.codes[i]!;
  const pairCount = providers.length * modelCount;
  const featureCodes = table.feature.codes;

  // Rows per (feature, pair), gathered by counting sort.
  const groupCount = features.length * pairCount;
  const counts = new Int32Array(groupCount + 1);
  for (let i = 0; i < n; i++) if (featureCodes[i]! >= 0) counts[featureCodes[i]! * pairCount + pairOf(i) + 1]!++;
  for (let g = 0; g < groupCount; g++) counts[g + 1]! += counts[g]!;
  const rows = new Int32Array(counts[groupCount]!);
  const cursor = counts.slice(0, groupCount);
  for (let i = 0; i < n; i++) if (featureCodes[i]! >= 0) rows[cursor[featureCodes[i]! * pairCount + pairOf(i)]!++] = i;

  // Candidate pairs.
  const pairIndex = new Map<string, number>();
  for (let p = 0; p < providers.length; p++) for (let m = 0; m < models.length; m++) pairIndex.set(`${providers[p]}\u0000${models[m]}`, p * modelCount + m);
  let candidates: { ref: ModelRef; pair: number }[];
  if (options.candidates !== undefined) {
    if (!Array.isArray(options.candidates)) throw new ValidationError('options.candidates', 'an array of { provider, model }', options.candidates);
    candidates = options.candidates.map((c, i) => {
      if (c === null || typeof c !== 'object' || typeof c.provider !== 'string' || typeof c.model !== 'string') throw new ValidationError(`options.candidates[${i}]`, 'a { provider, model } object', c);
      const ref = { provider: canonicalProvider(c.provider), model: c.model };
      return { ref, pair: pairIndex.get(`${ref.provider}\u0000${ref.model}`) ?? -1 };
    });
  } else {
    candidates = [];
    for (const [key, pair] of pairIndex) {
      const [provider, model] = key.split('\u0000') as [string, string];
      candidates.push({ ref: { provider, model }, pair });
    }
  }

  // Per arm (feature × model), computed once and shared by every pair the arm is in: spend, output lengths, pass
  // counts; latencies only when a bootstrap needs them.
  const armCount = groupCount;
  const armSpend = new Float64Array(armCount);
  const armQualityCount = new Int32Array(armCount);
  const armPassCount = new Int32Array(armCount);
  const armLatencyCount = new Int32Array(armCount);
  const armOutputSum = new Float64Array(armCount);
  const outputTokens = table.outputTokens;
  const reasoningTokens = table.reasoningTokens;
  const quality = table.quality;
  const latencyMs = table.latencyMs;
  const cost = priced.cost;
  for (let arm = 0; arm < armCount; arm++) {
    let spend = 0;
    let qualityCount = 0;
    let passCount = 0;
    let latencyCount = 0;
    let outputSum = 0;
    for (let k = counts[arm]!; k < counts[arm + 1]!; k++) {
      const i = rows[k]!;
      const c = cost[i]!;
      if (c === c) spend += c;
      const q = quality[i]!;
      if (q === q) {
        qualityCount++;
        if (q >= passAt) passCount++;
      }
      if (latencyMs[i]! === latencyMs[i]!) latencyCount++;
      outputSum += outputTokens[i]! + reasoningTokens[i]!;
    }
    armSpend[arm] = spend;
    armQualityCount[arm] = qualityCount;
    armPassCount[arm] = passCount;
    armLatencyCount[arm] = latencyCount;
    armOutputSum[arm] = outputSum;
  }
  const armSize = (arm: number) => counts[arm + 1]! - counts[arm]!;

  // Re-price the traffic under each candidate: one allocation-free pricing pass per candidate into shared scratch
  // columns, summed per arm (rows the current pricing could not price are left out, as in the current spend).
  const scratchCost = new Float64Array(n);
  const scratchInput = new Float64Array(n);
  const scratchOutput = new Float64Array(n);
  const scratchIndex = new Int32Array(n);
  const repricedInput = candidates.map(() => new Float64Array(armCount));
  const repricedOutput = candidates.map(() => new Float64Array(armCount));
  const repricedMissing = candidates.map(() => new Uint8Array(armCount));
  candidates.forEach((candidate, c) => {
    // Only features where the candidate has traffic can be judged: skip the pass when there are none.
    let judged = false;
    if (candidate.pair >= 0) for (let f = 0; f < features.length && !judged; f++) if (armSize(f * pairCount + candidate.pair) > 0) judged = true;
    if (!judged) return;
    priceColumnsInto(table, options.catalogue, { provider: candidate.ref.provider, model: candidate.ref.model }, scratchCost, scratchInput, scratchOutput, scratchIndex);
    const input = repricedInput[c]!;
    const output = repricedOutput[c]!;
    const missing = repricedMissing[c]!;
    for (let arm = 0; arm < armCount; arm++) {
      let inSum = 0;
      let outSum = 0;
      for (let k = counts[arm]!; k < counts[arm + 1]!; k++) {
        const i = rows[k]!;
        if (cost[i]! !== cost[i]!) continue;
        const ic = scratchInput[i]!;
        if (ic !== ic) {
          missing[arm] = 1;
          break;
        }
        inSum += ic;
        outSum += scratchOutput[i]!;
      }
      input[arm] = inSum;
      output[arm] = outSum;
    }
  });

  interface Pending {
    evaluation: Omit<ModelSwitchEvaluation, 'recommended' | 'reasons' | 'quality'> & { quality: Omit<ModelSwitchEvaluation['quality'], 'adjustedPValue' | 'lower' | 'upper'> };
    reasons: string[];
    counts: [number, number, number, number];
    tested: boolean;
    latencyOk: boolean;
    savingsOk: boolean;
  }
  const pending: Pending[] = [];
  /** Values of a column over an arm's rows, NaN left out, in row order. */
  const gather = (arm: number, column: Float64Array) => {
    const out = new Float64Array(armSize(arm));
    let k = 0;
    for (let j = counts[arm]!; j < counts[arm + 1]!; j++) {
      const v = column[rows[j]!]!;
      if (v === v) out[k++] = v;
    }
    return out.subarray(0, k);
  };
  const outputTotals = (arm: number) => {
    const out = new Float64Array(armSize(arm));
    for (let j = counts[arm]!, k = 0; j < counts[arm + 1]!; j++, k++) out[k] = outputTokens[rows[j]!]! + reasoningTokens[rows[j]!]!;
    return out;
  };
  /** A seeded subsample without replacement (partial Fisher-Yates on a copy) when the arm is larger than the cap. */
  const subsample = (values: Float64Array, armSeed: number): Float64Array => {
    if (values.length <= maxBootstrap) return values;
    const random = seededRandom(armSeed);
    const copy = Float64Array.from(values);
    for (let j = 0; j < maxBootstrap; j++) {
      const k = j + Math.floor(random() * (copy.length - j));
      const t = copy[j]!;
      copy[j] = copy[k]!;
      copy[k] = t;
    }
    return copy.subarray(0, maxBootstrap);
  };
  // Bootstrap replicates per arm (feature × model), computed once and shared by every pair the arm is in. Each arm
  // has its own seed derived from the options' seed, so results do not depend on evaluation order.
  const armSeed = (feature: number, pair: number, kind: number) => (Math.imul(seed | 0, 1_000_003) + feature * 7919 + pair * 104_729 + kind * 15_485_863) >>> 0;
  const latencyReplicates = new Map<number, { estimate: number; replicates: Float64Array }>();
  const outputReplicates = new Map<number, Float64Array>();
  const latencyArm = (feature: number, pair: number) => {
    const key = feature * pairCount + pair;
    let arm = latencyReplicates.get(key);
    if (arm === undefined) {
      const sample = subsample(gather(key, latencyMs), armSeed(feature, pair, 1));
      const sorted = Float64Array.from(sample).sort();
      arm = { estimate: sortedQuantile(sorted, 0.95), replicates: bootstrapReplicates(sample, 0.95, resamples, armSeed(feature, pair, 2)) };
      latencyReplicates.set(key, arm);
    }
    return arm;
  };
  const outputArm = (feature: number, pair: number) => {
    const key = feature * pairCount + pair;
    let replicates = outputReplicates.get(key);
    if (replicates === undefined) {
      replicates = bootstrapReplicates(subsample(outputTotals(key), armSeed(feature, pair, 3)), 'mean', resamples, armSeed(feature, pair, 4));
      outputReplicates.set(key, replicates);
    }
    return replicates;
  };
  const intervalLevel = 1 - 2 * alpha;

  for (let f = 0; f < features.length; f++) {
    for (let from = 0; from < pairCount; from++) {
      const fromArm = f * pairCount + from;
      if (armSize(fromArm) === 0) continue;
      const currentSpend = armSpend[fromArm]!;
      if (!(currentSpend > 0)) continue;
      const fromRef = { provider: providers[Math.floor(from / modelCount)]!, model: models[from % modelCount]! };
      for (let c = 0; c < candidates.length; c++) {
        const candidate = candidates[c]!;
        if (candidate.pair === from) continue;
        const toArm = candidate.pair >= 0 ? f * pairCount + candidate.pair : -1;
        if (toArm < 0 || armSize(toArm) === 0) continue; // no evidence on this feature: nothing to judge
        const unpriced = repricedMissing[c]![fromArm] === 1;
        const input = unpriced ? 0 : repricedInput[c]![fromArm]!;
        const output = unpriced ? 0 : repricedOutput[c]![fromArm]!;
        const reasons: string[] = [];
        if (unpriced) {
          reasons.push(`${candidate.ref.provider} ${candidate.ref.model} has no price in the catalogue at these dates`);
        }
        // Point estimate of the output-length ratio first: the bootstrap runs only for candidates that may be cheaper.
        const pointRatio = armOutputSum[toArm]! / armSize(toArm) / (armOutputSum[fromArm]! / armSize(fromArm));
        const maybeCheaper = !unpriced && input + output * (Number.isFinite(pointRatio) ? pointRatio : 1) < currentSpend;
        const ratio = maybeCheaper
          ? { estimate: pointRatio, ...replicateRatioInterval(outputArm(f, candidate.pair), outputArm(f, from), 0.9) }
          : { estimate: pointRatio, lower: pointRatio, upper: pointRatio };
        const outputRatio = Number.isFinite(ratio.estimate) ? ratio : { estimate: 1, lower: 1, upper: 1 };
        const repricedSpend = input + output * outputRatio.estimate;
        const repricedLow = input + output * outputRatio.lower;
        const repricedHigh = input + output * outputRatio.upper;
        const savingsOk = !unpriced && repricedSpend < currentSpend;
        if (!unpriced && !savingsOk) reasons.push(`not cheaper: re-priced spend ${repricedSpend.toFixed(4)} USD vs ${currentSpend.toFixed(4)} USD`);

        const fromQualityCount = armQualityCount[fromArm]!;
        const toQualityCount = armQualityCount[toArm]!;
        const sampleCounts: [number, number, number, number] = [fromQualityCount, toQualityCount, armLatencyCount[fromArm]!, armLatencyCount[toArm]!];
        const enough = sampleCounts.every((k) => k >= minSamples);
        if (!enough) reasons.push(`too few samples: quality ${sampleCounts[0]}/${sampleCounts[1]}, latency ${sampleCounts[2]}/${sampleCounts[3]}; need ${minSamples} each`);
        const fromPass = armPassCount[fromArm]!;
        const toPass = armPassCount[toArm]!;
        const pValue = fromQualityCount > 0 && toQualityCount > 0 ? newcombeNonInferiorityPValue(toPass, toQualityCount, fromPass, fromQualityCount, margin) : 1;
        // The latency bootstrap only matters when the switch could still be recommended: cheaper, and the raw
        // quality p-value below alpha (Holm never lowers a p-value).
        let latency = { estimate: NaN, lower: NaN, upper: NaN };
        if (enough && savingsOk && pValue < alpha) {
          const a = latencyArm(f, from);
          const b = latencyArm(f, candidate.pair);
          latency = { estimate: b.estimate / a.estimate, ...replicateRatioInterval(b.replicates, a.replicates, intervalLevel) };
        }
        const latencyOk = enough && latency.upper <= latencyFactor;
        if (enough && savingsOk && pValue < alpha && !latencyOk) reasons.push(`p95 latency may be ${latency.upper.toFixed(2)}× the current (upper bound), above the allowed ${latencyFactor}×`);
        const savings = (currentSpend - repricedSpend) * perMonth;
        pending.push({
          evaluation: {
            feature: features[f]!,
            from: fromRef,
            to: candidate.ref,
            samples: { fromQuality: sampleCounts[0], toQuality: sampleCounts[1], fromLatency: sampleCounts[2], toLatency: sampleCounts[3] },
            quality: {
              fromPassRate: fromQualityCount ? fromPass / fromQualityCount : NaN,
              toPassRate: toQualityCount ? toPass / toQualityCount : NaN,
              difference: fromQualityCount && toQualityCount ? toPass / toQualityCount - fromPass / fromQualityCount : NaN,
              pValue,
            },
            latencyP95Ratio: latency,
            spend: { current: currentSpend, repriced: repricedSpend, repricedLow: Math.min(repricedLow, repricedHigh), repricedHigh: Math.max(repricedLow, repricedHigh) },
            outputTokensRatio: outputRatio,
            monthlySavings: savingsRange((currentSpend - Math.max(repricedLow, repricedHigh)) * perMonth, savings, (currentSpend - Math.min(repricedLow, repricedHigh)) * perMonth),
          },
          reasons,
          counts: sampleCounts,
          tested: enough,
          latencyOk,
          savingsOk,
        });
      }
    }
  }

  // Holm across every cheaper candidate that met the minimum sample: the family of hypotheses we would act on.
  const tested = pending.filter((p) => p.tested && p.savingsOk);
  const adjusted = holmAdjust(tested.map((p) => p.evaluation.quality.pValue));
  const adjustedOf = new Map<Pending, number>();
  tested.forEach((p, k) => adjustedOf.set(p, adjusted[k]!));
  const familySize = Math.max(1, tested.length);
  const evaluations: ModelSwitchEvaluation[] = pending.map((p) => {
    const adjustedPValue = adjustedOf.get(p) ?? 1;
    const e = p.evaluation;
    // The interval shown is the Bonferroni-level one (conservative companion of Holm).
    const level = 1 - (2 * alpha) / familySize;
    const hasQuality = e.samples.fromQuality > 0 && e.samples.toQuality > 0;
    const toPass = Math.round(e.quality.toPassRate * e.samples.toQuality);
    const fromPass = Math.round(e.quality.fromPassRate * e.samples.fromQuality);
    const interval = hasQuality ? newcombeInterval(toPass, e.samples.toQuality, fromPass, e.samples.fromQuality, level) : { lower: NaN, upper: NaN };
    const reasons = [...p.reasons];
    if (p.tested && p.savingsOk && !(adjustedPValue < alpha)) {
      reasons.push(`quality may be worse by more than ${(margin * 100).toFixed(1)} points: pass rate ${(e.quality.toPassRate * 100).toFixed(1)}% vs ${(e.quality.fromPassRate * 100).toFixed(1)}%, Holm-adjusted p = ${adjustedPValue.toPrecision(3)}`);
    }
    const recommended = p.tested && p.latencyOk && p.savingsOk && adjustedPValue < alpha;
    return { ...e, recommended, reasons, quality: { ...e.quality, adjustedPValue, lower: interval.lower, upper: interval.upper } };
  });

  const best = new Map<string, ModelSwitchEvaluation>();
  for (const e of evaluations) {
    if (!e.recommended) continue;
    const key = `${e.feature}\u0000${e.from.provider}\u0000${e.from.model}`;
    const current = best.get(key);
    if (current === undefined || e.monthlySavings.expected > current.monthlySavings.expected) best.set(key, e);
  }
  const opportunities: Opportunity[] = [...best.values()].map((e) => ({
    id: `model-switch:${e.feature}:${e.from.provider}/${e.from.model}->${e.to.provider}/${e.to.model}`,
    kind: 'model-switch',
    title: `Use ${e.to.model} instead of ${e.from.model} for ${e.feature}`,
    scope: { feature: e.feature, provider: e.from.provider, model: e.from.model },
    monthlySavings: e.monthlySavings,
    confidence: e.quality.adjustedPValue < alpha / 10 && Math.min(e.samples.fromQuality, e.samples.toQuality) >= 4 * minSamples ? 'high' : 'medium',
    effort: 'low',
    evidence: [
      { label: 'Pass rate, current', value: round(e.quality.fromPassRate * 100, 2), unit: '%', detail: `${e.samples.fromQuality} rated calls` },
      { label: 'Pass rate, candidate', value: round(e.quality.toPassRate * 100, 2), unit: '%', detail: `${e.samples.toQuality} rated calls` },
      { label: 'Pass-rate difference interval', value: `${round(e.quality.lower * 100, 2)} to ${round(e.quality.upper * 100, 2)}`, unit: 'points', detail: `Newcombe hybrid score, margin ${margin * 100} points` },
      { label: 'Holm-adjusted p-value (non-inferiority)', value: Number(e.quality.adjustedPValue.toPrecision(3)) },
      { label: 'p95 latency ratio', value: round(e.latencyP95Ratio.estimate, 3), unit: '×', detail: `bootstrap upper bound ${round(e.latencyP95Ratio.upper, 3)}× (allowed ${latencyFactor}×)` },
      { label: 'Output length ratio', value: round(e.outputTokensRatio.estimate, 3), unit: '×' },
      { label: 'Current spend in window', value: round(e.spend.current, 4), unit: 'USD' },
      { label: 'Re-priced spend in window', value: round(e.spend.repriced, 4), unit: 'USD' },
    ],
  }));
  opportunities.sort((a, b) => b.monthlySavings.expected - a.monthlySavings.expected);
  return { opportunities, evaluations };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

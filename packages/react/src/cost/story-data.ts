import {
  DEFAULT_PRICE_CATALOGUE,
  aggregateUsage,
  createUsageTable,
  findOpportunities,
  forecastBudget,
  priceUsageTable,
  spendSeries,
  type BudgetForecast,
  type Opportunity,
  type UsageAggregateRow,
  type UsageRecord,
} from '@vigil/core/cost';

/*
 * Data for stories and tests: a small deterministic usage log priced and aggregated by the real engine (the React
 * package may not import the simulated adapter), plus a synthetic huge matrix.
 */

const DAY = 86_400_000;
export const STORY_NOW = Date.UTC(2026, 10, 20, 12);

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODELS = [
  { provider: 'openai', model: 'gpt-4.1', latency: 900, quality: 0.93, features: ['summarise', 'classify'] },
  { provider: 'openai', model: 'gpt-4.1-mini', latency: 520, quality: 0.9, features: ['summarise', 'classify'] },
  { provider: 'anthropic', model: 'claude-sonnet-4-20250514', latency: 1100, quality: 0.95, features: ['chat'] },
  { provider: 'anthropic', model: 'claude-3-5-haiku-20241022', latency: 600, quality: 0.84, features: ['chat'] },
  { provider: 'gcp.gemini', model: 'gemini-2.5-flash', latency: 450, quality: 0.86, features: ['eval-job', 'chat'] },
  { provider: 'acme', model: 'acme-support-ft-2', latency: 500, quality: 0.85, features: ['support'] },
] as const;

/** A week of usage records (a few thousand), deterministic. */
export function storyUsage(seed = 3, days = 7, perDay = 900): UsageRecord[] {
  const random = rng(seed);
  const out: UsageRecord[] = [];
  const start = STORY_NOW - days * DAY;
  for (let d = 0; d < days; d++) {
    const count = Math.round(perDay * (1 + d * 0.04));
    for (let i = 0; i < count; i++) {
      const m = MODELS[Math.floor(random() * MODELS.length)]!;
      const feature = m.features[Math.floor(random() * m.features.length)]!;
      const output = Math.round(60 + random() * 400);
      const failed = random() < 0.02;
      out.push({
        timestamp: start + d * DAY + Math.floor(random() * DAY),
        provider: m.provider,
        model: m.model,
        inputTokens: Math.round(800 + random() * 2400),
        outputTokens: failed ? 0 : output,
        latencyMs: Math.round(m.latency * (0.6 + random() * 0.9)),
        status: failed ? 'error' : 'ok',
        feature,
        user: `user-${Math.floor(random() * 40)}`,
        tags: { team: feature === 'chat' ? 'assistant' : 'platform' },
        streaming: feature === 'chat',
        ...(random() < 0.5 ? { quality: random() < m.quality ? 1 : 0 } : {}),
      });
    }
  }
  return out.sort((a, b) => a.timestamp - b.timestamp);
}

export interface StoryCost {
  readonly byModel: readonly UsageAggregateRow[];
  readonly byModelFeature: readonly UsageAggregateRow[];
  readonly opportunities: readonly Opportunity[];
  readonly forecast: BudgetForecast;
}

let cached: StoryCost | undefined;

/** The story log priced, aggregated, with opportunities and a month's budget forecast (computed once). */
export function storyCost(): StoryCost {
  if (cached) return cached;
  const table = createUsageTable(storyUsage());
  const priced = priceUsageTable(table, DEFAULT_PRICE_CATALOGUE);
  const byModel = aggregateUsage(table, priced, { by: ['provider', 'model'] }).rows;
  const byModelFeature = aggregateUsage(table, priced, { by: ['provider', 'model', 'feature'] }).rows;
  const opportunities = findOpportunities(table, priced, { catalogue: DEFAULT_PRICE_CATALOGUE, modelSwitch: { minSamples: 50 } });
  const start = STORY_NOW - 7 * DAY;
  const forecast = forecastBudget(spendSeries(table, priced, { interval: DAY, origin: start }), { budget: 400, period: { start, end: start + 30 * DAY } });
  cached = { byModel, byModelFeature, opportunities, forecast };
  return cached;
}

/** `count` synthetic matrix rows (for the huge story and the virtualisation test). */
export function hugeMatrixRows(count: number): UsageAggregateRow[] {
  const base = storyCost().byModel.find((r) => r.pricedRequests > 0)!;
  const random = rng(11);
  return Array.from({ length: count }, (_, i) => {
    const requests = 50 + Math.floor(random() * 5000);
    const spend = requests * (0.0002 + random() * 0.01);
    return {
      ...base,
      key: { provider: ['openai', 'anthropic', 'gcp.gemini'][i % 3]!, model: `model-${String(i).padStart(5, '0')}` },
      requests,
      pricedRequests: requests,
      unpricedRequests: 0,
      spend,
      costPer1kTokens: 0.1 + random() * 5,
      costPerSuccessfulRequest: spend / requests,
      latencyP95: 200 + random() * 3000,
      successRate: 0.9 + random() * 0.1,
      quality: 0.6 + random() * 0.4,
    };
  });
}

/** A hand-made opportunity with every field, for the card stories. */
export const SAMPLE_OPPORTUNITY: Opportunity = {
  id: 'model-switch:classify:openai/gpt-4.1->openai/gpt-4.1-mini',
  kind: 'model-switch',
  title: 'Use gpt-4.1-mini instead of gpt-4.1 for classify',
  scope: { feature: 'classify', from: 'openai/gpt-4.1', to: 'openai/gpt-4.1-mini' },
  monthlySavings: { low: 61.2, expected: 76.4, high: 88.9 },
  confidence: 'high',
  effort: 'low',
  evidence: [
    { label: 'Pass rate, current', value: 99.02, unit: '%', detail: '1,702 rated calls' },
    { label: 'Pass rate, candidate', value: 98.95, unit: '%', detail: '1,688 rated calls' },
    { label: 'Pass-rate difference interval', value: '-0.8 to 0.7', unit: 'points', detail: 'Newcombe hybrid score, margin 2 points' },
    { label: 'Holm-adjusted p-value (non-inferiority)', value: 0.00012 },
    { label: 'p95 latency ratio', value: 0.64, unit: '×', detail: 'bootstrap upper bound 0.7× (allowed 1.2×)' },
    { label: 'Output length ratio', value: 1.01, unit: '×' },
    { label: 'Current spend in window', value: 2.89, unit: 'USD' },
    { label: 'Re-priced spend in window', value: 0.58, unit: 'USD' },
  ],
};

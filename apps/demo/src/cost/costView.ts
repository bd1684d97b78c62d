import type { Series } from '@vigil/core';
import {
  DEFAULT_PRICE_CATALOGUE,
  aggregateUsage,
  createUsageTable,
  decomposeSpendChange,
  detectSpendAnomalies,
  findBatchOpportunities,
  findCachingOpportunities,
  findModelSwitches,
  findWaste,
  forecastBudget,
  priceUsageTable,
  spendSeries,
  type BudgetForecast,
  type ModelSwitchEvaluation,
  type Opportunity,
  type PricedUsage,
  type SpendAnomaly,
  type SpendChangeDecomposition,
  type UnpricedModel,
  type UsageAggregateRow,
  type UsageRecord,
  type UsageTable,
} from '@vigil/core/cost';
import { simulateLlmUsage } from '@vigil/adapters/simulated';
import { RANGE_MS, type RangeKey } from '../lib/params';

/*
 * Everything the Models and Finance tabs show, computed from the simulated LLM usage in one place (run in a Web
 * Worker by useCostView, so the page never waits on it). Results are plain data: they cross postMessage as is.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How much usage the tabs simulate: the longest range, whole hours up to now. */
export const COST_HISTORY_MS = 7 * DAY;
/** Model switches need samples: the Models tab looks at least this far back. */
export const MODEL_WINDOW_MIN_MS = DAY;
/** The weekly LLM budget of the demo (US dollars), for the budget gauge. */
export const WEEKLY_BUDGET_USD = 180;

export interface CostRequest {
  readonly seed: number;
  /** End of the data: a whole hour (only complete hours are simulated). */
  readonly end: number;
  readonly range: RangeKey;
}

export interface ModelsView {
  readonly start: number;
  readonly end: number;
  readonly records: number;
  readonly totalCost: number;
  readonly unpriced: readonly UnpricedModel[];
  readonly byModel: readonly UsageAggregateRow[];
  readonly byModelFeature: readonly UsageAggregateRow[];
  readonly evaluations: readonly ModelSwitchEvaluation[];
  readonly switches: readonly Opportunity[];
}

export interface FinanceView {
  readonly start: number;
  readonly end: number;
  readonly records: number;
  readonly totalCost: number;
  readonly unpriced: readonly UnpricedModel[];
  readonly interval: number;
  readonly spend: readonly Series[];
  /** Buckets of the total spend far above their trailing median (cost spikes). */
  readonly spikes: readonly SpendAnomaly[];
  readonly attribution: readonly UsageAggregateRow[];
  readonly budget: { readonly forecast: BudgetForecast; readonly periodStart: number; readonly periodEnd: number } | { readonly error: string };
  readonly opportunities: readonly Opportunity[];
  readonly decomposition: (SpendChangeDecomposition & { readonly beforeStart: number; readonly split: number }) | { readonly error: string };
}

export interface CostView {
  readonly key: string;
  readonly models: ModelsView;
  readonly finance: FinanceView;
  readonly computeMs: number;
}

/** Whole hour at or before `now`: the end of the simulated usage. */
export function costDataEnd(now: number): number {
  return Math.floor(now / HOUR) * HOUR;
}

export function costKey(request: CostRequest): string {
  return `${request.seed}:${request.end}:${request.range}`;
}

interface History {
  readonly seed: number;
  readonly end: number;
  readonly records: readonly UsageRecord[];
  /** Priced tables per time window, shared by the views of every range (the week's table serves the budget of all). */
  readonly tables: Map<string, { readonly table: UsageTable; readonly priced: PricedUsage }>;
  budget?: FinanceView['budget'];
}

let history: History | undefined;

/** The last seven days of usage, kept while the seed and end stay the same. */
function usageHistory(seed: number, end: number): History {
  if (history?.seed !== seed || history.end !== end) history = { seed, end, records: simulateLlmUsage({ start: end - COST_HISTORY_MS, end, seed }), tables: new Map() };
  return history;
}

/** The priced table of [start, end) of the history, built once per window. */
function pricedWindow(h: History, start: number, end: number): { readonly table: UsageTable; readonly priced: PricedUsage } {
  const key = `${start}:${end}`;
  let hit = h.tables.get(key);
  if (hit === undefined) {
    const table = createUsageTable(slice(h.records, start, end));
    hit = { table, priced: priceUsageTable(table, DEFAULT_PRICE_CATALOGUE) };
    h.tables.set(key, hit);
  }
  return hit;
}

/** Records with timestamp in [start, end): the history is sorted, so two binary searches. */
function slice(records: readonly UsageRecord[], start: number, end: number): UsageRecord[] {
  const lowerBound = (t: number) => {
    let lo = 0;
    let hi = records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (records[mid]!.timestamp < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return records.slice(lowerBound(start), lowerBound(end));
}

function spendInterval(range: RangeKey): number {
  return { '1h': 5 * 60_000, '6h': 15 * 60_000, '24h': HOUR, '7d': 6 * HOUR }[range];
}

/** Monday 00:00 UTC of the week holding `time`. */
export function weekStart(time: number): number {
  const day = Math.floor(time / DAY);
  // 1970-01-01 was a Thursday: (day + 3) % 7 is the weekday index from Monday.
  return (day - ((day + 3) % 7)) * DAY;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Computes both tabs' data for one seed, end hour and range. */
export function computeCostView(request: CostRequest): CostView {
  const started = performance.now();
  const { seed, end, range } = request;
  const h = usageHistory(seed, end);
  const catalogue = DEFAULT_PRICE_CATALOGUE;

  // Models: the selected range, at least a day (the minimum samples of a model switch).
  const modelsStart = end - Math.max(RANGE_MS[range], MODEL_WINDOW_MIN_MS);
  const { table: modelTable, priced: modelPriced } = pricedWindow(h, modelsStart, end);
  const switches = findModelSwitches(modelTable, modelPriced, { catalogue });
  const models: ModelsView = {
    start: modelsStart,
    end,
    records: modelTable.length,
    totalCost: modelPriced.totalCost,
    unpriced: modelPriced.unpriced,
    byModel: aggregateUsage(modelTable, modelPriced, { by: ['provider', 'model'] }).rows,
    byModelFeature: aggregateUsage(modelTable, modelPriced, { by: ['provider', 'model', 'feature'] }).rows,
    evaluations: switches.evaluations,
    switches: switches.opportunities,
  };

  // Finance: the selected range for spend, attribution and opportunities; the whole week for the budget.
  const financeStart = end - RANGE_MS[range];
  const { table, priced } = pricedWindow(h, financeStart, end);
  const interval = spendInterval(range);
  const providers = table.provider.values;
  const spend: Series[] = [{ ...spendSeries(table, priced, { interval, origin: financeStart }), name: 'All providers' }];
  providers.forEach((provider, code) => {
    const mask = new Uint8Array(table.length);
    let pricedRows = 0;
    for (let i = 0; i < table.length; i++) {
      mask[i] = table.provider.codes[i] === code ? 1 : 0;
      if (mask[i] === 1 && Number.isFinite(priced.cost[i]!)) pricedRows++;
    }
    // A provider with no priced call has no spend line: a flat $0 line would claim it costs nothing.
    if (pricedRows === 0) return;
    spend.push({ ...spendSeries(table, priced, { interval, origin: financeStart, mask }), name: provider });
  });

  if (h.budget === undefined) {
    try {
      const week = pricedWindow(h, end - COST_HISTORY_MS, end);
      const periodStart = weekStart(end - 1);
      const series = spendSeries(week.table, week.priced, { interval: HOUR, origin: end - COST_HISTORY_MS });
      h.budget = { forecast: forecastBudget(series, { budget: WEEKLY_BUDGET_USD, period: { start: periodStart, end: periodStart + 7 * DAY } }), periodStart, periodEnd: periodStart + 7 * DAY };
    } catch (error) {
      h.budget = { error: errorText(error) };
    }
  }
  const budget = h.budget;

  let decomposition: FinanceView['decomposition'];
  try {
    // The range against the same length before it (the 7-day range: its two halves).
    const length = range === '7d' ? COST_HISTORY_MS / 2 : RANGE_MS[range];
    const split = end - length;
    const beforeStart = split - length;
    const { table: both, priced: bothPriced } = pricedWindow(h, beforeStart, end);
    decomposition = { ...decomposeSpendChange(both, bothPriced, { before: { start: beforeStart, end: split }, after: { start: split, end }, by: 'model' }), beforeStart, split };
  } catch (error) {
    decomposition = { error: errorText(error) };
  }

  const opportunities = [
    ...findCachingOpportunities(table, priced, { catalogue }).opportunities,
    ...findBatchOpportunities(table, priced, { catalogue }),
    ...findWaste(table, priced),
    ...switches.opportunities,
  ].sort((a, b) => b.monthlySavings.expected - a.monthlySavings.expected);

  let spikes: SpendAnomaly[] = [];
  try {
    spikes = detectSpendAnomalies(spend[0]!);
  } catch {
    spikes = [];
  }

  const finance: FinanceView = {
    start: financeStart,
    end,
    records: table.length,
    totalCost: priced.totalCost,
    unpriced: priced.unpriced,
    interval,
    spend,
    spikes,
    attribution: aggregateUsage(table, priced, { by: ['provider', 'model', 'feature'] }).rows,
    budget,
    opportunities,
    decomposition,
  };
  return { key: costKey(request), models, finance, computeMs: performance.now() - started };
}

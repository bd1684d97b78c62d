/**
 * Cost intelligence for LLM usage: OpenTelemetry GenAI usage records, provider token conventions normalised so
 * nothing is counted twice, a dated price catalogue (with LiteLLM and models.dev importers), columnar pricing and
 * aggregation, savings opportunities with evidence, budgets, spend anomalies and what-if re-pricing.
 * Pure functions over columnar data; no dependencies. See docs/cost.md.
 */
export { canonicalProvider, normalizeUsage, providerConvention, usageFromGenAiAttributes, SEMCONV_CONVENTION } from './usage';
export type { GenAiAttributeOptions, GenAiAttributeValue, NormalizedTokens, TokenConvention, UsageRecord, UsageStatus } from './usage';
export { createUsageTable, usageTableFromColumns, dictionaryValue, totalInputTokensAt, totalOutputTokensAt } from './table';
export type { DictionaryColumn, UsageColumnsInput, UsageTable } from './table';
export { createPriceCatalogue, findPrice, priceCandidates, withOverrides } from './catalogue';
export type { CompiledPrice, ModelPrice, PriceCatalogue, PriceCatalogueInput, PriceTier, TokenPrices } from './catalogue';
export { DEFAULT_CATALOGUE_AS_OF, DEFAULT_PRICE_CATALOGUE, DEFAULT_PRICE_ENTRIES } from './default-catalogue';
export { importLiteLLMPrices, importModelsDevPrices } from './importers';
export type { ImportedPrices } from './importers';
export { priceUsage, priceUsageTable, quoteTokens } from './pricing';
export type { CostBreakdown, PriceFallbacks, PriceQuote, PricedUsage, PriceTableOptions, UnpricedModel } from './pricing';
export { aggregateToCsv, aggregateUsage } from './aggregate';
export type { AggregateOptions, UsageAggregate, UsageAggregateRow, UsageDimension } from './aggregate';
export { MONTH_DAYS, opportunitiesToCsv } from './opportunity';
export type { Opportunity, OpportunityEvidence, OpportunityKind } from './opportunity';
export { findModelSwitches } from './model-switch';
export type { ModelRef, ModelSwitchEvaluation, ModelSwitchOptions, ModelSwitchResult } from './model-switch';
export { findBatchOpportunities, findCachingOpportunities, findWaste } from './advisors';
export type { BatchOptions, CachingAnalysis, CachingOptions, WasteOptions } from './advisors';
export { findOpportunities } from './find';
export type { FindOpportunitiesOptions } from './find';
export { decomposeSpendChange, detectSpendAnomalies, forecastBudget, spendSeries, whatIf } from './budget';
export type { BudgetForecast, BudgetOptions, DecomposeOptions, SpendAnomaly, SpendAnomalyOptions, SpendChangeDecomposition, SpendSeriesOptions, WhatIfResult, WhatIfScenario } from './budget';
export {
  bootstrapMeanRatio,
  bootstrapQuantileRatio,
  holmAdjust,
  newcombeInterval,
  newcombeNonInferiorityPValue,
  pairedBootstrapMeanDifference,
  seededRandom,
  studentTCdf,
  studentTQuantile,
  wilsonInterval,
} from './stats';
export type { BootstrapEstimate, BootstrapOptions, Interval } from './stats';

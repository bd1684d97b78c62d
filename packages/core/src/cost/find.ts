import { ValidationError } from '../errors';
import { findBatchOpportunities, findCachingOpportunities, findWaste } from './advisors';
import type { BatchOptions, WasteOptions } from './advisors';
import type { PriceCatalogue } from './catalogue';
import { findModelSwitches } from './model-switch';
import type { ModelSwitchOptions } from './model-switch';
import type { Opportunity } from './opportunity';
import type { PricedUsage } from './pricing';
import type { UsageTable } from './table';

/** Options of {@link findOpportunities}: the catalogue plus each detector's own options. */
export interface FindOpportunitiesOptions {
  readonly catalogue: PriceCatalogue;
  readonly modelSwitch?: Omit<ModelSwitchOptions, 'catalogue'>;
  readonly caching?: { readonly minimumPrefixTokens?: number };
  readonly batch?: Omit<BatchOptions, 'catalogue'>;
  readonly waste?: WasteOptions;
  readonly windowDays?: number;
}

/**
 * Runs every detector (model switches, prompt caching, batch, waste) and returns their opportunities, largest
 * expected monthly saving first.
 *
 * @example
 * findOpportunities(table, priceUsageTable(table, DEFAULT_PRICE_CATALOGUE), { catalogue: DEFAULT_PRICE_CATALOGUE });
 */
export function findOpportunities(table: UsageTable, priced: PricedUsage, options: FindOpportunitiesOptions): Opportunity[] {
  if (options === null || typeof options !== 'object' || options.catalogue === undefined) throw new ValidationError('options.catalogue', 'a price catalogue', options?.catalogue);
  const windowDays = options.windowDays !== undefined ? { windowDays: options.windowDays } : {};
  const all = [
    ...findModelSwitches(table, priced, { ...windowDays, ...options.modelSwitch, catalogue: options.catalogue }).opportunities,
    ...findCachingOpportunities(table, priced, { ...windowDays, ...options.caching, catalogue: options.catalogue }).opportunities,
    ...findBatchOpportunities(table, priced, { ...windowDays, ...options.batch, catalogue: options.catalogue }),
    ...findWaste(table, priced, { ...windowDays, ...options.waste }),
  ];
  return all.sort((a, b) => b.monthlySavings.expected - a.monthlySavings.expected);
}

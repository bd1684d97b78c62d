export { VigilSourceProvider, useDataSource, useQueryCache, getDefaultQueryCache } from './VigilSourceProvider';
export type { VigilSourceProviderProps } from './VigilSourceProvider';
export { QueryCache, IDLE_STATE } from './query-cache';
export type { QueryState, QueryStatus, QueryFetcher, QueryCacheOptions, FetchOptions } from './query-cache';
export { useSeries, useInstantQuery, useEvents } from './useSeries';
export type { SourceHookOptions, SeriesQueryState } from './useSeries';
export type { QueryHookOptions, QueryResultState } from './useQuery';
export { useLiveRange, useCapabilities } from './useLiveRange';
export type { LiveRangeOptions } from './useLiveRange';

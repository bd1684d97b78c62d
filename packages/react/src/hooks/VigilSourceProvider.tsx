import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { VigilError, type DataSource } from '@vigil/core';
import { QueryCache } from './query-cache';

interface SourceContextValue {
  readonly source: DataSource;
  readonly cache: QueryCache;
}

const SourceContext = /* @__PURE__ */ createContext<SourceContextValue | undefined>(undefined);

export interface VigilSourceProviderProps {
  /** The data source the hooks below query (the host's own, or one from `@vigil/adapters`). */
  readonly source: DataSource;
  /** A cache to share with other providers or code outside React. Default: one per provider. */
  readonly cache?: QueryCache;
  readonly children?: ReactNode;
}

/**
 * Hands a data source (and a query cache) to every Vigil hook below it. Two providers on one page keep separate
 * caches unless given the same `cache`.
 *
 * @example
 * <VigilSourceProvider source={createPrometheusSource({ url: '/prometheus' })}>
 *   <Overview />
 * </VigilSourceProvider>
 */
export function VigilSourceProvider({ source, cache, children }: VigilSourceProviderProps) {
  const [ownCache] = useState(() => new QueryCache());
  const effectiveCache = cache ?? ownCache;
  const value = useMemo(() => ({ source, cache: effectiveCache }), [source, effectiveCache]);
  return <SourceContext.Provider value={value}>{children}</SourceContext.Provider>;
}

let defaultCache: QueryCache | undefined;

/** The cache hooks use outside any provider (created on first use, never at import). */
export function getDefaultQueryCache(): QueryCache {
  defaultCache ??= new QueryCache();
  return defaultCache;
}

/** The provider's source and cache, or undefined outside a provider. For hooks that accept `options.source`. */
export function useSourceContext(): SourceContextValue | undefined {
  return useContext(SourceContext);
}

/** The query cache of the nearest provider, else the shared default cache. */
export function useQueryCache(): QueryCache {
  return useContext(SourceContext)?.cache ?? getDefaultQueryCache();
}

/**
 * The data source of the nearest `VigilSourceProvider`.
 *
 * @throws VigilError (`INVALID_ARGUMENT`) outside a provider: that is a wiring mistake, not a data problem.
 * @example
 * const source = useDataSource();
 * const hasTraces = source.capabilities.traces;
 */
export function useDataSource(): DataSource {
  const context = useContext(SourceContext);
  if (!context) throw new VigilError('INVALID_ARGUMENT', 'useDataSource: expected a <VigilSourceProvider source={...}> above this component, found none');
  return context.source;
}

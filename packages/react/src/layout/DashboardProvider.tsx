import { createContext, useContext, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import { createDashboardStore } from './dashboardStore';
import type { DashboardState, DashboardStore, DashboardStoreInit } from './dashboardStore';

const DashboardStoreContext = /* @__PURE__ */ createContext<DashboardStore | null>(null);

export interface DashboardProviderProps {
  /** A store you created (to persist, share with non-React code or test). When absent, the provider makes one. */
  readonly store?: DashboardStore | undefined;
  /** Initial values for the store the provider makes (ignored when `store` is given). */
  readonly initial?: DashboardStoreInit | undefined;
  readonly children?: ReactNode | undefined;
}

/**
 * Scopes one dashboard's state (time range, synced crosshair, hidden series) to its children. Two providers on one
 * page hold two independent stores.
 *
 * @example
 * <DashboardProvider initial={{ timeRange: { start, end } }}>
 *   <TimeSeriesChart title="Requests" series={rps} syncGroup="overview" />
 *   <TimeSeriesChart title="Latency" series={latency} syncGroup="overview" />
 * </DashboardProvider>
 */
export function DashboardProvider({ store, initial, children }: DashboardProviderProps): ReactNode {
  const [ownStore] = useState(() => store ?? createDashboardStore(initial));
  return <DashboardStoreContext.Provider value={store ?? ownStore}>{children}</DashboardStoreContext.Provider>;
}

/** The store of the nearest `DashboardProvider`, or `null` outside one. */
export function useDashboardStoreContext(): DashboardStore | null {
  return useContext(DashboardStoreContext);
}

/**
 * The nearest provider's store; outside a provider, a store local to the calling component (so a chart alone keeps
 * its own zoom and legend state).
 *
 * @example
 * const store = useDashboardStoreApi();
 * const onReset = () => store.getState().resetZoom();
 */
export function useDashboardStoreApi(): DashboardStore {
  const provided = useContext(DashboardStoreContext);
  const local = useRef<DashboardStore | null>(null);
  if (provided !== null) return provided;
  local.current ??= createDashboardStore();
  return local.current;
}

/**
 * Selects from the dashboard store and re-renders when the selection changes (zustand's `useStore`). Reads the
 * nearest provider's store, or `store` when given. Outside a provider and without `store`, each call gets a store
 * local to the component and the call site: a component that needs several selections there should call
 * `useDashboardStoreApi()` once and pass the result as `store`.
 *
 * @example
 * const timeRange = useDashboardStore((state) => state.timeRange);
 * const zoomTo = useDashboardStore((state) => state.zoomTo);
 * // outside a provider, several selections on one local store:
 * const store = useDashboardStoreApi();
 * const cursor = useDashboardStore((state) => state.cursor, store);
 */
export function useDashboardStore<T>(selector: (state: DashboardState) => T, store?: DashboardStore): T {
  const fallback = useDashboardStoreApi();
  return useStore(store ?? fallback, selector);
}

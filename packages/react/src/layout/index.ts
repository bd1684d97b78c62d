export { createDashboardStore } from './dashboardStore';
export type { DashboardCursor, DashboardData, DashboardSnapshot, DashboardState, DashboardStore, DashboardStoreInit } from './dashboardStore';
export { DashboardProvider, useDashboardStore, useDashboardStoreApi, useDashboardStoreContext } from './DashboardProvider';
export type { DashboardProviderProps } from './DashboardProvider';

export * from './errors';
export * from './source';
export * from './series';
export * from './percentile';
export * from './windows';
export * from './promql';
export * from './slo';
export * from './traces';
export * from './stats';
export * from './anomaly';
export * from './forecast';
export * from './nab';
export * from './cost';
export * from './alerting';
export * from './notify';
// alerting and notify both declare the shared Alert / AlertGroup shape (structurally the same); the root exports alerting's.
export type { Alert, AlertGroup } from './alerting';
// slo and alerting both name a MaintenanceWindow; the root keeps slo's (alerting's is AlertMaintenanceWindow at the root).
export type { MaintenanceWindow } from './slo';

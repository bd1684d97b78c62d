export { HealthStatus, healthSummary } from './HealthStatus';
export type { HealthStatusProps, HealthItem } from './HealthStatus';
export { StatusIcon, StatusBadge } from './StatusIcon';
export type { StatusIconProps, StatusBadgeProps } from './StatusIcon';
export { statusFromThresholds, compareHealth, isHealthState, HEALTH_STATES, HEALTH_LABELS } from './status';
export type { HealthState, Thresholds } from './status';

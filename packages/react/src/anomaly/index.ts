export { AnomalyChart, flagLabel, strongest } from './AnomalyChart';
export type { AnomalyChartProps } from './AnomalyChart';
export { ForecastChart, crossingSentence, levelLabel } from './ForecastChart';
export type { ForecastChartProps, ForecastThreshold } from './ForecastChart';
export { CapacityPlanner, capacityWords } from './CapacityPlanner';
export type { CapacityPlannerProps, CapacityWords } from './CapacityPlanner';
export { detectionSeries, visibleFlags, forecastIntervals, forecastThresholdCrossing, planCapacity, formatDuration, formatDurationRange } from './model';
export type { DetectionSeries, VisibleFlag, ForecastInterval, ForecastThresholdCrossing, CapacityPlan, CapacityPlanOptions } from './model';

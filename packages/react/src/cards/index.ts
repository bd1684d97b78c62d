export { MetricCard } from './MetricCard';
export type { MetricCardProps, DeltaDirection } from './MetricCard';
export { Sparkline, sparklineGeometry } from './Sparkline';
export type { SparklineProps, SparklineData } from './Sparkline';

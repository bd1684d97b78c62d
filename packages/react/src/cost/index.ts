/** Cost intelligence components: model matrix, cost vs performance, savings cards, spend attribution, budget gauge. */
export { ModelComparisonMatrix, MATRIX_METRICS, matrixCsvRows } from './ModelComparisonMatrix';
export type { MatrixMetric, ModelComparisonMatrixProps } from './ModelComparisonMatrix';
export { CostVsPerformanceScatter } from './CostVsPerformanceScatter';
export type { CostVsPerformanceScatterProps, ScatterCost, ScatterPerformance } from './CostVsPerformanceScatter';
export { CostOptimizationCard, OPPORTUNITY_KIND_LABELS } from './CostOptimizationCard';
export type { CostOptimizationCardProps } from './CostOptimizationCard';
export { CostAttributionTree } from './CostAttributionTree';
export type { AttributionLayout, CostAttributionTreeProps } from './CostAttributionTree';
export { SpendBudgetGauge, overBudgetTone } from './SpendBudgetGauge';
export type { SpendBudgetForecast, SpendBudgetGaugeProps } from './SpendBudgetGauge';
export { attributionTree, heatLevel, paretoFront } from './model';
export type { AttributionNode, MetricDirection, ParetoInput } from './model';
export { formatUsd, spendText, UNPRICED_TEXT } from './format';

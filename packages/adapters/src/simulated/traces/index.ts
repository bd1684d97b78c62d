/**
 * Simulated traces: OTLP/JSON traces drawn from the same services, routes, schedule and latency/error model as the
 * simulated metrics. `createSimulatedSource` serves them through `getTrace` and `searchTraces`.
 */
export {
  TraceSimulator,
  TRACE_SAMPLE_RATIO,
  TRACE_SLOT_MS,
  MAX_TRACE_SEARCH_RANGE_MS,
  MAX_TRACE_SEARCH_LIMIT,
  TRACE_ODDITY_RATIO,
  TRACE_RETRY_RATIO,
} from './generate';
export type { ServiceConditions, TraceHeader, SimulatedTrace } from './generate';
export { DEFAULT_PLANS, leafSpanName, resolvePlans } from './plan';
export type { PlanStep, RoutePlan, ResolvedPlans, ResolvedStep } from './plan';

/**
 * The seeded simulated data source: the embedded default for the demo, Storybook stories and tests.
 * Traces (`getTrace`, `searchTraces`) come from the same model: see `TraceSimulator`.
 */
export { createSimulatedSource, MAX_EVENT_RANGE_MS, MIN_TICK_MS } from './source';
export type { SimulatedSource } from './source';
export { defaultServices } from './scenario';
export type {
  ResolvedService,
  ScriptedIncident,
  SimulatedCall,
  SimulatedFailure,
  SimulatedIncidentOptions,
  SimulatedRouteSpec,
  SimulatedServiceSpec,
  SimulatedSourceOptions,
  Deploy as SimulatedDeploy,
  Incident as SimulatedIncident,
} from './scenario';
export { LATENCY_BUCKETS, RESPONSE_CODES, METRICS as SIMULATED_METRICS } from './model';
export { SimulatedStorage, MAX_SCRAPE_CELLS } from './storage';
export * from './traces';
export * from './llm';

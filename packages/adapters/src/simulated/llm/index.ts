/** Seeded LLM usage records for the cost engine (OpenTelemetry GenAI shape), with a designed model-switch scenario. */
export { simulateLlmUsage, llmSpendSpikeHours, llmVolumeFactor, SIMULATED_LLM_SCENARIO } from './usage';
export type { SimulatedLlmUsageOptions, SimulatedModelRef } from './usage';

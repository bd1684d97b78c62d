export * from './simulated';
export * from './promql';

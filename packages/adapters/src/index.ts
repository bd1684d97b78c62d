export * from './simulated';
export * from './promql';
export * from './prometheus';

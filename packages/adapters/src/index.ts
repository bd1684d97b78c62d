export * from './simulated';

export * from './errors';
export * from './source';
export * from './series';
export * from './percentile';
export * from './windows';
export * from './slo';
export * from './traces';

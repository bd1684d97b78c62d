export * from './charts';
export * from './layout';
export * from './theme';
export * from './cards';
export * from './status';
export * from './hooks';
export * from './utils';
export * from './slo';

export * from './charts';
export * from './layout';

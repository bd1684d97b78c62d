export * from './errors';
export * from './validate';

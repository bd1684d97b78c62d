export type { Labels, Series, TimeRange } from './types';

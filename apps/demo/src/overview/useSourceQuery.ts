import type { QueryResultState } from '@vigil/react';

/** What the Overview's panels need from a query: the data, an error to show, and whether the first load is running. */
export interface QueryState<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
}

/**
 * Narrows a `@vigil/react` hook result to what the panels show. With `keepPreviousData`, a live refresh keeps the
 * last data on screen, so `loading` is only true for a first load (a skeleton, never a flash on every tick).
 */
export function toState<T>(result: QueryResultState<T>): QueryState<T> {
  return {
    data: result.data,
    error: result.status === 'error' ? (result.error ?? new Error('The query failed')) : undefined,
    loading: result.status === 'loading' || (result.data === undefined && result.isFetching),
  };
}

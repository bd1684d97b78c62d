// TEMPORARY local data hooks, to be replaced by @vigil/react's hooks when they land.
import { useEffect, useState } from 'react';
import type { DataSource, InstantSample, Series, SourceEvent, TimeRange } from '@vigil/core';

export interface QueryState<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
}

function useAsync<T>(run: ((signal: AbortSignal) => Promise<T>) | undefined, key: string): QueryState<T> {
  const [state, setState] = useState<QueryState<T>>({ data: undefined, error: undefined, loading: true });
  useEffect(() => {
    if (run === undefined) return undefined;
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    run(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ data: undefined, error, loading: false });
      },
    );
    return () => controller.abort();
  }, [key]);
  return state;
}

export function useSeries(source: DataSource, query: string, range: TimeRange, stepMs: number): QueryState<Series[]> {
  return useAsync((signal) => source.queryRange({ query, range, stepMs }, { signal }).then((result) => result.data), `${source.id}|${query}|${range.start}|${range.end}|${stepMs}`);
}

export function useInstantQuery(source: DataSource, query: string, time: number): QueryState<InstantSample[]> {
  return useAsync((signal) => source.queryInstant({ query, time }, { signal }).then((result) => result.data), `${source.id}|${query}|${time}`);
}

export function useEvents(source: DataSource, range: TimeRange, service?: string): QueryState<SourceEvent[]> {
  const queryEvents = source.queryEvents?.bind(source);
  return useAsync(
    queryEvents === undefined ? undefined : (signal) => queryEvents({ range, ...(service === undefined ? {} : { service }) }, { signal }),
    `${source.id}|events|${range.start}|${range.end}|${service ?? ''}`,
  );
}

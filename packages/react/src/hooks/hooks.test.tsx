import { describe, expect, it, vi } from 'vitest';
import { StrictMode, useState, type ReactNode } from 'react';
import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import { SourceError, ValidationError, type DataSource, type LiveListener, type QueryResult, type RangeQuery, type Series, type SourceCapabilities } from '@vigil/core';
import { QueryCache } from './query-cache';
import { VigilSourceProvider, useDataSource } from './VigilSourceProvider';
import { useEvents, useInstantQuery, useSeries } from './useSeries';
import { useCapabilities, useLiveRange } from './useLiveRange';

interface Pending {
  readonly request: RangeQuery;
  readonly signal: AbortSignal | undefined;
  resolve(series: Series[]): void;
  reject(error: unknown): void;
}

/** A data source whose answers the test controls one by one. */
function fakeSource(capabilities: Partial<SourceCapabilities> = {}) {
  const pending: Pending[] = [];
  const listeners = new Set<LiveListener>();
  const source: DataSource = {
    id: 'fake',
    capabilities: { metrics: true, traces: false, events: true, live: true, queryLanguage: 'test', ...capabilities },
    queryRange: vi.fn((request: RangeQuery, options?: { signal?: AbortSignal }) => {
      return new Promise<QueryResult<Series[]>>((resolve, reject) => {
        const entry: Pending = {
          request,
          signal: options?.signal,
          resolve: (series) => resolve({ data: series, warnings: [] }),
          reject,
        };
        pending.push(entry);
        options?.signal?.addEventListener('abort', () => reject(new SourceError('ABORTED', 'aborted')));
      });
    }),
    queryInstant: vi.fn(async ({ time }) => ({ data: [{ labels: {}, timestamp: time, value: 7 }], warnings: ['approx'] })),
    queryEvents: vi.fn(async ({ range }) => [{ id: 'd1', kind: 'deploy' as const, title: 'v2', time: range.start }]),
    subscribe: vi.fn((listener: LiveListener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
  };
  return { source, pending, listeners };
}

const series = (value: number): Series => ({ labels: { job: 'api' }, timestamps: Float64Array.of(0), values: Float64Array.of(value) });
const request = { query: 'up', range: { start: 0, end: 60_000 }, stepMs: 15_000 };

function wrapper(source: DataSource, cache = new QueryCache()) {
  return ({ children }: { children: ReactNode }) => (
    <VigilSourceProvider source={source} cache={cache}>
      {children}
    </VigilSourceProvider>
  );
}

describe('useSeries', () => {
  it('loading → success with the source answer', async () => {
    const { source, pending } = fakeSource();
    const { result } = renderHook(() => useSeries(request), { wrapper: wrapper(source) });
    expect(result.current.status).toBe('loading');
    expect(result.current.isFetching).toBe(true);
    await waitFor(() => expect(pending).toHaveLength(1));
    expect(pending[0]!.request).toEqual(request);
    act(() => pending[0]!.resolve([series(1)]));
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(result.current.data?.[0]?.values[0]).toBe(1);
    expect(result.current.isFetching).toBe(false);
  });

  it('two components with the same query share one request (dedupe) and a remount hits the cache', async () => {
    const { source, pending } = fakeSource();
    const cache = new QueryCache();
    const Probe = ({ id }: { id: string }) => {
      const { status, data } = useSeries(request, { staleTimeMs: 60_000 });
      return <p data-testid={id}>{status}:{data?.length ?? 0}</p>;
    };
    const { unmount } = render(
      <VigilSourceProvider source={source} cache={cache}>
        <Probe id="a" />
        <Probe id="b" />
      </VigilSourceProvider>,
    );
    await waitFor(() => expect(pending).toHaveLength(1));
    act(() => pending[0]!.resolve([series(1)]));
    await waitFor(() => expect(screen.getByTestId('b').textContent).toBe('success:1'));
    expect(screen.getByTestId('a').textContent).toBe('success:1');
    unmount();
    render(
      <VigilSourceProvider source={source} cache={cache}>
        <Probe id="c" />
      </VigilSourceProvider>,
    );
    expect(screen.getByTestId('c').textContent).toBe('success:1');
    await act(async () => {});
    expect(source.queryRange).toHaveBeenCalledTimes(1);
  });

  it('aborts the request when the last component unmounts', async () => {
    const { source, pending } = fakeSource();
    const { unmount } = renderHook(() => useSeries(request), { wrapper: wrapper(source) });
    await waitFor(() => expect(pending).toHaveLength(1));
    expect(pending[0]!.signal?.aborted).toBe(false);
    unmount();
    await waitFor(() => expect(pending[0]!.signal?.aborted).toBe(true));
  });

  it('StrictMode double effects do not abort the live request', async () => {
    const { source, pending } = fakeSource();
    const cache = new QueryCache();
    const Probe = () => <p data-testid="p">{useSeries(request).status}</p>;
    render(
      <StrictMode>
        <VigilSourceProvider source={source} cache={cache}>
          <Probe />
        </VigilSourceProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(pending.length).toBeGreaterThan(0));
    const live = pending.filter((p) => !p.signal?.aborted);
    expect(live).toHaveLength(1);
    act(() => live[0]!.resolve([series(3)]));
    await waitFor(() => expect(screen.getByTestId('p').textContent).toBe('success'));
  });

  it('stale-while-revalidate: a refetch keeps the old data visible, then swaps', async () => {
    const { source, pending } = fakeSource();
    const { result } = renderHook(() => useSeries(request), { wrapper: wrapper(source) });
    await waitFor(() => expect(pending).toHaveLength(1));
    act(() => pending[0]!.resolve([series(1)]));
    await waitFor(() => expect(result.current.status).toBe('success'));
    let refetched: Promise<void> | undefined;
    act(() => {
      refetched = result.current.refetch();
    });
    await waitFor(() => expect(pending).toHaveLength(2));
    expect(result.current).toMatchObject({ status: 'success', isFetching: true });
    expect(result.current.data?.[0]?.values[0]).toBe(1);
    await act(async () => {
      pending[1]!.resolve([series(2)]);
      await refetched;
    });
    expect(result.current.data?.[0]?.values[0]).toBe(2);
    expect(result.current.isFetching).toBe(false);
  });

  it('source errors become the error state, with the typed error', async () => {
    const { source, pending } = fakeSource();
    const { result } = renderHook(() => useSeries(request), { wrapper: wrapper(source) });
    await waitFor(() => expect(pending).toHaveLength(1));
    act(() => pending[0]!.reject(new SourceError('BAD_QUERY', 'parse error at char 3')));
    await waitFor(() => expect(result.current.status).toBe('error'));
    expect(result.current.error).toBeInstanceOf(SourceError);
    expect((result.current.error as SourceError).code).toBe('BAD_QUERY');
  });

  it('invalid input is an error state with a ValidationError, and nothing is fetched', () => {
    const { source } = fakeSource();
    const { result, rerender } = renderHook((props: RangeQuery) => useSeries(props), { wrapper: wrapper(source), initialProps: { ...request, stepMs: 0 } });
    expect(result.current.status).toBe('error');
    expect((result.current.error as ValidationError).path).toBe('stepMs');
    rerender({ ...request, range: { start: 10, end: 5 } });
    expect((result.current.error as ValidationError).path).toBe('range.end');
    rerender({ ...request, query: ' ' });
    expect((result.current.error as ValidationError).path).toBe('query');
    expect(source.queryRange).not.toHaveBeenCalled();
  });

  it('no source and a source without metrics are errors, not crashes', () => {
    const { result } = renderHook(() => useSeries(request));
    expect((result.current.error as SourceError).code).toBe('UNSUPPORTED');
    const { source } = fakeSource({ metrics: false });
    const { result: noMetrics } = renderHook(() => useSeries(request, { source }));
    expect((noMetrics.current.error as SourceError).message).toContain('no metrics');
  });

  it('keepPreviousData shows the last range while the next one loads', async () => {
    const { source, pending } = fakeSource();
    const { result, rerender } = renderHook((props: RangeQuery) => useSeries(props, { keepPreviousData: true }), {
      wrapper: wrapper(source),
      initialProps: request,
    });
    await waitFor(() => expect(pending).toHaveLength(1));
    act(() => pending[0]!.resolve([series(1)]));
    await waitFor(() => expect(result.current.status).toBe('success'));
    rerender({ ...request, range: { start: 60_000, end: 120_000 } });
    expect(result.current).toMatchObject({ status: 'success', isPreviousData: true, isFetching: true });
    expect(result.current.data?.[0]?.values[0]).toBe(1);
    await waitFor(() => expect(pending).toHaveLength(2));
    act(() => pending[1]!.resolve([series(2)]));
    await waitFor(() => expect(result.current.isPreviousData).toBe(false));
    expect(result.current.data?.[0]?.values[0]).toBe(2);
  });

  it('enabled: false fetches nothing', async () => {
    const { source } = fakeSource();
    const { result } = renderHook(() => useSeries(request, { enabled: false }), { wrapper: wrapper(source) });
    await act(async () => {});
    expect(result.current.status).toBe('idle');
    expect(source.queryRange).not.toHaveBeenCalled();
  });
});

describe('useInstantQuery and useEvents', () => {
  it('instant samples with warnings', async () => {
    const { source } = fakeSource();
    const { result } = renderHook(() => useInstantQuery({ query: 'up', time: 5000 }), { wrapper: wrapper(source) });
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(result.current.data?.[0]?.value).toBe(7);
    expect(result.current.warnings).toEqual(['approx']);
  });

  it('events, and UNSUPPORTED for a source without events', async () => {
    const { source } = fakeSource();
    const { result } = renderHook(() => useEvents({ range: { start: 100, end: 200 }, kinds: ['deploy'] }), { wrapper: wrapper(source) });
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(result.current.data?.[0]?.time).toBe(100);
    const { source: quiet } = fakeSource({ events: false });
    const { result: none } = renderHook(() => useEvents({ range: { start: 100, end: 200 } }, { source: quiet }));
    expect((none.current.error as SourceError).code).toBe('UNSUPPORTED');
  });
});

describe('useLiveRange', () => {
  it('advances on source ticks, aligned, and unsubscribes on unmount', () => {
    const { source, listeners } = fakeSource();
    const { result, unmount } = renderHook(() => useLiveRange(60_000, { now: () => 100_500, alignMs: 1000 }), { wrapper: wrapper(source) });
    expect(result.current).toEqual({ start: 40_000, end: 100_000 });
    expect(listeners.size).toBe(1);
    act(() => {
      for (const l of listeners) l({ kind: 'tick', time: 130_700 });
    });
    expect(result.current).toEqual({ start: 70_000, end: 130_000 });
    unmount();
    expect(listeners.size).toBe(0);
  });

  it('falls back to a timer when the source cannot push', () => {
    vi.useFakeTimers();
    try {
      let now = 1_000_000;
      const { source } = fakeSource({ live: false });
      const { result, unmount } = renderHook(() => useLiveRange(10_000, { now: () => now, intervalMs: 5000 }), { wrapper: wrapper(source) });
      expect(source.subscribe).not.toHaveBeenCalled();
      now = 1_005_000;
      act(() => {
        vi.advanceTimersByTime(5000);
      });
      expect(result.current.end).toBe(1_005_000);
      unmount();
      now = 2_000_000;
      act(() => {
        vi.advanceTimersByTime(50_000);
      });
      expect(result.current.end).toBe(1_005_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects a bad window', () => {
    expect(() => renderHook(() => useLiveRange(0))).toThrow(ValidationError);
  });
});

describe('useDataSource and useCapabilities', () => {
  it('reads the provider, and says what is missing outside one', () => {
    const { source } = fakeSource({ traces: false });
    const { result } = renderHook(() => ({ source: useDataSource(), caps: useCapabilities() }), { wrapper: wrapper(source) });
    expect(result.current.source).toBe(source);
    expect(result.current.caps?.traces).toBe(false);
    expect(() => renderHook(() => useDataSource())).toThrow(/VigilSourceProvider/);
    const { result: none } = renderHook(() => useCapabilities());
    expect(none.current).toBeUndefined();
  });

  it('a provider switch re-queries the new source', async () => {
    const a = fakeSource();
    const b = fakeSource();
    (b.source as { id: string }).id = 'other';
    const cache = new QueryCache();
    let swap: () => void = () => {};
    const App = () => {
      const [source, setSource] = useState(a.source);
      swap = () => setSource(b.source);
      return (
        <VigilSourceProvider source={source} cache={cache}>
          <Probe />
        </VigilSourceProvider>
      );
    };
    const Probe = () => <p>{useSeries(request).status}</p>;
    render(<App />);
    await waitFor(() => expect(a.pending).toHaveLength(1));
    act(() => swap());
    await waitFor(() => expect(b.pending).toHaveLength(1));
    await waitFor(() => expect(a.pending[0]!.signal?.aborted).toBe(true));
  });
});

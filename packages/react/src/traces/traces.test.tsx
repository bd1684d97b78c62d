import { describe, expect, it, vi } from 'vitest';
import type { ReactNode } from 'react';
import { act, fireEvent, render, renderHook, screen, waitFor } from '@testing-library/react';
import { renderToString } from 'react-dom/server';
import { SourceError, type DataSource, type TracePayload } from '@vigil/core';
import { StatusCode, flattenForDisplay } from '@vigil/core/traces';
import { QueryCache } from '../hooks/query-cache';
import { VigilSourceProvider } from '../hooks/VigilSourceProvider';
import { useTrace, useTraceSearch } from './useTrace';
import { TraceWaterfall } from './TraceWaterfall';
import { TraceSummary } from './TraceSummary';
import { Flamegraph } from './Flamegraph';
import { ServiceMap } from './ServiceMap';
import { SpanDetailPanel } from './SpanDetailPanel';
import { checkoutDocument, malformedDocument, storyTrace } from './story-data';
import { layoutServiceMap, serviceLayers } from './service-map-layout';
import { depthIndex, flameKeyTarget, spanAt } from './flame-model';

function wrapper(source: DataSource) {
  const cache = new QueryCache();
  return ({ children }: { children: ReactNode }) => (
    <VigilSourceProvider source={source} cache={cache}>
      {children}
    </VigilSourceProvider>
  );
}

function traceSource(getTrace: (id: string, options?: { signal?: AbortSignal }) => Promise<TracePayload>, traces = true): DataSource {
  return {
    id: 'fake-traces',
    capabilities: { metrics: false, traces, events: false, live: false, queryLanguage: 'none' },
    queryRange: async () => ({ data: [], warnings: [] }),
    queryInstant: async () => ({ data: [], warnings: [] }),
    getTrace: vi.fn(getTrace),
    searchTraces: vi.fn(async () => [{ traceId: 'abc', rootService: 'frontend', rootOperation: 'GET /', start: 0, durationMs: 12, spanCount: 3, errorCount: 0, services: ['frontend'] }]),
  };
}

describe('useTrace', () => {
  it('loads and parses a trace, carrying the engine warnings', async () => {
    const source = traceSource(async () => ({ format: 'otlp-json', body: malformedDocument() }));
    const { result } = renderHook(() => useTrace('t1'), { wrapper: wrapper(source) });
    expect(result.current.status).toBe('loading');
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(result.current.data?.spanCount).toBe(10);
    expect(result.current.warnings.length).toBe(result.current.data!.warnings.length);
    expect(result.current.warnings.length).toBeGreaterThan(3);
    expect(source.getTrace).toHaveBeenCalledTimes(1);
  });

  it('says UNSUPPORTED (and unsupported: true) for a source without traces, and never calls it', () => {
    const source = traceSource(async () => ({ format: 'otlp-json', body: checkoutDocument() }), false);
    const { result } = renderHook(() => useTrace('t1'), { wrapper: wrapper(source) });
    expect(result.current.status).toBe('error');
    expect(result.current.unsupported).toBe(true);
    expect((result.current.error as SourceError).code).toBe('UNSUPPORTED');
    expect(source.getTrace).not.toHaveBeenCalled();
  });

  it('reports a source failure and an empty id as errors, and stays idle for a null id', async () => {
    const source = traceSource(async () => {
      throw new SourceError('NOT_FOUND', 'no such trace');
    });
    const failing = renderHook(() => useTrace('missing'), { wrapper: wrapper(source) });
    await waitFor(() => expect(failing.result.current.status).toBe('error'));
    expect((failing.result.current.error as SourceError).code).toBe('NOT_FOUND');
    const empty = renderHook(() => useTrace('  '), { wrapper: wrapper(source) });
    expect(empty.result.current.status).toBe('error');
    expect(String(empty.result.current.error)).toMatch(/traceId/);
    const idle = renderHook(() => useTrace(null), { wrapper: wrapper(source) });
    expect(idle.result.current.status).toBe('idle');
  });

  it('aborts the request when the last user unmounts', async () => {
    let signal: AbortSignal | undefined;
    const source = traceSource((_, options) => {
      signal = options?.signal;
      return new Promise(() => {});
    });
    const { unmount } = renderHook(() => useTrace('slow'), { wrapper: wrapper(source) });
    await waitFor(() => expect(signal).toBeDefined());
    unmount();
    await waitFor(() => expect(signal?.aborted).toBe(true));
  });

  it('a malformed payload (not a trace document) becomes an error state, not a crash', async () => {
    const source = traceSource(async () => ({ format: 'otlp-json', body: 42 }));
    const { result } = renderHook(() => useTrace('t'), { wrapper: wrapper(source) });
    await waitFor(() => expect(result.current.status).not.toBe('loading'));
    // either the parser rejects the document or it yields an empty trace with a warning; never a throw
    if (result.current.status === 'success') expect(result.current.data!.spanCount).toBe(0);
    else expect(result.current.error).toBeTruthy();
  });
});

describe('useTraceSearch', () => {
  it('returns the rows of the source and validates the range', async () => {
    const source = traceSource(async () => ({ format: 'otlp-json', body: checkoutDocument() }));
    const { result } = renderHook(() => useTraceSearch({ range: { start: 0, end: 1000 }, service: 'frontend' }), { wrapper: wrapper(source) });
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(result.current.data?.[0]?.traceId).toBe('abc');
    const bad = renderHook(() => useTraceSearch({ range: { start: 10, end: 0 } }), { wrapper: wrapper(source) });
    expect(bad.result.current.status).toBe('error');
    expect(String(bad.result.current.error)).toMatch(/range\.end/);
  });
});

describe('TraceWaterfall in jsdom', () => {
  const model = storyTrace('checkout');
  const rows = flattenForDisplay(model);

  it('is SSR-safe', () => {
    const html = renderToString(<TraceWaterfall trace={model} height={200} />);
    expect(html).toContain('role="treegrid"');
  });

  it('keyboard: arrows move the active row, right/left collapse and expand, Enter opens the details', () => {
    render(<TraceWaterfall trace={model} height={400} />);
    const grid = screen.getByRole('treegrid');
    fireEvent.focus(grid);
    expect(grid.getAttribute('aria-activedescendant')).toMatch(new RegExp(`-row-${rows[0]}$`));
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    expect(grid.getAttribute('aria-activedescendant')).toMatch(new RegExp(`-row-${rows[1]}$`));
    fireEvent.keyDown(grid, { key: 'ArrowUp' });
    fireEvent.keyDown(grid, { key: 'ArrowLeft' }); // collapse the root
    expect(grid.getAttribute('aria-rowcount')).toBe(String(model.roots.length));
    fireEvent.keyDown(grid, { key: 'ArrowRight' }); // expand it again
    expect(grid.getAttribute('aria-rowcount')).toBe(String(model.spanCount));
    fireEvent.keyDown(grid, { key: 'End' });
    fireEvent.keyDown(grid, { key: 'Enter' });
    const details = screen.getByRole('region');
    expect(details.textContent).toContain(model.operations[model.operation[rows[rows.length - 1]!]!]);
  });

  it('"/" focuses the search; Enter in the search goes to the next hit', () => {
    render(<TraceWaterfall trace={model} height={400} />);
    const grid = screen.getByRole('treegrid');
    fireEvent.keyDown(grid, { key: '/' });
    const search = screen.getByRole('searchbox');
    expect(document.activeElement).toBe(search);
    fireEvent.change(search, { target: { value: 'redis' } });
    const status = screen.getByTestId('vigil-trace-search-status');
    const expected = [...rows].filter((i) => model.services[model.service[i]!]!.includes('redis') || model.operations[model.operation[i]!]!.toLowerCase().includes('redis'));
    expect(status.textContent).toBe(`– of ${expected.length}`);
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(status.textContent).toBe(`1 of ${expected.length}`);
    fireEvent.keyDown(search, { key: 'Enter', shiftKey: true });
    fireEvent.keyDown(search, { key: 'Enter', shiftKey: true });
    expect(status.textContent).toBe(`${expected.length - 1} of ${expected.length}`);
  });

  it('filters: errors only, then a minimum duration, through the toolbar (controlled callback too)', () => {
    const onFiltersChange = vi.fn();
    render(<TraceWaterfall trace={model} height={400} onFiltersChange={onFiltersChange} />);
    fireEvent.click(screen.getByLabelText('Errors only'));
    expect(onFiltersChange).toHaveBeenLastCalledWith(expect.objectContaining({ errorsOnly: true }));
    const grid = screen.getByRole('treegrid');
    const expected = flattenForDisplay(model, { filter: (i) => model.status[i] === StatusCode.ERROR });
    expect(grid.getAttribute('aria-rowcount')).toBe(String(expected.length));
    fireEvent.change(screen.getByLabelText('Min ms'), { target: { value: '100000' } });
    expect(screen.getByText('No spans match the filters.')).toBeTruthy();
  });

  it('renders attribute values as text, never as HTML', () => {
    const error = [...rows].find((i) => model.status[i] === StatusCode.ERROR)!;
    const { container } = render(<SpanDetailPanel trace={model} span={error} />);
    expect(container.textContent).toContain('<b>503</b> from upstream');
    expect(container.querySelector('b')).toBeNull();
  });

  it('shows the empty, loading and error states and keeps bad input inside the component', () => {
    const { rerender } = render(<TraceWaterfall trace={undefined} />);
    expect(screen.getByText('This trace has no spans.')).toBeTruthy();
    rerender(<TraceWaterfall trace={undefined} loading />);
    expect(screen.getByText(/Loading trace/)).toBeTruthy();
    rerender(<TraceWaterfall trace={undefined} error={new SourceError('SOURCE_TIMEOUT', 'too slow')} />);
    expect(screen.getByRole('alert').textContent).toContain('too slow');
    rerender(<TraceWaterfall trace={model} filters={{ minDurationMs: -5 }} />);
    expect(screen.getByRole('alert').textContent).toMatch(/minDurationMs/);
  });

  it('TraceSummary counts spans, services and errors like a direct count', () => {
    render(<TraceSummary trace={model} />);
    let errors = 0;
    for (let i = 0; i < model.spanCount; i++) if (model.status[i] === StatusCode.ERROR) errors++;
    expect(screen.getByTestId('vigil-trace-summary-spans').textContent).toBe(String(model.spanCount));
    expect(screen.getByTestId('vigil-trace-summary-errors').textContent).toBe(String(errors));
    expect(screen.getByTestId('vigil-trace-summary-services').textContent).toBe(String(new Set(model.service).size));
  });

  it('Flamegraph and ServiceMap render in jsdom (no canvas) without crashing', () => {
    render(<Flamegraph trace={model} />);
    render(<ServiceMap trace={model} />);
    act(() => {});
    expect(screen.getByTestId('vigil-flamegraph')).toBeTruthy();
  });
});

describe('flame graph helpers', () => {
  const model = storyTrace('medium');
  const index = depthIndex(model);

  it('depthIndex holds every span once at its depth', () => {
    const seen = new Uint8Array(model.spanCount);
    for (let d = 0; d <= model.maxDepth; d++) {
      for (let k = index.offsets[d]!; k < index.offsets[d + 1]!; k++) {
        const v = index.spans[k]!;
        expect(model.depth[v]).toBe(d);
        seen[v]!++;
      }
    }
    expect(seen.every((x) => x === 1)).toBe(true);
  });

  it('spanAt finds a span covering the point at that depth (brute force)', () => {
    for (const [depth, t] of [
      [0, 1e6],
      [2, 3e8],
      [4, 9e8],
      [6, 1.2e9],
    ] as const) {
      const got = spanAt(model, index, depth, t);
      const covering = [...Array(model.spanCount).keys()].filter((i) => model.depth[i] === depth && model.startOffsetNs[i]! <= t && t <= model.endOffsetNs[i]!);
      if (covering.length === 0) expect(got).toBe(-1);
      else expect(covering).toContain(got);
    }
  });

  it('flameKeyTarget moves to parent, first child and siblings', () => {
    const root = model.roots[0]!;
    const child = model.children[model.childOffsets[root]!]!;
    expect(flameKeyTarget(model, root, 'ArrowDown')).toBe(child);
    expect(flameKeyTarget(model, child, 'ArrowUp')).toBe(root);
    const second = model.children[model.childOffsets[root]! + 1];
    if (second !== undefined) {
      expect(flameKeyTarget(model, child, 'ArrowRight')).toBe(second);
      expect(flameKeyTarget(model, second, 'ArrowLeft')).toBe(child);
    }
    expect(flameKeyTarget(model, root, 'ArrowUp')).toBe(root);
    expect(flameKeyTarget(model, -1, 'ArrowDown')).toBe(root);
  });
});

describe('service map layout', () => {
  const graph = {
    nodes: ['a', 'b', 'c', 'd'].map((service) => ({ service, spanCount: 1, errorCount: 0, selfTimeNs: 0, inferred: false })),
    edges: [
      ['a', 'b'],
      ['b', 'c'],
      ['a', 'c'],
      ['c', 'b'],
    ].map(([from, to]) => ({ from: from!, to: to!, callCount: 1, errorCount: 0, totalDurationNs: 1, p50Ns: 1, p95Ns: 1, p99Ns: 1, maxNs: 1 })),
  };

  it('puts services in columns by breadth-first call distance, surviving cycles', () => {
    const layers = serviceLayers(graph);
    expect(Object.fromEntries(layers)).toEqual({ a: 0, d: 0, b: 1, c: 1 });
  });

  it('is deterministic and keeps boxes apart within a column', () => {
    const one = layoutServiceMap(graph);
    const two = layoutServiceMap(graph);
    expect(one).toEqual(two);
    const b = one.nodes.find((n) => n.service === 'b')!;
    const c = one.nodes.find((n) => n.service === 'c')!;
    expect(b.x).toBe(c.x);
    expect(Math.abs(b.y - c.y)).toBeGreaterThan(30);
    for (const n of one.nodes) {
      expect(Number.isFinite(n.x) && Number.isFinite(n.y)).toBe(true);
      expect(n.y).toBeGreaterThanOrEqual(0);
    }
  });
});

import { useCallback, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import type { TraceSearch } from '@vigil/core';
import { DEFAULT_PLANS, defaultServices, leafSpanName } from '@vigil/adapters/simulated';
import { Flamegraph, ServiceMap, TraceSummary, TraceWaterfall, useTrace, useTraceSearch } from '@vigil/react';
import { Segmented, type SegmentOption } from '../shell/Segmented';
import { RANGE_LABEL, RANGE_MS } from '../lib/params';
import type { DemoTabProps } from '../shell/tabProps';
import { TraceResults, SORT_LABEL, sortRows, type TraceSort } from './TraceResults';
import { readTraceLink, writeTraceLink } from './traceLink';
import './traces.css';

/** Most traces one search returns. */
const SEARCH_LIMIT = 300;
const RESULTS_HEIGHT = 560;

/** Services and their root operations, for the pickers (the simulated fleet). */
const SERVICES = defaultServices.map((s) => s.name).sort();
/** Span names each service makes: its routes, then what its routes do (database statements, calls, RPCs). */
const OPERATIONS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  defaultServices.map((s) => {
    const routes = s.routes.map((r) => `${r.method} ${r.route}`);
    const steps = routes.flatMap((route) => (DEFAULT_PLANS[`${s.name} ${route}`] ?? []).map(leafSpanName));
    return [s.name, [...new Set([...routes, ...steps])]];
  }),
);

interface SearchForm {
  readonly service: string;
  readonly operation: string;
  readonly minDurationMs: string;
  readonly errorsOnly: boolean;
}

const EMPTY_FORM: SearchForm = { service: '', operation: '', minDurationMs: '', errorsOnly: false };

/** The form as a search over the last `rangeMs` before `now`; undefined fields are left out (exactOptionalPropertyTypes). */
function toSearch(form: SearchForm, now: number, rangeMs: number): TraceSearch {
  const min = Number(form.minDurationMs);
  return {
    range: { start: Math.max(0, now - rangeMs), end: now },
    limit: SEARCH_LIMIT,
    ...(form.service === '' ? {} : { service: form.service }),
    ...(form.operation.trim() === '' ? {} : { operation: form.operation.trim() }),
    ...(form.minDurationMs.trim() !== '' && Number.isFinite(min) && min > 0 ? { minDurationMs: min } : {}),
    ...(form.errorsOnly ? { status: 'error' as const } : {}),
  };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * The demo's Traces tab: search the simulated source's traces (service, operation, minimum duration, errors only) over
 * the header's time range, pick one from the results (sortable, virtualised), and read it in TraceSummary and
 * TraceWaterfall with the critical path (or the Flamegraph or the ServiceMap of the trace). `?trace=<id>#/traces` links to a trace.
 */
export function TracesTab({ range, clock, sourceHasTraces }: DemoTabProps & { sourceHasTraces: boolean }): ReactNode {
  const [draft, setDraft] = useState<SearchForm>(EMPTY_FORM);
  const [search, setSearch] = useState<TraceSearch>(() => toSearch(EMPTY_FORM, clock(), RANGE_MS[range]));
  // slowest first: the tab is for finding where time goes
  const [sort, setSort] = useState<TraceSort>('slowest');
  const [selected, setSelected] = useState<string | undefined>(readTraceLink);

  const run = useCallback((form: SearchForm) => setSearch(toSearch(form, clock(), RANGE_MS[range])), [clock, range]);
  // a new time range in the header runs the search again
  const [searchedRange, setSearchedRange] = useState(range);
  if (searchedRange !== range) {
    setSearchedRange(range);
    setSearch(toSearch(draft, clock(), RANGE_MS[range]));
  }

  const results = useTraceSearch(sourceHasTraces ? search : null, { keepPreviousData: true });
  const rows = useMemo(() => sortRows(results.data ?? [], sort), [results.data, sort]);

  const select = useCallback((traceId: string | undefined) => {
    setSelected(traceId);
    writeTraceLink(traceId);
  }, []);

  // with no trace chosen yet, open the first result so the tab never shows an empty detail pane
  useEffect(() => {
    if (selected === undefined && rows.length > 0 && !results.isPreviousData) setSelected(rows[0]!.traceId);
  }, [rows, selected, results.isPreviousData]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    run(draft);
  };
  const update = (patch: Partial<SearchForm>, immediately: boolean) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    if (immediately) run(next);
  };

  const operations = draft.service === '' ? Object.values(OPERATIONS).flat() : (OPERATIONS[draft.service] ?? []);
  const searching = results.status === 'loading' || results.isFetching;
  const found = results.data === undefined ? '' : `${rows.length === SEARCH_LIMIT ? `the newest ${SEARCH_LIMIT}` : rows.length} ${rows.length === 1 ? 'trace' : 'traces'}`;
  const subtitle = [RANGE_LABEL[range], found, searching ? 'searching…' : results.status === 'error' ? 'search failed' : ''].filter((part) => part !== '').join(' · ');

  return (
    <section className="ov trx" data-region="traces" aria-labelledby="trx-title">
      <div className="ov-toolbar">
        <div>
          <h1 id="trx-title" className="ov-title">
            Traces
          </h1>
          <p className="ov-subtitle" aria-live="polite">
            {subtitle}
          </p>
        </div>
      </div>

      {!sourceHasTraces ? (
        <p className="trx-message" role="status">
          This data source has no traces (its capabilities say traces: false).
        </p>
      ) : (
        <>
          <form className="trx-form" role="search" aria-label="Search traces" onSubmit={onSubmit}>
            <label className="trx-field">
              <span>Service</span>
              <select className="ov-select" value={draft.service} onChange={(e) => update({ service: e.target.value, operation: '' }, true)}>
                <option value="">Any service</option>
                {SERVICES.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
            <label className="trx-field">
              <span>Operation</span>
              <input className="trx-input" list="trx-operations" placeholder="Any operation" value={draft.operation} onChange={(e) => update({ operation: e.target.value }, false)} />
              <datalist id="trx-operations">
                {[...new Set(operations)].map((name) => (
                  <option key={name} value={name} />
                ))}
              </datalist>
            </label>
            <label className="trx-field trx-field--narrow">
              <span>Min duration (ms)</span>
              <input className="trx-input" type="number" min={0} step="any" inputMode="decimal" placeholder="0" value={draft.minDurationMs} onChange={(e) => update({ minDurationMs: e.target.value }, false)} />
            </label>
            <label className="trx-check">
              <input type="checkbox" checked={draft.errorsOnly} onChange={(e) => update({ errorsOnly: e.target.checked }, true)} />
              <span>Errors only</span>
            </label>
            <div className="trx-form__actions">
              <button type="submit" className="demo-button trx-primary">
                Search
              </button>
              <button
                type="button"
                className="demo-button"
                onClick={() => {
                  setDraft(EMPTY_FORM);
                  run(EMPTY_FORM);
                }}
              >
                Reset
              </button>
            </div>
          </form>

          <div className="trx-layout">
            <div className="trx-list">
              <div className="trx-list__head">
                <h2 className="trx-heading" id="trx-results-title">
                  Results
                </h2>
                <label className="trx-field trx-field--inline">
                  <span>Sort</span>
                  <select className="ov-select trx-sort" value={sort} onChange={(e) => setSort(e.target.value as TraceSort)}>
                    {(Object.keys(SORT_LABEL) as TraceSort[]).map((key) => (
                      <option key={key} value={key}>
                        {SORT_LABEL[key]}
                      </option>
                    ))}
                  </select>
                </label>
              </div>
              {results.status === 'error' ? (
                <div className="trx-message trx-message--error" role="alert">
                  <strong>Trace search failed.</strong> {messageOf(results.error)}
                  <button type="button" className="demo-button" onClick={() => void results.refetch()}>
                    Retry
                  </button>
                </div>
              ) : results.data === undefined ? (
                <div className="trx-message" role="status" aria-busy="true">
                  Searching traces…
                </div>
              ) : rows.length === 0 ? (
                <div className="trx-message" role="status">
                  No traces match. Widen the time range or remove a filter.
                </div>
              ) : (
                <TraceResults rows={rows} selected={selected} onSelect={select} height={RESULTS_HEIGHT} busy={searching} />
              )}
            </div>
            <div className="trx-detail">
              <TraceDetail traceId={selected} />
            </div>
          </div>
        </>
      )}
    </section>
  );
}

type DetailView = 'waterfall' | 'flamegraph' | 'map';

const VIEW_OPTIONS: readonly SegmentOption<DetailView>[] = [
  { value: 'waterfall', label: 'Waterfall' },
  { value: 'flamegraph', label: 'Flame graph' },
  { value: 'map', label: 'Service map' },
];

/**
 * The chosen trace: its summary, then one of three views of it. The waterfall and the flame graph share the selected
 * span, so a span picked in one is selected in the other.
 */
function TraceDetail({ traceId }: { readonly traceId: string | undefined }): ReactNode {
  // clock skew is adjusted so a skewed host's spans sit inside their callers (reported as warnings)
  const trace = useTrace(traceId ?? null, { parse: { adjustClockSkew: true }, staleTimeMs: Infinity });
  const [view, setView] = useState<DetailView>('waterfall');
  const [selectedSpan, setSelectedSpan] = useState<number | null>(null);
  // a span index means nothing in another trace
  const [spanTrace, setSpanTrace] = useState(traceId);
  if (spanTrace !== traceId) {
    setSpanTrace(traceId);
    setSelectedSpan(null);
  }
  if (traceId === undefined) {
    return (
      <div className="trx-message" role="status">
        Choose a trace to see where its time went.
      </div>
    );
  }
  const loading = trace.status === 'loading';
  const model = trace.status === 'success' ? trace.data : undefined;
  // as tall as the trace needs, up to a screenful
  const height = model === undefined ? 320 : Math.max(160, Math.min(560, model.spanCount * 24 + 8));
  const views =
    view === 'waterfall' ? (
      <TraceWaterfall
        trace={model}
        loading={loading}
        error={trace.error}
        height={height}
        selectedSpan={selectedSpan}
        onSelectedSpanChange={setSelectedSpan}
        label={`Waterfall of trace ${traceId}`}
      />
    ) : view === 'flamegraph' ? (
      <Flamegraph
        trace={model}
        loading={loading}
        error={trace.error}
        height={Math.max(200, Math.min(420, ((model?.maxDepth ?? 8) + 2) * 22 + 40))}
        selectedSpan={selectedSpan}
        onSelectedSpanChange={setSelectedSpan}
        label={`Flame graph of trace ${traceId}`}
      />
    ) : (
      <ServiceMap trace={model} loading={loading} error={trace.error} label={`Service map of trace ${traceId}`} />
    );
  return (
    <div className="trx-detail__body" data-trace-id={traceId} data-status={trace.status} data-view={view}>
      {/* on an error (NOT_FOUND, an outage) the summary says it once; the views would only repeat it */}
      <TraceSummary trace={model} loading={loading} error={trace.error} headingLevel={2} />
      {trace.status === 'error' ? null : (
        <>
          <div className="trx-views">
            <Segmented legend="Trace view" name="trx-view" options={VIEW_OPTIONS} value={view} onChange={setView} />
          </div>
          {views}
        </>
      )}
    </div>
  );
}

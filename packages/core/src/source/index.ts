import type { Labels, Series, TimeRange } from '../series/types';

export type { Labels, Series, TimeRange } from '../series/types';

/**
 * The data-source contract. A host app implements this for its own backend (or picks an adapter from
 * `@vigil/adapters`) and hands it to the components and engines. Every method takes an AbortSignal, every failure
 * is a `SourceError` with a code (`SOURCE_UNREACHABLE`, `SOURCE_TIMEOUT`, `BAD_QUERY`, `UNAUTHORIZED`,
 * `PARTIAL_DATA`, ...), and `capabilities` says what the source can do so a component can say "this source has no
 * traces" instead of breaking. Only `id`, `capabilities`, `queryRange` and `queryInstant` are required.
 *
 * @example
 * const source: DataSource = {
 *   id: 'my-backend',
 *   capabilities: { metrics: true, traces: false, events: false, live: false, queryLanguage: 'promql' },
 *   async queryRange({ query, range, stepMs }, { signal } = {}) {
 *     const rows = await fetchMyBackend(query, range, stepMs, signal);
 *     return { data: rows.map(toSeries), warnings: [] };
 *   },
 *   async queryInstant({ query, time }, { signal } = {}) { ... },
 * };
 */
export interface DataSource {
  /** Stable id, used in cache keys. */
  readonly id: string;
  readonly capabilities: SourceCapabilities;

  /** Series over a range at a fixed step. Timestamps are aligned to multiples of `stepMs`. */
  queryRange(request: RangeQuery, options?: QueryOptions): Promise<QueryResult<Series[]>>;
  /** One sample per series at one instant. */
  queryInstant(request: InstantQuery, options?: QueryOptions): Promise<QueryResult<InstantSample[]>>;

  /** Metric names and their metadata, for pickers. */
  listMetrics?(options?: QueryOptions): Promise<MetricMetadata[]>;
  /** Label names, optionally restricted to series matching `match` selectors. */
  labelNames?(request?: LabelQuery, options?: QueryOptions): Promise<string[]>;
  /** Values of one label, optionally restricted to series matching `match` selectors. */
  labelValues?(label: string, request?: LabelQuery, options?: QueryOptions): Promise<string[]>;

  /** One trace by id, in a wire format the trace engine parses. Fails with NOT_FOUND when absent. */
  getTrace?(traceId: string, options?: QueryOptions): Promise<TracePayload>;
  /** Trace summaries matching a search. */
  searchTraces?(request: TraceSearch, options?: QueryOptions): Promise<TraceSummaryRow[]>;

  /** Events (deploys, incidents, alerts) in a range. */
  queryEvents?(request: EventQuery, options?: QueryOptions): Promise<SourceEvent[]>;

  /**
   * Live updates. The listener is called when new data is available (`tick`) or an event happens.
   * Returns the function that unsubscribes; aborting `options.signal` unsubscribes too.
   */
  subscribe?(listener: LiveListener, options?: SubscribeOptions): Unsubscribe;
}

export interface SourceCapabilities {
  readonly metrics: boolean;
  readonly traces: boolean;
  readonly events: boolean;
  /** Whether `subscribe` delivers live updates. */
  readonly live: boolean;
  /** The language of `query` strings, such as `promql`. */
  readonly queryLanguage: string;
  /** Whether metadata (`listMetrics`, `labelNames`, `labelValues`) is available. */
  readonly metadata?: boolean;
}

export interface QueryOptions {
  readonly signal?: AbortSignal;
}

export interface RangeQuery {
  /** The query, in the source's `capabilities.queryLanguage`. */
  readonly query: string;
  readonly range: TimeRange;
  /** Resolution in milliseconds, > 0. */
  readonly stepMs: number;
}

export interface InstantQuery {
  readonly query: string;
  /** Evaluation time, epoch ms. */
  readonly time: number;
}

export interface InstantSample {
  readonly name?: string;
  readonly labels: Labels;
  readonly timestamp: number;
  readonly value: number;
}

/** What a query returned, plus anything the caller should know (partial data, truncation, approximations). */
export interface QueryResult<T> {
  readonly data: T;
  readonly warnings: readonly string[];
}

export interface MetricMetadata {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'unknown';
  readonly help?: string;
  readonly unit?: string;
}

export interface LabelQuery {
  /** Series selectors in the source's language. */
  readonly match?: readonly string[];
  readonly range?: TimeRange;
}

/** A trace as the source sent it. `@vigil/core/traces` parses these formats into its columnar model. */
export interface TracePayload {
  readonly format: 'otlp-json' | 'jaeger-json' | 'zipkin-v2-json';
  /** The parsed JSON body, untrusted. */
  readonly body: unknown;
}

export interface TraceSearch {
  readonly range: TimeRange;
  readonly service?: string;
  readonly operation?: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly minDurationMs?: number;
  readonly maxDurationMs?: number;
  readonly status?: 'ok' | 'error' | 'unset';
  readonly limit?: number;
}

export interface TraceSummaryRow {
  readonly traceId: string;
  readonly rootService: string;
  readonly rootOperation: string;
  /** Epoch ms. */
  readonly start: number;
  readonly durationMs: number;
  readonly spanCount: number;
  readonly errorCount: number;
  readonly services: readonly string[];
}

export type SourceEventKind = 'deploy' | 'incident' | 'alert' | 'annotation';

export interface SourceEvent {
  readonly id: string;
  readonly kind: SourceEventKind;
  readonly title: string;
  /** Epoch ms. */
  readonly time: number;
  /** Epoch ms, for events with a duration (incidents, maintenance). */
  readonly endTime?: number;
  readonly service?: string;
  readonly severity?: 'info' | 'warning' | 'critical';
  readonly labels?: Labels;
}

export interface EventQuery {
  readonly range: TimeRange;
  readonly kinds?: readonly SourceEventKind[];
  readonly service?: string;
}

export type LiveUpdate =
  /** New data is available up to `time` (epoch ms): re-query windows that end at "now". */
  | { readonly kind: 'tick'; readonly time: number }
  | { readonly kind: 'event'; readonly event: SourceEvent };

export type LiveListener = (update: LiveUpdate) => void;

export interface SubscribeOptions {
  readonly signal?: AbortSignal;
  /** Preferred tick interval in ms; the source may round it. */
  readonly intervalMs?: number;
  /** Called when the live feed fails; the subscription ends. */
  readonly onError?: (error: unknown) => void;
}

export type Unsubscribe = () => void;

import { ValidationError, throwIfAborted } from '@vigil/core/errors';
import type {
  DataSource,
  InstantQuery,
  Labels,
  LiveListener,
  MetricMetadata,
  QueryOptions,
  QueryResult,
  RangeQuery,
  SourceCapabilities,
  SubscribeOptions,
  TimeRange,
  Unsubscribe,
} from '@vigil/core/source';
import { callApi } from './http';
import type { ApiRequest } from './http';
import { resolveOptions } from './options';
import type { PrometheusSourceOptions, ResolvedOptions } from './options';
import { invalidResponse, parseInstant, parseLabelSets, parseMatrix, parseStringList } from './parse';
import type { PrometheusInstantSample, PrometheusSeries } from './parse';
import { formatSeriesMatcher } from './selector';
import type { SeriesMatcher } from './selector';

/** A series selector: PromQL text passed as is, or a metric and exact label values that the adapter escapes. */
export type PrometheusMatch = string | SeriesMatcher;

/** `labelNames` / `labelValues` request: optional selectors and time range. */
export interface PrometheusLabelQuery {
  readonly match?: readonly PrometheusMatch[];
  readonly range?: TimeRange;
}

/** `series` request: at least one selector, optional time range. */
export interface PrometheusSeriesQuery {
  readonly match: readonly PrometheusMatch[];
  readonly range?: TimeRange;
}

/** The Prometheus data source: the `DataSource` contract plus `series` lookups and native histogram samples. */
export interface PrometheusSource extends DataSource {
  queryRange(request: RangeQuery, options?: QueryOptions): Promise<QueryResult<PrometheusSeries[]>>;
  queryInstant(request: InstantQuery, options?: QueryOptions): Promise<QueryResult<PrometheusInstantSample[]>>;
  listMetrics(options?: QueryOptions): Promise<MetricMetadata[]>;
  labelNames(request?: PrometheusLabelQuery, options?: QueryOptions): Promise<string[]>;
  labelValues(label: string, request?: PrometheusLabelQuery, options?: QueryOptions): Promise<string[]>;
  /** Label sets (with `__name__`) of the series matching the selectors: `/api/v1/series`. */
  series(request: PrometheusSeriesQuery, options?: QueryOptions): Promise<Labels[]>;
  subscribe(listener: LiveListener, options?: SubscribeOptions): Unsubscribe;
}

/**
 * Aligns a range to its step the way Grafana does, so that the same panel asked a few seconds later sends the same
 * `start`/`end` and caches (Prometheus' results cache, a proxy's, ours) hit: both ends are rounded down to a
 * multiple of `stepMs` counted from the Unix epoch (UTC). The aligned range starts at most one step before the
 * asked one and ends at most one step before its end, so it never asks for the future.
 *
 * @example
 * alignRange({ start: 1_000_130_000, end: 1_000_250_000 }, 60_000); // { start: 1_000_080_000, end: 1_000_200_000 }
 */
export function alignRange(range: TimeRange, stepMs: number): TimeRange {
  return { start: Math.floor(range.start / stepMs) * stepMs, end: Math.floor(range.end / stepMs) * stepMs };
}

const seconds = (ms: number): string => String(ms / 1000);

function validateRange(range: unknown, path: string): TimeRange {
  if (range === null || typeof range !== 'object') throw new ValidationError(path, 'a { start, end } range in epoch ms', range);
  const { start, end } = range as TimeRange;
  if (typeof start !== 'number' || !Number.isFinite(start)) throw new ValidationError(`${path}.start`, 'a finite epoch ms', start);
  if (typeof end !== 'number' || !Number.isFinite(end)) throw new ValidationError(`${path}.end`, 'a finite epoch ms', end);
  if (start > end) throw new ValidationError(`${path}.end`, `an end >= start (${start})`, end);
  return { start, end };
}

function validateQuery(query: unknown, path: string): string {
  if (typeof query !== 'string' || query.trim().length === 0) throw new ValidationError(path, 'a non-empty PromQL string', query);
  return query;
}

function matchParams(match: unknown, path: string, required: boolean): [string, string][] {
  if (match === undefined && !required) return [];
  if (!Array.isArray(match) || (required && match.length === 0)) throw new ValidationError(path, required ? 'a non-empty array of selectors' : 'an array of selectors', match);
  return match.map((m: unknown, i) => {
    if (typeof m === 'string') {
      if (m.trim().length === 0) throw new ValidationError(`${path}[${i}]`, 'a non-empty selector', m);
      return ['match[]', m];
    }
    return ['match[]', formatSeriesMatcher(m as SeriesMatcher, `${path}[${i}]`)];
  });
}

function rangeParams(range: unknown, path: string): [string, string][] {
  if (range === undefined) return [];
  const { start, end } = validateRange(range, path);
  return [
    ['start', seconds(start)],
    ['end', seconds(end)],
  ];
}

function optionalRequest(request: unknown, path: string): Record<string, unknown> {
  if (request === undefined) return {};
  if (request === null || typeof request !== 'object') throw new ValidationError(path, 'a request object', request);
  return request as Record<string, unknown>;
}

const METADATA_TYPES: Readonly<Record<string, MetricMetadata['type']>> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  gaugehistogram: 'histogram',
  summary: 'summary',
};

/**
 * A data source for Prometheus and anything that speaks its HTTP API. Range and instant queries, label names and
 * values, series lookups and metric metadata, with a deadline, safe retries, a response size cap, typed errors and
 * AbortSignal everywhere. See `docs/prometheus.md`.
 *
 * @throws ValidationError for invalid options (the path names the field).
 * @example
 * const prometheus = createPrometheusSource({ url: 'http://localhost:9090' });
 * const { data, warnings } = await prometheus.queryRange({
 *   query: 'sum by (job) (rate(http_requests_total[5m]))',
 *   range: { start: Date.now() - 3_600_000, end: Date.now() },
 *   stepMs: 60_000,
 * });
 * const jobs = await prometheus.labelValues('job', { match: [{ metric: 'up' }] });
 */
export function createPrometheusSource(options: PrometheusSourceOptions): PrometheusSource {
  const resolved: ResolvedOptions = resolveOptions(options);
  const call = (request: Omit<ApiRequest, 'signal'>, queryOptions: QueryOptions | undefined) =>
    callApi(resolved, { ...request, signal: validateQueryOptions(queryOptions) });

  const capabilities: SourceCapabilities = { metrics: true, traces: false, events: false, live: true, metadata: true, queryLanguage: 'promql' };

  return {
    id: resolved.id,
    capabilities,

    async queryRange(request, queryOptions) {
      if (request === null || typeof request !== 'object') throw new ValidationError('request', 'a { query, range, stepMs } object', request);
      const query = validateQuery(request.query, 'request.query');
      const range = validateRange(request.range, 'request.range');
      const { stepMs } = request;
      if (typeof stepMs !== 'number' || !Number.isFinite(stepMs) || stepMs < 1) throw new ValidationError('request.stepMs', 'a finite number of ms >= 1', stepMs);
      const aligned = alignRange(range, stepMs);
      const response = await call(
        {
          path: '/api/v1/query_range',
          postable: true,
          what: 'query_range',
          params: [
            ['query', query],
            ['start', seconds(aligned.start)],
            ['end', seconds(aligned.end)],
            ['step', seconds(stepMs)],
          ],
        },
        queryOptions,
      );
      const parsed = parseMatrix(response.data, 'query_range');
      return { data: parsed.data, warnings: [...response.warnings, ...parsed.warnings] };
    },

    async queryInstant(request, queryOptions) {
      if (request === null || typeof request !== 'object') throw new ValidationError('request', 'a { query, time } object', request);
      const query = validateQuery(request.query, 'request.query');
      const { time } = request;
      if (typeof time !== 'number' || !Number.isFinite(time)) throw new ValidationError('request.time', 'a finite epoch ms', time);
      const response = await call(
        {
          path: '/api/v1/query',
          postable: true,
          what: 'query',
          params: [
            ['query', query],
            ['time', seconds(time)],
          ],
        },
        queryOptions,
      );
      const parsed = parseInstant(response.data, 'query');
      return { data: parsed.data, warnings: [...response.warnings, ...parsed.warnings] };
    },

    async listMetrics(queryOptions) {
      // Metadata only exists for metrics scraped by this server; names also come from `__name__` so that
      // remote-written or backfilled metrics show up too (as type "unknown").
      const [metadata, names] = await Promise.all([
        call({ path: '/api/v1/metadata', postable: false, what: 'metadata', params: [['limit_per_metric', '1']] }, queryOptions),
        call({ path: '/api/v1/label/__name__/values', postable: false, what: 'metric names', params: [] }, queryOptions),
      ]);
      const byName = new Map<string, MetricMetadata>();
      if (metadata.data === null || typeof metadata.data !== 'object' || Array.isArray(metadata.data)) {
        throw invalidResponse('data', 'an object of metric names to metadata lists', metadata.data, 'metadata');
      }
      for (const [name, list] of Object.entries(metadata.data as Record<string, unknown>)) {
        if (!Array.isArray(list)) throw invalidResponse(`data.${name}`, 'an array of metadata entries', list, 'metadata');
        const first: unknown = list[0];
        if (first === null || typeof first !== 'object') continue;
        const entry = first as Record<string, unknown>;
        const type = typeof entry.type === 'string' ? (METADATA_TYPES[entry.type] ?? 'unknown') : 'unknown';
        byName.set(name, {
          name,
          type,
          ...(typeof entry.help === 'string' && entry.help !== '' ? { help: entry.help } : {}),
          ...(typeof entry.unit === 'string' && entry.unit !== '' ? { unit: entry.unit } : {}),
        });
      }
      for (const name of parseStringList(names.data, 'metric names')) if (!byName.has(name)) byName.set(name, { name, type: 'unknown' });
      return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },

    async labelNames(request, queryOptions) {
      const r = optionalRequest(request, 'request');
      const response = await call(
        { path: '/api/v1/labels', postable: true, what: 'label names', params: [...matchParams(r.match, 'request.match', false), ...rangeParams(r.range, 'request.range')] },
        queryOptions,
      );
      return parseStringList(response.data, 'label names');
    },

    async labelValues(label, request, queryOptions) {
      if (typeof label !== 'string' || label.length === 0) throw new ValidationError('label', 'a non-empty label name', label);
      const r = optionalRequest(request, 'request');
      const response = await call(
        {
          path: `/api/v1/label/${encodeURIComponent(label)}/values`,
          postable: false,
          what: 'label values',
          params: [...matchParams(r.match, 'request.match', false), ...rangeParams(r.range, 'request.range')],
        },
        queryOptions,
      );
      return parseStringList(response.data, 'label values');
    },

    async series(request, queryOptions) {
      if (request === null || typeof request !== 'object') throw new ValidationError('request', 'a { match, range? } object', request);
      const response = await call(
        { path: '/api/v1/series', postable: true, what: 'series', params: [...matchParams(request.match, 'request.match', true), ...rangeParams(request.range, 'request.range')] },
        queryOptions,
      );
      return parseLabelSets(response.data, 'series');
    },

    subscribe(listener, subscribeOptions = {}) {
      if (typeof listener !== 'function') throw new ValidationError('listener', 'a function', listener);
      if (subscribeOptions === null || typeof subscribeOptions !== 'object') throw new ValidationError('options', 'a subscribe options object', subscribeOptions);
      const { signal, onError } = subscribeOptions;
      let intervalMs = resolved.liveIntervalMs;
      if (subscribeOptions.intervalMs !== undefined) {
        const asked = subscribeOptions.intervalMs;
        if (typeof asked !== 'number' || !Number.isFinite(asked) || asked <= 0) throw new ValidationError('options.intervalMs', 'a finite number of ms > 0', asked);
        intervalMs = Math.max(1000, Math.round(asked)); // Polling a server faster than once a second helps nobody.
      }
      if (onError !== undefined && typeof onError !== 'function') throw new ValidationError('options.onError', 'a function', onError);
      validateQueryOptions(signal === undefined ? {} : { signal });
      let active = true;
      const unsubscribe = () => {
        if (!active) return;
        active = false;
        clearInterval(timer);
        signal?.removeEventListener('abort', unsubscribe);
      };
      const timer = setInterval(() => {
        if (!active) return;
        try {
          listener({ kind: 'tick', time: Date.now() });
        } catch (error) {
          unsubscribe();
          onError?.(error);
        }
      }, intervalMs);
      if (signal?.aborted) unsubscribe();
      else signal?.addEventListener('abort', unsubscribe, { once: true });
      return unsubscribe;
    },
  };
}

function validateQueryOptions(options: QueryOptions | undefined): AbortSignal | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an options object', options);
  const { signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new ValidationError('options.signal', 'an AbortSignal', signal);
  throwIfAborted(signal, 'Prometheus request');
  return signal;
}

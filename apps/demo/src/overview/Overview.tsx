import { useEffect, useMemo, useState } from 'react';
import type { Series, SourceEvent, TimeRange } from '@vigil/core';
import {
  DashboardProvider,
  HealthStatus,
  MetricCard,
  TimeSeriesChart,
  formatValue,
  statusFromThresholds,
  useDashboardStore,
  useDashboardStoreApi,
  useEvents,
  useInstantQuery,
  useLiveRange,
  useSeries,
} from '@vigil/react';
import type { ChartDrawInfo, DeltaDirection, HealthItem, HealthState, PercentileBand, Thresholds, TimeSeriesChartProps, ValueUnit } from '@vigil/react';
import { RANGE_LABEL, RANGE_MS, type RangeKey } from '../lib/params';
import { ALL_SERVICES, HEALTH_QUERIES, overviewQueries, rateWindow, stepFor } from '../lib/queries';
import { complement, divideSeries, lastTimestamp, lastValue, nameByService, quantileSeries, ratioByService, ratioOfSums, scaleSeries, sumSeries } from '../lib/seriesMath';
import { ErrorBoundary } from '../shell/ErrorBoundary';
import { AVAILABILITY_THRESHOLDS, ERROR_RATIO_THRESHOLDS, latencyThresholds } from './thresholds';
import { toState, type QueryState } from './useSourceQuery';
import { anomalyMarkers } from './anomalyMarkers';

interface OverviewProps {
  readonly range: RangeKey;
  readonly live: boolean;
  readonly tickMs: number;
  readonly clock: () => number;
  readonly initialService: string | undefined;
}

const SYNC_GROUP = 'overview';
/** Health uses the scrape interval: its instant queries re-run when a new scrape exists. */
const HEALTH_STEP_MS = 15_000;
const WINDOW_WORDS: Readonly<Record<string, string>> = { '5m': 'last 5 min', '10m': 'last 10 min', '1h': 'last hour' };
const SHORT_RANGE: Readonly<Record<RangeKey, string>> = { '1h': 'hour', '6h': '6 hours', '24h': '24 hours', '7d': '7 days' };

/** The Overview tab: KPIs, service health and three synced charts, live from the source. */
export function Overview(props: OverviewProps) {
  return (
    <DashboardProvider>
      <OverviewBody {...props} />
    </DashboardProvider>
  );
}

function OverviewBody({ range, live, tickMs, clock, initialService }: OverviewProps) {
  const [service, setService] = useState<string | undefined>(initialService);

  const durationMs = RANGE_MS[range];
  const stepMs = stepFor(durationMs);
  // New samples only exist once per step, so the window moves in whole steps (ticks within a step cost nothing,
  // and every range repeats exactly, so the query cache answers it).
  const window = useLiveRange(durationMs, { alignMs: stepMs, intervalMs: tickMs, now: clock, paused: !live });
  const health = useLiveRange(HEALTH_STEP_MS, { alignMs: HEALTH_STEP_MS, intervalMs: tickMs, now: clock, paused: !live });
  const previous: TimeRange = useMemo(() => ({ start: window.start - durationMs, end: window.end - durationMs }), [window, durationMs]);
  const queries = useMemo(() => overviewQueries(service === undefined ? ALL_SERVICES : { kind: 'one', service }, stepMs), [service, stepMs]);
  const keep = { keepPreviousData: true };

  // Hooks fire in this order and the worker answers in order: cheap health first, then what the page shows,
  // then the previous window (only needed for the deltas).
  const healthRequests = toState(useInstantQuery({ query: HEALTH_QUERIES.requestsByService, time: health.end }, keep));
  const healthErrors = toState(useInstantQuery({ query: HEALTH_QUERIES.errorRatioByService, time: health.end }, keep));
  const healthP99 = toState(useInstantQuery({ query: HEALTH_QUERIES.p99ByService, time: health.end }, keep));
  const requests = toState(useSeries({ query: queries.requestsByService, range: window, stepMs }, keep));
  const errors = toState(useSeries({ query: queries.errorsByService, range: window, stepMs }, keep));
  const buckets = toState(useSeries({ query: queries.latencyBuckets, range: window, stepMs }, keep));
  const events = toState(useEvents({ range: window, kinds: ['deploy', 'incident'], ...(service === undefined ? {} : { service }) }, keep));
  const previousRequests = toState(useSeries({ query: queries.requestsByService, range: previous, stepMs }, keep));
  const previousErrors = toState(useSeries({ query: queries.errorsByService, range: previous, stepMs }, keep));
  const previousBuckets = toState(useSeries({ query: queries.latencyBuckets, range: previous, stepMs }, keep));

  const current = useDerived(requests, errors, buckets);
  const before = useDerived(previousRequests, previousErrors, previousBuckets);
  const services = useMemo(() => [...new Set((healthRequests.data ?? []).map((sample) => sample.labels['service'] ?? ''))].filter(Boolean).sort(), [healthRequests.data]);

  const dataEnd = lastTimestamp(current.total);

  const scope = service ?? 'all services';
  return (
    <section className="ov" data-region="overview" data-data-end={dataEnd ?? ''} aria-labelledby="ov-title">
      <div className="ov-toolbar">
        <div className="ov-toolbar__heading">
          <h1 id="ov-title" className="ov-title">
            Overview
          </h1>
          <p className="ov-subtitle">
            {RANGE_LABEL[range]} · {scope}
            {dataEnd === undefined ? null : (
              <>
                {' · '}
                <span className="ov-updated">
                  {live ? 'live, data to ' : 'paused at '}
                  <time dateTime={new Date(dataEnd).toISOString()}>{formatClock(dataEnd)}</time>
                </span>
              </>
            )}
          </p>
        </div>
        <div className="ov-toolbar__actions">
          <ZoomReset rangeKey={range} />
          <label className="ov-filter" htmlFor="demo-service-filter">
            <span>Service</span>
            <select id="demo-service-filter" className="ov-select" value={service ?? ''} onChange={(event) => setService(event.target.value === '' ? undefined : event.target.value)}>
              <option value="">All services</option>
              {(service !== undefined && !services.includes(service) ? [...services, service] : services).map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>

      <KpiRow range={range} service={service} current={current} before={before} scope={scope} rateWindowLabel={WINDOW_WORDS[rateWindow(stepMs)] ?? rateWindow(stepMs)} />

      <div className="ov-grid">
        <div className="ov-cell ov-cell--requests">
          <ErrorBoundary label="Request rate chart" compact resetKey={queries.requestsByService}>
            <ChartPanel
              id="requests"
              title="Request rate by service"
              description="Requests per second, per service, over the selected time range."
              state={requests}
              series={current.requestsByService}
              unit="req/s"
              height={296}
            />
          </ErrorBoundary>
        </div>
        <aside className="ov-cell ov-cell--health" data-region="health" aria-label="Service health">
          <ErrorBoundary label="Service health" compact>
            <HealthPanel
              rate={healthRequests}
              errors={healthErrors}
              p99={healthP99}
              selected={service}
              onSelect={(id) => setService((current) => (current === id ? undefined : id))}
            />
          </ErrorBoundary>
        </aside>
        <div className="ov-cell ov-cell--errors">
          <ErrorBoundary label="Error rate chart" compact resetKey={queries.errorsByService}>
            <ErrorChart state={merge(requests, errors)} series={current.errorRatioByService} events={events.data} />
          </ErrorBoundary>
        </div>
        <div className="ov-cell ov-cell--latency">
          <ErrorBoundary label="Latency chart" compact resetKey={queries.latencyBuckets}>
            <LatencyChart state={buckets} derived={current} events={events.data} />
          </ErrorBoundary>
        </div>
      </div>
    </section>
  );
}

function formatClock(time: number): string {
  return new Date(time).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A zoom edge: hours and minutes, with the date when the zoom spans more than a day. */
function formatZoomEdge(time: number, zoom: TimeRange): string {
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hour12: false };
  if (zoom.end - zoom.start > 86_400_000) Object.assign(options, { month: 'short', day: 'numeric' });
  return new Date(time).toLocaleString('en-GB', options);
}

/** Shows "Reset zoom" after a brush zoom, and drops the zoom when the time range changes. */
function ZoomReset({ rangeKey }: { rangeKey: RangeKey }) {
  const store = useDashboardStoreApi();
  const zoomed = useDashboardStore((state) => state.timeRange);
  useEffect(() => {
    store.getState().setTimeRange(null);
  }, [rangeKey, store]);
  if (zoomed === null) return null;
  return (
    <button type="button" className="demo-button ov-zoom" onClick={() => store.getState().resetZoom()}>
      <span>
        Zoomed to {formatZoomEdge(zoomed.start, zoomed)}–{formatZoomEdge(zoomed.end, zoomed)}
      </span>
      <span className="ov-zoom__action">Reset zoom</span>
    </button>
  );
}

// ---------------------------------------------------------------------------------------------------- KPIs

/** Everything the Overview shows for one window, derived from the three range queries. */
interface Derived {
  readonly requests: QueryState<Series[]>;
  readonly errors: QueryState<Series[]>;
  readonly buckets: QueryState<Series[]>;
  readonly requestsByService: Series[];
  readonly errorRatioByService: Series[];
  readonly total: Series | undefined;
  readonly errorRatio: Series | undefined;
  readonly p50: Series | undefined;
  readonly p95: Series | undefined;
  readonly p99: Series | undefined;
  /** Σ errors / Σ requests over the whole window. */
  readonly windowErrorRatio: number | undefined;
}

function useDerived(requests: QueryState<Series[]>, errors: QueryState<Series[]>, buckets: QueryState<Series[]>): Derived {
  const traffic = useMemo(() => {
    const requestsByService = nameByService(requests.data ?? []);
    const total = sumSeries(requestsByService, 'requests');
    // Until the errors query answers there is no ratio (rather than a ratio of zero).
    const errorTotal = errors.data === undefined ? undefined : (sumSeries(errors.data) ?? null);
    const errorRatio = total === undefined || errorTotal === undefined ? undefined : divideSeries(errorTotal ?? undefined, total, 'error ratio');
    const errorRatioByService = errors.data === undefined ? [] : ratioByService(errors.data, requests.data ?? []);
    const windowErrorRatio = total === undefined || errorTotal === undefined ? undefined : ratioOfSums(errorTotal ?? undefined, total);
    return { requestsByService, total, errorRatio, errorRatioByService, windowErrorRatio };
  }, [requests.data, errors.data]);
  const latency = useMemo(() => {
    const data = buckets.data ?? [];
    const inMs = (q: number, name: string) => {
      const series = quantileSeries(data, q, name);
      return series === undefined ? undefined : scaleSeries(series, 1000);
    };
    return { p50: inMs(0.5, 'p50'), p95: inMs(0.95, 'p95'), p99: inMs(0.99, 'p99') };
  }, [buckets.data]);
  return { requests, errors, buckets, ...traffic, ...latency };
}

function merge(...states: QueryState<unknown>[]): { loading: boolean; error: unknown; data: unknown } {
  return { loading: states.some((state) => state.loading), error: states.find((state) => state.error !== undefined)?.error, data: states.every((state) => state.data !== undefined) ? true : undefined };
}

function KpiRow({
  range,
  service,
  scope,
  current,
  before,
  rateWindowLabel,
}: {
  range: RangeKey;
  service: string | undefined;
  scope: string;
  current: Derived;
  before: Derived;
  rateWindowLabel: string;
}) {
  const availability = useMemo(() => (current.errorRatio ? complement(current.errorRatio) : undefined), [current.errorRatio]);
  const deltaLabel = `vs previous ${SHORT_RANGE[range]}`;
  // Only the current window's state shows on a card: a failed previous-window query just drops the delta.
  const cards: KpiSpec[] = [
    {
      id: 'requests',
      title: 'Request rate',
      value: lastValue(current.total),
      previousValue: lastValue(before.total),
      unit: 'rps',
      sparkline: current.total,
      description: `${scope}, ${rateWindowLabel}`,
      ...merge(current.requests),
    },
    {
      id: 'errors',
      title: 'Error rate',
      value: lastValue(current.errorRatio),
      previousValue: lastValue(before.errorRatio),
      unit: 'ratio',
      precision: 2,
      deltaDirection: 'lower-is-better',
      thresholds: ERROR_RATIO_THRESHOLDS,
      sparkline: current.errorRatio,
      description: `5xx responses, ${rateWindowLabel}`,
      ...merge(current.requests, current.errors),
    },
    {
      id: 'p95',
      title: 'p95 latency',
      value: lastValue(current.p95),
      previousValue: lastValue(before.p95),
      unit: 'ms',
      deltaDirection: 'lower-is-better',
      thresholds: latencyThresholds('p95', service),
      sparkline: current.p95,
      description: `${scope}, ${rateWindowLabel}`,
      ...merge(current.buckets),
    },
    {
      id: 'p99',
      title: 'p99 latency',
      value: lastValue(current.p99),
      previousValue: lastValue(before.p99),
      unit: 'ms',
      deltaDirection: 'lower-is-better',
      thresholds: latencyThresholds('p99', service),
      sparkline: current.p99,
      description: `${scope}, ${rateWindowLabel}`,
      ...merge(current.buckets),
    },
    {
      id: 'availability',
      title: 'Availability',
      value: current.windowErrorRatio === undefined ? undefined : 1 - current.windowErrorRatio,
      previousValue: before.windowErrorRatio === undefined ? undefined : 1 - before.windowErrorRatio,
      unit: 'ratio',
      deltaDirection: 'higher-is-better',
      thresholds: AVAILABILITY_THRESHOLDS,
      sparkline: availability,
      description: `non-5xx share, ${RANGE_LABEL[range].toLowerCase()}`,
      ...merge(current.requests, current.errors),
    },
  ];

  return (
    <div className="ov-kpis" role="list" aria-label="Key indicators">
      {cards.map(({ id, value, previousValue, sparkline, deltaDirection, thresholds, precision, loading, error, data: _data, ...rest }) => (
        <div key={id} role="listitem" className="ov-kpi" data-kpi={id} data-state={error !== undefined ? 'error' : typeof value === 'number' && Number.isFinite(value) ? 'ready' : 'loading'}>
          <ErrorBoundary label={rest.title} compact>
            <MetricCard
              {...rest}
              value={value}
              previousValue={previousValue ?? null}
              deltaLabel={deltaLabel}
              loading={loading}
              error={error}
              headingLevel={2}
              {...(sparkline === undefined ? {} : { sparkline })}
              {...(deltaDirection === undefined ? {} : { deltaDirection })}
              {...(thresholds === undefined ? {} : { thresholds })}
              {...(precision === undefined ? {} : { precision })}
            />
          </ErrorBoundary>
        </div>
      ))}
    </div>
  );
}

interface KpiSpec {
  readonly id: string;
  readonly title: string;
  readonly value: number | undefined;
  readonly previousValue: number | undefined;
  readonly unit: ValueUnit;
  readonly deltaDirection?: DeltaDirection;
  readonly thresholds?: Thresholds;
  readonly sparkline: Series | undefined;
  readonly description: string;
  readonly precision?: number;
  readonly loading: boolean;
  readonly error: unknown;
  readonly data: unknown;
}

// ---------------------------------------------------------------------------------------------------- health

interface HealthPanelProps {
  readonly rate: QueryState<readonly { labels: Readonly<Record<string, string>>; value: number }[]>;
  readonly errors: QueryState<readonly { labels: Readonly<Record<string, string>>; value: number }[]>;
  readonly p99: QueryState<readonly { labels: Readonly<Record<string, string>>; value: number }[]>;
  readonly selected: string | undefined;
  readonly onSelect: (service: string) => void;
}

const worst = (a: HealthState, b: HealthState): HealthState => {
  const order: HealthState[] = ['ok', 'unknown', 'warning', 'critical'];
  return order.indexOf(a) >= order.indexOf(b) ? a : b;
};

function HealthPanel({ rate, errors, p99, selected, onSelect }: HealthPanelProps) {
  const items = useMemo((): HealthItem[] | undefined => {
    if (rate.data === undefined) return undefined;
    const byService = (samples: HealthPanelProps['rate']['data']) => new Map((samples ?? []).map((sample) => [sample.labels['service'] ?? '', sample.value]));
    const errorRatio = byService(errors.data);
    const p99Seconds = byService(p99.data);
    const services = [...new Set(rate.data.map((sample) => sample.labels['service'] ?? ''))].filter(Boolean).sort();
    return services.map((service) => {
      const requests = rate.data?.find((sample) => sample.labels['service'] === service)?.value;
      const ratio = errorRatio.get(service) ?? (errors.data === undefined ? undefined : 0);
      const latencyMs = p99Seconds.has(service) ? p99Seconds.get(service)! * 1000 : undefined;
      const status = worst(
        ratio === undefined ? 'unknown' : statusFromThresholds(ratio, ERROR_RATIO_THRESHOLDS),
        latencyMs === undefined ? 'unknown' : statusFromThresholds(latencyMs, latencyThresholds('p99', service)),
      );
      return {
        id: service,
        label: service,
        status,
        detail: `${formatValue(ratio, 'ratio', { precision: 2 })} 5xx · p99 ${formatValue(latencyMs, 'ms')}`,
        value: formatValue(requests, 'rps'),
      };
    });
  }, [rate.data, errors.data, p99.data]);

  return (
    <HealthStatus
      title="Service health"
      items={items}
      loading={rate.loading || errors.loading || p99.loading}
      error={rate.error ?? errors.error ?? p99.error}
      onSelect={(item) => onSelect(item.id)}
      {...(selected === undefined ? {} : { selectedId: selected })}
      sort="severity"
    />
  );
}

// ---------------------------------------------------------------------------------------------------- charts

interface ChartPanelProps extends Omit<TimeSeriesChartProps, 'loading' | 'error' | 'onDraw' | 'syncGroup' | 'chartId'> {
  readonly id: string;
  readonly state: { readonly loading: boolean; readonly error: unknown; readonly data: unknown };
  /** Anomaly markers among the events (read by the smoke test). */
  readonly anomalyCount?: number;
}

/** A chart wired to the sync group, with the attributes the smoke test reads (state, series count and names). */
function ChartPanel({ id, state, series = [], anomalyCount, ...chart }: ChartPanelProps) {
  const [drawn, setDrawn] = useState<ChartDrawInfo | undefined>(undefined);
  const hasData = series.length > 0;
  const status = state.error !== undefined ? 'error' : hasData && drawn !== undefined && drawn.pointsDrawn > 0 ? 'ready' : state.loading ? 'loading' : 'empty';
  return (
    <div className="ov-chart" data-chart={id} data-state={status} data-series-count={series.length} data-series-names={series.map((s) => s.name ?? '').join(',')} data-anomalies={anomalyCount}>
      <TimeSeriesChart
        {...chart}
        series={series}
        chartId={`overview-${id}`}
        syncGroup={SYNC_GROUP}
        loading={state.loading && state.data === undefined}
        error={state.error}
        height={chart.height ?? 260}
        onDraw={setDrawn}
      />
    </div>
  );
}

function markers(events: readonly SourceEvent[] | undefined): SourceEvent[] {
  return (events ?? []).filter((event) => event.kind === 'deploy' || event.kind === 'incident');
}

function ErrorChart({ state, series, events }: { state: ChartPanelProps['state']; series: readonly Series[]; events: readonly SourceEvent[] | undefined }) {
  const percent = useMemo(() => series.map((entry) => scaleSeries(entry, 100)), [series]);
  const incidents = useMemo(() => markers(events).filter((event) => event.kind === 'incident'), [events]);
  // Anomalies on the live data: the detector runs over the ~240 visible points of each series (bounded work).
  const anomalies = useMemo(() => anomalyMarkers(percent, '%'), [percent]);
  const shown = useMemo(() => [...incidents, ...anomalies], [incidents, anomalies]);
  return (
    <ChartPanel
      id="errors"
      title="Error rate by service"
      description="Share of 5xx responses per service, in percent, with the warning threshold, incidents, and anomalies found by the ensemble detector as alert markers."
      state={state}
      series={percent}
      unit="%"
      thresholds={[{ value: (ERROR_RATIO_THRESHOLDS.warning ?? 0.01) * 100, label: 'warning 1%', severity: 'warning' }]}
      events={shown}
      anomalyCount={anomalies.length}
    />
  );
}

function LatencyChart({ state, derived, events }: { state: QueryState<Series[]>; derived: Derived; events: readonly SourceEvent[] | undefined }) {
  const { p50, p95, p99 } = derived;
  const lines = useMemo(() => [p50, p95, p99].filter((line): line is Series => line !== undefined), [p50, p95, p99]);
  const bands = useMemo((): PercentileBand[] => (p50 && p99 ? [{ lower: p50, upper: p99, label: 'p50–p99' }] : []), [p50, p99]);
  const p99Only = useMemo(() => (p99 === undefined ? [] : [p99]), [p99]);
  const anomalies = useMemo(() => anomalyMarkers(p99Only, 'ms'), [p99Only]);
  const shown = useMemo(() => [...markers(events), ...anomalies], [events, anomalies]);
  return (
    <ChartPanel
      id="latency"
      title="Latency p50 / p95 / p99"
      description="Request latency percentiles in milliseconds, with the p50 to p99 band, deploys as markers, incidents as shaded ranges, and p99 anomalies found by the ensemble detector as alert markers."
      state={state}
      series={lines}
      bands={bands}
      unit="ms"
      events={shown}
      anomalyCount={anomalies.length}
    />
  );
}

import { useEffect, useMemo, useState } from 'react';
import type { Series } from '@vigil/core';
import type { DetectAnomaliesOptions } from '@vigil/core/anomaly';
import { AnomalyChart, CapacityPlanner, DashboardProvider, ForecastChart, useLiveRange, useSeries } from '@vigil/react';
import { ErrorBoundary } from '../shell/ErrorBoundary';
import type { DemoTabProps } from '../shell/tabProps';
import type { DetectJob } from './detectProtocol';
import { rankFindings } from './rank';
import type { Finding } from './rank';
import { useDetections } from './useDetections';
import './anomalies.css';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Two days at 10-minute steps: 288 points per metric, enough for the detectors to learn the level and noise. */
const SCAN_WINDOW_MS = 2 * DAY;
const SCAN_STEP_MS = 10 * MINUTE;
/** Four days at 30-minute steps for the capacity forecast (two daily cycles for Holt-Winters to fit). */
const CAPACITY_WINDOW_MS = 4 * DAY;
const CAPACITY_STEP_MS = 30 * MINUTE;
/**
 * The ensemble, with its season search capped at 6 hours and a 12-hour warm-up: two days cannot teach a daily season
 * (Holt-Winters needs two whole seasons before it can start), so the seasonal member models level and trend here.
 */
const DETECTOR: DetectAnomaliesOptions = { detector: 'ensemble', options: { seasonal: { maxPeriod: 36, warmup: 72 } } };

const QUERIES = {
  errorRatio: 'sum by (service) (rate(http_requests_total{code=~"5.."}[10m])) / sum by (service) (rate(http_requests_total[10m]))',
  p99: 'histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket[10m])))',
  fleetRate: 'sum(rate(http_requests_total[30m]))',
} as const;

/** The metrics the tab scans, by key: which service, which signal, and how to show it. */
interface Metric {
  readonly key: string;
  readonly service: string;
  readonly signal: 'error rate' | 'p99 latency';
  readonly unit: string;
  readonly series: Series;
}

function scaled(series: Series, factor: number, name: string): Series {
  const values = new Float64Array(series.values.length);
  for (let i = 0; i < values.length; i++) values[i] = (series.values[i] as number) * factor;
  return { name, labels: series.labels, timestamps: series.timestamps, values };
}

function metricsFrom(errorRatio: readonly Series[] | undefined, p99: readonly Series[] | undefined): Metric[] {
  const out: Metric[] = [];
  for (const s of errorRatio ?? []) {
    const service = s.labels['service'] ?? 'unknown';
    out.push({ key: `${service}|errors`, service, signal: 'error rate', unit: '%', series: scaled(s, 100, 'error rate') });
  }
  for (const s of p99 ?? []) {
    const service = s.labels['service'] ?? 'unknown';
    out.push({ key: `${service}|p99`, service, signal: 'p99 latency', unit: 'ms', series: scaled(s, 1000, 'p99 latency') });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

const DISK_BYTES = 4e12;
const START_FILL = 0.4;
const LOG_BYTES_PER_REQUEST = 2048;

/**
 * A capacity-like metric derived from the simulated traffic: a log volume that keeps 2 KB per request and is never
 * pruned, 4 TB in size and 40% full when the window starts. Its fill rate follows the daily traffic curve.
 */
function logDiskPercent(fleetRate: Series | undefined): Series | undefined {
  if (fleetRate === undefined || fleetRate.timestamps.length === 0) return undefined;
  const n = fleetRate.timestamps.length;
  const values = new Float64Array(n);
  let bytes = START_FILL * DISK_BYTES;
  for (let i = 0; i < n; i++) {
    const rate = fleetRate.values[i] as number;
    const dt = i === 0 ? 0 : ((fleetRate.timestamps[i] as number) - (fleetRate.timestamps[i - 1] as number)) / 1000;
    if (Number.isFinite(rate)) bytes += rate * dt * LOG_BYTES_PER_REQUEST;
    values[i] = (bytes / DISK_BYTES) * 100;
  }
  return { name: 'log volume used', labels: {}, timestamps: fleetRate.timestamps, values };
}

const timeFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false });

function ago(ms: number): string {
  if (ms < HOUR) return `${Math.max(1, Math.round(ms / MINUTE))} min ago`;
  if (ms < 2 * DAY) return `${Math.round(ms / HOUR)} h ago`;
  return `${Math.round(ms / DAY)} days ago`;
}

const number = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

function changeText(finding: Finding, unit: string): string {
  const { value, expected } = finding.peak;
  const withUnit = (v: number) => `${number.format(v)}${unit === '%' ? '%' : ` ${unit}`}`;
  if (!Number.isFinite(expected)) return `${withUnit(value)}, ${finding.direction}`;
  return `${withUnit(value)}, expected ${withUnit(expected)}`;
}

/** The Anomalies tab: detectors over every service's error rate and p99, what changed most, and a capacity forecast. */
export function AnomaliesTab(props: DemoTabProps) {
  return (
    <DashboardProvider>
      <AnomaliesBody {...props} />
    </DashboardProvider>
  );
}

function AnomaliesBody({ live, clock, params }: DemoTabProps) {
  const scan = useLiveRange(SCAN_WINDOW_MS, { alignMs: SCAN_STEP_MS, intervalMs: params.tickMs, now: clock, paused: !live });
  const capacityRange = useLiveRange(CAPACITY_WINDOW_MS, { alignMs: CAPACITY_STEP_MS, intervalMs: params.tickMs, now: clock, paused: !live });
  const keep = { keepPreviousData: true };
  const errorRatio = useSeries({ query: QUERIES.errorRatio, range: scan, stepMs: SCAN_STEP_MS }, keep);
  const p99 = useSeries({ query: QUERIES.p99, range: scan, stepMs: SCAN_STEP_MS }, keep);
  const fleet = useSeries({ query: QUERIES.fleetRate, range: capacityRange, stepMs: CAPACITY_STEP_MS }, keep);

  const metrics = useMemo(() => (errorRatio.data === undefined || p99.data === undefined ? undefined : metricsFrom(errorRatio.data, p99.data)), [errorRatio.data, p99.data]);
  const jobs = useMemo((): DetectJob[] | undefined => metrics?.map((m) => ({ key: m.key, timestamps: m.series.timestamps, values: m.series.values })), [metrics]);
  const detections = useDetections(jobs, DETECTOR);
  const findings = useMemo(() => rankFindings(detections.results), [detections.results]);
  const byKey = useMemo(() => new Map((metrics ?? []).map((m) => [m.key, m])), [metrics]);

  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const selectedKey = chosen !== undefined && byKey.has(chosen) ? chosen : findings[0]?.key;
  const selectedMetric = selectedKey === undefined ? undefined : byKey.get(selectedKey);
  const selectedResult = selectedKey === undefined ? undefined : detections.results.get(selectedKey);
  const selectedFinding = findings.find((f) => f.key === selectedKey);
  const [flag, setFlag] = useState<{ key: string; index: number | null } | null>(null);
  useEffect(() => setFlag(null), [selectedKey]);
  const flagIndex = flag !== null && flag.key === selectedKey ? flag.index : (selectedFinding?.peakIndex ?? null);

  const queryError = errorRatio.error ?? p99.error;
  const loading = metrics === undefined && queryError === undefined;
  const now = scan.end;
  const scanned = detections.results.size + detections.errors.size;
  const status = queryError !== undefined ? 'error' : loading ? 'loading' : detections.pending ? 'scanning' : 'ready';
  const disk = useMemo(() => logDiskPercent(fleet.data?.[0]), [fleet.data]);

  return (
    <section className="an" data-region="anomalies" data-state={status} aria-labelledby="an-title">
      <div className="an-head">
        <h1 id="an-title" className="an-title">
          Anomalies
        </h1>
        <p className="an-subtitle">
          Last 48 hours at 10-minute steps · every service’s error rate and p99 latency · ensemble detector (forecast errors, CUSUM and variance), run in a Web Worker
        </p>
        <p className="an-status" role="status">
          {status === 'error'
            ? 'The metrics could not be loaded.'
            : status === 'loading'
              ? 'Loading two days of metrics…'
              : status === 'scanning'
                ? `Scanning ${scanned} of ${metrics?.length ?? 0} metrics…`
                : `${metrics?.length ?? 0} metrics scanned, ${findings.length} with anomalies.`}
        </p>
      </div>

      <div className="an-grid">
        <div className="an-card an-ranking" data-region="anomaly-ranking">
          <h2 className="an-h2" id="an-ranking-title">
            What changed most
          </h2>
          {status === 'error' ? (
            <p role="alert" className="an-error">
              {queryError instanceof Error ? queryError.message : 'The metrics query failed.'}
            </p>
          ) : findings.length === 0 ? (
            <p className="an-muted">{status === 'ready' ? 'Nothing unusual in the last 48 hours.' : 'Looking for changes…'}</p>
          ) : (
            <ol className="an-list" aria-labelledby="an-ranking-title">
              {findings.map((finding, rank) => {
                const metric = byKey.get(finding.key);
                const selected = finding.key === selectedKey;
                return (
                  <li key={finding.key}>
                    <button type="button" className="an-item" aria-pressed={selected} data-finding={finding.key} onClick={() => setChosen(finding.key)}>
                      <span className="an-item__rank" aria-hidden="true">
                        {rank + 1}
                      </span>
                      <span className="an-item__body">
                        <span className="an-item__name">
                          {metric?.service ?? finding.key} · {metric?.signal ?? ''}
                        </span>
                        <span className="an-item__meta">
                          started <time dateTime={new Date(finding.startedAt).toISOString()}>{timeFormat.format(finding.startedAt)}</time> ({ago(now - finding.startedAt)})
                        </span>
                        <span className="an-item__meta">
                          {changeText(finding, metric?.unit ?? '')} · likelihood {finding.peakLikelihood.toFixed(2)} · {finding.flagCount} flag{finding.flagCount === 1 ? '' : 's'}
                        </span>
                      </span>
                      <span className="an-item__bar" aria-hidden="true">
                        <span style={{ width: `${Math.round(finding.peakLikelihood * 100)}%` }} />
                      </span>
                    </button>
                  </li>
                );
              })}
            </ol>
          )}
        </div>

        <div className="an-detail" data-region="anomaly-detail">
          <ErrorBoundary label="Anomaly chart" compact resetKey={selectedKey}>
            <AnomalyChart
              title={selectedMetric === undefined ? 'Anomalies' : `${selectedMetric.service} · ${selectedMetric.signal}`}
              result={selectedResult}
              name={selectedMetric?.signal}
              unit={selectedMetric?.unit}
              loading={status === 'loading' || (selectedKey !== undefined && selectedResult === undefined && detections.pending)}
              error={queryError}
              selectedIndex={flagIndex}
              onSelectedIndexChange={(index) => selectedKey !== undefined && setFlag({ key: selectedKey, index })}
              description={selectedFinding === undefined ? undefined : `Strongest change started ${timeFormat.format(selectedFinding.startedAt)}.`}
              chartId="anomalies-detail"
              height={240}
            />
          </ErrorBoundary>
        </div>
      </div>

      <div className="an-capacity" data-region="capacity">
        <h2 className="an-h2">Capacity</h2>
        <p className="an-muted an-note">
          A log volume derived from the simulated traffic: 2 KB of logs per request, 4 TB, never pruned, 40% full four days ago. Forecast by Holt-Winters (seasonal when autocorrelation finds a season); the card uses the same model.
        </p>
        {/* Its own dashboard store: zooming the anomaly chart (two days) must not zoom the forecast (twelve days). */}
        <DashboardProvider>
          <div className="an-capacity__grid">
            <ErrorBoundary label="Forecast chart" compact>
              <ForecastChart
                title="Log volume used"
                unit="%"
                series={disk}
                horizon={(8 * DAY) / CAPACITY_STEP_MS}
                threshold={{ value: 90, label: 'limit 90%' }}
                loading={disk === undefined && fleet.error === undefined}
                error={fleet.error}
                chartId="anomalies-forecast"
                height={240}
              />
            </ErrorBoundary>
            <ErrorBoundary label="Capacity planner" compact>
              <CapacityPlanner
                resource="Log volume"
                series={disk}
                limit={90}
                limitLabel="90%"
                unit="%"
                loading={disk === undefined && fleet.error === undefined}
                error={fleet.error}
                options={{ method: 'holt-winters', level: 0.8, horizonMs: 14 * DAY }}
                headingLevel={3}
              />
            </ErrorBoundary>
          </div>
        </DashboardProvider>
      </div>
    </section>
  );
}


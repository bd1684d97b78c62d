import { useMemo, useState, type ReactNode } from 'react';
import type { DataSource } from '@vigil/core';
import { complianceReport, defineSLO, type SLO } from '@vigil/core/slo';
import { createSimulatedSource } from '@vigil/adapters/simulated';
import {
  BurnRateTable,
  ComplianceReportView,
  ErrorBudgetChart,
  SLOList,
  SLOStatusCard,
  VigilSourceProvider,
  useSLO,
  type SLOListItem,
  type UseSLOResult,
} from '@vigil/react';

const MINUTE = 60_000;
const STEP_MS = 5 * MINUTE;

const requests = (service: string, code?: string) =>
  code === undefined
    ? { metric: 'http_requests_total', matchers: { service } }
    : { metric: 'http_requests_total', matchers: [{ label: 'service', op: '=' as const, value: service }, { label: 'code', op: '=~' as const, value: code }] };

/**
 * One-day windows keep the tab fast on the in-page simulated source (two days of 5-minute steps per query). The SRE
 * Workbook factors scaled to a 1-day window would sit below 1x and fire on normal traffic, so the demo writes its
 * own policy for that window: page at 5x over 1h (and 5m) or 3x over 6h (and 30m), ticket at 1.5x over 1d (and 2h).
 */
const DEMO_POLICY = {
  tiers: [
    { severity: 'page', burnRate: 5, longWindow: '1h', shortWindow: '5m' },
    { severity: 'page', burnRate: 3, longWindow: '6h', shortWindow: '30m' },
    { severity: 'ticket', burnRate: 1.5, longWindow: '1d', shortWindow: '2h' },
  ],
};

/** The demo's SLOs: three availability objectives from request counters and one latency objective from the histogram. */
const DEMO_SLOS: readonly SLO[] = [
  defineSLO({ name: 'checkout-availability', displayName: 'Checkout availability', service: 'checkout', labels: { team: 'payments', tier: '0' }, sli: { kind: 'ratio', bad: requests('checkout', '5..'), total: requests('checkout') }, target: 0.98, window: { duration: '1d' }, alerting: DEMO_POLICY }),
  defineSLO({ name: 'frontend-availability', displayName: 'Frontend availability', service: 'frontend', labels: { team: 'web', tier: '0' }, sli: { kind: 'ratio', bad: requests('frontend', '5..'), total: requests('frontend') }, target: 0.99, window: { duration: '1d' }, alerting: DEMO_POLICY }),
  defineSLO({ name: 'payments-availability', displayName: 'Payments availability', service: 'payments', labels: { team: 'payments', tier: '0' }, sli: { kind: 'ratio', bad: requests('payments', '5..'), total: requests('payments') }, target: 0.98, window: { duration: '1d' }, alerting: DEMO_POLICY }),
  defineSLO({ name: 'search-latency', displayName: 'Search under 250 ms', service: 'search', labels: { team: 'discovery', tier: '1' }, sli: { kind: 'latency', thresholdMs: 250 }, target: 0.85, window: { duration: '1d' }, alerting: DEMO_POLICY }),
];

/** Latency SLIs need their queries spelled out: requests under 250 ms over all requests, per step. */
const QUERIES: Readonly<Record<string, { good: string; total: string } | undefined>> = {
  'search-latency': {
    good: 'sum(increase(http_request_duration_seconds_bucket{service="search",le="0.25"}[300s]))',
    total: 'sum(increase(http_request_duration_seconds_count{service="search"}[300s]))',
  },
};

function useDemoSLO(slo: SLO, at: number | undefined): UseSLOResult {
  const queries = QUERIES[slo.name];
  return useSLO(slo, { stepMs: STEP_MS, ...(queries ? { queries } : {}), ...(at === undefined ? {} : { at }) });
}

function Detail({ slo, result }: { readonly slo: SLO; readonly result: UseSLOResult }): ReactNode {
  const loading = result.status === 'loading';
  const report = useMemo(() => {
    if (!result.events || result.events.timestamps.length === 0) return undefined;
    return complianceReport(slo, result.events, { unit: 'day', range: result.range });
  }, [slo, result.events, result.range]);
  return (
    <div style={{ display: 'grid', gap: 16 }}>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16, alignItems: 'flex-start' }}>
        <SLOStatusCard slo={slo} status={result.sloStatus} loading={loading} error={result.error} style={{ flex: '1 1 340px' }} />
        <BurnRateTable slo={slo} status={result.sloStatus} alerts={result.alerts} loading={loading} error={result.error} style={{ flex: '3 1 600px', minWidth: 0 }} />
      </div>
      <ErrorBudgetChart slo={slo} timeline={result.timeline} alerts={result.alerts} status={result.sloStatus} loading={loading} error={result.error} />
      <ComplianceReportView report={report} title={`Daily compliance: ${slo.displayName}`} loading={loading} error={result.error} />
    </div>
  );
}

function Tab({ at }: { readonly at: number | undefined }): ReactNode {
  // One hook per SLO (a fixed list, so the hook order never changes).
  const results = [useDemoSLO(DEMO_SLOS[0] as SLO, at), useDemoSLO(DEMO_SLOS[1] as SLO, at), useDemoSLO(DEMO_SLOS[2] as SLO, at), useDemoSLO(DEMO_SLOS[3] as SLO, at)];
  const [selected, setSelected] = useState<string>('checkout-availability');
  const items: SLOListItem[] = DEMO_SLOS.map((slo, i) => ({ slo, status: results[i]?.sloStatus }));
  const index = Math.max(0, DEMO_SLOS.findIndex((slo) => slo.name === selected));
  const anyError = results.find((r) => r.status === 'error')?.error;
  return (
    <div style={{ display: 'grid', gap: 16 }}>
      <SLOList
        items={items}
        title="Service level objectives (1-day windows, simulated source)"
        onSelect={(item) => setSelected(item.slo.name)}
        selectedName={selected}
        height={260}
        loading={results.every((r) => r.status === 'loading')}
        error={results.every((r) => r.status === 'error') ? anyError : undefined}
      />
      <Detail slo={DEMO_SLOS[index] as SLO} result={results[index] as UseSLOResult} />
    </div>
  );
}

export interface SLOTabProps {
  /**
   * The data source. Default: a simulated source of its own, with a scripted checkout outage (20% errors) that starts 40 minutes
   * before the tab mounts (so one SLO is always burning).
   */
  readonly source?: DataSource | undefined;
  /** Fixed evaluation time (screenshots, tests). Default: now, live. */
  readonly at?: number | undefined;
}

/**
 * The demo's SLO tab: four SLOs on the simulated source (one burning), most urgent first; pick one to see its status
 * card, burn-rate alerts, error-budget chart and daily compliance. Self-contained: mount `<SLOTab />` anywhere.
 */
export function SLOTab({ source, at }: SLOTabProps): ReactNode {
  const [own] = useState(() => {
    const now = at ?? Date.now();
    return createSimulatedSource({
      seed: 42,
      id: 'demo-slo-tab',
      ...(at === undefined ? {} : { now: () => at }),
      incidents: { random: false, scripted: [{ service: 'checkout', start: now - 40 * MINUTE, durationMs: 2 * 60 * MINUTE, errorRatio: 0.2, severity: 'critical', title: 'Checkout 5xx spike (scripted)' }] },
    });
  });
  return (
    <VigilSourceProvider source={source ?? own}>
      <Tab at={at} />
    </VigilSourceProvider>
  );
}

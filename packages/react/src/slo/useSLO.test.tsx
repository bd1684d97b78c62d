import { describe, expect, it } from 'vitest';
import { render, renderHook, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { createSimulatedSource } from '@vigil/adapters/simulated';
import { defineSLO } from '@vigil/core/slo';
import type { SLOInput } from '@vigil/core/slo';
import { VigilSourceProvider } from '../hooks/VigilSourceProvider';
import { QueryCache } from '../hooks/query-cache';
import { useSLO, defaultSLOQueries, eventsFromDeltaSeries } from './useSLO';
import { SLOStatusCard } from './SLOStatusCard';

const NOW = Date.UTC(2025, 2, 14, 12, 0);
const HOUR = 3_600_000;

const checkout: SLOInput = {
  name: 'checkout-availability',
  service: 'checkout',
  sli: {
    kind: 'ratio',
    bad: { metric: 'http_requests_total', matchers: [{ label: 'service', op: '=', value: 'checkout' }, { label: 'code', op: '=~', value: '5..' }] },
    total: { metric: 'http_requests_total', matchers: { service: 'checkout' } },
  },
  target: 0.99,
  window: { duration: '1d' },
};

function source() {
  return createSimulatedSource({
    seed: 5,
    now: () => NOW,
    incidents: { random: false, scripted: [{ service: 'checkout', start: NOW - HOUR, durationMs: 2 * HOUR, errorRatio: 0.5 }] },
  });
}

function wrapper(src: ReturnType<typeof source>) {
  const cache = new QueryCache();
  return ({ children }: { children?: ReactNode }) => (
    <VigilSourceProvider source={src} cache={cache}>
      {children}
    </VigilSourceProvider>
  );
}

describe('useSLO', () => {
  it('queries good/total from the source and evaluates the SLO; attainment matches a one-shot 1d increase', async () => {
    const src = source();
    const { result } = renderHook(() => useSLO(checkout, { at: NOW, stepMs: 60_000 }), { wrapper: wrapper(src) });
    expect(result.current.status).toBe('loading');
    await waitFor(() => expect(result.current.status).toBe('success'), { timeout: 20_000 });
    const { sloStatus, timeline, alerts, slo } = result.current;
    expect(slo?.name).toBe('checkout-availability');
    // Independent oracle: the whole day's increase in one instant query (Prometheus extrapolation, so ~0.5% apart).
    const [bad] = (await src.queryInstant({ query: 'sum(increase(http_requests_total{service="checkout",code=~"5.."}[1d]))', time: NOW })).data;
    const [total] = (await src.queryInstant({ query: 'sum(increase(http_requests_total{service="checkout"}[1d]))', time: NOW })).data;
    const errorRatio = bad!.value / total!.value;
    expect(1 - (sloStatus?.attainment as number)).toBeCloseTo(errorRatio, 3);
    expect(Math.abs((sloStatus!.total - total!.value) / total!.value)).toBeLessThan(0.01);
    // A 50% outage for the last hour: the page tier is firing at the end, and the budget is gone.
    expect(alerts?.some((a) => a.tier === 'page-1h' && a.end === null)).toBe(true);
    expect(sloStatus?.status).toBe('breached');
    expect(timeline?.timestamps.length).toBe(24 * 60 + 1);
    expect(timeline?.timestamps.at(-1)).toBe(NOW);
  }, 30_000);

  it('feeds the components in a few lines', async () => {
    const src = source();
    function Card() {
      const r = useSLO(checkout, { at: NOW, stepMs: 60_000 });
      return <SLOStatusCard slo={r.slo} status={r.sloStatus} loading={r.status === 'loading'} error={r.error} />;
    }
    render(<Card />, { wrapper: wrapper(src) });
    await waitFor(() => expect(screen.getByRole('group').getAttribute('data-status')).toBe('breached'), { timeout: 20_000 });
  }, 30_000);

  it('returns errors instead of throwing: invalid definition, SLI without queries, failing source', async () => {
    const src = source();
    const bad = renderHook(() => useSLO({ ...checkout, target: 2 }, { at: NOW }), { wrapper: wrapper(src) });
    expect(bad.result.current.status).toBe('error');
    expect(String(bad.result.current.error)).toMatch(/target/);

    const latency = renderHook(() => useSLO({ name: 'lat', sli: { kind: 'latency', thresholdMs: 300 }, target: 0.99 }, { at: NOW }), { wrapper: wrapper(src) });
    expect(latency.result.current.status).toBe('error');
    expect(String(latency.result.current.error)).toMatch(/queries/);

    const failing = createSimulatedSource({ seed: 5, now: () => NOW, failWith: { code: 'SOURCE_UNREACHABLE', message: 'down' } });
    const down = renderHook(() => useSLO(checkout, { at: NOW, stepMs: 60_000 }), { wrapper: wrapper(failing) });
    await waitFor(() => expect(down.result.current.status).toBe('error'));
    expect(String(down.result.current.error)).toMatch(/down/);
  });
});

describe('useSLO helpers', () => {
  it('builds sum(increase()) queries from a ratio SLI with escaped selectors', () => {
    const slo = defineSLO(checkout);
    expect(defaultSLOQueries(slo, 60_000)).toEqual({
      bad: 'sum(increase(http_requests_total{service="checkout",code=~"5.."}[60s]))',
      total: 'sum(increase(http_requests_total{service="checkout"}[60s]))',
    });
  });

  it('aligns delta series on total: a missing or NaN count is 0 bad (or all good)', () => {
    const total = { labels: {}, timestamps: Float64Array.of(1, 2, 3), values: Float64Array.of(10, Number.NaN, 5) };
    const bad = { labels: {}, timestamps: Float64Array.of(1, 3), values: Float64Array.of(2, 9) };
    const events = eventsFromDeltaSeries(bad, total, 'bad');
    expect(Array.from(events.total)).toEqual([10, 0, 5]);
    expect(Array.from(events.good)).toEqual([8, 0, 0]); // 9 bad of 5 is clamped to 5
    const none = eventsFromDeltaSeries(undefined, total, 'good');
    expect(Array.from(none.good)).toEqual([10, 0, 5]);
    expect(eventsFromDeltaSeries(undefined, undefined, 'bad').timestamps.length).toBe(0);
  });
});

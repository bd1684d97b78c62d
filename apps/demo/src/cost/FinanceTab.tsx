import { useMemo, type ReactNode } from 'react';
import type { SourceEvent } from '@vigil/core';
import { CostAttributionTree, CostOptimizationCard, SpendBudgetGauge, TimeSeriesChart, formatUsd } from '@vigil/react';
import { RANGE_LABEL } from '../lib/params';
import type { DemoTabProps } from '../shell/tabProps';
import type { FinanceView } from './costView';
import { WEEKLY_BUDGET_USD } from './costView';
import { CostStatus, Kpi, unpricedNote, windowText } from './parts';
import { useCostView } from './useCostView';
import './cost.css';

const EFFECTS = [
  { key: 'volume', label: 'Volume', help: 'more or fewer calls' },
  { key: 'mix', label: 'Mix', help: 'traffic moving between models' },
  { key: 'tokensPerRequest', label: 'Tokens per request', help: 'longer or shorter calls' },
  { key: 'price', label: 'Price', help: 'price per token (incl. caching and batch)' },
] as const;

function signedUsd(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return `${value > 0 ? '+' : value < 0 ? '−' : '±'}${formatUsd(Math.abs(value))}`;
}

/** The change in spend split into volume, mix, tokens-per-request and price effects (they add up to the change). */
function Decomposition({ decomposition }: { readonly decomposition: FinanceView['decomposition'] }): ReactNode {
  if ('error' in decomposition) {
    return (
      <section className="cost-panel" aria-labelledby="cost-change-title">
        <h3 id="cost-change-title">Why spend changed</h3>
        <p role="alert">Could not decompose the change: {decomposition.error}</p>
      </section>
    );
  }
  const d = decomposition;
  const largest = Math.max(1e-9, ...EFFECTS.map((e) => Math.abs(d[e.key])));
  return (
    <section className="cost-panel" aria-labelledby="cost-change-title" data-testid="spend-change">
      <h3 id="cost-change-title">Why spend changed</h3>
      <p>
        {windowText(d.split, d.split + (d.split - d.beforeStart))} against the same length before: {formatUsd(d.before)} → {formatUsd(d.after)} ({signedUsd(d.change)}).
      </p>
      <table className="cost-table">
        <thead>
          <tr>
            <th scope="col">Effect</th>
            <th scope="col" className="cost-num">
              Change
            </th>
            <th scope="col">
              <span className="demo-visually-hidden">Size</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {EFFECTS.map((e) => {
            const value = d[e.key];
            return (
              <tr key={e.key} data-effect={e.key}>
                <th scope="row" style={{ fontWeight: 500, color: 'var(--demo-text)' }}>
                  {e.label} <span style={{ color: 'var(--demo-muted)', fontSize: 12 }}>({e.help})</span>
                </th>
                <td className="cost-num">{signedUsd(value)}</td>
                <td style={{ width: '40%' }}>
                  <span aria-hidden="true" className={`cost-bar ${value >= 0 ? 'cost-bar--up' : 'cost-bar--down'}`} style={{ width: `${Math.max(1, (Math.abs(value) / largest) * 100)}%` }} />
                </td>
              </tr>
            );
          })}
          <tr>
            <th scope="row">Total</th>
            <td className="cost-num">
              <strong>{signedUsd(d.change)}</strong>
            </td>
            <td />
          </tr>
        </tbody>
      </table>
    </section>
  );
}

/**
 * The Finance tab: spend over the selected range by provider, where it goes (provider → model → feature), the
 * week's budget with its forecast, why spend changed, and every savings opportunity the engine found.
 */
export function FinanceTab({ range, clock, params }: DemoTabProps): ReactNode {
  const state = useCostView(params.seed, range, clock());
  const view = state.view?.finance;
  const loading = state.status === 'loading' && view === undefined;
  const error = state.status === 'error' && view === undefined ? new Error(state.error) : undefined;
  const budget = view?.budget;
  const budgetForecast = budget && 'forecast' in budget ? budget.forecast : undefined;
  const budgetError = budget && 'error' in budget ? new Error(budget.error) : error;
  const spikeEvents = useMemo<SourceEvent[]>(
    () =>
      (view?.spikes ?? []).map((a) => ({
        id: `spend-spike-${a.timestamp}`,
        kind: 'annotation',
        title: `Spend spike: ${formatUsd(a.spend)} against a usual ${formatUsd(a.expected)} (modified z ${a.score.toFixed(1)})`,
        time: a.timestamp,
        severity: 'warning',
      })),
    [view],
  );
  const savings = view?.opportunities.reduce((s, o) => s + o.monthlySavings.expected, 0) ?? 0;
  return (
    <div className="cost-tab" data-testid="finance-tab">
      <div className="cost-head">
        <h2>Finance</h2>
        <p>{view ? `${windowText(view.start, view.end)} · ${view.records.toLocaleString('en-US')} calls` : 'Simulated LLM usage, priced by the default catalogue'}</p>
      </div>
      <CostStatus state={state} />
      {view && (
        <ul className="cost-kpis" aria-label="Spend summary">
          <Kpi id="spend" label={`Spend, ${RANGE_LABEL[range].toLowerCase()}`} value={formatUsd(view.totalCost)} note={unpricedNote(view.unpriced)} />
          <Kpi id="calls" label="Calls" value={view.records.toLocaleString('en-US')} />
          <Kpi id="opportunities" label="Savings found" value={`${formatUsd(savings, { compact: true })}/mo`} note={`${view.opportunities.length} opportunities, expected`} />
          {budgetForecast && <Kpi id="budget" label="Weekly budget" value={formatUsd(WEEKLY_BUDGET_USD)} note={`${Math.round(budgetForecast.probabilityOverBudget * 100)}% chance of going over`} />}
        </ul>
      )}
      <TimeSeriesChart
        title="Spend over time"
        description={view ? `US dollars per ${view.interval >= 3_600_000 ? `${view.interval / 3_600_000} h` : `${view.interval / 60_000} min`}, priced calls only` : undefined}
        series={view?.spend}
        events={spikeEvents}
        timeRange={view ? { start: view.start, end: view.end } : undefined}
        formatValue={(v) => formatUsd(v)}
        height={240}
        loading={loading}
        error={error}
      />
      {view && (
        <p className="cost-note" data-testid="spend-spikes">
          {view.spikes.length === 0
            ? 'No spend spike in this range (a bucket is a spike when its modified z-score against the previous 14 exceeds 3.5).'
            : `${view.spikes.length} spend ${view.spikes.length === 1 ? 'spike' : 'spikes'}, marked on the chart: ${view.spikes
                .slice(0, 3)
                .map((a) => `${new Date(a.timestamp).toISOString().slice(11, 16)} UTC ${formatUsd(a.spend)} (usual ${formatUsd(a.expected)})`)
                .join('; ')}${view.spikes.length > 3 ? '…' : ''}.`}
        </p>
      )}
      <div className="cost-grid">
        <CostAttributionTree rows={view?.attribution} loading={loading} error={error} title="Where the money goes" height={300} />
        <SpendBudgetGauge
          forecast={budgetForecast}
          loading={budget === undefined && state.status !== 'error'}
          error={budgetError}
          title="Weekly LLM budget"
          periodLabel="this week"
          formatDate={(t) => new Date(t).toLocaleString('en-US', { weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'UTC' }) + ' UTC'}
        />
      </div>
      {view && <Decomposition decomposition={view.decomposition} />}
      <section className="cost-panel" aria-labelledby="cost-opps-title" data-testid="opportunities">
        <h3 id="cost-opps-title">Savings opportunities</h3>
        <p>Prompt caching, batch, waste and model switches, largest expected monthly saving first; each with its range, confidence, effort and evidence.</p>
        {view && view.opportunities.length === 0 && <p>No opportunity in this range.</p>}
        <div className="cost-cards">
          {view?.opportunities.map((o) => <CostOptimizationCard key={o.id} opportunity={o} headingLevel={4} evidenceLimit={4} />)}
          {loading && <CostOptimizationCard opportunity={undefined} loading />}
        </div>
      </section>
    </div>
  );
}

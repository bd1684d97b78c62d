import type { ReactNode } from 'react';
import type { ModelSwitchEvaluation } from '@vigil/core/cost';
import { CostOptimizationCard, CostVsPerformanceScatter, ModelComparisonMatrix, formatUsd } from '@vigil/react';
import type { DemoTabProps } from '../shell/tabProps';
import { CostStatus, Kpi, unpricedNote, windowText } from './parts';
import { useCostView } from './useCostView';
import './cost.css';

function modelName(ref: { readonly provider: string; readonly model: string }): string {
  return `${ref.model}`;
}

/** Refused switches, cheaper candidates first (those are the interesting refusals), each with the engine's reasons. */
function RefusedSwitches({ evaluations }: { readonly evaluations: readonly ModelSwitchEvaluation[] }): ReactNode {
  const refused = evaluations.filter((e) => !e.recommended);
  const cheaper = refused.filter((e) => !e.reasons.some((r) => r.startsWith('not cheaper')));
  const pricier = refused.length - cheaper.length;
  return (
    <section className="cost-panel" aria-labelledby="cost-refused-title" data-testid="refused-switches">
      <h3 id="cost-refused-title">Switches the engine refused</h3>
      <p>Cheaper models that were judged on the same feature and turned down, with the reason. {pricier > 0 ? `${pricier} more pairs were not cheaper and are left out.` : ''}</p>
      {cheaper.length === 0 ? (
        <p>No cheaper candidate was refused in this window.</p>
      ) : (
        <table className="cost-table">
          <thead>
            <tr>
              <th scope="col">Feature</th>
              <th scope="col">Switch</th>
              <th scope="col" className="cost-num">
                Pass rate (now → candidate)
              </th>
              <th scope="col">Why not</th>
            </tr>
          </thead>
          <tbody>
            {cheaper.map((e) => (
              <tr key={`${e.feature}:${e.from.model}:${e.to.model}`} data-feature={e.feature}>
                <td>{e.feature}</td>
                <td>
                  {modelName(e.from)} → {modelName(e.to)}
                </td>
                <td className="cost-num">{Number.isFinite(e.quality.fromPassRate) ? `${(e.quality.fromPassRate * 100).toFixed(1)}% → ${(e.quality.toPassRate * 100).toFixed(1)}%` : '—'}</td>
                <td>
                  <ul className="cost-reason">
                    {e.reasons.map((r) => (
                      <li key={r}>{r}</li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * The Models tab: every model's cost, latency, success and quality side by side (matrix and cost-vs-performance
 * scatter), then the model switches the cost engine recommends (only where quality holds up) and the ones it refused.
 */
export function ModelsTab({ range, clock, params }: DemoTabProps): ReactNode {
  const state = useCostView(params.seed, range, clock());
  const view = state.view?.models;
  const loading = state.status === 'loading' && view === undefined;
  const error = state.status === 'error' && view === undefined ? new Error(state.error) : undefined;
  return (
    <div className="cost-tab" data-testid="models-tab">
      <div className="cost-head">
        <h2>Models</h2>
        <p>{view ? `${windowText(view.start, view.end)} · ${view.records.toLocaleString('en-US')} calls · at least a day, so that model switches have samples` : 'Simulated LLM usage, priced by the default catalogue'}</p>
      </div>
      <CostStatus state={state} />
      {view && (
        <ul className="cost-kpis" aria-label="Model usage summary">
          <Kpi id="spend" label="Spend" value={formatUsd(view.totalCost)} note={unpricedNote(view.unpriced)} />
          <Kpi id="models" label="Models" value={String(view.byModel.length)} note={`${view.unpriced.length} unpriced`} />
          <Kpi id="switches" label="Recommended switches" value={String(view.switches.length)} note={`of ${view.evaluations.length} pairs judged`} />
          <Kpi id="switch-savings" label="Their savings" value={`${formatUsd(view.switches.reduce((s, o) => s + o.monthlySavings.expected, 0), { compact: true })}/mo`} note="expected, at this window's traffic" />
        </ul>
      )}
      <ModelComparisonMatrix rows={view?.byModel} loading={loading} error={error} title="Model comparison" fileName="vigil-models.csv" height={320} dimensionLabels={{ provider: 'Provider', model: 'Model' }} />
      <div className="cost-grid">
        <CostVsPerformanceScatter rows={view?.byModel} loading={loading} error={error} title="Cost vs performance" height={300} />
        <section className="cost-panel" aria-labelledby="cost-switch-title" data-testid="recommended-switches">
          <h3 id="cost-switch-title">Recommended model switches</h3>
          <p>Only where, per feature, quality is not worse by more than 2 points (Newcombe interval, Holm-corrected), p95 latency stays within 1.2× and both models have 200+ samples.</p>
          {view && view.switches.length === 0 && <p>No switch passes every test in this window.</p>}
          {view?.switches.map((o) => <CostOptimizationCard key={o.id} opportunity={o} headingLevel={4} evidenceLimit={5} />)}
        </section>
      </div>
      {view && <RefusedSwitches evaluations={view.evaluations} />}
      <ModelComparisonMatrix rows={view?.byModelFeature} loading={loading} error={error} title="Models by feature" fileName="vigil-models-by-feature.csv" height={320} defaultVisibleMetrics={['requests', 'spend', 'costPerSuccessfulRequest', 'latencyP95', 'quality']} />
    </div>
  );
}

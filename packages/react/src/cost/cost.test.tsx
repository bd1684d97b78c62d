import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SourceError } from '@vigil/core';
import type { UsageAggregateRow } from '@vigil/core/cost';
import { CostAttributionTree } from './CostAttributionTree';
import { CostOptimizationCard } from './CostOptimizationCard';
import { CostVsPerformanceScatter } from './CostVsPerformanceScatter';
import { ModelComparisonMatrix } from './ModelComparisonMatrix';
import { SpendBudgetGauge } from './SpendBudgetGauge';
import { paretoFront } from './model';
import { SAMPLE_OPPORTUNITY, hugeMatrixRows, storyCost } from './story-data';

const { byModel, byModelFeature, opportunities, forecast } = storyCost();

function modelsInOrder(): string[] {
  return screen
    .getAllByRole('row')
    .slice(1)
    .map((r) => r.getAttribute('data-model') ?? '');
}

describe('ModelComparisonMatrix', () => {
  it('sorts by spend descending by default (brute-force order), unpriced last, and re-sorts on a header click', async () => {
    render(<ModelComparisonMatrix rows={byModel} />);
    const priced = byModel.filter((r) => r.pricedRequests > 0);
    const expected = [...priced].sort((a, b) => b.spend - a.spend).map((r) => r.key['model']);
    expect(modelsInOrder()).toEqual([...expected, 'acme-support-ft-2']);
    expect(screen.getByRole('columnheader', { name: /Spend/ }).getAttribute('aria-sort')).toBe('descending');
    await userEvent.click(within(screen.getByRole('columnheader', { name: /p95 latency/ })).getByRole('button'));
    const byLatency = [...byModel].sort((a, b) => a.latencyP95 - b.latencyP95).map((r) => r.key['model']);
    expect(modelsInOrder()).toEqual(byLatency);
    expect(screen.getByRole('columnheader', { name: /p95 latency/ }).getAttribute('aria-sort')).toBe('ascending');
  });

  it('shows the unpriced model as Unpriced, never $0', () => {
    render(<ModelComparisonMatrix rows={byModel} />);
    const row = screen.getAllByRole('row').find((r) => r.getAttribute('data-model') === 'acme-support-ft-2')!;
    expect(within(row).getAllByText('Unpriced').length).toBeGreaterThanOrEqual(2);
    expect(row.textContent).not.toMatch(/\$0\.00/);
    expect(screen.getByText(/no price in the catalogue/)).toBeTruthy();
  });

  it('exports the visible columns as CSV with formula injection neutralised', async () => {
    const onExportCsv = vi.fn();
    const evil: UsageAggregateRow = { ...byModel[0]!, key: { provider: 'openai', model: '=HYPERLINK("http://x","y")' } };
    render(<ModelComparisonMatrix rows={[evil, ...byModel]} onExportCsv={onExportCsv} defaultVisibleMetrics={['requests', 'spend']} />);
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    const csv = onExportCsv.mock.calls[0]![0] as string;
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toBe('provider,model,requests,spend');
    expect(lines).toHaveLength(byModel.length + 2);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csv).toContain('acme-support-ft-2');
    expect(lines.find((l) => l.includes('acme'))!.endsWith(',unpriced')).toBe(true);
  });

  it('hides and shows columns from the column picker (uncontrolled and controlled)', async () => {
    const onVisibleMetricsChange = vi.fn();
    render(<ModelComparisonMatrix rows={byModel} onVisibleMetricsChange={onVisibleMetricsChange} />);
    expect(screen.getByRole('columnheader', { name: /Quality score/ })).toBeTruthy();
    await userEvent.click(screen.getByText(/^Columns/));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Quality score' }));
    expect(screen.queryByRole('columnheader', { name: /Quality/ })).toBeNull();
    expect(onVisibleMetricsChange).toHaveBeenLastCalledWith(expect.not.arrayContaining(['quality']));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Cache hits' }));
    expect(screen.getByRole('columnheader', { name: /Cache hits/ })).toBeTruthy();
  });

  it('marks heat with text (★ best) and colour, and renders only a window of 5,000 rows', () => {
    render(<ModelComparisonMatrix rows={hugeMatrixRows(5000)} height={400} rowHeight={36} />);
    const rows = screen.getAllByRole('row').length - 1;
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(40);
    expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe('5001');
    const { container } = render(<ModelComparisonMatrix rows={byModel} />);
    expect(container.querySelectorAll('[data-heat]').length).toBeGreaterThan(5);
    expect(within(container).getAllByText('(best)').length).toBeGreaterThan(2);
  });

  it('shows loading, empty and error states', () => {
    const { rerender } = render(<ModelComparisonMatrix rows={undefined} loading />);
    expect(screen.getByText(/Loading/)).toBeTruthy();
    rerender(<ModelComparisonMatrix rows={[]} />);
    expect(screen.getByText('No usage in this range.')).toBeTruthy();
    rerender(<ModelComparisonMatrix rows={byModel} error={new SourceError('SOURCE_TIMEOUT', 'usage store did not answer')} />);
    expect(screen.getByRole('alert').textContent).toMatch(/usage store did not answer.*SOURCE_TIMEOUT/);
  });
});

describe('CostVsPerformanceScatter', () => {
  it('marks the Pareto front (same as paretoFront) and lists unpriced models as not plotted', () => {
    const { container } = render(<CostVsPerformanceScatter rows={byModel} />);
    const plotted = byModel.filter((r) => r.pricedRequests > 0);
    const front = new Set(paretoFront(plotted.map((r) => ({ cost: r.costPerSuccessfulRequest, performance: r.latencyP95 })), 'lower').map((i) => plotted[i]!.key['model']));
    const rows = within(container.querySelector('table')!).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(plotted.length);
    for (const row of rows) {
      const [name, , , onFront] = [...row.children].map((c) => c.textContent);
      expect([name, onFront]).toEqual([name, front.has(name!) ? 'yes' : 'no']);
    }
    expect(container.querySelectorAll('[data-pareto="true"]').length).toBe(front.size);
    expect(screen.getByText(/not plotted, unpriced.*acme-support-ft-2/i)).toBeTruthy();
    expect(screen.getByRole('img').getAttribute('aria-label')).toMatch(/Pareto front:/);
  });

  it('switches to quality (higher is better) with the toggle', async () => {
    const onPerformanceChange = vi.fn();
    render(<CostVsPerformanceScatter rows={byModel} onPerformanceChange={onPerformanceChange} />);
    await userEvent.click(screen.getByRole('button', { name: 'Quality' }));
    expect(onPerformanceChange).toHaveBeenCalledWith('quality');
    expect(screen.getByRole('button', { name: 'Quality' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('img').getAttribute('aria-label')).toMatch(/Quality/);
  });
});

describe('CostOptimizationCard', () => {
  it('shows the savings range, confidence, effort, scope and evidence', () => {
    render(<CostOptimizationCard opportunity={SAMPLE_OPPORTUNITY} evidenceLimit={4} />);
    const card = screen.getByRole('article', { name: SAMPLE_OPPORTUNITY.title });
    expect(card.textContent).toContain('$76.40');
    expect(card.textContent).toMatch(/range \$61\.20 – \$88\.90/);
    expect(card.textContent).toMatch(/Confidencehigh/);
    expect(card.textContent).toMatch(/Effortlow/);
    expect(card.textContent).toContain('feature: classify');
    expect(screen.getByText('Pass rate, current')).toBeTruthy();
    expect(screen.getByText('Show 4 more')).toBeTruthy();
  });

  it('renders every opportunity the engine found without crashing', () => {
    for (const o of opportunities) {
      const { unmount } = render(<CostOptimizationCard opportunity={o} />);
      expect(screen.getByRole('article', { name: o.title })).toBeTruthy();
      unmount();
    }
  });
});

describe('CostAttributionTree', () => {
  it('lists providers by spend, opens one with Enter and goes back with Escape', async () => {
    const onSelect = vi.fn();
    render(<CostAttributionTree rows={byModelFeature} onSelect={onSelect} />);
    const items = screen.getAllByRole('listitem');
    const providers = [...new Set(byModelFeature.filter((r) => r.spend > 0).map((r) => r.key['provider']))];
    expect(items.map((i) => i.getAttribute('data-node')).sort()).toEqual(providers.sort());
    expect(items[0]!.getAttribute('tabindex')).toBe('0');
    expect(items[1]!.getAttribute('tabindex')).toBe('-1');
    items[0]!.focus();
    fireEvent.keyDown(items[0]!, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(screen.getAllByRole('listitem')[1]);
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    const opened = onSelect.mock.calls[0]![0] as string[];
    expect(opened).toHaveLength(1);
    const models = [...new Set(byModelFeature.filter((r) => r.key['provider'] === opened[0] && r.spend > 0).map((r) => r.key['model']))];
    expect(screen.getAllByRole('listitem').map((i) => i.getAttribute('data-node')).sort()).toEqual(models.sort());
    expect(screen.getByRole('navigation', { name: 'Attribution path' }).textContent).toContain(opened[0]);
    fireEvent.keyDown(screen.getAllByRole('listitem')[0]!, { key: 'Escape' });
    expect(screen.getAllByRole('listitem')).toHaveLength(providers.length);
  });

  it('names each node with its spend and share, counts unpriced requests, and switches to an icicle', async () => {
    render(<CostAttributionTree rows={byModelFeature} />);
    expect(screen.getAllByRole('listitem')[0]!.getAttribute('aria-label')).toMatch(/^provider \S+: \$[\d.,]+k?, [\d.]+% of all spend/);
    expect(screen.getByText(/unpriced requests are not sized/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Icicle' }));
    expect(screen.getByRole('button', { name: 'Icicle' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getAllByRole('listitem').length).toBeGreaterThan(1);
  });
});

describe('SpendBudgetGauge', () => {
  it('is a meter whose text carries spent, forecast, interval and probability', () => {
    render(<SpendBudgetGauge forecast={forecast} periodLabel="November" />);
    const meter = screen.getByRole('meter');
    const text = meter.getAttribute('aria-valuetext')!;
    expect(text).toMatch(/spent of a \$400\.00 budget/);
    expect(text).toMatch(/Forecast for November \$[\d.,]+, 90% interval/);
    expect(text).toMatch(new RegExp(`${Math.round(forecast.probabilityOverBudget * 100)}% chance of exceeding`));
    expect(Number(meter.getAttribute('aria-valuenow'))).toBeCloseTo(Math.min(100, (forecast.spentSoFar / 400) * 100), 0);
  });

  it('says the state in words at each probability band', () => {
    const base = { budget: 100, spentSoFar: 40, projectedTotal: { expected: 90, lower: 80, upper: 100 } };
    const { rerender } = render(<SpendBudgetGauge forecast={{ ...base, probabilityOverBudget: 0.05 }} />);
    expect(screen.getByText('On track')).toBeTruthy();
    rerender(<SpendBudgetGauge forecast={{ ...base, probabilityOverBudget: 0.3 }} />);
    expect(screen.getByText('At risk')).toBeTruthy();
    rerender(<SpendBudgetGauge forecast={{ ...base, probabilityOverBudget: 0.8 }} />);
    expect(screen.getByText('Likely over budget')).toBeTruthy();
    rerender(<SpendBudgetGauge forecast={{ ...base, probabilityOverBudget: Number.NaN, projectedTotal: { expected: Number.NaN, lower: Number.NaN, upper: Number.NaN } }} />);
    expect(screen.getByRole('meter').getAttribute('aria-valuetext')).not.toMatch(/NaN/);
    rerender(<SpendBudgetGauge forecast={undefined} error={new Error('no series')} />);
    expect(screen.getByRole('alert').textContent).toContain('no series');
  });
});

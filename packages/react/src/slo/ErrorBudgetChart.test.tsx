import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import { SourceError } from '@vigil/core';
import type { SLOTimeline } from '@vigil/core/slo';
import { ErrorBudgetChart, alertEvents, budgetSeries, projectionSeries } from './ErrorBudgetChart';
import { scenario, DAY } from './story-data';

describe('ErrorBudgetChart data', () => {
  it('plots the remaining budget in percent at every timeline step', () => {
    const s = scenario('burning');
    const series = budgetSeries(s.timeline);
    expect(series.timestamps).toBe(s.timeline.timestamps);
    for (const i of [0, 100, s.timeline.timestamps.length - 1]) expect(series.values[i]).toBeCloseTo((s.timeline.budgetRemaining[i] as number) * 100, 12);
  });

  it('projects the burn linearly to exhaustion: remaining x window / burn rate after now', () => {
    const s = scenario('burning');
    const { remaining } = s.status.errorBudget.ratio;
    const exhaustAt = s.status.at + (remaining * s.status.windowLengthMs) / s.status.exhaustion.burnRate;
    const projection = projectionSeries(s.slo, s.timeline, s.status, s.status.at + 30 * DAY);
    expect(projection).not.toBeNull();
    expect(Array.from(projection!.timestamps)).toEqual([s.status.at, exhaustAt]);
    expect(projection!.values[0]).toBeCloseTo(remaining * 100, 9);
    expect(projection!.values[1]).toBeCloseTo(0, 9);
    // Clipped at the horizon, with the value reached there.
    const horizon = s.status.at + (exhaustAt - s.status.at) / 2;
    const clipped = projectionSeries(s.slo, s.timeline, s.status, horizon)!;
    expect(clipped.timestamps[1]).toBe(horizon);
    expect(clipped.values[1]).toBeCloseTo((remaining / 2) * 100, 9);
  });

  it('draws no projection when not burning or already exhausted', () => {
    const quiet = scenario('no-traffic');
    expect(projectionSeries(quiet.slo, quiet.timeline, quiet.status, Infinity)).toBeNull();
    const breached = scenario('breached');
    expect(projectionSeries(breached.slo, breached.timeline, breached.status, Infinity)).toBeNull();
  });

  it('turns alert intervals into shaded ranges coloured by severity; open ones run to the end', () => {
    const s = scenario('burning');
    const end = s.status.at;
    const events = alertEvents(s.alerts, end);
    expect(events).toHaveLength(s.alerts.length);
    events.forEach((e, i) => {
      const a = s.alerts[i]!;
      expect(e.time).toBe(a.start);
      expect(e.endTime).toBe(a.end ?? end);
      expect(e.severity).toBe(a.severity === 'page' ? 'critical' : 'warning');
      expect(e.title.startsWith(`${a.tier} (${a.severity})`)).toBe(true);
    });
  });
});

describe('ErrorBudgetChart', () => {
  it('renders a named chart with thresholds, focusable alert labels and an alert list', () => {
    const s = scenario('burning');
    render(<ErrorBudgetChart slo={s.slo} timeline={s.timeline} alerts={s.alerts} status={s.status} width={800} timeZone="utc" />);
    expect(screen.getByRole('figure', { name: 'Error budget: Checkout availability' })).toBeTruthy();
    const alertButtons = screen.getAllByRole('button', { name: /^Alert: page-1h \(page\)/ });
    expect(alertButtons.length).toBe(s.alerts.filter((a) => a.tier === 'page-1h').length);
    expect(screen.getByText(`${s.alerts.length} burn-rate alerts in this range:`)).toBeTruthy();
    expect(screen.getAllByText(/now \(firing\)/).length).toBe(s.alerts.filter((a) => a.end === null).length);
  });

  it('marks calendar resets on a calendar-window SLO', () => {
    const s = scenario('calendar');
    render(<ErrorBudgetChart slo={s.slo} timeline={s.timeline} alerts={[]} width={800} timeZone="utc" />);
    // The 30-day timeline ending Mar 14 crosses one month boundary: Mar 1.
    expect(screen.getAllByRole('button', { name: /^Annotation: Budget resets \(new month\)/ })).toHaveLength(1);
    // And the data resets there: the budget jumps back up to 100%.
    const t = s.timeline;
    const i = t.timestamps.findIndex((x) => x > Date.UTC(2025, 2, 1));
    expect(t.budgetRemaining[i]).toBeGreaterThan(t.budgetRemaining[i - 1] as number);
  });

  it('shows loading, error and empty states, and contains a crash', () => {
    const s = scenario('healthy');
    const { rerender } = render(<ErrorBudgetChart slo={s.slo} timeline={undefined} loading width={600} />);
    expect(screen.getByRole('figure').getAttribute('aria-busy')).toBe('true');
    rerender(<ErrorBudgetChart slo={s.slo} timeline={s.timeline} error={new SourceError('SOURCE_TIMEOUT', 'took too long')} width={600} />);
    expect(screen.getByRole('alert').textContent).toContain('took too long');
    rerender(<ErrorBudgetChart slo={s.slo} timeline={null} width={600} />);
    expect(screen.getByText('No data for this range')).toBeTruthy();
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = { ...s.timeline, budgetRemaining: null } as unknown as SLOTimeline;
    rerender(<ErrorBudgetChart slo={s.slo} timeline={broken} width={600} />);
    expect(screen.getByRole('alert')).toBeTruthy();
    spy.mockRestore();
  });
});

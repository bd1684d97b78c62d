import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { Series } from '@vigil/core';
import { validateRule, type AlertRule, type RuleProblem } from '@vigil/core/alerting';
import { AlertRuleBuilder } from './AlertRuleBuilder';
import { problemsByField, queryForMetric } from './builder-model';
import { MINUTE, STORY_NOW, syntheticSeries } from './story-data';

const range = { start: STORY_NOW - 3 * 60 * MINUTE, end: STORY_NOW };
const bursts = [
  { start: STORY_NOW - 150 * MINUTE, end: STORY_NOW - 140 * MINUTE, level: 0.2 },
  { start: STORY_NOW - 90 * MINUTE, end: STORY_NOW - 60 * MINUTE, level: 0.2 },
  { start: STORY_NOW - 20 * MINUTE, end: STORY_NOW + MINUTE, level: 0.2 },
];
const series: Series[] = [syntheticSeries('checkout', { service: 'checkout' }, 0.01, 0.3, bursts, 9, { start: range.start - 10 * MINUTE, end: range.end })];

const rule: AlertRule = {
  id: 'errors',
  name: 'HighErrorRate',
  query: { expr: 'error_ratio', stepMs: MINUTE },
  reducer: { type: 'last', windowMs: MINUTE },
  condition: { type: 'threshold', operator: '>', critical: { value: 0.05 } },
  forMs: 0,
};

/** Brute force: maximal runs of ticks whose sample is above the threshold (last value, no `for`, no hysteresis). */
function bruteRuns(s: Series, threshold: number): number {
  let runs = 0;
  let inside = false;
  for (let t = range.start; t <= range.end; t += MINUTE) {
    const i = s.timestamps.indexOf(t);
    const above = i >= 0 && (s.values[i] as number) > threshold;
    if (above && !inside) runs++;
    inside = above;
  }
  return runs;
}

function field(path: string): HTMLElement {
  return document.querySelector(`[data-field="${path}"]`) as HTMLElement;
}

function control(path: string): HTMLInputElement {
  return field(path).querySelector('input, select, textarea') as HTMLInputElement;
}

describe('builder model', () => {
  it('keys validator problems by field path and rewords them', () => {
    const problems: RuleProblem[] = validateRule({ ...rule, forMs: -1, condition: { type: 'threshold', operator: '>' } });
    const byField = problemsByField(problems);
    expect(byField.get('forMs')).toMatch(/^Expected a whole number of milliseconds/);
    expect(byField.get('condition')).toMatch(/^Expected a warning or a critical threshold/);
  });

  it('builds starting queries per metric type, escaping the filter value', () => {
    expect(queryForMetric({ name: 'http_requests_total', type: 'counter' }, { label: 'service', value: 'check"out' })).toBe('sum(rate(http_requests_total{service="check\\"out"}[5m]))');
    expect(queryForMetric({ name: 'http_request_duration_seconds', type: 'histogram' })).toBe('histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))');
    expect(queryForMetric({ name: 'up', type: 'gauge' })).toBe('up');
  });
});

describe('AlertRuleBuilder', () => {
  it('backtests the rule over the range: the count matches a brute-force scan, and each interval is a chart marker', async () => {
    const expected = bruteRuns(series[0] as Series, 0.05);
    expect(expected).toBe(3);
    render(<AlertRuleBuilder defaultValue={rule} series={series} range={range} timeZone="utc" />);
    const preview = screen.getByTestId('vigil-rule-preview');
    await waitFor(() => expect(preview.getAttribute('data-backtest-count')).toBe(String(expected)));
    expect(screen.getByTestId('vigil-backtest-summary').textContent).toMatch(new RegExp(`^Would have fired ${expected} times over the 3h shown`));
    expect(within(preview).getAllByRole('listitem').filter((li) => li.hasAttribute('data-backtest-interval'))).toHaveLength(expected);
    // Raising the threshold above the bursts: nothing fires.
    fireEvent.change(control('condition.critical.value'), { target: { value: '0.5' } });
    await waitFor(() => expect(preview.getAttribute('data-backtest-count')).toBe('0'));
    expect(screen.getByTestId('vigil-backtest-summary').textContent).toMatch(/^Would not have fired/);
  });

  it('emits the rule JSON on every edit (uncontrolled), with the validator’s problems', () => {
    const onChange = vi.fn<(rule: AlertRule, problems: readonly RuleProblem[]) => void>();
    render(<AlertRuleBuilder defaultValue={rule} series={series} range={range} onChange={onChange} />);
    fireEvent.change(control('forMs'), { target: { value: '5m' } });
    expect(onChange.mock.lastCall?.[0].forMs).toBe(5 * MINUTE);
    fireEvent.click(within(document.querySelector('[data-level="warning"]') as HTMLElement).getByRole('checkbox'));
    fireEvent.change(control('condition.warning.value'), { target: { value: '0.02' } });
    fireEvent.change(control('condition.warning.recovery'), { target: { value: '0.015' } });
    const emitted = onChange.mock.lastCall?.[0] as AlertRule;
    expect(emitted.condition).toEqual({ type: 'threshold', operator: '>', critical: { value: 0.05 }, warning: { value: 0.02, recovery: 0.015 } });
    expect(emitted.forMs).toBe(5 * MINUTE);
    expect(onChange.mock.lastCall?.[1]).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Add label' }));
    fireEvent.change(screen.getByLabelText('Label 1 name'), { target: { value: 'team' } });
    fireEvent.change(screen.getByLabelText('Label 1 value'), { target: { value: 'sre' } });
    expect(onChange.mock.lastCall?.[0].labels).toEqual({ team: 'sre' });
  });

  it('puts each validator problem under its field (aria-invalid + aria-describedby) and blocks saving', () => {
    const onSubmit = vi.fn();
    const invalid: AlertRule = { ...rule, name: 'high error rate', condition: { type: 'threshold', operator: '>', critical: { value: 0.05, recovery: 0.09 } } };
    render(<AlertRuleBuilder defaultValue={invalid} series={series} range={range} onSubmit={onSubmit} />);
    const expected = problemsByField(validateRule(invalid));
    expect([...expected.keys()].sort()).toEqual(['condition.critical.recovery', 'name']);
    for (const [path, message] of expected) {
      const input = control(path);
      expect(input.getAttribute('aria-invalid')).toBe('true');
      const ids = (input.getAttribute('aria-describedby') ?? '').split(' ');
      expect(ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ')).toContain(message);
    }
    expect(control('forMs').getAttribute('aria-invalid')).toBe('false');
    expect(screen.getByTestId('vigil-rule-problems').textContent).toBe('2 problems to fix');
    fireEvent.click(screen.getByRole('button', { name: 'Save rule' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toMatch(/2 problems/);
    expect(document.activeElement?.getAttribute('aria-invalid')).toBe('true');
    // Fixing both fields lets it save, with the exact JSON.
    fireEvent.change(control('name'), { target: { value: 'HighErrorRate' } });
    fireEvent.change(control('condition.critical.recovery'), { target: { value: '0.04' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save rule' }));
    expect(onSubmit).toHaveBeenCalledWith({ ...rule, condition: { type: 'threshold', operator: '>', critical: { value: 0.05, recovery: 0.04 } } });
  });

  it('keeps half-typed numbers and durations out of the rule, with a field error', () => {
    const onChange = vi.fn();
    render(<AlertRuleBuilder defaultValue={rule} series={series} range={range} onChange={onChange} />);
    fireEvent.change(control('condition.critical.value'), { target: { value: '0.0x' } });
    expect(control('condition.critical.value').getAttribute('aria-invalid')).toBe('true');
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.change(control('forMs'), { target: { value: '5 min' } });
    expect(field('forMs').textContent).toContain('Enter a duration such as 30s, 5m or 1h30m.');
    expect(onChange).not.toHaveBeenCalled();
  });

  it('is controlled by value: edits are proposed, the form shows the host’s rule', () => {
    const onChange = vi.fn();
    const { rerender } = render(<AlertRuleBuilder value={rule} series={series} range={range} onChange={onChange} />);
    fireEvent.change(control('name'), { target: { value: 'Renamed' } });
    expect(onChange.mock.lastCall?.[0].name).toBe('Renamed');
    expect(control('name').value).toBe('HighErrorRate');
    rerender(<AlertRuleBuilder value={{ ...rule, forMs: 10 * MINUTE }} series={series} range={range} onChange={onChange} />);
    expect(control('forMs').value).toBe('10m');
  });

  it('switches condition types and shows only the fields that apply', async () => {
    render(<AlertRuleBuilder defaultValue={rule} series={series} range={range} />);
    fireEvent.change(control('condition.type'), { target: { value: 'change' } });
    expect(field('condition.direction')).toBeTruthy();
    expect(field('condition.operator')).toBeNull();
    fireEvent.change(control('condition.type'), { target: { value: 'absent' } });
    expect(field('severity')).toBeTruthy();
    expect(document.querySelector('[data-level]')).toBeNull();
    await act(async () => {});
  });

  it('offers the metrics given and fills in a query for the chosen one', () => {
    const onChange = vi.fn();
    render(
      <AlertRuleBuilder
        defaultValue={{ ...rule, query: { expr: '' } }}
        series={series}
        range={range}
        onChange={onChange}
        metrics={[
          { name: 'http_requests_total', type: 'counter' },
          { name: 'up', type: 'gauge' },
        ]}
      />,
    );
    expect(control('query.expr').getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(screen.getByLabelText('Metric'), { target: { value: 'http_requests_total' } });
    expect(onChange.mock.lastCall?.[0].query.expr).toBe('sum(rate(http_requests_total[5m]))');
    expect(control('query.expr').getAttribute('aria-invalid')).toBe('false');
  });
});

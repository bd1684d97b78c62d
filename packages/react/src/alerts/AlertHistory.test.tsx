import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { SourceError } from '@vigil/core';
import { AlertHistory } from './AlertHistory';
import { ruleTimelines } from './history-model';
import { storyScenario } from './story-data';

describe('AlertHistory', () => {
  it('draws one lane per rule, named by its summary, from the engine’s history', () => {
    const { history, rules, range } = storyScenario();
    render(<AlertHistory history={history} rules={rules} range={range} width={900} timeZone="utc" />);
    const timelines = ruleTimelines(history, range, { [rules[0]!.id]: rules[0]!.name, [rules[1]!.id]: rules[1]!.name }, rules.map((r) => r.id));
    const lanes = screen.getAllByRole('img');
    expect(lanes).toHaveLength(rules.length);
    const errors = timelines.find((t) => t.ruleId === 'high-error-rate');
    expect(errors?.firingCount).toBeGreaterThanOrEqual(2);
    expect(lanes[0]?.getAttribute('aria-label')).toMatch(new RegExp(`^HighErrorRate: fired ${errors?.firingCount} times, .* in total; firing at the end of the range$`));
    // Every non-inactive band is a rect with its state.
    const drawn = lanes[0]?.querySelectorAll('rect[data-state]').length;
    expect(drawn).toBe(errors?.bands.filter((b) => b.state !== 'inactive').length);
  });

  it('has a table view of the same bands', () => {
    const { history, rules, range } = storyScenario();
    render(<AlertHistory history={history} rules={rules} range={range} width={900} timeZone="utc" />);
    fireEvent.click(screen.getByRole('button', { name: 'Table' }));
    expect(screen.getByRole('button', { name: 'Table' }).getAttribute('aria-pressed')).toBe('true');
    const table = screen.getByRole('table');
    const timelines = ruleTimelines(history, range, {}, rules.map((r) => r.id));
    const bands = timelines.reduce((n, t) => n + t.bands.filter((b) => b.state !== 'inactive').length, 0);
    expect(within(table).getAllByRole('row')).toHaveLength(bands + 1);
    expect(within(table).getAllByText(/^Firing \(critical\)$/).length).toBeGreaterThan(0);
  });

  it('has empty, loading and error states', () => {
    const { rerender } = render(<AlertHistory history={[]} />);
    expect(screen.getByText('No alert history in this range.')).toBeTruthy();
    rerender(<AlertHistory history={undefined} loading />);
    expect(screen.getByRole('region').getAttribute('aria-busy')).toBe('true');
    rerender(<AlertHistory history={[]} error={new SourceError('SOURCE_TIMEOUT', 'timed out')} />);
    expect(screen.getByRole('alert').textContent).toContain('timed out (SOURCE_TIMEOUT)');
  });
});

import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { SourceError } from '@vigil/core';
import type { Alert } from '@vigil/core/alerting';
import { AlertsPanel } from './AlertsPanel';
import { groupAlertsBySeverity, safeLink } from './panel-model';
import { STORY_NOW, manyAlerts, storyScenario } from './story-data';

function alert(fingerprint: string, labels: Record<string, string>, startsAt: number, annotations: Record<string, string> = {}): Alert {
  return { fingerprint, status: 'firing', labels, annotations, startsAt };
}

describe('groupAlertsBySeverity', () => {
  it('orders severities critical, warning, info, others, none; oldest first inside; drops resolved', () => {
    const alerts = [
      alert('a', { alertname: 'A', severity: 'warning' }, 30),
      alert('b', { alertname: 'B', severity: 'critical' }, 20),
      alert('c', { alertname: 'C' }, 10),
      alert('d', { alertname: 'D', severity: 'info' }, 5),
      alert('e', { alertname: 'E', severity: 'warning' }, 10),
      alert('f', { alertname: 'F', severity: 'custom' }, 10),
      { ...alert('g', { alertname: 'G', severity: 'critical' }, 1), status: 'resolved' as const },
    ];
    const groups = groupAlertsBySeverity(alerts);
    expect(groups.map((g) => [g.severity, g.alerts.map((a) => a.fingerprint)])).toEqual([
      ['critical', ['b']],
      ['warning', ['e', 'a']],
      ['info', ['d']],
      ['custom', ['f']],
      ['', ['c']],
    ]);
  });

  it('only links http(s) URLs', () => {
    expect(safeLink('https://runbooks.example.com/a b')).toBe('https://runbooks.example.com/a%20b');
    expect(safeLink('http://x.test/')).toBe('http://x.test/');
    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,<b>', '/relative', '', undefined]) expect(safeLink(bad)).toBeUndefined();
  });
});

describe('AlertsPanel', () => {
  it('shows the engine’s firing alerts grouped by severity with counts, labels as text and runbook links', () => {
    const { alerts } = storyScenario();
    render(<AlertsPanel alerts={alerts} now={STORY_NOW} timeZone="utc" />);
    const region = screen.getByRole('region', { name: 'Active alerts' });
    const critical = alerts.filter((a) => a.labels['severity'] === 'critical').length;
    const warning = alerts.filter((a) => a.labels['severity'] === 'warning').length;
    expect(critical).toBeGreaterThan(0);
    expect(warning).toBeGreaterThan(0);
    expect(region.getAttribute('data-alert-count')).toBe(String(alerts.length));
    expect(screen.getByTestId('vigil-alerts-summary').textContent).toBe(`${alerts.length} firing: ${critical} critical, ${warning} warning`);
    const groups = region.querySelectorAll('[data-severity-group]');
    expect([...groups].map((g) => g.getAttribute('data-severity-group'))).toEqual(['critical', 'warning']);
    expect(within(groups[0] as HTMLElement).getAllByRole('listitem', { hidden: false }).filter((li) => li.hasAttribute('data-fingerprint'))).toHaveLength(critical);
    // The checkout burst: its summary was templated by the engine, its labels are chips of plain text.
    const checkout = alerts.find((a) => a.labels['service'] === 'checkout' && a.labels['severity'] === 'critical') as Alert;
    const row = region.querySelector(`[data-fingerprint="${checkout.fingerprint}"]`) as HTMLElement;
    expect(row.textContent).toContain(checkout.annotations['summary'] as string);
    expect(within(row).getByRole('list', { name: 'Labels of HighErrorRate' }).textContent).toContain('service=checkout');
    expect(within(row).getByRole('link', { name: /Runbook/ }).getAttribute('href')).toBe('https://runbooks.example.com/high-error-rate');
  });

  it('acknowledges (uncontrolled, with the callback) and asks to silence', () => {
    const { alerts } = storyScenario();
    const onAcknowledge = vi.fn();
    const onSilence = vi.fn();
    render(<AlertsPanel alerts={alerts} now={STORY_NOW} onAcknowledge={onAcknowledge} onSilence={onSilence} />);
    const first = screen.getAllByRole('button', { name: /^Acknowledge / })[0] as HTMLElement;
    const row = first.closest('[data-fingerprint]') as HTMLElement;
    fireEvent.click(first);
    expect(onAcknowledge).toHaveBeenCalledTimes(1);
    expect(onAcknowledge.mock.calls[0]?.[0].fingerprint).toBe(row.getAttribute('data-fingerprint'));
    expect(row.getAttribute('data-acknowledged')).toBe('true');
    expect(within(row).getByText('Acknowledged')).toBeTruthy();
    expect(within(row).queryByRole('button', { name: /^Acknowledge / })).toBeNull();
    expect(screen.getAllByTestId('vigil-alert-group-count')[0]?.textContent).toContain('1 acknowledged');
    fireEvent.click(within(row).getByRole('button', { name: /^Silence / }));
    expect(onSilence.mock.calls[0]?.[0].fingerprint).toBe(row.getAttribute('data-fingerprint'));
  });

  it('renders hostile label values and annotations as text, never as HTML or links', () => {
    const hostile = alert('x', { alertname: 'X', severity: 'critical', service: '<img src=x onerror=alert(1)>' }, STORY_NOW - 60_000, { summary: '<b>bold</b>', runbook_url: 'javascript:alert(1)' });
    const { container } = render(<AlertsPanel alerts={[hostile]} now={STORY_NOW} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.querySelector('a')).toBeNull();
    expect(container.textContent).toContain('service=<img src=x onerror=alert(1)>');
    expect(container.textContent).toContain('<b>bold</b>');
  });

  it('pages long groups instead of rendering every row', () => {
    const alerts = manyAlerts(90);
    const critical = alerts.filter((a) => a.labels['severity'] === 'critical').length;
    expect(alerts.length).toBeGreaterThan(80);
    const { container } = render(<AlertsPanel alerts={alerts} now={STORY_NOW} pageSize={10} />);
    const rows = () => container.querySelectorAll('[data-severity-group="critical"] [data-fingerprint]').length;
    expect(rows()).toBe(10);
    fireEvent.click(screen.getByRole('button', { name: new RegExp(`^Show 10 more critical alerts \\(${critical - 10} hidden\\)`) }));
    expect(rows()).toBe(20);
  });

  it('has empty, loading and error states', () => {
    const { rerender } = render(<AlertsPanel alerts={[]} />);
    expect(screen.getByText('No active alerts.')).toBeTruthy();
    rerender(<AlertsPanel alerts={undefined} loading />);
    expect(screen.getByRole('region').getAttribute('aria-busy')).toBe('true');
    expect(screen.getByText(/Loading/)).toBeTruthy();
    rerender(<AlertsPanel alerts={[]} error={new SourceError('SOURCE_UNREACHABLE', 'Alertmanager is down')} />);
    expect(screen.getByRole('alert').textContent).toContain('Alertmanager is down (SOURCE_UNREACHABLE)');
  });

  it('keeps a crash inside the panel', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = [{ fingerprint: 'x', status: 'firing', labels: null, annotations: {}, startsAt: 0 }] as unknown as Alert[];
    render(
      <div>
        <p>host content</p>
        <AlertsPanel alerts={broken} />
      </div>,
    );
    expect(screen.getByText('host content')).toBeTruthy();
    expect(screen.getByRole('alert')).toBeTruthy();
    spy.mockRestore();
  });
});

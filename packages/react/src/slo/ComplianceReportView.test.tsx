import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SourceError } from '@vigil/core';
import { complianceReport, defineSLO, eventsFromCounts } from '@vigil/core/slo';
import { ComplianceReportView, periodLabel } from './ComplianceReportView';
import { scenario, DAY } from './story-data';

/** Three months of daily counts: January meets 99%, February misses it, March has no traffic. */
function monthly() {
  const slo = defineSLO({ name: 'quarter-test', sli: { kind: 'ratio' }, target: 0.99, window: { kind: 'calendar', unit: 'month', timeZone: 'UTC' } });
  const start = Date.UTC(2025, 0, 1);
  const days = 90;
  const timestamps = Float64Array.from({ length: days }, (_, i) => start + (i + 1) * DAY);
  const total = Float64Array.from({ length: days }, (_, i) => (timestamps[i]! <= Date.UTC(2025, 2, 1) ? 1000 : 0));
  const bad = Float64Array.from({ length: days }, (_, i) => (timestamps[i]! <= Date.UTC(2025, 1, 1) ? 5 : timestamps[i]! <= Date.UTC(2025, 2, 1) ? 30 : 0));
  return complianceReport(slo, eventsFromCounts({ timestamps, bad, total }), { unit: 'month', range: { start, end: Date.UTC(2025, 3, 1) } });
}

describe('ComplianceReportView', () => {
  it('shows one row per period, newest first, with met / missed / no-data badges and the summary', () => {
    const report = monthly();
    render(<ComplianceReportView report={report} />);
    expect(screen.getByRole('region', { name: 'Compliance: quarter-test (monthly)' })).toBeTruthy();
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['Mar 2025', 'Feb 2025', 'Jan 2025']);
    expect(rows.map((r) => r.getAttribute('data-met'))).toEqual(['none', 'false', 'true']);
    expect(within(rows[0]!).getByText('No data')).toBeTruthy();
    expect(within(rows[1]!).getByText('Missed')).toBeTruthy();
    expect(within(rows[2]!).getByText('Met')).toBeTruthy();
    // January: 31 days x 1000 requests, 5 bad a day → 99.5%; February: 28 x 1000, 30 bad a day → 97%.
    expect(within(rows[2]!).getAllByRole('cell')[0]?.textContent).toBe('99.5%');
    expect(within(rows[1]!).getAllByRole('cell')[0]?.textContent).toBe('97%');
    expect(within(rows[1]!).getAllByRole('cell')[2]?.textContent).toBe('300%'); // 3% errors / 1% budget
    expect(within(rows[2]!).getAllByRole('cell')[3]?.textContent).toBe('31,000');
    expect(screen.getByTestId('vigil-compliance-summary').textContent).toBe('1 of 2 monthly periods with data met the 99% target (1 without data)');
    expect(screen.getByRole('img', { name: /Attainment history/ })).toBeTruthy();
  });

  it('exports CSV through toCsv, with the report numbers, and downloads it as a file', async () => {
    const user = userEvent.setup();
    const report = monthly();
    const exported: { csv: string; name: string }[] = [];
    const createObjectURL = vi.fn(() => 'blob:report');
    const revokeObjectURL = vi.fn();
    const original = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = revokeObjectURL;
    const clicks: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    try {
      render(<ComplianceReportView report={{ ...report, slo: '=1+2' }} onExport={(csv, name) => void exported.push({ csv, name })} />);
      await user.click(screen.getByRole('button', { name: /Export CSV/ }));
      expect(exported).toHaveLength(1);
      const lines = exported[0]!.csv.trim().split('\n');
      expect(lines).toHaveLength(4);
      const january = lines[1]!.split(',');
      expect(january.slice(0, 10).join(',')).toBe(`'=1+2,2025-01-01T00:00:00.000Z,2025-02-01T00:00:00.000Z,true,30845,155,31000,0.995,0.99,met`);
      expect(Number(january[10])).toBeCloseTo(0.5, 12); // 0.5% errors of a 1% budget
      expect(january[11]).toBe('0');
      expect(lines[3]).toBe(`'=1+2,2025-03-01T00:00:00.000Z,2025-04-01T00:00:00.000Z,true,0,0,0,,0.99,,0,0`);
      expect(exported[0]!.name).toBe('_1_2-compliance-month.csv');
      expect(createObjectURL).toHaveBeenCalledTimes(1);
      expect(clicks).toEqual(['_1_2-compliance-month.csv']);
    } finally {
      click.mockRestore();
      URL.createObjectURL = original.create;
      URL.revokeObjectURL = original.revoke;
    }
  });

  it('skips the download when onExport returns false', async () => {
    const user = userEvent.setup();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click');
    render(<ComplianceReportView report={monthly()} onExport={() => false} />);
    await user.click(screen.getByRole('button', { name: /Export CSV/ }));
    expect(click).not.toHaveBeenCalled();
    click.mockRestore();
  });

  it('labels weeks and quarters', () => {
    expect(periodLabel({ start: Date.UTC(2025, 3, 1), end: Date.UTC(2025, 6, 1) }, 'quarter', 'UTC')).toBe('Q2 2025');
    expect(periodLabel({ start: Date.UTC(2025, 2, 10), end: Date.UTC(2025, 2, 17) }, 'week', 'UTC')).toBe('Week of Mar 10, 2025');
    // The zone matters: midnight in Tokyo is the previous day in UTC.
    expect(periodLabel({ start: Date.UTC(2024, 11, 31, 15), end: Date.UTC(2025, 0, 31, 15) }, 'month', 'Asia/Tokyo')).toBe('Jan 2025');
  });

  it('renders the weekly report of a scenario, and its states', () => {
    const s = scenario('breached');
    const { rerender } = render(<ComplianceReportView report={s.report} />);
    expect(screen.getAllByRole('row').length - 1).toBe(s.report.periods.length);
    expect(screen.getAllByText('Missed').length).toBe(s.report.periodsWithData - s.report.periodsMet);
    rerender(<ComplianceReportView report={undefined} loading />);
    expect(screen.getByRole('region').getAttribute('aria-busy')).toBe('true');
    rerender(<ComplianceReportView report={undefined} error={new SourceError('SOURCE_TIMEOUT', 'slow')} />);
    expect(screen.getByRole('alert').textContent).toContain('slow');
    rerender(<ComplianceReportView report={null} />);
    expect(screen.getByText('No periods in this report.')).toBeTruthy();
  });
});

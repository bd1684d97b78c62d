import { describe, expect, it } from 'vitest';
import { defineSLO, evaluateSLO, eventsFromCounts, complianceReport } from '@vigil/core/slo';
import { burnChips, compareUrgency, complianceCsv, filterItems, labelOptions, tierRows, type SLOListItem } from './model';
import { budgetTimeText, formatBurnRate, formatShare, formatWindow } from './format';
import { manySLOs, scenario, syntheticEvents, DAY, HOUR, MINUTE, STORY_NOW } from './story-data';

describe('format helpers', () => {
  it('formats shares without rounding below-100% values up to 100%', () => {
    expect(formatShare(0.999)).toBe('99.9%');
    expect(formatShare(0.99942, 3)).toBe('99.942%');
    expect(formatShare(0.999996, 2)).toBe('99.9996%');
    expect(formatShare(1)).toBe('100%');
    expect(formatShare(-0.256, 1)).toBe('-25.6%');
    expect(formatShare(Number.NaN)).toBe('—');
  });
  it('formats burn rates, windows and budget time', () => {
    expect(formatBurnRate(14.4)).toBe('14.4×');
    expect(formatBurnRate(0.0312)).toBe('0.03×');
    expect(formatBurnRate(1520)).toBe('1,520×');
    expect(formatWindow(5 * MINUTE)).toBe('5m');
    expect(formatWindow(HOUR + 30 * MINUTE)).toBe('1h30m');
    expect(formatWindow(3 * DAY)).toBe('3d');
    expect(budgetTimeText(3 * HOUR + 12 * MINUTE)).toBe('3h 12m left');
    expect(budgetTimeText(-(HOUR + 5 * MINUTE))).toBe('overspent by 1h 5m');
  });
});

describe('burnChips', () => {
  // 99% target: budget 0.01. One hour of 1-minute counts, 100 requests each.
  const slo = defineSLO({ name: 'chips', sli: { kind: 'ratio' }, target: 0.99, window: { duration: '30d' } });
  const n = 60 * 24 * 4;
  const timestamps = Float64Array.from({ length: n }, (_, i) => (i + 1) * MINUTE);
  const total = new Float64Array(n).fill(100);

  it('marks a window above the page threshold of a tier that watches it, and leaves the others calm', () => {
    // The last 10 minutes fail at 20%: burn 20 over 5m; over 1h it is 20 * 10/60 = 3.33.
    const bad = Float64Array.from({ length: n }, (_, i) => (i >= n - 10 ? 20 : 0));
    const status = evaluateSLO(slo, eventsFromCounts({ timestamps, bad, total }), { at: n * MINUTE });
    const chips = burnChips(slo, status);
    const byWindow = new Map(chips.map((c) => [c.windowMs, c]));
    expect(byWindow.get(5 * MINUTE)?.burnRate).toBeCloseTo(20, 9);
    expect(byWindow.get(5 * MINUTE)?.level).toBe('page'); // 20 > 14.4 (page-1h short window)
    expect(byWindow.get(5 * MINUTE)?.threshold).toBeCloseTo(14.4, 9);
    expect(byWindow.get(HOUR)?.burnRate).toBeCloseTo(20 / 6, 9);
    expect(byWindow.get(HOUR)?.level).toBe('calm'); // 3.33 < 14.4
    // 30m: 20 * 10/30 = 6.67 > 6 (page-6h short window) → page
    expect(byWindow.get(30 * MINUTE)?.level).toBe('page');
    // 2h: 20 * 10 / 120 = 1.67, under the ticket-1d threshold of 3 → calm; 6h: 0.56 under ticket-3d's 1 → calm
    expect(byWindow.get(2 * HOUR)?.level).toBe('calm');
    expect(byWindow.get(6 * HOUR)?.level).toBe('calm');
  });

  it('restricts to the windows asked for', () => {
    const status = evaluateSLO(slo, eventsFromCounts({ timestamps, bad: new Float64Array(n), total }), { at: n * MINUTE });
    expect(burnChips(slo, status, [HOUR]).map((c) => c.windowMs)).toEqual([HOUR]);
  });
});

describe('tierRows', () => {
  it('reports firing from open alert intervals and matches the engine for the burning scenario', () => {
    const s = scenario('burning');
    const rows = tierRows(s.slo, s.status, s.alerts);
    expect(rows.map((r) => r.tier)).toEqual(['page-1h', 'page-6h', 'ticket-1d', 'ticket-3d']);
    const open = new Set(s.alerts.filter((a) => a.end === null).map((a) => a.tier));
    expect(rows.filter((r) => r.firing).map((r) => r.tier).sort()).toEqual([...open].sort());
    expect(rows.find((r) => r.tier === 'page-1h')?.firing).toBe(true);
    for (const row of rows) {
      const long = s.status.burnRates.find((b) => b.windowMs === row.longWindowMs)?.burnRate;
      expect(row.longBurnRate).toBe(long);
    }
  });

  it('without alert history, a tier fires when both windows are above its threshold', () => {
    const s = scenario('burning');
    const rows = tierRows(s.slo, s.status);
    for (const row of rows) expect(row.firing).toBe((row.longBurnRate as number) > row.threshold && (row.shortBurnRate as number) > row.threshold);
  });

  it('projects exhaustion at each tier long-window burn rate: remaining x window / burn', () => {
    const s = scenario('healthy');
    const rows = tierRows(s.slo, s.status, []);
    for (const row of rows) {
      const burn = row.longBurnRate as number;
      expect(row.exhaustionAt).toBeCloseTo(s.status.at + (s.status.errorBudget.ratio.remaining * s.status.windowLengthMs) / burn, 0);
    }
    const breached = scenario('breached');
    expect(tierRows(breached.slo, breached.status, []).every((r) => r.exhaustionAt === breached.status.at)).toBe(true);
  });
});

describe('list sorting and filtering', () => {
  const items: SLOListItem[] = manySLOs(60);
  it('orders most urgent first: ascending budget remaining, unknown status last', () => {
    const withUnknown = [...items, { slo: items[0]!.slo, status: null }];
    const sorted = [...withUnknown].sort(compareUrgency);
    const remaining = sorted.slice(0, -1).map((i) => i.status!.errorBudget.ratio.remaining);
    expect(remaining).toEqual([...remaining].sort((a, b) => a - b));
    expect(sorted.at(-1)?.status).toBeNull();
  });
  it('filters by all chosen labels and by text', () => {
    const payments = filterItems(items, ['team=payments'], '');
    expect(payments.length).toBe(items.filter((i) => i.slo.labels['team'] === 'payments').length);
    expect(payments.length).toBeGreaterThan(0);
    const both = filterItems(items, ['team=payments', 'kind=availability'], '');
    expect(both.every((i) => i.slo.labels['team'] === 'payments' && i.slo.labels['kind'] === 'availability')).toBe(true);
    expect(filterItems(items, [], 'SVC-0007')).toHaveLength(1);
    expect(filterItems(items, ['team=nobody'], '')).toHaveLength(0);
  });
  it('offers every label with its count', () => {
    const options = labelOptions(items);
    const team = options.filter((o) => o.label.startsWith('team='));
    expect(team.reduce((sum, o) => sum + o.count, 0)).toBe(items.length);
  });
});

describe('complianceCsv', () => {
  it('writes one row per period with the engine numbers, and neutralises formula-like names', () => {
    const slo = defineSLO({ name: 'csv', displayName: '=HYPERLINK("x")', sli: { kind: 'ratio' }, target: 0.9, window: { duration: '7d' } });
    const start = Date.UTC(2025, 0, 6);
    const timestamps = Float64Array.from({ length: 14 }, (_, i) => start + (i + 1) * DAY);
    const total = new Float64Array(14).fill(100);
    const bad = Float64Array.from({ length: 14 }, (_, i) => (i < 7 ? 5 : 20));
    const report = complianceReport(slo, eventsFromCounts({ timestamps, bad, total }), { unit: 'week', range: { start, end: start + 14 * DAY } });
    const csv = complianceCsv({ ...report, slo: '=cmd|"/c calc"!A1' });
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('slo,period_start,period_end,complete,good,bad,total,attainment,target,met,budget_consumed,excluded_ms');
    expect(lines).toHaveLength(1 + report.periods.length);
    // The name starts with '=': written as text ('= prefix) and quoted because it holds a double quote.
    expect(lines[1]!.startsWith(`"'=cmd|""/c calc""!A1",`)).toBe(true);
    const firstWeek = report.periods.find((p) => p.total === 700);
    expect(firstWeek).toBeDefined();
    expect(csv).toContain(`,665,35,700,0.95,0.9,met,`);
    expect(csv).toContain(`,560,140,700,0.8,0.9,missed,`);
  });
});

describe('story data', () => {
  it('is deterministic and seeded', () => {
    const options = { start: STORY_NOW - DAY, end: STORY_NOW, stepMs: 5 * MINUTE, rps: 10, errorRatio: 0.01 };
    const a = syntheticEvents({ ...options, seed: 1 });
    expect(Array.from(syntheticEvents({ ...options, seed: 1 }).good)).toEqual(Array.from(a.good));
    expect(Array.from(syntheticEvents({ ...options, seed: 2 }).good)).not.toEqual(Array.from(a.good));
  });
});

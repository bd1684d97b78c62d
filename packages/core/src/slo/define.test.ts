import { describe, expect, it } from 'vitest';
import { defineSLO, resolveAlertPolicy, SLOValidationError, SRE_WORKBOOK_POLICY } from './define';
import { ValidationError, VigilError } from '../errors';

const D = 86_400_000;
const H = 3_600_000;

describe('defineSLO', () => {
  it('fills documented defaults', () => {
    const slo = defineSLO({ name: 'api', sli: { kind: 'ratio' }, target: 0.999 });
    expect(slo.window).toEqual({ kind: 'rolling', durationMs: 30 * D });
    expect(slo.budgetingMethod).toBe('Occurrences');
    expect(slo.errorBudget).toBeCloseTo(0.001, 15);
    expect(slo.projectionWindowMs).toBe(H);
    expect(slo.status).toEqual({ atRiskRemaining: 0.25, atRiskExhaustionWithinMs: null });
    expect(Object.isFrozen(slo)).toBe(true);
  });

  it('uses the SRE Workbook factors for 30 days: 14.4 / 6 / 3 / 1', () => {
    const slo = defineSLO({ name: 'api', sli: { kind: 'ratio' }, target: 0.999 });
    expect(slo.alertTiers.map((t) => t.name)).toEqual(['page-1h', 'page-6h', 'ticket-1d', 'ticket-3d']);
    expect(slo.alertTiers.map((t) => t.burnRate)).toEqual([14.4, 6, 3, 1].map((x) => expect.closeTo(x, 12)));
    expect(slo.alertTiers.map((t) => [t.longWindowMs, t.shortWindowMs])).toEqual([
      [H, 5 * 60_000],
      [6 * H, 30 * 60_000],
      [D, 2 * H],
      [3 * D, 6 * H],
    ]);
    // Workbook: a 14.4 burn over 1 hour consumes 2% of a 30-day budget; 6 over 6h 5%; 3 over 1d and 1 over 3d 10%.
    expect(slo.alertTiers.map((t) => t.budgetConsumed)).toEqual([0.02, 0.05, 0.1, 0.1].map((x) => expect.closeTo(x, 12)));
    expect(slo.alertTiers[0]!.errorRatioThreshold).toBeCloseTo(0.0144, 12);
  });

  it('scales the factors to a 28-day window: 13.44 / 5.6 / 2.8 / 0.933', () => {
    const slo = defineSLO({ name: 'api', sli: { kind: 'ratio' }, target: 0.999, window: { duration: '28d' } });
    expect(slo.alertTiers.map((t) => t.burnRate)).toEqual([13.44, 5.6, 2.8, 28 / 30].map((x) => expect.closeTo(x, 12)));
  });

  it('rescales custom factors given for a reference window, and marks unreachable tiers', () => {
    const tiers = resolveAlertPolicy({ referenceWindow: '30d', tiers: [{ severity: 'page', burnRate: 14.4, longWindow: '1h', for: '2m' }] }, 7 * D, 0.95);
    expect(tiers[0]!.burnRate).toBeCloseTo((14.4 * 7) / 30, 12);
    expect(tiers[0]!.shortWindowMs).toBe(5 * 60_000); // long / 12
    expect(tiers[0]!.forMs).toBe(120_000);
    const loose = resolveAlertPolicy(SRE_WORKBOOK_POLICY, 30 * D, 0.9);
    expect(loose.map((t) => t.reachable)).toEqual([false, true, true, true]); // 14.4 x 10% > 100% errors
  });

  it('accepts targetPercent, calendar windows and timeslices', () => {
    const slo = defineSLO({
      name: 'latency',
      sli: { kind: 'latency', thresholdMs: 300, histogram: { metric: 'http_request_duration_seconds' } },
      targetPercent: 99.5,
      window: { kind: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
      budgetingMethod: 'Timeslices',
      timeslice: { duration: '1m', target: 0.95 },
    });
    expect(slo.target).toBeCloseTo(0.995, 15);
    expect(slo.timeslice).toEqual({ durationMs: 60_000, target: 0.95 });
    expect(slo.alertTiers[0]!.burnRate).toBeCloseTo(14.4, 12); // a month counts as 30 days for the factors
  });

  it('collects every problem with its field path', () => {
    let error: unknown;
    try {
      defineSLO({
        name: 'bad name!',
        sli: { kind: 'ratio', good: { metric: 'ok_total' }, bad: { metric: '1bad' } },
        target: 1.5,
        window: { duration: '-3d' },
        budgetingMethod: 'Timeslices',
        alerting: { tiers: [{ severity: 'page', longWindow: '1h' }] },
        maintenance: [{ start: 10, end: 5 }],
      } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SLOValidationError);
    expect(error).toBeInstanceOf(VigilError);
    const issues = (error as SLOValidationError).issues;
    expect(issues.every((i) => i instanceof ValidationError)).toBe(true);
    expect(issues.map((i) => i.path).sort()).toEqual(
      ['name', 'sli.bad.metric', 'sli.bad', 'sli.total', 'target', 'window.duration', 'timeslice', 'alerting.tiers[0].burnRate', 'maintenance[0].end'].sort(),
    );
    expect(issues.find((i) => i.path === 'target')!.expected).toBe('a target in (0, 1), such as 0.999');
    expect((error as Error).message).toMatch(/target: expected a target in \(0, 1\)/);
  });

  it('does not freeze or keep the caller objects', () => {
    const matchers = { job: 'api' };
    const slo = defineSLO({ name: 'api', sli: { kind: 'ratio', good: { metric: 'ok_total', matchers }, total: { metric: 'all_total', matchers } }, target: 0.99 });
    expect(Object.isFrozen(matchers)).toBe(false);
    matchers.job = 'changed';
    expect(slo.sli).toMatchObject({ good: { matchers: { job: 'api' } } });
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { createAlertEvaluator } from '@vigil/core/alerting';
import type { AlertRule, InhibitRule, Matcher, Silence } from '@vigil/core/alerting';
import { createSeries } from '@vigil/core/series';
import { ensureAlertmanager, startAlertmanager } from '../../test/alertmanager/harness';
import type { RunningAlertmanager } from '../../test/alertmanager/harness';
import { createAlertmanagerClient } from './client';
import type { AlertmanagerClient } from './client';

/**
 * Agreement: the same alerts, silences and inhibition rule go through Vigil's evaluator (`@vigil/core/alerting`) and
 * through a real Alertmanager. Both must put the same alerts in the same groups (group_by alertname, cluster), and
 * mute the same alerts, by the same silences, and inhibit the same ones. Alertmanager is the oracle.
 */

vi.setConfig({ testTimeout: 300_000, hookTimeout: 60_000 });

const availability = ensureAlertmanager();
if (!availability.available) console.warn(`[vigil] skipping: ${availability.reason}`);
if (!availability.available && process.env.CI) {
  describe('Alertmanager agreement', () => {
    it('Alertmanager is installed (required when CI is set)', () => {
      throw new Error(availability.reason);
    });
  });
}

const GROUP_BY = ['alertname', 'cluster'];
const INHIBIT: InhibitRule = {
  sourceMatchers: [{ name: 'severity', value: 'critical', isRegex: false }],
  targetMatchers: [{ name: 'severity', value: 'warning', isRegex: false }],
  equal: ['alertname', 'cluster'],
};

const VALUES = ['api', 'db', 'web', 'a.b', 'x-y', 'prod', 'eu-1', 'ünï'];
const labelValue = fc.constantFrom(...VALUES);
/** Regexes that mean the same in RE2 (Alertmanager) and JavaScript. */
const regexValue = fc.constantFrom('api|db', '.*', '.+', 'a.*', 'e.*', '[a-d].*', 'x-y|web', '', 'prod', 'ü.*', '(api|web)', '.*b');
const matcherName = fc.constantFrom('service', 'cluster', 'env', 'instance', 'missing_label');

const matcher: fc.Arbitrary<Matcher> = fc.oneof(
  fc.record({ name: matcherName, value: fc.oneof(labelValue, fc.constant('')), isRegex: fc.constant(false), isEqual: fc.boolean() }),
  fc.record({ name: matcherName, value: regexValue, isRegex: fc.constant(true), isEqual: fc.boolean() }),
);

const scenario = fc.record({
  series: fc.uniqueArray(
    fc.record({
      service: labelValue,
      cluster: fc.option(labelValue, { nil: undefined }),
      env: fc.option(labelValue, { nil: undefined }),
      level: fc.constantFrom(0.1, 0.6, 0.9), // below, warning, critical
    }),
    { minLength: 2, maxLength: 12, selector: (s) => `${s.service}|${s.cluster}|${s.env}` },
  ),
  silences: fc.array(fc.array(matcher, { minLength: 1, maxLength: 3 }), { maxLength: 3 }),
});

describe.skipIf(!availability.available)('Vigil grouping, silencing and inhibition agree with a real Alertmanager', () => {
  let am: RunningAlertmanager;
  let client: AlertmanagerClient;
  beforeAll(async () => {
    am = await startAlertmanager({
      groupBy: GROUP_BY,
      inhibitRules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'cluster'] }],
    });
    client = createAlertmanagerClient({ url: am.url });
  });
  afterAll(async () => {
    await am?.stop();
  });

  let run = 0;

  it('on generated alerts and silences', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ series, silences }) => {
        run++;
        const alertname = `Agree${run}`;
        const now = Date.now();
        const rule: AlertRule = {
          id: `agree-${run}`,
          name: alertname,
          query: { expr: 'load' },
          condition: { type: 'threshold', operator: '>', warning: { value: 0.5 }, critical: { value: 0.8 } },
          annotations: { summary: 'load is {{ $value }}' },
        };
        // Every silence is scoped to this run by its alertname matcher (which also makes Alertmanager accept it:
        // at least one matcher must not match the empty string).
        const vigilSilences: Silence[] = silences.map((matchers, i) => ({
          id: `s${i}`,
          matchers: [{ name: 'alertname', value: alertname, isRegex: false }, ...matchers],
          startsAt: now - 1000,
          endsAt: now + 3_600_000,
        }));
        const evaluator = createAlertEvaluator({ rules: [rule], grouping: { groupBy: GROUP_BY, receiver: 'vigil' }, silences: vigilSilences, inhibitRules: [INHIBIT] });
        const data = series.map((s, i) =>
          createSeries({
            labels: { service: s.service, instance: `i${i}`, ...(s.cluster === undefined ? {} : { cluster: s.cluster }), ...(s.env === undefined ? {} : { env: s.env }) },
            timestamps: [now],
            values: [s.level],
          }),
        );
        const result = evaluator.evaluate(now, { [rule.id]: { series: data } });
        const firing = evaluator.instances(now).filter((i) => i.state === 'firing');

        // The same alerts and silences into Alertmanager.
        await client.postAlerts(firing.map((i) => ({ labels: i.labels, annotations: i.annotations, startsAt: now })));
        const silenceIds = new Map<string, string>();
        for (const s of vigilSilences) {
          silenceIds.set(await client.postSilence({ matchers: s.matchers, startsAt: now, endsAt: s.endsAt, createdBy: 'agreement-test', comment: s.id }), s.id);
        }
        const onlyThisRun = [{ name: 'alertname', value: alertname, isRegex: false }];
        // Alertmanager's dispatcher groups alerts asynchronously: wait until every alert is in a group.
        await vi.waitFor(
          async () => {
            const all = await client.getAlertGroups({ matchers: onlyThisRun });
            expect(all.reduce((n, g) => n + g.alerts.length, 0)).toBe(firing.length);
          },
          { timeout: 10_000, interval: 50 },
        );

        // Same silenced set, muted by the same silences; same inhibited set.
        const amAlerts = await client.getAlerts({ matchers: onlyThisRun });
        expect(amAlerts.map((a) => a.fingerprint).sort()).toEqual(firing.map((i) => i.fingerprint).sort());
        const amSilenced = amAlerts.filter((a) => a.silencedBy.length > 0).map((a) => `${a.fingerprint}:${a.silencedBy.map((id) => silenceIds.get(id)).sort().join(',')}`).sort();
        const vigilSilenced = firing.filter((i) => i.silencedBy.length > 0).map((i) => `${i.fingerprint}:${[...i.silencedBy].sort().join(',')}`).sort();
        expect(vigilSilenced).toEqual(amSilenced);
        const amInhibited = amAlerts.filter((a) => a.inhibitedBy.length > 0).map((a) => a.fingerprint).sort();
        const vigilInhibited = firing.filter((i) => i.inhibitedBy.length > 0).map((i) => i.fingerprint).sort();
        expect(vigilInhibited).toEqual(amInhibited);

        // Same groups of unmuted alerts.
        const amGroups = (await client.getAlertGroups({ matchers: onlyThisRun, silenced: false, inhibited: false }))
          .filter((g) => g.alerts.length > 0)
          .map((g) => `${JSON.stringify(Object.entries(g.labels).sort())} ${g.receiver} ${g.alerts.map((a) => a.fingerprint).sort().join(',')}`)
          .sort();
        const vigilGroups = result.groups
          .map((g) => `${JSON.stringify(Object.entries(g.groupLabels).sort())} ${g.receiver} ${g.alerts.map((a) => a.fingerprint).sort().join(',')}`)
          .sort();
        expect(vigilGroups).toEqual(amGroups);
        stats.runs++;
        stats.alerts += firing.length;
        stats.silenced += vigilSilenced.length;
        stats.inhibited += vigilInhibited.length;
        stats.groups += vigilGroups.length;
      }),
      { numRuns: 25 },
    );
    console.warn(`[vigil] agreement with Alertmanager: ${JSON.stringify(stats)}`);
    // The scenarios must exercise every path, or agreement would be vacuous.
    expect(stats.silenced).toBeGreaterThan(0);
    expect(stats.inhibited).toBeGreaterThan(0);
    expect(stats.groups).toBeGreaterThan(stats.runs);
  });
});

const stats = { runs: 0, alerts: 0, silenced: 0, inhibited: 0, groups: 0 };

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAlertEvaluator } from '@vigil/core/alerting';
import type { AlertRule } from '@vigil/core/alerting';
import { buildWebhookPayload } from '@vigil/core/notify';
import type { WebhookPayload } from '@vigil/core/notify';
import { createSeries } from '@vigil/core/series';
import { ensureAlertmanager, startAlertmanager } from '../../test/alertmanager/harness';
import type { RunningAlertmanager } from '../../test/alertmanager/harness';
import { createAlertmanagerClient } from './client';

/**
 * `buildWebhookPayload` claims Alertmanager's webhook format. Oracle: a real Alertmanager, configured with a webhook
 * receiver on 127.0.0.1, notifies about the same alerts; its body and Vigil's agree field by field (except the group
 * key, whose format is each system's own, and the external URL).
 */

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const availability = ensureAlertmanager();
if (!availability.available) console.warn(`[vigil] skipping: ${availability.reason}`);

describe.skipIf(!availability.available)('the generic webhook body matches what Alertmanager sends', () => {
  let am: RunningAlertmanager;
  const bodies: WebhookPayload[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      bodies.push(JSON.parse(text) as WebhookPayload);
      res.writeHead(200).end();
    });
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    am = await startAlertmanager({ groupBy: ['alertname', 'cluster'], webhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/am` });
  });
  afterAll(async () => {
    await am?.stop();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('for the alerts of one Vigil group', async () => {
    const now = Date.now();
    const rule: AlertRule = {
      id: 'webhook-format',
      name: 'WebhookFormat',
      query: { expr: 'load' },
      condition: { type: 'threshold', operator: '>', critical: { value: 0.5 } },
      labels: { team: 'core' },
      annotations: { summary: 'load on {{ $labels.instance }}', description: 'same for all' },
      runbookUrl: 'https://runbooks.example/load',
    };
    const evaluator = createAlertEvaluator({ rules: [rule], grouping: { groupBy: ['alertname', 'cluster'], receiver: 'vigil' }, generatorUrlPrefix: 'http://vigil.example/rules/' });
    const series = ['a', 'b', 'c'].map((instance, i) => createSeries({ labels: { cluster: 'eu', instance, ...(i === 0 ? { env: 'prod' } : {}) }, timestamps: [now], values: [0.9] }));
    const result = evaluator.evaluate(now, { [rule.id]: { series } });
    expect(result.groups).toHaveLength(1);
    const group = result.groups[0];
    if (group === undefined) throw new Error('no group');

    await createAlertmanagerClient({ url: am.url }).postAlerts(group.alerts);
    await vi.waitFor(() => expect(bodies.length).toBeGreaterThan(0), { timeout: 20_000, interval: 100 });
    const theirs = bodies[0] as WebhookPayload;
    const ours = buildWebhookPayload(group);

    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    expect(ours.version).toBe(theirs.version);
    expect(ours.status).toBe(theirs.status);
    expect(ours.receiver).toBe(theirs.receiver);
    expect(ours.groupLabels).toEqual(theirs.groupLabels);
    expect(ours.commonLabels).toEqual(theirs.commonLabels);
    expect(ours.commonAnnotations).toEqual(theirs.commonAnnotations);
    expect(ours.truncatedAlerts).toBe(theirs.truncatedAlerts);
    const byFingerprint = (a: { fingerprint: string }, b: { fingerprint: string }) => (a.fingerprint < b.fingerprint ? -1 : 1);
    const mine = [...ours.alerts].sort(byFingerprint);
    const amAlerts = [...theirs.alerts].sort(byFingerprint);
    expect(mine.map((a) => Object.keys(a).sort())).toEqual(amAlerts.map((a) => Object.keys(a).sort()));
    expect(mine.map((a) => [a.fingerprint, a.status, a.labels, a.annotations, a.generatorURL, a.endsAt])).toEqual(
      amAlerts.map((a) => [a.fingerprint, a.status, a.labels, a.annotations, a.generatorURL, a.endsAt]),
    );
    // Go writes nanosecond precision without trailing zeros; compare the instants.
    expect(mine.map((a) => Date.parse(a.startsAt))).toEqual(amAlerts.map((a) => Date.parse(a.startsAt)));
  });
});

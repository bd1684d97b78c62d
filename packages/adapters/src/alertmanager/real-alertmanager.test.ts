import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { SourceError, ValidationError } from '@vigil/core/errors';
import { alertFingerprint } from '@vigil/core/alerting';
import { ensureAlertmanager, startAlertmanager } from '../../test/alertmanager/harness';
import type { RunningAlertmanager } from '../../test/alertmanager/harness';
import { createAlertmanagerClient, formatMatcher } from './client';
import type { AlertmanagerClient } from './client';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const availability = ensureAlertmanager();
if (!availability.available && process.env.CI) {
  describe('real Alertmanager', () => {
    it('is installed (required when CI is set)', () => {
      throw new Error(availability.reason);
    });
  });
}
if (!availability.available) console.warn(`[vigil] skipping the real-Alertmanager tests: ${availability.reason}`);

describe.skipIf(!availability.available)('Alertmanager v2 client against a real Alertmanager', () => {
  let am: RunningAlertmanager;
  let client: AlertmanagerClient;
  beforeAll(async () => {
    am = await startAlertmanager({ groupBy: ['alertname', 'service'] });
    client = createAlertmanagerClient({ url: am.url });
  });
  afterAll(async () => {
    await am?.stop();
  });

  const now = Date.now();
  const alerts = [
    { labels: { alertname: 'ClientHighErrors', service: 'api', severity: 'critical', instance: 'a:1' }, annotations: { summary: 'api errors <b>&</b>' }, startsAt: now - 60_000 },
    { labels: { alertname: 'ClientHighErrors', service: 'api', severity: 'critical', instance: 'a:2' }, annotations: { summary: 'api errors' }, startsAt: now - 60_000 },
    { labels: { alertname: 'ClientHighErrors', service: 'db', severity: 'warning', instance: 'd:1' }, annotations: {}, startsAt: now - 30_000, generatorURL: 'http://vigil.example/rule/x' },
  ];

  it('posts alerts and reads them back with the fingerprints Vigil computes', async () => {
    await client.postAlerts(alerts);
    const back = await client.getAlerts({ matchers: [{ name: 'alertname', value: 'ClientHighErrors', isRegex: false }] });
    expect(back).toHaveLength(3);
    for (const sent of alerts) {
      const got = back.find((a) => a.labels.instance === sent.labels.instance);
      expect(got?.fingerprint).toBe(alertFingerprint(sent.labels));
      expect(got?.labels).toEqual(sent.labels);
      expect(got?.annotations).toEqual(sent.annotations);
      expect(got?.startsAt).toBe(sent.startsAt);
      expect(got?.state).toBe('active');
      expect(got?.receivers).toEqual(['vigil']);
    }
    expect(back.find((a) => a.labels.instance === 'd:1')?.generatorURL).toBe('http://vigil.example/rule/x');
  });

  it('reads the alert groups (group_by alertname, service)', async () => {
    await vi.waitFor(async () => {
      const groups = (await client.getAlertGroups()).filter((g) => g.labels.alertname === 'ClientHighErrors');
      expect(groups.map((g) => [g.labels.service, g.alerts.length, g.receiver]).sort()).toEqual([
        ['api', 2, 'vigil'],
        ['db', 1, 'vigil'],
      ]);
    }, { timeout: 10_000, interval: 100 });
  });

  it('creates, reads and expires a silence; the silenced alert shows it', async () => {
    const id = await client.postSilence({
      matchers: [
        { name: 'service', value: 'api', isRegex: false },
        { name: 'instance', value: 'a:[2-9]', isRegex: true },
      ],
      startsAt: Date.now(),
      endsAt: Date.now() + 3_600_000,
      createdBy: 'vigil-test',
      comment: 'silence one api instance',
    });
    const silence = await client.getSilence(id);
    expect(silence.state).toBe('active');
    expect(silence.matchers).toEqual([
      { name: 'service', value: 'api', isRegex: false, isEqual: true },
      { name: 'instance', value: 'a:[2-9]', isRegex: true, isEqual: true },
    ]);
    expect((await client.getSilences()).some((s) => s.id === id)).toBe(true);
    const muted = await client.getAlerts({ silenced: true, active: false, matchers: [{ name: 'alertname', value: 'ClientHighErrors', isRegex: false }] });
    expect(muted.map((a) => [a.labels.instance, a.state, a.silencedBy])).toEqual([['a:2', 'suppressed', [id]]]);

    await client.expireSilence(id);
    expect((await client.getSilence(id)).state).toBe('expired');
    const after = await client.getAlerts({ matchers: [{ name: 'instance', value: 'a:2', isRegex: false }] });
    expect(after[0]?.silencedBy).toEqual([]);
  });

  it('filters with negative and regex matchers, escaped as Alertmanager parses them', async () => {
    const tricky = { alertname: 'ClientQuote', note: 'say "hi" \\ back' };
    await client.postAlerts([{ labels: tricky }]);
    const exact = await client.getAlerts({ matchers: [{ name: 'note', value: tricky.note, isRegex: false }] });
    expect(exact.map((a) => a.labels.note)).toEqual([tricky.note]);
    const notApi = await client.getAlerts({ matchers: [{ name: 'alertname', value: 'ClientHighErrors', isRegex: false }, { name: 'service', value: 'api', isRegex: false, isEqual: false }] });
    expect(notApi.map((a) => a.labels.instance)).toEqual(['d:1']);
    const notRegex = await client.getAlerts({ matchers: [{ name: 'alertname', value: 'Client.*', isRegex: true }, { name: 'instance', value: 'a:.*', isRegex: true, isEqual: false }] });
    expect(notRegex.map((a) => a.labels.instance ?? '').sort()).toEqual(['', 'd:1']);
    expect(formatMatcher({ name: 'x', value: 'a"b', isRegex: true, isEqual: false })).toBe('x!~"a\\"b"');
  });

  it('maps Alertmanager refusals and missing things to typed errors', async () => {
    // Every matcher matches the empty string: Alertmanager refuses such a silence (HTTP 400).
    await expect(
      client.postSilence({ matchers: [{ name: 'service', value: '.*', isRegex: true }], startsAt: Date.now(), endsAt: Date.now() + 60_000, createdBy: 't', comment: 'c' }),
    ).rejects.toMatchObject({ code: 'BAD_QUERY', status: 400 });
    await expect(client.getSilence('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a resolved alert (endsAt in the past) is no longer active', async () => {
    await client.postAlerts([{ labels: { alertname: 'ClientResolved' }, startsAt: Date.now() - 120_000, endsAt: Date.now() - 1000 }]);
    const active = await client.getAlerts({ matchers: [{ name: 'alertname', value: 'ClientResolved', isRegex: false }] });
    expect(active).toEqual([]);
  });
});

describe('Alertmanager client without a server', () => {
  it('validates input with ValidationErrors naming the field (fast-check)', async () => {
    const client = createAlertmanagerClient({ url: 'http://127.0.0.1:9' });
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (value) => {
        await expect(client.postAlerts([value as never])).rejects.toBeInstanceOf(ValidationError);
      }),
      { numRuns: 100 },
    );
    await expect(client.postAlerts([{ labels: { 'bad-name': 'x' } }])).rejects.toMatchObject({ path: 'alerts[0].labels.bad-name' });
    await expect(client.postAlerts([{ labels: { a: 'b' }, startsAt: 10, endsAt: 5 }])).rejects.toMatchObject({ path: 'alerts[0].endsAt' });
    await expect(client.postSilence({ matchers: [], startsAt: 0, endsAt: 1, createdBy: 'a', comment: 'b' })).rejects.toMatchObject({ path: 'silence.matchers' });
    await expect(client.postSilence({ matchers: [{ name: 'a', value: '(', isRegex: true }], startsAt: 0, endsAt: 1, createdBy: 'a', comment: 'b' })).rejects.toMatchObject({ path: 'silence.matchers[0].value' });
    await expect(client.getSilence('../../etc')).rejects.toMatchObject({ path: 'id' });
    expect(() => createAlertmanagerClient({ url: 'ftp://x' })).toThrow(ValidationError);
  });

  it('unreachable, timeout, 5xx and a malformed answer are SourceErrors with their codes', async () => {
    const server = createServer((req, res) => {
      if (req.url?.startsWith('/api/v2/silences')) return; // hang
      if (req.url?.startsWith('/api/v2/alerts/groups')) return void res.writeHead(200).end('{"not":"an array"}');
      res.writeHead(503).end('overloaded');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const client = createAlertmanagerClient({ url, timeoutMs: 200 });
      await expect(client.getSilences()).rejects.toMatchObject({ code: 'SOURCE_TIMEOUT' });
      await expect(client.getAlertGroups()).rejects.toMatchObject({ code: 'SOURCE_ERROR', message: expect.stringContaining('invalid response') });
      await expect(client.getAlerts()).rejects.toMatchObject({ code: 'SOURCE_ERROR', status: 503, retryable: true });
      const controller = new AbortController();
      const pending = client.getSilences({ signal: controller.signal });
      controller.abort();
      await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
    const closed = createAlertmanagerClient({ url });
    await expect(closed.getAlerts()).rejects.toBeInstanceOf(SourceError);
    await expect(closed.getAlerts()).rejects.toMatchObject({ code: 'SOURCE_UNREACHABLE' });
  });
});

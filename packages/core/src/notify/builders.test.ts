import { createHmac } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
// @ts-expect-error -- jsdom ships no types and @types/jsdom is not a dependency; only its DOM parser is used here.
import { JSDOM } from 'jsdom';
import { ValidationError } from '../errors';
import { buildSlackMessage, SLACK_LIMITS } from './slack';
import { buildTeamsMessage, TEAMS_LIMITS } from './teams';
import { buildDiscordMessage, DISCORD_LIMITS } from './discord';
import { buildWebhookPayload, signWebhook, verifyWebhookSignature } from './webhook';
import { buildPagerDutyEvents, pagerDutyDedupKey, PAGERDUTY_LIMITS } from './pagerduty';
import { buildEmail, EMAIL_SUBJECT_MAX } from './email';
import { buildSms } from './sms';
import { utf8Length } from './common';
import { alert, group, HOSTILE, hostileGroup } from './test-fixtures';
import type { AlertGroup } from './types';

// Property tests over large hostile inputs; this is not a timing test (the machine is shared).
vi.setConfig({ testTimeout: 60_000 });

const runs = { numRuns: 60 };

const hostile = group(
  HOSTILE.map((text, i) =>
    alert({
      fingerprint: `h${i}`,
      labels: { instance: text, team: text },
      annotations: { summary: text, description: text, runbook_url: i % 2 === 0 ? 'javascript:alert(1)' : 'https://runbooks.example/r?a=1&b=2|3' },
      generatorURL: 'data:text/html,<script>alert(1)</script>',
    }),
  ),
  { groupLabels: { alertname: '<!channel> @everyone', service: '[x](https://evil)' }, commonLabels: { alertname: '<!channel>' } },
);

function slackTexts(message: ReturnType<typeof buildSlackMessage>): string[] {
  const texts = [message.text];
  for (const block of message.blocks) {
    if (block.text !== undefined) texts.push(block.text.text);
    for (const element of block.elements ?? []) texts.push(element.text);
  }
  return texts;
}

describe('Slack', () => {
  it('keeps every hostile value literal: the only <...> sequences are links to safe http(s) URLs', () => {
    fc.assert(
      fc.property(hostileGroup(), (g) => {
        const message = buildSlackMessage(g, { maxAlerts: 20, externalURL: 'https://alerts.example/' });
        for (const text of slackTexts(message)) {
          // Remove our own links, then no control character may remain.
          const withoutLinks = text.replace(/<https?:\/\/[^<>|\s]+\|[^<>]*>/g, '');
          expect(withoutLinks).not.toMatch(/[<>]/);
          expect(withoutLinks.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
        }
        expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
        for (const block of message.blocks) {
          if (block.text !== undefined) expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
          for (const element of block.elements ?? []) expect(element.text.length).toBeLessThanOrEqual(SLACK_LIMITS.contextText);
        }
      }),
      runs,
    );
    const texts = slackTexts(buildSlackMessage(hostile)).join('\n');
    expect(texts).not.toContain('<!channel>');
    expect(texts).toContain('&lt;!channel&gt;');
    expect(texts).not.toContain('javascript:');
  });

  it('lists at most maxAlerts alerts and says how many more there are', () => {
    const g = group(Array.from({ length: 30 }, (_, i) => alert({ fingerprint: `a${i}`, annotations: { summary: `alert number ${i}` } })));
    const texts = slackTexts(buildSlackMessage(g, { maxAlerts: 5 })).join('\n');
    expect(texts).toContain('alert number 4');
    expect(texts).not.toContain('alert number 5');
    expect(texts).toContain('and 25 more');
  });
});

describe('Teams', () => {
  it('fits the 28 KB message limit and escapes every text', () => {
    fc.assert(
      fc.property(hostileGroup(60), (g) => {
        const message = buildTeamsMessage(g, { maxAlerts: 50 });
        expect(utf8Length(JSON.stringify(message))).toBeLessThanOrEqual(TEAMS_LIMITS.messageBytes);
        expect(new TextEncoder().encode(JSON.stringify(message)).length).toBe(utf8Length(JSON.stringify(message)));
        for (const action of message.attachments[0].content.actions) expect(action.url).toMatch(/^https?:\/\//);
      }),
      runs,
    );
    const json = JSON.stringify(buildTeamsMessage(hostile));
    expect(json).not.toContain('[x](https://evil)');
    expect(json).not.toContain('javascript:');
  });
});

describe('worst-case single alerts', () => {
  it('a group whose every field is at its longest, in 3-byte characters, still fits every platform', () => {
    const huge = '漢'.repeat(20_000);
    const specials = '*'.repeat(20_000);
    for (const text of [huge, specials]) {
      const labels = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`label_${i}`, text]));
      const g = group([alert({ labels, annotations: { summary: text, description: text, runbook_url: text } })], { groupLabels: labels, commonLabels: labels });
      const teams = buildTeamsMessage(g);
      expect(utf8Length(JSON.stringify(teams))).toBeLessThanOrEqual(TEAMS_LIMITS.messageBytes);
      const discord = buildDiscordMessage(g);
      const embed = discord.embeds[0];
      expect(embed.title.length + embed.description.length + (embed.footer?.text.length ?? 0) + embed.fields.reduce((n, f) => n + f.name.length + f.value.length, 0)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
      const slack = buildSlackMessage(g);
      for (const block of slack.blocks) if (block.text !== undefined) expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    }
  });
});

describe('Discord', () => {
  it('never pings and stays within every Discord limit', () => {
    fc.assert(
      fc.property(hostileGroup(), (g) => {
        const message = buildDiscordMessage(g, { maxAlerts: 24, externalURL: 'javascript:alert(1)' });
        expect(message.allowed_mentions.parse).toEqual([]);
        const embed = message.embeds[0];
        expect(embed.url).toBeUndefined();
        const all = [message.content, embed.title, embed.description, embed.footer?.text ?? '', ...embed.fields.flatMap((f) => [f.name, f.value])];
        for (const text of all) expect(text).not.toMatch(/(^|[^\\])@(everyone|here)/);
        expect(message.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
        expect(embed.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
        expect(embed.fields.length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
        for (const field of embed.fields) {
          expect(field.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
          expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
        }
        const total = embed.title.length + embed.description.length + (embed.footer?.text.length ?? 0) + embed.fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
        expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
      }),
      runs,
    );
  });
});

describe('e-mail', () => {
  it('HTML part: a real parser finds only the template\'s elements and attributes, and every value as text', () => {
    const allowedTags = new Set(['HTML', 'HEAD', 'BODY', 'H2', 'P', 'STRONG', 'CODE', 'UL', 'LI', 'A']);
    const parser = new new JSDOM('').window.DOMParser();
    fc.assert(
      fc.property(hostileGroup(10), (g) => {
        const message = buildEmail(g, { to: 'oncall@example.com' });
        const document = parser.parseFromString(message.html, 'text/html');
        for (const element of document.querySelectorAll('*')) {
          expect(allowedTags.has(element.tagName), element.tagName).toBe(true);
          for (const name of element.getAttributeNames()) expect(['style', 'href']).toContain(name);
          if (element.tagName === 'A') expect(element.getAttribute('href')).toMatch(/^https?:\/\//);
          if (element.hasAttribute('style')) expect(element.tagName).toMatch(/^(BODY|H2)$/);
        }
        expect(message.subject).not.toMatch(/[\r\n]/);
        expect(message.subject.length).toBeLessThanOrEqual(EMAIL_SUBJECT_MAX);
      }),
      runs,
    );
    const message = buildEmail(hostile, { to: ['a@example.com', 'b@example.com'], from: 'vigil@example.com' });
    const { document } = new JSDOM(message.html).window;
    expect(document.querySelectorAll('script, img').length).toBe(0);
    expect(document.body.textContent).toContain('<script>alert(1)</script>');
    expect(document.body.textContent).toContain('<img src=x onerror="alert(1)">');
    expect(message.text).toContain('<script>alert(1)</script>');
  }, 60_000);

  it('rejects addresses that could inject headers', () => {
    const g = group([alert()]);
    for (const to of ['a@example.com\r\nBcc: x@evil.example', 'not an address', '', [], ['ok@example.com', 'x y@z'], 42]) {
      expect(() => buildEmail(g, { to: to as string })).toThrow(ValidationError);
    }
    expect(() => buildEmail(g, { to: 'a@example.com', from: ['b@example.com'] as unknown as string })).toThrow(/options\.from/);
  });
});

describe('SMS', () => {
  it('is one line within maxLength', () => {
    fc.assert(
      fc.property(hostileGroup(5), fc.integer({ min: 20, max: 1600 }), (g, maxLength) => {
        const sms = buildSms(g, { to: '+15551234567', maxLength });
        expect(sms.body.length).toBeLessThanOrEqual(maxLength);
        expect(sms.body).not.toMatch(/[\r\n]/);
      }),
      runs,
    );
    expect(() => buildSms(group([alert()]), { to: '555-1234' })).toThrow(ValidationError);
    expect(() => buildSms(group([alert()]), { to: '+15551234567', maxLength: 5 })).toThrow(/options\.maxLength/);
  });
});

describe('PagerDuty Events v2', () => {
  const firing = group([alert({ fingerprint: 'a', labels: { instance: 'db-1', service: 'db' } }), alert({ fingerprint: 'b' })], { groupKey: 'g1' });
  const resolved: AlertGroup = { ...firing, status: 'resolved', alerts: firing.alerts.map((a) => ({ ...a, status: 'resolved' as const, endsAt: a.startsAt + 60_000 })) };

  it('trigger and resolve of one group share the dedup key; acknowledge can be asked for', () => {
    const [trigger] = buildPagerDutyEvents(firing, { routingKey: 'R'.repeat(32) });
    const [resolve] = buildPagerDutyEvents(resolved, { routingKey: 'R'.repeat(32) });
    const [ack] = buildPagerDutyEvents(firing, { routingKey: 'R'.repeat(32), action: 'acknowledge' });
    expect(trigger?.event_action).toBe('trigger');
    expect(resolve?.event_action).toBe('resolve');
    expect(ack?.event_action).toBe('acknowledge');
    expect(trigger?.dedup_key).toBe(pagerDutyDedupKey('g1'));
    expect(resolve?.dedup_key).toBe(trigger?.dedup_key);
    expect(ack?.dedup_key).toBe(trigger?.dedup_key);
    expect(trigger?.payload?.severity).toBe('critical');
    expect(resolve?.payload).toBeUndefined();
    expect(pagerDutyDedupKey('g2')).not.toBe(trigger?.dedup_key);
  });

  it('per-alert dedup keys follow fingerprints, and limits hold for any input', () => {
    const events = buildPagerDutyEvents(firing, { routingKey: 'k', dedupBy: 'alert' });
    expect(events.map((e) => e.dedup_key)).toHaveLength(2);
    expect(new Set(events.map((e) => e.dedup_key)).size).toBe(2);
    fc.assert(
      fc.property(hostileGroup(), (g) => {
        for (const event of buildPagerDutyEvents(g, { routingKey: 'k', dedupBy: 'alert' })) {
          expect(event.dedup_key.length).toBeLessThanOrEqual(PAGERDUTY_LIMITS.dedupKey);
          expect(event.payload === undefined || event.payload.summary.length <= PAGERDUTY_LIMITS.summary).toBe(true);
          expect(event.payload === undefined || event.payload.summary.length > 0).toBe(true);
          for (const link of event.links ?? []) expect(link.href).toMatch(/^https?:\/\//);
        }
      }),
      runs,
    );
  });
});

describe('generic webhook', () => {
  it('is Alertmanager webhook v4 JSON', () => {
    const g = group([alert({ fingerprint: 'x', endsAt: 1_795_000_060_000 }), alert({ fingerprint: 'y' })]);
    const payload = buildWebhookPayload(g);
    expect(payload.version).toBe('4');
    expect(payload.truncatedAlerts).toBe(0);
    expect(buildWebhookPayload(g, { maxAlerts: 1 }).truncatedAlerts).toBe(1);
    expect(payload.alerts[0]?.endsAt).toBe(new Date(1_795_000_060_000).toISOString());
    expect(payload.alerts[1]?.endsAt).toBe('0001-01-01T00:00:00Z');
    expect(JSON.parse(JSON.stringify(payload))).toEqual(payload);
  });

  it('signatures equal node:crypto HMAC-SHA256 over "<timestamp>.<body>" and verify only the exact body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string({ minLength: 1, maxLength: 64 }), fc.integer({ min: 0, max: 4_000_000_000 }), async (body, secret, ts) => {
        const headers = await signWebhook(body, secret, ts);
        const expected = createHmac('sha256', secret).update(`${ts}.${body}`, 'utf8').digest('hex');
        expect(headers['X-Vigil-Signature']).toBe(`v1=${expected}`);
        expect(headers['X-Vigil-Timestamp']).toBe(String(ts));
        const ok = await verifyWebhookSignature({ body, secret, timestamp: String(ts), signature: headers['X-Vigil-Signature'], now: ts * 1000 });
        expect(ok).toEqual({ valid: true });
        const tampered = await verifyWebhookSignature({ body: `${body} `, secret, timestamp: String(ts), signature: headers['X-Vigil-Signature'], now: ts * 1000 });
        expect(tampered).toEqual({ valid: false, reason: 'bad-signature' });
      }),
      { numRuns: 40 },
    );
  });

  it('verification reads a repeated signature header (an array, as Node gives it) as one list', async () => {
    const ts = 1_700_000_000;
    const body = '{"a":1}';
    const signature = (await signWebhook(body, 'k', ts))['X-Vigil-Signature'] ?? '';
    const listed = await verifyWebhookSignature({ body, secret: 'k', timestamp: String(ts), signature: ['v1=00', signature], now: ts * 1000 });
    expect(listed).toEqual({ valid: true });
    const wrongType = await verifyWebhookSignature({ body, secret: 'k', timestamp: String(ts), signature: [signature, 7] as never, now: ts * 1000 });
    expect(wrongType).toEqual({ valid: false, reason: 'bad-signature' });
  });

  it('verification never throws on hostile header values: it answers valid: false', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), fc.anything(), async (timestamp, signature) => {
        const result = await verifyWebhookSignature({ body: '{}', secret: 's', timestamp: timestamp as string, signature: signature as string, now: 0 });
        expect(result.valid).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects stale, missing and malformed signatures; accepts a rotated secret among several', async () => {
    const body = '{"a":1}';
    const h = await signWebhook(body, 'new', 1000);
    const old = await signWebhook(body, 'old', 1000);
    const sig = h['X-Vigil-Signature'] as string;
    expect(await verifyWebhookSignature({ body, secret: 'new', timestamp: '1000', signature: sig, now: 1_000_000 + 301_000 })).toEqual({ valid: false, reason: 'stale' });
    expect(await verifyWebhookSignature({ body, secret: 'new', timestamp: undefined, signature: sig, now: 1_000_000 })).toEqual({ valid: false, reason: 'missing-header' });
    expect(await verifyWebhookSignature({ body, secret: 'new', timestamp: '1e3', signature: sig, now: 1_000_000 })).toEqual({ valid: false, reason: 'bad-timestamp' });
    expect(await verifyWebhookSignature({ body, secret: 'new', timestamp: '1000', signature: `${old['X-Vigil-Signature']}, ${sig}`, now: 1_000_000 })).toEqual({ valid: true });
    expect(await verifyWebhookSignature({ body, secret: 'other', timestamp: '1000', signature: sig, now: 1_000_000 })).toEqual({ valid: false, reason: 'bad-signature' });
  });
});

describe('bad input', () => {
  const builders: ((g: unknown) => unknown)[] = [
    (g) => buildSlackMessage(g as AlertGroup),
    (g) => buildTeamsMessage(g as AlertGroup),
    (g) => buildDiscordMessage(g as AlertGroup),
    (g) => buildWebhookPayload(g as AlertGroup),
    (g) => buildPagerDutyEvents(g as AlertGroup, { routingKey: 'k' }),
    (g) => buildEmail(g as AlertGroup, { to: 'a@example.com' }),
    (g) => buildSms(g as AlertGroup, { to: '+15551234567' }),
  ];

  it('anything that is not an alert group throws a ValidationError, never something else', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        for (const build of builders) expect(() => build(value)).toThrow(ValidationError);
      }),
      { numRuns: 200 },
    );
  });

  it('a broken field is named by its path', () => {
    const good = group([alert(), alert()]);
    const cases: [unknown, string][] = [
      [{ ...good, alerts: [] }, 'group.alerts'],
      [{ ...good, status: 'pending' }, 'group.status'],
      [{ ...good, alerts: [good.alerts[0], { ...good.alerts[1], startsAt: Number.NaN }] }, 'group.alerts[1].startsAt'],
      [{ ...good, alerts: [{ ...good.alerts[0], labels: { severity: 3 } }] }, 'group.alerts[0].labels.severity'],
      [{ ...good, commonLabels: null }, 'group.commonLabels'],
      [{ ...good, groupKey: '' }, 'group.groupKey'],
    ];
    for (const [value, path] of cases) {
      for (const build of builders) {
        try {
          build(value);
          expect.unreachable(`expected ${path} to be rejected`);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          expect((error as ValidationError).path).toBe(path);
        }
      }
    }
    expect(() => buildPagerDutyEvents(good, { routingKey: '' })).toThrow(/options\.routingKey/);
    expect(() => buildSlackMessage(good, { maxAlerts: 0 })).toThrow(/options\.maxAlerts/);
  });
});

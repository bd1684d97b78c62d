/**
 * Test fixtures for the notify tests (not exported from the package): adversarial strings and alert groups.
 */
import fc from 'fast-check';
import type { Alert, AlertGroup } from './types';

/** Payloads that try to break out of every target format. */
export const HOSTILE = [
  '<!channel>',
  '<!here|here>',
  '<@U024BE7LH>',
  '<https://evil.example|click me>',
  '@everyone',
  '@here',
  '<@&123456>',
  '[click](https://evil.example)',
  '**bold** __u__ ~~s~~ ||spoiler|| `code` ```block```',
  '<script>alert(1)</script>',
  '<img src=x onerror="alert(1)">',
  '"><a href="javascript:alert(1)">x</a>',
  "' onmouseover='alert(1)",
  '&amp; &lt; &#60; &#x3c;',
  'line1\r\nBcc: victim@example.com\nSubject: hi',
  '\u202Egnp.exe',
  '# heading\n> quote\n- item\n1. item',
  '\\*escaped\\*',
  '😀'.repeat(3),
];

/** Strings mixing hostile fragments, markdown/HTML characters, newlines, astral characters and plain text. */
export const hostileString = (maxLength = 200): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...HOSTILE),
    fc.string({ maxLength, unit: fc.constantFrom('<', '>', '&', '"', "'", '@', '*', '_', '~', '`', '|', '[', ']', '(', ')', '#', '\\', '\n', '\r', '!', ':', '-', 'a', 'b', ' ', 'é', '😀', '\u0000', '\u202E', ';', '/', '=') }),
    fc.string({ maxLength }),
    fc.array(fc.constantFrom(...HOSTILE), { maxLength: 6 }).map((parts) => parts.join(' ')),
  );

const labelName = fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/);

export const labelSet = (value: fc.Arbitrary<string>): fc.Arbitrary<Record<string, string>> =>
  fc.dictionary(labelName, value, { maxKeys: 6 }).map((labels) => ({ ...labels }));

let counter = 0;

export function alert(partial: Partial<Alert> & { labels?: Record<string, string> } = {}): Alert {
  counter++;
  return {
    fingerprint: partial.fingerprint ?? `fp${counter}`,
    status: partial.status ?? 'firing',
    labels: { alertname: 'HighErrorRate', severity: 'critical', ...partial.labels },
    annotations: partial.annotations ?? { summary: 'error rate above 5%' },
    startsAt: partial.startsAt ?? 1_795_000_000_000,
    ...(partial.endsAt === undefined ? {} : { endsAt: partial.endsAt }),
    ...(partial.generatorURL === undefined ? {} : { generatorURL: partial.generatorURL }),
  };
}

export function group(alerts: Alert[], partial: Partial<AlertGroup> = {}): AlertGroup {
  return {
    groupKey: partial.groupKey ?? '{}:{alertname="HighErrorRate"}',
    receiver: partial.receiver ?? 'ops',
    status: partial.status ?? (alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved'),
    groupLabels: partial.groupLabels ?? { alertname: 'HighErrorRate' },
    commonLabels: partial.commonLabels ?? { alertname: 'HighErrorRate' },
    commonAnnotations: partial.commonAnnotations ?? {},
    alerts,
  };
}

/** Alert groups whose every text field is hostile. */
export const hostileGroup = (maxAlerts = 30): fc.Arbitrary<AlertGroup> =>
  fc
    .record({
      alerts: fc.array(
        fc.record({
          status: fc.constantFrom<'firing' | 'resolved'>('firing', 'resolved'),
          labels: labelSet(hostileString()),
          summary: hostileString(400),
          description: hostileString(3000),
          runbook: fc.oneof(hostileString(), fc.constant('https://runbooks.example/x?a=1&b=<2>|3'), fc.constant('javascript:alert(1)')),
          generatorURL: fc.oneof(hostileString(), fc.webUrl()),
        }),
        { minLength: 1, maxLength: maxAlerts },
      ),
      groupLabels: labelSet(hostileString()),
      commonLabels: labelSet(hostileString()),
      groupKey: fc.string({ minLength: 1, maxLength: 300 }),
    })
    .map(({ alerts, groupLabels, commonLabels, groupKey }) =>
      group(
        alerts.map((a, i) =>
          alert({
            fingerprint: `f${i}`,
            status: a.status,
            labels: a.labels,
            annotations: { summary: a.summary, description: a.description, runbook_url: a.runbook },
            generatorURL: a.generatorURL,
          }),
        ),
        { groupKey, groupLabels, commonLabels },
      ),
    );

import { ValidationError } from '../errors';
import { safeHttpUrl, singleLine, truncate } from './escape';
import { alertSummary, groupSeverity, groupTitle, isoTime, stableHash } from './common';
import { assertAlertGroup, requireString } from './validate';
import type { Alert, AlertGroup } from './types';

/** PagerDuty Events API v2 endpoint. */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
/** PagerDuty's documented limits: summary 1024 characters, dedup_key 255. */
export const PAGERDUTY_LIMITS = { summary: 1024, dedupKey: 255, source: 255, links: 10 } as const;

export type PagerDutyAction = 'trigger' | 'acknowledge' | 'resolve';
export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

/** One Events API v2 event. `payload` is only sent with `trigger`. */
export interface PagerDutyEvent {
  readonly routing_key: string;
  readonly event_action: PagerDutyAction;
  readonly dedup_key: string;
  readonly payload?: {
    readonly summary: string;
    readonly source: string;
    readonly severity: PagerDutySeverity;
    readonly timestamp: string;
    readonly component?: string;
    readonly group?: string;
    readonly class?: string;
    readonly custom_details: Readonly<Record<string, unknown>>;
  };
  readonly links?: readonly { readonly href: string; readonly text: string }[];
  readonly client: 'Vigil';
  readonly client_url?: string;
}

export interface PagerDutyEventOptions {
  /** The integration's 32-character routing key. */
  readonly routingKey: string;
  /**
   * One incident per group (`'group'`, the default: dedup key from the group key) or per alert (`'alert'`: dedup
   * key from each alert's fingerprint, so an alert keeps its incident when groups are reshaped).
   */
  readonly dedupBy?: 'group' | 'alert';
  /** Override the action (`'acknowledge'`); by default firing triggers and resolved resolves. */
  readonly action?: PagerDutyAction;
  /** `payload.source`; default the `instance` or `job` label, else "vigil". */
  readonly source?: string;
  /** Link for `client_url`, when a safe http(s) URL. */
  readonly externalURL?: string;
}

/**
 * The dedup key of a group (`dedupBy: 'group'`): `vigil-g-<16 hex>` from a stable hash of the group key. The same
 * group key always gives the same dedup key, so trigger, acknowledge and resolve reach the same incident.
 *
 * @example
 * pagerDutyDedupKey('{}:{alertname="HighErrorRate"}') // 'vigil-g-…'
 */
export function pagerDutyDedupKey(groupKey: string): string {
  return `vigil-g-${stableHash(requireString(groupKey, 'groupKey', 1 << 20))}`;
}

/** The dedup key of one alert (`dedupBy: 'alert'`): `vigil-a-<16 hex>` from its fingerprint. */
export function pagerDutyAlertDedupKey(fingerprint: string): string {
  return `vigil-a-${stableHash(requireString(fingerprint, 'fingerprint', 1 << 20))}`;
}

/** Maps a `severity` label to PagerDuty's four severities (unknown values become `error`). */
export function pagerDutySeverity(severity: string | undefined): PagerDutySeverity {
  switch ((severity ?? '').toLowerCase()) {
    case 'critical':
    case 'page':
    case 'fatal':
      return 'critical';
    case 'warning':
    case 'warn':
    case 'medium':
      return 'warning';
    case 'info':
    case 'low':
    case 'none':
      return 'info';
    default:
      return 'error';
  }
}

function linksOf(alerts: readonly Alert[]): { href: string; text: string }[] {
  const links: { href: string; text: string }[] = [];
  for (const alert of alerts) {
    for (const [href, text] of [
      [alert.annotations.runbook_url, 'Runbook'],
      [alert.generatorURL, 'Source'],
    ] as const) {
      const safe = safeHttpUrl(href);
      if (safe !== undefined && links.length < PAGERDUTY_LIMITS.links && !links.some((l) => l.href === safe)) links.push({ href: safe, text });
    }
  }
  return links;
}

/**
 * Builds PagerDuty Events API v2 events for a group: one event (`dedupBy: 'group'`) or one per alert
 * (`dedupBy: 'alert'`). Firing alerts trigger, resolved ones resolve, and `action: 'acknowledge'` acknowledges.
 * Texts are folded to one line and capped at PagerDuty's limits; links only use safe http(s) URLs. Post each event
 * as JSON to {@link PAGERDUTY_EVENTS_URL}.
 *
 * @example
 * for (const event of buildPagerDutyEvents(group, { routingKey })) await dispatcher.enqueue({ channel: 'pagerduty', idempotencyKey: `${event.dedup_key}:${event.event_action}:${group.alerts.length}`, payload: { body: JSON.stringify(event) } });
 */
export function buildPagerDutyEvents(group: AlertGroup, options: PagerDutyEventOptions): PagerDutyEvent[] {
  assertAlertGroup(group);
  if (typeof options !== 'object' || options === null) throw new ValidationError('options', 'an object with routingKey', options);
  const routingKey = requireString(options.routingKey, 'options.routingKey', 64);
  const dedupBy = options.dedupBy ?? 'group';
  if (dedupBy !== 'group' && dedupBy !== 'alert') throw new ValidationError('options.dedupBy', '"group" or "alert"', dedupBy);
  const action = options.action;
  if (action !== undefined && action !== 'trigger' && action !== 'acknowledge' && action !== 'resolve') throw new ValidationError('options.action', '"trigger", "acknowledge" or "resolve"', action);
  const clientUrl = safeHttpUrl(options.externalURL);

  const event = (dedupKey: string, eventAction: PagerDutyAction, summary: string, alerts: readonly Alert[], labels: Readonly<Record<string, string>>, severity: string | undefined): PagerDutyEvent => {
    const base = { routing_key: routingKey, event_action: eventAction, dedup_key: dedupKey, client: 'Vigil' as const, ...(clientUrl === undefined ? {} : { client_url: clientUrl }) };
    if (eventAction !== 'trigger') return base;
    const source = truncate(singleLine(options.source ?? labels.instance ?? labels.job ?? 'vigil'), PAGERDUTY_LIMITS.source) || 'vigil';
    return {
      ...base,
      payload: {
        summary: truncate(singleLine(summary), PAGERDUTY_LIMITS.summary) || 'alert',
        source,
        severity: pagerDutySeverity(severity),
        timestamp: isoTime(alerts[0]?.startsAt ?? 0),
        ...(labels.service === undefined ? {} : { component: truncate(singleLine(labels.service), 255) }),
        ...(labels.team === undefined ? {} : { group: truncate(singleLine(labels.team), 255) }),
        ...(labels.alertname === undefined ? {} : { class: truncate(singleLine(labels.alertname), 255) }),
        custom_details: {
          firing: alerts.filter((a) => a.status === 'firing').length,
          alerts: alerts.slice(0, 20).map((a) => ({ status: a.status, labels: a.labels, annotations: a.annotations, startsAt: isoTime(a.startsAt) })),
        },
      },
      links: linksOf(alerts),
    };
  };

  if (dedupBy === 'group') {
    return [event(pagerDutyDedupKey(group.groupKey), action ?? (group.status === 'firing' ? 'trigger' : 'resolve'), groupTitle(group), group.alerts, group.commonLabels, groupSeverity(group))];
  }
  return group.alerts.map((alert) =>
    event(pagerDutyAlertDedupKey(alert.fingerprint), action ?? (alert.status === 'firing' ? 'trigger' : 'resolve'), alertSummary(alert), [alert], alert.labels, alert.labels.severity),
  );
}

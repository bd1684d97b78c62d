import { escapeTeamsMarkdown, safeHttpUrl } from './escape';
import { alertSummary, countByStatus, fitAlertCount, formatLabels, groupTitle, isoTime, utf8Length } from './common';
import { assertAlertGroup, requireInteger } from './validate';
import type { AlertGroup } from './types';

/** Microsoft Teams limits: a webhook message may be at most 28 KB (we keep a margin). */
export const TEAMS_LIMITS = { messageBytes: 27_000, textBlock: 2000, facts: 10, factTitle: 100, factValue: 300 } as const;

export interface TeamsTextBlock {
  readonly type: 'TextBlock';
  readonly text: string;
  readonly wrap: true;
  readonly weight?: 'Bolder';
  readonly size?: 'Medium' | 'Large';
  readonly color?: 'Attention' | 'Good' | 'Default';
  readonly isSubtle?: boolean;
}
export interface TeamsFactSet {
  readonly type: 'FactSet';
  readonly facts: readonly { readonly title: string; readonly value: string }[];
}
export interface TeamsOpenUrl {
  readonly type: 'Action.OpenUrl';
  readonly title: string;
  readonly url: string;
}

/** A Teams incoming-webhook (or Workflows) message carrying one Adaptive Card 1.4. */
export interface TeamsMessage {
  readonly type: 'message';
  readonly attachments: readonly [
    {
      readonly contentType: 'application/vnd.microsoft.card.adaptive';
      readonly contentUrl: null;
      readonly content: {
        readonly $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
        readonly type: 'AdaptiveCard';
        readonly version: '1.4';
        readonly body: readonly (TeamsTextBlock | TeamsFactSet)[];
        readonly actions: readonly TeamsOpenUrl[];
      };
    },
  ];
}

export interface TeamsMessageOptions {
  /** Alerts listed before "and N more"; 1..50, default 10. */
  readonly maxAlerts?: number;
  /** "All alerts" button target, when a safe http(s) URL. */
  readonly externalURL?: string;
}

/**
 * Builds a Microsoft Teams message with an Adaptive Card for an alert group. Values are escaped for the card's
 * markdown subset (no link, emphasis or list from alert content survives), capped per text block, and alerts are
 * dropped ("and N more") until the JSON fits Teams' 28 KB message limit. Buttons only use safe http(s) URLs.
 *
 * @example
 * const body = JSON.stringify(buildTeamsMessage(group));
 */
export function buildTeamsMessage(group: AlertGroup, options: TeamsMessageOptions = {}): TeamsMessage {
  assertAlertGroup(group);
  const maxAlerts = requireInteger(options.maxAlerts ?? 10, 'options.maxAlerts', 1, 50);
  const title = groupTitle(group);
  const { firing, resolved } = countByStatus(group);
  const text = (value: string, extra: Partial<TeamsTextBlock> = {}): TeamsTextBlock => ({ type: 'TextBlock', text: escapeTeamsMarkdown(value, TEAMS_LIMITS.textBlock), wrap: true, ...extra });

  const build = (shown: number): TeamsMessage => {
    const body: (TeamsTextBlock | TeamsFactSet)[] = [text(title, { weight: 'Bolder', size: 'Medium', color: group.status === 'firing' ? 'Attention' : 'Good' })];
    const commonKeys = Object.keys(group.commonLabels).sort().slice(0, TEAMS_LIMITS.facts);
    if (commonKeys.length > 0) {
      body.push({ type: 'FactSet', facts: commonKeys.map((key) => ({ title: escapeTeamsMarkdown(key, TEAMS_LIMITS.factTitle), value: escapeTeamsMarkdown(group.commonLabels[key] ?? '', TEAMS_LIMITS.factValue) })) });
    }
    const actions: TeamsOpenUrl[] = [];
    for (const alert of group.alerts.slice(0, shown)) {
      body.push(text(`${alert.status === 'firing' ? 'FIRING' : 'RESOLVED'}: ${alertSummary(alert)}`, { weight: 'Bolder' }));
      const description = alert.annotations.description;
      if (description !== undefined && description !== alertSummary(alert)) body.push(text(description));
      body.push(text(`${formatLabels(alert.labels)} · since ${isoTime(alert.startsAt)}`, { isSubtle: true }));
      const runbook = safeHttpUrl(alert.annotations.runbook_url);
      if (runbook !== undefined && actions.length < 5 && !actions.some((a) => a.url === runbook)) actions.push({ type: 'Action.OpenUrl', title: 'Runbook', url: runbook });
    }
    const more = group.alerts.length - shown;
    if (more > 0) body.push(text(`and ${more} more (${firing} firing, ${resolved} resolved in total)`, { isSubtle: true }));
    const all = safeHttpUrl(options.externalURL);
    if (all !== undefined) actions.push({ type: 'Action.OpenUrl', title: 'All alerts', url: all });
    return {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body, actions },
        },
      ],
    };
  };
  return fitAlertCount(Math.min(maxAlerts, group.alerts.length), build, (message) => utf8Length(JSON.stringify(message)) <= TEAMS_LIMITS.messageBytes);
}

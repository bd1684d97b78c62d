import { escapeSlackText, safeHttpUrl } from './escape';
import { alertSummary, countByStatus, fitAlertCount, formatLabels, groupTitle, isoTime, joinWithin } from './common';
import { assertAlertGroup, requireInteger } from './validate';
import type { AlertGroup } from './types';

/** Slack's documented limits (Block Kit reference). */
export const SLACK_LIMITS = {
  /** Blocks per message. */
  blocks: 50,
  /** `text` of a section block. */
  sectionText: 3000,
  /** Elements of a context block. */
  contextElements: 10,
  /** Text of one context element (mrkdwn). */
  contextText: 2000,
  /** The top-level `text` (Slack truncates beyond 40 000; we keep the fallback short). */
  fallbackText: 3000,
} as const;

export interface SlackBlock {
  readonly type: 'section' | 'context' | 'divider';
  readonly text?: { readonly type: 'mrkdwn'; readonly text: string };
  readonly elements?: readonly { readonly type: 'mrkdwn'; readonly text: string }[];
}

/** A Slack incoming-webhook / `chat.postMessage` body. */
export interface SlackMessage {
  /** Fallback text for notifications and screen readers. */
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

export interface SlackMessageOptions {
  /** Alerts shown one by one before "and N more"; 1..20, default 10 (each takes two blocks). */
  readonly maxAlerts?: number;
  /** A link to the alert list, shown at the end when it is a safe http(s) URL. */
  readonly externalURL?: string;
}

/** A Slack `<url|label>` link, or nothing when the URL is not a safe http(s) URL. */
function slackLink(url: string | undefined, label: string): string | undefined {
  const safe = safeHttpUrl(url);
  if (safe === undefined) return undefined;
  return `<${escapeSlackText(safe.replace(/\|/g, '%7C'))}|${escapeSlackText(label)}>`;
}

/**
 * Builds a Slack Block Kit message for an alert group. Every value from the alerts is escaped for mrkdwn (`&`, `<`,
 * `>`), so `<!channel>` or `<https://evil|x>` in a label is shown, never interpreted; links are only made from safe
 * http(s) URLs; every text is capped at Slack's limits; extra alerts become "and N more".
 *
 * @example
 * const message = buildSlackMessage(group);
 * await fetch(slackWebhookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(message) });
 */
export function buildSlackMessage(group: AlertGroup, options: SlackMessageOptions = {}): SlackMessage {
  assertAlertGroup(group);
  const maxAlerts = requireInteger(options.maxAlerts ?? 10, 'options.maxAlerts', 1, 20);
  const title = groupTitle(group);
  const icon = group.status === 'firing' ? ':rotating_light:' : ':white_check_mark:';
  const { firing, resolved } = countByStatus(group);

  const build = (shown: number): SlackMessage => {
    const blocks: SlackBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `${icon} *${escapeSlackText(title, SLACK_LIMITS.sectionText - 40)}*` } }];
    const common = formatLabels(group.commonLabels);
    if (common !== '') blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeSlackText(common, SLACK_LIMITS.contextText) }] });
    for (const alert of group.alerts.slice(0, shown)) {
      const mark = alert.status === 'firing' ? ':red_circle:' : ':large_green_circle:';
      const description = alert.annotations.description;
      const summary = alertSummary(alert);
      const body = [`${mark} *${escapeSlackText(summary, 500)}*`];
      if (description !== undefined && description !== summary) body.push(escapeSlackText(description, 2000));
      body.push(`Labels: ${escapeSlackText(formatLabels(alert.labels), 400)}`);
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: body.join('\n') } });
      const context = [`Since ${isoTime(alert.startsAt)}`];
      const runbook = slackLink(alert.annotations.runbook_url, 'Runbook');
      if (runbook !== undefined) context.push(runbook);
      const source = slackLink(alert.generatorURL, 'Source');
      if (source !== undefined) context.push(source);
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: joinWithin(context, ' · ', SLACK_LIMITS.contextText) }] });
    }
    const more = group.alerts.length - shown;
    const tail: string[] = [];
    if (more > 0) tail.push(`and ${more} more (${firing} firing, ${resolved} resolved in total)`);
    const all = slackLink(options.externalURL, 'All alerts');
    if (all !== undefined) tail.push(all);
    if (tail.length > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: joinWithin(tail, ' · ', SLACK_LIMITS.contextText) }] });
    return { text: escapeSlackText(title, SLACK_LIMITS.fallbackText), blocks };
  };
  return fitAlertCount(Math.min(maxAlerts, group.alerts.length), build, (message) => message.blocks.length <= SLACK_LIMITS.blocks);
}

import { escapeDiscordMarkdown, safeHttpUrl } from './escape';
import { alertSummary, countByStatus, fitAlertCount, formatLabels, groupTitle, isoTime } from './common';
import { assertAlertGroup, requireInteger } from './validate';
import type { AlertGroup } from './types';

/** Discord's documented message and embed limits. */
export const DISCORD_LIMITS = { content: 2000, title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, footer: 2048, embedTotal: 6000 } as const;

export interface DiscordEmbed {
  readonly title: string;
  readonly description: string;
  readonly color: number;
  readonly url?: string;
  readonly timestamp: string;
  readonly fields: readonly { readonly name: string; readonly value: string; readonly inline?: boolean }[];
  readonly footer?: { readonly text: string };
}

/** A Discord webhook execute body. `allowed_mentions.parse` is empty: nothing in it can ping anyone. */
export interface DiscordMessage {
  readonly content: string;
  readonly embeds: readonly [DiscordEmbed];
  readonly allowed_mentions: { readonly parse: readonly [] };
}

export interface DiscordMessageOptions {
  /** Alerts shown as embed fields before "and N more"; 1..24, default 10. */
  readonly maxAlerts?: number;
  /** Link of the embed title, when a safe http(s) URL. */
  readonly externalURL?: string;
}

/** Characters Discord counts towards the 6000-character embed total. */
function embedCharacters(embed: DiscordEmbed): number {
  let total = embed.title.length + embed.description.length + (embed.footer?.text.length ?? 0);
  for (const field of embed.fields) total += field.name.length + field.value.length;
  return total;
}

/**
 * Builds a Discord webhook message for an alert group: one embed with a field per alert. Every value is escaped for
 * Discord markdown (no bold, links, spoilers or code from alert content) and `@` is neutralised; the message also
 * sets `allowed_mentions: { parse: [] }`, so `@everyone`, `@here` and `<@id>` never ping. Texts are capped at
 * Discord's limits and alerts are dropped ("and N more") until the embed fits its 6000-character total.
 *
 * @example
 * await fetch(discordWebhookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(buildDiscordMessage(group)) });
 */
export function buildDiscordMessage(group: AlertGroup, options: DiscordMessageOptions = {}): DiscordMessage {
  assertAlertGroup(group);
  const maxAlerts = requireInteger(options.maxAlerts ?? 10, 'options.maxAlerts', 1, DISCORD_LIMITS.fields - 1);
  const title = groupTitle(group);
  const { firing, resolved } = countByStatus(group);
  const url = safeHttpUrl(options.externalURL);

  const build = (shown: number): DiscordMessage => {
    const fields: { name: string; value: string; inline?: boolean }[] = [];
    for (const alert of group.alerts.slice(0, shown)) {
      const lines = [escapeDiscordMarkdown(formatLabels(alert.labels), 400), `since ${isoTime(alert.startsAt)}`];
      const description = alert.annotations.description;
      if (description !== undefined && description !== alertSummary(alert)) lines.unshift(escapeDiscordMarkdown(description, 400));
      const runbook = safeHttpUrl(alert.annotations.runbook_url);
      // A bare URL in angle brackets: Discord links it without an embed preview; the URL is normalised, so it has no
      // spaces or '>' of its own.
      if (runbook !== undefined && runbook.length < 150) lines.push(`runbook: <${runbook}>`);
      fields.push({ name: escapeDiscordMarkdown(`${alert.status === 'firing' ? 'FIRING' : 'RESOLVED'}: ${alertSummary(alert)}`, DISCORD_LIMITS.fieldName), value: lines.join('\n').slice(0, DISCORD_LIMITS.fieldValue) });
    }
    const more = group.alerts.length - shown;
    const embed: DiscordEmbed = {
      title: escapeDiscordMarkdown(title, DISCORD_LIMITS.title),
      description: escapeDiscordMarkdown(formatLabels(group.commonLabels), 1000),
      color: group.status === 'firing' ? 0xd93f0b : 0x2da44e,
      ...(url === undefined ? {} : { url }),
      timestamp: isoTime(group.alerts[0]?.startsAt ?? 0),
      fields,
      ...(more > 0 ? { footer: { text: `and ${more} more (${firing} firing, ${resolved} resolved in total)` } } : {}),
    };
    return { content: escapeDiscordMarkdown(title, DISCORD_LIMITS.content), embeds: [embed], allowed_mentions: { parse: [] } };
  };
  return fitAlertCount(Math.min(maxAlerts, group.alerts.length), build, (message) => embedCharacters(message.embeds[0]) <= DISCORD_LIMITS.embedTotal);
}

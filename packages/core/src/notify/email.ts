import { ValidationError } from '../errors';
import { escapeHtml, safeHttpUrl, singleLine, stripControlCharacters, truncate } from './escape';
import { alertSummary, countByStatus, formatLabels, groupTitle, isoTime } from './common';
import { assertAlertGroup, requireInteger } from './validate';
import type { AlertGroup } from './types';

/** Longest subject we send (RFC 5322 allows 998 characters per header line; mail clients show far fewer). */
export const EMAIL_SUBJECT_MAX = 200;

/**
 * A message in the shape nodemailer's `transporter.sendMail(message)` accepts (`from`, `to`, `subject`, `text`,
 * `html`, `headers`), so a nodemailer transporter *is* an {@link EmailTransport}.
 */
export interface EmailMessage {
  readonly from?: string;
  readonly to: string | readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Anything that sends an {@link EmailMessage}: a nodemailer transporter, or your own. */
export interface EmailTransport {
  sendMail(message: EmailMessage): Promise<unknown>;
}

export interface EmailOptions {
  readonly to: string | readonly string[];
  readonly from?: string;
  /** Alerts listed before "and N more"; 1..500, default 50. */
  readonly maxAlerts?: number;
  /** Link to the alert list, when a safe http(s) URL. */
  readonly externalURL?: string;
}

/** A deliberately strict address check: `local@domain`, no spaces, no header-breaking characters. */
const ADDRESS = /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9.-]{1,253}$/;

function checkAddresses(value: unknown, path: string): string | string[] {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (list === undefined || list.length === 0 || list.length > 100) throw new ValidationError(path, 'an e-mail address or 1 to 100 of them', value);
  list.forEach((address, i) => {
    if (typeof address !== 'string' || !ADDRESS.test(address)) throw new ValidationError(typeof value === 'string' ? path : `${path}[${i}]`, 'a plain e-mail address like ops@example.com', address);
  });
  return typeof value === 'string' ? value : [...(list as string[])];
}

/**
 * Builds an e-mail (subject, plain text and HTML) for an alert group. Every value from the alerts is HTML-escaped in
 * the HTML part (`& < > " '`), links are only made from safe http(s) URLs, and the subject is folded to one line (no
 * header injection through a newline) and capped at {@link EMAIL_SUBJECT_MAX}. Send it through any
 * {@link EmailTransport}, such as a nodemailer transporter.
 *
 * @example
 * const message = buildEmail(group, { to: 'oncall@example.com', from: 'vigil@example.com' });
 * await nodemailer.createTransport(smtpUrl).sendMail(message);
 */
export function buildEmail(group: AlertGroup, options: EmailOptions): EmailMessage {
  assertAlertGroup(group);
  if (typeof options !== 'object' || options === null) throw new ValidationError('options', 'an object with `to`', options);
  const to = checkAddresses(options.to, 'options.to');
  if (options.from !== undefined && typeof options.from !== 'string') throw new ValidationError('options.from', 'one e-mail address', options.from);
  const from = options.from === undefined ? undefined : (checkAddresses(options.from, 'options.from') as string);
  const maxAlerts = requireInteger(options.maxAlerts ?? 50, 'options.maxAlerts', 1, 500);
  const title = groupTitle(group);
  const { firing, resolved } = countByStatus(group);
  const shown = group.alerts.slice(0, maxAlerts);
  const more = group.alerts.length - shown.length;

  const text: string[] = [title, ''];
  const html: string[] = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<h2 style="color:${group.status === 'firing' ? '#b42318' : '#067647'}">${escapeHtml(title)}</h2>`,
  ];
  const common = formatLabels(group.commonLabels);
  if (common !== '') {
    text.push(`Labels: ${stripControlCharacters(common)}`, '');
    html.push(`<p><strong>Labels:</strong> <code>${escapeHtml(common)}</code></p>`);
  }
  html.push('<ul>');
  for (const alert of shown) {
    const status = alert.status === 'firing' ? 'FIRING' : 'RESOLVED';
    const summary = alertSummary(alert);
    const description = alert.annotations.description;
    text.push(`${status}: ${stripControlCharacters(summary)}`);
    html.push(`<li><p><strong>${status}: ${escapeHtml(summary)}</strong></p>`);
    if (description !== undefined && description !== summary) {
      text.push(stripControlCharacters(description));
      html.push(`<p>${escapeHtml(description)}</p>`);
    }
    text.push(`  ${stripControlCharacters(formatLabels(alert.labels))}`, `  since ${isoTime(alert.startsAt)}`);
    html.push(`<p><code>${escapeHtml(formatLabels(alert.labels))}</code> since ${isoTime(alert.startsAt)}</p>`);
    for (const [url, label] of [
      [alert.annotations.runbook_url, 'Runbook'],
      [alert.generatorURL, 'Source'],
    ] as const) {
      const safe = safeHttpUrl(url);
      if (safe === undefined) continue;
      text.push(`  ${label}: ${safe}`);
      html.push(`<p><a href="${escapeHtml(safe)}">${label}</a></p>`);
    }
    text.push('');
    html.push('</li>');
  }
  html.push('</ul>');
  if (more > 0) {
    text.push(`and ${more} more (${firing} firing, ${resolved} resolved in total)`);
    html.push(`<p>and ${more} more (${firing} firing, ${resolved} resolved in total)</p>`);
  }
  const all = safeHttpUrl(options.externalURL);
  if (all !== undefined) {
    text.push(`All alerts: ${all}`);
    html.push(`<p><a href="${escapeHtml(all)}">All alerts</a></p>`);
  }
  html.push('</body></html>');
  return {
    ...(from === undefined ? {} : { from }),
    to,
    subject: truncate(singleLine(title), EMAIL_SUBJECT_MAX),
    text: text.join('\n'),
    html: html.join('\n'),
  };
}

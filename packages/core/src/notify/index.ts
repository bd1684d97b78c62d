/**
 * `@vigil/core/notify`: notification payload builders (Slack, Microsoft Teams, Discord, a signed generic webhook,
 * PagerDuty Events v2, e-mail, SMS), their escaping, and a dispatcher with timeouts, retries, idempotency, rate
 * limits, a delivery log and a durable outbox. Runs in browsers and Node: it uses fetch and Web Crypto only.
 */
export type { Alert, AlertGroup } from './types';
export { assertAlert, assertAlertGroup, MAX_ALERTS_PER_GROUP } from './validate';
export { ELLIPSIS, escapeAndCap, escapeDiscordMarkdown, escapeHtml, escapeSlackText, escapeTeamsMarkdown, safeHttpUrl, singleLine, stripControlCharacters, truncate } from './escape';
export { groupTitle, stableHash } from './common';
export { buildSlackMessage, SLACK_LIMITS } from './slack';
export type { SlackBlock, SlackMessage, SlackMessageOptions } from './slack';
export { buildTeamsMessage, TEAMS_LIMITS } from './teams';
export type { TeamsFactSet, TeamsMessage, TeamsMessageOptions, TeamsOpenUrl, TeamsTextBlock } from './teams';
export { buildDiscordMessage, DISCORD_LIMITS } from './discord';
export type { DiscordEmbed, DiscordMessage, DiscordMessageOptions } from './discord';
export { buildWebhookPayload, IDEMPOTENCY_KEY_HEADER, signWebhook, verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from './webhook';
export type { VerifyWebhookInput, VerifyWebhookResult, WebhookAlert, WebhookPayload, WebhookPayloadOptions } from './webhook';
export { buildPagerDutyEvents, PAGERDUTY_EVENTS_URL, PAGERDUTY_LIMITS, pagerDutyAlertDedupKey, pagerDutyDedupKey, pagerDutySeverity } from './pagerduty';
export type { PagerDutyAction, PagerDutyEvent, PagerDutyEventOptions, PagerDutySeverity } from './pagerduty';
export { buildEmail, EMAIL_SUBJECT_MAX } from './email';
export type { EmailMessage, EmailOptions, EmailTransport } from './email';
export { buildSms } from './sms';
export type { SmsMessage, SmsOptions, SmsTransport } from './sms';
export { DeliveryError } from './delivery-error';
export { fullJitterDelay, parseRetryAfter, TokenBucket } from './retry';
export type { RateLimit } from './retry';
export { assertOutboxEntry, MemoryOutbox } from './outbox';
export type { MemoryOutboxOptions, Outbox, OutboxEntry, OutboxState } from './outbox';
export { createEmailChannel, createHttpChannel, createSmsChannel } from './channels';
export type { DeliveryContext, EmailChannelOptions, HttpChannelOptions, HttpPayload, NotificationChannel, SmsChannelOptions } from './channels';
export { createDispatcher } from './dispatcher';
export type { DeliveryLogEntry, Dispatcher, DispatcherOptions, DispatcherTimers, EnqueueRequest, EnqueueResult, RetryPolicy } from './dispatcher';

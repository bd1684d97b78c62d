import { ValidationError } from '../errors';
import { isoTime } from './common';
import { assertAlertGroup, requireInteger, requireString } from './validate';
import type { AlertGroup } from './types';

/** Header carrying the Unix time (seconds) the request was signed at. */
export const WEBHOOK_TIMESTAMP_HEADER = 'X-Vigil-Timestamp';
/** Header carrying `v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`. */
export const WEBHOOK_SIGNATURE_HEADER = 'X-Vigil-Signature';
/** Header carrying the delivery's idempotency key (the same on every retry). */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** One alert in the webhook body (Alertmanager's webhook format, times as RFC 3339 text). */
export interface WebhookAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  /** `0001-01-01T00:00:00Z` when the alert has no end, like Alertmanager. */
  readonly endsAt: string;
  readonly generatorURL: string;
  readonly fingerprint: string;
}

/**
 * The generic webhook body: the same shape as Alertmanager's webhook receiver (version "4"), so receivers written
 * for Alertmanager accept it unchanged.
 */
export interface WebhookPayload {
  readonly version: '4';
  readonly groupKey: string;
  readonly truncatedAlerts: number;
  readonly status: 'firing' | 'resolved';
  readonly receiver: string;
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly commonAnnotations: Readonly<Record<string, string>>;
  readonly externalURL: string;
  readonly alerts: readonly WebhookAlert[];
}

export interface WebhookPayloadOptions {
  /** Most alerts in the body (the rest are counted in `truncatedAlerts`); 0 = all, the default. */
  readonly maxAlerts?: number;
  readonly externalURL?: string;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * Builds the generic webhook body (Alertmanager's webhook format). Send it as JSON; JSON encoding is the only
 * escaping a JSON body needs. Sign it with {@link signWebhook}.
 *
 * @example
 * const body = JSON.stringify(buildWebhookPayload(group));
 */
export function buildWebhookPayload(group: AlertGroup, options: WebhookPayloadOptions = {}): WebhookPayload {
  assertAlertGroup(group);
  const maxAlerts = requireInteger(options.maxAlerts ?? 0, 'options.maxAlerts', 0, Number.MAX_SAFE_INTEGER);
  const alerts = maxAlerts === 0 ? group.alerts : group.alerts.slice(0, maxAlerts);
  return {
    version: '4',
    groupKey: group.groupKey,
    truncatedAlerts: group.alerts.length - alerts.length,
    status: group.status,
    receiver: group.receiver,
    groupLabels: { ...group.groupLabels },
    commonLabels: { ...group.commonLabels },
    commonAnnotations: { ...group.commonAnnotations },
    externalURL: options.externalURL ?? '',
    alerts: alerts.map((alert) => ({
      status: alert.status,
      labels: { ...alert.labels },
      annotations: { ...alert.annotations },
      startsAt: isoTime(alert.startsAt),
      endsAt: alert.endsAt === undefined ? ZERO_TIME : isoTime(alert.endsAt),
      generatorURL: alert.generatorURL ?? '',
      fingerprint: alert.fingerprint,
    })),
  };
}

function subtle(): SubtleCrypto {
  const api = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (api === undefined) throw new ValidationError('globalThis.crypto.subtle', 'Web Crypto (Node 18+, any modern browser, a secure context)', undefined);
  return api;
}

const encoder = /* @__PURE__ */ new TextEncoder();

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await subtle().importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await subtle().sign('HMAC', key, encoder.encode(message)));
  let hex = '';
  for (const byte of signature) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Signs a webhook body: HMAC-SHA256 with `secret` over `"<timestamp>.<body>"`, where `timestamp` is Unix seconds.
 * Returns the two headers to send: `X-Vigil-Timestamp: <seconds>` and `X-Vigil-Signature: v1=<64 hex digits>`.
 * Uses Web Crypto, so it runs in browsers and Node 18+.
 *
 * @example
 * const headers = await signWebhook(body, secret, Math.floor(Date.now() / 1000));
 * // { 'X-Vigil-Timestamp': '1795000000', 'X-Vigil-Signature': 'v1=3f2a…' }
 */
export async function signWebhook(body: string, secret: string, timestampSeconds: number): Promise<Record<string, string>> {
  if (typeof body !== 'string') throw new ValidationError('body', 'a string', body);
  requireString(secret, 'secret');
  requireInteger(timestampSeconds, 'timestampSeconds', 0, 1e11);
  const signature = await hmacHex(secret, `${timestampSeconds}.${body}`);
  return { [WEBHOOK_TIMESTAMP_HEADER]: String(timestampSeconds), [WEBHOOK_SIGNATURE_HEADER]: `v1=${signature}` };
}

export interface VerifyWebhookInput {
  /** The raw request body, exactly as received. */
  readonly body: string;
  readonly secret: string;
  /** Value of `X-Vigil-Timestamp`. A repeated header (Node gives an array) is refused as `bad-timestamp`. */
  readonly timestamp: string | readonly string[] | null | undefined;
  /**
   * Value of `X-Vigil-Signature`: may list several `v1=` values separated by commas, for secret rotation. A repeated
   * header (an array, as Node gives it) counts as that list.
   */
  readonly signature: string | readonly string[] | null | undefined;
  /** Receiver's current time, epoch ms. Default `Date.now()`. */
  readonly now?: number;
  /** Largest accepted clock difference, seconds; default 300. Stops replays of old requests. */
  readonly toleranceSeconds?: number;
}

export type VerifyWebhookResult = { readonly valid: true } | { readonly valid: false; readonly reason: 'missing-header' | 'bad-timestamp' | 'stale' | 'bad-signature' };

/** Compares two strings in time that depends only on their lengths. */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Verifies a signed webhook on the receiving side: the timestamp must be within `toleranceSeconds` of `now`, and one
 * of the `v1=` signatures must equal the HMAC of `"<timestamp>.<body>"` (compared in constant time).
 *
 * @example
 * const result = await verifyWebhookSignature({ body: rawBody, secret, timestamp: req.headers['x-vigil-timestamp'], signature: req.headers['x-vigil-signature'] });
 * if (!result.valid) return res.writeHead(401).end(result.reason);
 */
export async function verifyWebhookSignature(input: VerifyWebhookInput): Promise<VerifyWebhookResult> {
  if (typeof input.body !== 'string') throw new ValidationError('input.body', 'the raw body as a string', input.body);
  requireString(input.secret, 'input.secret');
  const tolerance = input.toleranceSeconds ?? 300;
  if (typeof tolerance !== 'number' || !(tolerance >= 0)) throw new ValidationError('input.toleranceSeconds', 'a number >= 0', tolerance);
  if (input.timestamp === null || input.timestamp === undefined || input.signature === null || input.signature === undefined || input.timestamp === '' || input.signature === '') return { valid: false, reason: 'missing-header' };
  // Header values come from the network: anything that is not the documented shape is refused, never thrown on.
  if (typeof input.timestamp !== 'string' || !/^\d{1,11}$/.test(input.timestamp)) return { valid: false, reason: 'bad-timestamp' };
  const signatures: unknown = input.signature;
  const offeredText = typeof signatures === 'string' ? signatures : Array.isArray(signatures) && signatures.every((part) => typeof part === 'string') ? signatures.join(',') : undefined;
  if (offeredText === undefined) return { valid: false, reason: 'bad-signature' };
  const timestamp = Number(input.timestamp);
  const now = (input.now ?? Date.now()) / 1000;
  if (Math.abs(now - timestamp) > tolerance) return { valid: false, reason: 'stale' };
  const expected = `v1=${await hmacHex(input.secret, `${input.timestamp}.${input.body}`)}`;
  const offered = offeredText.split(',').map((part) => part.trim());
  let match = false;
  for (const candidate of offered) if (constantTimeEqual(candidate, expected)) match = true;
  return match ? { valid: true } : { valid: false, reason: 'bad-signature' };
}

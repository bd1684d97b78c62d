import { ValidationError } from '../errors';
import { DeliveryError } from './delivery-error';
import { parseRetryAfter } from './retry';
import type { RateLimit } from './retry';
import { IDEMPOTENCY_KEY_HEADER, signWebhook } from './webhook';
import type { EmailMessage, EmailTransport } from './email';
import type { SmsMessage, SmsTransport } from './sms';
import { requireString } from './validate';

/** What a channel gets for one attempt. */
export interface DeliveryContext {
  /** The same on every attempt of one notification. */
  readonly idempotencyKey: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Fires when the attempt times out or the dispatcher stops. */
  readonly signal: AbortSignal;
  /** The dispatcher's clock, epoch ms. */
  readonly now: number;
}

/**
 * A named way to deliver a payload. `deliver` resolves when the receiver accepted the notification and rejects
 * otherwise, preferably with a {@link DeliveryError} saying whether to retry; any other error counts as retryable.
 */
export interface NotificationChannel {
  readonly name: string;
  /** Sends at most `capacity` at once, refilled at `refillPerSecond`. */
  readonly rateLimit?: RateLimit;
  /** Per-attempt timeout, ms; overrides the dispatcher's. */
  readonly timeoutMs?: number;
  deliver(payload: unknown, context: DeliveryContext): Promise<void>;
}

/** The payload of an HTTP channel: the request body (JSON text from a builder) and optional extra headers. */
export interface HttpPayload {
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HttpChannelOptions {
  readonly name: string;
  /** Where to POST: a Slack/Discord/Teams webhook URL, PagerDuty's events URL, your webhook. Kept out of the outbox. */
  readonly url: string;
  /** Headers for every request (an `Authorization`, say). Kept out of the outbox. */
  readonly headers?: Readonly<Record<string, string>>;
  /** When set, each attempt is signed with {@link signWebhook} at the time it is sent. */
  readonly signingSecret?: string;
  /** Header that carries the idempotency key; default `Idempotency-Key`. Set `null` to not send it. */
  readonly idempotencyHeader?: string | null;
  readonly contentType?: string;
  readonly rateLimit?: RateLimit;
  readonly timeoutMs?: number;
  /** Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
}

/** Statuses worth retrying: request timeout, too early, rate limited, and server errors. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Whether `headers` is a record of valid HTTP header names to single-line values (no header injection). */
function validHeaders(headers: unknown): headers is Record<string, string> {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return false;
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name) || typeof value !== 'string' || /[\r\n\0]/.test(value)) return false;
  }
  return true;
}

function asHttpPayload(payload: unknown): HttpPayload {
  if (typeof payload === 'string') return { body: payload };
  if (typeof payload === 'object' && payload !== null && typeof (payload as HttpPayload).body === 'string') {
    const { headers } = payload as HttpPayload;
    if (headers !== undefined && !validHeaders(headers)) throw new DeliveryError('SOURCE_ERROR', 'HTTP channel payload headers must map header names to single-line strings', { retryable: false });
    return payload as HttpPayload;
  }
  throw new DeliveryError('SOURCE_ERROR', 'HTTP channel payload must be a string or { body: string }', { retryable: false });
}

/**
 * A channel that POSTs the payload's body to a URL with `fetch`: 2xx is delivered; 408, 425, 429 and 5xx are retried
 * (honouring `Retry-After`); other statuses fail for good. Sends the idempotency key as a header and, with
 * `signingSecret`, `X-Vigil-Timestamp` and `X-Vigil-Signature` headers (see `signWebhook`).
 *
 * @example
 * const slack = createHttpChannel({ name: 'slack', url: process.env.SLACK_WEBHOOK_URL!, rateLimit: { capacity: 1, refillPerSecond: 1 } });
 */
export function createHttpChannel(options: HttpChannelOptions): NotificationChannel {
  requireString(options.name, 'options.name', 200);
  const url = requireString(options.url, 'options.url', 8192);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError('options.url', 'an absolute http(s) URL', url);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ValidationError('options.url', 'an absolute http(s) URL', url);
  if (options.signingSecret !== undefined) requireString(options.signingSecret, 'options.signingSecret');
  if (options.headers !== undefined && !validHeaders(options.headers)) throw new ValidationError('options.headers', 'header names mapped to single-line string values', options.headers);
  if (options.idempotencyHeader !== undefined && options.idempotencyHeader !== null && !HEADER_NAME.test(options.idempotencyHeader)) {
    throw new ValidationError('options.idempotencyHeader', 'an HTTP header name, or null', options.idempotencyHeader);
  }
  const idempotencyHeader = options.idempotencyHeader === undefined ? IDEMPOTENCY_KEY_HEADER : options.idempotencyHeader;
  const contentType = options.contentType ?? 'application/json';
  return {
    name: options.name,
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    async deliver(payload, context) {
      const { body, headers: extra } = asHttpPayload(payload);
      const headers: Record<string, string> = { 'Content-Type': contentType, ...options.headers, ...extra };
      if (idempotencyHeader !== null) headers[idempotencyHeader] = context.idempotencyKey;
      if (options.signingSecret !== undefined) Object.assign(headers, await signWebhook(body, options.signingSecret, Math.floor(context.now / 1000)));
      const doFetch = options.fetch ?? globalThis.fetch;
      let response: Response;
      try {
        response = await doFetch(url, { method: 'POST', headers, body, signal: context.signal });
      } catch (error) {
        if (context.signal.aborted) throw new DeliveryError('SOURCE_TIMEOUT', `${options.name}: no answer before the attempt was stopped`, { retryable: true, cause: error });
        throw new DeliveryError('SOURCE_UNREACHABLE', `${options.name}: could not reach ${parsed.origin}`, { retryable: true, cause: error });
      }
      // Read (and cap) the body so the connection is released; keep a little for the error message.
      let text = '';
      try {
        text = (await response.text()).slice(0, 300);
      } catch {
        text = '';
      }
      if (response.ok) return;
      const status = response.status;
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), context.now);
      throw new DeliveryError(status === 401 || status === 403 ? 'UNAUTHORIZED' : 'SOURCE_ERROR', `${options.name}: HTTP ${status}${text === '' ? '' : ` ${text.replace(/\s+/g, ' ')}`}`, {
        retryable: retryableStatus(status),
        status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    },
  };
}

export interface EmailChannelOptions {
  readonly name: string;
  /** A nodemailer transporter, or anything with `sendMail(message)`. */
  readonly transport: EmailTransport;
  readonly rateLimit?: RateLimit;
  readonly timeoutMs?: number;
}

/**
 * A channel that sends {@link EmailMessage}s (from `buildEmail`) through a transport such as nodemailer. The
 * idempotency key goes in an `X-Vigil-Idempotency-Key` header. SMTP 5xx answers (nodemailer's `responseCode`) fail for
 * good; everything else is retried.
 *
 * @example
 * const email = createEmailChannel({ name: 'email', transport: nodemailer.createTransport(process.env.SMTP_URL) });
 */
export function createEmailChannel(options: EmailChannelOptions): NotificationChannel {
  requireString(options.name, 'options.name', 200);
  if (typeof options.transport?.sendMail !== 'function') throw new ValidationError('options.transport', 'an object with sendMail(message)', options.transport);
  return {
    name: options.name,
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    async deliver(payload, context) {
      const message = payload as EmailMessage;
      try {
        await options.transport.sendMail({ ...message, headers: { ...message.headers, 'X-Vigil-Idempotency-Key': context.idempotencyKey } });
      } catch (error) {
        if (error instanceof DeliveryError) throw error;
        const code = (error as { responseCode?: unknown } | null)?.responseCode;
        const permanent = typeof code === 'number' && code >= 500 && code < 600;
        throw new DeliveryError('SOURCE_ERROR', `${options.name}: ${error instanceof Error ? error.message : String(error)}`, { retryable: !permanent, cause: error });
      }
    },
  };
}

export interface SmsChannelOptions {
  readonly name: string;
  readonly transport: SmsTransport;
  readonly rateLimit?: RateLimit;
  readonly timeoutMs?: number;
}

/**
 * A channel that sends {@link SmsMessage}s (from `buildSms`) through a transport.
 *
 * @example
 * const sms = createSmsChannel({ name: 'sms', transport: { send: (m, { idempotencyKey }) => twilio.messages.create({ to: m.to, body: m.body, from }) } });
 */
export function createSmsChannel(options: SmsChannelOptions): NotificationChannel {
  requireString(options.name, 'options.name', 200);
  if (typeof options.transport?.send !== 'function') throw new ValidationError('options.transport', 'an object with send(message, context)', options.transport);
  return {
    name: options.name,
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    async deliver(payload, context) {
      try {
        await options.transport.send(payload as SmsMessage, { idempotencyKey: context.idempotencyKey, signal: context.signal });
      } catch (error) {
        if (error instanceof DeliveryError) throw error;
        throw new DeliveryError('SOURCE_ERROR', `${options.name}: ${error instanceof Error ? error.message : String(error)}`, { retryable: true, cause: error });
      }
    },
  };
}

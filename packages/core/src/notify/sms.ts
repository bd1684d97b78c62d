import { ValidationError } from '../errors';
import { singleLine, truncate } from './escape';
import { alertSummary, groupTitle } from './common';
import { assertAlertGroup, requireInteger } from './validate';
import type { AlertGroup } from './types';

/** One text message. */
export interface SmsMessage {
  /** E.164 number, such as `+15551234567`. */
  readonly to: string;
  readonly body: string;
}

/** Anything that sends an SMS (Twilio, SNS, a modem...). Reject with a `DeliveryError` to control retries. */
export interface SmsTransport {
  send(message: SmsMessage, context: { readonly idempotencyKey: string; readonly signal: AbortSignal }): Promise<unknown>;
}

export interface SmsOptions {
  readonly to: string;
  /** Longest body in characters: 160 (one GSM-7 segment, the default) up to 1600 (Twilio's cap on concatenated SMS). */
  readonly maxLength?: number;
}

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Builds a short, single-line SMS for an alert group: the title, then the first alert's summary, folded to one line
 * and capped at `maxLength` characters (160 by default).
 *
 * @example
 * buildSms(group, { to: '+15551234567' }) // { to: '+15551234567', body: '[FIRING:2] HighErrorRate (service=api): error rate 7%…' }
 */
export function buildSms(group: AlertGroup, options: SmsOptions): SmsMessage {
  assertAlertGroup(group);
  if (typeof options !== 'object' || options === null) throw new ValidationError('options', 'an object with `to`', options);
  if (typeof options.to !== 'string' || !E164.test(options.to)) throw new ValidationError('options.to', 'an E.164 phone number like +15551234567', options.to);
  const maxLength = requireInteger(options.maxLength ?? 160, 'options.maxLength', 20, 1600);
  const first = group.alerts[0];
  const summary = first === undefined ? '' : alertSummary(first);
  const body = singleLine(`${groupTitle(group)}${summary === '' ? '' : `: ${summary}`}`);
  return { to: options.to, body: truncate(body, maxLength) };
}

import { SourceError } from '../errors';
import type { SourceErrorCode } from '../errors';

/**
 * A delivery attempt failed. `retryable` says whether the dispatcher should try again (timeouts, unreachable, 408,
 * 425, 429, 5xx) and `retryAfterMs` carries the receiver's `Retry-After`, which the dispatcher honours.
 *
 * @example
 * throw new DeliveryError('SOURCE_ERROR', 'SMS gateway busy', { retryable: true, retryAfterMs: 30_000 });
 */
export class DeliveryError extends SourceError {
  readonly retryAfterMs: number | undefined;

  constructor(code: SourceErrorCode, message: string, options: { retryable: boolean; status?: number; retryAfterMs?: number; cause?: unknown }) {
    super(code, message, { retryable: options.retryable, ...(options.status === undefined ? {} : { status: options.status }), ...(options.cause === undefined ? {} : { cause: options.cause }) });
    this.name = 'DeliveryError';
    this.retryAfterMs = options.retryAfterMs;
  }
}

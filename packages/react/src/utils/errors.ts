import { isVigilError } from '@vigil/core';

/** What a component shows about an error: a message for people, and the code when Vigil threw it. */
export interface ErrorDescription {
  readonly message: string;
  readonly code: string | undefined;
}

/**
 * Describes any thrown value for display. Uses the message and code of a `VigilError` (and so of `SourceError` and
 * `ValidationError`), the message of any other `Error`, a string as is, and a generic sentence for anything else.
 *
 * @example
 * describeError(new SourceError('SOURCE_TIMEOUT', 'Prometheus did not answer in 10 s'))
 * // { message: 'Prometheus did not answer in 10 s', code: 'SOURCE_TIMEOUT' }
 */
export function describeError(error: unknown): ErrorDescription {
  if (isVigilError(error)) return { message: error.message || error.code, code: error.code };
  if (error instanceof Error) return { message: error.message || error.name || 'Unknown error', code: undefined };
  if (typeof error === 'string' && error.trim() !== '') return { message: error, code: undefined };
  return { message: 'Something went wrong.', code: undefined };
}

/**
 * One error family for the whole kit. Every error carries a stable `code` that programs branch on, and a message
 * that says what was expected and what was found. Validation errors also carry the path of the bad field.
 *
 * @example
 * try { quantile(values, 1.5) } catch (e) {
 *   if (e instanceof VigilError && e.code === 'INVALID_ARGUMENT') console.log(e.path) // "q"
 * }
 */

/** Every code a Vigil error can carry. */
export type VigilErrorCode =
  /** A caller passed something the function does not accept. */
  | 'INVALID_ARGUMENT'
  /** Data (from a source, a file or a payload) is malformed. */
  | 'INVALID_DATA'
  /** The data source could not be reached (DNS, refused connection, network down). */
  | 'SOURCE_UNREACHABLE'
  /** The data source did not answer in time. */
  | 'SOURCE_TIMEOUT'
  /** The data source rejected the query as malformed or unsupported. */
  | 'BAD_QUERY'
  /** The data source refused the credentials. */
  | 'UNAUTHORIZED'
  /** The data source returned only part of what was asked. */
  | 'PARTIAL_DATA'
  /** The data source failed for another reason (5xx and the like). */
  | 'SOURCE_ERROR'
  /** The caller aborted the operation through its AbortSignal. */
  | 'ABORTED'
  /** The source or engine does not support what was asked (see its capabilities). */
  | 'UNSUPPORTED'
  /** The thing asked for does not exist (a trace id, a metric). */
  | 'NOT_FOUND';

export interface VigilErrorOptions {
  /** Path of the offending field, such as `objectives[0].target`. */
  readonly path?: string;
  /** The underlying error. */
  readonly cause?: unknown;
}

/** The base class of every error Vigil throws on purpose. */
export class VigilError extends Error {
  readonly code: VigilErrorCode;
  /** Path of the offending field, when the error is about one field. */
  readonly path: string | undefined;

  constructor(code: VigilErrorCode, message: string, options: VigilErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VigilError';
    this.code = code;
    this.path = options.path;
  }
}

/** A caller's argument or a document field is invalid. `path` names the field. */
export class ValidationError extends VigilError {
  override readonly path: string;
  /** What the field should have been, in words. */
  readonly expected: string;
  /** A short description of what was found instead. */
  readonly received: string;

  constructor(path: string, expected: string, received: unknown, code: 'INVALID_ARGUMENT' | 'INVALID_DATA' = 'INVALID_ARGUMENT') {
    const found = describeValue(received);
    super(code, `${path}: expected ${expected}, received ${found}`, { path });
    this.name = 'ValidationError';
    this.path = path;
    this.expected = expected;
    this.received = found;
  }
}

/** Codes a data source may fail with. */
export type SourceErrorCode = Extract<
  VigilErrorCode,
  'SOURCE_UNREACHABLE' | 'SOURCE_TIMEOUT' | 'BAD_QUERY' | 'UNAUTHORIZED' | 'PARTIAL_DATA' | 'SOURCE_ERROR' | 'ABORTED' | 'UNSUPPORTED' | 'NOT_FOUND'
>;

export interface SourceErrorOptions extends VigilErrorOptions {
  /** Whether repeating the same request may succeed (timeouts, 429, 5xx). */
  readonly retryable?: boolean;
  /** HTTP status, when the source speaks HTTP. */
  readonly status?: number;
  /** For PARTIAL_DATA: whatever the source did return. */
  readonly partial?: unknown;
}

/** A data source failed. Components show `message`; programs branch on `code` and `retryable`. */
export class SourceError extends VigilError {
  declare readonly code: SourceErrorCode;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly partial: unknown;

  constructor(code: SourceErrorCode, message: string, options: SourceErrorOptions = {}) {
    super(code, message, options);
    this.name = 'SourceError';
    this.retryable = options.retryable ?? (code === 'SOURCE_TIMEOUT' || code === 'SOURCE_UNREACHABLE');
    this.status = options.status;
    this.partial = options.partial;
  }
}

/** True for any error Vigil threw on purpose, optionally with the given code. */
export function isVigilError(error: unknown, code?: VigilErrorCode): error is VigilError {
  return error instanceof VigilError && (code === undefined || error.code === code);
}

/** The error thrown when an AbortSignal fires. Keeps the signal's reason as `cause`. */
export function abortError(signal: AbortSignal | undefined, what = 'operation'): SourceError {
  return new SourceError('ABORTED', `${what} was aborted`, { cause: signal?.reason, retryable: false });
}

/** Throws `abortError` when the signal has already fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw abortError(signal, what);
}

/** A short, safe description of any value for error messages (never the whole value). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    return Number.isFinite(value) ? `number ${value}` : `number ${value > 0 ? 'Infinity' : '-Infinity'}`;
  }
  if (typeof value === 'string') return value.length > 40 ? `string "${value.slice(0, 37)}..."` : `string "${value}"`;
  if (typeof value === 'bigint') return `bigint ${value}`;
  if (typeof value === 'boolean' || typeof value === 'symbol' || typeof value === 'function') return typeof value;
  if (Array.isArray(value)) return `array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name} of length ${(value as unknown as ArrayLike<unknown>).length}`;
  return 'object';
}

import { SourceError, VigilError, abortError, throwIfAborted } from '@vigil/core/errors';
import type { ResolvedOptions } from './options';

/** One call to the Prometheus HTTP API. */
export interface ApiRequest {
  /** Path under the base URL, such as `/api/v1/query`. Already URL-encoded. */
  readonly path: string;
  /** Parameters, in order; names may repeat (`match[]`). */
  readonly params: ReadonlyArray<readonly [string, string]>;
  /** Whether the endpoint accepts a form-encoded POST (query, query_range, series, labels do). */
  readonly postable: boolean;
  /** What the call is for, in words, for error messages: `query_range`, `label values`. */
  readonly what: string;
  readonly signal: AbortSignal | undefined;
}

/** The `data` of a successful response and the warnings that came with it. */
export interface ApiResponse {
  readonly data: unknown;
  readonly warnings: string[];
}

/** Longest piece of server text quoted in an error message or warning. */
const MAX_QUOTED_CHARS = 1000;
/** Most warnings kept from one response. */
const MAX_WARNINGS = 100;
/** Statuses worth repeating: rate limited, or a proxy/gateway that could not reach a healthy server. */
const RETRIED_STATUSES = new Set([429, 502, 503, 504]);

type Stop = 'caller' | 'deadline';

/**
 * Sends one API call with the adapter's timeout, retry, size-cap and error rules (see `docs/prometheus.md`).
 * Resolves with the response's `data` and warnings, or rejects with a `SourceError`.
 */
export async function callApi(options: ResolvedOptions, request: ApiRequest): Promise<ApiResponse> {
  const { signal } = request;
  throwIfAborted(signal, `Prometheus ${request.what}`);
  const controller = new AbortController();
  let stoppedBy: Stop | undefined;
  const stop = (why: Stop) => {
    if (stoppedBy !== undefined) return;
    stoppedBy = why;
    controller.abort(why === 'caller' ? signal?.reason : new Error('deadline'));
  };
  const onCallerAbort = () => stop('caller');
  signal?.addEventListener('abort', onCallerAbort, { once: true });
  const startedAt = Date.now();
  const deadline = setTimeout(() => stop('deadline'), options.timeoutMs);

  const stoppedError = (cause?: unknown): SourceError =>
    stoppedBy === 'caller'
      ? abortError(signal, `Prometheus ${request.what}`)
      : new SourceError('SOURCE_TIMEOUT', `Prometheus ${request.what} did not answer within ${options.timeoutMs} ms`, { cause, retryable: true });

  try {
    for (let attempt = 0; ; attempt++) {
      let failure: SourceError;
      let retryAfterMs: number | undefined;
      try {
        return await attemptOnce(options, request, controller.signal, startedAt);
      } catch (error) {
        if (stoppedBy !== undefined) throw stoppedError(error);
        if (!(error instanceof AttemptFailure)) throw error;
        failure = error.error;
        retryAfterMs = error.retryAfterMs;
        if (!error.retry || attempt >= options.retries) throw failure;
      }
      const backoff = retryAfterMs ?? jitter(options.retryDelayMs * 2 ** attempt);
      const remaining = options.timeoutMs - (Date.now() - startedAt);
      // Waiting past our own deadline is pointless: fail now with the server's error rather than a timeout later.
      if (backoff >= remaining) throw failure;
      await sleep(backoff, controller.signal);
      if (stoppedBy !== undefined) throw stoppedError();
    }
  } finally {
    clearTimeout(deadline);
    signal?.removeEventListener('abort', onCallerAbort);
  }
}

/** A failed attempt: the error to throw, and whether and when to try again. */
class AttemptFailure extends Error {
  constructor(
    readonly error: SourceError,
    readonly retry: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(error.message);
  }
}

/** Equal jitter: half the delay fixed, half random, so clients that failed together do not retry together. */
function jitter(delayMs: number): number {
  return delayMs / 2 + Math.random() * (delayMs / 2);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

async function attemptOnce(options: ResolvedOptions, request: ApiRequest, signal: AbortSignal, startedAt: number): Promise<ApiResponse> {
  const params = new URLSearchParams();
  for (const [name, value] of request.params) params.append(name, value);
  if (request.path === '/api/v1/query' || request.path === '/api/v1/query_range') {
    // Ask Prometheus to give up when we would, so it does not keep working for nobody.
    const remainingSeconds = Math.max(1, Math.ceil((options.timeoutMs - (Date.now() - startedAt)) / 1000));
    params.append('timeout', `${remainingSeconds}s`);
  }
  const usePost = request.postable && options.method === 'POST';
  const encoded = params.toString();
  let url = `${options.baseUrl}${request.path}`;
  if (!usePost && encoded !== '') url += `?${encoded}`;
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (usePost) headers['Content-Type'] = 'application/x-www-form-urlencoded';

  let response: Response;
  try {
    response = await options.fetch(url, { method: usePost ? 'POST' : 'GET', headers, ...(usePost ? { body: encoded } : {}), signal });
  } catch (error) {
    throw unreachable(options, request, error);
  }

  let text: string;
  try {
    text = await readCapped(response, options.maxResponseBytes);
  } catch (error) {
    if (error instanceof AttemptFailure) throw error;
    if (error instanceof VigilError) throw new AttemptFailure(new SourceError('SOURCE_ERROR', `Prometheus ${request.what}: ${error.message}`, { cause: error, status: response.status, retryable: false }), false);
    throw unreachable(options, request, error);
  }

  const status = response.status;
  if (status >= 200 && status < 300) {
    const envelope = parseEnvelope(text, request.what, status);
    if (envelope.status === 'success') {
      if (!('data' in envelope.body)) throw new AttemptFailure(invalidData(request.what, 'the response has no "data" field', status), false);
      return { data: envelope.body.data, warnings: envelope.warnings };
    }
    throw new AttemptFailure(prometheusError(request.what, status, envelope), false);
  }

  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  if (status === 401 || status === 403) {
    throw new AttemptFailure(
      new SourceError('UNAUTHORIZED', `Prometheus refused the credentials for ${request.what} (HTTP ${status})`, { status, retryable: false }),
      false,
    );
  }
  let envelope: Envelope | undefined;
  try {
    envelope = parseEnvelope(text, request.what, status);
  } catch {
    envelope = undefined; // a proxy's HTML error page, say
  }
  if (envelope !== undefined && envelope.status === 'error') {
    const error = prometheusError(request.what, status, envelope);
    // A query that timed out on the server will time out again: only proxies' and overloaded servers' 5xx retry.
    const retry = RETRIED_STATUSES.has(status) && error.code === 'SOURCE_ERROR';
    throw new AttemptFailure(error, retry, retryAfterMs);
  }
  const snippet = quote(text.trim().slice(0, 200));
  if (status === 400 || status === 422) {
    throw new AttemptFailure(new SourceError('BAD_QUERY', `Prometheus rejected the ${request.what} (HTTP ${status})${snippet ? `: ${snippet}` : ''}`, { status, retryable: false }), false);
  }
  if (status === 404) {
    throw new AttemptFailure(
      new SourceError('SOURCE_ERROR', `Prometheus ${request.what}: ${url.split('?')[0]} was not found (HTTP 404); check options.url`, { status, retryable: false }),
      false,
    );
  }
  const retryable = status === 429 || status >= 500;
  throw new AttemptFailure(
    new SourceError('SOURCE_ERROR', `Prometheus ${request.what} failed with HTTP ${status}${snippet ? `: ${snippet}` : ''}`, { status, retryable }),
    RETRIED_STATUSES.has(status),
    retryAfterMs,
  );
}

function unreachable(options: ResolvedOptions, request: ApiRequest, error: unknown): AttemptFailure {
  const detail = describeNetworkError(error);
  return new AttemptFailure(
    new SourceError('SOURCE_UNREACHABLE', `Prometheus at ${options.baseUrl} could not be reached for ${request.what}${detail ? `: ${detail}` : ''}`, {
      cause: error,
      retryable: true,
    }),
    true,
  );
}

/** undici hides the useful part (ECONNREFUSED...) in `cause`. */
function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${current.message} (${code})` : current.message);
    current = current.cause;
  }
  return quote(parts.join(': ').slice(0, 300));
}

interface Envelope {
  readonly status: 'success' | 'error';
  readonly body: Record<string, unknown>;
  readonly warnings: string[];
}

function invalidData(what: string, problem: string, status: number): SourceError {
  const cause = new VigilError('INVALID_DATA', `Prometheus ${what}: ${problem}`);
  return new SourceError('SOURCE_ERROR', `Prometheus ${what} returned an invalid response: ${problem}`, { cause, status, retryable: false });
}

function parseEnvelope(text: string, what: string, status: number): Envelope {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const cause = new VigilError('INVALID_DATA', `Prometheus ${what}: the body is not JSON (${(error as Error).message})`, { cause: error });
    throw new AttemptFailure(new SourceError('SOURCE_ERROR', `Prometheus ${what} returned a body that is not JSON`, { cause, status, retryable: false }), false);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new AttemptFailure(invalidData(what, 'the body is not a JSON object', status), false);
  const record = body as Record<string, unknown>;
  if (record.status !== 'success' && record.status !== 'error') throw new AttemptFailure(invalidData(what, '"status" is neither "success" nor "error"', status), false);
  const warnings: string[] = [];
  for (const key of ['warnings', 'infos'] as const) {
    const list = record[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw new AttemptFailure(invalidData(what, `"${key}" is not an array`, status), false);
    for (const item of list) {
      if (warnings.length >= MAX_WARNINGS) break;
      if (typeof item === 'string') warnings.push(item.slice(0, MAX_QUOTED_CHARS));
    }
  }
  if (warnings.length >= MAX_WARNINGS) warnings.push('further warnings from Prometheus were dropped');
  return { status: record.status, body: record, warnings };
}

/** Maps a Prometheus error envelope (`errorType`, `error`) to a SourceError. */
function prometheusError(what: string, status: number, envelope: Envelope): SourceError {
  const errorType = typeof envelope.body.errorType === 'string' ? envelope.body.errorType : 'unknown';
  const message = typeof envelope.body.error === 'string' ? envelope.body.error.slice(0, MAX_QUOTED_CHARS) : `${errorType} error`;
  switch (errorType) {
    case 'bad_data':
    case 'execution':
      return new SourceError('BAD_QUERY', message, { status, retryable: false });
    case 'timeout':
    case 'canceled':
      return new SourceError('SOURCE_TIMEOUT', `Prometheus ${what}: ${message}`, { status, retryable: true });
    default:
      break;
  }
  if (status === 401 || status === 403) return new SourceError('UNAUTHORIZED', `Prometheus ${what}: ${message}`, { status, retryable: false });
  if (status === 400 || status === 422) return new SourceError('BAD_QUERY', message, { status, retryable: false });
  return new SourceError('SOURCE_ERROR', `Prometheus ${what} failed (${errorType}, HTTP ${status}): ${message}`, { status, retryable: status === 429 || status >= 500 });
}

/** Retry-After in ms, from seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - Date.now());
}

/** Reads the body as UTF-8 text, failing as soon as it grows past `maxBytes`. */
async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const tooLarge = () => new VigilError('INVALID_DATA', `the response is larger than maxResponseBytes (${maxBytes} bytes)`);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const decoder = new TextDecoder('utf-8');
  if (response.body === null) {
    // Some fetch implementations have no streams; the declared length was checked above.
    const buffer = await response.arrayBuffer();
    if (buffer.byteLength > maxBytes) throw tooLarge();
    return decoder.decode(buffer);
  }
  const reader = response.body.getReader();
  const chunks: string[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(decoder.decode(value, { stream: true }));
  }
  chunks.push(decoder.decode());
  return chunks.join('');
}

/** Server text made safe to show: control characters replaced. */
function quote(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '?'); // eslint-disable-line no-control-regex
}

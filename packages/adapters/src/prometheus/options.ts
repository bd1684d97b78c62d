import { ValidationError } from '@vigil/core/errors';

/** Options of `createPrometheusSource`. Only `url` is required. */
export interface PrometheusSourceOptions {
  /**
   * Base URL of the Prometheus server (or anything speaking its HTTP API: Thanos, Mimir, VictoriaMetrics...),
   * `http:` or `https:`, optionally with a path prefix: `http://localhost:9090`, `https://example.com/prometheus`.
   */
  readonly url: string;
  /** Stable id for cache keys. Default `prometheus:<url>`. */
  readonly id?: string;
  /** The fetch to use (for auth wrappers, proxies, tests). Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Extra headers sent with every request, such as `Authorization`. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Deadline of one call in milliseconds, covering every attempt and every wait between retries. Default 30 000.
   * It is also sent to Prometheus as the query `timeout`, so the server stops working on a query nobody waits for.
   */
  readonly timeoutMs?: number;
  /**
   * How many times a failed request is repeated, default 2 (so at most 3 attempts). Only network errors, 429 and
   * 502/503/504 are retried; never an abort, a timeout, a bad query or an auth failure. All requests this adapter
   * makes are reads, so repeating them is safe.
   */
  readonly retries?: number;
  /** First backoff delay in ms, doubled at each retry, with jitter. Default 250. */
  readonly retryDelayMs?: number;
  /**
   * Largest response body accepted, in bytes. Default 64 MiB. A larger body is cut off and the call fails with
   * `SOURCE_ERROR`, so a broken or hostile server cannot exhaust memory.
   */
  readonly maxResponseBytes?: number;
  /**
   * HTTP method for `query`, `query_range`, `series` and `labels`. Default `POST` (form-encoded, like Grafana),
   * which has no URL length limit; use `GET` for proxies that only allow GET.
   */
  readonly method?: 'GET' | 'POST';
  /** Default tick interval of `subscribe`, in ms. Default 15 000. */
  readonly liveIntervalMs?: number;
}

export interface ResolvedOptions {
  readonly baseUrl: string;
  readonly id: string;
  readonly fetch: typeof fetch;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly maxResponseBytes: number;
  readonly method: 'GET' | 'POST';
  readonly liveIntervalMs: number;
}

/** Longest timeout accepted: one day. setTimeout overflows past 2^31 - 1 ms anyway. */
const MAX_TIMEOUT_MS = 86_400_000;

function optionalInteger(value: unknown, path: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(path, `an integer in [${min}, ${max}]`, value);
  }
  return value;
}

/** Validates the options and fills in defaults. Every problem is a ValidationError naming the field. */
export function resolveOptions(options: PrometheusSourceOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an options object with a url', options);
  const { url } = options;
  if (typeof url !== 'string' || url.length === 0) throw new ValidationError('options.url', 'an http(s) URL string', url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError('options.url', 'an absolute http(s) URL such as http://localhost:9090', url);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ValidationError('options.url', 'an http: or https: URL', url);
  if (parsed.search !== '' || parsed.hash !== '') throw new ValidationError('options.url', 'a URL without query string or fragment', url);
  const baseUrl = `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;

  if (options.id !== undefined && (typeof options.id !== 'string' || options.id.length === 0)) throw new ValidationError('options.id', 'a non-empty string', options.id);
  if (options.fetch !== undefined && typeof options.fetch !== 'function') throw new ValidationError('options.fetch', 'a fetch function', options.fetch);
  const fetchImpl = options.fetch ?? (typeof fetch === 'function' ? fetch : undefined);
  if (fetchImpl === undefined) throw new ValidationError('options.fetch', 'a fetch function (this runtime has no global fetch)', undefined);

  const headers: Record<string, string> = {};
  if (options.headers !== undefined) {
    if (options.headers === null || typeof options.headers !== 'object' || Array.isArray(options.headers)) {
      throw new ValidationError('options.headers', 'an object of header names to string values', options.headers);
    }
    for (const [name, value] of Object.entries(options.headers)) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new ValidationError('options.headers', 'valid HTTP header names', name);
      if (typeof value !== 'string' || /[\r\n\0]/.test(value)) throw new ValidationError(`options.headers.${name}`, 'a string without CR, LF or NUL', value);
      headers[name] = value;
    }
  }

  const method = options.method ?? 'POST';
  if (method !== 'GET' && method !== 'POST') throw new ValidationError('options.method', '"GET" or "POST"', method);

  return {
    baseUrl,
    id: options.id ?? `prometheus:${baseUrl}`,
    // Calling a detached global fetch throws "Illegal invocation" in browsers; bind it to the global object.
    fetch: options.fetch ?? fetchImpl.bind(globalThis),
    headers,
    timeoutMs: optionalInteger(options.timeoutMs, 'options.timeoutMs', 30_000, 1, MAX_TIMEOUT_MS),
    retries: optionalInteger(options.retries, 'options.retries', 2, 0, 10),
    retryDelayMs: optionalInteger(options.retryDelayMs, 'options.retryDelayMs', 250, 0, 60_000),
    maxResponseBytes: optionalInteger(options.maxResponseBytes, 'options.maxResponseBytes', 64 * 1024 * 1024, 1024, 2 ** 31 - 1),
    method,
    liveIntervalMs: optionalInteger(options.liveIntervalMs, 'options.liveIntervalMs', 15_000, 1000, MAX_TIMEOUT_MS),
  };
}

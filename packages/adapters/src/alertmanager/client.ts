import { SourceError, ValidationError, abortError, throwIfAborted } from '@vigil/core/errors';

/** An Alertmanager matcher: `=` (isEqual, not isRegex), `!=`, `=~`, `!~`. Regexes are fully anchored by Alertmanager. */
export interface AlertmanagerMatcher {
  readonly name: string;
  readonly value: string;
  readonly isRegex: boolean;
  /** Default true. */
  readonly isEqual?: boolean;
}

/** An alert to post. Times are epoch ms (sent as RFC 3339). Vigil's `Alert` fits (its extra fields are ignored). */
export interface AlertmanagerPostableAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly startsAt?: number;
  /** A past `endsAt` resolves the alert. */
  readonly endsAt?: number;
  readonly generatorURL?: string;
}

/** An alert as Alertmanager reports it. Times are epoch ms. */
export interface AlertmanagerAlert {
  readonly fingerprint: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly updatedAt: number;
  readonly generatorURL: string | undefined;
  readonly receivers: string[];
  readonly state: 'active' | 'suppressed' | 'unprocessed';
  /** Ids of the silences muting it. */
  readonly silencedBy: string[];
  /** Fingerprints of the alerts inhibiting it. */
  readonly inhibitedBy: string[];
}

/** One aggregation group of Alertmanager's dispatcher. */
export interface AlertmanagerAlertGroup {
  /** The group's labels (the route's `group_by` labels the alerts have). */
  readonly labels: Record<string, string>;
  readonly receiver: string;
  readonly alerts: AlertmanagerAlert[];
}

export interface AlertmanagerSilenceInput {
  /** Set to update an existing silence (Alertmanager may expire it and answer with a new id). */
  readonly id?: string;
  readonly matchers: readonly AlertmanagerMatcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
}

export interface AlertmanagerSilence {
  readonly id: string;
  readonly matchers: AlertmanagerMatcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly updatedAt: number;
  readonly createdBy: string;
  readonly comment: string;
  readonly state: 'active' | 'pending' | 'expired';
}

/** Filters for `getAlerts` and `getAlertGroups` (Alertmanager's query parameters). */
export interface AlertmanagerAlertFilter {
  /** Only alerts matching every matcher. */
  readonly matchers?: readonly AlertmanagerMatcher[];
  /** Include active (not muted) alerts; default true. */
  readonly active?: boolean;
  /** Include silenced alerts; default true. */
  readonly silenced?: boolean;
  /** Include inhibited alerts; default true. */
  readonly inhibited?: boolean;
  /** `getAlerts` only: include alerts not processed yet; default true. */
  readonly unprocessed?: boolean;
  /** A regex on the receiver name. */
  readonly receiver?: string;
  readonly signal?: AbortSignal;
}

export interface AlertmanagerClientOptions {
  /** Base URL, such as `http://alertmanager:9093` (a path prefix is kept). */
  readonly url: string;
  /** Per-request timeout, ms. Default 10 000. */
  readonly timeoutMs?: number;
  /** Extra headers (an `Authorization` for a proxy, say). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
}

export interface AlertmanagerClient {
  /** POST /api/v2/alerts. */
  postAlerts(alerts: readonly AlertmanagerPostableAlert[], options?: { readonly signal?: AbortSignal }): Promise<void>;
  /** GET /api/v2/alerts. */
  getAlerts(filter?: AlertmanagerAlertFilter): Promise<AlertmanagerAlert[]>;
  /** GET /api/v2/alerts/groups. */
  getAlertGroups(filter?: AlertmanagerAlertFilter): Promise<AlertmanagerAlertGroup[]>;
  /** POST /api/v2/silences; resolves with the silence id. */
  postSilence(silence: AlertmanagerSilenceInput, options?: { readonly signal?: AbortSignal }): Promise<string>;
  /** GET /api/v2/silences. */
  getSilences(filter?: { readonly matchers?: readonly AlertmanagerMatcher[]; readonly signal?: AbortSignal }): Promise<AlertmanagerSilence[]>;
  /** GET /api/v2/silence/{id}; rejects with NOT_FOUND for an unknown id. */
  getSilence(id: string, options?: { readonly signal?: AbortSignal }): Promise<AlertmanagerSilence>;
  /** DELETE /api/v2/silence/{id}. */
  expireSilence(id: string, options?: { readonly signal?: AbortSignal }): Promise<void>;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MAX_BODY_BYTES = 64 * 1024 * 1024;

function checkLabels(labels: unknown, path: string, required: boolean): void {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) throw new ValidationError(path, 'an object of label names to string values', labels);
  const names = Object.keys(labels);
  if (required && names.length === 0) throw new ValidationError(path, 'at least one label', labels);
  for (const name of names) {
    if (required && !LABEL_NAME.test(name)) throw new ValidationError(`${path}.${name}`, 'a label name matching [a-zA-Z_][a-zA-Z0-9_]*', name);
    const value = (labels as Record<string, unknown>)[name];
    if (typeof value !== 'string') throw new ValidationError(`${path}.${name}`, 'a string', value);
  }
}

function checkTime(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 253_402_300_799_000) throw new ValidationError(path, 'epoch milliseconds between 1970 and 9999', value);
  return value;
}

function checkMatchers(matchers: unknown, path: string, requireOne: boolean): AlertmanagerMatcher[] {
  if (!Array.isArray(matchers) || (requireOne && matchers.length === 0)) throw new ValidationError(path, requireOne ? 'a non-empty array of matchers' : 'an array of matchers', matchers);
  return matchers.map((m: unknown, i) => {
    const p = `${path}[${i}]`;
    if (typeof m !== 'object' || m === null) throw new ValidationError(p, 'a matcher { name, value, isRegex, isEqual }', m);
    const { name, value, isRegex, isEqual } = m as Record<string, unknown>;
    if (typeof name !== 'string' || !LABEL_NAME.test(name)) throw new ValidationError(`${p}.name`, 'a label name', name);
    if (typeof value !== 'string') throw new ValidationError(`${p}.value`, 'a string', value);
    if (typeof isRegex !== 'boolean') throw new ValidationError(`${p}.isRegex`, 'a boolean', isRegex);
    if (isEqual !== undefined && typeof isEqual !== 'boolean') throw new ValidationError(`${p}.isEqual`, 'a boolean', isEqual);
    if (isRegex) {
      try {
        new RegExp(`^(?:${value})$`);
      } catch {
        throw new ValidationError(`${p}.value`, 'a valid regular expression', value);
      }
    }
    return { name, value, isRegex, isEqual: isEqual ?? true };
  });
}

/** Alertmanager's `filter` parameter syntax: `name="value"`, `name!="value"`, `name=~"re"`, `name!~"re"`. */
export function formatMatcher(matcher: AlertmanagerMatcher): string {
  const op = `${matcher.isEqual === false ? '!' : ''}${matcher.isRegex ? '=~' : '='}`.replace('!=~', '!~');
  const escaped = matcher.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `${matcher.name}${op}"${escaped}"`;
}

const iso = (ms: number) => new Date(ms).toISOString();

function parseTime(value: unknown, path: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw invalid(`${path} is not an RFC 3339 time`);
  return ms;
}

function invalid(detail: string): SourceError {
  return new SourceError('SOURCE_ERROR', `Alertmanager sent an invalid response: ${detail}`, { retryable: false });
}

function stringRecord(value: unknown, path: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${path} is not an object`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw invalid(`${path}.${k} is not a string`);
    out[k] = v;
  }
  return out;
}

function stringArray(value: unknown, path: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw invalid(`${path} is not an array of strings`);
  return value as string[];
}

function parseAlert(value: unknown, path: string): AlertmanagerAlert {
  if (typeof value !== 'object' || value === null) throw invalid(`${path} is not an object`);
  const a = value as Record<string, unknown>;
  if (typeof a.fingerprint !== 'string') throw invalid(`${path}.fingerprint is not a string`);
  const status = (a.status ?? {}) as Record<string, unknown>;
  const state = status.state;
  if (state !== 'active' && state !== 'suppressed' && state !== 'unprocessed') throw invalid(`${path}.status.state is ${JSON.stringify(state)}`);
  const receivers: string[] = [];
  if (Array.isArray(a.receivers)) for (const r of a.receivers) if (typeof (r as { name?: unknown } | null)?.name === 'string') receivers.push((r as { name: string }).name);
  return {
    fingerprint: a.fingerprint,
    labels: stringRecord(a.labels, `${path}.labels`),
    annotations: a.annotations === undefined ? {} : stringRecord(a.annotations, `${path}.annotations`),
    startsAt: parseTime(a.startsAt, `${path}.startsAt`),
    endsAt: parseTime(a.endsAt, `${path}.endsAt`),
    updatedAt: parseTime(a.updatedAt, `${path}.updatedAt`),
    generatorURL: typeof a.generatorURL === 'string' && a.generatorURL !== '' ? a.generatorURL : undefined,
    receivers,
    state,
    silencedBy: stringArray(status.silencedBy, `${path}.status.silencedBy`),
    inhibitedBy: stringArray(status.inhibitedBy, `${path}.status.inhibitedBy`),
  };
}

function parseSilence(value: unknown, path: string): AlertmanagerSilence {
  if (typeof value !== 'object' || value === null) throw invalid(`${path} is not an object`);
  const s = value as Record<string, unknown>;
  if (typeof s.id !== 'string') throw invalid(`${path}.id is not a string`);
  const state = (s.status as { state?: unknown } | undefined)?.state;
  if (state !== 'active' && state !== 'pending' && state !== 'expired') throw invalid(`${path}.status.state is ${JSON.stringify(state)}`);
  if (!Array.isArray(s.matchers)) throw invalid(`${path}.matchers is not an array`);
  const matchers = s.matchers.map((m: unknown, i) => {
    const x = (m ?? {}) as Record<string, unknown>;
    if (typeof x.name !== 'string' || typeof x.value !== 'string' || typeof x.isRegex !== 'boolean') throw invalid(`${path}.matchers[${i}] is not a matcher`);
    return { name: x.name, value: x.value, isRegex: x.isRegex, isEqual: typeof x.isEqual === 'boolean' ? x.isEqual : true };
  });
  return {
    id: s.id,
    matchers,
    startsAt: parseTime(s.startsAt, `${path}.startsAt`),
    endsAt: parseTime(s.endsAt, `${path}.endsAt`),
    updatedAt: parseTime(s.updatedAt, `${path}.updatedAt`),
    createdBy: typeof s.createdBy === 'string' ? s.createdBy : '',
    comment: typeof s.comment === 'string' ? s.comment : '',
    state,
  };
}

/**
 * A typed client for the Alertmanager v2 API: post and read alerts and alert groups, create, read and expire
 * silences. Inputs are validated (ValidationError with the field path); failures are `SourceError`s:
 * `SOURCE_UNREACHABLE`, `SOURCE_TIMEOUT`, `BAD_QUERY` (400/422, with Alertmanager's message), `UNAUTHORIZED`,
 * `NOT_FOUND`, `ABORTED` or `SOURCE_ERROR` (5xx, or a response that is not the documented shape).
 *
 * @example
 * const am = createAlertmanagerClient({ url: 'http://127.0.0.1:9093' });
 * await am.postAlerts([{ labels: { alertname: 'HighErrorRate', service: 'api' }, annotations: { summary: 'errors' }, startsAt: Date.now() }]);
 * const id = await am.postSilence({ matchers: [{ name: 'service', value: 'api', isRegex: false }], startsAt: Date.now(), endsAt: Date.now() + 3_600_000, createdBy: 'ops', comment: 'deploy' });
 */
export function createAlertmanagerClient(options: AlertmanagerClientOptions): AlertmanagerClient {
  if (typeof options !== 'object' || options === null) throw new ValidationError('options', 'an object with url', options);
  let base: URL;
  try {
    base = new URL(options.url);
  } catch {
    throw new ValidationError('options.url', 'an absolute http(s) URL', options.url);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new ValidationError('options.url', 'an absolute http(s) URL', options.url);
  const root = base.href.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw new ValidationError('options.timeoutMs', 'a number > 0', timeoutMs);

  const call = async (method: 'GET' | 'POST' | 'DELETE', path: string, what: string, signal: AbortSignal | undefined, body?: unknown): Promise<unknown> => {
    throwIfAborted(signal, `Alertmanager ${what}`);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('timeout'));
    }, timeoutMs);
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let response: Response;
      try {
        response = await (options.fetch ?? globalThis.fetch)(`${root}${path}`, {
          method,
          headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...options.headers },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: controller.signal,
        });
      } catch (error) {
        if (timedOut) throw new SourceError('SOURCE_TIMEOUT', `Alertmanager ${what} did not answer within ${timeoutMs} ms`, { retryable: true, cause: error });
        if (signal?.aborted) throw abortError(signal, `Alertmanager ${what}`);
        throw new SourceError('SOURCE_UNREACHABLE', `Alertmanager at ${base.origin} could not be reached for ${what}`, { retryable: true, cause: error });
      }
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        if (timedOut) throw new SourceError('SOURCE_TIMEOUT', `Alertmanager ${what} did not answer within ${timeoutMs} ms`, { retryable: true, cause: error });
        if (signal?.aborted) throw abortError(signal, `Alertmanager ${what}`);
        throw new SourceError('SOURCE_UNREACHABLE', `Alertmanager ${what}: the connection broke while reading the answer`, { retryable: true, cause: error });
      }
      if (text.length > MAX_BODY_BYTES) throw new SourceError('SOURCE_ERROR', `Alertmanager ${what}: the answer is larger than ${MAX_BODY_BYTES} bytes`, { retryable: false });
      const status = response.status;
      if (status >= 200 && status < 300) {
        if (text.trim() === '') return undefined;
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw invalid(`${what} answered HTTP ${status} with text that is not JSON`);
        }
      }
      const message = text.trim().slice(0, 500);
      if (status === 400 || status === 422) throw new SourceError('BAD_QUERY', `Alertmanager rejected the ${what} (HTTP ${status}): ${message}`, { status, retryable: false });
      if (status === 401 || status === 403) throw new SourceError('UNAUTHORIZED', `Alertmanager refused the credentials for ${what} (HTTP ${status})`, { status, retryable: false });
      if (status === 404) throw new SourceError('NOT_FOUND', `Alertmanager ${what}: not found (HTTP 404)${message === '' ? '' : `: ${message}`}`, { status, retryable: false });
      throw new SourceError('SOURCE_ERROR', `Alertmanager ${what} failed with HTTP ${status}${message === '' ? '' : `: ${message}`}`, { status, retryable: status === 429 || status >= 500 });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  };

  const query = (filter: AlertmanagerAlertFilter, withUnprocessed: boolean): string => {
    const params = new URLSearchParams();
    for (const m of checkMatchers(filter.matchers ?? [], 'filter.matchers', false)) params.append('filter', formatMatcher(m));
    for (const key of ['active', 'silenced', 'inhibited', ...(withUnprocessed ? ['unprocessed'] : [])] as const) {
      const value = filter[key as 'active'];
      if (value === undefined) continue;
      if (typeof value !== 'boolean') throw new ValidationError(`filter.${key}`, 'a boolean', value);
      params.set(key, String(value));
    }
    if (filter.receiver !== undefined) {
      if (typeof filter.receiver !== 'string') throw new ValidationError('filter.receiver', 'a regular expression string', filter.receiver);
      params.set('receiver', filter.receiver);
    }
    const text = params.toString();
    return text === '' ? '' : `?${text}`;
  };

  const checkId = (id: unknown): string => {
    if (typeof id !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(id)) throw new ValidationError('id', 'a silence id (a UUID)', id);
    return id;
  };

  return {
    async postAlerts(alerts, callOptions = {}) {
      if (!Array.isArray(alerts)) throw new ValidationError('alerts', 'an array of alerts', alerts);
      const body = alerts.map((alert, i) => {
        const path = `alerts[${i}]`;
        if (typeof alert !== 'object' || alert === null) throw new ValidationError(path, 'an alert { labels, annotations?, startsAt?, endsAt? }', alert);
        checkLabels(alert.labels, `${path}.labels`, true);
        if (alert.annotations !== undefined) checkLabels(alert.annotations, `${path}.annotations`, false);
        const startsAt = alert.startsAt === undefined ? undefined : checkTime(alert.startsAt, `${path}.startsAt`);
        const endsAt = alert.endsAt === undefined ? undefined : checkTime(alert.endsAt, `${path}.endsAt`);
        if (startsAt !== undefined && endsAt !== undefined && endsAt < startsAt) throw new ValidationError(`${path}.endsAt`, `a time at or after startsAt (${startsAt})`, endsAt);
        if (alert.generatorURL !== undefined && typeof alert.generatorURL !== 'string') throw new ValidationError(`${path}.generatorURL`, 'a string', alert.generatorURL);
        return {
          labels: { ...alert.labels },
          annotations: { ...alert.annotations },
          ...(startsAt === undefined ? {} : { startsAt: iso(startsAt) }),
          ...(endsAt === undefined ? {} : { endsAt: iso(endsAt) }),
          ...(alert.generatorURL === undefined ? {} : { generatorURL: alert.generatorURL }),
        };
      });
      await call('POST', '/api/v2/alerts', 'post alerts', callOptions.signal, body);
    },
    async getAlerts(filter = {}) {
      const data = await call('GET', `/api/v2/alerts${query(filter, true)}`, 'get alerts', filter.signal);
      if (!Array.isArray(data)) throw invalid('get alerts did not answer with an array');
      return data.map((a, i) => parseAlert(a, `alerts[${i}]`));
    },
    async getAlertGroups(filter = {}) {
      const data = await call('GET', `/api/v2/alerts/groups${query(filter, false)}`, 'get alert groups', filter.signal);
      if (!Array.isArray(data)) throw invalid('get alert groups did not answer with an array');
      return data.map((g: unknown, i) => {
        const group = (g ?? {}) as Record<string, unknown>;
        if (!Array.isArray(group.alerts)) throw invalid(`groups[${i}].alerts is not an array`);
        const receiver = (group.receiver as { name?: unknown } | undefined)?.name;
        return {
          labels: stringRecord(group.labels ?? {}, `groups[${i}].labels`),
          receiver: typeof receiver === 'string' ? receiver : '',
          alerts: group.alerts.map((a, j) => parseAlert(a, `groups[${i}].alerts[${j}]`)),
        };
      });
    },
    async postSilence(silence, callOptions = {}) {
      if (typeof silence !== 'object' || silence === null) throw new ValidationError('silence', 'a silence { matchers, startsAt, endsAt, createdBy, comment }', silence);
      const matchers = checkMatchers(silence.matchers, 'silence.matchers', true);
      const startsAt = checkTime(silence.startsAt, 'silence.startsAt');
      const endsAt = checkTime(silence.endsAt, 'silence.endsAt');
      if (endsAt <= startsAt) throw new ValidationError('silence.endsAt', `a time after startsAt (${startsAt})`, endsAt);
      if (typeof silence.createdBy !== 'string' || silence.createdBy.trim() === '') throw new ValidationError('silence.createdBy', 'a non-empty string', silence.createdBy);
      if (typeof silence.comment !== 'string' || silence.comment.trim() === '') throw new ValidationError('silence.comment', 'a non-empty string', silence.comment);
      const body = {
        ...(silence.id === undefined ? {} : { id: checkId(silence.id) }),
        matchers,
        startsAt: iso(startsAt),
        endsAt: iso(endsAt),
        createdBy: silence.createdBy,
        comment: silence.comment,
      };
      const data = (await call('POST', '/api/v2/silences', 'post silence', callOptions.signal, body)) as { silenceID?: unknown } | undefined;
      if (typeof data?.silenceID !== 'string') throw invalid('post silence did not answer with a silenceID');
      return data.silenceID;
    },
    async getSilences(filter = {}) {
      const params = new URLSearchParams();
      for (const m of checkMatchers(filter.matchers ?? [], 'filter.matchers', false)) params.append('filter', formatMatcher(m));
      const text = params.toString();
      const data = await call('GET', `/api/v2/silences${text === '' ? '' : `?${text}`}`, 'get silences', filter.signal);
      if (!Array.isArray(data)) throw invalid('get silences did not answer with an array');
      return data.map((s, i) => parseSilence(s, `silences[${i}]`));
    },
    async getSilence(id, callOptions = {}) {
      const data = await call('GET', `/api/v2/silence/${encodeURIComponent(checkId(id))}`, 'get silence', callOptions.signal);
      return parseSilence(data, 'silence');
    },
    async expireSilence(id, callOptions = {}) {
      await call('DELETE', `/api/v2/silence/${encodeURIComponent(checkId(id))}`, 'expire silence', callOptions.signal);
    },
  };
}

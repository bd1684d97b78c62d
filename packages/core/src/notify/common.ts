import type { Alert, AlertGroup } from './types';
import { singleLine } from './escape';

/**
 * Shared, format-free pieces of every message. Nothing here escapes: each builder escapes for its own format.
 */

/** `alertname` of the group (from the common labels, else the first alert), or "alert". */
export function groupAlertName(group: AlertGroup): string {
  return group.commonLabels.alertname ?? group.alerts[0]?.labels.alertname ?? 'alert';
}

/** Counts of firing and resolved alerts. */
export function countByStatus(group: AlertGroup): { firing: number; resolved: number } {
  let firing = 0;
  for (const alert of group.alerts) if (alert.status === 'firing') firing++;
  return { firing, resolved: group.alerts.length - firing };
}

/** `key=value` pairs, sorted by key, space separated (plain, unescaped). */
export function formatLabels(labels: Readonly<Record<string, string>>, skip: ReadonlySet<string> = new Set()): string {
  return Object.keys(labels)
    .filter((key) => !skip.has(key))
    .sort()
    .map((key) => `${key}=${labels[key] ?? ''}`)
    .join(' ');
}

/**
 * A one-line title like Alertmanager's default: `[FIRING:2] HighErrorRate (service=api)` (plain, unescaped).
 */
export function groupTitle(group: AlertGroup): string {
  const { firing } = countByStatus(group);
  const head = group.status === 'firing' ? `[FIRING:${firing}]` : '[RESOLVED]';
  const labels = formatLabels(group.groupLabels, new Set(['alertname']));
  return singleLine(`${head} ${groupAlertName(group)}${labels === '' ? '' : ` (${labels})`}`);
}

/** The alert's summary annotation, else its description, else its alertname (plain, unescaped). */
export function alertSummary(alert: Alert): string {
  return alert.annotations.summary ?? alert.annotations.description ?? alert.labels.alertname ?? alert.fingerprint;
}

/** The group's severity: the common `severity` label, else the most severe among the alerts. */
export function groupSeverity(group: AlertGroup): string | undefined {
  const common = group.commonLabels.severity;
  if (common !== undefined) return common;
  let best: string | undefined;
  let bestRank = -1;
  for (const alert of group.alerts) {
    const severity = alert.labels.severity;
    if (severity === undefined) continue;
    const rank = SEVERITY_RANK[severity.toLowerCase()] ?? 0;
    if (rank > bestRank) {
      best = severity;
      bestRank = rank;
    }
  }
  return best;
}

const SEVERITY_RANK: Record<string, number> = { info: 1, none: 0, low: 1, warning: 2, warn: 2, medium: 2, error: 3, high: 3, major: 3, critical: 4, page: 4, fatal: 4 };

/** ISO 8601 text of an epoch-ms time. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Keeps the largest prefix `n` of the alerts (from `max` down to 0) for which `fits(build(n))` holds, by binary
 * search. Builders use it to drop alerts (and say "and N more") when a payload would exceed a platform limit; their
 * per-field caps make `build(0)` always fit.
 */
export function fitAlertCount<T>(max: number, build: (count: number) => T, fits: (payload: T) => boolean): T {
  const full = build(max);
  if (fits(full)) return full;
  let low = 0;
  let high = max - 1;
  let best = build(0);
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const payload = build(mid);
    if (fits(payload)) {
      best = payload;
      low = mid + 1;
    } else high = mid - 1;
  }
  return best;
}

/** UTF-8 byte length of a string, without TextEncoder allocation per call site. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * A stable 64-bit FNV-1a hash of the UTF-16 text, as 16 hex digits (for dedup keys; not a security hash).
 *
 * @example
 * stableHash('{}:{alertname="X"}') // 16 hex digits, always the same for the same text
 */
export function stableHash(text: string): string {
  // Two independent 32-bit FNV-1a lanes (different offset bases) make 64 bits without BigInt.
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** Joins already-escaped pieces with `separator`, leaving out whole pieces that would exceed `maxLength`. */
export function joinWithin(pieces: readonly string[], separator: string, maxLength: number): string {
  let out = '';
  for (const piece of pieces) {
    const next = out === '' ? piece : `${out}${separator}${piece}`;
    if (next.length <= maxLength) out = next;
  }
  return out;
}

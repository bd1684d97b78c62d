import type { Alert } from '@vigil/core/alerting';

/** Alerts of one severity, in display order. */
export interface SeverityGroup {
  /** The `severity` label ('' when the alert has none). */
  readonly severity: string;
  readonly alerts: readonly Alert[];
}

const SEVERITY_RANK: Readonly<Record<string, number>> = { critical: 0, page: 1, error: 2, warning: 3, ticket: 4, info: 5 };

function rank(severity: string): number {
  return SEVERITY_RANK[severity] ?? (severity === '' ? 100 : 50);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Groups firing alerts by their `severity` label: critical, page, error, warning, ticket, info, then any other
 * severity by name, then alerts without one. Inside a group the alert firing longest comes first (ties by name,
 * then fingerprint, so the order is stable). Resolved alerts are left out.
 *
 * @example
 * groupAlertsBySeverity(alerts).map((g) => `${g.severity}: ${g.alerts.length}`) // ['critical: 2', 'warning: 5']
 */
export function groupAlertsBySeverity(alerts: readonly Alert[]): SeverityGroup[] {
  const bySeverity = new Map<string, Alert[]>();
  for (const alert of alerts) {
    if (alert === null || typeof alert !== 'object' || alert.status === 'resolved') continue;
    const severity = alert.labels?.['severity'] ?? '';
    let list = bySeverity.get(severity);
    if (list === undefined) bySeverity.set(severity, (list = []));
    list.push(alert);
  }
  const groups = [...bySeverity.entries()].map(([severity, list]) => ({
    severity,
    alerts: list.sort(
      (a, b) => a.startsAt - b.startsAt || compareText(a.labels['alertname'] ?? '', b.labels['alertname'] ?? '') || compareText(a.fingerprint, b.fingerprint),
    ),
  }));
  return groups.sort((a, b) => rank(a.severity) - rank(b.severity) || compareText(a.severity, b.severity));
}

/**
 * The URL when it is an absolute http(s) URL, else undefined: annotation values are untrusted, and a
 * `javascript:` or `data:` link must never become an `href`.
 *
 * @example
 * safeLink('https://runbooks.example/checkout') // 'https://runbooks.example/checkout'
 * safeLink('javascript:alert(1)')               // undefined
 */
export function safeLink(url: string | undefined): string | undefined {
  if (typeof url !== 'string' || url.trim() === '') return undefined;
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

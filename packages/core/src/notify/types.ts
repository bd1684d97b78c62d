/**
 * The alert shapes notifications are about. They are structurally the same as `@vigil/core/alerting`'s (and close to
 * Alertmanager's): notify does not import the alerting engine, so a host may also feed it alerts from elsewhere.
 * Times are epoch milliseconds.
 */

/** One alert instance: one rule and one label set. */
export interface Alert {
  /** Stable hash of the sorted label set (including `alertname`). */
  readonly fingerprint: string;
  readonly status: 'firing' | 'resolved';
  /** Includes `alertname` and usually `severity`. */
  readonly labels: Readonly<Record<string, string>>;
  /** `summary`, `description`, `runbook_url` ... already templated, plain text (untrusted). */
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: number;
  readonly endsAt?: number;
  readonly generatorURL?: string;
}

/** What one notification is about: the alerts that share a group's labels. */
export interface AlertGroup {
  readonly groupKey: string;
  readonly receiver: string;
  readonly status: 'firing' | 'resolved';
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly commonAnnotations: Readonly<Record<string, string>>;
  readonly alerts: readonly Alert[];
}

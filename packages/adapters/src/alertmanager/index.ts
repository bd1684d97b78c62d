/**
 * `@vigil/adapters/alertmanager`: a typed client for the Prometheus Alertmanager v2 API (alerts, alert groups,
 * silences), so Vigil can push its alerts to an existing Alertmanager and read alerts and silences back.
 */
export { createAlertmanagerClient, formatMatcher } from './client';
export type {
  AlertmanagerAlert,
  AlertmanagerAlertFilter,
  AlertmanagerAlertGroup,
  AlertmanagerClient,
  AlertmanagerClientOptions,
  AlertmanagerMatcher,
  AlertmanagerPostableAlert,
  AlertmanagerSilence,
  AlertmanagerSilenceInput,
} from './client';

/**
 * The alerting engine: rules (query, reducer, condition, hysteresis, `for`, keep-firing-for, no-data and error
 * handling, safe templates), a deterministic evaluator (state machine per series and label set, grouping,
 * silences, maintenance windows, inhibition, escalation, history, snapshot/restore), backtesting and Prometheus
 * rule export. Pure functions over columnar data; no dependencies. See docs/alerting.md.
 */
export type * from './types';
export { ALERT_SEVERITIES, ALERT_REDUCER_TYPES, THRESHOLD_OPERATORS, ALERT_CONDITION_TYPES, NO_DATA_BEHAVIORS } from './types';

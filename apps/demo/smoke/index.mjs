// Per-tab smoke checks, one module per area so each can grow on its own.
import alerts from './alerts.mjs';
import anomalies from './anomalies.mjs';
import cost from './cost.mjs';
import traces from './traces.mjs';

export const tabChecks = [alerts, traces, anomalies, cost];

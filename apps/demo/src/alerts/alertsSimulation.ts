import type { DataSource } from '@vigil/core';
import { createSimulatedSource, type ScriptedIncident } from '@vigil/adapters/simulated';

const MINUTE = 60_000;

/** What the Alerts tab's simulation is built from (plain data: it crosses into a worker). */
export interface AlertsSimulationOptions {
  readonly seed: number;
  /** Frozen "now" (`?now=`), or undefined for real time. */
  readonly frozenNow: number | undefined;
  /** The instant the scripted incidents are placed around (the tab's first render). */
  readonly anchor: number;
}

/**
 * The incidents the Alerts tab's rules are there to catch, placed relative to when the tab opened: a checkout 5xx
 * burst that started 25 minutes ago and is still going (the error-rate rule fires critical), and a payments
 * slowdown 50 minutes ago that lasted 15 minutes (the latency rule fired and resolved: it shows in the history).
 */
export function scriptedIncidents(anchor: number): ScriptedIncident[] {
  return [
    { service: 'checkout', start: anchor - 25 * MINUTE, durationMs: 3 * 60 * MINUTE, errorRatio: 0.15, latencyFactor: 1.5, severity: 'critical', title: 'Checkout 5xx burst (scripted)' },
    { service: 'payments', start: anchor - 50 * MINUTE, durationMs: 15 * MINUTE, errorRatio: 0.01, latencyFactor: 5, severity: 'warning', title: 'Payments slowdown (scripted)' },
  ];
}

/** The Alerts tab's simulated source (same fleet and seed as the rest of the demo, plus the scripted incidents). */
export function createAlertsSimulation(options: AlertsSimulationOptions): DataSource {
  const frozen = options.frozenNow;
  return createSimulatedSource({
    seed: options.seed,
    id: 'demo-alerts-tab',
    ...(frozen === undefined ? {} : { now: () => frozen }),
    incidents: { scripted: scriptedIncidents(options.anchor) },
  });
}

import type { Period, TimeWindow, TimeWindowInput } from '../windows';

/** How the error budget is counted. Names as in OpenSLO. */
export type BudgetingMethod = 'Occurrences' | 'Timeslices' | 'RatioTimeslices';

export type { LabelMatcher } from '../promql';
import type { LabelMatcher } from '../promql';

/**
 * Where a metric lives in Prometheus, for rule generation. Either a metric name with matchers (Vigil builds and
 * escapes the selector), or a raw PromQL selector such as `http_requests_total{code!~"5.."}` (used as written).
 * The engine itself never reads these: data is handed in as `SLIEvents`.
 */
export type MetricQuery =
  | { readonly metric: string; readonly matchers?: Readonly<Record<string, string>> | readonly LabelMatcher[] }
  | { readonly promql: string };

/** Good (or bad) events over total events, from counters. */
export interface RatioSLI {
  readonly kind: 'ratio';
  readonly good?: MetricQuery;
  readonly bad?: MetricQuery;
  readonly total?: MetricQuery;
}

/** The share of requests at or under a latency threshold. */
export interface LatencySLI {
  readonly kind: 'latency';
  readonly thresholdMs: number;
  /** For rule generation: the histogram metric (base name, without `_bucket`). */
  readonly histogram?: {
    readonly metric: string;
    readonly matchers?: Readonly<Record<string, string>> | readonly LabelMatcher[];
    /** `classic` (`_bucket` series with an `le` label, default) or `native`. */
    readonly type?: 'classic' | 'native';
    /** Unit of the histogram's bounds; default `seconds` (Prometheus convention). */
    readonly unit?: 'seconds' | 'milliseconds';
    /** Exact `le` label value of the threshold bucket when it is not written as the plain number (e.g. `"0.30"`). */
    readonly le?: string;
  };
}

/** Share of successful probes (synthetic checks), e.g. blackbox exporter's `probe_success` gauge of 1 and 0. */
export interface AvailabilitySLI {
  readonly kind: 'availability';
  readonly probe?: MetricQuery;
}

export type SLIDefinition = RatioSLI | LatencySLI | AvailabilitySLI;

/** One tier of a multi-window, multi-burn-rate policy, as written by a user. */
export interface AlertTierInput {
  /** Unique within the policy; default `<severity>-<longWindow>`, such as `page-1h`. */
  readonly name?: string;
  /** Becomes the `severity` label; usually `page` or `ticket`. */
  readonly severity: string;
  /** Burn-rate factor (relative to the policy's `referenceWindow` when set). Give this or `budgetConsumed`. */
  readonly burnRate?: number;
  /** Share of the whole budget the long window consumes at the threshold, e.g. 0.02. Give this or `burnRate`. */
  readonly budgetConsumed?: number;
  readonly longWindow: string | number;
  /** Default: longWindow / 12, as in the SRE Workbook. */
  readonly shortWindow?: string | number;
  /** How long the condition must hold before the alert fires (Prometheus `for`); default 0. */
  readonly for?: string | number;
}

/** A multi-window, multi-burn-rate alert policy as written by a user. */
export interface AlertPolicyInput {
  readonly tiers: readonly AlertTierInput[];
  /**
   * The SLO window the `burnRate` factors were written for. When set and different from the SLO's window, factors
   * are rescaled so each tier still consumes the same share of the budget over its long window. Default: none
   * (factors used as written).
   */
  readonly referenceWindow?: string | number;
}

/** A resolved tier: windows in ms and the factor for this SLO's window. */
export interface AlertTier {
  readonly name: string;
  readonly severity: string;
  /** Burn-rate factor for this SLO's window. */
  readonly burnRate: number;
  /** Share of the whole budget consumed over the long window at exactly this burn rate: burnRate * long / window. */
  readonly budgetConsumed: number;
  readonly longWindowMs: number;
  readonly shortWindowMs: number;
  readonly forMs: number;
  /** Error ratio above which the tier fires: burnRate * (1 - target). */
  readonly errorRatioThreshold: number;
  /** False when errorRatioThreshold >= 1: the tier can never fire (the target is too loose for this factor). */
  readonly reachable: boolean;
}

/** A time range excluded from the budget: events in it do not count at all. */
export interface MaintenanceWindow extends Period {
  readonly reason?: string;
}

/** Thresholds of the status. */
export interface StatusThresholds {
  /** At risk when less than this share of the budget remains; default 0.25. */
  readonly atRiskRemaining: number;
  /**
   * At risk when the projected exhaustion comes within this many ms. Default: the time left in the period for a
   * calendar window, one tenth of the window for a rolling one (3 days for 30 days).
   */
  readonly atRiskExhaustionWithinMs: number | null;
}

/** What `defineSLO` accepts. */
export interface SLOInput {
  /** Identifier: letters, digits, `_`, `-`, `.` and `:`, starting with a letter or digit. Becomes the `slo` label. */
  readonly name: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly service?: string;
  /** Extra labels carried onto generated rules and alerts. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly sli: SLIDefinition;
  /** Target share of good events (or good slices), in (0, 1), e.g. 0.999. Or give `targetPercent`. */
  readonly target?: number;
  readonly targetPercent?: number;
  /** Default: a rolling 30 days. */
  readonly window?: TimeWindowInput;
  /** Default: Occurrences. */
  readonly budgetingMethod?: BudgetingMethod;
  /** Required by the Timeslices methods. */
  readonly timeslice?: {
    readonly duration: string | number;
    /** Timeslices only: a slice is good when its own good/total ratio is >= this. */
    readonly target?: number;
  };
  /**
   * Timeslices methods: what a slice with no events counts as. `ignore` (default) leaves it out, `good` and `bad`
   * count it as such.
   */
  readonly noDataSlices?: 'ignore' | 'good' | 'bad';
  /** Default: the SRE Workbook policy scaled to the window; `false` for none. */
  readonly alerting?: AlertPolicyInput | false;
  /** Budget corrections: excluded from the budget. */
  readonly maintenance?: readonly MaintenanceWindow[];
  readonly status?: Partial<StatusThresholds>;
  /** Window of the burn rate used to project exhaustion; default 1h. */
  readonly projectionWindow?: string | number;
}

/** A validated, normalised SLO, as `defineSLO` returns it. Frozen. */
export interface SLO {
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly service: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly sli: SLIDefinition;
  readonly target: number;
  /** 1 - target: the error budget as a share of events (or slices). */
  readonly errorBudget: number;
  readonly window: TimeWindow;
  readonly budgetingMethod: BudgetingMethod;
  readonly timeslice: { readonly durationMs: number; readonly target: number } | null;
  readonly noDataSlices: 'ignore' | 'good' | 'bad';
  readonly alertTiers: readonly AlertTier[];
  readonly maintenance: readonly MaintenanceWindow[];
  readonly status: StatusThresholds;
  readonly projectionWindowMs: number;
}

/**
 * URL parameters of the demo. All are optional; anything invalid falls back to the default (and is reported
 * once with console.warn, never thrown: a typo in a URL must not blank the app).
 *
 * - `seed`     integer seed of the simulated source (reproducible data and screenshots). Default 42.
 * - `tick`     live tick interval in ms, 100..60000 (the smoke test uses a short one). Default 5000.
 * - `now`      freeze the simulated clock at this instant (epoch ms or ISO date) for pixel-stable screenshots;
 *              implies live off.
 * - `range`    initial time range: 1h, 6h, 24h or 7d. Default 1h.
 * - `live`     0 to start paused. Default on.
 * - `service`  initial service filter. Default all services.
 * - `theme`    light, dark or high-contrast; overrides the stored choice for this visit only.
 * - `fail`     make part of the simulated source fail, to see the error states: `latency` (histogram queries),
 *              `errors` (5xx queries), `events`, `traces` (trace search and lookup) or `all`.
 */
export interface DemoParams {
  readonly seed: number;
  readonly tickMs: number;
  readonly frozenNow: number | undefined;
  readonly range: RangeKey;
  readonly live: boolean;
  readonly service: string | undefined;
  readonly theme: ThemeName | undefined;
  readonly fail: FailureMode | undefined;
}

export const FAILURE_MODES = ['latency', 'errors', 'events', 'traces', 'all'] as const;
export type FailureMode = (typeof FAILURE_MODES)[number];

export const RANGE_KEYS = ['1h', '6h', '24h', '7d'] as const;
export type RangeKey = (typeof RANGE_KEYS)[number];

export const RANGE_MS: Readonly<Record<RangeKey, number>> = {
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
};

export const RANGE_LABEL: Readonly<Record<RangeKey, string>> = {
  '1h': 'Last 1 hour',
  '6h': 'Last 6 hours',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
};

export const THEMES = ['light', 'dark', 'high-contrast'] as const;
export type ThemeName = (typeof THEMES)[number];

export const DEFAULT_SEED = 42;
export const DEFAULT_TICK_MS = 5000;

function isOneOf<T extends string>(list: readonly T[], value: string | null): value is T {
  return value !== null && (list as readonly string[]).includes(value);
}

/** Parses the demo's URL parameters; see the module comment for the list. */
export function readParams(search: string): DemoParams {
  const query = new URLSearchParams(search);
  const problems: string[] = [];

  let seed = DEFAULT_SEED;
  const seedText = query.get('seed');
  if (seedText !== null) {
    const parsed = Number(seedText);
    if (Number.isSafeInteger(parsed) && parsed >= 0) seed = parsed;
    else problems.push(`seed must be a non-negative integer, got "${seedText}"`);
  }

  let tickMs = DEFAULT_TICK_MS;
  const tickText = query.get('tick');
  if (tickText !== null) {
    const parsed = Number(tickText);
    if (Number.isFinite(parsed) && parsed >= 100 && parsed <= 60_000) tickMs = Math.round(parsed);
    else problems.push(`tick must be a number of ms between 100 and 60000, got "${tickText}"`);
  }

  let frozenNow: number | undefined;
  const nowText = query.get('now');
  if (nowText !== null) {
    const parsed = /^\d+$/.test(nowText) ? Number(nowText) : Date.parse(nowText);
    if (Number.isFinite(parsed) && parsed > 0) frozenNow = parsed;
    else problems.push(`now must be epoch ms or an ISO date, got "${nowText}"`);
  }

  const rangeText = query.get('range');
  let range: RangeKey = '1h';
  if (isOneOf(RANGE_KEYS, rangeText)) range = rangeText;
  else if (rangeText !== null) problems.push(`range must be one of ${RANGE_KEYS.join(', ')}, got "${rangeText}"`);

  const liveText = query.get('live');
  const live = frozenNow === undefined && liveText !== '0' && liveText !== 'false';

  const serviceText = query.get('service');
  const service = serviceText !== null && serviceText.trim() !== '' ? serviceText : undefined;

  const themeText = query.get('theme');
  let theme: ThemeName | undefined;
  if (isOneOf(THEMES, themeText)) theme = themeText;
  else if (themeText !== null) problems.push(`theme must be one of ${THEMES.join(', ')}, got "${themeText}"`);

  const failText = query.get('fail');
  let fail: FailureMode | undefined;
  if (isOneOf(FAILURE_MODES, failText)) fail = failText;
  else if (failText !== null) problems.push(`fail must be one of ${FAILURE_MODES.join(', ')}, got "${failText}"`);

  if (problems.length > 0) console.warn(`Vigil demo: ignoring URL parameters: ${problems.join('; ')}`);
  return { seed, tickMs, frozenNow, range, live, service, theme, fail };
}

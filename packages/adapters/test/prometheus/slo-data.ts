/**
 * Synthetic SLI counters for the SLO engine's real-Prometheus tests: the OpenMetrics text to backfill, and the same
 * per-minute increments as columns, so that the tests compute every expectation with the TypeScript engine from the
 * raw data and never from Prometheus.
 *
 * Shape of the data (chosen so that the one difference between Prometheus and the engine, see
 * `docs/slo.md#verified-against-prometheus`, stays small and is easy to bound):
 * - 31 days of samples exactly on the minute: one every minute for the last 3 days and 6 hours (every alert window,
 *   up to 3d, sees only these at the times the tests evaluate), and one a day before that (only the 28d and 30d
 *   windows reach there). promtool writes one TSDB block per two hours that hold samples and reads the input once
 *   per block, so 31 days of one-minute samples would take minutes to import on a busy machine; the daily part keeps
 *   it to about 70 blocks. `rate()` over 28d or 30d reads only the first and last samples in the window (and any
 *   counter drop between), so the sparse part changes nothing but the length of the first interval;
 * - constant traffic per minute, and an error rate that is constant between a handful of change points: a steady
 *   baseline, an old two-hour episode ten days back, and a 20-minute burst three hours before the end;
 * - two counter resets (every series of a "process" restarts at the same sample), one 15 days back and one two hours
 *   before the end, after the burst, where rates are constant. The sample after a reset holds exactly that minute's
 *   increments, as a restarted process would report;
 * - counters start high, so no window ever reaches the start of the data or a zero-valued first sample (where
 *   Prometheus limits its extrapolation).
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** One counter written to OpenMetrics, with its cumulative values (after resets) per minute. */
export interface CounterSeries {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly values: Float64Array;
}

/** Increments per minute of one SLO's good (or bad) and total events. */
export interface SLOIncrements {
  /** Increments per scrape interval; index k is the interval ending at `times[k]` (k = 0 carries none). */
  readonly total: Float64Array;
  readonly bad: Float64Array;
}

export interface SLODataset {
  /** Sample times (epoch ms, whole minutes): daily, then every minute from `fineFrom`. */
  readonly times: Float64Array;
  /** First sample of the one-minute part. */
  readonly fineFrom: number;
  /** Last sample time. */
  readonly end: number;
  /** `checkout`: good/total counters. */
  readonly checkout: SLOIncrements;
  /** `search`: one counter per status code; bad = code 500. */
  readonly search: SLOIncrements;
  readonly counters: readonly CounterSeries[];
  /** Times of the change points, for the docs and for debugging. */
  readonly events: { readonly burstStart: number; readonly burstEnd: number; readonly resets: readonly number[]; readonly oldEpisode: { start: number; end: number } };
  readonly openMetrics: string;
}

function labelText(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

/** Cumulative counter from increments, restarting from 0 at each reset index (the value there is that interval's increment). */
function cumulative(increments: Float64Array, start: number, resets: ReadonlySet<number>): Float64Array {
  const out = new Float64Array(increments.length);
  let v = start;
  for (let k = 0; k < increments.length; k++) {
    if (resets.has(k)) v = increments[k] as number;
    else v += increments[k] as number;
    out[k] = v;
  }
  return out;
}

/**
 * Builds the dataset ending at `end` (epoch ms, a whole minute in the past).
 *
 * | minutes | checkout (2000/min) | search (1000/min) |
 * |---|---|---|
 * | baseline | 1 bad (0.05%) | 2 bad (0.2%) |
 * | old episode, 10 days back, 2 h | 40 bad (2%) | 20 bad (2%) |
 * | burst, 3 h to 2 h 40 min before the end | 100 bad (5%) | 60 bad (6%) |
 */
export function buildSLODataset(end: number): SLODataset {
  if (end % HOUR !== 0) throw new Error('end must be a whole hour');
  const first = end - 31 * DAY;
  const fineFrom = end - 3 * DAY - 6 * HOUR;
  const list: number[] = [];
  for (let t = first; t < fineFrom; t += DAY) list.push(t);
  for (let t = fineFrom; t <= end; t += MINUTE) list.push(t);
  const times = Float64Array.from(list);
  const count = times.length;
  const index = (t: number): number => list.indexOf(t);
  const burstStart = end - 3 * HOUR;
  const burstEnd = burstStart + 20 * MINUTE;
  const oldEpisode = { start: end - 10 * DAY, end: end - 10 * DAY + 2 * HOUR };
  const resets = [end - 15 * DAY, end - 2 * HOUR];
  const resetIndexes = new Set(resets.map(index));

  const make = (rate: number, baseline: number, episode: number, burst: number): SLOIncrements => {
    const total = new Float64Array(count);
    const bad = new Float64Array(count);
    for (let k = 1; k < count; k++) {
      // The interval (times[k - 1], times[k]], minute by minute.
      for (let m = (times[k - 1] as number) + MINUTE; m <= (times[k] as number); m += MINUTE) {
        total[k] = (total[k] as number) + rate;
        bad[k] = (bad[k] as number) + (m > burstStart && m <= burstEnd ? burst : m > oldEpisode.start && m <= oldEpisode.end ? episode : baseline);
      }
    }
    return { total, bad };
  };
  const checkout = make(2000, 1, 40, 100);
  const search = make(1000, 2, 20, 60);

  const goodIncrements = checkout.total.map((t, k) => t - (checkout.bad[k] as number));
  const okIncrements = search.total.map((t, k) => t - (search.bad[k] as number));
  const counters: CounterSeries[] = [
    { name: 'vigil_slo_requests_total', labels: { service: 'checkout' }, values: cumulative(checkout.total, 5_000_000, resetIndexes) },
    { name: 'vigil_slo_requests_good_total', labels: { service: 'checkout' }, values: cumulative(goodIncrements, 4_990_000, resetIndexes) },
    { name: 'vigil_slo_http_requests_total', labels: { code: '200', service: 'search' }, values: cumulative(okIncrements, 3_000_000, resetIndexes) },
    { name: 'vigil_slo_http_requests_total', labels: { code: '500', service: 'search' }, values: cumulative(search.bad, 7_000, resetIndexes) },
  ];

  const lines: string[] = [];
  const families = [...new Set(counters.map((c) => c.name))];
  for (const family of families) {
    const base = family.replace(/_total$/, '');
    lines.push(`# HELP ${base} Synthetic SLI counter.`, `# TYPE ${base} counter`);
    for (const c of counters.filter((x) => x.name === family)) {
      const labels = labelText(c.labels);
      for (let k = 0; k < count; k++) lines.push(`${c.name}${labels} ${c.values[k]} ${(times[k] as number) / 1000}`);
    }
  }
  lines.push('# EOF');
  return {
    times,
    fineFrom,
    end,
    checkout,
    search,
    counters,
    events: { burstStart, burstEnd, resets, oldEpisode },
    openMetrics: `${lines.join('\n')}\n`,
  };
}

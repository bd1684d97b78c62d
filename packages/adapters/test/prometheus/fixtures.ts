/**
 * Known data for the real-Prometheus tests: the OpenMetrics text to seed Prometheus with, and the same raw samples
 * as columns, so the tests compute their expectations from the source data rather than from Prometheus.
 *
 * Samples are "scraped" every 15 s at 7 s past a 15 s boundary, so no sample ever sits exactly on the edge of a
 * window that ends on a whole minute: Prometheus 2 (closed windows) and 3 (left-open windows) then agree.
 */

export interface RawSeries {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Epoch ms. */
  readonly timestamps: number[];
  readonly values: number[];
}

export interface Fixture {
  readonly openMetrics: string;
  /** Every series written, by name and labels. */
  readonly series: readonly RawSeries[];
  /** Epoch ms of the first whole minute of the data. */
  readonly origin: number;
  /** Epoch ms of the last sample. */
  readonly lastSample: number;
  readonly scrapeIntervalMs: number;
  /** The classic histogram's bucket bounds, without +Inf. */
  readonly bucketBounds: readonly number[];
  /** A label value with a quote, a backslash and a newline, on `vigil_http_requests_total{job="web"}`. */
  readonly awkwardPath: string;
}

/** A small deterministic generator (mulberry32), so every run writes the same numbers. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** OpenMetrics label value escaping: backslash, double quote and newline. */
function escapeOpenMetrics(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeOpenMetrics(v)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

/**
 * One hour of data starting at `origin` (epoch ms, a whole hour some hours ago): three request counters (one with
 * a counter reset, one with an awkward label value), a gauge, and a classic latency histogram.
 */
export function buildFixture(origin: number): Fixture {
  const scrapeIntervalMs = 15_000;
  const points = 241; // one hour and one scrape
  const times = Array.from({ length: points }, (_, k) => origin + 7_000 + k * scrapeIntervalMs);
  const next = random(42);
  const awkwardPath = '/a"b\\c\nd';
  const series: RawSeries[] = [];

  const counter = (labels: Record<string, string>, start: number, maxStep: number, resetAt?: number) => {
    const values: number[] = [];
    let v = start;
    for (let k = 0; k < points; k++) {
      if (k === resetAt) v = Math.floor(next() * 3); // the process restarted
      else if (k > 0) v += Math.floor(next() * maxStep);
      values.push(v);
    }
    series.push({ name: 'vigil_http_requests_total', labels, timestamps: times, values });
  };
  counter({ job: 'api', code: '200' }, 5_000, 40, 120);
  counter({ job: 'api', code: '500' }, 100, 4, 200);
  counter({ job: 'web', code: '200', path: awkwardPath }, 1_000, 10);

  const gauge: number[] = [];
  for (let k = 0; k < points; k++) gauge.push(Math.round((50 + 30 * Math.sin(k / 20) + next() * 5) * 1000) / 1000);
  series.push({ name: 'vigil_queue_depth', labels: { queue: 'orders' }, timestamps: times, values: gauge });

  // Classic histogram: cumulative bucket counters that start high (so extrapolation never clamps at zero).
  const bucketBounds = [0.05, 0.1, 0.25, 0.5, 1];
  const buckets = [...bucketBounds, Infinity].map(() => [] as number[]);
  const count: number[] = [];
  const sum: number[] = [];
  const perBucket = new Array<number>(bucketBounds.length + 1).fill(0).map((_, i) => 1_000 * (i + 1));
  let total = perBucket.reduce((a, b) => a + b, 0);
  let totalSum = 1_234.5;
  for (let k = 0; k < points; k++) {
    if (k > 0) {
      const observations = 20 + Math.floor(next() * 20);
      for (let o = 0; o < observations; o++) {
        const latency = Math.exp(Math.log(0.12) + 0.9 * (next() + next() + next() - 1.5)); // roughly lognormal
        let b = bucketBounds.findIndex((bound) => latency <= bound);
        if (b === -1) b = bucketBounds.length;
        perBucket[b] = (perBucket[b] as number) + 1;
        total++;
        totalSum += latency;
      }
    }
    let cumulative = 0;
    for (let b = 0; b < perBucket.length; b++) {
      cumulative += perBucket[b] as number;
      buckets[b]?.push(cumulative);
    }
    count.push(total);
    sum.push(Math.round(totalSum * 1e6) / 1e6);
  }
  [...bucketBounds, Infinity].forEach((bound, b) => {
    series.push({ name: 'vigil_request_duration_seconds_bucket', labels: { le: bound === Infinity ? '+Inf' : String(bound) }, timestamps: times, values: buckets[b] as number[] });
  });
  series.push({ name: 'vigil_request_duration_seconds_count', labels: {}, timestamps: times, values: count });
  series.push({ name: 'vigil_request_duration_seconds_sum', labels: {}, timestamps: times, values: sum });

  // OpenMetrics text: one family at a time; a histogram's samples grouped per timestamp.
  const lines: string[] = [];
  const sampleLines = (s: RawSeries) => s.timestamps.map((t, k) => `${s.name}${labelText(s.labels)} ${s.values[k]} ${t / 1000}`);
  lines.push('# HELP vigil_http_requests Requests served.', '# TYPE vigil_http_requests counter');
  for (const s of series.filter((x) => x.name === 'vigil_http_requests_total')) lines.push(...sampleLines(s));
  lines.push('# HELP vigil_queue_depth Jobs waiting.', '# TYPE vigil_queue_depth gauge');
  for (const s of series.filter((x) => x.name === 'vigil_queue_depth')) lines.push(...sampleLines(s));
  lines.push('# HELP vigil_request_duration_seconds Request latency.', '# TYPE vigil_request_duration_seconds histogram');
  const histogramParts = series.filter((x) => x.name.startsWith('vigil_request_duration_seconds'));
  for (let k = 0; k < points; k++) {
    for (const s of histogramParts) lines.push(`${s.name}${labelText(s.labels)} ${s.values[k]} ${(s.timestamps[k] as number) / 1000}`);
  }
  lines.push('# EOF');
  return { openMetrics: `${lines.join('\n')}\n`, series, origin, lastSample: times[points - 1] as number, scrapeIntervalMs, bucketBounds, awkwardPath };
}

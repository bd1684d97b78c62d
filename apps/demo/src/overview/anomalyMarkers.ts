import type { Series, SourceEvent } from '@vigil/core';
import { detectAnomalies } from '@vigil/core/anomaly';
import type { AnomalyExplanation, DetectAnomaliesOptions } from '@vigil/core/anomaly';

/**
 * The Overview's detector: the ensemble, with a short warm-up and season search, because each chart holds about
 * 240 points (the step grows with the range), not days of history.
 */
export const OVERVIEW_DETECTOR: DetectAnomaliesOptions = { detector: 'ensemble', options: { seasonal: { maxPeriod: 20, warmup: 60 } } };

const number = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

/**
 * Anomaly markers for a live chart: runs the detector over each series (bounded: one pass over the ~240 visible
 * points per series), merges flags less than `gapSteps` steps apart into one episode, and keeps the `max` most
 * likely episodes as alert events at the episode's first flag, titled with the peak's value, expected value and band.
 *
 * @example
 * anomalyMarkers(p99Series, 'ms') // [{ id: 'anomaly-p99-…', kind: 'alert', severity: 'warning', title: 'p99 anomaly: 870 ms, expected 240 ms …', time }]
 */
export function anomalyMarkers(series: readonly Series[], unit: string, { max = 6, gapSteps = 4, detector = OVERVIEW_DETECTOR }: { max?: number; gapSteps?: number; detector?: DetectAnomaliesOptions } = {}): SourceEvent[] {
  const episodes: { series: Series; start: AnomalyExplanation; peak: AnomalyExplanation }[] = [];
  for (const s of series) {
    if (s.values.length < 2) continue;
    let result;
    try {
      result = detectAnomalies(s, detector);
    } catch {
      continue; // a malformed series gets no markers; the chart itself reports bad data
    }
    const step = ((s.timestamps[s.timestamps.length - 1] as number) - (s.timestamps[0] as number)) / (s.timestamps.length - 1);
    let current: { series: Series; start: AnomalyExplanation; peak: AnomalyExplanation } | undefined;
    let last = Number.NEGATIVE_INFINITY;
    for (const a of result.anomalies) {
      if (current === undefined || a.timestamp - last > gapSteps * step) {
        current = { series: s, start: a, peak: a };
        episodes.push(current);
      } else if (a.likelihood > current.peak.likelihood) current.peak = a;
      last = a.timestamp;
    }
  }
  const withUnit = (v: number) => `${number.format(v)}${unit === '%' ? '%' : ` ${unit}`}`;
  return episodes
    .sort((a, b) => b.peak.likelihood - a.peak.likelihood || a.start.timestamp - b.start.timestamp)
    .slice(0, max)
    .map(({ series: s, start, peak }) => {
      const name = s.name ?? s.labels['service'] ?? 'series';
      return {
        id: `anomaly-${name}-${start.timestamp}`,
        kind: 'alert' as const,
        severity: 'warning' as const,
        title: `${name} anomaly: ${withUnit(peak.value)}, expected ${withUnit(peak.expected)} (band ${withUnit(peak.lower)}–${withUnit(peak.upper)}, likelihood ${peak.likelihood.toFixed(2)})`,
        time: start.timestamp,
      };
    });
}

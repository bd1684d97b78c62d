// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import fc from 'fast-check';
import type { AnomalyExplanation } from '@vigil/core/anomaly';
import { detectAnomalies } from '@vigil/core/anomaly';
import { holtWintersForecast } from '@vigil/core/forecast';
import { AnomalyChart, strongest } from './AnomalyChart';
import { ForecastChart, crossingSentence } from './ForecastChart';
import { CapacityPlanner, capacityWords } from './CapacityPlanner';
import { forecastIntervals, forecastThresholdCrossing, formatDuration, formatDurationRange, planCapacity, visibleFlags } from './model';
import { constantSeries, DAY, diskSeries, HOUR, latencySeries, STORY_T0 } from './story-data';

afterEach(cleanup);

function fakeAnomaly(timestamp: number, likelihood: number, index = 0): AnomalyExplanation {
  return { detector: 'zscore', timestamp, index, value: 1, expected: 0, lower: -1, upper: 1, score: 5, likelihood, threshold: 3, isAnomaly: true, direction: 'above', reason: 'test' };
}

describe('visibleFlags', () => {
  it('keeps the most likely anomaly per pixel bucket, counts the rest, in time order (brute-force oracle)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -50, max: 1050 }), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 300 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 20 }),
        (raw, plotWidth, bucketPx) => {
          const anomalies = raw.map(([t, l], i) => fakeAnomaly(t, l, i)).sort((a, b) => a.timestamp - b.timestamp);
          const range = { start: 0, end: 1000 };
          const flags = visibleFlags(anomalies, range, plotWidth, bucketPx, 10_000);
          // Oracle: group the in-range anomalies by bucket by hand.
          const buckets = Math.max(1, Math.floor(plotWidth / bucketPx));
          const groups = new Map<number, number[]>();
          anomalies.forEach((a, i) => {
            if (a.timestamp < 0 || a.timestamp > 1000) return;
            const b = Math.min(buckets - 1, Math.floor((a.timestamp / 1000) * buckets));
            groups.set(b, [...(groups.get(b) ?? []), i]);
          });
          expect(flags.length).toBe(groups.size);
          expect(flags.reduce((sum, f) => sum + f.count, 0)).toBe([...groups.values()].reduce((sum, g) => sum + g.length, 0));
          for (const flag of flags) {
            const group = [...groups.values()].find((g) => g.includes(flag.index));
            expect(group).toBeDefined();
            const max = Math.max(...group!.map((i) => anomalies[i]!.likelihood));
            expect(flag.anomaly.likelihood).toBe(max);
            expect(flag.count).toBe(group!.length);
          }
          for (let i = 1; i < flags.length; i++) expect(flags[i]!.index).toBeGreaterThan(flags[i - 1]!.index);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('caps the number of flags, keeping the most likely', () => {
    const anomalies = Array.from({ length: 1000 }, (_, i) => fakeAnomaly(i, (i * 37) % 1000 / 1000, i));
    const flags = visibleFlags(anomalies, { start: 0, end: 999 }, 10_000, 1, 25);
    expect(flags).toHaveLength(25);
    const kept = flags.map((f) => f.anomaly.likelihood).sort((a, b) => a - b);
    const best = anomalies.map((a) => a.likelihood).sort((a, b) => b - a).slice(0, 25).sort((a, b) => a - b);
    expect(kept).toEqual(best);
  });

  it('returns nothing for an empty range or zero width', () => {
    expect(visibleFlags([fakeAnomaly(5, 1)], { start: 10, end: 10 }, 100)).toEqual([]);
    expect(visibleFlags([fakeAnomaly(5, 1)], { start: 0, end: 10 }, 0)).toEqual([]);
  });
});

describe('forecast intervals and crossings', () => {
  const disk = diskSeries();
  const forecast = holtWintersForecast(disk, { horizon: 96, level: 0.95 });

  it('rebuilds the forecast’s own interval at its own level, and scales others by the published normal quantiles', () => {
    const [same, eighty] = forecastIntervals(forecast, [0.95, 0.8]);
    for (let h = 0; h < 96; h++) {
      expect(same!.lower[h]).toBeCloseTo(forecast.lower[h]!, 9);
      expect(same!.upper[h]).toBeCloseTo(forecast.upper[h]!, 9);
      const half95 = forecast.upper[h]! - forecast.mean[h]!;
      const half80 = eighty!.upper[h]! - forecast.mean[h]!;
      // z(0.90 one-sided) = 1.281552, z(0.975) = 1.959964 (standard normal tables).
      expect(half80 / half95).toBeCloseTo(1.281552 / 1.959964, 5);
    }
  });

  it('rejects levels outside (0, 1)', () => {
    expect(() => forecastIntervals(forecast, [1])).toThrow(/levels\[0\]/);
  });

  it('finds the first crossing of mean and edges (brute force over random columns)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 50 }), fc.double({ min: 0, max: 20, noNaN: true }), fc.double({ min: -100, max: 100, noNaN: true }), (mean, spread, threshold) => {
        const ts = mean.map((_, i) => i * 10);
        const lower = mean.map((m) => m - spread);
        const upper = mean.map((m) => m + spread);
        const c = forecastThresholdCrossing(ts, mean, { lower, upper }, threshold, -1000, 'rising');
        const first = (col: number[]) => {
          const i = col.findIndex((v) => v >= threshold);
          return i < 0 ? null : ts[i]!;
        };
        expect(c.at).toBe(first(mean));
        expect(c.earliest).toBe(first(upper));
        expect(c.latest).toBe(first(lower));
        if (c.earliest !== null && c.at !== null) expect(c.earliest).toBeLessThanOrEqual(c.at);
      }),
    );
  });

  it('says where the forecast crosses, in words', () => {
    const fmt = (t: number) => `t${t}`;
    expect(crossingSentence({ direction: 'rising', at: 50, earliest: 40, latest: 70, alreadyCrossed: false }, 'limit 90%', 0.8, 100, fmt)).toBe('Forecast reaches limit 90% at t50 (80% interval: t40 to t70).');
    expect(crossingSentence({ direction: 'rising', at: null, earliest: null, latest: null, alreadyCrossed: false }, 'limit 90%', 0.8, 100, fmt)).toMatch(/stays below limit 90% until t100/);
    expect(crossingSentence({ direction: 'rising', at: null, earliest: 60, latest: null, alreadyCrossed: false }, 'limit', 0.8, 100, fmt)).toMatch(/reaches it from t60/);
    expect(crossingSentence({ direction: 'rising', at: 0, earliest: 0, latest: 0, alreadyCrossed: true }, 'limit', 0.8, 100, fmt)).toBe('Already at or above limit.');
  });
});

describe('planCapacity and its words', () => {
  const line = (n: number, slopePerDay: number, start = 50) => {
    const timestamps = new Float64Array(n);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      timestamps[i] = STORY_T0 + i * HOUR;
      values[i] = start + (slopePerDay * i) / 24;
    }
    return { timestamps, values };
  };

  it('finds the crossing of an exact line (oracle: solve the line)', () => {
    const series = line(24 * 7, 2); // 50 → 63.9 in a week, +2/day
    const plan = planCapacity(series, 90);
    expect(plan.status).toBe('crossing');
    if (plan.status !== 'crossing') return;
    const lastT = series.timestamps[series.timestamps.length - 1]!;
    const lastV = series.values[series.values.length - 1]!;
    expect((plan.at - lastT) / DAY).toBeCloseTo((90 - lastV) / 2, 6);
    expect(plan.earliest).toBeLessThanOrEqual(plan.at);
    expect(plan.latest === null || plan.latest >= plan.at).toBe(true);
  });

  it('covers every state', () => {
    expect(planCapacity(line(100, 0), 90).status).toBe('beyond-horizon');
    expect(planCapacity(line(100, 1), 90, { horizonMs: DAY }).status).toBe('beyond-horizon');
    expect(planCapacity(line(100, 1, 95), 90).status).toBe('already-over');
    expect(planCapacity(line(5, 1), 90)).toEqual({ status: 'not-enough-data', have: 5, need: 10 });
    expect(planCapacity(undefined, 90)).toEqual({ status: 'not-enough-data', have: 0, need: 10 });
    const nan = line(50, 1);
    nan.values.fill(Number.NaN, 0, 45);
    expect(planCapacity(nan, 90)).toEqual({ status: 'not-enough-data', have: 5, need: 10 });
    const bad = planCapacity(line(50, 1), Number.NaN);
    expect(bad.status).toBe('error');
    const mismatched = { timestamps: Float64Array.from([0, 1, 2]), values: new Float64Array(11).fill(1) };
    expect(planCapacity(mismatched, 90).status).toBe('error');
    // falling: a floor (free space) reached from above
    expect(planCapacity(line(100, -2, 50), 20, { direction: 'falling' }).status).toBe('crossing');
  });

  it('never throws on any input, and a crossing is ordered: now ≤ earliest ≤ at ≤ latest, within the horizon', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double(), fc.constant(Number.NaN)), { maxLength: 60 }),
        fc.oneof(fc.double(), fc.integer({ min: -100, max: 200 })),
        fc.constantFrom<'rising' | 'falling'>('rising', 'falling'),
        (values, limit, direction) => {
          const series = { timestamps: Float64Array.from(values, (_, i) => STORY_T0 + i * HOUR), values: Float64Array.from(values) };
          const horizonMs = 30 * DAY;
          const plan = planCapacity(series, limit, { direction, horizonMs });
          expect(['crossing', 'beyond-horizon', 'already-over', 'not-enough-data', 'error']).toContain(plan.status);
          if (plan.status === 'crossing') {
            expect(plan.earliest).toBeLessThanOrEqual(plan.at);
            expect(plan.at).toBeGreaterThanOrEqual(plan.now);
            expect(plan.at - plan.now).toBeLessThanOrEqual(horizonMs);
            if (plan.latest !== null) expect(plan.latest).toBeGreaterThanOrEqual(plan.at);
          }
          if (!Number.isFinite(limit)) expect(plan.status).toBe('error');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('words: "Disk reaches 90% in 9–14 days (80% interval)"', () => {
    const now = STORY_T0;
    const words = capacityWords(
      { status: 'crossing', now, at: now + 11 * DAY, earliest: now + 9 * DAY, latest: now + 14 * DAY, level: 0.8, currentValue: 71 },
      { resource: 'Disk', limitText: '90%', horizonMs: 30 * DAY, formatTime: () => 'then', formatValue: (v) => `${v}%` },
    );
    expect(words.headline).toBe('Disk reaches 90% in 9–14 days (80% interval)');
    expect(words.detail).toBe('Most likely around then, in 11 days. Now 71%.');
    const open = capacityWords({ status: 'crossing', now, at: now + 11 * DAY, earliest: now + 9 * DAY, latest: null, level: 0.9, currentValue: 71 }, { resource: 'Disk', limitText: '90%', horizonMs: 30 * DAY, formatTime: String, formatValue: String });
    expect(open.headline).toBe('Disk reaches 90% in 9 days or later (90% interval)');
    expect(capacityWords({ status: 'not-enough-data', have: 3, need: 10 }, { resource: 'Disk', limitText: '90%', horizonMs: DAY, formatTime: String, formatValue: String }).detail).toBe('3 of the 10 points needed.');
  });

  it('formats durations at a sensible grain', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(12 * 60_000)).toBe('12 min');
    expect(formatDuration(5 * HOUR)).toBe('5 h');
    expect(formatDuration(DAY * 1.2)).toBe('29 h');
    expect(formatDuration(9 * DAY)).toBe('9 days');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('never');
    expect(formatDurationRange(9 * DAY, 14 * DAY)).toBe('9–14 days');
    expect(formatDurationRange(5 * HOUR, 20 * HOUR)).toBe('5–20 h');
    expect(formatDurationRange(3 * HOUR, 2 * DAY)).toBe('3 h – 2 days');
    expect(formatDurationRange(DAY * 3, DAY * 3)).toBe('3 days');
  });
});

describe('<AnomalyChart>', () => {
  const series = latencySeries();

  it('flags the injected spikes, and a click shows the explanation as text', () => {
    render(<AnomalyChart title="p99 latency" unit="ms" series={series} timeZone="utc" />);
    const toolbar = screen.getByRole('toolbar', { name: /Flagged points/ });
    const flags = within(toolbar).getAllByRole('button');
    expect(flags.length).toBeGreaterThan(0);
    const detection = detectAnomalies(series);
    const spikeTimes = [700, 1010].map((i) => series.timestamps[i]!);
    const flaggedTimes = detection.anomalies.map((a) => a.timestamp);
    for (const t of spikeTimes) expect(flaggedTimes).toContain(t);
    // Only one tab stop for all the flags.
    expect(flags.filter((b) => b.tabIndex === 0)).toHaveLength(1);
    const spikeIndex = detection.anomalies.findIndex((a) => a.timestamp === spikeTimes[0]);
    const button = toolbar.querySelector(`[data-anomaly-index="${spikeIndex}"]`) as HTMLButtonElement;
    expect(button).not.toBeNull();
    fireEvent.click(button);
    expect(button.getAttribute('aria-pressed')).toBe('true');
    const panel = screen.getByTestId('vigil-anomaly-explanation');
    const anomaly = detection.anomalies[spikeIndex]!;
    expect(within(panel).getByTestId('vigil-anomaly-value').textContent).toContain('ms');
    expect(within(panel).getByTestId('vigil-anomaly-expected').textContent).toBe(`${formatLike(anomaly.expected)} ms`);
    expect(within(panel).getByTestId('vigil-anomaly-band').textContent).toBe(`${formatLike(anomaly.lower)} ms – ${formatLike(anomaly.upper)} ms`);
    expect(within(panel).getByTestId('vigil-anomaly-detector').textContent).toMatch(/^ensemble/);
    expect(panel.textContent).toContain(anomaly.reason);
    fireEvent.click(within(panel).getByRole('button', { name: 'Close' }));
    expect(screen.getByTestId('vigil-anomaly-explanation').textContent).toMatch(/points? flagged/);
  });

  it('keyboard: arrows move along the flags, Enter selects, Escape clears', () => {
    render(<AnomalyChart title="p99 latency" series={series} />);
    const flags = within(screen.getByRole('toolbar')).getAllByRole('button');
    expect(flags.length).toBeGreaterThan(1);
    act(() => flags[0]!.focus());
    fireEvent.keyDown(flags[0]!, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(flags[1]);
    fireEvent.keyDown(flags[1]!, { key: 'End' });
    expect(document.activeElement).toBe(flags[flags.length - 1]);
    fireEvent.keyDown(flags[flags.length - 1]!, { key: 'Home' });
    expect(document.activeElement).toBe(flags[0]);
    fireEvent.click(flags[0]!); // Enter on a native button is a click
    expect(flags[0]!.getAttribute('aria-pressed')).toBe('true');
    fireEvent.keyDown(flags[0]!, { key: 'Escape' });
    expect(flags[0]!.getAttribute('aria-pressed')).toBe('false');
  });

  it('controlled selection, "Show the strongest" and next/previous', () => {
    const result = detectAnomalies(series);
    const calls: (number | null)[] = [];
    const { rerender } = render(<AnomalyChart title="t" result={result} selectedIndex={null} onSelectedIndexChange={(i) => calls.push(i)} />);
    fireEvent.click(screen.getByRole('button', { name: 'Show the strongest' }));
    expect(calls).toEqual([strongest(result.anomalies)]);
    // Controlled: nothing changes until the parent says so.
    expect(screen.queryByRole('button', { name: 'Next flag' })).toBeNull();
    rerender(<AnomalyChart title="t" result={result} selectedIndex={0} onSelectedIndexChange={(i) => calls.push(i)} />);
    expect((screen.getByRole('button', { name: 'Previous flag' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Next flag' }));
    expect(calls.at(-1)).toBe(1);
  });

  it('precomputed result and series + detector give the same flags', () => {
    const result = detectAnomalies(series, { detector: 'robust-zscore', options: { window: 60 } });
    render(<AnomalyChart title="a" result={result} />);
    const a = within(screen.getAllByRole('toolbar')[0]!).getAllByRole('button').map((b) => b.getAttribute('aria-label'));
    cleanup();
    render(<AnomalyChart title="a" series={series} detector={{ detector: 'robust-zscore', options: { window: 60 } }} />);
    const b = within(screen.getAllByRole('toolbar')[0]!).getAllByRole('button').map((x) => x.getAttribute('aria-label'));
    expect(b).toEqual(a);
  });

  it('shows loading, empty and error states, and a bad detector option as an error', () => {
    const { rerender } = render(<AnomalyChart title="x" loading />);
    expect(screen.getByText(/Loading x/)).toBeTruthy();
    rerender(<AnomalyChart title="x" />);
    expect(screen.getByText('No data for this range')).toBeTruthy();
    rerender(<AnomalyChart title="x" error="backend down" />);
    expect(screen.getByRole('alert').textContent).toMatch(/backend down/);
    rerender(<AnomalyChart title="x" series={series} detector={{ detector: 'zscore', options: { window: -3 } }} />);
    expect(screen.getByRole('alert').textContent).toMatch(/window/);
    rerender(<AnomalyChart title="x" result={{ ...detectAnomalies(series), flags: new Uint8Array(2) }} />);
    expect(screen.getByRole('alert').textContent).toMatch(/result\.flags/);
  });

  it('a constant series flags nothing and says so; NaN gaps are fine', () => {
    render(<AnomalyChart title="flat" series={constantSeries()} />);
    expect(screen.queryByRole('toolbar')).toBeNull();
    expect(screen.getByTestId('vigil-anomaly-explanation').textContent).toBe('No points flagged in this series.');
    cleanup();
    render(<AnomalyChart title="gaps" series={latencySeries({ gaps: [[300, 420]] })} />);
    expect(screen.getByRole('toolbar')).toBeTruthy();
  });
});

/** The chart's default value format (3 significant digits). */
function formatLike(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

describe('<ForecastChart> and <CapacityPlanner>', () => {
  it('forecast chart states where the forecast crosses the limit', () => {
    render(<ForecastChart title="Disk" unit="%" series={diskSeries()} horizon={24 * 21} threshold={{ value: 90, label: 'limit 90%' }} timeZone="utc" />);
    expect(screen.getByTestId('vigil-forecast-summary').textContent).toMatch(/^Forecast reaches limit 90% at .+ \(80% interval: .+ to .+\)\./);
  });

  it('forecast chart: no crossing, error and empty states', () => {
    const { rerender } = render(<ForecastChart title="Disk" series={diskSeries()} horizon={24} threshold={{ value: 99 }} />);
    expect(screen.getByTestId('vigil-forecast-summary').textContent).toMatch(/stays below limit 99/);
    rerender(<ForecastChart title="Disk" series={diskSeries()} levels={[1.5]} />);
    expect(screen.getByRole('alert').textContent).toMatch(/levels\[0\]/);
    rerender(<ForecastChart title="Disk" series={{ ...diskSeries(), timestamps: new Float64Array(0), values: new Float64Array(0) }} />);
    expect(screen.getByText('No data for this range')).toBeTruthy();
  });

  it('capacity planner shows each state', () => {
    const { rerender } = render(<CapacityPlanner resource="Disk" series={diskSeries({ days: 7 })} limit={90} limitLabel="90%" />);
    const card = screen.getByRole('region', { name: 'Disk capacity' });
    expect(card.getAttribute('data-status')).toBe('crossing');
    expect(screen.getByTestId('vigil-capacity-headline').textContent).toMatch(/^Disk reaches 90% in \d+(–\d+)? days \(80% interval\)$/);
    rerender(<CapacityPlanner resource="Disk" series={diskSeries({ perDay: 0 })} limit={90} limitLabel="90%" />);
    expect(card.getAttribute('data-status')).toBe('beyond-horizon');
    rerender(<CapacityPlanner resource="Disk" series={diskSeries({ start: 95 })} limit={90} limitLabel="90%" />);
    expect(card.getAttribute('data-status')).toBe('already-over');
    rerender(<CapacityPlanner resource="Disk" series={diskSeries({ days: 0 })} limit={90} />);
    expect(card.getAttribute('data-status')).toBe('not-enough-data');
    rerender(<CapacityPlanner resource="Disk" limit={90} loading />);
    expect(card.getAttribute('data-status')).toBe('loading');
    rerender(<CapacityPlanner resource="Disk" limit={90} error={new Error('no metrics')} />);
    expect(card.getAttribute('data-status')).toBe('error');
    expect(screen.getByRole('alert').textContent).toMatch(/no metrics/);
  });
});

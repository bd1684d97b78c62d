import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { Series } from '@vigil/core';
import { validateRule, type AlertRule, type RuleProblem } from '@vigil/core/alerting';
import fc from 'fast-check';
import { AlertRuleBuilder } from './AlertRuleBuilder';
import { describeConditionValue, previewLines, problemsByField, queryForMetric } from './builder-model';
import { formatChartTime, formatChartValue, withUnit } from '../charts/format';
import { formatElapsed } from './parts';
import { MINUTE, STORY_NOW, syntheticSeries } from './story-data';

const range = { start: STORY_NOW - 3 * 60 * MINUTE, end: STORY_NOW };
const bursts = [
  { start: STORY_NOW - 150 * MINUTE, end: STORY_NOW - 140 * MINUTE, level: 0.2 },
  { start: STORY_NOW - 90 * MINUTE, end: STORY_NOW - 60 * MINUTE, level: 0.2 },
  { start: STORY_NOW - 20 * MINUTE, end: STORY_NOW + MINUTE, level: 0.2 },
];
const series: Series[] = [syntheticSeries('checkout', { service: 'checkout' }, 0.01, 0.3, bursts, 9, { start: range.start - 10 * MINUTE, end: range.end })];

const rule: AlertRule = {
  id: 'errors',
  name: 'HighErrorRate',
  query: { expr: 'error_ratio', stepMs: MINUTE },
  reducer: { type: 'last', windowMs: MINUTE },
  condition: { type: 'threshold', operator: '>', critical: { value: 0.05 } },
  forMs: 0,
};

/** Brute force: maximal runs of ticks whose sample is above the threshold (last value, no `for`, no hysteresis). */
function bruteRuns(s: Series, threshold: number): number {
  let runs = 0;
  let inside = false;
  for (let t = range.start; t <= range.end; t += MINUTE) {
    const i = s.timestamps.indexOf(t);
    const above = i >= 0 && (s.values[i] as number) > threshold;
    if (above && !inside) runs++;
    inside = above;
  }
  return runs;
}

function field(path: string): HTMLElement {
  return document.querySelector(`[data-field="${path}"]`) as HTMLElement;
}

function control(path: string): HTMLInputElement {
  return field(path).querySelector('input, select, textarea') as HTMLInputElement;
}

describe('builder model', () => {
  it('keys validator problems by field path and rewords them', () => {
    const problems: RuleProblem[] = validateRule({ ...rule, forMs: -1, condition: { type: 'threshold', operator: '>' } });
    const byField = problemsByField(problems);
    expect(byField.get('forMs')).toMatch(/^Expected a whole number of milliseconds/);
    expect(byField.get('condition')).toMatch(/^Expected a warning or a critical threshold/);
  });

  it('builds starting queries per metric type, escaping the filter value', () => {
    expect(queryForMetric({ name: 'http_requests_total', type: 'counter' }, { label: 'service', value: 'check"out' })).toBe('sum(rate(http_requests_total{service="check\\"out"}[5m]))');
    expect(queryForMetric({ name: 'http_request_duration_seconds', type: 'histogram' })).toBe('histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))');
    expect(queryForMetric({ name: 'up', type: 'gauge' })).toBe('up');
  });
});

describe('AlertRuleBuilder', () => {
  it('backtests the rule over the range: the count matches a brute-force scan, and each interval is a chart marker', async () => {
    const expected = bruteRuns(series[0] as Series, 0.05);
    expect(expected).toBe(3);
    render(<AlertRuleBuilder defaultValue={rule} series={series} range={range} timeZone="utc" />);
    const preview = screen.getByTestId('vigil-rule-preview');
    await waitFor(() => expect(preview.getAttribute('data-backtest-count')).toBe(String(expected)));
    expect(screen.getByTestId('vigil-backtest-summary').textContent).toMatch(new RegExp(`^Would have fired ${expected} times over the 3h shown`));
    expect(within(preview).getAllByRole('listitem').filter((li) => li.hasAttribute('data-backtest-interval'))).toHaveLength(expected);
    // Raising the threshold above the bursts: nothing fires.
    fireEvent.change(control('condition.critical.value'), { target: { value: '0.5' } });
    await waitFor(() => expect(preview.getAttribute('data-backtest-count')).toBe('0'));
    expect(screen.getByTestId('vigil-backtest-summary').textContent).toMatch(/^Would not have fired/);
  });

  it('emits the rule JSON on every edit (uncontrolled), with the validator’s problems', () => {
    const onChange = vi.fn<(rule: AlertRule, problems: readonly RuleProblem[]) => void>();
    render(<AlertRuleBuilder defaultValue={rule} series={series} range={range} onChange={onChange} />);
    fireEvent.change(control('forMs'), { target: { value: '5m' } });
    expect(onChange.mock.lastCall?.[0].forMs).toBe(5 * MINUTE);
    fireEvent.click(within(document.querySelector('[data-level="warning"]') as HTMLElement).getByRole('checkbox'));
    fireEvent.change(control('condition.warning.value'), { target: { value: '0.02' } });
    fireEvent.change(control('condition.warning.recovery'), { target: { value: '0.015' } });
    const emitted = onChange.mock.lastCall?.[0] as AlertRule;
    expect(emitted.condition).toEqual({ type: 'threshold', operator: '>', critical: { value: 0.05 }, warning: { value: 0.02, recovery: 0.015 } });
    expect(emitted.forMs).toBe(5 * MINUTE);
    expect(onChange.mock.lastCall?.[1]).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Add label' }));
    fireEvent.change(screen.getByLabelText('Label 1 name'), { target: { value: 'team' } });
    fireEvent.change(screen.getByLabelText('Label 1 value'), { target: { value: 'sre' } });
    expect(onChange.mock.lastCall?.[0].labels).toEqual({ team: 'sre' });
  });

  it('puts each validator problem under its field (aria-invalid + aria-describedby) and blocks saving', () => {
    const onSubmit = vi.fn();
    const invalid: AlertRule = { ...rule, name: 'high error rate', condition: { type: 'threshold', operator: '>', critical: { value: 0.05, recovery: 0.09 } } };
    render(<AlertRuleBuilder defaultValue={invalid} series={series} range={range} onSubmit={onSubmit} />);
    const expected = problemsByField(validateRule(invalid));
    expect([...expected.keys()].sort()).toEqual(['condition.critical.recovery', 'name']);
    for (const [path, message] of expected) {
      const input = control(path);
      expect(input.getAttribute('aria-invalid')).toBe('true');
      const ids = (input.getAttribute('aria-describedby') ?? '').split(' ');
      expect(ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ')).toContain(message);
    }
    expect(control('forMs').getAttribute('aria-invalid')).toBe('false');
    expect(screen.getByTestId('vigil-rule-problems').textContent).toBe('2 problems to fix');
    fireEvent.click(screen.getByRole('button', { name: 'Save rule' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toMatch(/2 problems/);
    expect(document.activeElement?.getAttribute('aria-invalid')).toBe('true');
    // Fixing both fields lets it save, with the exact JSON.
    fireEvent.change(control('name'), { target: { value: 'HighErrorRate' } });
    fireEvent.change(control('condition.critical.recovery'), { target: { value: '0.04' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save rule' }));
    expect(onSubmit).toHaveBeenCalledWith({ ...rule, condition: { type: 'threshold', operator: '>', critical: { value: 0.05, recovery: 0.04 } } });
  });

  it('keeps half-typed numbers and durations out of the rule, with a field error', () => {
    const onChange = vi.fn();
    render(<AlertRuleBuilder defaultValue={rule} series={series} range={range} onChange={onChange} />);
    fireEvent.change(control('condition.critical.value'), { target: { value: '0.0x' } });
    expect(control('condition.critical.value').getAttribute('aria-invalid')).toBe('true');
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.change(control('forMs'), { target: { value: '5 min' } });
    expect(field('forMs').textContent).toContain('Enter a duration such as 30s, 5m or 1h30m.');
    expect(onChange).not.toHaveBeenCalled();
  });

  it('is controlled by value: edits are proposed, the form shows the host’s rule', () => {
    const onChange = vi.fn();
    const { rerender } = render(<AlertRuleBuilder value={rule} series={series} range={range} onChange={onChange} />);
    fireEvent.change(control('name'), { target: { value: 'Renamed' } });
    expect(onChange.mock.lastCall?.[0].name).toBe('Renamed');
    expect(control('name').value).toBe('HighErrorRate');
    rerender(<AlertRuleBuilder value={{ ...rule, forMs: 10 * MINUTE }} series={series} range={range} onChange={onChange} />);
    expect(control('forMs').value).toBe('10m');
  });

  it('switches condition types and shows only the fields that apply', async () => {
    render(<AlertRuleBuilder defaultValue={rule} series={series} range={range} />);
    fireEvent.change(control('condition.type'), { target: { value: 'change' } });
    expect(field('condition.direction')).toBeTruthy();
    expect(field('condition.operator')).toBeNull();
    fireEvent.change(control('condition.type'), { target: { value: 'absent' } });
    expect(field('severity')).toBeTruthy();
    expect(document.querySelector('[data-level]')).toBeNull();
    await act(async () => {});
  });

  it('offers the metrics given and fills in a query for the chosen one', () => {
    const onChange = vi.fn();
    render(
      <AlertRuleBuilder
        defaultValue={{ ...rule, query: { expr: '' } }}
        series={series}
        range={range}
        onChange={onChange}
        metrics={[
          { name: 'http_requests_total', type: 'counter' },
          { name: 'up', type: 'gauge' },
        ]}
      />,
    );
    expect(control('query.expr').getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(screen.getByLabelText('Metric'), { target: { value: 'http_requests_total' } });
    expect(onChange.mock.lastCall?.[0].query.expr).toBe('sum(rate(http_requests_total[5m]))');
    expect(control('query.expr').getAttribute('aria-invalid')).toBe('false');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The preview charts the condition value: checked against brute-force reducers over the input samples
// ---------------------------------------------------------------------------------------------------------------

/** Brute force: the mean of the non-NaN samples with timestamps in (t - windowMs, t], NaN when there are none. */
function bruteAvg(s: Series, t: number, windowMs: number): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < s.timestamps.length; i++) {
    const ts = s.timestamps[i] as number;
    const v = s.values[i] as number;
    if (ts > t - windowMs && ts <= t && !Number.isNaN(v)) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? NaN : sum / n;
}

/** Brute force: the newest non-NaN sample with a timestamp in (t - windowMs, t], NaN when there is none. */
function bruteLast(s: Series, t: number, windowMs: number): number {
  let last = NaN;
  for (let i = 0; i < s.timestamps.length; i++) {
    const ts = s.timestamps[i] as number;
    if (ts > t - windowMs && ts <= t && !Number.isNaN(s.values[i] as number)) last = s.values[i] as number;
  }
  return last;
}

/** Brute force: percent change of the window average against `changeMs` earlier (negated for `down`). */
function bruteChange(s: Series, t: number, windowMs: number, changeMs: number, direction: 'up' | 'down'): number {
  const now = bruteAvg(s, t, windowMs);
  const before = bruteAvg(s, t - changeMs, windowMs);
  if (Number.isNaN(now) || Number.isNaN(before) || before === 0) return NaN;
  return ((now - before) / Math.abs(before)) * 100 * (direction === 'down' ? -1 : 1);
}

function ticksOf(r: { start: number; end: number }, stepMs: number): number[] {
  const out: number[] = [];
  for (let t = r.start; t <= r.end; t += stepMs) out.push(t);
  return out;
}

/** The plot's text summary (its aria-describedby). */
function chartSummary(name: RegExp | string): string {
  const plot = screen.getAllByRole('group', { name }).find((el) => el.tabIndex === 0) as HTMLElement;
  return document.getElementById(plot.getAttribute('aria-describedby') as string)?.textContent ?? '';
}

/** The tooltip's heading and its rows, as `key: value` texts. */
function tooltip(preview: HTMLElement): { heading: string; rows: Map<string, string> } {
  const box = preview.querySelector('[aria-live="polite"] .vigil-chart-tooltip');
  const divs = box === null ? [] : [...box.children];
  const rows = new Map<string, string>();
  for (const row of divs.slice(1)) {
    const text = row.textContent ?? '';
    const at = text.lastIndexOf(': ');
    rows.set(text.slice(0, at), text.slice(at + 2));
  }
  return { heading: divs[0]?.textContent ?? '', rows };
}

const fmt = (value: number, unit: string | undefined) => withUnit(formatChartValue(value), unit);

function finiteStats(values: readonly number[]): { min: number; max: number; last: number } {
  const finite = values.filter((v) => Number.isFinite(v));
  return { min: Math.min(...finite), max: Math.max(...finite), last: finite[finite.length - 1] as number };
}

const hourRange = { start: STORY_NOW - 60 * MINUTE, end: STORY_NOW };
/** Latency around 200 ms with one-minute spikes to 1,200 ms (10+ minutes apart), a 7-minute gap of NaN (longer than the window). */
function spiky(): Series {
  const s = syntheticSeries('latency', {}, 200, 0.2, [50, 33, 20].map((ago) => ({ start: STORY_NOW - ago * MINUTE, end: STORY_NOW - (ago - 1) * MINUTE, level: 1200 })), 31, { start: hourRange.start - 10 * MINUTE, end: hourRange.end });
  const values = s.values.slice();
  for (let i = 0; i < s.timestamps.length; i++) {
    const t = s.timestamps[i] as number;
    if (t > STORY_NOW - 12 * MINUTE && t <= STORY_NOW - 5 * MINUTE) values[i] = NaN;
  }
  return { ...s, values };
}

const avgRule: AlertRule = {
  id: 'latency',
  name: 'HighLatency',
  query: { expr: 'latency_p95_ms', stepMs: MINUTE },
  reducer: { type: 'avg', windowMs: 5 * MINUTE },
  condition: { type: 'threshold', operator: '>', warning: { value: 500 }, critical: { value: 800, recovery: 700 } },
  forMs: 0,
};

describe('builder model: the condition value', () => {
  it('describes what the rule compares, with its unit', () => {
    const threshold = { type: 'threshold', operator: '>', critical: { value: 1 } } as const;
    expect(describeConditionValue({ reducer: { type: 'avg', windowMs: 5 * MINUTE }, condition: threshold }, 'ms', formatElapsed)).toEqual({ measure: 'avg over 5m', comparedWith: undefined, window: '5m', short: 'avg 5m', unit: 'ms', sameScaleAsRaw: true });
    expect(describeConditionValue({ reducer: { type: 'percentile', percentile: 95, windowMs: 15 * MINUTE }, condition: threshold }, 'ms', formatElapsed)).toMatchObject({ measure: 'p95 over 15m', short: 'p95 15m', unit: 'ms', sameScaleAsRaw: true });
    expect(describeConditionValue({ reducer: { type: 'rate' }, condition: threshold }, 'req', formatElapsed)).toMatchObject({ measure: 'rate per second over 5m', unit: 'req/s', sameScaleAsRaw: false });
    expect(describeConditionValue({ reducer: { type: 'count', windowMs: MINUTE }, condition: threshold }, 'ms', formatElapsed)).toMatchObject({ measure: 'count of samples over 1m', unit: 'samples', sameScaleAsRaw: false });
    // A metric without a unit (a ratio): no unit at all, not an empty one (the caption said "…its levels, in .").
    expect(describeConditionValue({ reducer: { type: 'last', windowMs: 5 * MINUTE }, condition: threshold }, '', formatElapsed)).toMatchObject({ measure: 'last value (within 5m)', unit: undefined });
    expect(describeConditionValue({ reducer: { type: 'avg', windowMs: 5 * MINUTE }, condition: threshold }, undefined, formatElapsed).unit).toBeUndefined();
    expect(describeConditionValue({ reducer: { type: 'sum', windowMs: MINUTE }, condition: threshold }, 'ms', formatElapsed)).toMatchObject({ measure: 'sum over 1m', unit: 'ms', sameScaleAsRaw: false });
    expect(describeConditionValue({}, undefined, formatElapsed)).toMatchObject({ measure: 'last value (within 5m)', short: 'last value' });
    // An absent rule looks for the absence of the reduced value: that is what it describes.
    expect(describeConditionValue({ reducer: { type: 'max', windowMs: 10 * MINUTE }, condition: { type: 'absent' } }, 'ms', formatElapsed)).toMatchObject({ measure: 'max over 10m', unit: 'ms' });
  });

  it('describes change conditions in percent of the reduced value, against the change window', () => {
    const up = describeConditionValue({ reducer: { type: 'rate', windowMs: 5 * MINUTE }, condition: { type: 'change', direction: 'up', windowMs: 30 * MINUTE, critical: { value: 50 } } }, 'req', formatElapsed);
    expect(up).toEqual({ measure: 'change in % of rate per second over 5m', comparedWith: '30m', window: '5m', short: 'change %', unit: '%', sameScaleAsRaw: false });
    const down = describeConditionValue({ reducer: { type: 'avg', windowMs: 5 * MINUTE }, condition: { type: 'change', direction: 'down', windowMs: 3_600_000, critical: { value: 50 } } }, 'ms', formatElapsed);
    expect(down).toMatchObject({ measure: 'fall in % of avg over 5m', comparedWith: '1h', short: 'fall %', unit: '%' });
  });

  it('charts at most `max` series, those that fired first, each beside its own raw samples', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 5 }), fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }), (n, max, firedFlags) => {
        const raw = Array.from({ length: n }, (_, i) => ({ labels: { instance: `i${i}` }, timestamps: Float64Array.of(i), values: Float64Array.of(100 + i) }));
        const values = raw.map((s, i) => ({ labels: s.labels, timestamps: Float64Array.of(0), values: Float64Array.of(i) }));
        const firing = raw.filter((_, i) => firedFlags[i]).map((s) => ({ fingerprint: s.labels.instance, severity: 'critical' as const, labels: { alertname: 'X', ...s.labels }, start: 0, end: null, peakValue: 1 }));
        const lines = previewLines(values, raw, firing, 'avg 5m', max);
        const chosen = lines.condition.map((s) => Number(s.labels['instance']?.slice(1)));
        expect(lines.total).toBe(n);
        expect(chosen).toHaveLength(Math.min(n, max));
        expect(chosen).toEqual([...chosen].sort((a, b) => a - b));
        const firedCount = firedFlags.slice(0, n).filter(Boolean).length;
        expect(chosen.filter((i) => firedFlags[i]).length).toBe(Math.min(firedCount, max));
        chosen.forEach((i, k) => {
          expect(lines.condition[k]?.values[0]).toBe(i);
          expect(lines.condition[k]?.name).toBe(`avg 5m {instance="i${i}"}`);
          expect(lines.raw[k]?.values[0]).toBe(100 + i);
          expect(lines.raw[k]?.name).toBe(`raw {instance="i${i}"}`);
        });
      }),
    );
  });
});

describe('AlertRuleBuilder preview: what the rule compares', () => {
  it('charts the 5-minute average, equal at every tick to a brute-force window mean; raw spikes over the level do not fire', async () => {
    const s = spiky();
    const expected = ticksOf(hourRange, MINUTE).map((t) => ({ t, value: bruteAvg(s, t, 5 * MINUTE) }));
    // The data makes the point: raw samples cross the critical level; no 5-minute average reaches the warning one.
    expect(Math.max(...s.values.filter((v) => !Number.isNaN(v)))).toBeGreaterThan(800);
    expect(Math.max(...expected.map((e) => e.value).filter(Number.isFinite))).toBeLessThan(500);
    expect(expected.some((e) => Number.isNaN(e.value))).toBe(true);

    render(<AlertRuleBuilder defaultValue={avgRule} series={[s]} range={hourRange} unit="ms" timeZone="utc" />);
    const preview = screen.getByTestId('vigil-rule-preview');
    await waitFor(() => expect(preview.getAttribute('data-backtest-count')).toBe('0'));
    expect(preview.getAttribute('data-charted')).toBe('condition');
    expect(screen.getByTestId('vigil-preview-caption').textContent).toMatch(/^Charted: avg over 5m of latency_p95_ms, per series: the value the rule compares with its levels, in ms\. Grey dashed lines: the raw samples/);

    const summary = chartSummary('Preview: HighLatency');
    const stats = finiteStats(expected.map((e) => e.value));
    expect(summary).toContain(`avg 5m: min ${fmt(stats.min, 'ms')}, max ${fmt(stats.max, 'ms')}, last ${fmt(stats.last, 'ms')}.`);
    expect(summary).toContain('Critical threshold critical > 800 at 800 ms.');
    // The recovery level is a band from it to its level (hysteresis), named in the legend and the summary.
    expect(summary).toContain('critical recovers at 700: min 700 ms, max 800 ms, last 800 ms.');
    expect(summary).not.toContain('warning recovers');
    // The raw samples are there too, with their own (spiky) maximum.
    expect(summary).toMatch(/raw samples: min [^,]+, max 1[.,]\d+k? ms|raw samples: min [^,]+, max 1,\d{3} ms/);

    // Step the crosshair over every tick: the tooltip's value is the brute-force average (or "–" in the gap).
    const plot = screen.getAllByRole('group', { name: 'Preview: HighLatency' }).find((el) => el.tabIndex === 0) as HTMLElement;
    for (const { t, value } of expected) {
      fireEvent.keyDown(plot, { key: 'ArrowRight' });
      const tip = tooltip(preview);
      expect(tip.heading).toBe(formatChartTime(t, 'utc'));
      expect(tip.rows.get('avg 5m')).toBe(fmt(value, 'ms'));
    }
  });

  it('hides and shows the raw samples with a checkbox (the condition value stays)', () => {
    render(<AlertRuleBuilder defaultValue={avgRule} series={[spiky()]} range={hourRange} unit="ms" timeZone="utc" />);
    const checkbox = screen.getByRole('checkbox', { name: 'Show raw samples' }) as HTMLInputElement;
    expect(checkbox.checked).toBe(true);
    expect(screen.getByRole('button', { name: 'raw samples' })).toBeTruthy();
    fireEvent.click(checkbox);
    expect(screen.queryByRole('button', { name: 'raw samples' })).toBeNull();
    expect(screen.getByRole('button', { name: 'avg 5m' })).toBeTruthy();
    expect(screen.getByTestId('vigil-preview-caption').textContent).not.toMatch(/raw samples/);
  });

  for (const direction of ['up', 'down'] as const) {
    it(`charts a change (${direction}) condition in %, equal at every tick to a brute-force change of the window means`, async () => {
      const bursts = [{ start: STORY_NOW - 30 * MINUTE, end: STORY_NOW - 10 * MINUTE, level: direction === 'up' ? 180 : 40 }];
      const s = syntheticSeries('rps', { service: 'checkout' }, 100, 0.05, bursts, 41, { start: hourRange.start - 45 * MINUTE, end: hourRange.end });
      const changeRule: AlertRule = { ...avgRule, query: { expr: 'sum(rate(http_requests_total[5m]))', stepMs: MINUTE }, condition: { type: 'change', direction, windowMs: 15 * MINUTE, critical: { value: 50, recovery: 30 } } };
      const expected = ticksOf(hourRange, MINUTE).map((t) => ({ t, value: bruteChange(s, t, 5 * MINUTE, 15 * MINUTE, direction) }));
      expect(Math.max(...expected.map((e) => e.value))).toBeGreaterThan(50);

      render(<AlertRuleBuilder defaultValue={changeRule} series={[s]} range={hourRange} unit="req/s" timeZone="utc" />);
      const preview = screen.getByTestId('vigil-rule-preview');
      await waitFor(() => expect(Number(preview.getAttribute('data-backtest-count'))).toBeGreaterThan(0));
      expect(preview.getAttribute('data-charted-unit')).toBe('%');
      const word = direction === 'up' ? 'change' : 'fall';
      expect(screen.getByTestId('vigil-preview-caption').textContent).toMatch(new RegExp(`^Charted: ${word} in % of avg over 5m of sum\\(rate\\(http_requests_total\\[5m\\]\\)\\), vs 15m earlier, per series: the value the rule compares with its levels, in %\\.`));

      const key = `${word} % {service="checkout"}`;
      const summary = chartSummary('Preview: HighLatency');
      const stats = finiteStats(expected.map((e) => e.value));
      expect(summary).toContain(`${key}: min ${fmt(stats.min, '%')}, max ${fmt(stats.max, '%')}, last ${fmt(stats.last, '%')}.`);
      expect(summary).toContain(`Critical threshold critical ${direction === 'up' ? 'rises' : 'falls'} by > 50% at 50%.`);
      // The raw rate is not on the % axis: it has its own small chart, in req/s.
      expect(chartSummary('Raw samples of the query')).toMatch(/raw \{service="checkout"\}: min [\d.]+ req\/s/);

      const plot = screen.getAllByRole('group', { name: 'Preview: HighLatency' }).find((el) => el.tabIndex === 0) as HTMLElement;
      for (const { t, value } of expected) {
        fireEvent.keyDown(plot, { key: 'ArrowRight' });
        const tip = tooltip(preview);
        expect(tip.heading).toBe(formatChartTime(t, 'utc'));
        expect(tip.rows.get(key)).toBe(fmt(value, '%'));
      }
    });
  }

  it('charts the reduced value an absent rule looks at (gaps where a series has none), and counts where it held, against brute force', async () => {
    const full = syntheticSeries('up', { job: 'checkout' }, 1, 0.5, [], 5, { start: hourRange.start - 10 * MINUTE, end: hourRange.end });
    const keep = [...full.timestamps.keys()].filter((i) => {
      const t = full.timestamps[i] as number;
      return t < STORY_NOW - 40 * MINUTE || t >= STORY_NOW - 25 * MINUTE;
    });
    const s: Series = { labels: { job: 'checkout' }, timestamps: Float64Array.from(keep, (i) => full.timestamps[i] as number), values: Float64Array.from(keep, (i) => full.values[i] as number) };
    const expected = ticksOf(hourRange, MINUTE).map((t) => ({ t, value: bruteLast(s, t, 5 * MINUTE) }));
    const held = expected.filter((e) => Number.isNaN(e.value)).length;
    expect(held).toBeGreaterThan(5);
    const absentRule: AlertRule = { ...avgRule, reducer: { type: 'last', windowMs: 5 * MINUTE }, condition: { type: 'absent' }, severity: 'critical' };
    render(<AlertRuleBuilder defaultValue={absentRule} series={[s]} range={hourRange} timeZone="utc" />);
    const preview = screen.getByTestId('vigil-rule-preview');
    await waitFor(() => expect(preview.getAttribute('data-backtest-count')).toBe('1'));
    expect(preview.getAttribute('data-charted')).toBe('absent');
    expect(screen.getByTestId('vigil-preview-caption').textContent).toBe(`Charted: last value (within 5m) of latency_p95_ms, per series. An absent rule fires when no series has a value (the gaps); that held at ${held} of 61 evaluations.`);
    expect(chartSummary('Preview: HighLatency')).not.toMatch(/threshold/);
    const plot = screen.getAllByRole('group', { name: 'Preview: HighLatency' }).find((el) => el.tabIndex === 0) as HTMLElement;
    for (const { t, value } of expected) {
      fireEvent.keyDown(plot, { key: 'ArrowRight' });
      const tip = tooltip(preview);
      expect(tip.heading).toBe(formatChartTime(t, 'utc'));
      expect(tip.rows.get('last value {job="checkout"}')).toBe(fmt(value, undefined));
    }
  });

  it('caps the charted series at three, those that fired first, and says so', async () => {
    const many = Array.from({ length: 8 }, (_, i) => syntheticSeries(`i${i}`, { instance: `i${i}` }, 200, 0.1, i === 5 || i === 7 ? [{ start: STORY_NOW - 30 * MINUTE, end: STORY_NOW, level: 1500 }] : [], 50 + i, { start: hourRange.start - 10 * MINUTE, end: hourRange.end }));
    render(<AlertRuleBuilder defaultValue={avgRule} series={many} range={hourRange} unit="ms" timeZone="utc" />);
    const preview = screen.getByTestId('vigil-rule-preview');
    await waitFor(() => expect(preview.getAttribute('data-backtest-count')).toBe('4'));
    expect(screen.getByTestId('vigil-preview-cap').textContent).toBe('Charting 3 of 8 series (those that would have fired first); the summary and the list below cover all 8.');
    const legend = within(screen.getByRole('list', { name: 'Preview: HighLatency series' }))
      .getAllByRole('button')
      .map((b) => b.textContent);
    expect(legend).toEqual(['avg 5m {instance="i0"}', 'avg 5m {instance="i5"}', 'avg 5m {instance="i7"}', 'raw {instance="i0"}', 'raw {instance="i5"}', 'raw {instance="i7"}', 'critical recovers at 700']);
  });

  it('pairs each condition line with its own raw samples when a series has no samples at all', async () => {
    const empty: Series = { labels: { instance: 'a' }, timestamps: new Float64Array(0), values: new Float64Array(0) };
    const b = { ...spiky(), labels: { instance: 'b' } };
    render(<AlertRuleBuilder defaultValue={avgRule} series={[empty, b]} range={hourRange} unit="ms" timeZone="utc" />);
    await waitFor(() => expect(screen.getByTestId('vigil-rule-preview').getAttribute('data-backtest-count')).toBe('0'));
    const summary = chartSummary('Preview: HighLatency');
    const rawMax = Math.max(...b.values.filter((v, i) => !Number.isNaN(v) && (b.timestamps[i] as number) >= hourRange.start));
    expect(summary).toContain('avg 5m {instance="a"}: no data.');
    expect(summary).toContain('raw {instance="a"}: no data.');
    expect(summary).toMatch(new RegExp(`raw \\{instance="b"\\}: min [^,]+, max ${fmt(rawMax, 'ms').replace(/[.]/g, '\\.')}, `));
  });

  it('copes with no series, all-NaN samples, a single-instant range and an invalid rule without crashing', async () => {
    const { unmount } = render(<AlertRuleBuilder defaultValue={avgRule} series={[]} range={hourRange} timeZone="utc" />);
    await waitFor(() => expect(screen.getByTestId('vigil-backtest-summary').textContent).toMatch(/^Would not have fired over the 1h shown \(61 evaluations\)/));
    expect(screen.getByText('No data for this range')).toBeTruthy();
    unmount();

    const nan: Series = { labels: {}, timestamps: Float64Array.from(ticksOf({ start: hourRange.start - 10 * MINUTE, end: hourRange.end }, MINUTE)), values: new Float64Array(71).fill(NaN) };
    const second = render(<AlertRuleBuilder defaultValue={avgRule} series={[nan]} range={hourRange} timeZone="utc" />);
    await waitFor(() => expect(screen.getByTestId('vigil-rule-preview').getAttribute('data-backtest-count')).toBe('0'));
    expect(screen.getByText(/The rule saw no value at any evaluation/)).toBeTruthy();
    expect(chartSummary('Preview: HighLatency')).toContain('avg 5m: no data.');
    second.unmount();

    const instant = { start: STORY_NOW, end: STORY_NOW };
    const third = render(<AlertRuleBuilder defaultValue={avgRule} series={[spiky()]} range={instant} unit="ms" timeZone="utc" />);
    await waitFor(() => expect(screen.getByTestId('vigil-backtest-summary').textContent).toMatch(/\(1 evaluation\)\.$/));
    expect(chartSummary('Preview: HighLatency')).toContain(`avg 5m: min ${fmt(bruteAvg(spiky(), STORY_NOW, 5 * MINUTE), 'ms')}`);
    third.unmount();

    render(<AlertRuleBuilder defaultValue={{ ...avgRule, forMs: -1 }} series={[spiky()]} range={hourRange} timeZone="utc" />);
    const preview = screen.getByTestId('vigil-rule-preview');
    expect(preview.getAttribute('data-charted')).toBe('raw');
    expect(preview.hasAttribute('data-backtest-count')).toBe(false);
    expect(screen.getByTestId('vigil-preview-caption').textContent).toBe('Charted: the samples of latency_p95_ms. The value the rule compares appears once the rule is valid and backtested.');
    expect(chartSummary('Preview: HighLatency')).not.toMatch(/threshold/);
  });
});

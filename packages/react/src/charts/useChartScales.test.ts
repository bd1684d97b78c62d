import { describe, expect, it } from 'vitest';
import { computeChartScales } from './useChartScales';
import { formatChartTime, formatChartValue, formatCount, formatTimeTick, withUnit } from './format';

describe('computeChartScales', () => {
  const scales = computeChartScales({ xDomain: { start: Date.UTC(2024, 0, 1), end: Date.UTC(2024, 0, 1, 6) }, yDomain: [0, 97], plotWidth: 600, plotHeight: 200, timeZone: 'utc' });

  it('maps the x-domain onto the plot width', () => {
    expect(scales.x(Date.UTC(2024, 0, 1))).toBe(0);
    expect(scales.x(Date.UTC(2024, 0, 1, 3))).toBe(300);
  });

  it('rounds the y-domain to nice ticks and puts larger values higher', () => {
    expect(scales.y.domain()).toEqual([0, 100]);
    expect(scales.y(0)).toBe(200);
    expect(scales.y(100)).toBe(0);
    expect(scales.yTicks[0]).toBe(0);
    expect(scales.yTicks[scales.yTicks.length - 1]).toBe(100);
  });

  it('places about one x tick per 90 px on round hours, labelled in UTC', () => {
    expect(scales.xTicks.length).toBeGreaterThanOrEqual(4);
    expect(scales.xTicks.length).toBeLessThanOrEqual(13);
    for (const tick of scales.xTicks) expect(tick.value % 3_600_000).toBe(0);
    expect(scales.xTicks.map((t) => t.label)).toContain('03:00');
  });

  it('keeps a fixed y-domain when nice is off', () => {
    const fixed = computeChartScales({ xDomain: { start: 0, end: 1 }, yDomain: [0.3, 0.97], plotWidth: 100, plotHeight: 100, niceY: false });
    expect(fixed.y.domain()).toEqual([0.3, 0.97]);
  });
});

describe('format', () => {
  it('formats values compactly', () => {
    expect(formatChartValue(1234.5)).toBe('1,230');
    expect(formatChartValue(12_345_678)).toBe('12.3M');
    expect(formatChartValue(0.012345)).toBe('0.0123');
    expect(formatChartValue(Number.NaN)).toBe('–');
  });
  it('appends units', () => {
    expect(withUnit('12', 'ms')).toBe('12 ms');
    expect(withUnit('99.9', '%')).toBe('99.9%');
    expect(withUnit('3', undefined)).toBe('3');
  });
  it('formats counts and times', () => {
    expect(formatCount(1_000_000)).toBe('1,000,000');
    // Event counts derived from extrapolated counter increases are fractional; they display as whole events.
    expect(formatCount(34_514.737)).toBe('34,515');
    expect(formatChartTime(Date.UTC(2024, 0, 2, 3, 4, 5), 'utc')).toBe('Jan 2, 2024, 03:04:05');
  });
});

describe('formatTimeTick', () => {
  it('labels ticks in 24-hour time at the coarsest unit they sit on', () => {
    expect(formatTimeTick(Date.UTC(2026, 10, 23, 0, 5), 'utc')).toBe('00:05');
    expect(formatTimeTick(Date.UTC(2026, 10, 22, 23, 55), 'utc')).toBe('23:55');
    expect(formatTimeTick(Date.UTC(2026, 10, 22, 14, 30, 15), 'utc')).toBe('14:30:15');
    expect(formatTimeTick(Date.UTC(2026, 10, 23), 'utc')).toBe('Mon 23');
    expect(formatTimeTick(Date.UTC(2026, 10, 1), 'utc')).toBe('Nov');
    expect(formatTimeTick(Date.UTC(2026, 0, 1), 'utc')).toBe('2026');
    expect(formatTimeTick(Number.NaN, 'utc')).toBe('–');
  });
  it('gives every hourly tick across midnight a distinct label', () => {
    const scales = computeChartScales({ xDomain: { start: Date.UTC(2026, 10, 22, 20), end: Date.UTC(2026, 10, 23, 4) }, yDomain: [0, 1], plotWidth: 900, plotHeight: 200, timeZone: 'utc' });
    const labels = scales.xTicks.map((tick) => tick.label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toContain('Mon 23');
    expect(labels).toContain('22:00');
  });
});

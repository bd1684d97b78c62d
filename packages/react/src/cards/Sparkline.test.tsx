import { describe, expect, it, vi } from 'vitest';
import { createRef } from 'react';
import { render, screen } from '@testing-library/react';
import { Sparkline, sparklineGeometry } from './Sparkline';

const countMoves = (d: string) => (d.match(/M/g) ?? []).length;

describe('Sparkline', () => {
  it('is an image with a summary when standalone', () => {
    render(<Sparkline data={{ timestamps: [0, 1, 2], values: [10, 30, 20] }} label="Latency" unit="ms" />);
    expect(screen.getByRole('img', { name: 'Latency: last 20 ms, min 10 ms, max 30 ms' })).toBeTruthy();
  });

  it('is hidden from assistive technology when decorative', () => {
    const { container } = render(<Sparkline data={{ timestamps: [0, 1], values: [1, 2] }} decorative />);
    expect(container.querySelector('svg')?.getAttribute('aria-hidden')).toBe('true');
    expect(screen.queryByRole('img')).toBeNull();
  });

  it('NaN gaps break the line into segments', () => {
    const geometry = sparklineGeometry({ timestamps: [0, 1, 2, 3, 4, 5], values: [1, 2, Number.NaN, 3, 4, 5] }, 100, 20);
    expect(countMoves(geometry.line)).toBe(2);
    const solid = sparklineGeometry({ timestamps: [0, 1, 2], values: [1, 2, 3] }, 100, 20);
    expect(countMoves(solid.line)).toBe(1);
  });

  it('keeps every point inside the box', () => {
    const geometry = sparklineGeometry({ timestamps: [0, 1, 2, 3], values: [-5, 100, 3, 7] }, 50, 10);
    const numbers = geometry.line.match(/-?\d+(\.\d+)?(e-?\d+)?/g)!.map(Number);
    for (let i = 0; i < numbers.length; i += 2) {
      expect(numbers[i]).toBeGreaterThanOrEqual(0);
      expect(numbers[i]).toBeLessThanOrEqual(50);
      expect(numbers[i + 1]).toBeGreaterThanOrEqual(0);
      expect(numbers[i + 1]).toBeLessThanOrEqual(10);
    }
  });

  it('downsamples a million points to at most 8 per column and keeps the extremes', () => {
    const n = 1_000_000;
    const timestamps = new Float64Array(n);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      timestamps[i] = i * 1000;
      values[i] = Math.sin(i / 5000);
    }
    values[123_457] = 50;
    const { container } = render(<Sparkline data={{ timestamps, values }} width={100} label="Big" />);
    const points = Number(container.querySelector('svg')?.getAttribute('data-points'));
    expect(points).toBeLessThanOrEqual(800);
    expect(points).toBeGreaterThan(100);
    expect(screen.getByRole('img').getAttribute('aria-label')).toContain('max 50');
  });

  it('empty and all-NaN data draw a dashed baseline and say no data', () => {
    const { rerender, container } = render(<Sparkline data={{ timestamps: [], values: [] }} />);
    expect(screen.getByRole('img', { name: 'Trend: no data' })).toBeTruthy();
    expect(container.querySelector('.vigil-sparkline__empty')).toBeTruthy();
    rerender(<Sparkline data={{ timestamps: [1, 2], values: [Number.NaN, Number.NaN] }} />);
    expect(screen.getByRole('img', { name: 'Trend: no data' })).toBeTruthy();
    rerender(<Sparkline data={null} />);
    expect(screen.getByRole('img', { name: 'Trend: no data' })).toBeTruthy();
  });

  it('a flat series draws a line in the middle', () => {
    const geometry = sparklineGeometry({ timestamps: [0, 1], values: [5, 5] }, 100, 20);
    expect(geometry.line).toMatch(/^M2,10L98,10$/);
  });

  it('mismatched columns render an error image, not a crash', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const ref = createRef<SVGSVGElement>();
    render(<Sparkline ref={ref} data={{ timestamps: [1, 2, 3], values: [1] }} label="Bad" />);
    expect(screen.getByRole('img', { name: 'Bad: could not be drawn' })).toBeTruthy();
    expect(ref.current?.tagName.toLowerCase()).toBe('svg');
    spy.mockRestore();
  });

  it('forwards ref and accepts className, style and colour', () => {
    const ref = createRef<SVGSVGElement>();
    render(<Sparkline ref={ref} data={{ timestamps: [0, 1], values: [0, 1] }} className="x" style={{ opacity: 0.5 }} color="red" />);
    expect(ref.current?.classList.contains('x')).toBe(true);
    expect(ref.current?.style.opacity).toBe('0.5');
    expect(ref.current?.style.color).toBe('red');
  });
});

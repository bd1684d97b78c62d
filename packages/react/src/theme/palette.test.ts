import { describe, expect, it } from 'vitest';
import { ValidationError } from '@vigil/core';
import { resolveCssColor, seriesColor } from './palette';

describe('seriesColor', () => {
  it('maps indexes onto the eight series variables, cycling', () => {
    expect(seriesColor(0)).toBe('var(--vigil-series-1)');
    expect(seriesColor(7)).toBe('var(--vigil-series-8)');
    expect(seriesColor(8)).toBe('var(--vigil-series-1)');
    expect(seriesColor(13)).toBe('var(--vigil-series-6)');
  });
  it('rejects negative, fractional and non-numbers', () => {
    expect(() => seriesColor(-1)).toThrow(ValidationError);
    expect(() => seriesColor(1.5)).toThrow(ValidationError);
    expect(() => seriesColor(Number.NaN)).toThrow(ValidationError);
  });
});

describe('resolveCssColor', () => {
  it('reads a custom property set on an ancestor', () => {
    const root = document.createElement('div');
    root.style.setProperty('--vigil-series-1', '#123456');
    const child = document.createElement('span');
    root.append(child);
    document.body.append(root);
    expect(resolveCssColor(root, '--vigil-series-1')).toBe('#123456');
    expect(resolveCssColor(root, 'var(--vigil-series-1)')).toBe('#123456');
    root.remove();
  });
  it('falls back when unset or without an element', () => {
    const el = document.createElement('div');
    document.body.append(el);
    expect(resolveCssColor(el, '--vigil-nope', '#fff')).toBe('#fff');
    expect(resolveCssColor(el, 'var(--vigil-nope, #abc)')).toBe('#abc');
    expect(resolveCssColor(null, '--vigil-fg', 'black')).toBe('black');
    el.remove();
  });
  it('rejects names that are not custom properties', () => {
    expect(() => resolveCssColor(null, 'color')).toThrow(ValidationError);
  });
});

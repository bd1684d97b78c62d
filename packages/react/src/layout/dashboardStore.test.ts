import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '@vigil/core';
import { createDashboardStore } from './dashboardStore';

describe('createDashboardStore', () => {
  it('starts following live with no cursor and nothing hidden', () => {
    const state = createDashboardStore().getState();
    expect(state.timeRange).toBeNull();
    expect(state.cursor).toBeNull();
    expect(state.hiddenSeries).toEqual({});
  });

  it('rejects a malformed initial range with the field path', () => {
    expect(() => createDashboardStore({ timeRange: { start: 10, end: 5 } })).toThrow(ValidationError);
    try {
      createDashboardStore({ timeRange: { start: Number.NaN, end: 5 } });
    } catch (error) {
      expect((error as ValidationError).path).toBe('timeRange.start');
    }
  });

  it('zooms in twice and resets step by step or all at once', () => {
    const store = createDashboardStore({ timeRange: { start: 0, end: 100 } });
    store.getState().zoomTo({ start: 10, end: 90 });
    store.getState().zoomTo({ start: 20, end: 30 });
    expect(store.getState().timeRange).toEqual({ start: 20, end: 30 });
    store.getState().resetZoom('one');
    expect(store.getState().timeRange).toEqual({ start: 10, end: 90 });
    store.getState().zoomTo({ start: 40, end: 50 });
    store.getState().resetZoom();
    expect(store.getState().timeRange).toEqual({ start: 0, end: 100 });
    expect(store.getState().zoomStack).toEqual([]);
  });

  it('resets to live when the zoom started from live', () => {
    const store = createDashboardStore();
    store.getState().zoomTo({ start: 1, end: 2 });
    store.getState().resetZoom();
    expect(store.getState().timeRange).toBeNull();
  });

  it('ignores a reset with no zoom history', () => {
    const store = createDashboardStore({ timeRange: { start: 0, end: 1 } });
    store.getState().resetZoom();
    expect(store.getState().timeRange).toEqual({ start: 0, end: 1 });
  });

  it('does not notify subscribers when the cursor does not move', () => {
    const store = createDashboardStore();
    let notified = 0;
    store.subscribe(() => notified++);
    store.getState().setCursor({ time: 5, syncGroup: 'g', originId: 'a' });
    store.getState().setCursor({ time: 5, syncGroup: 'g', originId: 'a' });
    store.getState().setCursor(null);
    store.getState().setCursor(null);
    expect(notified).toBe(2);
  });

  it('toggles series per chart without touching other charts', () => {
    const store = createDashboardStore();
    store.getState().toggleSeries('latency', 'p99');
    store.getState().toggleSeries('latency', 'p50');
    store.getState().toggleSeries('errors', 'p99');
    store.getState().toggleSeries('latency', 'p99');
    expect(store.getState().hiddenSeries).toEqual({ latency: ['p50'], errors: ['p99'] });
  });

  it('toggling a series twice is the identity (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd')), fc.constantFrom('a', 'b', 'c', 'd'), (initial, key) => {
        const unique = [...new Set(initial)];
        const store = createDashboardStore({ hiddenSeries: { chart: unique } });
        store.getState().toggleSeries('chart', key);
        store.getState().toggleSeries('chart', key);
        expect([...(store.getState().hiddenSeries['chart'] ?? [])].sort()).toEqual([...unique].sort());
      }),
    );
  });

  it('snapshots the persisted parts and restores them into another store', () => {
    const a = createDashboardStore();
    a.getState().zoomTo({ start: 100, end: 200 });
    a.getState().toggleSeries('c1', 'x');
    a.getState().setCursor({ time: 150, syncGroup: 'g', originId: 'c1' });
    const snapshot = JSON.parse(JSON.stringify(a.getState().snapshot())) as unknown;
    expect(snapshot).toEqual({ version: 1, timeRange: { start: 100, end: 200 }, hiddenSeries: { c1: ['x'] } });
    const b = createDashboardStore();
    b.getState().restore(snapshot);
    expect(b.getState().timeRange).toEqual({ start: 100, end: 200 });
    expect(b.getState().hiddenSeries).toEqual({ c1: ['x'] });
    expect(b.getState().cursor).toBeNull();
  });

  it('rejects malformed snapshots with the bad field path', () => {
    const store = createDashboardStore();
    const pathOf = (value: unknown) => {
      try {
        store.getState().restore(value);
      } catch (error) {
        return (error as ValidationError).path;
      }
      return 'no error';
    };
    expect(pathOf(null)).toBe('snapshot');
    expect(pathOf({ version: 2, timeRange: null, hiddenSeries: {} })).toBe('snapshot.version');
    expect(pathOf({ version: 1, timeRange: { start: 5, end: 1 }, hiddenSeries: {} })).toBe('snapshot.timeRange.end');
    expect(pathOf({ version: 1, timeRange: null, hiddenSeries: { c: [1] } })).toBe('snapshot.hiddenSeries.c[0]');
    expect(store.getState().timeRange).toBeNull();
  });

  it('keeps two stores independent', () => {
    const a = createDashboardStore();
    const b = createDashboardStore();
    a.getState().setCursor({ time: 1, syncGroup: 'g', originId: 'x' });
    a.getState().zoomTo({ start: 0, end: 1 });
    expect(b.getState().cursor).toBeNull();
    expect(b.getState().timeRange).toBeNull();
  });
});

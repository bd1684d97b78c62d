import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { ValidationError } from '@vigil/core';
import type { TimeRange } from '@vigil/core';

/** A crosshair position shared by every chart of one sync group. */
export interface DashboardCursor {
  /** Epoch milliseconds under the crosshair. */
  readonly time: number;
  /** Charts with this `syncGroup` show the crosshair; others ignore it. */
  readonly syncGroup: string;
  /** The chart the pointer or keyboard is on (it draws the tooltip in full; others mirror it). */
  readonly originId: string;
}

/** The persisted part of a dashboard: what a page reload or a shared link should bring back. */
export interface DashboardSnapshot {
  readonly version: 1;
  readonly timeRange: TimeRange | null;
  readonly hiddenSeries: Readonly<Record<string, readonly string[]>>;
}

/** Plain dashboard state (no actions). */
export interface DashboardData {
  /** The zoomed time range; `null` follows live (each chart shows its data's extent). */
  readonly timeRange: TimeRange | null;
  /** Zoom history, so `resetZoom` can step back out; the first entry is the range before the first zoom. */
  readonly zoomStack: readonly (TimeRange | null)[];
  /** The synced crosshair, or `null` when no chart is hovered or focused. */
  readonly cursor: DashboardCursor | null;
  /** Hidden series keys per chart id. */
  readonly hiddenSeries: Readonly<Record<string, readonly string[]>>;
}

/** Dashboard state and its actions. */
export interface DashboardState extends DashboardData {
  /** Sets the time range without touching zoom history (`null` = follow live). */
  setTimeRange(range: TimeRange | null): void;
  /** Zooms to `range`, remembering the current range so `resetZoom` can come back. */
  zoomTo(range: TimeRange): void;
  /** Goes back to the range before the first zoom (`all`, the default) or one zoom step out (`one`). */
  resetZoom(mode?: 'all' | 'one'): void;
  /** Moves or clears the synced crosshair. */
  setCursor(cursor: DashboardCursor | null): void;
  /** Hides the series when visible, shows it when hidden. */
  toggleSeries(chartId: string, seriesKey: string): void;
  /** Replaces the hidden series of one chart. */
  setHiddenSeries(chartId: string, seriesKeys: readonly string[]): void;
  /** The persisted parts: time range and hidden series. */
  snapshot(): DashboardSnapshot;
  /** Restores a snapshot (validated; throws ValidationError on a malformed one). Clears cursor and zoom history. */
  restore(snapshot: unknown): void;
}

export type DashboardStore = StoreApi<DashboardState>;

/** Initial values for a new store. */
export interface DashboardStoreInit {
  readonly timeRange?: TimeRange | null | undefined;
  readonly hiddenSeries?: Readonly<Record<string, readonly string[]>> | undefined;
}

/** Validates a time range; throws ValidationError naming `path`. */
export function assertTimeRange(value: unknown, path: string): asserts value is TimeRange {
  if (typeof value !== 'object' || value === null) throw new ValidationError(path, 'an object { start, end }', value);
  const { start, end } = value as { start?: unknown; end?: unknown };
  if (typeof start !== 'number' || !Number.isFinite(start)) throw new ValidationError(`${path}.start`, 'a finite number (epoch ms)', start);
  if (typeof end !== 'number' || !Number.isFinite(end)) throw new ValidationError(`${path}.end`, 'a finite number (epoch ms)', end);
  if (end <= start) throw new ValidationError(`${path}.end`, `a number > start (${start})`, end);
}

function validateHiddenSeries(value: unknown, path: string): Record<string, readonly string[]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ValidationError(path, 'an object of chart id to string[]', value);
  const out: Record<string, readonly string[]> = {};
  for (const [chartId, keys] of Object.entries(value)) {
    if (!Array.isArray(keys)) throw new ValidationError(`${path}.${chartId}`, 'an array of strings', keys);
    keys.forEach((key, index) => {
      if (typeof key !== 'string') throw new ValidationError(`${path}.${chartId}[${index}]`, 'a string', key);
    });
    out[chartId] = [...(keys as string[])];
  }
  return out;
}

const sameRange = (a: TimeRange | null, b: TimeRange | null): boolean => a === b || (a !== null && b !== null && a.start === b.start && a.end === b.end);

/**
 * Creates one dashboard's state: time range (zoom), synced crosshair and hidden series. A zustand vanilla store, so
 * it works outside React too (persist it with `snapshot()` / `restore()`). Each `DashboardProvider` makes its own,
 * so two dashboards on one page never collide.
 *
 * @example
 * const store = createDashboardStore({ timeRange: { start: 0, end: 3_600_000 } });
 * store.getState().zoomTo({ start: 600_000, end: 1_200_000 });
 * store.getState().resetZoom(); // back to 0…3,600,000
 * localStorage.setItem('dash', JSON.stringify(store.getState().snapshot()));
 */
export function createDashboardStore(init: DashboardStoreInit = {}): DashboardStore {
  const initialRange = init.timeRange ?? null;
  if (initialRange !== null) assertTimeRange(initialRange, 'timeRange');
  const initialHidden = init.hiddenSeries === undefined ? {} : validateHiddenSeries(init.hiddenSeries, 'hiddenSeries');

  return createStore<DashboardState>()((set, get) => ({
    timeRange: initialRange,
    zoomStack: [],
    cursor: null,
    hiddenSeries: initialHidden,
    setTimeRange(range) {
      if (range !== null) assertTimeRange(range, 'range');
      if (sameRange(get().timeRange, range)) return;
      set({ timeRange: range });
    },
    zoomTo(range) {
      assertTimeRange(range, 'range');
      const { timeRange, zoomStack } = get();
      if (sameRange(timeRange, range)) return;
      set({ timeRange: range, zoomStack: [...zoomStack, timeRange] });
    },
    resetZoom(mode = 'all') {
      const { zoomStack } = get();
      if (zoomStack.length === 0) return;
      if (mode === 'one') set({ timeRange: zoomStack[zoomStack.length - 1] ?? null, zoomStack: zoomStack.slice(0, -1) });
      else set({ timeRange: zoomStack[0] ?? null, zoomStack: [] });
    },
    setCursor(cursor) {
      const current = get().cursor;
      if (cursor === null ? current === null : current !== null && current.time === cursor.time && current.syncGroup === cursor.syncGroup && current.originId === cursor.originId) return;
      if (cursor !== null && (typeof cursor.time !== 'number' || Number.isNaN(cursor.time))) throw new ValidationError('cursor.time', 'a number (epoch ms)', cursor.time);
      set({ cursor });
    },
    toggleSeries(chartId, seriesKey) {
      const hidden = get().hiddenSeries[chartId] ?? [];
      const next = hidden.includes(seriesKey) ? hidden.filter((key) => key !== seriesKey) : [...hidden, seriesKey];
      set({ hiddenSeries: { ...get().hiddenSeries, [chartId]: next } });
    },
    setHiddenSeries(chartId, seriesKeys) {
      set({ hiddenSeries: { ...get().hiddenSeries, [chartId]: [...seriesKeys] } });
    },
    snapshot() {
      const { timeRange, hiddenSeries } = get();
      const hidden: Record<string, readonly string[]> = {};
      for (const [chartId, keys] of Object.entries(hiddenSeries)) if (keys.length > 0) hidden[chartId] = [...keys];
      return { version: 1, timeRange: timeRange === null ? null : { start: timeRange.start, end: timeRange.end }, hiddenSeries: hidden };
    },
    restore(snapshot) {
      if (typeof snapshot !== 'object' || snapshot === null) throw new ValidationError('snapshot', 'a DashboardSnapshot object', snapshot);
      const { version, timeRange, hiddenSeries } = snapshot as Record<string, unknown>;
      if (version !== 1) throw new ValidationError('snapshot.version', '1', version);
      if (timeRange !== null) assertTimeRange(timeRange, 'snapshot.timeRange');
      const hidden = validateHiddenSeries(hiddenSeries, 'snapshot.hiddenSeries');
      set({ timeRange: timeRange === null ? null : { start: timeRange.start, end: timeRange.end }, hiddenSeries: hidden, zoomStack: [], cursor: null });
    },
  }));
}

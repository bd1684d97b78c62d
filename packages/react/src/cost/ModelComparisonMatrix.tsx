import { forwardRef, useId, useMemo, useRef, useState, type CSSProperties, type ForwardedRef, type ReactNode } from 'react';
import { getCoreRowModel, getSortedRowModel, useReactTable, type ColumnDef, type SortingState, type VisibilityState } from '@tanstack/react-table';
import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import type { UsageAggregateRow } from '@vigil/core/cost';
import { toCsv, type CsvValue } from '@vigil/core/series';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { classNames } from '../utils/class-names';
import { formatNumber } from '../utils/format';
import { EmptyBody, ErrorBody, LoadingBody, SortArrow, buttonStyle, hasError, headingStyle, mutedStyle, numericStyle, panelStyle, sortButtonStyle } from '../slo/parts';
import { UNPRICED_TEXT, formatDuration, formatPercent, formatUsd, spendText } from './format';
import { heatLevel, type MetricDirection } from './model';

/** The metric columns of {@link ModelComparisonMatrix}. */
export type MatrixMetric =
  | 'requests'
  | 'spend'
  | 'costPer1kTokens'
  | 'costPerSuccessfulRequest'
  | 'latencyP50'
  | 'latencyP95'
  | 'latencyP99'
  | 'successRate'
  | 'tokenEfficiency'
  | 'contextUtilisation'
  | 'cacheHitRate'
  | 'quality';

interface MetricSpec {
  readonly label: string;
  readonly direction: MetricDirection;
  /** Needs a price: shown as "Unpriced" when the row has no priced request. */
  readonly priced: boolean;
  readonly value: (row: UsageAggregateRow) => number;
  readonly text: (row: UsageAggregateRow) => string;
}

const METRICS: Readonly<Record<MatrixMetric, MetricSpec>> = {
  requests: { label: 'Requests', direction: 'neutral', priced: false, value: (r) => r.requests, text: (r) => formatNumber(r.requests, 3) },
  spend: { label: 'Spend', direction: 'neutral', priced: true, value: (r) => r.spend, text: spendText },
  costPer1kTokens: { label: 'Cost / 1k tokens', direction: 'lower', priced: true, value: (r) => r.costPer1kTokens, text: (r) => formatUsd(r.costPer1kTokens) },
  costPerSuccessfulRequest: { label: 'Cost / success', direction: 'lower', priced: true, value: (r) => r.costPerSuccessfulRequest, text: (r) => formatUsd(r.costPerSuccessfulRequest) },
  latencyP50: { label: 'p50 latency', direction: 'lower', priced: false, value: (r) => r.latencyP50, text: (r) => formatDuration(r.latencyP50) },
  latencyP95: { label: 'p95 latency', direction: 'lower', priced: false, value: (r) => r.latencyP95, text: (r) => formatDuration(r.latencyP95) },
  latencyP99: { label: 'p99 latency', direction: 'lower', priced: false, value: (r) => r.latencyP99, text: (r) => formatDuration(r.latencyP99) },
  successRate: { label: 'Success', direction: 'higher', priced: false, value: (r) => r.successRate, text: (r) => formatPercent(r.successRate, 2) },
  tokenEfficiency: { label: 'Output / input', direction: 'neutral', priced: false, value: (r) => r.tokenEfficiency, text: (r) => formatNumber(r.tokenEfficiency, 3) },
  contextUtilisation: { label: 'Context used', direction: 'neutral', priced: false, value: (r) => r.contextUtilisation, text: (r) => formatPercent(r.contextUtilisation, 2) },
  cacheHitRate: { label: 'Cache hits', direction: 'higher', priced: false, value: (r) => r.cacheHitRate, text: (r) => formatPercent(r.cacheHitRate, 1) },
  quality: { label: 'Quality score', direction: 'higher', priced: false, value: (r) => r.quality, text: (r) => (Number.isFinite(r.quality) ? `${formatPercent(r.quality, 1)} (n=${formatNumber(r.qualitySamples, 3)})` : '—') },
};

/** Every metric column, in display order. */
export const MATRIX_METRICS = Object.keys(METRICS) as readonly MatrixMetric[];
const DEFAULT_METRICS: readonly MatrixMetric[] = ['requests', 'spend', 'costPer1kTokens', 'costPerSuccessfulRequest', 'latencyP95', 'successRate', 'quality'];

export interface ModelComparisonMatrixProps {
  /** Rows of `aggregateUsage(table, priced, { by: ['provider', 'model'] })` (any dimensions). */
  readonly rows: readonly UsageAggregateRow[] | null | undefined;
  /** Dimension columns, in order; default the keys of the first row. */
  readonly dimensions?: readonly string[] | undefined;
  /** Header text of dimension columns, e.g. `{ 'tag:team': 'Team' }`. */
  readonly dimensionLabels?: Readonly<Record<string, string>> | undefined;
  /** Metric columns available (all by default). */
  readonly metrics?: readonly MatrixMetric[] | undefined;
  /** Controlled visible metric columns. */
  readonly visibleMetrics?: readonly MatrixMetric[] | undefined;
  /** Initially visible metric columns (uncontrolled). */
  readonly defaultVisibleMetrics?: readonly MatrixMetric[] | undefined;
  readonly onVisibleMetricsChange?: ((metrics: readonly MatrixMetric[]) => void) | undefined;
  /** Controlled sort (TanStack `SortingState`: `[{ id: 'spend', desc: true }]`). */
  readonly sorting?: SortingState | undefined;
  readonly defaultSorting?: SortingState | undefined;
  readonly onSortingChange?: ((sorting: SortingState) => void) | undefined;
  /**
   * Receives the CSV (visible columns, current order; formula injection neutralised by core's `toCsv`). Without it,
   * the Export button downloads `fileName`.
   */
  readonly onExportCsv?: ((csv: string) => void) | undefined;
  /** Download name of the CSV. Default `model-comparison.csv`. */
  readonly fileName?: string | undefined;
  readonly title?: string | undefined;
  /** Height of the scrolling body, CSS pixels. Default 360. */
  readonly height?: number | undefined;
  /** Row height, CSS pixels. Default 36. */
  readonly rowHeight?: number | undefined;
  /** Colour cells by how good they are in their column (the text always carries the value). Default true. */
  readonly heatMap?: boolean | undefined;
  readonly loading?: boolean | undefined;
  readonly error?: unknown;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

const NO_ROWS: readonly UsageAggregateRow[] = [];
const DEFAULT_SORTING: SortingState = [{ id: 'spend', desc: true }];
const cellStyle: CSSProperties = { display: 'flex', alignItems: 'center', minWidth: 0, padding: '0 8px', overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis' };

function dimensionTitle(name: string, labels: Readonly<Record<string, string>> | undefined): string {
  const label = labels?.[name];
  if (label !== undefined) return label;
  const base = name.startsWith('tag:') ? name.slice(4) : name;
  return base.charAt(0).toUpperCase() + base.slice(1);
}

/** Whether a metric cell of `row` has no price to show. */
function isUnpriced(spec: MetricSpec, row: UsageAggregateRow): boolean {
  return spec.priced && row.pricedRequests === 0 && row.unpricedRequests > 0;
}

/** Background of a heat cell at `level` (0 best … 1 worst): green below the middle, red above, at most 26% ink. */
function heatBackground(level: number | undefined): string | undefined {
  if (level === undefined) return undefined;
  const strength = Math.round(Math.abs(level - 0.5) * 2 * 26);
  if (strength < 3) return undefined;
  return `color-mix(in srgb, var(--vigil-${level < 0.5 ? 'ok' : 'critical'}) ${strength}%, transparent)`;
}

/** The matrix as CSV rows: header then one row per model, raw numbers (unpriced cells say "unpriced"). */
export function matrixCsvRows(rows: readonly UsageAggregateRow[], dimensions: readonly string[], metrics: readonly MatrixMetric[]): CsvValue[][] {
  const out: CsvValue[][] = [[...dimensions, ...metrics]];
  for (const row of rows) {
    out.push([
      ...dimensions.map((d) => row.key[d] ?? ''),
      ...metrics.map((m) => {
        const spec = METRICS[m];
        if (isUnpriced(spec, row)) return 'unpriced';
        const v = spec.value(row);
        return Number.isFinite(v) ? v : '';
      }),
    ]);
  }
  return out;
}

function download(csv: string, fileName: string): void {
  if (typeof document === 'undefined' || typeof URL === 'undefined' || typeof URL.createObjectURL !== 'function') return;
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function MatrixInner(props: ModelComparisonMatrixProps & { readonly forwardedRef: ForwardedRef<HTMLElement> }): ReactNode {
  const { rows, dimensionLabels, onVisibleMetricsChange, onSortingChange, onExportCsv, fileName = 'model-comparison.csv', title = 'Model comparison', height = 360, rowHeight = 36, heatMap = true, loading = false, error, className, style, forwardedRef } = props;
  const titleId = useId();
  const noteId = useId();
  const data = rows ?? NO_ROWS;
  const available = props.metrics ?? MATRIX_METRICS;
  const dimensions = useMemo(() => props.dimensions ?? Object.keys(data[0]?.key ?? {}), [props.dimensions, data]);
  const [ownVisible, setOwnVisible] = useState<readonly MatrixMetric[]>(props.defaultVisibleMetrics ?? DEFAULT_METRICS);
  const visibleMetrics = (props.visibleMetrics ?? ownVisible).filter((m) => available.includes(m));
  const [ownSorting, setOwnSorting] = useState<SortingState>(props.defaultSorting ?? DEFAULT_SORTING);
  const sorting = props.sorting ?? ownSorting;

  const ranges = useMemo(() => {
    const out = new Map<MatrixMetric, { min: number; max: number }>();
    for (const m of available) {
      let min = Infinity;
      let max = -Infinity;
      for (const row of data) {
        const v = METRICS[m].value(row);
        if (!Number.isFinite(v) || isUnpriced(METRICS[m], row)) continue;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      out.set(m, { min, max });
    }
    return out;
  }, [available, data]);

  const columns = useMemo<ColumnDef<UsageAggregateRow>[]>(
    () => [
      ...dimensions.map<ColumnDef<UsageAggregateRow>>((d) => ({ id: `dim:${d}`, header: dimensionTitle(d, dimensionLabels), accessorFn: (row) => row.key[d] ?? '', sortingFn: 'alphanumeric', enableHiding: false })),
      ...available.map<ColumnDef<UsageAggregateRow>>((m) => ({
        id: m,
        header: METRICS[m].label,
        accessorFn: (row) => {
          const v = METRICS[m].value(row);
          return Number.isFinite(v) && !isUnpriced(METRICS[m], row) ? v : undefined;
        },
        sortUndefined: 'last',
        sortDescFirst: METRICS[m].direction !== 'lower',
      })),
    ],
    [available, dimensions, dimensionLabels],
  );
  const columnVisibility = useMemo<VisibilityState>(() => Object.fromEntries(available.map((m) => [m, visibleMetrics.includes(m)])), [available, visibleMetrics]);

  const table = useReactTable({
    data: data as UsageAggregateRow[],
    columns,
    state: { sorting, columnVisibility },
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      if (props.sorting === undefined) setOwnSorting(next);
      onSortingChange?.(next);
    },
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    enableSortingRemoval: false,
  });
  const sortedRows = table.getRowModel().rows;

  const setVisible = (next: readonly MatrixMetric[]) => {
    const ordered = available.filter((m) => next.includes(m));
    if (props.visibleMetrics === undefined) setOwnVisible(ordered);
    onVisibleMetricsChange?.(ordered);
  };

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: sortedRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 8,
    initialRect: { width: 960, height },
    observeElementRect: (instance, callback) => observeElementRect(instance, (rect) => callback(rect.height > 0 ? rect : { width: rect.width, height })),
  });

  const exportCsv = () => {
    const csv = toCsv(matrixCsvRows(sortedRows.map((r) => r.original), dimensions, visibleMetrics));
    if (onExportCsv) onExportCsv(csv);
    else download(csv, fileName);
  };

  const failed = hasError(error);
  const grid = [...dimensions.map(() => 'minmax(9rem, 1.6fr)'), ...visibleMetrics.map(() => 'minmax(7rem, 1fr)')].join(' ');
  const minWidth = dimensions.length * 150 + visibleMetrics.length * 118;
  const unpricedModels = data.filter((r) => r.pricedRequests === 0 && r.unpricedRequests > 0).length;

  let body: ReactNode;
  if (failed) body = <ErrorBody error={error} />;
  else if (loading && data.length === 0) body = <LoadingBody label={title} lines={5} />;
  else if (data.length === 0) body = <EmptyBody>No usage in this range.</EmptyBody>;
  else {
    const headerGroup = table.getHeaderGroups()[0];
    body = (
      <div style={{ overflowX: 'auto' }}>
        <div role="table" aria-labelledby={titleId} aria-describedby={noteId} aria-rowcount={sortedRows.length + 1} aria-colcount={dimensions.length + visibleMetrics.length} style={{ minWidth, fontSize: '0.8125rem', ...numericStyle }}>
          <div role="rowgroup">
            <div role="row" aria-rowindex={1} style={{ display: 'grid', gridTemplateColumns: grid, alignItems: 'center', minHeight: 34, padding: '4px 0', borderBottom: '1px solid var(--vigil-border)', color: 'var(--vigil-fg-muted)' }}>
              {headerGroup?.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const isMetric = !header.id.startsWith('dim:');
                const direction = isMetric ? METRICS[header.id as MatrixMetric].direction : 'neutral';
                return (
                  <div key={header.id} role="columnheader" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'} style={{ ...cellStyle, overflow: 'visible', justifyContent: isMetric ? 'flex-end' : 'flex-start' }}>
                    <button type="button" style={{ ...sortButtonStyle, whiteSpace: 'normal', textAlign: isMetric ? 'end' : 'start', lineHeight: 1.2 }} onClick={header.column.getToggleSortingHandler()} title={direction === 'neutral' ? undefined : `${direction === 'lower' ? 'Lower' : 'Higher'} is better`}>
                      {String(header.column.columnDef.header)}
                      <SortArrow direction={sorted} />
                    </button>
                  </div>
                );
              })}
            </div>
          </div>
          <div ref={scrollRef} role="rowgroup" tabIndex={0} aria-label={`${title} rows`} style={{ position: 'relative', height: Math.min(height, sortedRows.length * rowHeight + 2), overflowY: 'auto', outlineOffset: -2 }}>
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => {
                const row = sortedRows[item.index]!;
                const original = row.original;
                return (
                  <div
                    key={row.id}
                    role="row"
                    aria-rowindex={item.index + 2}
                    data-model={original.key['model'] ?? undefined}
                    style={{ position: 'absolute', top: 0, left: 0, right: 0, height: item.size, transform: `translateY(${item.start}px)`, display: 'grid', gridTemplateColumns: grid, alignItems: 'stretch', borderBottom: '1px solid var(--vigil-grid)' }}
                  >
                    {row.getVisibleCells().map((cell) => {
                      const id = cell.column.id;
                      if (id.startsWith('dim:')) {
                        const text = original.key[id.slice(4)] ?? '(none)';
                        return (
                          <div key={cell.id} role="cell" title={text} style={{ ...cellStyle, fontWeight: 600 }}>
                            {text}
                          </div>
                        );
                      }
                      const metric = id as MatrixMetric;
                      const spec = METRICS[metric];
                      if (isUnpriced(spec, original)) {
                        return (
                          <div key={cell.id} role="cell" style={{ ...cellStyle, justifyContent: 'flex-end' }}>
                            <span className="vigil-cost-unpriced" style={{ padding: '1px 6px', border: '1px dashed var(--vigil-warning)', borderRadius: 4, color: 'var(--vigil-fg)', fontSize: '0.75rem' }}>
                              {UNPRICED_TEXT}
                            </span>
                          </div>
                        );
                      }
                      const value = spec.value(original);
                      const range = ranges.get(metric);
                      const level = heatMap && range ? heatLevel(value, range.min, range.max, spec.direction) : undefined;
                      const best = level === 0 && data.length > 1;
                      return (
                        <div key={cell.id} role="cell" data-heat={level === undefined ? undefined : level.toFixed(2)} style={{ ...cellStyle, justifyContent: 'flex-end', gap: 4, background: heatBackground(level) }}>
                          {best && (
                            <span aria-hidden="true" title="Best in column" style={{ color: 'var(--vigil-fg-muted)' }}>
                              ★
                            </span>
                          )}
                          <span>{spec.text(original)}</span>
                          {best && <span className="vigil-visually-hidden"> (best)</span>}
                        </div>
                      );
                    })}
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      </div>
    );
  }

  return (
    <section ref={forwardedRef} aria-labelledby={titleId} className={classNames('vigil-cost-matrix', className)} style={{ ...panelStyle, display: 'grid', gap: 10, ...style }}>
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8, justifyContent: 'space-between' }}>
        <h3 id={titleId} style={headingStyle}>
          {title}
        </h3>
        <div style={{ display: 'flex', gap: 8, alignItems: 'center', position: 'relative' }}>
          <details className="vigil-cost-matrix__columns" style={{ position: 'relative' }}>
            <summary style={{ ...buttonStyle, listStyle: 'none' }}>Columns ({visibleMetrics.length})</summary>
            <fieldset style={{ position: 'absolute', insetInlineEnd: 0, zIndex: 3, margin: '4px 0 0', padding: 8, display: 'grid', gap: 4, minWidth: 200, background: 'var(--vigil-surface-raised)', border: '1px solid var(--vigil-border)', borderRadius: 'var(--vigil-radius, 6px)', boxShadow: 'var(--vigil-shadow)' }}>
              <legend className="vigil-visually-hidden">Visible columns</legend>
              {available.map((m) => (
                <label key={m} style={{ display: 'flex', gap: 6, alignItems: 'center', whiteSpace: 'nowrap' }}>
                  <input type="checkbox" checked={visibleMetrics.includes(m)} onChange={(e) => setVisible(e.currentTarget.checked ? [...visibleMetrics, m] : visibleMetrics.filter((x) => x !== m))} />
                  {METRICS[m].label}
                </label>
              ))}
            </fieldset>
          </details>
          <button type="button" style={buttonStyle} onClick={exportCsv} disabled={failed || data.length === 0}>
            Export CSV
          </button>
        </div>
      </div>
      <p id={noteId} style={{ margin: 0, fontSize: '0.75rem', ...mutedStyle }}>
        {data.length > 0 ? `${formatNumber(data.length, 3)} rows. ` : ''}Cells are shaded from best (green) to worst (red) in their column; ★ marks the best.
        {unpricedModels > 0 ? ` ${unpricedModels} ${unpricedModels === 1 ? 'row has' : 'rows have'} no price in the catalogue: shown as Unpriced, never $0.` : ''}
      </p>
      {body}
    </section>
  );
}

/**
 * Models side by side: spend, unit costs, latency percentiles, success, quality… from `aggregateUsage` rows.
 * TanStack Table underneath: every header sorts (aria-sort; missing and unpriced values last), a column picker
 * chooses the metrics, rows are virtualised (thousands stay fast), cells are shaded from best to worst in their
 * column with the value always written out (★ marks the best), unpriced models say "Unpriced" (never $0), and
 * Export CSV writes the visible columns through core's `toCsv` (formula injection neutralised).
 *
 * @example
 * const aggregate = aggregateUsage(table, priced, { by: ['provider', 'model'] });
 * <ModelComparisonMatrix rows={aggregate.rows} />
 */
export const ModelComparisonMatrix = /* @__PURE__ */ forwardRef<HTMLElement, ModelComparisonMatrixProps>(function ModelComparisonMatrix(props, ref): ReactNode {
  return (
    <VigilErrorBoundary resetKeys={[props.rows]} fallback={(error) => <ErrorBody error={error} />}>
      <MatrixInner {...props} forwardedRef={ref} />
    </VigilErrorBoundary>
  );
});

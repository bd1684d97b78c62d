import { forwardRef, useId, useMemo, useState, type CSSProperties, type ForwardedRef, type ReactNode } from 'react';
import { createColumnHelper, flexRender, getCoreRowModel, getSortedRowModel, useReactTable, type SortingState } from '@tanstack/react-table';
import type { AlertInterval, SLO, SLOStatus } from '@vigil/core/slo';
import { formatBudgetTime } from '@vigil/core/slo';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { classNames } from '../utils/class-names';
import { StatusIcon } from '../status/StatusIcon';
import { formatBurnRate, formatDateTime, formatWindow, sloTitle } from './format';
import { tierRows, type TierRow } from './model';
import { EmptyBody, ErrorBody, LoadingBody, SortArrow, hasError, headingStyle, mutedStyle, panelStyle, sortButtonStyle, tableStyle, tdStyle, thStyle } from './parts';

export interface BurnRateTableProps {
  readonly slo: SLO | null | undefined;
  /** `evaluateSLO` output: the burn rates now (the default burn-rate windows include every tier's windows). */
  readonly status: SLOStatus | null | undefined;
  /** `evaluateAlertHistory` output up to now: a tier with an open interval is firing. Without it, firing is computed from the burn rates now. */
  readonly alerts?: readonly AlertInterval[] | null | undefined;
  /** Caption; default "Burn-rate alerts: <SLO name>". */
  readonly title?: string | undefined;
  /** Controlled sorting (TanStack `SortingState`, such as `[{ id: 'longBurnRate', desc: true }]`). */
  readonly sorting?: SortingState | undefined;
  readonly defaultSorting?: SortingState | undefined;
  readonly onSortingChange?: ((sorting: SortingState) => void) | undefined;
  /** IANA zone of times. Default UTC. */
  readonly timeZone?: string | undefined;
  readonly loading?: boolean | undefined;
  readonly error?: unknown;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

const column = createColumnHelper<TierRow>();
const NO_SORTING: SortingState = [];

function isPage(severity: string): boolean {
  const s = severity.toLowerCase();
  return s === 'page' || s === 'critical';
}

function burnCell(value: number | null, threshold: number, reachable: boolean): ReactNode {
  if (value === null) return <span style={mutedStyle}>not reported</span>;
  const over = reachable && value > threshold;
  return (
    <span style={{ fontWeight: over ? 700 : 400, color: over ? 'var(--vigil-critical)' : undefined }}>
      {formatBurnRate(value)}
      {over && <span aria-hidden="true"> ▲</span>}
      {over && <span className="vigil-visually-hidden"> (above threshold)</span>}
    </span>
  );
}

function columnsFor(timeZone: string, now: number) {
  return [
    column.accessor('order', {
      id: 'tier',
      header: 'Tier',
      cell: (info) => (
        <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
          <strong>{info.row.original.tier}</strong>
          <span style={{ ...mutedStyle, fontSize: '0.75rem' }}>{info.row.original.severity}</span>
        </span>
      ),
    }),
    column.accessor((row) => row.longBurnRate ?? -1, {
      id: 'longBurnRate',
      header: 'Long burn',
      cell: (info) => (
        <span>
          <span style={mutedStyle}>{formatWindow(info.row.original.longWindowMs)} </span>
          {burnCell(info.row.original.longBurnRate, info.row.original.threshold, info.row.original.reachable)}
        </span>
      ),
    }),
    column.accessor((row) => row.shortBurnRate ?? -1, {
      id: 'shortBurnRate',
      header: 'Short burn',
      cell: (info) => (
        <span>
          <span style={mutedStyle}>{formatWindow(info.row.original.shortWindowMs)} </span>
          {burnCell(info.row.original.shortBurnRate, info.row.original.threshold, info.row.original.reachable)}
        </span>
      ),
    }),
    column.accessor('threshold', {
      header: 'Threshold',
      cell: (info) => (info.row.original.reachable ? formatBurnRate(info.getValue()) : <span title="The target is too loose for this factor: the tier can never fire">{formatBurnRate(info.getValue())} (unreachable)</span>),
    }),
    column.accessor((row) => (row.firing ? 1 : 0), {
      id: 'firing',
      header: 'State',
      cell: (info) => {
        const row = info.row.original;
        if (!row.firing) return <span style={mutedStyle}>OK</span>;
        const page = isPage(row.severity);
        return (
          <span style={{ display: 'inline-flex', alignItems: 'center', gap: 4, fontWeight: 700, color: page ? 'var(--vigil-critical)' : 'var(--vigil-warning)' }}>
            <StatusIcon status={page ? 'critical' : 'warning'} />
            Firing{row.firingSince !== null ? ` since ${formatDateTime(row.firingSince, timeZone)}` : ''}
          </span>
        );
      },
    }),
    column.accessor((row) => row.exhaustionAt ?? Number.MAX_SAFE_INTEGER, {
      id: 'exhaustion',
      header: 'Exhaustion',
      cell: (info) => {
        const at = info.row.original.exhaustionAt;
        if (at === null) return <span style={mutedStyle}>not burning</span>;
        if (at <= now) return <strong style={{ color: 'var(--vigil-critical)' }}>exhausted</strong>;
        if (at - now > 366 * 86_400_000) return <span style={mutedStyle}>over a year</span>;
        return (
          <span>
            in {formatBudgetTime(at - now)} <span style={mutedStyle}>({formatDateTime(at, timeZone)})</span>
          </span>
        );
      },
    }),
  ];
}

const ariaSort = { asc: 'ascending', desc: 'descending' } as const;

function BurnRateTableInner(props: BurnRateTableProps & { readonly forwardedRef: ForwardedRef<HTMLDivElement> }): ReactNode {
  const { slo, status, alerts, title, sorting: controlled, defaultSorting = NO_SORTING, onSortingChange, timeZone = 'UTC', loading = false, error, className, style, forwardedRef } = props;
  const captionId = useId();
  const [own, setOwn] = useState<SortingState>(defaultSorting);
  const sorting = controlled ?? own;
  const rows = useMemo(() => (slo && status ? tierRows(slo, status, alerts ?? undefined) : []), [slo, status, alerts]);
  const now = status?.at ?? 0;
  const columns = useMemo(() => columnsFor(timeZone, now), [timeZone, now]);
  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      if (controlled === undefined) setOwn(next);
      onSortingChange?.(next);
    },
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    sortDescFirst: false,
  });
  const heading = title ?? (slo ? `Burn-rate alerts: ${sloTitle(slo)}` : 'Burn-rate alerts');
  const failed = hasError(error);

  let body: ReactNode;
  if (failed) body = <ErrorBody error={error} />;
  else if (loading && rows.length === 0) body = <LoadingBody label={heading} />;
  else if (!slo || !status) body = <EmptyBody>No status for this SLO yet.</EmptyBody>;
  else if (rows.length === 0) body = <EmptyBody>This SLO has no alert tiers.</EmptyBody>;
  else {
    body = (
      <div style={{ overflowX: 'auto' }}>
        <table style={tableStyle} aria-labelledby={captionId}>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  return (
                    <th key={header.id} scope="col" style={thStyle} aria-sort={sorted === false ? 'none' : ariaSort[sorted]}>
                      <button type="button" style={sortButtonStyle} onClick={header.column.getToggleSortingHandler()}>
                        {flexRender(header.column.columnDef.header, header.getContext())}
                        <SortArrow direction={sorted} />
                      </button>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} data-tier={row.original.tier} data-firing={row.original.firing}>
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} style={{ ...tdStyle, whiteSpace: 'nowrap' }}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  const firing = rows.filter((r) => r.firing).length;
  return (
    <div ref={forwardedRef} role="region" aria-labelledby={captionId} aria-busy={loading || undefined} className={classNames('vigil-slo-burn-table', className)} style={{ ...panelStyle, ...style }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline', gap: 8, marginBottom: 6 }}>
        <h3 id={captionId} style={headingStyle}>
          {heading}
        </h3>
        {rows.length > 0 && !failed && (
          <span style={{ fontSize: '0.8125rem', ...mutedStyle }} aria-live="polite">
            {firing === 0 ? 'No tier firing' : `${firing} of ${rows.length} tiers firing`}
          </span>
        )}
      </div>
      {body}
    </div>
  );
}

/**
 * The multi-window, multi-burn-rate policy of an SLO and how each tier stands now: long and short window burn rates
 * (marked when above the threshold), the threshold factor, whether the tier is firing (and since when) and when the
 * budget runs out at the tier's long-window burn rate. Built on TanStack Table: every header sorts (click, Enter or
 * Space), with `aria-sort` on the header cell.
 *
 * @example
 * <BurnRateTable slo={slo} status={evaluateSLO(slo, events)} alerts={evaluateAlertHistory(slo, events, { range, stepMs: 60_000 })} />
 */
export const BurnRateTable = /* @__PURE__ */ forwardRef<HTMLDivElement, BurnRateTableProps>(function BurnRateTable(props, ref) {
  return (
    <VigilErrorBoundary
      resetKeys={[props.slo, props.status, props.alerts, props.error]}
      fallback={(caught) => (
        <div ref={ref} role="region" aria-label={props.title ?? 'Burn-rate alerts'} className={classNames('vigil-slo-burn-table', props.className)} style={{ ...panelStyle, ...props.style }}>
          <ErrorBody error={caught} />
        </div>
      )}
    >
      <BurnRateTableInner {...props} forwardedRef={ref} />
    </VigilErrorBoundary>
  );
});

export type { SortingState };

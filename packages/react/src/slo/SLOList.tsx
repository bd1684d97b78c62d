import { forwardRef, useCallback, useId, useMemo, useRef, useState, type CSSProperties, type ForwardedRef, type KeyboardEvent, type ReactNode } from 'react';
import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { classNames } from '../utils/class-names';
import { SLO_STATUS_ORDER, budgetTimeText, formatBurnRate, formatShare, formatWindow, sloTitle } from './format';
import { compareUrgency, filterItems, labelOptions, type SLOListItem } from './model';
import { BudgetBar, EmptyBody, ErrorBody, LoadingBody, SLOStatusBadge, SortArrow, buttonStyle, hasError, headingStyle, mutedStyle, numericStyle, panelStyle, sortButtonStyle } from './parts';

export type SLOListSortKey = 'name' | 'status' | 'attainment' | 'budget' | 'budgetTime' | 'burnRate';

/** Sort of the list: `budget` ascending (least budget left first) is "most urgent first", the default. */
export interface SLOListSort {
  readonly key: SLOListSortKey;
  readonly desc: boolean;
}

export interface SLOListProps {
  readonly items: readonly SLOListItem[] | null | undefined;
  /** Title; default "Service level objectives". */
  readonly title?: string | undefined;
  /** Controlled sort. */
  readonly sort?: SLOListSort | undefined;
  /** Initial sort for uncontrolled use. Default `{ key: 'budget', desc: false }` (most urgent first). */
  readonly defaultSort?: SLOListSort | undefined;
  readonly onSortChange?: ((sort: SLOListSort) => void) | undefined;
  /** Controlled label chips (`key=value`), all of which an SLO must carry. */
  readonly labels?: readonly string[] | undefined;
  readonly defaultLabels?: readonly string[] | undefined;
  readonly onLabelsChange?: ((labels: readonly string[]) => void) | undefined;
  /** Controlled text filter (name, display name, service, labels; case-insensitive). */
  readonly query?: string | undefined;
  readonly defaultQuery?: string | undefined;
  readonly onQueryChange?: ((query: string) => void) | undefined;
  /** Makes each SLO's name a button. Arrow keys, Home, End, PageUp and PageDown move between them. */
  readonly onSelect?: ((item: SLOListItem) => void) | undefined;
  /** Name of the selected SLO, marked with aria-current. */
  readonly selectedName?: string | undefined;
  /** Height of the scrolling rows area, CSS pixels. Default 420. */
  readonly height?: number | undefined;
  /** Height of one row, CSS pixels. Default 52. */
  readonly rowHeight?: number | undefined;
  /** A label key is offered as chips when it has at most this many values (others: use the text filter). Default 12. */
  readonly maxChipValues?: number | undefined;
  readonly loading?: boolean | undefined;
  readonly error?: unknown;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

const DEFAULT_SORT: SLOListSort = { key: 'budget', desc: false };
const NO_LABELS: readonly string[] = [];
const NO_ITEMS: readonly SLOListItem[] = [];
const GRID = 'minmax(11rem, 2.2fr) minmax(6.5rem, 0.9fr) minmax(6.5rem, 0.8fr) minmax(8rem, 1.4fr) minmax(9rem, 1.1fr) minmax(4.5rem, 0.6fr)';

const COLUMNS: readonly { readonly key: SLOListSortKey; readonly label: string; readonly align?: 'end' }[] = [
  { key: 'name', label: 'SLO' },
  { key: 'status', label: 'Status' },
  { key: 'attainment', label: 'Attainment', align: 'end' },
  { key: 'budget', label: 'Budget remaining' },
  { key: 'budgetTime', label: 'Budget left', align: 'end' },
  { key: 'burnRate', label: 'Burn', align: 'end' },
];

function compareBy(key: SLOListSortKey): (a: SLOListItem, b: SLOListItem) => number {
  const name = (a: SLOListItem, b: SLOListItem) => sloTitle(a.slo).localeCompare(sloTitle(b.slo));
  const numeric = (pick: (item: SLOListItem) => number | null) => (a: SLOListItem, b: SLOListItem) => {
    const x = pick(a);
    const y = pick(b);
    if (x === null || y === null) return x === y ? name(a, b) : x === null ? 1 : -1;
    return x - y || name(a, b);
  };
  switch (key) {
    case 'name':
      return name;
    case 'status':
      return numeric((i) => (i.status ? -SLO_STATUS_ORDER[i.status.status] : null));
    case 'attainment':
      return numeric((i) => i.status?.attainment ?? null);
    case 'budget':
      return compareUrgency;
    case 'budgetTime':
      return numeric((i) => i.status?.errorBudget.timeMs.remaining ?? null);
    case 'burnRate':
      return numeric((i) => (i.status ? -i.status.exhaustion.burnRate : null));
  }
}

/** Sorts a copy; `desc` reverses the order but keeps items without status last. */
export function sortItems<T extends SLOListItem>(items: readonly T[], sort: SLOListSort): T[] {
  const compare = compareBy(sort.key);
  const withStatus = items.filter((i) => i.status !== null && i.status !== undefined);
  const without = items.filter((i) => i.status === null || i.status === undefined);
  withStatus.sort(compare);
  without.sort(compareBy('name'));
  if (sort.desc) withStatus.reverse();
  return [...withStatus, ...without];
}

const cellStyle: CSSProperties = { display: 'flex', alignItems: 'center', minWidth: 0, padding: '0 8px', overflow: 'hidden' };

interface RowProps {
  readonly item: SLOListItem;
  readonly index: number;
  readonly selected: boolean;
  readonly onSelect: ((item: SLOListItem) => void) | undefined;
  readonly onKeyDown: (event: KeyboardEvent<HTMLButtonElement>, index: number) => void;
}

function Row({ item, index, selected, onSelect, onKeyDown }: RowProps): ReactNode {
  const { slo, status } = item;
  const name = sloTitle(slo);
  const meta = [slo.service, `target ${formatShare(slo.target, 3)}`].filter(Boolean).join(' · ');
  return (
    <>
      <div role="cell" style={{ ...cellStyle, flexDirection: 'column', alignItems: 'flex-start', justifyContent: 'center' }}>
        {onSelect ? (
          <button
            type="button"
            data-row-index={index}
            aria-current={selected || undefined}
            onClick={() => onSelect(item)}
            onKeyDown={(e) => onKeyDown(e, index)}
            style={{ maxWidth: '100%', margin: 0, padding: 0, border: 0, background: 'transparent', color: 'var(--vigil-fg)', font: 'inherit', fontWeight: 600, textAlign: 'start', cursor: 'pointer', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', textDecoration: selected ? 'underline' : 'none' }}
          >
            {name}
          </button>
        ) : (
          <span style={{ maxWidth: '100%', fontWeight: 600, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{name}</span>
        )}
        <span style={{ maxWidth: '100%', fontSize: '0.75rem', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', ...mutedStyle }}>{meta}</span>
      </div>
      <div role="cell" style={cellStyle}>
        {status ? <SLOStatusBadge status={status.status} /> : <span style={mutedStyle}>Unknown</span>}
      </div>
      <div role="cell" style={{ ...cellStyle, justifyContent: 'flex-end' }}>
        {status ? (status.attainment === null ? <span style={mutedStyle}>No data</span> : formatShare(status.attainment, 3)) : '—'}
      </div>
      <div role="cell" style={{ ...cellStyle, gap: 8 }}>
        {status ? (
          <>
            <BudgetBar remaining={status.errorBudget.ratio.remaining} atRisk={slo.status.atRiskRemaining} label={`Error budget remaining for ${name}`} width="100%" />
            <span style={{ flex: 'none', minWidth: '3.6em', textAlign: 'end', color: status.errorBudget.ratio.remaining < 0 ? 'var(--vigil-critical)' : undefined }}>{formatShare(status.errorBudget.ratio.remaining, 0)}</span>
          </>
        ) : (
          '—'
        )}
      </div>
      <div role="cell" style={{ ...cellStyle, justifyContent: 'flex-end', whiteSpace: 'nowrap' }}>
        {status ? budgetTimeText(status.errorBudget.timeMs.remaining) : '—'}
      </div>
      <div role="cell" style={{ ...cellStyle, justifyContent: 'flex-end' }} title={status ? `Burn rate over ${formatWindow(status.exhaustion.windowMs)}` : undefined}>
        {status ? formatBurnRate(status.exhaustion.burnRate) : '—'}
      </div>
    </>
  );
}

function SLOListInner(props: SLOListProps & { readonly forwardedRef: ForwardedRef<HTMLDivElement> }): ReactNode {
  const {
    items, title = 'Service level objectives', onSortChange, onLabelsChange, onQueryChange, onSelect, selectedName, height = 420, rowHeight = 52, maxChipValues = 12, loading = false, error, className, style, forwardedRef,
  } = props;
  const titleId = useId();
  const countId = useId();
  const [ownSort, setOwnSort] = useState<SLOListSort>(props.defaultSort ?? DEFAULT_SORT);
  const [ownLabels, setOwnLabels] = useState<readonly string[]>(props.defaultLabels ?? NO_LABELS);
  const [ownQuery, setOwnQuery] = useState(props.defaultQuery ?? '');
  const sort = props.sort ?? ownSort;
  const labels = props.labels ?? ownLabels;
  const query = props.query ?? ownQuery;
  const all = items ?? NO_ITEMS;

  const setSort = (next: SLOListSort) => {
    if (props.sort === undefined) setOwnSort(next);
    onSortChange?.(next);
  };
  const setLabels = (next: readonly string[]) => {
    if (props.labels === undefined) setOwnLabels(next);
    onLabelsChange?.(next);
  };
  const setQuery = (next: string) => {
    if (props.query === undefined) setOwnQuery(next);
    onQueryChange?.(next);
  };

  const chips = useMemo(() => {
    const options = labelOptions(all);
    const perKey = new Map<string, number>();
    for (const o of options) {
      const key = o.label.slice(0, o.label.indexOf('='));
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
    }
    return options.filter((o) => (perKey.get(o.label.slice(0, o.label.indexOf('='))) ?? 0) <= maxChipValues);
  }, [all, maxChipValues]);
  const visible = useMemo(() => sortItems(filterItems(all, labels, query), sort), [all, labels, query, sort]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 6,
    initialRect: { width: 960, height },
    // Without layout (a hidden tab, jsdom) the element measures 0 px: render the first window anyway.
    observeElementRect: (instance, callback) => observeElementRect(instance, (rect) => callback(rect.height > 0 ? rect : { width: rect.width, height })),
  });

  const focusRow = useCallback(
    (index: number) => {
      const target = Math.max(0, Math.min(visible.length - 1, index));
      virtualizer.scrollToIndex(target, { align: 'auto' });
      const tryFocus = (attempt: number) => {
        const button = scrollRef.current?.querySelector<HTMLButtonElement>(`button[data-row-index="${target}"]`);
        if (button) button.focus();
        else if (attempt < 5) requestAnimationFrame(() => tryFocus(attempt + 1));
      };
      tryFocus(0);
    },
    [virtualizer, visible.length],
  );
  const onRowKeyDown = useCallback(
    (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
      const page = Math.max(1, Math.floor(height / rowHeight) - 1);
      const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: visible.length - 1, PageDown: index + page, PageUp: index - page };
      const next = moves[event.key];
      if (next === undefined) return;
      event.preventDefault();
      focusRow(next);
    },
    [focusRow, height, rowHeight, visible.length],
  );

  const failed = hasError(error);
  const header = (
    <div role="row" aria-rowindex={1} style={{ display: 'grid', gridTemplateColumns: GRID, alignItems: 'center', minHeight: 34, borderBottom: '1px solid var(--vigil-border)', color: 'var(--vigil-fg-muted)', fontSize: '0.8125rem' }}>
      {COLUMNS.map((c) => {
        const active = sort.key === c.key;
        return (
          <div key={c.key} role="columnheader" aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'} style={{ ...cellStyle, overflow: 'visible', justifyContent: c.align === 'end' ? 'flex-end' : 'flex-start' }}>
            <button type="button" style={sortButtonStyle} onClick={() => setSort({ key: c.key, desc: active ? !sort.desc : false })}>
              {c.label}
              <SortArrow direction={active ? (sort.desc ? 'desc' : 'asc') : false} />
            </button>
          </div>
        );
      })}
    </div>
  );

  let body: ReactNode;
  if (failed) body = <ErrorBody error={error} />;
  else if (loading && all.length === 0) body = <LoadingBody label={title} lines={5} />;
  else if (all.length === 0) body = <EmptyBody>No SLOs defined yet.</EmptyBody>;
  else {
    const virtualItems = virtualizer.getVirtualItems();
    body = (
      <div style={{ overflowX: 'auto' }}>
        <div role="table" aria-labelledby={titleId} aria-describedby={countId} aria-rowcount={visible.length + 1} style={{ minWidth: 760, fontSize: '0.8125rem', ...numericStyle }}>
          <div role="rowgroup">{header}</div>
          <div
            ref={scrollRef}
            role="rowgroup"
            tabIndex={onSelect ? -1 : 0}
            aria-label={`${visible.length} SLOs${visible.length > 0 ? ', scroll for more' : ''}`}
            className="vigil-slo-list__rows"
            data-testid="vigil-slo-list-rows"
            style={{ position: 'relative', height: Math.min(height, Math.max(rowHeight, visible.length * rowHeight)), overflowY: 'auto', overscrollBehavior: 'contain' }}
          >
            {visible.length === 0 ? (
              <p style={{ margin: 0, padding: 12, ...mutedStyle }}>No SLO matches the filters.</p>
            ) : (
              <div style={{ position: 'relative', height: virtualizer.getTotalSize() }}>
                {virtualItems.map((v) => {
                  const item = visible[v.index] as SLOListItem;
                  const selected = selectedName !== undefined && item.slo.name === selectedName;
                  return (
                    <div
                      key={item.slo.name}
                      role="row"
                      aria-rowindex={v.index + 2}
                      data-index={v.index}
                      data-slo={item.slo.name}
                      data-status={item.status?.status}
                      style={{
                        position: 'absolute',
                        top: 0,
                        left: 0,
                        right: 0,
                        height: rowHeight,
                        transform: `translateY(${v.start}px)`,
                        display: 'grid',
                        gridTemplateColumns: GRID,
                        alignItems: 'stretch',
                        borderBottom: '1px solid var(--vigil-grid)',
                        background: selected ? 'var(--vigil-surface-raised)' : undefined,
                        boxShadow: selected ? 'inset 3px 0 0 var(--vigil-focus)' : undefined,
                      }}
                    >
                      <Row item={item} index={v.index} selected={selected} onSelect={onSelect} onKeyDown={onRowKeyDown} />
                    </div>
                  );
                })}
              </div>
            )}
          </div>
        </div>
      </div>
    );
  }

  return (
    <div ref={forwardedRef} role="region" aria-labelledby={titleId} aria-busy={loading || undefined} className={classNames('vigil-slo-list', className)} style={{ ...panelStyle, display: 'flex', flexDirection: 'column', gap: 10, ...style }}>
      <div style={{ display: 'flex', flexWrap: 'wrap', justifyContent: 'space-between', alignItems: 'baseline', gap: 8 }}>
        <h3 id={titleId} style={headingStyle}>
          {title}
        </h3>
        <span id={countId} aria-live="polite" style={{ fontSize: '0.8125rem', ...mutedStyle }}>
          {failed || (loading && all.length === 0) ? '' : visible.length === all.length ? `${all.length.toLocaleString('en-US')} SLOs` : `Showing ${visible.length.toLocaleString('en-US')} of ${all.length.toLocaleString('en-US')} SLOs`}
        </span>
      </div>
      {!failed && all.length > 0 && (
        <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 6 }}>
          <input
            type="search"
            aria-label="Filter SLOs by name, service or label"
            placeholder="Filter by name, service, label…"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            style={{ flex: '1 1 14rem', minWidth: 0, padding: '5px 8px', border: '1px solid var(--vigil-border)', borderRadius: 'var(--vigil-radius, 6px)', background: 'var(--vigil-surface)', color: 'var(--vigil-fg)', font: 'inherit', fontSize: '0.8125rem' }}
          />
          {chips.length > 0 && (
            <div role="group" aria-label="Filter by label" style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}>
              {chips.map((chip) => {
                const on = labels.includes(chip.label);
                return (
                  <button
                    key={chip.label}
                    type="button"
                    aria-pressed={on}
                    onClick={() => setLabels(on ? labels.filter((l) => l !== chip.label) : [...labels, chip.label])}
                    style={{ ...buttonStyle, padding: '2px 8px', borderRadius: 999, fontSize: '0.75rem', background: on ? 'var(--vigil-fg)' : 'var(--vigil-surface-raised)', color: on ? 'var(--vigil-surface)' : 'var(--vigil-fg)', borderColor: on ? 'var(--vigil-fg)' : 'var(--vigil-border)' }}
                  >
                    {on && <span aria-hidden="true">✓</span>}
                    {chip.label}
                    <span style={{ opacity: 0.75 }}>{chip.count}</span>
                  </button>
                );
              })}
            </div>
          )}
          {(labels.length > 0 || query !== '') && (
            <button type="button" style={{ ...buttonStyle, padding: '2px 8px', fontSize: '0.75rem' }} onClick={() => { setLabels(NO_LABELS); setQuery(''); }}>
              Clear filters
            </button>
          )}
        </div>
      )}
      {body}
    </div>
  );
}

/**
 * Many SLOs in one sortable, filterable list: status (icon and words), attainment, a budget-remaining bar, budget
 * left as time and the current burn rate. Sorted most urgent first (least budget left) by default; every header
 * sorts. Label chips (`team=payments`) and a text filter narrow it. Rows are virtualised (TanStack Virtual), so
 * thousands of SLOs scroll smoothly with only a window of rows in the DOM.
 *
 * @example
 * <SLOList items={slos.map((slo) => ({ slo, status: evaluateSLO(slo, eventsFor(slo)) }))} onSelect={(i) => open(i.slo.name)} />
 */
export const SLOList = /* @__PURE__ */ forwardRef<HTMLDivElement, SLOListProps>(function SLOList(props, ref) {
  return (
    <VigilErrorBoundary
      resetKeys={[props.items, props.error]}
      fallback={(caught) => (
        <div ref={ref} role="region" aria-label={props.title ?? 'Service level objectives'} className={classNames('vigil-slo-list', props.className)} style={{ ...panelStyle, ...props.style }}>
          <ErrorBody error={caught} />
        </div>
      )}
    >
      <SLOListInner {...props} forwardedRef={ref} />
    </VigilErrorBoundary>
  );
});



import {
  forwardRef,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type ForwardedRef,
  type HTMLAttributes,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { ValidationError } from '@vigil/core';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { classNames } from '../utils/class-names';
import { describeError } from '../utils/errors';
import { StatusIcon } from './StatusIcon';
import { HEALTH_LABELS, compareHealth, isHealthState, type HealthState } from './status';

/** One service (or any entity) and its health. */
export interface HealthItem {
  /** Unique within the list. */
  readonly id: string;
  readonly label: string;
  readonly status: HealthState;
  /** A short line under the label, such as "error rate 4.2%". */
  readonly detail?: ReactNode | undefined;
  /** A value at the end of the row, such as "182 ms". */
  readonly value?: ReactNode | undefined;
}

export interface HealthStatusProps extends Omit<HTMLAttributes<HTMLDivElement>, 'onSelect' | 'children' | 'title'> {
  readonly items: readonly HealthItem[] | null | undefined;
  /** Names the list (also shown in the summary). Default "Service health". */
  readonly title?: string | undefined;
  /** `full` (default): one row per item with detail and value. `compact`: a grid of chips. */
  readonly variant?: 'full' | 'compact' | undefined;
  /** Makes every item a button; Enter or Space (or a click) selects. Arrow keys, Home and End move focus. */
  readonly onSelect?: ((item: HealthItem) => void) | undefined;
  /** The selected item's id, marked with `aria-current`. */
  readonly selectedId?: string | undefined;
  /** `severity`: worst first (critical, warning, unknown, ok), stable within a state. Default `none`. */
  readonly sort?: 'none' | 'severity' | undefined;
  /** Show the counts header ("5 healthy · 1 critical"). Default true. */
  readonly showSummary?: boolean | undefined;
  readonly loading?: boolean | undefined;
  readonly error?: unknown | undefined;
  /** Shown when there are no items. */
  readonly emptyMessage?: ReactNode | undefined;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

const summaryOrder: readonly HealthState[] = ['ok', 'warning', 'critical', 'unknown'];
const summaryWords: Readonly<Record<HealthState, string>> = { ok: 'healthy', warning: 'warning', critical: 'critical', unknown: 'unknown' };

/**
 * Counts per state in the summary's words, such as "5 healthy · 1 critical".
 *
 * @example
 * healthSummary([{ status: 'ok' }, { status: 'critical' }]) // "1 healthy · 1 critical"
 */
export function healthSummary(items: ReadonlyArray<Pick<HealthItem, 'status'>>): string {
  const counts = countStates(items);
  const parts = summaryOrder.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${summaryWords[s]}`);
  return parts.length === 0 ? 'no items' : parts.join(' · ');
}

function countStates(items: ReadonlyArray<Pick<HealthItem, 'status'>>): Record<HealthState, number> {
  const counts: Record<HealthState, number> = { ok: 0, warning: 0, critical: 0, unknown: 0 };
  for (const item of items) counts[item.status]++;
  return counts;
}

function validateItems(items: unknown): readonly HealthItem[] {
  if (items === null || items === undefined) return [];
  if (!Array.isArray(items)) throw new ValidationError('items', 'an array of { id, label, status }', items);
  const seen = new Set<string>();
  items.forEach((item: unknown, i) => {
    if (item === null || typeof item !== 'object') throw new ValidationError(`items[${i}]`, 'an object with id, label and status', item);
    const { id, label, status } = item as Record<string, unknown>;
    if (typeof id !== 'string' || id === '') throw new ValidationError(`items[${i}].id`, 'a non-empty string', id);
    if (seen.has(id)) throw new ValidationError(`items[${i}].id`, 'an id not used by another item', id);
    seen.add(id);
    if (typeof label !== 'string') throw new ValidationError(`items[${i}].label`, 'a string', label);
    if (!isHealthState(status)) throw new ValidationError(`items[${i}].status`, '"ok", "warning", "critical" or "unknown"', status);
  });
  return items as readonly HealthItem[];
}

interface InnerProps extends HealthStatusProps {
  readonly forwardedRef: ForwardedRef<HTMLDivElement>;
}

function HealthStatusInner({
  items: itemsProp, title = 'Service health', variant = 'full', onSelect, selectedId, sort = 'none', showSummary = true, loading = false,
  error, emptyMessage = 'No services to show.', className, style, forwardedRef, ...rest
}: InnerProps) {
  const items = useMemo(() => {
    const valid = validateItems(itemsProp);
    if (sort !== 'severity') return valid;
    // Stable: equal states keep their input order.
    return valid.map((item, index) => ({ item, index })).sort((a, b) => compareHealth(b.item.status, a.item.status) || a.index - b.index).map((e) => e.item);
  }, [itemsProp, sort]);
  const counts = useMemo(() => countStates(items), [items]);
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);
  const selectedIndex = selectedId === undefined ? -1 : items.findIndex((item) => item.id === selectedId);
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  // The one item in the tab order: the last focused, else the selected, else the first.
  const tabIndexOf = focusIndex !== null && focusIndex < items.length ? focusIndex : Math.min(Math.max(selectedIndex, 0), items.length - 1);

  const hasError = error !== undefined && error !== null && error !== false;
  const showSkeleton = loading && items.length === 0 && !hasError;

  const move = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    let next = index;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowRight':
        next = Math.min(items.length - 1, index + 1);
        break;
      case 'ArrowUp':
      case 'ArrowLeft':
        next = Math.max(0, index - 1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = items.length - 1;
        break;
      default:
        return;
    }
    event.preventDefault();
    setFocusIndex(next);
    buttons.current[next]?.focus();
  };

  let body: ReactNode;
  if (hasError) {
    const { message, code } = describeError(error);
    body = (
      <div className="vigil-error-state" role="alert">
        <StatusIcon status="critical" />
        <span>
          <span className="vigil-visually-hidden">Error: </span>
          {message}
          {code && <span className="vigil-error-state__code"> ({code})</span>}
        </span>
      </div>
    );
  } else if (showSkeleton) {
    body = (
      <div className="vigil-health__list" aria-hidden="true">
        <span className="vigil-skeleton vigil-health__skeleton" />
        <span className="vigil-skeleton vigil-health__skeleton" />
        <span className="vigil-skeleton vigil-health__skeleton" />
      </div>
    );
  } else if (items.length === 0) {
    body = <p className="vigil-health__empty">{emptyMessage}</p>;
  } else {
    const compact = variant === 'compact';
    body = (
      <ul className="vigil-health__list" aria-label={title}>
        {items.map((item, index) => {
          const content = (
            <>
              <StatusIcon status={item.status} className="vigil-health__icon" />
              <span className="vigil-health__text">
                <span className="vigil-health__label">{item.label}</span>
                {!compact && item.detail !== undefined && <span className="vigil-health__detail">{item.detail}</span>}
              </span>
              {!compact && item.value !== undefined && <span className="vigil-health__value">{item.value}</span>}
              <span className={compact ? 'vigil-visually-hidden' : 'vigil-health__status-text'}>
                {compact ? `, ${HEALTH_LABELS[item.status]}` : HEALTH_LABELS[item.status]}
              </span>
            </>
          );
          const itemClass = classNames('vigil-health__item', `vigil-status--${item.status}`);
          return (
            <li key={item.id} data-status={item.status} title={compact && typeof item.detail === 'string' ? item.detail : undefined}>
              {onSelect ? (
                <button
                  type="button"
                  ref={(node) => {
                    buttons.current[index] = node;
                  }}
                  className={itemClass}
                  tabIndex={index === tabIndexOf ? 0 : -1}
                  aria-current={index === selectedIndex ? 'true' : undefined}
                  onFocus={() => setFocusIndex(index)}
                  onKeyDown={(event) => move(event, index)}
                  onClick={() => onSelect(item)}
                >
                  {content}
                </button>
              ) : (
                <div className={itemClass}>{content}</div>
              )}
            </li>
          );
        })}
      </ul>
    );
  }

  return (
    <div
      ref={forwardedRef}
      className={classNames('vigil-health', `vigil-health--${variant}`, className)}
      style={style}
      aria-busy={loading || undefined}
      {...rest}
    >
      {showSummary && (
        <p className="vigil-health__summary">
          <span className="vigil-health__summary-title">{title}</span>
          {!hasError && !showSkeleton && items.length > 0 && (
            <>
              <span aria-hidden="true">·</span>
              <span className="vigil-visually-hidden">{healthSummary(items)}</span>
              {summaryOrder
                .filter((s) => counts[s] > 0)
                .map((s) => (
                  <span key={s} className={`vigil-health__count vigil-status--${s}`} aria-hidden="true">
                    <StatusIcon status={s} />
                    {counts[s]} {summaryWords[s]}
                  </span>
                ))}
            </>
          )}
          {showSkeleton && <span>Loading…</span>}
        </p>
      )}
      {body}
    </div>
  );
}

/**
 * The health of many services at a glance: a counts header ("5 healthy · 1 critical") and a list whose items show
 * their state as colour, icon shape and words. With `onSelect`, items are buttons with one tab stop (arrow keys,
 * Home and End move between them; Enter or Space selects). Full and compact variants; loading, empty and error
 * states; never breaks the host page.
 *
 * @example
 * <HealthStatus
 *   items={[{ id: 'api', label: 'api-gateway', status: 'ok', value: '182 ms' }, { id: 'db', label: 'postgres', status: 'critical' }]}
 *   onSelect={(item) => setService(item.id)}
 * />
 */
export const HealthStatus = /* @__PURE__ */ forwardRef<HTMLDivElement, HealthStatusProps>(function HealthStatus(props, ref) {
  return (
    <VigilErrorBoundary
      resetKeys={Object.values(props)}
      fallback={(error) => (
        <HealthStatusInner
          items={[]}
          error={error}
          forwardedRef={ref}
          {...(props.title === undefined ? {} : { title: props.title })}
          {...(props.className === undefined ? {} : { className: props.className })}
          {...(props.style === undefined ? {} : { style: props.style })}
        />
      )}
    >
      <HealthStatusInner {...props} forwardedRef={ref} />
    </VigilErrorBoundary>
  );
});

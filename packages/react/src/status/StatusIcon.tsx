import type { SVGProps } from 'react';
import { HEALTH_LABELS, type HealthState } from './status';
import { classNames } from '../utils/class-names';

export interface StatusIconProps extends Omit<SVGProps<SVGSVGElement>, 'ref'> {
  readonly status: HealthState;
}

/**
 * A status icon whose SHAPE differs per state, so the state reads without colour: a circle with a tick (ok), a
 * triangle with an exclamation mark (warning), an octagon with a cross (critical), a hollow circle with a question
 * mark (unknown). Decorative (`aria-hidden`): always pair it with the state in words.
 *
 * @example
 * <StatusIcon status="critical" /> <span>Critical</span>
 */
export function StatusIcon({ status, className, ...rest }: StatusIconProps) {
  const mark = { fill: 'none', stroke: 'var(--vigil-surface)', strokeWidth: 1.8, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;
  return (
    <svg
      viewBox="0 0 16 16"
      aria-hidden="true"
      focusable="false"
      data-status={status}
      className={classNames('vigil-status-icon', className)}
      {...rest}
    >
      {status === 'ok' && (
        <>
          <circle cx="8" cy="8" r="7" fill="currentColor" />
          <path d="M4.8 8.3 7 10.4l4.2-4.6" {...mark} />
        </>
      )}
      {status === 'warning' && (
        <>
          <path d="M8 1.2 15.2 14H0.8Z" fill="currentColor" stroke="currentColor" strokeWidth="0.8" strokeLinejoin="round" />
          <path d="M8 5.6v4" {...mark} />
          <circle cx="8" cy="11.9" r="0.95" fill="var(--vigil-surface)" />
        </>
      )}
      {status === 'critical' && (
        <>
          <path d="M5.1 1h5.8L15 5.1v5.8L10.9 15H5.1L1 10.9V5.1Z" fill="currentColor" />
          <path d="M5.6 5.6l4.8 4.8M10.4 5.6l-4.8 4.8" {...mark} />
        </>
      )}
      {status === 'unknown' && (
        <>
          <circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" strokeWidth="1.6" />
          <path d="M6.2 6.3a1.9 1.9 0 1 1 2.7 1.7c-.6.3-.9.7-.9 1.3v.3" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
          <circle cx="8" cy="11.6" r="0.9" fill="currentColor" />
        </>
      )}
    </svg>
  );
}

export interface StatusBadgeProps {
  readonly status: HealthState;
  /** The words; default `HEALTH_LABELS[status]`. */
  readonly label?: string;
  readonly className?: string;
}

/**
 * Icon plus words for a state, in the state's colour (the status colours pass text contrast in every theme).
 *
 * @example
 * <StatusBadge status="warning" /> // ⚠ Warning
 */
export function StatusBadge({ status, label, className }: StatusBadgeProps) {
  return (
    <span className={classNames('vigil-status-badge', `vigil-status--${status}`, className)} data-status={status}>
      <StatusIcon status={status} />
      <span>{label ?? HEALTH_LABELS[status]}</span>
    </span>
  );
}

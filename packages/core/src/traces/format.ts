/**
 * A short human duration for nanoseconds: `812ns`, `4.2µs`, `13.5ms`, `2.31s`, `4m 05s`. Negative values get a
 * minus sign; non-finite values are written as they are (`NaN`).
 *
 * @example
 * formatDurationNs(13_500_000); // '13.5ms'
 */
export function formatDurationNs(ns: number): string {
  if (typeof ns !== 'number' || !Number.isFinite(ns)) return String(ns);
  if (ns < 0) return `-${formatDurationNs(-ns)}`;
  // Trailing zeros are trimmed only after a decimal point: 100ns stays 100ns, 0 stays 0ns.
  const trim = (x: number, digits: number): string => (digits === 0 ? x.toFixed(0) : x.toFixed(digits).replace(/\.?0+$/, ''));
  if (ns < 1e3) return `${trim(ns, 0)}ns`;
  if (ns < 1e6) return `${trim(ns / 1e3, ns < 1e4 ? 2 : 1)}µs`;
  if (ns < 1e9) return `${trim(ns / 1e6, ns < 1e7 ? 2 : 1)}ms`;
  if (ns < 60e9) return `${trim(ns / 1e9, 2)}s`;
  const totalSeconds = Math.round(ns / 1e9);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes}m ${String(totalSeconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

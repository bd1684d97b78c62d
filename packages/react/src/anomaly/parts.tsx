import type { CSSProperties, ReactNode } from 'react';
import type { AnomalyDirection, AnomalyExplanation, DetectorKind } from '@vigil/core/anomaly';

/** The name of a detector, as a person would say it. */
export const DETECTOR_NAMES: Readonly<Record<DetectorKind, string>> = {
  zscore: 'rolling z-score',
  'robust-zscore': 'robust z-score (median/MAD)',
  ewma: 'EWMA',
  seasonal: 'seasonal forecast (Holt-Winters)',
  cusum: 'CUSUM change detector',
  bocpd: 'Bayesian change-point detector',
  ensemble: 'ensemble',
  'windowed-gaussian': 'windowed Gaussian',
};

export const DIRECTION_WORDS: Readonly<Record<AnomalyDirection, string>> = { above: 'above expected', below: 'below expected', change: 'level change' };

/** The detector that fired: for the ensemble, the member that contributed most, when it is known. */
export function firingDetector(anomaly: AnomalyExplanation): string {
  const name = DETECTOR_NAMES[anomaly.detector] ?? anomaly.detector;
  const members = anomaly.contributors;
  if (anomaly.detector !== 'ensemble' || members === undefined || members.length === 0) return name;
  let lead = members[0] as AnomalyExplanation;
  for (const m of members) if (m.score / (m.threshold || 1) > lead.score / (lead.threshold || 1)) lead = m;
  return `${name}, led by the ${DETECTOR_NAMES[lead.detector] ?? lead.detector}`;
}

/** A flag's marker: a triangle up (above), down (below) or a diamond (change), so the shape carries the direction. */
export function FlagShape({ direction, size = 12, selected = false }: { direction: AnomalyDirection; size?: number; selected?: boolean }): ReactNode {
  const s = size;
  const points = direction === 'above' ? `${s / 2},1 ${s - 1},${s - 1} 1,${s - 1}` : direction === 'below' ? `1,1 ${s - 1},1 ${s / 2},${s - 1}` : `${s / 2},0 ${s},${s / 2} ${s / 2},${s} 0,${s / 2}`;
  return (
    <svg width={s} height={s} viewBox={`0 0 ${s} ${s}`} aria-hidden="true" focusable="false" style={{ display: 'block', overflow: 'visible' }}>
      <polygon points={points} style={{ fill: 'var(--vigil-critical, #c2261e)', stroke: selected ? 'var(--vigil-fg, #1a1a1a)' : 'var(--vigil-surface, #fff)', strokeWidth: selected ? 2 : 1.5, strokeLinejoin: 'round' }} />
    </svg>
  );
}

const swatchBox: CSSProperties = { display: 'inline-block', width: 18, height: 10, verticalAlign: 'middle', marginRight: 4 };

/** A static legend entry (the anomaly and forecast charts' layers are not toggled). */
export function LegendEntry({ kind, color, label, opacity = 1, direction }: { kind: 'line' | 'dashed' | 'band' | 'flag'; color: string; label: string; opacity?: number; direction?: AnomalyDirection }): ReactNode {
  let swatch: ReactNode;
  if (kind === 'flag') swatch = <span style={{ ...swatchBox, width: 12, height: 12 }}><FlagShape direction={direction ?? 'above'} size={12} /></span>;
  else if (kind === 'band') swatch = <span style={{ ...swatchBox, background: color, opacity: 0.25 * opacity, border: `1px solid ${color}` }} />;
  else swatch = <span style={{ ...swatchBox, height: 0, borderTop: `2px ${kind === 'dashed' ? 'dashed' : 'solid'} ${color}`, marginBottom: 2 }} />;
  return (
    <li style={{ display: 'inline-flex', alignItems: 'center', marginRight: 12, color: 'var(--vigil-fg, #1a1a1a)' }}>
      {swatch}
      {label}
    </li>
  );
}

export const legendListStyle: CSSProperties = { listStyle: 'none', margin: '0 0 6px', padding: 0, display: 'flex', flexWrap: 'wrap', rowGap: 4, fontSize: 12 };

export const mutedText: CSSProperties = { color: 'var(--vigil-fg-muted, #5c6370)' };

export const smallButton: CSSProperties = {
  font: 'inherit',
  fontSize: 12,
  padding: '3px 8px',
  borderRadius: 4,
  border: '1px solid var(--vigil-border, #d0d4da)',
  background: 'var(--vigil-surface-raised, var(--vigil-surface, #fff))',
  color: 'var(--vigil-fg, #1a1a1a)',
  cursor: 'pointer',
};

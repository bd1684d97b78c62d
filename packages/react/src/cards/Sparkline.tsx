import { forwardRef, useMemo, type CSSProperties, type ForwardedRef, type SVGAttributes } from 'react';
import { line as d3Line, area as d3Area } from 'd3-shape';
import { ValidationError } from '@vigil/core';
import { downsampleM4 } from '@vigil/core/series';
import type { Series } from '@vigil/core';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { classNames } from '../utils/class-names';
import { formatValue, type ValueUnit } from '../utils/format';

/** The columns a sparkline draws: a `Series` or any pair of equal-length numeric arrays (timestamps ascending). */
export interface SparklineData {
  readonly timestamps: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

export interface SparklineProps extends Omit<SVGAttributes<SVGSVGElement>, 'children' | 'width' | 'height' | 'ref'> {
  /** The points; NaN values are gaps that break the line. */
  readonly data: Series | SparklineData | null | undefined;
  /** Width in CSS pixels (also the number of columns kept by downsampling). Default 120. */
  readonly width?: number | undefined;
  /** Height in CSS pixels. Default 32. */
  readonly height?: number | undefined;
  /** Hidden from assistive technology, for a sparkline inside a card that already states the value. */
  readonly decorative?: boolean | undefined;
  /** Accessible name when not decorative; a summary (last, min, max) is appended. Default "Trend". */
  readonly label?: string | undefined;
  /** Unit of the values, for the accessible summary. */
  readonly unit?: ValueUnit | undefined;
  /** Fill the area under the line. */
  readonly area?: boolean | undefined;
  /** Line colour, any CSS colour. Default `var(--vigil-series-1)`. */
  readonly color?: string | undefined;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

const PAD = 2;

interface Geometry {
  readonly line: string;
  readonly area: string;
  readonly last: { x: number; y: number } | undefined;
  readonly min: number;
  readonly max: number;
  readonly lastValue: number;
  readonly finiteCount: number;
}

function checkDimension(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1 || value > 100_000) {
    throw new ValidationError(path, 'a number of CSS pixels from 1 to 100000', value);
  }
  return value;
}

/** Computes the paths once per data/size; exported for tests. */
export function sparklineGeometry(data: SparklineData, width: number, height: number): Geometry {
  const { timestamps, values } = data;
  if (!timestamps || !values || typeof timestamps.length !== 'number' || typeof values.length !== 'number') {
    throw new ValidationError('data', 'an object with timestamps and values arrays', data);
  }
  if (timestamps.length !== values.length) {
    throw new ValidationError('data.values', `an array as long as timestamps (${timestamps.length})`, values);
  }
  let ts: ArrayLike<number> = timestamps;
  let vs: ArrayLike<number> = values;
  const n = ts.length;
  const first = n > 0 ? (ts[0] ?? Number.NaN) : Number.NaN;
  const lastT = n > 0 ? (ts[n - 1] ?? Number.NaN) : Number.NaN;
  const columns = Math.max(1, Math.round(width));
  if (n > 4 * columns && Number.isFinite(first) && Number.isFinite(lastT) && lastT > first) {
    const reduced = downsampleM4(ts, vs, { start: first, end: lastT, pixels: columns });
    ts = reduced.timestamps;
    vs = reduced.values;
  }
  let min = Infinity;
  let max = -Infinity;
  let lastValue = Number.NaN;
  let finiteCount = 0;
  for (let i = 0; i < vs.length; i++) {
    const v = vs[i] ?? Number.NaN;
    if (!Number.isFinite(v) || !Number.isFinite(ts[i] ?? Number.NaN)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    lastValue = v;
    finiteCount++;
  }
  if (finiteCount === 0) return { line: '', area: '', last: undefined, min: Number.NaN, max: Number.NaN, lastValue: Number.NaN, finiteCount };
  const t0 = ts[0] ?? 0;
  const t1 = ts[ts.length - 1] ?? 0;
  const spanT = t1 - t0;
  const lo = min === max ? min - 1 : min;
  const hi = min === max ? max + 1 : max;
  const x = (i: number) => (spanT > 0 ? PAD + (((ts[i] ?? t0) - t0) / spanT) * (width - 2 * PAD) : width / 2);
  const y = (i: number) => PAD + (1 - ((vs[i] ?? lo) - lo) / (hi - lo)) * (height - 2 * PAD);
  const defined = (i: number) => Number.isFinite(vs[i] ?? Number.NaN) && Number.isFinite(ts[i] ?? Number.NaN);
  const indexes = Array.from({ length: vs.length }, (_, i) => i);
  const linePath = d3Line<number>().defined(defined).x(x).y(y)(indexes) ?? '';
  const areaPath = d3Area<number>().defined(defined).x(x).y0(height - PAD).y1(y)(indexes) ?? '';
  let last: Geometry['last'];
  for (let i = vs.length - 1; i >= 0; i--) {
    if (defined(i)) {
      last = { x: x(i), y: y(i) };
      break;
    }
  }
  return { line: linePath, area: areaPath, last, min, max, lastValue, finiteCount };
}

interface InnerProps extends SparklineProps {
  readonly forwardedRef: ForwardedRef<SVGSVGElement>;
}

function SparklineInner({ data, width = 120, height = 32, decorative = false, label = 'Trend', unit, area = false, color, className, style, forwardedRef, ...rest }: InnerProps) {
  const w = checkDimension(width, 'width');
  const h = checkDimension(height, 'height');
  const geometry = useMemo(() => (data ? sparklineGeometry(data, w, h) : undefined), [data, w, h]);
  const empty = !geometry || geometry.finiteCount === 0;
  const summary = empty
    ? 'no data'
    : `last ${formatValue(geometry.lastValue, unit)}, min ${formatValue(geometry.min, unit)}, max ${formatValue(geometry.max, unit)}`;
  const a11y = decorative ? { 'aria-hidden': true as const } : { role: 'img', 'aria-label': `${label}: ${summary}` };
  return (
    <svg
      ref={forwardedRef}
      width={w}
      height={h}
      viewBox={`0 0 ${w} ${h}`}
      preserveAspectRatio="none"
      focusable="false"
      className={classNames('vigil-sparkline', empty && 'vigil-sparkline--empty', className)}
      style={color ? { color, ...style } : style}
      data-points={geometry?.finiteCount ?? 0}
      {...a11y}
      {...rest}
    >
      {empty ? (
        <line className="vigil-sparkline__empty" x1={PAD} x2={w - PAD} y1={h / 2} y2={h / 2} />
      ) : (
        <>
          {area && <path className="vigil-sparkline__area" d={geometry.area} />}
          <path className="vigil-sparkline__line" d={geometry.line} />
          {geometry.last && <circle className="vigil-sparkline__last" cx={geometry.last.x} cy={geometry.last.y} r={2} fill="currentColor" />}
        </>
      )}
    </svg>
  );
}

/**
 * A tiny trend line in SVG. Large inputs are M4-downsampled to the width first, so a million points still draw a
 * few hundred segments; NaN values break the line. Inside a card, mark it `decorative`; standalone it is an image
 * whose accessible name summarises the trend ("Trend: last 120 ms, min 80 ms, max 210 ms").
 *
 * @example
 * <Sparkline data={series} label="p95 latency" unit="ms" />
 * <Sparkline data={{ timestamps, values }} decorative area />
 */
export const Sparkline = /* @__PURE__ */ forwardRef<SVGSVGElement, SparklineProps>(function Sparkline(props, ref) {
  const width = typeof props.width === 'number' && Number.isFinite(props.width) && props.width >= 1 ? props.width : 120;
  const height = typeof props.height === 'number' && Number.isFinite(props.height) && props.height >= 1 ? props.height : 32;
  return (
    <VigilErrorBoundary
      resetKeys={Object.values(props)}
      fallback={() => (
        <svg
          ref={ref}
          width={width}
          height={height}
          className={classNames('vigil-sparkline', 'vigil-sparkline--error', props.className)}
          style={props.style}
          {...(props.decorative ? { 'aria-hidden': true as const } : { role: 'img', 'aria-label': `${props.label ?? 'Trend'}: could not be drawn` })}
        />
      )}
    >
      <SparklineInner {...props} forwardedRef={ref} />
    </VigilErrorBoundary>
  );
});

import type { TimeRange } from '@vigil/core';

/** One line to draw: columns already cut and downsampled. */
export interface CanvasLine {
  readonly timestamps: ArrayLike<number>;
  readonly values: ArrayLike<number>;
  readonly color: string;
  readonly dash: readonly number[];
}

/** One band to shade between two downsampled edges. */
export interface CanvasBand {
  readonly lower: { readonly timestamps: ArrayLike<number>; readonly values: ArrayLike<number> };
  readonly upper: { readonly timestamps: ArrayLike<number>; readonly values: ArrayLike<number> };
  readonly color: string;
  readonly opacity: number;
}

export interface CanvasScene {
  /** Canvas size in CSS pixels. */
  readonly width: number;
  readonly height: number;
  readonly devicePixelRatio: number;
  /** The plot rectangle inside the canvas, CSS pixels. */
  readonly plot: { readonly left: number; readonly top: number; readonly width: number; readonly height: number };
  readonly xDomain: TimeRange;
  readonly yDomain: readonly [number, number];
  readonly lines: readonly CanvasLine[];
  readonly bands: readonly CanvasBand[];
  readonly lineWidth?: number;
}

/**
 * Whether this environment can paint on a canvas. jsdom has the element but no 2D context (and logs an error when
 * asked), so it draws nothing there.
 */
export function canvasAvailable(): boolean {
  return typeof navigator !== 'undefined' && typeof HTMLCanvasElement !== 'undefined' && !navigator.userAgent.includes('jsdom');
}

/**
 * Paints bands, then lines, into `canvas` (resized for the device pixel ratio). NaN values break lines and bands.
 * No allocation per point: one path per line, coordinates computed inline.
 *
 * @example
 * drawScene(canvas, { width: 800, height: 240, devicePixelRatio: 2, plot, xDomain, yDomain, lines, bands: [] });
 */
export function drawScene(canvas: HTMLCanvasElement, scene: CanvasScene): boolean {
  const dpr = scene.devicePixelRatio > 0 ? scene.devicePixelRatio : 1;
  const pixelWidth = Math.max(1, Math.round(scene.width * dpr));
  const pixelHeight = Math.max(1, Math.round(scene.height * dpr));
  if (canvas.width !== pixelWidth) canvas.width = pixelWidth;
  if (canvas.height !== pixelHeight) canvas.height = pixelHeight;
  const ctx = canvas.getContext('2d');
  if (ctx === null) return false;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, scene.width, scene.height);
  const { plot, xDomain, yDomain } = scene;
  const xSpan = xDomain.end - xDomain.start;
  const ySpan = yDomain[1] - yDomain[0];
  if (!(xSpan > 0) || !(ySpan > 0) || plot.width <= 0 || plot.height <= 0) return true;
  const kx = plot.width / xSpan;
  const ky = plot.height / ySpan;
  const x0 = plot.left - xDomain.start * kx;
  const y0 = plot.top + plot.height + yDomain[0] * ky;

  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.left, plot.top, plot.width, plot.height);
  ctx.clip();

  for (const band of scene.bands) {
    ctx.globalAlpha = band.opacity;
    ctx.fillStyle = band.color;
    fillBand(ctx, band, kx, ky, x0, y0);
  }
  ctx.globalAlpha = 1;
  ctx.lineWidth = scene.lineWidth ?? 1.5;
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  for (const line of scene.lines) {
    ctx.strokeStyle = line.color;
    ctx.setLineDash(line.dash as number[]);
    strokeLine(ctx, line.timestamps, line.values, kx, ky, x0, y0);
  }
  ctx.restore();
  return true;
}

function strokeLine(ctx: CanvasRenderingContext2D, ts: ArrayLike<number>, vs: ArrayLike<number>, kx: number, ky: number, x0: number, y0: number): void {
  ctx.beginPath();
  let penDown = false;
  const n = ts.length;
  for (let i = 0; i < n; i++) {
    const v = vs[i] as number;
    if (v !== v) {
      penDown = false;
      continue;
    }
    const x = x0 + (ts[i] as number) * kx;
    const y = y0 - v * ky;
    if (penDown) ctx.lineTo(x, y);
    else {
      ctx.moveTo(x, y);
      // A lone sample between gaps still shows as a dot.
      const next = i + 1 < n ? (vs[i + 1] as number) : Number.NaN;
      if (next !== next) ctx.lineTo(x + 0.01, y);
      penDown = true;
    }
  }
  ctx.stroke();
}

/** Index of the first timestamp >= t (binary search over a downsampled column). */
function lowerBound(ts: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ts[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Fills each run of finite upper samples down to the lower edge over the same time span. */
function fillBand(ctx: CanvasRenderingContext2D, band: CanvasBand, kx: number, ky: number, x0: number, y0: number): void {
  const { upper, lower } = band;
  const n = upper.timestamps.length;
  let i = 0;
  while (i < n) {
    while (i < n && (upper.values[i] as number) !== (upper.values[i] as number)) i++;
    if (i >= n) break;
    const runStart = i;
    while (i < n && (upper.values[i] as number) === (upper.values[i] as number)) i++;
    const runEnd = i - 1;
    const tStart = upper.timestamps[runStart] as number;
    const tEnd = upper.timestamps[runEnd] as number;
    ctx.beginPath();
    for (let j = runStart; j <= runEnd; j++) {
      const x = x0 + (upper.timestamps[j] as number) * kx;
      const y = y0 - (upper.values[j] as number) * ky;
      if (j === runStart) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    const from = lowerBound(lower.timestamps, tStart);
    let to = lowerBound(lower.timestamps, tEnd);
    if (to < lower.timestamps.length && (lower.timestamps[to] as number) === tEnd) to++;
    let drew = false;
    for (let j = to - 1; j >= from; j--) {
      const v = lower.values[j] as number;
      if (v !== v) continue;
      ctx.lineTo(x0 + (lower.timestamps[j] as number) * kx, y0 - v * ky);
      drew = true;
    }
    if (drew) {
      ctx.closePath();
      ctx.fill();
    }
  }
}

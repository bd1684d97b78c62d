/**
 * Small colour maths used to check the theme: WCAG 2 contrast, colour-vision-deficiency simulation (Machado, Oliveira
 * and Fernandes 2009, severity 1.0) and CIEDE2000 colour difference (Sharma, Wu and Dalal 2005). Pure functions over
 * `[r, g, b]` triples in 0..255, no DOM.
 */

export type Rgb = readonly [number, number, number];

/**
 * Parses `#rgb`, `#rrggbb` or `rgb(r, g, b)` / `rgb(r g b)` into 0..255 channels. Returns undefined for anything else.
 *
 * @example
 * parseColor('#0072b2') // [0, 114, 178]
 */
export function parseColor(text: string): Rgb | undefined {
  const value = text.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(value);
  if (hex) {
    const digits = hex[1] ?? '';
    const full = digits.length === 3 ? [...digits].map((d) => d + d).join('') : digits;
    return [parseInt(full.slice(0, 2), 16), parseInt(full.slice(2, 4), 16), parseInt(full.slice(4, 6), 16)];
  }
  const fn = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)\s*(?:[,/]\s*[\d.]+%?\s*)?\)$/.exec(value);
  if (fn) return [Number(fn[1]), Number(fn[2]), Number(fn[3])];
  return undefined;
}

function channelToLinear(channel: number): number {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function linearToChannel(linear: number): number {
  const l = Math.min(1, Math.max(0, linear));
  const c = l <= 0.0031308 ? l * 12.92 : 1.055 * l ** (1 / 2.4) - 0.055;
  return c * 255;
}

/**
 * WCAG 2 relative luminance, 0 (black) to 1 (white).
 *
 * @example
 * relativeLuminance([255, 255, 255]) // 1
 */
export function relativeLuminance(rgb: Rgb): number {
  return 0.2126 * channelToLinear(rgb[0]) + 0.7152 * channelToLinear(rgb[1]) + 0.0722 * channelToLinear(rgb[2]);
}

/**
 * WCAG 2 contrast ratio between two colours, 1 to 21.
 *
 * @example
 * contrastRatio([0, 0, 0], [255, 255, 255]) // 21
 */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

export type Deficiency = 'protanopia' | 'deuteranopia' | 'tritanopia';

/** Machado et al. 2009, severity 1.0, applied to linear RGB. */
const machado: Record<Deficiency, readonly number[]> = {
  protanopia: [0.152286, 1.052583, -0.204868, 0.114503, 0.786281, 0.099216, -0.003882, -0.048116, 1.051998],
  deuteranopia: [0.367322, 0.860646, -0.227968, 0.280085, 0.672501, 0.047413, -0.01182, 0.04294, 0.968881],
  tritanopia: [1.255528, -0.076749, -0.178779, -0.078411, 0.930809, 0.147602, 0.004733, 0.691367, 0.3039],
};

/**
 * How a colour looks to someone with the given dichromacy (full severity), per Machado et al. 2009.
 *
 * @example
 * simulateDeficiency([255, 0, 0], 'deuteranopia') // a dark olive
 */
export function simulateDeficiency(rgb: Rgb, deficiency: Deficiency): Rgb {
  const m = machado[deficiency];
  const r = channelToLinear(rgb[0]);
  const g = channelToLinear(rgb[1]);
  const b = channelToLinear(rgb[2]);
  const at = (i: number) => m[i] ?? 0;
  return [
    linearToChannel(at(0) * r + at(1) * g + at(2) * b),
    linearToChannel(at(3) * r + at(4) * g + at(5) * b),
    linearToChannel(at(6) * r + at(7) * g + at(8) * b),
  ];
}

export type Lab = readonly [number, number, number];

/**
 * sRGB (D65) to CIE L*a*b*.
 *
 * @example
 * rgbToLab([255, 255, 255]) // ≈ [100, 0, 0]
 */
export function rgbToLab(rgb: Rgb): Lab {
  const r = channelToLinear(rgb[0]);
  const g = channelToLinear(rgb[1]);
  const b = channelToLinear(rgb[2]);
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  const fx = f(x);
  const fy = f(y);
  const fz = f(z);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

const deg = Math.PI / 180;

/**
 * CIEDE2000 colour difference between two L*a*b* colours (kL = kC = kH = 1). About 1 is a just-noticeable
 * difference; chart palettes aim for well above 10 between neighbours.
 *
 * @example
 * deltaE2000([50, 2.6772, -79.7751], [50, 0, -82.7485]) // ≈ 2.0425 (Sharma et al. test pair 1)
 */
export function deltaE2000(lab1: Lab, lab2: Lab): number {
  const [l1, a1, b1] = lab1;
  const [l2, a2, b2] = lab2;
  const c1 = Math.hypot(a1, b1);
  const c2 = Math.hypot(a2, b2);
  const cMean = (c1 + c2) / 2;
  const g = 0.5 * (1 - Math.sqrt(cMean ** 7 / (cMean ** 7 + 25 ** 7)));
  const a1p = (1 + g) * a1;
  const a2p = (1 + g) * a2;
  const c1p = Math.hypot(a1p, b1);
  const c2p = Math.hypot(a2p, b2);
  const hueOf = (a: number, b: number) => {
    if (a === 0 && b === 0) return 0;
    const h = Math.atan2(b, a) / deg;
    return h < 0 ? h + 360 : h;
  };
  const h1p = hueOf(a1p, b1);
  const h2p = hueOf(a2p, b2);
  const dLp = l2 - l1;
  const dCp = c2p - c1p;
  let dhp = 0;
  if (c1p * c2p !== 0) {
    dhp = h2p - h1p;
    if (dhp > 180) dhp -= 360;
    else if (dhp < -180) dhp += 360;
  }
  const dHp = 2 * Math.sqrt(c1p * c2p) * Math.sin((dhp / 2) * deg);
  const lMean = (l1 + l2) / 2;
  const cMeanP = (c1p + c2p) / 2;
  let hMean = h1p + h2p;
  if (c1p * c2p !== 0) {
    if (Math.abs(h1p - h2p) <= 180) hMean = (h1p + h2p) / 2;
    else hMean = h1p + h2p < 360 ? (h1p + h2p + 360) / 2 : (h1p + h2p - 360) / 2;
  }
  const t =
    1 -
    0.17 * Math.cos((hMean - 30) * deg) +
    0.24 * Math.cos(2 * hMean * deg) +
    0.32 * Math.cos((3 * hMean + 6) * deg) -
    0.2 * Math.cos((4 * hMean - 63) * deg);
  const dTheta = 30 * Math.exp(-(((hMean - 275) / 25) ** 2));
  const rc = 2 * Math.sqrt(cMeanP ** 7 / (cMeanP ** 7 + 25 ** 7));
  const sl = 1 + (0.015 * (lMean - 50) ** 2) / Math.sqrt(20 + (lMean - 50) ** 2);
  const sc = 1 + 0.045 * cMeanP;
  const sh = 1 + 0.015 * cMeanP * t;
  const rt = -Math.sin(2 * dTheta * deg) * rc;
  return Math.sqrt((dLp / sl) ** 2 + (dCp / sc) ** 2 + (dHp / sh) ** 2 + rt * (dCp / sc) * (dHp / sh));
}

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { contrastRatio, deltaE2000, parseColor, rgbToLab, simulateDeficiency, type Deficiency, type Rgb } from './color-math';

/**
 * Reads the custom properties of every rule in styles.css. Nested @media blocks are walked too; their rules are keyed
 * by `@media … | selector`.
 */
function readRules(text: string): Map<string, Map<string, string>> {
  const rules = new Map<string, Map<string, string>>();
  const stripped = text.replace(/\/\*[\s\S]*?\*\//g, '');
  const walk = (chunk: string, prefix: string) => {
    let i = 0;
    while (i < chunk.length) {
      const open = chunk.indexOf('{', i);
      if (open < 0) break;
      const head = chunk.slice(i, open).trim();
      let depth = 1;
      let j = open + 1;
      while (j < chunk.length && depth > 0) {
        if (chunk[j] === '{') depth++;
        else if (chunk[j] === '}') depth--;
        j++;
      }
      const body = chunk.slice(open + 1, j - 1);
      if (head.startsWith('@media')) walk(body, `${head} | `);
      else {
        const vars = new Map<string, string>();
        for (const m of body.matchAll(/(--vigil-[\w-]+)\s*:\s*([^;]+);/g)) vars.set(m[1] ?? '', (m[2] ?? '').trim());
        if (vars.size > 0) rules.set(prefix + head.replace(/\s+/g, ' '), vars);
      }
      i = j;
    }
  };
  walk(stripped, '');
  return rules;
}

const css = readFileSync(`${import.meta.dirname}/styles.css`, 'utf8');
const rules = readRules(css);
const find = (predicate: (selector: string) => boolean) => {
  const entry = [...rules].find(([selector]) => predicate(selector));
  if (!entry) throw new Error('rule not found');
  return entry[1];
};
const light = find((s) => s.startsWith(':root'));
const darkOwn = find((s) => s === "[data-vigil-theme='dark']");
const highContrastOwn = find((s) => s === "[data-vigil-theme='high-contrast']");
const preferDark = find((s) => s.startsWith('@media (prefers-color-scheme: dark)'));
// Non-colour tokens (font, spacing, radius) are inherited from the light block.
const dark = new Map([...light, ...darkOwn]);
const highContrast = new Map([...light, ...highContrastOwn]);
const themes = { light, dark, 'high-contrast': highContrast } as const;

const color = (vars: Map<string, string>, name: string): Rgb => {
  const raw = vars.get(name);
  const parsed = raw === undefined ? undefined : parseColor(raw);
  if (!parsed) throw new Error(`${name} is not a parsable colour: ${raw}`);
  return parsed;
};

const requiredTokens = [
  '--vigil-font', '--vigil-font-mono', '--vigil-bg', '--vigil-surface', '--vigil-surface-raised', '--vigil-fg',
  '--vigil-fg-muted', '--vigil-border', '--vigil-grid', '--vigil-axis', '--vigil-focus', '--vigil-ok',
  '--vigil-warning', '--vigil-critical', '--vigil-unknown', '--vigil-band-opacity', '--vigil-event-deploy',
  '--vigil-event-incident', '--vigil-tooltip-bg', '--vigil-tooltip-fg', '--vigil-radius', '--vigil-space-1',
  '--vigil-space-2', '--vigil-space-3', '--vigil-space-4',
  ...Array.from({ length: 8 }, (_, i) => `--vigil-series-${i + 1}`),
];
const colourTokens = requiredTokens.filter((t) => !/font|radius|space|opacity/.test(t));
const series = (vars: Map<string, string>) => Array.from({ length: 8 }, (_, i) => color(vars, `--vigil-series-${i + 1}`));

describe('colour maths against published values', () => {
  it('contrast ratio matches WCAG reference pairs', () => {
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 6);
    // #767676 on white is the well-known smallest grey that passes AA: 4.54:1.
    expect(contrastRatio(parseColor('#767676')!, [255, 255, 255])).toBeCloseTo(4.54, 2);
    expect(contrastRatio(parseColor('#777777')!, [255, 255, 255])).toBeLessThan(4.5);
  });

  it('CIEDE2000 matches Sharma, Wu and Dalal (2005) test data', () => {
    const pairs: Array<[number[], number[], number]> = [
      [[50, 2.6772, -79.7751], [50, 0, -82.7485], 2.0425],
      [[50, 3.1571, -77.2803], [50, 0, -82.7485], 2.8615],
      [[50, -1.3802, -84.2814], [50, 0, -82.7485], 1.0],
      [[50, 2.49, -0.001], [50, -2.49, 0.0009], 7.1792],
      [[50, 2.5, 0], [73, 25, -18], 27.1492],
      [[60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387], 1.2644],
      [[22.7233, 20.0904, -46.694], [23.0331, 14.973, -42.5619], 2.0373],
      [[90.9257, -0.5406, -0.9208], [88.6381, -0.8985, -0.7239], 1.5381],
    ];
    for (const [a, b, expected] of pairs) {
      expect(deltaE2000(a as [number, number, number], b as [number, number, number])).toBeCloseTo(expected, 3);
    }
  });

  it('Lab of white and mid grey', () => {
    const white = rgbToLab([255, 255, 255]);
    expect(white[0]).toBeCloseTo(100, 2);
    expect(Math.abs(white[1])).toBeLessThan(0.01);
    expect(rgbToLab([119, 119, 119])[0]).toBeCloseTo(50.03, 1);
  });

  it('dichromacy simulation keeps greys and merges red with green for deuteranopes', () => {
    const grey = simulateDeficiency([128, 128, 128], 'deuteranopia');
    for (const c of grey) expect(c).toBeCloseTo(128, 0);
    const red = rgbToLab(simulateDeficiency([213, 94, 0], 'deuteranopia'));
    const green = rgbToLab(simulateDeficiency([120, 140, 0], 'deuteranopia'));
    expect(deltaE2000(red, green)).toBeLessThan(deltaE2000(rgbToLab([213, 94, 0]), rgbToLab([120, 140, 0])));
  });
});

describe('styles.css', () => {
  it('the light block defines every documented token', () => {
    for (const token of requiredTokens) expect(light.has(token), token).toBe(true);
  });

  it('dark and high contrast define every colour token', () => {
    for (const token of colourTokens) {
      expect(darkOwn.has(token), `dark ${token}`).toBe(true);
      expect(highContrastOwn.has(token), `high-contrast ${token}`).toBe(true);
    }
  });

  it('prefers-color-scheme: dark repeats the dark theme exactly', () => {
    expect([...preferDark]).toEqual([...darkOwn]);
  });

  for (const [name, vars] of Object.entries(themes)) {
    const minText = name === 'high-contrast' ? 7 : 4.5;
    const minSeries = name === 'light' ? 2 : name === 'dark' ? 3 : 4.5;

    it(`${name}: text colours reach ${minText}:1 on every background`, () => {
      for (const background of ['--vigil-bg', '--vigil-surface', '--vigil-surface-raised']) {
        // The status colours are used for status text and delta text, so they must pass as text too.
        for (const foreground of ['--vigil-fg', '--vigil-fg-muted', '--vigil-ok', '--vigil-warning', '--vigil-critical', '--vigil-unknown']) {
          const ratio = contrastRatio(color(vars, foreground), color(vars, background));
          expect(ratio, `${foreground} on ${background}: ${ratio.toFixed(2)}`).toBeGreaterThanOrEqual(minText);
        }
      }
      const tooltip = contrastRatio(color(vars, '--vigil-tooltip-fg'), color(vars, '--vigil-tooltip-bg'));
      expect(tooltip).toBeGreaterThanOrEqual(minText);
    });

    it(`${name}: focus ring, axis and event markers reach 3:1 on the surface`, () => {
      for (const token of ['--vigil-focus', '--vigil-axis', '--vigil-event-deploy', '--vigil-event-incident']) {
        const ratio = contrastRatio(color(vars, token), color(vars, '--vigil-surface'));
        expect(ratio, `${token}: ${ratio.toFixed(2)}`).toBeGreaterThanOrEqual(3);
      }
    });

    it(`${name}: every series colour reaches ${minSeries}:1 on the surface`, () => {
      for (const [i, c] of series(vars).entries()) {
        const ratio = contrastRatio(c, color(vars, '--vigil-surface'));
        expect(ratio, `series ${i + 1}: ${ratio.toFixed(2)}`).toBeGreaterThanOrEqual(minSeries);
      }
    });

    // Method: simulate each dichromacy at full severity (Machado et al. 2009) and require every pair of the eight
    // series colours to stay at least 12 CIEDE2000 units apart (about 12 just-noticeable differences).
    for (const deficiency of ['none', 'protanopia', 'deuteranopia', 'tritanopia'] as const) {
      it(`${name}: the eight series colours stay apart for ${deficiency}`, () => {
        const labs = series(vars).map((c) => rgbToLab(deficiency === 'none' ? c : simulateDeficiency(c, deficiency as Deficiency)));
        let closest = Infinity;
        for (let i = 0; i < labs.length; i++) {
          for (let j = i + 1; j < labs.length; j++) closest = Math.min(closest, deltaE2000(labs[i]!, labs[j]!));
        }
        expect(closest).toBeGreaterThanOrEqual(12);
      });
    }
  }
});

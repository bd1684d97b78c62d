import { ValidationError } from '../errors';
import { LABEL_NAME_PATTERN, labelValue } from './labels';

/**
 * A tiny, safe template language for alert labels and annotations. It is a strict subset of Prometheus' Go
 * templates, so a template means the same in Vigil and in an exported Prometheus rule:
 *
 * - text outside `{{ }}` is copied as is;
 * - `{{ $value }}`: the condition value; `{{ $labels.name }}`: a label of the series; `{{ $severity }}`,
 *   `{{ $rule }}` (the alert name);
 * - filters after `|`: `humanize`, `humanizePercentage`, `humanizeDuration`, `toUpper`, `toLower`.
 *
 * Nothing else is accepted: no function calls, no pipelines into code, no variables other than these, no
 * literal `{{` in text. A label the series lacks renders as the empty string (as Go does for a missing map key).
 * A missing value (no data) renders as the empty string. Output is plain text: control characters other than
 * newline and tab are dropped and it is cut at {@link TEMPLATE_OUTPUT_MAX} characters (ending in `…`). Consumers
 * that render HTML must escape it, as for any text.
 */

/** Longest template source accepted. */
export const TEMPLATE_SOURCE_MAX = 4096;
/** Longest rendered output; longer output is cut and ends in `…`. */
export const TEMPLATE_OUTPUT_MAX = 4096;
/** Most `{{ }}` actions in one template. */
export const TEMPLATE_ACTIONS_MAX = 64;

/** Filters a template may apply. */
export type TemplateFilter = 'humanize' | 'humanizePercentage' | 'humanizeDuration' | 'toUpper' | 'toLower';
const FILTERS: readonly TemplateFilter[] = ['humanize', 'humanizePercentage', 'humanizeDuration', 'toUpper', 'toLower'];

type Operand = { readonly kind: 'value' } | { readonly kind: 'label'; readonly name: string } | { readonly kind: 'severity' } | { readonly kind: 'rule' };

/** One piece of a parsed template. */
export type TemplatePart = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'action'; readonly operand: Operand; readonly filters: readonly TemplateFilter[] };

/** A parsed template. */
export interface Template {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
}

/** What a template can read. */
export interface TemplateContext {
  readonly labels: Readonly<Record<string, string>>;
  /** The condition value; null or NaN for none. */
  readonly value: number | null;
  readonly severity: string;
  readonly rule: string;
}

/**
 * Parses a template, or throws a ValidationError naming `path` and the position of the problem.
 *
 * @example
 * parseTemplate('{{ $labels.service }} p95 is {{ $value | humanize }}s').parts.length; // 4
 * parseTemplate('{{ .Foo }}'); // throws: expected $value, $labels.<name>, $severity or $rule
 */
export function parseTemplate(source: string, path = 'template'): Template {
  if (typeof source !== 'string') throw new ValidationError(path, 'a template string', source);
  if (source.length > TEMPLATE_SOURCE_MAX) throw new ValidationError(path, `a template of at most ${TEMPLATE_SOURCE_MAX} characters`, source);
  const parts: TemplatePart[] = [];
  let position = 0;
  let actions = 0;
  while (position < source.length) {
    const open = source.indexOf('{{', position);
    if (open === -1) {
      parts.push({ kind: 'text', text: source.slice(position) });
      break;
    }
    if (open > position) parts.push({ kind: 'text', text: source.slice(position, open) });
    const close = source.indexOf('}}', open + 2);
    if (close === -1) throw new ValidationError(path, `a closing "}}" for the "{{" at character ${open}`, source);
    actions++;
    if (actions > TEMPLATE_ACTIONS_MAX) throw new ValidationError(path, `at most ${TEMPLATE_ACTIONS_MAX} {{ }} actions`, source);
    parts.push(parseAction(source.slice(open + 2, close), path, open));
    position = close + 2;
  }
  return { source, parts };
}

function parseAction(body: string, path: string, at: number): TemplatePart {
  const pieces = body.split('|').map((piece) => piece.trim());
  const head = pieces[0] ?? '';
  let operand: Operand;
  if (head === '$value') operand = { kind: 'value' };
  else if (head === '$severity') operand = { kind: 'severity' };
  else if (head === '$rule') operand = { kind: 'rule' };
  else if (head.startsWith('$labels.') && LABEL_NAME_PATTERN.test(head.slice(8))) operand = { kind: 'label', name: head.slice(8) };
  else throw new ValidationError(path, `$value, $labels.<name>, $severity or $rule in the action at character ${at}`, head);
  const filters: TemplateFilter[] = [];
  for (let i = 1; i < pieces.length; i++) {
    const filter = pieces[i] as TemplateFilter;
    if (!FILTERS.includes(filter)) throw new ValidationError(path, `a filter (${FILTERS.join(', ')}) in the action at character ${at}`, pieces[i]);
    filters.push(filter);
  }
  return { kind: 'action', operand, filters };
}

const NUMBER_FILTERS: ReadonlySet<TemplateFilter> = /* @__PURE__ */ new Set(['humanize', 'humanizePercentage', 'humanizeDuration']);

/**
 * Renders a parsed template. Never throws for any context; output is plain text (see the module notes).
 *
 * @example
 * renderTemplate(parseTemplate('{{ $labels.job }}: {{ $value | humanize }}'), { labels: { job: 'api' }, value: 1234, severity: 'warning', rule: 'X' });
 * // "api: 1.234k"
 */
export function renderTemplate(template: Template, context: TemplateContext): string {
  let out = '';
  for (const part of template.parts) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    let text: string;
    let number: number | null = null;
    switch (part.operand.kind) {
      case 'value':
        number = context.value !== null && !Number.isNaN(context.value) ? context.value : null;
        // A number filter first formats the number itself.
        text = number === null || NUMBER_FILTERS.has(part.filters[0] as TemplateFilter) ? '' : formatG(number, 17);
        break;
      case 'label':
        text = labelValue(context.labels, part.operand.name) ?? '';
        break;
      case 'severity':
        text = context.severity;
        break;
      case 'rule':
        text = context.rule;
        break;
    }
    for (const filter of part.filters) {
      const numeric = number ?? (text === '' ? null : Number(text));
      switch (filter) {
        case 'humanize':
          text = numeric === null || Number.isNaN(numeric) ? text : humanize(numeric);
          break;
        case 'humanizePercentage':
          text = numeric === null || Number.isNaN(numeric) ? text : `${formatG(numeric * 100, 4)}%`;
          break;
        case 'humanizeDuration':
          text = numeric === null || Number.isNaN(numeric) ? text : humanizeDuration(numeric);
          break;
        case 'toUpper':
          text = text.toUpperCase();
          break;
        case 'toLower':
          text = text.toLowerCase();
          break;
      }
      number = null;
    }
    out += text;
    if (out.length > TEMPLATE_OUTPUT_MAX) break;
  }
  return plainText(out, TEMPLATE_OUTPUT_MAX);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** Drops control characters (keeps \n and \t) and cuts to `max` characters, ending in `…` when cut. */
export function plainText(text: string, max: number): string {
  const clean = text.replace(CONTROL, '');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/**
 * Go's `%.Ng`: N significant digits, trailing zeros removed, in exponent form when the exponent of the value
 * rounded to N digits is below -4 or at least N (so 9999.7 at four digits is `1e+04`, as in Go).
 */
function formatG(value: number, digits: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (Number.isNaN(value)) return 'NaN';
  if (digits >= 17) return String(value);
  const exponential = value.toExponential(digits - 1);
  const e = exponential.indexOf('e');
  const exponent = Number(exponential.slice(e + 1));
  if (exponent < -4 || exponent >= digits) {
    const magnitude = Math.abs(exponent);
    return `${withoutTrailingZeros(exponential.slice(0, e))}e${exponent < 0 ? '-' : '+'}${magnitude < 10 ? '0' : ''}${magnitude}`;
  }
  return withoutTrailingZeros(value.toFixed(digits - 1 - exponent));
}

/** A decimal without the zeros ending its fraction, nor a point left bare. */
function withoutTrailingZeros(decimal: string): string {
  if (!decimal.includes('.')) return decimal;
  let end = decimal.length;
  while (decimal.charCodeAt(end - 1) === 48) end--;
  if (decimal.charCodeAt(end - 1) === 46) end--;
  return decimal.slice(0, end);
}

const BIG = ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
const SMALL = ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];

/**
 * Prometheus' `humanize`: SI prefixes, four significant digits.
 *
 * @example
 * humanize(1234567); // "1.235M"
 * humanize(0.0012); // "1.2m"
 */
export function humanize(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return formatG(value, 4);
  let v = value;
  let prefix = '';
  if (Math.abs(v) >= 1) {
    for (const p of BIG) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
  } else {
    for (const p of SMALL) {
      if (Math.abs(v) >= 1) break;
      prefix = p;
      v *= 1000;
    }
  }
  return `${formatG(v, 4)}${prefix}`;
}

/**
 * Prometheus' `humanizeDuration` of a number of seconds.
 *
 * @example
 * humanizeDuration(3725); // "1h 2m 5s"
 * humanizeDuration(0.25); // "250ms"
 */
export function humanizeDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return formatG(seconds, 4);
  if (Math.abs(seconds) < 1) {
    if (seconds === 0) return '0s';
    if (Math.abs(seconds) >= 0.001) return `${formatG(seconds * 1000, 4)}ms`;
    if (Math.abs(seconds) >= 0.000001) return `${formatG(seconds * 1e6, 4)}us`;
    return `${formatG(seconds * 1e9, 4)}ns`;
  }
  let sign = '';
  let v = seconds;
  if (v < 0) {
    sign = '-';
    v = -v;
  }
  const whole = Math.floor(v);
  const days = Math.floor(whole / 86400);
  const hours = Math.floor(whole / 3600) % 24;
  const minutes = Math.floor(whole / 60) % 60;
  const secs = v - Math.floor(whole / 60) * 60;
  if (days > 0) return `${sign}${days}d ${hours}h ${minutes}m ${Math.floor(secs)}s`;
  if (hours > 0) return `${sign}${hours}h ${minutes}m ${Math.floor(secs)}s`;
  if (minutes > 0) return `${sign}${minutes}m ${Math.floor(secs)}s`;
  return `${sign}${formatG(secs, 4)}s`;
}

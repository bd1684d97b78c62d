import { ValidationError } from '@vigil/core';

/**
 * Units `formatValue` knows. Any other string is printed after an SI-prefixed number (`12.3k widgets`).
 * - `ms`, `s`: durations, shown in the largest fitting unit from ns to days (`850 µs`, `1.23 s`, `4.5 min`).
 * - `percent`: the value is already in percent (`99.95` → `99.95%`).
 * - `ratio`: a fraction, shown as percent (`0.9995` → `99.95%`).
 * - `bytes`: IEC binary prefixes (`1.5 MiB`).
 * - `rps`: requests per second with SI prefixes (`1.2k req/s`).
 * - `count`: a plain count with SI prefixes (`12.3M`).
 */
export type ValueUnit = 'ms' | 's' | 'percent' | 'ratio' | 'bytes' | 'rps' | 'count' | (string & {});

export interface FormatValueOptions {
  /** Significant digits, 1 to 15. Default 3 (4 for `percent` and `ratio`, where 99.95 and 99.9 differ). */
  readonly precision?: number;
  /** BCP 47 locale for digits and separators. Default `en-US`, so server and client render the same text. */
  readonly locale?: string;
  /** Print `+` before positive values (for deltas). */
  readonly signed?: boolean;
}

/** What `formatValue` prints when there is no finite value. */
export const NO_DATA_TEXT = '—';

/** A formatted value split for styling: `number` + `separator` + `unit` is the full text. */
export interface FormattedValue {
  /** The whole text, such as `1.23 s`. */
  readonly text: string;
  /** The number part, such as `1.23`. */
  readonly number: string;
  /** The unit part, including any prefix, such as `s`, `MiB`, `k req/s` or `%`. Empty for bare numbers. */
  readonly unit: string;
  /** The text between number and unit: a space, or nothing for `%` and bare SI prefixes. */
  readonly separator: string;
  /** True when the value was null, undefined, NaN or infinite and `text` is `—`. */
  readonly noData: boolean;
}

const NO_DATA: FormattedValue = { text: NO_DATA_TEXT, number: NO_DATA_TEXT, unit: '', separator: '', noData: true };

const formatters = /* @__PURE__ */ new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, digits: number): Intl.NumberFormat {
  const key = `${locale}|${digits}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { maximumSignificantDigits: digits });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** Rounds to `digits` significant digits (the number the text will show). */
function roundSignificant(x: number, digits: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(digits));
}

/**
 * A finite number as text with `digits` significant digits; exponent notation outside [1e-4, 1e6).
 *
 * @example
 * formatNumber(1234.5, 3) // "1,230"
 * formatNumber(2e-7, 3)   // "2e-7"
 */
export function formatNumber(x: number, digits = 3, locale = 'en-US', signed = false): string {
  if (!Number.isFinite(x)) return NO_DATA_TEXT;
  const rounded = roundSignificant(x, digits);
  if (rounded === 0) return '0';
  const abs = Math.abs(rounded);
  const sign = signed && x > 0 ? '+' : '';
  // `rounded` overflows to Infinity for x near Number.MAX_VALUE: the exponent form rounds the original instead.
  if (!Number.isFinite(abs) || abs >= 1e6 || abs < 1e-4) {
    const [mantissa = '0', exponent = '0'] = x.toExponential(digits - 1).split('e');
    const trimmed = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
    return `${sign}${trimmed}e${Number(exponent)}`;
  }
  return sign + numberFormat(locale, digits).format(rounded);
}

interface Step {
  readonly unit: string;
  /** Size of the unit in the base unit. */
  readonly factor: number;
}

const durationSteps: readonly Step[] = [
  { unit: 'ns', factor: 1e-6 },
  { unit: 'µs', factor: 1e-3 },
  { unit: 'ms', factor: 1 },
  { unit: 's', factor: 1e3 },
  { unit: 'min', factor: 6e4 },
  { unit: 'h', factor: 3.6e6 },
  { unit: 'd', factor: 8.64e7 },
];

const siSteps: readonly Step[] = [
  { unit: '', factor: 1 },
  { unit: 'k', factor: 1e3 },
  { unit: 'M', factor: 1e6 },
  { unit: 'G', factor: 1e9 },
  { unit: 'T', factor: 1e12 },
  { unit: 'P', factor: 1e15 },
  { unit: 'E', factor: 1e18 },
];

const byteSteps: readonly Step[] = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'].map((unit, i) => ({ unit, factor: 1024 ** i }));

/**
 * Picks the largest step not larger than |x| (the first step for smaller values), then moves up one step when
 * the rounded number reaches the next step or 1000 (59.99 s → 1 min, 999.7 → 1k, 1023.9 KiB → 1 MiB).
 */
function scale(x: number, steps: readonly Step[], digits: number): { scaled: number; step: Step } {
  const abs = Math.abs(x);
  let index = 0;
  for (let i = steps.length - 1; i >= 0; i--) {
    if (abs >= (steps[i]?.factor ?? Infinity)) {
      index = i;
      break;
    }
  }
  let step = steps[index] as Step;
  let scaled = x / step.factor;
  const next = steps[index + 1];
  if (next && Math.abs(roundSignificant(scaled, digits)) >= Math.min(next.factor / step.factor, 1000)) {
    step = next;
    scaled = x / step.factor;
  }
  return { scaled, step };
}

function parts(number: string, separator: string, unit: string): FormattedValue {
  return { text: unit === '' ? number : number + separator + unit, number, unit, separator: unit === '' ? '' : separator, noData: false };
}

/**
 * Formats a metric value with its unit, for people: SI prefixes for counts and rates, IEC prefixes for bytes,
 * ns → days for durations, percent for ratios. Never prints NaN or Infinity: null, undefined, NaN and ±Infinity
 * give `—` with `noData: true` (render it with an accessible "no data" label).
 *
 * @example
 * formatValueParts(1530, 'ms')  // { text: "1.53 s", number: "1.53", unit: "s", separator: " ", noData: false }
 * formatValueParts(NaN, 'ms')   // { text: "—", noData: true, ... }
 */
export function formatValueParts(value: number | null | undefined, unit?: ValueUnit, options: FormatValueOptions = {}): FormattedValue {
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an options object', options);
  const isPercent = unit === 'percent' || unit === 'ratio';
  const digits = options.precision ?? (isPercent ? 4 : 3);
  if (typeof digits !== 'number' || !Number.isInteger(digits) || digits < 1 || digits > 15) {
    throw new ValidationError('options.precision', 'an integer from 1 to 15 (significant digits)', options.precision);
  }
  if (unit !== undefined && typeof unit !== 'string') throw new ValidationError('unit', 'a unit string such as "ms"', unit);
  if (typeof value !== 'number' || !Number.isFinite(value)) return NO_DATA;
  const locale = options.locale ?? 'en-US';
  const signed = options.signed ?? false;
  const num = (x: number) => formatNumber(x, digits, locale, signed);

  switch (unit) {
    case 'ms':
    case 's': {
      const ms = unit === 's' ? value * 1000 : value;
      if (!Number.isFinite(ms)) return parts(num(value), ' ', unit);
      if (roundSignificant(ms, digits) === 0) return parts(num(0), ' ', unit);
      const { scaled, step } = scale(ms, durationSteps, digits);
      return parts(num(scaled), ' ', step.unit);
    }
    case 'percent':
    case 'ratio': {
      const percent = unit === 'ratio' ? value * 100 : value;
      return parts(num(Number.isFinite(percent) ? percent : value), '', Number.isFinite(percent) ? '%' : '');
    }
    case 'bytes': {
      const { scaled, step } = scale(value, byteSteps, digits);
      return parts(num(scaled), ' ', step.unit);
    }
    case undefined:
    case '':
    case 'count': {
      const { scaled, step } = scale(value, siSteps, digits);
      return parts(num(scaled), '', step.unit);
    }
    default: {
      // "12.3k req/s": the SI prefix sticks to the number, the unit follows after a space.
      const suffix = unit === 'rps' ? 'req/s' : unit;
      const { scaled, step } = scale(value, siSteps, digits);
      return step.unit === '' ? parts(num(scaled), ' ', suffix) : parts(num(scaled), '', `${step.unit} ${suffix}`);
    }
  }
}

/**
 * `formatValueParts(...).text`: a metric value with its unit as one string, `—` when there is no finite value.
 *
 * @example
 * formatValue(0.000_85, 's')       // "850 µs"
 * formatValue(0.99953, 'ratio')    // "99.95%"
 * formatValue(1_572_864, 'bytes')  // "1.5 MiB"
 * formatValue(12_345, 'rps')       // "12.3k req/s"
 * formatValue(Infinity, 'ms')      // "—"
 */
export function formatValue(value: number | null | undefined, unit?: ValueUnit, options?: FormatValueOptions): string {
  return formatValueParts(value, unit, options).text;
}

/**
 * Relative change from `previous` to `current` in percent, or undefined when it is not defined (a missing or
 * non-finite value, or `previous` is 0 and `current` is not).
 *
 * @example
 * percentChange(110, 100) // 10
 * percentChange(90, -100) // 190 (relative to |previous|)
 * percentChange(5, 0)     // undefined
 */
export function percentChange(current: number | null | undefined, previous: number | null | undefined): number | undefined {
  if (typeof current !== 'number' || typeof previous !== 'number' || !Number.isFinite(current) || !Number.isFinite(previous)) return undefined;
  if (previous === 0) return current === 0 ? 0 : undefined;
  const change = ((current - previous) / Math.abs(previous)) * 100;
  return Number.isFinite(change) ? change : undefined;
}

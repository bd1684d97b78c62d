import { ValidationError } from '../errors';
import type { Matcher } from './types';

/** Label names as Prometheus allows them. */
export const LABEL_NAME_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * The Alertmanager fingerprint of a label set: 64-bit FNV-1a over the label names in sorted order, each name and
 * value followed by the byte 0xff, printed as 16 hex digits. Identical to Prometheus' `model.LabelSet.Fingerprint()`,
 * so Vigil's fingerprints and Alertmanager's agree.
 *
 * @example
 * alertFingerprint({ alertname: 'HighCPU', severity: 'critical' }); // "e0c8bf2e6b5a0f5d"-style 16 hex digits
 */
export function alertFingerprint(labels: Readonly<Record<string, string>>): string {
  if (labels === null || typeof labels !== 'object') throw new ValidationError('labels', 'an object of label names to string values', labels);
  const names = Object.keys(labels).sort();
  if (names.length === 0) return 'cbf29ce484222325';
  // FNV-1a 64 in four 16-bit limbs (h3 most significant): no BigInt on the hot path.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  const feed = (byte: number): void => {
    h0 ^= byte;
    // multiply by the FNV prime 2^40 + 0x1b3
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3;
    const t2 = h2 * 0x1b3;
    const t3 = h3 * 0x1b3;
    // + (h << 40): h0 shifted by 40 bits lands in limb 2 (bits 32..47) shifted by 8.
    const s2 = t2 + ((h0 << 8) & 0xffff);
    const c0 = t0;
    const c1 = t1 + (c0 >>> 16);
    const c2 = s2 + (c1 >>> 16);
    const c3 = t3 + (h0 >>> 8) + ((h1 << 8) & 0xffff) + (c2 >>> 16);
    h0 = c0 & 0xffff;
    h1 = c1 & 0xffff;
    h2 = c2 & 0xffff;
    h3 = c3 & 0xffff;
  };
  // UTF-8 bytes: ASCII characters are their own byte; from the first other character on, the encoder's bytes (a
  // code-point boundary, so the split does not change the encoding). Most labels are ASCII, and one `encode` call
  // costs more than hashing a short label.
  const feedText = (text: string): void => {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) {
        for (const byte of encoder.encode(i === 0 ? text : text.slice(i))) feed(byte);
        return;
      }
      feed(code);
    }
  };
  for (const name of names) {
    const value = labels[name];
    if (typeof value !== 'string') throw new ValidationError(`labels.${name}`, 'a string', value);
    feedText(name);
    feed(0xff);
    feedText(value);
    feed(0xff);
  }
  const hex = (limb: number): string => limb.toString(16).padStart(4, '0');
  return hex(h3) + hex(h2) + hex(h1) + hex(h0);
}

/**
 * A copy of a label set (its own enumerable keys) that labels may then be added to. Not an object spread: V8 gives a
 * spread copy a map outside its transition tree, and adding a label to one cost about 0.6 µs, six times a copy built
 * key by key. A key `__proto__` is defined, not assigned, so it stays a label, as in a spread. @internal
 */
export function copyLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const name in labels) {
    if (!Object.hasOwn(labels, name)) continue;
    if (name === '__proto__') Object.defineProperty(copy, name, { value: labels[name], enumerable: true, writable: true, configurable: true });
    else copy[name] = labels[name] as string;
  }
  return copy;
}

/**
 * Whether two label sets have the same own keys with the same values (what equal `labelsKey`s mean), compared key by
 * key without building either key. @internal
 */
export function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  let count = 0;
  for (const name in a) {
    if (!Object.hasOwn(a, name)) continue;
    if (!Object.hasOwn(b, name) || a[name] !== b[name]) return false;
    count++;
  }
  for (const name in b) if (Object.hasOwn(b, name)) count--;
  return count === 0;
}

/** A canonical, injective text key of a label set (sorted names; JSON-quoted), used to key series and groups. */
export function labelsKey(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels).sort();
  let key = '{';
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (i > 0) key += ',';
    key += `${name}=${JSON.stringify(labels[name])}`;
  }
  return `${key}}`;
}

/** A matcher compiled once: `test(labels)` applies Alertmanager semantics. */
export interface CompiledMatcher {
  readonly name: string;
  test(labels: Readonly<Record<string, string>>): boolean;
}

/**
 * The value of label `name`, or `undefined` when the set has no such label of its own. Label sets are plain objects,
 * so a name such as `constructor` or `toString` must not read what `Object.prototype` holds.
 *
 * @example
 * labelValue({ job: 'api' }, 'job'); // 'api'
 * labelValue({ job: 'api' }, 'constructor'); // undefined
 */
export function labelValue(labels: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(labels, name) ? labels[name] : undefined;
}

/**
 * Go's RE2 (which Alertmanager uses) has no lookaround and no backreferences; JavaScript has both, and they are the
 * constructs that can make a match take exponential time. Matchers using them are refused, so a silence means the
 * same thing in Vigil and in Alertmanager. Returns what was found, or undefined.
 */
function unsupportedRegexConstruct(source: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && /[1-9k]/.test(next)) return `a backreference (\\${next})`;
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(' && source[i + 1] === '?') {
      const rest = source.slice(i + 2, i + 4);
      if (rest.startsWith('=') || rest.startsWith('!') || rest === '<=' || rest === '<!') return `a lookaround (${source.slice(i, i + 4)})`;
    }
  }
  return undefined;
}

/**
 * Validates and compiles an Alertmanager matcher. Regexes are fully anchored (`^(?:re)$`, as Alertmanager does), a
 * missing label matches as the empty string, `isEqual` defaults to true.
 *
 * @throws ValidationError naming `path` for a bad name, value or regex.
 * @example
 * compileMatcher({ name: 'env', value: 'prod|staging', isRegex: true }).test({ env: 'prod' }); // true
 * compileMatcher({ name: 'env', value: 'prod', isRegex: true }).test({ env: 'production' }); // false (anchored)
 * compileMatcher({ name: 'team', value: '', isRegex: false }).test({}); // true (missing = empty)
 */
export function compileMatcher(matcher: Matcher, path = 'matcher'): CompiledMatcher {
  if (matcher === null || typeof matcher !== 'object') throw new ValidationError(path, 'a matcher { name, value, isRegex, isEqual }', matcher);
  if (typeof matcher.name !== 'string' || !LABEL_NAME_PATTERN.test(matcher.name)) throw new ValidationError(`${path}.name`, 'a label name matching [a-zA-Z_][a-zA-Z0-9_]*', matcher.name);
  if (typeof matcher.value !== 'string') throw new ValidationError(`${path}.value`, 'a string', matcher.value);
  if (matcher.value.length > 4096) throw new ValidationError(`${path}.value`, 'at most 4096 characters', matcher.value);
  if (typeof matcher.isRegex !== 'boolean') throw new ValidationError(`${path}.isRegex`, 'a boolean', matcher.isRegex);
  if (matcher.isEqual !== undefined && typeof matcher.isEqual !== 'boolean') throw new ValidationError(`${path}.isEqual`, 'a boolean or undefined', matcher.isEqual);
  const name = matcher.name;
  const isEqual = matcher.isEqual ?? true;
  if (!matcher.isRegex) {
    const value = matcher.value;
    return { name, test: (labels) => ((labelValue(labels, name) ?? '') === value) === isEqual };
  }
  const unsupported = unsupportedRegexConstruct(matcher.value);
  if (unsupported !== undefined) throw new ValidationError(`${path}.value`, `a regular expression in RE2 syntax, as Alertmanager reads it (found ${unsupported})`, matcher.value);
  let regex: RegExp;
  try {
    // Anchored exactly as Alertmanager does (^(?:re)$); 'u' for code-point semantics like Go's RE2.
    regex = new RegExp(`^(?:${matcher.value})$`, 'u');
  } catch (cause) {
    throw Object.assign(new ValidationError(`${path}.value`, 'a valid regular expression', matcher.value), { cause });
  }
  return { name, test: (labels) => regex.test(labelValue(labels, name) ?? '') === isEqual };
}

/** Compiles a list of matchers (all must match). */
export function compileMatchers(matchers: readonly Matcher[], path: string): (labels: Readonly<Record<string, string>>) => boolean {
  if (!Array.isArray(matchers)) throw new ValidationError(path, 'an array of matchers', matchers);
  const compiled = matchers.map((m, i) => compileMatcher(m, `${path}[${i}]`));
  return (labels) => {
    for (const m of compiled) if (!m.test(labels)) return false;
    return true;
  };
}

/**
 * Whether every matcher matches the label set (Alertmanager semantics; see {@link compileMatcher}).
 *
 * @example
 * matchesAll([{ name: 'severity', value: 'critical', isRegex: false }], { severity: 'critical' }); // true
 */
export function matchesAll(matchers: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean {
  return compileMatchers(matchers, 'matchers')(labels);
}

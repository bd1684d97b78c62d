import { decodeBase64 } from './ids';
import type { AttributeValue, SpanAttribute } from './types';

/** Nested arrays and maps deeper than this are cut (shown as a string), so hostile nesting cannot exhaust the stack. */
export const MAX_ATTRIBUTE_NESTING = 32;

const INTEGER = /^-?\d{1,20}$/;

/** Reads an OTLP int64 given as a decimal string or a number: a number when safe, else an exact bigint. */
function readInt(value: unknown): AttributeValue | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && INTEGER.test(value)) {
    const n = Number(value);
    if (Number.isSafeInteger(n)) return n;
    const big = BigInt(value);
    return big >= -9223372036854775808n && big <= 9223372036854775807n ? big : undefined;
  }
  return undefined;
}

function readDouble(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** A fresh map without a prototype, so keys such as `__proto__` are plain keys. */
function emptyMap(): Record<string, AttributeValue> {
  return Object.create(null) as Record<string, AttributeValue>;
}

/**
 * Decodes an OTLP AnyValue (`stringValue`, `boolValue`, `intValue`, `doubleValue`, `arrayValue`, `kvlistValue`,
 * `bytesValue`; an empty value is null). Problems are appended to `problems` with their path; the value is then
 * undefined (the caller skips it) or partial.
 */
export function decodeAnyValue(value: unknown, path: string, problems: string[], depth = 0): AttributeValue | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${path}: expected an AnyValue object`);
    return undefined;
  }
  const v = value as Record<string, unknown>;
  if ('stringValue' in v) {
    if (typeof v.stringValue === 'string') return v.stringValue;
    problems.push(`${path}.stringValue: expected a string`);
    return undefined;
  }
  if ('boolValue' in v) {
    if (typeof v.boolValue === 'boolean') return v.boolValue;
    if (v.boolValue === 'true' || v.boolValue === 'false') return v.boolValue === 'true';
    problems.push(`${path}.boolValue: expected a boolean`);
    return undefined;
  }
  if ('intValue' in v) {
    const int = readInt(v.intValue);
    if (int === undefined) problems.push(`${path}.intValue: expected an int64 (decimal string or integer)`);
    return int;
  }
  if ('doubleValue' in v) {
    const d = readDouble(v.doubleValue);
    if (d === undefined) problems.push(`${path}.doubleValue: expected a number`);
    return d;
  }
  if ('bytesValue' in v) {
    const bytes = typeof v.bytesValue === 'string' ? decodeBase64(v.bytesValue) : undefined;
    if (bytes === undefined) problems.push(`${path}.bytesValue: expected base64`);
    return bytes;
  }
  if ('arrayValue' in v || 'kvlistValue' in v) {
    if (depth >= MAX_ATTRIBUTE_NESTING) {
      problems.push(`${path}: nested deeper than ${MAX_ATTRIBUTE_NESTING} levels; cut`);
      return '[nested too deep]';
    }
    if ('arrayValue' in v) {
      const values = (v.arrayValue as { values?: unknown } | null)?.values;
      if (values === undefined) return [];
      if (!Array.isArray(values)) {
        problems.push(`${path}.arrayValue.values: expected an array`);
        return undefined;
      }
      const out: AttributeValue[] = [];
      for (let i = 0; i < values.length; i++) {
        const item = decodeAnyValue(values[i], `${path}.arrayValue.values[${i}]`, problems, depth + 1);
        if (item !== undefined) out.push(item);
      }
      return out;
    }
    const values = (v.kvlistValue as { values?: unknown } | null)?.values;
    const out = emptyMap();
    if (values === undefined) return out;
    if (!Array.isArray(values)) {
      problems.push(`${path}.kvlistValue.values: expected an array`);
      return undefined;
    }
    for (let i = 0; i < values.length; i++) {
      const kv = values[i] as { key?: unknown; value?: unknown } | null;
      if (kv === null || typeof kv !== 'object' || typeof kv.key !== 'string') {
        problems.push(`${path}.kvlistValue.values[${i}].key: expected a string`);
        continue;
      }
      const item = kv.value === undefined ? null : decodeAnyValue(kv.value, `${path}.kvlistValue.values[${i}].value`, problems, depth + 1);
      if (item !== undefined) out[kv.key] = item;
    }
    return out;
  }
  return null; // an empty AnyValue
}

/** Decodes an OTLP `KeyValue[]` attribute list. Bad entries are skipped and reported in `problems`. */
export function decodeOtlpAttributes(list: unknown, path: string, problems: string[]): SpanAttribute[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    problems.push(`${path}: expected an array of { key, value }`);
    return [];
  }
  const out: SpanAttribute[] = [];
  for (let i = 0; i < list.length; i++) {
    const kv = list[i] as { key?: unknown; value?: unknown } | null;
    if (kv === null || typeof kv !== 'object' || typeof kv.key !== 'string') {
      problems.push(`${path}[${i}].key: expected a string`);
      continue;
    }
    const value = kv.value === undefined || kv.value === null ? null : decodeAnyValue(kv.value, `${path}[${i}].value`, problems);
    if (value !== undefined) out.push({ key: kv.key, value });
  }
  return out;
}

/** Finds a string attribute in an OTLP `KeyValue[]` without decoding the others. */
export function findOtlpStringAttribute(list: unknown, key: string): string | undefined {
  if (!Array.isArray(list)) return undefined;
  for (let i = 0; i < list.length; i++) {
    const kv = list[i] as { key?: unknown; value?: { stringValue?: unknown } } | null;
    if (kv !== null && typeof kv === 'object' && kv.key === key) {
      const s = kv.value?.stringValue;
      return typeof s === 'string' ? s : undefined;
    }
  }
  return undefined;
}

/** Decodes one Jaeger tag value by its `type` (string, bool, int64, float64, binary). */
export function decodeJaegerTagValue(tag: { type?: unknown; value?: unknown }): AttributeValue | undefined {
  const { type, value } = tag;
  switch (typeof type === 'string' ? type.toLowerCase() : type) {
    case 'bool':
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return undefined;
    case 'int64':
      return readInt(value);
    case 'float64':
      return readDouble(value);
    case 'binary':
      if (typeof value === 'string') return decodeBase64(value) ?? value;
      return undefined;
    case 'string':
      return typeof value === 'string' ? value : value === null || value === undefined ? undefined : String(value);
    default:
      if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value;
      return undefined;
  }
}

/** Decodes a Jaeger `tags` (or log `fields`) list. Bad entries are skipped and reported. */
export function decodeJaegerTags(list: unknown, path: string, problems: string[]): SpanAttribute[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    problems.push(`${path}: expected an array of { key, type, value }`);
    return [];
  }
  const out: SpanAttribute[] = [];
  for (let i = 0; i < list.length; i++) {
    const tag = list[i] as { key?: unknown; type?: unknown; value?: unknown } | null;
    if (tag === null || typeof tag !== 'object' || typeof tag.key !== 'string') {
      problems.push(`${path}[${i}].key: expected a string`);
      continue;
    }
    const value = decodeJaegerTagValue(tag);
    if (value === undefined) problems.push(`${path}[${i}].value: does not match type ${String(tag.type)}`);
    else out.push({ key: tag.key, value });
  }
  return out;
}

/** Decodes Zipkin's `tags` (a string map). */
export function decodeStringMap(map: unknown, path: string, problems: string[]): SpanAttribute[] {
  if (map === undefined || map === null) return [];
  if (typeof map !== 'object' || Array.isArray(map)) {
    problems.push(`${path}: expected an object of strings`);
    return [];
  }
  const out: SpanAttribute[] = [];
  for (const key of Object.keys(map)) {
    const value = (map as Record<string, unknown>)[key];
    if (typeof value === 'string') out.push({ key, value });
    else if (typeof value === 'number' || typeof value === 'boolean') out.push({ key, value: String(value) });
    else problems.push(`${path}.${key}: expected a string`);
  }
  return out;
}

/**
 * A display string for an attribute value: strings as they are, bigints and numbers in decimal, bytes as hex,
 * arrays and maps as JSON-like text. Iterative, so no nesting can exhaust the stack.
 *
 * @example
 * formatAttributeValue([1, 'a', true]); // '[1, "a", true]'
 */
export function formatAttributeValue(value: AttributeValue): string {
  if (typeof value === 'string') return value;
  let out = '';
  // work items: a value to write, or a literal piece of text
  const stack: Array<{ value: AttributeValue; quote: boolean } | string> = [{ value, quote: false }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item === 'string') {
      out += item;
      continue;
    }
    const v = item.value;
    if (v === null) out += 'null';
    else if (typeof v === 'string') out += item.quote ? JSON.stringify(v) : v;
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') out += String(v);
    else if (v instanceof Uint8Array) {
      let hex = '';
      for (let i = 0; i < v.length; i++) hex += (v[i]! < 16 ? '0' : '') + v[i]!.toString(16);
      out += `0x${hex}`;
    } else if (Array.isArray(v)) {
      const list = v as readonly AttributeValue[];
      stack.push(']');
      for (let i = list.length - 1; i >= 0; i--) {
        stack.push({ value: list[i]!, quote: true });
        if (i > 0) stack.push(', ');
      }
      out += '[';
    } else {
      const map = v as { readonly [key: string]: AttributeValue };
      const keys = Object.keys(map);
      stack.push('}');
      for (let i = keys.length - 1; i >= 0; i--) {
        stack.push({ value: map[keys[i]!]!, quote: true });
        stack.push(`${JSON.stringify(keys[i])}: `);
        if (i > 0) stack.push(', ');
      }
      out += '{';
    }
  }
  return out;
}

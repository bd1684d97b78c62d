import { SourceError } from '@vigil/core';

/** A PromQL syntax or type error. `position` is the 0-based character offset in the query where it was found. */
export class PromQLError extends SourceError {
  readonly position: number;

  constructor(message: string, position: number, query: string) {
    super('BAD_QUERY', `${message} at position ${position}${pointAt(query, position)}`, { path: 'query', retryable: false });
    this.name = 'PromQLError';
    this.position = position;
  }
}

/** A short excerpt of the query around `position`, for error messages. */
function pointAt(query: string, position: number): string {
  if (query.length === 0) return '';
  const from = Math.max(0, position - 20);
  const excerpt = query.slice(from, position + 20).replace(/[\r\n\t]/g, ' ');
  return ` (near "${from > 0 ? '…' : ''}${excerpt}${position + 20 < query.length ? '…' : ''}")`;
}

export type TokenKind = 'identifier' | 'number' | 'duration' | 'string' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The raw text of the token. */
  readonly text: string;
  /** Numbers: the value; durations: milliseconds. */
  readonly number: number;
  /** Strings: the unescaped value. */
  readonly string: string;
  readonly start: number;
  readonly end: number;
}

const PUNCTUATION = ['==', '!=', '=~', '!~', '>=', '<=', '(', ')', '{', '}', '[', ']', ',', '=', '>', '<', '+', '-', '*', '/', '%', '^', '@', ':'];

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};
const DURATION_ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];

const isDigit = (c: string) => c >= '0' && c <= '9';
const isIdentStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === ':';
const isIdentPart = (c: string) => isIdentStart(c) || isDigit(c);
const isHex = (c: string) => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

/**
 * Splits a PromQL query into tokens. Throws `PromQLError` (a `SourceError` with code `BAD_QUERY`) with the position
 * of the first character it cannot read.
 *
 * @example
 * tokenize('rate(x[5m])').map((t) => t.text) // ['rate', '(', 'x', '[', '5m', ']', ')', '']
 */
export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  const n = query.length;
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, number = 0, string = '') =>
    tokens.push({ kind, text: query.slice(start, end), number, string, start, end });

  while (i < n) {
    const c = query[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      // A comment runs to the end of the line.
      while (i < n && query[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (isDigit(c) || (c === '.' && i + 1 < n && isDigit(query[i + 1]!))) {
      i = readNumberOrDuration(query, i, push);
      continue;
    }
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(query[i]!)) i++;
      const text = query.slice(start, i);
      const lower = text.toLowerCase();
      if (lower === 'inf' || lower === 'nan') push('number', start, i, lower === 'inf' ? Infinity : NaN);
      else push('identifier', start, i);
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      const [value, end] = readString(query, i);
      push('string', start, end, 0, value);
      i = end;
      continue;
    }
    const punct = PUNCTUATION.find((p) => query.startsWith(p, i));
    if (punct === undefined) throw new PromQLError(`unexpected character ${JSON.stringify(c)}`, i, query);
    push('punct', i, i + punct.length);
    i += punct.length;
  }
  push('eof', n, n);
  return tokens;
}

function readNumberOrDuration(query: string, begin: number, push: (kind: TokenKind, start: number, end: number, number?: number) => void): number {
  const n = query.length;
  let i = begin;
  if (query[i] === '0' && (query[i + 1] === 'x' || query[i + 1] === 'X') && i + 2 < n && isHex(query[i + 2]!)) {
    i += 2;
    while (i < n && isHex(query[i]!)) i++;
    push('number', begin, i, Number.parseInt(query.slice(begin + 2, i), 16));
    return i;
  }
  while (i < n && isDigit(query[i]!)) i++;
  const integerEnd = i;
  // A duration: integer followed by unit letters, possibly repeated (1h30m).
  if (integerEnd > begin && i < n && 'ywdhms'.includes(query[i]!)) return readDuration(query, begin, push);
  if (query[i] === '.') {
    i++;
    while (i < n && isDigit(query[i]!)) i++;
  }
  if (query[i] === 'e' || query[i] === 'E') {
    let j = i + 1;
    if (query[j] === '+' || query[j] === '-') j++;
    if (j >= n || !isDigit(query[j]!)) throw new PromQLError(`bad number syntax ${JSON.stringify(query.slice(begin, j + 1))}: exponent without digits`, begin, query);
    i = j;
    while (i < n && isDigit(query[i]!)) i++;
  }
  if (i < n && (isIdentPart(query[i]!) || query[i] === '.')) {
    throw new PromQLError(`bad number or duration syntax ${JSON.stringify(query.slice(begin, i + 1))}`, begin, query);
  }
  push('number', begin, i, Number(query.slice(begin, i)));
  return i;
}

function readDuration(query: string, begin: number, push: (kind: TokenKind, start: number, end: number, number?: number) => void): number {
  const n = query.length;
  let i = begin;
  let total = 0;
  let lastUnitIndex = -1;
  while (i < n && isDigit(query[i]!)) {
    const digitsStart = i;
    while (i < n && isDigit(query[i]!)) i++;
    const amount = Number(query.slice(digitsStart, i));
    const unitStart = i;
    while (i < n && /[a-z]/i.test(query[i]!)) i++;
    const unit = query.slice(unitStart, i);
    const unitIndex = DURATION_ORDER.indexOf(unit);
    const factor = DURATION_UNITS[unit];
    if (factor === undefined || unitIndex <= lastUnitIndex) {
      throw new PromQLError(`bad duration ${JSON.stringify(query.slice(begin, i))}: units are y, w, d, h, m, s, ms, largest first`, begin, query);
    }
    lastUnitIndex = unitIndex;
    total += amount * factor;
  }
  if (i < n && ((isIdentPart(query[i]!) && query[i] !== ':') || query[i] === '.')) {
    throw new PromQLError(`bad duration ${JSON.stringify(query.slice(begin, i + 1))}`, begin, query);
  }
  if (!Number.isSafeInteger(total)) throw new PromQLError(`duration ${JSON.stringify(query.slice(begin, i))} is too large`, begin, query);
  push('duration', begin, i, total);
  return i;
}

/** Reads a quoted string starting at `begin` (the quote). Returns the unescaped value and the end offset. */
function readString(query: string, begin: number): [string, number] {
  const quote = query[begin]!;
  const n = query.length;
  let i = begin + 1;
  let out = '';
  if (quote === '`') {
    const close = query.indexOf('`', i);
    if (close < 0) throw new PromQLError('unterminated raw string', begin, query);
    return [query.slice(i, close), close + 1];
  }
  while (i < n) {
    const c = query[i]!;
    if (c === quote) return [out, i + 1];
    if (c === '\n' || c === '\r') break;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const escapeStart = i;
    const e = query[i + 1];
    i += 2;
    switch (e) {
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case '"':
      case "'":
        if (e !== quote) throw new PromQLError(`unknown escape sequence \\${e}`, escapeStart, query);
        out += e;
        break;
      case 'x':
      case 'u':
      case 'U': {
        const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = query.slice(i, i + digits);
        if (hex.length !== digits || ![...hex].every(isHex)) throw new PromQLError(`bad \\${e} escape: expected ${digits} hex digits`, escapeStart, query);
        const code = Number.parseInt(hex, 16);
        if (e === 'x') {
          // Go reads \xHH as a raw byte; only ASCII bytes are whole characters on their own.
          if (code > 0x7f) throw new PromQLError(`escape \\x${hex} is not ASCII; use \\u${hex.padStart(4, '0')} for the character`, escapeStart, query);
          out += String.fromCharCode(code);
        }
        else {
          if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new PromQLError(`escape \\${e}${hex} is not a valid Unicode code point`, escapeStart, query);
          out += String.fromCodePoint(code);
        }
        i += digits;
        break;
      }
      default: {
        if (e !== undefined && e >= '0' && e <= '7') {
          const octal = query.slice(i - 1, i + 2);
          if (!/^[0-7]{3}$/.test(octal) || Number.parseInt(octal, 8) > 255) throw new PromQLError('bad octal escape: expected 3 octal digits up to \\377', escapeStart, query);
          if (Number.parseInt(octal, 8) > 0x7f) throw new PromQLError(`octal escape \\${octal} is not ASCII; use \\u for the character`, escapeStart, query);
          out += String.fromCharCode(Number.parseInt(octal, 8));
          i += 2;
          break;
        }
        if (e === undefined) throw new PromQLError('unterminated quoted string', begin, query);
        throw new PromQLError(`unknown escape sequence \\${e}`, escapeStart, query);
      }
    }
  }
  throw new PromQLError('unterminated quoted string', begin, query);
}

/** Formats milliseconds as a PromQL duration (`1h30m`, `500ms`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.abs(ms);
  let out = ms < 0 ? '-' : '';
  for (const unit of DURATION_ORDER) {
    const size = DURATION_UNITS[unit]!;
    const amount = Math.floor(rest / size);
    if (amount > 0) {
      out += `${amount}${unit}`;
      rest -= amount * size;
    }
  }
  return out;
}

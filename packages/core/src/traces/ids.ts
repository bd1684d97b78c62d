/**
 * Span and trace ids: hex (either case, 1 to 16 or 32 digits, left-padded with zeros as Zipkin allows) or base64
 * (OTLP's protobuf-JSON mapping of `bytes`). Span ids are read into two unsigned 32-bit halves without allocating.
 */

/** Result registers of `readSpanId` (reused; read right after the call). */
export const idRegister = { high: 0, low: 0 };

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

function base64Digit(code: number): number {
  if (code >= 65 && code <= 90) return code - 65;
  if (code >= 97 && code <= 122) return code - 71;
  if (code >= 48 && code <= 57) return code + 4;
  if (code === 43 || code === 45) return 62; // + or - (url-safe)
  if (code === 47 || code === 95) return 63; // / or _
  return -1;
}

function isHex(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (hexDigit(text.charCodeAt(i)) < 0) return false;
  return true;
}

/** Decodes base64 (padded or not, standard or url-safe) to bytes; undefined when malformed. */
export function decodeBase64(text: string): Uint8Array | undefined {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  if (text.length - end > 2) return undefined;
  if (end % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((end * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const d = base64Digit(text.charCodeAt(i));
    if (d < 0) return undefined;
    buffer = ((buffer << 6) | d) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}

/** Lowercase hex of bytes. */
export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16);
  return s;
}

/**
 * Reads a 64-bit span id into `idRegister`. Returns 1 when read, 0 when absent (undefined, null, '' or all zeros:
 * "no id"), −1 when malformed. Hex of 1 to 16 digits is left-padded; base64 must decode to exactly 8 bytes when `base64` is allowed and the text is not plain hex of at most 16 digits.
 */
export function readSpanId(value: unknown, base64: boolean): 1 | 0 | -1 {
  if (value === undefined || value === null || value === '') return 0;
  if (typeof value !== 'string') return -1;
  const n = value.length;
  let high = 0;
  let low = 0;
  let hex = n <= 16 && !(base64 && n === 12 && value.charCodeAt(11) === 61);
  if (hex) {
    // one pass: decode while checking every digit
    for (let i = 0; i < n; i++) {
      const d = hexDigit(value.charCodeAt(i));
      if (d < 0) {
        hex = false;
        break;
      }
      // shift the 64-bit (high, low) left by 4 and add d
      high = ((high << 4) | (low >>> 28)) >>> 0;
      low = ((low << 4) | d) >>> 0;
    }
  }
  if (!hex) {
    if (!base64) return -1;
    const bytes = decodeBase64(value);
    if (bytes === undefined || bytes.length !== 8) return -1;
    high = 0;
    low = 0;
    for (let i = 0; i < 8; i++) {
      high = ((high << 8) | (low >>> 24)) >>> 0;
      low = ((low << 8) | bytes[i]!) >>> 0;
    }
  }
  idRegister.high = high;
  idRegister.low = low;
  return high === 0 && low === 0 ? 0 : 1;
}

/**
 * Normalises a trace id to 32 lowercase hex digits. Returns '' when absent, undefined when malformed. Hex of up to
 * 32 digits is left-padded (Jaeger and Zipkin send 64-bit trace ids as 16 digits); base64 must give exactly 16 bytes.
 */
export function normaliseTraceId(value: unknown, base64: boolean): string | undefined {
  if (value === undefined || value === null || value === '') return '';
  if (typeof value !== 'string') return undefined;
  let hex: string;
  if (value.length <= 32 && isHex(value) && !(base64 && value.length === 24 && value.endsWith('=='))) {
    hex = value.toLowerCase();
  } else if (base64) {
    const bytes = decodeBase64(value);
    if (bytes === undefined || bytes.length !== 16) return undefined;
    hex = bytesToHex(bytes);
  } else {
    return undefined;
  }
  if (hex.length < 32) hex = '0'.repeat(32 - hex.length) + hex;
  for (let i = 0; i < 32; i++) if (hex.charCodeAt(i) !== 48) return hex;
  return ''; // all zeros: no trace id
}

const HEX8 = '00000000';
/** 16 lowercase hex digits of a 64-bit id given as halves. */
export function idToHex(high: number, low: number): string {
  const h = (high >>> 0).toString(16);
  const l = (low >>> 0).toString(16);
  return HEX8.slice(h.length) + h + HEX8.slice(l.length) + l;
}

/** Mixes the halves of an id into a 32-bit hash. */
export function hashId(high: number, low: number): number {
  let h = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 13)) >>> 0;
}

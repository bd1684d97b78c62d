/**
 * Exact times without BigInt in the hot path. An epoch time in nanoseconds is held as (seconds, nanoseconds) — two
 * doubles that are exact integers — and written into BigInt64Array columns through a Uint32Array view.
 */

/** Result registers of the readers below (reused; read right after the call). */
export const timeRegister = { seconds: 0, nanos: 0 };

/** int64 nanoseconds end at 9223372036.854775807 s. */
const MAX_SECONDS = 9223372036;
const MAX_NANOS_AT_MAX_SECONDS = 854775807;

function setTime(seconds: number, nanos: number): boolean {
  if (seconds > MAX_SECONDS || (seconds === MAX_SECONDS && nanos > MAX_NANOS_AT_MAX_SECONDS)) return false;
  timeRegister.seconds = seconds;
  timeRegister.nanos = nanos;
  return true;
}

function fromBigInt(value: bigint): boolean {
  if (value < 0n || value > 9223372036854775807n) return false;
  return setTime(Number(value / 1_000_000_000n), Number(value % 1_000_000_000n));
}

/** Reads a non-negative decimal integer string (int64 range) of nanoseconds. */
function readDecimalNanos(text: string): boolean {
  const n = text.length;
  if (n === 0 || n > 25) return false;
  let seconds = 0;
  let nanos = 0;
  const split = n - 9;
  for (let i = 0; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (i < split) {
      seconds = seconds * 10 + d;
      if (seconds > MAX_SECONDS) return false;
    } else {
      nanos = nanos * 10 + d;
    }
  }
  return setTime(seconds, nanos);
}

/**
 * Reads epoch nanoseconds given as a decimal string (exact), a number (exact when it is a safe integer; a larger
 * number is read as the exact value of the double), a bigint, or protobuf.js's `{ low, high }` long. False when
 * unusable (negative, fractional, beyond int64, not a number).
 */
export function readNanos(value: unknown): boolean {
  if (typeof value === 'string') return readDecimalNanos(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0 || !Number.isInteger(value)) return false;
    if (value <= Number.MAX_SAFE_INTEGER) {
      const seconds = Math.floor(value / 1e9);
      return setTime(seconds, value - seconds * 1e9);
    }
    return value <= 9.3e18 && fromBigInt(BigInt(value));
  }
  if (typeof value === 'bigint') return fromBigInt(value);
  if (value !== null && typeof value === 'object') {
    const { low, high } = value as { low?: unknown; high?: unknown };
    if (typeof low === 'number' && typeof high === 'number' && Number.isInteger(low) && Number.isInteger(high)) {
      return fromBigInt((BigInt(high >>> 0) << 32n) | BigInt(low >>> 0));
    }
  }
  return false;
}

/**
 * Reads epoch microseconds (Jaeger, Zipkin): a finite non-negative number (fractions round to whole nanoseconds)
 * or a decimal integer string.
 */
export function readMicros(value: unknown): boolean {
  if (typeof value === 'string' && value.length > 0 && value.length <= 20) {
    let micros = 0;
    for (let i = 0; i < value.length; i++) {
      const d = value.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return false;
      micros = micros * 10 + d;
    }
    value = micros;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 9.2e15) return false;
  const seconds = Math.floor(value / 1e6);
  const nanos = Math.round((value - seconds * 1e6) * 1000);
  return nanos >= 1e9 ? setTime(seconds + 1, nanos - 1e9) : setTime(seconds, nanos);
}

/** Reads a duration in microseconds (≥ 0) as nanoseconds into `timeRegister` (seconds, nanos). */
export function readMicrosDuration(value: unknown): boolean {
  return readMicros(value);
}

/** Adds (seconds, nanos) to the time in the register. */
export function addToRegister(seconds: number, nanos: number): boolean {
  let s = timeRegister.seconds + seconds;
  let ns = timeRegister.nanos + nanos;
  if (ns >= 1e9) {
    s += 1;
    ns -= 1e9;
  }
  return setTime(s, ns);
}

/** Whether this platform stores the low 32 bits of a 64-bit integer first. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Writes seconds * 1e9 + nanos (non-negative, < 2^63) exactly into slot i of a BigInt64Array, given a Uint32Array
 * view over the same buffer. Splits the product into 32-bit words with doubles that stay below 2^53.
 */
export function writeEpochNanos(words: Uint32Array, i: number, seconds: number, nanos: number): void {
  // seconds = s1 * 2^17 + s0; seconds * 1e9 = s1 * 1e9 * 2^17 + s0 * 1e9
  const s1 = Math.floor(seconds / 131072);
  const s0 = seconds - s1 * 131072;
  const a = s1 * 1e9; // < 2^47
  const b = s0 * 1e9 + nanos; // < 2^48
  // a * 2^17 = (a >> 15) * 2^32 + (a & 0x7fff) * 2^17
  const aHigh = Math.floor(a / 32768);
  const lowSum = (a - aHigh * 32768) * 131072 + b; // < 2^49
  const carry = Math.floor(lowSum / 4294967296);
  const lowWord = lowSum - carry * 4294967296;
  const highWord = aHigh + carry;
  if (LITTLE_ENDIAN) {
    words[2 * i] = lowWord;
    words[2 * i + 1] = highWord;
  } else {
    words[2 * i] = highWord;
    words[2 * i + 1] = lowWord;
  }
}

/** Epoch nanoseconds as a bigint from (seconds, nanos). */
export function toBigIntNanos(seconds: number, nanos: number): bigint {
  return BigInt(seconds) * 1_000_000_000n + BigInt(nanos);
}

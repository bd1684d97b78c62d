import { ValidationError } from '../errors';

/**
 * Exponential backoff with "full jitter" (AWS architecture blog, 2015): a uniformly random delay in
 * `[0, min(maxDelayMs, baseDelayMs × 2^(attempt − 1)))`. `random` is injectable so tests are deterministic.
 *
 * @example
 * fullJitterDelay(3, { baseDelayMs: 1000, maxDelayMs: 60_000 }, () => 0.5) // 2000 (half of 4000)
 */
export function fullJitterDelay(attempt: number, options: { readonly baseDelayMs: number; readonly maxDelayMs: number }, random: () => number = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new ValidationError('attempt', 'an integer >= 1', attempt);
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(attempt - 1, 52));
  const r = random();
  if (!(r >= 0 && r < 1)) throw new ValidationError('random()', 'a number in [0, 1)', r);
  return Math.floor(r * ceiling);
}

/**
 * Parses an HTTP `Retry-After` header, either delay-seconds (`120`) or an HTTP date, into milliseconds from `now`.
 * Returns `undefined` for a missing or malformed header; a date in the past gives 0.
 *
 * @example
 * parseRetryAfter('3', 0) // 3000
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  if (text === '' || !/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** A channel's rate limit: bursts of up to `capacity` sends, refilled at `refillPerSecond`. */
export interface RateLimit {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/**
 * A token bucket over an injected clock. `take()` spends one token when there is one; `waitMs()` says how long
 * until the next token.
 *
 * @example
 * const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 1 }, () => Date.now());
 * bucket.take(); // true
 * bucket.take(); // false (for about a second)
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: () => number,
  ) {
    if (typeof limit !== 'object' || limit === null) throw new ValidationError('rateLimit', 'an object { capacity, refillPerSecond }', limit);
    if (!(Number.isFinite(limit.capacity) && limit.capacity >= 1)) throw new ValidationError('rateLimit.capacity', 'a number >= 1', limit.capacity);
    if (!(Number.isFinite(limit.refillPerSecond) && limit.refillPerSecond > 0)) throw new ValidationError('rateLimit.refillPerSecond', 'a number > 0', limit.refillPerSecond);
    this.tokens = limit.capacity;
    this.last = clock();
  }

  private refill(): void {
    const now = this.clock();
    if (now > this.last) {
      this.tokens = Math.min(this.limit.capacity, this.tokens + ((now - this.last) / 1000) * this.limit.refillPerSecond);
      this.last = now;
    }
  }

  /** Spends a token and returns true, or returns false when the bucket is empty. */
  take(): boolean {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** Milliseconds until a token is available (0 when one is). */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.limit.refillPerSecond) * 1000);
  }
}

import { ValidationError } from '../errors';
import { ByteReader, ByteWriter } from './varint';

/*
 * Index mapping. A positive value v = 2^e × (1 + s), s in [0, 1), is mapped to the approximate logarithm
 * L(v) = e + P(s), where P(s) = A s³ + B s² + C s is the cubic interpolation of log2(1 + s) from the DDSketch paper's
 * "cubically interpolated mapping" (P(0) = 0, P(1) = 1, increasing). e is read straight from the IEEE-754 bits through
 * a shared Float64Array/Uint32Array view and 1 + s = v × 2^-e exactly (a table of powers of two): no Math.log on the
 * hot path.
 *
 * Bucket k holds the values with (k - 1) / m < L(v) <= k / m. The true log2 width of a bucket is at most
 * (1 / m) × max over s of d log2(1 + s) / dP = 1 / (m × ln 2 × min (1 + s) P'(s)) and min (1 + s) P'(s) = C (reached at
 * s = 0 and s = 2/3), so m = 1 / (C × ln γ) makes every bucket's upper/lower ratio at most γ = (1 + α) / (1 - α).
 * Returning 2·lo·hi / (lo + hi) for a bucket (lo, hi] is then within α of every value in it.
 */
const A = 6 / 35;
const B = -3 / 5;
const C = 10 / 7;

/** Values with |v| <= this (zero, subnormals, the smallest normal) are counted in the zero bucket. */
const MIN_INDEXABLE = 2 ** -1022;
/** The guarantee is enforced with this much headroom so float rounding in the index and the estimate cannot break it. */
const ACCURACY_HEADROOM = 1 - 1e-7;
const DEFAULT_RELATIVE_ACCURACY = 0.01;
const DEFAULT_MAX_BUCKETS = 2048;
const MAX_MAX_BUCKETS = 1 << 20;
const FORMAT_VERSION = 1;
const MAGIC = [0x56, 0x44, 0x44] as const; // "VDD"

/** addAll works through the input in chunks of this many values (scratch buffers below are shared, sync only). */
const CHUNK = 2048;
/** Length of the first chunk of every addAll call (see the note above optimisticPositiveKeys). */
const FIRST_CHUNK = 64;

const bitsFloat = new Float64Array(1);
const bitsWords = new Uint32Array(bitsFloat.buffer);
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** 2^-(e - 1023) for every biased exponent e of a normal double: v × INVERSE_POWERS[e] is 1 + s, exactly. */
const INVERSE_POWERS = new Float64Array(2048);
for (let e = 1; e < 2047; e++) INVERSE_POWERS[e] = 2 ** (1023 - e);

/** L(v) for a positive normal v (see the mapping comment above). */
function approximateLog2(v: number): number {
  bitsFloat[0] = v;
  const biasedExponent = bitsWords[HIGH_WORD]! >>> 20;
  const s = v * INVERSE_POWERS[biasedExponent]! - 1;
  return biasedExponent - 1023 + ((A * s + B) * s + C) * s;
}

function scaleByPowerOfTwo(x: number, exponent: number): number {
  if (exponent > 1023) return x * 2 ** 1023 * 2 ** (exponent - 1023);
  if (exponent < -1022) return x * 2 ** -1022 * 2 ** (exponent + 1022);
  return x * 2 ** exponent;
}

/** The exponent and 1 + s of the value v with L(v) = t (P inverted by Newton's method; P' >= 26/35 on [0, 1]). */
function inverseApproximateLog2(t: number): [exponent: number, significand: number] {
  const exponent = Math.floor(t);
  const target = t - exponent;
  let s = target;
  for (let i = 0; i < 8; i++) {
    const error = ((A * s + B) * s + C) * s - target;
    s -= error / ((3 * A * s + 2 * B) * s + C);
  }
  return [exponent, 1 + Math.min(1, Math.max(0, s))];
}

/** Options of {@link DDSketch}. */
export interface DDSketchOptions {
  /** α: every quantile estimate is within α × |exact value|. In [1e-6, 0.5]; default 0.01 (1 %). */
  readonly relativeAccuracy?: number;
  /** Bucket limit per sign (memory bound: 8 bytes per bucket). Integer in [1, 1048576]; default 2048. */
  readonly maxBuckets?: number;
}

/** The JSON form of a sketch ({@link DDSketch.toJSON}, {@link DDSketch.snapshot}). */
export interface DDSketchJSON {
  readonly format: 'vigil.ddsketch';
  readonly version: 1;
  readonly relativeAccuracy: number;
  readonly maxBuckets: number;
  readonly count: number;
  /** A number, or the strings 'Infinity', '-Infinity', 'NaN' when the sum overflowed. */
  readonly sum: number | 'Infinity' | '-Infinity' | 'NaN';
  /** null when the sketch is empty. */
  readonly min: number | null;
  readonly max: number | null;
  readonly zeroCount: number;
  /** Non-empty buckets of positive values: ascending keys and their counts. */
  readonly positive: { readonly keys: readonly number[]; readonly counts: readonly number[] };
  /** Non-empty buckets of negative values, keyed by |v|. */
  readonly negative: { readonly keys: readonly number[]; readonly counts: readonly number[] };
}

interface StoreState {
  readonly counts: Float64Array<ArrayBuffer>;
  readonly offset: number;
  readonly minKey: number;
  readonly maxKey: number;
  readonly total: number;
}

/**
 * Dense counts for a contiguous key range in a growable Float64Array with an offset. `minKey..maxKey` is the range of
 * keys that may hold counts. When that range would exceed `maxBuckets`, the far end collapses into its edge bucket:
 * the lowest keys for `collapseLowest`, else the highest.
 */
class BucketStore {
  counts = new Float64Array(0);
  /** Key of counts[0]. */
  offset = 0;
  minKey = Infinity;
  maxKey = -Infinity;
  total = 0;

  constructor(
    readonly maxBuckets: number,
    readonly collapseLowest: boolean,
  ) {}

  add(key: number, weight: number): void {
    let k = key;
    if (k < this.minKey || k > this.maxKey) k = this.extend(k, k);
    this.counts[k - this.offset]! += weight;
    this.total += weight;
  }

  /** Makes keys lo..hi storable (collapsing if the span exceeds maxBuckets) and returns `lo` clamped to the range. */
  extend(lo: number, hi: number): number {
    let newMin = Math.min(lo, this.minKey);
    let newMax = Math.max(hi, this.maxKey);
    if (newMax - newMin + 1 > this.maxBuckets) {
      if (this.collapseLowest) newMin = newMax - this.maxBuckets + 1;
      else newMax = newMin + this.maxBuckets - 1;
    }
    if (newMin !== this.minKey || newMax !== this.maxKey) {
      const { counts, offset } = this;
      const fits = newMin >= offset && newMax < offset + counts.length;
      const target = fits ? counts : new Float64Array(this.capacityFor(newMax - newMin + 1));
      const targetOffset = fits ? offset : newMin - ((target.length - (newMax - newMin + 1)) >> 1);
      if (this.total > 0 && (!fits || this.minKey < newMin || this.maxKey > newMax)) {
        // Move (or collapse) every occupied key into the new range.
        for (let key = this.minKey; key <= this.maxKey; key++) {
          const count = counts[key - offset]!;
          if (count === 0) continue;
          const clamped = key < newMin ? newMin : key > newMax ? newMax : key;
          if (fits && clamped === key) continue;
          if (fits) counts[key - offset] = 0;
          target[clamped - targetOffset]! += count;
        }
      }
      this.counts = target;
      this.offset = targetOffset;
      this.minKey = newMin;
      this.maxKey = newMax;
    }
    return lo < newMin ? newMin : lo > newMax ? newMax : lo;
  }

  private capacityFor(needed: number): number {
    let capacity = Math.max(64, this.counts.length * 2);
    while (capacity < needed) capacity *= 2;
    return Math.min(capacity, Math.max(needed, this.maxBuckets));
  }

  /**
   * Counts the kernel's keys at [start, start + count) once each. [low, high] is an estimate of their range (at most
   * one off); when it is not inside the store's range, keys are counted while they fit and the first one that does
   * not makes the store measure the exact range of the rest and grow (or collapse) exactly as much as needed.
   */
  addKeys(start: number, count: number, low: number, high: number): void {
    let done = 0;
    if (low >= this.minKey && high <= this.maxKey) {
      kernel.countKeys(this.counts, this.offset, start, count);
      done = count;
    } else if (this.total > 0) {
      done = kernel.countKeysWhileInside(this.counts, this.offset, start, count, this.minKey, this.maxKey);
    }
    if (done < count) {
      const range = kernel.keyRange(start + done, count - done);
      const exactLow = range[0]!;
      const exactHigh = range[1]!;
      this.extend(exactLow, exactHigh);
      const { counts, offset, minKey, maxKey } = this;
      if (exactLow >= minKey && exactHigh <= maxKey) kernel.countKeys(counts, offset, start + done, count - done);
      else kernel.countClampedKeys(counts, offset, start + done, count - done, minKey, maxKey);
    }
    this.total += count;
  }

  mergeFrom(other: BucketStore): void {
    if (other.total === 0) return;
    this.extend(other.minKey, other.maxKey);
    const { counts, offset, minKey, maxKey } = this;
    const source = other.counts;
    if (other.minKey >= minKey && other.maxKey <= maxKey) {
      // Common case: no collapsing, a straight element-wise add over the other store's range.
      const shift = other.offset - offset;
      const end = other.maxKey - other.offset;
      for (let i = other.minKey - other.offset; i <= end; i++) counts[i + shift]! += source[i]!;
    } else {
      for (let key = other.minKey; key <= other.maxKey; key++) {
        const count = source[key - other.offset]!;
        if (count === 0) continue;
        const clamped = key < minKey ? minKey : key > maxKey ? maxKey : key;
        counts[clamped - offset]! += count;
      }
    }
    this.total += other.total;
  }

  /** Everything needed to undo later changes (see {@link BucketStore.restore}); copies the counts. */
  save(): StoreState {
    return { counts: this.counts.slice(), offset: this.offset, minKey: this.minKey, maxKey: this.maxKey, total: this.total };
  }

  restore(state: StoreState): void {
    this.counts = state.counts;
    this.offset = state.offset;
    this.minKey = state.minKey;
    this.maxKey = state.maxKey;
    this.total = state.total;
  }

  copyFrom(other: BucketStore): void {
    this.counts = other.counts.slice();
    this.offset = other.offset;
    this.minKey = other.minKey;
    this.maxKey = other.maxKey;
    this.total = other.total;
  }

  /** Non-empty buckets, ascending by key. */
  entries(): { keys: number[]; counts: number[] } {
    const keys: number[] = [];
    const counts: number[] = [];
    for (let key = this.minKey; key <= this.maxKey; key++) {
      const count = this.counts[key - this.offset]!;
      if (count > 0) {
        keys.push(key);
        counts.push(count);
      }
    }
    return { keys, counts };
  }

  /** Key holding the value of 0-based rank `rank`, walking keys upward (or downward). */
  keyAtRank(rank: number, descending: boolean): number {
    let cumulative = 0;
    if (descending) {
      for (let key = this.maxKey; key > this.minKey; key--) {
        cumulative += this.counts[key - this.offset]!;
        if (cumulative > rank) return key;
      }
      return this.minKey;
    }
    for (let key = this.minKey; key < this.maxKey; key++) {
      cumulative += this.counts[key - this.offset]!;
      if (cumulative > rank) return key;
    }
    return this.maxKey;
  }
}

function invalidData(path: string, expected: string, received: unknown): ValidationError {
  return new ValidationError(path, expected, received, 'INVALID_DATA');
}

function readOptions(options: DDSketchOptions | undefined): { relativeAccuracy: number; maxBuckets: number } {
  if (options !== undefined && (options === null || typeof options !== 'object')) throw new ValidationError('options', 'an object or undefined', options);
  const relativeAccuracy = options?.relativeAccuracy ?? DEFAULT_RELATIVE_ACCURACY;
  if (typeof relativeAccuracy !== 'number' || !(relativeAccuracy >= 1e-6 && relativeAccuracy <= 0.5)) {
    throw new ValidationError('options.relativeAccuracy', 'a number in [1e-6, 0.5]', relativeAccuracy);
  }
  const maxBuckets = options?.maxBuckets ?? DEFAULT_MAX_BUCKETS;
  if (typeof maxBuckets !== 'number' || !Number.isInteger(maxBuckets) || maxBuckets < 1 || maxBuckets > MAX_MAX_BUCKETS) {
    throw new ValidationError('options.maxBuckets', `an integer in [1, ${MAX_MAX_BUCKETS}]`, maxBuckets);
  }
  return { relativeAccuracy, maxBuckets };
}

/** Running sum, min and max after the last kernel.optimisticPositiveKeys call. */
const CHUNK_STATS = new Float64Array(3);

/** Counts and key ranges of the last kernel.signedKeys call (keys fit in int32: |key| <= 1075 × multiplier < 2^29). */
const SIGNED_STATS = new Int32Array(7);
const POSITIVE_COUNT = 0;
const NEGATIVE_COUNT = 1;
const ZERO_COUNT = 2;
const POSITIVE_LOW = 3;
const POSITIVE_HIGH = 4;
const NEGATIVE_LOW = 5;
const NEGATIVE_HIGH = 6;

/** Where the chunk's keys sit in the kernel's key buffer: positive keys first, keys of negative values after. */
const POSITIVE_KEYS = 0;
const NEGATIVE_KEYS = CHUNK;

/*
 * The hot loops of addAll, measured and shaped for V8's optimizing compiler (TurboFan):
 * - They live in a closure and read only its `const` bindings. Bundlers (tsup/esbuild) rewrite module-level `const`
 *   into `var`; a loop reading a module variable re-loads it, re-checks its type and unboxes it on every iteration,
 *   while a closure's constant binding compiles to an embedded constant (a typed array's address and length
 *   included). About 2× on the whole of addAll.
 * - The keys of a chunk go to a key buffer and are counted in a second loop: counting inside the key loop makes
 *   increments of nearby equal keys wait on the long key computation (and on mispredicted memory ordering).
 * - Their first call must be short (addAll starts every input with a short chunk): V8 may optimize a function while
 *   its first call is still looping, and code after the loop then has no type feedback; reaching it threw the
 *   optimized code away, and from then on every call ran its loop through on-stack replacement, where min and max
 *   stayed boxed and every value allocated a heap number (about 2× slower). Hence also min/max seeded from the first
 *   value rather than ±Infinity.
 * - Loops are free of `this`, closures, optional arguments and per-value validation.
 */
const kernel = /* @__PURE__ */ (() => {
  const a = A;
  const b = B;
  const c = C;
  const highWord = HIGH_WORD;
  const inversePowers = INVERSE_POWERS;
  const minIndexable = MIN_INDEXABLE;
  // The chunk being processed is copied here first (a memcpy for a Float64Array): the loops then read only arrays
  // whose address and length are compiled in, with no per-value type and bounds bookkeeping for the caller's array.
  const values = new Float64Array(CHUNK);
  const words = new Uint32Array(values.buffer);
  const keys = new Int32Array(2 * CHUNK);
  const chunkStats = CHUNK_STATS;
  const signedStats = SIGNED_STATS;
  const keyRange = new Int32Array(2);

  return {
    /** Copies source[from..to) (at most CHUNK values) into the chunk buffer. */
    load(source: Float64Array, from: number, to: number): void {
      values.set(source.subarray(from, to));
    },

    /** The same for any array-like of numbers (validated by the caller). */
    loadArrayLike(source: ArrayLike<number>, from: number, to: number): void {
      for (let i = from; i < to; i++) values[i - from] = source[i]!;
    },

    /** Index in the chunk buffer of its first NaN or ±Infinity among the first `count` values, or -1. */
    firstNonFinite(count: number): number {
      for (let i = 0; i < count; i++) {
        const v = values[i]!;
        if (v - v !== 0) return i;
      }
      return -1;
    },

    /**
     * Keys of the first `count` (>= 1) values of the chunk buffer as if every value were positive, into keys[0..),
     * plus the running sum (started from `sum`, value by value, so it equals a sequence of add() calls) and the
     * chunk's min and max, into CHUNK_STATS.
     */
    optimisticPositiveKeys(count: number, multiplier: number, sum: number): void {
      let min = values[0]!;
      let max = min;
      for (let i = 0; i < count; i++) {
        const v = values[i]!;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
        // approximateLog2 inlined (same arithmetic, so add() and addAll() pick the same buckets).
        const biasedExponent = (words[2 * i + highWord]! >>> 20) & 0x7ff;
        const s = v * inversePowers[biasedExponent]! - 1;
        keys[i] = Math.ceil((biasedExponent - 1023 + ((a * s + b) * s + c) * s) * multiplier);
      }
      chunkStats[0] = sum;
      chunkStats[1] = min;
      chunkStats[2] = max;
    },

    /** For a chunk buffer holding zeros or negative values: keys per sign (at POSITIVE_KEYS, NEGATIVE_KEYS), into SIGNED_STATS. */
    signedKeys(count: number, multiplier: number): void {
      let positiveCount = 0;
      let negativeCount = 0;
      let zeros = 0;
      let positiveLow = 0x7fffffff;
      let positiveHigh = -0x7fffffff;
      let negativeLow = 0x7fffffff;
      let negativeHigh = -0x7fffffff;
      for (let i = 0; i < count; i++) {
        const v = values[i]!;
        const magnitude = v < 0 ? -v : v;
        if (magnitude > minIndexable) {
          const biasedExponent = (words[2 * i + highWord]! >>> 20) & 0x7ff;
          const s = magnitude * inversePowers[biasedExponent]! - 1;
          const key = Math.ceil((biasedExponent - 1023 + ((a * s + b) * s + c) * s) * multiplier);
          if (v > 0) {
            keys[POSITIVE_KEYS + positiveCount++] = key;
            if (key < positiveLow) positiveLow = key;
            if (key > positiveHigh) positiveHigh = key;
          } else {
            keys[NEGATIVE_KEYS + negativeCount++] = key;
            if (key < negativeLow) negativeLow = key;
            if (key > negativeHigh) negativeHigh = key;
          }
        } else {
          zeros++;
        }
      }
      signedStats[POSITIVE_COUNT] = positiveCount;
      signedStats[NEGATIVE_COUNT] = negativeCount;
      signedStats[ZERO_COUNT] = zeros;
      signedStats[POSITIVE_LOW] = positiveLow;
      signedStats[POSITIVE_HIGH] = positiveHigh;
      signedStats[NEGATIVE_LOW] = negativeLow;
      signedStats[NEGATIVE_HIGH] = negativeHigh;
    },

    /** Exact [low, high] of keys[start..start+count) (count >= 1), as a two-element Int32Array (reused). */
    keyRange(start: number, count: number): Int32Array {
      let low = keys[start]!;
      let high = low;
      for (let j = start + 1; j < start + count; j++) {
        const key = keys[j]!;
        if (key < low) low = key;
        if (key > high) high = key;
      }
      keyRange[0] = low;
      keyRange[1] = high;
      return keyRange;
    },

    /** counts[key - offset] += 1 for the keys at keys[start..start+count), all inside the counts window. */
    countKeys(counts: Float64Array, offset: number, start: number, count: number): void {
      for (let j = start; j < start + count; j++) counts[keys[j]! - offset]!++;
    },

    /**
     * The same while keys are inside [minKey, maxKey]: stops before the first one that is not and returns how many
     * were counted.
     */
    countKeysWhileInside(counts: Float64Array, offset: number, start: number, count: number, minKey: number, maxKey: number): number {
      const end = start + count;
      for (let j = start; j < end; j++) {
        const key = keys[j]!;
        if (key < minKey || key > maxKey) return j - start;
        counts[key - offset]!++;
      }
      return count;
    },

    /** Counts like countKeys, clamping each key into [minKey, maxKey] first (a store that collapses). */
    countClampedKeys(counts: Float64Array, offset: number, start: number, count: number, minKey: number, maxKey: number): void {
      for (let j = start; j < start + count; j++) {
        const key = keys[j]!;
        counts[(key < minKey ? minKey : key > maxKey ? maxKey : key) - offset]!++;
      }
    },
  };
})();

/** True when every value is finite: v × 0 is 0 for finite v and NaN for NaN and ±Infinity (four lanes for speed). */
function allFinite(values: Float64Array): boolean {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  const length = values.length;
  const blocked = length - (length % 4);
  let i = 0;
  for (; i < blocked; i += 4) {
    a += values[i]! * 0;
    b += values[i + 1]! * 0;
    c += values[i + 2]! * 0;
    d += values[i + 3]! * 0;
  }
  for (; i < length; i++) a += values[i]! * 0;
  return a + b + c + d === 0;
}

function assertAddableValues(values: ArrayLike<number>): void {
  if (values instanceof Float64Array && allFinite(values)) return;
  const typed = ArrayBuffer.isView(values) && !(values instanceof DataView) && !(values instanceof BigInt64Array) && !(values instanceof BigUint64Array);
  if (typed) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v - v !== 0) throw new ValidationError(`values[${i}]`, 'a finite number', v);
    }
    return;
  }
  if (values === null || typeof values !== 'object' || typeof (values as ArrayLike<number>).length !== 'number') {
    throw new ValidationError('values', 'an array or typed array of finite numbers', values);
  }
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    if (typeof v !== 'number' || v - v !== 0) throw new ValidationError(`values[${i}]`, 'a finite number', v);
  }
}

/**
 * A DDSketch: a mergeable quantile sketch with a relative-error guarantee (Masson, Rim and Lee, VLDB 2019).
 *
 * Guarantee: for every q, with x = the exact value of rank ⌊q·(n − 1)⌋ (0-based) among the n values added — the
 * paper's definition — `quantile(q)` returns an estimate with |estimate − x| <= α·|x|, as long as x is not in a
 * collapsed range (below) and |x| > 2^-1022 (smaller magnitudes, and zero, are counted in the zero bucket and
 * estimated as 0). Positive and negative values have separate bucket stores.
 *
 * Bounded memory: each sign keeps at most `maxBuckets` buckets (default 2048 cover a 1 : 6·10^17 range at α = 1 %).
 * Past that, the LOWEST values collapse: the smallest positive magnitudes and the most negative values are merged
 * into the edge bucket. Quantiles whose exact value lies in a collapsed range lose the guarantee (they are
 * over-estimated towards the edge bucket); all quantiles above it, in particular the high ones (p99, p99.9) that
 * latency monitoring cares about, keep it. Counts and the total stay exact.
 *
 * Non-finite input (NaN, ±Infinity) throws a ValidationError and leaves the sketch unchanged.
 *
 * Stateful, so it has `snapshot()` / `DDSketch.restore()` (plain JSON) besides the compact `toBytes()`.
 *
 * @example
 * const sketch = new DDSketch({ relativeAccuracy: 0.01 });
 * sketch.addAll(latenciesMs); // a Float64Array, fast path
 * sketch.add(12.5);
 * sketch.quantile(0.99); // within 1 % of the exact p99
 * const merged = DDSketch.fromBytes(otherBytes); merged.merge(sketch);
 */
export class DDSketch {
  /** α, as given. */
  readonly relativeAccuracy: number;
  /** Bucket limit per sign. */
  readonly maxBuckets: number;
  private readonly multiplier: number;
  private readonly positive: BucketStore;
  private readonly negative: BucketStore;
  private zeroCount = 0;
  private total = 0;
  private sumOfValues = 0;
  private minValue = Infinity;
  private maxValue = -Infinity;

  /**
   * @example
   * new DDSketch(); // α = 1 %, 2048 buckets per sign
   * new DDSketch({ relativeAccuracy: 0.005, maxBuckets: 4096 });
   */
  constructor(options?: DDSketchOptions) {
    const { relativeAccuracy, maxBuckets } = readOptions(options);
    this.relativeAccuracy = relativeAccuracy;
    this.maxBuckets = maxBuckets;
    const alpha = relativeAccuracy * ACCURACY_HEADROOM;
    this.multiplier = 1 / (C * Math.log1p((2 * alpha) / (1 - alpha)));
    this.positive = new BucketStore(maxBuckets, true);
    this.negative = new BucketStore(maxBuckets, false);
  }

  /** Number of values added (with multiplicity). @example sketch.count // 1000 */
  get count(): number {
    return this.total;
  }

  /** Exact sum of the values added. @example sketch.sum / sketch.count // the mean */
  get sum(): number {
    return this.sumOfValues;
  }

  /** Exact smallest value added; NaN when empty. @example sketch.min */
  get min(): number {
    return this.total === 0 ? NaN : this.minValue;
  }

  /** Exact largest value added; NaN when empty. @example sketch.max */
  get max(): number {
    return this.total === 0 ? NaN : this.maxValue;
  }

  /** True before anything was added. @example new DDSketch().isEmpty // true */
  get isEmpty(): boolean {
    return this.total === 0;
  }

  private keyOf(magnitude: number): number {
    // `+ 0` turns the -0 that Math.ceil gives just below 1 into 0, the key the bulk path (Int32Array) stores.
    return Math.ceil(approximateLog2(magnitude) * this.multiplier) + 0;
  }

  /**
   * Adds `value` `count` times. `value` must be finite; `count` a positive safe integer.
   *
   * @example
   * sketch.add(0.25);
   * sketch.add(3, 10); // ten observations of 3
   */
  add(value: number, count = 1): void {
    if (typeof value !== 'number' || value - value !== 0) throw new ValidationError('value', 'a finite number', value);
    if (!Number.isSafeInteger(count) || count < 1) throw new ValidationError('count', 'a positive safe integer', count);
    if (value > MIN_INDEXABLE) this.positive.add(this.keyOf(value), count);
    else if (value < -MIN_INDEXABLE) this.negative.add(this.keyOf(-value), count);
    else this.zeroCount += count;
    this.total += count;
    this.sumOfValues += value * count;
    if (value < this.minValue) this.minValue = value;
    if (value > this.maxValue) this.maxValue = value;
  }

  /**
   * Adds every value of an array or typed array: the fast path (a Float64Array is fastest). A NaN or ±Infinity
   * anywhere throws (path `values[i]`) and leaves the sketch unchanged.
   *
   * @example
   * sketch.addAll(Float64Array.of(1.2, 3.4, 0.7));
   */
  addAll(values: ArrayLike<number>): void {
    const direct = values instanceof Float64Array;
    const length = values.length;
    // Validation. Other inputs are checked up front. A Float64Array is checked chunk by chunk, while the chunk is in
    // cache, through the chunk sum (finite only when every value is; a non-finite sum triggers an exact scan): one
    // pass over the input instead of two. To leave the sketch unchanged when a later chunk fails, the stores are
    // saved first when that is cheap next to the input (their counts are at most 2 × maxBuckets doubles); otherwise
    // the input is checked up front after all. An input that fits the first chunk needs neither: nothing is stored
    // before its check.
    let undo: [StoreState, StoreState] | undefined;
    if (!direct) assertAddableValues(values);
    else if (length > FIRST_CHUNK) {
      if (length >= 8 * (this.positive.counts.length + this.negative.counts.length)) undo = [this.positive.save(), this.negative.save()];
      else assertAddableValues(values);
    }
    const multiplier = this.multiplier;
    // Keys are computed for a whole chunk first and counted afterwards (see the kernel notes).
    let zeros = 0;
    let sum = this.sumOfValues;
    let min = this.minValue;
    let max = this.maxValue;
    for (let start = 0, end = 0; start < length; start = end) {
      end = Math.min(length, start + (start === 0 ? FIRST_CHUNK : CHUNK));
      const count = end - start;
      if (direct) kernel.load(values, start, end);
      else kernel.loadArrayLike(values, start, end);
      // Optimistic pass: treat every value as positive (the common case for latencies and sizes). Keys of other
      // values are garbage and the chunk is redone below when the chunk minimum says there were any.
      const sumBefore = sum;
      kernel.optimisticPositiveKeys(count, multiplier, sumBefore);
      sum = CHUNK_STATS[0]!;
      // A finite sum after a finite sum means every value of the chunk was finite (NaN and ±Infinity stick).
      if (direct && !(sum - sum === 0 && sumBefore - sumBefore === 0)) {
        const bad = kernel.firstNonFinite(count);
        if (bad >= 0) {
          if (undo) {
            this.positive.restore(undo[0]);
            this.negative.restore(undo[1]);
          }
          throw new ValidationError(`values[${start + bad}]`, 'a finite number', values[start + bad]);
        }
      }
      const chunkMin = CHUNK_STATS[1]!;
      const chunkMax = CHUNK_STATS[2]!;
      if (chunkMin < min) min = chunkMin;
      if (chunkMax > max) max = chunkMax;
      if (chunkMin > MIN_INDEXABLE) {
        // Keys are monotone in the value; ±1 absorbs any rounding wobble of the polynomial at a bucket edge.
        const low = Math.ceil(approximateLog2(chunkMin) * multiplier) - 1;
        const high = Math.ceil(approximateLog2(chunkMax) * multiplier) + 1;
        this.positive.addKeys(POSITIVE_KEYS, count, low, high);
        continue;
      }
      kernel.signedKeys(count, multiplier);
      const stats = SIGNED_STATS;
      zeros += stats[ZERO_COUNT]!;
      if (stats[POSITIVE_COUNT]! > 0) this.positive.addKeys(POSITIVE_KEYS, stats[POSITIVE_COUNT]!, stats[POSITIVE_LOW]!, stats[POSITIVE_HIGH]!);
      if (stats[NEGATIVE_COUNT]! > 0) this.negative.addKeys(NEGATIVE_KEYS, stats[NEGATIVE_COUNT]!, stats[NEGATIVE_LOW]!, stats[NEGATIVE_HIGH]!);
    }
    this.zeroCount += zeros;
    this.total += length;
    this.sumOfValues = sum;
    this.minValue = min;
    this.maxValue = max;
  }

  /** Estimate of the value of bucket `key` (within α of everything in it). */
  private bucketValue(key: number): number {
    const [lowExponent, lowSignificand] = inverseApproximateLog2((key - 1) / this.multiplier);
    const [highExponent, highSignificand] = inverseApproximateLog2(key / this.multiplier);
    const ratio = scaleByPowerOfTwo(highSignificand / lowSignificand, highExponent - lowExponent);
    return scaleByPowerOfTwo(lowSignificand * ((2 * ratio) / (1 + ratio)), lowExponent);
  }

  private valueAtRank(rank: number): number {
    let value: number;
    let remaining = rank;
    if (remaining < this.negative.total) {
      value = -this.bucketValue(this.negative.keyAtRank(remaining, true));
    } else {
      remaining -= this.negative.total;
      if (remaining < this.zeroCount) value = 0;
      else value = this.bucketValue(this.positive.keyAtRank(remaining - this.zeroCount, false));
    }
    return value < this.minValue ? this.minValue : value > this.maxValue ? this.maxValue : value;
  }

  /**
   * Estimate of the q-quantile (q in [0, 1], else ValidationError with path `q`): within α·|x| of x, the exact value
   * of rank ⌊q·(n − 1)⌋. NaN when the sketch is empty. q = 0 and q = 1 give the exact min and max.
   *
   * @example
   * sketch.quantile(0.5); // the median, ±1 %
   */
  quantile(q: number): number {
    if (typeof q !== 'number' || !(q >= 0 && q <= 1)) throw new ValidationError('q', 'a number in [0, 1]', q);
    if (this.total === 0) return NaN;
    return this.valueAtRank(Math.floor(q * (this.total - 1)));
  }

  /**
   * Several quantiles at once, in the order of `qs` (each in [0, 1], else ValidationError with path `qs[i]`).
   *
   * @example
   * sketch.quantiles([0.5, 0.9, 0.99]); // Float64Array of three estimates
   */
  quantiles(qs: readonly number[]): Float64Array {
    if (!Array.isArray(qs)) throw new ValidationError('qs', 'an array of numbers in [0, 1]', qs);
    for (let i = 0; i < qs.length; i++) {
      const q: unknown = qs[i];
      if (typeof q !== 'number' || !(q >= 0 && q <= 1)) throw new ValidationError(`qs[${i}]`, 'a number in [0, 1]', q);
    }
    const out = new Float64Array(qs.length);
    for (let i = 0; i < qs.length; i++) out[i] = this.total === 0 ? NaN : this.valueAtRank(Math.floor(qs[i]! * (this.total - 1)));
    return out;
  }

  /**
   * Adds everything `other` holds into this sketch. Both must have the same relativeAccuracy (else ValidationError
   * with path `other.relativeAccuracy`); this sketch keeps its own maxBuckets. Merging is exact: the result answers
   * like a sketch that saw both inputs.
   *
   * @example
   * const all = new DDSketch();
   * for (const part of perHostSketches) all.merge(part);
   */
  merge(other: DDSketch): void {
    if (!(other instanceof DDSketch)) throw new ValidationError('other', 'a DDSketch', other);
    if (other.relativeAccuracy !== this.relativeAccuracy) {
      throw new ValidationError('other.relativeAccuracy', `${this.relativeAccuracy} (sketches merge only at the same relativeAccuracy)`, other.relativeAccuracy);
    }
    const source = other === this ? other.clone() : other;
    if (source.total === 0) return;
    this.positive.mergeFrom(source.positive);
    this.negative.mergeFrom(source.negative);
    this.zeroCount += source.zeroCount;
    this.total += source.total;
    this.sumOfValues += source.sumOfValues;
    if (source.minValue < this.minValue) this.minValue = source.minValue;
    if (source.maxValue > this.maxValue) this.maxValue = source.maxValue;
  }

  /**
   * An independent copy.
   *
   * @example
   * const before = sketch.clone();
   */
  clone(): DDSketch {
    const copy = new DDSketch({ relativeAccuracy: this.relativeAccuracy, maxBuckets: this.maxBuckets });
    copy.positive.copyFrom(this.positive);
    copy.negative.copyFrom(this.negative);
    copy.zeroCount = this.zeroCount;
    copy.total = this.total;
    copy.sumOfValues = this.sumOfValues;
    copy.minValue = this.minValue;
    copy.maxValue = this.maxValue;
    return copy;
  }

  /**
   * Compact binary form (see docs/percentiles.md): "VDD", version, α (float64), maxBuckets, sum/min/max (float64),
   * zero count, then per sign the number of non-empty buckets and, per bucket, the zigzag varint delta of its key
   * and its varint count. Typically 1–3 bytes per non-empty bucket.
   *
   * @example
   * const bytes = sketch.toBytes(); // Uint8Array, store or send it
   * DDSketch.fromBytes(bytes).quantile(0.99) === sketch.quantile(0.99); // true
   */
  toBytes(): Uint8Array {
    const writer = new ByteWriter();
    for (const b of MAGIC) writer.byte(b);
    writer.byte(FORMAT_VERSION);
    writer.float64(this.relativeAccuracy);
    writer.varint(this.maxBuckets);
    writer.float64(this.sumOfValues);
    writer.float64(this.minValue);
    writer.float64(this.maxValue);
    writer.varint(this.zeroCount);
    for (const store of [this.negative, this.positive]) {
      const { keys, counts } = store.entries();
      writer.varint(keys.length);
      let previous = 0;
      for (let i = 0; i < keys.length; i++) {
        writer.signedVarint(keys[i]! - previous);
        writer.varint(counts[i]!);
        previous = keys[i]!;
      }
    }
    return writer.bytes();
  }

  /**
   * Decodes {@link DDSketch.toBytes}. Malformed input throws a ValidationError with code INVALID_DATA and the byte
   * offset in its path (`bytes[12]`).
   *
   * @example
   * const sketch = DDSketch.fromBytes(bytes);
   */
  static fromBytes(bytes: Uint8Array): DDSketch {
    if (!(bytes instanceof Uint8Array)) throw new ValidationError('bytes', 'a Uint8Array', bytes);
    const reader = new ByteReader(bytes);
    for (const expected of MAGIC) {
      const at = reader.offset;
      if (reader.byte() !== expected) throw invalidData(`bytes[${at}]`, 'the "VDD" DDSketch header', 'other bytes');
    }
    const version = reader.byte();
    if (version !== FORMAT_VERSION) throw invalidData('bytes[3]', `format version ${FORMAT_VERSION}`, version);
    const relativeAccuracy = reader.float64();
    const maxBuckets = reader.varint();
    let sketch: DDSketch;
    try {
      sketch = new DDSketch({ relativeAccuracy, maxBuckets });
    } catch (error) {
      throw invalidData('bytes[4]', 'a valid relativeAccuracy and maxBuckets', (error as Error).message);
    }
    const sum = reader.float64();
    const min = reader.float64();
    const max = reader.float64();
    const zeroCount = reader.varint();
    const stores: Array<{ keys: number[]; counts: number[] }> = [];
    for (let side = 0; side < 2; side++) {
      const bucketCount = reader.varint();
      if (bucketCount > maxBuckets) throw invalidData(`bytes[${reader.offset}]`, `at most maxBuckets (${maxBuckets}) buckets`, bucketCount);
      const keys: number[] = [];
      const counts: number[] = [];
      let key = 0;
      for (let i = 0; i < bucketCount; i++) {
        const at = reader.offset;
        const delta = reader.signedVarint();
        if (i > 0 && delta <= 0) throw invalidData(`bytes[${at}]`, 'strictly increasing bucket keys', delta);
        key += delta;
        const count = reader.varint();
        if (count < 1) throw invalidData(`bytes[${at}]`, 'a bucket count >= 1', count);
        keys.push(key);
        counts.push(count);
      }
      stores.push({ keys, counts });
    }
    if (reader.remaining !== 0) throw invalidData(`bytes[${reader.offset}]`, 'the end of the sketch', `${reader.remaining} more bytes`);
    sketch.load(zeroCount, sum, min, max, stores[1]!, stores[0]!, 'bytes');
    return sketch;
  }

  private load(
    zeroCount: number,
    sum: number,
    min: number,
    max: number,
    positive: { keys: readonly number[]; counts: readonly number[] },
    negative: { keys: readonly number[]; counts: readonly number[] },
    path: string,
  ): void {
    let total = zeroCount;
    for (const [name, data, store] of [
      ['positive', positive, this.positive],
      ['negative', negative, this.negative],
    ] as const) {
      const { keys, counts } = data;
      if (keys.length === 0) continue;
      const low = keys[0]!;
      const high = keys[keys.length - 1]!;
      if (high - low + 1 > this.maxBuckets) throw invalidData(`${path}.${name}`, `a key span of at most maxBuckets (${this.maxBuckets})`, high - low + 1);
      store.extend(low, high);
      for (let i = 0; i < keys.length; i++) {
        store.counts[keys[i]! - store.offset] = counts[i]!;
        store.total += counts[i]!;
      }
      total += store.total;
    }
    if (!Number.isSafeInteger(total)) throw invalidData(`${path}.count`, 'a total count below 2^53', total);
    if (total > 0 && !(Number.isFinite(min) && Number.isFinite(max) && min <= max)) throw invalidData(`${path}.min`, 'finite min <= max for a non-empty sketch', [min, max]);
    this.zeroCount = zeroCount;
    this.total = total;
    this.sumOfValues = sum;
    this.minValue = total > 0 ? min : Infinity;
    this.maxValue = total > 0 ? max : -Infinity;
  }

  /**
   * Plain JSON (no Infinity, no typed arrays), for storage in JSON documents.
   *
   * @example
   * JSON.stringify(sketch); // uses toJSON()
   */
  toJSON(): DDSketchJSON {
    const sum = this.sumOfValues;
    return {
      format: 'vigil.ddsketch',
      version: FORMAT_VERSION,
      relativeAccuracy: this.relativeAccuracy,
      maxBuckets: this.maxBuckets,
      count: this.total,
      sum: Number.isFinite(sum) ? sum : (String(sum) as 'Infinity' | '-Infinity' | 'NaN'),
      min: this.total === 0 ? null : this.minValue + 0, // + 0 turns -0 into 0, as JSON would
      max: this.total === 0 ? null : this.maxValue + 0,
      zeroCount: this.zeroCount,
      positive: this.positive.entries(),
      negative: this.negative.entries(),
    };
  }

  /**
   * Rebuilds a sketch from {@link DDSketch.toJSON} output (or its JSON.parse). Validates everything; bad input throws
   * a ValidationError with code INVALID_DATA and the field path (`json.positive.counts[3]`).
   *
   * @example
   * const sketch = DDSketch.fromJSON(JSON.parse(text));
   */
  static fromJSON(json: DDSketchJSON): DDSketch {
    const path = 'json';
    if (json === null || typeof json !== 'object') throw invalidData(path, 'a DDSketch JSON object', json);
    if (json.format !== 'vigil.ddsketch') throw invalidData(`${path}.format`, "'vigil.ddsketch'", json.format);
    if (json.version !== FORMAT_VERSION) throw invalidData(`${path}.version`, String(FORMAT_VERSION), json.version);
    let sketch: DDSketch;
    try {
      sketch = new DDSketch({ relativeAccuracy: json.relativeAccuracy, maxBuckets: json.maxBuckets });
    } catch (error) {
      throw invalidData(`${path}.relativeAccuracy`, 'a valid relativeAccuracy and maxBuckets', (error as Error).message);
    }
    const sum = typeof json.sum === 'string' ? (['Infinity', '-Infinity', 'NaN'].includes(json.sum) ? Number(json.sum) : NaN) : json.sum;
    if (typeof sum !== 'number' || (typeof json.sum === 'string' && !['Infinity', '-Infinity', 'NaN'].includes(json.sum))) {
      throw invalidData(`${path}.sum`, "a number or 'Infinity' | '-Infinity' | 'NaN'", json.sum);
    }
    if (!Number.isSafeInteger(json.zeroCount) || json.zeroCount < 0) throw invalidData(`${path}.zeroCount`, 'a safe integer >= 0', json.zeroCount);
    const sides = { positive: json.positive, negative: json.negative };
    for (const [name, side] of Object.entries(sides)) {
      if (side === null || typeof side !== 'object' || !Array.isArray(side.keys) || !Array.isArray(side.counts) || side.keys.length !== side.counts.length) {
        throw invalidData(`${path}.${name}`, '{ keys: number[], counts: number[] } of equal lengths', side);
      }
      for (let i = 0; i < side.keys.length; i++) {
        const key = side.keys[i];
        if (!Number.isSafeInteger(key) || (i > 0 && key! <= side.keys[i - 1]!)) throw invalidData(`${path}.${name}.keys[${i}]`, 'strictly increasing integers', key);
        const count = side.counts[i];
        if (!Number.isSafeInteger(count) || count! < 1) throw invalidData(`${path}.${name}.counts[${i}]`, 'a safe integer >= 1', count);
      }
    }
    const min = json.min === null ? Infinity : json.min;
    const max = json.max === null ? -Infinity : json.max;
    if (typeof min !== 'number' || typeof max !== 'number') throw invalidData(`${path}.min`, 'numbers or null', [json.min, json.max]);
    sketch.load(json.zeroCount, sum, min, max, sides.positive, sides.negative, path);
    if (json.count !== sketch.total) throw invalidData(`${path}.count`, `the sum of all bucket counts (${sketch.total})`, json.count);
    return sketch;
  }

  /**
   * State for persistence (the DESIGN.md snapshot/restore convention); the same plain object as toJSON().
   *
   * @example
   * await db.put('latency-sketch', sketch.snapshot());
   */
  snapshot(): DDSketchJSON {
    return this.toJSON();
  }

  /**
   * Rebuilds a sketch from {@link DDSketch.snapshot}.
   *
   * @example
   * const sketch = DDSketch.restore(await db.get('latency-sketch'));
   */
  static restore(snapshot: DDSketchJSON): DDSketch {
    return DDSketch.fromJSON(snapshot);
  }
}

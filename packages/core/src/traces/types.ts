/**
 * The columnar trace model and the small value types around it. A trace of a million spans is a set of typed-array
 * columns indexed by span (0 … spanCount − 1) plus string tables; per-span attributes, events and links stay in the
 * parsed document and are decoded on demand by `spanDetails`.
 */

/** Wire formats the parser reads (the `format` of a `TracePayload`). */
export type TraceFormat = 'otlp-json' | 'jaeger-json' | 'zipkin-v2-json';

/** Span kinds, numbered as in OTLP (`SPAN_KIND_*`). */
export const SpanKind = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;
export type SpanKindCode = (typeof SpanKind)[keyof typeof SpanKind];
/** Lowercase names of the kinds, indexed by code. */
export const SPAN_KIND_NAMES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

/** Span status codes, numbered as in OTLP (`STATUS_CODE_*`). */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
export type StatusCodeValue = (typeof StatusCode)[keyof typeof StatusCode];
/** Lowercase names of the status codes, indexed by code. */
export const STATUS_NAMES = ['unset', 'ok', 'error'] as const;

/** Bits of the `flags` column: what the parser or the tree builder did to a span. */
export const SpanFlag = {
  /** The start time was missing or unusable and was filled in (from the end, the parent or the trace start). */
  MISSING_START: 1 << 0,
  /** The end time or duration was missing or unusable; the span was given zero duration. */
  MISSING_END: 1 << 1,
  /** The parent id named a span that is not in the trace; the span became a root. */
  ORPHAN: 1 << 2,
  /** The span's parent link closed a cycle and was cut; the span became a root. */
  CYCLE_BROKEN: 1 << 3,
  /** Another span earlier in the document has the same id; children resolve to the first. */
  DUPLICATE_ID: 1 << 4,
  /** The span (and its subtree) was shifted into its parent by clock-skew adjustment. */
  CLOCK_SKEW_ADJUSTED: 1 << 5,
  /** A Zipkin `shared` server span: same id as its client span, parented to it. */
  SHARED: 1 << 6,
  /** The parent reference is a FOLLOWS_FROM (Jaeger), not a CHILD_OF. */
  FOLLOWS_FROM: 1 << 7,
  /** The end was before the start; the end was set to the start. */
  NEGATIVE_DURATION: 1 << 8,
  /** The span id was missing or invalid; a unique id was made up (no child can refer to it). */
  SYNTHETIC_ID: 1 << 9,
} as const;

/** Codes of the warnings the parser and the tree builder report. */
export type TraceWarningCode =
  | 'INVALID_SPAN'
  | 'INVALID_SPAN_ID'
  | 'INVALID_TRACE_ID'
  | 'INVALID_PARENT_ID'
  | 'INVALID_FIELD'
  | 'MISSING_START'
  | 'MISSING_END'
  | 'NEGATIVE_DURATION'
  | 'ORPHAN_SPAN'
  | 'CYCLE_BROKEN'
  | 'DUPLICATE_SPAN_ID'
  | 'DUPLICATE_SPAN_DROPPED'
  | 'CLOCK_SKEW_ADJUSTED'
  | 'MULTIPLE_TRACE_IDS'
  | 'INVALID_CONTAINER'
  | 'EMPTY_TRACE'
  | 'WARNINGS_TRUNCATED';

/** One repair or oddity, with the span it concerns (lowercase hex id) and the document path when known. */
export interface TraceWarning {
  readonly code: TraceWarningCode;
  /** The span concerned, as lowercase hex; undefined for document-level warnings. */
  readonly spanId: string | undefined;
  readonly message: string;
  /** Where in the input document, such as `resourceSpans[0].scopeSpans[1].spans[7].startTimeUnixNano`. */
  readonly path?: string;
}

/** A decoded attribute value. OTLP ints outside the safe-integer range stay exact as `bigint`. */
export type AttributeValue =
  | string
  | number
  | bigint
  | boolean
  | Uint8Array
  | null
  | readonly AttributeValue[]
  | { readonly [key: string]: AttributeValue };

export interface SpanAttribute {
  readonly key: string;
  readonly value: AttributeValue;
}

export interface SpanEvent {
  readonly name: string;
  /** Exact epoch nanoseconds, or undefined when the event had no usable time. */
  readonly timeNs: bigint | undefined;
  readonly attributes: readonly SpanAttribute[];
}

export interface SpanLink {
  /** Lowercase hex (32 digits), or '' when unusable. */
  readonly traceId: string;
  /** Lowercase hex (16 digits), or '' when unusable. */
  readonly spanId: string;
  readonly attributes: readonly SpanAttribute[];
  readonly traceState?: string;
  /** Jaeger reference type, when the link came from a Jaeger reference. */
  readonly referenceType?: 'CHILD_OF' | 'FOLLOWS_FROM';
}

/** Everything about one span, decoded on demand from the parsed document by `spanDetails`. */
export interface SpanDetails {
  readonly index: number;
  readonly traceId: string;
  readonly spanId: string;
  /** Lowercase hex parent id as sent ('' for none), even when the parent was not found. */
  readonly parentSpanId: string;
  readonly name: string;
  readonly service: string;
  readonly kind: (typeof SPAN_KIND_NAMES)[number];
  readonly status: (typeof STATUS_NAMES)[number];
  readonly statusMessage: string;
  /** Exact epoch nanoseconds (after repairs; clock-skew shifts are in the offset columns only). */
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly durationNs: bigint;
  readonly attributes: readonly SpanAttribute[];
  /** Resource (OTLP) or process (Jaeger) or endpoint (Zipkin) attributes. */
  readonly resource: readonly SpanAttribute[];
  readonly scope?: { readonly name: string; readonly version: string };
  readonly events: readonly SpanEvent[];
  readonly links: readonly SpanLink[];
  readonly traceState?: string;
  /** Problems met while decoding this span's details (bad attribute values and the like). */
  readonly problems: readonly string[];
}

/** Decodes the details of span i. Built by each parser; held by the model. */
export type SpanDetailsDecoder = (model: TraceModel, index: number) => SpanDetails;

/**
 * A parsed trace, columnar. Times: `startNs`/`endNs` are exact epoch nanoseconds as received (after repair of missing
 * or negative ones); the `*OffsetNs` and `durationNs` columns are nanoseconds from `originNs` as float64 numbers,
 * exact integers for traces spanning less than 2^53 ns (104 days), and include any clock-skew adjustment.
 * Tree: `parent` (−1 for roots), `depth`, and children in CSR form: the children of span i, sorted by start offset,
 * are `children[childOffsets[i] … childOffsets[i + 1])`. `preorder` lists every span once, parents before children,
 * roots and siblings by start time: the waterfall's natural order.
 */
export interface TraceModel {
  readonly format: TraceFormat;
  readonly spanCount: number;
  /** Distinct trace ids (lowercase hex, 32 digits). Usually one. */
  readonly traceIds: readonly string[];
  /** Index into `traceIds`, per span. */
  readonly traceIndex: Int32Array;
  /** Span id as two 32-bit halves (high, low); see `spanIdOf`. */
  readonly spanIdHigh: Uint32Array;
  readonly spanIdLow: Uint32Array;
  /** Parent id as sent (0/0 for none), even when unresolved; see `parentSpanIdOf`. */
  readonly parentIdHigh: Uint32Array;
  readonly parentIdLow: Uint32Array;
  /** Exact epoch nanoseconds. */
  readonly startNs: BigInt64Array;
  readonly endNs: BigInt64Array;
  /** Epoch nanoseconds of offset 0 (the earliest start). */
  readonly originNs: bigint;
  readonly startOffsetNs: Float64Array;
  readonly endOffsetNs: Float64Array;
  readonly durationNs: Float64Array;
  readonly parent: Int32Array;
  readonly depth: Int32Array;
  readonly childOffsets: Int32Array;
  readonly children: Int32Array;
  /** Root spans, by start time. */
  readonly roots: Int32Array;
  readonly preorder: Int32Array;
  readonly maxDepth: number;
  /** Index into `services`, per span. */
  readonly service: Int32Array;
  readonly services: readonly string[];
  /** Index into `operations` (span names), per span. */
  readonly operation: Int32Array;
  readonly operations: readonly string[];
  /** `SpanKind` code per span. */
  readonly kind: Uint8Array;
  /** `StatusCode` per span. */
  readonly status: Uint8Array;
  /** `SpanFlag` bits per span. */
  readonly flags: Uint16Array;
  /** Earliest start offset to latest end offset, in ns. */
  readonly traceDurationNs: number;
  /** The first `maxWarnings` warnings (then one WARNINGS_TRUNCATED). */
  readonly warnings: readonly TraceWarning[];
  /** How many warnings of each code there were, including those not kept. */
  readonly warningCounts: Readonly<Partial<Record<TraceWarningCode, number>>>;
  /** Open-addressing table from span id to index (index + 1; 0 is empty). Used by `spanIndexOf`. */
  readonly idTable: Int32Array;
  /** @internal Decodes attributes, events and links from the document on demand. */
  readonly decodeDetails: SpanDetailsDecoder;
}

/** Options of every parser. */
export interface ParseTraceOptions {
  /**
   * Shift spans that fall outside their parent across a service boundary back inside it (Jaeger UI's adjustment).
   * Off by default. See docs/traces.md.
   */
  readonly adjustClockSkew?: boolean;
  /** Keep at most this many warnings (counts stay exact). Default 1000. */
  readonly maxWarnings?: number;
}

/** Test helpers: small OTLP/JSON documents from compact span lists. Not part of the package's entry points. */

export interface SpanSpec {
  /** Span number; the id is its 16-digit hex. */
  readonly id: number;
  /** Parent span number, or −1 / undefined for a root. */
  readonly parent?: number;
  /** Offsets in ns from BASE. */
  readonly start: number;
  readonly end: number;
  readonly service?: string;
  readonly name?: string;
  readonly error?: boolean;
  readonly kind?: number;
  readonly attributes?: Record<string, string>;
}

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
/** 2023-11-14T22:13:20Z in ns, as a bigint: offsets are added exactly. */
export const BASE = 1_700_000_000_000_000_000n;

export const hexId = (n: number): string => n.toString(16).padStart(16, '0');

/** One OTLP/JSON document, one ResourceSpans per service, spans in the given order. */
export function otlpDocument(spans: readonly SpanSpec[]): { resourceSpans: unknown[] } {
  const byService = new Map<string, unknown[]>();
  for (const s of spans) {
    const service = s.service ?? 'svc';
    if (!byService.has(service)) byService.set(service, []);
    byService.get(service)!.push({
      traceId: TRACE_ID,
      spanId: hexId(s.id),
      ...(s.parent !== undefined && s.parent >= 0 ? { parentSpanId: hexId(s.parent) } : {}),
      name: s.name ?? `op${s.id}`,
      kind: s.kind ?? 1,
      startTimeUnixNano: String(BASE + BigInt(s.start)),
      endTimeUnixNano: String(BASE + BigInt(s.end)),
      attributes: Object.entries(s.attributes ?? {}).map(([key, value]) => ({ key, value: { stringValue: value } })),
      status: s.error ? { code: 2, message: 'boom' } : {},
    });
  }
  return {
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{ scope: { name: 'test' }, spans: list }],
    })),
  };
}

/** A random tree for property tests: parents point to earlier spans, times anywhere in [0, 60]. */
export interface RandomTree {
  readonly spans: SpanSpec[];
}

import { parseTrace, type TraceModel } from '@vigil/core/traces';
import { SourceError, type DataSource, type TracePayload, type TraceSummaryRow } from '@vigil/core';
import { seededRandom } from '@vigil/core/stats';

/*
 * Deterministic OTLP/JSON traces for stories, tests and the bench: built as the wire format (so the real parser runs
 * on them) from a seeded generator. Nothing random at run time: the same call gives the same document.
 */

/** 2026-11-23T00:00:00Z in ns. */
export const STORY_BASE_NS = 1_795_392_000_000_000_000n;
export const STORY_TRACE_ID = '5b8efff798038103d269b633813fc60c';

const SERVICES = ['frontend', 'checkout', 'cart', 'payments', 'inventory', 'shipping', 'postgres', 'redis', 'auth', 'email'];
/** Who calls whom (indices into SERVICES): a DAG, as real systems mostly are. */
const CALLS: readonly (readonly number[])[] = [
  [8, 2, 1], // frontend -> auth, cart, checkout
  [3, 4, 5, 9, 2], // checkout -> payments, inventory, shipping, email, cart
  [7], // cart -> redis
  [6], // payments -> postgres
  [6, 7], // inventory -> postgres, redis
  [6], // shipping -> postgres
  [], // postgres
  [], // redis
  [7], // auth -> redis
  [], // email
];

const OPERATIONS: Record<string, readonly string[]> = {
  frontend: ['GET /checkout', 'render page', 'POST /api/cart', 'load assets'],
  checkout: ['PlaceOrder', 'validate order', 'compute totals', 'reserve stock'],
  cart: ['GetCart', 'AddItem', 'EmptyCart'],
  payments: ['Charge', 'fraud check', 'tokenize card'],
  inventory: ['Reserve', 'GetStock', 'release hold'],
  shipping: ['Quote', 'ShipOrder', 'address lookup'],
  postgres: ['SELECT orders', 'INSERT order_items', 'UPDATE stock', 'BEGIN', 'COMMIT'],
  redis: ['GET', 'SET', 'MGET', 'EXPIRE'],
  auth: ['VerifyToken', 'LoadSession'],
  email: ['SendConfirmation', 'render template'],
};

const hex16 = (n: number): string => (n + 1).toString(16).padStart(16, '0');

interface GenSpan {
  readonly id: number;
  readonly parent: number;
  readonly start: number;
  readonly end: number;
  readonly service: number;
  readonly name: string;
  readonly kind: number;
  readonly error: boolean;
  readonly attributes: Array<{ key: string; value: Record<string, unknown> }>;
  readonly events: unknown[];
  readonly links: unknown[];
}

export interface GenerateTraceOptions {
  readonly spanCount: number;
  readonly seed?: number;
  /** 'tree': a realistic fan-out; 'chain': every span the child of the previous one (depth = spanCount). */
  readonly shape?: 'tree' | 'chain';
  /** Share of spans with status error. Default 0.01. */
  readonly errorRate?: number;
  /** Root duration, ns. Default 2 s. */
  readonly durationNs?: number;
  /** How many services to use (≤ 10). Default 10. */
  readonly serviceCount?: number;
}

function toOtlp(spans: readonly GenSpan[], serviceCount: number): { resourceSpans: unknown[] } {
  const byService: unknown[][] = Array.from({ length: serviceCount }, () => []);
  for (const s of spans) {
    byService[s.service]!.push({
      traceId: STORY_TRACE_ID,
      spanId: hex16(s.id),
      ...(s.parent >= 0 ? { parentSpanId: hex16(s.parent) } : {}),
      name: s.name,
      kind: s.kind,
      startTimeUnixNano: String(STORY_BASE_NS + BigInt(Math.round(s.start))),
      endTimeUnixNano: String(STORY_BASE_NS + BigInt(Math.round(s.end))),
      attributes: s.attributes,
      ...(s.events.length > 0 ? { events: s.events } : {}),
      ...(s.links.length > 0 ? { links: s.links } : {}),
      status: s.error ? { code: 2, message: 'upstream returned 503' } : { code: 0 },
    });
  }
  return {
    resourceSpans: byService
      .map((list, s) => ({
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: SERVICES[s] } },
            { key: 'service.version', value: { stringValue: `1.${s}.0` } },
            { key: 'deployment.environment', value: { stringValue: 'production' } },
          ],
        },
        scopeSpans: [{ scope: { name: '@opentelemetry/instrumentation-http', version: '0.57.0' }, spans: list }],
      }))
      .filter((r) => r.scopeSpans[0]!.spans.length > 0),
  };
}

/**
 * A deterministic OTLP/JSON trace document of `spanCount` spans. Children lie inside their parents; services,
 * operations, kinds, errors, attributes, events and a few links are drawn from a seeded generator.
 *
 * @example
 * const body = generateTraceDocument({ spanCount: 100_000, seed: 7 });
 * const model = parseTrace({ format: 'otlp-json', body });
 */
export function generateTraceDocument(options: GenerateTraceOptions): { resourceSpans: unknown[] } {
  const { spanCount, seed = 1, shape = 'tree', errorRate = 0.01, durationNs = 2e9 } = options;
  const serviceCount = Math.max(1, Math.min(SERVICES.length, options.serviceCount ?? SERVICES.length));
  const random = seededRandom(seed);
  const spans: GenSpan[] = [];
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  for (let i = 0; i < spanCount; i++) {
    let parent = -1;
    if (i > 0) {
      if (shape === 'chain') parent = i - 1;
      else {
        // recent spans are likelier parents: a tree of moderate depth and wide fan-outs
        const r = random();
        parent = Math.max(0, i - 1 - Math.floor(i * r * r));
      }
    }
    const p = parent >= 0 ? spans[parent]! : undefined;
    let service = 0;
    if (p) {
      const callees = CALLS[p.service]!.filter((c) => c < serviceCount);
      service = callees.length > 0 && random() < 0.5 ? callees[Math.floor(random() * callees.length)]! : p.service;
    }
    let start: number;
    let end: number;
    if (!p) {
      start = 0;
      end = durationNs;
    } else if (shape === 'chain') {
      start = p.start + 1;
      end = Math.max(start + 1, p.end - 1);
    } else {
      const room = p.end - p.start;
      start = p.start + Math.floor(random() * room * 0.6);
      end = Math.min(p.end, start + Math.max(1, Math.floor((p.end - start) * (0.3 + random() * 0.7))));
      // a few children outlive their parent (async work), as real traces do
      if (random() < 0.005) end = Math.min(durationNs * 1.05, end + room * 0.2);
    }
    const serviceName = SERVICES[service]!;
    const name = pick(OPERATIONS[serviceName]!);
    const kind = !p ? 2 : p.service !== service ? 2 : serviceName === 'payments' && name === 'tokenize card' ? 3 : 1;
    const error = i > 0 && random() < errorRate;
    const attributes: GenSpan['attributes'] = [];
    if (serviceName === 'postgres') attributes.push({ key: 'db.statement', value: { stringValue: `${name} WHERE id = $1` } });
    else if (serviceName === 'redis') attributes.push({ key: 'db.operation', value: { stringValue: name } });
    else if (serviceName === 'payments' && name === 'tokenize card') attributes.push({ key: 'peer.service', value: { stringValue: 'card-vault' } });
    else attributes.push({ key: 'http.method', value: { stringValue: name.startsWith('POST') ? 'POST' : 'GET' } }, { key: 'http.status_code', value: { intValue: error ? '503' : '200' } });
    attributes.push({ key: 'span.seq', value: { intValue: String(i) } });
    const events: unknown[] = [];
    if (error) {
      events.push({
        name: 'exception',
        timeUnixNano: String(STORY_BASE_NS + BigInt(Math.round(end))),
        attributes: [
          { key: 'exception.type', value: { stringValue: 'UpstreamError' } },
          { key: 'exception.message', value: { stringValue: '<b>503</b> from upstream' } },
        ],
      });
    } else if (random() < 0.02) {
      events.push({ name: 'cache miss', timeUnixNano: String(STORY_BASE_NS + BigInt(Math.round(start))), attributes: [] });
    }
    const links: unknown[] = i > 0 && random() < 0.002 ? [{ traceId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', spanId: hex16(Math.floor(random() * 1000)), attributes: [{ key: 'link.reason', value: { stringValue: 'batch' } }] }] : [];
    spans.push({ id: i, parent, start, end, service, name, kind, error, attributes, events, links });
  }
  return toOtlp(spans, serviceCount);
}

/**
 * A small checkout trace (about 60 spans) with errors, events, a link and an attribute value that looks like HTML
 * (rendered as text).
 */
export function checkoutDocument(): { resourceSpans: unknown[] } {
  return generateTraceDocument({ spanCount: 60, seed: 42, errorRate: 0.06, durationNs: 850e6, serviceCount: 8 });
}

/**
 * A malformed trace: an orphan, a cycle, a duplicate id, a missing end time, a negative duration, a bad span id,
 * plus a few good spans. The parser repairs it and reports every fix as a warning.
 */
export function malformedDocument(): { resourceSpans: unknown[] } {
  const t = (ns: number): string => String(STORY_BASE_NS + BigInt(ns));
  const span = (id: string, parent: string | undefined, name: string, start: string | undefined, end: string | undefined, extra: Record<string, unknown> = {}) => ({
    traceId: STORY_TRACE_ID,
    spanId: id,
    ...(parent === undefined ? {} : { parentSpanId: parent }),
    name,
    kind: 2,
    ...(start === undefined ? {} : { startTimeUnixNano: start }),
    ...(end === undefined ? {} : { endTimeUnixNano: end }),
    ...extra,
  });
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'frontend' } }] },
        scopeSpans: [
          {
            spans: [
              span(hex16(0), undefined, 'GET /orders', t(0), t(400e6)),
              span(hex16(1), hex16(0), 'load orders', t(10e6), t(300e6)),
              span(hex16(2), hex16(99), 'orphan: parent missing', t(50e6), t(120e6)),
              span(hex16(3), hex16(4), 'cycle a', t(60e6), t(90e6)),
              span(hex16(4), hex16(3), 'cycle b', t(65e6), t(80e6)),
              span(hex16(1), hex16(0), 'duplicate id', t(20e6), t(40e6)),
              span(hex16(5), hex16(1), 'no end time', t(100e6), undefined),
              span(hex16(6), hex16(1), 'ends before it starts', t(200e6), t(150e6)),
              span('zz-not-hex', hex16(1), 'bad span id', t(210e6), t(220e6)),
              span(hex16(7), hex16(1), 'failing query', t(220e6), t(290e6), { status: { code: 2, message: 'deadlock detected' } }),
            ],
          },
        ],
      },
    ],
  };
}

const cache = new Map<string, TraceModel>();

/** The parsed story traces, built once per kind. */
export function storyTrace(kind: 'checkout' | 'huge' | 'deep' | 'malformed' | 'medium'): TraceModel {
  let model = cache.get(kind);
  if (!model) {
    const body =
      kind === 'checkout'
        ? checkoutDocument()
        : kind === 'huge'
          ? generateTraceDocument({ spanCount: 100_000, seed: 7 })
          : kind === 'medium'
            ? generateTraceDocument({ spanCount: 5_000, seed: 11 })
            : kind === 'deep'
              ? generateTraceDocument({ spanCount: 100_000, seed: 3, shape: 'chain', errorRate: 0.001, serviceCount: 3 })
              : malformedDocument();
    model = parseTrace({ format: 'otlp-json', body });
    cache.set(kind, model);
  }
  return model;
}

/** An empty (but valid) OTLP document. */
export function emptyTrace(): TraceModel {
  return parseTrace({ format: 'otlp-json', body: { resourceSpans: [] } });
}

/**
 * A tiny in-memory DataSource serving the story traces by id ('checkout', 'malformed', 'huge'), for hook stories
 * and tests. With `traces: false` it declares no trace capability.
 */
export function storyTraceSource(options: { readonly traces?: boolean; readonly delayMs?: number } = {}): DataSource {
  const traces = options.traces ?? true;
  const delay = options.delayMs ?? 0;
  const wait = (signal: AbortSignal | undefined) =>
    new Promise<void>((resolve, reject) => {
      if (delay <= 0) return resolve();
      const timer = setTimeout(resolve, delay);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
  const docs: Record<string, () => unknown> = { checkout: checkoutDocument, malformed: malformedDocument, huge: () => generateTraceDocument({ spanCount: 100_000, seed: 7 }) };
  return {
    id: traces ? 'story-traces' : 'story-metrics-only',
    capabilities: { metrics: true, traces, events: false, live: false, queryLanguage: 'promql' },
    queryRange: async () => ({ data: [], warnings: [] }),
    queryInstant: async () => ({ data: [], warnings: [] }),
    ...(traces
      ? {
          async getTrace(traceId: string, queryOptions?: { readonly signal?: AbortSignal }): Promise<TracePayload> {
            await wait(queryOptions?.signal);
            const doc = docs[traceId];
            if (!doc) throw new SourceError('NOT_FOUND', `No trace ${traceId}`);
            return { format: 'otlp-json', body: doc() };
          },
          async searchTraces(): Promise<TraceSummaryRow[]> {
            return [];
          },
        }
      : {}),
  };
}

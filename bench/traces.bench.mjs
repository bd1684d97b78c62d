// Trace engine: OTLP/JSON text → JSON.parse → parseTrace (columnar model, tree repair) → criticalPath, for 100k and
// 1M spans, beside (a) the plain JSON.parse of the same text and (b) a naive peer written here: one object per span
// with BigInt times and decoded attributes, a Map from id to span, children arrays and a recursive critical path
// (recursion is safe only because this synthetic tree is shallow; real traces are not). Prints spans/s, CPU time,
// retained memory and the ratios. Run through `pnpm bench` (builds first); before @vigil/core exports ./traces it
// falls back to the TypeScript sources through tsx.
//   node --expose-gc bench/traces.bench.mjs          TRACES_BENCH_SIZES=100000 to skip the 1M case
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { fmt, machine, measure, retainedBytes, saveResults, seededRandom, table } from './lib.mjs';

// The 1M-span document and its parsed form need more than Node's default heap: rerun with a larger one.
if (v8.getHeapStatistics().heap_size_limit < 7e9 && !process.env.TRACES_BENCH_CHILD) {
  const child = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=10240', fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, TRACES_BENCH_CHILD: '1' } });
  process.exit(child.status ?? 1);
}

let traces;
let origin = '@vigil/core/traces (built)';
try {
  traces = await import('@vigil/core/traces');
} catch {
  const { tsImport } = await import('tsx/esm/api');
  traces = await tsImport('../packages/core/src/traces/index.ts', import.meta.url);
  origin = 'packages/core/src/traces (sources via tsx)';
}
const { parseTrace, criticalPath } = traces;

const SIZES = (process.env.TRACES_BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
const hex = (n, width) => n.toString(16).padStart(width, '0');

/**
 * A realistic OTLP/JSON export: 24 services (one ResourceSpans each), 300 operation names, a tree where each span's
 * parent is one of the 64 spans before it (depth grows slowly), 3 attributes per span, an event on every 10th,
 * times as decimal nanosecond strings with sub-microsecond digits.
 */
function otlpText(n, seed) {
  const random = seededRandom(seed);
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const base = 1_700_000_000_123_456_789n;
  const services = Array.from({ length: 24 }, (_, s) => ({ name: `service-${s}`, spans: [] }));
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  starts[0] = 0;
  ends[0] = n * 1000;
  for (let i = 0; i < n; i++) {
    const parent = i === 0 ? -1 : Math.max(0, i - 1 - Math.floor(random() * 64));
    if (i > 0) {
      const ps = starts[parent];
      const pe = ends[parent];
      starts[i] = ps + Math.floor(random() * (pe - ps) * 0.5);
      ends[i] = starts[i] + Math.floor(random() * (pe - starts[i]));
    }
    const span = {
      traceId,
      spanId: hex(i + 1, 16),
      ...(parent >= 0 ? { parentSpanId: hex(parent + 1, 16) } : {}),
      name: `operation-${Math.floor(random() * 300)}`,
      kind: 1 + Math.floor(random() * 3),
      startTimeUnixNano: String(base + BigInt(starts[i])),
      endTimeUnixNano: String(base + BigInt(ends[i])),
      attributes: [
        { key: 'http.route', value: { stringValue: `/api/v1/items/${i % 97}` } },
        { key: 'http.status_code', value: { intValue: String(200 + (i % 7)) } },
        { key: 'retry', value: { boolValue: i % 13 === 0 } },
      ],
      ...(i % 10 === 0 ? { events: [{ timeUnixNano: String(base + BigInt(starts[i])), name: 'cache.miss', attributes: [] }] } : {}),
      status: { code: i % 50 === 0 ? 2 : 0 },
    };
    services[Math.floor(random() * services.length)].spans.push(span);
  }
  return JSON.stringify({
    resourceSpans: services.map((s) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: s.name } }] },
      scopeSpans: [{ scope: { name: 'bench', version: '1.0.0' }, spans: s.spans }],
    })),
  });
}

/** The naive peer: objects, BigInt, a Map, children arrays, recursive critical path. */
function naive(body) {
  const byId = new Map();
  const all = [];
  for (const rs of body.resourceSpans) {
    const service = rs.resource.attributes.find((a) => a.key === 'service.name').value.stringValue;
    for (const ss of rs.scopeSpans) {
      for (const s of ss.spans) {
        const attributes = {};
        for (const a of s.attributes) attributes[a.key] = a.value.stringValue ?? a.value.intValue ?? a.value.boolValue;
        const span = { id: s.spanId.toLowerCase(), parentId: s.parentSpanId?.toLowerCase(), name: s.name, service, start: BigInt(s.startTimeUnixNano), end: BigInt(s.endTimeUnixNano), attributes, children: [] };
        byId.set(span.id, span);
        all.push(span);
      }
    }
  }
  const roots = [];
  for (const span of all) {
    const parent = span.parentId ? byId.get(span.parentId) : undefined;
    if (parent) parent.children.push(span);
    else roots.push(span);
  }
  for (const span of all) span.children.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const root = roots[0];
  const segments = [];
  const walk = (span, low, high) => {
    const kids = span.children
      .map((c) => ({ c, s: c.start > low ? c.start : low, e: c.end < high ? c.end : high }))
      .filter((k) => k.e > k.s)
      .sort((a, b) => (a.e > b.e ? -1 : a.e < b.e ? 1 : a.s < b.s ? -1 : 1));
    let barrier = high;
    for (const k of kids) {
      if (k.e > barrier) continue;
      if (barrier > k.e) segments.push([span, k.e, barrier]);
      walk(k.c, k.s, k.e);
      barrier = k.s;
    }
    if (barrier > low) segments.push([span, low, barrier]);
  };
  walk(root, root.start, root.end);
  return { all, byId, roots, segments };
}

console.log(`traces: ${origin}; best CPU time of a few runs after a warm-up`);
// warm-ups run on a 100k-span document: a smaller one leaves the first full-size runs partly unoptimised
const warmText = otlpText(100_000, 3);
const warmBody = JSON.parse(warmText);
const rows = [];
const results = { origin, cases: [] };
for (const n of SIZES) {
  const text = otlpText(n, 42);
  const runs = n >= 1_000_000 ? 2 : 3;
  const jsonParse = measure(() => JSON.parse(text), runs, () => JSON.parse(warmText));
  const body = jsonParse.result;
  const vigil = measure(
    () => {
      const model = parseTrace({ format: 'otlp-json', body });
      return { model, path: criticalPath(model) };
    },
    runs,
    () => criticalPath(parseTrace({ format: 'otlp-json', body: warmBody })),
  );
  const peer = measure(() => naive(body), runs, () => naive(warmBody));
  const vigilSegments = vigil.result.path.segmentCount;
  const peerSegments = peer.result.segments.length;
  const vigilMemory = retainedBytes(() => parseTrace({ format: 'otlp-json', body })).bytes;
  const peerMemory = retainedBytes(() => naive(body)).bytes;
  const bodyMemory = retainedBytes(() => JSON.parse(text)).bytes;
  if (vigil.result.model.spanCount !== n) throw new Error(`expected ${n} spans, got ${vigil.result.model.spanCount}`);
  const label = n.toLocaleString('en');
  const rate = (ms) => `${((n / ms) * 1000 / 1e6).toFixed(2)} M spans/s`;
  rows.push([label, 'JSON.parse of the text', fmt.ms(jsonParse.cpu), rate(jsonParse.cpu), '1.00×', fmt.bytes(bodyMemory), `${(text.length / 1e6).toFixed(0)} MB of text`]);
  rows.push([label, 'Vigil parseTrace + criticalPath', fmt.ms(vigil.cpu), rate(vigil.cpu), fmt.ratio(vigil.cpu / jsonParse.cpu), fmt.bytes(vigilMemory), `${vigilSegments} path segments`]);
  rows.push([label, 'naive objects + Map + recursion', fmt.ms(peer.cpu), rate(peer.cpu), fmt.ratio(peer.cpu / jsonParse.cpu), fmt.bytes(peerMemory), `${peerSegments} path segments`]);
  results.cases.push({ spans: n, textBytes: text.length, jsonParseMs: jsonParse.cpu, vigilMs: vigil.cpu, naiveMs: peer.cpu, vigilBytes: vigilMemory, naiveBytes: peerMemory, bodyBytes: bodyMemory, vigilSegments, naiveSegments: peerSegments, vigilOverNaive: vigil.cpu / peer.cpu });
}
table('OTLP/JSON traces (CPU ms; ratio to JSON.parse of the same text; memory retained by the result)', ['spans', 'what', 'CPU', 'throughput', 'vs JSON.parse', 'retained', 'note'], rows);
for (const c of results.cases) console.log(`${c.spans.toLocaleString('en')} spans: Vigil is ${(c.naiveMs / c.vigilMs).toFixed(2)}× the naive peer's speed and holds ${(c.naiveBytes / Math.max(1, c.vigilBytes)).toFixed(2)}× less memory`);
saveResults('traces', { machine: machine(), ...results });

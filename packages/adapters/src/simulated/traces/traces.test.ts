import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SourceError } from '@vigil/core';
import type { TraceSearch, TraceSummaryRow } from '@vigil/core';
import { parseTrace, searchTraces as searchModels, spanDetails, summarizeTrace, formatAttributeValue, repeatedSiblings, StatusCode } from '@vigil/core/traces';
import type { TraceModel } from '@vigil/core/traces';
import { createSimulatedSource } from '../source';
import { MAX_TRACE_SEARCH_LIMIT, MAX_TRACE_SEARCH_RANGE_MS } from './generate';

const MINUTE = 60_000;
const NOW = Date.UTC(2026, 10, 18, 16, 0, 0); // a Wednesday afternoon, near the fleet's traffic peak
const source = createSimulatedSource({ seed: 11, now: () => NOW });

/** Every finished trace of a window, newest first, with its parsed model. */
async function universe(minutes: number): Promise<{ rows: TraceSummaryRow[]; models: TraceModel[] }> {
  const rows = await source.searchTraces({ range: { start: NOW - minutes * MINUTE, end: NOW }, limit: MAX_TRACE_SEARCH_LIMIT });
  const models = await Promise.all(rows.map(async (row) => parseTrace(await source.getTrace(row.traceId))));
  return { rows, models };
}

const window20 = universe(20);

describe('simulated traces: well-formed OTLP/JSON', () => {
  it('parses every trace; normal traces carry no warnings, odd ones only orphan or clock-skew warnings', async () => {
    const { rows, models } = await window20;
    expect(rows.length).toBeGreaterThan(300);
    let odd = 0;
    for (let t = 0; t < rows.length; t++) {
      const row = rows[t]!;
      const model = models[t]!;
      expect(model.traceIds).toEqual([row.traceId]);
      // the source's summary row is what the engine computes from the payload
      const summary = summarizeTrace(model);
      expect(summary.traceId).toBe(row.traceId);
      expect(summary.rootService).toBe(row.rootService);
      expect(summary.rootOperation).toBe(row.rootOperation);
      expect(summary.durationMs).toBeCloseTo(row.durationMs, 6);
      expect(Math.abs(summary.start - row.start)).toBeLessThan(0.002); // one ulp of epoch ms is 0.00024
      expect(summary.spanCount).toBe(row.spanCount);
      expect(summary.errorCount).toBe(row.errorCount);
      expect([...summary.services].sort()).toEqual([...row.services].sort());
      const skewAdjusted = parseTrace(await source.getTrace(row.traceId), { adjustClockSkew: true });
      const codes = new Set([...model.warnings, ...skewAdjusted.warnings].map((w) => w.code));
      if (codes.size === 0) {
        expect(model.roots.length).toBe(1);
        continue;
      }
      odd++;
      for (const code of codes) expect(['ORPHAN_SPAN', 'CLOCK_SKEW_ADJUSTED']).toContain(code);
    }
    // about 1 % of traces are odd, so the warnings show, but they stay rare
    expect(odd).toBeGreaterThan(0);
    expect(odd / rows.length).toBeLessThan(0.04);
  }, 60_000);

  it('carries http.*, db.*, rpc.* and messaging attributes, exception events on failures, links, and N+1 loops', async () => {
    const { models } = await window20;
    const keys = new Set<string>();
    let exceptionsOnErrors = 0;
    let errorTraces = 0;
    let links = 0;
    let repeated = 0;
    for (const model of models) {
      let sawException = false;
      for (let i = 0; i < model.spanCount; i++) {
        const details = spanDetails(model, i);
        for (const a of details.attributes) keys.add(a.key);
        links += details.links.length;
        if (model.status[i] === StatusCode.ERROR && details.events.some((e) => e.name === 'exception')) sawException = true;
        // every span sits inside the trace
        expect(model.durationNs[i]).toBeGreaterThan(0);
      }
      if (summarizeTrace(model).errorCount > 0) {
        errorTraces++;
        if (sawException) exceptionsOnErrors++;
      }
      if (repeatedSiblings(model).some((r) => r.count >= 5)) repeated++;
    }
    for (const key of ['http.request.method', 'http.route', 'http.response.status_code', 'db.system', 'db.statement', 'rpc.system', 'rpc.method', 'messaging.system']) expect(keys).toContain(key);
    expect(errorTraces).toBeGreaterThan(0);
    expect(exceptionsOnErrors).toBe(errorTraces);
    expect(links).toBeGreaterThan(0);
    expect(repeated).toBeGreaterThan(10);
  }, 60_000);
});

describe('simulated traces: determinism and ids', () => {
  it('the same seed gives the same traces; another seed does not know them', async () => {
    const range = { start: NOW - 5 * MINUTE, end: NOW };
    const a = await source.searchTraces({ range, limit: 50 });
    const twin = createSimulatedSource({ seed: 11, now: () => NOW });
    const b = await twin.searchTraces({ range, limit: 50 });
    expect(b).toEqual(a);
    for (const row of a.slice(0, 10)) expect(JSON.stringify((await twin.getTrace(row.traceId)).body)).toBe(JSON.stringify((await source.getTrace(row.traceId)).body));
    const other = createSimulatedSource({ seed: 12, now: () => NOW });
    const c = await other.searchTraces({ range, limit: 50 });
    expect(c.map((r) => r.traceId)).not.toEqual(a.map((r) => r.traceId));
    await expect(other.getTrace(a[0]!.traceId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // ids are case-insensitive hex
    expect(summarizeTrace(parseTrace(await source.getTrace(a[0]!.traceId.toUpperCase()))).traceId).toBe(a[0]!.traceId);
  }, 60_000);

  it('a trace that has not finished at now() is not found yet, and is found later', async () => {
    const later = createSimulatedSource({ seed: 11, now: () => NOW + 10 * MINUTE });
    const [future] = await later.searchTraces({ range: { start: NOW + MINUTE, end: NOW + 10 * MINUTE }, limit: 1 });
    expect(future).toBeDefined();
    await expect(source.getTrace(future!.traceId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(later.getTrace(future!.traceId)).resolves.toMatchObject({ format: 'otlp-json' });
  }, 60_000);

  it('fast-check: random 32-digit hex ids are NOT_FOUND; anything else is BAD_QUERY', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[0-9a-f]{32}$/), async (id) => {
        await expect(source.getTrace(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      }),
      { numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.anything()).filter((x) => !(typeof x === 'string' && /^[0-9a-fA-F]{32}$/.test(x))), async (id) => {
        const error = await source.getTrace(id as string).then(() => undefined, (e: unknown) => e);
        expect(error).toBeInstanceOf(SourceError);
        expect((error as SourceError).code).toBe('BAD_QUERY');
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});

describe('simulated traces: search', () => {
  it('fast-check: every filter agrees with a brute-force search of the parsed traces (@vigil/core/traces)', async () => {
    const { rows, models } = await window20;
    const services = [...new Set(rows.flatMap((r) => r.services))];
    const operations = [...new Set(models.flatMap((m) => m.operations))];
    const attributes: Array<[string, string]> = [];
    for (const model of models.slice(0, 40)) {
      for (let i = 0; i < model.spanCount; i += 3) for (const a of spanDetails(model, i).attributes) attributes.push([a.key, formatAttributeValue(a.value)]);
    }
    const durations = rows.map((r) => r.durationMs).sort((a, b) => a - b);
    const quantile = (q: number) => durations[Math.floor(q * (durations.length - 1))]!;
    const query = fc.record(
      {
        service: fc.constantFrom(...services, 'no-such-service'),
        operation: fc.constantFrom(...operations),
        attributes: fc.constantFrom(...attributes).map(([k, v]) => ({ [k]: v })),
        minDurationMs: fc.constantFrom(0, quantile(0.5), quantile(0.9), quantile(0.99)),
        maxDurationMs: fc.constantFrom(quantile(0.1), quantile(0.5), quantile(0.95)),
        status: fc.constantFrom('error' as const, 'unset' as const, 'ok' as const),
        limit: fc.integer({ min: 1, max: 400 }),
        startMinute: fc.integer({ min: 0, max: 19 }),
      },
      { requiredKeys: ['startMinute'] },
    );
    await fc.assert(
      fc.asyncProperty(query, async ({ startMinute, ...filters }) => {
        const range = { start: NOW - 20 * MINUTE + startMinute * MINUTE, end: NOW - Math.max(0, 10 - startMinute) * MINUTE };
        const search: TraceSearch = { range, ...filters };
        const got = await source.searchTraces(search);
        const expected = searchModels(models, { ...filters, range, limit: filters.limit ?? 20 }).map((t) => rows[t]!.traceId);
        expect(got.map((r) => r.traceId)).toEqual(expected);
      }),
      { numRuns: 120 },
    );
  }, 120_000);

  it('returns the newest traces first and honours the limit and an empty range', async () => {
    const got = await source.searchTraces({ range: { start: NOW - 10 * MINUTE, end: NOW } });
    expect(got).toHaveLength(20);
    for (let i = 1; i < got.length; i++) expect(got[i - 1]!.start).toBeGreaterThanOrEqual(got[i]!.start);
    expect(await source.searchTraces({ range: { start: NOW, end: NOW } })).toEqual([]);
    expect(await source.searchTraces({ range: { start: NOW + MINUTE, end: NOW + 5 * MINUTE } })).toEqual([]);
  }, 60_000);

  it('fast-check: bad searches reject with BAD_QUERY naming the field, never anything else', async () => {
    const bad = fc.oneof(
      fc.anything(),
      fc.record({ range: fc.anything() }),
      fc.record({ range: fc.constant({ start: NOW - MINUTE, end: NOW }), limit: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: MAX_TRACE_SEARCH_LIMIT + 1 }), fc.double(), fc.string()) }),
      fc.record({ range: fc.constant({ start: NOW - MINUTE, end: NOW }), minDurationMs: fc.oneof(fc.double({ max: -0.001 }), fc.constant(Number.NaN), fc.string()) }),
      fc.record({ range: fc.constant({ start: NOW - MINUTE, end: NOW }), status: fc.string().filter((s) => !['ok', 'error', 'unset'].includes(s)) }),
      fc.record({ range: fc.constant({ start: NOW - MINUTE, end: NOW }), attributes: fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)), { minKeys: 1 }) }),
      fc.record({ range: fc.constant({ start: NOW - MINUTE, end: NOW }), service: fc.oneof(fc.constant(''), fc.integer(), fc.constant(null)) }),
    );
    await fc.assert(
      fc.asyncProperty(bad, async (request) => {
        const outcome = await source.searchTraces(request as TraceSearch).then((rows) => rows, (e: unknown) => e);
        if (Array.isArray(outcome)) return; // fc.anything() can build a valid search by chance
        expect(outcome).toBeInstanceOf(SourceError);
        expect((outcome as SourceError).code).toBe('BAD_QUERY');
      }),
      { numRuns: 300 },
    );
    // values that throw when turned into text still get a BAD_QUERY, not a TypeError from the error message
    const hostile = { toString: 0, valueOf: 0 };
    await expect(source.getTrace(hostile as unknown as string)).rejects.toMatchObject({ code: 'BAD_QUERY', path: 'traceId' });
    await expect(source.searchTraces({ range: { start: hostile, end: NOW } } as unknown as TraceSearch)).rejects.toMatchObject({ code: 'BAD_QUERY', path: 'range.start' });
    await expect(source.searchTraces({ range: { start: NOW - MINUTE, end: NOW }, limit: hostile } as unknown as TraceSearch)).rejects.toMatchObject({ code: 'BAD_QUERY', path: 'limit' });
    await expect(source.searchTraces({ range: { start: NOW - MAX_TRACE_SEARCH_RANGE_MS - 1, end: NOW } })).rejects.toMatchObject({ code: 'BAD_QUERY', path: 'range' });
    await expect(source.searchTraces({ range: { start: NOW, end: NOW - 1 } })).rejects.toMatchObject({ code: 'BAD_QUERY', path: 'range.end' });
  }, 60_000);

  it('honours failWith and abort like the other calls', async () => {
    const failing = createSimulatedSource({ seed: 11, now: () => NOW, failWith: (call) => (call.method === 'searchTraces' ? { code: 'SOURCE_TIMEOUT' } : undefined) });
    await expect(failing.searchTraces({ range: { start: NOW - MINUTE, end: NOW } })).rejects.toMatchObject({ code: 'SOURCE_TIMEOUT' });
    const [row] = await source.searchTraces({ range: { start: NOW - MINUTE, end: NOW }, limit: 1 });
    await expect(failing.getTrace(row!.traceId)).resolves.toMatchObject({ format: 'otlp-json' });
    const controller = new AbortController();
    controller.abort();
    await expect(source.getTrace(row!.traceId, { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  }, 60_000);
});

describe('simulated traces agree with the simulated metrics', () => {
  const incidentNow = NOW;
  const sim = createSimulatedSource({
    seed: 5,
    now: () => incidentNow,
    incidents: { random: false, scripted: [{ service: 'frontend', start: incidentNow - 70 * MINUTE, durationMs: 80 * MINUTE, errorRatio: 0.25, latencyFactor: 2.5 }] },
  });
  const calm = createSimulatedSource({ seed: 5, now: () => incidentNow, incidents: { random: false } });

  async function compare(src: ReturnType<typeof createSimulatedSource>) {
    const rows = (await src.searchTraces({ range: { start: incidentNow - 60 * MINUTE, end: incidentNow }, limit: MAX_TRACE_SEARCH_LIMIT })).filter((r) => r.rootService === 'frontend');
    const n = rows.length;
    const instant = async (query: string) => (await src.queryInstant({ query, time: incidentNow })).data[0]!.value;
    // a root span fails (status ERROR) exactly when the request got a 5xx
    const failed = (await Promise.all(rows.map(async (r) => parseTrace(await src.getTrace(r.traceId))))).filter((m) => {
      const root = m.roots[0]!;
      return m.status[root] === StatusCode.ERROR;
    }).length;
    const metricErrorRatio = await instant('sum(increase(http_requests_total{service="frontend",code=~"5.."}[1h])) / sum(increase(http_requests_total{service="frontend"}[1h]))');
    const cdf: Array<{ le: number; traces: number; metric: number }> = [];
    for (const le of [0.025, 0.05, 0.1, 0.25, 0.5]) {
      const metric = await instant(`sum(increase(http_request_duration_seconds_bucket{service="frontend",le="${le}"}[1h])) / sum(increase(http_request_duration_seconds_count{service="frontend"}[1h]))`);
      cdf.push({ le, traces: rows.filter((r) => r.durationMs <= le * 1000).length / n, metric });
    }
    return { n, traceErrorRatio: failed / n, metricErrorRatio, cdf };
  }

  it('during an incident: the 5xx ratio and the latency distribution of root spans match the metrics', async () => {
    const { n, traceErrorRatio, metricErrorRatio, cdf } = await compare(sim);
    expect(n).toBeGreaterThan(400);
    // binomial noise of n traces, 5 standard deviations
    const tolerance = (p: number) => 5 * Math.sqrt((p * (1 - p)) / n) + 0.005;
    expect(metricErrorRatio).toBeGreaterThan(0.2);
    expect(Math.abs(traceErrorRatio - metricErrorRatio)).toBeLessThan(tolerance(metricErrorRatio));
    for (const { traces, metric } of cdf) expect(Math.abs(traces - metric)).toBeLessThan(tolerance(metric));
  }, 120_000);

  it('without incidents: the latency distribution matches, and errors are rare on both sides', async () => {
    const { n, traceErrorRatio, metricErrorRatio, cdf } = await compare(calm);
    const tolerance = (p: number) => 5 * Math.sqrt((p * (1 - p)) / n) + 0.005;
    expect(metricErrorRatio).toBeLessThan(0.01);
    expect(Math.abs(traceErrorRatio - metricErrorRatio)).toBeLessThan(tolerance(metricErrorRatio));
    for (const { traces, metric } of cdf) expect(Math.abs(traces - metric)).toBeLessThan(tolerance(metric));
    // and the incident is visible in the traces: slower and failing more
    const during = await compare(sim);
    expect(during.cdf[2]!.traces).toBeLessThan(cdf[2]!.traces - 0.15);
  }, 120_000);
});

describe('simulated traces: incidents downstream show up upstream', () => {
  it('an incident on inventory is where most failing frontend requests that call it fail', async () => {
    let upstream = 0;
    let causedByInventory = 0;
    for (const seed of [9, 10, 11]) {
      const src = createSimulatedSource({
        seed,
        now: () => NOW,
        incidents: { random: false, scripted: [{ service: 'inventory', start: NOW - 13 * 60 * MINUTE, durationMs: 14 * 60 * MINUTE, errorRatio: 0.3, latencyFactor: 4 }] },
      });
      const rows = await src.searchTraces({ range: { start: NOW - 12 * 60 * MINUTE, end: NOW }, service: 'frontend', status: 'error', limit: MAX_TRACE_SEARCH_LIMIT });
      for (const row of rows) {
        if (row.rootService !== 'frontend' || !row.services.includes('inventory')) continue;
        const model = parseTrace(await src.getTrace(row.traceId));
        if (model.status[model.roots[0]!] !== StatusCode.ERROR) continue; // a retried call, not a failed request
        upstream++;
        // the cause: the span whose exception escaped
        for (let i = 0; i < model.spanCount; i++) {
          const details = spanDetails(model, i);
          if (details.events.some((e) => e.name === 'exception' && e.attributes.some((a) => a.key === 'exception.escaped' && a.value === true))) {
            if (details.service === 'inventory') causedByInventory++;
            break;
          }
        }
      }
    }
    expect(upstream).toBeGreaterThan(30);
    // frontend's own 5xx ratio is unchanged (its metrics have no incident), but where its requests fail follows the
    // callees' error ratios: inventory is the cause far more often than its share of the calls would make it
    // (about 0.5 without the incident, measured with these seeds; about 0.8 with it)
    expect(causedByInventory / upstream).toBeGreaterThan(0.65);
  }, 120_000);
});

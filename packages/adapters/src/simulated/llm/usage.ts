import { ValidationError } from '@vigil/core';
import type { UsageRecord } from '@vigil/core/cost';
import { mix32, normalAt, poissonAt, streamKey, uniformAt } from '../random';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** A provider and model, as the usage records name them. */
export interface SimulatedModelRef {
  readonly provider: string;
  readonly model: string;
}

/**
 * The designed scenario inside the simulated usage: on `classify` the cheaper model's quality equals the current
 * one's (a switch the engine should recommend); on `summarise` it is clearly worse (a switch it should refuse).
 * `unpriced` is an in-house model the default catalogue does not know: it must show as unpriced, never as $0.
 */
export const SIMULATED_LLM_SCENARIO = Object.freeze({
  equalQuality: Object.freeze({ feature: 'classify', from: Object.freeze({ provider: 'openai', model: 'gpt-4.1' }), to: Object.freeze({ provider: 'openai', model: 'gpt-4.1-mini' }) }),
  worseQuality: Object.freeze({ feature: 'summarise', from: Object.freeze({ provider: 'openai', model: 'gpt-4.1' }), to: Object.freeze({ provider: 'openai', model: 'gpt-4.1-mini' }) }),
  unpriced: Object.freeze({ provider: 'acme', model: 'acme-support-ft-2' }),
  /** Every other UTC day, one hour (09–20 UTC, from the seed) carries a cost spike: see {@link llmSpendSpikeHours}. */
  spike: Object.freeze({ feature: 'summarise', provider: 'openai', model: 'gpt-4.1', calls: 250 }),
  features: Object.freeze(['chat', 'summarise', 'classify', 'support', 'eval-job'] as const),
});

/** Options of {@link simulateLlmUsage}. */
export interface SimulatedLlmUsageOptions {
  /** Start of the range, epoch ms (inclusive). */
  readonly start: number;
  /** End of the range, epoch ms (exclusive). At most 31 days after `start`. */
  readonly end: number;
  /** Seed: the same seed gives the same records for the same hours, whatever the range. Default 42. */
  readonly seed?: number;
  /** Mean interactive calls per hour at the daily peak on a weekday (night and weekends are quieter). Default 600. */
  readonly peakRequestsPerHour?: number;
  /** Hours of the day (UTC) at which the evaluation job runs a burst of non-streamed calls. Default [2, 8, 14, 20]. */
  readonly evalJobHours?: readonly number[];
  /** Calls per evaluation job run. Default 400. */
  readonly evalJobSize?: number;
  /** Refuse ranges whose expected record count exceeds this (a guard against freezing a page). Default 2,000,000. */
  readonly maxRecords?: number;
}

interface FeatureSpec {
  readonly share: number;
  readonly team: string;
  readonly streaming: boolean;
  readonly models: readonly { readonly provider: string; readonly model: string; readonly share: number; readonly quality: number; readonly latencyMedianMs: number; readonly msPerOutputToken: number }[];
  /** Share of calls with a quality score. */
  readonly rated: number;
  readonly prefix?: { readonly hash: string; readonly tokens: number };
  readonly inputMedian: number;
  readonly outputMedian: number;
}

/** Interactive traffic. Quality is the pass probability of a call's feedback score. */
const FEATURES: Readonly<Record<'chat' | 'summarise' | 'classify' | 'support', FeatureSpec>> = {
  chat: {
    share: 0.33,
    team: 'assistant',
    streaming: true,
    models: [
      { provider: 'anthropic', model: 'claude-sonnet-4-20250514', share: 0.75, quality: 0.9, latencyMedianMs: 650, msPerOutputToken: 11 },
      { provider: 'anthropic', model: 'claude-3-5-haiku-20241022', share: 0.25, quality: 0.8, latencyMedianMs: 420, msPerOutputToken: 7 },
    ],
    rated: 0.3,
    prefix: { hash: 'sys-chat-v3', tokens: 2_400 },
    inputMedian: 500,
    outputMedian: 320,
  },
  summarise: {
    share: 0.22,
    team: 'docs',
    streaming: false,
    models: [
      { provider: 'openai', model: 'gpt-4.1', share: 0.55, quality: 0.9, latencyMedianMs: 900, msPerOutputToken: 14 },
      { provider: 'openai', model: 'gpt-4.1-mini', share: 0.45, quality: 0.76, latencyMedianMs: 600, msPerOutputToken: 8 },
    ],
    rated: 0.6,
    prefix: { hash: 'sum-prompt-v2', tokens: 1_200 },
    inputMedian: 2_800,
    outputMedian: 260,
  },
  classify: {
    share: 0.35,
    team: 'triage',
    streaming: false,
    models: [
      { provider: 'openai', model: 'gpt-4.1', share: 0.5, quality: 0.99, latencyMedianMs: 700, msPerOutputToken: 0 },
      { provider: 'openai', model: 'gpt-4.1-mini', share: 0.5, quality: 0.99, latencyMedianMs: 450, msPerOutputToken: 0 },
    ],
    rated: 1,
    prefix: { hash: 'cls-fewshot-v5', tokens: 1_400 },
    inputMedian: 160,
    outputMedian: 6,
  },
  support: {
    share: 0.1,
    team: 'support',
    streaming: true,
    models: [{ provider: 'acme', model: 'acme-support-ft-2', share: 1, quality: 0.85, latencyMedianMs: 500, msPerOutputToken: 9 }],
    rated: 0.2,
    inputMedian: 800,
    outputMedian: 180,
  },
};
const FEATURE_NAMES = ['chat', 'summarise', 'classify', 'support'] as const;
const FEATURE_PICKS = FEATURE_NAMES.map((name) => ({ name, share: FEATURES[name].share }));
const USERS = 150;

function check(condition: boolean, path: string, expected: string, value: unknown): void {
  if (!condition) throw new ValidationError(path, expected, value);
}

/** Relative volume at an instant: a diurnal curve peaking mid-afternoon UTC, weekends at 55%. */
export function llmVolumeFactor(time: number): number {
  const date = new Date(time);
  const hour = date.getUTCHours() + date.getUTCMinutes() / 60;
  const day = 0.3 + 0.7 * (0.5 - 0.5 * Math.cos((2 * Math.PI * (hour - 3)) / 24));
  const weekday = date.getUTCDay();
  return day * (weekday === 0 || weekday === 6 ? 0.55 : 1);
}

const DAY_HOURS = 24;

/** Whether the hour (epoch hours) holds the designed cost spike: even UTC days, one hour between 09 and 20 per day. */
function isSpikeHour(seed: number, hour: number): boolean {
  const day = Math.floor(hour / DAY_HOURS);
  if (((day % 2) + 2) % 2 !== 0) return false;
  return ((hour % DAY_HOURS) + DAY_HOURS) % DAY_HOURS === 9 + (mix32(streamKey(seed, 'llm-spike') ^ day) % 12);
}

/**
 * Start times (epoch ms) of the hours in [start, end) that hold the designed cost spike: a runaway re-summarisation
 * loop of {@link SIMULATED_LLM_SCENARIO}.spike.calls long `summarise` calls on gpt-4.1, on even UTC days at one hour
 * between 09:00 and 20:00 chosen by the seed. For tests and demos of spend anomaly detection.
 *
 * @example
 * llmSpendSpikeHours(42, Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 8)); // three or four hour starts
 */
export function llmSpendSpikeHours(seed: number, start: number, end: number): number[] {
  if (!(Number.isInteger(seed) && Number.isFinite(start) && Number.isFinite(end) && end >= start)) throw new ValidationError('arguments', 'an integer seed and a finite range with end >= start', { seed, start, end });
  if (end - start > 366 * DAY_HOURS * HOUR_MS) throw new ValidationError('end', 'at most a year after start', end);
  const out: number[] = [];
  for (let hour = Math.ceil(start / HOUR_MS); hour * HOUR_MS < end; hour++) if (isSpikeHour(seed, hour)) out.push(hour * HOUR_MS);
  return out;
}

function pick<T extends { readonly share: number }>(items: readonly T[], u: number): T {
  let acc = 0;
  for (const item of items) {
    acc += item.share;
    if (u < acc) return item;
  }
  return items[items.length - 1]!;
}

/**
 * Seeded LLM usage in the cost engine's input shape (`UsageRecord`, named after the OpenTelemetry GenAI
 * conventions), one record per call, sorted by time:
 * - OpenAI, Anthropic and Google models priced by the default catalogue, plus one in-house model that is not
 *   (`acme-support-ft-2`, so a host sees it as unpriced);
 * - features `chat` (streamed, Anthropic, system prompt mostly read from the cache, conversations whose context
 *   grows), `summarise` and `classify` (OpenAI, long shared prompt prefixes not cached), `support` (unpriced) and
 *   `eval-job` (bursts of non-streamed Gemini calls tagged `kind=eval`, a batch candidate);
 * - users, `team` / `env` / `kind` tags, quality feedback scores, failures with retries (same request hash,
 *   `attempt` 2), duplicate requests, occasional runaway outputs cut at the length limit;
 * - a diurnal and weekly volume curve, and a cost spike every other day ({@link llmSpendSpikeHours});
 * - the designed scenario in {@link SIMULATED_LLM_SCENARIO}.
 *
 * Token counts follow each provider's own convention (OpenAI's input includes cache reads; Anthropic's does not),
 * which the engine normalises. Each hour is generated from its own seeded stream, so an hour's records are the
 * same whatever range asks for it.
 *
 * @example
 * const records = simulateLlmUsage({ start: now - 86_400_000, end: now, seed: 7 });
 * const priced = priceUsageTable(createUsageTable(records), DEFAULT_PRICE_CATALOGUE);
 */
export function simulateLlmUsage(options: SimulatedLlmUsageOptions): UsageRecord[] {
  check(options !== null && typeof options === 'object', 'options', 'an options object', options);
  const { start, end } = options;
  check(typeof start === 'number' && Number.isFinite(start), 'options.start', 'a finite epoch-ms number', start);
  check(typeof end === 'number' && Number.isFinite(end) && end > start, 'options.end', `a finite epoch-ms number after start (${start})`, end);
  check(end - start <= 31 * 24 * HOUR_MS, 'options.end', 'at most 31 days after start', end);
  const seed = options.seed ?? 42;
  check(typeof seed === 'number' && Number.isInteger(seed), 'options.seed', 'an integer', seed);
  const peak = options.peakRequestsPerHour ?? 600;
  check(typeof peak === 'number' && Number.isFinite(peak) && peak >= 0 && peak <= 1_000_000, 'options.peakRequestsPerHour', 'a number in [0, 1000000]', peak);
  const evalHours = options.evalJobHours ?? [2, 8, 14, 20];
  check(Array.isArray(evalHours), 'options.evalJobHours', 'an array of hours 0-23', evalHours);
  evalHours.forEach((h, i) => check(Number.isInteger(h) && h >= 0 && h <= 23, `options.evalJobHours[${i}]`, 'an integer hour 0-23', h));
  const evalSize = options.evalJobSize ?? 400;
  check(typeof evalSize === 'number' && Number.isInteger(evalSize) && evalSize >= 0 && evalSize <= 100_000, 'options.evalJobSize', 'an integer in [0, 100000]', evalSize);
  const maxRecords = options.maxRecords ?? 2_000_000;
  check(typeof maxRecords === 'number' && maxRecords > 0, 'options.maxRecords', 'a number > 0', maxRecords);
  const hours = (end - start) / HOUR_MS;
  const expected = hours * (peak * 1.05 + (evalHours.length * evalSize) / 24);
  check(expected <= maxRecords, 'options.peakRequestsPerHour', `a volume whose expected record count over the range stays under maxRecords (${maxRecords}); expected ${Math.round(expected)}`, peak);

  const out: UsageRecord[] = [];
  const firstHour = Math.floor(start / HOUR_MS);
  const lastHour = Math.ceil(end / HOUR_MS);
  const evalSet = new Set(evalHours);
  for (let hour = firstHour; hour < lastHour; hour++) {
    const records = simulateHour(seed, hour, peak, evalSet.has(((hour % 24) + 24) % 24) ? evalSize : 0);
    for (const record of records) if (record.timestamp >= start && record.timestamp < end) out.push(record);
  }
  return out;
}

/** One hour of traffic, from the hour's own stream. */
function simulateHour(seed: number, hour: number, peak: number, evalCalls: number): UsageRecord[] {
  const key = streamKey(seed, `llm-usage:${hour}`);
  let draw = 0;
  const u = () => uniformAt(key, draw++);
  const z = () => normalAt(key, draw++);
  const t0 = hour * HOUR_MS;
  const records: UsageRecord[] = [];
  const count = poissonAt(key, draw++, peak * llmVolumeFactor(t0 + HOUR_MS / 2));
  const conversationTurns = new Map<string, number>();
  let lastClassifyHash: string | undefined;
  for (let i = 0; i < count; i++) {
    const timestamp = t0 + Math.floor(u() * HOUR_MS);
    const featureName = pick(FEATURE_PICKS, u()).name;
    const spec = FEATURES[featureName];
    const model = pick(spec.models, u());
    const userIndex = 1 + Math.floor(u() ** 2 * USERS);
    const inputBody = Math.max(20, Math.round(spec.inputMedian * Math.exp(0.45 * z())));
    let output = Math.max(1, Math.round(spec.outputMedian * Math.exp(0.5 * z())));
    let finishReason = 'stop';
    let requestHash = `rq-${hour}-${i}`;
    let conversation: string | undefined;
    let inputTokens = inputBody;
    let cacheReadTokens = 0;
    let cacheCreationTokens = 0;
    if (featureName === 'chat') {
      conversation = `conv-${hour}-${Math.floor(u() * 40)}`;
      const turn = (conversationTurns.get(conversation) ?? 0) + 1;
      conversationTurns.set(conversation, turn);
      inputTokens = inputBody + 450 * (turn - 1);
      // Anthropic reports input without the cache: the system prompt is read from the cache on most calls.
      const cacheDraw = u();
      if (cacheDraw < 0.72) cacheReadTokens = spec.prefix!.tokens;
      else if (cacheDraw < 0.8) cacheCreationTokens = spec.prefix!.tokens;
      else inputTokens += spec.prefix!.tokens;
    } else if (spec.prefix !== undefined) {
      // OpenAI: the reported input includes the (uncached) shared prefix.
      inputTokens = inputBody + spec.prefix.tokens;
    }
    if (featureName === 'summarise' && u() < 0.012) {
      output = 4_096;
      finishReason = 'length';
    }
    if (featureName === 'classify') {
      if (lastClassifyHash !== undefined && u() < 0.04) requestHash = lastClassifyHash;
      lastClassifyHash = requestHash;
    }
    const failed = u() < 0.02;
    const latencyMs = Math.max(40, Math.round(model.latencyMedianMs * Math.exp(0.35 * z()) + output * model.msPerOutputToken));
    const passed = u() < model.quality;
    const rated = u() < spec.rated;
    const quality = passed ? 0.6 + 0.4 * u() : 0.4 * u();
    const base = {
      provider: model.provider,
      model: model.model,
      operation: 'chat',
      user: `user-${String(userIndex).padStart(3, '0')}`,
      feature: featureName,
      tags: { team: spec.team, env: 'prod', kind: 'interactive' },
      streaming: spec.streaming,
      batch: false,
      requestHash,
      ...(conversation === undefined ? {} : { conversation }),
      ...(spec.prefix === undefined ? {} : { prefixHash: spec.prefix.hash, prefixTokens: spec.prefix.tokens }),
    };
    if (failed) {
      records.push({ ...base, timestamp, inputTokens, outputTokens: 0, latencyMs: Math.round(latencyMs * 0.3), status: 'error', attempt: 1, finishReason: 'error' });
      if (u() < 0.6) {
        const retryAt = Math.min(t0 + HOUR_MS - 1, timestamp + 1_000 + Math.floor(u() * 2_000));
        records.push({ ...base, timestamp: retryAt, inputTokens, cacheReadTokens, cacheCreationTokens, outputTokens: output, latencyMs, status: 'ok', attempt: 2, finishReason, ...(rated ? { quality } : {}) });
      }
      continue;
    }
    records.push({ ...base, timestamp, inputTokens, cacheReadTokens, cacheCreationTokens, outputTokens: output, latencyMs, status: 'ok', attempt: 1, finishReason, ...(rated ? { quality } : {}) });
  }
  // The designed cost spike: a runaway loop re-summarising long documents, all within ten minutes.
  if (isSpikeHour(seed, hour)) {
    const spike = SIMULATED_LLM_SCENARIO.spike;
    const loopStart = t0 + 20 * MINUTE_MS;
    for (let i = 0; i < spike.calls; i++) {
      const output = Math.max(200, Math.round(800 * Math.exp(0.3 * z())));
      records.push({
        timestamp: loopStart + Math.floor(u() * 10 * MINUTE_MS),
        provider: spike.provider,
        model: spike.model,
        operation: 'chat',
        inputTokens: Math.max(1_000, Math.round(6_000 * Math.exp(0.3 * z()))),
        outputTokens: output,
        latencyMs: Math.max(200, Math.round(900 * Math.exp(0.35 * z()) + output * 14)),
        status: 'ok',
        user: 'svc-docs-reindex',
        feature: spike.feature,
        tags: { team: 'docs', env: 'prod', kind: 'interactive' },
        streaming: false,
        batch: false,
        requestHash: `loop-${hour}-${i}`,
        attempt: 1,
        finishReason: 'stop',
      });
    }
  }
  // The evaluation job: a burst of non-streamed calls a few minutes past the hour, nobody waiting on them.
  let at = t0 + 5 * MINUTE_MS;
  for (let i = 0; i < evalCalls; i++) {
    at += 150 + Math.floor(u() * 500);
    const output = Math.max(1, Math.round(120 * Math.exp(0.4 * z())));
    records.push({
      timestamp: Math.min(at, t0 + HOUR_MS - 1),
      provider: 'gcp.gemini',
      model: 'gemini-2.5-flash',
      operation: 'chat',
      inputTokens: Math.max(50, Math.round(1_800 * Math.exp(0.3 * z()))),
      outputTokens: output,
      latencyMs: Math.max(80, Math.round(380 * Math.exp(0.3 * z()) + output * 4)),
      status: u() < 0.01 ? 'error' : 'ok',
      user: 'svc-eval',
      feature: 'eval-job',
      tags: { team: 'ml-eval', env: 'prod', kind: 'eval' },
      streaming: false,
      batch: false,
      requestHash: `ev-${hour}-${i}`,
      attempt: 1,
    });
  }
  records.sort((a, b) => a.timestamp - b.timestamp);
  return records;
}

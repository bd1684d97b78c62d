import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '../errors';
import { createDispatcher } from './dispatcher';
import { createEmailChannel, createHttpChannel, createSmsChannel } from './channels';
import type { NotificationChannel } from './channels';
import { DeliveryError } from './delivery-error';
import { MemoryOutbox } from './outbox';
import { fullJitterDelay, parseRetryAfter, TokenBucket } from './retry';
import { verifyWebhookSignature } from './webhook';

vi.setConfig({ testTimeout: 30_000 });

type Behaviour = 'ok' | 'fail' | 'hang' | 'slow-ok' | { status: number; retryAfter?: string };

/** A receiver on 127.0.0.1 that answers each request with the next behaviour (then 'ok'), and counts. */
interface Receiver {
  url: string;
  port: number;
  /** Every request, in order: idempotency key, time received, status answered (undefined = never answered). */
  requests: { key: string; at: number; status?: number; headers: IncomingMessage['headers']; body: string }[];
  /** 2xx answers per idempotency key: the deliveries. */
  delivered(): Map<string, number>;
  close(): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => {
    s.closeAllConnections();
    s.close(() => resolve());
  })));
});

async function startReceiver(behaviours: Behaviour[], port = 0): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const record: Receiver['requests'][number] = { key: String(req.headers['idempotency-key']), at: Date.now(), headers: req.headers, body };
      requests.push(record);
      const behaviour = behaviours.shift() ?? 'ok';
      const answer = (status: number, headers: Record<string, string> = {}) => {
        record.status = status;
        res.writeHead(status, headers).end(status < 300 ? 'ok' : 'nope');
      };
      if (behaviour === 'ok') answer(200);
      else if (behaviour === 'fail') answer(503);
      else if (behaviour === 'hang') return; // never answers
      else if (behaviour === 'slow-ok') setTimeout(() => answer(200), 400);
      else answer(behaviour.status, behaviour.retryAfter === undefined ? {} : { 'Retry-After': behaviour.retryAfter });
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}/hook`,
    port: actualPort,
    requests,
    delivered() {
      const counts = new Map<string, number>();
      for (const r of requests) if (r.status !== undefined && r.status < 300) counts.set(r.key, (counts.get(r.key) ?? 0) + 1);
      return counts;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const fast = { baseDelayMs: 20, maxDelayMs: 200 };

describe('dispatcher against local HTTP receivers', () => {
  it('retries 5xx until the receiver recovers: every key delivered exactly once', async () => {
    const receiver = await startReceiver(['fail', 'fail', 'fail', 'fail', 'fail']);
    const dispatcher = createDispatcher({ channels: [createHttpChannel({ name: 'hook', url: receiver.url })], retry: fast, concurrency: 2 });
    const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
    for (const key of keys) await dispatcher.enqueue({ channel: 'hook', idempotencyKey: key, payload: { body: JSON.stringify({ key }) } });
    expect(await dispatcher.drain({ timeoutMs: 20_000 })).toBe(true);
    const delivered = receiver.delivered();
    expect([...delivered.keys()].sort()).toEqual([...keys].sort());
    for (const count of delivered.values()) expect(count).toBe(1);
    expect(receiver.requests.filter((r) => r.status === 503)).toHaveLength(5);
    expect(dispatcher.log().filter((e) => e.event === 'retry-scheduled')).toHaveLength(5);
    expect(dispatcher.log().filter((e) => e.event === 'delivered')).toHaveLength(12);
    for (const r of receiver.requests) expect(JSON.parse(r.body)).toEqual({ key: r.key }); // each retry sends the same body and key
  });

  it('times out a hanging receiver (AbortSignal) and delivers on the next attempt', async () => {
    const receiver = await startReceiver(['hang']);
    const dispatcher = createDispatcher({ channels: [createHttpChannel({ name: 'hook', url: receiver.url, timeoutMs: 300 })], retry: fast });
    await dispatcher.enqueue({ channel: 'hook', idempotencyKey: 'only', payload: '{}' });
    expect(await dispatcher.drain({ timeoutMs: 20_000 })).toBe(true);
    expect(receiver.requests.map((r) => r.status)).toEqual([undefined, 200]);
    expect(receiver.delivered().get('only')).toBe(1);
    const retry = dispatcher.log().find((e) => e.event === 'retry-scheduled');
    expect(retry?.error).toMatch(/no answer|stopped/);
  });

  it('a response lost to a timeout is retried with the same Idempotency-Key, so the receiver can de-duplicate', async () => {
    const receiver = await startReceiver(['slow-ok']);
    const dispatcher = createDispatcher({ channels: [createHttpChannel({ name: 'hook', url: receiver.url, timeoutMs: 150 })], retry: fast });
    await dispatcher.enqueue({ channel: 'hook', idempotencyKey: 'lost-answer', payload: '{}' });
    expect(await dispatcher.drain({ timeoutMs: 20_000 })).toBe(true);
    // The receiver saw the key twice; a receiver keyed on Idempotency-Key processes it once.
    expect(receiver.requests.map((r) => r.key)).toEqual(['lost-answer', 'lost-answer']);
    expect(new Set(receiver.requests.map((r) => r.key)).size).toBe(1);
  });

  it('honours Retry-After on 429', async () => {
    const receiver = await startReceiver([{ status: 429, retryAfter: '1' }]);
    const dispatcher = createDispatcher({ channels: [createHttpChannel({ name: 'hook', url: receiver.url })], retry: fast });
    await dispatcher.enqueue({ channel: 'hook', idempotencyKey: 'k', payload: '{}' });
    expect(await dispatcher.drain({ timeoutMs: 20_000 })).toBe(true);
    const [first, second] = receiver.requests;
    expect(first?.status).toBe(429);
    expect(second?.status).toBe(200);
    // Not a speed threshold: backoff alone (ceiling 20 ms) would have retried far sooner than the 1 s asked for.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(dispatcher.log().find((e) => e.event === 'retry-scheduled')?.status).toBe(429);
  });

  it('keeps notifications while the receiver is down (connection refused) and delivers when it comes up', async () => {
    const probe = await startReceiver([]);
    const port = probe.port;
    await probe.close();
    servers.splice(0);
    const dispatcher = createDispatcher({ channels: [createHttpChannel({ name: 'hook', url: `http://127.0.0.1:${port}/hook` })], retry: { baseDelayMs: 50, maxDelayMs: 100 } });
    for (const key of ['a', 'b', 'c']) await dispatcher.enqueue({ channel: 'hook', idempotencyKey: key, payload: '{}' });
    expect(await dispatcher.drain({ timeoutMs: 400 })).toBe(false);
    expect(await dispatcher.outbox.list('pending')).toHaveLength(3);
    expect(dispatcher.log().some((e) => e.event === 'retry-scheduled' && /could not reach/.test(e.error ?? ''))).toBe(true);
    const receiver = await startReceiver([], port);
    expect(await dispatcher.drain({ timeoutMs: 20_000 })).toBe(true);
    expect([...receiver.delivered().entries()].sort()).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 1],
    ]);
  });

  it('a 4xx is permanent: the entry is dead (kept, not retried) until requeued', async () => {
    const receiver = await startReceiver([{ status: 400 }]);
    const dispatcher = createDispatcher({ channels: [createHttpChannel({ name: 'hook', url: receiver.url })], retry: fast });
    await dispatcher.enqueue({ channel: 'hook', idempotencyKey: 'bad', payload: '{}' });
    expect(await dispatcher.drain({ timeoutMs: 5000 })).toBe(true);
    expect(receiver.requests).toHaveLength(1);
    expect(await dispatcher.outbox.state('bad')).toBe('dead');
    expect(await dispatcher.requeue('bad')).toBe(true);
    expect(await dispatcher.drain({ timeoutMs: 5000 })).toBe(true);
    expect(receiver.delivered().get('bad')).toBe(1);
    expect(await dispatcher.outbox.state('bad')).toBe('delivered');
  });

  it('a payload with a header-injection attempt is dead without a request', async () => {
    const receiver = await startReceiver([]);
    const dispatcher = createDispatcher({ channels: [createHttpChannel({ name: 'hook', url: receiver.url })], retry: fast });
    await dispatcher.enqueue({ channel: 'hook', idempotencyKey: 'inject', payload: { body: '{}', headers: { 'X-Note': 'a\r\nX-Evil: 1' } } });
    expect(await dispatcher.drain({ timeoutMs: 5000 })).toBe(true);
    expect(await dispatcher.outbox.state('inject')).toBe('dead');
    expect(receiver.requests).toHaveLength(0);
  });

  it('delivers each idempotency key once, however often it is enqueued and however many passes race', async () => {
    const receiver = await startReceiver([]);
    const dispatcher = createDispatcher({ channels: [createHttpChannel({ name: 'hook', url: receiver.url })], retry: fast, concurrency: 3 });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => dispatcher.enqueue({ channel: 'hook', idempotencyKey: `k${i % 10}`, payload: '{}' })));
    expect(results.filter((r) => r.accepted)).toHaveLength(10);
    await Promise.all([dispatcher.processDue(), dispatcher.processDue(), dispatcher.processDue(), dispatcher.drain()]);
    expect((await dispatcher.enqueue({ channel: 'hook', idempotencyKey: 'k3', payload: '{}' })).state).toBe('delivered');
    await dispatcher.drain();
    expect(receiver.requests).toHaveLength(10);
    for (const count of receiver.delivered().values()) expect(count).toBe(1);
  });

  it('signs each attempt; the receiver verifies the signature', async () => {
    const receiver = await startReceiver(['fail']);
    const dispatcher = createDispatcher({ channels: [createHttpChannel({ name: 'hook', url: receiver.url, signingSecret: 's3cret', headers: { Authorization: 'Bearer t' } })], retry: fast });
    await dispatcher.enqueue({ channel: 'hook', idempotencyKey: 'signed', payload: { body: '{"hello":"world"}' } });
    await dispatcher.drain({ timeoutMs: 10_000 });
    for (const r of receiver.requests) {
      const result = await verifyWebhookSignature({ body: r.body, secret: 's3cret', timestamp: r.headers['x-vigil-timestamp'] as string, signature: r.headers['x-vigil-signature'] as string });
      expect(result).toEqual({ valid: true });
      expect(r.headers.authorization).toBe('Bearer t');
      expect(r.headers['content-type']).toBe('application/json');
    }
    expect(receiver.requests).toHaveLength(2);
  });

  it('the background loop delivers without drain(), and stop() leaves interrupted work pending', async () => {
    const receiver = await startReceiver(['hang']);
    const dispatcher = createDispatcher({ channels: [createHttpChannel({ name: 'hook', url: receiver.url, timeoutMs: 20_000 })], retry: fast });
    dispatcher.start();
    await dispatcher.enqueue({ channel: 'hook', idempotencyKey: 'x', payload: '{}' });
    await vi.waitFor(() => expect(receiver.requests).toHaveLength(1));
    await dispatcher.stop();
    expect(await dispatcher.outbox.list('pending')).toHaveLength(1);
    expect((await dispatcher.outbox.list('pending'))[0]?.attempts).toBe(0);
    const second = createDispatcher({ channels: [createHttpChannel({ name: 'hook', url: receiver.url })], outbox: dispatcher.outbox });
    second.start();
    await vi.waitFor(() => expect(receiver.delivered().get('x')).toBe(1));
    await second.stop();
  });
});

/** A manual clock: nothing happens until the test moves it. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, set: (t: number) => (now = t), advance: (ms: number) => (now += ms) };
}

/** A seeded PRNG (mulberry32) for the jitter. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('dispatcher timing with an injected clock and random', () => {
  it('backs off with full jitter: delay_n = floor(r_n × min(max, base × 2^(n−1))), then gives up (dead, kept)', async () => {
    const clock = manualClock();
    const draws: number[] = [];
    const rng = seeded(42);
    const random = () => {
      const r = rng();
      draws.push(r);
      return r;
    };
    const failing: NotificationChannel = { name: 'down', deliver: () => Promise.reject(new DeliveryError('SOURCE_ERROR', 'HTTP 503', { retryable: true, status: 503 })) };
    const dispatcher = createDispatcher({ channels: [failing], clock: clock.now, random, retry: { baseDelayMs: 1000, maxDelayMs: 8000, maxAttempts: 7 } });
    await dispatcher.enqueue({ channel: 'down', idempotencyKey: 'k', payload: 1 });
    const observed: number[] = [];
    for (let n = 1; n <= 6; n++) {
      expect(await dispatcher.processDue()).toBe(1);
      const [entry] = await dispatcher.outbox.list('pending');
      observed.push((entry?.nextAttemptAt ?? 0) - clock.now());
      expect(await dispatcher.processDue()).toBe(0); // not due yet
      clock.set(entry?.nextAttemptAt ?? 0);
    }
    const expected = draws.map((r, i) => Math.floor(r * Math.min(8000, 1000 * 2 ** i)));
    expect(observed).toEqual(expected);
    expect(await dispatcher.processDue()).toBe(1);
    expect(await dispatcher.outbox.state('k')).toBe('dead');
    expect(dispatcher.log().at(-1)).toMatchObject({ event: 'dead', attempt: 7 });
  });

  it('rate-limits per channel with a token bucket, without touching other channels', async () => {
    const clock = manualClock(0);
    const sent: { channel: string; at: number }[] = [];
    const channel = (name: string, rateLimit?: { capacity: number; refillPerSecond: number }): NotificationChannel => ({
      name,
      ...(rateLimit === undefined ? {} : { rateLimit }),
      deliver: () => {
        sent.push({ channel: name, at: clock.now() });
        return Promise.resolve();
      },
    });
    const dispatcher = createDispatcher({ channels: [channel('slow', { capacity: 2, refillPerSecond: 1 }), channel('free')], clock: clock.now });
    for (let i = 0; i < 5; i++) await dispatcher.enqueue({ channel: 'slow', idempotencyKey: `s${i}`, payload: i });
    for (let i = 0; i < 5; i++) await dispatcher.enqueue({ channel: 'free', idempotencyKey: `f${i}`, payload: i });
    for (let t = 0; t <= 4000; t += 250) {
      clock.set(t);
      await dispatcher.processDue();
    }
    expect(sent.filter((s) => s.channel === 'free').map((s) => s.at)).toEqual([0, 0, 0, 0, 0]);
    expect(sent.filter((s) => s.channel === 'slow').map((s) => s.at)).toEqual([0, 0, 1000, 2000, 3000]);
  });

  it('a transport that ignores its AbortSignal cannot hang the dispatcher', async () => {
    const never: NotificationChannel = { name: 'never', timeoutMs: 50, deliver: () => new Promise<void>(() => undefined) };
    const dispatcher = createDispatcher({ channels: [never], retry: fast });
    await dispatcher.enqueue({ channel: 'never', idempotencyKey: 'k', payload: 1 });
    expect(await dispatcher.processDue()).toBe(1);
    expect(dispatcher.log().at(-1)).toMatchObject({ event: 'retry-scheduled', error: 'never: no answer within 50 ms' });
  });

  it('e-mail and SMS channels pass the idempotency key and classify failures', async () => {
    const mails: unknown[] = [];
    let smtpFailure: unknown = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
    const email = createEmailChannel({
      name: 'email',
      transport: {
        sendMail: (message) => {
          if (smtpFailure !== undefined) return Promise.reject(smtpFailure);
          mails.push(message);
          return Promise.resolve({ messageId: '1' });
        },
      },
    });
    const smsSent: string[] = [];
    const sms = createSmsChannel({ name: 'sms', transport: { send: (m, context) => (smsSent.push(`${m.to}:${context.idempotencyKey}`), Promise.resolve()) } });
    const dispatcher = createDispatcher({ channels: [email, sms], retry: fast });
    await dispatcher.enqueue({ channel: 'email', idempotencyKey: 'e1', payload: { to: 'a@example.com', subject: 's', text: 't', html: '<p>t</p>' } });
    await dispatcher.enqueue({ channel: 'sms', idempotencyKey: 's1', payload: { to: '+15551234567', body: 'b' } });
    await dispatcher.drain({ timeoutMs: 5000 });
    expect(await dispatcher.outbox.state('e1')).toBe('dead'); // SMTP 5xx is permanent
    expect(smsSent).toEqual(['+15551234567:s1']);
    smtpFailure = Object.assign(new Error('try later'), { responseCode: 451 });
    await dispatcher.requeue('e1');
    await dispatcher.processDue();
    expect(await dispatcher.outbox.state('e1')).toBe('pending'); // 4xx is transient
    smtpFailure = undefined;
    await dispatcher.drain({ timeoutMs: 5000 });
    expect(mails).toEqual([{ to: 'a@example.com', subject: 's', text: 't', html: '<p>t</p>', headers: { 'X-Vigil-Idempotency-Key': 'e1' } }]);
  });
});

describe('validation and helpers', () => {
  it('rejects bad configuration and requests with ValidationErrors naming the field', () => {
    const ok: NotificationChannel = { name: 'a', deliver: () => Promise.resolve() };
    const cases: [() => unknown, string][] = [
      [() => createDispatcher({ channels: [ok, ok] }), 'options.channels[1].name'],
      [() => createDispatcher({ channels: [{ ...ok, rateLimit: { capacity: 0, refillPerSecond: 1 } }] }), 'options.channels[0].rateLimit.capacity'],
      [() => createDispatcher({ channels: [ok], retry: { maxAttempts: 0 } }), 'options.retry.maxAttempts'],
      [() => createDispatcher({ channels: [ok], timeoutMs: Number.NaN }), 'options.timeoutMs'],
      [() => createHttpChannel({ name: 'x', url: 'ftp://x' }), 'options.url'],
      [() => createHttpChannel({ name: '', url: 'https://x' }), 'options.name'],
      [() => createHttpChannel({ name: 'x', url: 'https://x', headers: { Authorization: 'Bearer t\r\nX-Evil: 1' } }), 'options.headers'],
      [() => createHttpChannel({ name: 'x', url: 'https://x', idempotencyHeader: 'Bad Header' }), 'options.idempotencyHeader'],
    ];
    for (const [make, path] of cases) {
      try {
        make();
        expect.unreachable(path);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).path).toBe(path);
      }
    }
  });

  it('rejects bad enqueue requests', async () => {
    const dispatcher = createDispatcher({ channels: [{ name: 'a', deliver: () => Promise.resolve() }] });
    await expect(dispatcher.enqueue({ channel: 'b', idempotencyKey: 'k', payload: 1 })).rejects.toThrow(/request\.channel/);
    await expect(dispatcher.enqueue({ channel: 'a', idempotencyKey: 'k\r\nX: y', payload: 1 })).rejects.toThrow(/request\.idempotencyKey/);
    await expect(dispatcher.enqueue({ channel: 'a', idempotencyKey: 'k', payload: undefined })).rejects.toThrow(/request\.payload/);
  });

  it('any malformed enqueue request or channel list is a ValidationError (fast-check)', async () => {
    const dispatcher = createDispatcher({ channels: [{ name: 'a', deliver: () => Promise.resolve() }] });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.anything(), fc.record({ channel: fc.anything(), idempotencyKey: fc.anything(), payload: fc.constant(1) })), async (request) => {
        const valid = typeof request === 'object' && request !== null && (request as { channel?: unknown }).channel === 'a' && typeof (request as { idempotencyKey?: unknown }).idempotencyKey === 'string';
        fc.pre(!valid);
        await expect(dispatcher.enqueue(request as never)).rejects.toBeInstanceOf(ValidationError);
      }),
      { numRuns: 200 },
    );
    fc.assert(
      // An empty list is a valid (if useless) configuration; anything else random is not.
      fc.property(fc.anything().filter((c) => !(Array.isArray(c) && c.length === 0)), (channels) => {
        expect(() => createDispatcher({ channels: channels as never })).toThrow(ValidationError);
      }),
      { numRuns: 200 },
    );
  });

  it('parses Retry-After seconds and dates; full jitter stays in [0, ceiling)', () => {
    expect(parseRetryAfter('120', 0)).toBe(120_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:00 GMT'))).toBe(60_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter('-1', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(fullJitterDelay(3, { baseDelayMs: 1000, maxDelayMs: 60_000 }, () => 0.999)).toBe(3996);
    expect(fullJitterDelay(30, { baseDelayMs: 1000, maxDelayMs: 60_000 }, () => 0.5)).toBe(30_000);
    expect(() => fullJitterDelay(0, { baseDelayMs: 1, maxDelayMs: 1 })).toThrow(ValidationError);
    const clock = manualClock(0);
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 2 }, clock.now);
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    expect(bucket.waitMs()).toBe(500);
    clock.advance(500);
    expect(bucket.take()).toBe(true);
  });

  it('MemoryOutbox forgets delivered keys only after the retention window', async () => {
    const outbox = new MemoryOutbox({ retainDeliveredMs: 1000 });
    const entry = { id: 'k', channel: 'a', payload: 1, createdAt: 0, attempts: 0, nextAttemptAt: 0 };
    expect(await outbox.add(entry)).toBe(true);
    await outbox.markDelivered('k', 10);
    expect(await outbox.add({ ...entry, createdAt: 500 })).toBe(false);
    expect(await outbox.add({ ...entry, createdAt: 1011 })).toBe(true);
  });
});

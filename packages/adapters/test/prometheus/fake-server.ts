import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake server saw, with its form/query parameters decoded. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly params: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
}

/** What to do with one request: answer, or misbehave. */
export type Reply =
  | { readonly status: number; readonly body: unknown; readonly headers?: Record<string, string> }
  | { readonly status: number; readonly raw: string; readonly headers?: Record<string, string> }
  /** Never answer (until the server closes). */
  | { readonly hang: true }
  /** Drop the connection without an answer. */
  | { readonly destroy: true }
  /** Stream `bytes` bytes of a JSON-looking body in chunks, without Content-Length, or with a (lying) one. */
  | { readonly huge: number; readonly contentLength?: number };

export interface FakePrometheus {
  readonly url: string;
  readonly requests: SeenRequest[];
  /** Queue replies; each request takes the next one, and the last one repeats. */
  reply(...replies: Reply[]): void;
  /** Always answer requests to `path` with `reply` (checked before the queue); cleared by `reply()`. */
  route(path: string, reply: Reply): void;
  /** Resolves when `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

/** A success envelope as Prometheus writes it. */
export const success = (data: unknown, extra: Record<string, unknown> = {}): Reply => ({ status: 200, body: { status: 'success', data, ...extra } });
/** An error envelope as Prometheus writes it. */
export const failure = (status: number, errorType: string, error: string, headers?: Record<string, string>): Reply => ({
  status,
  body: { status: 'error', errorType, error },
  ...(headers === undefined ? {} : { headers }),
});

/**
 * A stand-in for Prometheus on 127.0.0.1 (random port) that answers with queued canned or hostile replies and
 * records every request, so tests can count retries exactly.
 */
export async function startFakePrometheus(): Promise<FakePrometheus> {
  const requests: SeenRequest[] = [];
  let queue: Reply[] = [success([])];
  const routes = new Map<string, Reply>();
  const waiters: { count: number; resolve: () => void }[] = [];
  const hanging = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const params = req.method === 'POST' ? new URLSearchParams(Buffer.concat(chunks).toString('utf8')) : url.searchParams;
      requests.push({ method: req.method ?? '', path: url.pathname, params, headers: req.headers });
      for (const w of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      const reply = routes.get(url.pathname) ?? (queue.length > 1 ? (queue.shift() as Reply) : (queue[0] as Reply));
      if ('hang' in reply) {
        hanging.add(res);
        return;
      }
      if ('destroy' in reply) {
        req.socket.destroy();
        return;
      }
      if ('huge' in reply) {
        res.writeHead(200, { 'Content-Type': 'application/json', ...(reply.contentLength === undefined ? {} : { 'Content-Length': String(reply.contentLength) }) });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < reply.huge) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => undefined);
        pump();
        return;
      }
      const text = 'raw' in reply ? reply.raw : JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'Content-Type': 'raw' in reply ? 'text/html' : 'application/json', ...reply.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply(...replies) {
      queue = replies;
      routes.clear();
    },
    route(path, reply) {
      routes.set(path, reply);
    },
    waitForRequests(count) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

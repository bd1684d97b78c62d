import type { ResolvedService } from '../scenario';

/**
 * The call graph of the simulated fleet: what each route of each service does when it handles a request. A route's
 * plan is a list of steps run in order; a step marked `concurrent` runs beside the step before it, and a step with a
 * `repeat` range runs that many times (one after another, the N+1 pattern, unless `fanOut` runs the copies side by
 * side). Steps that name a service call that service's route; every other step is a leaf span of the caller.
 */
export type PlanStep =
  | {
      readonly kind: 'call';
      readonly service: string;
      readonly method: string;
      readonly route: string;
      /** A concrete path for `url.path` (the route with its parameters filled). */
      readonly path: string;
      readonly probability?: number;
      readonly repeat?: readonly [number, number];
      readonly fanOut?: boolean;
      readonly concurrent?: boolean;
    }
  | {
      readonly kind: 'db';
      readonly system: 'postgresql' | 'redis' | 'elasticsearch';
      /** Span name, such as `SELECT products`. */
      readonly name: string;
      readonly operation: string;
      readonly statement: string;
      readonly database: string;
      readonly typicalMs: number;
      readonly probability?: number;
      readonly repeat?: readonly [number, number];
      readonly fanOut?: boolean;
      readonly concurrent?: boolean;
    }
  | {
      readonly kind: 'rpc';
      readonly rpcService: string;
      readonly rpcMethod: string;
      readonly host: string;
      readonly typicalMs: number;
      readonly probability?: number;
      readonly concurrent?: boolean;
    }
  | { readonly kind: 'internal'; readonly name: string; readonly typicalMs: number; readonly probability?: number; readonly concurrent?: boolean }
  | { readonly kind: 'produce'; readonly topic: string; readonly typicalMs: number; readonly probability?: number; readonly concurrent?: boolean };

/** The plan of one route: its steps, plus the language its service is written in (for the resource). */
export type RoutePlan = readonly PlanStep[];

type DbStep = Extract<PlanStep, { kind: 'db' }>;
type DbExtra = Pick<DbStep, 'repeat' | 'probability'>;

const pg = (name: string, operation: string, statement: string, typicalMs: number, extra: DbExtra = {}): DbStep => ({
  kind: 'db',
  system: 'postgresql',
  name,
  operation,
  statement,
  database: 'shop',
  typicalMs,
  ...extra,
});
const redis = (command: string, key: string, typicalMs = 0.6, extra: DbExtra = {}): DbStep => ({
  kind: 'db',
  system: 'redis',
  name: command,
  operation: command,
  statement: `${command} ${key}`,
  database: '0',
  typicalMs,
  ...extra,
});

/** Plans of the default fleet (`defaultServices`), keyed by `service method route`. */
export const DEFAULT_PLANS: Readonly<Record<string, RoutePlan>> = {
  'frontend GET /': [
    { kind: 'call', service: 'auth', method: 'GET', route: '/session', path: '/session' },
    { kind: 'call', service: 'search', method: 'GET', route: '/suggest', path: '/suggest?q=trending', probability: 0.6, concurrent: true },
    { kind: 'call', service: 'inventory', method: 'GET', route: '/stock/:sku', path: '/stock/SKU-{n}', repeat: [3, 8], fanOut: true },
    { kind: 'internal', name: 'render home', typicalMs: 6 },
  ],
  'frontend GET /product/:id': [
    { kind: 'call', service: 'auth', method: 'GET', route: '/session', path: '/session' },
    pg('SELECT products', 'SELECT', 'SELECT id, name, price FROM products WHERE id = $1', 2.5),
    { kind: 'call', service: 'inventory', method: 'GET', route: '/stock/:sku', path: '/stock/SKU-{n}', concurrent: true },
    { kind: 'call', service: 'search', method: 'GET', route: '/search', path: '/search?related={n}', probability: 0.4 },
    { kind: 'internal', name: 'render product', typicalMs: 4 },
  ],
  'frontend GET /cart': [
    { kind: 'call', service: 'auth', method: 'GET', route: '/session', path: '/session' },
    redis('GET', 'cart:{n}'),
    // N+1: one stock lookup per cart line, one after another
    { kind: 'call', service: 'inventory', method: 'GET', route: '/stock/:sku', path: '/stock/SKU-{n}', repeat: [1, 9] },
    { kind: 'internal', name: 'render cart', typicalMs: 3 },
  ],
  'frontend POST /cart': [
    { kind: 'call', service: 'auth', method: 'POST', route: '/token', path: '/token' },
    { kind: 'call', service: 'inventory', method: 'POST', route: '/reserve', path: '/reserve' },
    redis('SET', 'cart:{n}'),
  ],
  'checkout POST /checkout': [
    { kind: 'call', service: 'auth', method: 'POST', route: '/token', path: '/token' },
    { kind: 'rpc', rpcService: 'fraud.v1.FraudService', rpcMethod: 'Score', host: 'fraud.risk.internal', typicalMs: 18, concurrent: true },
    { kind: 'call', service: 'inventory', method: 'POST', route: '/reserve', path: '/reserve' },
    { kind: 'call', service: 'payments', method: 'POST', route: '/charge', path: '/charge' },
    pg('INSERT orders', 'INSERT', 'INSERT INTO orders (id, customer_id, total) VALUES ($1, $2, $3)', 3),
    { kind: 'produce', topic: 'orders', typicalMs: 2 },
  ],
  'checkout GET /checkout/:id': [
    pg('SELECT orders', 'SELECT', 'SELECT * FROM orders WHERE id = $1', 2),
    // N+1: the order's lines fetched one by one
    pg('SELECT order_items', 'SELECT', 'SELECT * FROM order_items WHERE order_id = $1 AND line = $2', 1.2, { repeat: [3, 24] }),
  ],
  'payments POST /charge': [
    pg('SELECT accounts', 'SELECT', 'SELECT id, status FROM accounts WHERE customer_id = $1', 2),
    { kind: 'rpc', rpcService: 'bank.v2.LedgerService', rpcMethod: 'Authorize', host: 'ledger.bank.example', typicalMs: 90 },
    pg('INSERT charges', 'INSERT', 'INSERT INTO charges (id, account_id, amount) VALUES ($1, $2, $3)', 2.5),
  ],
  'payments POST /refund': [
    pg('SELECT charges', 'SELECT', 'SELECT * FROM charges WHERE id = $1', 2),
    { kind: 'rpc', rpcService: 'bank.v2.LedgerService', rpcMethod: 'Reverse', host: 'ledger.bank.example', typicalMs: 120 },
    pg('UPDATE charges', 'UPDATE', 'UPDATE charges SET refunded = true WHERE id = $1', 2),
  ],
  'search GET /search': [
    redis('GET', 'search:{n}', 0.5),
    { kind: 'db', system: 'elasticsearch', name: 'POST /products/_search', operation: 'search', statement: '{"query":{"match":{"name":"?"}},"size":20}', database: 'products', typicalMs: 22 },
    // N+1: every hit's price looked up on its own
    pg('SELECT prices', 'SELECT', 'SELECT price FROM prices WHERE product_id = $1', 0.9, { repeat: [4, 20] }),
  ],
  'search GET /suggest': [redis('GET', 'suggest:{n}', 0.4), { kind: 'internal', name: 'rank suggestions', typicalMs: 3 }],
  'inventory GET /stock/:sku': [redis('GET', 'stock:{n}', 0.4), pg('SELECT stock', 'SELECT', 'SELECT quantity FROM stock WHERE sku = $1', 1.5, { probability: 0.5 })],
  'inventory POST /reserve': [
    pg('BEGIN', 'BEGIN', 'BEGIN', 0.3),
    pg('UPDATE stock', 'UPDATE', 'UPDATE stock SET quantity = quantity - $1 WHERE sku = $2 AND quantity >= $1', 2.5),
    pg('COMMIT', 'COMMIT', 'COMMIT', 0.8),
  ],
  'auth POST /token': [pg('SELECT users', 'SELECT', 'SELECT id, password_hash FROM users WHERE email = $1', 1.5), { kind: 'internal', name: 'sign jwt', typicalMs: 2 }],
  'auth GET /session': [redis('GET', 'session:{n}', 0.4)],
};

/** The language each default service is written in (its `telemetry.sdk.language`). */
export const DEFAULT_LANGUAGES: Readonly<Record<string, string>> = {
  frontend: 'nodejs',
  checkout: 'go',
  payments: 'java',
  search: 'python',
  inventory: 'go',
  auth: 'rust',
};

/** A resolved plan step: service calls point at a service index and route index of the configured fleet. */
export type ResolvedStep =
  | (Extract<PlanStep, { kind: 'call' }> & { readonly serviceIndex: number; readonly routeIndex: number })
  | Exclude<PlanStep, { kind: 'call' }>;

/** Every route's steps, with what a trace starting there can contain (to skip traces a search cannot match). */
export interface ResolvedPlans {
  /** steps[service][route]. */
  readonly steps: readonly (readonly (readonly ResolvedStep[])[])[];
  /** Services that may appear in a trace rooted at [service][route]. */
  readonly reachableServices: readonly (readonly ReadonlySet<string>[])[];
  /** Span names that may appear in a trace rooted at [service][route]. */
  readonly reachableOperations: readonly (readonly ReadonlySet<string>[])[];
}

/**
 * The name of the span a step makes on the caller's side: `GET /stock/:sku` for a call, the statement's name for a
 * database step (`SELECT order_items`), `service/method` for gRPC, `topic publish` for Kafka.
 *
 * @example
 * leafSpanName({ kind: 'produce', topic: 'orders', typicalMs: 2 }); // 'orders publish'
 */
export function leafSpanName(step: PlanStep): string {
  switch (step.kind) {
    case 'call':
      return `${step.method} ${step.route}`;
    case 'db':
    case 'internal':
      return step.name;
    case 'rpc':
      return `${step.rpcService}/${step.rpcMethod}`;
    case 'produce':
      return `${step.topic} publish`;
  }
}

/**
 * Resolves the plans against the configured services: the default plans where names and routes match, and for any
 * other route a generic plan (a database query, and a call to the next service's first route half of the time, so
 * that custom fleets get cross-service traces too). Calls only go to routes that exist, and never back up the list
 * for generic plans, so the graph has no cycles.
 */
export function resolvePlans(services: readonly ResolvedService[]): ResolvedPlans {
  const byName = new Map(services.map((s) => [s.name, s]));
  const steps = services.map((service) =>
    service.routes.map((route): ResolvedStep[] => {
      const plan = DEFAULT_PLANS[`${service.name} ${route.method} ${route.route}`];
      if (plan !== undefined) {
        const out: ResolvedStep[] = [];
        for (const step of plan) {
          if (step.kind !== 'call') {
            out.push(step);
            continue;
          }
          const callee = byName.get(step.service);
          const routeIndex = callee?.routes.findIndex((r) => r.method === step.method && r.route === step.route) ?? -1;
          if (callee !== undefined && routeIndex >= 0 && callee.index > service.index) out.push({ ...step, serviceIndex: callee.index, routeIndex });
        }
        return out;
      }
      const generic: ResolvedStep[] = [pg(`SELECT ${service.name}`, 'SELECT', `SELECT * FROM ${service.name.replace(/[^A-Za-z0-9_]/g, '_')} WHERE id = $1`, 2)];
      const next = services[service.index + 1];
      if (next !== undefined) {
        const r = next.routes[0]!;
        generic.push({ kind: 'call', service: next.name, method: r.method, route: r.route, path: r.route, probability: 0.5, serviceIndex: next.index, routeIndex: 0 });
      }
      return generic;
    }),
  );
  // Reachability: callees always have a higher index, so walking services from the last one down sees callees first.
  const reachableServices: Set<string>[][] = services.map(() => []);
  const reachableOperations: Set<string>[][] = services.map(() => []);
  for (let s = services.length - 1; s >= 0; s--) {
    const service = services[s]!;
    service.routes.forEach((route, r) => {
      const names = new Set<string>([service.name]);
      const operations = new Set<string>([`${route.method} ${route.route}`]);
      for (const step of steps[s]![r]!) {
        operations.add(leafSpanName(step));
        if (step.kind === 'call') {
          for (const x of reachableServices[step.serviceIndex]![step.routeIndex]!) names.add(x);
          for (const x of reachableOperations[step.serviceIndex]![step.routeIndex]!) operations.add(x);
        }
      }
      reachableServices[s]![r] = names;
      reachableOperations[s]![r] = operations;
    });
  }
  return { steps, reachableServices, reachableOperations };
}

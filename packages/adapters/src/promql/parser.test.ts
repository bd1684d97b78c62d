import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SourceError, VigilError } from '@vigil/core';
import type { Expr } from './ast';
import { childrenOf } from './ast';
import { formatPromQL } from './format';
import { PromQLError, tokenize } from './lexer';
import { MAX_QUERY_LENGTH, parsePromQL } from './parser';

/** The tree without positions, for structural comparison. */
function strip(expr: Expr): unknown {
  return JSON.parse(JSON.stringify(expr, (key, value: unknown) => (key === 'start' || key === 'end' ? undefined : value)));
}

function errorOf(query: string): PromQLError {
  try {
    parsePromQL(query);
  } catch (error) {
    expect(error).toBeInstanceOf(PromQLError);
    return error as PromQLError;
  }
  throw new Error(`expected ${JSON.stringify(query)} to fail`);
}

describe('tokenize', () => {
  it('reads numbers, durations, strings and operators', () => {
    const tokens = tokenize('rate(x{a=~"5.."}[1h30m]) >= 1.5e3 + 0x10 - Inf');
    expect(tokens.map((t) => t.text)).toEqual(['rate', '(', 'x', '{', 'a', '=~', '"5.."', '}', '[', '1h30m', ']', ')', '>=', '1.5e3', '+', '0x10', '-', 'Inf', '']);
    expect(tokens[9]).toMatchObject({ kind: 'duration', number: 5_400_000 });
    expect(tokens[13]).toMatchObject({ kind: 'number', number: 1500 });
    expect(tokens[15]).toMatchObject({ kind: 'number', number: 16 });
    expect(tokens[17]).toMatchObject({ kind: 'number', number: Infinity });
  });

  it('unescapes strings like Go', () => {
    const [token] = tokenize(String.raw`"a\"b\\c\n\t\x41\u00e9\U0001F600\101"`);
    expect(token!.string).toBe('a"b\\c\n\tAé😀A');
    expect(tokenize("'it\\'s'")[0]!.string).toBe("it's");
    expect(tokenize('`raw\\n`')[0]!.string).toBe('raw\\n');
  });

  it('skips comments', () => {
    expect(tokenize('up # the up metric\n+ 1').map((t) => t.text)).toEqual(['up', '+', '1', '']);
  });
});

describe('parsePromQL', () => {
  it('parses the demo queries', () => {
    const ratio = parsePromQL('sum by (service) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m]))');
    expect(ratio.type).toBe('Binary');
    if (ratio.type !== 'Binary') return;
    expect(ratio.op).toBe('/');
    expect(ratio.lhs).toMatchObject({ type: 'Aggregate', op: 'sum', grouping: { mode: 'by', labels: ['service'] } });
    const quantile = parsePromQL('histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{service="checkout"}[5m])))');
    expect(quantile).toMatchObject({ type: 'Call', func: 'histogram_quantile', args: [{ type: 'NumberLiteral', value: 0.99 }, { type: 'Aggregate' }] });
  });

  it('builds selectors with every matcher, range and offset', () => {
    const expr = parsePromQL('rate(x{a="1", b!="2", c=~"3|4", d!~"5.*",}[5m] offset 1h)');
    expect(expr.type).toBe('Call');
    if (expr.type !== 'Call') return;
    expect(expr.args[0]).toMatchObject({
      type: 'MatrixSelector',
      rangeMs: 300_000,
      selector: {
        metric: 'x',
        offsetMs: 3_600_000,
        matchers: [
          { name: '__name__', op: '=', value: 'x' },
          { name: 'a', op: '=', value: '1' },
          { name: 'b', op: '!=', value: '2' },
          { name: 'c', op: '=~', value: '3|4' },
          { name: 'd', op: '!~', value: '5.*' },
        ],
      },
    });
  });

  it('follows Prometheus precedence and associativity', () => {
    // 1 + 2 * 3 ^ 2 ^ 1 - 4  ==  (1 + (2 * (3 ^ (2 ^ 1)))) - 4
    const expr = parsePromQL('1 + 2 * 3 ^ 2 ^ 1 - 4');
    expect(formatPromQL(expr)).toBe('1 + 2 * 3 ^ 2 ^ 1 - 4');
    expect(expr).toMatchObject({
      op: '-',
      lhs: { op: '+', rhs: { op: '*', rhs: { op: '^', lhs: { value: 3 }, rhs: { op: '^' } } } },
      rhs: { value: 4 },
    });
    // Unary minus binds looser than ^.
    expect(parsePromQL('-x ^ 2')).toMatchObject({ type: 'Unary', op: '-', expr: { type: 'Binary', op: '^' } });
    expect(parsePromQL('a > bool on (x) b')).toMatchObject({ op: '>', returnBool: true, matching: { mode: 'on', labels: ['x'] } });
  });

  it('accepts the grouping after the aggregation too', () => {
    expect(strip(parsePromQL('sum(rate(x[5m])) by (a)'))).toEqual(strip(parsePromQL('sum by (a) (rate(x[5m]))')));
  });

  it.each([
    ['', 0, 'empty query'],
    ['rate(x)', 5, 'range vector'],
    ['sum by (a (x)', 10, 'expected'],
    ['x{a="b"', 7, 'expected'],
    ['x{a=b}', 4, 'quoted label value'],
    ['x{a~"b"}', 3, 'unexpected character'],
    ['x[5]', 2, 'duration'],
    ['x[5m', 4, 'to close the range'],
    ['foo(x)', 0, 'unknown or unsupported function'],
    ['x[5m]', 0, 'range vector cannot be the result'],
    ['1 > 2', 2, 'bool modifier'],
    ['x + "s"', 4, 'scalar or instant vector'],
    ['x and y', 2, 'not supported'],
    ['topk(3, x)', 0, 'not supported'],
    ['x{a=~"(a+)+"}', 5, 'nested quantifiers'],
    ['x{a=~"("}', 5, 'invalid regex'],
    ['{a=""}', 0, 'at least one matcher'],
    ['x @ 100', 2, '@ modifier'],
    ['x[5m:1m]', 4, 'subqueries'],
    ['"abc', 0, 'unterminated'],
    ['x{a="\\q"}', 5, 'unknown escape'],
    ['1 +', 3, 'unexpected end'],
    ['histogram_quantile(x, y)', 19, 'argument 1'],
    ['rate(x[5m], 1)', 0, 'takes 1 argument'],
    ['x[1m1h]', 2, 'largest first'],
    ['5e', 0, 'exponent'],
  ])('reports %j at position %i', (query, position, fragment) => {
    const error = errorOf(query);
    expect(error.code).toBe('BAD_QUERY');
    expect(error).toBeInstanceOf(SourceError);
    expect(error.position).toBe(position);
    expect(error.message).toContain(fragment);
    expect(error.message).toContain(`at position ${position}`);
  });

  it('caps query length and nesting depth', () => {
    expect(errorOf('x'.repeat(MAX_QUERY_LENGTH + 1)).message).toContain('limit');
    expect(errorOf(`${'('.repeat(200)}1${')'.repeat(200)}`).message).toContain('nested');
    expect(errorOf(`${'abs('.repeat(100)}x${')'.repeat(100)}`).message).toContain('nested');
    expect(errorOf(Array.from({ length: 300 }, () => 'x').join(' + ')).message).toContain('nested');
    expect(() => parsePromQL(Array.from({ length: 100 }, () => 'x').join(' + '))).not.toThrow();
  });

  it('never throws anything but a SourceError, for any string', { timeout: 30_000 }, () => {
    const alphabet = fc.constantFrom(...'()[]{},=!~<>+-*/%^@:"\'`\\ \n.0123456789eEmshxyz_abcrt'.split(''), 'rate', 'sum', 'by', ' offset ', '[5m]', '{a="b"}', 'bool', 'on');
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join(''))), (query) => {
        try {
          const expr = parsePromQL(query);
          // Whatever parses must format to something that parses to the same tree.
          expect(strip(parsePromQL(formatPromQL(expr)))).toEqual(strip(expr));
        } catch (error) {
          if (!(error instanceof VigilError)) throw error;
          expect(error).toBeInstanceOf(SourceError);
          expect((error as SourceError).code).toBe('BAD_QUERY');
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips generated trees through formatPromQL', { timeout: 30_000 }, () => {
    const labelName = fc.constantFrom('a', 'service', 'le', 'code', '_x1');
    const labelValue = fc.string({ maxLength: 8, unit: 'grapheme' });
    const matcher = fc.record({ name: labelName, op: fc.constantFrom('=' as const, '!=' as const), value: labelValue });
    const selector = fc
      .record({ metric: fc.constantFrom('up', 'http_requests_total', 'a:b_c'), matchers: fc.array(matcher, { maxLength: 3 }), offsetMs: fc.constantFrom(0, 60_000, -300_000, 5_400_000) })
      .map(({ metric, matchers, offsetMs }): Expr => ({ type: 'VectorSelector', metric, matchers: [{ name: '__name__', op: '=', value: metric }, ...matchers], offsetMs, start: 0, end: 0 }));
    const number = fc.oneof(fc.double({ min: 0, noNaN: true }), fc.constant(Infinity)).map((value): Expr => ({ type: 'NumberLiteral', value, start: 0, end: 0 }));
    const paren = (expr: Expr): Expr => (expr.type === 'Binary' || expr.type === 'Unary' ? { type: 'Paren', expr, start: 0, end: 0 } : expr);
    const { tree } = fc.letrec<{ tree: Expr; vector: Expr }>((tie) => ({
      vector: fc.oneof(
        { depthSize: 'small' },
        selector,
        selector.chain((s) =>
          fc.constantFrom('rate', 'increase', 'max_over_time').map((func): Expr => ({
            type: 'Call',
            func: func as 'rate',
            args: [{ type: 'MatrixSelector', selector: s as Expr & { type: 'VectorSelector' }, rangeMs: 300_000, start: 0, end: 0 }],
            start: 0,
            end: 0,
          })),
        ),
        fc
          .record({ op: fc.constantFrom('sum' as const, 'max' as const), mode: fc.constantFrom('by' as const, 'without' as const, undefined), labels: fc.array(labelName, { maxLength: 2 }), expr: tie('vector') })
          .map(({ op, mode, labels, expr }): Expr => ({ type: 'Aggregate', op, grouping: mode === undefined ? undefined : { mode, labels }, expr, start: 0, end: 0 })),
        tie('vector').map((expr): Expr => ({ type: 'Unary', op: '-', expr: paren(expr), start: 0, end: 0 })),
        fc
          .record({ op: fc.constantFrom('+' as const, '/' as const, '^' as const, '>' as const), lhs: tie('vector'), rhs: fc.oneof(tie('vector'), number), bool: fc.boolean() })
          .map(({ op, lhs, rhs, bool }): Expr => ({ type: 'Binary', op, lhs: paren(lhs), rhs: paren(rhs), matching: undefined, returnBool: op === '>' && bool, start: 0, end: 0 })),
      ),
      tree: fc.oneof(tie('vector'), tie('vector').map((expr): Expr => ({ type: 'Call', func: 'histogram_quantile', args: [{ type: 'NumberLiteral', value: 0.9, start: 0, end: 0 }, expr], start: 0, end: 0 }))),
    }));
    fc.assert(
      fc.property(tree, (expr) => {
        const text = formatPromQL(expr);
        expect(strip(parsePromQL(text))).toEqual(strip(expr));
      }),
      { numRuns: 500 },
    );
  });

  it('gives every node a span inside the query that covers its children', () => {
    const query = 'sum by (a) (rate(x{b="c"}[5m] offset 1m)) / on (a) -max(y) * 2';
    const stack: Expr[] = [parsePromQL(query)];
    while (stack.length > 0) {
      const node = stack.pop()!;
      expect(node.start).toBeGreaterThanOrEqual(0);
      expect(node.end).toBeLessThanOrEqual(query.length);
      for (const child of childrenOf(node)) {
        expect(child.start).toBeGreaterThanOrEqual(node.start);
        expect(child.end).toBeLessThanOrEqual(node.end);
        stack.push(child);
      }
    }
    const parsed = parsePromQL(query);
    expect(query.slice(parsed.start, parsed.end)).toBe(query);
  });
});

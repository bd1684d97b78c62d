import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '@vigil/core';
import { escapeLabelValue, escapeRegex, formatPromQL, formatSelector } from './format';
import { formatDuration, tokenize } from './lexer';
import { compileLabelRegex } from './matchers';
import { parsePromQL } from './parser';

const HOSTILE = ['', 'plain', 'say "hi"', 'back\\slash', 'trailing\\', '"}', '"} or vector(1) #', 'new\nline', 'cr\rlf\r\n', 'tab\t', '\u0000nul\u0007bell\u007f', "it's", '`tick`', 'é中文😀', '\u2028\u2029', '{a="b"}', '\\"', '\\x41'];

describe('escapeLabelValue', () => {
  it.each(HOSTILE)('%j reads back exactly as one string literal', (value) => {
    const escaped = escapeLabelValue(value);
    expect([...escaped].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)).toBe(false);
    const tokens = tokenize(`"${escaped}"`);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).toMatchObject({ kind: 'string', string: value });
  });

  // Code points of every kind: ASCII (with controls, quotes, backslashes), the BMP without surrogates, astral planes.
  const codePoint = fc.oneof(
    fc.integer({ min: 0, max: 0x7f }),
    fc.integer({ min: 0x80, max: 0xffff }).filter((c) => c < 0xd800 || c > 0xdfff),
    fc.integer({ min: 0x10000, max: 0x10ffff }),
  );
  const wellFormedString = fc.array(codePoint, { maxLength: 40 }).map((points) => String.fromCodePoint(...points));

  it('round-trips any well-formed string (property)', { timeout: 30_000 }, () => {
    fc.assert(
      fc.property(wellFormedString, (value) => {
        const tokens = tokenize(`"${escapeLabelValue(value)}"`);
        expect(tokens[0]!.string).toBe(value);
        expect(tokens[1]!.kind).toBe('eof');
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses unpaired surrogates with a ValidationError', () => {
    expect(() => escapeLabelValue('a\ud800b')).toThrow(ValidationError);
    expect(() => escapeLabelValue('\udc00')).toThrow(ValidationError);
    expect(() => escapeLabelValue(42 as unknown as string)).toThrow(ValidationError);
  });
});

describe('formatSelector', () => {
  it('quotes every value so the selector parses back to the same matchers', () => {
    for (const value of HOSTILE) {
      const text = formatSelector('http_requests_total', [
        { name: 'service', op: '=', value },
        { name: 'route', op: '!=', value },
      ]);
      const expr = parsePromQL(text);
      expect(expr).toMatchObject({
        type: 'VectorSelector',
        matchers: [
          { name: '__name__', op: '=', value: 'http_requests_total' },
          { name: 'service', op: '=', value },
          { name: 'route', op: '!=', value },
        ],
      });
    }
  });

  it('accepts a record and builds regexes from literal values with escapeRegex', () => {
    expect(formatSelector('up', { service: 'checkout' })).toBe('up{service="checkout"}');
    expect(formatSelector('up')).toBe('up');
    const picked = ['a.b', 'c|d', 'e\\f', '(g)'];
    const regex = picked.map(escapeRegex).join('|');
    const expr = parsePromQL(formatSelector('up', [{ name: 'service', op: '=~', value: regex }]));
    expect(expr.type === 'VectorSelector' && expr.matchers[1]!.value).toBe(regex);
    const compiled = compileLabelRegex(regex);
    for (const value of picked) expect(compiled.test(value)).toBe(true);
    expect(compiled.test('aXb')).toBe(false);
    expect(compiled.test('c')).toBe(false);
  });

  it('rejects bad names and operators with paths', () => {
    expect(() => formatSelector('bad-name', {})).toThrow(expect.objectContaining({ path: 'metric' }));
    expect(() => formatSelector('up', [{ name: 'a.b', op: '=', value: 'x' }])).toThrow(expect.objectContaining({ path: 'matchers[0].name' }));
    expect(() => formatSelector('up', [{ name: 'a', op: '~' as '=', value: 'x' }])).toThrow(expect.objectContaining({ path: 'matchers[0].op' }));
    expect(() => formatSelector('up', { a: 'x\udfff' })).toThrow(expect.objectContaining({ path: 'matchers.a.value' }));
    expect(() => formatSelector(undefined, [])).toThrow(ValidationError);
  });
});

describe('formatPromQL', () => {
  it.each([
    ['sum by(service)(rate(x{a="b"}[5m]))', 'sum by (service) (rate(x{a="b"}[5m]))'],
    ['rate(x[90m] offset 1d)', 'rate(x[1h30m] offset 1d)'],
    ["x{a='q\"'}", 'x{a="q\\""}'],
    ['-1 + - 1', '-1 + - 1'],
    ['a / on(x) b', 'a / on (x) b'],
    ['{__name__=~"up|down"}', '{__name__=~"up|down"}'],
    ['1 > bool Inf', '1 > bool Inf'],
  ])('formats %j as %j', (query, expected) => {
    expect(formatPromQL(parsePromQL(query))).toBe(expected);
  });

  it('adds parentheses that precedence requires in hand-built trees', () => {
    const one = { type: 'NumberLiteral' as const, value: 1, start: 0, end: 0 };
    const sum = { type: 'Binary' as const, op: '+' as const, lhs: one, rhs: one, matching: undefined, returnBool: false, start: 0, end: 0 };
    const product = { ...sum, op: '*' as const, lhs: sum, rhs: sum };
    expect(formatPromQL(product)).toBe('(1 + 1) * (1 + 1)');
    const difference = { ...sum, op: '-' as const, lhs: one, rhs: sum };
    expect(formatPromQL(difference)).toBe('1 - (1 + 1)');
  });

  it('formats durations largest unit first', () => {
    expect(formatDuration(300_000)).toBe('5m');
    expect(formatDuration(90_061_001)).toBe('1d1h1m1s1ms');
    expect(formatDuration(-60_000)).toBe('-1m');
  });
});

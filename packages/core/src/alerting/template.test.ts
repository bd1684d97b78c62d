import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { VigilError } from '../errors';
import { humanize, humanizeDuration, parseTemplate, renderTemplate, TEMPLATE_OUTPUT_MAX } from './template';
import type { TemplateContext } from './template';

const context: TemplateContext = { labels: { service: 'checkout', job: 'api' }, value: 1234.5, severity: 'warning', rule: 'HighLatency' };
const render = (source: string, ctx = context) => renderTemplate(parseTemplate(source), ctx);

describe('templates', () => {
  it('renders labels, value, severity and rule with filters', () => {
    expect(render('{{ $labels.service }} p95 {{ $value | humanize }}s ({{$severity|toUpper}}, {{ $rule | toLower }})')).toBe('checkout p95 1.234ks (WARNING, highlatency)');
    expect(render('{{ $value }}')).toBe('1234.5');
    expect(render('{{ $value | humanizePercentage }}', { ...context, value: 0.1234 })).toBe('12.34%');
    expect(render('{{ $value | humanizeDuration }}', { ...context, value: 3725 })).toBe('1h 2m 5s');
  });
  it('documented behaviour for unknown labels and missing values: empty string', () => {
    expect(render('[{{ $labels.nope }}]')).toBe('[]');
    expect(render('[{{ $value | humanize }}]', { ...context, value: null })).toBe('[]');
    expect(render('[{{ $value }}]', { ...context, value: NaN })).toBe('[]');
  });
  it('never executes anything: label values are inserted as text, never re-parsed', () => {
    const out = render('{{ $labels.service }}', { ...context, labels: { service: '{{ $value }}<script>alert(1)</script>' } });
    expect(out).toBe('{{ $value }}<script>alert(1)</script>');
  });
  it('rejects everything outside the language with a typed error', () => {
    for (const bad of ['{{ .Labels.x }}', '{{ $labels }}', '{{ $labels.x | printf "%s" }}', '{{ $value | exec }}', '{{ constructor }}', '{{ $labels.__proto__.x }}', '{{ $labels.x', '{{ template "x" }}', '{{ $labels.a-b }}']) {
      expect(() => parseTemplate(bad, 'annotations.summary')).toThrow(VigilError);
    }
    try {
      parseTemplate('{{ .Foo }}', 'rules[2].annotations.summary');
    } catch (error) {
      expect((error as VigilError).path).toBe('rules[2].annotations.summary');
    }
  });
  it('caps length, action count and strips control characters', () => {
    expect(() => parseTemplate('x'.repeat(5000))).toThrow(/at most 4096/);
    expect(() => parseTemplate('{{ $value }}'.repeat(65))).toThrow(/at most 64/);
    const long = render('{{ $labels.service }}{{ $labels.service }}', { ...context, labels: { service: 'y'.repeat(3000) } });
    expect(long.length).toBe(TEMPLATE_OUTPUT_MAX);
    expect(long.endsWith('…')).toBe(true);
    expect(render('{{ $labels.service }}', { ...context, labels: { service: 'a\u0000b\u001bc\nd\te\u009b' } })).toBe('abc\nd\te');
  });
  it('any input either parses and renders plain text or throws a ValidationError (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 20 })), fc.oneof(fc.double(), fc.constant(null)), (source, labels, value) => {
        let template;
        try {
          template = parseTemplate(source);
        } catch (error) {
          expect(error).toBeInstanceOf(VigilError);
          return;
        }
        const out = renderTemplate(template, { labels, value, severity: 'critical', rule: 'R' });
        expect(typeof out).toBe('string');
        expect(out.length).toBeLessThanOrEqual(TEMPLATE_OUTPUT_MAX);
      }),
      { numRuns: 500 },
    );
  });
});

describe('%.4g as Go formats it', () => {
  const percentage = (value: number) => render('{{ $value | humanizePercentage }}', { ...context, value });
  it('takes the exponent form from the value rounded to four digits', () => {
    // 9999.7 rounds to 1.000e+04: exponent 4, not below the precision, so Go prints 1e+04 (not 10000).
    expect(percentage(99.997)).toBe('1e+04%');
    expect(percentage(99.99)).toBe('9999%');
    // 9.9996e-05 rounds to 1.000e-04: exponent -4, so the fixed form.
    expect(percentage(9.9996e-7)).toBe('0.0001%');
    expect(percentage(1.234e-7)).toBe('1.234e-05%');
    expect(percentage(12.5)).toBe('1250%');
    expect(percentage(-0.5)).toBe('-50%');
    expect(percentage(1e21)).toBe('1e+23%');
  });
  it('keeps the value toPrecision(4) rounds to, in the form the rounded exponent picks (fast-check)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }), (value) => {
        fc.pre(value !== 0 && Number.isFinite(value * 100));
        const out = percentage(value);
        const rounded = Number((value * 100).toPrecision(4));
        expect(Number(out.slice(0, -1))).toBe(rounded);
        const exponent = Number(rounded.toExponential().split('e')[1]);
        expect(out.includes('e')).toBe(exponent < -4 || exponent >= 4);
        expect(out).not.toMatch(/\.0*(e|%)|\.$|0+e/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('humanize (Prometheus template_test.go cases)', () => {
  it.each([
    [0, '0'],
    [1, '1'],
    [12, '12'],
    [123, '123'],
    [1234, '1.234k'],
    [12345, '12.35k'],
    [1234567, '1.235M'],
    [12345678, '12.35M'],
    [123456789, '123.5M'],
    [0.1, '100m'],
    [0.0001, '100u'],
    [0.000001, '1u'],
    [-1234567, '-1.235M'],
    [Infinity, '+Inf'],
    [NaN, 'NaN'],
  ])('humanize(%s) = %s', (value, expected) => {
    expect(humanize(value)).toBe(expected);
  });
  it.each([
    [0, '0s'],
    [1, '1s'],
    [60, '1m 0s'],
    [3600, '1h 0m 0s'],
    [86400, '1d 0h 0m 0s'],
    [86400 + 3600 + 60 + 1, '1d 1h 1m 1s'],
    [1.5, '1.5s'],
    [0.1, '100ms'],
    [0.001, '1ms'],
    [0.000001, '1us'],
  ])('humanizeDuration(%s) = %s', (value, expected) => {
    expect(humanizeDuration(value)).toBe(expected);
  });
});

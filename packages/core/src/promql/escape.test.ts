import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapePromQLString, yamlString } from './index';

/** Reference escapers, one code point at a time (the straightforward form the fast versions must equal). */
function referencePromQL(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

function referenceYaml(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code === 0x2028 || code === 0x2029 || code === 0xfeff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Strings rich in the characters that need escaping, plus any UTF-16 (lone surrogates included). */
const tricky = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'é', '\\', '"', '\n', '\r', '\t', '\u0000', '\u001f', '\u007f', '\u0085', '\u009f', '\u00a0', '\u2028', '\u2029', '\ufeff', '😀', '{', '}') }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
);

describe('escaping for rule files (regular-expression fast paths)', () => {
  it('equals the one-code-point-at-a-time reference on any string', () => {
    fc.assert(
      fc.property(tricky, (value) => {
        expect(escapePromQLString(value)).toBe(referencePromQL(value));
        expect(yamlString(value)).toBe(referenceYaml(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves plain text alone and escapes the rest', () => {
    expect(yamlString('http_requests_total{code="5.."}')).toBe('"http_requests_total{code=\\"5..\\"}"');
    expect(yamlString('plain')).toBe('"plain"');
    expect(yamlString('\u0085\u2028')).toBe('"\\x85\\u2028"');
    expect(escapePromQLString('a\u0001')).toBe('a\\x01');
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '../errors';
import { toCsv, toCsvCell } from './csv';

/** A small RFC 4180 reader, used only to check that what we write reads back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  return rows;
}

describe('toCsvCell', () => {
  it('neutralises formula triggers with a leading quote', () => {
    expect(toCsvCell('=1+1')).toBe("'=1+1");
    expect(toCsvCell('+1')).toBe("'+1");
    expect(toCsvCell('-1')).toBe("'-1");
    expect(toCsvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(toCsvCell('\tx')).toBe("'\tx");
    expect(toCsvCell('\rx')).toBe('"\'\rx"');
    expect(toCsvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
  });

  it('quotes commas, quotes and line breaks and leaves plain text alone', () => {
    expect(toCsvCell('a,b')).toBe('"a,b"');
    expect(toCsvCell('say "hi"')).toBe('"say ""hi"""');
    expect(toCsvCell('two\nlines')).toBe('"two\nlines"');
    expect(toCsvCell('plain')).toBe('plain');
    expect(toCsvCell('')).toBe('');
  });

  it('writes numbers, booleans and empty values as they are', () => {
    expect(toCsvCell(-2.5)).toBe('-2.5');
    expect(toCsvCell(NaN)).toBe('NaN');
    expect(toCsvCell(-Infinity)).toBe('-Infinity');
    expect(toCsvCell(true)).toBe('true');
    expect(toCsvCell(null)).toBe('');
    expect(toCsvCell(undefined)).toBe('');
    expect(() => toCsvCell({} as never)).toThrow(ValidationError);
  });
});

describe('toCsv', () => {
  it('joins rows with the chosen line ending', () => {
    expect(toCsv([['timestamp', 'value'], [0, 1.5], [15_000, NaN]])).toBe('timestamp,value\n0,1.5\n15000,NaN\n');
    expect(toCsv([['a'], ['b']], { eol: '\r\n' })).toBe('a\r\nb\r\n');
    expect(toCsv([])).toBe('');
    expect(() => toCsv([['ok'], [{} as never]])).toThrow(/^rows\[1\]\[0\]/);
    expect(() => toCsv(['x' as never])).toThrow(/^rows\[0\]/);
  });

  it('reads back to the same text (plus the neutralising quote) and never starts a cell with a trigger', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), { maxLength: 5 }), (rows) => {
        const back = parseCsv(toCsv(rows));
        expect(back.length).toBe(rows.length);
        back.forEach((row, r) =>
          row.forEach((cell, c) => {
            const original = (rows[r] as string[])[c] as string;
            const triggered = original.length > 0 && '=+-@\t\r'.includes(original[0] as string);
            expect(cell).toBe(triggered ? `'${original}` : original);
            expect('=+-@\t\r'.includes(cell[0] ?? 'x')).toBe(false);
          }),
        );
      }),
    );
  });
});

import { ValidationError } from '../errors';

/** A value `toCsvCell` accepts. `null` and `undefined` become empty cells. */
export type CsvValue = string | number | boolean | null | undefined;

/** Characters that make a spreadsheet treat a cell as a formula (or that it strips before deciding). */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * Renders one CSV cell safely (RFC 4180 quoting plus formula-injection neutralisation):
 * - a string starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so Excel, LibreOffice
 *   and Google Sheets show it as text instead of running it as a formula;
 * - a cell containing a comma, a double quote, CR or LF is wrapped in double quotes, with inner quotes doubled;
 * - numbers are written as JavaScript prints them (`-1.5`, `NaN`, `Infinity`) and are never prefixed: a value we
 *   formatted ourselves cannot be a formula;
 * - `null` and `undefined` become an empty cell.
 *
 * @example
 * toCsvCell('=HYPERLINK("http://x")'); // "'=HYPERLINK(""http://x"")" wrapped in quotes
 * toCsvCell('a,b'); // '"a,b"'
 * toCsvCell(-2.5); // '-2.5'
 */
export function toCsvCell(value: CsvValue): string {
  return cellText(value, 'value');
}

function cellText(value: CsvValue, path: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw new ValidationError(path, 'a string, number, boolean, null or undefined', value);
  let text = value;
  if (text.length > 0 && FORMULA_TRIGGERS.has(text[0] as string)) text = `'${text}`;
  if (/[",\r\n]/.test(text)) text = `"${text.replace(/"/g, '""')}"`;
  return text;
}

/** Options of `toCsv`. */
export interface CsvOptions {
  /** Line ending; RFC 4180 says CRLF, most tools accept LF. Default `\n`. */
  readonly eol?: '\n' | '\r\n';
}

/**
 * Renders rows (the first is usually the header) as CSV text with `toCsvCell` on every cell, ending with a line
 * break.
 *
 * @throws ValidationError when `rows` is not an array of arrays.
 * @example
 * toCsv([['timestamp', 'value'], [0, 1.5], [15_000, NaN]]); // "timestamp,value\n0,1.5\n15000,NaN\n"
 */
export function toCsv(rows: readonly (readonly CsvValue[])[], options: CsvOptions = {}): string {
  if (!Array.isArray(rows)) throw new ValidationError('rows', 'an array of rows', rows);
  const eol = options.eol ?? '\n';
  if (eol !== '\n' && eol !== '\r\n') throw new ValidationError('options.eol', '"\\n" or "\\r\\n"', eol);
  let text = '';
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (!Array.isArray(row)) throw new ValidationError(`rows[${r}]`, 'an array of cells', row);
    for (let c = 0; c < row.length; c++) {
      if (c > 0) text += ',';
      text += cellText(row[c] as CsvValue, `rows[${r}][${c}]`);
    }
    text += eol;
  }
  return text;
}

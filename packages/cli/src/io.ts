import { readFile } from 'node:fs/promises';
import { SourceError, ValidationError, VigilError } from '@vigil/core';

/** Where the CLI reads and writes. `run` never touches `process` itself, so tests pass in-memory streams. */
export interface CliIo {
  /** Standard input: any async iterable of text or bytes (`process.stdin` is one). */
  readonly stdin: AsyncIterable<string | Uint8Array>;
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
  /** Whether stdin is an interactive terminal; when true, commands print a hint before waiting for input. */
  readonly stdinIsTTY?: boolean;
  /** Clock for commands that default to "now" (epoch ms). Default `Date.now`. */
  readonly now?: () => number;
}

/** Text read from a file or stdin, with a name for error paths (`stdin`, `data.csv`). */
export interface InputText {
  readonly name: string;
  readonly text: string;
}

/** Inputs larger than this are refused rather than exhausting memory. */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

/** Reads `--file` (or stdin when absent or `-`) as UTF-8 text. */
export async function readInput(file: string | undefined, io: CliIo): Promise<InputText> {
  if (file !== undefined && file !== '-') {
    let buffer: Buffer;
    try {
      buffer = await readFile(file);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new VigilError(code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_ARGUMENT', `cannot read ${file}: ${code ?? String(error)}`, { path: '--file', cause: error });
    }
    if (buffer.byteLength > MAX_INPUT_BYTES) throw new VigilError('INVALID_DATA', `${file} is larger than ${MAX_INPUT_BYTES} bytes`, { path: file });
    return { name: file, text: new TextDecoder('utf-8').decode(buffer) };
  }
  if (io.stdinIsTTY === true) io.stderr.write('vigil: reading from stdin (end with Ctrl-D)\n');
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let bytes = 0;
  for await (const chunk of io.stdin) {
    if (typeof chunk === 'string') {
      text += chunk;
      bytes += chunk.length;
    } else {
      text += decoder.decode(chunk, { stream: true });
      bytes += chunk.byteLength;
    }
    if (bytes > MAX_INPUT_BYTES) throw new VigilError('INVALID_DATA', `stdin is larger than ${MAX_INPUT_BYTES} bytes`, { path: 'stdin' });
  }
  text += decoder.decode();
  return { name: 'stdin', text };
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses one number as written in data files: decimal or exponent notation, or `NaN`, `Inf`, `+Inf`, `-Inf`,
 * `Infinity` in any case (as Prometheus writes them). Returns undefined for anything else (`0x10`, `1,5`, ``).
 */
export function parseNumber(text: string): number | undefined {
  if (DECIMAL.test(text)) return Number(text);
  switch (text.toLowerCase()) {
    case 'nan':
      return NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    default:
      return undefined;
  }
}

/** Reads whitespace-separated numbers; a bad token fails with INVALID_DATA at `name:line:column`. */
export function parseNumberList(input: InputText): Float64Array {
  const out: number[] = [];
  const lines = input.text.split(/\r?\n/);
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l] as string;
    const tokens = /\S+/g;
    let match: RegExpExecArray | null;
    while ((match = tokens.exec(line)) !== null) {
      const value = parseNumber(match[0]);
      if (value === undefined) throw new ValidationError(`${input.name}:${l + 1}:${match.index + 1}`, 'a number', match[0], 'INVALID_DATA');
      out.push(value);
    }
  }
  return Float64Array.from(out);
}

/** Time unit of timestamps in data files. */
export type TimeUnit = 'ms' | 's';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Reads `timestamp,value` rows. Blank lines and lines starting with `#` are skipped; a first row whose cells are
 * neither a timestamp nor a number (such as `timestamp,value`) is taken as a header. Timestamps are numbers in `unit` or ISO 8601 dates, and must
 * be strictly ascending. Errors name `name:line`.
 */
export function parseTimestampValueCsv(input: InputText, unit: TimeUnit): { timestamps: Float64Array; values: Float64Array } {
  const timestamps: number[] = [];
  const values: number[] = [];
  const lines = input.text.split(/\r?\n/);
  let seenRow = false;
  for (let l = 0; l < lines.length; l++) {
    const line = (lines[l] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    const path = `${input.name}:${l + 1}`;
    const cells = line.split(',').map((cell) => unquote(cell.trim()));
    const firstRow = !seenRow;
    seenRow = true;
    const timestamp = parseTimestamp(cells[0] as string, unit);
    if (timestamp === undefined && firstRow && parseNumber(cells[1] ?? '') === undefined) continue; // a header row
    if (cells.length !== 2) throw new ValidationError(path, 'two cells, timestamp and value', `${cells.length} cells`, 'INVALID_DATA');
    if (timestamp === undefined) throw new ValidationError(path, `a timestamp (a number in ${unit === 'ms' ? 'milliseconds' : 'seconds'} or an ISO 8601 date)`, cells[0], 'INVALID_DATA');
    const previous = timestamps[timestamps.length - 1];
    if (previous !== undefined && !(timestamp > previous)) {
      throw new ValidationError(path, `a timestamp after the previous row's (${previous} ms)`, timestamp, 'INVALID_DATA');
    }
    const value = parseNumber(cells[1] as string);
    if (value === undefined) throw new ValidationError(path, 'a number as the value', cells[1], 'INVALID_DATA');
    timestamps.push(timestamp);
    values.push(value);
  }
  return { timestamps: Float64Array.from(timestamps), values: Float64Array.from(values) };
}

function parseTimestamp(cell: string, unit: TimeUnit): number | undefined {
  const number = DECIMAL.test(cell) ? Number(cell) : undefined;
  if (number !== undefined) return unit === 's' ? number * 1000 : number;
  if (ISO_DATE.test(cell)) {
    const ms = Date.parse(cell);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

function unquote(cell: string): string {
  return cell.length >= 2 && cell.startsWith('"') && cell.endsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
}

/** The one-line error report: code, path and what was expected. */
export function describeError(error: unknown): string {
  if (error instanceof ValidationError) return `${error.code} at ${error.path}: expected ${error.expected}, received ${error.received}`;
  if (error instanceof SourceError) return `${error.code}${error.path === undefined ? '' : ` at ${error.path}`}: ${error.message}${error.retryable ? ' (retryable)' : ''}`;
  if (error instanceof VigilError) return `${error.code}${error.path === undefined ? '' : ` at ${error.path}`}: ${error.message}`;
  if (error instanceof Error) return `internal error: ${error.message}`;
  return `internal error: ${String(error)}`;
}

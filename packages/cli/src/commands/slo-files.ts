import { readFile } from 'node:fs/promises';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node } from 'yaml';
import { VigilError } from '@vigil/core';
import { parseOpenSLO, SLOValidationError } from '@vigil/core/slo';
import type { OpenSLOResult, SLO } from '@vigil/core/slo';
import type { CliIo } from '../io';

/**
 * Reading OpenSLO v1 files for `vigil slo`: YAML (several documents per file, `---` separated) or JSON (one
 * document, or an array of documents), parsed safely, with every problem located at `file:line:column` and named by
 * its field path inside the document.
 *
 * Safety: the YAML 1.2 core schema only, no custom tags (a `!tag` is an error, never a constructor), at most 100
 * alias expansions per document (defeats "billion laughs"), at most 4 MiB per file and 1,000 documents per file.
 */

/** Largest definition file accepted, in bytes. */
export const MAX_SLO_FILE_BYTES = 4 * 1024 * 1024;
/** Most documents in one file. */
export const MAX_DOCUMENTS_PER_FILE = 1000;
/** Most alias expansions per document. */
export const MAX_ALIAS_COUNT = 100;

/** A problem in a definition file. */
export interface FileIssue {
  readonly file: string;
  /** 1-based; 0 when unknown. */
  readonly line: number;
  readonly column: number;
  /** The field path inside the document (`spec.objectives[0].target`), or '' for the whole document or file. */
  readonly path: string;
  readonly message: string;
}

/** `file:line:column: path: message`, the one-line form the CLI prints. */
export function formatIssue(issue: FileIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  return `${where}: ${issue.path === '' ? '' : `${issue.path}: `}${issue.message}`;
}

type Segment = string | number;

/** One OpenSLO document and how to find a field of it in its file. */
interface SourceDocument {
  readonly file: string;
  readonly value: unknown;
  /** Position of the field at `path` (or of its deepest existing ancestor). */
  locate(path: readonly Segment[]): { line: number; column: number };
}

/** Splits `[2].spec.objectives[0].target` into `[2, 'spec', 'objectives', 0, 'target']`. */
export function splitPath(path: string): Segment[] {
  const out: Segment[] = [];
  const pattern = /\[(\d+)\]|\.?([^.[\]]+)/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(path)) !== null) out.push(match[1] !== undefined ? Number(match[1]) : (match[2] as string));
  return out;
}

function joinPath(segments: readonly Segment[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function locator(doc: Document, root: Node | null, lineCounter: LineCounter): (path: readonly Segment[]) => { line: number; column: number } {
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return (path) => {
    let node: unknown = root;
    let offset = root?.range?.[0] ?? 0;
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(doc);
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment));
        if (pair === undefined) break;
        const keyNode = pair.key as Node | null;
        offset = keyNode?.range?.[0] ?? offset;
        next = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        next = node.items[segment];
        if (next === undefined) break;
      } else break;
      const range = (next as Node | null)?.range;
      // Point at a scalar value itself; at a collection's key (its first line).
      if (range !== undefined && range !== null && (isScalar(next) || isAlias(next) || isSeq(node))) offset = range[0];
      node = next;
    }
    return at(offset);
  };
}

/** Reads a file (or stdin for `-`) as UTF-8, refusing anything over the size limit. */
async function readText(file: string, io: CliIo): Promise<string> {
  if (file === '-') {
    let text = '';
    let bytes = 0;
    const decoder = new TextDecoder('utf-8');
    for await (const chunk of io.stdin) {
      text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      bytes += typeof chunk === 'string' ? chunk.length : chunk.byteLength;
      if (bytes > MAX_SLO_FILE_BYTES) throw new VigilError('INVALID_DATA', `stdin is larger than ${MAX_SLO_FILE_BYTES} bytes`, { path: 'stdin' });
    }
    return text + decoder.decode();
  }
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new VigilError(code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_ARGUMENT', `cannot read ${file}: ${code ?? String(error)}`, { path: file, cause: error });
  }
  if (buffer.byteLength > MAX_SLO_FILE_BYTES) throw new VigilError('INVALID_DATA', `${file} is larger than ${MAX_SLO_FILE_BYTES} bytes`, { path: file });
  return new TextDecoder('utf-8').decode(buffer);
}

/** Parses one file's text into documents, collecting syntax problems. JSON is parsed by the same YAML 1.2 parser. */
export function parseDefinitionText(file: string, text: string): { documents: SourceDocument[]; issues: FileIssue[] } {
  const lineCounter = new LineCounter();
  const documents: SourceDocument[] = [];
  const issues: FileIssue[] = [];
  const parsed = parseAllDocuments(text, { lineCounter, schema: 'core', customTags: [], uniqueKeys: true, strict: true, prettyErrors: false });
  const list = Array.isArray(parsed) ? parsed : [];
  if (list.length > MAX_DOCUMENTS_PER_FILE) {
    return { documents, issues: [{ file, line: 0, column: 0, path: '', message: `expected at most ${MAX_DOCUMENTS_PER_FILE} documents, found ${list.length}` }] };
  }
  for (const doc of list) {
    const problems = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')];
    for (const problem of problems) {
      const { line, col } = lineCounter.linePos(problem.pos[0]);
      const message = problem.code === 'TAG_RESOLVE_FAILED' ? `${problem.message.split('\n')[0]} (custom tags are not allowed)` : problem.message.split('\n')[0];
      issues.push({ file, line, column: col, path: '', message: `YAML: ${message}` });
    }
    if (problems.length > 0) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const { line, col } = lineCounter.linePos(doc.range[0]);
      issues.push({ file, line, column: col, path: '', message: `YAML: ${error instanceof Error ? error.message : String(error)} (at most ${MAX_ALIAS_COUNT} aliases)` });
      continue;
    }
    const root = doc.contents as Node | null;
    const locate = locator(doc, root, lineCounter);
    if (Array.isArray(value) && isSeq(root)) {
      // A JSON (or YAML) array of documents: each item is one document.
      value.forEach((item, i) => documents.push({ file, value: item, locate: (path) => locate([i, ...path]) }));
    } else if (value !== null && value !== undefined) documents.push({ file, value, locate });
  }
  return { documents, issues };
}

/** What `loadDefinitions` returns: the SLOs and where each came from, or the problems found. */
export interface LoadedDefinitions {
  readonly result: OpenSLOResult | null;
  readonly issues: readonly FileIssue[];
  /** Where each SLO (by name) was defined: `file:line` of its document. */
  readonly origins: ReadonlyMap<string, { readonly file: string; readonly line: number }>;
  readonly files: number;
  readonly documents: number;
}

/**
 * Reads OpenSLO files and turns them into SLOs with `parseOpenSLO` (references may cross files). Every syntax and
 * validation problem is returned located; nothing is thrown for bad definitions.
 *
 * @throws VigilError when a file cannot be read (NOT_FOUND, INVALID_ARGUMENT) or is too large (INVALID_DATA).
 * @example
 * const { result, issues } = await loadDefinitions(['slos.yaml'], io);
 * for (const issue of issues) console.error(formatIssue(issue)); // slos.yaml:12:15: spec.objectives[0].target: expected ...
 */
export async function loadDefinitions(files: readonly string[], io: CliIo): Promise<LoadedDefinitions> {
  const documents: SourceDocument[] = [];
  const issues: FileIssue[] = [];
  for (const file of files) {
    const parsed = parseDefinitionText(file === '-' ? 'stdin' : file, await readText(file, io));
    documents.push(...parsed.documents);
    issues.push(...parsed.issues);
  }
  const origins = new Map<string, { file: string; line: number }>();
  for (const doc of documents) {
    const value = doc.value as { kind?: unknown; metadata?: { name?: unknown }; spec?: { objectives?: unknown } } | null;
    if (value === null || typeof value !== 'object' || value.kind !== 'SLO' || typeof value.metadata?.name !== 'string') continue;
    const objectives = Array.isArray(value.spec?.objectives) ? value.spec.objectives.length : 1;
    const names = objectives === 1 ? [value.metadata.name] : Array.from({ length: objectives }, (_, i) => `${value.metadata?.name as string}-${i}`);
    for (const name of names) origins.set(name, { file: doc.file, line: doc.locate([]).line });
  }
  if (issues.length > 0) return { result: null, issues, origins, files: files.length, documents: documents.length };
  try {
    const result = parseOpenSLO(documents.map((d) => d.value));
    return { result, issues, origins, files: files.length, documents: documents.length };
  } catch (error) {
    if (!(error instanceof SLOValidationError)) throw error;
    for (const issue of error.issues) {
      const [index, ...rest] = splitPath(issue.path);
      const doc = typeof index === 'number' ? documents[index] : undefined;
      if (doc === undefined) {
        issues.push({ file: files.join(', '), line: 0, column: 0, path: issue.path, message: `expected ${issue.expected}, received ${issue.received}` });
        continue;
      }
      const { line, column } = doc.locate(rest);
      issues.push({ file: doc.file, line, column, path: joinPath(rest), message: `expected ${issue.expected}, received ${issue.received}` });
    }
    // In reading order: by file as given, then by position.
    const fileOrder = (name: string) => files.findIndex((f) => f === name || (f === '-' && name === 'stdin'));
    issues.sort((a, b) => fileOrder(a.file) - fileOrder(b.file) || a.line - b.line || a.column - b.column);
    return { result: null, issues, origins, files: files.length, documents: documents.length };
  }
}

/** Where an SLO came from, for messages: `file:line` or the name alone. */
export function originOf(definitions: LoadedDefinitions, slo: SLO): string {
  const origin = definitions.origins.get(slo.name);
  return origin === undefined ? `SLO "${slo.name}"` : `${origin.file}:${origin.line}: SLO "${slo.name}"`;
}

import type { LabelMatcher } from './types';

/** Characters `escapePromQLString` rewrites. */
// eslint-disable-next-line no-control-regex
const NEEDS_PROMQL_ESCAPE = /[\\"\x00-\x1f\x7f]/;
// eslint-disable-next-line no-control-regex
const PROMQL_ESCAPES = /[\\"\x00-\x1f\x7f]/g;

/**
 * Escapes a string for a PromQL double-quoted literal: backslash, double quote and control characters.
 *
 * @example
 * escapePromQLString('a"b\\c\n'); // 'a\\"b\\\\c\\n'
 */
export function escapePromQLString(value: string): string {
  return NEEDS_PROMQL_ESCAPE.test(value) ? value.replace(PROMQL_ESCAPES, escapePromQLCharacter) : value;
}

function escapePromQLCharacter(ch: string): string {
  if (ch === '\\') return '\\\\';
  if (ch === '"') return '\\"';
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  return `\\x${(ch.codePointAt(0) as number).toString(16).padStart(2, '0')}`;
}

function matcherList(matchers: Readonly<Record<string, string>> | readonly LabelMatcher[] | undefined): LabelMatcher[] {
  if (matchers === undefined) return [];
  if (Array.isArray(matchers)) return [...(matchers as readonly LabelMatcher[])];
  return Object.keys(matchers)
    .sort()
    .map((label) => ({ label, op: '=' as const, value: (matchers as Record<string, string>)[label] as string }));
}

/**
 * Builds a PromQL series selector with escaped label values. Matchers given as an object are sorted by label name.
 *
 * @example
 * buildSelector('http_requests_total', { code: '5..', job: 'api' }); // 'http_requests_total{code="5..",job="api"}'
 * buildSelector('up', [{ label: 'job', op: '=~', value: 'api|web' }]); // 'up{job=~"api|web"}'
 */
export function buildSelector(metric: string, matchers?: Readonly<Record<string, string>> | readonly LabelMatcher[], extra: readonly LabelMatcher[] = []): string {
  const list = [...matcherList(matchers), ...extra];
  if (list.length === 0) return metric;
  return `${metric}{${list.map((m) => `${m.label}${m.op}"${escapePromQLString(m.value)}"`).join(',')}}`;
}

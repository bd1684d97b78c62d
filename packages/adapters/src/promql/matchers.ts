import { SourceError } from '@vigil/core';
import type { Labels } from '@vigil/core';
import type { LabelMatcher } from './ast';

/** Longest regular expression a matcher may hold. Label regexes are short; a long one is a mistake or an attack. */
export const MAX_REGEX_LENGTH = 512;

/**
 * Why a label regex is refused, or `undefined` when it is acceptable. Prometheus uses RE2, which has no
 * backreferences or lookaround; we refuse those, and nested quantifiers such as `(a+)+`, which JavaScript's
 * backtracking engine can take exponential time on.
 */
export function regexProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_REGEX_LENGTH) return `regex is ${pattern.length} characters long; the limit is ${MAX_REGEX_LENGTH}`;
  // Stack of groups: whether each open group contains a quantifier.
  const groups: boolean[] = [];
  let lastGroupHadQuantifier = false;
  let previousWasGroupClose = false;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== undefined && next >= '1' && next <= '9' && !inClass) return 'backreferences are not supported (RE2 syntax)';
      if (next === 'k' && !inClass) return 'named backreferences are not supported (RE2 syntax)';
      i++;
      previousWasGroupClose = false;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      previousWasGroupClose = false;
      continue;
    }
    if (c === '(') {
      if (pattern[i + 1] === '?' && (pattern[i + 2] === '=' || pattern[i + 2] === '!' || (pattern[i + 2] === '<' && (pattern[i + 3] === '=' || pattern[i + 3] === '!')))) {
        return 'lookaround assertions are not supported (RE2 syntax)';
      }
      groups.push(false);
      previousWasGroupClose = false;
      continue;
    }
    if (c === ')') {
      lastGroupHadQuantifier = groups.pop() ?? false;
      if (lastGroupHadQuantifier && groups.length > 0) groups[groups.length - 1] = true;
      previousWasGroupClose = true;
      continue;
    }
    if (c === '*' || c === '+' || c === '{' || c === '?') {
      const isQuantifier = c !== '{' || /^\{\d+(,\d*)?\}/.test(pattern.slice(i));
      if (isQuantifier && !(c === '?' && /[*+?}]/.test(pattern[i - 1] ?? ''))) {
        if (previousWasGroupClose && lastGroupHadQuantifier && c !== '?') return 'nested quantifiers such as (a+)+ can take exponential time and are not supported';
        if (groups.length > 0) groups[groups.length - 1] = true;
      }
      previousWasGroupClose = false;
      continue;
    }
    previousWasGroupClose = false;
  }
  return undefined;
}

/**
 * Compiles a label regex the way Prometheus applies it: fully anchored, `.` matching newlines too.
 * Throws `SourceError('BAD_QUERY')` for patterns that are invalid or refused by `regexProblem`.
 */
export function compileLabelRegex(pattern: string): RegExp {
  const problem = regexProblem(pattern);
  if (problem !== undefined) throw new SourceError('BAD_QUERY', `invalid label regex ${JSON.stringify(pattern.slice(0, 60))}: ${problem}`);
  try {
    return new RegExp(`^(?:${pattern})$`, 'su');
  } catch (error) {
    throw new SourceError('BAD_QUERY', `invalid label regex ${JSON.stringify(pattern.slice(0, 60))}: ${(error as Error).message}`, { cause: error });
  }
}

/** A label matcher turned into a test; an absent label counts as the empty string, as in Prometheus. */
export type LabelPredicate = (labels: Labels) => boolean;

/**
 * Compiles matchers into one predicate over a series' labels (which include `__name__`).
 *
 * @example
 * const matches = compileMatchers([{ name: 'code', op: '=~', value: '5..' }]);
 * matches({ __name__: 'http_requests_total', code: '503' }) // true
 */
export function compileMatchers(matchers: readonly LabelMatcher[]): LabelPredicate {
  const tests = matchers.map((matcher): LabelPredicate => {
    const { name, value } = matcher;
    switch (matcher.op) {
      case '=':
        return (labels) => (labels[name] ?? '') === value;
      case '!=':
        return (labels) => (labels[name] ?? '') !== value;
      case '=~': {
        const re = compileLabelRegex(value);
        return (labels) => re.test(labels[name] ?? '');
      }
      case '!~': {
        const re = compileLabelRegex(value);
        return (labels) => !re.test(labels[name] ?? '');
      }
    }
  });
  return (labels) => {
    for (const test of tests) if (!test(labels)) return false;
    return true;
  };
}

import { ValidationError } from '@vigil/core';
import { escapePromQLString } from '@vigil/core/promql';
import type { Expr, LabelMatcher, MatchOperator, VectorSelector } from './ast';
import { formatDuration } from './lexer';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MATCH_OPERATORS: readonly MatchOperator[] = ['=', '!=', '=~', '!~'];

/**
 * Escapes a string for use inside a double-quoted PromQL string literal (a label value). The result holds no raw
 * quote, backslash or control character, so `"${escapeLabelValue(value)}"` is always one well-formed literal that
 * reads back as exactly `value`. Throws `ValidationError` for strings with unpaired UTF-16 surrogates, which
 * cannot be sent as UTF-8.
 *
 * @example
 * escapeLabelValue('say "hi"\n') // 'say \\"hi\\"\\n'
 */
export function escapeLabelValue(value: string, path = 'value'): string {
  if (typeof value !== 'string') throw new ValidationError(path, 'a string', value);
  if (UNPAIRED_SURROGATE.test(value)) throw new ValidationError(path, 'a string without unpaired UTF-16 surrogates', value);
  // One escaping table for the whole kit: the same function quotes label values in generated SLO rules.
  return escapePromQLString(value);
}

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Escapes every regex metacharacter, so a literal value can be used inside a `=~` matcher (for example to build
 * `service=~"a|b"` from picked values). Combine with `escapeLabelValue` (which `formatSelector` applies).
 *
 * @example
 * escapeRegex('a.b') // 'a\\.b'
 */
export function escapeRegex(value: string): string {
  if (typeof value !== 'string') throw new ValidationError('value', 'a string', value);
  return value.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * Formats a series selector from a metric name and label matchers, quoting and escaping every value. Matchers may be
 * a list (any operator) or a record of label to value (equality). Throws `ValidationError` for invalid metric or
 * label names, operators, and values that cannot be encoded.
 *
 * @example
 * formatSelector('http_requests_total', { service: 'checkout', code: '5"00' })
 * // 'http_requests_total{service="checkout",code="5\\"00"}'
 * formatSelector(undefined, [{ name: 'service', op: '=~', value: 'a|b' }]) // '{service=~"a|b"}'
 */
export function formatSelector(metric: string | undefined, matchers: readonly LabelMatcher[] | Readonly<Record<string, string>> = []): string {
  if (metric !== undefined && (typeof metric !== 'string' || !METRIC_NAME.test(metric))) {
    throw new ValidationError('metric', 'a metric name matching [a-zA-Z_:][a-zA-Z0-9_:]*', metric);
  }
  let list: readonly LabelMatcher[];
  if (Array.isArray(matchers)) list = matchers as readonly LabelMatcher[];
  else if (typeof matchers === 'object' && matchers !== null) list = Object.entries(matchers).map(([name, value]) => ({ name, op: '=' as const, value }));
  else throw new ValidationError('matchers', 'an array of matchers or a record of label values', matchers);
  const parts = list.map((matcher, i) => {
    const path = Array.isArray(matchers) ? `matchers[${i}]` : `matchers.${String(matcher?.name)}`;
    if (typeof matcher !== 'object' || matcher === null) throw new ValidationError(path, 'a matcher { name, op, value }', matcher);
    if (typeof matcher.name !== 'string' || !LABEL_NAME.test(matcher.name)) throw new ValidationError(`${path}.name`, 'a label name matching [a-zA-Z_][a-zA-Z0-9_]*', matcher.name);
    if (!MATCH_OPERATORS.includes(matcher.op)) throw new ValidationError(`${path}.op`, 'one of =, !=, =~, !~', matcher.op);
    return `${matcher.name}${matcher.op}"${escapeLabelValue(matcher.value, `${path}.value`)}"`;
  });
  if (metric === undefined && parts.length === 0) throw new ValidationError('matchers', 'at least one matcher when there is no metric name', list);
  return `${metric ?? ''}${parts.length > 0 || metric === undefined ? `{${parts.join(',')}}` : ''}`;
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatVectorSelector(selector: VectorSelector): string {
  const matchers = selector.metric === undefined ? selector.matchers : selector.matchers.filter((m, i) => !(i === 0 && m.name === '__name__' && m.op === '='));
  const parts = matchers.map((m) => `${m.name}${m.op}"${escapeLabelValue(m.value)}"`);
  return `${selector.metric ?? ''}${parts.length > 0 || selector.metric === undefined ? `{${parts.join(', ')}}` : ''}`;
}

function formatOffset(offsetMs: number): string {
  return offsetMs === 0 ? '' : ` offset ${formatDuration(offsetMs)}`;
}

const PRECEDENCE: Readonly<Record<string, number>> = { '==': 1, '!=': 1, '>': 1, '<': 1, '>=': 1, '<=': 1, '+': 2, '-': 2, '*': 3, '/': 3, '%': 3, '^': 4 };

/** Wraps a binary operand in parentheses when precedence requires it (for trees built by hand). */
function operand(expr: Expr, parentPrecedence: number, rightSide: boolean, rightAssociative: boolean): string {
  const text = formatPromQL(expr);
  if (expr.type === 'Binary') {
    const own = PRECEDENCE[expr.op]!;
    const needs = own < parentPrecedence || (own === parentPrecedence && (rightSide ? !rightAssociative : rightAssociative));
    return needs ? `(${text})` : text;
  }
  if (expr.type === 'Unary' && parentPrecedence >= 4 && !rightSide) return `(${text})`;
  if (expr.type === 'NumberLiteral' && expr.value < 0 && parentPrecedence >= 4 && !rightSide) return `(${text})`;
  return text;
}

/**
 * Formats a syntax tree back into PromQL. `parsePromQL(formatPromQL(ast))` has the same structure as `ast`
 * (positions aside). Strings and label values are always double-quoted and escaped.
 *
 * @example
 * formatPromQL(parsePromQL('sum by(service)(rate(x{a="b"}[5m]))')) // 'sum by (service) (rate(x{a="b"}[5m]))'
 */
export function formatPromQL(expr: Expr): string {
  switch (expr.type) {
    case 'NumberLiteral':
      return formatNumber(expr.value);
    case 'StringLiteral':
      return `"${escapeLabelValue(expr.value)}"`;
    case 'VectorSelector':
      return formatVectorSelector(expr) + formatOffset(expr.offsetMs);
    case 'MatrixSelector':
      return `${formatVectorSelector(expr.selector)}[${formatDuration(expr.rangeMs)}]${formatOffset(expr.selector.offsetMs)}`;
    case 'Call':
      return `${expr.func}(${expr.args.map(formatPromQL).join(', ')})`;
    case 'Aggregate': {
      const grouping = expr.grouping === undefined ? '' : ` ${expr.grouping.mode} (${expr.grouping.labels.join(', ')})`;
      return `${expr.op}${grouping} (${formatPromQL(expr.expr)})`;
    }
    case 'Binary': {
      const precedence = PRECEDENCE[expr.op]!;
      const rightAssociative = expr.op === '^';
      const modifiers = `${expr.returnBool ? ' bool' : ''}${expr.matching === undefined ? '' : ` ${expr.matching.mode} (${expr.matching.labels.join(', ')})`}`;
      return `${operand(expr.lhs, precedence, false, rightAssociative)} ${expr.op}${modifiers} ${operand(expr.rhs, precedence, true, rightAssociative)}`;
    }
    case 'Unary': {
      const inner = formatPromQL(expr.expr);
      const child = expr.expr;
      // Unary minus binds looser than `^` only; a space keeps `- 1` from folding into the literal -1.
      if (child.type === 'Binary') return child.op === '^' ? `${expr.op}${inner}` : `${expr.op}(${inner})`;
      return child.type === 'NumberLiteral' || child.type === 'Unary' ? `${expr.op} ${inner}` : `${expr.op}${inner}`;
    }
    case 'Paren':
      return `(${formatPromQL(expr.expr)})`;
  }
}

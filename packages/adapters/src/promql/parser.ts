import { ValidationError } from '@vigil/core';
import {
  AGGREGATE_OPERATORS,
  childrenOf,
  FUNCTION_SIGNATURES,
  typeOf,
  type AggregateOperator,
  type BinaryOperator,
  type Expr,
  type FunctionName,
  type Grouping,
  type LabelMatcher,
  type MatchOperator,
  type VectorMatching,
  type VectorSelector,
} from './ast';
import { PromQLError, tokenize, type Token } from './lexer';
import { regexProblem } from './matchers';

/** Longest query text accepted, in characters. */
export const MAX_QUERY_LENGTH = 8192;
/** Deepest syntax tree accepted (parentheses, nested calls, operator chains). */
export const MAX_DEPTH = 64;
/** Deepest syntax tree accepted after parsing; a chain `a + b + c` is a tree as deep as it is long. */
export const MAX_TREE_DEPTH = 128;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Precedence of binary operators, higher binds tighter. `^` is right-associative. */
const PRECEDENCE: Readonly<Record<string, number>> = {
  '==': 1,
  '!=': 1,
  '>': 1,
  '<': 1,
  '>=': 1,
  '<=': 1,
  '+': 2,
  '-': 2,
  '*': 3,
  '/': 3,
  '%': 3,
  '^': 4,
};
const POWER_PRECEDENCE = 4;
const COMPARISONS = new Set(['==', '!=', '>', '<', '>=', '<=']);
const UNSUPPORTED_AGGREGATIONS = new Set(['stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values', 'group', 'limitk', 'limit_ratio']);
const UNSUPPORTED_KEYWORDS = new Set(['and', 'or', 'unless', 'atan2']);

/**
 * Parses a query in Vigil's PromQL subset into a typed syntax tree. Throws `PromQLError` (a `SourceError` with code
 * `BAD_QUERY` and the `position` of the problem) for syntax errors, type errors (such as `rate(x)` without a range)
 * and features outside the subset. Never throws anything else for a string input, and runs in linear time.
 *
 * The subset: vector selectors with `=`, `!=`, `=~`, `!~` matchers, range selectors `[5m]`, `offset`; the functions
 * in `FUNCTION_SIGNATURES`; `sum`, `avg`, `min`, `max`, `count` with `by`/`without`; arithmetic `+ - * / % ^`,
 * comparisons (with `bool`), `on(...)`/`ignoring(...)` one-to-one matching; numbers, strings, parentheses.
 *
 * @example
 * const ast = parsePromQL('sum by (service) (rate(http_requests_total{code=~"5.."}[5m]))');
 * ast.type // 'Aggregate'
 */
export function parsePromQL(query: string): Expr {
  if (typeof query !== 'string') throw new ValidationError('query', 'a PromQL string', query);
  if (query.length > MAX_QUERY_LENGTH) throw new PromQLError(`query is ${query.length} characters long; the limit is ${MAX_QUERY_LENGTH}`, MAX_QUERY_LENGTH, query);
  const parser = new Parser(query, tokenize(query));
  const expr = parser.parseQuery();
  // Evaluation and formatting walk the tree recursively, so its depth is bounded here (iteratively).
  const stack: Array<[Expr, number]> = [[expr, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_TREE_DEPTH) throw new PromQLError(`query is nested more than ${MAX_TREE_DEPTH} levels deep (long operator chains count too)`, node.start, query);
    for (const child of childrenOf(node)) stack.push([child, depth + 1]);
  }
  return expr;
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly query: string,
    private readonly tokens: readonly Token[],
  ) {}

  parseQuery(): Expr {
    if (this.peek().kind === 'eof') throw this.error('empty query', this.peek());
    const expr = this.parseExpression(0);
    const next = this.peek();
    if (next.kind !== 'eof') throw this.error(`unexpected ${describe(next)}`, next);
    const type = typeOf(expr);
    if (type === 'matrix') throw new PromQLError('a range vector cannot be the result of a query; wrap it in a function such as rate(...)', expr.start, this.query);
    if (type === 'string') throw new PromQLError('a string cannot be the result of a query', expr.start, this.query);
    return expr;
  }

  // ---- tokens -------------------------------------------------------------------------------------------------

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }

  private isPunct(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'punct' && token.text === text;
  }

  private isKeyword(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'identifier' && token.text === word;
  }

  private expectPunct(text: string, context: string): Token {
    const token = this.peek();
    if (token.kind !== 'punct' || token.text !== text) throw this.error(`expected "${text}" ${context}, found ${describe(token)}`, token);
    return this.next();
  }

  private error(message: string, token: Token): PromQLError {
    return new PromQLError(message, token.start, this.query);
  }

  private enter(token: Token): void {
    this.depth++;
    if (this.depth > MAX_DEPTH) throw this.error(`query is nested more than ${MAX_DEPTH} levels deep`, token);
  }

  // ---- expressions --------------------------------------------------------------------------------------------

  /** Binary operators by precedence climbing; chains of one precedence are a loop, not recursion. */
  private parseExpression(minPrecedence: number): Expr {
    this.enter(this.peek());
    let lhs = this.parseUnary();
    for (;;) {
      const token = this.peek();
      if (token.kind === 'identifier' && UNSUPPORTED_KEYWORDS.has(token.text)) throw this.error(`the "${token.text}" operator is not supported by this PromQL subset`, token);
      if (token.kind !== 'punct') break;
      const precedence = PRECEDENCE[token.text];
      if (precedence === undefined || precedence < minPrecedence) break;
      const op = token.text as BinaryOperator;
      this.next();
      let returnBool = false;
      if (this.isKeyword('bool')) {
        if (!COMPARISONS.has(op)) throw this.error('the bool modifier is only allowed on comparison operators', this.peek());
        this.next();
        returnBool = true;
      }
      let matching: VectorMatching | undefined;
      if (this.isKeyword('on') || this.isKeyword('ignoring')) {
        const mode = this.next().text as 'on' | 'ignoring';
        matching = { mode, labels: this.parseLabelList(`after "${mode}"`) };
      }
      if (this.isKeyword('group_left') || this.isKeyword('group_right')) throw this.error('many-to-one matching (group_left/group_right) is not supported by this PromQL subset', this.peek());
      // `^` is right-associative: its right side may hold another `^`.
      const rhs = this.parseExpression(op === '^' ? precedence : precedence + 1);
      lhs = this.checkBinary({ type: 'Binary', op, lhs, rhs, matching, returnBool, start: lhs.start, end: rhs.end }, token);
    }
    this.depth--;
    return lhs;
  }

  private checkBinary(expr: Expr & { type: 'Binary' }, opToken: Token): Expr {
    const left = typeOf(expr.lhs);
    const right = typeOf(expr.rhs);
    for (const [side, type] of [
      [expr.lhs, left],
      [expr.rhs, right],
    ] as const) {
      if (type !== 'scalar' && type !== 'vector') {
        throw new PromQLError(`binary operator "${expr.op}" needs scalar or instant vector operands, found a ${type === 'matrix' ? 'range vector' : type}`, side.start, this.query);
      }
    }
    if (expr.matching !== undefined && (left !== 'vector' || right !== 'vector')) throw this.error('on(...)/ignoring(...) are only allowed between two instant vectors', opToken);
    if (COMPARISONS.has(expr.op) && left === 'scalar' && right === 'scalar' && !expr.returnBool) throw this.error('comparisons between scalars must use the bool modifier', opToken);
    return expr;
  }

  private parseUnary(): Expr {
    const token = this.peek();
    if (token.kind === 'punct' && (token.text === '-' || token.text === '+')) {
      this.next();
      // Unary minus binds looser than `^`: -2^2 is -4.
      const operand = this.parseExpression(POWER_PRECEDENCE);
      const type = typeOf(operand);
      if (type !== 'scalar' && type !== 'vector') throw new PromQLError(`unary "${token.text}" needs a scalar or instant vector`, operand.start, this.query);
      // Fold signs into number literals, so `-1` round-trips as a literal.
      if (operand.type === 'NumberLiteral' && token.end === operand.start) {
        return { type: 'NumberLiteral', value: token.text === '-' ? -operand.value : operand.value, start: token.start, end: operand.end };
      }
      return { type: 'Unary', op: token.text as '-' | '+', expr: operand, start: token.start, end: operand.end };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  /** Range `[5m]` and `offset` after a selector. */
  private parsePostfix(expr: Expr): Expr {
    let result = expr;
    if (this.isPunct('[')) {
      const open = this.peek();
      if (result.type !== 'VectorSelector') throw this.error('a range [..] can only follow a series selector (subqueries are not supported)', open);
      if (result.offsetMs !== 0) throw this.error('the range [..] must come before offset', open);
      this.next();
      const duration = this.peek();
      if (duration.kind !== 'duration') throw this.error(`expected a duration such as 5m inside [..], found ${describe(duration)}`, duration);
      this.next();
      if (this.peek().text.startsWith(':')) throw this.error('subqueries are not supported by this PromQL subset', this.peek());
      if (duration.number <= 0) throw this.error('the range must be greater than zero', duration);
      const close = this.expectPunct(']', 'to close the range');
      result = { type: 'MatrixSelector', selector: result, rangeMs: duration.number, start: result.start, end: close.end };
    }
    if (this.isKeyword('offset')) {
      const offsetToken = this.next();
      if (result.type !== 'VectorSelector' && result.type !== 'MatrixSelector') throw this.error('offset can only follow a series selector', offsetToken);
      let sign = 1;
      if (this.isPunct('-')) {
        this.next();
        sign = -1;
      }
      const duration = this.peek();
      if (duration.kind !== 'duration') throw this.error(`expected a duration after offset, found ${describe(duration)}`, duration);
      this.next();
      const offsetMs = sign * duration.number;
      if (result.type === 'VectorSelector') result = { ...result, offsetMs, end: duration.end };
      else result = { ...result, selector: { ...result.selector, offsetMs }, end: duration.end };
    }
    if (this.isPunct('@')) throw this.error('the @ modifier is not supported by this PromQL subset', this.peek());
    return result;
  }

  private parsePrimary(): Expr {
    const token = this.peek();
    switch (token.kind) {
      case 'number':
        this.next();
        return { type: 'NumberLiteral', value: token.number, start: token.start, end: token.end };
      case 'string':
        this.next();
        return { type: 'StringLiteral', value: token.string, start: token.start, end: token.end };
      case 'duration':
        throw this.error(`unexpected duration ${JSON.stringify(token.text)}; durations belong in [..] or after offset`, token);
      case 'eof':
        throw this.error('unexpected end of query', token);
      case 'punct':
        if (token.text === '(') {
          this.next();
          this.enter(token);
          const inner = this.parseExpression(0);
          this.depth--;
          const close = this.expectPunct(')', 'to close the parenthesis');
          return { type: 'Paren', expr: inner, start: token.start, end: close.end };
        }
        if (token.text === '{') return this.parseSelector(undefined, token);
        throw this.error(`unexpected ${describe(token)}`, token);
      case 'identifier':
        return this.parseIdentifier(token);
    }
  }

  private parseIdentifier(token: Token): Expr {
    const name = token.text;
    const following = this.peek(1);
    const isCall = following.kind === 'punct' && following.text === '(';
    const isGrouping = following.kind === 'identifier' && (following.text === 'by' || following.text === 'without');
    if (AGGREGATE_OPERATORS.includes(name as AggregateOperator) && (isCall || isGrouping)) return this.parseAggregate(token);
    if (UNSUPPORTED_AGGREGATIONS.has(name) && (isCall || isGrouping)) throw this.error(`the ${name} aggregation is not supported by this PromQL subset`, token);
    if (isCall) {
      if (!Object.hasOwn(FUNCTION_SIGNATURES, name)) throw this.error(`unknown or unsupported function ${JSON.stringify(name)}`, token);
      return this.parseCall(token, name as FunctionName);
    }
    if (UNSUPPORTED_KEYWORDS.has(name) || name === 'bool' || name === 'offset' || name === 'by' || name === 'without' || name === 'on' || name === 'ignoring') {
      throw this.error(`unexpected keyword "${name}"`, token);
    }
    this.next();
    return this.parseSelector(name, token);
  }

  private parseAggregate(opToken: Token): Expr {
    this.next();
    this.enter(opToken);
    let grouping: Grouping | undefined;
    if (this.isKeyword('by') || this.isKeyword('without')) {
      const mode = this.next().text as 'by' | 'without';
      grouping = { mode, labels: this.parseLabelList(`after "${mode}"`) };
    }
    this.expectPunct('(', `after "${opToken.text}"`);
    const args = this.parseArguments();
    const close = this.expectPunct(')', `to close "${opToken.text}(...)"`);
    let end = close.end;
    if (this.isKeyword('by') || this.isKeyword('without')) {
      const keyword = this.peek();
      if (grouping !== undefined) throw this.error('grouping given twice', keyword);
      const mode = this.next().text as 'by' | 'without';
      grouping = { mode, labels: this.parseLabelList(`after "${mode}"`) };
      end = this.tokens[this.index - 1]!.end;
    }
    if (args.length !== 1) throw new PromQLError(`"${opToken.text}" takes exactly one argument, found ${args.length}`, opToken.start, this.query);
    const expr = args[0]!;
    if (typeOf(expr) !== 'vector') throw new PromQLError(`"${opToken.text}" needs an instant vector argument, found a ${describeType(typeOf(expr))}`, expr.start, this.query);
    this.depth--;
    return { type: 'Aggregate', op: opToken.text as AggregateOperator, grouping, expr, start: opToken.start, end };
  }

  private parseCall(nameToken: Token, func: FunctionName): Expr {
    this.next();
    this.enter(nameToken);
    this.expectPunct('(', `after "${func}"`);
    const args = this.parseArguments();
    const close = this.expectPunct(')', `to close "${func}(...)"`);
    const signature = FUNCTION_SIGNATURES[func];
    if (args.length !== signature.args.length) {
      throw new PromQLError(`function "${func}" takes ${signature.args.length} argument(s), found ${args.length}`, nameToken.start, this.query);
    }
    args.forEach((arg, i) => {
      const expected = signature.args[i]!;
      const found = typeOf(arg);
      if (found !== expected) {
        const hint = expected === 'matrix' && found === 'vector' ? ` (did you mean ${func}(...[5m])?)` : '';
        throw new PromQLError(`argument ${i + 1} of "${func}" must be a ${describeType(expected)}, found a ${describeType(found)}${hint}`, arg.start, this.query);
      }
    });
    this.depth--;
    return { type: 'Call', func, args, start: nameToken.start, end: close.end };
  }

  private parseArguments(): Expr[] {
    const args: Expr[] = [];
    if (this.isPunct(')')) return args;
    for (;;) {
      args.push(this.parseExpression(0));
      if (!this.isPunct(',')) return args;
      this.next();
    }
  }

  private parseLabelList(context: string): string[] {
    this.expectPunct('(', context);
    const labels: string[] = [];
    while (!this.isPunct(')')) {
      const token = this.peek();
      if (token.kind !== 'identifier' || !LABEL_NAME.test(token.text)) throw this.error(`expected a label name, found ${describe(token)}`, token);
      this.next();
      labels.push(token.text);
      if (this.isPunct(',')) this.next();
      else if (!this.isPunct(')')) throw this.error(`expected "," or ")" in the label list, found ${describe(this.peek())}`, this.peek());
    }
    this.next();
    return labels;
  }

  private parseSelector(metric: string | undefined, first: Token): VectorSelector {
    const matchers: LabelMatcher[] = [];
    if (metric !== undefined) matchers.push({ name: '__name__', op: '=', value: metric });
    let end = first.end;
    if (this.isPunct('{')) {
      this.next();
      while (!this.isPunct('}')) {
        const nameToken = this.peek();
        if (nameToken.kind !== 'identifier' || !LABEL_NAME.test(nameToken.text)) throw this.error(`expected a label name, found ${describe(nameToken)}`, nameToken);
        this.next();
        const opToken = this.peek();
        if (opToken.kind !== 'punct' || !['=', '!=', '=~', '!~'].includes(opToken.text)) {
          throw this.error(`expected a label matcher operator (=, !=, =~, !~), found ${describe(opToken)}`, opToken);
        }
        this.next();
        const valueToken = this.peek();
        if (valueToken.kind !== 'string') throw this.error(`expected a quoted label value, found ${describe(valueToken)}`, valueToken);
        this.next();
        const op = opToken.text as MatchOperator;
        if (op === '=~' || op === '!~') {
          const problem = regexProblem(valueToken.string);
          if (problem !== undefined) throw this.error(`invalid regex: ${problem}`, valueToken);
          try {
            new RegExp(`^(?:${valueToken.string})$`, 'su');
          } catch (error) {
            throw this.error(`invalid regex: ${(error as Error).message}`, valueToken);
          }
        }
        if (nameToken.text === '__name__' && metric !== undefined) throw this.error('metric name given twice', nameToken);
        matchers.push({ name: nameToken.text, op, value: valueToken.string });
        if (this.isPunct(',')) this.next();
        else if (!this.isPunct('}')) throw this.error(`expected "," or "}" in the selector, found ${describe(this.peek())}`, this.peek());
      }
      end = this.next().end;
    }
    if (!matchers.some((m) => !matchesEmpty(m))) {
      throw new PromQLError('a selector needs a metric name or at least one matcher that does not match the empty string', first.start, this.query);
    }
    return { type: 'VectorSelector', metric, matchers, offsetMs: 0, start: first.start, end };
  }
}

/** Whether a matcher accepts series that do not have the label at all. */
function matchesEmpty(matcher: LabelMatcher): boolean {
  switch (matcher.op) {
    case '=':
      return matcher.value === '';
    case '!=':
      return matcher.value !== '';
    case '=~':
      return new RegExp(`^(?:${matcher.value})$`, 'su').test('');
    case '!~':
      return !new RegExp(`^(?:${matcher.value})$`, 'su').test('');
  }
}

function describe(token: Token): string {
  if (token.kind === 'eof') return 'end of query';
  if (token.kind === 'string') return `string ${JSON.stringify(token.text.length > 30 ? `${token.text.slice(0, 27)}...` : token.text)}`;
  return `${token.kind === 'punct' ? '' : `${token.kind} `}"${token.text.length > 30 ? `${token.text.slice(0, 27)}...` : token.text}"`;
}

function describeType(type: string): string {
  return type === 'matrix' ? 'range vector' : type === 'vector' ? 'instant vector' : type;
}

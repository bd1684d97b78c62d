/**
 * The syntax tree of the PromQL subset Vigil understands. Every node carries the character range it was parsed
 * from (`start` inclusive, `end` exclusive, 0-based offsets into the query text), so that errors can point at it.
 */

/** The four label matcher operators. Regex matchers are fully anchored, as in Prometheus. */
export type MatchOperator = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  readonly name: string;
  readonly op: MatchOperator;
  readonly value: string;
}

/** Position of a node in the query text: `start` inclusive, `end` exclusive, 0-based. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** The type a PromQL expression evaluates to. */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

export interface NumberLiteral extends Span {
  readonly type: 'NumberLiteral';
  readonly value: number;
}

export interface StringLiteral extends Span {
  readonly type: 'StringLiteral';
  readonly value: string;
}

export interface VectorSelector extends Span {
  readonly type: 'VectorSelector';
  /** The metric name, when written before the braces (it is also present as a `__name__` matcher). */
  readonly metric: string | undefined;
  /** All matchers, including `__name__="metric"` when a metric name was written. */
  readonly matchers: readonly LabelMatcher[];
  /** `offset` in milliseconds (0 when absent; may be negative). */
  readonly offsetMs: number;
}

export interface MatrixSelector extends Span {
  readonly type: 'MatrixSelector';
  readonly selector: VectorSelector;
  /** The range in milliseconds, `[5m]` is 300000. */
  readonly rangeMs: number;
}

export type FunctionName =
  | 'rate'
  | 'increase'
  | 'irate'
  | 'histogram_quantile'
  | 'clamp'
  | 'clamp_min'
  | 'clamp_max'
  | 'abs'
  | 'ceil'
  | 'floor'
  | 'sqrt'
  | 'exp'
  | 'ln'
  | 'log2'
  | 'log10'
  | 'avg_over_time'
  | 'min_over_time'
  | 'max_over_time'
  | 'sum_over_time'
  | 'count_over_time'
  | 'time'
  | 'vector'
  | 'scalar';

export interface Call extends Span {
  readonly type: 'Call';
  readonly func: FunctionName;
  readonly args: readonly Expr[];
}

export type AggregateOperator = 'sum' | 'avg' | 'min' | 'max' | 'count';

export interface Grouping {
  readonly mode: 'by' | 'without';
  readonly labels: readonly string[];
}

export interface Aggregate extends Span {
  readonly type: 'Aggregate';
  readonly op: AggregateOperator;
  /** `undefined` aggregates everything into one series. */
  readonly grouping: Grouping | undefined;
  readonly expr: Expr;
}

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%' | '^';
export type ComparisonOperator = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type BinaryOperator = ArithmeticOperator | ComparisonOperator;

export interface VectorMatching {
  readonly mode: 'on' | 'ignoring';
  readonly labels: readonly string[];
}

export interface Binary extends Span {
  readonly type: 'Binary';
  readonly op: BinaryOperator;
  readonly lhs: Expr;
  readonly rhs: Expr;
  /** `on(...)`/`ignoring(...)`; `undefined` matches on all labels. Only between two vectors. */
  readonly matching: VectorMatching | undefined;
  /** The `bool` modifier of comparisons: return 0/1 instead of filtering. */
  readonly returnBool: boolean;
}

export interface Unary extends Span {
  readonly type: 'Unary';
  readonly op: '-' | '+';
  readonly expr: Expr;
}

export interface Paren extends Span {
  readonly type: 'Paren';
  readonly expr: Expr;
}

export type Expr = NumberLiteral | StringLiteral | VectorSelector | MatrixSelector | Call | Aggregate | Binary | Unary | Paren;

/** The argument types and result type of each supported function. */
export const FUNCTION_SIGNATURES: Readonly<Record<FunctionName, { readonly args: readonly ValueType[]; readonly returns: ValueType }>> = {
  rate: { args: ['matrix'], returns: 'vector' },
  increase: { args: ['matrix'], returns: 'vector' },
  irate: { args: ['matrix'], returns: 'vector' },
  histogram_quantile: { args: ['scalar', 'vector'], returns: 'vector' },
  clamp: { args: ['vector', 'scalar', 'scalar'], returns: 'vector' },
  clamp_min: { args: ['vector', 'scalar'], returns: 'vector' },
  clamp_max: { args: ['vector', 'scalar'], returns: 'vector' },
  abs: { args: ['vector'], returns: 'vector' },
  ceil: { args: ['vector'], returns: 'vector' },
  floor: { args: ['vector'], returns: 'vector' },
  sqrt: { args: ['vector'], returns: 'vector' },
  exp: { args: ['vector'], returns: 'vector' },
  ln: { args: ['vector'], returns: 'vector' },
  log2: { args: ['vector'], returns: 'vector' },
  log10: { args: ['vector'], returns: 'vector' },
  avg_over_time: { args: ['matrix'], returns: 'vector' },
  min_over_time: { args: ['matrix'], returns: 'vector' },
  max_over_time: { args: ['matrix'], returns: 'vector' },
  sum_over_time: { args: ['matrix'], returns: 'vector' },
  count_over_time: { args: ['matrix'], returns: 'vector' },
  time: { args: [], returns: 'scalar' },
  vector: { args: ['scalar'], returns: 'vector' },
  scalar: { args: ['vector'], returns: 'scalar' },
};

export const AGGREGATE_OPERATORS: readonly AggregateOperator[] = ['sum', 'avg', 'min', 'max', 'count'];

const binaryTypes = new WeakMap<Expr, ValueType>();

/** The type an expression evaluates to. */
export function typeOf(expr: Expr): ValueType {
  switch (expr.type) {
    case 'NumberLiteral':
      return 'scalar';
    case 'StringLiteral':
      return 'string';
    case 'VectorSelector':
      return 'vector';
    case 'MatrixSelector':
      return 'matrix';
    case 'Call':
      return FUNCTION_SIGNATURES[expr.func].returns;
    case 'Aggregate':
      return 'vector';
    case 'Binary': {
      // Memoised, so that type-checking a long operator chain stays linear.
      let type = binaryTypes.get(expr);
      if (type === undefined) {
        type = typeOf(expr.lhs) === 'scalar' && typeOf(expr.rhs) === 'scalar' ? 'scalar' : 'vector';
        binaryTypes.set(expr, type);
      }
      return type;
    }
    case 'Unary':
    case 'Paren':
      return typeOf(expr.expr);
  }
}

/** The direct sub-expressions of a node, in source order. */
export function childrenOf(expr: Expr): readonly Expr[] {
  switch (expr.type) {
    case 'NumberLiteral':
    case 'StringLiteral':
    case 'VectorSelector':
      return [];
    case 'MatrixSelector':
      return [expr.selector];
    case 'Call':
      return expr.args;
    case 'Aggregate':
    case 'Unary':
    case 'Paren':
      return [expr.expr];
    case 'Binary':
      return [expr.lhs, expr.rhs];
  }
}

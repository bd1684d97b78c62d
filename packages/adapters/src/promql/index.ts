/**
 * A small, well-defined PromQL subset: tokenizer, parser (`parsePromQL`), formatter (`formatPromQL`), safe quoting
 * (`escapeLabelValue`, `formatSelector`, `escapeRegex`) and a columnar evaluator (`evaluate`) over any
 * `SeriesStorage`. The simulated source uses all of it; adapters for real Prometheus servers use the parser to
 * validate queries and the quoting helpers to build them safely.
 */
export type {
  Aggregate,
  AggregateOperator,
  ArithmeticOperator,
  Binary,
  BinaryOperator,
  Call,
  ComparisonOperator,
  Expr,
  FunctionName,
  Grouping,
  LabelMatcher,
  MatchOperator,
  MatrixSelector,
  NumberLiteral,
  Paren,
  Span,
  StringLiteral,
  Unary,
  ValueType,
  VectorMatching,
  VectorSelector,
} from './ast';
export { AGGREGATE_OPERATORS, FUNCTION_SIGNATURES, childrenOf, typeOf } from './ast';
export { PromQLError, tokenize, formatDuration } from './lexer';
export type { Token, TokenKind } from './lexer';
export { parsePromQL, MAX_QUERY_LENGTH, MAX_DEPTH, MAX_TREE_DEPTH } from './parser';
export { formatPromQL, formatSelector, escapeLabelValue, escapeRegex } from './format';
export { compileMatchers, compileLabelRegex, regexProblem, MAX_REGEX_LENGTH } from './matchers';
export type { LabelPredicate } from './matchers';
export { evaluate, signature, LOOKBACK_MS, MAX_STEPS, DEFAULT_MAX_SAMPLES } from './evaluate';
export type { EvaluatedSeries, EvaluationOptions, EvaluationRequest, EvaluationResult } from './evaluate';
export { createMemoryStorage } from './storage';
export type { MemorySeriesInput, SelectRequest, SeriesStorage, StoredSeries } from './storage';

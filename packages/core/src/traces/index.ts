/**
 * The trace engine: OTLP/JSON, Jaeger JSON and Zipkin v2 JSON parsed into one columnar model (typed arrays plus
 * string tables, exact nanoseconds), tree repair with warnings, critical path, self time, per-service and
 * per-operation statistics, the service dependency graph, bottlenecks, repeated siblings (N+1), trace comparison,
 * search and the waterfall's row order. Every traversal is iterative. See docs/traces.md.
 */
export type * from './types';
export { SpanKind, SPAN_KIND_NAMES, StatusCode, STATUS_NAMES, SpanFlag } from './types';
export { parseTrace, detectTraceFormat } from './parse';
export { parseOtlpTrace } from './otlp';
export { parseJaegerTrace } from './jaeger';
export { parseZipkinTrace } from './zipkin';
export { spanDetails, spanIdOf, parentSpanIdOf, spanIndexOf } from './model';
export { formatAttributeValue, MAX_ATTRIBUTE_NESTING } from './attributes';
export { selfTimes, criticalPath, bottlenecks } from './critical-path';
export type { CriticalPath, CriticalPathOptions, Bottleneck } from './critical-path';
export { serviceStats, operationStats, serviceGraph } from './stats';
export type { DurationStats, ServiceStats, OperationStats, ServiceNode, ServiceEdge, ServiceGraph } from './stats';
export { repeatedSiblings, compareTraces } from './patterns';
export type { RepeatedSiblings, OperationDelta, TraceComparison } from './patterns';
export { flattenForDisplay, subtreeSizes } from './flatten';
export type { FlattenOptions } from './flatten';
export { findSpans, searchTraces, summarizeTrace } from './search';
export type { TraceQuery } from './search';
export { formatDurationNs } from './format';

import { ValidationError } from '@vigil/core/errors';
import { escapeLabelValue } from '../promql/format';

/**
 * Building PromQL selectors from plain values, with every label value escaped by the shared `escapeLabelValue`
 * (Go string-literal escapes: backslash, double quote, control characters). The adapter never pastes a caller's
 * value into a query unquoted.
 */

/** Prometheus 2.x label names: `[a-zA-Z_][a-zA-Z0-9_]*`. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Prometheus 2.x metric names: `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** A series picked by metric name and exact label values; the adapter turns it into an escaped selector. */
export interface SeriesMatcher {
  /** Metric name, such as `http_requests_total`. */
  readonly metric?: string;
  /** Label names to the exact values the series must have. An empty value matches series without that label. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** True when `name` is a valid Prometheus 2.x label name. */
export function isLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}

/** True when `name` is a valid Prometheus 2.x metric name. */
export function isMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

/**
 * Formats a `SeriesMatcher` as a PromQL selector, such as `http_requests_total{job="api",path="/a\"b"}`.
 * Label names are sorted so equal matchers give equal strings (and equal cache keys).
 *
 * @throws ValidationError when the metric or a label name is not a valid Prometheus name, or a value not a string.
 * @example
 * formatSeriesMatcher({ metric: 'up', labels: { job: 'api' } }, 'match[0]'); // 'up{job="api"}'
 */
export function formatSeriesMatcher(matcher: SeriesMatcher, path: string): string {
  if (matcher === null || typeof matcher !== 'object') throw new ValidationError(path, 'a selector string or { metric?, labels? }', matcher);
  const { metric, labels } = matcher;
  if (metric !== undefined && (typeof metric !== 'string' || !isMetricName(metric))) {
    throw new ValidationError(`${path}.metric`, 'a metric name matching [a-zA-Z_:][a-zA-Z0-9_:]*', metric);
  }
  const parts: string[] = [];
  if (labels !== undefined) {
    if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) throw new ValidationError(`${path}.labels`, 'an object of label names to values', labels);
    for (const name of Object.keys(labels).sort()) {
      const value = labels[name];
      if (!isLabelName(name)) throw new ValidationError(`${path}.labels`, 'label names matching [a-zA-Z_][a-zA-Z0-9_]*', name);
      if (typeof value !== 'string') throw new ValidationError(`${path}.labels.${name}`, 'a string', value);
      parts.push(`${name}="${escapeLabelValue(value, `${path}.labels.${name}`)}"`);
    }
  }
  if (metric === undefined && parts.length === 0) throw new ValidationError(path, 'a metric name or at least one label', matcher);
  // A selector of only empty-value matchers matches everything, which Prometheus refuses; `{__name__=~".+"}` would
  // be a full scan. Let Prometheus say so: it names the problem better than we can guess.
  return `${metric ?? ''}{${parts.join(',')}}`;
}

import { ValidationError, throwIfAborted } from '../errors';
import type { DataSource, QueryOptions } from '../source';
import type { AlertEvaluator } from './evaluator';
import type { EvaluationInput, EvaluationResult, RuleTickInput } from './types';

/** Options of {@link evaluateFromSource}. */
export interface EvaluateFromSourceOptions extends QueryOptions {
  /** Queries in flight at once; default 8. */
  readonly concurrency?: number;
}

/**
 * Runs one tick against a data source: asks `source.queryRange` for each enabled rule's window
 * (`[now - lookback, now]` at the rule's `query.stepMs`), then calls `evaluator.evaluate(now, data)`. A failed query
 * becomes that rule's `{ error }` (handled by its `onError`), so one broken query never stops the others. Aborting
 * `options.signal` rejects with an `ABORTED` SourceError and leaves the evaluator untouched.
 *
 * @example
 * const result = await evaluateFromSource(evaluator, source, Date.now(), { signal });
 */
export async function evaluateFromSource(evaluator: AlertEvaluator, source: DataSource, now: number, options: EvaluateFromSourceOptions = {}): Promise<EvaluationResult> {
  if (source === null || typeof source !== 'object' || typeof source.queryRange !== 'function') throw new ValidationError('source', 'a DataSource with queryRange', source);
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new ValidationError('now', 'a finite epoch-millisecond time', now);
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ValidationError('options.concurrency', 'an integer >= 1', concurrency);
  const signal = options.signal;
  throwIfAborted(signal, 'alert evaluation');
  const rules = evaluator.compiledRules.filter((r) => r.rule.enabled !== false);
  const data: Record<string, RuleTickInput> = {};
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < rules.length) {
      const rule = rules[next++];
      if (rule === undefined) break;
      try {
        const result = await source.queryRange({ query: rule.rule.query.expr, range: { start: now - rule.lookbackMs, end: now }, stepMs: rule.stepMs }, signal === undefined ? {} : { signal });
        data[rule.id] = { series: result.data };
      } catch (error) {
        data[rule.id] = { error };
      }
      throwIfAborted(signal, 'alert evaluation');
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, rules.length) }, worker));
  throwIfAborted(signal, 'alert evaluation');
  return evaluator.evaluate(now, data as EvaluationInput);
}

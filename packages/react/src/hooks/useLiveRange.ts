import { useEffect, useMemo, useRef, useState } from 'react';
import { ValidationError, type DataSource, type SourceCapabilities, type TimeRange } from '@vigil/core';
import { useSourceContext } from './VigilSourceProvider';

export interface LiveRangeOptions {
  /** Follow this source instead of the provider's. */
  readonly source?: DataSource | undefined;
  /** Tick interval asked of the source, and of the fallback timer. Default 10 s. */
  readonly intervalMs?: number | undefined;
  /** Round the end down to a multiple of this (such as the query step), so ranges repeat and cache. Default 1. */
  readonly alignMs?: number | undefined;
  /** The clock. Default `Date.now`. Pass a fixed first value for server rendering. */
  readonly now?: (() => number) | undefined;
  /** Stop advancing (the range stays where it is). */
  readonly paused?: boolean | undefined;
}

function positive(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new ValidationError(path, 'a number of ms > 0', value);
  return value;
}

/**
 * A sliding time range of `windowMs` that ends "now" and moves forward on the source's live ticks, or on a timer when
 * the source cannot push (no `live` capability or no `subscribe`). Unsubscribes on unmount.
 *
 * @throws ValidationError when `windowMs`, `intervalMs` or `alignMs` is not a positive number.
 * @example
 * const range = useLiveRange(15 * 60_000, { alignMs: 15_000 });
 * const { data } = useSeries({ query, range, stepMs: 15_000 });
 */
export function useLiveRange(windowMs: number, options: LiveRangeOptions = {}): TimeRange {
  positive(windowMs, 'windowMs');
  const intervalMs = positive(options.intervalMs ?? 10_000, 'options.intervalMs');
  const alignMs = positive(options.alignMs ?? 1, 'options.alignMs');
  const context = useSourceContext();
  const source = options.source ?? context?.source;
  const now = options.now ?? Date.now;
  const paused = options.paused ?? false;
  const [end, setEnd] = useState(() => Math.floor(now() / alignMs) * alignMs);
  const [liveFailed, setLiveFailed] = useState(false);
  // The latest clock without re-subscribing when the caller passes a new function each render.
  const clock = useRef(now);
  useEffect(() => {
    clock.current = now;
  });

  useEffect(() => {
    if (paused) return undefined;
    const advance = (time: number) => {
      if (Number.isFinite(time)) setEnd((previous) => Math.max(previous, Math.floor(time / alignMs) * alignMs));
    };
    advance(clock.current());
    if (source?.capabilities.live && typeof source.subscribe === 'function' && !liveFailed) {
      const controller = new AbortController();
      const unsubscribe = source.subscribe(
        (update) => {
          if (update.kind === 'tick') advance(update.time);
        },
        { signal: controller.signal, intervalMs, onError: () => setLiveFailed(true) },
      );
      return () => {
        controller.abort();
        unsubscribe();
      };
    }
    const timer = setInterval(() => advance(clock.current()), intervalMs);
    return () => clearInterval(timer);
  }, [source, intervalMs, alignMs, paused, liveFailed]);

  return useMemo(() => ({ start: end - windowMs, end }), [end, windowMs]);
}

/**
 * What the source (the provider's, or the one given) can do, or undefined without a source. Lets a component say
 * "this source has no traces" instead of breaking.
 *
 * @example
 * const capabilities = useCapabilities();
 * if (!capabilities?.traces) return <p>This data source has no traces.</p>;
 */
export function useCapabilities(source?: DataSource): SourceCapabilities | undefined {
  const context = useSourceContext();
  return (source ?? context?.source)?.capabilities;
}

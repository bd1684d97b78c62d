import { useEffect, useState } from 'react';
import type { DataSource } from '@vigil/core';

/**
 * "Now" for the dashboard: while `live`, it follows the source's ticks (each tick says data exists up to its time);
 * while paused it stays put. Resuming jumps to the clock's current time.
 */
export function useLiveNow(source: DataSource, live: boolean, tickMs: number, clock: () => number): number {
  const [now, setNow] = useState(clock);

  useEffect(() => {
    if (!live) return undefined;
    setNow(clock());
    const subscribe = source.subscribe?.bind(source);
    if (subscribe === undefined || !source.capabilities.live) return undefined;
    const controller = new AbortController();
    subscribe(
      (update) => {
        if (update.kind === 'tick') setNow(update.time);
      },
      {
        signal: controller.signal,
        intervalMs: tickMs,
        // A broken live feed leaves the last data on screen; the time range picker still works.
        onError: (error) => console.warn('Vigil demo: live updates stopped', error),
      },
    );
    return () => controller.abort();
  }, [source, live, tickMs, clock]);

  return now;
}

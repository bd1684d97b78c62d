import { useEffect, useLayoutEffect, useState } from 'react';
import type { RefObject } from 'react';

const useIsomorphicLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

/**
 * The width of the element in `ref`, in whole CSS pixels, followed with a ResizeObserver. Returns `fixedWidth`
 * when given; 0 before the first measurement (and on the server); `fallback` where the element measures 0 wide,
 * as in jsdom, which has no layout and no ResizeObserver.
 *
 * @example
 * const width = useContainerWidth(containerRef);
 */
export function useContainerWidth(ref: RefObject<Element | null>, fixedWidth?: number, fallback = 640): number {
  const [width, setWidth] = useState(0);
  useIsomorphicLayoutEffect(() => {
    if (fixedWidth !== undefined) return undefined;
    const element = ref.current;
    if (element === null) return undefined;
    const measured = Math.floor(element.getBoundingClientRect().width);
    setWidth(measured > 0 ? measured : fallback);
    if (typeof ResizeObserver !== 'function') return undefined;
    const observer = new ResizeObserver((entries) => {
      const next = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (next > 0) setWidth(next);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, fixedWidth, fallback]);
  return fixedWidth ?? width;
}

import { useEffect, useState, type RefObject } from 'react';

export interface ElementSize {
  readonly width: number;
  readonly height: number;
}

/**
 * The content-box size of an element, updated by a ResizeObserver. Undefined until measured, on the server, and where
 * ResizeObserver does not exist (jsdom); callers fall back to a default size.
 *
 * @example
 * const ref = useRef<HTMLDivElement>(null);
 * const size = useResizeObserver(ref);
 * const width = size?.width ?? 320;
 */
export function useResizeObserver(ref: RefObject<Element | null>): ElementSize | undefined {
  const [size, setSize] = useState<ElementSize | undefined>(undefined);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]?.contentRect;
      if (!box) return;
      setSize((previous) => (previous && previous.width === box.width && previous.height === box.height ? previous : { width: box.width, height: box.height }));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

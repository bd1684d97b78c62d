import { useCallback, type ForwardedRef, type RefCallback } from 'react';

/**
 * One ref callback that feeds a forwarded ref and an internal ref object, for components that forward their root
 * element and also measure or focus it.
 *
 * @example
 * const inner = useRef<HTMLDivElement>(null);
 * const ref = useMergedRef(forwardedRef, inner);
 * return <div ref={ref} />;
 */
export function useMergedRef<T>(forwarded: ForwardedRef<T>, inner: { current: T | null }): RefCallback<T> {
  return useCallback(
    (node: T | null) => {
      inner.current = node;
      if (typeof forwarded === 'function') forwarded(node);
      else if (forwarded) forwarded.current = node;
    },
    [forwarded, inner],
  );
}

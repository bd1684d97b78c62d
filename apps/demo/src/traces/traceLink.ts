/**
 * The Traces tab's deep link: `?trace=<id>#/traces` opens that trace. The id lives in the query string, beside the
 * demo's other parameters, because the hash holds the selected tab.
 */
const TRACE_ID = /^[0-9a-fA-F]{32}$/;

/** The trace id in the URL, if it looks like one. */
export function readTraceLink(): string | undefined {
  if (typeof window === 'undefined') return undefined;
  const id = new URLSearchParams(window.location.search).get('trace');
  return id !== null && TRACE_ID.test(id) ? id.toLowerCase() : undefined;
}

/** Puts the selected trace in the URL (or removes it) without a navigation or a history entry. */
export function writeTraceLink(traceId: string | undefined): void {
  if (typeof window === 'undefined') return;
  const query = new URLSearchParams(window.location.search);
  if (traceId === undefined) query.delete('trace');
  else query.set('trace', traceId);
  const search = query.toString();
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${search === '' ? '' : `?${search}`}${window.location.hash}`);
}

/**
 * Trace components and hooks: TraceWaterfall (virtualised, 100k spans), TraceSummary, SpanDetailPanel, Flamegraph,
 * ServiceMap, useTrace and useTraceSearch. Inputs are the columnar model from `@vigil/core/traces`.
 */
export { TraceWaterfall } from './TraceWaterfall';
export type { TraceWaterfallProps } from './TraceWaterfall';
export { TraceSummary } from './TraceSummary';
export type { TraceSummaryProps } from './TraceSummary';
export { SpanDetailPanel } from './SpanDetailPanel';
export type { SpanDetailPanelProps } from './SpanDetailPanel';
export { TraceMinimap } from './TraceMinimap';
export type { TraceMinimapProps } from './TraceMinimap';
export { Flamegraph } from './Flamegraph';
export type { FlamegraphProps } from './Flamegraph';
export { ServiceMap } from './ServiceMap';
export type { ServiceMapProps } from './ServiceMap';
export { layoutServiceMap, serviceLayers } from './service-map-layout';
export type { PlacedNode, ServiceMapLayout } from './service-map-layout';
export { depthIndex, spanAt, flameKeyTarget } from './flame-model';
export type { DepthIndex } from './flame-model';
export { useTrace, useTraceSearch } from './useTrace';
export type { TraceHookOptions, TraceQueryState, TraceSearchState } from './useTrace';
export {
  filterMask,
  filtersAreEmpty,
  visibleRows,
  searchSpans,
  nextHit,
  splitMatches,
  waterfallKeyAction,
  indentation,
  serviceColor,
  clampWindow,
  timeTicks,
  MAX_INDENT_LEVELS,
} from './waterfall-model';
export type { TraceFilters, TimeWindow, SearchHits, WaterfallKeyAction } from './waterfall-model';

export { formatValue, formatValueParts, formatNumber, percentChange, NO_DATA_TEXT } from './format';
export type { ValueUnit, FormatValueOptions, FormattedValue } from './format';
export { describeError } from './errors';
export type { ErrorDescription } from './errors';
export { VigilErrorBoundary } from './ErrorBoundary';
export type { VigilErrorBoundaryProps } from './ErrorBoundary';
export { useResizeObserver } from './useResizeObserver';
export type { ElementSize } from './useResizeObserver';
export { classNames } from './class-names';

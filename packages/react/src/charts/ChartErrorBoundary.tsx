import { Component } from 'react';
import type { ReactNode } from 'react';

export interface ChartErrorBoundaryProps {
  /** Shown instead of the children after they throw. */
  readonly fallback: (error: unknown) => ReactNode;
  /** When any of these change, the boundary tries the children again. */
  readonly resetKeys: readonly unknown[];
  readonly children?: ReactNode;
}

interface ChartErrorBoundaryState {
  readonly error: unknown;
  readonly failed: boolean;
  readonly resetKeys: readonly unknown[];
}

/** Keeps a chart's failure (bad data, a rendering bug) inside the chart: the host page keeps working. */
export class ChartErrorBoundary extends Component<ChartErrorBoundaryProps, ChartErrorBoundaryState> {
  override state: ChartErrorBoundaryState = { error: undefined, failed: false, resetKeys: this.props.resetKeys };

  static getDerivedStateFromError(error: unknown): Partial<ChartErrorBoundaryState> {
    return { error, failed: true };
  }

  static getDerivedStateFromProps(props: ChartErrorBoundaryProps, state: ChartErrorBoundaryState): Partial<ChartErrorBoundaryState> | null {
    const changed = props.resetKeys.length !== state.resetKeys.length || props.resetKeys.some((key, i) => !Object.is(key, state.resetKeys[i]));
    if (!changed) return null;
    return state.failed ? { error: undefined, failed: false, resetKeys: props.resetKeys } : { resetKeys: props.resetKeys };
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback(this.state.error) : this.props.children;
  }
}

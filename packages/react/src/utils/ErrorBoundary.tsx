import { Component, type ErrorInfo, type ReactNode } from 'react';

export interface VigilErrorBoundaryProps {
  /** Renders instead of the children after they threw. */
  readonly fallback: (error: unknown) => ReactNode;
  /** When any of these change (shallowly), the boundary tries the children again. */
  readonly resetKeys?: readonly unknown[];
  /** Called once per caught error, for logging. */
  readonly onError?: (error: unknown, info: ErrorInfo) => void;
  readonly children?: ReactNode;
}

interface State {
  readonly failed: boolean;
  readonly error: unknown;
}

function changed(a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean {
  if (a === b) return false;
  if (!a || !b || a.length !== b.length) return true;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return true;
  return false;
}

/**
 * Keeps a component's failure inside the component: when the children throw while rendering, it shows `fallback`
 * instead of unmounting the host's tree. Every Vigil component wraps itself in one.
 *
 * @example
 * <VigilErrorBoundary fallback={(error) => <p>{describeError(error).message}</p>} resetKeys={[props.data]}>
 *   <Chart data={props.data} />
 * </VigilErrorBoundary>
 */
export class VigilErrorBoundary extends Component<VigilErrorBoundaryProps, State> {
  override state: State = { failed: false, error: undefined };

  static getDerivedStateFromError(error: unknown): State {
    return { failed: true, error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    this.props.onError?.(error, info);
  }

  override componentDidUpdate(previous: VigilErrorBoundaryProps): void {
    if (this.state.failed && changed(previous.resetKeys, this.props.resetKeys)) this.setState({ failed: false, error: undefined });
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback(this.state.error) : this.props.children;
  }
}

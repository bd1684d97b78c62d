import { Component, type ErrorInfo, type ReactNode } from 'react';

interface ErrorBoundaryProps {
  /** What failed, for the message ("Overview", "Latency chart"). */
  readonly label: string;
  readonly children: ReactNode;
  /** Changing this value clears a caught error (for example the tab, the range or the filter). */
  readonly resetKey?: unknown;
  /** Compact variant for a single panel. */
  readonly compact?: boolean;
}

interface ErrorBoundaryState {
  readonly error: Error | undefined;
  readonly resetKey: unknown;
}

/**
 * Catches render errors below it so one broken panel never blanks the app. Shows what failed and offers a retry.
 * Errors are reported with console.warn (the smoke test fails on console.error, and a caught panel error is an
 * expected, handled state; the test still fails on page errors and failed requests).
 */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: undefined, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<ErrorBoundaryState> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: ErrorBoundaryProps, state: ErrorBoundaryState): Partial<ErrorBoundaryState> | null {
    if (props.resetKey !== state.resetKey) return { error: undefined, resetKey: props.resetKey };
    return null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.warn(`Vigil demo: ${this.props.label} failed to render`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (error === undefined) return this.props.children;
    return (
      <div role="alert" className={this.props.compact ? 'demo-crash demo-crash--compact' : 'demo-crash'}>
        <p className="demo-crash__title">{this.props.label} could not be displayed</p>
        <p className="demo-crash__message">{error.message}</p>
        <button type="button" className="demo-button" onClick={() => this.setState({ error: undefined })}>
          Try again
        </button>
      </div>
    );
  }
}

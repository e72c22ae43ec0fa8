import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** What shows in place of the children once they failed to draw. */
  fallback: ReactNode;
  /** Told once per failure (React logs the error itself). */
  onError?: (error: unknown, info: ErrorInfo) => void;
  /** When it changes, the children are tried again (e.g. the route: another view was opened). */
  resetKey?: unknown;
  children: ReactNode;
}

interface State {
  failed: boolean;
  /** The resetKey the children were last tried with. */
  key: unknown;
}

const NOT_YET = Symbol('not yet rendered');

/**
 * Keeps a failure to draw inside its part of the window: without one, React takes the whole
 * page down. React offers this only as a class (getDerivedStateFromError).
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { failed: false, key: NOT_YET };

  static getDerivedStateFromError(): Partial<State> {
    return { failed: true };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey === state.key ? null : { key: props.resetKey, failed: false };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    this.props.onError?.(error, info);
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

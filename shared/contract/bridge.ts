import type { Envelope } from './contract-error';
import type { EventMessage } from './wire';

/**
 * What the desktop app's preload exposes on `window.commissioner`, and nothing else: one call
 * function and one event subscription, both carrying the contract's messages.
 */
export interface CommissionerBridge {
  call(op: string, request: unknown): Promise<Envelope<unknown>>;
  /** Returns the function that unsubscribes. */
  onEvent(listener: (message: EventMessage) => void): () => void;
}

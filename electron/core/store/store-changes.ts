/** What part of the store a write changed: the views that show it refresh. */
export type StoreArea = 'catalog' | 'devices' | 'deployments' | 'trust' | 'jobs' | 'margo';

type Listener = (area: StoreArea) => void;

/**
 * The store's own announcements: every write function says what it changed, right after the
 * change, so no caller has to remember to. Faces subscribe (the app core turns them into the
 * contract's `store.changed` events); the CLI simply does not listen.
 */
export class StoreChanges {
  private readonly listeners = new Set<Listener>();

  announce(area: StoreArea): void {
    for (const listener of this.listeners) listener(area);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

import { useEffect, useState } from 'react';
import type { Transport } from '../transport/transport';

/** How many icons one request asks for (the contract allows 200). */
const BATCH = 100;
/** Icons kept; a version's icon never changes, so entries only leave to bound memory. */
const KEEP = 3000;

type Listener = (icon: string | null) => void;

/**
 * Icons for the catalog rows on screen. Rows ask as they mount; the asks of one frame go to
 * the core as one `catalog.icons` call, so scrolling through thousands of apps fetches only
 * what is seen, and a row seen again is drawn from memory.
 */
export class IconCache {
  private readonly known = new Map<string, string | null>();
  private readonly waiting = new Map<string, Set<Listener>>();
  private queued = new Map<string, { id: string; version: string }>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly transport: Transport) {}

  peek(id: string, version: string): string | null | undefined {
    return this.known.get(`${id}@${version}`);
  }

  /** Calls back once with the icon (or null); returns the function that stops listening. */
  request(id: string, version: string, listener: Listener): () => void {
    const key = `${id}@${version}`;
    let listeners = this.waiting.get(key);
    if (!listeners) {
      listeners = new Set();
      this.waiting.set(key, listeners);
      this.queued.set(key, { id, version });
      this.timer ??= setTimeout(() => this.flush(), 0);
    }
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  private flush() {
    this.timer = null;
    const batch = [...this.queued.entries()];
    this.queued = new Map();
    for (let i = 0; i < batch.length; i += BATCH) {
      const part = batch.slice(i, i + BATCH);
      this.transport.call('catalog.icons', { apps: part.map(([, app]) => app) }).then(
        ({ icons }) => {
          for (const { id, version, icon } of icons) this.settle(`${id}@${version}`, icon);
        },
        // An icon is decoration: the initials stay, and the next mount asks again.
        () => part.forEach(([key]) => this.settle(key, null, false)),
      );
    }
  }

  private settle(key: string, icon: string | null, remember = true) {
    if (remember) {
      if (this.known.size >= KEEP) this.known.delete(this.known.keys().next().value as string);
      this.known.set(key, icon);
    }
    const listeners = this.waiting.get(key);
    this.waiting.delete(key);
    listeners?.forEach((l) => l(icon));
  }
}

/** A row's icon: undefined while asked for, null when the package has none. */
export function useIcon(cache: IconCache, id: string, version: string): string | null | undefined {
  const [icon, setIcon] = useState(() => cache.peek(id, version));
  useEffect(() => {
    const known = cache.peek(id, version);
    setIcon(known);
    if (known !== undefined) return;
    return cache.request(id, version, setIcon);
  }, [cache, id, version]);
  return icon;
}

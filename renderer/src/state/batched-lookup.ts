import { useEffect, useRef, useState } from 'react';

/** How many apps one request asks for (the contract allows 200). */
const BATCH = 100;
/** Answers kept; entries leave to bound memory. */
const KEEP = 3000;

export interface AppKey {
  id: string;
  version: string;
}

type Listener<T> = (value: T) => void;

/**
 * Something the core says per catalog row (its icon, where it runs), for the rows on screen.
 * Rows ask as they mount; the asks of one frame go to the core as one call, so scrolling
 * through thousands of apps fetches only what is seen, and a row seen again is drawn from
 * memory until `forget` (for answers that change with the inventory).
 */
export class BatchedLookup<T> {
  private known = new Map<string, T>();
  private readonly waiting = new Map<string, Set<Listener<T>>>();
  private queued = new Map<string, AppKey>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly ask: (apps: AppKey[]) => Promise<readonly (AppKey & { value: T })[]>,
    /** What a row gets when the call failed (not remembered: the next mount asks again). */
    private readonly failed: T,
    /**
     * 0: ask at the next frame. Otherwise ask once rows have stopped asking for this long, and
     * only for rows still on screen: an answer that is dear to compute is not asked for every
     * card that flashes by while the engineer types, and does not hold up the search's answers.
     */
    private readonly quietMs = 0,
  ) {}

  peek(id: string, version: string): T | undefined {
    return this.known.get(`${id}@${version}`);
  }

  /** Calls back once with the answer; returns the function that stops listening. */
  request(id: string, version: string, listener: Listener<T>): () => void {
    const key = `${id}@${version}`;
    let listeners = this.waiting.get(key);
    if (!listeners) {
      listeners = new Set();
      this.waiting.set(key, listeners);
      this.queued.set(key, { id, version });
    }
    if (this.quietMs > 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.flush(), this.quietMs);
    } else {
      this.timer ??= setTimeout(() => this.flush(), 0);
    }
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** Answers remembered so far are asked again at the next mount or `useLookup` refresh. */
  forget(): void {
    this.known = new Map();
  }

  private flush() {
    this.timer = null;
    const batch = [...this.queued.entries()].filter(([key]) => {
      // Rows gone from the screen before the ask are not asked for (they ask again if shown).
      if ((this.waiting.get(key)?.size ?? 0) > 0) return true;
      this.waiting.delete(key);
      return false;
    });
    this.queued = new Map();
    for (let i = 0; i < batch.length; i += BATCH) {
      const part = batch.slice(i, i + BATCH);
      this.ask(part.map(([, app]) => app)).then(
        (answers) => {
          for (const { id, version, value } of answers) this.settle(`${id}@${version}`, value);
          // An app the core no longer has gets the failure's value, not an endless wait.
          for (const [key] of part) if (this.waiting.has(key)) this.settle(key, this.failed);
        },
        () => part.forEach(([key]) => this.settle(key, this.failed, false)),
      );
    }
  }

  private settle(key: string, value: T, remember = true) {
    if (remember) {
      if (this.known.size >= KEEP) this.known.delete(this.known.keys().next().value as string);
      this.known.set(key, value);
    }
    const listeners = this.waiting.get(key);
    this.waiting.delete(key);
    listeners?.forEach((l) => l(value));
  }
}

/**
 * A row's answer: undefined while asked for. A new `refresh` asks again (after `forget`):
 * the card's reach follows the inventory.
 */
export function useLookup<T>(
  lookup: BatchedLookup<T>,
  id: string,
  version: string,
  refresh = 0,
): T | undefined {
  const [value, setValue] = useState(() => lookup.peek(id, version));
  const shownFor = useRef(`${id}@${version}`);
  useEffect(() => {
    const key = `${id}@${version}`;
    const known = lookup.peek(id, version);
    // Asked again for the same row, the old answer stays until the new one comes (no flicker).
    if (known !== undefined || shownFor.current !== key) setValue(known);
    shownFor.current = key;
    if (known !== undefined) return;
    return lookup.request(id, version, setValue);
  }, [lookup, id, version, refresh]);
  return value;
}

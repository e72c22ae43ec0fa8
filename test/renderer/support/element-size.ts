import { afterAll, beforeAll } from 'vitest';

/**
 * happy-dom lays nothing out, so a virtualized list would see a 0×0 viewport and draw no row:
 * every element reports this size for the tests of the calling `describe` (the one thing
 * stubbed; the list itself is real), and the real properties come back after them.
 */
export function givenElementSize(pixels: number): void {
  const sizes = ['clientHeight', 'clientWidth'] as const;
  const saved = sizes.map((k) => Object.getOwnPropertyDescriptor(HTMLElement.prototype, k));
  beforeAll(() => {
    for (const k of sizes) {
      Object.defineProperty(HTMLElement.prototype, k, { configurable: true, get: () => pixels });
    }
  });
  afterAll(() => {
    sizes.forEach((k, i) => {
      const descriptor = saved[i];
      if (descriptor) Object.defineProperty(HTMLElement.prototype, k, descriptor);
      else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[k];
    });
  });
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchedLookup, type AppKey } from '../../renderer/src/state/batched-lookup';

/** A lookup whose core answers every asked app with its id, and records each call. */
function lookup(quietMs: number) {
  const calls: string[][] = [];
  const cache = new BatchedLookup<string>(
    async (apps: AppKey[]) => {
      calls.push(apps.map((a) => a.id));
      return apps.map((a) => ({ ...a, value: `reach of ${a.id}` }));
    },
    'failed',
    quietMs,
  );
  return { cache, calls };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('rows asking the core for what it says of them', () => {
  it('without a quiet time, the asks of one frame go as one call', async () => {
    const { cache, calls } = lookup(0);
    const got: string[] = [];
    cache.request('a', '1', (v) => got.push(v));
    cache.request('b', '1', (v) => got.push(v));
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([['a', 'b']]);
    expect(got).toEqual(['reach of a', 'reach of b']);
    expect(cache.peek('a', '1')).toBe('reach of a');
  });

  it('with a quiet time, nothing is asked while rows keep coming, then only what is still shown', async () => {
    const { cache, calls } = lookup(250);
    const got: string[] = [];
    // Typing: each keystroke shows other cards before the last ones were asked for.
    const stopA = cache.request('a', '1', (v) => got.push(v));
    await vi.advanceTimersByTimeAsync(150);
    stopA(); // card a left the screen
    cache.request('b', '1', (v) => got.push(v));
    await vi.advanceTimersByTimeAsync(150);
    expect(calls).toEqual([]);
    cache.request('c', '1', (v) => got.push(v));
    await vi.advanceTimersByTimeAsync(249);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([['b', 'c']]);
    expect(got).toEqual(['reach of b', 'reach of c']);
    // A card that flashed by asks again when it is shown again.
    cache.request('a', '1', (v) => got.push(v));
    await vi.advanceTimersByTimeAsync(250);
    expect(calls).toEqual([['b', 'c'], ['a']]);
    expect(got).toContain('reach of a');
  });
});

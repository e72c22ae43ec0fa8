import type { Page } from '@playwright/test';

/** What the function handed to the page uses of it (this file is type-checked without the DOM). */
interface PageGlobals {
  requestAnimationFrame(callback: (time: number) => void): void;
}

/**
 * The page's display frame in ms: the median interval between 60 animation frames, measured
 * in the same browser and run as the latencies set against it. On-screen latency is judged
 * in frames: what a person sees change is a frame, whatever the machine's speed.
 */
export async function frameInterval(page: Page): Promise<number> {
  const times = await page.evaluate(
    () =>
      new Promise<number[]>((resolve) => {
        const page = globalThis as unknown as PageGlobals;
        const seen: number[] = [];
        const tick = (time: number) => {
          seen.push(time);
          if (seen.length > 60) resolve(seen);
          else page.requestAnimationFrame(tick);
        };
        page.requestAnimationFrame(tick);
      }),
  );
  const gaps = times
    .slice(1)
    .map((t, i) => t - (times[i] as number))
    .sort((a, b) => a - b);
  return gaps[gaps.length >> 1] as number;
}
